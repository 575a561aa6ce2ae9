"""PostgreSQL bulk loads into an empty ledger: foreign keys checked once for the whole load, not row by row.

PostgreSQL checks a foreign key with a trigger per inserted row (an index
lookup and a lock on the parent row): about two thirds of the server's time
in a ``COPY`` of claims, most of it for the pairs a fresh import stores and a
quarter for its passages.
``pg_restore``'s way is to load first and add the constraints after, which
checks every row with one join. Inside the import's transaction that stays
atomic: a row that breaks a key (a bug, never bad input) makes the ``ADD``
fail and the whole import roll back, and any error restores the constraints
with everything else. Their definitions are read back from the database, so
they return exactly as they were.

Dropping a constraint locks its table and the referenced ones (``ACCESS
EXCLUSIVE``) until commit, so readers wait for the import; the importer does
it only when the ledger held no claims (nothing to read yet, no stored rows to
check again), and only a role that owns the tables may.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.engine import Connection

DroppedKeys = list[tuple[str, str, str]]  # (table, constraint name, definition)


def drop_foreign_keys(connection: Connection, tables: Iterable[str]) -> DroppedKeys:
    """Drop the foreign keys of ``tables`` (PostgreSQL; elsewhere nothing); return what ``restore_foreign_keys`` needs.

    Only a role that owns the tables may alter them; any other writer keeps the per-row checks.
    """
    if connection.dialect.name != "postgresql":
        return []
    tables = list(tables)
    owned = connection.execute(
        text("SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class WHERE oid = ANY(CAST(:tables AS regclass[]))"),
        {"tables": tables},
    ).scalar()
    if not owned:
        return []
    keys = [tuple(row) for row in connection.execute(
        text("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
             "WHERE contype = 'f' AND conrelid = ANY(CAST(:tables AS regclass[])) ORDER BY conrelid, conname"),
        {"tables": tables},
    )]
    _alter(connection, keys, lambda name, _: f"DROP CONSTRAINT {name}")
    return keys


def restore_foreign_keys(connection: Connection, keys: DroppedKeys) -> None:
    """Add back the keys ``drop_foreign_keys`` dropped, checking every row against them (one join each)."""
    _alter(connection, keys, lambda name, definition: f"ADD CONSTRAINT {name} {definition}")


def _alter(connection: Connection, keys: DroppedKeys, clause) -> None:
    quote = connection.dialect.identifier_preparer.quote
    tables = dict.fromkeys(table for table, _, _ in keys)
    for table in tables:
        clauses = [clause(quote(name), definition) for owner, name, definition in keys if owner == table]
        connection.exec_driver_sql(f"ALTER TABLE {table} {', '.join(clauses)}")
