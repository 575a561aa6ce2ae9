"""Names cleaned and checked (``ledger.core.naming``) and the near-name rules (``ledger.core.lookalikes``)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.core.errors import InvalidName
from ledger.core import lookalikes
from ledger.core.lookalikes import NameIndex, name_form, near, near_pairs
from ledger.core.naming import clean_name, invisible, mixed_script_word, refuse_confusable
from ledger.core.records import name_key


@pytest.mark.parametrize(
    "stated, cleaned",
    [
        ("Operation Barkhane\u200b", "Operation Barkhane"),  # zero-width space
        ("Operation\u00a0 Barkhane ", "Operation Barkhane"),  # no-break space, doubled space
        ("\ufeffWagner\u200dGroup", "WagnerGroup"),  # BOM, zero-width joiner
        ("Ｗａｇｎｅｒ", "Wagner"),  # full-width letters (NFKC)
        ("Bar\u00adkhane", "Barkhane"),  # soft hyphen
        ("\u202eMali\u202c", "Mali"),  # bidirectional override
        ("Bar\u034fkhane\ufe0f", "Barkhane"),  # combining grapheme joiner, variation selector
        ("Mali\u3164 War\U000e0041", "Mali War"),  # Hangul filler, tag character
    ],
)
def test_names_are_cleaned_before_matching(stated, cleaned):
    assert clean_name(stated) == cleaned
    assert name_key(stated) == name_key(cleaned)


@pytest.mark.parametrize(
    "name",
    ["Operation B\u0430rkhane", "W\u0430gner", "Ρutin", "\u0420euters", "Mali\u0391"],  # Cyrillic а, Greek Ρ, Cyrillic Р
)
def test_a_word_mixing_look_alike_scripts_is_refused(name):
    with pytest.raises(InvalidName, match="retype it in one script"):
        refuse_confusable(name, "subject")


@pytest.mark.parametrize("name", ["Сергей Шойгу", "Αθήνα", "Sergei Шойгу", "東京タワー", "Assimi Goïta", "2+2 meeting"])
def test_one_script_per_word_is_fine(name):
    assert mixed_script_word(clean_name(name)) is None
    assert refuse_confusable(name) == clean_name(name)


def test_the_refusal_names_the_impostor_letter():
    with pytest.raises(InvalidName) as error:
        refuse_confusable("Operation B\u0430rkhane", "subject")
    assert "CYRILLIC SMALL LETTER A" in str(error.value) and "'Bаrkhane'" in str(error.value)


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "\u00a0\u2060"])
def test_blank_names_are_refused(name):
    with pytest.raises(InvalidName, match="is blank"):
        refuse_confusable(name, "alias")


def _rule(a: str, b: str) -> str | None:
    found = near(name_form(a), name_form(b))
    assert found == near(name_form(b), name_form(a))  # symmetric
    return found


@pytest.mark.parametrize(
    "a, b, rule",
    [
        ("Wagner contract", "Wagner Group contract with Mali", "shortened"),
        ("Putin", "Vladimir Putin", "shortened"),
        ("President Putin", "Vladimir Putin", "shortened"),  # titles set aside
        ("Takuba", "Task Force Takuba", "shortened"),
        ("Wagner", "Wagner Group", "same words"),  # designators set aside
        ("Mali", "Republic of Mali", "same words"),
        ("Goita, Assimi", "Assimi Goïta", "same words"),
        ("Russia-Africa Summit", "2019 Russia–Africa summit", "same words"),  # a number left out is no different number
        ("troop_deployed", "troops_deployed", "spelling"),
        ("Dmitri Peskov", "Dmitry Peskov", "spelling"),
        ("Sergueï Choïgou", "Sergey Shoigu", "spelling"),  # transliterated first
        ("Сергей Шойгу", "Sergey Shoigu", "spelling"),  # Sergei, once transliterated
        ("Asmi Guetta", "Assimi Goïta", "spelling"),  # same consonants
        ("Russian-African summit in Sochi", "Russia-Africa Summit", "shortened, spelling"),
        ("Tchad", "Chad", "spelling"),  # transliterations folded
        ("Rosoboronexport", "Rosoboronexpord", "spelling"),  # a slip of a letter in a long word
        ("ECOWAS", "Economic Community of West African States", "acronym"),
        ("ACLED", "Armed Conflict Location and Event Data Project", "acronym"),
        ("AFP", "Agence France-Presse", "acronym"),
    ],
)
def test_near_names(a, b, rule):
    assert _rule(a, b) == rule


@pytest.mark.parametrize(
    "a, b",
    [
        ("2020 Mali coup", "2021 Mali coup"),  # differ only in numbers: never near
        ("France–Russia 2+2 meeting (2019)", "France–Russia 2+2 meeting (2021)"),
        ("price_2020", "price_2021"),
        ("Mali", "Wagner Group contract with Mali"),  # token-set ratio 100, but a contract is no country
        ("Mali", "Mali War"),  # the head word is "war"
        ("Wagner Group", "Wagner Group contract with Mali"),
        ("Lavrov", "Abdoulaye Diop–Sergey Lavrov talks in Moscow"),
        ("Medvedev", "Dmitry Medvedev's visit to France"),
        ("Sergey Lavrov", "Sergei Shoigu"),
        ("Dmitry Peskov", "Dmitry Medvedev"),
        ("soldiers_killed", "civilians_killed"),
        ("start_date", "end_date"),
        ("Bah", "Bas"),  # short words must be equal
        ("Iran", "Iraq"),  # a different consonant is a different name
        ("Gambia", "Zambia"),
        ("Slovenia", "Slovakia"),
        ("Austria", "Australia"),
        ("Mali", "Malawi"),
        ("Sudan", "South Sudan"),  # words of place differ
        ("French withdrawal from Mali", "French withdrawal from northern Mali"),
        ("deaths", "start_date"),  # an ending is an ending of the word itself, not of its consonants
        ("USSR", "Ukraine"),
        ("ACLED", "Armed Conflict"),  # an acronym must use its letters up
        ("CSIS", "Strategic and International Studies"),  # ... from the first word on
    ],
)
def test_not_near(a, b):
    assert _rule(a, b) is None


def test_the_index_finds_what_comparing_every_pair_finds():
    names = [("Wagner Group contract with Mali", 1), ("Mali", 2), ("2021 Mali coup", 3), ("Vladimir Putin", 4),
             ("ECOWAS", 5), ("Dmitry Peskov", 6)]
    index = NameIndex()
    for name, owner in names:
        index.add(name, owner)
    found = {(owner, rule) for _, owner, rule in index.matches("Wagner contract")}
    assert found == {(1, "shortened")}
    assert {o for _, o, _ in index.matches("Economic Community of West African States")} == {5}
    assert {o for _, o, _ in index.matches("2020 Mali coup")} == set()
    assert {o for _, o, _ in index.matches("Dmitri Peskov")} == {6}
    pairs = list(near_pairs([*names, ("Putin", 7), ("Putin", 4)]))  # names of one owner are never paired
    assert [(a, o, b, p, rule) for a, o, b, p, rule in pairs] == [
        ("Putin", 7, "Vladimir Putin", 4, "shortened"), ("Putin", 4, "Putin", 7, "same words"),
    ]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_name_key_of_ascii_takes_the_short_way_to_the_same_key(name):
    """ASCII names skip normalisation; the key is what the full path (NFKD, marks and invisibles dropped) gives."""
    decomposed = unicodedata.normalize("NFKD", name)
    full = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and not invisible(ch))
    assert name_key(name) == " ".join(full.casefold().split())


# The exact pruning of near-name lookups: a pair the word cover turns away is one no rule accepts.
_STEMS = ["mali", "malis", "malin", "goita", "guetta", "assimi", "asmi", "sergey", "serguei", "choigou", "shoigu",
          "rosoboronexport", "rosoboronexpord", "abcdefgh", "bacdefgh", "abcdefghij", "sudan", "sedan", "iran",
          "iraq", "wagner", "vagner", "economic", "community", "troop", "troops"]
_WORDS = st.one_of(st.sampled_from(_STEMS), st.text(alphabet="aeioshnrtkcz", min_size=1, max_size=12))
_EXTRAS = st.sampled_from(["", "of", "the", "north", "group", "2021", "2020", "President"])


@st.composite
def _names(draw):
    words = draw(st.lists(st.one_of(_WORDS, _EXTRAS), min_size=1, max_size=4))
    name = " ".join(word for word in words if word) or "mali"
    return name.upper() if draw(st.booleans()) and " " not in name else name.title()


@st.composite
def _slipped(draw):
    """A word and a copy of it with one letter changed, swapped, dropped or added: typos for the typo bound."""
    word = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=8, max_size=16))
    at = draw(st.integers(0, len(word) - 2))
    letter = draw(st.sampled_from("aeiostvxz"))
    slip = draw(st.sampled_from([
        word[:at] + letter + word[at + 1:], word[:at] + word[at + 1] + word[at] + word[at + 2:],
        word[:at] + word[at + 1:], word[:at] + letter + word[at:],
    ]))
    return word, slip


@given(st.one_of(st.tuples(_WORDS, _WORDS), _slipped()))
def test_every_variant_pair_is_kept_by_the_word_cover(pair):
    x, y = pair
    if lookalikes.variant(x, y):
        assert lookalikes._may_share_words(name_form(x), name_form(y))


@given(_names(), _names())
def test_the_word_cover_turns_away_only_pairs_no_rule_accepts(a, b):
    form_a, form_b = name_form(a), name_form(b)
    if not lookalikes._may_share_words(form_a, form_b):
        assert lookalikes._word_rule(form_a, form_b) is None


@given(st.lists(_names(), min_size=1, max_size=30), _names())
def test_a_pruned_lookup_finds_what_the_full_one_finds_in_the_same_order(names, name):
    index = NameIndex()
    for owner, indexed in enumerate(names):
        index.add(indexed, owner)
    pruned = [(c.stated, owner, rule) for c, owner, rule in index.matches(name)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lookalikes._WordCover, "may_share_words", lambda self, other: True)
        full = [(c.stated, owner, rule) for c, owner, rule in index.matches(name)]
    assert pruned == full
