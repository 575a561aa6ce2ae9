"""Clusters of mutually compatible claims per item, and the before/after-normalisation counts."""

from __future__ import annotations

from tabulate import tabulate

from ledger.report.encode import to_json
from ledger.report.rows import rows_text

CSV_COLUMNS = ("subject", "attribute", "time", "cluster", "value", "support", "origins", "sources", "claims")
SHOWN_PHRASES = 2  # phrases as stated shown per cluster in a table
SHOWN_SOURCES = 4


def render(rows: list[dict], fmt: str) -> str:
    """Cluster rows (``list_clusters``) in ``fmt``; CSV has one row per cluster."""
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return rows_text(flat(rows), CSV_COLUMNS, "csv")
    return table(rows)


def flat(rows: list[dict]) -> list[dict]:
    """One row per cluster, numbered within its item; sources and claim ids space-separated."""
    return [
        dict(subject=row["subject"], attribute=row["attribute"], time=row["time"], cluster=number,
             value=cluster["value"], support=cluster["support"], origins=cluster["origins"],
             sources=" ".join(cluster["sources"]), claims=" ".join(str(c["id"]) for c in cluster["claims"]))
        for row in rows for number, cluster in enumerate(row["clusters"], 1)
    ]


def table(rows: list[dict]) -> str:
    """Per item a heading and its clusters: value, support/origins, sources, phrases as stated."""
    if not rows:
        return "No disagreements."
    lines: list[str] = []
    for row in rows:
        lines += ["", f"== {row['subject']} / {row['attribute']} / {row['time']}"]
        clusters = []
        for cluster in row["clusters"]:
            phrases = sorted({c["value"] for c in cluster["claims"]})
            shown = "; ".join(phrases[:SHOWN_PHRASES]) + (
                f"; +{len(phrases) - SHOWN_PHRASES} more" if len(phrases) > SHOWN_PHRASES else "")
            sources = ", ".join(cluster["sources"][:SHOWN_SOURCES]) + (
                f" +{len(cluster['sources']) - SHOWN_SOURCES}" if len(cluster["sources"]) > SHOWN_SOURCES else "")
            clusters.append([cluster["value"], f"{cluster['support']} / {cluster['origins']}", sources, shown])
        lines.append(tabulate(clusters, headers=["value", "support/origins", "sources", "as stated"],
                              tablefmt="simple", disable_numparse=True))
    return "\n".join(lines)


def summary_line(counts: dict) -> str:
    """How many items disagree before and after normalisation (``ClusterSummary.as_dict()``)."""
    return (
        f"{counts['items']:,} items with claims from two or more sources: {counts['differently_stated']:,} stated "
        f"differently, {counts['different_readings']:,} read differently, {counts['disagreeing']:,} disagree after "
        f"tolerance (more than one cluster); {counts['unreadable']:,} claims unreadable (kept, not compared)."
    )
