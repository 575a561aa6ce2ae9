"""``ledger verify`` without blind spots: every stated or decided column, every derived row, forged payloads.

A rich ledger (sources, aliases, a merge, attribute rules, a retraction, a
supersession, verdicts with notes, a conflict) is edited with plain SQLite,
one column of one row at a time, over every column of every table; verify
(``--deep`` for the derived tables) must name what changed.
"""

from __future__ import annotations

import json
import sqlite3
import tracemalloc
from datetime import date

import pytest
from click.testing import CliRunner

from ledger.cli import cli
from ledger.db.journal import canonical, entry_hash
from ledger.db.models import Base
from tests.conftest import copy_ledger_file, write

RICH = """\
sources:
  - {key: a, title: Source A, outlet: Outlet A, published: 2021-09-14}
  - {key: b, title: Source B, outlet: Outlet B, published: 2021-10-01}
entities:
  - {name: Wagner Group, aliases: [Wagner, PMC Wagner]}
attributes:
  - {name: fighters, kind: quantity, description: people under arms}
  - {name: fee, kind: money, timeless: true}
claims:
  - {ref: a1, source: a, subject: Wagner, attribute: fighters, value: "1,000", when: "2021"}
  - {ref: b1, source: b, subject: Wagner Group, attribute: fighters, value: "400", when: "2021"}
  - {ref: a2, source: a, subject: Wagner Group, attribute: fee, value: "$10 million a month"}
  - {ref: b2, source: b, subject: Mali deal, attribute: fighters, value: "about 500", when: "2021"}
  - {ref: b3, source: b, subject: Malian deal, attribute: fighters, value: "600", when: "2021"}
  - {ref: a3, source: a, subject: Mali deal, attribute: fighters, value: "550", when: "2021"}
"""


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


@pytest.fixture(scope="module")
def rich_template(tmp_path_factory, template_db):
    """A ledger where every table holds rows: made once, copied per test."""
    folder = tmp_path_factory.mktemp("rich")
    db = copy_ledger_file(template_db, folder / "rich.db")
    steps = [
        ("import", str(write(folder / "rich.yaml", RICH))),
        ("--as", "alice", "entities", "alias", "Malian deal", "Mali deal"),
        ("--as", "alice", "attributes", "set", "fighters", "--timeless"),
        ("--as", "bob", "retract", "b2", "--reason", "wrong deal"),
        ("--as", "bob", "supersede", "a2", "--value", "$11 million a month", "--reason", "typo", "--ref", "a2v2"),
    ]
    for step in steps:
        result = invoke(db, *step)
        assert result.exit_code == 0, (step, result.output)
    pairs = json.loads(invoke(db, "conflicts", "--format", "json").stdout)
    assert pairs, "the rich ledger needs a conflict"
    for pair in pairs:
        assert invoke(db, "--as", "carol", "conflicts", "dismiss", pair["id"], "--note", "different counts").exit_code == 0
    assert invoke(db, "--as", "carol", "conflicts", "reopen", pairs[0]["id"]).exit_code == 0
    return db


@pytest.fixture
def rich(rich_template, tmp_path):
    return copy_ledger_file(rich_template, tmp_path / "ledger.db")


def sql(db, *statements, params=()):
    with sqlite3.connect(db) as connection:
        for statement in statements:
            connection.execute(statement, params)
    connection.close()


def rows(db, statement):
    with sqlite3.connect(db) as connection:
        found = connection.execute(statement).fetchall()
    connection.close()
    return found


