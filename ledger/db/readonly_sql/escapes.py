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

import json

from ledger.core.errors import DatabaseError, ReadOnlyViolation
from ledger.db.readonly_sql.result import ONE_STATEMENT

QUERY_STATEMENTS = frozenset({"SelectStmt", "ExplainStmt", "VariableShowStmt"})
WRITING_STATEMENTS = frozenset({"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "LockingClause"})
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
    statement = _parsed(sql)
    kind = next(iter(statement))
    if kind not in QUERY_STATEMENTS:
        raise ReadOnlyViolation(
            f"`ledger sql` runs queries only (SELECT, WITH, VALUES, TABLE, EXPLAIN, SHOW); {_named(kind)} is refused"
        )
    for kind, fields in _nodes(statement):
        if kind in WRITING_STATEMENTS or kind == "SelectStmt" and "intoClause" in fields:
            named = "SELECT INTO" if kind == "SelectStmt" else _named(kind)
            raise ReadOnlyViolation(f"`ledger sql` is read-only: {named} is refused")
        if kind == "FuncCall":
            name = fields["funcname"][-1]["String"]["sval"].lower()
            if name in REFUSED_FUNCTIONS or name.startswith(REFUSED_PREFIXES):
                raise ReadOnlyViolation(
                    f"`ledger sql` refuses {name}(): it reaches outside the ledger (server files, programs, "
                    "other sessions or settings)"
                )


def _parsed(sql: str) -> dict:
    """The one statement in ``sql`` as libpg_query's JSON tree, ``{"SelectStmt": {...}}``.

    JSON rather than pglast's Python objects: building those recurses in C
    and crashes the process on a statement nested a few thousand deep.
    """
    try:
        from pglast.parser import ParseError, parse_sql_json
    except ImportError:
        raise DatabaseError(
            "`ledger sql` on PostgreSQL checks each statement with pglast, which is not installed; "
            "run `pip install 'claim-ledger[postgres]'`"
        ) from None
    try:
        statements = json.loads(parse_sql_json(sql)).get("stmts", [])
    except ParseError as error:
        raise ReadOnlyViolation(f"SQL error: {error}") from None
    except RecursionError:
        raise ReadOnlyViolation("the statement is nested too deeply to check; simplify it") from None
    if len(statements) != 1:
        raise ReadOnlyViolation(ONE_STATEMENT if statements else "`ledger sql` needs a statement; this one is empty")
    return statements[0]["stmt"]


def _named(kind: str) -> str:
    """``CopyStmt`` -> ``COPY``, ``LockingClause`` -> ``FOR UPDATE/SHARE``: what the analyst wrote."""
    special = {"LockingClause": "FOR UPDATE/SHARE", "DoStmt": "DO",
               "VariableSetStmt": "SET", "TransactionStmt": "a transaction command (BEGIN, COMMIT, ...)"}
    return special.get(kind, kind.removesuffix("Stmt").upper())


def _nodes(tree) -> list[tuple[str, dict]]:
    """Every node in the tree as (kind, fields): a node is a one-key dict whose key is capitalised."""
    found, stack = [], [tree]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                if key[:1].isupper() and isinstance(value, dict):
                    found.append((key, value))
                stack.append(value)
        elif isinstance(current, list):
            stack.extend(current)
    return found
