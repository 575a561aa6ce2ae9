"""One encoding of values for every output: JSON text, CSV cells and table cells."""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from decimal import Decimal
from json.encoder import encode_basestring

import orjson

from ledger.core.numbers import json_number


def to_json(value, *, indent: int | None = 2) -> str:
    """``value`` as JSON text: dates as ISO strings, Decimals as numbers, bytes as hex, other types as text.

    Non-finite floats (``1e999``) become null: JSON has no Infinity or NaN.
    """
    if indent == 2:
        text = _in_c(value)
        return _indented(value, "\n") if text is None else text
    return json.dumps(_finite(value), default=json_default, ensure_ascii=False, indent=indent, allow_nan=False)


def _indented(value, margin: str) -> str:
    """The text of ``json.dumps(_finite(value), ..., indent=2)``, laid out here around the C encoder's strings.

    With an indent, ``json.dumps`` runs its pure-Python encoder, a few µs per
    value; this is faster, and used where orjson's text would differ (``_in_c``).
    Types are tested in ``json``'s order. ``margin`` is a newline and the indent
    of the enclosing level.
    """
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return float.__repr__(value) if math.isfinite(value) else "null"
    inner = margin + "  "
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if set(map(type, value)) == {int}:  # ids: all in C
            return "[" + inner + ("," + inner).join(map(int.__repr__, value)) + margin + "]"
        items = [scalar(item) if (scalar := _SCALARS.get(type(item))) else _indented(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + margin + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{encode_basestring(str(key))}: "
            + (scalar(item) if (scalar := _SCALARS.get(type(item))) else _indented(item, inner))
            for key, item in value.items()
        ]
        return "{" + inner + ("," + inner).join(items) + margin + "}"
    return _indented(json_default(value), margin)


def json_elements(values: list) -> str:
    """The elements of ``to_json(values)`` (a non-empty list) as they stand in it: one array written in parts."""
    return to_json(values)[4:-2]  # less "[\n  " and "\n]"


# orjson writes subclasses, dates and dataclasses through ``_default_in_c``, like ``json_default`` would.
_ORJSON_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATETIME
                   | orjson.OPT_PASSTHROUGH_DATACLASS)


def _in_c(value) -> str | None:
    """The text of ``_indented`` at the top level, made by orjson (in C, ~10 times faster), or None where
    orjson would write it otherwise.

    orjson lays out indented JSON as ``json.dumps`` does, but refuses integers
    beyond 64 bits, lone surrogates and keys other than strings, and writes
    floats under 1e-4 otherwise ("0.00001" for 1e-05, "6e-8" for 6e-08): those
    texts come from ``_indented``. Enums (which nothing here lists) it writes by value.
    """
    try:
        text = orjson.dumps(value, default=_default_in_c, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return None
    if b"0.0000" in text or _SHORT_EXPONENT.search(text):  # maybe such a float (or a string holding these)
        return None
    return text.decode()


_SHORT_EXPONENT = re.compile(rb"e-[1-9](?![0-9])")  # starting with a literal: searched at memchr speed


def _default_in_c(value):
    if isinstance(value, (str, int, float, list, tuple, dict)):
        raise TypeError("a subclass: laid out by _indented")  # ``json`` writes it as its base type
    return json_default(value)


# What ``_indented`` makes of values of exactly these types, looked up in one step (most values are).
_SCALARS = {
    str: encode_basestring,
    type(None): lambda _: "null",
    bool: lambda value: "true" if value else "false",
    int: int.__repr__,
    float: lambda value: float.__repr__(value) if math.isfinite(value) else "null",
}


def json_default(value):
    """What ``json.dumps`` cannot encode by itself."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return json_number(value)
    return plain(value)  # bytes as hex; UUIDs, intervals, addresses ... as the database writes them


def _finite(value):
    """Non-finite floats replaced by None, in nested lists and dicts."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(key): _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def plain(value) -> str:
    """A value as one CSV cell: dates ISO, whole floats without '.0', lists ';'-joined, None empty."""
    if type(value) is str:  # most cells: no other test needed
        return value
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return ";".join(plain(item) for item in value)
    return str(value)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 claim', '2 claims', '1,200 claims' ('1 entity', '2 entities' with ``nouns``)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def show(value) -> str:
    """A value for people: '—' for nothing, a dict as 'key=value, …'."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}={show(item)}" for key, item in value.items())
    return str(value)