def tampered(db, *args) -> str:
    result = invoke(db, "verify", *args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("TAMPERED: ")
    return result.stderr


def test_the_rich_ledger_verifies_plain_and_deep(rich):
    for args in ((), ("--deep",)):
        result = invoke(rich, "verify", *args)
        assert result.exit_code == 0, result.output
        assert "every table agrees with the journal" in result.stdout


# -- the cases of issue 16, each named -----------------------------------------------------------

def test_entity_renamed(rich):
    sql(rich, "update entities set name = 'Forged Group' where name = 'Wagner Group'")
    assert "('Forged Group') was edited: name 'Forged Group' (journal: 'Wagner Group')" in tampered(rich)


def test_claim_moved_to_another_entity(rich):
    [(claim_id,)] = rows(rich, "select id from claims where ref = 'a1'")
    sql(rich, "update claims set entity_id = (select entity_id from claims where ref = 'a3') where ref = 'a1'")
    assert f"claim {claim_id} belongs to entity" in tampered(rich)


def test_alias_re_pointed(rich):
    sql(rich, "update aliases set entity_id = (select entity_id from claims where ref = 'a3') where alias = 'PMC Wagner'")
    assert "alias 'PMC Wagner' points to entity" in tampered(rich)


def test_alias_re_pointed_with_its_claims(rich):
    """Moving an alias and every claim it resolves together still contradicts the journal."""
    target = "(select entity_id from claims where ref = 'a3')"
    sql(rich, f"update aliases set entity_id = {target} where alias = 'Wagner'",
        f"update claims set entity_id = {target} where subject = 'Wagner'")
    assert "alias 'Wagner' points to entity" in tampered(rich)


def test_reading_forged_is_caught_by_deep(rich):
    [(claim_id,)] = rows(rich, "select id from claims where ref = 'a1'")
    sql(rich, f"update distinct_readings set low = 1, high = 2 where id = (select reading_id from claims where id = {claim_id})")
    assert invoke(rich, "verify").exit_code == 0
    problems = tampered(rich, "--deep")
    assert f"reading of claim {claim_id} differs from a fresh reading: low 1.0 (re-read: 1000.0)" in problems


def test_reading_of_another_parser_version_is_not_checked_not_tampered(rich):
    sql(rich, "update distinct_readings set parser_version = '0', warning = 'read by an older parser'")
    result = invoke(rich, "verify", "--deep")
    assert result.exit_code == 0, result.output
    assert "not checked: " in result.stdout and "parser version 0" in result.stdout
    assert "run `ledger renormalise`" in result.stdout


def test_conflicts_deleted(rich):
    [(conflict_id,)] = rows(rich, "select id from conflicts where nature = 'conflict' limit 1")
    sql(rich, f"delete from stored_conflicts where id = '{conflict_id}'")
    assert f"conflict {conflict_id} (claims" in tampered(rich, "--deep")


FORGERIES = {  # column forged: the statements forging the stored row the conflicts view reads, what it then shows
    "severity": (["update stored_conflicts set severity = 0.001 where id = :id"], 0.001),
    "reason": ([
        "insert into conflict_phrases (id, phrase) values (-1, 'they agree')",
        "update stored_conflicts set first_label_id = null, second_label_id = null, gap_id = -1 where id = :id",
    ], "they agree"),
}


@pytest.mark.parametrize("column", FORGERIES)
def test_conflict_severity_or_reason_forged(rich, column):
    [(conflict_id,)] = rows(rich, "select id from conflicts where nature = 'conflict' limit 1")
    statements, shown = FORGERIES[column]
    for statement in statements:
        sql(rich, statement, params={"id": conflict_id})
    assert rows(rich, f"select {column} from conflicts where id = '{conflict_id}'") == [(shown,)]
    assert f"conflict {conflict_id} differs from its recomputation: {column}" in tampered(rich, "--deep")


@pytest.mark.parametrize("column", ["reason", "actor"])
def test_correction_reason_or_actor_forged(rich, column):
    sql(rich, f"update corrections set {column} = 'mallory' where action = 'retract'")
    assert f"{column} 'mallory' (journal: " in tampered(rich)


@pytest.mark.parametrize("column", ["actor", "note", "status"])
def test_verdict_actor_note_or_status_forged(rich, column):
    value = "confirmed" if column == "status" else "mallory"
    sql(rich, f"update conflict_verdicts set {column} = '{value}' where id = 1")
    assert "conflict verdict 1 (" in tampered(rich)
    assert f"{column} '{value}' (journal: " in tampered(rich)


def test_expect_head_reports_the_same_rows(rich):
    head = invoke(rich, "verify").stdout.split()[3]
    sql(rich, "update entities set name = 'Forged Group' where name = 'Wagner Group'")
    assert "name 'Forged Group' (journal: 'Wagner Group')" in tampered(rich, "--expect-head", head)


# -- structurally: every column of every table -------------------------------------------------------

#: Columns no check covers, and why: times rows were written (the journal entry's own time is hashed),
#: row ids the journal does not key by, and a reading's parser version (a changed version is
#: "not checked: run `ledger renormalise`", by design).
UNCHECKED = {  # times (a pair's scan_id only names its detected_at in conflict_scans, a table of times)
    "recorded_at", "detected_at", "read_at", "scan_id", "aliases.id", "corrections.id", "distinct_readings.parser_version",
}
DERIVED = {"distinct_readings", "stored_conflicts", "conflict_phrases", "claims.reading_id"}  # tables, and derived columns of other tables
TABLES = ("sources", "entities", "aliases", "attributes", "claims", "corrections", "conflict_verdicts",
          "distinct_readings", "stored_conflicts", "conflict_phrases")
ALLOWED = {  # columns under a CHECK constraint: another allowed value
    "claims.status": ("active", "retracted"), "attributes.kind": ("quantity", "text"),
    "distinct_readings.kind": ("quantity", "text"), "distinct_readings.time_basis": ("stated", "none"),
    "stored_conflicts.nature": ("conflict", "incomparable"), "corrections.action": ("retract", "supersede"),
    "conflict_verdicts.status": ("open", "confirmed"), "sources.published_precision": ("day", "year"),
}


def columns():
    for table in TABLES:
        for column in Base.metadata.tables[table].columns:
            name = f"{table}.{column.name}"
            if column.name not in UNCHECKED and name not in UNCHECKED:
                yield table, column.name


def forged(table: str, column: str, value):
    """Another value for ``column`` of its type, that its constraints accept."""
    if f"{table}.{column}" in ALLOWED:
        first, second = ALLOWED[f"{table}.{column}"]
        return second if value == first else first
    kind = Base.metadata.tables[table].columns[column].type.python_type
    if kind is bool:
        return 0 if value else 1
    if kind in (int, float):
        return (value or 0) + 1000
    if kind is date:
        return "1999-01-01" if value != "1999-01-01" else "1998-01-01"
    return (value or "") + "x"


@pytest.mark.parametrize("table, column", list(columns()), ids=[f"{t}.{c}" for t, c in columns()])
def test_every_column_edit_is_caught(rich, table, column):
    """Each row of the table in turn: editing the column must be reported (plain verify, or --deep if derived)."""
    keys = rows(rich, f"select rowid, {column} from {table} order by rowid")
    assert keys, f"the rich ledger has no {table}"
    derived = table in DERIVED or f"{table}.{column}" in DERIVED
    head = None if derived else invoke(rich, "verify").stdout.split()[3]  # of the untouched ledger: once, not per row
    for rowid, value in keys:
        db = copy_ledger_file(rich, rich.parent / f"{table}-{column}-{rowid}.db")
        sql(db, f"update {table} set {column} = ? where rowid = {rowid}", params=(forged(table, column, value),))
        tampered(db, *(("--deep",) if derived else ()))
        if not derived:
            tampered(db, "--expect-head", head)


@pytest.mark.parametrize("table", TABLES)
def test_every_deleted_or_copied_row_is_caught(rich, table):
    args = ("--deep",) if table in DERIVED else ()
    for (rowid,) in rows(rich, f"select rowid from {table}"):
        db = copy_ledger_file(rich, rich.parent / f"{table}-{rowid}.db")
        sql(db, f"delete from {table} where rowid = {rowid}")
        tampered(db, *args)


ODD_VALUES = [
    ("update distinct_readings set low_date = 'not a date'", "--deep"),
    ("update distinct_readings set low_open = 'x'", "--deep"),
    ("update sources set published = 'soon'", None),
    ("update claims set value = cast(x'ff' as text) where ref = 'a1'", None),
    ("update claims set source_id = 'a' where ref = 'a1'", None),
    ("update attributes set single_valued = 'yes'", None),
    ("update conflict_verdicts set recorded_at = 'x'", None),
    ("update entities set name = cast(x'c3' as text) where id = (select min(id) from entities)", None),
]


@pytest.mark.parametrize("statement, flag", ODD_VALUES)
def test_values_no_column_could_hold_end_in_tampered_not_a_traceback(rich, statement, flag):
    sql(rich, statement)
    tampered(rich, *([flag] if flag else []))


# -- forged and re-chained journals ---------------------------------------------------------------

def rechain(db, edit) -> None:
    """Rewrite the journal after ``edit(seq, operation, payload) -> payload``, recomputing every hash."""
    with sqlite3.connect(db) as connection:
        entries = connection.execute("select seq, recorded_at, actor, operation, payload from journal order by seq").fetchall()
        prev = "0" * 64
        for seq, recorded_at, actor, operation, payload in entries:
            payload = canonical(edit(seq, operation, json.loads(payload)))
            digest = entry_hash(prev, seq, recorded_at, actor, operation, payload)
            connection.execute("update journal set payload = ?, prev_hash = ?, hash = ? where seq = ?",
                               (payload, prev, digest, seq))
            prev = digest
    connection.close()


def test_a_rechained_journal_passes_plain_verify_and_only_the_kept_head_catches_it(rich):
    """What the README says: re-chaining passes verify by nature; a head kept outside the ledger catches it."""
    head = invoke(rich, "verify").stdout.split()[3]
    sql(rich, "update corrections set reason = 'forged' where action = 'retract'")

    def forge(seq, operation, payload):
        return dict(payload, reason="forged") if operation == "claim_retracted" else payload

    rechain(rich, forge)
    assert invoke(rich, "verify").exit_code == 0
    assert "is not in the journal" in tampered(rich, "--expect-head", head)


@pytest.mark.parametrize("which, message", [
    ("min", "journal entries {seq} and "),  # overlaps every later batch
    ("max", "of journal entry {seq} were deleted"),  # reaches past every claim
])
def test_a_forged_id_run_of_eight_billion_claims_ends_in_tampered_in_bounded_memory(rich, which, message):
    def forge(payload):
        return dict(payload, ids=[[payload["ids"][0][0], 8_000_000_000]], count=8_000_000_000)

    [(batch,)] = rows(rich, f"select {which}(seq) from journal where operation = 'claims_added'")
    rechain(rich, lambda seq, op, payload: forge(payload) if seq == batch else payload)
    tracemalloc.start()
    try:
        problems = tampered(rich)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message.format(seq=batch) in problems
    assert which == "min" or "(7,999,999," in problems
    assert peak < 50_000_000


@pytest.mark.parametrize("forgery", [
    {"ids": [[5, 3]]}, {"ids": [[1, 2]], "count": 2}, {"ids": "all"}, {"ids": [[0, 1]]}, {"digest": None},
])
def test_other_forged_claim_payloads_end_in_tampered(rich, forgery):
    first_batch = rows(rich, "select min(seq) from journal where operation = 'claims_added'")[0][0]
    rechain(rich, lambda seq, op, payload: dict(payload, **forgery) if seq == first_batch else payload)
    tampered(rich)


def test_an_old_entry_without_a_new_field_is_checked_for_what_it_has(rich):
    """attribute_added entries written before descriptions were journalled still verify."""

    def old(seq, operation, payload):
        return {k: v for k, v in payload.items() if k != "description"} if operation == "attribute_added" else payload

    rechain(rich, old)
    assert invoke(rich, "verify").exit_code == 0
    sql(rich, "update attributes set kind = 'text' where name = 'fighters'")
    assert "kind 'text' (journal: 'quantity')" in tampered(rich)
