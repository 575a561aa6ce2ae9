"""How a phrase was read (``ledger parse``): the reading's fields, its steps and other readings."""

from __future__ import annotations

from tabulate import tabulate

from ledger.report.encode import show, to_json


def render(result: dict, fmt: str) -> str:
    """An ``explain_phrase`` result as JSON, or as a two-column table with notes and alternatives below."""
    if fmt == "json":
        return to_json(result)
    rows = [(key, show(value)) for key, value in result.items() if key not in ("notes", "alternatives")]
    lines = [tabulate(rows, tablefmt="plain")]
    lines += [f"  - {note}" for note in result.get("notes", [])]
    lines += [
        f"  also read as: {other['kind']} {show(other['low'])} to {show(other['high'])} {other.get('currency') or ''}"
        for other in result.get("alternatives", [])
    ]
    return "\n".join(lines)
