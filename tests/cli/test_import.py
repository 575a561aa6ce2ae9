"""Importing claim files through the CLI: good files, each kind of bad input, atomicity, idempotency."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import CLAIM_FILE, write


def counts(db_path) -> dict[str, int]:
    with sqlite3.connect(db_path) as connection:
        return {
            table: connection.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("sources", "entities", "aliases", "attributes", "claims", "readings")
        }


def test_import_records_sources_claims_and_readings(loaded, db_path):
    assert counts(db_path) == {
        "sources": 1, "entities": 2, "aliases": 2, "attributes": 2, "claims": 2, "readings": 2,
    }
    rows = json.loads(loaded("claims", "--format", "json").stdout)
    rifles = next(row for row in rows if row["ref"] == "rifles")
    assert rifles["attribute"] == "rifles_purchased"
    assert (rifles["value"], rifles["when"], rifles["low"], rifles["high"]) == ("3,000", "2012", 3000, 3000)


def test_unknown_attribute_gets_kind_inferred_from_value(loaded):
    rows = json.loads(loaded("sql", "select name, kind from attributes order by name", "--format", "json").stdout)
    assert rows == [{"name": "price", "kind": "money"}, {"name": "rifles_purchased", "kind": "quantity"}]


def test_reimport_adds_nothing_and_says_so(loaded, claim_file, db_path):
    before = counts(db_path)
    result = loaded("import", str(claim_file))
    assert result.exit_code == 0
    assert "nothing new (2 claims already recorded)" in result.stdout
    assert counts(db_path) == before


def test_known_ref_with_other_content_points_to_corrections(loaded, claim_file, db_path):
    write(claim_file, CLAIM_FILE.replace('value: "3,000"', 'value: "3,500"').replace("3,000 Kalashnikov", "3,000 Kalashnikov"))
    result = loaded("import", str(claim_file))
    assert result.exit_code == 1
    assert "claim 'rifles' is already in the ledger with different content" in result.stderr
    assert "ledger supersede rifles" in result.stderr


BAD_FILES = [
    # (what is wrong, text substitution, expected message fragment)
    ("unknown source", ("source: test-article\n    subject: Kalashnikov", "source: nowhere\n    subject: Kalashnikov"),
     "claims[1].source: unknown source 'nowhere'"),
    ("quote not in article", ("quote: In 2012 Mali bought 3,000 Kalashnikov weapons", "quote: In 2013 Mali bought 3,000 rifles"),
     "claims[1].quote: not found in source 'test-article'; nearest passage:"),
    ("impossible publication date", ("published: 2021-09-14", "published: 2021-02-30"),
     "sources[0].published: '2021-02-30' is not a real date"),
    ("missing value", ('    value: "3,000"\n', ""), "claims[1].value: is required"),
    ("unknown field", ("attributed_to: Reuters", "atributed_to: Reuters"), "claims[0]: unknown field 'atributed_to'"),
    ("bad attribute kind", ("kind: money", "kind: currency"), "attributes[0].kind: 'currency' is not a kind"),
    ("duplicate ref", ("ref: rifles", "ref: wagner-fee"), "claims[1].ref: ref 'wagner-fee' is used twice"),
    ("missing article", ("text_file: article.txt", "text_file: missing.txt"), "sources[0].text_file:"),
    ("python tag", ("title: Mercenaries and money", "title: !!python/object:os.system ls"), "YAML tag"),
    ("not yaml", ("claims:\n", "claims: [\n"), "not valid YAML"),
]


@pytest.mark.parametrize("problem, change, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_in_one_line_and_nothing_is_written(run, claim_file, db_path, problem, change, message):
    write(claim_file, CLAIM_FILE.replace(*change))
    before = counts(db_path)
    result = run("import", str(claim_file))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert str(claim_file) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert counts(db_path) == before


def test_bad_record_at_the_end_leaves_database_unchanged(run, claim_file, db_path):
    broken = CLAIM_FILE + """\
  - source: test-article
    subject: Kalashnikov deal
    attribute: rifles_purchased
    value: "4,000"
    quote: this sentence is not in the article
