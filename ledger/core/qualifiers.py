"""The one table of what qualifiers and vague counts mean.

Every reading of a qualified figure comes from the rows below; the README's
table is rendered from them (:func:`markdown_table`), so the two cannot drift.
A caller may override any row through ``ParseContext.tolerances``: a tolerance
fraction for a qualifier (``{"about": "0.2"}``), a ``(low, high)`` pair for a
vague count (``{"several": ("2", "10")}``); keys are row names or any phrase.

Decisions, and why:

- A figure with no qualifier is exact, except that decimals imply rounding
  ("10.8 million" → [10.75, 10.85] million). Round figures such as "3,000" get
  no tolerance: the digits cannot tell an exact count from a rounded one, and
  a built-in tolerance would hide real disagreements (3,000 against 3,100
  rifles); writers who mean "roughly" say so, and ``exact`` can be overridden.
- Rounding widens two-sided readings only (exact, "about"). One-sided
  qualifiers bound at the stated figure itself, so "more than x" and "fewer
  than x" never overlap, whatever the digits.
- "more than x" is (x, ∞) with no soft upper bound, and "up to x" / "less
  than x" start at 0 (counts and amounts are not negative): unbounded ends keep
  the readings monotone, so a wider tolerance can never create a conflict.
- Vague counts are half-open ranges [low, high) × the scale word that follows
  ("several thousand" → [3,000, 10,000)); a plural scale counts from two of it
  ("hundreds" → [200, 1,000)), the next scale up being a different word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from ledger.core.numbers import tidy
from ledger.core.readings import Interval

LowRule = Literal["figure", "figure-tolerance", "zero"]
HighRule = Literal["figure", "figure+tolerance", "unbounded"]


@dataclass(frozen=True)
class Qualifier:
    """How a qualifier turns a stated figure x into an interval."""

    name: str
    phrases: tuple[str, ...]  # written before the figure: "more than 1,000"
    suffixes: tuple[str, ...]  # written after it: "1,000 or more"
    low: LowRule
    high: HighRule
    low_open: bool
    high_open: bool
    tolerance: Decimal
    note: str


@dataclass(frozen=True)
class VagueCount:
    """A count stated without a number: [low, high) times the scale that follows."""

    name: str
    phrases: tuple[str, ...]
    low: Decimal
    high: Decimal  # excluded
    note: str


_TENTH = Decimal("0.1")

QUALIFIERS: tuple[Qualifier, ...] = (
    Qualifier("exact", (), (), "figure-tolerance", "figure+tolerance", False, False, Decimal(0),
              "no qualifier; decimals imply rounding: 10.8 million → [10.75, 10.85] million"),
    Qualifier("about", ("about", "around", "approximately", "approx.", "approx", "roughly",
                        "some", "an estimated", "estimated", "est.", "circa", "ca.", "c.",
                        "close to", "in the region of", "of the order of", "~", "≈",
                        "environ", "quelque", "à peu près", "près de", "autour de", "approximativement",
                        "de l'ordre de"),
              ("or so",), "figure-tolerance", "figure+tolerance", False, False, _TENTH,
              "also widened by the rounding decimals imply; French 'près de' (nearly or about) is read "
              "as about, the wider"),
    Qualifier("nearly", ("nearly", "almost", "just under", "just below", "not quite", "presque"), (),
              "figure-tolerance", "figure", False, True, _TENTH,
              "below the figure, by at most the tolerance"),
    Qualifier("just over", ("just over", "just above", "slightly more than",
                            "a little over", "a little more than"), (),
              "figure", "figure+tolerance", True, False, _TENTH,
              "above the figure, by at most the tolerance"),
    Qualifier("more than", ("more than", "over", "above", "exceeding", "in excess of",
                            "upwards of", "greater than", "well over", "well above", ">", "plus de",
                            "au-delà de"), (),
              "figure", "unbounded", True, False, Decimal(0),
              "no upper bound, so it stays monotone"),
    Qualifier("at least", ("at least", "no fewer than", "no less than", "not less than",
                           "a minimum of", "≥", ">=", "au moins", "au minimum"),
              ("or more", "and more", "or above", "+"),
              "figure", "unbounded", False, False, Decimal(0), "the figure itself included"),
    Qualifier("up to", ("up to", "at most", "no more than", "not more than", "a maximum of",
                        "as many as", "as much as", "≤", "<=", "jusqu'à", "au plus", "au maximum"),
              ("or less", "or fewer", "at most"),
              "zero", "figure", False, False, Decimal(0), "counts and amounts are not negative"),
    Qualifier("less than", ("less than", "fewer than", "under", "below", "lower than", "<", "moins de"), (),
              "zero", "figure", False, True, Decimal(0), "the figure itself excluded"),
)

VAGUE_COUNTS: tuple[VagueCount, ...] = (
    VagueCount("a couple", ("a couple of", "a couple"), Decimal(2), Decimal(4),
               "two, loosely three"),
    VagueCount("a few", ("a few",), Decimal(2), Decimal(10), "a few hundred → [200, 1,000)"),
    VagueCount("a handful", ("a handful of", "a handful"), Decimal(2), Decimal(10), ""),
    VagueCount("several", ("several",), Decimal(3), Decimal(10),
               "several thousand → [3,000, 10,000)"),
    VagueCount("tens", ("tens", "des dizaines"), Decimal(20), Decimal(100),
               "tens of thousands → [20,000, 100,000)"),
    VagueCount("dozens", ("dozens",), Decimal(24), Decimal(120), "two dozen up to ten dozen"),
    VagueCount("scores", ("scores",), Decimal(40), Decimal(200), "two score up to ten score"),
    VagueCount("hundreds", ("hundreds", "des centaines"), Decimal(200), Decimal(1000),
               "hundreds of thousands → [200,000, 1,000,000)"),
    VagueCount("thousands", ("thousands", "des milliers"), Decimal(2000), Decimal(10**4), ""),
    VagueCount("millions", ("millions", "des millions"), Decimal(2 * 10**6), Decimal(10**7), ""),
    VagueCount("billions", ("billions", "des milliards"), Decimal(2 * 10**9), Decimal(10**10), ""),
    # French nouns of approximation: "une dizaine" is about ten, never exactly; ±20%, half-open
    *(VagueCount(name, (name,), tidy(Decimal(n) * Decimal("0.8")), tidy(Decimal(n) * Decimal("1.2")),
                 f"about {n}, a round-number noun: ±20%")
      for name, n in (("une dizaine", 10), ("une vingtaine", 20), ("une trentaine", 30),
                      ("une cinquantaine", 50), ("une centaine", 100), ("un millier", 1000))),
)

#: Plural scales that may follow a vague count after "of": "tens of thousands".
PLURAL_SCALES: dict[str, Decimal] = {
    "hundreds": Decimal(100),
    "thousands": Decimal(10**3),
    "millions": Decimal(10**6),
    "billions": Decimal(10**9),
    "milliers": Decimal(10**3),  # "des dizaines de milliers"
    "milliards": Decimal(10**9),
}

_BY_PHRASE: dict[str, Qualifier | VagueCount] = {
    phrase: row for row in QUALIFIERS + VAGUE_COUNTS for phrase in (row.name, *row.phrases)
}
_BY_SUFFIX: dict[str, Qualifier] = {suffix: row for row in QUALIFIERS for suffix in row.suffixes}


def _alternation(phrases) -> str:
    """Longest first, so "more than" wins over "more"; words must end at a boundary."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p) + (r"(?![a-z])" if p[-1].isalpha() else "") for p in ordered)


