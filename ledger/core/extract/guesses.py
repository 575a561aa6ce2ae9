"""Guessing whom a sentence cites, what it is about and what it claims, each with its reason.

Everything the guesses know about the ledger arrives as plain data (``Known``):
entity names with their aliases (and the attributes their claims use), and
attribute names with kind and description. Nothing here reads a database.

- Attribution: "according to X" / "selon X", "X said|reported|told|estimated",
  "said X", "sources said"; a parenthesised short name is preferred
  ("the Armed Conflict ... Project (ACLED)" → ACLED); a pronoun is no answer.
- Subject: an entity whose name or alias is written in the sentence wins;
  otherwise entities are scored by the weight of their name's words found in
  the sentence over the square root of the name's total weight, each word
  weighted by how rare it is among all names (so "Mali" in every name counts
  little and "Kalashnikov" a lot), words of the value's clause counting more
  than the rest. A name written whole scores as if every word were found, a
  little more; an entity whose claims already use the guessed attribute gets a
  bonus. Below ``MIN_SUBJECT_SCORE`` the subject is left to the analyst.
- Attribute: among the attributes of the value's kind (money, quantity, date,
  text), the one whose name and description share most (rare) words with what
  is counted ("1,000 Russian mercenaries"), the clause's words, and the cue
  around a date ("since 2013" → start); a small table maps news verbs and nouns
  to the words attributes are described with ("killed" → deaths, "signed" →
  signing). A kind with one known attribute gets it when nothing else speaks.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

MIN_SUBJECT_SCORE = 1.0
ATTRIBUTE_BONUS = 1.5  # the entity's claims already use the guessed attribute
OTHER_ATTRIBUTES_PENALTY = 0.7  # ... and its claims use only other attributes
WRITTEN_BONUS = 1.2
EXAMPLE_WEIGHT = 2.0  # the whole name or alias is written, not just its words
CLAUSE_WEIGHT, SENTENCE_WEIGHT, PREVIOUS_WEIGHT = 1.0, 0.7, 0.35


@dataclass(frozen=True)
class KnownEntity:
    name: str
    aliases: tuple[str, ...] = ()
    attributes: frozenset[str] = frozenset()  # attributes its claims already use


@dataclass(frozen=True)
class KnownAttribute:
    name: str
    kind: str
    description: str | None = None


@dataclass(frozen=True)
class KnownClaim:
    """A recorded claim's quote and what the analyst made of it: an example for new sentences."""

    quote: str
    subject: str  # the canonical entity name
    attribute: str


@dataclass(frozen=True)
class Known:
    """The names a draft may use: the ledger's entities and attributes, and its claims as examples."""

    entities: tuple[KnownEntity, ...] = ()
    attributes: tuple[KnownAttribute, ...] = ()
    claims: tuple[KnownClaim, ...] = ()


@dataclass(frozen=True)
class Nearest:
    """The best similarity of a sentence to recorded claims, per subject and per attribute."""

    subjects: dict[str, tuple[float, str]]  # entity → (similarity, the example's quote)
    attributes: dict[str, tuple[float, str]]


@dataclass(frozen=True)
class Guess:
    value: str | None
    reason: str


_STOP = frozenset(
    "a an and or but the of in on at to for from by with as is was were are be been has have had it its "
    "this that these those their his her our which who whom whose when where than then into over under about "
    "after before since until during while not no also will would could should may might can did do does "
    "s de la le les des du et en un une au aux d l".split()
)
_DESCRIPTION_FILLER = frozenset("number date value one named given something e.g per amount".split())
#: News words → the words attribute names and descriptions use for them.
_CUE_WORDS = {
    "killed": "killed deaths dead", "kill": "killed deaths", "killing": "killed deaths", "died": "deaths dead",
    "dead": "deaths dead killed", "death": "deaths", "victim": "deaths killed", "casualty": "deaths killed",
    "wounded": "injured", "injured": "injured",
    "signed": "signed signing", "sign": "signed signing", "concluded": "signed signing concluded",
    "clinched": "signed signing", "inked": "signed signing", "pact": "agreement signed",
    "launched": "start began launched", "began": "start began", "started": "start began",
    "established": "start began established", "founded": "start began", "created": "start began",
    "since": "start began since", "beginning": "start began", "entered": "start began",
    "ended": "end ended", "until": "end ended", "end": "end ended", "withdrew": "withdrawal withdrew end",
    "withdraw": "withdrawal withdrew", "independence": "end ended",
    "soldier": "troops soldiers", "troop": "troops soldiers", "mercenary": "troops mercenaries soldiers",
    "force": "troops soldiers", "personnel": "troops soldiers", "instructor": "troops instructors",
    "deployed": "deployed troops", "deployment": "deployed troops", "sent": "deployed",
    "held": "held", "met": "held meeting", "meeting": "held meeting", "summit": "held summit",
    "visit": "held visit", "visited": "held visit", "gathered": "held summit", "talk": "held talks",
    "discussion": "held talks",
    "worth": "price cost value", "paid": "price paid", "cost": "cost", "spent": "cost spent",
    "bought": "price purchased purchase", "buy": "price purchased purchase", "purchase": "price purchase",
    "budget": "cost", "contract": "price contract", "deal": "price deal",
    "announced": "announced announcement", "announce": "announced announcement",
    "coup": "coup", "election": "elections scheduled", "scheduled": "scheduled",
    "inhabitant": "population inhabitants", "home": "population inhabitants", "resident": "population",
    "percent": "share", "share": "share",
    "increased": "increase grown", "fivefold": "increase factor", "tripled": "increase factor",
    "doubled": "increase factor", "time": "factor",
}
_KIND_OF_UNIT = {"percent": "share percentage", "times": "factor times increase"}

