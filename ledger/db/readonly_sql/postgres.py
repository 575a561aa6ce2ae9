"""``ledger sql`` on PostgreSQL: one statement that returns rows, in a read-only transaction with timeouts.

What holds under any URL, superuser included:

- One statement. The analyst's SQL only ever travels in the extended query
  protocol (Parse, then Bind/Execute), which refuses several commands in one
  statement; the simple protocol, which runs ``commit; delete ...``, is never used.
- Only a query. The statement is parsed and described before it runs; one
  that returns no rows (``COMMIT``, ``SET``, ``LOCK``, ``PREPARE TRANSACTION``)
  is refused without running.
- Read-only to the end. ``BEGIN READ ONLY``, then a first query takes the
  snapshot, after which PostgreSQL refuses to make the transaction read-write.
- Bounded. ``statement_timeout``, ``lock_timeout`` and
  ``idle_in_transaction_session_timeout`` are set with ``set_config(..., true)``,
  for this transaction only; the transaction is rolled back and the connection
  closed afterwards, so no lock, setting or session state outlives the query.
  Ctrl-C cancels the query on the server before KeyboardInterrupt reaches the
  caller: psycopg sends a cancel request, and ``_cancelled_until_stopped``
  sends it again until the query stops (PostgreSQL drops a request that
  arrives while it is still reading the statement).

Rows stream from the server in chunks, so memory stays flat whatever the result's size.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors as pg_errors
from psycopg.generators import execute as round_trip
from psycopg.pq import ExecStatus, TransactionStatus
from psycopg.types.string import TextLoader

from ledger.core.errors import DatabaseError, QueryTimedOut, ReadOnlyViolation
from ledger.db.access import Ledger, describe_database_error
from ledger.db.readonly_sql.escapes import refuse_known_escapes
from ledger.db.readonly_sql.result import ONE_STATEMENT, READ_ONLY, QueryRows, timed_out, timeout_ms

BEGIN_READ_ONLY = "BEGIN TRANSACTION READ ONLY"
TIMEOUTS = (  # local to the transaction; this first query also fixes its snapshot, so it stays read-only
    "SELECT set_config('statement_timeout', %(ms)s, true), set_config('lock_timeout', %(ms)s, true), "
    "set_config('idle_in_transaction_session_timeout', %(ms)s, true)"
)
CHUNK_ROWS = 1000
CANCEL_EVERY_S = 0.5  # after Ctrl-C, a cancel request again this often while the query still runs
CANCEL_TRIES = 60
NO_ROWS = (
    "`ledger sql` runs queries that return rows (SELECT, WITH, VALUES, TABLE, EXPLAIN, SHOW); "
    "this statement returns none and was not run"
)


@contextmanager
def query(ledger: Ledger, sql: str, timeout: float) -> Iterator[QueryRows]:
    """Run ``sql`` on the ledger's server; rows are fetched as the caller iterates."""
    refuse_known_escapes(sql)
    try:
        raw = ledger.engine.raw_connection()
    except Exception as error:  # SQLAlchemy wraps the driver's connection error
        raise describe_database_error(ledger.target, error) from None
    connection: psycopg.Connection = raw.driver_connection
    try:
        connection.autocommit = True  # so psycopg sends no BEGIN of its own: ours says READ ONLY
        for json_type in ("json", "jsonb"):  # as text, as SQLite gives it; parsing could recurse without end
            connection.adapters.register_loader(json_type, TextLoader)
        with _cancelled_until_stopped(connection):
            with _translated(ledger, timeout):
                connection.execute(BEGIN_READ_ONLY)
                connection.execute(TIMEOUTS, {"ms": str(timeout_ms(timeout))})
                columns = _described_columns(connection, sql)
            yield QueryRows(columns, _streamed(connection, sql, ledger, timeout))
    finally:
        _rolled_back(connection)
        raw.invalidate()  # closed, never back in the pool: nothing the statement did to the session survives


def _rolled_back(connection: psycopg.Connection) -> None:
    """End the transaction on the server before the connection closes, when it waits for a command: closing alone
    leaves the server to abort it a moment later, while another session may still see it open, locks and all."""
    if connection.closed or connection.pgconn.transaction_status not in (TransactionStatus.INTRANS,
                                                                        TransactionStatus.INERROR):
        return  # none open, or a query still running (Ctrl-C: cancelled, and the close ends it)
    try:
        connection.execute("ROLLBACK")
    except psycopg.Error:
        pass  # the connection is closed next, whatever happened


