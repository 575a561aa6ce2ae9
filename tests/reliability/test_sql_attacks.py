"""Attacks on `ledger sql`, as a hostile user or a careless analyst would try them, on both engines.

Each attack must end with exit 1 and one `Error:` line, and leave every table
as it was (plus, where the attack aims elsewhere, no file written, no backend
stopped, no lock or setting left behind). On PostgreSQL the three levels of
guarantee are tested apart:

- structural, under any URL: run as the CI server's superuser with the
  best-effort block list switched off, so only the extended protocol, the
  described statement and the read-only transaction stand in the way;
- reader role: a role made by `ledger grant-reader`, block list off again, so
  only the server's privilege checks stand in the way of superuser escapes;
- best effort: the superuser, block list on.

The attack tables are counted by kind in ``ATTACKS`` (the README quotes it).
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ledger.cli import cli
from tests.conftest import PG_SKIP, postgres_database
from tests.reliability.conftest import LEDGER, assert_refused, child_env, invoke, ledger_command, snapshot

CLAIMS = """\
sources:
  - {key: s, title: T, published: 2020-01-01}
claims:
  - {ref: r1, source: s, subject: Mali, attribute: troops_deployed, value: '1,000'}
  - {ref: r2, source: s, subject: Mali, attribute: price, value: '$5 million'}
"""
ENDLESS = "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"



def assert_sql_refused(result, *needles: str) -> None:
    """Refused by `ledger sql`'s own checks, the engine's or its limits, not for some unrelated reason."""
    assert_refused(result, *needles)
    assert any(reason in result.stderr for reason in ("`ledger sql`", "SQL error", "time limit")), result.stderr


# -- SQLite ------------------------------------------------------------------

SQLITE_WRITES = [
    "delete from claims",
    "update claims set value = 'x'",
    "update claims set value = 'x' returning id",
    "insert into entities(name, recorded_at) values ('x', '2020-01-01')",
    "replace into entities(id, name, recorded_at) values (1, 'x', '2020-01-01')",
    "insert into claims select * from claims",
    "with doomed as (select id from claims) delete from claims where id in (select id from doomed)",
    "/* harmless */ delete /* really */ from claims",
    "drop view claim_facts",
    "drop table journal",
    "alter table claims add column x",
    "create table t(x)",
    "create temp table t(x)",
    "create temp view v as select 1",
    "create index pwned on claims(value)",
    "create trigger t after insert on claims begin delete from journal; end",
    "vacuum",
    "vacuum into '/tmp/ledger-sql-attack.db'",
    "reindex",
    "analyze",
]
SQLITE_STACKED = [
    "select 1; delete from claims",
    "select 1;delete from claims;",
    "commit; delete from claims",
]
SQLITE_TRANSACTIONS = ["begin immediate", "commit", "rollback", "savepoint s", "release s", "end"]
SQLITE_OUTSIDE = [
    "attach database ':memory:' as other",
    "attach database '/tmp/ledger-sql-attack.db' as other",
    "detach database main",
    "select load_extension('mod_spatialite')",
    "select writefile('/tmp/ledger-sql-attack.txt', 'x')",
    "select readfile('/etc/passwd')",
    "select fts3_tokenizer('simple')",
    "pragma query_only = 0",
    "pragma journal_mode = delete",
    "pragma writable_schema = 1",
    "pragma user_version = 7",
    "pragma wal_checkpoint(truncate)",
    "pragma temp_store_directory = '/tmp'",
]
SQLITE_BOUNDS = [
    ENDLESS,
    "select randomblob(1000000000)",
    "select zeroblob(2000000000)",
    "with recursive r(s) as (select 'x' union all select s || s from r) select length(s) from r",
]


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sql-attacks")
    path = folder / "ledger.db"
    assert invoke(path, "init").exit_code == 0
    (folder / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    assert invoke(path, "import", folder / "claims.yaml").exit_code == 0
    gc.collect()  # close the in-process connections before folding the WAL into the file
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@pytest.fixture
def sqlite_ledger(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    path.write_bytes(sqlite_template.read_bytes())
    return path


@pytest.mark.parametrize("statement", SQLITE_WRITES + SQLITE_STACKED + SQLITE_TRANSACTIONS + SQLITE_OUTSIDE)
def test_sqlite_attack_is_refused_and_changes_nothing(sqlite_ledger: Path, statement: str):
    before = snapshot(sqlite_ledger)
    assert_sql_refused(invoke(sqlite_ledger, "sql", statement))
    assert snapshot(sqlite_ledger) == before
    assert not Path("/tmp/ledger-sql-attack.db").exists() and not Path("/tmp/ledger-sql-attack.txt").exists()


@pytest.mark.parametrize("statement", SQLITE_BOUNDS)
def test_sqlite_runaway_query_is_stopped(sqlite_ledger: Path, statement: str):
    """Endless recursion stops at --timeout; huge values stop at SQLite's length limit, not after a gigabyte."""
    assert_sql_refused(invoke(sqlite_ledger, "sql", statement, "--timeout", "0.5"))


