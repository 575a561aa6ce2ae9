"""Best effort: refuse PostgreSQL statements that use known server-side escapes.

A superuser (or a role granted ``pg_read_server_files``, ``pg_signal_backend``
...) can, even inside a read-only transaction, run programs (``COPY ... TO
PROGRAM``), read and write server files (``pg_read_file``, ``lo_export``),
open other sessions (``dblink``) or stop other backends
(``pg_terminate_backend``). The statement is parsed with PostgreSQL's own
parser (pglast, libpg_query) and refused if it is anything but a query
(SELECT, VALUES, TABLE, EXPLAIN, SHOW), or calls a listed function anywhere
in it, whatever its schema or quoting. This is a block list: it cannot be
complete (a superuser's own functions, future server functions), which is why
analysts should connect as a reader role (``ledger grant-reader``).
"""

from __future__ import annotations

from ledger.core.errors import DatabaseError, ReadOnlyViolation
from ledger.db.readonly_sql.result import ONE_STATEMENT

QUERY_STATEMENTS = frozenset({"SelectStmt", "ExplainStmt", "VariableShowStmt"})
WRITING_STATEMENTS = frozenset({"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "IntoClause", "LockingClause"})
REFUSED_FUNCTIONS = frozenset({
    "set_config",  # changes timeouts or settings from inside the statement
    "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema",  # run SQL given as text,
    "cursor_to_xml", "cursor_to_xmlschema", "ts_stat", "ts_rewrite",  # hidden from this check
    "loread", "lowrite",
})
REFUSED_PREFIXES = (
    "pg_read_", "pg_ls_", "pg_stat_file", "pg_file_", "pg_logdir_",  # server files
    "lo_", "dblink",  # large objects (server files), other sessions
    "pg_terminate_", "pg_cancel_", "pg_signal_", "pg_reload_conf", "pg_rotate_logfile", "pg_promote",
    "pg_log_backend_", "pg_stat_reset", "pg_switch_wal", "pg_wal_replay_", "pg_backup_", "pg_start_backup",
    "pg_stop_backup", "pg_create_", "pg_drop_replication_", "pg_replication_", "pg_logical_", "pg_copy_",
    "pg_import_system_collations", "binary_upgrade_",
)


def refuse_known_escapes(sql: str) -> None:
    """Raise ReadOnlyViolation if ``sql`` is not one query, or calls a known escape; DatabaseError without pglast."""
    try:
        from pglast import parse_sql
        from pglast.parser import ParseError
    except ImportError:
        raise DatabaseError(
            "`ledger sql` on PostgreSQL checks each statement with pglast, which is not installed; "
            "run `pip install 'claim-ledger[postgres]'`"
        ) from None
    try:
        statements = parse_sql(sql)
    except ParseError as error:
        raise ReadOnlyViolation(f"SQL error: {error}") from None
    if len(statements) != 1:
        raise ReadOnlyViolation(ONE_STATEMENT if statements else "`ledger sql` needs a statement; this one is empty")
    statement = statements[0].stmt
    kind = type(statement).__name__
    if kind not in QUERY_STATEMENTS:
        raise ReadOnlyViolation(
            f"`ledger sql` runs queries only (SELECT, WITH, VALUES, TABLE, EXPLAIN, SHOW); {_named(kind)} is refused"
        )
    for node in _nodes(statement):
        kind = type(node).__name__
        if kind in WRITING_STATEMENTS:
            raise ReadOnlyViolation(f"`ledger sql` is read-only: {_named(kind)} is refused")
        if kind == "FuncCall":
            name = node.funcname[-1].sval.lower()
            if name in REFUSED_FUNCTIONS or name.startswith(REFUSED_PREFIXES):
                raise ReadOnlyViolation(
                    f"`ledger sql` refuses {name}(): it reaches outside the ledger (server files, programs, "
                    "other sessions or settings)"
                )


def _named(kind: str) -> str:
    """``CopyStmt`` -> ``COPY``, ``LockingClause`` -> ``FOR UPDATE/SHARE``: what the analyst wrote."""
    special = {"LockingClause": "FOR UPDATE/SHARE", "IntoClause": "SELECT INTO", "DoStmt": "DO",
               "VariableSetStmt": "SET", "TransactionStmt": "a transaction command (BEGIN, COMMIT, ...)"}
    return special.get(kind, kind.removesuffix("Stmt").upper())


def _nodes(node) -> list:
    """Every AST node under ``node``, itself included."""
    from pglast import ast

    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Node):
            found.append(current)
            stack.extend(getattr(current, name, None) for name in current)  # a Node iterates over its attribute names
        elif isinstance(current, tuple):
            stack.extend(current)
    return found