_ACCORDING = re.compile(
    r"\b(?:according\s+to|selon|d['’]apr[èe]s|citing|cited\s+by|reported\s+by)\s+(?P<who>[^,.;:()“”\"]+)"
    r"(?:\s*\((?P<short>[^()]{2,40})\))?",
    re.IGNORECASE,
)
_SPEECH = (r"said|says|told|tells|reported|reports|stated|states|announced|estimated|estimates|claimed|claims"
           r"|noted|added|wrote|explained|explains|confirmed|warned|insisted")
_NAME = r"(?:[A-Z][\w'’.-]*|al-[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’.-]*|of|the|de|du|al|bin|von|van|le|la)){0,6}"
_BEFORE_VERB = re.compile(rf"(?P<who>{_NAME})(?:,[^,]{{1,80}},)?\s+(?:has\s+|had\s+|also\s+)?(?:{_SPEECH})\b")
_AFTER_VERB = re.compile(rf"\b(?:{_SPEECH})\s+(?P<who>{_NAME})")
_GROUP = re.compile(
    r"(?P<who>(?:(?:the|some|several|many|two|three|other)\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:sources|officials|diplomats|ministry|government|army|police|analysts|experts|witnesses|spokesman"
    r"|spokeswoman|spokesperson|residents|authorities|military|observers|activists))\s+(?:have\s+|had\s+)?"
    rf"(?:{_SPEECH})\b",
    re.IGNORECASE,
)
_NOUN_PHRASE_SPEECH = re.compile(  # "the city council reported", "Ukraine's air force said"
    rf"(?P<who>(?:the|[A-Z][\w'’-]*)(?:\s+[\w'’-]+){{1,3}}?)\s+(?:has\s+|had\s+)?(?:{_SPEECH})\b"
)
_FRENCH_SPEECH = re.compile(
    rf"(?P<who>{_NAME})\s+(?:a|ont|avait|avaient)\s+(?:déclaré|affirmé|indiqué|annoncé|estimé|précisé"
    r"|expliqué|rapporté|assuré)"
)
_PRONOUNS = frozenset("he she they it we i you il elle ils elles on nous this that".split())
_NOT_NAMES = frozenset("the a an but and in on at as however meanwhile so yet then".split())


@lru_cache(maxsize=4096)  # every value of a sentence asks again
def guess_attribution(sentence: str) -> Guess:
    """Whom ``sentence`` cites for what it states, or no one."""
    if found := _ACCORDING.search(sentence):
        if found["short"] and not re.search(r"\d", found["short"]):
            return Guess(found["short"].strip(), f"'{found.group().strip()}': the short name in brackets")
        who = _trim_name(found["who"])
        if who:
            return Guess(who, f"'{found.group().strip()}'")
    for pattern, how in ((_BEFORE_VERB, "named before"), (_AFTER_VERB, "named after"),
                         (_FRENCH_SPEECH, "named before"), (_GROUP, "named before"),
                         (_NOUN_PHRASE_SPEECH, "named before")):
        for found in pattern.finditer(sentence):
            who = _trim_name(found["who"])
            if who and who.lower() not in _PRONOUNS:
                return Guess(who, f"'{_shorten(found.group())}': {how} a verb of saying")
    return Guess(None, "no 'according to', 'X said' or 'X reported' in the sentence")