#: A qualifier at the start of a phrase, e.g. "more than " in "more than € 1 million".
PREFIX_PATTERN = re.compile(
    r"(%s)\s*" % _alternation(p for row in QUALIFIERS for p in row.phrases)
)
#: A qualifier after the figure, e.g. " or more" in "1,000 or more".
SUFFIX_PATTERN = re.compile(r"\s*(%s)" % _alternation(_BY_SUFFIX))
#: A vague count, e.g. "several" or "tens".
VAGUE_PATTERN = re.compile(
    r"(%s)(?![a-z])" % _alternation(p for row in VAGUE_COUNTS for p in row.phrases)
)


def qualifier_named(phrase: str, tolerances: dict | None = None) -> Qualifier:
    """The row for a prefix or suffix phrase (or a row name), with any override applied."""
    row = _BY_SUFFIX.get(phrase) or _BY_PHRASE[phrase]
    override = _override(row, tolerances)
    return row if override is None else replace(row, tolerance=Decimal(str(override)))


def vague_count_named(phrase: str, tolerances: dict | None = None) -> VagueCount:
    """The row for a vague-count phrase, with any ``(low, high)`` override applied."""
    row = _BY_PHRASE[phrase]
    override = _override(row, tolerances)
    if override is None:
        return row
    low, high = (Decimal(str(end)) for end in override)
    return replace(row, low=low, high=high)


