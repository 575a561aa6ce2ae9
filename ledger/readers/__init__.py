"""Streaming readers for bulk claim data: JSON Lines and CSV, one record at a time.

Both yield the same records as a YAML claim file (``ledger.claimfile``), built
by the same field rules, so a field means and is checked the same in every
format. Files are read line by line and records are yielded as soon as they
are read: a million-claim file is never held in memory. Every error names
file, line and field, e.g. ``claims.csv:12: claim.value: is required``.

* JSON Lines (``.jsonl``): one JSON object per line with a ``type`` of
  ``source``, ``entity``, ``attribute`` or ``claim`` and the fields of that
  YAML section; ``text_file`` is relative to the JSONL file. Blank lines are
  skipped.
* CSV (``.csv``): claims only; a header row naming the columns ``ref, source,
  subject, attribute, value, when, quote, attributed_to`` (``source``,
  ``subject``, ``attribute`` and ``value`` are required, the others may be left
  out); an empty cell means the field is absent.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Union

from ledger.claimfile import (
    ATTRIBUTE_FIELDS,
    CLAIM_FIELDS,
    ENTITY_FIELDS,
    MAX_FIELD_CHARS,
    SOURCE_FIELDS,
    FieldReader,
    attribute_record,
    claim_record,
    entity_record,
    load_claim_file,
    source_record,
)
from ledger.core.errors import InvalidClaimFile
from ledger.core.records import AttributeRecord, ClaimRecord, EntityRecord, Location, SourceRecord

Record = Union[SourceRecord, EntityRecord, AttributeRecord, ClaimRecord]
#: Called with the number of bytes read since the last call (drives a progress bar).
Progress = Callable[[int], None]

CSV_COLUMNS = ("ref", "source", "subject", "attribute", "value", "when", "quote", "attributed_to")
CSV_REQUIRED = ("source", "subject", "attribute", "value")
FORMATS = {".yaml": "YAML claim file", ".yml": "YAML claim file", ".jsonl": "JSON Lines", ".csv": "CSV claims"}
_REPORT_EVERY = 2_000  # lines between progress reports: cheap, and smooth enough for a bar

_TYPES = {
    "source": (SOURCE_FIELDS, source_record),
    "entity": (ENTITY_FIELDS, lambda fields, _base: entity_record(fields)),
    "attribute": (ATTRIBUTE_FIELDS, lambda fields, _base: attribute_record(fields)),
    "claim": (CLAIM_FIELDS, lambda fields, _base: claim_record(fields)),
}


class _Fields(FieldReader):
    """One JSON object or CSV row, with the typed accessors (and messages) of a YAML record."""

    __slots__ = ("location", "fields")

    def __init__(self, fields: dict, location: Location, allowed: set[str] | None = None):
        self.location = location
        self.fields = fields
        if allowed is not None:
            for key in fields:
                if key not in allowed:
                    raise self.unknown_field(key, allowed)

    def text(self, name: str, required: bool = False) -> str | None:
        """A text field; JSON numbers arrive as the text they were written as (``2012`` is "2012")."""
        value = self.fields.get(name)
        if value is not None and type(value) is not str:
            if isinstance(value, bool):
                raise self.error(name, f"must be text, not {str(value).lower()}; put it in quotes")
            raise self.error(name, "must be a single value (text), not a list or mapping")
        return self.checked_text(name, value, required)

    def flag(self, name: str) -> bool | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error(name, "must be true or false")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.fields.get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            raise self.error(name, "must be a list of names, e.g. [\"Wagner\", \"Wagner Group\"]")
        return tuple(item.strip() for item in value)


def read_records(path: Path, progress: Progress | None = None) -> Iterator[Record]:
    """Records of a claim file of any supported type, chosen by its extension, as they are read.

    Raises InvalidClaimFile naming file, line and field; a YAML file is parsed
    whole (it is one document), JSON Lines and CSV are streamed.
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _yaml_records(path, progress)
    if suffix == ".jsonl":
        return read_jsonl(path, progress)
    if suffix == ".csv":
        return read_csv(path, progress)
    raise InvalidClaimFile(unknown_format(path))


