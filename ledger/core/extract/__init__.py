"""Drafting claims from an article: every figure and date the ledger can read, as claims to check.

``draft_claims(article, known, published, language)`` walks the article's prose
(``sentences``), finds the values in each sentence (``spans``), and for each
value that is a claim by itself drafts one: the value as written, the smallest
clause holding it as the quote, the nearest other date of the same clause (else
sentence) as its time, and guesses of attribution, subject and attribute
(``attribution``, ``guesses``), each with the reason it was made; an attribute
nothing points to is the one the guessed subject's claims use, if they use one
of that kind. What cannot be guessed is None, for the analyst to fill in.
Pure: text in, drafts out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.core.extract.attribution import guess_attribution
from ledger.core.extract.guesses import (
    Guess,
    Guesser,
    Known,
    KnownAttribute,
    KnownClaim,
    KnownEntity,
)
from ledger.core.extract.sentences import Sentence, is_furniture, prose_paragraphs, sentences
from ledger.core.extract.spans import Span, find_spans
from ledger.core.quotes import normalise_text
from ledger.core.readings import ParseContext, PartialDate, ValueReading

DATE_LINE_WITHIN = 15
NEAR_BEFORE, NEAR_AFTER = 40, 60  # characters around a value whose words speak most for its attribute

__all__ = ["Draft", "Known", "KnownAttribute", "KnownClaim", "KnownEntity", "draft_claims", "guess_published"]


@dataclass(frozen=True)
class Draft:
    """One proposed claim, with how its value was read and why each field was guessed."""

    value: str
    quote: str
    value_at: int  # where the value starts in the quote
    when: str | None
    kind: str  # quantity, money, date or text
    reading: str  # the reading in a few words: "[900,000, 1,000,000) EUR"
    counted: str | None
    subject: Guess
    attribute: Guess
    attributed_to: Guess
    note: str | None = None


def draft_claims(
    article: str, known: Known | None = None, published: PartialDate | None = None, language: str = "en"
) -> list[Draft]:
    """Draft claims for every readable figure and date of ``article``, in order of appearance."""
    context = ParseContext(published=published, language=language)
    guesser = Guesser(known or Known())
    drafts = []
    for paragraph in prose_paragraphs(article):
        previous = ""
        for sentence in sentences(paragraph):
            spans, _skips = find_spans(sentence.text, context)
            carried = bool(previous) and _OPENS_WITH_PRONOUN.match(sentence.text) is not None
            for span in spans:
                if not span.when_only:
                    drafts.append(_draft(sentence, span, spans, guesser, previous, carried))
            previous = sentence.text
    return drafts


#: "It started in the 1960s", "Indeed, they ...": the sentence before says what it is about.
_OPENS_WITH_PRONOUN = re.compile(
    r"^\W*(?:(?:indeed|however|but|and|so|yet|still|moreover|also|then|thus|meanwhile|in fact|now)\W+)*"
    r"(?:it|its|they|their|this|these|he|his|she|her|il|elle|ils|elles)\b",
    re.IGNORECASE,
)
_EDIT_DATE = re.compile(r"^\W*(?:updated|modified|edited|last edited|mis à jour|modifié)", re.IGNORECASE)


def guess_published(article: str, language: str = "en") -> tuple[PartialDate, str] | None:
    """The publication day from a date line near the top ("Global Research, July 02, 2019"), and that line.

    Only a line that is page furniture (short, no sentence) among the first
    ``DATE_LINE_WITHIN`` lines, stating a whole day, and not an edit date ("Updated: ...").
    """
    lines = [normalise_text(line) for line in article.splitlines() if line.strip()][:DATE_LINE_WITHIN]
    for line in lines:
        if not is_furniture(line) or _EDIT_DATE.search(line):
            continue
        spans, _ = find_spans(line, ParseContext(language=language))
        for span in spans:
            reading = span.reading
            if span.kind == "date" and reading.interval and reading.precision == "day" and \
                    reading.interval.low == reading.interval.high:
                day = reading.interval.low
                return PartialDate(day.year, day.month, day.day), line
    return None


def _draft(sentence: Sentence, span: Span, spans: list[Span], guesser: Guesser, previous: str,
           carried: bool) -> Draft:
    offset = sentence.start
    clause = sentence.clause_at(offset + span.start, offset + span.end)
    kind = _kind(span)
    attribution = guess_attribution(sentence.text)
    time = span if span.kind == "date" else _when(span, spans, clause.start - offset, clause.end - offset)
    when = None if span.kind == "date" or time is None else time.when_text
    unit = span.reading.unit if isinstance(span.reading, ValueReading) else None
    value_start, value_end = offset + span.start - clause.start, offset + span.end - clause.start
    around = clause.text[:value_start] + " " + clause.text[value_end:]
    near = _near(sentence.text, span, spans)
    nearest = guesser.nearest(around, kind)
    attribute = guesser.attribute(kind, span.counted, around, near, span.cue, unit, nearest)
    sentence_text, clause_text = sentence.text, clause.text
    if span.kind == "figure":  # "6 billion CFA francs" is not about the CFA franc; a date's year may name its event
        sentence_text, clause_text = _without_figures(sentence_text, spans, 0), _without_figures(
            clause_text, spans, clause.start - offset)
    subject = guesser.subject(sentence_text, clause_text, attribute.value, attribution.value, previous, nearest,
                              _years(time), carried)
    if attribute.value is None and subject.value is not None:
        attribute = guesser.attribute_of(subject.value, kind, unit, span.counted) or attribute
    return Draft(span.text, clause.text, offset + span.start - clause.start, when, kind, _describe(span), span.counted, subject, attribute,
                 attribution, span.note)


def _near(text: str, span: Span, spans: list[Span]) -> str:
    """The words either side of ``span`` (``NEAR_BEFORE``/``NEAR_AFTER`` characters), up to the next figure.

    In "killed 39 people and forced 24,000 residents from their homes" the homes
    speak for the 24,000, not for the 39.
    """
    figures = [other for other in spans if other.kind == "figure"]
    start = max([max(0, span.start - NEAR_BEFORE)] + [f.end for f in figures if f.end <= span.start])
    end = min([span.end + NEAR_AFTER] + [f.start for f in figures if f.start >= span.end])
    return text[start:span.start] + " " + text[span.end:end]


def _without_figures(text: str, spans: list[Span], start: int) -> str:
    """``text`` (starting at sentence offset ``start``) with every figure blanked out."""
    for span in spans:
        if span.kind == "figure" and start <= span.start and span.end - start <= len(text):
            text = text[:span.start - start] + " " * (span.end - span.start) + text[span.end - start:]
    return text


def _kind(span: Span) -> str:
    if span.kind == "date":
        return "date"
    if span.kind == "rank":
        return "text"
    return span.reading.kind


def _years(time: Span | None) -> tuple[int | None, int | None] | None:
    """The first and last year of a date span's reading (None where open), or None if it has no reading."""
    reading = time.reading if time is not None else None
    if reading is None or reading.interval is None:
        return None
    interval = reading.interval
    return (interval.low.year if interval.low else None, interval.high.year if interval.high else None)


