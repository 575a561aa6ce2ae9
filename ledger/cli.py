"""The ``ledger`` command: options in, one library call, the report layer's text out.

Only click is imported up front: each command imports the library it needs
when it runs, so ``ledger --help`` and a one-subject query start fast.
"""

from __future__ import annotations

import getpass
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ledger.core.vocabulary import JUDGES, METHODS
from ledger.core.errors import InvalidDate, LedgerError
from ledger.core.readings import ATTRIBUTE_KINDS, PartialDate, parse_partial_date
from ledger.output import echo_lines, emit, output_options

DEFAULT_DB = "ledger.db"


class LedgerGroup(click.Group):
    """Prints a LedgerError as one line on stderr and exits 1 (a traceback only with --debug)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for arg in args:  # bytes that are not UTF-8 arrive as lone surrogates, which nothing can store
            if any("\ud800" <= char <= "\udfff" for char in arg):
                raise click.UsageError(f"argument {arg!r} is not valid UTF-8 text", ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LedgerError as error:
            if ctx.params.get("debug"):
                raise
            click.echo(f"Error: {_one_line(error)}", err=True)
            ctx.exit(1)


def _one_line(error: Exception) -> str:
    """An error is one line on stderr, whatever text it quotes: line breaks are shown as \\n."""
    return str(error).replace("\r", "\\r").replace("\n", "\\n")


class Context:
    """What every command needs: where the ledger is, and who is acting."""

    def __init__(self, db: str, actor: str):
        self.db = db
        self.actor = actor

    def open(self, *, read_only: bool = False):
        """The ledger at --db, refused unless its schema is at head."""
        from ledger.db.access import Ledger

        ledger = Ledger(self.db, read_only=read_only)
        ledger.require_head()
        return ledger

    def read(self, query, *args, **kwargs):
        """``query(session, *args, **kwargs)`` in one read transaction (one snapshot)."""
        with self.open(read_only=True).read() as session:
            return query(session, *args, **kwargs)

    def write(self, change, *args, **kwargs):
        """``change(session, *args, **kwargs)`` in one write transaction: all of it, or nothing."""
        with self.open().write() as session:
            return change(session, *args, **kwargs)


pass_context = click.make_pass_decorator(Context)


@click.group(cls=LedgerGroup)
@click.option(
    "--db", envvar="LEDGER_DB", default=DEFAULT_DB, show_default=True,
    help="SQLite file path, or a SQLAlchemy URL (env LEDGER_DB).",
)
@click.option("--as", "actor", default=None, help="Who is making the change (default: your OS user).")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="claim-ledger")
@click.pass_context
def cli(ctx: click.Context, db: str, actor: str | None, debug: bool) -> None:
    """Claim Ledger: dated claims from source articles, and where sources disagree.

    \b
    Example:
        ledger claims --subject "Wagner Group contract with Mali"
    """
    ctx.obj = Context(db, actor or _os_user())


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (some containers)
        return "unknown"


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


def _print_report(label: str, report) -> None:
    from ledger.report import imports

    echo_lines(imports.warning_lines(report), err=True)
    click.echo(imports.summary(label, report))


METHOD_HELP = "support: independent origins; reliability: sources weighted by estimated reliability."
JUDGE_HELP = "Judge each origin (whom a claim is attributed to, else its outlet: a site crawled on many days is one) or each source key."


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
        _say_estimate(report)
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
            --attribute price --value "$10.8 million a month" --quote "..."
    """
    from ledger import service
    from ledger.core.errors import StrictRefusal
    from ledger.core.records import ClaimRecord

    record = ClaimRecord(**fields)
    try:
        report = service.add_claim(context.open(), record, actor=context.actor, strict=strict)
    except StrictRefusal as error:
        raise LedgerError(f"--strict: {error}") from None
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if report.claims_added:
        click.echo(f"Added claim {report.added_claim_ids[0]}{f' ({record.ref})' if record.ref else ''}.")
    else:
        click.echo("This claim is already recorded; nothing added.")


@cli.command()
@click.argument("query")
@output_options
@pass_context
def sql(context: Context, query: str, fmt: str) -> None:
    """Run one read-only SQL query (writes are refused).

    \b
    Example:
        ledger sql "select subject, attribute, value, outlet from claim_facts limit 5"
    """
    from ledger.db.readonly_sql import run_read_only

    columns, rows = run_read_only(context.open(read_only=True), query)
    emit([dict(zip(columns, row)) for row in rows], columns, fmt)


