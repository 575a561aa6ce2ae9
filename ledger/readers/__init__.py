"""Claim readers: YAML claim files, JSON Lines and CSV, all yielding the same records.

Every format builds its records with the field rules of ``fields`` (one
``FieldReader``), so a field means and is checked the same in every format.
YAML files are one document, parsed whole (``yaml_file``); JSON Lines
(``jsonl``) and CSV (``csv_file``) are read line by line and records are
yielded as soon as they are read: a million-claim file is never held in memory.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

from ledger.core.errors import InvalidClaimFile
from ledger.readers.csv_file import read_csv, read_csv_fields
from ledger.readers.fields import Record
from ledger.readers.jsonl import read_jsonl
from ledger.readers.lines import Progress, file_size, total_size
from ledger.readers.yaml_file import load_claim_file

FORMATS = {".yaml": "YAML claim file", ".yml": "YAML claim file", ".jsonl": "JSON Lines", ".csv": "CSV claims"}


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


def read_fields(path: Path, progress: Progress | None = None) -> Iterator[Record | tuple]:
    """``read_records``, but the clean claims of a CSV file as tuples of their fields (``read_csv_fields``)."""
    if path.suffix.lower() == ".csv":
        return read_csv_fields(path, progress)
    return read_records(path, progress)


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
        progress(file_size(path))
    yield from itertools.chain(bundle.sources, bundle.attributes, bundle.entities, bundle.claims)

