"""Batched writes where the volume is: tuples through the driver's executemany, numbered inserts, chunked lookups.

SQLAlchemy's per-row parameter handling costs more than SQLite's insert
itself (about 12 µs a row for a claim, against 12 µs for SQLite to store it),
so the bulk paths (claims, readings, conflicts) build plain tuples, convert
values with each column's own bind processor (once per batch, or once per
cached reading, rather than once per row) and execute the INSERT that Core
compiled for the dialect through ``exec_driver_sql``, which hands the rows to
the driver's ``executemany`` as they are. On PostgreSQL (psycopg) the same
tuples go through ``COPY … FROM STDIN`` instead, with ids drawn from the
table's sequence beforehand where the caller needs them.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager, nullcontext

from sqlalchemy import and_, any_, bindparam, func, insert, not_, select, text, tuple_, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import Grouping
from sqlalchemy.sql.schema import CheckConstraint, Table

IN_CHUNK = 500  # values per ``IN (...)`` list: far below every engine's parameter limit
GROUPS_PER_IN = 400  # (entity, attribute) groups named in one ``in_groups`` condition


class Rows:
    """INSERTs of tuples in ``columns`` order (default: all of ``table``'s, in its order).

    ``preprocessed`` names the columns whose values the caller has already
    converted with ``value``; any other column with a bind processor for this
    dialect is converted here, row by row (on SQLite there is none left for the
    ledger's bulk tables, so rows go to the driver untouched).
    ``checked_per_batch``: on SQLite, the table's CHECK constraints tested once
    for the rows of each ``execute`` (``BatchChecks``), not once per row; only
    for a table without triggers (their statements' checks would be set aside too).
    """

    def __init__(
        self, connection: Connection, table: Table, preprocessed: Iterable[str] = (), columns: Iterable[str] = (),
        checked_per_batch: bool = False,
    ):
        dialect = connection.dialect
        self.connection = connection
        self.columns = list(columns) or [column.key for column in table.columns]
        compiled = insert(table).compile(dialect=dialect, column_keys=self.columns)
        if compiled.positional and list(compiled.positiontup) != self.columns:
            raise RuntimeError(f"unexpected parameter order for {table.name}")  # a bug, not bad input
        self.sql = str(compiled)
        self.named = not compiled.positional
        self.processors = {}
        for column in (table.c[name] for name in self.columns):
            processor = column.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.processors[column.key] = processor
        done = set(preprocessed)
        self._remaining = [
            (self.columns.index(name), processor) for name, processor in self.processors.items() if name not in done
        ]
        self.table = table
        self.copy = _copy_statement(dialect, table, self.columns)
        self._copy_types: list[int] | None = None  # the columns' type oids, read when first copied
        self._checks = BatchChecks.of(dialect, table, self.columns) if checked_per_batch else None

    def value(self, column: str, value):
        """``value`` as the driver stores it in ``column``."""
        processor = self.processors.get(column)
        return processor(value) if processor is not None and value is not None else value

    def execute(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if self._remaining:
            rows = [self._process(row) for row in rows]
        if self.copy is not None:
            if self._copy_types is None:
                self._copy_types = _column_types(self.connection, self.table, self.columns)
            with self.connection.connection.cursor() as cursor, cursor.copy(self.copy) as copy:
                copy.set_types(self._copy_types)
                for row in rows:
                    copy.write_row(row)
            return
        params = [dict(zip(self.columns, row)) for row in rows] if self.named else rows
        checks = self._checks.set_aside(self.connection, rows) if self._checks is not None else nullcontext()
        with checks:
            self.connection.exec_driver_sql(self.sql, params)

    def _process(self, row: tuple) -> tuple:
        values = list(row)
        for index, processor in self._remaining:
            if values[index] is not None:
                values[index] = processor(values[index])
        return tuple(values)


class BatchChecks:
    """A SQLite table's CHECK constraints tested once per batch of inserted rows, with the same outcome.

    SQLite evaluates ``x IN ('a', 'b', 'c')`` (three values or more) by building a
    small temporary index, once per run of the statement; an ``executemany`` runs
    the INSERT once per row, so every row built one per such constraint (on a
    generated 200k import, ~0.8 s of the ~2 s SQLite spent storing readings, ~1 s
    of the claims'). Here the rows are inserted with the checks set aside
    (``PRAGMA ignore_check_constraints``, inside the open transaction) and then
    looked for, once, among the batch's ids. A row that breaks a check (a bug,
    never bad input) is updated to itself with the checks on, so that SQLite
    raises its own error, and the caller's transaction rolls everything back.
    """

    def __init__(self, table: Table, id_index: int, checks: list[CheckConstraint]):
        self.id_index = id_index  # of the rows' ``id``
        rows = table.c.id.between(bindparam("low"), bindparam("high"))
        self._broken = select(table.c.id).where(rows, not_(and_(*(Grouping(check.sqltext) for check in checks)))).limit(1)
        self._recheck = (
            update(table).where(table.c.id == bindparam("broken")).values({c.name: c for c in table.columns})
        )

    @classmethod
    def of(cls, dialect, table: Table, columns: list[str]) -> BatchChecks | None:
        """For SQLite rows that carry ``table``'s ``id``, when the table has CHECK constraints; else None."""
        checks = sorted((c for c in table.constraints if isinstance(c, CheckConstraint)), key=lambda c: str(c.sqltext))
        if dialect.name != "sqlite" or not checks or "id" not in columns:
            return None
        return cls(table, columns.index("id"), checks)

    @contextmanager
    def set_aside(self, connection: Connection, rows: list[tuple]):
        """Checks off for the insert run inside; then SQLite's error raised if one of ``rows`` breaks a check."""
        connection.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
        try:
            yield
        finally:
            connection.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
        ids = [row[self.id_index] for row in rows]
        broken = connection.execute(self._broken, {"low": min(ids), "high": max(ids)}).scalar()
        if broken is not None:
            connection.execute(self._recheck, {"broken": broken})


def _copy_statement(dialect, table: Table, columns: list[str]) -> str | None:
    """PostgreSQL through psycopg: ``COPY table (columns) FROM STDIN``, a few times the rate of INSERTs.

    In binary format: the values are sent as the server stores them, so neither side formats or
    parses text (the client's share of a ``COPY`` of claims fell by two thirds, the server's a little).
    """
    if dialect.name != "postgresql" or dialect.driver != "psycopg":
        return None
    quote = dialect.identifier_preparer.quote
    return (f"COPY {dialect.identifier_preparer.format_table(table)} ({', '.join(map(quote, columns))}) "
            "FROM STDIN (FORMAT BINARY)")


def _column_types(connection: Connection, table: Table, columns: list[str]) -> list[int]:
    """The type oids of ``table``'s ``columns`` as the server defines them (what a binary ``COPY`` must send)."""
    oids = dict(connection.execute(
        text("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = CAST(:table AS regclass) "
             "AND attnum > 0 AND NOT attisdropped"),
        {"table": table.name},
    ).all())
    return [oids[column] for column in columns]


def in_groups(table: Table, groups: list, entity_ids: list | None = None):
    """``table``'s rows of the (entity, attribute) ``groups`` (the entity list lets SQLite search the index).

    ``entity_ids``: the groups' entities when they cannot be worked out here (groups of bind parameters).
    """
    if entity_ids is None:
        entity_ids = sorted({entity_id for entity_id, _ in groups})
    return table.c.entity_id.in_(entity_ids) & tuple_(table.c.entity_id, table.c.attribute_id).in_(groups)


def rows_in(connection: Connection, query, column, values: list) -> Iterable:
    """Rows of ``query`` whose ``column`` is one of ``values``, fetched ``IN_CHUNK`` values at a time.

    On PostgreSQL in one query, the values as one array parameter (``= ANY``): no list of
    placeholders to build, bind and plan for every 500 values.
    """
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # here: importing it is ~0.1 s of start-up on SQLite

        if values:
            yield from connection.execute(query.where(column == any_(bindparam("values", values, ARRAY(column.type)))))
        return
    for start in range(0, len(values), IN_CHUNK):
        yield from connection.execute(query.where(column.in_(values[start : start + IN_CHUNK])))


def next_id(connection: Connection, table: Table) -> int:
    """The id after the highest in ``table``: the writer holds SQLite's write lock, so it is ours to use."""
    return (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def sequence_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """``count`` ids drawn from the sequence behind ``table.id`` (PostgreSQL), for rows written by COPY.

    The sequence is named once, in ``FROM``: in the select list its catalog lookup ran for every id
    (38 ms for 5,000 ids against 4 ms).
    """
    drawn = connection.execute(
        text("SELECT nextval(s) FROM CAST(pg_get_serial_sequence(:table, 'id') AS regclass) s, "
             "generate_series(1, :count)"),
        {"table": table.name, "count": count},
    )
    return sorted(row[0] for row in drawn)


def insert_numbered(connection: Connection, table: Table, rows: list[dict], numbered: bool) -> list[int]:
    """Insert rows; return their ids (numbered here when ``numbered``, on SQLite; RETURNING elsewhere)."""
    if numbered:
        first = next_id(connection, table)
        ids = list(range(first, first + len(rows)))
        connection.execute(insert(table), [dict(row, id=i) for row, i in zip(rows, ids)])
        return ids
    result = connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [row[0] for row in result]