def _when(span: Span, spans: list[Span], clause_start: int, clause_end: int) -> Span | None:
    """The date nearest the value, in its clause if there is one there, else in its sentence.

    A date after the value counts as twice as near: "X were killed in 2020" is the usual order.
    """
    dates = [other for other in spans if other.kind == "date"]
    in_clause = [d for d in dates if clause_start <= d.start and d.end <= clause_end]
    pool = in_clause or dates
    if not pool:
        return None
    return min(pool, key=lambda d: d.start - span.end if d.start >= span.end else 2 * (span.start - d.end))


def _describe(span: Span) -> str:
    """The reading in a few words, for the YAML comment beside the claim."""
    reading = span.reading
    if reading is None:
        return "text"
    if isinstance(reading, ValueReading):
        interval = reading.interval
        low = "−∞" if interval.low is None else _number(interval.low)
        high = "∞" if interval.high is None else _number(interval.high)
        opening = "(" if interval.low_open or interval.low is None else "["
        closing = ")" if interval.high_open or interval.high is None else "]"
        extra = " ".join(x for x in (reading.currency, reading.unit, reading.period and f"per {reading.period}") if x)
        return f"{opening}{low}, {high}{closing}{' ' + extra if extra else ''}"
    if reading.interval is None:
        return f"date, unread: {reading.warning}"
    interval = reading.interval
    return f"{interval.low or '…'} to {interval.high or '…'}"


def _number(value) -> str:
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
