"""What a stated phrase means, as typed intervals the conflict engine can compare.

These types are the contract between the phrase parsers (``values``, ``dates``,
``money``) and everything that consumes their readings (the database layer, the
conflict engine, ``ledger parse``). They are plain frozen dataclasses: no
database, no CLI, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from ledger.core.errors import InvalidDate

Kind = Literal["quantity", "money", "date", "text", "time", "identifier", "names", "unparsed"]
KINDS: tuple[str, ...] = ("quantity", "money", "date", "text", "time", "identifier", "names", "unparsed")
#: The kinds an attribute may declare (``unparsed`` is only ever a reading).
#: ``time`` (a clock time, as minutes) and ``identifier`` (a code such as a gate)
#: are read only when an attribute declares them; they are never guessed; so is ``names`` (a set of
#: person or organisation names, ``ledger.core.person_names``).
ATTRIBUTE_KINDS: tuple[str, ...] = ("quantity", "money", "date", "text", "time", "identifier", "names")
Precision = Literal["day", "month", "year"]
Period = Literal["day", "week", "month", "year"]

T = TypeVar("T", Decimal, date)


@dataclass(frozen=True)
class Interval(Generic[T]):
    """A range of numbers or days; ``None`` is an unbounded end.

    Date intervals are whole days, both ends inclusive unless marked open.
    """

    low: T | None
    high: T | None
    low_open: bool = False
    high_open: bool = False

    def overlaps(self, other: Interval[T]) -> bool:
        """True when some point lies in both intervals (open ends excluded)."""
        return _below(self.low, self.low_open, other.high, other.high_open) and _below(
            other.low, other.low_open, self.high, self.high_open
        )


def _below(low, low_open, high, high_open) -> bool:
    """Does a range starting at ``low`` reach one ending at ``high``?"""
    if low is None or high is None:
        return True
    if low < high:
        return True
    return low == high and not low_open and not high_open


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as it was stated: ``2021``, ``2021-09`` or ``2021-09-17``."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        return "day" if self.day else "month" if self.month else "year"

    def interval(self) -> Interval[date]:
        """Every day the stated date may mean."""
        if self.month is None:
            return Interval(date(self.year, 1, 1), date(self.year, 12, 31))
        if self.day is None:
            return Interval(date(self.year, self.month, 1), _month_end(self.year, self.month))
        day = date(self.year, self.month, self.day)
        return Interval(day, day)

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


_PARTIAL_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_partial_date(text: str) -> PartialDate:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise InvalidDate otherwise."""
    match = _PARTIAL_ISO.match(str(text).strip())
    if not match:
        raise InvalidDate(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, 1 if month is None else month, 1 if day is None else day)  # month 0 or day 0 is no date
    except ValueError as exc:
        raise InvalidDate(f"{text!r} is not a real date ({exc})") from None
    if year < 1:
        raise InvalidDate(f"{text!r} is not a real date (year 0)")
    return PartialDate(year, month, day)


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


@dataclass(frozen=True)
class Conversion:
    """How a money amount was put into the base currency, so a reader can check it."""

    currency: str  # the base currency, e.g. "EUR"
    low: Decimal | None
    high: Decimal | None
    rate_low: Decimal  # base units per one unit of the stated currency, lowest in the window
    rate_high: Decimal  # ... and highest
    rate_from: date  # first and last day of the rates used
    rate_to: date
    rate_source: str  # "ECB reference rate", "fixed peg", "identity"


@dataclass(frozen=True)
class ValueReading:
    """The meaning of one stated value phrase.

    ``interval`` holds Decimals for quantity/money/time (minutes since
    1970-01-01 00:00, local clock), dates for date, and is None for text,
    identifier, names and unparsed readings. ``alternatives`` keeps second readings of
    the same claim, such as a parenthetical equivalent in another currency.
    """

    kind: Kind
    interval: Interval | None = None
    unit: str | None = None  # what is counted ("troops", "percent"), if stated
    currency: str | None = None  # ISO 4217 code
    period: Period | None = None  # amount per this period; None = one-off
    text: str | None = None  # normalised text, for text values (for names: ``family, given; …``)
    qualifier: str | None = None  # the qualifier word(s) applied, e.g. "more than"
    precision: Precision | None = None  # for dates
    alternatives: tuple[ValueReading, ...] = ()
    notes: tuple[str, ...] = ()  # how the phrase was read, step by step
    warning: str | None = None  # why an unparsed phrase could not be read


@dataclass(frozen=True)
class TimeReading:
    """The days a ``when`` phrase (or a date value) may refer to."""

    interval: Interval[date] | None  # None: unparsed
    precision: Precision | None = None
    notes: tuple[str, ...] = ()
    warning: str | None = None

    @property
    def parsed(self) -> bool:
        return self.interval is not None


@dataclass(frozen=True)
class ParseContext:
    """What a parser may know about where a phrase comes from."""

    published: PartialDate | None = None
    language: str = "en"
    tolerances: dict = field(default_factory=dict)  # overrides of qualifier defaults
