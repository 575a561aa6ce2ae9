"""Bulk loads into an empty ledger: foreign keys checked once for the whole load, not row by row.

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

SQLite cannot drop a constraint, but a connection can stop checking keys
(``PRAGMA foreign_keys``, only between transactions): a bulk import into an
empty ledger runs so (``sqlite_keys_off``) and, before its commit, checks
every row of every table at once (``check_every_key``, SQLite's
``PRAGMA foreign_key_check``). On the Flight month (2.65 million claims,
5.37 million pairs with eight keys each) that one check takes 9 s, where the
pairs' keys alone took about 19 s checked row by row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from ledger.core.errors import LedgerError

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


@contextmanager
def sqlite_keys_off(engine: Engine) -> Iterator[Connection]:
    """A connection of a SQLite ``engine`` that does not check foreign keys row by row until it is given back.

    Set on the driver's connection, before any transaction: inside one SQLite ignores the pragma (and a
    SQLAlchemy ``Connection`` would begin one at its first statement). The caller checks the keys with
    ``check_every_key`` before it commits.
    """
    with engine.connect() as connection:
        driver = connection.connection.dbapi_connection
        driver.execute("PRAGMA foreign_keys = OFF")
        try:
            yield connection
        finally:  # the pooled connection goes back as ``make_engine`` made it, whatever happened
            driver.execute("PRAGMA foreign_keys = ON")


class BrokenKey(LedgerError):
    """A row written with keys unchecked points to no row: a bug, never bad input (the import rolls back)."""


def check_every_key(connection: Connection) -> None:
    """Every row's foreign keys, in one pass (SQLite's ``PRAGMA foreign_key_check``); raise on the first broken one."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        table, rowid, parent, _ = broken
        raise BrokenKey(f"row {rowid} of {table} points to no row of {parent}: nothing was written "
                        "(a bug in the ledger, not in the file: please report it)")
