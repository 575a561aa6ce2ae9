"""A quote shown in its sentence from the article, the quoted words set apart.

The article is searched as the import checked it (``normalise_text``: markdown
links and escapes undone, quotes, dashes and spaces unified), paragraph by
paragraph, so a sentence never runs across a heading. The sentence reaches
from the last full stop (or ! or ?) before the quote to the first after it,
at most ``CONTEXT`` characters either side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.core.quotes import normalise_text

CONTEXT = 280
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s")


@dataclass(frozen=True)
class InSentence:
    before: str
    quote: str
    after: str


class Article:
    """An article's paragraphs, normalised once, searched for each quote of its claims."""

    def __init__(self, text: str | None):
        paragraphs = re.split(r"\n\s*\n|\n", text or "")
        self.paragraphs = [p for p in (normalise_text(p) for p in paragraphs) if p]
        self.whole = " ".join(self.paragraphs)

    def sentence_of(self, quote: str | None) -> InSentence | None:
        """The sentence holding ``quote`` split around it, or None when the text does not hold it."""
        needle = normalise_text(quote or "")
        if not needle:
            return None
        for passage in [*self.paragraphs, self.whole]:
            at = passage.find(needle)
            if at >= 0:
                return _around(passage, at, at + len(needle))
        return None


def _around(passage: str, start: int, stop: int) -> InSentence:
    ends_before = [m.end() for m in _SENTENCE_END.finditer(passage, 0, start)]
    first = ends_before[-1] if ends_before else 0
    after = _SENTENCE_END.search(passage, stop)
    last = after.start() + 1 if after else len(passage)
    before_text = passage[first:start]
    after_text = passage[stop:last]
    if len(before_text) > CONTEXT:
        before_text = "…" + before_text[-CONTEXT:].split(" ", 1)[-1]
    if len(after_text) > CONTEXT:
        after_text = after_text[:CONTEXT].rsplit(" ", 1)[0] + "…"
    return InSentence(before_text, passage[start:stop], after_text)
