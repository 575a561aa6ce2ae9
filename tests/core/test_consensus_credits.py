"""A reliability update's credits are worked out with shortcuts (two candidates: no lists, exp(0) = 1);
they must be the very floats of the softmax written out in full, bit for bit."""

from __future__ import annotations

import math
from array import array
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.consensus import Item, Options, Statement, weights
from ledger.core.consensus.prepared import Origins, Prepared
from ledger.core.consensus.voting import Lending, cast_votes, contested_part
from ledger.core.consensus.weights import Evidence


def softmax_credits(evidence: Evidence, ballot) -> list[float]:
    """Every credit as the softmax of the scores with the origin's vote (and what it lends) taken off."""
    credits = [1.0]
    for index, attribute, credited in evidence.contested:
        total, lends = ballot.total[index], ballot.lends[index]
        for slot, groups in credited:
            for group in groups:
                weight = ballot.group_votes[group][attribute]
                adjusted = total.copy()
                adjusted[slot] -= weight
                for other, share in lends[slot]:
                    adjusted[other] -= share * weight
                top = max(adjusted)
                exps = [math.exp(t - top) for t in adjusted]
                credits.append(exps[slot] / sum(exps))
    return credits


@contextmanager
def sums_in_c_from(credits: int):
    """``Evidence.sums`` adding in C from ``credits`` credits on (a plain context, as ``without_numpy``)."""
    kept, weights.SUMS_IN_C_FROM = weights.SUMS_IN_C_FROM, credits
    try:
        yield
    finally:
        weights.SUMS_IN_C_FROM = kept


@contextmanager
def without_numpy():
    """``Evidence.sums`` as it runs without the ``fast`` extra (a plain context: hypothesis runs many examples)."""
    kept, weights.numpy_if_installed = weights.numpy_if_installed, lambda: None
    try:
        yield
    finally:
        weights.numpy_if_installed = kept


