"""The order conflicts are listed in, streamed: severity as shown (rounded to 6 places), most severe first.

A listing sorts pairs by their shown severity, ``round(severity, 6)``, then by
a key (subject, attribute, id). A database can stream rows by their raw
severity off an index, but not by Python's rounding: two raw severities that
round alike (0.1234564 and 0.1234561) must interleave by key. So the rows come
ordered by raw severity, then key, and only a run of one shown severity that
mixes raw values is sorted again here. Such a run is held until it ends; a run
of one raw value is held only up to ``hold`` rows, then the next lower raw
severity in the whole table is asked for: if it rounds differently, nothing
can join the run and the rest of it streams through.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

Row = TypeVar("Row")
SHOWN_PLACES = 6


def by_shown_severity(
    rows: Iterable[Row],
    *,
    severity: Callable[[Row], float],
    key: Callable[[Row], object],
    lower_than: Callable[[float], float | None],
    hold: int = 1_000,
) -> Iterator[Row]:
    """``rows`` (ordered by raw severity, highest first, then ``key``) in shown-severity order, then ``key``.

    ``lower_than(raw)`` gives the highest severity below ``raw`` among all rows
    the query could return (or more: a superset only makes runs wait longer),
    or None. Memory: at most ``hold`` rows, or a run whose raw values tie.
    """
    held: list[Row] = []  # rows of the current shown severity, not yet given
    shown = last_raw = None
    mixed = asked = streaming = False
    for row in rows:
        raw = severity(row)
        if raw != last_raw:
            last_raw = raw
            rounded = round(raw, SHOWN_PLACES)
            if rounded != shown:
                yield from _settled(held, key, mixed)
                held, shown, mixed, asked, streaming = [], rounded, False, False, False
            else:
                mixed = True  # never while streaming: ``lower_than`` said no other raw value rounds so
        if streaming:
            yield row
            continue
        held.append(row)
        if len(held) >= hold and not (mixed or asked):
            asked = True
            lower = lower_than(raw)
            if lower is None or round(lower, SHOWN_PLACES) != shown:
                yield from held
                held, streaming = [], True
    yield from _settled(held, key, mixed)


def _settled(held: list, key, mixed: bool) -> list:
    """A finished run: in key order (rows of one raw value came that way)."""
    return sorted(held, key=key) if mixed else held


def growing_batches(items: Iterable[Row], first: int, largest: int) -> Iterator[list[Row]]:
    """``items`` in lists of ``first``, twice that, and so on up to ``largest``: a streamed listing's first
    rows wait for few, and the rest go in few calls."""
    items = iter(items)
    size = first
    while batch := list(islice(items, size)):
        yield batch
        size = min(2 * size, largest)


class ReadAhead:
    """Chunks of rows, each given while the next ones (up to ``rows`` rows) are already read: so a cache of
    groups can tell when each group comes back (``next_use``) and keep first those coming back soonest.

    A listing of many pairs reads a group's members once per stay in its cache; its pairs are spread over the
    whole listing (severity order), so a cache that forgets the least recently used group reads many groups
    again just before they come back. The chunks are read ahead a little more at each step (at most two), so
    the first one is given without waiting for the rest.
    """

    NEVER = float("inf")

    def __init__(self, chunks: Iterable[list[Row]], group: Callable[[Row], object], rows: int):
        self._chunks = iter(chunks)
        self._group, self._rows = group, rows
        self._read: deque[list[Row]] = deque()  # the chunks read ahead, in order
        self._ahead = 0  # rows in ``_read``
        self._numbers = 0  # chunks read so far
        self._holding: dict[object, list[int]] = {}  # group -> numbers of the chunks read ahead holding it (few)

    def __iter__(self) -> Iterator[list[Row]]:
        while True:
            self._read_ahead()
            if not self._read:
                return
            chunk = self._read.popleft()
            self._ahead -= len(chunk)
            for group in {self._group(row) for row in chunk}:
                numbers = self._holding[group]
                del numbers[0]
                if not numbers:
                    del self._holding[group]
            yield chunk

    def next_use(self, group: object) -> float:
        """The number of the next chunk holding ``group`` (after the one given last); ``NEVER`` within the rows
        read ahead."""
        numbers = self._holding.get(group)
        return numbers[0] if numbers else self.NEVER

    def _read_ahead(self) -> None:
        for _ in range(2):
            if self._read and self._ahead - len(self._read[0]) >= self._rows:
                return
            chunk = next(self._chunks, None)
            if chunk is None:
                return
            number, self._numbers = self._numbers, self._numbers + 1
            self._read.append(chunk)
            self._ahead += len(chunk)
            for group in {self._group(row) for row in chunk}:
                self._holding.setdefault(group, []).append(number)
