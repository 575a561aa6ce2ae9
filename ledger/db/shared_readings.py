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
            context.connection, Reading.__table__, preprocessed=(*DERIVED_COLUMNS, "read_at"), columns=ROW_COLUMNS,
            checked_per_batch=True,
        )
        self._ids: dict[tuple, int] = {}

    def ids(self, readings: list[tuple]) -> list[int]:
        """The row id of each reading, in order; new readings are inserted first (in the order first met)."""
        if len(self._ids) > MAX_SHARED:
            self._ids.clear()
        known = self._ids.get
        new: dict[tuple, int] = {}  # each reading not met before -> minus its place among them, minus one
        add = new.setdefault
        found = []
        for reading in readings:  # each reading looked up once (their tuples are long: hashing and comparing cost)
            reading_id = known(reading)
            found.append(reading_id if reading_id is not None else add(reading, ~len(new)))
        if not new:
            return found
        read_at = self.rows.value("read_at", utcnow())
        new_ids = self._insert(list(new), read_at)
        self._ids.update(zip(new, new_ids))
        return [reading_id if reading_id >= 0 else new_ids[~reading_id] for reading_id in found]

    def _insert(self, readings: list[tuple], read_at) -> list[int]:
        """Insert ``DERIVED_COLUMNS`` rows read at ``read_at``; return their ids."""
        connection, table = self.context.connection, Reading.__table__
        if self.context.numbered:
            first = next_id(connection, table)
            ids = list(range(first, first + len(readings)))
        elif self.rows.copy is not None:
            ids = sequence_ids(connection, table, len(readings))
        else:
            names = ROW_COLUMNS[1:]
            result = connection.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True),
                [dict(zip(names, (*reading, read_at))) for reading in readings],
            )
            return [row[0] for row in result]
        self.rows.execute([(i, *reading, read_at) for i, reading in zip(ids, readings)])
        return ids
