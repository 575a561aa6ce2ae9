"""What a read-only query hands back, and the limits every engine applies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ledger.core.limits import SQL_MAX_TIMEOUT_S as MAX_TIMEOUT_S
from ledger.core.limits import SQL_TIMEOUT_S as DEFAULT_TIMEOUT_S
ONE_STATEMENT = "`ledger sql` runs one statement at a time; remove the extra `;` statements"
READ_ONLY = (
    "`ledger sql` is read-only: the statement would write or reach outside the ledger; "
    "use the ledger commands to change data"
)


@dataclass
class QueryRows:
    """A running query: its column names, and its rows as they are fetched (iterate once)."""

    columns: list[str]
    rows: Iterator[tuple]


def timeout_ms(seconds: float) -> int:
    """Whole milliseconds, at least 1: a timeout of 0 would mean none at all on PostgreSQL."""
    return max(1, round(seconds * 1000))


def timed_out(seconds: float) -> str:
    return f"the query ran longer than its time limit of {seconds:g} s and was stopped"
