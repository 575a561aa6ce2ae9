"""A claim's reading as a ``distinct_readings`` row, by named columns; and the importer's cache of them.

Every reading the ledger stores comes from ``read_claim``'s steps: renormalise
and corrections read afresh (``reading_row``), a bulk import reads through
cached parts (``ReadingTemplates``), which takes the same steps and keeps each
part's stored values as long as it keeps the part; tests hold the two equal
for any phrase, time, kind and publication date. Both take each part's
columns from the same functions (``_value_part``, ``_conversion_values``,
``_time_values``); the importer joins the notes and warnings of its pieces
itself (``ReadingTemplates._template``), which those tests hold to
``reading_row``'s.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ledger.core.digests import json_items, json_list
from ledger.core.money import Rates, base_rates
from ledger.core.normalise import BASE_CURRENCY, CachedParts, ClaimReading, claim_days, converts
from ledger.core.readings import Conversion, Interval, PartialDate, TimeReading, ValueReading
from ledger.core.values import PARSER_VERSION, reading_to_dict
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
    value = reading.value
    value_values, alternatives = _value_part(value)
    time_notes = reading.time.notes if reading.time is not None else None
    values = (
        reading.parser_version,
        *value_values,
        *(_conversion_values(reading.conversion) if reading.conversion is not None else _NO_CONVERSION),
        *_time_values(reading.days, reading.time_basis),
        alternatives,
        _notes(value.notes, time_notes, reading.time_basis),
        "; ".join(reading.warnings) or None,
        now,
    )
    return dict(zip(ROW_COLUMNS[1:], values))


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
    if not value.alternatives:
        return columns, "[]"  # what the encoder writes for none, without the encoder
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
    cache; a miss takes ``read_claim``'s steps through ``CachedParts``, which
    hands out the same part objects for the same phrases, and puts the row
    together from stored pieces kept per part: the value's columns, notes and
    warning per value reading (``_ValuePiece``), the days' columns, notes and
    warning per time reading, or per publication date when no time is stated
    (``_TimePiece``), a conversion's rates and their columns per (currency,
    days) window, and the notes column per pair of notes. So a claim that
    misses costs a few lookups, its amount in the base currency and tuple
    joins, not a ``ClaimReading`` and its columns worked out again (the
    generated 200k: ~15 µs a claim, was ~45).
    """

    def __init__(self, rows: Rows, parts: CachedParts):
        self.parts = parts
        self._value_processors = [rows.processors.get(name) for name in VALUE_COLUMNS]
        self._conversion_processors = [rows.processors.get(name) for name in CONVERSION_COLUMNS]
        self._amount_processors = self._conversion_processors[1:3]  # base_low, base_high
        self._time_processors = [rows.processors.get(name) for name in TIME_COLUMNS]
        self._value_pieces = _ByIdentity(self._value_piece)
        self._stated_pieces = _ByIdentity(lambda time: self._time_piece(time, None))
        self._undated_pieces = lru_cache(maxsize=PART_CACHE)(lambda published: self._time_piece(None, published))
        self._notes: dict[tuple[str, str], str] = {}  # one string for equal notes: smaller pickles from the worker
        self._windows: dict[tuple[str, int], tuple] = {}  # (days, rates, stored columns) by (currency, id(days))
        self.template = lru_cache(maxsize=READING_CACHE)(self._template)

    def _template(
        self, value: str, when: str | None, kind: str | None, published: PartialDate | None, language: str
    ) -> tuple[tuple, tuple[tuple[str, str], ...]]:
        """The stored values of a claim's reading, and its warnings as (field, message) pairs.

        The same as ``reading_row(read_claim(...))`` converted for the driver, step by step.
        """
        parts = self.parts
        value_reading = parts.value(value, kind, published, language)
        time = self._stated_pieces(parts.time(when, published, language)) if when else self._undated_pieces(published)
        stated = self._value_pieces(value_reading)
        conversion = _NO_CONVERSION
        if stated.converts and time.days is not None:
            conversion = self._conversion(value_reading, time.days)
        warnings = stated.warnings + time.warnings
        notes = self._notes.get((stated.notes, time.notes)) or self._joined_notes(stated.notes, time.notes)
        row = (*stated.columns, *conversion, *time.columns, stated.alternatives, notes,
               "; ".join([message for _, message in warnings]) if warnings else None)
        return row, warnings

    def _joined_notes(self, value_notes: str, time_notes: str) -> str:
        """The notes column: ``_notes`` of the value's notes and the time's (as JSON list items)."""
        if len(self._notes) >= PART_CACHE:
            self._notes.clear()
        joined = f"[{value_notes}, {time_notes}]" if value_notes and time_notes else f"[{value_notes}{time_notes}]"
        self._notes[value_notes, time_notes] = joined
        return joined

    def _value_piece(self, value: ValueReading) -> _ValuePiece:
        columns, alternatives = _value_part(value)
        return _ValuePiece(
            (PARSER_VERSION, *_stored(self._value_processors, columns)), alternatives, json_items(value.notes),
            (("value", value.warning),) if value.warning else (), converts(value),
        )

    def _time_piece(self, time: TimeReading | None, published: PartialDate | None) -> _TimePiece:
        basis, days = claim_days(time, published)
        if time is not None:
            notes, warnings = json_items(time.notes), (("when", time.warning),) if time.warning else ()
        else:
            notes, warnings = json_items((AS_PUBLISHED,)) if basis == "published" else "", ()
        return _TimePiece(days, _stored(self._time_processors, _time_values(days, basis)), notes, warnings)

    def _conversion(self, value: ValueReading, days: Interval) -> tuple:
        """``CONVERSION_COLUMNS`` as stored: those of ``to_base(...)``, the window's part kept per window."""
        key = (value.currency, id(days))
        window = self._windows.get(key)
        if window is None or window[0] is not days:
            if len(self._windows) >= PART_CACHE:
                self._windows.clear()
            window = self._windows[key] = (days, *self._window(base_rates(value.currency, days, BASE_CURRENCY)))
        _, rates, base, rest = window
        if rates is None:
            return _NO_CONVERSION
        return (*base, *_stored(self._amount_processors, tuple(map(_number, rates.convert(value.interval)))), *rest)

    def _window(self, rates: Rates | None) -> tuple[Rates | None, tuple, tuple]:
        """The rates, and the stored columns before and after the converted amount's (``base_low``, ``base_high``)."""
        if rates is None:
            return None, (), ()
        shown = Conversion(rates.base, None, None, rates.shown_low, rates.shown_high, rates.first, rates.last,
                           rates.source)
        columns = _stored(self._conversion_processors, _conversion_values(shown))
        return rates, columns[:1], columns[3:]