def unknown_format(path: Path) -> str:
    kinds = ", ".join(f"{ext} ({what})" for ext, what in FORMATS.items())
    return f"{path}: cannot tell the file type from {path.suffix or 'a name without extension'!r}; use {kinds}"


def import_order(paths: Iterable[Path]) -> list[Path]:
    """The order files of one command are imported in: CSV (claims only) after the files that can hold sources."""
    paths = list(paths)
    return [p for p in paths if p.suffix.lower() != ".csv"] + [p for p in paths if p.suffix.lower() == ".csv"]


def _yaml_records(path: Path, progress: Progress | None) -> Iterator[Record]:
    bundle = load_claim_file(path)
    if progress is not None:
        progress(_size(path))
    yield from itertools.chain(bundle.sources, bundle.attributes, bundle.entities, bundle.claims)


def read_jsonl(path: Path, progress: Progress | None = None) -> Iterator[Record]:
    """Records of a JSON Lines file, one per line, yielded as each line is read."""
    label, base = str(path), path.parent
    for number, text in _lines(path, label, progress):
        if not text.strip():
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
        yield build(_Fields(value, Location(label, kind, number), allowed), base)


def read_csv(path: Path, progress: Progress | None = None) -> Iterator[ClaimRecord]:
    """Claims of a CSV file with a header row, yielded as each row is read."""
    label = str(path)
    # Quotes may be as long as in a YAML file (csv's own limit is 131,072 characters).
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS + 1))
    numbered = _lines(path, label, progress)
    reader = csv.reader((text for _, text in numbered), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        columns = _check_header(header, label)
        width = len(columns)
        line = reader.line_num + 1
        for row in reader:
            start, line = line, reader.line_num + 1
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    continue  # a blank line
                raise InvalidClaimFile(
                    f"{label}:{start}: claim has {len(row)} cells but the header has {width} columns "
                    "(quote cells that contain commas)"
                )
            fields = {name: cell for name, cell in zip(columns, row) if cell}
            yield claim_record(_Fields(fields, Location(label, "claim", start)))
    except csv.Error as exc:
        raise InvalidClaimFile(f"{label}:{reader.line_num}: not valid CSV ({exc})") from None


def _check_header(header: list[str], label: str) -> list[str]:
    columns = [name.strip() for name in header]
    if columns:
        columns[0] = columns[0].lstrip("\ufeff")
    for name in columns:
        if name not in CSV_COLUMNS:
            raise InvalidClaimFile(
                f"{label}:1: unknown column {name!r}; CSV files hold claims with columns "
                f"{', '.join(CSV_COLUMNS)}"
            )
        if columns.count(name) > 1:
            raise InvalidClaimFile(f"{label}:1: column {name!r} appears twice in the header")
    for name in CSV_REQUIRED:
        if name not in columns:
            raise InvalidClaimFile(
                f"{label}:1: missing column {name!r}; the header needs {', '.join(CSV_REQUIRED)} "
                f"(and may have {', '.join(c for c in CSV_COLUMNS if c not in CSV_REQUIRED)})"
            )
    return columns


def _lines(path: Path, label: str, progress: Progress | None) -> Iterator[tuple[int, str]]:
    """(line number, text) pairs, decoded one line at a time so bad UTF-8 is named by its line."""
    handle = _open(path, label)
    with handle:
        unreported = 0
        for number, raw in enumerate(handle, 1):
            unreported += len(raw)
            if progress is not None and number % _REPORT_EVERY == 0:
                progress(unreported)
                unreported = 0
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidClaimFile(
                    f"{label}:{number}: byte {exc.start + 1} of the line is not UTF-8: save the file as UTF-8"
                ) from None
            if number == 1:
                text = text.lstrip("\ufeff")
            yield number, text
        if progress is not None and unreported:
            progress(unreported)


def _open(path: Path, label: str) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InvalidClaimFile(f"{label}: cannot read the file ({exc.strerror})") from None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def total_size(paths: Iterable[Path]) -> int:
    """Bytes a progress bar over ``paths`` counts to."""
    return sum(_size(path) for path in paths)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value) -> str | None:
    """The first lone surrogate in the strings of a parsed JSON value, if any."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if half := _SURROGATE.search(item):
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
