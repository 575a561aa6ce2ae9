"""Rows (dicts) as text: a table for people, a JSON array or CSV with a header for scripts."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from tabulate import tabulate

from ledger.core.safe_text import escaped
from ledger.report.encode import plain, to_json

MAX_CELL = 60  # table cells longer than this are shortened; JSON and CSV keep everything


def rows_text(
    rows: Sequence[dict], columns: Sequence[str], fmt: str, *, table_columns: Sequence[str] | None = None,
    wide: bool = False,
) -> str:
    """``rows`` in ``fmt``; a table shows ``table_columns`` (default: all ``columns``), cut unless ``wide``."""
    if fmt == "json":
        return to_json([{column: row.get(column) for column in columns} for row in rows])
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([plain(row.get(column)) for column in columns] for row in rows)
        return buffer.getvalue().removesuffix("\n")
    if not rows:
        return "(no rows)"
    shown = table_columns or columns
    return tabulate(
        [[cell(row.get(column), wide) for column in shown] for row in rows],
        headers=list(shown), tablefmt="simple", disable_numparse=True,
    )


def cell(value, wide: bool = False) -> str:
    """A table cell: one line, control and bidirectional characters escaped, at most ``MAX_CELL`` characters
    unless ``wide``."""
    if value is None:
        return ""
    text = " ".join(escaped(plain(value)).split())
    return text if wide or len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
