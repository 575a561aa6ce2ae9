"""The importer's stored readings, put together from cached pieces, equal a fresh ``reading_row(read_claim(...))``.

``ReadingTemplates`` keeps a value's stored columns per value reading, the days'
per time reading or publication date, a conversion's rates per (currency, days)
window and the notes per pair of notes: each a pure function of what it is kept
by. These tests draw claims from small pools (so pieces are met again, from
other sources and days) and compare every row with one read afresh.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.money import base_rates, to_base
from ledger.core.normalise import CachedParts, read_claim
from ledger.core.readings import Interval, PartialDate
from ledger.db.access import Ledger
from ledger.db.reading_rows import DERIVED_COLUMNS, PART_CACHE, ReadingTemplates
from ledger.db.store import Importer, reading_row

SYMBOLS = ["$", "€", "£", "¥", "US$", "CHF ", "NGN ", "XOF ", "ZAR ", "JPY ", "SEK ", ""]
NAMES = ["", " CFA francs", " euros", " dollars", " yuan", " rand", " naira", " riyals", " pounds"]
QUALIFIERS = ["", "about ", "more than ", "nearly ", "at least ", "up to ", "some ", "over "]
SCALES = ["", " million", " billion", "m", "bn", " thousand"]
PERIODS = ["", " a month", " per year", " a day"]
WHENS = [None, "2012", "1990", "2031", "mid-2019", "March 2021", "2019-07-02", "late 2020", "last May",
         "two years ago", "17.09.2021", "early 2016", "Q3 2018", "the winter of 2015", "2016-2018", "yesterday"]
OTHER_VALUES = [("quantity", "about 3,000"), ("quantity", "several thousand"), ("text", "Col. Assimi Goïta"),
                ("date", "late October"), (None, "mid-2019"), (None, "3,000"), ("date", "2019-05-04"),
                ("quantity", "up to 5.000 troops"), ("money", "5 million"), ("money", "a lot")]


@st.composite
def amounts(draw) -> str:
    figure = draw(st.one_of(
        st.integers(0, 10**7).map("{:,}".format),
        st.decimals(0, 10_000, places=2, allow_nan=False).map(str),
    ))
    if draw(st.booleans()):
        figure = f"between {figure} and {draw(st.integers(1, 10**7)):,}"
    symbol, name = draw(st.sampled_from(SYMBOLS)), draw(st.sampled_from(NAMES))
    return f"{draw(st.sampled_from(QUALIFIERS))}{symbol}{figure}{draw(st.sampled_from(SCALES))}{name}" \
           f"{draw(st.sampled_from(PERIODS))}"


published_dates = st.one_of(
    st.none(),
    st.builds(PartialDate, st.integers(1995, 2030)),
    st.builds(PartialDate, st.integers(1995, 2030), st.integers(1, 12)),
    st.dates(date(1995, 1, 1), date(2030, 12, 31)).map(lambda d: PartialDate(d.year, d.month, d.day)),
)
values = st.one_of(st.tuples(st.sampled_from(["money", None]), amounts()), st.sampled_from(OTHER_VALUES))
claims = st.tuples(values, st.sampled_from(WHENS), published_dates, st.sampled_from(["en", "fr", "de"]))


@pytest.fixture(scope="module")
def importer(tmp_path_factory, template_db):
    from tests.conftest import copy_ledger_file

    ledger = Ledger(str(copy_ledger_file(template_db, tmp_path_factory.mktemp("readings") / "ledger.db")))
    with ledger.read() as session:
        yield Importer(session, "test")


def expected_row(importer, value, when, kind, published, language) -> tuple:
    reading = read_claim(value, when, kind, published, language)  # fresh parts, nothing cached
    row = reading_row(reading, None)
    stored = tuple(importer.claims.reading_inserts.value(name, row[name]) for name in DERIVED_COLUMNS)
    return stored, tuple(reading.field_warnings)


@settings(max_examples=150, deadline=None)
@given(st.lists(claims, min_size=1, max_size=12), st.lists(st.integers(0, 11), max_size=12))
def test_rows_from_cached_pieces_equal_fresh_readings(importer, pool, repeats):
    """Each claim of a pool, then some again (from the caches), in one importer and in a fresh cache."""
    fresh = ReadingTemplates(importer.claims.reading_inserts, CachedParts(PART_CACHE))
    shared = importer.claims.readings  # the module's: pieces met in earlier examples too
    for (kind, value), when, published, language in [*pool, *(pool[i % len(pool)] for i in repeats)]:
        expected = expected_row(importer, value, when, kind, published, language)
        for templates in (fresh, shared):
            assert templates.template(value, when, kind, published, language) == expected, (value, when, published)
            assert templates._template(value, when, kind, published, language) == expected  # past the whole-row cache


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(amounts(), published_dates), min_size=1, max_size=8))
def test_the_same_amount_from_sources_of_other_days_converts_at_each_day(importer, stated):
    """A conversion's window is kept per (currency, days); amounts met again on other days get those days' rates."""
    templates = ReadingTemplates(importer.claims.reading_inserts, CachedParts(PART_CACHE))
    for value, _ in stated:
        for _, published in stated:
            expected = expected_row(importer, value, None, "money", published, "en")
            assert templates.template(value, None, "money", published, "en") == expected, (value, published)


@given(st.decimals(-10**12, 10**12, places=4, allow_nan=False, allow_infinity=False),
       st.sampled_from(["USD", "XOF", "GBP", "JPY", "SAR", "EUR", "NGN", "CHF"]),
       st.dates(date(1990, 1, 1), date(2031, 12, 31)), st.integers(0, 800), st.booleans())
def test_rates_of_a_window_convert_as_to_base(amount, currency, first, span, open_high):
    """``to_base`` is ``base_rates`` and ``Rates.convert``: the pieces the importer keeps apart."""
    days = Interval(first, date.fromordinal(min(first.toordinal() + span, date(2031, 12, 31).toordinal())))
    interval = Interval(amount, None if open_high else amount + Decimal("0.5"), high_open=open_high)
    conversion, rates = to_base(interval, currency, days), base_rates(currency, days)
    assert (conversion is None) == (rates is None)
    if rates is not None:
        assert (conversion.low, conversion.high) == rates.convert(interval)
        assert (conversion.rate_low, conversion.rate_high, conversion.rate_from, conversion.rate_to) == (
            rates.shown_low, rates.shown_high, rates.first, rates.last)
