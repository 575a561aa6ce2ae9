"""Passages of an article, where a quote sits in it, and what a search asks for.

An article is searched and shown a paragraph at a time: ``paragraphs`` splits
it at blank lines, keeping each paragraph's character span in the text.
``quote_span`` finds a claim's quote in the article with the same
normalisation the import's quote check uses (``ledger.core.quotes``: markdown
links and escapes undone, quotes, dashes and spaces unified) and maps the
match back to the characters of the original text, so it can be marked there.
``search_terms`` reads what a user types into words, "exact phrases" and
prefixes (``Kalash*``), the same on every engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.core.quotes import _MARKDOWN_ESCAPE, _MARKDOWN_LINK, _TYPOGRAPHY, normalise_text

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass(frozen=True)
class Paragraph:
    position: int  # 1, 2, ... in the article
    start: int  # character span in the article text
    end: int
    body: str


def paragraphs(text: str) -> list[Paragraph]:
    """The article's paragraphs (text between blank lines), stripped, with their spans; empty ones left out."""
    found: list[Paragraph] = []
    start = 0
    for separator in [*_BLANK_LINE.finditer(text), None]:
        end = separator.start() if separator else len(text)
        chunk = text[start:end]
        body = chunk.strip()
        if body:
            offset = start + (len(chunk) - len(chunk.lstrip()))
            found.append(Paragraph(len(found) + 1, offset, offset + len(body), body))
        if separator:
            start = separator.end()
    return found


def quote_span(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` occurs in ``text`` (start, end in ``text``), compared as the import compares; None if not."""
    return quote_spans([quote], text)[0]


def quote_spans(quotes: list[str | None], text: str) -> list[tuple[int, int] | None]:
    """``quote_span`` of each quote (None for None), normalising the article once."""
    normalised, origins = _normalised_with_origins(text)
    spans = []
    for quote in quotes:
        needle = normalise_text(quote) if quote else ""
        at = normalised.find(needle) if needle else -1
        spans.append((origins[at], origins[at + len(needle) - 1] + 1) if at >= 0 else None)
    return spans


def _normalised_with_origins(text: str) -> tuple[str, list[int]]:
    """``normalise_text(text)``, and for each of its characters the index of the character it came from."""
    chars, origins = text, list(range(len(text)))
    for pattern in (_MARKDOWN_LINK, _MARKDOWN_ESCAPE):  # both keep group 1 of each match
        kept, kept_origins, last = [], [], 0
        for match in pattern.finditer(chars):
            kept.append(chars[last:match.start()] + match.group(1))
            kept_origins += origins[last:match.start()] + origins[match.start(1):match.end(1)]
            last = match.end()
        kept.append(chars[last:])
        kept_origins += origins[last:]
        chars, origins = "".join(kept), kept_origins
    chars = chars.translate(_TYPOGRAPHY)  # one character for one: origins unchanged
    out, out_origins, pending_space = [], [], None
    for char, origin in zip(chars, origins):
        if char.isspace():
            if out and pending_space is None:
                pending_space = origin
            continue
        if pending_space is not None:
            out.append(" ")
            out_origins.append(pending_space)
            pending_space = None
        out.append(char)
        out_origins.append(origin)
    return "".join(out), out_origins


def mark_quotes(text: str, spans: list[tuple[int, int, str]], open_mark: str = "⟦", close_mark: str = "⟧") -> str:
    """``text`` with each span (start, end, label) between marks, followed by its labels: ``⟦3,000 rifles⟧[5,7]``.

    Overlapping spans are merged into one marked stretch carrying every label.
    """
    merged: list[list] = []
    for start, end, label in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(label)
        else:
            merged.append([start, end, [label]])
    out, last = [], 0
    for start, end, labels in merged:
        out += [text[last:start], open_mark, text[start:end], close_mark, f"[{','.join(labels)}]"]
        last = end
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True)
class Term:
    """One thing a search asks for: a word, a phrase of words, or (``prefix``) words beginning so."""

    words: tuple[str, ...]
    prefix: bool = False


_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


def search_terms(query: str) -> list[Term]:
    """What to look for: every word, "quoted phrase" and ``prefix*`` of ``query`` must occur.

    Punctuation inside a term splits it into a phrase ("3,000" is the phrase
    3 000), as the full-text indexes split the text; terms without letters or
    digits are dropped.
    """
    terms = []
    for match in _TERM.finditer(query):
        phrase, bare = match.groups()
        piece = phrase if phrase is not None else bare
        words = tuple(_WORD.findall(piece))
        if words:
            terms.append(Term(words, prefix=bare is not None and bare.endswith("*") and len(words) == 1))
    return terms
