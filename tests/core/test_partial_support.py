"""Partial support: an abbreviated value lends the fuller value it implies a share of its vote; calibration."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core import calibration
from ledger.core.consensus import Item, Statement, decide
from ledger.core.implication import implies
from ledger.core.person_names import parse_names

_ids = itertools.count(1)


def names(phrase: str) -> str:
    return parse_names(phrase).text


def authors(key: str, *stated: tuple[str, str]) -> Item:
    """A names item: (source, author list as printed) pairs, read by the names kind."""
    return Item((key,), "authors", "names", [Statement(next(_ids), s, names(p), phrase=p) for s, p in stated])


@pytest.mark.parametrize(
    "a, b, weight",
    [
        ("Han", "Han, Jiawei; Kamber, Micheline", 0.5),  # a family name alone: half of the list
        ("J. Han", "Jiawei Han, Micheline Kamber, Jian Pei", 1 / 3),
        ("Jiawei Han, Micheline Kamber", "J. Han", 0.0),  # the fuller list implies nothing of a shorter one
        ("Jiawei Han", "J. Han", 0.0),  # the same person: compatible, not partial
        ("Han, Jiawei; Pei, Jian", "Han, Jiawei; Kamber, Micheline; Smith, John", 0.0),  # Pei is not in it
    ],
)
def test_names_imply_fuller_lists_in_proportion(a, b, weight):
    assert implies("names", names(a), names(b), (None, None), (None, None)) == pytest.approx(weight)


def test_a_bare_gate_implies_the_code_with_its_concourse_by_the_characters_it_states():
    assert implies("identifier", "37", "C37", (None, None), (None, None)) == pytest.approx(2 / 3)
    assert implies("identifier", "C37", "37", (None, None), (None, None)) == 0.0
    assert implies("identifier", "37", "C38", (None, None), (None, None)) == 0.0


def test_an_interval_inside_a_wider_one_implies_it_by_its_width():
    assert implies("count", 150, 150, (100, 200), (0, 400)) == pytest.approx(0.25)
    assert implies("count", 150, 150, (0, 400), (100, 200)) == 0.0
    assert implies("count", 150, 150, (100, 200), (150, 300)) == 0.0  # overlapping, not inside


def test_the_full_list_beats_its_abbreviation_stated_by_more_stores():
    """Three stores print only "Han"; two print the pair, in two spellings: the pair wins."""
    item = authors("isbn", ("a", "Han"), ("b", "HAN"), ("c", "Han"),
                   ("d", "Han, Jiawei; Kamber, Micheline"), ("e", "Jiawei Han, Micheline Kamber"))
    for method in ("support", "reliability"):
        assert decide([item], method).decisions[0].value == "han, jiawei; kamber, micheline"


def test_a_longer_list_stated_once_does_not_beat_a_shorter_one_stated_by_many():
    item = authors("isbn", *((f"s{k}", "Knuth, Donald E.") for k in range(5)), ("x", "Knuth, Donald; Smith, John"))
    assert decide([item], "support").decisions[0].value == "knuth, donald e"


def test_a_concourse_letter_wins_over_the_bare_number_unless_far_fewer_state_it():
    def gate(*stated):
        item = Item(("f",), "gate", "identifier", [Statement(next(_ids), s, v) for s, v in stated])
        return decide([item], "support").decisions[0].value

    assert gate(("a", "37"), ("b", "37"), ("c", "C37"), ("d", "C37"), ("e", "B12")) == "C37"  # tied: the fuller
    assert gate(("a", "37"), ("b", "37"), ("c", "C37"), ("d", "B12")) == "C37"  # 1 + 2·2/3 against 2
    assert gate(*((f"s{k}", "37") for k in range(6)), ("c", "C37")) == "37"  # 1 + 4 against 6


FAMILIES = ["adams", "baker", "clark", "davis", "evans", "fox"]
lists = st.lists(st.sampled_from(FAMILIES), min_size=1, max_size=4, unique=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(lists, min_size=1, max_size=6), lists, st.integers(0, 5), st.integers(1, 5))
def test_adding_an_abbreviation_never_moves_the_win_to_a_value_it_does_not_imply(others, fuller, size, added):
    """Adding stores that print part of the winning list takes the win to no rival outside that part."""
    def item(extra: int) -> Item:
        stated = [(f"o{k}", "; ".join(v)) for k, v in enumerate(others)] + [("f1", "; ".join(fuller)), ("f2", "; ".join(fuller))]
        part = "; ".join(fuller[: max(1, min(size, len(fuller)))])
        stated += [(f"p{k}", part) for k in range(extra)]
        return Item(("x",), "authors", "names", [Statement(next(_ids), s, names(v)) for s, v in stated])

    before = decide([item(0)], "support").decisions[0]
    if before.value != names("; ".join(fuller)):
        return
    after = decide([item(added)], "support").decisions[0]
    part = set(fuller[: max(1, min(size, len(fuller)))])
    winner = {name.split(",")[0] for name in after.value.split("; ")}
    assert winner >= part  # the fuller list itself, the part, or another list containing the part


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 30), min_size=1, max_size=6), st.floats(0, 10), st.floats(1, 6))
def test_stated_confidence_is_monotone_in_support(totals, more, temperature):
    """More score for a value never lowers its confidence, and never raises a rival's."""
    before = calibration.weighted(totals, 10, temperature)
    after = calibration.weighted([totals[0] + more, *totals[1:]], 10, temperature)
    assert after[0] >= before[0] - 1e-12
    assert all(a <= b + 1e-12 for a, b in zip(after[1:], before[1:]))
    assert sum(after) <= 1 + 1e-9


def test_one_source_is_as_sure_as_its_accuracy():
    """Accu's domain of n + 1 values: one source of accuracy 0.8 (vote ln 40) states its value at 0.8."""
    import math

    assert calibration.weighted([math.log(40)], 10, 1.0)[0] == pytest.approx(0.8)
    assert calibration.counted([1.0], [1.0], 1.0) == [0.5]  # support: one origin alone is a coin toss
