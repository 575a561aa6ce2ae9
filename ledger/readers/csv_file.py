"""CSV claim files: claims only, one per row, yielded as each row is read.

A header row names the columns ``ref, source, subject, attribute, value, when,
quote, attributed_to`` (``source``, ``subject``, ``attribute`` and ``value``
are required, the others may be left out); an empty cell means the field is
absent. Every error names file and line, e.g. ``claims.csv:12: claim.value: is required``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path

from ledger.core.errors import InvalidClaimFile
from ledger.core.records import ClaimRecord, Location
from ledger.readers.fields import MAX_FIELD_CHARS, DictFields, FieldReader, claim_record, passes_text_checks
from ledger.readers.lines import Progress, numbered_lines

CSV_COLUMNS = ("ref", "source", "subject", "attribute", "value", "when", "quote", "attributed_to")
CSV_REQUIRED = ("source", "subject", "attribute", "value")
#: A claim's stated fields in the order ``read_csv_fields`` gives them (the required ones first).
STATED_FIELDS = ("source", "subject", "attribute", "value", "when", "quote", "attributed_to", "ref")

#: What makes one row's item: (cells, file label, line) -> item.
RowItem = Callable[[list[str], str, int], object]


def read_csv(path: Path, progress: Progress | None = None) -> Iterator[ClaimRecord]:
    """Claims of a CSV file with a header row, yielded as each row is read."""
    return _read_rows(path, progress, _records_of)


def read_csv_fields(path: Path, progress: Progress | None = None) -> Iterator[tuple | ClaimRecord]:
    """As ``read_csv``, but each claim of a clean row as a tuple of its ``STATED_FIELDS``, file and line.

    For the import's read-ahead worker, which turns every claim into a tuple at once: a clean row
    (``row_claim``'s test, its required cells filled) gives the fields ``read_csv``'s record holds,
    without building the record; any other row gives ``read_csv``'s record, or raises its error.
    """
    return _read_rows(path, progress, _fields_of)


def _read_rows(path: Path, progress: Progress | None, item_maker: Callable[[list[str]], RowItem]) -> Iterator:
    """Each row's item (``item_maker(columns)`` makes the file's row reader), rows checked as ``read_csv`` says."""
    label = str(path)
    # Quotes may be as long as in a YAML file (csv's own limit is 131,072 characters).
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS + 1))
    numbered = numbered_lines(path, label, progress)
    reader = csv.reader((text for _, text in numbered), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        columns = _check_header(header, label)
        item = item_maker(columns)
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
            yield item(row, label, start)
    except csv.Error as exc:
        raise InvalidClaimFile(f"{label}:{reader.line_num}: not valid CSV ({exc})") from None


def row_claim(columns: list[str], row: list[str], location: Location) -> ClaimRecord:
    """The claim of one row: ``claim_record`` of its non-empty cells, checked once for the whole row where it can.

    A row without a single character a name may not hold (free text refuses
    fewer) and no longer than a field may be passes each field's text checks,
    so its cells are read as they are (stripped); any other row is checked
    field by field, which names the field at fault. Bulk files are almost all
    such rows.
    """
    if passes_text_checks(row):
        return claim_record(_CleanRow(columns, row, location))
    return claim_record(DictFields({name: cell for name, cell in zip(columns, row) if cell}, location))


def _records_of(columns: list[str]) -> RowItem:
    """The row reader of ``read_csv`` for a file with these ``columns``."""
    def record(row: list[str], label: str, line: int) -> ClaimRecord:
        return row_claim(columns, row, Location(label, "claim", line))

    return record


def _fields_of(columns: list[str]) -> RowItem:
    """The row reader of ``read_csv_fields`` for a file with these ``columns``."""
    missing = len(columns)  # stripped cells get one None past the end: the value of a column the file lacks
    stated = itemgetter(*[columns.index(name) if name in columns else missing for name in STATED_FIELDS])
    required = len(CSV_REQUIRED)
    record = _records_of(columns)

    def fields(row: list[str], label: str, line: int) -> tuple | ClaimRecord:
        if passes_text_checks(row):
            cells = [cell.strip() or None for cell in row]  # as ``_CleanRow.text``: blank is None
            cells.append(None)
            values = stated(cells)
            if None not in values[:required]:
                return (*values, label, line)
        return record(row, label, line)  # the record, or the error a required blank cell raises

    return fields


class _CleanRow(FieldReader):
    """A row whose text already passed every field's checks at once (see ``row_claim``)."""

    __slots__ = ("location", "cells", "row")

    def __init__(self, columns: list[str], row: list[str], location: Location):
        self.location = location
        self.row = dict(zip(columns, row))
        self.cells = dict(zip(columns, map(str.strip, row)))

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.cells.get(name)
        if value:
            return value
        return self.checked_text(name, self.row.get(name) or None, required)  # blank: None, or the error


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
