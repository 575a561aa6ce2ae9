"""Opening databases: every SQLite/PostgreSQL difference lives here."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

BUSY_TIMEOUT_MS = 10_000


def database_url(target: str) -> str:
    """A bare path means SQLite; anything with ``://`` goes to SQLAlchemy as is."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target)}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other engines and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(
    url: str, *, read_only: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS, foreign_keys: bool = True
) -> Engine:
    """An engine with the ledger's connection settings.

    SQLite: foreign keys on, WAL, a busy timeout, and writers take the write
    lock up front (``BEGIN IMMEDIATE``) so that concurrent importers wait for
    each other instead of failing on lock upgrade; readers (execution option
    ``read_only_transaction``) begin deferred and never block writers. ``read_only`` opens the
    file with ``mode=ro`` so no statement can write, whatever it says.
    Migrations turn ``foreign_keys`` off, as SQLite's table rebuilds require.
    """
    url = database_url(url)
    path = sqlite_path(url)
    if path is None:
        return create_engine(url)
    if read_only:
        uri = f"file:{path.resolve()}?mode=ro"
        engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(
                uri, uri=True, timeout=busy_timeout_ms / 1000, check_same_thread=False
            ),
        )
    else:
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        deferred = read_only or connection.get_execution_options().get("read_only_transaction")
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

    return engine