@contextmanager
def _cancelled_until_stopped(connection: psycopg.Connection) -> Iterator[None]:
    """Ctrl-C while the query runs: KeyboardInterrupt as usual, and cancel requests until the query stops.

    On Ctrl-C psycopg sends one cancel request and waits for the query to end
    (in ``Cursor.stream`` without a time limit). PostgreSQL drops a request that
    reaches it between protocol messages, e.g. before it executes a statement
    just sent, and the wait would then last the whole query (``pg_sleep(600)``:
    ten minutes). A thread started at Ctrl-C sends the request again while the
    connection is still busy. Only the main thread can take signals.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(_signal, _frame):
        threading.Thread(target=keep_cancelling, args=(connection,), daemon=True).start()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


def keep_cancelling(connection: psycopg.Connection, every: float = CANCEL_EVERY_S, tries: int = CANCEL_TRIES) -> None:
    """Send ``connection``'s server a cancel request every ``every`` seconds while a query of it is active."""
    for _ in range(tries):
        time.sleep(every)
        if connection.closed or connection.pgconn.transaction_status != TransactionStatus.ACTIVE:
            return
        try:
            connection.cancel_safe(timeout=every * 4)
        except psycopg.Error:
            return


def _described_columns(connection: psycopg.Connection, sql: str) -> list[str]:
    """Parse and describe ``sql`` without running it; refuse several statements, or one that returns no rows."""
    pgconn, encoding = connection.pgconn, connection.info.encoding
    pgconn.send_prepare(b"", sql.encode(encoding))
    _raise_for(connection.wait(round_trip(pgconn)), encoding)
    pgconn.send_describe_prepared(b"")
    (description,) = _raise_for(connection.wait(round_trip(pgconn)), encoding)
    if description.nfields == 0:
        raise ReadOnlyViolation(NO_ROWS)
    return [(description.fname(i) or b"?column?").decode(encoding) for i in range(description.nfields)]


def _raise_for(results: list, encoding: str) -> list:
    for result in results:
        if result.status == ExecStatus.FATAL_ERROR:
            raise pg_errors.error_from_result(result, encoding=encoding)
    return results


def _streamed(connection: psycopg.Connection, sql: str, ledger: Ledger, timeout: float) -> Iterator[tuple]:
    with _translated(ledger, timeout):
        chunk = CHUNK_ROWS if psycopg.capabilities.has_stream_chunked() else 1
        yield from connection.cursor().stream(sql, size=chunk)
        if connection.pgconn.transaction_status != TransactionStatus.INTRANS:  # belt and braces: see NO_ROWS
            raise ReadOnlyViolation("the statement ended the read-only transaction; nothing was written")


@contextmanager
def _translated(ledger: Ledger, timeout: float) -> Iterator[None]:
    """Server errors as one-line ledger errors: timeouts, refused writes, SQL errors, a lost server."""
    try:
        yield
    except (pg_errors.QueryCanceled, pg_errors.LockNotAvailable, pg_errors.IdleInTransactionSessionTimeout) as error:
        if "timeout" in str(error):
            raise QueryTimedOut(timed_out(timeout)) from None
        raise DatabaseError(f"database {ledger.target}: the query was cancelled on the server ({error})") from None
    except (pg_errors.ReadOnlySqlTransaction, pg_errors.InsufficientPrivilege) as error:
        raise ReadOnlyViolation(f"{READ_ONLY} (PostgreSQL: {error})") from None
    except RecursionError:  # a record or array nested thousands deep
        raise ReadOnlyViolation("a value in the result is nested too deeply to load; select it ::text") from None
    except psycopg.Error as error:
        if "multiple commands" in str(error):
            raise ReadOnlyViolation(ONE_STATEMENT) from None
        state = error.sqlstate or ""
        if not state or state[:2] in ("08", "57") and state != "08P01":  # connection lost, server shutting down
            raise describe_database_error(ledger.target, error) from None
        raise ReadOnlyViolation(f"SQL error: {error}") from None
