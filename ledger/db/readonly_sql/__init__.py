"""The analyst's own SQL (``ledger sql``), run so that it cannot change the ledger and cannot run forever.

Three levels of guarantee, each tested in ``tests/reliability/test_sql_attacks.py``:

1. Under any URL (structural). SQLite: the file is opened ``mode=ro`` with
   ``query_only``, an authorizer allows only reading, and a progress handler
   stops the query at its deadline or on Ctrl-C (``sqlite.py``). PostgreSQL:
   exactly one statement reaches the server, through the extended query
   protocol, and it must return rows; it runs in a ``READ ONLY`` transaction
   that has already taken its snapshot (so it cannot be made read-write), with
   ``statement_timeout``, ``lock_timeout`` and
   ``idle_in_transaction_session_timeout`` set for that transaction only, on a
   connection that is closed afterwards (``postgres.py``).
2. With a reader role: ``ledger grant-reader`` creates a role that may only
   SELECT the ledger's tables and views (``grants.py``).
3. Best effort: statements using known server-side escapes (``COPY``, ``DO``,
   ``pg_read_file``, ``dblink``, ...), which a superuser URL would allow, are
   refused after parsing with PostgreSQL's own parser (``escapes.py``). A
   block list cannot be complete.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ledger.db.access import Ledger
from ledger.db.engine import sqlite_path
from ledger.db.readonly_sql import sqlite
from ledger.db.readonly_sql.result import DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S, QueryRows

__all__ = ["DEFAULT_TIMEOUT_S", "MAX_TIMEOUT_S", "QueryRows", "run_read_only"]


@contextmanager
def run_read_only(ledger: Ledger, sql: str, *, timeout: float = DEFAULT_TIMEOUT_S) -> Iterator[QueryRows]:
    """Run one read-only statement for at most ``timeout`` seconds; its rows stream while the block is open.

    Raises ReadOnlyViolation for a statement that would write, reach outside
    the ledger or return no rows; QueryTimedOut past the deadline;
    KeyboardInterrupt on Ctrl-C, once the query has been stopped.
    """
    path = sqlite_path(ledger.url)
    if path is None:
        from ledger.db.readonly_sql import postgres  # psycopg is only installed with the postgres extra

        runner = postgres.query(ledger, sql, timeout)
    else:
        runner = sqlite.query(ledger, path, sql, timeout)
    with runner as result:
        yield result
