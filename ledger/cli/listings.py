"""Commands that list what the ledger holds: sources, claims, entities, attributes."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.app import JUDGE_HELP, METHOD_HELP, Context, PartialDateType, cli, pass_context, say_estimate
from ledger.core.vocabulary import JUDGES, METHODS
from ledger.output import detail_options, emit, output_options


@cli.group(invoke_without_command=True)
@click.option("--reliability", is_flag=True,
              help="Show each source's reliability estimated from the data, its copies and offsets.")
@click.option("--method", type=click.Choice(METHODS), default="reliability", show_default=True,
              help="With --reliability: " + METHOD_HELP)
@click.option("--judge", type=click.Choice(JUDGES), default="outlet", show_default=True, help=JUDGE_HELP)
@output_options
@click.pass_context
def sources(ctx: click.Context, reliability: bool, method: str, judge: str, fmt: str) -> None:
    """List the sources (articles, websites, datasets) claims come from.

    With --reliability, each judged source (by default each outlet) with the
    reliability estimated from the data (see `ledger consensus`), the share of
    its contested claims that agree with the consensus, the sources it copies
    with (counted as one origin) and its systematic offsets.

    \b
    Examples:
        ledger sources --format json
        ledger sources --reliability
        ledger sources show france24-2021
        ledger sources add --text article.txt --title "…" --outlet Reuters --published 2021-09-13
    """
    if ctx.invoked_subcommand is not None:
        return
    context: Context = ctx.obj
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
@click.option("--source", help="Source key or outlet, or part of one (any case).")
@click.option("--status", type=click.Choice(["active", "retracted", "superseded"]),
              help="Only claims of this status (default: active).")
@click.option("--all", "every_status", is_flag=True, help="Retracted and superseded claims too.")
@click.option("--since", type=PartialDateType(), help="Only claims about a time reaching into DATE or later.")
@click.option("--until", type=PartialDateType(), help="Only claims about a time reaching into DATE or earlier.")
@click.option("--wide", is_flag=True, help="Show whole quotes and values in the table (cut at 60 characters otherwise).")
@output_options
@pass_context
def claims(context: Context, subject, attribute, source, status, every_status, since, until, wide, fmt: str) -> None:
    """List claims with their quotes and normalised ranges (active ones unless --all or --status).

    \b
    Examples:
        ledger claims --subject "Wagner Group contract with Mali"
        ledger claims --source "global research" --since 2021 --wide
    """
    from ledger.db import queries

    rows = context.read(
        queries.list_claims, subject, attribute, source, status or (None if every_status else "active"),
        since=since.interval().low if since else None, until=until.interval().high if until else None,
    )
    emit(rows, queries.CLAIM_COLUMNS, fmt, table_columns=queries.CLAIM_TABLE_COLUMNS, wide=wide)


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


@entities.command("suggest")
@output_options
@pass_context
def entities_suggest(context: Context, fmt: str) -> None:
    """List pairs of entities whose names are probably one thing, with the command to alias each.

    The rules are those of the near-name warnings of an import (same words,
    shortened, spelling, acronym); different numbers are never near.

    \b
    Example:
        ledger entities suggest --format csv
    """
    from ledger.db.alias_suggestions import suggest_aliases

    columns = ("entity", "name", "claims", "near", "near_name", "near_claims", "rule", "command")
    emit(context.read(suggest_aliases), columns, fmt, table_columns=("entity", "near", "rule", "command"))


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
    emit(rows, ("name", "kind", "single_valued", "timeless", "tolerance", "claims", "description"), fmt)


@attributes.command("set")
@click.argument("name")
@click.option("--single-valued/--multi-valued", default=None, help="Can only one value be true at a time?")
@click.option("--timeless/--timed", default=None, help="A fixed fact of its subject (time not compared)?")
@click.option("--tolerance", help="Widen every reading: 5% (quantity, money), 3d (date), 10min (time); 0 clears.")
@pass_context
def attributes_set(context: Context, name: str, single_valued, timeless, tolerance) -> None:
    """Set how claims of an attribute are compared; conflicts are recomputed.

    \b
    Examples:
        ledger attributes set price --timeless
        ledger attributes set troops --tolerance 5%
    """
    if single_valued is None and timeless is None and tolerance is None:
        raise click.UsageError("give --single-valued/--multi-valued, --timeless/--timed and/or --tolerance")
    from ledger.core.errors import InvalidTolerance
    from ledger.db.entities import set_rules

    try:
        changed = context.write(set_rules, name, single_valued, timeless, context.actor, tolerance)
    except InvalidTolerance as error:  # the attribute's kind decides what fits: named here, with the option
        raise click.BadParameter(str(error), param_hint="'--tolerance'") from None
    click.echo(f"{name}: {'updated; conflicts recomputed' if changed else 'unchanged'}.")


@sources.command("show")
@click.argument("key")
@detail_options
@pass_context
def sources_show(context: Context, key: str, fmt: str) -> None:
    """The article with every quoted passage marked, and the claims quoting it.

    \b
    Example:
        ledger sources show france24-2021
    """
    from ledger.db.sources import source_detail
    from ledger.report import sources as shown

    click.echo(shown.detail(context.read(source_detail, key), fmt))


@sources.command("add")
@click.option("--text", "text_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The article's text, a UTF-8 file.")
@click.option("--title", required=True, help="The article's headline.")
@click.option("--outlet", help="Who published it (Reuters, France 24, ...).")
@click.option("--published", type=PartialDateType(), help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--key", help="The source's key (default: outlet and publication date, e.g. reuters-2021-09-13).")
@click.option("--url", help="Where the article is online.")
@click.option("--language", default="en", show_default=True, help="Language of the text (decides number separators).")
@click.option("--author", help="The article's author.")
@pass_context
def sources_add(context: Context, text_file: Path, **fields) -> None:
    """Add one source (article) without writing a claim file; validated and journalled like an import.

    \b
    Example:
        ledger sources add --text reuters.txt --title "Mali junta nears deal with Wagner" \\
            --outlet Reuters --published 2021-09-13
    """
    from ledger import service

    key, added = service.add_source(context.open(), text_file, actor=context.actor, **fields)
    click.echo(f"Added source {key}." if added else f"Source {key} is already recorded; nothing added.")
