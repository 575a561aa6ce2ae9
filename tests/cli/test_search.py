"""`ledger search`: passages of titles, article text and quotes, with the claims quoting them, on both engines."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import write

NO_TEXT = """\
sources:
  - key: wire
    title: Junta leader meets Wagner
    outlet: Wire
    published: 2021-10-02
claims:
  - ref: goita-meeting
    source: wire
    subject: Goïta–Wagner meeting
    attribute: meeting_date
    value: October 1, 2021
    quote: Colonel Assimi Goïta met Wagner envoys on October 1, 2021
  - source: wire
    subject: Goïta–Wagner meeting
    attribute: envoys
    value: three
    quote: Colonel Assimi Goïta met Wagner envoys on October 1, 2021
"""


@pytest.fixture
def searchable(run_any, claim_file):
    """Both kinds of source: the test article with text, and a wire story without (its quotes are its passages)."""
    for path in (claim_file, write(claim_file.parent / "wire.yaml", NO_TEXT)):
        result = run_any("import", str(path))
        assert result.exit_code == 0, result.output
    return run_any


def found(run, query: str) -> list[dict]:
    result = run("search", query, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_paragraph_with_the_claims_quoting_it(searchable):
    (hit,) = found(searchable, "Kalashnikov")
    assert (hit["source"], hit["kind"], hit["position"], hit["outlet"]) == ("test-article", "text", 3, "Test Outlet")
    assert hit["passage"].startswith("Mali will pay") and hit["passage"].endswith("troops in the Sahel.")
    assert "[Kalashnikov]" in hit["snippet"]
    assert [(c["ref"], c["attribute"]) for c in hit["claims"]] == [("wagner-fee", "price"), ("rifles", "rifles_purchased")]


def test_titles_are_searched(searchable):
    hits = found(searchable, "junta leader")
    assert [(h["source"], h["kind"], h["claims"]) for h in hits] == [("wire", "title", [])]


def test_quotes_of_sources_without_text_ignoring_case_and_accents(searchable):
    (hit,) = found(searchable, "GOITA envoys")
    assert (hit["source"], hit["kind"]) == ("wire", "quote")
    assert [c["attribute"] for c in hit["claims"]] == ["meeting_date", "envoys"]


def test_phrases_and_prefixes(searchable):
    assert [h["position"] for h in found(searchable, '"3,000 Kalashnikov"')] == [3]
    assert found(searchable, '"Kalashnikov 3,000"') == []
    assert [h["source"] for h in found(searchable, "Kalash*")] == ["test-article"]
    assert found(searchable, "Kalash") == []
    assert found(searchable, '" * -') == []


def test_a_superseding_claims_new_quote_is_searchable(searchable):
    result = searchable("supersede", "goita-meeting", "--value", "October 2, 2021", "--reason", "date",
                        "--quote", "Goïta received the envoys on October 2, 2021")
    assert result.exit_code == 0, result.output
    (hit,) = found(searchable, "received")
    assert [(c["value"], c["status"]) for c in hit["claims"]] == [("October 2, 2021", "active")]
    old = found(searchable, "met Wagner envoys")[0]["claims"]
    assert [(c["ref"], c["status"]) for c in old] == [("goita-meeting", "superseded"), (None, "active")]


def test_table_and_csv(searchable):
    table = searchable("search", "Kalashnikov").stdout
    assert table.splitlines()[0] == "test-article (¶3, Test Outlet, 2021-09-14): Mercenaries and money"
    assert "[Kalashnikov]" in table
    assert table.splitlines()[-2:] == [
        "  ← claim 1 (wagner-fee): Wagner contract / price = 6 billion CFA francs (about 10 million dollars)",
        "  ← claim 2 (rifles): Kalashnikov deal / rifles_purchased = 3,000",
    ]
    (row,) = csv.DictReader(io.StringIO(searchable("search", "Kalashnikov", "--format", "csv").stdout))
    assert (row["source"], row["kind"], row["claim_ids"]) == ("test-article", "text", "1;2")
    assert searchable("search", "nowhere").stdout == "No passage matches.\n"


def test_upgrading_a_filled_ledger_indexes_what_it_holds(tmp_path):
    """Migration 0008 indexes the sources and claims already recorded."""
    import sqlite3

    from ledger.db import schema
    from ledger.db.access import Ledger
    from ledger.db.engine import make_engine
    from tests.db.test_migrations import FOUNDATION_ROWS

    path = tmp_path / "old.db"
    schema.upgrade(make_engine(str(path)), "0006")
    with sqlite3.connect(path) as connection:
        connection.executescript(FOUNDATION_ROWS)
    Ledger(str(path)).init()
    with sqlite3.connect(path) as connection:
        hits = connection.execute(
            "select source, kind, passage from passage_search where passage match 'rifles' order by rank"
        ).fetchall()
    assert hits == [("old-article", "text", "Mali bought 3,000 rifles for more than € 1 million.")]


def test_a_copied_ledger_is_searchable(loaded, tmp_path):
    copy = tmp_path / "copy.db"
    assert loaded("copy", "--to", str(copy)).exit_code == 0
    from click.testing import CliRunner

    from ledger.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(copy), "search", "Kalashnikov", "--format", "json"])
    assert [hit["source"] for hit in json.loads(result.stdout)] == ["test-article"]
