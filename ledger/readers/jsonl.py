"""JSON Lines claim files: one record per line, yielded as each line is read.

One JSON object per line with a ``type`` of ``source``, ``entity``,
``attribute`` or ``claim`` and the fields of that YAML section; ``text_file``
is relative to the JSONL file. Blank lines are skipped. Every error names
file, line and field, e.g. ``sources.jsonl:3: source.published: ...``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import orjson

from ledger.core.errors import InvalidClaimFile
from ledger.core.records import ClaimRecord, Location
from ledger.readers.fields import (
    ATTRIBUTE_FIELDS,
    CLAIM_FIELDS,
    ENTITY_FIELDS,
    SOURCE_FIELDS,
    SURROGATE,
    CheckedFields,
    DictFields,
    Record,
    attribute_record,
    claim_record,
    entity_record,
    passes_text_checks,
    source_record,
)
from ledger.readers.lines import Progress, numbered_lines

_TYPES = {
    "source": (SOURCE_FIELDS, source_record),
    "entity": (ENTITY_FIELDS, lambda fields, _base: entity_record(fields)),
    "attribute": (ATTRIBUTE_FIELDS, lambda fields, _base: attribute_record(fields)),
    "claim": (CLAIM_FIELDS, lambda fields, _base: claim_record(_checked_at_once(fields))),
}


def _checked_at_once(fields: DictFields) -> DictFields:
    """``fields`` as ``CheckedFields`` when all its values are text that passes every check at once."""
    values = list(fields.fields.values())
    if all(type(value) is str for value in values) and passes_text_checks(values):
        return CheckedFields(fields.fields, fields.location)
    return fields


def read_jsonl(path: Path, progress: Progress | None = None) -> Iterator[Record]:
    """Records of a JSON Lines file, one per line, yielded as each line is read."""
    label, base = str(path), path.parent
    for number, text in numbered_lines(path, label, progress):
        if not text.strip():
            continue
        if "\\" not in text and (record := _plain_claim(text, label, number)) is not None:
            yield record
            continue
        try:
            value = json.loads(text, object_pairs_hook=_object, parse_int=str, parse_float=str,
                               parse_constant=_no_constant)
        except _DuplicateField as exc:
            raise InvalidClaimFile(f"{label}:{number}: field {exc.args[0]!r} is given twice") from None
        except ValueError as exc:
            reason = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise InvalidClaimFile(f"{label}:{number}: not valid JSON ({reason}); write one object per line") from None
        except RecursionError:
            raise InvalidClaimFile(f"{label}:{number}: nesting too deep to be a record") from None
        if "\\u" in text and (half := _lone_surrogate(value)):
            # an escape such as "\ud800" on its own: not a character, and no database can store it
            raise InvalidClaimFile(
                f"{label}:{number}: {half!r} is half of a UTF-16 surrogate pair, not a character; "
                "write the character itself"
            )
        if not isinstance(value, dict):
            raise InvalidClaimFile(
                f"{label}:{number}: expected a JSON object such as "
                '{"type": "claim", "source": ..., "subject": ..., "attribute": ..., "value": ...}'
            )
        kind = value.pop("type", None)
        if not isinstance(kind, str) or kind not in _TYPES:
            what = f"unknown type {kind!r}" if kind is not None else 'no "type"'
            raise InvalidClaimFile(f"{label}:{number}: {what}; expected one of: {', '.join(_TYPES)}")
        allowed, build = _TYPES[kind]
        yield build(DictFields(value, Location(label, kind, number), allowed), base)


_REQUIRED = ("source", "subject", "attribute", "value")
_OPTIONAL = ("when", "quote", "attributed_to", "ref")
_PLAIN_KEYS = CLAIM_FIELDS | {"type"}


def _plain_claim(text: str, label: str, number: int) -> ClaimRecord | None:
    """The claim of a line holding one plain claim object, as the general path reads it; None for any other line.

    Plain: no backslash (so no escapes), a JSON object of text values only, known fields, each
    field's text passing every check at once (``passes_text_checks``) and the required ones filled.
    Without escapes every quote mark delimits a key or a value, so four of them a field in the
    line prove that no field is given twice (a parser keeps one of two). Bulk files are almost
    all such lines; any other goes the general way, which gives every error.
    """
    try:
        fields = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if type(fields) is not dict or fields.get("type") != "claim" or text.count('"') != 4 * len(fields):
        return None
    values = []
    for key, value in fields.items():
        if type(value) is not str or key not in _PLAIN_KEYS:
            return None
        if key != "type":
            values.append(value)
    if not passes_text_checks(values):
        return None
    required = [(fields.get(name) or "").strip() for name in _REQUIRED]
    if not all(required):
        return None
    optional = [(fields.get(name) or "").strip() or None for name in _OPTIONAL]
    return ClaimRecord(*required, *optional, location=Location(label, "claim", number))


def _lone_surrogate(value) -> str | None:
    """The first lone surrogate in the strings of a parsed JSON value, if any."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if half := SURROGATE.search(item):
                return half.group()
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


class _DuplicateField(Exception):
    pass


def _object(pairs: list[tuple[str, object]]) -> dict:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateField(key)
            seen.add(key)
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")
