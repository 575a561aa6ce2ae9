"""`ledger export`: JSON Lines that import back into the same ledger, CSV rows, schema.org Claim JSON-LD."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from ledger.cli import cli
from tests.conftest import REPO, copy_ledger_file
from tests.test_seed_ledger import STATED

# What an export must carry over: the stated content (not row ids, not times of recording).
SAME = {
    **{name: STATED[name] for name in ("sources", "entities", "aliases", "attributes")},
    "active claims": """select c.ref, c.fingerprint, s.key, e.name, c.subject, a.name, c.value, c.when_stated,
                               c.quote, c.attributed_to
                        from claims c join sources s on s.id = c.source_id join attributes a on a.id = c.attribute_id
                        join entities e on e.id = c.entity_id where c.status = 'active' order by c.fingerprint""",
    "conflicts": "select id, nature, reason, round(severity, 9) from conflicts order by id",
}


def rows(path, query):
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchall()


@pytest.fixture
def seed(tmp_path):
    """A copy of the shipped ledger.db with one retraction and one verdict, which the import format cannot carry."""
    path = copy_ledger_file(REPO / "ledger.db", tmp_path / "seed.db")

    def run(*args):
        result = CliRunner().invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 0, result.output
        return result

    conflict_id = json.loads(run("conflicts", "--format", "json").stdout)[0]["id"]
    run("conflicts", "dismiss", conflict_id, "--note", "test")
    run("retract", "coup-2020-date-gr21", "--reason", "test")
    return path, run


def test_jsonl_export_imports_into_the_same_ledger(seed, tmp_path, db_path, run):
    path, seed_run = seed
    out = tmp_path / "export" / "ledger.jsonl"
    out.parent.mkdir()
    exported = seed_run("export", "--format", "jsonl", "-o", str(out))
    assert exported.stderr.startswith("note: retractions, supersessions and verdicts are outside the import format")
    assert "1 inactive claims, 1 corrections, 1 verdicts" in exported.stderr
    assert sorted(p.name for p in (tmp_path / "export" / "ledger-texts").iterdir()) == sorted(
        f"{sha[:16]}.txt" for (sha,) in rows(path, "select sha256 from sources where text is not null")
    )
    imported = run("import", str(out))
    assert imported.exit_code == 0, imported.output
    for name, query in SAME.items():
        assert rows(db_path, query) == rows(path, query), name
    assert rows(db_path, "select count(*) from conflicts")[0][0] > 0


def test_jsonl_lines_are_import_records(loaded):
    lines = [json.loads(line) for line in loaded("export").stdout.splitlines()]
    assert [line["type"] for line in lines] == ["attribute"] * 2 + ["source"] + ["entity"] * 2 + ["claim"] * 2
    assert lines[2] == {"type": "source", "key": "test-article", "title": "Mercenaries and money",
                        "outlet": "Test Outlet", "published": "2021-09-14", "language": "en"}
    assert lines[-1]["ref"] == "rifles" and lines[-1]["when"] == "2012"
    assert "1 article texts (give -o FILE to write them beside it)" in loaded("export").stderr


def test_csv_has_every_claim_with_source_and_reading(loaded):
    loaded("retract", "rifles", "--reason", "test")
    parsed = list(csv.DictReader(io.StringIO(loaded("export", "--format", "csv").stdout)))
    assert [(r["ref"], r["status"], r["outlet"], r["low"], r["currency"]) for r in parsed] == [
        ("wagner-fee", "active", "Test Outlet", "6000000000", "XOF"),
        ("rifles", "retracted", "Test Outlet", "3000", ""),
    ]


def test_schema_org_claims_with_appearance_and_first_appearance(loaded, tmp_path):
    out = tmp_path / "claims.jsonld"
    result = loaded("export", "--format", "schema-org", "-o", str(out))
    assert result.exit_code == 0 and result.stderr == f"Exported 2 claims to {out}.\n"
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["@context"] == "https://schema.org"
    rifles = document["@graph"][1]
    assert rifles["@type"] == "Claim" and rifles["@id"] == "urn:claim-ledger:ref:rifles"
    assert rifles["text"] == "In 2012 Mali bought 3,000 Kalashnikov weapons"
    assert rifles["temporalCoverage"] == "2012-01-01/2012-12-31"
    assert rifles["appearance"] == rifles["firstAppearance"] == {
        "@type": "CreativeWork", "@id": "urn:claim-ledger:source:test-article", "headline": "Mercenaries and money",
        "datePublished": "2021-09-14", "publisher": {"@type": "Organization", "name": "Test Outlet"},
        "inLanguage": "en",
    }
    assert document["@graph"][0]["author"] == {"name": "Reuters"}
    assert "ClaimReview" not in out.read_text(encoding="utf-8")


def test_first_appearance_is_the_earliest_source_of_the_same_figure(loaded, tmp_path):
    later = tmp_path / "later.yaml"
    later.write_text(
        "sources:\n  - {key: later, title: Later, published: 2022-01-05}\n"
        "claims:\n  - {source: later, subject: Kalashnikov deal, attribute: rifles_purchased, value: '3000', when: '2012'}\n",
        encoding="utf-8",
    )
    assert loaded("import", str(later)).exit_code == 0
    graph = json.loads(loaded("export", "--format", "schema-org").stdout)["@graph"]
    assert graph[-1]["appearance"]["headline"] == "Later"
    assert graph[-1]["firstAppearance"]["headline"] == "Mercenaries and money"


def test_failed_export_leaves_no_file(run, tmp_path):
    out = tmp_path / "missing" / "out.csv"
    result = run("export", "--format", "csv", "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr == f"Error: cannot write {out} (No such file or directory); check that its folder exists and is writable\n"


def test_every_format_on_every_engine(run_any, claim_file):
    assert run_any("import", str(claim_file)).exit_code == 0
    lines = run_any("export").stdout.splitlines()
    assert [json.loads(line)["type"] for line in lines][-2:] == ["claim", "claim"]
    assert len(list(csv.DictReader(io.StringIO(run_any("export", "--format", "csv").stdout)))) == 2
    graph = json.loads(run_any("export", "--format", "schema-org").stdout)["@graph"]
    assert [node["firstAppearance"]["headline"] for node in graph] == ["Mercenaries and money"] * 2


def test_csv_columns_are_the_rows_columns(loaded, db_path):
    from ledger.db.access import Ledger
    from ledger.db.export import CSV_COLUMNS, fact_rows

    with Ledger(str(db_path), read_only=True).read() as session:
        assert tuple(next(fact_rows(session))) == CSV_COLUMNS
