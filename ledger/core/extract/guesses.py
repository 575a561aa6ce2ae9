"""Guessing what a sentence is about and what it claims, each with its reason (whom it cites: ``attribution``).

Everything the guesses know about the ledger arrives as plain data (``Known``):
entity names with their aliases (and the attributes their claims use),
attribute names with kind and description, and recorded claims (quote, value,
subject, attribute) as examples. Nothing here reads a database. Words are
compared stemmed, with news synonyms and demonyms folded (``words``).

- Subject: an entity is *written* in the sentence when its name, an alias, the
  initials of a long name ("ECOWAS") or a person's surname is; it then scores
  at least ``WRITTEN_FLOOR``, however common its words, more when written in
  the value's clause than elsewhere in the sentence. Otherwise entities are
  scored by the weight of their name's words found in the sentence over the
  square root of the name's total weight, each word weighted by how rare it is
  among all names (so "Mali" in every name counts little and "Kalashnikov" a
  lot), words of the value's clause counting more than the rest, a people's or
  capital's word counting for its country ("Russian", "Moscow" → Russia); one
  word of a name of three or more is a coincidence, not evidence. Recorded
  claims whose quotes read alike add to their subject, but only to one the
  sentence names (wording alike says what happened, not to whom); an entity
  whose claims already use the guessed attribute gets a bonus. A year in an entity's name must agree with the claim's time
  ("September" of a 2019 article is not the "... meeting (2021)"), and counts
  as a word found when the time is a year or two around it. A sentence that
  opens with a pronoun ("It started in the 1960s") is read with the sentence
  before. Below ``MIN_SUBJECT_SCORE`` the subject is left to the analyst.
- Attribute: among the attributes of the value's kind (money, quantity, date,
  text), the one whose name and description share most (rare) words with what
  is counted ("1,000 Russian mercenaries"), the words near the value, the
  clause's words, and the cue around a date ("since 2013" → start), helped by
  recorded claims that read alike (alone, only when at least
  ``MIN_RESEMBLANCE`` alike in ``MIN_SHARED_WORDS`` words that are no names:
  "people" in both quotes does not make a death toll a population, nor
  "President X" a coup a signing). Numbers and value words ("nearly",
  "million", month names) are no evidence, nor are words beyond the next
  figure ("killed 39 people and forced 24,000 from their homes"). A quantity attribute
  whose recorded values are of another measure (percent, times, km, a count)
  or count other things ("military coups" against claims counting troops) is
  no candidate; a count of people fits any attribute counting people; once
  recorded claims have judged the measure, the unit's own words ("percent" →
  share) choose nothing more. A kind with one known attribute gets it when
  nothing else speaks; else ``attribute_of`` offers the one attribute of the kind the
  guessed subject's claims use.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ledger.core.extract.spans import MEASURE_UNITS, counted_after
from ledger.core.extract.words import (
    KIND_OF_UNIT,
    common_words,
    cue_words,
    evidence_words,
    plain_text,
    roots,
    stem,
    words_of,
)
from ledger.core.values import parse_value

MIN_SUBJECT_SCORE = 1.0
WRITTEN_FLOOR = 1.2  # a name written whole is guessed (above MIN_SUBJECT_SCORE even after the penalty)
ATTRIBUTE_BONUS = 1.2  # the entity's claims already use the guessed attribute
OTHER_ATTRIBUTES_PENALTY = 0.85  # ... and its claims use only other attributes
WRITTEN_BONUS = 1.2
WRITTEN_DISTANCE = 0.5  # a name written in the value's clause counts more than one further away
CLOSE_YEARS = 2  # a year in an entity's name counts as found when the claim's time is this narrow around it
EXAMPLE_WEIGHT = 2.0  # a recorded claim alike adds this many times its similarity
MIN_RESEMBLANCE, MIN_SHARED_WORDS = 0.4, 2  # an example alone must be this similar, in this many words
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
    value: str | None = None  # as stated; with the quote it tells what the attribute's values measure


@dataclass(frozen=True)
class Known:
    """The names a draft may use: the ledger's entities and attributes, and its claims as examples."""

    entities: tuple[KnownEntity, ...] = ()
    attributes: tuple[KnownAttribute, ...] = ()
    claims: tuple[KnownClaim, ...] = ()


