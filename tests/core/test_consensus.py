"""Consensus on small hand-built cases: independent support, copying, reliability, offsets; clusters."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.clusters import Member, cluster_codes, cluster_numbers
from ledger.core.consensus import Estimates, Item, Options, Statement, decide, decide_with

# Small data need small evidence thresholds; the defaults are for real data sets.
SMALL = Options(copy_min_items=5, copy_min_errors=5, offset_min_items=5)
_ids = itertools.count(1)


def item(key: str, *stated: tuple[str, object], attribute: str = "gate") -> Item:
    """An identifier item: (source, code) pairs; each source prints in its own format, copies ("c…") in one."""
    return Item((key,), attribute, "identifier", [Statement(next(_ids), s, v, phrase=_printed(s, v)) for s, v in stated])


def _printed(source: str, value) -> str:
    return f"Gate {value}" if source.startswith("c") else f"{source}: {value}"


def timed(key: str, *stated: tuple[str, float], attribute: str = "departure") -> Item:
    """A time item: (source, minute) pairs, each compatible within ±2.5 minutes."""
    return Item((key,), attribute, "minutes", [Statement(next(_ids), s, v, v - 2.5, v + 2.5) for s, v in stated])


def decided(result) -> dict:
    return {d.key[0]: d.value for d in result.decisions}


def test_support_counts_each_source_once_per_item():
    """A source repeating itself is one origin: two sources saying B beat one saying A three times.

    Confidence: B's two origins of the three, plus one counted for the values no one stated.
    """
    result = decide([item("x", ("a", "A"), ("a", "A"), ("a", "A"), ("b", "B"), ("c", "B"))])
    decision = result.decisions[0]
    assert decision.value == "B"
    assert decision.confidence == pytest.approx(2 / 4)
    assert [(c.value, c.origins, len(c.claim_ids)) for c in decision.candidates] == [("B", 2, 2), ("A", 1, 3)]


def test_support_breaks_ties_by_compatible_support():
    """One origin each for C44, D44 and a bare 44: the bare code fits C44 only, so C44 wins."""
    result = decide([item("x", ("a", "C44"), ("b", "D4"), ("c", "44"))])
    assert result.decisions[0].value in ("C44", "44")
    assert result.decisions[0].candidates[0].compatible_with  # C44 and 44 back each other


def copying_world() -> list[Item]:
    """Four sites that print one feed (the same phrase, always) against reliable, independent ones.

    Calibration items: r1, r2 and an independent i1 agree; the block states a
    wrong value of its own. Test items: only r1 speaks against the block.
    """
    block = ("c1", "c2", "c3", "c4")
    items = []
    for n in range(12):
        truth, wrong = f"T{n}", f"W{n}"
        items.append(item(f"cal{n}", ("r1", truth), ("r2", truth), ("i1", truth), *((c, wrong) for c in block)))
    for n in range(6):
        items.append(item(f"test{n}", ("r1", f"R{n}"), *((c, f"X{n}") for c in block)))
    return items


def test_a_copying_block_is_one_origin():
    result = decide(copying_world(), "reliability", SMALL)
    assert result.groups == [["c1", "c2", "c3", "c4"]]
    calibration = next(d for d in result.decisions if d.key == ("cal0",))
    block_candidate = next(c for c in calibration.candidates if c.value == "W0")
    assert block_candidate.origins == 1 and len(block_candidate.sources) == 4
    assert result.sources["c1"].group == ["c1", "c2", "c3", "c4"]


def test_a_reliable_minority_beats_an_unreliable_copied_majority():
    items = copying_world()
    support = decided(decide(items, "support", SMALL))
    reliability = decide(items, "reliability", SMALL)
    chosen = decided(reliability)
    assert support["cal0"] == "W0"  # four copies outvote three independent sources
    assert support["test0"] == "X0"
    assert chosen["cal0"] == "T0"  # the block is one origin
    assert all(chosen[f"test{n}"] == f"R{n}" for n in range(6))  # r1 has earned its weight
    assert reliability.sources["r1"].reliability > 0.75 > 0.25 > reliability.sources["c1"].reliability
    assert reliability.decisions[-1].confidence > 0.5


def test_shared_mistakes_link_copies_that_print_differently():
    """Copies in different formats still share their wrong values."""
    items = []
    for n in range(10):
        items.append(item(f"i{n}", ("a", f"T{n}"), ("b", f"T{n}"), ("d", f"T{n}"), ("x", f"W{n}"), ("y", f"W{n}")))
    result = decide(items, "reliability", SMALL)
    assert ["x", "y"] in result.groups
    pair = next(d for d in result.dependences if {d.a, d.b} == {"x", "y"})
    assert pair.same_phrases == 0 and pair.share == 1.0


def test_independent_sources_that_agree_are_not_copies():
    items = [item(f"i{n}", ("a", f"T{n}"), ("b", f"T{n}"), ("c", f"T{n}"), ("d", f"W{n}")) for n in range(10)]
    assert decide(items, "reliability", SMALL).groups == []


def test_systematic_offset_is_measured_and_shown():
    """A site giving take-off instead of gate departure is 15 minutes late every time."""
    items = [timed(f"f{n}", ("a", 600 + n), ("b", 600 + n), ("c", 600 + n), ("late", 615 + n)) for n in range(8)]
    result = decide(items, "reliability", SMALL)
    assert result.sources["late"].offsets == {"departure": 15.0}
    assert result.sources["a"].offsets == {}
    assert all(d.value == 600 + n for n, d in enumerate(result.decisions))


def test_reliability_is_per_attribute():
    """A source right on gates and wrong on departures is trusted on gates only."""
    items = []
    for n in range(40):
        items.append(item(f"g{n}", ("a", f"G{n}"), ("b", f"G{n}"), ("s", f"G{n}")))
        items.append(timed(f"d{n}", ("a", 100.0 * n), ("b", 100.0 * n), ("s", 100.0 * n + 40)))
    report = decide(items, "reliability", SMALL).sources["s"]
    assert report.by_attribute["gate"] > 0.8 > 0.2 > report.by_attribute["departure"]


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method 'vote'"):
        decide([], "vote")


def test_clusters_sweep_intervals_into_mutually_compatible_groups():
    """Times within five minutes of every other member share a cluster; a chain does not."""
    members = [Member(i, f"s{i}", f"s{i}", t - 2.5, t + 2.5) for i, t in enumerate([600, 603, 605, 609, 640])]
    found = cluster_numbers(members)
    assert [[m.claim_id for m in c.members] for c in found] == [[0, 1, 2], [3], [4]]
    assert (found[0].low, found[0].high) == (602.5, 602.5)  # the point all three share
    assert found[0].support == 3 and found[0].origins == 3


def test_touching_ranges_share_a_cluster_only_when_both_ends_are_closed():
    """[0.9M, 1M) and (1M, ∞) only touch, as the conflict engine says; [1, 2] and [2, 3] share 2."""
    nearly, more = Member(1, "a", "a", 900_000, 1_000_000, high_open=True), Member(2, "b", "b", 1_000_000, None, low_open=True)
    assert len(cluster_numbers([nearly, more])) == 2
    at_most, at_least = Member(3, "c", "c", 900_000, 1_000_000), Member(4, "d", "d", 1_000_000, None)
    assert len(cluster_numbers([at_most, at_least])) == 1
    assert len(cluster_numbers([nearly, at_least])) == 2 and len(cluster_numbers([at_most, more])) == 2
    assert len(cluster_numbers([Member(5, "e", "e", 1, 2), Member(6, "f", "f", 2, 3)])) == 1


def test_clusters_count_one_upstream_once():
    members = [Member(1, "a", "reuters", 1, 1), Member(2, "b", "reuters", 1, 1), Member(3, "c", "c", 1, 1)]
    assert cluster_numbers(members)[0].origins == 2


def test_a_bare_gate_joins_the_one_full_code_it_fits():
    members = [Member(1, "a", "a", text="C44"), Member(2, "b", "b", text="44"), Member(3, "c", "c", text="B7")]
    assert [(c.text, c.support) for c in cluster_codes(members)] == [("C44", 2), ("B7", 1)]
    members.append(Member(4, "d", "d", text="D44"))
    assert sorted((c.text, c.support) for c in cluster_codes(members)) == [("44", 1), ("B7", 1), ("C44", 1), ("D44", 1)]


# -- kept estimates ------------------------------------------------------------------


def random_world(seed: int) -> list[Item]:
    """Gates and departure times from sources of mixed accuracy, a copying block and a late (offset) site."""
    rng = random.Random(seed)
    accuracy = {f"s{k}": rng.uniform(0.3, 0.95) for k in range(rng.randint(3, 6))}
    items = []
    for n in range(rng.randint(15, 40)):
        truth = rng.randint(0, 3)
        copied = f"G{n}-{rng.randint(0, 3)}"
        gates = [(s, f"G{n}-{truth if rng.random() < a else rng.randint(0, 3)}") for s, a in accuracy.items()]
        items.append(item(f"g{n}", *gates, ("c1", copied), ("c2", copied)))
        minute = 600.0 + 10 * n
        times = [(s, minute if rng.random() < a else minute + rng.choice((-30, 7, 15))) for s, a in accuracy.items()]
        items.append(timed(f"d{n}", *times, ("late", minute + 15)))
    return items


def _outcome(result) -> dict:
    return {d.key: (d.value, round(d.confidence, 12), [(c.value, c.origins) for c in d.candidates])
            for d in result.decisions}


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.floats(0, 1))
def test_kept_estimates_decide_any_items_as_the_whole_estimate_did(seed, share):
    """Estimates kept as plain data (JSON) decide every item, or any subset, exactly as ``decide`` did."""
    items = random_world(seed)
    full = decide(items, "reliability", SMALL)
    kept = Estimates.from_dict(json.loads(json.dumps(full.estimates.as_dict())))
    assert _outcome(decide_with(items, kept)) == _outcome(full)
    subset = [it for k, it in enumerate(items) if k < share * len(items)]
    expected = _outcome(full)
    assert _outcome(decide_with(subset, kept)) == {it.key: expected[it.key] for it in subset}
    assert decide_with(subset, kept).sources == full.sources


def test_the_random_world_has_copies_and_an_offset_to_keep():
    kept = decide(random_world(0), "reliability", SMALL).estimates
    assert kept.groups["c2"] == kept.groups["c1"] != kept.groups["s0"]
    assert kept.offsets == {"late": {"departure": 15.0}}


def test_kept_estimates_refuse_a_source_they_never_saw():
    kept = decide(random_world(1), "reliability", SMALL).estimates
    with pytest.raises(ValueError, match="'newcomer'"):
        decide_with([item("g0", ("s0", "A"), ("newcomer", "B"))], kept)


def test_support_keeps_no_estimates():
    assert decide(random_world(2), "support").estimates is None
