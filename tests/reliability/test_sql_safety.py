"""No SQL is built from strings: every value reaches the database as a bound parameter.

An ``ast`` scan of ``ledger/`` and ``migrations/`` finds each call to
``execute``, ``executemany``, ``executescript``, ``exec_driver_sql`` and
``text`` (and psycopg's ``stream``) and requires its SQL to be fixed text:
string literals, a choice between literals, module constants, or SQLAlchemy constructs (``select()``,
``insert()`` ..., which bind their values, also as ``str(compiled)``), followed
through local variables and ``self.<name>``. It refuses f-strings with
placeholders, ``%`` and ``+`` on strings, ``.format()``/``.join()``, and SQL
passed in as a function parameter. The one exception is the analyst's own
query in ``ledger sql``, run only on a read-only connection.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import NamedTuple

import pytest

pytestmark = pytest.mark.slow  # skip locally with -m "not slow"; CI runs them

REPO = Path(__file__).resolve().parents[2]
SCANNED = ("ledger", "migrations")
SQL_METHODS = frozenset({"execute", "executemany", "executescript", "exec_driver_sql", "stream"})
STRING_BUILDERS = frozenset({"format", "join", "replace", "format_map", "repr"})

ALLOWED = frozenset({  # (file, function)
    # the analyst's query in `ledger sql`, on the read-only connection only
    ("ledger/db/readonly_sql/sqlite.py", "query"),
    ("ledger/db/readonly_sql/postgres.py", "_streamed"),
    # GRANT/CREATE ROLE take no bound parameters: names quoted by the dialect, the role name checked first
    ("ledger/db/readonly_sql/grants.py", "create_reader_role"),
    # ALTER TABLE … DROP/ADD CONSTRAINT take no bound parameters: tables, constraint names and definitions are
    # read back from PostgreSQL's own catalog (pg_constraint), names quoted by the dialect
    ("ledger/db/bulk_keys.py", "_alter"),
    # DROP/CREATE INDEX take no bound parameters: index names and definitions are read back from SQLite's own
    # catalog (sqlite_master), names quoted by the dialect
    ("ledger/db/bulk_indexes.py", "_ddl"),
    # SQL compiled by SQLAlchemy from the caller's select, every value a bound parameter; kept per list size
    ("ledger/db/sized_statements.py", "SizedStatement.rows"),
    # migrations: SQL assembled from the revision's own constant column lists and view texts, no outside value
    ("migrations/versions/0010_conflict_pairs_note.py", "upgrade"),
    ("migrations/versions/0011_distinct_readings.py", "upgrade"),
    ("migrations/versions/0011_distinct_readings.py", "_share_readings"),
    ("migrations/versions/0011_distinct_readings.py", "_flush"),
    ("migrations/versions/0011_distinct_readings.py", "downgrade"),
    ("migrations/versions/0012_conflict_phrases.py", "upgrade"),
    ("migrations/versions/0012_conflict_phrases.py", "_move_pairs"),  # table names from a constant tuple
    ("migrations/versions/0012_conflict_phrases.py", "_flush"),  # the revision's own INSERT statements, passed in
    ("migrations/versions/0012_conflict_phrases.py", "downgrade"),
    ("migrations/versions/0013_partial_claim_indexes.py", "upgrade"),  # partial-index conditions: constants
})


class Finding(NamedTuple):
    file: str
    line: int
    function: str
    call: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} in {self.function}(): SQL for {self.call}() is built at run time"


class _Scope:
    """Names bound in one function (or the module): parameters, and every value assigned to each name.

    ``attributes`` holds, for a method, what the class's methods assign to ``self.<name>``.
    """

    def __init__(self, node: ast.AST, parent: _Scope | None, attributes: dict | None = None):
        self.parent = parent
        self.attributes: dict[str, list[tuple[ast.expr, _Scope]]] = attributes or {}
        self.params: set[str] = set()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            self.params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
            self.params |= {a.arg for a in (args.vararg, args.kwarg) if a}
        self.assigned: dict[str, list[ast.expr]] = {}
        for child in _own_nodes(node):
            if isinstance(child, ast.Assign):
                for target in child.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(child.value)
            elif isinstance(child, (ast.AnnAssign, ast.AugAssign)) and isinstance(child.target, ast.Name):
                value = child.value if isinstance(child, ast.AnnAssign) else ast.BinOp(
                    ast.Name(child.target.id), child.op, child.value
                )
                if value is not None:
                    self.assigned.setdefault(child.target.id, []).append(value)
            elif isinstance(child, (ast.For, ast.comprehension)) and isinstance(child.target, ast.Name):
                self.assigned.setdefault(child.target.id, []).append(ast.Name("<loop variable>"))


def _own_nodes(scope_node: ast.AST):
    """The nodes of a scope, not descending into nested functions or classes."""
    stack = list(ast.iter_child_nodes(scope_node))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _is_fixed(expr: ast.expr, scope: _Scope | None, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``expr`` is SQL fixed in the source (or an SQLAlchemy construct), not text built at run time."""
    if isinstance(expr, (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.ListComp, ast.GeneratorExp)):
        return True  # a literal, or rows of data (an ``execute(rows)`` that runs no SQL text)
    if isinstance(expr, ast.JoinedStr):
        return not any(isinstance(part, ast.FormattedValue) for part in expr.values)
    if isinstance(expr, ast.IfExp):
        return _is_fixed(expr.body, scope, seen) and _is_fixed(expr.orelse, scope, seen)
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice):
        return _is_fixed(expr.value, scope, seen)  # a slice of fixed text (or of rows) is as fixed as the whole
    if isinstance(expr, ast.BinOp):
        return _is_fixed(expr.left, scope, seen) and _is_fixed(expr.right, scope, seen)
    if isinstance(expr, ast.Call):
        func = expr.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in STRING_BUILDERS:
            return False
        if name in ("text", "str"):  # str(insert(table).compile()) is SQL Core wrote, values bound
            return all(_is_fixed(arg, scope, seen) for arg in expr.args)
        return True  # select(), insert(), Table.delete() ...: values are bound parameters
    if isinstance(expr, ast.Name):
        if expr.id in seen:
            return True
        while scope is not None:
            if expr.id in scope.assigned:
                return all(_is_fixed(value, scope, seen | {expr.id}) for value in scope.assigned[expr.id])
            if expr.id in scope.params:
                return False  # SQL handed in by the caller: it could hold anything
            scope = scope.parent
        return expr.id.isupper()  # an imported constant
    if isinstance(expr, ast.Attribute):
        if isinstance(expr.value, ast.Name) and expr.value.id == "self" and scope is not None:
            assigned = scope.attributes.get(expr.attr)
            if assigned and f"self.{expr.attr}" not in seen:
                return all(_is_fixed(value, where, seen | {f"self.{expr.attr}"}) for value, where in assigned)
        return expr.attr.isupper()
    return False


