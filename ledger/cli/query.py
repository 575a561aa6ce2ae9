"""Analysts' own SQL: `ledger sql` (read-only, bounded) and the reader role for PostgreSQL."""

from __future__ import annotations

import errno
import math
import os
import sys

import click

from ledger.cli.app import Context, cli, pass_context
from ledger.core.errors import QueryTimedOut
from ledger.core.limits import ROLE_NAME, SQL_MAX_TIMEOUT_S, SQL_TABLE_ROWS, SQL_TIMEOUT_S
from ledger.output import output_options


class Seconds(click.ParamType):
    """A positive, finite number of seconds (exit 2 naming the option otherwise)."""

    name = "SECONDS"

    def convert(self, value, param, ctx):
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if not 0 < seconds <= SQL_MAX_TIMEOUT_S:  # also false for NaN
            self.fail(f"{value!r} is not a number of seconds above 0 and at most {SQL_MAX_TIMEOUT_S:g}, e.g. 30",
                      param, ctx)
        return seconds


@cli.command()
@click.argument("query")
@output_options
@click.option("--timeout", type=Seconds(), default=SQL_TIMEOUT_S, show_default=True,
              help="Stop the query after this many seconds.")
@click.option("--max-rows", type=click.IntRange(1), default=SQL_TABLE_ROWS, show_default=True,
              help="Table format: show at most this many rows (csv and json print all).")
@pass_context
def sql(context: Context, query: str, fmt: str, timeout: float, max_rows: int) -> None:
    """Run one read-only SQL query (writes are refused); Ctrl-C stops it (exit 130).

    \b
    Example:
        ledger sql "select subject, attribute, value, outlet from claim_facts limit 5"
    """
    from ledger.db.readonly_sql import run_read_only
    from ledger.output import emit_stream

    try:
        with run_read_only(context.open(read_only=True), query, timeout=timeout) as result:
            emit_stream(result.columns, result.rows, fmt, max_rows=max_rows)
    except QueryTimedOut as error:
        raise click.ClickException(f"{error}; narrow it (WHERE, LIMIT) or give it longer with --timeout") from None
    except KeyboardInterrupt:
        click.echo("Interrupted: the query was stopped.", err=True)
        sys.exit(130)
    except OSError as error:  # stdout full; a closed pipe (`| head`) is click's to handle
        if error.errno == errno.EPIPE:
            raise
        sys.stdout = open(os.devnull, "w")  # what is still buffered cannot be written either
        raise click.ClickException(f"cannot write the result: {error.strerror or error}") from None


def _role_name(_ctx, _param, value: str) -> str:
    if not ROLE_NAME.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a plain role name: use letters, digits and _, e.g. analyst")
    return value


@cli.command("grant-reader")
@click.argument("role", callback=_role_name)
@click.option("--execute", is_flag=True, help="Run the SQL (as a user allowed to create roles) instead of printing it.")
@pass_context
def grant_reader(context: Context, role: str, execute: bool) -> None:
    """Print (or run) the SQL creating a PostgreSQL ROLE that can only SELECT the ledger's tables and views.

    Give analysts that role's URL for `ledger sql`.

    \b
    Example:
        ledger --db postgresql+psycopg://admin@db.example/ledger grant-reader analyst | psql ...
    """
    from ledger.db.readonly_sql.grants import create_reader_role, reader_role_sql

    ledger = context.open(read_only=not execute)
    statements = create_reader_role(ledger, role) if execute else reader_role_sql(ledger, role)
    click.echo("\n".join(f"{statement};" for statement in statements))
    if execute:
        click.echo(f"Created role {role}; set its password with ALTER ROLE and give analysts its URL.", err=True)
