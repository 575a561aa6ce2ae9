"""The ledger's history: corrections, a claim's story, verification, copies."""

from __future__ import annotations

import click

from ledger.cli.app import Context, cli, pass_context
from ledger.output import echo_lines, emit, output_options


@cli.command()
@click.argument("ref_or_id")
@click.option("--reason", required=True, help="Why the claim is withdrawn.")
@pass_context
def retract(context: Context, ref_or_id: str, reason: str) -> None:
    """Retract a claim: it stays in the ledger, marked retracted, and leaves conflict reports.

    \b
    Example:
        ledger retract kalashnikov-price-france24 --reason "misread the article"
    """
    from ledger.db.corrections import retract as retract_claim

    claim_id = context.write(retract_claim, ref_or_id, reason, context.actor)
    click.echo(f"Retracted claim {claim_id}.")


@cli.command()
@click.argument("ref_or_id")
@click.option("--value", required=True, help="The corrected value, as stated.")
@click.option("--when", help="The corrected time (default: the old claim's).")
@click.option("--quote", help="The corrected quote (default: the old claim's).")
@click.option("--ref", help="A ref for the new claim.")
@click.option("--reason", required=True, help="Why the claim is corrected.")
@pass_context
def supersede(context: Context, ref_or_id: str, value: str, when, quote, ref, reason: str) -> None:
    """Replace a claim with a corrected one that points back to it.

    \b
    Example:
        ledger supersede troops-fr-2019 --value "4,500" --quote "..." --reason "typo in first entry"
    """
    from ledger.db.corrections import supersede as supersede_claim

    new_id = context.write(
        supersede_claim, ref_or_id, reason=reason, actor=context.actor, value=value, when=when, quote=quote, ref=ref
    )
    click.echo(f"Claim {ref_or_id} superseded by claim {new_id}.")


@cli.command()
@click.argument("ref_or_id")
@output_options
@pass_context
def history(context: Context, ref_or_id: str, fmt: str) -> None:
    """A claim's whole story: versions, corrections and conflict verdicts.

    \b
    Example:
        ledger history kalashnikov-price-france24
    """
    from ledger.db.corrections import history as claim_history
    from ledger.report import journal

    emit(context.read(claim_history, ref_or_id), journal.HISTORY_COLUMNS, fmt, wide=True)


@cli.command()
@click.option("--expect-head", help="A head hash recorded earlier; fails if it is no longer in the journal.")
@click.option("--deep", is_flag=True, help="Also re-read every claim and recompute conflicts (derived tables).")
@pass_context
def verify(context: Context, expect_head: str | None, deep: bool) -> None:
    """Check the journal's hash chain and that every table agrees with it.

    Exits 1 and names the first bad entry and every bad row if anything was
    changed behind the ledger's back; `--deep` also checks readings and conflicts.

    \b
    Example:
        ledger verify --deep --expect-head 3f5a...
    """
    from ledger.db.verify import verify as verify_ledger
    from ledger.report import journal

    report = context.read(verify_ledger, expect_head, deep)
    out, err = journal.verify_lines(report)
    echo_lines(out)
    echo_lines(err, err=True)
    if not report.ok:
        raise SystemExit(1)


@cli.command("copy")
@click.option("--to", "target", required=True, help="Database URL or SQLite path to copy into (must be empty).")
@pass_context
def copy_command(context: Context, target: str) -> None:
    """Copy the whole ledger, journal included, to another database (e.g. PostgreSQL).

    Ids are kept, so `ledger verify` passes on the copy.

    \b
    Example:
        ledger copy --to postgresql+psycopg://analyst@db.example/ledger
    """
    from ledger.db.access import Ledger
    from ledger.db.copy import copy_ledger

    report = copy_ledger(context.open(read_only=True), Ledger(target, create=True))
    total = sum(report.rows.values())
    click.echo(f"Copied {total} rows ({report.rows.get('claims', 0)} claims) to {target}; run `ledger --db {target} verify`.")
