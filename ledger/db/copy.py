"""Copying a whole ledger to another database (e.g. SQLite → PostgreSQL), journal included.

Rows keep their ids, so the journal's digests and hash chain stay valid and
``ledger verify`` passes on the copy. PostgreSQL text cannot hold a NUL
character, which SQLite stores; a ledger written before imports refused NUL
may hold some, so a copy to PostgreSQL names every such row before anything
is committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, func, insert, select

from ledger.core.errors import DatabaseError
from ledger.db.access import Ledger
from ledger.db.models import Base

#: Parents before children, so foreign keys hold at every insert.
TABLE_ORDER = (
    "sources", "entities", "aliases", "attributes", "distinct_readings", "claims", "conflict_phrases",
    "conflict_scans", "stored_conflicts",
    "conflict_verdicts", "corrections", "journal", "reliability_estimates", "passages",
)
CHUNK = 5_000
SHOWN_ROWS = 10  # rows holding NUL named in the error; the rest are counted


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)
    nul_cells: list[str] = field(default_factory=list)  # the first "table row (column)" holding a NUL character
    nul_count: int = 0


def copy_ledger(source: Ledger, target: Ledger) -> CopyReport:
    """Copy every row of ``source`` into ``target``, which must be at head and empty."""
    target.init()
    report = CopyReport()
    with source.read() as reader, target.write() as writer:
        refuses_nul = refuses_nul_characters(writer)
        for name in TABLE_ORDER:
            table = Base.metadata.tables[name]
            if writer.execute(select(func.count()).select_from(table)).scalar_one():
                raise DatabaseError(
                    f"target {target.target} already holds {name}; copy into an empty database"
                )
        for name in TABLE_ORDER:
            table = Base.metadata.tables[name]
            order = list(table.primary_key.columns)
            batch: list[dict] = []
            count = 0
            for row in reader.execute(select(table).order_by(*order)).mappings():
                if refuses_nul:
                    _find_nul(name, table, row, report)
                if report.nul_count:
                    continue  # nothing more is written: the copy will be refused whole, every such row named
                batch.append(dict(row))
                if len(batch) >= CHUNK:
                    writer.execute(insert(table), batch)
                    count += len(batch)
                    batch = []
            if batch:
                writer.execute(insert(table), batch)
                count += len(batch)
            report.rows[name] = count
        if report.nul_count:
            raise DatabaseError(_nul_message(report))
        if writer.bind.dialect.name == "postgresql":
            _reset_sequences(writer)
    return report


def refuses_nul_characters(session) -> bool:
    """Whether the target's text columns refuse NUL (PostgreSQL's do; SQLite's store it)."""
    return session.bind.dialect.name == "postgresql"


def _find_nul(name: str, table, row, report: CopyReport) -> None:
    for column, value in row.items():
        if type(value) is str and "\x00" in value:
            report.nul_count += 1
            if len(report.nul_cells) < SHOWN_ROWS:
                key = ", ".join(str(row[c.name]) for c in table.primary_key.columns)
                report.nul_cells.append(f"{name} {key} ({column})")


def _nul_message(report: CopyReport) -> str:
    more = report.nul_count - len(report.nul_cells)
    shown = "; ".join(report.nul_cells) + (f"; and {more} more" if more else "")
    return (
        f"the target cannot store the NUL character that {report.nul_count} values hold: {shown}. "
        "Nothing was copied; these rows were imported before NUL was refused (`ledger sql` shows them)"
    )


def _reset_sequences(session) -> None:
    """PostgreSQL ids come from sequences, which explicit ids do not advance."""
    for name in TABLE_ORDER:
        table = Base.metadata.tables[name]
        (key,) = table.primary_key.columns
        if not isinstance(key.type, Integer) or key.foreign_keys:
            continue
        sequence = func.pg_get_serial_sequence(name, key.name)
        session.execute(select(func.setval(sequence, func.coalesce(func.max(key), 0) + 1, False)))