@dataclass(frozen=True)
class Nearest:
    """The best similarity of a sentence to recorded claims, per subject and per attribute."""

    subjects: dict[str, tuple[float, str, int]]  # entity → (similarity, the example's quote, common words shared)
    attributes: dict[str, tuple[float, str, int]]

    @staticmethod
    def alone(example: tuple[float, str, int]) -> bool:
        """Whether an example is evidence enough by itself: alike enough, in more than one word not a name."""
        return example[0] >= MIN_RESEMBLANCE and example[2] >= MIN_SHARED_WORDS


@dataclass(frozen=True)
class Guess:
    value: str | None
    reason: str


_DESCRIPTION_FILLER = frozenset(stem(w) for w in "number date value one named given something e.g per amount".split())
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
#: Words for people: a count of any of them fits an attribute counting another ("officials" / troops).
_PERSON_WORDS = frozenset(stem(w) for w in (
    "people person man woman child civilian soldier troop mercenary fighter official officer instructor "
    "adviser advisor worker resident inhabitant refugee migrant victim staff personnel member militant rebel "
    "jihadist protester demonstrator student patient voter employee citizen prisoner hostage police guard "
    "diplomat minister leader commander pilot sailor marine recruit volunteer contractor").split())
#: Words that say what kind of thing is counted, not what: "military" bases and "military" coups differ.
_MODIFIERS = frozenset(stem(w) for w in (
    "military armed foreign local national international regional new old other additional own more extra "
    "innocent young senior junior former active total official private public").split())
_NAME_PARTICLES = frozenset("of the and for de du des la le et in on".split())
#: Surnames are looked for alone only when the name's last word is no generic head of an organisation's name.
_GENERIC_LAST_WORDS = frozenset(
    "group force forces party company army council committee union agreement deal summit meeting operation "
    "war coup front movement ministry bank fund organization organisation association alliance coalition "
    "republic state states government project mission talks visit relations conference court office".split())

