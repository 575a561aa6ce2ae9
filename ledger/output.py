"""One output path for every listing: a table for people, JSON or CSV for scripts.

JSON holds only JSON: bytes are written as hex strings (``x'00ff'`` -> ``"00ff"``,
as in CSV and tables), and numbers JSON cannot hold (infinities, NaN) as null.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

import click
from tabulate import tabulate

FORMATS = ("table", "json", "csv")
MAX_CELL = 60  # table cells longer than this are shortened; JSON and CSV keep everything


def output_options(command):
    """Add ``--format table|json|csv`` to a command."""
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="table for reading; json or csv (full values, stable keys) for scripts.",
    )(command)


def emit(rows: Sequence[dict], columns: Sequence[str], fmt: str, *, table_columns: Sequence[str] | None = None) -> None:
    """Print ``rows`` (dicts) as a table, a JSON array of objects, or CSV with a header."""
    if fmt == "json":
        click.echo(_json([{c: row.get(c) for c in columns} for row in rows]))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else _plain(row.get(c)) for c in columns])
    else:
        shown = table_columns or columns
        if not rows:
            click.echo("(no rows)")
            return
        click.echo(
            tabulate(
                [[_cell(row.get(c)) for c in shown] for row in rows],
                headers=list(shown),
                tablefmt="simple",
                disable_numparse=True,
            )
        )


def emit_stream(columns: Sequence[str], rows: Iterable[tuple], fmt: str, *, max_rows: int) -> None:
    """Print ``rows`` (tuples) as they come: CSV and JSON write each row once fetched, so memory stays flat.

    JSON is an array with one object a line. A table needs every row it shows
    at once: it shows the first ``max_rows``, and says on stderr how many more
    were left out (counted, not kept).
    """
    rows = iter(rows)
    if fmt == "table":
        shown = list(itertools.islice(rows, max_rows))
        left_out = sum(1 for _ in rows)
        emit([dict(zip(columns, row)) for row in shown], columns, fmt)
        if left_out:
            click.echo(f"{left_out:,} more rows left out (--max-rows {max_rows:,}); "
                       "use --format csv or json for all rows", err=True)
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if value is None else _plain(value) for value in row])
    else:
        opening = "["
        for row in rows:  # one object a line; sys.stdout, as click.echo flushes each time
            sys.stdout.write(f"{opening}\n  {_json(dict(zip(columns, row)), indent=None)}")
            opening = ","
        click.echo("\n]" if opening == "," else "[]")


def _json(value, indent: int | None = 2) -> str:
    """``value`` as JSON, finite numbers only."""
    return json.dumps(_json_safe(value), default=_json_default, ensure_ascii=False, indent=indent, allow_nan=False)


def _json_safe(value):
    """Containers walked, so no float that JSON cannot hold reaches ``json.dumps`` (which would print Infinity)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    return _plain(value)  # bytes as hex; UUIDs, intervals, addresses ... as the database writes them


def _plain(value) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell(value) -> str:
    if value is None:
        return ""
    text = " ".join(_plain(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
