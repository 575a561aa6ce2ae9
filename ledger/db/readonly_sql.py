"""The analyst's own SQL, run so that it cannot change the ledger.

SQLite: the file is opened ``mode=ro`` with ``query_only``, and an authorizer
refuses anything but reading (writes hidden in CTEs, ATTACH, load_extension,
PRAGMA writes, transactions). Other engines: a read-only transaction.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import text

from ledger.core.errors import ReadOnlyViolation
from ledger.db.access import Ledger, describe_database_error
from ledger.db.engine import configured_busy_timeout_ms, read_only_uri, sqlite_path

READ_ONLY_PRAGMAS = frozenset(
    {"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list"}
)
_ALLOWED_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}
_REFUSED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"})


def _authorizer(action, arg1, arg2, _database, _trigger):
    if action in _ALLOWED_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() not in _REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in READ_ONLY_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def run_read_only(ledger: Ledger, sql: str) -> tuple[list[str], list[tuple]]:
    """Run one statement without any way to write; return column names and rows."""
    path = sqlite_path(ledger.url)
    if path is None:
        return _run_server(ledger, sql)
    uri = read_only_uri(path)
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=configured_busy_timeout_ms() / 1000)
    except sqlite3.Error as error:
        raise describe_database_error(ledger.target, error) from None
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.set_authorizer(_authorizer)
        cursor = connection.execute(sql)
        columns = [d[0] for d in cursor.description or ()]
        return columns, cursor.fetchall()
    except sqlite3.ProgrammingError as error:
        if "one statement" in str(error):
            raise ReadOnlyViolation("`ledger sql` runs one statement at a time; remove the extra `;` statements") from None
        raise ReadOnlyViolation(f"cannot run this query: {error}") from None
    except sqlite3.DatabaseError as error:
        message = str(error)
        if "not authorized" in message or "readonly" in message or "read-only" in message:
            raise ReadOnlyViolation(
                "`ledger sql` is read-only: the statement would write or reach outside the ledger "
                "(ATTACH, load_extension, PRAGMA); use the ledger commands to change data"
            ) from None
        if isinstance(error, sqlite3.OperationalError) and "syntax error" in message or "no such" in message:
            raise ReadOnlyViolation(f"SQL error: {message}") from None
        raise describe_database_error(ledger.target, error) from None
    finally:
        connection.close()


def _run_server(ledger: Ledger, sql: str) -> tuple[list[str], list[tuple]]:
    with ledger.engine.connect() as connection:
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        connection.exec_driver_sql("SELECT 1")  # after a first query, READ WRITE can no longer be set
        try:
            result = connection.execute(text(sql))
        except Exception as error:  # the server's message is the most useful one
            raise ReadOnlyViolation(f"cannot run this query: {getattr(error, 'orig', error)}") from None
        columns = list(result.keys()) if result.returns_rows else []
        rows = [tuple(row) for row in result] if result.returns_rows else []
        connection.rollback()
        return columns, rows
