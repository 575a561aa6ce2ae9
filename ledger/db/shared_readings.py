"""Readings written once each: the ids in ``distinct_readings`` of the readings an import stores.

Bulk data states the same figures again and again (40 sites reporting one
count), so a claim points to a shared reading row (``claims.reading_id``)
instead of carrying its own (migration 0011 says why).
"""

from __future__ import annotations

from sqlalchemy import insert

from ledger.db.fastinsert import Rows, next_id, sequence_ids
from ledger.db.models import Reading, utcnow
from ledger.db.reading_rows import DERIVED_COLUMNS, ROW_COLUMNS
from ledger.db.write_context import WriteContext

MAX_SHARED = 200_000  # readings remembered by one import; beyond, the map starts again (memory stays bounded)


class SharedReadings:
    """Ids of readings as the driver stores them (``DERIVED_COLUMNS`` tuples), inserting those not met before.

    Only readings written by this import are shared: looking up every
    earlier row by content would cost more than the row it saves, and a
    reading stored twice is a repeated row, never a wrong one.
    """

    def __init__(self, context: WriteContext):
        self.context = context
        self.rows = Rows(
            context.connection, Reading.__table__, preprocessed=(*DERIVED_COLUMNS, "read_at"), columns=ROW_COLUMNS
        )
        self._ids: dict[tuple, int] = {}

    def ids(self, readings: list[tuple]) -> list[int]:
        """The row id of each reading, in order; new readings are inserted first."""
        if len(self._ids) > MAX_SHARED:
            self._ids.clear()
        new = [reading for reading in dict.fromkeys(readings) if reading not in self._ids]
        if new:
            read_at = self.rows.value("read_at", utcnow())
            self._ids.update(zip(new, self._insert([(*reading, read_at) for reading in new])))
        return [self._ids[reading] for reading in readings]

    def _insert(self, rows: list[tuple]) -> list[int]:
        """Insert ``DERIVED_COLUMNS`` + read_at rows; return their ids."""
        connection, table = self.context.connection, Reading.__table__
        if self.context.numbered:
            first = next_id(connection, table)
            ids = list(range(first, first + len(rows)))
        elif self.rows.copy is not None:
            ids = sequence_ids(connection, table, len(rows))
        else:
            names = ROW_COLUMNS[1:]
            result = connection.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True),
                [dict(zip(names, row)) for row in rows],
            )
            return [row[0] for row in result]
        self.rows.execute([(i, *row) for i, row in zip(ids, rows)])
        return ids
