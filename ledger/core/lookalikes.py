"""Which two names are probably one thing: the rules behind near-name warnings and ``entities suggest``.

Not one string score (token-set ratio gives "Mali" and "Wagner Group contract
with Mali" 100, "USSR" and "Soviet Union" 12), but a few rules, each of which
can be said in a sentence. Names are first reduced to their **words**:
transliterated to ASCII (unidecode: "Choïgou" → "choigou", "Шойгу" → "shoigu"),
case folded, split on anything not a letter or digit, a possessive "'s"
dropped; function words ("of", "the", "in", "de" …), designators ("Group",
"Republic", "Inc." …) and titles ("President", "General" …) set aside; numbers
kept apart. Then, in order:

1. **Different numbers or directions: never near.** Two names that both
   state numbers and not the same ones ("2020 Mali coup" / "2021 Mali coup",
   "2+2 meeting (2019)" / "(2021)") name different things, whatever else they
   share; so do names whose words of place differ (:data:`DISTINGUISHING`:
   "Sudan" / "South Sudan", "Korea" / "North Korea", "withdrawal from Mali" /
   "withdrawal from northern Mali").
2. **Same words**: the same words in any order ("Wagner" / "Wagner Group",
   "Mali" / "Republic of Mali", "Goita, Assimi" / "Assimi Goïta").
3. **Shortened**: every word of one is a word (or a variant, rule 4) of the
   other *and* it keeps the other's head word — the last word before its first function word, what the
   name is about ("Wagner contract" / "Wagner Group contract with Mali": a
   contract; "Putin" / "Vladimir Putin"; but not "Mali" / "Mali War", a war, nor
   "Lavrov" / "Abdoulaye Diop–Sergey Lavrov talks in Moscow", talks).
4. **Spelling**: as many words, each the same or a variant of its
   counterpart (:func:`variant`): written with the same consonants (first
   letter, then consonants in order; vowels, "h" and doubled letters aside;
   transliterations folded: ch/sh/sch/tch, z/s, w/v, q/k, ph/f, j/y — "Asmi
   Guetta" / "Assimi Goïta", "Sergueï Choïgou" / "Sergey Shoigu") for words
   of four letters or more; or one of them plus an ending "s" or "n"
   ("troop_deployed" / "troops_deployed", "Russia" / "Russian"); or a slip of a
   letter in a long word (Jaro-Winkler similarity at least
   :data:`TYPO_SIMILARITY`, words of :data:`TYPO_LENGTH` letters or more).
   A different consonant is a different name ("Iran" / "Iraq", "Gambia" /
   "Zambia", "Slovenia" / "Slovakia"); a different vowel is not ("Sudan" /
   "Sedan" are suggested: the rule cannot tell them from "Dmitri" / "Dmitry").
5. **Acronym**: a one-word name written in capitals whose letters are the
   starts of the other's words in order, function words skipped, at most one
   other word skipped ("ECOWAS" / "Economic Community of West African
   States": E-CO-W-A-S; "ACLED").

The thresholds were tried on the seed ledger's aliases: ``bench/name_suggestions.py``
reports the recall of its true alias pairs, the false suggestions over all its
other pairs, and a stress test of look-alike country names (bench/RESULTS.md,
"Near names").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

from ledger.core.naming import clean_name

#: Jaro-Winkler similarity from which two long words are one with a letter slipped ("Rosoboronexpord").
TYPO_SIMILARITY = 0.95
#: ... in words of this many letters or more (in shorter ones one letter more often makes another name).
TYPO_LENGTH = 8
#: Jaro similarity below which Winkler's bonus for a common start (at most 4 letters × 0.1 of what is
#: left) cannot lift two words to TYPO_SIMILARITY; then the unmatched shares of their letters add up to
#: at most 3 × (1 − that): see _may_be_typo.
_TYPO_UNMATCHED = 3 * (1 - (TYPO_SIMILARITY - 0.4) / 0.6)
#: Words shorter than this must be equal to count as one (short words differ by a letter too easily).
SHORT_WORD = 4
#: Spellings of one sound in transliterations, folded before consonants are compared (longest first).
TRANSLITERATIONS = (("tsch", "$"), ("tch", "$"), ("sch", "$"), ("ch", "$"), ("sh", "$"), ("ph", "f"), ("ck", "k"),
                    ("q", "k"), ("x", "ks"), ("z", "s"), ("w", "v"), ("j", "y"))
#: A blocking key carried by more names than this is too common to look up candidates by.
COMMON_KEY = 500

FUNCTION_WORDS = frozenset(
    "a an the of in on at to for with by from and or after before into over under between against "
    "de du des la le les d l et en y del della di da dos das van von der den al el".split()
)
#: Words that say what kind of body or office a name is, not which one.
DESIGNATORS = frozenset(
    "group company co inc incorporated ltd limited llc plc corp corporation sa ag gmbh "
    "republic kingdom federation state states "
    "president mr mrs ms dr prof general gen colonel col lieutenant lt captain capt minister prime sir".split()
)
#: Words that make a different place or thing of a name: a name with one is never near a name without it.
DISTINGUISHING = frozenset(
    "north south east west northern southern eastern western central upper lower new old greater".split()
)
_POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z0-9]+")


class WordSign(NamedTuple):
    """What a word shares with each of its variants (:func:`variant`): see :class:`_WordCover`."""

    word: str
    keys: frozenset[str]  # the word, the word without an ending "s" or "n", "~" and its skeleton (4 letters or more)
    length: int
    letters: int  # bit mask of the characters it is written with


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name reduced for matching (see the module docstring)."""

    stated: str
    words: tuple[str, ...]  # content words, in order
    numbers: frozenset[int]
    places: frozenset[str]  # its DISTINGUISHING words
    head: str | None  # the last content word before the first function word
    acronym: str | None  # the name itself, lower case, when it is one word written in capitals
    initials_of: tuple[str, ...]  # words an acronym of this name may be made of (function words left out)
    word_set: frozenset[str]  # ``words`` as a set, made once: a lookup compares it with hundreds of candidates
    signs: tuple[WordSign, ...]  # of each word of ``word_set``


