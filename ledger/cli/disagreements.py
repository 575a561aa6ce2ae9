"""Where sources disagree: conflicts and their verdicts, clusters, consensus, kept estimates."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.app import JUDGE_HELP, METHOD_HELP, Context, cli, pass_context, say_estimate
from ledger.core.vocabulary import JUDGES, METHODS
from ledger.collector import collector_off
from ledger.output import detail_options, output_options


SEVERITY_HELP = "Only conflicts at least this severe (0 = ranges touch, 1 = far apart)."


@cli.group(invoke_without_command=True)
@click.option("--subject", help="Canonical name or alias.")
@click.option("--attribute", help="Attribute name.")
@click.option("--source", help="Source key or outlet on either side.")
@click.option("--min-severity", type=click.FloatRange(0, 1), default=0.0, help=SEVERITY_HELP)
@click.option("--status", type=click.Choice(["open", "confirmed", "dismissed", "all"]), default=None,
              help="Verdict filter (default: open and confirmed; `all` adds stale verdicts).")
@click.option("--incomparable", is_flag=True, help="List pairs that cannot be compared (per period vs one-off, money vs count).")
@click.option("--limit", type=click.IntRange(1), help="At most this many pairs (items, with --clusters).")
@click.option("--clusters", is_flag=True,
              help="Per subject/attribute/time, the groups of mutually compatible claims instead of pairs.")
@output_options
@click.pass_context
def conflicts(ctx: click.Context, subject, attribute, source, min_severity, status, incomparable, limit, clusters,
              fmt) -> None:
    """Claims from different sources that cannot all be true, most severe first.

    --clusters shows, for each item (subject, attribute, time) whose claims
    disagree, the groups of claims that can all be true together, with their
    support (claims) and independent origins — the readable form when dozens
    of sources report one item — and counts the disagreements before and
    after normalisation on stderr.

    \b
    Examples:
        ledger conflicts
        ledger conflicts --format json --min-severity 0.1
        ledger conflicts --clusters --attribute actual_departure --limit 5
        ledger conflicts show c-1a2b3c4d5e6f
    """
    if ctx.invoked_subcommand is not None:
        return
    context: Context = ctx.obj
    if clusters:
        from ledger.db.consensus import list_clusters
        from ledger.report import clusters as shown

        rows, summary = context.read(list_clusters, subject=subject, attribute=attribute, source=source, limit=limit)
        click.echo(shown.render(rows, fmt))
        click.echo(shown.summary_line(summary.as_dict()), err=True)
        return
    import sys

    filters = dict(subject=subject, attribute=attribute, source=source, min_severity=min_severity,
                   status=status or "active", nature="incomparable" if incomparable else "conflict", limit=limit)
    with collector_off():  # before the imports: they too make many objects and no garbage
        from ledger.db.conflicts import stream_conflicts
        from ledger.report import conflicts as shown

        context.read(lambda session: shown.write(stream_conflicts(session, **filters), fmt, sys.stdout))


@conflicts.command("show")
@click.argument("conflict_id")
@detail_options
@pass_context
def conflicts_show(context: Context, conflict_id: str, fmt: str) -> None:
    """Both claims in full: quotes, sources and how each value was read.

    \b
    Example:
        ledger conflicts show c-1a2b3c4d5e6f
    """
    from ledger.db.conflicts import conflict_detail
    from ledger.report import conflicts as shown

    click.echo(shown.detail(context.read(conflict_detail, conflict_id), fmt))


def _verdict_command(name: str, status: str, summary: str):
    @click.argument("conflict_id")
    @click.option("--note", help="Why (e.g. 'different deals').")
    @pass_context
    def command(context: Context, conflict_id: str, note: str | None) -> None:
        from ledger.db.conflicts import record_verdict

        context.write(record_verdict, conflict_id, status, note, context.actor)
        click.echo(f"{conflict_id}: {status}.")

    command.__doc__ = f"""{summary}

    \b
    Example:
        ledger conflicts {name} c-1a2b3c4d5e6f --note "checked the originals"
    """
    return command


conflicts.command("confirm")(_verdict_command("confirm", "confirmed", "Mark a conflict as a real disagreement."))
conflicts.command("dismiss")(_verdict_command("dismiss", "dismissed", "Mark a conflict as not a real disagreement (e.g. different deals)."))
conflicts.command("reopen")(_verdict_command("reopen", "open", "Put a confirmed or dismissed conflict back to open."))


@cli.command()
@click.option("--subject", help="Canonical name or alias (falls back to a substring match).")
@click.option("--status", type=click.Choice(["open", "confirmed", "dismissed", "all"]), default=None,
              help="Verdict filter (default: open and confirmed; `all` adds dismissed and stale verdicts).")
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True,
              help="At most this many subject/attribute groups (the most severe); the page says what was left out.")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (replaced whole, never half-written).")
@pass_context
def report(context: Context, subject, status, limit: int, fmt: str, output: Path) -> None:
    """Write the conflict report an analyst sends: an HTML page (or Markdown) with number lines.

    \b
    Examples:
        ledger report -o conflicts.html
        ledger report --subject "Wagner Group contract with Mali" --format md -o wagner.md
    """
    from ledger.db.report import load_report
    from ledger.output import write_whole
    from ledger.report.page import report_text

    data = context.read(load_report, subject=subject, status=status or "active", limit=limit)
    text, summary = report_text(data, fmt, ledger=context.db)
    write_whole(output, text)
    click.echo(f"Wrote {output}: {summary}")


@cli.command()
@click.option("--subject", help="Only items of this subject (canonical name or alias).")
@click.option("--attribute", help="Only items of this attribute.")
@click.option("--method", type=click.Choice(METHODS), default="support", show_default=True,
              help=METHOD_HELP)
@click.option("--judge", type=click.Choice(JUDGES), default="outlet", show_default=True, help=JUDGE_HELP)
@click.option("--contested", is_flag=True, help="Only items whose claims disagree.")
@click.option("--explain", "explain", metavar="SUBJECT",
              help="Show, for every item of SUBJECT, each candidate value with its sources, weights and probability.")
@click.option("--limit", type=click.IntRange(1), help="At most this many items.")
@output_options
@pass_context
def consensus(context: Context, subject, attribute, method, judge, contested, explain, limit, fmt) -> None:
    """Per item (subject, attribute, time), the value the ledger would bet on, and why.

    support counts independent origins; reliability weighs each source by how
    often it agrees with the others (estimated from every claim in the
    ledger), counts a block of copying sources as one origin and measures
    each source's systematic offset. The `why` column names the backers (with
    their weights) and the runner-up; --explain SUBJECT shows every candidate.

    \b
    Examples:
        ledger consensus --subject "AA-1007-TPA-MIA 2011-12-01"
        ledger consensus --method reliability --contested --limit 20
        ledger consensus --method reliability --explain "AA-1007-TPA-MIA 2011-12-01"
    """
    if explain and subject and explain != subject:
        raise click.UsageError("give the subject once: --explain SUBJECT or --subject SUBJECT")
    from ledger.db.consensus import run_consensus
    from ledger.report import consensus as shown

    report = context.read(
        run_consensus, method=method, judge=judge, subject=explain or subject, attribute=attribute,
        contested_only=contested, limit=limit, detail=bool(explain) or fmt == "json",
    )
    say_estimate(report)
    click.echo(shown.explanation(report) if explain and fmt == "table" else shown.render(report, fmt))


@cli.command()
@click.option("--judge", type=click.Choice(JUDGES), default="outlet", show_default=True, help=JUDGE_HELP)
@pass_context
def estimate(context: Context, judge: str) -> None:
    """Estimate every source's reliability over the whole ledger and keep it.

    `consensus --method reliability` and `sources --reliability` then use the
    kept estimate instead of estimating afresh — one subject is decided in
    about a second instead of minutes on a large ledger — for as long as the
    ledger is unchanged (same journal head). Any change (an import, a
    retraction, an alias) makes it out of date: they say so and estimate
    afresh until it is renewed. The decisions are the same either way.

    \b
    Examples:
        ledger estimate
        ledger consensus --method reliability --subject "AA-1007-TPA-MIA 2011-12-01"
    """
    from ledger.db.consensus import keep_estimate
    from ledger.report import consensus as shown

    click.echo(shown.kept_line(keep_estimate(context.open(), judge=judge), judge))
