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