def name_form(name: str) -> NameForm:
    """``name`` reduced to its words, numbers, head word and acronym (see the module docstring)."""
    cleaned = clean_name(name)
    unpossessed = _POSSESSIVE.sub("", cleaned) if "'" in cleaned or "’" in cleaned else cleaned
    plain = (unpossessed if unpossessed.isascii() else unidecode(unpossessed)).casefold().replace("_", " ")
    tokens = _TOKEN.findall(plain)
    words: list[str] = []
    numbers: set[int] = set()
    spelled: list[str] = []
    head = None
    head_done = False  # the head is the last content word before the first function word that follows one
    for token in tokens:
        if token.isdigit():
            numbers.add(int(token))
        elif token in FUNCTION_WORDS:
            head_done = head_done or head is not None
        else:
            spelled.append(token)
            if token not in DESIGNATORS:
                words.append(token)
                if not head_done:
                    head = token
    acronym = None
    if len(tokens) == 1 and 2 <= len(tokens[0]) <= 10 and cleaned.isupper() and len(re.findall(r"\w+", cleaned)) == 1:
        acronym = tokens[0]
    places = frozenset(w for w in words if w in DISTINGUISHING)
    word_set = frozenset(words)
    signs = tuple(map(_word_sign, sorted(word_set)))
    return NameForm(cleaned, tuple(words), frozenset(numbers), places, head, acronym, tuple(spelled), word_set, signs)


def near(a: NameForm, b: NameForm) -> str | None:
    """The rule by which ``a`` and ``b`` are probably one thing ("same words", "shortened",
    "spelling", "acronym"), or None."""
    if a.numbers and b.numbers and a.numbers != b.numbers:
        return None
    if a.acronym or b.acronym:  # an acronym spells the words of place too: "ECOWAS", W for West
        short, long = (a, b) if a.acronym else (b, a)
        if not long.acronym and _acronym_of(short.acronym, long.initials_of):
            return "acronym"
    if a.places != b.places:
        return None
    if not a.words or not b.words:
        return None
    if not _may_share_words(a, b):
        return None
    return _word_rule(a, b)


def _may_share_words(a: NameForm, b: NameForm) -> bool:
    """Could the words of ``a`` and ``b`` make them near? False only when no rule of :func:`_word_rule` can
    hold: each needs every word of one name to be a variant of a word of the other."""
    return _WordCover(a).may_share_words(b)