class _ValuePiece(NamedTuple):
    """What a value reading puts in a stored reading: its columns (after the parser version), notes, warning."""

    columns: tuple  # ``parser_version`` and ``VALUE_COLUMNS``, as stored
    alternatives: str  # JSON
    notes: str  # its notes as JSON list items, without the brackets
    warnings: tuple[tuple[str, str], ...]
    converts: bool  # money to put into the base currency


class _TimePiece(NamedTuple):
    """What a claim's days put in a stored reading (a stated time's, or its source's publication date's)."""

    days: Interval | None
    columns: tuple  # ``TIME_COLUMNS``, as stored
    notes: str  # as JSON list items, without the brackets
    warnings: tuple[tuple[str, str], ...]


def _stored(processors: list, values: tuple) -> tuple:
    """``values`` as the driver stores them, converted by their columns' bind processors."""
    return tuple([v if p is None or v is None else p(v) for p, v in zip(processors, values)])


class _ByIdentity:
    """A function of one object computed once per object (by identity, not equality: cheap).

    The object is kept beside the result, so its id cannot be reused while
    the entry lives. The memo is emptied when it reaches ``PART_CACHE``
    entries.
    """

    def __init__(self, build: Callable):
        self._build = build
        self._memo: dict[int, tuple[object, object]] = {}

    def __call__(self, arg):
        hit = self._memo.get(id(arg))
        if hit is not None and hit[0] is arg:
            return hit[1]
        if len(self._memo) >= PART_CACHE:
            self._memo.clear()
        result = self._build(arg)
        self._memo[id(arg)] = (arg, result)
        return result
