"""An article as paragraphs, sentences and clauses, page furniture left out.

Text is compared the way ``ledger import`` checks quotes (``quotes.normalise_text``:
markdown links and escapes undone, quotes, dashes and spaces unified), one line
at a time, so every sentence and clause found here is a quote import accepts.

Sentences end at ``.``, ``!`` or ``?`` (a closing quote or bracket may follow)
before a space and a capital, digit or opening quote, unless the word before the
dot is a known abbreviation ("Mr.", "Gen.", "Sept.", "M.") or an initial ("J.").
Clauses split a sentence at ``;``, at a dash between spaces, and at a comma
before a word that opens a new clause ("which", "while", "but", "qui"...);
a piece shorter than ``MIN_CLAUSE_WORDS`` stays with its neighbour, so a quote
keeps enough words to be found and understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.core.quotes import normalise_text

MIN_CLAUSE_WORDS = 5
#: Lines that are not article prose: bylines, date lines, share bars, cookie banners.
_FURNITURE = re.compile(
    r"^(?:by\s|updated\b|published\b|posted\b|region:|theme:|photo\b|image\b|source:|credit:|copyright"
    r"|©|disclaimer|all rights reserved|read more|related\b|subscribe|share\b|follow us|sign up|advertisement"
    r"|articles by|top of page|bottom of page|post:|mis à jour|publié le|par\s)"
    r"|cookies|newsletter|click here|cliquez ici|translate website|\bthis website\b|\bour website\b"
    r"|\d+\s*views|\d+\s*comments?\b|@\w+\.\w+|www\.|\(@\w+\)",  # the last: an embedded post's signature
    re.IGNORECASE,
)
_PROSE_END = re.compile(r"""[.!?…:;"'”»)\]]\s*$""")
MIN_LINE_WORDS = 8  # a shorter line without closing punctuation is a heading, byline or date line

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt maj capt sgt cpl adm gov sen rep st jr sr inc ltd co corp no nos vs "
    "etc approx ca c e.g i.e u.s u.k u.n jan feb mar apr jun jul aug sep sept oct nov dec fig p pp vol "
    "m mme mlle mm dr me av apr j.-c env".split()
)
_SENTENCE_END = re.compile(r"""[.!?…]+["'”»)\]]*(?=\s+["'“«(\[]?[A-Z0-9ÀÂÇÉÈÊÎÔÛ])""")
_CLAUSE_BREAK = re.compile(
    r"\s*;\s+|\s+-\s+|,\s+(?=(?:which|who|whom|whose|while|whereas|but|although|though|because|when|where"
    r"|however|yet|and then|and|qui|dont|lequel|laquelle|mais|tandis|alors que|lorsque|quand|car|et)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Piece:
    """A stretch of a paragraph: ``text`` is ``paragraph[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence(Piece):
    clauses: tuple[Piece, ...] = ()

    def clause_at(self, start: int, end: int) -> Piece:
        """The smallest clause holding ``[start, end)`` (offsets in the paragraph), else the sentence."""
        for clause in self.clauses:
            if clause.start <= start and end <= clause.end:
                return clause
        return self


def prose_paragraphs(article: str) -> list[str]:
    """The article's lines as import compares them, without page furniture."""
    lines = (normalise_text(line) for line in article.splitlines())
    return [line for line in lines if line and not is_furniture(line)]


def is_furniture(line: str) -> bool:
    """Bylines, date lines, headings, share bars, cookie and copyright notices."""
    if _FURNITURE.search(line):
        return True
    return len(line.split()) < MIN_LINE_WORDS and not _PROSE_END.search(line)


def sentences(paragraph: str) -> list[Sentence]:
    """The sentences of one paragraph, each with its clauses."""
    found, start = [], 0
    for end_mark in _SENTENCE_END.finditer(paragraph):
        if _abbreviation_before(paragraph, end_mark.start()):
            continue
        found.append(_sentence(paragraph, start, end_mark.end()))
        start = end_mark.end()
    if paragraph[start:].strip():
        found.append(_sentence(paragraph, start, len(paragraph)))
    return found


def _abbreviation_before(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"([\w.'-]+)$", text[:dot])
    if not word:
        return False
    token = word[1].lower().strip("'")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _sentence(paragraph: str, start: int, end: int) -> Sentence:
    while start < end and paragraph[start].isspace():
        start += 1
    return Sentence(paragraph[start:end], start, end, _clauses(paragraph, start, end))


def _clauses(paragraph: str, start: int, end: int) -> tuple[Piece, ...]:
    pieces, begin = [], start
    for cut in _CLAUSE_BREAK.finditer(paragraph, start, end):
        pieces.append((begin, cut.start()))
        begin = cut.end()
    pieces.append((begin, end))
    merged: list[tuple[int, int]] = []
    for piece in pieces:
        short = len(paragraph[piece[0]:piece[1]].split()) < MIN_CLAUSE_WORDS
        if merged and (short or len(paragraph[merged[-1][0]:merged[-1][1]].split()) < MIN_CLAUSE_WORDS):
            merged[-1] = (merged[-1][0], piece[1])
        else:
            merged.append(piece)
    if len(merged) < 2:
        return ()
    return tuple(Piece(paragraph[a:b].rstrip(" ,"), a, a + len(paragraph[a:b].rstrip(" ,"))) for a, b in merged)
