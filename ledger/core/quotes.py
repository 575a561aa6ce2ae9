"""Checking that a quote really occurs in its article, whatever the typography."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$~|<>])")
_TYPOGRAPHY = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    }
)


def normalise_text(text: str) -> str:
    """Text as compared: markdown links and escapes undone, quotes, dashes and spaces unified."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    text = text.translate(_TYPOGRAPHY)
    return " ".join(text.split())


def quote_occurs(quote: str, normalised_article: str) -> bool:
    """True when the quote occurs in an article already passed through ``normalise_text``."""
    return normalise_text(quote) in normalised_article


def nearest_passage(quote: str, normalised_article: str, margin: int = 0) -> str:
    """The passage of the article most like the quote, to show beside a failed check."""
    needle = normalise_text(quote)
    alignment = fuzz.partial_ratio_alignment(needle, normalised_article)
    start = max(0, alignment.dest_start - margin)
    end = min(len(normalised_article), alignment.dest_end + margin)
    return normalised_article[start:end]


def value_in_quote(value: str, quote: str) -> bool:
    """Does the stated value appear in the quote (spacing and typography ignored)?"""
    return _squash(value) in _squash(quote)


def _squash(text: str) -> str:
    return normalise_text(text).replace(" ", "").casefold()
