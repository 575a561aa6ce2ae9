"""Copy detection counts pairs a set of sources at a time; the counts must be those of comparing every pair."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.consensus import Item, Options, Statement
from ledger.core.consensus.copying import find_dependences
from ledger.core.consensus.prepared import Prepared

statements = st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from(["1", "2", "3"]),
                                st.sampled_from([None, "one", "uno", "1.0"])), min_size=1, max_size=9)


def pairwise(prepared: Prepared, choice: list[int]) -> dict:
    """Per pair of sources: (shared items, same phrases, same errors, errors), comparing every two sources."""
    counts = defaultdict(lambda: [0, 0, 0, 0])
    for index in prepared.contested:
        right = 1 << choice[index]
        sources, stated = prepared.stated[index]
        width = len(prepared.values[index])
        for i, a in enumerate(sources):
            for j in range(i + 1, len(sources)):
                b = sources[j]
                mask_a, mask_b = stated[i] & ((1 << width) - 1), stated[j] & ((1 << width) - 1)
                phrase_a, phrase_b = stated[i] >> width, stated[j] >> width
                found = counts[prepared.sources[a], prepared.sources[b]]
                found[0] += 1
                found[1] += bool(phrase_a and phrase_a == phrase_b)
                found[2] += bool(mask_a & mask_b & ~right)
                found[3] += mask_a != right or mask_b != right
    return counts


def prepared_and_choice(stated, picks) -> tuple[Prepared, list[int]]:
    items = [Item((k,), "gate", "text", [Statement(n, source, value, phrase=phrase)
                                        for n, (source, value, phrase) in enumerate(found)])
             for k, found in enumerate(stated)]
    prepared = Prepared(items)
    return prepared, [picks[i % len(picks)] % len(values) for i, values in enumerate(prepared.values)]


@settings(max_examples=150, deadline=None)
@given(st.lists(statements, min_size=1, max_size=8), st.lists(st.integers(0, 5), min_size=1, max_size=8))
def test_pair_counts_are_those_of_every_pair_compared(stated, picks):
    prepared, choice = prepared_and_choice(stated, picks)
    found = {(d.a, d.b): [d.shared_items, d.same_phrases, d.same_errors, d.errors]
             for d in find_dependences(prepared, choice, Options(copy_sample=0))}
    assert found == dict(pairwise(prepared, choice))


@settings(max_examples=100, deadline=None)
@given(st.lists(statements, min_size=1, max_size=8), st.lists(st.integers(0, 5), min_size=1, max_size=8))
def test_pairs_come_in_the_order_first_met(stated, picks):
    prepared, choice = prepared_and_choice(stated, picks)
    first_met = []
    for index in prepared.contested:
        sources = prepared.stated[index][0]
        for i, a in enumerate(sources):
            for b in sources[i + 1:]:
                if (prepared.sources[a], prepared.sources[b]) not in first_met:
                    first_met.append((prepared.sources[a], prepared.sources[b]))
    assert [(d.a, d.b) for d in find_dependences(prepared, choice, Options(copy_sample=0))] == first_met
