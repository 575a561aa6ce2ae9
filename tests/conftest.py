"""Shared fixtures: a fresh ledger in a temp dir, and a CLI runner bound to it."""

from __future__ import annotations

import gc
import os
import sqlite3
import textwrap
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.util import LRUCache

import ledger.db.engine
from ledger.cli import cli

# No per-example time limit: on a loaded machine (or beside another xdist worker) a first example can take
# 400 ms, and hypothesis would report a "flaky" deadline failure that says nothing about the code.
settings.register_profile("ledger", deadline=None)
settings.load_profile("ledger")

REPO = Path(__file__).resolve().parent.parent

ARTICLE = """\
Mercenaries and money

By [A. Writer](#)

Mali will pay the Wagner group 6 billion CFA francs (about 10 million dollars), a source told Reuters.
In 2012 Mali bought 3,000 Kalashnikov weapons for more than € 1 million.
France has several thousand troops in the Sahel.
"""

CLAIM_FILE = """\
sources:
  - key: test-article
    title: Mercenaries and money
    outlet: Test Outlet
    published: 2021-09-14
    text_file: article.txt
attributes:
  - name: price
    kind: money
claims:
  - ref: wagner-fee
    source: test-article
    subject: Wagner contract
    attribute: price
    value: 6 billion CFA francs (about 10 million dollars)
    quote: Mali will pay the Wagner group 6 billion CFA francs (about 10 million dollars)
    attributed_to: Reuters
  - ref: rifles
    source: test-article
    subject: Kalashnikov deal
    attribute: rifles_purchased
    value: "3,000"
    when: "2012"
    quote: In 2012 Mali bought 3,000 Kalashnikov weapons
"""


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="session", autouse=True)
def shared_sql_compilation():
    """Engines of one kind share one dialect and one compiled-statement cache, for the whole run (per worker).

    A `ledger` process opens one engine, and SQLAlchemy caches the SQL it compiles per engine; the tests run
    thousands of commands in one process, each with a new engine, and compiled the same statements again
    each time (a quarter of a small import's CPU). The compiled SQL depends on the dialect alone (one SQLite
    library, one PostgreSQL server), so the cache is shared. A dialect is shared only once a connection has
    initialised it; engines still connect, configure and pool their connections as in a `ledger` process.
    """
    create_engine = ledger.db.engine.create_engine
    dialects, compiled = {}, LRUCache(5000)

    def create_sharing(url, *args, **kwargs):
        engine = create_engine(url, *args, **kwargs)
        kind = (type(engine.dialect), None if engine.dialect.name == "sqlite" else engine.url.set(database=None))
        shared = dialects.get(kind)
        if shared is not None and "default_isolation_level" in vars(shared):  # set by its first connection
            engine.dialect = shared
        else:
            dialects[kind] = engine.dialect
        engine._compiled_cache = compiled  # keyed by dialect and statement
        return engine

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ledger.db.engine, "create_engine", create_sharing)
        yield


@pytest.fixture
def claim_file(tmp_path: Path) -> Path:
    """A small valid claim file with its article beside it."""
    write(tmp_path / "article.txt", ARTICLE)
    return write(tmp_path / "claims.yaml", CLAIM_FILE)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """One ledger initialised by `ledger init` for the whole run; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "init"])
    assert result.exit_code == 0, result.output
    return path


def copy_ledger_file(template: Path, path: Path) -> Path:
    """A copy of a SQLite ledger through SQLite's backup API (whatever is still in its WAL is included)."""
    with sqlite3.connect(template) as source, sqlite3.connect(path) as target:
        source.backup(target)
    source.close()
    target.close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """An initialised, empty ledger (a copy of the migrated template, as sqlite-utils' fresh_db)."""
    return copy_ledger_file(template_db, tmp_path / "test.db")


@pytest.fixture
def run(db_path: Path):
    """Run a ledger command against the temp ledger; returns the click Result."""

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, ["--db", str(db_path), *args], input=input)

    return invoke


@pytest.fixture
def loaded(run, claim_file):
    """The temp ledger with the small claim file imported."""
    result = run("import", str(claim_file))
    assert result.exit_code == 0, result.output
    return run


PG_SKIP = (
    "PostgreSQL tests need LEDGER_TEST_PG_URL=postgresql+psycopg://USER@HOST:PORT/DB "
    "(a server where USER may create databases); .ci/run starts one"
)


def postgres_database(name: str, template: str | None = None):
    """Create a throwaway database on the test server (a copy of ``template`` if given); return (url, drop)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(os.environ["LEDGER_TEST_PG_URL"])
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def postgres_template() -> str:
    """One PostgreSQL database initialised by `ledger init` for the whole run (per worker); tests get copies.

    Nothing stays connected to it, so ``CREATE DATABASE ... TEMPLATE`` can copy it.
    """
    if not os.environ.get("LEDGER_TEST_PG_URL"):
        pytest.skip(PG_SKIP)
    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import close_all_sessions

    name = f"ledger_template_{uuid.uuid4().hex[:12]}"
    url, drop = postgres_database(name)
    result = CliRunner().invoke(cli, ["--db", url, "init"])
    assert result.exit_code == 0, result.output
    close_all_sessions()
    gc.collect()  # let go of the init's pooled connections
    admin = create_engine(os.environ["LEDGER_TEST_PG_URL"], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                           {"name": name})
    admin.dispose()
    yield name
    drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request, tmp_path):
    """An initialised, empty ledger on each engine: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        url, drop = str(copy_ledger_file(request.getfixturevalue("template_db"), tmp_path / "test.db")), None
    else:
        if not os.environ.get("LEDGER_TEST_PG_URL"):
            pytest.skip(PG_SKIP)
        template = request.getfixturevalue("postgres_template")
        url, drop = postgres_database(f"ledger_test_{uuid.uuid4().hex[:12]}", template=template)
    yield url
    if drop:
        from sqlalchemy.orm import close_all_sessions

        close_all_sessions()
        drop()


@pytest.fixture
def run_any(ledger_url):
    """Like ``run``, on every configured engine."""

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, ["--db", ledger_url, *args], input=input)

    return invoke


@contextmanager
def sqlite_statements() -> Iterator[list[str]]:
    """Every SQL statement SQLite runs on connections opened inside (as run: what a command reads, not how)."""
    statements: list[str] = []

    def traced(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(statements.append)

    event.listen(Engine, "connect", traced)
    try:
        yield statements
    finally:
        event.remove(Engine, "connect", traced)


def counted_forks(monkeypatch) -> list[int]:
    """The pids of the children forked from here on (``os.fork`` counted), for tests of second processes."""
    made: list[int] = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    return made


def no_child_left() -> None:
    """No child process is running, nor waits to be reaped."""
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@contextmanager
def another_thread_running() -> Iterator[None]:
    """A second thread runs inside (so no child may be forked: ``forked.available``)."""
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        yield
    finally:
        done.set()
        other.join()