def _trim_name(text: str) -> str | None:
    words = text.strip().split()
    while words and words[0].lower() in _NOT_NAMES:
        words = words[1:]
    while words and words[-1].lower() in ("of", "the", "de", "du", "la", "le"):
        words = words[:-1]
    if not words or len(words) > 8 or words[0].lower() in _PRONOUNS:
        return None
    name = " ".join(words).strip(" '\"“”’")
    return name[:-1] if name.endswith(".") and len(words[-1]) > 2 else name


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=1 << 14)
def words_of(text: str) -> tuple[str, ...]:
    """Content words, lower-cased, without accents, crudely singular ("mercenaries" → "mercenary")."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    found = []
    for word in re.findall(r"[a-z0-9+]+", plain.replace("'s ", " ").replace("’s ", " ")):
        if word in _STOP or len(word) < 2:
            continue
        word = _singular(word)
        found.append(_SAME_WORD.get(word, word))
    return tuple(found)


#: Spellings and near-synonyms news writes for the same thing, mapped to one word.
_SAME_WORD = {
    "defence": "defense", "offence": "offense", "pact": "agreement", "treaty": "agreement", "accord": "agreement",
    "deal": "agreement", "discussion": "talk", "negotiation": "talk", "organisation": "organization",
}


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass
class Guesser:
    """Guesses against one ``Known``; word weights are computed once."""

    known: Known
    _entity_weights: dict[str, float] = field(init=False)
    _attribute_weights: dict[str, float] = field(init=False)
    _attribute_words: dict[str, Counter] = field(init=False)

    def __post_init__(self):
        self._entity_weights = _idf([set(words_of(" ".join((e.name, *e.aliases)))) for e in self.known.entities])
        self._attribute_words = {a.name: _attribute_vocabulary(a) for a in self.known.attributes}
        self._attribute_weights = _idf([set(v) for v in self._attribute_words.values()])
        kinds = {a.name: a.kind for a in self.known.attributes}
        self._examples = [(c, kinds.get(c.attribute), set(words_of(c.quote))) for c in self.known.claims]
        self._example_weights = _idf([words for _, _, words in self._examples])
        self._example_index: dict[str, list[int]] = {}
        for number, (_, _, words) in enumerate(self._examples):
            for word in words:
                self._example_index.setdefault(word, []).append(number)
        self._example_norms = [math.sqrt(sum(self._example_weights[w] ** 2 for w in words)) or 1.0
                               for _, _, words in self._examples]

    def nearest(self, text: str, kind: str) -> Nearest:
        """Recorded claims of ``kind`` most like ``text`` (idf-weighted cosine of their words)."""
        words = {w for w in words_of(text) if w in self._example_weights}
        norm = math.sqrt(sum(self._example_weights[w] ** 2 for w in words)) or 1.0
        shared: Counter = Counter()
        for word in words:
            for number in self._example_index[word]:
                shared[number] += self._example_weights[word] ** 2
        subjects, attributes = {}, {}
        for number, dot in shared.items():
            claim, example_kind, _ = self._examples[number]
            if example_kind != kind:
                continue
            similarity = dot / (norm * self._example_norms[number])
            for found, key in ((subjects, claim.subject), (attributes, claim.attribute)):
                if similarity > found.get(key, (0.0, ""))[0]:
                    found[key] = (similarity, claim.quote)
        return Nearest(subjects, attributes)

    def subject(self, sentence: str, clause: str, attribute: str | None, cited: str | None = None,
                previous: str = "", nearest: Nearest | None = None) -> Guess:
        """The known entity ``sentence`` is most likely about, or None; never the one it ``cited``.

        ``previous`` (the sentence before, in the same paragraph) counts a little:
        "The contract also allowed ..." names the contract the sentence before introduced.
        """
        lowered = f" {_plain(sentence)} "
        weights = {}
        for text, weight in ((previous, PREVIOUS_WEIGHT), (sentence, SENTENCE_WEIGHT), (clause, CLAUSE_WEIGHT)):
            weights.update({root: weight for word in words_of(text) for root in _roots(word)})
        cited_plain = _plain(cited) if cited else None
        best, best_score, best_reason = None, 0.0, ""
        for entity in self.known.entities:
            names = (entity.name, *entity.aliases)
            if cited_plain and any(_plain(name) in cited_plain or cited_plain in _plain(name) for name in names):
                continue
            example = nearest.subjects.get(entity.name) if nearest else None
            for name in names:
                score, reason = self._evidence(name, lowered, weights)
                if example:
                    score += EXAMPLE_WEIGHT * example[0]
                    reason += f"{'; ' if reason else ''}like the claim quoted '{_shorten(example[1])}' ({example[0]:.2f})"
                if attribute and attribute in entity.attributes and score:
                    score *= ATTRIBUTE_BONUS
                    reason += f"; its claims already use {attribute}"
                elif attribute and entity.attributes and score:
                    score *= OTHER_ATTRIBUTES_PENALTY
                    reason += f"; its claims use other attributes than {attribute}"
                if score > best_score:
                    best, best_score, best_reason = entity.name, score, reason
        if best is None or best_score < MIN_SUBJECT_SCORE:
            return Guess(None, "no known entity's name or enough of its rare words in the sentence")
        return Guess(best, f"{best_reason} (score {best_score:.2f})")

    def _evidence(self, name: str, lowered: str, weights: dict[str, float]):
        """How strongly the text names ``name``: the weight of its words found, over the root of its total.

        The root keeps long names from losing to short ones that match fully by chance
        ("Mali" against "Mali–Rosoboronexport Kalashnikov deal" in a sentence about Kalashnikovs).
        """
        words = set(words_of(name))
        found = sorted(w for w in words if w in weights)
        total = sum(self._entity_weights.get(w, 0) for w in words)
        if not found or not total:  # no word of it nearby: it cannot be written there either
            return 0.0, ""
        if _written(name).search(lowered):
            return math.sqrt(total) * WRITTEN_BONUS, f"'{name}' is written in the sentence"
        weight = sum(self._entity_weights.get(w, 0) * weights[w] for w in found)
        return weight / math.sqrt(total), f"words of '{name}' nearby: {', '.join(found)}"

    def attribute(self, kind: str, counted: str | None, clause: str, near: str, cue: str | None,
                  unit: str | None, nearest: Nearest | None = None) -> Guess:
        """The known attribute of ``kind`` the value most likely states, or None.

        ``clause`` and ``near`` (a few words either side) come without the value
        itself, so "the end of June" is no evidence of an end date.
        """
        candidates = [a for a in self.known.attributes if a.kind == kind]
        if not candidates:
            return Guess(None, f"no known {kind} attribute")
        evidence = Counter()
        for text, weight in ((counted or "", 3), (near, 2), (clause, 1)):
            for word in words_of(text):
                evidence[word] += weight
        for word in (cue or "", unit or ""):
            for cue_word in _KIND_OF_UNIT.get(word, word).split():
                evidence[cue_word] += 2
        for word, count in list(evidence.items()):
            for cue_word in _CUE_WORDS.get(word, "").split():
                evidence[_singular(cue_word)] += count
        scored = []
        for attribute in candidates:
            vocabulary = self._attribute_words[attribute.name]
            matched = {w: vocabulary[w] * self._attribute_weights.get(w, 0) * evidence[w]
                       for w in vocabulary if evidence[w]}
            scored.append((sum(matched.values()), attribute.name, sorted(matched, key=matched.get, reverse=True)))
        top = max(score for score, _, _ in scored) or 1.0
        examples = nearest.attributes if nearest else {}
        ranked = []
        for score, name, matched in scored:
            example = examples.get(name)
            reasons = [f"words shared with '{name}': {', '.join(matched[:4])}"] if matched else []
            if example:
                reasons.append(f"like the claim quoted '{_shorten(example[1])}' ({example[0]:.2f})")
            ranked.append((score / top + (EXAMPLE_WEIGHT * example[0] if example else 0.0), name, reasons))
        score, name, reasons = max(ranked)
        if score > 0:
            return Guess(name, f"{kind}; " + "; ".join(reasons))
        if len(candidates) == 1:
            return Guess(candidates[0].name, f"the only known {kind} attribute")
        return Guess(None, f"{kind}, but no word of the clause points to one of {len(candidates)} attributes")


def _roots(word: str) -> set[str]:
    """The word and, for a people's word, its country's: "malian" → mali, "russian" → russia, "african" → africa."""
    if word.endswith("an") and len(word) > 5:
        return {word, word[:-1], word[:-2]}
    return {word}


@lru_cache(maxsize=1 << 14)
def _written(name: str) -> re.Pattern:
    """``name`` as a whole phrase of a ``_plain`` text."""
    return re.compile(rf"(?<![\w-]){re.escape(_plain(name))}(?![\w-])")


@lru_cache(maxsize=1 << 14)
def _plain(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("–", "-").replace("—", "-"))
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).lower().split())


def _idf(documents: list[set[str]]) -> dict[str, float]:
    counts = Counter(word for document in documents for word in document)
    return {word: math.log(1 + len(documents) / count) for word, count in counts.items()}


def _attribute_vocabulary(attribute: KnownAttribute) -> Counter:
    """Name words count twice, description words once; words every description uses not at all."""
    vocabulary = Counter()
    for word in words_of(attribute.name.replace("_", " ")):
        vocabulary[word] += 2
    for word in words_of(attribute.description or ""):
        if word not in _DESCRIPTION_FILLER:
            vocabulary[word] += 1
    return vocabulary
