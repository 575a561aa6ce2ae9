"""``ledger sql`` on SQLite: a ``mode=ro`` connection that only reads, stopped at its deadline or on Ctrl-C.

The file is opened ``mode=ro`` with ``query_only``, and an authorizer refuses
anything but reading (writes hidden in CTEs, ATTACH, load_extension, PRAGMA
writes, transactions); Python's sqlite3 runs one statement per call. A
progress handler, called every few thousand virtual-machine steps, ends the
query when its time is up or Ctrl-C was pressed (SQLite holds no Python lock
while it runs, so a plain KeyboardInterrupt would wait for the query to end),
which also releases the read snapshot that keeps the WAL from being checkpointed.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ledger.core.errors import QueryTimedOut, ReadOnlyViolation
from ledger.db.access import Ledger, describe_database_error
from ledger.db.engine import configured_busy_timeout_ms, read_only_uri
from ledger.db.readonly_sql.result import ONE_STATEMENT, READ_ONLY, QueryRows, timed_out

READ_ONLY_PRAGMAS = frozenset(
    {"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list"}
)
_ALLOWED_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}
_REFUSED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"})
PROGRESS_STEPS = 10_000  # VM instructions between checks: well under a millisecond
MAX_VALUE_BYTES = 64 * 1024 * 1024  # one string or blob: `randomblob(1e9)` fails instead of taking a gigabyte
FETCH_ROWS = 500
_FILE_PROBLEMS = ("locked", "malformed", "disk i/o", "not a database", "unable to open")  # not the query's fault


def _authorizer(action, arg1, arg2, _database, _trigger):
    if action in _ALLOWED_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() not in _REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in READ_ONLY_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class _Stopper:
    """Decides when a running query must end: at its deadline, or once Ctrl-C was pressed."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.interrupted = False

    def should_stop(self) -> int:
        return self.interrupted or time.monotonic() > self.deadline

    @contextmanager
    def catching_ctrl_c(self) -> Iterator[None]:
        """While open, Ctrl-C marks the query for stopping (the progress handler ends it), then raises."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.signal(signal.SIGINT, self._on_ctrl_c)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
        if self.interrupted:
            raise KeyboardInterrupt

    def _on_ctrl_c(self, _signum, _frame) -> None:
        self.interrupted = True

    def error(self, ledger: Ledger, error: sqlite3.Error) -> Exception:
        """The error to raise for ``error``, raised while running or fetching the query."""
        message = str(error)
        if isinstance(error, sqlite3.OperationalError) and message == "interrupted":
            return KeyboardInterrupt() if self.interrupted else QueryTimedOut(timed_out(self.timeout))
        if isinstance(error, sqlite3.ProgrammingError) and "one statement" in message:
            return ReadOnlyViolation(ONE_STATEMENT)
        if "not authorized" in message or "readonly" in message or "read-only" in message:
            return ReadOnlyViolation(f"{READ_ONLY} (SQLite: {message})")
        if any(problem in message.lower() for problem in _FILE_PROBLEMS):
            return describe_database_error(ledger.target, error)
        return ReadOnlyViolation(f"SQL error: {message}")


@contextmanager
def query(ledger: Ledger, path: Path, sql: str, timeout: float) -> Iterator[QueryRows]:
    """Run ``sql`` on the ledger file at ``path``; rows are fetched as the caller iterates."""
    stopper = _Stopper(timeout)
    with stopper.catching_ctrl_c():
        uri = read_only_uri(path)
        try:
            busy = min(configured_busy_timeout_ms() / 1000, timeout)  # waiting for a lock counts too
            connection = sqlite3.connect(uri, uri=True, timeout=busy)
        except sqlite3.Error as error:
            raise describe_database_error(ledger.target, error) from None
        try:
            connection.execute("PRAGMA query_only = ON")
            connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            connection.set_authorizer(_authorizer)
            connection.set_progress_handler(stopper.should_stop, PROGRESS_STEPS)
            try:
                cursor = connection.execute(sql)
            except sqlite3.Error as error:
                raise stopper.error(ledger, error) from None
            columns = [d[0] for d in cursor.description or ()]
            yield QueryRows(columns, _fetched(cursor, stopper, ledger))
        finally:
            connection.close()


def _fetched(cursor: sqlite3.Cursor, stopper: _Stopper, ledger: Ledger) -> Iterator[tuple]:
    while True:
        try:
            batch = cursor.fetchmany(FETCH_ROWS)
        except sqlite3.Error as error:
            raise stopper.error(ledger, error) from None
        if not batch:
            return
        yield from batch
