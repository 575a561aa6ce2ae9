"""Opening a ledger for reading or writing, with database failures turned into one-line errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ledger.core.errors import DatabaseError
from ledger.db import schema
from ledger.db.bulk_keys import check_every_key, sqlite_keys_off
from ledger.db.engine import database_url, make_engine, sqlite_path
from ledger.db.queries import holds_claims
from ledger.faults import fault_point

_SQLITE_PROBLEMS = (  # (what the driver says, what it means, a hint key of ledger.report.hints)
    ("database is locked", "is locked by another process beyond the busy timeout; try again when it "
     "finishes, or wait longer with LEDGER_BUSY_TIMEOUT_MS", None),
    ("file is not a database", "is not a SQLite database", "check_db_path"),
    ("malformed", "is corrupt (malformed database image); restore it from a backup or rebuild it", None),
    ("readonly database", "is read-only; make the file and its folder writable, or use a copy", None),
    ("unable to open database file", "cannot be opened; check that the file and its folder exist and are readable",
     None),
    ("disk i/o error", "could not be read or written (disk I/O error); check the disk and the file", None),
)


def describe_database_error(target: str, error: BaseException) -> DatabaseError:
    """Turn a driver error into a DatabaseError that says what to do."""
    message = str(getattr(error, "orig", error)).lower()
    for needle, advice, hint in _SQLITE_PROBLEMS:
        if needle in message:
            return DatabaseError(f"database {target} {advice}", hint=hint)
    lines = str(getattr(error, "orig", error)).splitlines()  # libpq adds a hint on a second line
    return DatabaseError(f"database {target}: " + "; ".join(line.strip() for line in lines if line.strip()))


class Ledger:
    """A ledger database: one engine, and transactions that fail with clear messages."""

    def __init__(self, target: str, *, read_only: bool = False, create: bool = False):
        self.target = target
        self.url = database_url(target)
        self.read_only = read_only
        path = sqlite_path(self.url)
        if path is not None:
            _check_sqlite_file(path, target, creating=create)
            if not read_only:
                _check_writable(path, target)
        self.engine: Engine = make_engine(self.url, read_only=read_only)

    def require_head(self) -> None:
        """Refuse a database not at the code's head revision."""
        self._inspect(schema.require_head)

    def init(self) -> str:
        """Upgrade to head, then fill the derived readings of claims recorded before they existed."""
        from ledger.db.journal import record_baseline
        from ledger.db.renormalise import renormalise

        path = sqlite_path(self.url)
        if path is not None and path.exists() and path.stat().st_size:
            self._inspect(schema.refuse_unknown_revision)
        with self._translated():
            schema.upgrade(self.engine)
        with self.write() as session:
            renormalise(session, only_missing=True)
            record_baseline(session)
        with self._translated():
            return schema.current_revision(self.engine)

    @contextmanager
    def write(self, keys_checked_once: bool = False) -> Iterator[Session]:
        """A session in one write transaction: everything commits, or nothing does.

        ``keys_checked_once`` (a bulk import): on SQLite, when the ledger holds
        no claim yet, foreign keys are checked once for every row just before
        the commit instead of row by row (``bulk_keys``); a broken one rolls
        everything back. (Should another writer add claims first, the check
        still covers every row: slower, never wrong.)
        """
        with self._translated(), ExitStack() as stack:
            bind = self.engine
            if keys_checked_once and sqlite_path(self.url) is not None and not self._holds_claims():
                bind = stack.enter_context(sqlite_keys_off(self.engine))
            with Session(bind) as session, session.begin():
                yield session
                if bind is not self.engine:
                    check_every_key(session.connection())
                fault_point("before_commit")

    def _holds_claims(self) -> bool:
        """Whether the ledger holds a claim; True when it cannot tell (the write then reports why, as always)."""
        try:
            with self.read() as session:
                return holds_claims(session)
        except DatabaseError:
            return True

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session in a deferred transaction: sees one snapshot, never blocks writers."""
        bind = self.engine.execution_options(read_only_transaction=True)
        with self._translated(), Session(bind) as session, session.begin():
            yield session

    def _inspect(self, check) -> None:
        """Run a schema check; on SQLite through a read-only connection.

        A writer's first connection switches the file to WAL, which a database
        we are about to refuse (newer revision, not a ledger) must not undergo.
        """
        engine = self.engine
        if not self.read_only and sqlite_path(self.url) is not None:
            engine = make_engine(self.url, read_only=True)
        try:
            with self._translated():
                check(engine)
        finally:
            if engine is not self.engine:
                engine.dispose()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (sa_exc.OperationalError, sa_exc.DatabaseError) as error:
            raise describe_database_error(self.target, error) from None

    def close(self) -> None:
        self.engine.dispose()


def _check_sqlite_file(path: Path, target: str, creating: bool) -> None:
    """Refuse, before SQLite touches it, a path that cannot hold a ledger."""
    if path.is_dir():
        raise DatabaseError(f"database {target} is a directory; give the path of a .db file")
    if not path.exists():
        if not creating:
            raise DatabaseError(f"database {target} does not exist", hint="create")
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise DatabaseError(f"database {target}: folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            raise DatabaseError(f"database {target}: folder {folder} is not writable")
        return
    with path.open("rb") as handle:
        header = handle.read(16)
    if header and header != b"SQLite format 3\x00":
        raise DatabaseError(f"database {target} is not a SQLite database", hint="check_db_path")


def _check_writable(path: Path, target: str) -> None:
    """Refuse, before SQLite opens it, a ledger this process could read but not change.

    SQLite would quietly open such a file read-only and fail later; and every
    write needs to create a ``-wal`` (or ``-journal``) file in the folder.
    """
    if path.exists() and not os.access(path, os.W_OK):
        raise DatabaseError(
            f"database {target} is read-only (the file is not writable); make it writable, or work on a copy",
            hint="reading_still_works",
        )
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(folder, os.W_OK):
        raise DatabaseError(
            f"database {target} is in a read-only folder ({folder}): SQLite needs to create its "
            "-wal journal beside the file; make the folder writable, or work on a copy"
        )
