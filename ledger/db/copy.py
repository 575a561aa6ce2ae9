"""Copying a whole ledger to another database (e.g. SQLite → PostgreSQL), journal included.

Rows keep their ids, so the journal's digests and hash chain stay valid and
``ledger verify`` passes on the copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, func, insert, select

from ledger.core.errors import DatabaseError
from ledger.db.access import Ledger
from ledger.db.models import Base

#: Parents before children, so foreign keys hold at every insert.
TABLE_ORDER = (
    "sources", "entities", "aliases", "attributes", "claims", "readings", "conflicts",
    "conflict_verdicts", "corrections", "journal", "reliability_estimates", "passages",
)
CHUNK = 5_000


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)


def copy_ledger(source: Ledger, target: Ledger) -> CopyReport:
    """Copy every row of ``source`` into ``target``, which must be at head and empty."""
    target.init()
    report = CopyReport()
    with source.read() as reader, target.write() as writer:
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
                batch.append(dict(row))
                if len(batch) >= CHUNK:
                    writer.execute(insert(table), batch)
                    count += len(batch)
                    batch = []
            if batch:
                writer.execute(insert(table), batch)
                count += len(batch)
            report.rows[name] = count
        if writer.bind.dialect.name == "postgresql":
            _reset_sequences(writer)
    return report


def _reset_sequences(session) -> None:
    """PostgreSQL ids come from sequences, which explicit ids do not advance."""
    for name in TABLE_ORDER:
        table = Base.metadata.tables[name]
        (key,) = table.primary_key.columns
        if not isinstance(key.type, Integer) or key.foreign_keys:
            continue
        sequence = func.pg_get_serial_sequence(name, key.name)
        session.execute(select(func.setval(sequence, func.coalesce(func.max(key), 0) + 1, False)))
