"""Opening databases: every SQLite/PostgreSQL difference lives here."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Engine, make_url

from ledger.core.errors import DatabaseError

BUSY_TIMEOUT_MS = 10_000
BUSY_TIMEOUT_ENV = "LEDGER_BUSY_TIMEOUT_MS"
CONNECT_TIMEOUT_S = 10  # a server that does not answer is an error, not a hang
SUPPORTED = "use a SQLite file path (or sqlite:///path.db) or postgresql+psycopg://user@host:port/database"


def configured_busy_timeout_ms() -> int:
    """How long to wait for another writer's lock: ``LEDGER_BUSY_TIMEOUT_MS``, default 10 s."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV)
    if raw is None or not raw.strip():
        return BUSY_TIMEOUT_MS
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise DatabaseError(f"{BUSY_TIMEOUT_ENV}={raw!r} is not a number of milliseconds; use e.g. 10000")
    return value


def database_url(target: str | URL) -> URL:
    """A bare path means SQLite; anything with ``://`` is a SQLAlchemy URL.

    A path is never parsed as a URL, so a file name may hold ``?``, ``#`` or ``%``.
    A URL names SQLite or PostgreSQL; ``postgresql://`` means psycopg 3, the
    driver the ``postgres`` extra installs.
    """
    if isinstance(target, URL):
        return target
    if "://" not in target:
        return URL.create("sqlite", database=str(Path(target)))
    try:
        url = make_url(target)
        backend = url.get_backend_name()
    except (sa_exc.ArgumentError, ValueError) as error:
        raise DatabaseError(f"{target!r} is not a database URL ({error}); {SUPPORTED}") from None
    if backend not in ("sqlite", "postgresql"):
        shown = url.render_as_string(hide_password=True)
        raise DatabaseError(f"{shown!r}: {backend} databases are not supported; {SUPPORTED}")
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


def sqlite_path(url: str | URL) -> Path | None:
    """The file behind a SQLite URL, or None for other engines and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def reopenable(url: str | URL) -> bool:
    """Whether another connection (a forked child's) opens this very database: not an in-memory SQLite one."""
    return make_url(url).get_backend_name() != "sqlite" or sqlite_path(url) is not None


def read_only_uri(path: Path) -> str:
    """A ``mode=ro`` URI for ``path``; ``immutable=1`` when SQLite could not create its ``-shm`` beside it.

    A WAL database opened read-only still needs a ``-shm`` file. In a folder
    we may not write to, with no ``-wal`` file (so no writer can be active, as
    it could not create one), the file cannot change, and ``immutable`` reads
    it without one.

    A ``-wal`` file left by a writer that did not finish (killed, or the
    folder made read-only since) holds committed data that only a ``-shm``
    index can read, which SQLite cannot create there: that is refused, saying so.
    """
    path = path.resolve()
    uri = f"{path.as_uri()}?mode=ro"
    if os.access(path.parent, os.W_OK):
        return uri
    if not Path(f"{path}-wal").exists():
        return uri + "&immutable=1"
    if not Path(f"{path}-shm").exists():
        raise DatabaseError(
            f"database {path} has a leftover {path.name}-wal file (changes not yet folded into the database) "
            f"in a read-only folder, where SQLite cannot create the {path.name}-shm file it needs to read them; "
            "make the folder writable and run any ledger command once, or copy the .db and -wal files elsewhere"
        )
    return uri


def make_engine(
    url: str | URL, *, read_only: bool = False, busy_timeout_ms: int | None = None, foreign_keys: bool = True
) -> Engine:
    """An engine with the ledger's connection settings.

    SQLite: foreign keys on, WAL, a busy timeout, and writers take the write
    lock up front (``BEGIN IMMEDIATE``) so that concurrent importers wait for
    each other instead of failing on lock upgrade; readers (execution option
    ``read_only_transaction``) begin deferred and never block writers. ``read_only`` opens the
    file with ``mode=ro`` so no statement can write, whatever it says.
    Migrations turn ``foreign_keys`` off, as SQLite's table rebuilds require.
    The busy timeout defaults to ``LEDGER_BUSY_TIMEOUT_MS`` (see ``configured_busy_timeout_ms``).
    """
    url = database_url(url)
    path = sqlite_path(url)
    if path is None:
        return _server_engine(url)
    # sqlite3's ``timeout`` is SQLite's busy timeout: no PRAGMA needed
    timeout = (busy_timeout_ms if busy_timeout_ms is not None else configured_busy_timeout_ms()) / 1000
    if read_only:
        uri = read_only_uri(path)
        engine = create_engine(  # the URL names the file in messages; the creator opens it
            url, creator=lambda: sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
        )
    else:
        engine = create_engine(url, connect_args={"timeout": timeout})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON" if foreign_keys else "PRAGMA foreign_keys = OFF")
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


def _server_engine(url: URL) -> Engine:
    """A PostgreSQL engine, with a connect timeout unless the URL sets one; a missing driver is named."""
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        return create_engine(url, connect_args=connect_args)
    except (sa_exc.NoSuchModuleError, ImportError) as error:
        raise DatabaseError(
            f"cannot open {url.drivername} URLs ({error}); install the driver with "
            "`pip install 'claim-ledger[postgres]'` and use postgresql+psycopg://user@host:port/database"
        ) from None
