"""Statements over a list of values, compiled once per size and run on the driver's own cursor.

SQLAlchemy compiles a statement naming a list of values afresh for every list
(~5 ms for 50 groups of ``in_groups``, ~20 ms for 1,000): a listing asking for
each chunk's groups and phrases paid ~0.8 s of compiling for 181k pairs. Here
a list is padded to the next power of two (repeating its last value: an
``IN`` list may name a value twice) and each padded size compiled once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection


class SizedStatement:
    """``make(slots)``'s rows for lists of values; ``slots`` holds a bind parameter per value.

    With a ``width`` above one, each value is a tuple of that many parts and
    its slot a tuple of parameters. Rows are the driver's plain tuples, all
    fetched (the caller bounds the list).
    """

    def __init__(self, connection: Connection, make: Callable[[list[tuple]], object], width: int = 1):
        self.connection, self.make, self.width = connection, make, width
        self._compiled: dict[int, tuple[str, dict, list[str], tuple[str, ...] | None]] = {}

    def rows(self, values: Sequence) -> list[tuple]:
        if not values:
            return []
        size = 1 << (len(values) - 1).bit_length()
        compiled = self._compiled.get(size)
        if compiled is None:
            compiled = self._compiled[size] = self._compile(size)
        sql, params, names, order = compiled
        params = dict(params)
        padded = [*values, *[values[-1]] * (size - len(values))]
        params.update(zip(names, padded if self.width == 1 else [part for value in padded for part in value]))
        cursor = self.connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(sql, params if order is None else tuple(params[name] for name in order))
            return cursor.fetchall()
        finally:
            cursor.close()

    def _compile(self, size: int) -> tuple[str, dict, list[str], tuple[str, ...] | None]:
        names = [f"slot_{i}_{j}" for i in range(size) for j in range(self.width)]
        parts = iter(names)
        slots = [tuple(bindparam(next(parts)) for _ in range(self.width)) for _ in range(size)]
        if self.width == 1:
            slots = [slot for (slot,) in slots]
        compiled = self.make(slots).compile(dialect=self.connection.dialect)
        return str(compiled), compiled.params, names, tuple(compiled.positiontup) if compiled.positional else None
