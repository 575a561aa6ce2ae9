"""One encoding of values for every output: JSON text, CSV cells and table cells."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import Decimal
from json.encoder import encode_basestring

from ledger.core.numbers import json_number


def to_json(value, *, indent: int | None = 2) -> str:
    """``value`` as JSON text: dates as ISO strings, Decimals as numbers, bytes as hex, other types as text.

    Non-finite floats (``1e999``) become null: JSON has no Infinity or NaN.
    """
    if indent == 2:
        return _indented(value, "\n")
    return json.dumps(_finite(value), default=json_default, ensure_ascii=False, indent=indent, allow_nan=False)


def _indented(value, margin: str) -> str:
    """The text of ``json.dumps(_finite(value), ..., indent=2)``, laid out here around the C encoder's strings.

    With an indent, ``json.dumps`` runs its pure-Python encoder, a few µs per
    value: most of the time of listing many conflicts. Types are tested in
    ``json``'s order. ``margin`` is a newline and the indent of the enclosing level.
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


class ObjectsAt:
    """``to_json`` of many dicts nested in indented JSON at one ``margin`` (a newline and the enclosing
    level's indent): each order of keys is laid out once, then values are filled in.

    ``special`` maps a key to the function making its value's text (e.g. reusing texts made before).
    """

    def __init__(self, margin: str, special: dict | None = None):
        self.margin, self.special = margin, special or {}
        self._layouts: dict[tuple, tuple[str, list]] = {}

    def __call__(self, value: dict) -> str:
        keys = tuple(value)
        layout = self._layouts.get(keys)
        if layout is None:
            if not keys:
                return "{}"
            inner = self.margin + "  "
            names = [encode_basestring(str(key)).replace("%", "%%") for key in keys]
            layout = self._layouts[keys] = (
                "{" + inner + ("," + inner).join(f"{name}: %s" for name in names) + self.margin + "}",
                [self.special.get(key) for key in keys],
            )
        inner = self.margin + "  "
        template, makers = layout
        return template % tuple([
            make(item) if (make := special or _SCALARS.get(type(item))) else _indented(item, inner)
            for special, item in zip(makers, value.values())
        ])


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
