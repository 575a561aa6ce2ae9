"""A claim's reading as a ``distinct_readings`` row, by named columns; and the importer's cache of them.

Every reading the ledger stores comes from ``read_claim``: renormalise and
corrections read afresh (``reading_row``), a bulk import reads through cached
parts (``ReadingTemplates``), so the two cannot drift apart. A row is built
from the reading's parts (value, conversion, time) by one function,
``_assemble``, so the importer can keep each part's stored values as long as
``CachedParts`` keeps the part.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
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
#: Every column of a reading but its id and the time it was read: what makes two readings the same.
DERIVED_COLUMNS = ("parser_version", *VALUE_COLUMNS, *CONVERSION_COLUMNS, *TIME_COLUMNS, "alternatives", "notes",
                   "warning")
ROW_COLUMNS = ("id", *DERIVED_COLUMNS, "read_at")

AS_PUBLISHED = "no time stated: taken as of the source's publication date"
_NO_CONVERSION = (None,) * len(CONVERSION_COLUMNS)
_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps with an option builds one per call


def reading_row(reading: ClaimReading, now) -> dict:
    """The ``distinct_readings`` row of a claim reading, without its id."""
    return dict(zip(ROW_COLUMNS[1:], (*_assemble(reading, _value_part, _conversion_values, _time_values), now)))


def _assemble(
    reading: ClaimReading,
    value_part: Callable[[ValueReading], tuple[tuple, str]],
    conversion_values: Callable[[Conversion], tuple],
    time_values: Callable[[Interval | None, str], tuple],
) -> tuple:
    """A reading's values in ``DERIVED_COLUMNS`` order, each part's values from the function given for it."""
    value = reading.value
    value_values, alternatives = value_part(value)
    time_notes = reading.time.notes if reading.time is not None else None
    return (
        reading.parser_version,
        *value_values,
        *(conversion_values(reading.conversion) if reading.conversion is not None else _NO_CONVERSION),
        *time_values(reading.days, reading.time_basis),
        alternatives,
        _notes(value.notes, time_notes, reading.time_basis),
        "; ".join(reading.warnings) or None,
    )


@lru_cache(maxsize=PART_CACHE)
def _notes(value_notes: tuple[str, ...], time_notes: tuple[str, ...] | None, basis: str) -> str:
    """How the value and the time were read, as a JSON list (few distinct lists: cached)."""
    if time_notes is not None:
        return json_list((*value_notes, *time_notes))
    return json_list((*value_notes, AS_PUBLISHED) if basis == "published" else value_notes)


def _value_part(value: ValueReading) -> tuple[tuple, str]:
    """``VALUE_COLUMNS`` values, and the alternatives as JSON."""
    interval = value.interval
    numeric = value.kind in ("quantity", "money", "time") and interval is not None
    dated = value.kind == "date" and interval is not None
    columns = (
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
    )
    return columns, _JSON.encode([reading_to_dict(alt) for alt in value.alternatives])


def _conversion_values(conversion: Conversion) -> tuple:
    """``CONVERSION_COLUMNS`` values."""
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


def _time_values(days: Interval | None, basis: str) -> tuple:
    """``TIME_COLUMNS`` values."""
    return (days.low if days else None, days.high if days else None, basis)


def _number(value: Decimal | None) -> float | None:
    """Readings are stored as floats: see the models' docstring for why."""
    return float(value) if value is not None else None


class ReadingTemplates:
    """Readings as the driver stores them (``DERIVED_COLUMNS``), cached for a bulk import.

    Cached whole by (value, when, kind, published, language), LRU. Bulk data
    spreads phrases over many publication dates, so most claims miss that
    cache; a miss is read by ``read_claim`` through ``CachedParts``, which
    hands out the same part objects for the same phrases, and each part's
    stored values are kept per part object (``_ByIdentity``). A reading is a
    function of its parts (value, time, conversion: objects) and its days and
    basis, so the assembled row is kept by those too: claims
    stating the same phrases from sources published on other days share it.
    """

    def __init__(self, rows: Rows, parts: CachedParts):
        self.parts = parts
        self._value_processors = [rows.processors.get(name) for name in VALUE_COLUMNS]
        conversion_processors = [rows.processors.get(name) for name in CONVERSION_COLUMNS]
        self._time_processors = [rows.processors.get(name) for name in TIME_COLUMNS]
        self._value_part = _ByIdentity(self._stored_value_part)
        self._conversion_values = _ByIdentity(lambda c: _stored(conversion_processors, _conversion_values(c)))
        self._stored_time_values = lru_cache(maxsize=PART_CACHE)(self._stored_time_values)  # by (days, basis)
        self._assembled = _ByIdentity(self._assemble, _reading_parts, _reading_values)
        self.template = lru_cache(maxsize=READING_CACHE)(self._template)

    def _template(
        self, value: str, when: str | None, kind: str | None, published: PartialDate | None, language: str
    ) -> tuple[tuple, tuple[str, ...]]:
        """The stored values of a claim's reading, and its warnings as (field, message) pairs."""
        return self._assembled(read_claim(value, when, kind, published, language, self.parts))

    def _assemble(self, reading: ClaimReading) -> tuple[tuple, tuple[tuple[str, str], ...]]:
        stored = _assemble(reading, self._value_part, self._conversion_values, self._stored_time_values)
        return stored, tuple(reading.field_warnings)

    def _stored_value_part(self, value: ValueReading) -> tuple[tuple, str]:
        columns, alternatives = _value_part(value)
        return _stored(self._value_processors, columns), alternatives

    def _stored_time_values(self, days: Interval | None, basis: str) -> tuple:
        return _stored(self._time_processors, _time_values(days, basis))


def _stored(processors: list, values: tuple) -> tuple:
    """``values`` as the driver stores them, converted by their columns' bind processors."""
    return tuple([v if p is None or v is None else p(v) for p, v in zip(processors, values)])


class _ByIdentity:
    """A function computed once per combination of objects (by identity, not equality: cheap) and plain values.

    ``objects(arg)`` names the objects the result depends on and ``values(arg)``
    the hashable rest; the objects are kept beside the result, so their ids
    cannot be reused while the entry lives. The memo is emptied when it
    reaches ``PART_CACHE`` entries.
    """

    def __init__(self, build: Callable, objects: Callable = lambda arg: (arg,), values: Callable = lambda arg: ()):
        self._build, self._objects, self._values = build, objects, values
        self._memo: dict[tuple, tuple[tuple, object]] = {}

    def __call__(self, arg):
        objects = self._objects(arg)
        key = (*map(id, objects), *self._values(arg))
        hit = self._memo.get(key)
        if hit is not None and all(map(operator.is_, hit[0], objects)):
            return hit[1]
        if len(self._memo) >= PART_CACHE:
            self._memo.clear()
        result = self._build(arg)
        self._memo[key] = (objects, result)
        return result


def _reading_parts(reading: ClaimReading) -> tuple:
    """The objects ``_assemble`` reads of a reading (``_reading_values``: the plain rest)."""
    return reading.value, reading.time, reading.conversion


def _reading_values(reading: ClaimReading) -> tuple:
    return reading.time_basis, reading.days, reading.parser_version
