"""CSV claim files: claims only, one per row, yielded as each row is read.

A header row names the columns ``ref, source, subject, attribute, value, when,
quote, attributed_to`` (``source``, ``subject``, ``attribute`` and ``value``
are required, the others may be left out); an empty cell means the field is
absent. Every error names file and line, e.g. ``claims.csv:12: claim.value: is required``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ledger.core.errors import InvalidClaimFile
from ledger.core.records import ClaimRecord, Location
from ledger.readers.fields import MAX_FIELD_CHARS, DictFields, FieldReader, claim_record, passes_text_checks
from ledger.readers.lines import Progress, numbered_lines

CSV_COLUMNS = ("ref", "source", "subject", "attribute", "value", "when", "quote", "attributed_to")
CSV_REQUIRED = ("source", "subject", "attribute", "value")


def read_csv(path: Path, progress: Progress | None = None) -> Iterator[ClaimRecord]:
    """Claims of a CSV file with a header row, yielded as each row is read."""
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
            yield row_claim(columns, row, Location(label, "claim", start))
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
