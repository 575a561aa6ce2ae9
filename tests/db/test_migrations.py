"""Migrations: pytest-alembic's standard checks, plus upgrading a filled database keeps every row."""

from __future__ import annotations

import sqlite3
from importlib.resources import files
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from pytest_alembic.config import Config
from pytest_alembic.tests import (  # noqa: F401  (collected as tests here)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)

from ledger.db import schema
from ledger.db.engine import make_engine
from tests.conftest import copy_ledger_file


@pytest.fixture
def alembic_config():
    return Config(config_options={"script_location": str(files("ledger.migrations"))})


@pytest.fixture
def alembic_engine(tmp_path):
    return make_engine(str(tmp_path / "migrations.db"))


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(schema.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


FOUNDATION_ROWS = """
insert into sources (id, key, title, outlet, published, published_precision, language, text, sha256, recorded_at)
  values (1, 'old-article', 'Old article', 'Old Outlet', '2012', 'year', 'en',
          'Mali bought 3,000 rifles for more than € 1 million.', 'abc', '2020-01-01 00:00:00');
insert into entities (id, name, recorded_at) values (1, 'Kalashnikov deal', '2020-01-01 00:00:00');
insert into aliases (id, alias, alias_key, entity_id, recorded_at)
  values (1, 'Kalashnikov deal', 'kalashnikov deal', 1, '2020-01-01 00:00:00');
insert into attributes (id, name, kind, recorded_at) values (1, 'price', 'money', '2020-01-01 00:00:00');
insert into claims (id, ref, fingerprint, source_id, entity_id, subject, attribute_id, value, when_stated,
                    quote, attributed_to, status, recorded_at)
  values (1, 'old-price', 'f', 1, 1, 'Kalashnikov deal', 1, 'more than € 1 million', '2012',
          'Mali bought 3,000 rifles for more than € 1 million', NULL, 'active', '2020-01-01 00:00:00');
"""


@pytest.fixture(scope="module")
def filled_at(tmp_path_factory):
    """The foundation rows written at 0001 and upgraded one revision at a time, as far as asked: a file per revision.

    ``filled_at(revision)`` is that file; the tests copy it, so the walk is made once, not once a revision.
    """
    folder = tmp_path_factory.mktemp("filled")
    walk = folder / "walk.db"
    engine = make_engine(str(walk))
    schema.upgrade(engine, "0001")
    with sqlite3.connect(walk) as connection:
        connection.executescript(FOUNDATION_ROWS)
    connection.close()
    order, copies = revisions(), {}

    def at(revision: str) -> Path:
        for step in order[: order.index(revision) + 1]:
            if step not in copies:
                schema.upgrade(engine, step)
                copies[step] = copy_ledger_file(walk, folder / f"{step}.db")
        return copies[revision]

    yield at
    engine.dispose()


@pytest.mark.parametrize("start", revisions()[:-1])
def test_upgrade_from_every_revision_keeps_rows(tmp_path, start, filled_at):
    """A ledger filled at an older revision reaches head with every stated row intact."""
    path = copy_ledger_file(filled_at(start), tmp_path / "old.db")
    from ledger.db.access import Ledger

    Ledger(str(path)).init()
    with sqlite3.connect(path) as connection:
        claim = connection.execute(
            "select ref, value, when_stated, quote, status from claims"
        ).fetchall()
        facts = connection.execute("select subject, attribute, value, outlet from claim_facts").fetchall()
        readings = connection.execute("select count(*) from readings").fetchone()[0]
    assert claim == [("old-price", "more than € 1 million", "2012", "Mali bought 3,000 rifles for more than € 1 million", "active")]
    assert facts == [("Kalashnikov deal", "price", "more than € 1 million", "Old Outlet")]
    assert readings == 1  # derived readings are filled for claims recorded before they existed


def test_init_from_empty_reaches_head(tmp_path):
    from ledger.db.access import Ledger

    ledger = Ledger(str(tmp_path / "new.db"), create=True)
    assert ledger.init() == schema.head_revision()


def test_head_revision_constant_is_the_newest_migration():
    """Opening a ledger compares against HEAD_REVISION without alembic: it must be the real head."""
    assert schema.HEAD_REVISION == schema.head_revision()


def test_0007_adds_tolerance_keeping_rows_and_downgrades_only_without_one(tmp_path):
    """The column arrives empty (every attribute compares exactly, as before); a downgrade refuses to drop a set one."""
    path = tmp_path / "old.db"
    engine = make_engine(str(path))
    schema.upgrade(engine, "0006")
    with sqlite3.connect(path) as connection:
        connection.executescript(FOUNDATION_ROWS)
    schema.upgrade(engine, "0007")
    attribute = "select id, name, kind, single_valued, timeless from attributes"
    facts = "select subject, attribute, value, outlet from claim_facts"
    views = "select name, sql from sqlite_master where type = 'view' order by name"
    with sqlite3.connect(path) as connection:
        assert connection.execute("select name, tolerance from attributes").fetchall() == [("price", None)]
        kept = connection.execute(attribute).fetchall(), connection.execute(facts).fetchall()
        kept_views = connection.execute(views).fetchall()
        connection.execute("update attributes set tolerance = '5%'")
    with pytest.raises(RuntimeError, match="attributes price have a tolerance; clear each with"):
        schema.downgrade(engine, "0006")
    with sqlite3.connect(path) as connection:
        connection.execute("update attributes set tolerance = null")
    schema.downgrade(engine, "0006")
    with sqlite3.connect(path) as connection:
        assert (connection.execute(attribute).fetchall(), connection.execute(facts).fetchall()) == kept
        assert connection.execute(views).fetchall() == kept_views  # views untouched, and they still read
        assert connection.execute("select count(*) from conflict_pairs").fetchone() == (0,)
        assert connection.execute("pragma foreign_key_check").fetchall() == []
    assert [name for name, _ in kept_views] == ["claim_facts", "conflict_pairs"]
    assert kept[1] == [("Kalashnikov deal", "price", "more than € 1 million", "Old Outlet")]


def test_downgrade_below_the_names_kind_refuses_while_it_is_used(tmp_path):
    from alembic import command

    path = tmp_path / "names.db"
    engine = make_engine(str(path))
    schema.upgrade(engine, "head")
    with sqlite3.connect(path) as connection:
        connection.execute("insert into attributes (id, name, kind, recorded_at) values (1, 'authors', 'names', '2026-01-01')")
    config = schema.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        with pytest.raises(RuntimeError, match="cannot downgrade below 0009: 1 attributes or readings use the kind names"):
            command.downgrade(config, "0006")


SHARED_READINGS = """\
sources:
  - {key: a, title: Source A, outlet: Outlet A, published: 2021-09-14}
  - {key: b, title: Source B, outlet: Outlet B, published: 2021-10-01}
claims:
  - {source: a, subject: Wagner Group, attribute: fighters, value: "1,000", when: "2021"}
  - {source: b, subject: Wagner Group, attribute: fighters, value: "1000", when: "2021"}
  - {source: b, subject: Mali deal, attribute: fighters, value: "400", when: "2021"}
  - {source: a, subject: Mali deal, attribute: fighters, value: "550", when: "2021"}
"""


def test_0011_shares_readings_and_a_downgrade_gives_each_claim_its_row_again(ledger_url, run_any, tmp_path):
    """Claims read alike ("1,000", "1000") share a row; every per-claim reading and both views read the same."""
    from sqlalchemy import text

    from tests.conftest import write

    assert run_any("import", str(write(tmp_path / "shared.yaml", SHARED_READINGS))).exit_code == 0
    engine = make_engine(ledger_url)
    shown = ("select * from readings order by claim_id", "select * from claim_facts order by claim_id",
             "select * from conflict_pairs order by id")

    def snapshot():
        with engine.connect() as connection:
            return [connection.execute(text(query)).all() for query in shown]

    def table_count(name):
        with engine.connect() as connection:
            return connection.execute(text(f"select count(*) from {name}")).scalar()

    at_head = snapshot()
    assert len(at_head[0]) == 4 and at_head[2]
    assert table_count("distinct_readings") == 3
    schema.downgrade(engine, "0010")
    assert snapshot() == at_head
    schema.upgrade(engine, "head")
    assert snapshot() == at_head
    assert table_count("distinct_readings") == 3
    result = run_any("verify", "--deep")
    assert result.exit_code == 0, result.output
    engine.dispose()


def test_0012_stores_reasons_as_phrases_and_a_downgrade_writes_the_table_back(ledger_url, run_any, tmp_path):
    """The ``conflicts`` view shows every column and value the table held (a reason of any shape included),
    labels are stored once however many pairs use them, and a downgrade gives the table back."""
    from sqlalchemy import text

    from tests.conftest import write

    pairs = SHARED_READINGS + "".join(
        f'  - {{source: {source}, subject: Mali deal, attribute: fighters, value: "{value}", when: "2021"}}\n'
        for source, value in (("c", "700"), ("d", "700")))
    pairs = pairs.replace("sources:\n", "sources:\n  - {key: c, title: Source C}\n  - {key: d, title: Source D}\n")
    assert run_any("import", str(write(tmp_path / "pairs.yaml", pairs))).exit_code == 0
    engine = make_engine(ledger_url)
    shown = ("select * from conflicts order by id", "select * from conflict_pairs order by id")

    def snapshot():
        with engine.connect() as connection:
            return [connection.execute(text(query)).all() for query in shown]

    def scalar(query):
        with engine.connect() as connection:
            return connection.execute(text(query)).scalar()

    at_head = snapshot()
    assert len(at_head[0]) == 5  # 400 vs 550 and vs each 700; 550 vs each 700
    assert scalar("select count(*) from conflict_phrases") == 3 + 3  # labels of 400, 550, 700; three gaps
    assert scalar("select count(distinct detected_at) from conflicts") == scalar("select count(*) from conflict_scans") == 1
    schema.downgrade(engine, "0011")
    assert snapshot() == at_head
    with engine.begin() as connection:  # a reason not of the shape "A vs B: gap" is kept whole
        connection.execute(text("update conflicts set reason = 'odd vs: one' where id = :id"), {"id": at_head[0][0][0]})
    odd = snapshot()
    schema.upgrade(engine, "head")
    assert snapshot() == odd != at_head
    assert scalar("select count(*) from stored_conflicts where first_label_id is null") == 1
    schema.downgrade(engine, "0011")
    assert snapshot() == odd
    schema.upgrade(engine, "head")
    result = run_any("verify", "--deep")  # the odd reason is not what the rules give, and is named
    assert result.exit_code == 1 and f"conflict {at_head[0][0][0]} differs from its recomputation: reason" in result.output
    engine.dispose()


def test_0013_indexes_only_inactive_and_correcting_claims_and_queries_use_them(tmp_path):
    """The claims index by status holds only inactive claims, and ``claims --status retracted`` still finds them
    through it; a downgrade makes the full indexes again."""
    from ledger.db.access import Ledger
    from ledger.db.queries import list_claims

    path = tmp_path / "partial.db"
    engine = make_engine(str(path))
    schema.upgrade(engine, "head")
    indexes = "select name, sql from sqlite_master where name in ('ix_claims_status', 'ix_claims_supersedes_id')"

    def where_clauses():
        with sqlite3.connect(path) as connection:
            found = {name: sql.partition(" WHERE ")[2] for name, sql in connection.execute(indexes)}
        connection.close()
        return found

    assert where_clauses() == {"ix_claims_status": "status != 'active'",
                               "ix_claims_supersedes_id": "supersedes_id IS NOT NULL"}
    ledger = Ledger(str(path))
    plans = []
    with ledger.read() as session:
        from sqlalchemy import event

        @event.listens_for(session.connection(), "before_cursor_execute", retval=True)
        def explain(connection, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("SELECT") and "claims.status" in statement:
                plans.extend(row[-1] for row in cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters))
            return statement, parameters

        assert list_claims(session, status="retracted") == []
    ledger.close()
    assert any("USING INDEX ix_claims_status" in plan for plan in plans), plans
    schema.downgrade(engine, "0012")
    assert where_clauses() == {"ix_claims_status": "", "ix_claims_supersedes_id": ""}
    schema.upgrade(engine, "head")
    engine.dispose()