def test_sqlite_timeout_names_the_option(sqlite_ledger: Path):
    assert_refused(invoke(sqlite_ledger, "sql", ENDLESS, "--timeout", "0.2"), "time limit of 0.2 s", "--timeout")


def _open_count(pid: int, path: Path) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd) == str(path)
        except OSError:
            pass
    return count


def _wait_for(condition, what: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see when the query has started")
def test_sqlite_ctrl_c_stops_the_query_and_exits_130(sqlite_ledger: Path):
    child = subprocess.Popen(
        ledger_command(sqlite_ledger, "sql", ENDLESS, "--timeout", "600"),
        env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:  # the schema check's connection, then the query's: Ctrl-C is handled from before the second opens
        _wait_for(lambda: _open_count(child.pid, sqlite_ledger.resolve()) >= 2, "the query's connection")
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130, stderr
    assert stderr.strip() == "Interrupted: the query was stopped."


# -- PostgreSQL ----------------------------------------------------------------

PG_STACKED = [
    "commit; update claims set value='$99 million a month' where id=2",
    "select 1; commit; delete from journal where seq=1",
    "commit; create table pwned(x int)",
    "lock table journal in access exclusive mode; select pg_sleep(40)",
    "select 1; delete from claims",
    "/* hi */ commit /* there */; delete from claims",
    "rollback; delete from claims",
    "select 1;;commit;insert into entities(name, recorded_at) values ('x', now())",
]
PG_TRANSACTION_ESCAPES = [
    "commit",
    "rollback",
    "end",
    "abort",
    "commit and chain",
    "begin read write",
    "start transaction read write",
    "savepoint s",
    "release s",
    "prepare transaction 'ledger-attack'",
    "set transaction read write",
    "set transaction_read_only = off",
    "set local transaction_read_only = off",
    "set session characteristics as transaction read write",
    "set default_transaction_read_only = off",
    "select set_config('transaction_read_only', 'off', true)",
    "set statement_timeout = 0",
    "reset all",
    "discard all",
    "set role none",
]
PG_WRITES = [
    "delete from claims",
    "update claims set value = 'x'",
    "update claims set value = 'x' returning id",
    "insert into entities(name, recorded_at) values ('x', now()) returning id",
    "with gone as (delete from claims returning id) select count(*) from gone",
    "with gone as (update journal set actor = 'x' returning seq) select * from gone",
    "merge into entities e using (select 1 as id) s on e.id = s.id when matched then delete",
    "select 1 into scratch",
    "create table pwned(x int)",
    "create temp table pwned(x int)",
    "create table pwned as select * from claims",
    "drop table journal cascade",
    "truncate journal",
    "alter table claims disable trigger all",
    "select nextval('claims_id_seq')",
    "select setval('claims_id_seq', 1)",
    "select * from claims for update",
    "vacuum claims",
    "analyze claims",
    "comment on table claims is 'pwned'",
    "grant all on claims to public",
    "create function pwned() returns int language sql as 'select 1'",
    "do $$ begin delete from claims; end $$",
    "call pg_catalog.pg_sleep(0)",
    "explain analyze delete from claims",
    "select * from claims; delete from claims",
    "copy claims from program 'echo 1'",
    "copy claims from '/etc/hostname'",
]
PG_LOCKS = [
    "lock table journal in access exclusive mode",
    "lock table claims",
    "lock table claims in share mode nowait",
]
PG_LEFTOVERS = [  # queries that may run, but nothing they take or set may outlive them
    "select pg_advisory_lock(4242)",
    "select pg_advisory_lock_shared(4242)",
    "select pg_advisory_xact_lock(4242)",
    "select set_config('default_transaction_read_only', 'off', false)",
    "select set_config('statement_timeout', '0', false)",
    "select pg_sleep(0.1), count(*) from claims",
]
PG_SUPERUSER_ESCAPES = [
    "copy (select 1) to program 'touch {marker}'",
    "copy (select 1) to '{marker}'",
    "copy claims to '{marker}'",
    "copy claims from program 'touch {marker}'",
    "do $$ begin perform 1; end $$",
    "select pg_read_file('/etc/hostname')",
    "select pg_catalog.pg_read_file('/etc/hostname')",
    'select "pg_read_file"(\'/etc/hostname\')',
    "select * from pg_read_file('/etc/hostname')",
    "select pg_read_binary_file('/etc/hostname')",
    "select pg_ls_dir('.')",
    "select pg_stat_file('/etc/hostname')",
    "select lo_import('/etc/hostname')",
    "select lo_export(1, '{marker}')",
    "select lo_from_bytea(0, 'x')",
    "select dblink_exec('dbname=postgres', 'create table pwned(x int)')",
    "select * from dblink('dbname=postgres', 'select 1') as t(x int)",
    "select pg_terminate_backend({victim})",
    "select pg_cancel_backend({victim})",
    "select pg_reload_conf()",
    "select pg_rotate_logfile()",
    "select set_config('statement_timeout', '0', false), pg_sleep(0)",
    "select query_to_xml('select pg_read_file(''/etc/hostname'')', true, true, '')",
    "select ts_stat('select pg_read_file(''/etc/hostname'')::tsvector')",
    "explain analyze select pg_read_file('/etc/hostname')",
    "with f as (select pg_read_file('/etc/hostname') as t) select * from f",
    "select (select pg_terminate_backend({victim}))",
    "select x from claims, lateral (select pg_read_file('/etc/hostname')) as f(x)",
    "select pg_create_restore_point('x')",
    "select pg_switch_wal()",
]
PG_ROLE_ESCAPES = [  # no longer refused by the block list (switched off): the server's privileges must refuse them
    "select pg_read_file('/etc/hostname')",
    "select pg_read_binary_file('/etc/hostname')",
    "select pg_ls_dir('.')",
    "select pg_stat_file('/etc/hostname')",
    "select lo_import('/etc/hostname')",
    "select lo_export(1, '{marker}')",
    "select pg_terminate_backend({victim})",
    "select pg_cancel_backend({victim})",
    "select pg_reload_conf()",
    "select pg_rotate_logfile()",
    "select * from pg_authid",
    "select query_to_xml('select pg_read_file(''/etc/hostname'')', true, true, '')",
    "select pg_create_restore_point('x')",
    "select pg_switch_wal()",
]
PG_BOUNDS = [  # --timeout 0.5
    "select pg_sleep(1000)",
    "select set_config('statement_timeout', '0', true), pg_sleep(1000)",
    ENDLESS,
]

ATTACKS = {
    "SQLite writes": len(SQLITE_WRITES),
    "SQLite stacked statements": len(SQLITE_STACKED),
    "SQLite transaction commands": len(SQLITE_TRANSACTIONS),
    "SQLite reaching outside (ATTACH, files, extensions, PRAGMA)": len(SQLITE_OUTSIDE),
    "SQLite runaway queries and Ctrl-C": len(SQLITE_BOUNDS) + 2,
    "PostgreSQL stacked statements": len(PG_STACKED),
    "PostgreSQL transaction and setting escapes": len(PG_TRANSACTION_ESCAPES),
    "PostgreSQL writes": len(PG_WRITES),
    "PostgreSQL locks and session leftovers": len(PG_LOCKS) + len(PG_LEFTOVERS),
    "PostgreSQL runaway queries, lock waits, Ctrl-C, a killed backend": len(PG_BOUNDS) + 4,
    "PostgreSQL superuser escapes (block list)": len(PG_SUPERUSER_ESCAPES),
    "PostgreSQL escapes under a reader role (privileges)": len(PG_ROLE_ESCAPES) + 3,
}

needs_pg = pytest.mark.skipif(not os.environ.get("LEDGER_TEST_PG_URL"), reason=PG_SKIP)


def ledger(url: str, *args: str):
    return CliRunner().invoke(cli, ["--db", url, *args])


def pg_snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows, the schema's tables, and the database's roles."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = connection.execute(text("select tablename from pg_tables where schemaname = 'public'")).scalars().all()
            state = {}
            for table in sorted(tables):
                rows = sorted(repr(row) for row in connection.execute(text(f'select * from "{table}"')))
                state[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
            state["<settings>"] = connection.execute(text("select current_setting('statement_timeout')")).one()
            state["<large objects>"] = connection.execute(text("select count(*) from pg_largeobject_metadata")).one()
            state["<prepared>"] = connection.execute(text("select count(*) from pg_prepared_xacts")).one()
            return state
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def pg_ledger(tmp_path_factory):
    if not os.environ.get("LEDGER_TEST_PG_URL"):
        pytest.skip(PG_SKIP)
    url, drop = postgres_database(f"ledger_attack_{uuid.uuid4().hex[:12]}")
    claims = tmp_path_factory.mktemp("pg-attacks") / "claims.yaml"
    claims.write_text(CLAIMS, encoding="utf-8")
    assert ledger(url, "init").exit_code == 0
    assert ledger(url, "import", str(claims)).exit_code == 0
    yield url
    from sqlalchemy.orm import close_all_sessions

    close_all_sessions()
    drop()


@pytest.fixture
def no_block_list(monkeypatch):
    """Switch off the best-effort check, so a test sees what the structural guarantees alone hold."""
    monkeypatch.setattr("ledger.db.readonly_sql.postgres.refuse_known_escapes", lambda sql: None)


@pytest.fixture
def marker():
    """A path the database server could write to (pytest's own folders are closed to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="ledger-sql-attack-"))
    folder.chmod(0o777)
    yield folder / "marker"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def victim(pg_ledger):
    """Another session on the server (as a ledger writer would be), which no attack may stop."""
    engine = create_engine(os.environ["LEDGER_TEST_PG_URL"])
    connection = engine.connect()
    pid = connection.execute(text("select pg_backend_pid()")).scalar_one()
    yield pid
    assert connection.execute(text("select 1")).scalar_one() == 1, "the other session was stopped"
    connection.close()
    engine.dispose()


def _attack(url: str, statement: str, marker: Path, victim: int, *, refused: bool = True) -> None:
    before = pg_snapshot(url)
    result = ledger(url, "sql", statement.format(marker=marker, victim=victim))
    if refused:
        assert_sql_refused(result)
    assert pg_snapshot(url) == before
    assert not marker.exists()
    _assert_nothing_left_behind(url)


def _assert_nothing_left_behind(url: str) -> None:
    """No lock held and no transaction open on the ledger's database once `ledger sql` has returned."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            locks = connection.execute(text(
                "select count(*) from pg_locks l join pg_stat_activity a using (pid) "
                "where a.datname = current_database() and a.backend_type = 'client backend' "
                "and l.pid <> pg_backend_pid() and l.locktype <> 'virtualxid'"
            )).scalar_one()
            open_transactions = connection.execute(text(
                "select count(*) from pg_stat_activity where datname = current_database() "
                "and backend_type = 'client backend' and pid <> pg_backend_pid() and xact_start is not null"
            )).scalar_one()
    finally:
        engine.dispose()
    assert (locks, open_transactions) == (0, 0), "a lock or transaction outlived the query"


@needs_pg
@pytest.mark.parametrize("statement", PG_STACKED + PG_TRANSACTION_ESCAPES + PG_WRITES + PG_LOCKS)
def test_pg_structural_guarantees_hold_without_the_block_list(pg_ledger, no_block_list, victim, marker, statement):
    """Superuser URL, block list off: one statement, returning rows, read-only, nothing outlives it."""
    _attack(pg_ledger, statement, marker, victim)


@needs_pg
@pytest.mark.parametrize("statement", PG_LEFTOVERS)
def test_pg_nothing_outlives_the_query(pg_ledger, no_block_list, victim, marker, statement):
    _attack(pg_ledger, statement, marker, victim, refused=False)


@needs_pg
@pytest.mark.parametrize("statement", PG_SUPERUSER_ESCAPES + PG_STACKED + PG_TRANSACTION_ESCAPES + PG_WRITES + PG_LOCKS)
def test_pg_block_list_refuses_superuser_escapes(pg_ledger, victim, marker, statement):
    _attack(pg_ledger, statement, marker, victim)


@needs_pg
def test_pg_query_ends_its_transaction_before_its_connection_closes(pg_ledger, monkeypatch):
    """The server aborts a closed session's transaction a moment after the close, when another session may still
    see it open (a check made just after an attack did, once in CI). `ledger sql` rolls it back first: here no
    connection is closed at all, and still no transaction is left open once the command has returned."""
    import psycopg

    kept_open = []
    monkeypatch.setattr(psycopg.Connection, "close", kept_open.append)
    try:
        result = ledger(pg_ledger, "sql", "select count(*) from claims")
        assert result.exit_code == 0, result.output
        _assert_nothing_left_behind(pg_ledger)
    finally:
        monkeypatch.undo()
        for connection in kept_open:
            connection.close()


@pytest.mark.parametrize("terms", [1_000, 50_000])
def test_block_list_refuses_deep_nesting_without_crashing(terms):
    """pglast's Python tree for `select 1+1+...+1` used to overflow the C stack: a segfault, not an error."""
    from ledger.core.errors import ReadOnlyViolation
    from ledger.db.readonly_sql.escapes import refuse_known_escapes

    with pytest.raises(ReadOnlyViolation, match="too deeply|stack depth"):
        refuse_known_escapes("select " + "+".join(["1"] * terms))


@pytest.fixture(scope="module")
def reader_url(pg_ledger):
    """The ledger's URL as a fresh role made by `ledger grant-reader --execute`."""
    role = f"reader_{uuid.uuid4().hex[:8]}"
    result = ledger(pg_ledger, "grant-reader", role, "--execute")
    assert result.exit_code == 0, result.output
    yield make_url(pg_ledger).set(username=role, password=None).render_as_string(hide_password=False)
    database = make_url(pg_ledger).database
    admin = create_engine(pg_ledger, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:  # the role owns nothing; its grants go with the database
        connection.execute(text(f'DROP OWNED BY "{role}"'))
        connection.execute(text(f'REVOKE ALL ON DATABASE "{database}" FROM "{role}"'))
    admin.dispose()
    drop_role = create_engine(os.environ["LEDGER_TEST_PG_URL"], isolation_level="AUTOCOMMIT")
    with drop_role.connect() as connection:
        connection.execute(text(f'DROP ROLE "{role}"'))
    drop_role.dispose()


@needs_pg
def test_reader_role_reads_the_ledger(reader_url):
    result = ledger(reader_url, "sql", "select count(*) as n from claim_facts", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["n", "2"]
    assert ledger(reader_url, "conflicts").exit_code == 0


@needs_pg
@pytest.mark.parametrize("statement", PG_ROLE_ESCAPES + PG_WRITES)
def test_reader_role_refuses_escapes_without_the_block_list(reader_url, no_block_list, victim, marker, statement):
    _attack(reader_url, statement, marker, victim)


@needs_pg
@pytest.mark.parametrize("statement", [
    "insert into entities(name, recorded_at) values ('x', now())",
    "create table public.pwned(x int)",
    "set default_transaction_read_only = off; delete from journal",
])
def test_reader_role_cannot_write_even_outside_ledger_sql(pg_ledger, reader_url, statement):
    """The role's own privileges, through a plain connection that `ledger sql` does not guard."""
    before = pg_snapshot(pg_ledger)
    engine = create_engine(reader_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection, pytest.raises(Exception, match="permission denied|read-only"):
            connection.exec_driver_sql(statement)
    finally:
        engine.dispose()
    assert pg_snapshot(pg_ledger) == before


@needs_pg
def test_grant_reader_prints_select_only_sql(pg_ledger):
    result = ledger(pg_ledger, "grant-reader", "analyst")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith('CREATE ROLE "analyst" LOGIN NOSUPERUSER')
    grants = [line for line in lines if line.startswith("GRANT ")]
    assert 'GRANT SELECT ON "public"."claim_facts" TO "analyst";' in grants
    assert all("SELECT ON" in line for line in grants if "CONNECT" not in line and "USAGE" not in line)
    assert not any(word in result.stdout for word in ("INSERT", "UPDATE", "DELETE", "ALL PRIVILEGES"))


@needs_pg
def test_grant_reader_refuses_an_existing_role_and_bad_names(pg_ledger):
    assert_refused(ledger(pg_ledger, "grant-reader", "ledger", "--execute"), "already exists")
    bad = ledger(pg_ledger, "grant-reader", 'x"; drop table claims; --')
    assert bad.exit_code == 2 and "not a plain role name" in bad.stderr


def test_grant_reader_is_for_postgresql(sqlite_ledger: Path):
    assert_refused(invoke(sqlite_ledger, "grant-reader", "analyst"), "PostgreSQL")


@needs_pg
@pytest.mark.parametrize("statement", PG_BOUNDS)
def test_pg_runaway_query_is_stopped(pg_ledger, no_block_list, statement):
    assert_refused(ledger(pg_ledger, "sql", statement, "--timeout", "0.5"), "time limit of 0.5 s", "--timeout")


@needs_pg
def test_pg_lock_wait_is_bounded(pg_ledger):
    """A writer holding an exclusive lock: the query gives up at --timeout instead of queueing forever."""
    engine = create_engine(pg_ledger)
    try:
        with engine.connect() as holder:
            holder.execute(text("lock table claims in access exclusive mode"))
            result = ledger(pg_ledger, "sql", "select count(*) from claims", "--timeout", "0.5")
            holder.rollback()
    finally:
        engine.dispose()
    assert_refused(result, "time limit of 0.5 s")


@needs_pg
def test_pg_timeouts_are_set_for_the_transaction_only(pg_ledger):
    result = ledger(pg_ledger, "sql", "select current_setting('statement_timeout') as s, "
                    "current_setting('lock_timeout') as l, current_setting('idle_in_transaction_session_timeout') as i, "
                    "current_setting('transaction_read_only') as ro", "--timeout", "7", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["s,l,i,ro", "7s,7s,7s,on"]
    assert pg_snapshot(pg_ledger)["<settings>"] == ("0",)  # the server's default, untouched


@needs_pg
def test_pg_ctrl_c_cancels_the_query_and_exits_130(pg_ledger):
    statement = "select pg_sleep(600) as ctrl_c_test"
    child = subprocess.Popen(
        [*LEDGER, "--db", pg_ledger, "sql", statement, "--timeout", "600"], env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    engine = create_engine(pg_ledger)

    def running() -> int:
        with engine.connect() as connection:
            return connection.execute(
                text("select count(*) from pg_stat_activity where query = :q and state = 'active'"), {"q": statement}
            ).scalar_one()

    try:
        _wait_for(lambda: running() == 1, "the query to start on the server")
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=30)
        assert child.returncode == 130, stderr
        assert stderr.strip() == "Interrupted: the query was stopped."
        _wait_for(lambda: running() == 0, "the server to stop the query", limit=10)
    finally:
        child.kill()
        engine.dispose()


@needs_pg
def test_pg_ctrl_c_as_the_statement_arrives_still_stops_it(pg_ledger):
    """Ctrl-C the moment the statement reaches the server (being described, or just sent to run): PostgreSQL drops
    a cancel request that arrives between protocol messages, so one request is not always enough."""
    statement = "select pg_sleep(600) as early_ctrl_c_test"
    child = subprocess.Popen([*LEDGER, "--db", pg_ledger, "sql", statement, "--timeout", "600"], env=child_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    engine = create_engine(pg_ledger)

    def seen(state: str = "%") -> int:
        with engine.connect() as connection:
            return connection.execute(
                text("select count(*) from pg_stat_activity where query = :q and state like :s"),
                {"q": statement, "s": state},
            ).scalar_one()

    try:
        _wait_for(lambda: seen() == 1, "the statement to reach the server", limit=60)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=30)
        assert child.returncode == 130, stderr
        assert stderr.strip() == "Interrupted: the query was stopped."
        _wait_for(lambda: seen("active") == 0, "the server to stop the query", limit=10)
    finally:
        child.kill()
        engine.dispose()


@needs_pg
def test_pg_cancel_requests_go_on_until_the_query_stops(pg_ledger):
    import threading

    import psycopg

    from ledger.db.readonly_sql.postgres import keep_cancelling

    conninfo = make_url(pg_ledger).set(drivername="postgresql").render_as_string(hide_password=False)
    outcome: list[BaseException] = []
    with psycopg.connect(conninfo, autocommit=True) as busy:
        def run() -> None:
            try:
                busy.execute("select pg_sleep(600) as cancelled_test")
            except BaseException as error:  # noqa: BLE001 - the test reads what it was
                outcome.append(error)

        worker = threading.Thread(target=run)
        worker.start()
        engine = create_engine(pg_ledger)
        try:
            _wait_for(lambda: _active(engine, "select pg_sleep(600) as cancelled_test") == 1, "the query to start")
            keep_cancelling(busy, every=0.1, tries=100)
            worker.join(timeout=10)
            assert not worker.is_alive()
            assert isinstance(outcome[0], psycopg.errors.QueryCanceled)
        finally:
            engine.dispose()


def _active(engine, statement: str) -> int:
    with engine.connect() as connection:
        return connection.execute(
            text("select count(*) from pg_stat_activity where query = :q and state = 'active'"), {"q": statement}
        ).scalar_one()



def test_the_readme_counts_the_attacks():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"The suite holds {sum(ATTACKS.values())} attacks" in readme


@needs_pg
def test_pg_backend_killed_mid_query_is_one_line(pg_ledger):
    """An administrator ends the session (or the server restarts) while the query runs."""
    statement = "select pg_sleep(600) as killed_test"
    child = subprocess.Popen([*LEDGER, "--db", pg_ledger, "sql", statement, "--timeout", "600"], env=child_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    engine = create_engine(pg_ledger)

    def backend() -> int | None:  # a new transaction each time: pg_stat_activity is a snapshot per transaction
        with engine.connect() as connection:
            return connection.execute(
                text("select pid from pg_stat_activity where query = :q and state = 'active'"), {"q": statement}
            ).scalar()

    try:
        _wait_for(lambda: backend() is not None, "the query to start")
        with engine.connect() as connection:
            connection.execute(text("select pg_terminate_backend(:pid)"), {"pid": backend()})
        _, stderr = child.communicate(timeout=30)
    finally:
        child.kill()
        engine.dispose()
    assert child.returncode == 1, stderr
    assert stderr.startswith("Error: database ") and len(stderr.splitlines()) == 1, stderr
    assert "terminating connection" in stderr
