"""What one command does, as one call: open a transaction, do the work, decide, commit or roll back.

The CLI converts options, calls one function here and prints what it
returns; seeds, scripts and tests call the same functions, so an import is
assembled in one place. Functions raise ``LedgerError`` subclasses on bad
input, after rolling back everything they wrote.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path
from typing import TextIO

from ledger import readers
from ledger.collector import collector_off
from ledger.core.errors import CannotWrite, InvalidClaimFile
from ledger.core.records import Bundle, ClaimRecord, Location, SourceRecord
from ledger.db import read_ahead
from ledger.db.access import Ledger
from ledger.db.import_report import ImportReport, refuse_for_strict
from ledger.db.store import Importer, import_bundle
from ledger.readers.lines import Progress


def import_files(
    ledger: Ledger,
    paths: Iterable[Path],
    *,
    actor: str,
    strict: bool = False,
    progress: Progress | None = None,
    finishing: Callable[[], None] | None = None,
) -> dict[Path, ImportReport]:
    """Import claim files (YAML, JSON Lines, CSV) in one transaction: all of them, or nothing.

    Files are read in ``readers.import_order`` (CSV after the files that may
    hold its sources). ``progress`` is called with bytes read; ``finishing``
    once every file is read, before conflicts are brought up to date (the slow
    step of a large import). Returns each file's report, in the order given.
    Raises InvalidClaimFile for a file of unknown type (before reading any),
    UnreadValues when ``strict`` and a value or time cannot be read,
    NearNames when ``strict`` and a new subject or attribute is close to a known one, and
    other LedgerErrors for bad records.
    """
    paths = list(paths)
    for path in paths:
        if path.suffix.lower() not in readers.FORMATS:
            raise InvalidClaimFile(readers.unknown_format(path))
    reports: dict[Path, ImportReport] = {}
    # A bulk import makes and drops millions of small objects and next to no cycles, while the cycle collector
    # walks every live one (caches, maps) again and again: 13% of a Flight import's CPU. Off while importing
    # (``ledger.collector``; ``Importer.feed`` collects the young generation once a batch).
    with ledger.write(keys_checked_once=True) as session, collector_off():
        importer = Importer(session, actor)
        with closing(read_ahead.streams(importer, readers.import_order(paths), progress)) as files:
            for path, records in files:
                reports[path] = importer.feed(records)
        if strict:
            refuse_for_strict(list(reports.values()))
        if finishing is not None:
            finishing()
        importer.finish()
    return {path: reports[path] for path in paths}


def add_claim(ledger: Ledger, record: ClaimRecord, *, actor: str, strict: bool = False) -> ImportReport:
    """Record one claim, validated exactly like an imported one; its id is ``report.added_claim_ids[0]``.

    Raises UnreadValues (NearNames) when ``strict`` and its value or time cannot be read (its new
    subject or attribute is close to a known one).
    """
    with ledger.write() as session:
        report = import_bundle(session, Bundle(claims=[record]), actor)
        if strict:
            refuse_for_strict([report])
    return report



def add_source(ledger: Ledger, text_file: Path, *, actor: str, key: str | None = None, **fields) -> tuple[str, bool]:
    """Record one article from a text file and options, validated and journalled exactly like an imported source.

    ``fields`` are ``SourceRecord``'s (``title``, ``outlet``, ``published``,
    ...); ``key`` defaults to the outlet (else the title's first words) and the
    publication date, e.g. ``reuters-2021-09-13``. Returns the key and whether
    the source was added (False: the very same source is already recorded).
    Raises InvalidClaimFile for an unreadable file, a key taken by another
    article, or a text already recorded under another key.
    """
    try:
        article = text_file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidClaimFile(f"--text {text_file}: not UTF-8 text") from None
    except OSError as error:
        raise InvalidClaimFile(f"--text {text_file}: cannot read it ({error.strerror})") from None
    key = key or _source_key(fields.get("outlet") or " ".join(fields["title"].split()[:4]), fields.get("published"))
    record = SourceRecord(key=key, text=article, location=Location("command line", "source"), **fields)
    with ledger.write() as session:
        report = import_bundle(session, Bundle(sources=[record]), actor)
    return key, bool(report.sources_added)


def _source_key(name: str, published) -> str:
    slug = "-".join(re.findall(r"\w+", name.casefold()))
    return f"{slug}-{published}" if published else slug


def export_ledger(ledger: Ledger, fmt: str, path: Path | None = None, out: TextIO | None = None) -> tuple[int, str | None]:
    """Write the ledger as ``csv``, ``jsonl`` (the import format) or ``schema-org`` JSON-LD, streamed.

    To ``path`` (written whole or not at all: a temporary file renamed at the
    end), else to ``out`` (default stdout). JSON Lines puts article texts in a
    folder beside ``path`` (``NAME-texts/``); on stdout they are left out.
    Returns the number of claims written and a note for stderr (what the
    format leaves out), or None.
    """
    if path is None:
        return _export(ledger, fmt, out or sys.stdout, None)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            result = _export(ledger, fmt, handle, path)
        os.replace(partial, path)
    except OSError as error:
        raise CannotWrite(f"cannot write {path} ({error.strerror}); check that its folder exists and is writable") from None
    finally:
        partial.unlink(missing_ok=True)
    return result


def _export(ledger: Ledger, fmt: str, out: TextIO, path: Path | None) -> tuple[int, str | None]:
    from ledger.db import export as rows
    from ledger.report import export as writers

    with ledger.read() as session:
        if fmt == "csv":
            return writers.write_csv(rows.fact_rows(session), rows.CSV_COLUMNS, out), None
        if fmt == "schema-org":
            return writers.write_schema_org(rows.schema_org_rows(session), out), None
        texts = path.parent / f"{path.stem}-texts" if path is not None else None
        counts = writers.write_jsonl(rows.import_records(session), out, texts, path.parent if path else None)
        return counts.get("claim", 0), writers.left_out_note(rows.left_out(session), counts.get("texts left out", 0))
