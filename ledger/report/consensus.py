"""Consensus decisions and source reliability: tables, the --explain blocks, JSON and CSV rows."""

from __future__ import annotations

from tabulate import tabulate

from ledger.report.rows import rows_text

COLUMNS = ("subject", "attribute", "time", "value", "stated", "confidence", "method", "origins",
           "total_origins", "claims", "sources", "why", "candidates")
TABLE_COLUMNS = ("subject", "attribute", "time", "value", "confidence", "origins", "why")
RELIABILITY_COLUMNS = ("source", "reliability", "claims", "evaluated", "agrees", "by_attribute", "copies",
                       "offsets", "typical_offsets")
RELIABILITY_HEADERS = ["source", "reliability", "claims", "compared", "agrees", "weakest attributes", "copies with",
                       "systematic offset"]
SCORE_NOTE = ("score: sum over origins of ln(n·A/(1−A)) (A: reliability for the attribute), plus 0.3 of "
              "compatible values' scores and the share of a fuller value that shorter ones imply; "
              "p: exp(score/T) over the stated values and the n + 1 − k no one stated (calibrated).")


def render(report, fmt: str) -> str:
    """The decisions of a ``ConsensusReport`` in ``fmt``."""
    if fmt == "json":
        return rows_text(report.decisions, COLUMNS, "json")
    if fmt == "csv":
        return rows_text([dict(row, sources=" ".join(row["sources"])) for row in report.decisions], COLUMNS, "csv")
    return rows_text(
        [dict(row, confidence=f"{row['confidence']:.2f}", origins=f"{row['origins']} of {row['total_origins']}")
         for row in report.decisions],
        COLUMNS, "table", table_columns=TABLE_COLUMNS,
    )


def explanation(report) -> str:
    """Per item, every candidate value with its sources (and weights), score and probability."""
    if not report.decisions:
        return "(no items)"
    weighted = report.method == "reliability"
    groups = {member: group for group in report.groups for member in group}
    lines: list[str] = []
    for row in report.decisions:
        lines += ["", f"== {row['subject']} / {row['attribute']} / {row['time']}: {row['value']} "
                      f"(confidence {row['confidence']:.2f}, method {row['method']})"]
        table = []
        for candidate in row["candidates"]:
            backers = ", ".join(
                f"{source} {candidate['reliability'][source]:.2f}" if weighted else source
                for source in candidate["sources"]
            )
            table.append([candidate["value"], candidate["stated"], candidate["origins"], len(candidate["claims"]),
                          f"{candidate['score']:.2f}", f"{candidate['probability']:.2f}", backers])
        lines.append(tabulate(table, headers=["value", "as stated (first claim)", "origins", "claims", "score", "p",
                                              "sources (weight)" if weighted else "sources"],
                              tablefmt="simple", disable_numparse=True))
        copying = sorted({" + ".join(groups[s]) for c in row["candidates"] for s in c["sources"] if s in groups})
        lines += [f"  copies, counted as one origin: {group}" for group in copying]
    if weighted:
        lines += ["", SCORE_NOTE]
    return "\n".join(lines)


def reliability(report, fmt: str) -> str:
    """Each judged source's reliability (``source_reliability``) in ``fmt``."""
    if fmt == "json":
        return rows_text(report.sources, RELIABILITY_COLUMNS, "json")
    if fmt == "csv":
        return rows_text(
            [dict(row, by_attribute=_pairs(row["by_attribute"]), copies=" ".join(row["copies"]),
                  offsets=_pairs(row["offsets"]), typical_offsets=_pairs(row["typical_offsets"]))
             for row in report.sources],
            RELIABILITY_COLUMNS, "csv",
        )
    table = [
        [row["source"], f"{row['reliability']:.3f}", row["claims"], row["evaluated"], f"{row['agrees']:.1%}",
         _fitted([f"{a} {v:.2f}" for a, v in sorted(row["by_attribute"].items(), key=lambda item: item[1])]),
         _fitted(row["copies"]),
         _fitted([f"{a} {v:+g} min" for a, v in row["offsets"].items()])]
        for row in report.sources
    ]
    # List columns nobody fills (no copies found, no clock times) are left out, so the table fits a terminal.
    shown = [i for i, header in enumerate(RELIABILITY_HEADERS) if i < 6 or any(line[i] for line in table)]
    return tabulate([[line[i] for i in shown] for line in table], headers=[RELIABILITY_HEADERS[i] for i in shown],
                    tablefmt="simple", disable_numparse=True)


LIST_CELL = 48  # characters of a list cell in the reliability table, so a row fits a terminal


def _fitted(items: list[str]) -> str:
    """As many items as fit in ``LIST_CELL`` characters, then '+N more' (JSON and CSV carry them all)."""
    shown: list[str] = []
    for i, item in enumerate(items):
        rest = len(items) - i - 1
        more = f" +{rest} more" if rest else ""
        if shown and len(" ".join([*shown, item])) + len(more) > LIST_CELL:
            return " ".join(shown) + f" +{len(items) - i} more"
        shown.append(item)
    return " ".join(shown)


def reliability_summary(report) -> str:
    """What the reliability table was estimated over."""
    return (f"\n{report.items:,} items; method {report.method}, judged by {report.judge}; "
            f"{len(report.groups)} copy groups, each counted as one origin.")


def estimate_line(use) -> str | None:
    """Where a reliability run's weights came from (``EstimateUse``), for stderr; None for support."""
    if use is None:
        return None
    if use.kept:
        return (f"reliability: kept estimate of {use.estimated_at:%Y-%m-%d %H:%M} (journal entry {use.journal_seq}, "
                "ledger unchanged since)")
    if use.journal_seq is None:
        return "reliability: estimated now over the whole ledger (`ledger estimate` keeps an estimate for quicker answers)"
    return (f"reliability: estimated now over the whole ledger: the kept estimate (journal entry {use.journal_seq}) "
            "is out of date; `ledger estimate` renews it")


def kept_line(kept, judge: str) -> str:
    """What `ledger estimate` kept."""
    return (f"Estimated {kept.sources:,} sources ({kept.copy_groups} copy groups) over {kept.items:,} items "
            f"in {kept.seconds:.1f} s; kept for journal entry {kept.journal_seq} (judge: {judge}).")


def _pairs(mapping: dict) -> str:
    return " ".join(f"{key}={value}" for key, value in mapping.items())
