"""What the CLI prints with: the ``--format`` option, and rows or lines echoed to the terminal."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

FORMATS = ("table", "json", "csv")


def output_options(command):
    """Add ``--format table|json|csv`` to a command."""
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="table for reading; json or csv (full values, stable keys) for scripts.",
    )(command)


def detail_options(command):
    """Add ``--format table|json`` to a command that shows one thing in full (no CSV: it is not rows)."""
    return click.option(
        "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True,
        help="table for reading; json for scripts.",
    )(command)


def emit(rows: Sequence[dict], columns: Sequence[str], fmt: str, *, table_columns: Sequence[str] | None = None,
         wide: bool = False) -> None:
    """Print ``rows`` (dicts) as a table (cells cut unless ``wide``), a JSON array of objects, or CSV with a header."""
    from ledger.report.rows import rows_text

    click.echo(rows_text(rows, columns, fmt, table_columns=table_columns, wide=wide))


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it: the old file or the new, never half of one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror or error}; check the directory exists "
                                   "and is writable") from None
    finally:
        temporary.unlink(missing_ok=True)


def echo_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Print each line (on stderr with ``err``)."""
    for line in lines:
        click.echo(line, err=err)


def emit_stream(columns: Sequence[str], rows: Iterable[tuple], fmt: str, *, max_rows: int) -> None:
    """Print ``rows`` (tuples) as they come: CSV and JSON write each row once fetched, so memory stays flat.

    JSON is an array with one object a line. A table needs every row it shows
    at once: it shows the first ``max_rows``, and says on stderr how many more
    were left out (counted, not kept).
    """
    import csv
    import itertools
    import sys

    from ledger.report.encode import plain, to_json

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
            writer.writerow([plain(value) for value in row])
    else:
        opening = "["
        for row in rows:  # one object a line; sys.stdout, as click.echo flushes each time
            sys.stdout.write(f"{opening}\n  {to_json(dict(zip(columns, row)), indent=None)}")
            opening = ","
        click.echo("\n]" if opening == "," else "[]")
