"""Commands that list what the ledger holds: sources, claims, entities, attributes."""

from __future__ import annotations

import click

from ledger.cli.app import JUDGE_HELP, METHOD_HELP, Context, cli, pass_context, say_estimate
from ledger.core.vocabulary import JUDGES, METHODS
from ledger.output import emit, output_options


@cli.command()
@click.option("--reliability", is_flag=True,
              help="Show each source's reliability estimated from the data, its copies and offsets.")
@click.option("--method", type=click.Choice(METHODS), default="reliability", show_default=True,
              help="With --reliability: " + METHOD_HELP)
@click.option("--judge", type=click.Choice(JUDGES), default="outlet", show_default=True, help=JUDGE_HELP)
@output_options
@pass_context
def sources(context: Context, reliability: bool, method: str, judge: str, fmt: str) -> None:
    """List the sources (articles, websites, datasets) claims come from.

    With --reliability, each judged source (by default each outlet) with the
    reliability estimated from the data (see `ledger consensus`), the share of
    its contested claims that agree with the consensus, the sources it copies
    with (counted as one origin) and its systematic offsets.

    \b
    Examples:
        ledger sources --format json
        ledger sources --reliability
    """
    if reliability:
        from ledger.db.consensus import source_reliability
        from ledger.report import consensus as shown

        report = context.read(source_reliability, method=method, judge=judge)
        say_estimate(report)
        click.echo(shown.reliability(report, fmt))
        if fmt == "table":
            click.echo(shown.reliability_summary(report), err=True)
        return
    from ledger.db import queries

    rows = context.read(queries.list_sources)
    emit(rows, queries.SOURCE_COLUMNS, fmt, table_columns=("key", "outlet", "published", "claims", "title"))


@cli.command()
@click.option("--subject", help="Canonical name or any alias (falls back to a substring match).")
@click.option("--attribute", help="Attribute name, e.g. troops_deployed.")
@click.option("--source", help="Source key or outlet.")
@click.option("--status", type=click.Choice(["active", "retracted", "superseded"]))
@output_options
@pass_context
def claims(context: Context, subject, attribute, source, status, fmt: str) -> None:
    """List claims with their quotes and normalised ranges.

    \b
    Example:
        ledger claims --subject "Wagner Group contract with Mali"
    """
    from ledger.db import queries

    rows = context.read(queries.list_claims, subject, attribute, source, status)
    emit(
        rows, queries.CLAIM_COLUMNS, fmt,
        table_columns=("id", "subject", "attribute", "value", "when", "low", "high", "source", "quote"),
    )


@cli.group(invoke_without_command=True)
@output_options
@click.pass_context
def entities(ctx: click.Context, fmt: str) -> None:
    """List entities with their aliases.

    \b
    Examples:
        ledger entities
        ledger entities alias "Asmi Guetta" "Assimi Goïta"
    """
    if ctx.invoked_subcommand is not None:
        return
    from ledger.db.entities import list_entities

    rows = ctx.obj.read(list_entities)
    if fmt == "table":
        rows = [dict(row, aliases=", ".join(row["aliases"])) for row in rows]
    emit(rows, ("id", "name", "aliases", "claims"), fmt)


@entities.command("alias")
@click.argument("alias")
@click.argument("canonical")
@pass_context
def entities_alias(context: Context, alias: str, canonical: str) -> None:
    """Make ALIAS a name of CANONICAL, merging the entities if ALIAS had its own.

    \b
    Example:
        ledger entities alias "Wagner PMC" "Wagner Group"
    """
    from ledger.db.entities import add_alias

    click.echo(context.write(add_alias, alias, canonical, context.actor))


@cli.group(invoke_without_command=True)
@output_options
@click.pass_context
def attributes(ctx: click.Context, fmt: str) -> None:
    """List attributes with their kind and comparison rules.

    \b
    Examples:
        ledger attributes
        ledger attributes set role --multi-valued
    """
    if ctx.invoked_subcommand is not None:
        return
    from ledger.db.entities import list_attributes

    rows = ctx.obj.read(list_attributes)
    emit(rows, ("name", "kind", "single_valued", "timeless", "claims", "description"), fmt)


@attributes.command("set")
@click.argument("name")
@click.option("--single-valued/--multi-valued", default=None, help="Can only one value be true at a time?")
@click.option("--timeless/--timed", default=None, help="A fixed fact of its subject (time not compared)?")
@pass_context
def attributes_set(context: Context, name: str, single_valued, timeless) -> None:
    """Set how claims of an attribute are compared; conflicts are recomputed.

    \b
    Example:
        ledger attributes set price --timeless
    """
    if single_valued is None and timeless is None:
        raise click.UsageError("give --single-valued/--multi-valued and/or --timeless/--timed")
    from ledger.db.entities import set_rules

    changed = context.write(set_rules, name, single_valued, timeless, context.actor)
    click.echo(f"{name}: {'updated; conflicts recomputed' if changed else 'unchanged'}.")
