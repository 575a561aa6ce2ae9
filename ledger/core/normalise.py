"""One claim's full reading: its value, the days it is about, and money in the base currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ledger.core.dates import parse_when
from ledger.core.money import to_base
from ledger.core.readings import (
    Conversion,
    Interval,
    ParseContext,
    PartialDate,
    TimeReading,
    ValueReading,
)
from ledger.core.values import PARSER_VERSION, parse_value

BASE_CURRENCY = "EUR"


@dataclass(frozen=True)
class ClaimReading:
    """What the ledger understood of a claim; everything here can be recomputed."""

    value: ValueReading
    time: TimeReading | None  # the reading of ``when``; None when no time was stated
    time_basis: str  # "stated", "published" (no ``when``: the article's date) or "none"
    days: Interval[date] | None  # the days the claim is about, as compared
    conversion: Conversion | None
    parser_version: str = PARSER_VERSION

    @property
    def warnings(self) -> list[str]:
        return [message for _, message in self.field_warnings]

    @property
    def field_warnings(self) -> list[tuple[str, str]]:
        """(field, message) pairs: a warning names the field it is about, ``value`` or ``when``."""
        found = [("value", self.value.warning)] if self.value.warning else []
        if self.time is not None and self.time.warning:
            found.append(("when", self.time.warning))
        return found


class ReadingParts:
    """Where ``read_claim`` gets a reading's parts: parsed afresh here, from caches in ``CachedParts``."""

    def value(self, value: str, kind: str | None, published: PartialDate | None, language: str) -> ValueReading:
        return parse_value(value, kind, ParseContext(published=published, language=language))

    def time(self, when: str, published: PartialDate | None, language: str) -> TimeReading:
        return parse_when(when, ParseContext(published=published, language=language))

    def conversion(self, amount: Interval, currency: str, days: Interval[date]) -> Conversion:
        return to_base(amount, currency, days, BASE_CURRENCY)


_FRESH = ReadingParts()


def read_claim(
    value: str,
    when: str | None,
    kind: str | None,
    published: PartialDate | None,
    language: str = "en",
    parts: ReadingParts = _FRESH,
) -> ClaimReading:
    """Read a claim's stated value and time against its source's publication date.

    ``parts`` may be a ``CachedParts`` (bulk imports): the reading is the same.
    """
    value_reading = parts.value(value, kind, published, language)
    time_reading = parts.time(when, published, language) if when else None
    basis, days = claim_days(time_reading, published)
    conversion = None
    if days is not None and converts(value_reading):
        conversion = parts.conversion(value_reading.interval, value_reading.currency, days)
    return ClaimReading(value_reading, time_reading, basis, days, conversion)


def claim_days(time: TimeReading | None, published: PartialDate | None) -> tuple[str, Interval[date] | None]:
    """The days a claim is about and their basis: its stated time's, else its source's publication date's."""
    if time is not None:
        return "stated", time.interval
    if published is not None:
        return "published", published.interval()
    return "none", None


def converts(value: ValueReading) -> bool:
    """Whether a value is put into the base currency (when its claim is about some days)."""
    return value.kind == "money" and bool(value.currency)


# How value readings depend on the source's publication date (which ``CachedParts`` relies on;
# tests/cli/test_bulk.py holds cached readings equal to fresh ones for every kind):
_PUBLICATION_FREE = ("quantity", "money", "text")  # never used
_RELATIVE_ONLY = ("date", "time")  # used only to resolve a relative phrase, refused without it
# Any other kind (and a kind to be guessed) is read with the publication date, always.


def _unanchored(reading: ValueReading | TimeReading, kind: str | None = None) -> bool:
    """Whether a phrase read without a publication date was read in full, so that date cannot change it.

    Dates and times (of values and of ``when``) use the publication date only
    to resolve a relative phrase ("last May", "two years ago", "2:57 PM") and
    refuse one (no interval, a warning) when no date is given. So a reading
    made without the date that has its kind, its interval and no warning is
    the reading for every date; any other is made again with the date.
    """
    if kind is not None and reading.kind != kind:
        return False
    return reading.interval is not None and not reading.warning


class CachedParts(ReadingParts):
    """The parts of readings kept in LRU caches, each by what it depends on.

    Bulk data repeats phrases but spreads them over many publication dates, so
    a value's reading and a time's are cached by the phrase alone unless the
    phrase is relative to the publication date (see ``_unanchored``), and a
    conversion by (amount, currency, days).
    """

    def __init__(self, size: int):
        self._value = lru_cache(maxsize=size)(super().value)
        self._time = lru_cache(maxsize=size)(super().time)
        self.conversion = lru_cache(maxsize=size)(super().conversion)

    def value(self, value: str, kind: str | None, published: PartialDate | None, language: str) -> ValueReading:
        if kind in _PUBLICATION_FREE:
            return self._value(value, kind, None, language)
        if kind in _RELATIVE_ONLY:
            reading = self._value(value, kind, None, language)
            if _unanchored(reading, kind):
                return reading
        return self._value(value, kind, published, language)

    def time(self, when: str, published: PartialDate | None, language: str) -> TimeReading:
        reading = self._time(when, None, language)
        return reading if _unanchored(reading) else self._time(when, published, language)