def _word_rule(a: NameForm, b: NameForm) -> str | None:
    """The rule by which the words of ``a`` and ``b`` (same numbers, same places) make them one thing, or None."""
    set_a, set_b = a.word_set, b.word_set
    if set_a == set_b:
        return "same words"
    if len(a.words) == len(b.words) == 1:  # the common case of place and code names: only a spelling is left
        return "spelling" if variant(a.words[0], b.words[0]) else None
    short, long = (a, b) if len(set_a) < len(set_b) else (b, a)
    if short.word_set < long.word_set and long.head in short.word_set:
        return "shortened"
    if len(a.words) == len(b.words) and all(variant(x, y) for x, y in zip(a.words, b.words)):
        return "spelling"
    if len(set_a) != len(set_b) and _spelled_within(short, long):
        return "shortened, spelling"
    return None


def variant(x: str, y: str) -> bool:
    """Two words written alike (rule 4 of the module docstring): the same consonants, an ending, or a slip."""
    if x == y or y in (x + "s", x + "n") or x in (y + "s", y + "n"):
        return True
    if len(x) >= SHORT_WORD and len(y) >= SHORT_WORD and _skeleton(x) == _skeleton(y):
        return True
    return min(len(x), len(y)) >= TYPO_LENGTH and JaroWinkler.similarity(x, y) >= TYPO_SIMILARITY


@lru_cache(maxsize=1 << 16)  # names of one import repeat their words ("arkansas", airline codes)
def _word_sign(word: str) -> WordSign:
    keys = {word, "~" + _skeleton(word)} if len(word) >= SHORT_WORD else {word}
    if len(word) > 1 and word[-1] in "sn":
        keys.add(word[:-1])
    letters = 0
    for ch in set(word):
        letters |= 1 << ord(ch)
    return WordSign(word, frozenset(keys), len(word), letters)


class _WordCover:
    """Which words of one name each other word may be a variant of, remembered word by word: a lookup
    meets the same words in hundreds of candidates.

    Two variants (:func:`variant`) share a key of their signs (the word, one of them without its ending
    "s" or "n", or the skeleton), or both are long enough for a slip of a letter and pass :func:`_may_be_typo`.
    """

    def __init__(self, form: NameForm):
        self.signs = form.signs
        self.every_sign = (1 << len(form.signs)) - 1
        self.covering: dict[str, int] = {}  # word -> bit mask of the signs it may be a variant of

    def may_share_words(self, other: NameForm) -> bool:
        """Every word of one of the two names may be a variant of a word of the other."""
        covered, each_covered = 0, True
        for sign in other.signs:
            signs_covered = self.covering.get(sign.word)
            if signs_covered is None:
                signs_covered = self.covering[sign.word] = self._covering(sign)
            covered |= signs_covered
            each_covered = each_covered and signs_covered != 0
        return each_covered or covered == self.every_sign

    def _covering(self, other: WordSign) -> int:
        bits = 0
        for bit, sign in enumerate(self.signs):
            if not sign.keys.isdisjoint(other.keys) or (
                sign.length >= TYPO_LENGTH and other.length >= TYPO_LENGTH and _may_be_typo(sign, other)
            ):
                bits |= 1 << bit
        return bits


def _may_be_typo(x: WordSign, y: WordSign) -> bool:
    """Could the Jaro-Winkler similarity of the two words reach TYPO_SIMILARITY? False only when it cannot.

    With m matching characters, Jaro ≤ (m/|x| + m/|y| + 1)/3 and Winkler adds at most 0.4 × (1 − Jaro), so
    a similarity of 0.95 needs Jaro ≥ 11/12 and (|x| − m)/|x| + (|y| − m)/|y| ≤ 1/4. Every character of
    ``x`` missing from ``y`` is one of ``x``'s unmatched ones, and the other way round.
    """
    missing_from_y = (x.letters & ~y.letters).bit_count()
    missing_from_x = (y.letters & ~x.letters).bit_count()
    slack = 1e-9  # rounding may only keep a pair, never drop one
    return missing_from_y * y.length + missing_from_x * x.length <= _TYPO_UNMATCHED * x.length * y.length + slack


def _spelled_within(short: NameForm, long: NameForm) -> bool:
    """Each word of ``short`` a variant of its own word of ``long``, the head word among them."""
    free = list(dict.fromkeys(long.words))
    head_matched = False
    for word in dict.fromkeys(short.words):
        match = next((w for w in free if variant(word, w)), None)
        if match is None:
            return False
        free.remove(match)
        head_matched = head_matched or match == long.head
    return head_matched


@lru_cache(maxsize=1 << 16)  # a lookup meets the same words of hundreds of candidates
def _skeleton(word: str) -> str:
    """The first letter and the consonants in order, doubled letters once, transliterations folded:
    "guetta" and "goita" are g-t, "choigou" and "shoigu" $-g."""
    for written, sound in TRANSLITERATIONS:
        word = word.replace(written, sound)
    letters = [word[0], *(c for c in word[1:] if c not in "aeiouyh")]
    return "".join(c for i, c in enumerate(letters) if i == 0 or c != letters[i - 1])


