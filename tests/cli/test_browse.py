"""`ledger browse`: Datasette on a loopback port, every canned query answering, a described schema."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from ledger.browse import CANNED, metadata, sqlite_file
from ledger.cli import cli
from ledger.core.errors import LedgerError
from tests.conftest import REPO, copy_ledger_file, write

UNREAD = """\
sources:
  - {key: wire, title: Wire story, published: 2021-12-20}
claims:
  - {source: wire, subject: Wagner contract, attribute: price, value: "$10.8 million a month", when: Christmas Eve}
  - {source: wire, subject: Mali–Rosoboronexport Kalashnikov deal, attribute: rifles_purchased, value: "5,000"}
"""

# Each canned query with its parameters, and what one of its rows must hold.
EXPECTED = {
    "open_conflicts": ({}, {"attribute": "rifles_purchased", "b_source": "wire"}),
    "subject_claims": ({"subject": "Kalashnikov"}, {"subject": "Mali–Rosoboronexport Kalashnikov deal"}),
    "claim_history": ({"claim": "coup-2020-date-gr21"}, {"event": "version", "value": "August 18, 2020"}),
    "source_conflicts": ({"source": "France 24"}, {"attribute": "rifles_purchased", "a_source": "france24-2021"}),
    "unread_values": ({}, {"source": "wire", "when_stated": "Christmas Eve"}),
    "stale_verdicts": ({}, {"conflict_id": "c-eb6e55bc5ab5", "status": "dismissed"}),
    "claims_between": ({"start": "2020-08-18", "end": "2020-08-18"}, {"attribute": "coup_date", "value": "August 2020"}),
}


@pytest.fixture(scope="module")
def browsed(tmp_path_factory):
    """The seed ledger with a superseded claim, an unread time, a new conflict and a stale verdict, served on a free port."""
    folder = tmp_path_factory.mktemp("browse")
    path = copy_ledger_file(REPO / "ledger.db", folder / "ledger.db")

    def run(*args):
        result = CliRunner().invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 0, result.output

    run("supersede", "coup-2020-date-gr21", "--value", "18 August 2020", "--reason", "test")
    run("import", str(write(folder / "unread.yaml", UNREAD)))
    run("conflicts", "dismiss", "c-eb6e55bc5ab5", "--note", "different deals")
    run("retract", "kalashnikov-price-france24", "--reason", "test")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "ledger.cli", "--db", str(path), "browse", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}/ledger"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1)
            break
        except OSError:
            assert server.poll() is None, server.communicate()
            time.sleep(0.2)
    yield SimpleNamespace(base=base, path=path)
    server.terminate()
    server.wait(timeout=10)


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("name", CANNED)
def test_every_canned_query_answers(browsed, name):
    params, expected = EXPECTED[name]
    rows = fetch(f"{browsed.base}/{name}.json?_shape=array&{urllib.parse.urlencode(params)}")
    assert rows, f"{name} returned no rows"
    assert any({key: row[key] for key in expected} == expected for row in rows), rows


def test_claim_history_shows_versions_corrections_and_verdicts(browsed):
    rows = fetch(f"{browsed.base}/claim_history.json?_shape=array&claim=kalashnikov-price-france24")
    assert [row["event"] for row in rows] == ["version", "verdict: dismissed", "correction: retract"]


def test_search_box_facets_and_descriptions(browsed):
    hits = fetch(f"{browsed.base}/passage_search.json?_shape=array&_search=Kalashnikov")
    assert {hit["source"] for hit in hits} == {"france24-2021", "untitled-2021"}
    assert fetch(f"{browsed.base}/passages.json?_shape=array&_search=Goita")[0]["kind"] == "text"
    facets = fetch(f"{browsed.base}/claim_facts.json?_shape=objects")["facet_results"]
    assert {"attribute", "outlet", "status"} <= set(facets)
    page = urllib.request.urlopen(f"{browsed.base}/claim_facts", timeout=30).read().decode()
    assert "The value exactly as stated" in page


def test_browsing_is_read_only(browsed):
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(
            urllib.request.Request(f"{browsed.base}/-/query.json?sql=delete+from+claims", method="GET"), timeout=30
        )
    result = CliRunner().invoke(cli, ["--db", str(browsed.path), "verify"])
    assert result.exit_code == 0, result.output


def test_every_table_view_and_column_is_described(db_path):
    tables = metadata(db_path)["databases"]["test"]["tables"]
    shown = {name: table for name, table in tables.items() if not table.get("hidden")}
    assert {"sources", "claims", "claim_facts", "conflict_pairs", "passage_search", "passages"} <= set(shown)
    assert "alembic_version" not in shown and not any(name.startswith("passages_fts") for name in shown)
    for name, table in shown.items():
        assert table["description"], f"table {name} has no description"
        missing = [column for column, text in table["columns"].items() if not text]
        assert not missing, f"{name}: columns without a description: {missing}"


def test_missing_extra_names_it(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasette.app", None)
    result = run("browse")
    assert result.exit_code == 1
    assert result.stderr.endswith("Error: `ledger browse` needs Datasette: pip install 'claim-ledger[browse]'\n")


def test_postgres_ledgers_are_copied_first():
    with pytest.raises(LedgerError, match="copy this ledger first"):
        sqlite_file(SimpleNamespace(url=make_url("postgresql+psycopg://analyst@db.example/ledger")))


def test_screenshot_of_a_canned_query(browsed, tmp_path):
    """Headless Chromium renders a canned query; required in CI (env CI set), which installs Chromium."""
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but `chromium` is not on PATH: .ci/run must install it")
        pytest.skip("no `chromium` on PATH")
    shot = tmp_path / "open_conflicts.png"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,900",
         f"--screenshot={shot}", f"{browsed.base}/open_conflicts"],
        check=True, capture_output=True, timeout=120,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
