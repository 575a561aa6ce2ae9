"""The ``ledger`` group and what every command shares: the ledger it works on, errors as one line, dates.

Only click is imported up front: each command imports the library it needs
when it runs, so ``ledger --help`` and a one-subject query start fast.
"""

from __future__ import annotations

import getpass

import click

from ledger.core.errors import InvalidDate, LedgerError
from ledger.core.readings import PartialDate, parse_partial_date

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
            from ledger.report.hints import worded

            click.echo(f"Error: {_one_line(worded(error))}", err=True)
            ctx.exit(1)


def _one_line(text: str) -> str:
    """An error is one line on stderr, whatever text it quotes: line breaks are shown as \\n."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


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


METHOD_HELP = "support: independent origins; reliability: sources weighted by estimated reliability."
JUDGE_HELP = "Judge each origin (whom a claim is attributed to, else its outlet: a site crawled on many days is one) or each source key."

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


def say_estimate(report) -> None:
    """On stderr, where the reliability weights came from (kept, or estimated now and how to keep them)."""
    from ledger.report.consensus import estimate_line

    if line := estimate_line(report.estimate):
        click.echo(line, err=True)


def main() -> None:
    cli(prog_name="ledger")
