"""Partial support scaled by each origin's habit of abbreviating, learned from its record."""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.consensus import Item, Options, Statement, decide, decide_with
from ledger.core.consensus.abbreviating import abbreviation_habits, lent_shares
from ledger.core.consensus.prepared import Origins, Prepared

_ids = itertools.count(1)


def gate(key: str, *stated: tuple[str, str]) -> Item:
    return Item((key, "gate"), "gate", "identifier", [Statement(next(_ids), s, v) for s, v in stated])


def feed_adding_letters() -> list[Item]:
    """Sites a, b, c print gates bare, as the airline does; one feed adds a concourse letter.

    On 40 gates all four state the gate: the bare code wins by numbers. On 10
    more only ``a`` and the feed state it. On a second attribute the feed is
    right and ``a`` wrong, so the feed weighs more than ``a``.
    """
    items = [gate(f"g{k}", ("a", f"{k}"), ("b", f"{k}"), ("c", f"{k}"), ("feed", f"C{k}")) for k in range(40)]
    items += [gate(f"h{k}", ("a", f"{k}"), ("feed", f"C{k}")) for k in range(10)]
    items += [Item((f"s{k}", "status"), "status", "text",
                   [Statement(next(_ids), s, v) for s, v in (("a", "late"), ("b", "on time"), ("c", "on time"),
                                                              ("feed", "on time"))])
              for k in range(40)]
    return items


def test_a_site_whose_bare_codes_stand_lends_the_feed_no_letter():
    """The feed alone against one bare site: with the whole share it wins (1·w + ⅔·w' vs w'); learned, it does not."""
    items = feed_adding_letters()
    learned = decide(items, "reliability")
    whole = decide(items, "reliability", replace(Options(), abbreviation_habits=False))
    def alone(result):
        return {d.value for d in result.decisions if d.key[0].startswith("h")}

    assert alone(whole) == {f"C{k}" for k in range(10)}  # 1·w(feed) + ⅔·w(a) beats w(a)
    assert alone(learned) == {f"{k}" for k in range(10)}
    assert not any(str(d.value).startswith("C") for d in learned.decisions)
    assert learned.estimates.habits["a"]["gate"] < 0.2


def test_author_lists_keep_the_full_implication():
    """Names learn no habit (stores state too few books to learn one from): a store printing "Han" lends
    its whole share, even where its short form stood elsewhere."""
    from ledger.core.person_names import parse_names

    def authors(key, *stated):
        return Item((key, "authors"), "authors", "names",
                    [Statement(next(_ids), s, parse_names(p).text, phrase=p) for s, p in stated])

    second = ["Kamber", "Pei", "Smith", "Jones", "Brown", "Miller", "Davis", "Wilson", "Moore", "Taylor"]
    items = [authors(f"b{k}", ("x", "Han"), ("y", "HAN"), ("f1", f"Han, Jiawei; {second[k % 10]}, Micheline"),
                     ("f2", f"Jiawei Han, Micheline {second[k % 10]}"), ("f3", f"J. Han; M. {second[k % 10]}"))
             for k in range(30)]
    items += [authors(f"s{k}", ("x", "Knuth"), ("y", "KNUTH"), ("f1", "Knuth, Donald; Smith, John")) for k in range(10)]
    learned = decide(items, "reliability")
    whole = decide(items, "reliability", replace(Options(), abbreviation_habits=False))
    assert learned.estimates.habits == {}
    assert [d.value for d in learned.decisions] == [d.value for d in whole.decisions]
    assert all(d.value.count(";") == 1 for d in learned.decisions[:30])  # the pair, never "Han" alone


def test_kept_habits_repeat_the_decisions():
    items = feed_adding_letters()
    result = decide(items, "reliability")
    again = decide_with(items, result.estimates)
    assert [(d.value, d.confidence) for d in again.decisions] == [(d.value, d.confidence) for d in result.decisions]


codes = st.sampled_from(["7", "C7", "B7", "12", "C12"])
sites = st.sampled_from(["a", "b", "c", "d", "e"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.tuples(sites, codes), min_size=1, max_size=6), min_size=1, max_size=8),
       st.lists(st.integers(0, 20), min_size=1, max_size=8))
def test_habits_are_shares_and_only_shrink_what_is_lent(stated, picks):
    """A habit lies in (0, 1]; scaling by it never lends more than the implication weight."""
    items = [gate(f"i{k}", *pairs) for k, pairs in enumerate(stated)]
    prepared = Prepared(items)
    origins = Origins(prepared, list(range(len(prepared.sources))))
    choice = [picks[i % len(picks)] % len(values) for i, values in enumerate(prepared.values)]
    habits = abbreviation_habits(prepared, origins, choice, Options())
    assert all(0 < h <= 1 for shares in habits.values() for h in shares)
    votes = {g: [1.0 + g] * len(prepared.attribute_index) for g in range(len(prepared.sources))}
    for index, partial in enumerate(prepared.partial):
        if partial is None:
            continue
        by_candidate = origins.by_candidate[index]
        raw = [sum(votes[g][0] for g in groups) for groups in by_candidate]
        scaled = lent_shares(partial, by_candidate, raw, votes, habits, 0)
        for slot, implied in partial.items():
            assert [j for j, _ in scaled[slot]] == [j for j, _ in implied]
            assert all(0 <= s <= w + 1e-12 for (_, s), (_, w) in zip(scaled[slot], implied))
