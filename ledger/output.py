"""One output path for every listing: a table for people, JSON or CSV for scripts."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
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
        click.echo(json.dumps([{c: row.get(c) for c in columns} for row in rows], default=_json_default, ensure_ascii=False, indent=2))
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


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _plain(value) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell(value) -> str:
    if value is None:
        return ""
    text = " ".join(_plain(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