class PartialDateType(click.ParamType):
    """A date as precise as given: YYYY, YYYY-MM or YYYY-MM-DD (exit 2 naming the option otherwise)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, PartialDate):
            return value
        try:
            return parse_partial_date(value)
        except InvalidDate as error:
            self.fail(str(error), param, ctx)


@cli.command()
@click.argument("phrase")
@click.option("--published", type=PartialDateType(), help="Publication date the phrase is read against.")
@click.option("--kind", type=click.Choice(ATTRIBUTE_KINDS), help="Read the phrase as this kind.")
@click.option("--when", "as_time", is_flag=True, help="Read the phrase as a claim's time (`when`).")
@click.option("--language", default="en", show_default=True, help="Language of the source (number separators).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def parse(phrase: str, published, kind, as_time: bool, language: str, fmt: str) -> None:
    """Show how the ledger reads a value or time phrase.

    \b
    Examples:
        ledger parse "nearly one million euros" --published 2021-10
        ledger parse "late October" --published 2019-07-02 --kind date
    """
    from ledger.core.explain import explain_phrase
    from ledger.report import phrases

    result = explain_phrase(phrase, published=published, kind=kind, as_time=as_time, language=language)
    click.echo(phrases.render(result, fmt))


@cli.command()
@click.argument("article", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "source_key", required=True, help="Key of the article's source (new, or in the ledger).")
@click.option("--published", type=PartialDateType(), help="Publication date (default: the ledger's, else a date line near the top).")
@click.option("--language", help="Language of the article (default: the ledger's, else en).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the draft here (default: stdout).")
@pass_context
def extract(context: Context, article, source_key: str, published, language, output) -> None:
    """Draft claims from an article: every figure and date the ledger reads.

    Writes a claim file marked `draft: true`, guesses as comments and nulls to
    fill in; `ledger import` refuses it until it is finished. Without ARTICLE,
    drafts from the text of a source already in the ledger.

    \b
    Examples:
        ledger extract seeds/articles/000_9122ee10dc43282d.txt --source korybko --published 2019-07-02 -o draft.yaml
        ledger extract --source gr-klomegah-2021
    """
    from ledger import drafts

    draft = drafts.extract_draft(context.db, article, source_key, published, language, output)
    if output is None:
        click.echo(draft.text, nl=False)
    click.echo(f"{draft.claims} draft claims{f' written to {output}' if output else ''}; "
               "check them, fill in the nulls, delete `draft: true`, then `ledger import`.", err=True)



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
    from ledger.db.conflicts import list_conflicts
    from ledger.report import conflicts as shown

    rows = context.read(
        list_conflicts, subject=subject, attribute=attribute, source=source, min_severity=min_severity,
        status=status or "active", nature="incomparable" if incomparable else "conflict", limit=limit,
    )
    click.echo(shown.render(rows, fmt))


@conflicts.command("show")
@click.argument("conflict_id")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
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
    _say_estimate(report)
    click.echo(shown.explanation(report) if explain and fmt == "table" else shown.render(report, fmt))


def _say_estimate(report) -> None:
    """On stderr, where the reliability weights came from (kept, or estimated now and how to keep them)."""
    if report.estimate:
        click.echo(f"reliability: {report.estimate}", err=True)


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

    emit(context.read(claim_history, ref_or_id), journal.HISTORY_COLUMNS, fmt)


@cli.command()
@click.option("--expect-head", help="A head hash recorded earlier; fails if it is no longer in the journal.")
@pass_context
def verify(context: Context, expect_head: str | None) -> None:
    """Check the journal's hash chain and that every table agrees with it.

    Exits 1 and names the first bad entry or row if anything was changed
    behind the ledger's back.

    \b
    Example:
        ledger verify --expect-head 3f5a...
    """
    from ledger.db.verify import verify as verify_ledger
    from ledger.report import journal

    report = context.read(verify_ledger, expect_head)
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


def main() -> None:
    cli(prog_name="ledger")


if __name__ == "__main__":
    sys.exit(main())
