"""Comparability rules: scales, tolerance, and money of one or two currencies put on one footing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.comparability import Money, ReadingView, attribute_rules, money_frame, on_scale, parse_tolerance
from ledger.core.conflicts import Comparable, find_pairs, values_overlap
from ledger.core.errors import InvalidTolerance
from ledger.core.money import rate_span
from ledger.core.wording import label, rate_words


def view(kind="quantity", low=None, high=None, *, currency=None, period=None, converted=True, unit=None,
         low_date=None, high_date=None):
    return ReadingView(kind, low, high, False, False, low_date, high_date, unit, currency, period,
                       "EUR" if converted and currency else None, None, None)


def amount(claim_id, currency, low, high, first, last=None, *, source=None):
    money = Money(currency, low, high, first, last or first)
    return Comparable(claim_id=claim_id, identity=f"ref:{claim_id}", group=(1, 1), source=source or f"s{claim_id}",
                      origin=f"s{claim_id}", scale="money per year", low=low, high=high, label=str(claim_id),
                      money=money)


def test_rules_default_by_kind():
    assert attribute_rules("date", None, None) == attribute_rules("date", True, True)
    assert attribute_rules("money", None, None).timeless is False
    assert attribute_rules("money", None, None, "").tolerance is None


@pytest.mark.parametrize("text, kind, stored", [
    ("5%", "quantity", "5%"), ("2.5 %", "money", "2.5%"), ("0%", "quantity", None),
    ("3d", "date", "3d"), ("3 days", "date", "3d"), ("10min", "time", "10min"),
])
def test_tolerance_read_per_kind(text, kind, stored):
    assert parse_tolerance(text, kind) == stored


@pytest.mark.parametrize("text, kind, message", [
    ("5%", "date", "takes a number of days"), ("3d", "quantity", "takes a percentage"),
    ("5%", "text", "takes no tolerance"), ("150%", "money", "under 100%"), ("lots", "quantity", "percentage"),
])
def test_bad_tolerance_names_value_and_what_fits(text, kind, message):
    with pytest.raises(InvalidTolerance, match=message):
        parse_tolerance(text, kind)


def test_tolerance_widens_each_bound_by_its_share():
    assert on_scale(view(low=5000.0, high=5000.0), "5%") == ("count", 4750.0, 5250.0)
    assert on_scale(view(low=5100.0, high=5100.0)) == ("count", 5100.0, 5100.0)
    day = date(2021, 9, 13)
    assert on_scale(view("date", low_date=day, high_date=day), "3d") == ("date", day.toordinal() - 3, day.toordinal() + 4)


def test_money_stays_in_its_currency_per_year():
    scale, low, high = on_scale(view("money", 10_750_000.0, 10_850_000.0, currency="USD", period="month"))
    assert (scale, low, high) == ("money per year", 129_000_000.0, 130_200_000.0)
    assert on_scale(view("money", 5.0, 5.0, currency="XYZ", converted=False))[0] == "one-off XYZ, not converted"


def test_money_label_in_its_own_currency_and_period():
    reading = view("money", 10_750_000.0, 10_850_000.0, currency="USD", period="month")
    assert label(reading, "$10.8 million a month") == "$10,750,000 to $10,850,000 a month ($10.8 million a month)"


def test_one_currency_is_never_converted():
    frame = money_frame([Money("USD", 1.0, 1.0, date(2001, 1, 1)), Money("USD", 2.0, 2.0, date(2021, 1, 1))])
    assert frame.currency == "USD" and not frame.converts


def test_two_currencies_use_the_widest_span_of_rates_over_both_dates():
    first, last = date(2021, 9, 13), date(2021, 11, 17)
    frame = money_frame([Money("EUR", 1.0, 1.0, first, first), Money("USD", 1.0, 1.0, last, last)])
    low, high, _, _ = rate_span("USD", "EUR", first, last)
    assert frame.currency == "EUR" and frame.rates["USD"] == (low, high) and low < high
    words = rate_words(frame, "USD")
    assert words.startswith("at any EUR/USD rate between 2021-09-13 and 2021-11-17 (1.1")


def test_the_same_dollars_on_two_dates_do_not_conflict():
    """Reuters (2021-09-13) and Global Research (2021-11-17) both say $10.8 million a month."""
    reuters = amount(1, "USD", 129.0e6, 130.2e6, date(2021, 9, 13))
    global_research = amount(2, "USD", 129.0e6, 130.2e6, date(2021, 11, 17))
    assert list(find_pairs([reuters, global_research])) == []


def test_dollars_are_compared_in_dollars():
    """$10.7 million vs $10.8 million a month: the rounded ranges touch in dollars, whatever EUR/USD did."""
    lower = amount(1, "USD", 127.8e6, 129.0e6, date(2021, 10, 1))
    higher = amount(2, "USD", 129.0e6, 130.2e6, date(2021, 11, 17))
    apart = amount(3, "USD", 140.0e6, 140.0e6, date(2021, 11, 17))
    assert [(p.a.claim_id, p.b.claim_id) for p in find_pairs([lower, higher, apart])] == [(1, 3), (2, 3)]


def test_across_currencies_a_conflict_names_the_pair_and_rate_span():
    euros = amount(1, "EUR", 100.0, 100.0, date(2021, 9, 13))
    dollars = amount(2, "USD", 200.0, 200.0, date(2021, 11, 17))
    [pair] = find_pairs([euros, dollars])
    assert "apart at any EUR/USD rate between 2021-09-13 and 2021-11-17 (" in pair.reason


def test_across_currencies_any_rate_of_the_span_reconciles():
    """€100 on one day and its dollar value on another: the rate moved, the amounts agree."""
    first, last = date(2021, 9, 13), date(2021, 11, 17)
    low, high, _, _ = rate_span("EUR", "USD", first, first)
    euros = amount(1, "EUR", 100.0, 100.0, first)
    dollars = amount(2, "USD", 100.0 * low, 100.0 * low, last)
    assert values_overlap(euros, dollars) and list(find_pairs([euros, dollars])) == []


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2023, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=1, max_value=1e12), days, days, st.integers(0, 400), st.integers(0, 400),
       st.sampled_from(["USD", "GBP", "XOF", "JPY", "EUR"]), st.sampled_from(["USD", "EUR", "CHF"]))
def test_a_conversion_never_makes_equal_amounts_of_one_currency_conflict(value, day_a, day_b, span_a, span_b,
                                                                         currency, third):
    """Equal amounts in one currency, on any dates, beside any claim in another currency: never a pair between them."""
    a = amount(1, currency, value, value, day_a, day_a + timedelta(days=span_a))
    b = amount(2, currency, value, value, day_b, day_b + timedelta(days=span_b))
    other = amount(3, third, value * 3, value * 3, day_b)
    assert values_overlap(a, b)
    assert not [p for p in find_pairs([a, b, other]) if {p.a.claim_id, p.b.claim_id} == {1, 2}]


@pytest.mark.parametrize("kind", ["quantity", "money", "date", "time", "text", "identifier"])
def test_a_bare_zero_clears_a_tolerance_of_any_kind(kind):
    assert parse_tolerance("0", kind) is None and parse_tolerance(" 0.0 ", kind) is None


def counted(claim_id, low, high, tolerance):
    scale, low, high = on_scale(view(low=low, high=high), tolerance)
    return Comparable(claim_id=claim_id, identity=f"ref:{claim_id}", group=(1, 1), source=f"s{claim_id}",
                      origin=f"s{claim_id}", scale=scale, low=low, high=high, label=str(claim_id))


figures = st.lists(st.tuples(st.integers(-10**6, 10**6), st.integers(0, 10**4)), min_size=2, max_size=6)
shares = st.decimals(min_value=0, max_value=99, places=1)


@settings(max_examples=80, deadline=None)
@given(figures, shares, shares)
def test_a_wider_tolerance_never_adds_a_flag_nor_raises_a_severity(stated, first, second):
    """Flags at a tolerance are a subset of those at any narrower one, each no more severe; zero is exact."""
    narrow, wide = sorted((first, second))

    def flagged(tolerance):
        claims = [counted(i, float(low), float(low + width), tolerance) for i, (low, width) in enumerate(stated)]
        return {(p.a.claim_id, p.b.claim_id) if p.a.claim_id < p.b.claim_id else (p.b.claim_id, p.a.claim_id): p.severity
                for p in find_pairs(claims)}

    exact, at_narrow, at_wide = flagged(None), flagged(parse_tolerance(f"{narrow}%", "quantity")), flagged(f"{wide}%")
    assert flagged(parse_tolerance("0%", "quantity")) == exact
    assert set(at_wide) <= set(at_narrow) <= set(exact)
    assert all(at_wide[pair] <= at_narrow[pair] + 1e-12 for pair in at_wide)
