"""The journal: corrections never edit claims, history tells the story, verify catches tampering."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from ledger.cli import cli


def head(run) -> str:
    result = run("verify")
    assert result.exit_code == 0, result.output
    return result.stdout.split()[3]


def test_verify_passes_on_a_clean_ledger_and_prints_the_head(loaded):
    result = loaded("verify")
    assert result.exit_code == 0
    assert result.stdout.startswith("head: entry ")
    assert "every table agrees" in result.stdout


def test_every_change_is_journaled(loaded, db_path):
    loaded("retract", "rifles", "--reason", "wrong year")
    with sqlite3.connect(db_path) as connection:
        operations = [row[0] for row in connection.execute("select operation from journal order by seq")]
    assert operations[0] == "source_added"
    assert "claims_added" in operations and "names_added" in operations
    assert operations[-1] == "claim_retracted"


def test_actor_is_recorded(claim_file, db_path):
    CliRunner().invoke(cli, ["--db", str(db_path), "--as", "alice", "import", str(claim_file)])
    with sqlite3.connect(db_path) as connection:
        actors = {row[0] for row in connection.execute("select actor from journal")}
    assert actors == {"alice"}


def test_retract_keeps_the_claim_and_history_shows_it(loaded, db_path):
    result = loaded("retract", "rifles", "--reason", "wrong year")
    assert result.exit_code == 0
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("select value, status from claims where ref = 'rifles'").fetchone() == ("3,000", "retracted")
    story = json.loads(loaded("history", "rifles", "--format", "json").stdout)
    assert [e["event"] for e in story] == ["recorded", "retract"]
    assert "wrong year" in story[-1]["detail"]
    again = loaded("retract", "rifles", "--reason", "twice")
    assert again.exit_code == 1 and "already retracted" in again.stderr
    assert loaded("verify").exit_code == 0


def test_supersede_points_new_to_old(loaded, db_path):
    result = loaded("supersede", "rifles", "--value", "3,000", "--when", "2013", "--reason", "year was wrong", "--ref", "rifles-v2")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as connection:
        old_id, status = connection.execute("select id, status from claims where ref = 'rifles'").fetchone()
        new = connection.execute("select supersedes_id, status, when_stated from claims where ref = 'rifles-v2'").fetchone()
    assert status == "superseded" and new == (old_id, "active", "2013")
    story = json.loads(loaded("history", "rifles-v2", "--format", "json").stdout)
    assert [e["event"] for e in story] == ["recorded", "recorded", "supersede"]
    assert loaded("verify").exit_code == 0
    refused = loaded("supersede", "rifles", "--value", "1", "--reason", "x")
    assert refused.exit_code == 1 and "already superseded" in refused.stderr


def test_supersede_validates_the_new_quote(loaded):
    result = loaded("supersede", "rifles", "--value", "3,000", "--quote", "not in the article", "--reason", "x")
    assert result.exit_code == 1 and "not found in source" in result.stderr


TAMPERING = [
    ("edit a claim's value", "update claims set value = '9,999' where ref = 'rifles'", "was edited"),
    ("edit a quote", "update claims set quote = 'x' where ref = 'wagner-fee'", "was edited"),
    ("insert a claim", "insert into claims (ref, fingerprint, source_id, entity_id, subject, attribute_id, value, status, recorded_at) "
                       "select 'fake', 'f', source_id, entity_id, subject, attribute_id, '1', 'active', recorded_at from claims limit 1",
     "inserted outside the ledger"),
    ("delete a claim", "delete from claims where ref = 'rifles'", "deleted"),
    ("change a status", "update claims set status = 'retracted' where ref = 'rifles'", "the journal says 'active'"),
    ("edit a source's text", "update sources set text = text || ' extra'", "was edited"),
    ("edit a journal payload", "update journal set payload = replace(payload, '\"count\":2', '\"count\":3') where operation = 'claims_added'",
     "its hash does not match"),
    ("delete a journal entry", "delete from journal where seq = 2", "journal entry 2 is missing"),
    ("re-chain after deleting", "delete from journal where seq = 1", "journal entry 1 is missing"),
    ("add an alias", "insert into aliases (alias, alias_key, entity_id, recorded_at) select 'x', 'x', id, recorded_at from entities limit 1",
     "aliases differ"),
    ("forge a verdict", "insert into conflict_verdicts (conflict_id, status, note, actor, claim_a, claim_b, recorded_at) "
                        "values ('c-1', 'dismissed', null, 'mallory', 'a', 'b', '2020-01-01')", "verdict"),
    ("change attribute rules", "update attributes set timeless = 1 where name = 'rifles_purchased'", "attribute"),
    ("forge a tolerance", "update attributes set tolerance = '50%' where name = 'rifles_purchased'", "attribute"),
]


@pytest.mark.parametrize("case, statement, message", TAMPERING, ids=[t[0] for t in TAMPERING])
def test_verify_catches_tampering_with_plain_sqlite(loaded, db_path, case, statement, message):
    with sqlite3.connect(db_path) as connection:
        connection.executescript(statement)
    result = loaded("verify")
    assert result.exit_code == 1, result.output
    assert message in result.stderr


def test_expect_head_catches_a_truncated_tail(loaded, db_path):
    loaded("retract", "rifles", "--reason", "x")
    recorded = head(loaded)
    assert loaded("verify", "--expect-head", recorded).exit_code == 0
    with sqlite3.connect(db_path) as connection:
        connection.execute("delete from journal where seq = (select max(seq) from journal)")
        connection.execute("delete from corrections")
        connection.execute("update claims set status = 'active'")
    result = loaded("verify", "--expect-head", recorded)
    assert result.exit_code == 1 and "is not in the journal" in result.stderr


def test_expect_head_accepts_a_ledger_that_grew(loaded):
    recorded = head(loaded)
    loaded("retract", "rifles", "--reason", "x")
    assert loaded("verify", "--expect-head", recorded).exit_code == 0
