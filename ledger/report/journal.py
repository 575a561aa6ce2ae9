"""The journal's side of the story: verification results, re-reading results."""

from __future__ import annotations

RENORMALISE_COLUMNS = ("id", "ref", "value", "field", "before", "after")
HISTORY_COLUMNS = ("at", "actor", "event", "claim", "detail")


def verify_lines(report) -> tuple[list[str], list[str]]:
    """What ``verify`` prints: (stdout lines, stderr lines); stderr has one TAMPERED line per problem."""
    out = [f"head: entry {report.head_seq} {report.head_hash}"]
    out += [f"not checked: {what}" for what in report.unchecked]
    if report.ok:
        derived = "readings and conflicts match a fresh computation" if report.deep else (
            "readings and conflicts (derived) are checked by `ledger verify --deep`")
        return out + [f"OK: {report.entries} journal entries; every table agrees with the journal; {derived}."], []
    return out, [f"TAMPERED: {problem}" for problem in report.problems]


def renormalise_summary(report) -> str:
    """How many claims were re-read and how many readings changed."""
    return f"Re-read {report.claims_read} claims; {len({c['id'] for c in report.changed})} readings changed."
