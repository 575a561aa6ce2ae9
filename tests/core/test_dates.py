"""Stated times read as the days a reader would take them to mean.

Expectations written from the grammar in ``ledger/core/dates.py`` and from
what the phrase means in an article published on the given date.
"""

from datetime import date

import pytest

from ledger.core.dates import parse_when
from ledger.core.readings import ParseContext, parse_partial_date

OPEN = None

# (phrase, publication date, first day, last day, precision)
WHEN = [
    ("late October", "2019-07-02", "2019-10-21", "2019-10-31", "day"),
    ("late October", "2019-03-01", "2018-10-21", "2018-10-31", "day"),
    ("October", "2019-07-02", "2019-10-01", "2019-10-31", "month"),
    ("on September 15", "2021-09-20", "2021-09-15", "2021-09-15", "day"),
    ("September 15", "2021-01-10", "2020-09-15", "2020-09-15", "day"),
    ("sometime in September", "2019-07-02", "2019-09-01", "2019-09-30", "month"),
    ("the end of June", "2019-07-02", "2019-06-21", "2019-06-30", "day"),
    ("in late May", "2019-07-02", "2019-05-21", "2019-05-31", "day"),
    ("June 2019", None, "2019-06-01", "2019-06-30", "month"),
    ("In June 2019", None, "2019-06-01", "2019-06-30", "month"),
    ("October 23, 2019", None, "2019-10-23", "2019-10-23", "day"),
    ("On October 23, 2019", None, "2019-10-23", "2019-10-23", "day"),
    ("23 October 2019", None, "2019-10-23", "2019-10-23", "day"),
    ("the 17th of September 2021", None, "2021-09-17", "2021-09-17", "day"),
    ("Tuesday, June 15, 2021", None, "2021-06-15", "2021-06-15", "day"),
    ("2019-10-23", None, "2019-10-23", "2019-10-23", "day"),
    ("2021-09", None, "2021-09-01", "2021-09-30", "month"),
    ("2014", None, "2014-01-01", "2014-12-31", "year"),
    ("in 2013", None, "2013-01-01", "2013-12-31", "year"),
    ("early October 2019", None, "2019-10-01", "2019-10-10", "day"),
    ("mid-October 2019", None, "2019-10-11", "2019-10-20", "day"),
    ("late October 2019", None, "2019-10-21", "2019-10-31", "day"),
    ("late February 2021", None, "2021-02-21", "2021-02-28", "day"),
    ("early 2022", None, "2022-01-01", "2022-04-30", "month"),
    ("mid-2019", None, "2019-05-01", "2019-08-31", "month"),
    ("late 2022", None, "2022-09-01", "2022-12-31", "month"),
    ("by the end of the year 2022", None, OPEN, "2022-12-31", "year"),
    ("the first half of 2019", None, "2019-01-01", "2019-06-30", "month"),
    ("Q3 2019", None, "2019-07-01", "2019-09-30", "month"),
    ("summer 2019", None, "2019-06-01", "2019-08-31", "month"),
    ("the early 1960s", None, "1960-01-01", "1963-12-31", "year"),
    ("the late 1990s", None, "1997-01-01", "1999-12-31", "year"),
    ("the 1990s", None, "1990-01-01", "1999-12-31", "year"),
    ("the early twenty-first century", None, "2001-01-01", "2034-12-31", "year"),
    ("2013-2017", None, "2013-01-01", "2017-12-31", "year"),
    ("2013-17", None, "2013-01-01", "2017-12-31", "year"),
    ("2013 to 2021", None, "2013-01-01", "2021-12-31", "year"),
    ("2013/2021", None, "2013-01-01", "2021-12-31", "year"),
    ("between 2013 and 2017", None, "2013-01-01", "2017-12-31", "year"),
    ("between 2013-2017", None, "2013-01-01", "2017-12-31", "year"),
    ("from the 2000s to 2013", None, "2000-01-01", "2013-12-31", "year"),
    ("from June to August 2021", None, "2021-06-01", "2021-08-31", "month"),
    ("from November to February 2021", None, "2020-11-01", "2021-02-28", "month"),
    ("June 15-17, 2021", None, "2021-06-15", "2021-06-17", "day"),
    ("since 2013", None, "2013-01-01", OPEN, "year"),
    ("since August 2020", None, "2020-08-01", OPEN, "month"),
    ("in 2019 and 2020", None, "2019-01-01", "2020-12-31", "year"),
    ("June and July 2021", None, "2021-06-01", "2021-07-31", "month"),
    ("2013 and after", None, "2013-01-01", OPEN, "year"),
    # 'since' with no year looks back: the last occurrence begun by publication, never an upcoming one
    ("since March", "2021-09-17", "2021-03-01", OPEN, "month"),
    ("since October", "2021-09-17", "2020-10-01", OPEN, "month"),
    ("since September", "2021-09-17", "2021-09-01", OPEN, "month"),
    ("since 20 September", "2021-09-17", "2020-09-20", OPEN, "day"),
    ("since late October", "2021-09-17", "2020-10-21", OPEN, "day"),
    ("from 2013 onward", None, "2013-01-01", OPEN, "year"),
    ("starting in 2011", None, "2011-01-01", OPEN, "year"),
    ("until 2020", None, OPEN, "2020-12-31", "year"),
    ("before 2013", None, OPEN, "2012-12-31", "year"),
    ("after 2013", None, "2014-01-01", OPEN, "year"),
    ("17.09.2021", None, "2021-09-17", "2021-09-17", "day"),
    # relative to the publication date
    ("last week", "2019-07-02", "2019-06-23", "2019-07-01", "day"),
    ("last week", "2021-09", "2021-08-22", "2021-09-29", "day"),
    ("next week", "2019-07-02", "2019-07-03", "2019-07-14", "day"),
    ("last month", "2019-07-02", "2019-06-01", "2019-06-30", "month"),
    ("last month", "2021", "2020-12-01", "2021-11-30", "month"),
    ("next month", "2019-07-02", "2019-08-01", "2019-08-31", "month"),
    ("last year", "2019-07-02", "2018-01-01", "2018-12-31", "year"),
    ("last May", "2021-09", "2021-05-01", "2021-05-31", "month"),
    ("last May", "2021-05-20", "2020-05-01", "2020-05-31", "month"),
    ("this September", "2021-09-17", "2021-09-01", "2021-09-30", "month"),
    ("this September", "2021-03-01", "2021-09-01", "2021-09-30", "month"),
    ("two years ago", "2019-07-02", "2017-01-01", "2017-12-31", "year"),
    ("two years ago", "2019", "2017-01-01", "2017-12-31", "year"),
    ("six years ago", "2021", "2015-01-01", "2015-12-31", "year"),
    ("a decade ago", "2019-07-02", "2008-01-01", "2010-12-31", "year"),
    ("three weeks ago", "2019-07-02", "2019-06-05", "2019-06-17", "day"),
    ("in recent years", "2021-11-17", "2016-01-01", "2021-11-17", "day"),
    ("recently", "2021-09-17", "2020-09-17", "2021-09-17", "day"),
    ("over the past two years", "2019-07-02", "2017-07-02", "2019-07-02", "day"),
    ("late last year", "2021-11-17", "2020-09-01", "2020-12-31", "month"),
    ("yesterday", "2019-07-02", "2019-07-01", "2019-07-01", "day"),
    ("today", "2019-07-02", "2019-07-02", "2019-07-02", "day"),
    ("on Monday", "2019-07-02", "2019-07-01", "2019-07-01", "day"),
    ("last Monday", "2019-07-01", "2019-06-24", "2019-06-24", "day"),
    ("since last year", "2019-07-02", "2018-01-01", OPEN, "year"),
    ("last January", "2021-09", "2021-01-01", "2021-01-31", "month"),
    ("last October", "2022", "2021-10-01", "2022-10-31", "month"),
    ("November 12", "2021-11-17", "2021-11-12", "2021-11-12", "day"),
    ("June", "2021-11-17", "2021-06-01", "2021-06-30", "month"),
    # issue 13: real reporting
    ("since late 2021", None, "2021-09-01", OPEN, "month"),  # in `when`, 'since' stays the open span
    ("in the coming days", "2021-09-13", "2021-09-13", "2021-09-27", "day"),
    ("in the coming weeks", "2021-09-13", "2021-09-13", "2021-11-08", "day"),
    ("over the weekend", "2021-09-13", "2021-09-11", "2021-09-12", "day"),  # a Monday: the weekend before
    ("over the weekend", "2021-09-17", "2021-09-11", "2021-09-19", "day"),  # a Friday: the coming one too
    ("over the weekend", "2021-09-18", "2021-09-18", "2021-09-19", "day"),  # a Saturday: this one
    # fiscal years end in the year named (US federal, UK, India, Australia), in any month: widened
    ("FY2020", None, "2019-02-01", "2020-12-31", "month"),
    ("FY20", None, "2019-02-01", "2020-12-31", "month"),
    ("fiscal 2020", None, "2019-02-01", "2020-12-31", "month"),
]