stated = st.lists(st.tuples(st.sampled_from("abcdefg"), st.integers(0, 4)), min_size=1, max_size=10)
votes = st.floats(min_value=0.0, max_value=6.0, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(st.lists(stated, min_size=1, max_size=10), st.lists(votes, min_size=14, max_size=14),
       st.sampled_from([0.0, 0.3]), st.sampled_from(["minutes", "identifier"]))
def test_credits_are_the_softmax_bit_for_bit(items, vote_list, similarity, scale):
    made = []
    for k, found in enumerate(items):
        statements = [Statement(n, source, (10.0 * value if scale == "minutes" else f"C{value}"),
                                *((10.0 * value - 6, 10.0 * value + 6) if scale == "minutes" else (None, None)))
                      for n, (source, value) in enumerate(found)]
        made.append(Item((k,), "gate" if k % 2 else "time", scale, statements))
    prepared = Prepared(made)
    options = Options(similarity=similarity)
    origins = Origins(prepared, list(range(len(prepared.sources))))
    group_votes = {source: [vote_list[2 * source], vote_list[2 * source + 1]] for source in range(len(prepared.sources))}
    ballot = cast_votes(prepared, origins, group_votes, options, Lending(prepared, options))
    evidence = Evidence(prepared, origins)
    assert [c.hex() for c in evidence.credits(ballot)] == [c.hex() for c in softmax_credits(evidence, ballot)]


@settings(max_examples=100, deadline=None)
@given(st.lists(stated, min_size=2, max_size=10), st.lists(votes, min_size=14, max_size=14), st.data())
def test_a_vote_cast_in_two_parts_is_the_whole_vote(items, vote_list, data):
    """What ``ledger.vote_cores`` relies on: each item's vote and credits are its own, and a source's sums are
    the same whichever credits list holds them, list or array."""
    made = [Item((k,), "gate" if k % 2 else "time", "minutes",
                 [Statement(n, source, 10.0 * value, 10.0 * value - 6, 10.0 * value + 6)
                  for n, (source, value) in enumerate(found)])
            for k, found in enumerate(items)]
    prepared = Prepared(made)
    options = Options()
    origins = Origins(prepared, list(range(len(prepared.sources))))
    group_votes = {source: [vote_list[2 * source], vote_list[2 * source + 1]] for source in range(len(prepared.sources))}
    lending = Lending(prepared, options)
    whole = cast_votes(prepared, origins, group_votes, options, lending)
    evidence = Evidence(prepared, origins)
    split = data.draw(st.integers(0, len(prepared.contested)))
    contested = len(prepared.contested)
    first = cast_votes(prepared, origins, group_votes, options, lending, part=contested_part(prepared, 0, split))
    second = cast_votes(prepared, origins, group_votes, options, lending,
                        part=contested_part(prepared, split, contested))
    for place, index in enumerate(prepared.contested):
        part = first if place < split else second
        assert (part.choice[index], part.raw[index], part.total[index]) == (
            whole.choice[index], whole.raw[index], whole.total[index])
    cut = evidence.entry_at(prepared.contested[split]) if split < contested else len(evidence.contested)
    credits = evidence.credits_between(first, 0, cut, array("d", [1.0]))
    credits = evidence.credits_between(second, cut, len(evidence.contested), credits)
    assert [c.hex() for c in credits] == [c.hex() for c in evidence.credits(whole)]
    sources = range(len(prepared.sources))
    some = data.draw(st.sets(st.sampled_from(list(sources))))
    full = evidence.sums(evidence.credits(whole), sources)
    assert [s for s in evidence.sums(credits, some) if s is not None] == [full[s] for s in sorted(some)]


@settings(max_examples=100, deadline=None)
@given(st.lists(stated, min_size=1, max_size=6), st.lists(votes, min_size=14, max_size=14), st.data())
def test_items_voted_alike_are_voted_as_if_each_alone(items, vote_list, data):
    """Items of one attribute and the same sources backing each value (``Lending.alike``) share the first one's
    scores and credits; their choices stay their own where a tie is broken by claim counts."""
    repeated = items + [found + data.draw(st.lists(st.sampled_from(found), max_size=3)) for found in items]
    made = [Item((k,), "gate", "identifier", [Statement(n, source, f"C{value}") for n, (source, value) in enumerate(found)])
            for k, found in enumerate(repeated)]
    prepared = Prepared(made)
    options = Options()
    origins = Origins(prepared, list(range(len(prepared.sources))))
    # equal votes often: ties between candidates, broken by each item's own claims
    group_votes = {source: [data.draw(st.sampled_from([1.0, vote_list[source]]))] for source in range(len(prepared.sources))}
    lending = Lending(prepared, options)
    assert all(lending.alike[index] >= 0 for index in prepared.contested if index >= len(items))  # every copy
    shared = cast_votes(prepared, origins, group_votes, options, lending)
    lending.alike = array("i", [-1]) * len(prepared.values)
    alone = cast_votes(prepared, origins, group_votes, options, lending)
    assert (shared.choice, shared.raw, shared.total) == (alone.choice, alone.raw, alone.total)
    evidence = Evidence(prepared, origins)
    assert [c.hex() for c in evidence.credits(shared)] == [c.hex() for c in softmax_credits(evidence, alone)]


# Credits whose sum depends on the order they are added in (1e16 + 1.0 is 1e16), as weights can be after many votes.
order_bound = st.sampled_from([1e16, -1e16, 1.0, 0.1, 3e-17, -0.0, 0.7])


@settings(max_examples=100, deadline=None)
@given(st.lists(stated, min_size=1, max_size=10), st.data())
def test_numpy_adds_each_sources_credits_as_python_does_bit_for_bit(items, data):
    """``Evidence.sums`` with numpy (the ``fast`` extra) adds the same credits in the same order as without it:
    any other order (pairwise, compensated) gives other floats on these credits, and other decisions."""
    assert weights.numpy_if_installed() is not None  # the test extra installs it: this compares the two ways
    made = [Item((k,), "gate" if k % 2 else "time", "identifier",
                 [Statement(n, source, f"C{value}") for n, (source, value) in enumerate(found)])
            for k, found in enumerate(items)]
    prepared = Prepared(made)
    evidence = Evidence(prepared, Origins(prepared, list(range(len(prepared.sources)))))
    numbered = 1 + sum(len(groups) for _, _, credited in evidence.contested for _, groups in credited)
    credits = [1.0] + data.draw(st.lists(order_bound, min_size=numbered - 1, max_size=numbered - 1))
    sources, others = (data.draw(st.sets(st.sampled_from(range(len(prepared.sources))))) for _ in range(2))
    with sums_in_c_from(0):
        in_c = evidence.sums(array("d", credits), sources)
        assert evidence.sums(credits, sources) == in_c  # a list as an array
        others_in_c = evidence.sums(array("d", credits), others)  # its plan replaces the first set's
        assert evidence.sums(array("d", credits), sources) == in_c
    with without_numpy():
        in_python = evidence.sums(credits, sources)
        others_in_python = evidence.sums(credits, others)
    for c, python in ((in_c, in_python), (others_in_c, others_in_python)):
        assert [s and [x.hex() for x in s] for s in c] == [s and [x.hex() for x in s] for s in python]


def test_a_small_ledgers_credits_are_added_without_importing_numpy(monkeypatch):
    """Importing numpy (~0.15 s) costs more than adding fewer than ``SUMS_IN_C_FROM`` credits in Python."""
    made = [Item((k,), "gate", "identifier", [Statement(2 * k, "a", "C1"), Statement(2 * k + 1, "b", "C2")])
            for k in range(3)]
    prepared = Prepared(made)
    evidence = Evidence(prepared, Origins(prepared, list(range(len(prepared.sources)))))
    numbered = 1 + sum(len(groups) for _, _, credited in evidence.contested for _, groups in credited)
    credits = [1.0] + [0.25] * (numbered - 1)
    with sums_in_c_from(0):
        in_c = evidence.sums(credits, [0, 1])

    def refused():
        raise AssertionError("numpy was asked for")

    monkeypatch.setattr(weights, "numpy_if_installed", refused)
    assert numbered < weights.SUMS_IN_C_FROM and evidence.sums(credits, [0, 1]) == in_c
    with sums_in_c_from(0), pytest.raises(AssertionError, match="numpy was asked for"):
        evidence.sums(credits, [0, 1])