def _override(row, tolerances: dict | None):
    if not tolerances:
        return None
    for key, value in tolerances.items():
        if key == row.name or _BY_PHRASE.get(key) is row or _BY_SUFFIX.get(key) is row:
            return value
    return None


def qualify(
    qualifier: Qualifier, stated: Interval, rounding: tuple[Decimal, Decimal] = (Decimal(0),) * 2
) -> Interval:
    """Apply ``qualifier`` to the stated figure(s).

    ``stated`` is the figure as an interval: [x, x] for one number, [a, b] for a
    range, [low, high) for a vague count. ``rounding`` is what the digits of
    each end imply; it widens two-sided readings only (see module docstring).
    """
    two_sided = qualifier.low == "figure-tolerance" and qualifier.high == "figure+tolerance"
    tolerance = qualifier.tolerance
    low = stated.low
    if qualifier.low == "zero":
        low, low_open = (Decimal(0) if stated.high > 0 else None), False
    elif qualifier.low == "figure-tolerance":
        low = low - tolerance * abs(low) - (rounding[0] if two_sided else 0)
        low_open = stated.low_open and not (tolerance or rounding[0])
    else:
        low_open = qualifier.low_open or stated.low_open
    high = stated.high
    if qualifier.high == "unbounded":
        high, high_open = None, False
    elif qualifier.high == "figure+tolerance":
        high = high + tolerance * abs(high) + (rounding[1] if two_sided else 0)
        high_open = stated.high_open and not (tolerance or rounding[1])
    else:
        high_open = qualifier.high_open or stated.high_open
    low = None if low is None else tidy(low)
    high = None if high is None else tidy(high)
    return Interval(low, high, low_open, high_open)


def describe(qualifier: Qualifier, written: str) -> str:
    """One plain sentence for a reading's notes: what ``written`` did to the figure."""
    return f"qualifier {written!r} → {_formula(qualifier)}"


def _formula(qualifier: Qualifier) -> str:
    """The reading of a figure x as an interval, e.g. "[x − 10%, x)"."""
    shift = f"{(qualifier.tolerance * 100).normalize():f}%" if qualifier.tolerance else ""
    low = {"zero": "0", "figure": "x"}.get(qualifier.low, f"x − {shift}" if shift else "x")
    high = {"unbounded": "∞", "figure": "x"}.get(qualifier.high, f"x + {shift}" if shift else "x")
    opening = "(" if qualifier.low_open else "["
    closing = ")" if qualifier.high_open or qualifier.high == "unbounded" else "]"
    return f"{opening}{low}, {high}{closing}"


def markdown_table() -> str:
    """The qualifier and vague-count tables as markdown, for the README."""
    lines = [
        "| Qualifier | Written as | Reading of x | Note |",
        "|---|---|---|---|",
    ]
    for row in QUALIFIERS:
        written = ", ".join(f"`{p}`" for p in row.phrases)
        written += "".join(f", `x {s}`" for s in row.suffixes)
        lines.append(f"| {row.name} | {written or '(none)'} | {_formula(row)} | {row.note} |")
    lines += [
        "",
        "| Vague count | Written as | Reading | Note |",
        "|---|---|---|---|",
    ]
    for row in VAGUE_COUNTS:
        written = ", ".join(f"`{p}`" for p in row.phrases)
        reading = f"[{row.low:,f}, {row.high:,f}) × scale"
        lines.append(f"| {row.name} | {written} | {reading} | {row.note} |")
    return "\n".join(lines) + "\n"
