"""Search results: a block per passage for people, nested JSON and one CSV row per passage for scripts."""

from __future__ import annotations

import textwrap

from ledger.report.encode import to_json
from ledger.report.rows import rows_text

CSV_COLUMNS = ("passage_id", "source", "title", "outlet", "published", "kind", "position", "snippet", "passage",
               "claim_ids")
WIDTH = 100


def render(rows: list[dict], fmt: str) -> str:
    """``ledger.db.search.search`` rows in ``fmt``."""
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        flat = [dict(row, claim_ids=";".join(str(claim["id"]) for claim in row["claims"])) for row in rows]
        return rows_text(flat, CSV_COLUMNS, "csv")
    if not rows:
        return "No passage matches."
    return "\n\n".join(block(row) for row in rows)


def block(row: dict) -> str:
    """Where the passage is, the match in [brackets], and each claim quoting it."""
    lines = [f"{row['source']} ({where(row)}, {', '.join(filter(None, (row['outlet'], row['published'])))}): {row['title']}"]
    lines += textwrap.wrap(row["snippet"], WIDTH, initial_indent="  ", subsequent_indent="  ")
    for claim in row["claims"]:
        status = "" if claim["status"] == "active" else f" [{claim['status']}]"
        ref = f" ({claim['ref']})" if claim["ref"] else ""
        lines.append(f"  ← claim {claim['id']}{ref}: {claim['subject']} / {claim['attribute']} = {claim['value']}{status}")
    return "\n".join(lines)


def where(row: dict) -> str:
    return {"title": "title", "quote": "quote"}.get(row["kind"], f"¶{row['position']}")
