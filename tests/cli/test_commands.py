"""Every listing command in every format, read-only SQL, and the schema-at-head guard."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from ledger.cli import cli


def test_sources_table_json_csv(loaded):
    table = loaded("sources")
    assert table.exit_code == 0
    assert "test-article" in table.stdout and "Test Outlet" in table.stdout
    rows = json.loads(loaded("sources", "--format", "json").stdout)
    assert rows[0]["key"] == "test-article" and rows[0]["published"] == "2021-09-14" and rows[0]["claims"] == 2
    parsed = list(csv.DictReader(io.StringIO(loaded("sources", "--format", "csv").stdout)))
    assert parsed[0]["title"] == "Mercenaries and money"


def test_claims_filters(loaded):
    def refs(*args):
        return [r["ref"] for r in json.loads(loaded("claims", *args, "--format", "json").stdout)]

    assert refs() == ["rifles", "wagner-fee"]
    assert refs("--attribute", "price") == ["wagner-fee"]
    assert refs("--subject", "Kalashnikov") == ["rifles"]
    assert refs("--source", "Test Outlet", "--status", "active") == ["rifles", "wagner-fee"]
    assert refs("--status", "retracted") == []


def test_claims_json_has_stable_keys(loaded):
    row = json.loads(loaded("claims", "--format", "json").stdout)[0]
    assert list(row) == [
        "id", "ref", "source", "outlet", "published", "subject", "subject_as_written", "attribute",
        "value", "when", "low", "high", "unit", "currency", "period", "quote", "attributed_to", "status",
    ]


def test_claims_table_shows_quotes(loaded):
    out = loaded("claims", "--subject", "Kalashnikov deal").stdout
    assert "In 2012 Mali bought 3,000 Kalashnikov weapons" in out


def test_claim_add_validates_like_import(loaded, db_path):
    ok = loaded(
        "claim", "add", "--source", "test-article", "--subject", "French deployment",
        "--attribute", "troops_deployed", "--value", "several thousand",
        "--quote", "France has several thousand troops in the Sahel", "--ref", "fr-troops",
    )
    assert ok.exit_code == 0, ok.output
    assert "(fr-troops)" in ok.stdout
    again = loaded(
        "claim", "add", "--source", "test-article", "--subject", "French deployment",
        "--attribute", "troops_deployed", "--value", "several thousand",
        "--quote", "France has several thousand troops in the Sahel", "--ref", "fr-troops",
    )
    assert "already recorded" in again.stdout
    bad = loaded(
        "claim", "add", "--source", "test-article", "--subject", "x", "--attribute", "y",
        "--value", "5", "--quote", "not in the article",
    )
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: command line: claim.quote: not found")
    unknown = loaded("claim", "add", "--source", "nope", "--subject", "x", "--attribute", "y", "--value", "5")
    assert unknown.exit_code == 1 and "unknown source 'nope'" in unknown.stderr


def test_sql_answers_queries(loaded):
    result = loaded("sql", "select count(*) as n from claim_facts", "--format", "json")
    assert json.loads(result.stdout) == [{"n": 2}]


WRITES = [
    "delete from claims",
    "update claims set value = 'x'",
    "insert into entities(name, recorded_at) values ('x', '2020-01-01')",
    "with doomed as (select id from claims) delete from claims where id in (select id from doomed)",
    "select 1; delete from claims",
    "/* harmless */ delete /* really */ from claims",
    "drop view claim_facts",
    "attach database ':memory:' as other",
    "select load_extension('mod_spatialite')",
    "pragma query_only = 0",
    "pragma journal_mode = delete",
    "vacuum",
    "create table t(x)",
]


@pytest.mark.parametrize("statement", WRITES)
def test_sql_refuses_writes_and_changes_nothing(loaded, db_path, statement):
    before = sqlite3.connect(db_path).execute("select count(*) from claims").fetchone()
    result = loaded("sql", statement)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output
    assert sqlite3.connect(db_path).execute("select count(*) from claims").fetchone() == before


def test_sql_allows_schema_introspection(loaded):
    result = loaded("sql", "pragma table_info(claims)", "--format", "json")
    assert result.exit_code == 0
    assert "quote" in {row["name"] for row in json.loads(result.stdout)}


def test_commands_refuse_database_not_at_head(tmp_path):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    result = CliRunner().invoke(cli, ["--db", str(path), "claims"])
    assert result.exit_code == 1
    assert "run `ledger init`" in result.stderr


def test_missing_database_is_not_created(tmp_path):
    path = tmp_path / "nowhere.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "sources"])
    assert result.exit_code == 1
    assert "ledger init" in result.stderr
    assert not path.exists()


@pytest.mark.parametrize("name", ["what?.db", "issue #7.db", "100%.db"])
def test_a_path_is_never_read_as_a_url(tmp_path, claim_file, name):
    """'?', '#' and '%' are ordinary characters in a file name, not a URL query, fragment or escape."""
    path = tmp_path / name
    for args in (["init"], ["import", str(claim_file)], ["verify"]):
        result = CliRunner().invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.db")) == [name]
    with sqlite3.connect(path) as connection:
        assert connection.execute("select count(*) from claims").fetchone()[0] > 0
    result = CliRunner().invoke(cli, ["--db", str(path), "sql", "select count(*) from claims"])
    assert result.exit_code == 0 and result.output.split()[-1] != "0"


def test_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 10)
    result = CliRunner().invoke(cli, ["--db", str(path), "claims"])
    assert result.exit_code == 1
    assert "is not a SQLite database" in result.stderr
    assert path.read_text().startswith("these are my notes")


def test_debug_shows_traceback(tmp_path):
    path = tmp_path / "nowhere.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "--debug", "sources"])
    assert result.exception is not None and result.exit_code != 0


def test_entities_list_and_alias(loaded):
    rows = json.loads(loaded("entities", "--format", "json").stdout)
    assert {r["name"] for r in rows} == {"Wagner contract", "Kalashnikov deal"}
    assert "Wagner contract" in loaded("entities").stdout
    added = loaded("entities", "alias", "Wagner deal", "Wagner contract")
    assert added.exit_code == 0 and "now an alias" in added.stdout
    wagner = next(r for r in json.loads(loaded("entities", "--format", "json").stdout) if r["name"] == "Wagner contract")
    assert wagner["aliases"] == ["Wagner deal"] and wagner["claims"] == 1
    unknown = loaded("entities", "alias", "x", "Nobody")
    assert unknown.exit_code == 1 and "no entity named 'Nobody'" in unknown.stderr


def test_attributes_list_and_set(loaded):
    rows = {r["name"]: r for r in json.loads(loaded("attributes", "--format", "json").stdout)}
    assert rows["price"]["kind"] == "money" and rows["price"]["timeless"] is False
    assert loaded("attributes", "set", "price", "--timeless").exit_code == 0
    rows = {r["name"]: r for r in json.loads(loaded("attributes", "--format", "json").stdout)}
    assert rows["price"]["timeless"] is True
    assert loaded("attributes", "set", "price").exit_code == 2
    assert loaded("attributes", "set", "nothing", "--timed").exit_code == 1


def test_parse_table_and_json():
    runner = CliRunner()
    table = runner.invoke(cli, ["parse", "nearly one million euros", "--published", "2021-10"])
    assert table.exit_code == 0 and "900000" in table.stdout and "nearly" in table.stdout
    reading = json.loads(runner.invoke(cli, ["parse", "late October", "--published", "2019-07-02", "--kind", "date", "--format", "json"]).stdout)
    assert (reading["kind"], reading["low"], reading["high"]) == ("date", "2019-10-21", "2019-10-31")
    money = json.loads(runner.invoke(cli, ["parse", "6 billion CFA francs", "--published", "2021-09-13", "--format", "json"]).stdout)
    assert money["currency"] == "XOF" and round(money["converted"]["low"]) == 9_146_941
    when = json.loads(runner.invoke(cli, ["parse", "last week", "--when", "--published", "2019-07-02", "--format", "json"]).stdout)
    assert when["low"] >= "2019-06-17" and when["high"] <= "2019-07-01"
    bad = runner.invoke(cli, ["parse", "x", "--published", "2021-13"])
    assert bad.exit_code == 2 and "--published" in bad.output


def test_parse_explains_unreadable_phrases():
    result = CliRunner().invoke(cli, ["parse", "a great many", "--kind", "quantity", "--format", "json"])
    reading = json.loads(result.stdout)
    assert reading["kind"] == "unparsed" and "a great many" in reading["warning"]


def test_parse_warns_when_a_phrase_with_a_figure_reads_only_as_text():
    """Without --kind, a phrase holding a figure that reads as nothing else says so, rather than 'text' silently."""
    runner = CliRunner()
    reading = json.loads(runner.invoke(cli, ["parse", "Resolution 2584 (2021)", "--format", "json"]).stdout)
    assert reading["kind"] == "text" and "holds a figure" in reading["warning"]
    plain = json.loads(runner.invoke(cli, ["parse", "Bamako", "--format", "json"]).stdout)
    assert plain["kind"] == "text" and plain["warning"] is None


def test_renormalise_reports_nothing_changed_on_a_fresh_ledger(loaded):
    result = loaded("renormalise")
    assert result.exit_code == 0
    assert "Re-read 2 claims; 0 readings changed." in result.stderr


PG_WRITES = WRITES + [
    "set transaction read write",
    "commit; delete from claims",
    "with gone as (delete from claims returning id) select count(*) from gone",
    "select 1 into scratch",
]


@pytest.mark.parametrize("statement", PG_WRITES)
def test_sql_is_read_only_on_every_engine(run_any, claim_file, statement):
    assert run_any("import", str(claim_file)).exit_code == 0

    def claims_count():
        return json.loads(run_any("sql", "select count(*) as n from claims", "--format", "json").stdout)

    before = claims_count()
    result = run_any("sql", statement)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output
    assert claims_count() == before == [{"n": 2}]
