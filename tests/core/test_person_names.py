"""The ``names`` kind: lists of names read as sets, and compared as sets."""

from __future__ import annotations

import pytest

from ledger.core.clusters import Member, cluster_item
from ledger.core.conflicts import Comparable, find_pairs
from ledger.core.person_names import compare, parse_names
from ledger.core.values import parse_value


def names(phrase: str) -> str:
    reading = parse_value(phrase, "names")
    assert reading.kind == "names", reading.warning
    return reading.text


@pytest.mark.parametrize(
    "phrase",
    [
        "Han, Jiawei; Kamber, Micheline",
        "Jiawei Han, Micheline Kamber",
        "Jiawei Han and Micheline Kamber",
        "Micheline Kamber & Jiawei Han",
        "Jiawei Han / Micheline Kamber",
        "Han, Jiawei, Kamber, Micheline",
        "By (author) Jiawei Han, Micheline Kamber (Editor)",
        "JIAWEI HAN; MICHELINE KAMBER",
    ],
)
def test_spellings_of_one_list_read_alike(phrase):
    assert names(phrase) == "han, jiawei; kamber, micheline"


@pytest.mark.parametrize(
    "phrase, read",
    [
        ("Assimi Goïta", "goita, assimi"),
        ("Goita, Assimi", "goita, assimi"),
        ("O&apos;Leary, Dan", "oleary, dan"),  # HTML entity
        ("Dan Oandapos;Leary", "oleary, dan"),  # the entity's & spelt out by a converter
        ("Dan O&#39;Leary", "oleary, dan"),
        ("O&amp;apos;Leary, Dan", "oleary, dan"),  # escaped twice
        ("Dr. Jiawei Han", "han, jiawei"),  # titles left out
        ("President Assimi Goïta", "goita, assimi"),
        ("Jean-Yves Le Drian", "le drian, jean yves"),  # particles stay with the family name
        ("Martin Luther King, Jr.", "king, martin luther"),  # suffix left out
        ("King, Martin Luther, Jr.", "king, martin luther"),
        ("Han JW", "han, j w"),  # family name, then initials
        ("J.-Y. Le Drian", "le drian, j y"),
        ("Jiawei Han et al.", "han, jiawei"),
        ("Edited by Jane Smith; John Doe (translator)", "doe, john; smith, jane"),
        ("None; Jane Smith", "smith, jane"),  # a placeholder in a list is dropped
        ("Сергей Шойгу", "shoigu, sergei"),
    ],
)
def test_names_read(phrase, read):
    assert names(phrase) == read


@pytest.mark.parametrize("placeholder", ["Not Available", "None", "Unknown", "N/A", "n/a", " unknown. ", "N. A.", "NOT AVAILABLE", "&apos;"])
def test_placeholders_are_unread(placeholder):
    reading = parse_value(placeholder, "names")
    assert reading.kind == "unparsed" and reading.warning


def test_the_reading_shows_its_steps():
    notes = parse_names("By (author) Dan Oandapos;Leary et al.").notes
    assert notes[0] == "HTML entities undone: 'By (author) Dan Oandapos;Leary et al.' → \"By (author) Dan O'Leary et al.\""
    assert notes[1].startswith("role markers dropped: ") and notes[2] == "1 name (family, given): oleary, dan"


def test_names_are_never_guessed():
    assert parse_value("Jiawei Han, Micheline Kamber").kind == "text"


@pytest.mark.parametrize(
    "a, b, compatible, severity",
    [
        ("Han, Jiawei; Kamber, Micheline", "Jiawei Han, Micheline Kamber", True, 0.0),  # equal
        ("J. Han", "Jiawei Han", True, 0.0),  # an initial matches a full given name
        ("J. Han; M. Kamber", "Jiawei Han, Micheline Kamber, Jian Pei", True, 1 / 3),  # a subset
        ("Jiawei Han, Jian Pei", "Jiawei Han, Micheline Kamber", False, 2 / 3),  # partial overlap
        ("Asmi Guetta", "Assimi Goïta", False, 1.0),  # spelling variants are aliases, not matches
        ("K. Han", "Jiawei Han", False, 1.0),
        ("Han", "Jiawei Han", False, 1.0),  # a family name alone is not an initial
    ],
)
def test_sets_compared(a, b, compatible, severity):
    result = compare(names(a), names(b))
    assert result.compatible is compatible
    assert result.severity == pytest.approx(severity)


def _claim(claim_id: int, source: str, phrase: str) -> Comparable:
    return Comparable(claim_id, f"ref:{claim_id}", (1, 1), source, f"source:{source}", "names",
                      text=names(phrase), label=repr(phrase))


def test_conflicts_between_sets_of_names():
    claims = [
        _claim(1, "a", "Han, Jiawei; Kamber, Micheline"),
        _claim(2, "b", "Jiawei Han, Micheline Kamber"),  # equal: agrees
        _claim(3, "c", "J. Han et al."),  # subset of every other: compatible
        _claim(4, "d", "Jiawei Han, Jian Pei"),  # partial overlap: conflicts with 1 and 2
        _claim(5, "e", "Ian Witten"),  # disjoint: conflicts with all
    ]
    found = {(p.a.claim_id, p.b.claim_id): p for p in find_pairs(claims)}
    assert set(found) == {(1, 4), (2, 4), (1, 5), (2, 5), (3, 5), (4, 5)}
    assert found[(1, 4)].severity == pytest.approx(2 / 3)
    assert found[(1, 4)].reason.endswith(": 2 of 3 names not shared")
    assert found[(1, 5)].severity == 1.0 and found[(1, 5)].reason.endswith(": no name in common")


def test_clusters_put_an_abbreviated_list_with_the_full_one():
    members = [Member(i, s, s, text=names(p)) for i, s, p in [
        (1, "a", "Jiawei Han, Micheline Kamber"), (2, "b", "J. Han"), (3, "c", "Han, J.; Kamber, M."),
        (4, "d", "Ian Witten"),
    ]]
    clusters = cluster_item("names", members)
    assert [c.claim_ids for c in clusters] == [[1, 3, 2], [4]]
    assert clusters[0].text == "han, jiawei; kamber, micheline"


@pytest.mark.parametrize(
    "phrase, read",
    [
        ("David V. Hutton, David Hutton", "hutton, david v"),  # a store printing the list twice
        ("Meadors; Meadors, Todd; Schmidt, Cheryl A.", "meadors, todd; schmidt, cheryl a"),
        ("O'Leary, Timothy J.; O'Leary, Linda I.", "oleary, linda i; oleary, timothy j"),  # two people, one family
    ],
)
def test_a_person_repeated_in_a_shorter_form_is_read_once(phrase, read):
    assert names(phrase) == read


def test_a_stray_quote_after_a_name_is_no_word():
    assert names("R. J. Wieringa &quot;") == "wieringa, r j"