@pytest.mark.parametrize(
    "phrase, published, first, last, precision", WHEN, ids=[f"{w[0]}|{w[1]}" for w in WHEN]
)
def test_when_reads_as_a_reader_would(phrase, published, first, last, precision):
    context = ParseContext(published=parse_partial_date(published) if published else None)
    reading = parse_when(phrase, context)
    assert reading.warning is None, reading.warning
    expected = tuple(date.fromisoformat(d) if d else None for d in (first, last))
    assert (reading.interval.low, reading.interval.high) == expected, reading.notes
    assert reading.precision == precision


def test_at_least_thirty_date_phrases():
    assert len(WHEN) >= 30


def test_last_week_covers_the_previous_week_and_never_publication_day():
    published = date(2019, 7, 2)
    reading = parse_when("last week", ParseContext(published=parse_partial_date("2019-07-02")))
    assert date(2019, 6, 17) <= reading.interval.low <= date(2019, 6, 24)
    assert date(2019, 6, 30) <= reading.interval.high < published


@pytest.mark.parametrize(
    "phrase, published, why",
    [
        ("last week", None, "publication date"),
        ("late October", None, "publication date"),
        ("February 30, 2021", None, "not a real date"),
        ("2021-02-30", None, "not a real date"),
        ("43", None, "not a date"),
        ("Bamako", None, "not a date"),
        ("2017-2013", None, "before it starts"),
        ("Christmas Eve", "2021-12-30", "not a date"),  # no holidays in the grammar: unread, with a warning
    ],
)
def test_unreadable_times_warn_naming_the_phrase(phrase, published, why):
    context = ParseContext(published=parse_partial_date(published) if published else None)
    reading = parse_when(phrase, context)
    assert not reading.parsed
    assert repr(phrase) in reading.warning and why in reading.warning


def test_imprecise_publication_widens_relative_readings():
    """An article known only to the month: "last week" may be any week before any of its days."""
    exact = parse_when("last week", ParseContext(published=parse_partial_date("2021-09-17")))
    wide = parse_when("last week", ParseContext(published=parse_partial_date("2021-09")))
    assert wide.interval.low < exact.interval.low and exact.interval.high < wide.interval.high
    assert any("known only to the month" in note for note in wide.notes)