def _acronym_of(acronym: str, words: tuple[str, ...], skipped: int = 0, first: bool = True) -> bool:
    """Can ``acronym`` be spelt by starts of ``words`` in order (the first word's among them), skipping at most one?"""
    if not acronym:
        return len(words) + skipped <= 1
    if not words:
        return False
    word, rest = words[0], words[1:]
    for length in range(min(len(word), len(acronym)), 0, -1):
        if word[:length] == acronym[:length] and _acronym_of(acronym[length:], rest, skipped, False):
            return True
    return not first and skipped == 0 and _acronym_of(acronym, rest, 1, False)


class NameIndex:
    """Names to look near ones up among, by blocking keys so a lookup never scans every name.

    A candidate shares with the name looked up one of its content words, or as
    many words and the start of one of them, or (acronyms) the first letter
    of its first word. Names stating numbers are near only names stating the
    same numbers (looked up by them) or none, so they are kept apart. A key
    carried by more than :data:`COMMON_KEY` names is too common to look up by.
    Candidates whose words cannot be variants of the name's (:class:`_WordCover`,
    an exact filter) are passed over before the rules are tried.
    """

    def __init__(self) -> None:
        Entries = list[tuple[NameForm, Hashable]]
        self._plain: dict[tuple, Entries] = defaultdict(list)  # names without numbers, by key
        self._numbered: dict[tuple, Entries] = defaultdict(list)  # names with numbers, by key
        self._same_numbers: dict[frozenset, Entries] = defaultdict(list)  # names with numbers, by their numbers

    def add(self, name: str | NameForm, owner: Hashable) -> None:
        form = name if isinstance(name, NameForm) else name_form(name)
        entry = (form, owner)  # one tuple in every list: an index of many names stays few objects
        by_key = self._numbered if form.numbers else self._plain
        for key in _keys(form):
            by_key[key].append(entry)
        if form.numbers:
            self._same_numbers[form.numbers].append(entry)

    def matches(self, name: str | NameForm) -> Iterator[tuple[NameForm, Hashable, str]]:
        """Every indexed (name, owner, rule) near ``name``, each name once."""
        form = name if isinstance(name, NameForm) else name_form(name)
        seen: set[tuple[str, Hashable]] = set()
        cover = _WordCover(form)
        for candidate, owner in self._candidates(form):
            if not (form.acronym or candidate.acronym or cover.may_share_words(candidate)):
                continue  # near would say None: skipped cheaply, before the rules
            if (candidate.stated, owner) in seen:
                continue
            seen.add((candidate.stated, owner))
            rule = near(form, candidate)
            if rule:
                yield candidate, owner, rule

    def _candidates(self, form: NameForm) -> Iterator[tuple[NameForm, Hashable]]:
        lists = [self._plain] if form.numbers else [self._plain, self._numbered]
        if form.numbers:
            yield from _unless_common(self._same_numbers.get(form.numbers, ()))
        if not any(lists):
            return
        for key in _keys(form, lookup=True):
            for by_key in lists:
                yield from _unless_common(by_key.get(key, ()))


def _unless_common(entries):
    return () if len(entries) > COMMON_KEY else entries


def _keys(form: NameForm, lookup: bool = False) -> Iterator[tuple]:
    """Blocking keys: every content word, (word count, position, first two letters), and the first
    letter an acronym and its expansion share (an acronym is looked up among expansions, and back)."""
    for word in form.words:
        yield ("word", word)
    for position, word in enumerate(form.words):
        yield ("start", len(form.words), position, word[:2])
    if form.acronym:
        yield ("acronym" if not lookup else "expansion", form.acronym[0])
    elif len(form.initials_of) > 1:
        yield ("expansion" if not lookup else "acronym", form.initials_of[0][0])


def near_pairs(names: Iterable[tuple[str, Hashable]]) -> Iterator[tuple[str, Hashable, str, Hashable, str]]:
    """Every two names of different owners that are near: (name, owner, other name, other owner, rule)."""
    index = NameIndex()
    for name, owner in names:
        form = name_form(name)
        for candidate, other, rule in index.matches(form):
            if other != owner:
                yield name, owner, candidate.stated, other, rule
        index.add(form, owner)
