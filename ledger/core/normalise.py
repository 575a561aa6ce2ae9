"""One claim's full reading: its value, the days it is about, and money in the base currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


def read_claim(
    value: str,
    when: str | None,
    kind: str | None,
    published: PartialDate | None,
    language: str = "en",
) -> ClaimReading:
    """Read a claim's stated value and time against its source's publication date."""
    context = ParseContext(published=published, language=language)
    value_reading = parse_value(value, kind, context)
    time_reading = parse_when(when, context) if when else None
    if time_reading is not None:
        basis, days = "stated", time_reading.interval
    elif published is not None:
        basis, days = "published", published.interval()
    else:
        basis, days = "none", None
    conversion = None
    if value_reading.kind == "money" and value_reading.currency and days is not None:
        conversion = to_base(value_reading.interval, value_reading.currency, days, BASE_CURRENCY)
    return ClaimReading(value_reading, time_reading, basis, days, conversion)
