"""A claim's reading as a ``readings`` row, by named columns; and the importer's cache of them.

Every reading the ledger stores comes from ``read_claim``: renormalise and
corrections read afresh (``reading_row``), a bulk import reads through cached
parts (``ReadingTemplates``), so the two cannot drift apart.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache

from ledger.core.digests import json_list
from ledger.core.normalise import CachedParts, ClaimReading, read_claim
from ledger.core.readings import Conversion, Interval, PartialDate, ValueReading
from ledger.core.values import reading_to_dict
from ledger.db.fastinsert import Rows

READING_CACHE = 8_192  # whole readings kept by (value, when, kind, published, language)
PART_CACHE = 16_384  # parts of readings kept by what each depends on (see CachedParts)

VALUE_COLUMNS = (
    "kind", "qualifier", "low", "high", "low_open", "high_open", "low_date", "high_date",
    "unit", "currency", "period", "text_norm",
)
CONVERSION_COLUMNS = (
    "base_currency", "base_low", "base_high", "rate_low", "rate_high", "rate_from", "rate_to", "rate_source",
)
TIME_COLUMNS = ("time_low", "time_high", "time_basis")
#: Every column of a reading but the claim's id and the time it was read.
DERIVED_COLUMNS = ("parser_version", *VALUE_COLUMNS, *CONVERSION_COLUMNS, *TIME_COLUMNS, "alternatives", "notes",
                   "warning")
ROW_COLUMNS = ("claim_id", *DERIVED_COLUMNS, "read_at")

AS_PUBLISHED = "no time stated: taken as of the source's publication date"


def reading_values(reading: ClaimReading) -> tuple:
    """A reading's values in ``DERIVED_COLUMNS`` order."""
    value = reading.value
    interval = value.interval
    numeric = value.kind in ("quantity", "money", "time") and interval is not None
    dated = value.kind == "date" and interval is not None
    conversion: Conversion | None = reading.conversion
    days: Interval | None = reading.days
    notes = list(value.notes)
    if reading.time is not None:
        notes.extend(reading.time.notes)
    elif reading.time_basis == "published":
        notes.append(AS_PUBLISHED)
    return (
        reading.parser_version,
        value.kind,
        value.qualifier,
        _number(interval.low) if numeric else None,
        _number(interval.high) if numeric else None,
        bool(interval and interval.low_open),
        bool(interval and interval.high_open),
        interval.low if dated else None,
        interval.high if dated else None,
        value.unit,
        value.currency,
        value.period,
        value.text,
        *(_conversion_values(conversion) if conversion is not None else (None,) * len(CONVERSION_COLUMNS)),
        days.low if days else None,
        days.high if days else None,
        reading.time_basis,
        _alternatives(value),
        json_list(notes),
        "; ".join(reading.warnings) or None,
    )


def reading_row(claim_id: int, reading: ClaimReading, now) -> dict:
    """The ``readings`` row of a claim reading."""
    return dict(zip(ROW_COLUMNS, (claim_id, *reading_values(reading), now)))


def _conversion_values(conversion: Conversion) -> tuple:
    return (
        conversion.currency,
        _number(conversion.low),
        _number(conversion.high),
        _number(conversion.rate_low),
        _number(conversion.rate_high),
        conversion.rate_from,
        conversion.rate_to,
        conversion.rate_source,
    )


def _alternatives(value: ValueReading) -> str:
    return json.dumps([reading_to_dict(alt) for alt in value.alternatives], ensure_ascii=False)


def _number(value: Decimal | None) -> float | None:
    """Readings are stored as floats: see the models' docstring for why."""
    return float(value) if value is not None else None


class ReadingTemplates:
    """Readings as the driver stores them (``DERIVED_COLUMNS``), cached for a bulk import.

    Cached whole by (value, when, kind, published, language), LRU; a miss is
    read by ``read_claim`` through ``CachedParts``, so a phrase repeated over
    many publication dates is parsed once.
    """

    def __init__(self, rows: Rows, parts: CachedParts):
        self.parts = parts
        self._processors = [rows.processors.get(name) for name in DERIVED_COLUMNS]
        self.template = lru_cache(maxsize=READING_CACHE)(self._template)

    def _template(
        self, value: str, when: str | None, kind: str | None, published: PartialDate | None, language: str
    ) -> tuple[tuple, tuple[str, ...]]:
        """The stored values of a claim's reading, and its warnings."""
        reading = read_claim(value, when, kind, published, language, self.parts)
        stored = tuple([v if p is None or v is None else p(v) for p, v in zip(self._processors, reading_values(reading))])
        return stored, tuple(reading.warnings)
