"""Times of day and identifiers (gates): real cells of the Flight data set and what they mean."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.core import times
from ledger.core.identifiers import compatible, parse_identifier
from ledger.core.readings import ParseContext, PartialDate
from ledger.core.times import format_minutes, minutes_of, parse_time_value
from ledger.core.values import parse_value

CRAWL_DAY = ParseContext(published=PartialDate(2011, 12, 1))


@pytest.mark.parametrize(
    "phrase, moment, qualifier",
    [
        ("2:57 PMDec 01", "2011-12-01 14:57", "exact"),  # flightview and its copies
        ("Dec 01 - 3:02pm", "2011-12-01 15:02", "exact"),  # travelocity
        ("2011-12-01 02:57 PM", "2011-12-01 14:57", "exact"),  # flights
        ("12/4/11 9:35 PM (-05:00)", "2011-12-04 21:35", "exact"),  # airtravelcenter: zone noted, not applied
        ("9:35pDec 4", "2011-12-04 21:35", "exact"),  # orbitz
        ("12:26 AM  Fri 02-Dec-2011 (Runway)", "2011-12-02 00:26", "exact"),
        ("Thu., Dec.01, 2011 1:55 p.m.", "2011-12-01 13:55", "exact"),  # CO
        ("December 8, 2011               01:55 PM    ", "2011-12-08 13:55", "exact"),  # aa
        ("2011-12-01 12:10PM CST", "2011-12-01 12:10", "exact"),  # flightaware
        ("11/30/11 5:11 PM (-08:00)", "2011-11-30 17:11", "exact"),  # the day before the crawl
        ("3:00P 12-01-11", "2011-12-01 15:00", "exact"),  # mia
        ("2011-12-01  2:57P", "2011-12-01 14:57", "exact"),
        ("2011-12-01 Thu  16:17", "2011-12-01 16:17", "exact"),  # mco: 24-hour clock
        ("2011-12-01 13:52 ", "2011-12-01 13:52", "exact"),  # iad
        ("Dec 01 - 12:00noon", "2011-12-01 12:00", "exact"),
        ("Dec 07 - 12:00midnight*", "2011-12-07 00:00", "estimated"),
        ("7:03 PM, Dec 01&nbsp(Estimated)", "2011-12-01 19:03", "estimated"),  # boston
        ("2011-12-01 10:02 PM (Estimated runway)", "2011-12-01 22:02", "estimated"),
        ("Sat, Dec 10 5:57 PM            On Time", "2011-12-10 17:57", "exact"),  # ua
        ("Jan 01 - 6:20am", "2012-01-01 06:20", "exact"),  # year-less: the year nearest the crawl day
        ("Tue, Jan 3 12:34 PM", "2012-01-03 12:34", "exact"),
        ("2011-12-02 12/1 6:00 AM", "2011-12-02 06:00", "exact"),  # ord: the date with a year wins
        ("12:01 AM", "2011-12-01 00:01", "exact"),  # no date: the crawl day
        ("ſep 3 2012 10:00 AM", "2012-09-03 10:00", "exact"),  # a long s matches "sep" folding case: read so
    ],
)
def test_times_of_day(phrase, moment, qualifier):
    reading = parse_value(phrase, "time", CRAWL_DAY)
    assert reading.kind == "time"
    assert reading.text == moment
    assert reading.qualifier == qualifier
    minute = minutes_of(datetime.strptime(moment, "%Y-%m-%d %H:%M"))
    assert reading.interval.low == minute - Decimal("2.5")  # ±tolerance/2: five minutes apart still overlap
    assert reading.interval.high == minute + Decimal("2.5")


@pytest.mark.parametrize(
    "phrase, why",
    [
        ("Dec 01 - Contact Airline", "not available"),
        ("Not Available", "not available"),
        ("2011-12-01 Cancelled", "cancelled"),
        ("Dec 01 - Canceled", "cancelled"),
        ("December 10, 2011     ", "a date without a time of day"),
        ("Dec 05 - Possible delay pending airline decision.", "pending"),
        ("Mon, Jan 2 Pending will update at9:21 PM", "pending"),
        ("2011-12-04 result unknown (?) (track log &amp; graph)", "not available"),
        ("25:10", "not a clock time"),
        ("13:10 PM", "not a 12-hour clock time"),
        ("", "empty"),
    ],
)
def test_cells_that_state_no_time_are_unparsed_with_the_reason(phrase, why):
    reading = parse_value(phrase, "time", CRAWL_DAY)
    assert reading.kind == "unparsed"
    assert why in reading.warning
    assert reading.interval is None


def test_a_yearless_date_needs_a_day_precise_publication_date():
    reading = parse_time_value("2:57 PMDec 01", ParseContext(published=PartialDate(2011, 12)))
    assert reading.kind == "unparsed"
    assert "no year" in reading.warning
    assert parse_time_value("2011-12-01 02:57 PM", ParseContext()).text == "2011-12-01 14:57"


def test_tolerance_can_be_overridden_to_compare_to_the_minute():
    context = ParseContext(published=PartialDate(2011, 12, 1), tolerances={"time_minutes": 0})
    reading = parse_value("2:57 PMDec 01", "time", context)
    assert reading.interval.low == reading.interval.high == minutes_of(datetime(2011, 12, 1, 14, 57))


def test_times_are_never_guessed_without_the_kind():
    assert parse_value("2:57 PMDec 01", None, CRAWL_DAY).kind != "time"


def test_format_minutes_round_trips():
    assert format_minutes(minutes_of(datetime(2012, 1, 3, 0, 5))) == "2012-01-03 00:05"


@pytest.mark.parametrize(
    "phrase, code",
    [
        ("Main Term - A26X", "A26X"),
        ("A26", "A26"),
        (" C44 ", "C44"),
        ("44", "44"),
        (" A09    ", "A9"),  # aa pads and zero-fills
        ("004", "4"),
        ("C-16", "C16"),
        ("-06-", "6"),
        ("-A53", "A53"),
        ("Terminal 2 - 56A", "56A"),
        ("Term A - A26", "A26"),
        ("Main Term - 3rd Lvl - 15", "15"),
        ("G10/T3", "G10"),  # travelocity: gate/terminal
        ("44B/T4", "44B"),
        ("1/8", "1"),
        ("B2-51", "51"),
        ("71A1", "71A1"),
        ("INTL", "INTL"),
    ],
)
def test_gates(phrase, code):
    reading = parse_value(phrase, "identifier")
    assert reading.kind == "identifier"
    assert reading.text == code


@pytest.mark.parametrize(
    "phrase, why",
    [
        ("Not provided by airline", "placeholder"),
        ("Contact Airline", "placeholder"),
        ("TBA", "placeholder"),
        ("HOLD", "placeholder"),
        ("--", "placeholder"),
        ("Term 2 - HOLD", "placeholder"),
        ("Terminal 1", "terminal, not a gate"),
        ("Main Term", "terminal, not a gate"),
        ("\u00a0", "empty"),  # den's raw no-break space
    ],
)
def test_cells_that_state_no_gate_are_unparsed(phrase, why):
    reading = parse_identifier(phrase)
    assert reading.kind == "unparsed"
    assert why in reading.warning


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("44", "C44", True),  # a site dropped the concourse letter
        ("C44", "44", True),
        ("C44", "C44", True),
        ("C44", "D44", False),
        ("A26", "A26X", False),
        ("44", "44B", False),
        ("INTL", "INTL", True),
        ("INTL", "CT", False),
        (None, "C44", False),
    ],
)
def test_compatible_codes(a, b, expected):
    assert compatible(a, b) is expected


def _comparable(claim_id, source, scale, low=None, high=None, text=None):
    from ledger.core.conflicts import Comparable

    return Comparable(claim_id, f"id{claim_id}", (1, 1), source, source, scale, low, high, text=text,
                      label=str(text or low))


def test_times_conflict_beyond_the_tolerance_with_severity_in_days():
    from ledger.core.conflicts import find_pairs

    claims = [_comparable(1, "a", "minutes", 597.5, 602.5), _comparable(2, "b", "minutes", 602.5, 607.5),
              _comparable(3, "c", "minutes", 612.5, 617.5)]
    pairs = list(find_pairs(claims))
    assert [(p.a.claim_id, p.b.claim_id) for p in pairs] == [(1, 3), (2, 3)]  # 5 minutes apart: the same event
    assert pairs[0].severity == pytest.approx(10 / 1440)
    assert pairs[0].reason.endswith("15 minutes apart")


def test_gates_missing_their_letter_do_not_conflict():
    from ledger.core.conflicts import find_pairs

    claims = [_comparable(1, "a", "identifier", text="C44"), _comparable(2, "b", "identifier", text="44"),
              _comparable(3, "c", "identifier", text="D44")]
    assert [(p.a.claim_id, p.b.claim_id) for p in find_pairs(claims)] == [(1, 3)]


DATE_FORMS = ["", "2011-12-01", "12/01/2011", "12/1/11", "12-01-11", "01-Dec-2011", "Dec 01", "Dec.01, 2011",
              "December 8, 2011", "12/1", "Jan 01", "Feb 30", "2011-12-02 12/1", "Thu, Dec 1", "Fri 02-Dec-2011"]
BESIDES = ["", "(Estimated)", "(Runway)", "On Time", "Delayed", "*", "EST", "(-05:00)", "&nbsp(Estimated)",
           "Extra Stop", "gate", "CST", "(Estimated runway)"]


@given(
    st.lists(st.tuples(
        st.sampled_from(DATE_FORMS), st.integers(0, 25), st.integers(0, 61),
        st.sampled_from(["", " PM", " AM", "pm", "p", "A", " a.m.", "noon", "midnight"]),
        st.sampled_from(BESIDES), st.booleans(),
    ), min_size=1, max_size=10),
    st.sampled_from([None, PartialDate(2011, 12, 1), PartialDate(2011, 12, 31), PartialDate(2012, 1), PartialDate(2011)]),
)
def test_what_is_beside_the_clock_is_read_the_same_from_its_cache(stated, published):
    """``_beside_the_clock`` (dates, statuses, zones) is cached by the rest of the phrase and the reference day:
    phrases sharing a rest with other clock times read as they do with nothing cached."""
    context = ParseContext(published=published)
    phrases = []
    for date_form, hour, minute, marker, beside, date_first in stated:
        clock = f"{hour}:{minute:02d}{marker}"
        phrases.append(" ".join(filter(None, [date_form, clock, beside] if date_first else [clock, date_form, beside])))
    cached = [parse_time_value(phrase, context) for phrase in phrases * 2]
    with patch.object(times, "_beside_the_clock", times._beside_the_clock.__wrapped__):
        fresh = [parse_time_value(phrase, context) for phrase in phrases * 2]
    assert cached == fresh
