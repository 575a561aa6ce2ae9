"""One source for reading: its article with every quoted passage marked, and the claims that quote them."""

from __future__ import annotations

from ledger.core.passages import mark_quotes
from ledger.report.encode import to_json


def detail(source: dict, fmt: str) -> str:
    """``ledger.db.sources.source_detail`` as text (``table``) or JSON."""
    if fmt == "json":
        return to_json(source)
    lines = [f"{source['key']}: {source['title']}"]
    about = ", ".join(filter(None, (source["outlet"], source["author"], source["published"], source["url"])))
    if about:
        lines.append(about)
    lines.append("")
    if source["text"] is None:
        lines.append("(no text recorded; the claims' quotes are below)")
    else:
        spans = [(*claim["span"], str(claim["id"])) for claim in source["claims"] if claim["span"]]
        lines.append(mark_quotes(source["text"], spans).strip("\n"))
    lines += ["", f"Claims ({len(source['claims'])}; ⟦…⟧[N] marks the passage claim N quotes):"]
    for claim in source["claims"]:
        ref = f" ({claim['ref']})" if claim["ref"] else ""
        status = "" if claim["status"] == "active" else f" [{claim['status']}]"
        lines.append(f"[{claim['id']}]{ref} {claim['subject']} / {claim['attribute']} = {claim['value']}{status}")
        if claim["quote"] and not claim["span"]:
            lines.append(f"    quote: {claim['quote']}")
    return "\n".join(lines)