def shorten(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class _Profile:
    """What an attribute's recorded quantities look like: their measures and the nouns they count."""

    measures: frozenset[str]  # "count", "percent", "times", "measure"
    counted: frozenset[str]  # stems of the nouns its counts count ("troop", "mercenari")


def measure_of(unit: str | None) -> str:
    """The measure of a quantity's unit: a count, a percentage, a factor or a unit of measure."""
    if unit in ("percent", "times"):
        return unit
    if unit and set(unit.split()) <= MEASURE_UNITS:
        return "measure"
    return "count"


def counted_words(counted: str | None) -> set[str]:
    """The stems of what a count counts, without modifiers: "Russian military instructors" → instructor."""
    return {w for w in evidence_words(counted or "") if w not in _MODIFIERS and roots(w) == {w}}


def _is_person(word: str) -> bool:
    return word in _PERSON_WORDS or word.endswith("men")


@dataclass
class Guesser:
    """Guesses against one ``Known``; word weights, name forms and profiles are computed once."""

    known: Known
    _entity_weights: dict[str, float] = field(init=False)
    _attribute_weights: dict[str, float] = field(init=False)
    _attribute_words: dict[str, Counter] = field(init=False)

    def __post_init__(self):
        forms = _mention_forms(self.known.entities)
        self._forms = {entity.name: forms[entity.name] for entity in self.known.entities}
        self._years = {e.name: {int(y) for y in _YEAR.findall(" ".join((e.name, *e.aliases)))}
                       for e in self.known.entities}
        self._entity_weights = _idf([set(words_of(" ".join(forms[e.name]))) for e in self.known.entities])
        self._form_cache: dict[str, tuple] = {}
        self._entities = {entity.name: entity for entity in self.known.entities}
        self._number = {entity.name: number for number, entity in enumerate(self.known.entities)}
        self._by_word: dict[str, list[int]] = {}  # a word (or its country) → the entities whose names hold it
        for number, entity in enumerate(self.known.entities):
            for word in {r for w in words_of(" ".join(forms[entity.name])) for r in roots(w)}:
                self._by_word.setdefault(word, []).append(number)
        self._dated = [number for number, entity in enumerate(self.known.entities) if self._years[entity.name]]
        self._attribute_words = {a.name: _attribute_vocabulary(a) for a in self.known.attributes}
        self._attribute_weights = _idf([set(v) for v in self._attribute_words.values()])
        kinds = {a.name: a.kind for a in self.known.attributes}
        self._profiles = _profiles(self.known.claims, kinds)
        self._examples = _Examples([(c, kinds.get(c.attribute)) for c in self.known.claims])

    def nearest(self, text: str, kind: str) -> Nearest:
        """Recorded claims of ``kind`` most like ``text`` (idf-weighted cosine of their words)."""
        return self._examples.similar(text, kind)

    def subject(self, sentence: str, clause: str, attribute: str | None, cited: str | None = None,
                previous: str = "", nearest: Nearest | None = None, years: tuple[int | None, int | None] | None = None,
                carried: bool = False) -> Guess:
        """The known entity ``sentence`` is most likely about, or None; never the one it ``cited``.

        ``previous`` (the sentence before, in the same paragraph) counts a little:
        "The contract also allowed ..." names the contract the sentence before
        introduced; when the sentence opens with a pronoun (``carried``) it counts
        as much as the sentence, names written there included. ``years`` is the
        claim's time as (first year, last year), None where open.
        """
        written_in = (f" {plain_text(clause)} ", f" {plain_text(sentence)} ", f" {plain_text(previous)} " if carried else "")
        weights = {}
        for text, weight in ((previous, SENTENCE_WEIGHT if carried else PREVIOUS_WEIGHT), (sentence, SENTENCE_WEIGHT),
                             (clause, CLAUSE_WEIGHT)):
            weights.update({root: weight for word in words_of(text) for root in roots(word)})
        cited_plain = plain_text(cited) if cited else None
        best, best_score, best_reason = None, 0.0, ""
        for entity in self._candidates(weights, nearest, years):
            forms = self._forms[entity.name]
            if cited_plain and any(plain_text(f) in cited_plain or cited_plain in plain_text(f) for f in forms):
                continue
            agreement = _year_agreement(self._years[entity.name], years)
            if agreement is False:
                continue
            example = nearest.subjects.get(entity.name) if nearest else None
            score, reason = max((self._evidence(form, written_in, weights, bool(agreement)) for form in forms),
                                key=lambda evidence: evidence[0])
            if example and score:  # wording alike says what happened, not to whom: names must be there too
                score += EXAMPLE_WEIGHT * example[0]
                reason += f"{'; ' if reason else ''}like the claim quoted '{shorten(example[1])}' ({example[0]:.2f})"
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

    def _candidates(self, weights: dict[str, float], nearest: Nearest | None, years) -> list[KnownEntity]:
        """The entities with a word nearby, a recorded claim alike, or a year to agree with, in the ledger's order."""
        found = {number for word in weights for number in self._by_word.get(word, ())}
        if nearest:
            found.update(self._number[name] for name in nearest.subjects)
        if years:
            found.update(self._dated)
        return [self.known.entities[number] for number in sorted(found)]

    def _evidence(self, name: str, written_in: tuple[str, str, str], weights: dict[str, float], agreed: bool) -> tuple[float, str]:
        """How strongly the text names ``name``: the weight of its words found, over the root of its total.

        The root keeps long names from losing to short ones that match fully by chance
        ("Mali" against "Mali–Rosoboronexport Kalashnikov deal" in a sentence about Kalashnikovs).
        """
        words, total = self._form_words(name)
        found = {}
        for word, word_roots in words:  # "French" in a name, "France" nearby; a year counts if it agrees
            if word.isdigit():
                weight = CLAUSE_WEIGHT if agreed else 0.0
            else:
                weight = max(weights.get(r, 0.0) for r in word_roots)
            if weight:
                found[word] = weight
        if not found or not total:  # no word of it nearby: it cannot be written there either
            return 0.0, ""
        pattern = _written(name)
        for text, weight, where in zip(written_in, (CLAUSE_WEIGHT, SENTENCE_WEIGHT, SENTENCE_WEIGHT ** 2),
                                       ("its clause", "the sentence", "the sentence before")):
            if pattern.search(text):
                score = max(math.sqrt(total) * WRITTEN_BONUS, WRITTEN_FLOOR) * weight ** WRITTEN_DISTANCE
                return score, f"'{name}' is written in {where}"
        if len(found) < min(2, len(words) - 1):  # one word of a longer name is a coincidence ("forced", "Force")
            return 0.0, ""
        weight = sum(self._entity_weights.get(w, 0) * found[w] for w in found)
        return weight / math.sqrt(total), f"words of '{name}' nearby: {', '.join(sorted(found))}"

    def _form_words(self, name: str) -> tuple[tuple[tuple[str, frozenset[str]], ...], float]:
        """A name's words with their roots, and the sum of their weights (computed once per name)."""
        if name not in self._form_cache:
            words = set(words_of(name))
            self._form_cache[name] = (tuple((w, roots(w)) for w in sorted(words)),
                                      sum(self._entity_weights.get(w, 0) for w in words))
        return self._form_cache[name]

    def attribute(self, kind: str, counted: str | None, clause: str, near: str, cue: str | None,
                  unit: str | None, nearest: Nearest | None = None) -> Guess:
        """The known attribute of ``kind`` the value most likely states, or None.

        ``clause`` and ``near`` (a few words either side) come without the value
        itself, so "the end of June" is no evidence of an end date.
        """
        candidates = [a for a in self.known.attributes if a.kind == kind]
        if not candidates:
            return Guess(None, f"no known {kind} attribute")
        if kind == "quantity":
            fitting = [a for a in candidates if self._fits(a.name, unit, counted)]
            if not fitting:
                what = f"'{counted}'" if counted and measure_of(unit) == "count" else measure_of(unit)
                return Guess(None, f"no known quantity attribute's claims count {what}")
            candidates = fitting
        evidence = Counter()
        for text, weight in ((counted or "", 3), (near, 2), (clause, 1)):
            for word in evidence_words(text):
                evidence[word] += weight
        judged = any(a.name in self._profiles for a in candidates)  # the unit already chose among them
        for word in (cue or "", "" if judged else unit or ""):  # "since", "until": function words, but a date's cue
            for cue_word in KIND_OF_UNIT.get(word, word).split():
                evidence[stem(cue_word)] += 2
        for word, count in list(evidence.items()):
            for cue_word in cue_words(word):
                if cue_word != word:
                    evidence[cue_word] += count
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
            if example and (matched or Nearest.alone(example)):
                reasons.append(f"like the claim quoted '{shorten(example[1])}' ({example[0]:.2f})")
                score += top * EXAMPLE_WEIGHT * example[0]
            ranked.append((score / top, name, reasons))
        score, name, reasons = max(ranked)
        if score > 0:  # shared words, or a recorded claim alike enough
            return Guess(name, f"{kind}; " + "; ".join(reasons))
        if len([a for a in self.known.attributes if a.kind == kind]) == 1:
            return Guess(candidates[0].name, f"the only known {kind} attribute")
        return Guess(None, f"{kind}, but no word of the clause points to one of the {len(candidates)} that fit")

    def attribute_of(self, entity: str, kind: str, unit: str | None, counted: str | None) -> Guess | None:
        """The one attribute of ``kind`` the claims of ``entity`` use (and the value fits), or None."""
        known = self._entities.get(entity)
        used = [a for a in self.known.attributes if a.kind == kind and known and a.name in known.attributes
                and (kind != "quantity" or self._fits(a.name, unit, counted))]
        if len(used) != 1:
            return None
        return Guess(used[0].name, f"the only {kind} attribute the claims of '{entity}' use")

    def _fits(self, attribute: str, unit: str | None, counted: str | None) -> bool:
        """Whether a quantity of ``unit`` counting ``counted`` can be a value of ``attribute``, by its claims."""
        profile = self._profiles.get(attribute)
        if profile is None:
            return True
        measure = measure_of(unit)
        if measure not in profile.measures:
            return False
        words = counted_words(counted) if measure == "count" else set()
        if not words or not profile.counted:
            return True
        near_words = words.union(*(cue_words(w) for w in words))
        if near_words & (profile.counted | set(self._attribute_words[attribute])):
            return True
        return any(map(_is_person, words)) and any(map(_is_person, profile.counted))


class _Examples:
    """Recorded claims indexed by their quotes' words, for the idf-weighted cosine of a new sentence's."""

    def __init__(self, examples: list[tuple[KnownClaim, str | None]]):
        self._examples = [(claim, kind, set(evidence_words(claim.quote))) for claim, kind in examples]
        self._common = [set(common_words(claim.quote)) for claim, _ in examples]  # names say who, not what
        self._weights = _idf([words for _, _, words in self._examples])
        self._index: dict[str, list[int]] = {}
        for number, (_, _, words) in enumerate(self._examples):
            for word in words:
                self._index.setdefault(word, []).append(number)
        self._norms = [math.sqrt(sum(self._weights[w] ** 2 for w in words)) or 1.0 for _, _, words in self._examples]

    def similar(self, text: str, kind: str) -> Nearest:
        """For each subject and attribute of the claims of ``kind``: the best similarity to ``text``, and its quote."""
        words = {w for w in evidence_words(text) if w in self._weights}
        norm = math.sqrt(sum(self._weights[w] ** 2 for w in words)) or 1.0
        shared: Counter = Counter()
        counts: Counter = Counter()
        for word in words:
            for number in self._index[word]:
                shared[number] += self._weights[word] ** 2
                counts[number] += word in self._common[number]
        subjects: dict[str, tuple[float, str, int]] = {}
        attributes: dict[str, tuple[float, str, int]] = {}
        for number, dot in shared.items():
            claim, example_kind, _ = self._examples[number]
            if example_kind != kind:
                continue
            similarity = dot / (norm * self._norms[number])
            for best, key in ((subjects, claim.subject), (attributes, claim.attribute)):
                if similarity > best.get(key, (0.0, "", 0))[0]:
                    best[key] = (similarity, claim.quote, counts[number])
        return Nearest(subjects, attributes)


def _profiles(claims: tuple[KnownClaim, ...], kinds: dict[str, str]) -> dict[str, _Profile]:
    """Each quantity attribute's measures and counted nouns, read from its recorded claims' values and quotes."""
    measures: dict[str, set[str]] = {}
    nouns: dict[str, set[str]] = {}
    for claim in claims:
        if not claim.value or kinds.get(claim.attribute) != "quantity":
            continue
        reading = parse_value(claim.value, "quantity")
        if reading.kind != "quantity":
            continue
        measure = measure_of(reading.unit)
        measures.setdefault(claim.attribute, set()).add(measure)
        if measure == "count":
            at = claim.quote.casefold().find(claim.value.casefold())
            counted = reading.unit or (counted_after(claim.quote, at + len(claim.value)) if at >= 0 else None)
            nouns.setdefault(claim.attribute, set()).update(counted_words(counted))
    return {name: _Profile(frozenset(found), frozenset(nouns.get(name, ()))) for name, found in measures.items()}


def _year_agreement(named: set[int], years: tuple[int | None, int | None] | None) -> bool | None:
    """True: a year of the name falls in a claim time at most ``CLOSE_YEARS`` wide; False: none falls in it."""
    if not named or years is None:
        return None
    low, high = years
    inside = [y for y in named if (low is None or y >= low) and (high is None or y <= high)]
    if not inside:
        return False
    return True if low is not None and high is not None and high - low <= CLOSE_YEARS else None


def _mention_forms(entities: tuple[KnownEntity, ...]) -> dict[str, tuple[str, ...]]:
    """Each entity's name, aliases, the initials of a long name, and a person's surname if no other name has it."""
    last_words = Counter(name.split()[-1].lower() for e in entities for name in (e.name, *e.aliases) if name.split())
    forms = {}
    for entity in entities:
        found = [entity.name, *entity.aliases]
        for name in (entity.name, *entity.aliases):
            words = name.split()
            capitals = [w for w in words if w.lower() not in _NAME_PARTICLES]
            if len(capitals) >= 3 and all(w[:1].isupper() for w in capitals):  # "Economic Community of ..."
                found.append("".join(w[0] for w in capitals))
            if _person_like(words) and words[-1].lower() not in _GENERIC_LAST_WORDS \
                    and last_words[words[-1].lower()] == 1:
                found.append(words[-1])
        forms[entity.name] = tuple(dict.fromkeys(found))
    return forms


def _person_like(words: list[str]) -> bool:
    """Two to four title-case words without digits, the last a real word: "Sadio Camara", not "BBC Africa"."""
    return 2 <= len(words) <= 4 and len(words[-1]) > 3 and all(
        w[:1].isupper() and not w.isupper() and not any(c.isdigit() for c in w) for w in words)


@lru_cache(maxsize=1 << 14)
def _written(name: str) -> re.Pattern:
    """``name`` as a whole phrase of a ``plain_text`` text."""
    return re.compile(rf"(?<![\w-]){re.escape(plain_text(name))}(?![\w-])")


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
