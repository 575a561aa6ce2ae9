"""Commands that record claims: init, import, claim add, renormalise."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ledger.cli.app import Context, cli, pass_context
from ledger.core.errors import LedgerError
from ledger.output import echo_lines, emit, output_options


@cli.command()
@pass_context
def init(context: Context) -> None:
    """Create the ledger or upgrade its schema to the current revision.

    \b
    Example:
        ledger --db my.db init
    """
    from ledger.db.access import Ledger

    revision = Ledger(context.db, create=True).init()
    click.echo(f"Ledger {context.db} is at schema revision {revision}.")


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on values or times the parser cannot read, and on new names close to known ones.")
@pass_context
def import_(context: Context, files: tuple[Path, ...], strict: bool) -> None:
    """Import claim files, all or nothing, skipping what is already recorded.

    The type comes from the extension: .yaml/.yml claim files; .jsonl, one
    source, entity, attribute or claim per line; .csv, claims only, one per
    row. JSON Lines and CSV are streamed, so files of any size import in flat
    memory. All files go in one transaction; CSV files are read after the
    others, so their claims may name sources from a JSONL file of the same
    command. A progress bar shows on a terminal.

    \b
    Examples:
        ledger import seeds/claims.yaml
        ledger import sources.jsonl claims.csv
    """
    from ledger import readers, service
    from ledger.core.errors import StrictRefusal

    for path in files:
        if path.suffix.lower() not in readers.FORMATS:
            raise click.BadParameter(readers.unknown_format(path), param_hint="FILES")
    ledger = context.open()
    with _import_progress(files) as advance:
        finishing = (lambda: click.echo("Updating conflicts…", err=True)) if advance is not None else None
        try:
            reports = service.import_files(
                ledger, files, actor=context.actor, strict=strict, progress=advance, finishing=finishing
            )
        except StrictRefusal as error:
            raise LedgerError(f"--strict: {error}") from None
    for path in files:
        _print_report(str(path), reports[path])
    _print_new_conflicts(context, reports.values())


@contextmanager
def _import_progress(files: tuple[Path, ...]):
    """Yields a callback taking bytes read, drawing a bar on a terminal; None when stderr is piped."""
    from ledger import readers

    if not _stderr_is_terminal():
        yield None
        return
    with click.progressbar(length=readers.total_size(files), label="Importing", file=sys.stderr) as bar:
        yield bar.update


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _print_new_conflicts(context: Context, reports) -> None:
    """After a write that added claims: how many conflicts they raised, and how to see them."""
    from ledger.db.conflicts import conflicts_involving
    from ledger.report.imports import new_conflicts_line

    first_ids = [run[0] for report in reports for run in report.added_id_runs]
    if first_ids:
        click.echo(new_conflicts_line(context.read(conflicts_involving, min(first_ids))))


def _print_report(label: str, report) -> None:
    from ledger.report import imports

    echo_lines(imports.warning_lines(report), err=True)
    click.echo(imports.summary(label, report))


@cli.group()
def claim() -> None:
    """Record single claims from the command line."""


@claim.command("add")
@click.option("--source", required=True, help="Key of a source already in the ledger.")
@click.option("--subject", required=True, help="The subject as written in the source.")
@click.option("--attribute", required=True, help="What is claimed, e.g. price.")
@click.option("--value", required=True, help='The value exactly as stated, e.g. "more than € 1 million".')
@click.option("--when", help='The time the claim is about, as stated, e.g. "2012".')
@click.option("--quote", help="The exact passage of the source (required when the source has text).")
@click.option("--attributed-to", help="Whom the source cites for it (Reuters, ACLED, ...).")
@click.option("--ref", help="Your unique reference for the claim.")
@click.option("--strict", is_flag=True, help="Fail if the value or time cannot be read, or a new name is close to a known one.")
@pass_context
def claim_add(context: Context, strict: bool, **fields) -> None:
    """Add one claim, validated like an imported one.

    \b
    Example:
        ledger claim add --source reuters-2021 --subject "Wagner Group contract with Mali" \\
            --attribute price --value '$10.8 million a month' --quote "..."
    """
    from ledger import service
    from ledger.core.errors import StrictRefusal
    from ledger.readers.fields import command_line_claim

    record = command_line_claim(fields)
    try:
        report = service.add_claim(context.open(), record, actor=context.actor, strict=strict)
    except StrictRefusal as error:
        raise LedgerError(f"--strict: {error}") from None
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if report.claims_added:
        click.echo(f"Added claim {report.added_claim_ids[0]}{f' ({record.ref})' if record.ref else ''}.")
        _print_new_conflicts(context, [report])
    else:
        click.echo("This claim is already recorded; nothing added.")


@cli.command()
@output_options
@pass_context
def renormalise(context: Context, fmt: str) -> None:
    """Re-read every stored claim with the current parser and show what changed.

    Stated fields are never touched; readings and conflicts are recomputed.

    \b
    Example:
        ledger renormalise
    """
    from ledger.db.renormalise import renormalise as renormalise_claims
    from ledger.report import journal

    report = context.write(renormalise_claims)
    emit(report.changed, journal.RENORMALISE_COLUMNS, fmt)
    click.echo(journal.renormalise_summary(report), err=True)
