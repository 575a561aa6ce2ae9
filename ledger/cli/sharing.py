"""Finding and sharing what the ledger holds: full-text search, export, and browsing in Datasette."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.app import Context, cli, pass_context
from ledger.output import output_options


@cli.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="At most this many passages.")
@output_options
@pass_context
def search(context: Context, query: str, limit: int, fmt: str) -> None:
    """Find passages of articles, titles and quotes, with the claims quoting each.

    Every word must occur (case and accents ignored); "exact phrase" and
    prefix* work too. Best matches first.

    \b
    Examples:
        ledger search Kalashnikov
        ledger search '"Wagner group" mercenar*' --format json
    """
    from ledger.db.search import search as find
    from ledger.report import search as shown

    click.echo(shown.render(context.read(find, query, limit), fmt))


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "schema-org"]), default="jsonl", show_default=True,
              help="csv: one row per claim; jsonl: the import format; schema-org: Claim JSON-LD.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@pass_context
def export(context: Context, fmt: str, output: Path | None) -> None:
    """Export claims with their sources and readings, streamed.

    jsonl is the import format: `ledger import` of it into an empty ledger
    gives the same sources, entities, attributes, active claims and conflicts
    (article texts go to a folder beside the file). csv has one row per claim,
    any status; schema-org is schema.org Claim JSON-LD with appearance and
    firstAppearance.

    \b
    Examples:
        ledger export -o ledger.jsonl
        ledger export --format csv -o claims.csv
    """
    from ledger import service

    count, note = service.export_ledger(context.open(read_only=True), fmt, output)
    if note:
        click.echo(note, err=True)
    if output is not None:
        click.echo(f"Exported {count} claims to {output}.", err=True)


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port on 127.0.0.1.")
@pass_context
def browse(context: Context, port: int) -> None:
    """Browse the ledger read-only in Datasette, on 127.0.0.1 only.

    Every table, view and column is described; canned queries answer the
    usual questions (open conflicts, a subject's claims, a claim's history,
    ...); passage_search has a search box. Needs the `browse` extra. A
    PostgreSQL ledger: `ledger copy --to ledger.db` first (or a BI tool).

    \b
    Example:
        ledger browse --port 8001
    """
    from ledger.browse import serve, sqlite_file

    path = sqlite_file(context.open(read_only=True))
    click.echo(f"Serving {path} read-only at http://127.0.0.1:{port}/ (Ctrl-C stops it)", err=True)
    serve(path, port)
