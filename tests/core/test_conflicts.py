"""The pure conflict rules on hand-built claims: overlap, touching ends, severity, sources, time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.comparability import Money, money_frame
from ledger.core.conflicts import (
    Comparable, GroupSupport, _swept_each, conflict_id, find_pairs, footing, severity, support, times_overlap,
    values_overlap,
)


def claim(claim_id, low, high, *, source=None, low_open=False, high_open=False, days=(0, 10),
          scale="count", group=(1, 1), text=None, origin=None, single_valued=True):
    return Comparable(
        claim_id=claim_id, identity=f"ref:{claim_id}", group=group, source=source or f"s{claim_id}",
        origin=origin or f"s{claim_id}", scale=scale, low=low, high=high, low_open=low_open,
        high_open=high_open, days=days, text=text, label=str(claim_id), single_valued=single_valued,
    )


def pairs(*claims):
    return [(p.a.claim_id, p.b.claim_id, p.nature) for p in find_pairs(sorted(claims, key=lambda c: c.group))]


def test_overlapping_values_do_not_conflict():
    assert pairs(claim(1, 3000, 9999), claim(2, 5100, 5100)) == []


def test_disjoint_values_conflict():
    assert pairs(claim(1, 100, 100), claim(2, 200, 200)) == [(1, 2, "conflict")]


def test_touching_open_ends_conflict_with_severity_zero():
    nearly = claim(1, 900_000, 1_000_000, high_open=True)
    more_than = claim(2, 1_000_000, None, low_open=True)
    [pair] = find_pairs([nearly, more_than])
    assert pair.severity == 0 and "only touch" in pair.reason


def test_touching_closed_ends_overlap():
    assert pairs(claim(1, 10, 20), claim(2, 20, 30)) == []


def test_same_source_never_conflicts():
    assert pairs(claim(1, 1, 1, source="x"), claim(2, 5, 5, source="x")) == []


def test_times_that_do_not_overlap_are_not_compared():
    assert pairs(claim(1, 100, 100, days=(0, 365)), claim(2, 900, 900, days=(365, 730))) == []


def test_timeless_claims_are_always_compared():
    assert pairs(claim(1, 100, 100, days=None), claim(2, 900, 900, days=(365, 730))) == [(1, 2, "conflict")]


def test_different_groups_are_never_compared():
    assert pairs(claim(1, 1, 1, group=(1, 1)), claim(2, 9, 9, group=(2, 1))) == []


def test_different_scales_are_incomparable_not_conflicting():
    monthly = claim(1, 100, 100, scale="EUR per year")
    one_off = claim(2, 9, 9, scale="one-off EUR")
    assert pairs(monthly, one_off) == [(2, 1, "incomparable")] or pairs(monthly, one_off) == [(1, 2, "incomparable")]


def test_text_values_conflict_only_when_single_valued():
    a = claim(1, None, None, scale="text", text="bamako")
    b = claim(2, None, None, scale="text", text="gao")
    assert pairs(a, b) == [(1, 2, "conflict")]
    multi = [claim(i, None, None, scale="text", text=t, single_valued=False) for i, t in ((1, "a"), (2, "b"))]
    assert pairs(*multi) == []


def test_factor_of_two_ranks_far_above_a_tiny_gap():
    big = severity(claim(1, 100, 100), claim(2, 200, 200))
    tiny = severity(claim(1, 1000, 1000), claim(2, 1001, 1001))
    assert big == pytest.approx(0.5) and tiny == pytest.approx(0.001, rel=0.01)
    assert big > 100 * tiny


def test_conflict_id_is_stable_and_order_free():
    assert conflict_id("ref:a", "ref:b") == conflict_id("ref:b", "ref:a")
    assert conflict_id("ref:a", "ref:b") != conflict_id("ref:a", "ref:c")


def test_support_counts_independent_origins():
    fee = claim(1, 10, 10, origin="reuters")
    echo = claim(2, 10, 10, origin="reuters")
    other = claim(3, 9, 11, origin="afp")
    rival = claim(4, 50, 50)
    backing = support(fee, [fee, echo, other, rival])
    assert backing.claim_ids == [2, 3] and backing.origins == 2


bounds = st.integers(min_value=-1000, max_value=1000)


@given(bounds, bounds, bounds, bounds)
def test_sweep_finds_exactly_the_disjoint_pairs(a1, a2, b1, b2):
    """The sorted sweep agrees with checking every pair by hand."""
    a = claim(1, min(a1, a2), max(a1, a2))
    b = claim(2, min(b1, b2), max(b1, b2))
    disjoint = a.high < b.low or b.high < a.low
    assert bool(pairs(a, b)) == disjoint


bound = st.one_of(st.none(), st.integers(min_value=0, max_value=6))
interval = st.tuples(bound, bound, st.booleans(), st.booleans(), st.integers(0, 2), st.sampled_from([(0, 10), (20, 30)]))


@given(st.lists(interval, max_size=12))
def test_sweep_visits_only_candidates_yet_finds_what_comparing_every_pair_finds(specs):
    """Same pairs, reasons and order as the exhaustive sweep (repeated values, open ends, unbounded, malformed)."""
    group = [
        claim(i, low, high, low_open=low_open, high_open=high_open, source=f"s{source}", days=days)
        for i, (low, high, low_open, high_open, source, days) in enumerate(specs, start=1)
    ]
    expected = [
        (lower.claim_id, upper.claim_id)
        for i, lower in enumerate(group)
        for upper in group[i + 1 :]
        if lower.source != upper.source and not values_overlap(lower, upper) and times_overlap(lower, upper)
    ]
    ordered = sorted(group, key=lambda c: (float("-inf") if c.low is None else c.low, c.claim_id))
    lows = [float("-inf") if c.low is None else c.low for c in ordered]
    found = [(p.a.claim_id, p.b.claim_id, p.reason, p.severity) for p in find_pairs(group)]
    assert found == [(p.a.claim_id, p.b.claim_id, p.reason, p.severity) for p in _swept_each(ordered, lows)]
    met = [tuple(sorted(p[:2])) for p in found]
    assert len(met) == len(set(met))  # never twice: a pair's id is the conflicts table's key
    if all(low is None or high is None or low <= high for low, high, *_ in specs):
        assert sorted(met) == sorted(tuple(sorted(p)) for p in expected)


@given(st.lists(st.tuples(interval, st.sampled_from(["count", "percent"]), st.integers(0, 3)), max_size=10))
def test_group_support_is_support_of_each_claim(specs):
    """Comparing each distinct value once gives every claim the backers and origins ``support`` gives it."""
    group = [
        claim(i, low, high, low_open=low_open, high_open=high_open, source=f"s{source}", days=days, scale=scale,
              origin=f"o{origin}")
        for i, ((low, high, low_open, high_open, source, days), scale, origin) in enumerate(specs, start=1)
    ]
    backing = GroupSupport(group)
    for member in group:
        assert backing.of(member) == support(member, group)


@given(st.lists(st.tuples(interval, st.sampled_from(["count", "percent"])), min_size=1, max_size=3),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 3)), max_size=12))
def test_group_support_of_repeated_values_is_support_of_each_claim(values, stated):
    """Claims stating one of a few values (as most claims of bulk data do) get what ``support`` gives each."""
    group = [
        claim(i, low, high, low_open=low_open, high_open=high_open, source=f"s{source}", days=days, scale=scale,
              origin=f"o{origin}")
        for i, (pick, source, origin) in enumerate(stated, start=1)
        for (low, high, low_open, high_open, _, days), scale in [values[pick % len(values)]]
    ]
    backing = GroupSupport(group)
    for member in reversed(group):
        assert backing.of(member) == support(member, group)


day = st.one_of(st.none(), st.dates(min_value=date(1998, 6, 1), max_value=date(2024, 6, 1)))
amount = st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e9, allow_nan=False))


@settings(max_examples=150, deadline=None)  # the first example loads the rates
@given(st.sampled_from(["EUR", "USD", "GBP", "XOF", "SAR", "JPY"]), st.sampled_from(["EUR", "USD", "GBP", "XOF", "JPY"]),
       amount, amount, day, day, day, day)
def test_two_currencies_are_put_on_the_frame_of_both_amounts(currency, other, low, high, first, last, other_first,
                                                              other_last):
    """``footing`` caches frames by currencies and days; they are the frames of the two amounts themselves."""
    a = claim(1, low, high, scale="money")
    b = claim(2, high, low, scale="money")
    a_money, b_money = Money(currency, low, high, first, last), Money(other, high, low, other_first, other_last)
    a, b = replace(a, money=a_money), replace(b, money=b_money)
    frame = money_frame((a_money, b_money)) if currency != other else None
    expected = (frame.amount(a_money), frame.amount(b_money), frame) if frame else ((low, high), (high, low), None)
    assert footing(a, b) == expected