"""
    write(claim_file, broken)
    result = run("import", str(claim_file))
    assert result.exit_code == 1
    assert "claims[2].quote" in result.stderr
    assert counts(db_path) == {k: 0 for k in counts(db_path)}


def test_line_numbers_point_at_the_record(run, claim_file):
    write(claim_file, CLAIM_FILE.replace("source: test-article\n    subject: Kalashnikov", "source: nowhere\n    subject: Kalashnikov"))
    result = run("import", str(claim_file))
    line = CLAIM_FILE.splitlines().index("  - ref: rifles") + 1
    assert f"claims.yaml:{line}: claims[1].source" in result.stderr


def test_value_missing_from_quote_is_a_warning(run, claim_file):
    write(claim_file, CLAIM_FILE.replace('value: "3,000"', 'value: "three thousand"'))
    result = run("import", str(claim_file))
    assert result.exit_code == 0
    assert "'three thousand' does not appear in the quote" in result.stderr


def test_unreadable_value_is_kept_and_flagged_not_refused(run, claim_file, db_path):
    write(claim_file, CLAIM_FILE.replace('value: "3,000"', 'value: "3,000"\n    when: "the Tuesday after the storm"').replace('    when: "2012"\n', "", 1))
    result = run("import", str(claim_file))
    assert result.exit_code == 0, result.output
    assert "the Tuesday after the storm" in result.stderr
    strict = run("import", "--strict", str(claim_file))
    assert strict.exit_code == 0  # already recorded: strict concerns new claims only


def test_a_warning_names_the_field_it_is_about(run, claim_file):
    write(claim_file, CLAIM_FILE.replace('value: "3,000"', 'value: "3,000"\n    when: "Christmas Eve"').replace('    when: "2012"\n', "", 1))
    result = run("import", str(claim_file))
    assert result.exit_code == 0, result.output
    assert "].when: 'Christmas Eve' is not a date" in result.stderr and ".value: 'Christmas Eve'" not in result.stderr


def test_strict_refuses_unreadable_values(run, claim_file, db_path):
    unreadable = CLAIM_FILE.replace('value: "3,000"', 'value: "a great many"')
    write(claim_file, unreadable.replace("attributes:\n", "attributes:\n  - {name: rifles_purchased, kind: quantity}\n"))
    result = run("import", "--strict", str(claim_file))
    assert result.exit_code == 1
    assert "--strict" in result.stderr and "a great many" in result.stderr
    assert counts(db_path)["claims"] == 0


def test_source_with_same_text_under_new_key_is_refused(loaded, claim_file, db_path):
    write(claim_file, CLAIM_FILE.replace("key: test-article", "key: copy").replace("source: test-article", "source: copy"))
    result = loaded("import", str(claim_file))
    assert result.exit_code == 1
    assert "already recorded as source 'test-article'" in result.stderr


def test_aliases_merge_subjects(run, claim_file, db_path):
    write(claim_file, CLAIM_FILE + "entities:\n  - name: Wagner Group contract with Mali\n    aliases: [Wagner contract]\n")
    assert run("import", str(claim_file)).exit_code == 0
    rows = json.loads(run("claims", "--subject", "wagner group contract with mali", "--format", "json").stdout)
    assert [(r["subject"], r["subject_as_written"]) for r in rows] == [("Wagner Group contract with Mali", "Wagner contract")]


@pytest.mark.parametrize("escape", ["/etc/hostname", "../outside.txt"])
def test_text_file_outside_the_claim_folder_is_refused(run, claim_file, db_path, escape):
    (claim_file.parent.parent / "outside.txt").write_text("secret")
    write(claim_file, CLAIM_FILE.replace("text_file: article.txt", f"text_file: {escape}"))
    result = run("import", str(claim_file))
    assert result.exit_code == 1
    assert "leads outside the claim file's folder" in result.stderr
    assert counts(db_path)["sources"] == 0