def _is_sql_text(func: ast.expr) -> bool:
    """Whether a call named ``text`` is SQLAlchemy's: ``text(...)`` or ``sqlalchemy.text(...)``, not a method
    of some object (a field reader's ``record.text(name)``, ``super().text(name)``)."""
    return isinstance(func, ast.Name) or (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                                          and func.value.id in ("sqlalchemy", "sa"))


def _method_scopes(cls: ast.ClassDef, parent: _Scope) -> dict[int, _Scope]:
    """A scope per method, sharing what any method assigns to ``self.<name>``."""
    attributes: dict[str, list[tuple[ast.expr, _Scope]]] = {}
    scopes = {}
    for method in cls.body:
        if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope = scopes[id(method)] = _Scope(method, parent, attributes)
            for node in _own_nodes(method):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Attribute) and getattr(target.value, "id", None) == "self":
                            attributes.setdefault(target.attr, []).append((node.value, scope))
    return scopes


def sql_built_at_run_time(source: str, file: str) -> list[Finding]:
    """Every SQL-running call in ``source`` whose SQL is not fixed text."""
    tree = ast.parse(source)
    findings: list[Finding] = []

    def visit(node: ast.AST, scope: _Scope, function: str, attributes: dict | None = None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                name = getattr(child, "name", "<lambda>")
                inner = attributes.get(id(child)) if attributes else None
                visit(child, inner or _Scope(child, scope), name if function == "<module>" else f"{function}.{name}")
                continue
            if isinstance(child, ast.ClassDef):
                visit(child, scope, child.name if function == "<module>" else f"{function}.{child.name}",
                      _method_scopes(child, scope))
                continue
            if isinstance(child, ast.Call) and child.args:
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in SQL_METHODS or (name == "text" and _is_sql_text(func)):
                    if not _is_fixed(child.args[0], scope):
                        findings.append(Finding(file, child.lineno, function, name))
            visit(child, scope, function)

    visit(tree, _Scope(tree, None), "<module>")
    return findings


def project_findings() -> list[Finding]:
    findings = []
    for folder in SCANNED:
        for path in sorted((REPO / folder).rglob("*.py")):
            file = path.relative_to(REPO).as_posix()
            findings.extend(sql_built_at_run_time(path.read_text(encoding="utf-8"), file))
    return findings


def test_no_sql_is_built_from_strings():
    offending = [str(f) for f in project_findings() if (f.file, f.function) not in ALLOWED]
    assert not offending, "use bound parameters (select(...).where(col == value), text(':name'), ?):\n" + "\n".join(offending)


def test_every_allowed_exception_is_still_needed():
    used = {(f.file, f.function) for f in project_findings()}
    assert ALLOWED <= used, f"remove stale entries from ALLOWED: {sorted(ALLOWED - used)}"


BUILT = [
    'session.execute(text(f"select * from claims where ref = \'{ref}\'"))',
    'cursor.execute("select * from claims where ref = \'%s\'" % ref)',
    'cursor.execute("select * from claims where ref = " + ref)',
    'connection.exec_driver_sql("PRAGMA busy_timeout = {}".format(ms))',
    'sql = f"delete from {table}"\nconnection.execute(sql)',
    'def run(connection, query):\n    connection.executescript(query)',
    'query = text("select 1 where a = " + str(a))',
    'query = sqlalchemy.text("select 1 where a = " + str(a))',
    'sql = "select * from t where a = "\nsql += value\ncursor.execute(sql)',
    'def run(cursor, sql):\n    cursor.execute(sql[:200])',
    """
    class Finder:
        def __init__(self, connection, ref):
            self.connection = connection
            self.sql = f"select * from claims where ref = '{ref}'"

        def run(self):
            return self.connection.exec_driver_sql(self.sql)
    """,
]
FIXED = [
    'session.execute(text("select * from claims where ref = :ref"), {"ref": ref})',
    'cursor.execute("select * from claims where ref = ?", (ref,))',
    'cursor.execute("PRAGMA foreign_keys = ON" if on else "PRAGMA foreign_keys = OFF")',
    'session.execute(select(Claim).where(Claim.ref == ref))',
    'QUERY = "select 1"\ndef f(connection):\n    connection.execute(QUERY)',
    'def f(session, ids):\n    query = select(Claim)\n    query = query.where(Claim.id.in_(ids))\n    session.execute(query)',
    'op.execute(CLAIM_FACTS)',
    'def value(record, name):\n    return record.text(name)',
    'class Checked(Fields):\n    def text(self, name):\n        return super().text(name)',
    'new = []\nnew.append(row)\nfor start in range(0, len(new), 500):\n    rows.execute(new[start : start + 500])',
    """
    class Rows:
        def __init__(self, connection, table):
            self.connection = connection
            compiled = insert(table).compile(dialect=connection.dialect)
            self.sql = str(compiled)

        def execute(self, rows):
            self.connection.exec_driver_sql(self.sql, rows)
    """,
]


@pytest.mark.parametrize("source", BUILT)
def test_the_scan_catches_sql_built_from_strings(source):
    assert sql_built_at_run_time(textwrap.dedent(source), "example.py")


@pytest.mark.parametrize("source", FIXED)
def test_the_scan_passes_fixed_sql_and_bound_values(source):
    assert sql_built_at_run_time(textwrap.dedent(source), "example.py") == []
