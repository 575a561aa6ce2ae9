"""The same ledger on a PostgreSQL server: migrations, copy from SQLite, tampering, concurrent writers.

Runs only when LEDGER_TEST_PG_URL names a server (``.ci/run`` starts one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from ledger.cli import cli
from ledger.db import schema
from ledger.db.engine import make_engine
from ledger.seeds import build_seed_ledger
from tests.conftest import PG_SKIP, REPO, postgres_database, write

pytestmark = pytest.mark.skipif(not os.environ.get("LEDGER_TEST_PG_URL"), reason=PG_SKIP)


@pytest.fixture
def pg_url():
    url, drop = postgres_database(f"ledger_pg_{uuid.uuid4().hex[:12]}")
    yield url
    drop()


def ledger(url, *args):
    return CliRunner().invoke(cli, ["--db", url, *args])


def test_migrations_up_down_up(pg_url):
    engine = make_engine(pg_url)
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    schema.downgrade(engine, "base")
    assert schema.current_revision(engine) is None
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    engine.dispose()


def test_copy_from_sqlite_keeps_the_journal_verifiable(pg_url, tmp_path):
    seed_db = tmp_path / "ledger.db"
    build_seed_ledger(seed_db, REPO / "seeds" / "claims.yaml")
    assert ledger(str(seed_db), "estimate").exit_code == 0
    copied = ledger(str(seed_db), "copy", "--to", pg_url)
    assert copied.exit_code == 0, copied.output
    on_sqlite, on_pg = ledger(str(seed_db), "verify"), ledger(pg_url, "verify")
    assert on_pg.exit_code == 0, on_pg.output
    assert on_pg.stdout.splitlines()[0] == on_sqlite.stdout.splitlines()[0]  # same head hash
    assert json.loads(ledger(pg_url, "conflicts", "--format", "json").stdout) == json.loads(
        ledger(str(seed_db), "conflicts", "--format", "json").stdout
    )
    kept = ledger(pg_url, "sources", "--reliability", "--format", "json")  # same head: the kept estimate holds
    assert "ledger unchanged since" in kept.stderr
    on_file = ledger(str(seed_db), "sources", "--reliability", "--format", "json")
    assert json.loads(kept.stdout) == json.loads(on_file.stdout)
    again = ledger(str(seed_db), "copy", "--to", pg_url)
    assert again.exit_code == 1 and "copy into an empty database" in again.stderr


def test_tampering_on_postgres_is_caught(pg_url, claim_file):
    assert ledger(pg_url, "init").exit_code == 0
    assert ledger(pg_url, "import", str(claim_file)).exit_code == 0
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("update claims set value = '9,999' where ref = 'rifles'"))
    engine.dispose()
    result = ledger(pg_url, "verify")
    assert result.exit_code == 1 and "was edited" in result.stderr


def test_concurrent_imports_serialise_the_journal(pg_url, tmp_path):
    assert ledger(pg_url, "init").exit_code == 0
    files = []
    for n in range(4):
        claims = "".join(
            f'  - {{source: s{n}, subject: Item {i}, attribute: count, value: "{i * (n + 1)}", when: "2020"}}\n'
            for i in range(150)
        )
        files.append(write(tmp_path / f"f{n}.yaml", f"sources:\n  - {{key: s{n}, title: S{n}, published: 2020-05-0{n + 1}}}\nclaims:\n{claims}"))
    processes = [
        subprocess.Popen([sys.executable, "-m", "ledger.cli", "--db", pg_url, "import", str(f)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for f in files
    ]
    outcomes = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], outcomes
    counted = json.loads(ledger(pg_url, "sql", "select count(*) as n from claims", "--format", "json").stdout)
    assert counted == [{"n": 600}]
    assert ledger(pg_url, "verify").exit_code == 0


FOREIGN_KEYS = (
    "select conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated from pg_constraint "
    "where contype = 'f' order by 1, 2"
)


def _foreign_keys(url):
    engine = create_engine(url)
    with engine.connect() as connection:
        keys = [tuple(row) for row in connection.execute(text(FOREIGN_KEYS))]
    engine.dispose()
    return keys


def _bulk_claims(tmp_path, rows: int, last: str = ""):
    sources = write(tmp_path / "sources.jsonl", "".join(
        f'{{"type": "source", "key": "s{n}", "title": "S{n}", "published": "2020-05-0{n + 1}"}}\n' for n in range(3)
    ))
    lines = "".join(f"s{i % 3},Item {i // 3},count,{i % 3 + 1},2020\n" for i in range(rows))
    return sources, write(tmp_path / "claims.csv", "source,subject,attribute,value,when\n" + lines + last)


def test_a_bulk_import_into_an_empty_ledger_keeps_every_foreign_key(pg_url, tmp_path, monkeypatch):
    from ledger.db import store

    monkeypatch.setattr(store, "BATCH", 4)  # several batches: the keys are set aside and checked at the end
    assert ledger(pg_url, "init").exit_code == 0
    keys = _foreign_keys(pg_url)
    assert ("claims", "fk_claims_entity_id_entities", "FOREIGN KEY (entity_id) REFERENCES entities(id)", True) in keys
    sources, claims = _bulk_claims(tmp_path, 30, last="nowhere,Item 0,count,1,2020\n")
    failed = ledger(pg_url, "import", str(sources), str(claims))
    assert failed.exit_code == 1 and "unknown source 'nowhere'" in failed.stderr
    assert _foreign_keys(pg_url) == keys  # rolled back with everything else
    sources, claims = _bulk_claims(tmp_path, 30)
    imported = ledger(pg_url, "import", str(sources), str(claims))
    assert imported.exit_code == 0, imported.output
    assert "30 claims" in imported.stdout and "30 new conflicts" in imported.stdout
    assert _foreign_keys(pg_url) == keys
    assert ledger(pg_url, "verify").exit_code == 0


def test_a_row_breaking_a_set_aside_key_refuses_the_whole_load(pg_url):
    from sqlalchemy.exc import IntegrityError

    from ledger.db.bulk_keys import drop_foreign_keys, restore_foreign_keys

    assert ledger(pg_url, "init").exit_code == 0
    keys = _foreign_keys(pg_url)
    engine = create_engine(pg_url)
    with pytest.raises(IntegrityError, match="fk_stored_conflicts_claim_a_id_claims"), engine.begin() as connection:
        dropped = drop_foreign_keys(connection, ("claims", "stored_conflicts"))
        assert {name for _, name, _ in dropped} == {
            name for table, name, _, _ in keys if table in ("claims", "stored_conflicts")}
        connection.execute(text("insert into stored_conflicts values ('x', 'conflict', 1, 2, 3, 4, 5, 6, 7, 0.5, 8)"))
        restore_foreign_keys(connection, dropped)
    engine.dispose()
    assert _foreign_keys(pg_url) == keys


def test_a_writer_that_does_not_own_the_tables_keeps_the_row_by_row_checks(pg_url):
    from ledger.db.bulk_keys import drop_foreign_keys

    assert ledger(pg_url, "init").exit_code == 0
    keys = _foreign_keys(pg_url)
    role = f"ledger_writer_{uuid.uuid4().hex[:8]}"
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} NOSUPERUSER"))
        connection.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}"))
    try:
        with engine.begin() as connection:
            connection.execute(text(f"SET LOCAL ROLE {role}"))
            assert drop_foreign_keys(connection, ("claims", "stored_conflicts", "passages")) == []
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))
        engine.dispose()
    assert _foreign_keys(pg_url) == keys
