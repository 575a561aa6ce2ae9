"""What an import did, per file: warnings for stderr and a one-line summary for stdout; then the conflicts it raised."""

from __future__ import annotations

import shlex

from ledger.report.encode import plural


def warning_lines(report) -> list[str]:
    """Each warning of an ``ImportReport``, and how many were left out."""
    lines = [f"Warning: {warning}" for warning in report.warnings]
    if report.warnings_omitted:
        lines.append(f"Warning: … and {report.warnings_omitted} more warnings")
    return lines


def summary(label: str, report) -> str:
    """'FILE: added 1 sources, … claims; 3 already recorded.' or 'FILE: nothing new (…).'"""
    if not report.changed:
        return f"{label}: nothing new ({plural(report.claims_known, 'claim')} already recorded)."
    parts = [
        plural(report.sources_added, "source"),
        plural(report.entities_added, "entity", "entities"),
        plural(report.attributes_added, "attribute"),
        plural(report.claims_added, "claim"),
    ]
    known = f"; {report.claims_known} already recorded" if report.claims_known else ""
    return f"{label}: added {', '.join(parts)}{known}."


def new_conflicts_line(new) -> str:
    """One line on the conflicts a write raised (a ``NewConflicts``), and the command that lists them."""
    if not new.count:
        return "No new conflicts."
    command = "ledger conflicts" + (f" --subject {shlex.quote(new.subject)}" if new.subject else "")
    return (f"{plural(new.count, 'new conflict')}, highest severity {new.highest_severity:.3f}:"
            f" see {'it' if new.count == 1 else 'them'} with `{command}`.")
