"""What one command does, as one call: open a transaction, do the work, decide, commit or roll back.

The CLI converts options, calls one function here and prints what it
returns; seeds, scripts and tests call the same functions, so an import is
assembled in one place. Functions raise ``LedgerError`` subclasses on bad
input, after rolling back everything they wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ledger import readers
from ledger.core.errors import InvalidClaimFile
from ledger.core.records import Bundle, ClaimRecord
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
    with ledger.write() as session:
        importer = Importer(session, actor)
        for path in readers.import_order(paths):
            reports[path] = importer.feed(readers.read_records(path, progress))
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

