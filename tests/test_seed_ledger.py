"""The shipped ledger.db is built from seeds/ and must not go stale; the seed cases behave as analysts expect."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from ledger.cli import cli
from ledger.seeds import build_seed_ledger
from tests.conftest import REPO

STATED = {
    "sources": "select key, title, outlet, author, url, published, published_precision, language, sha256 from sources order by key",
    "entities": "select name from entities order by name",
    "aliases": "select a.alias, e.name from aliases a join entities e on e.id = a.entity_id order by a.alias_key",
    "attributes": "select name, kind, description, single_valued, timeless, tolerance from attributes order by name",
    "claims": """select c.ref, c.fingerprint, s.key, c.subject, a.name, c.value, c.when_stated, c.quote,
                        c.attributed_to, c.status
                 from claims c join sources s on s.id = c.source_id join attributes a on a.id = c.attribute_id
                 order by c.fingerprint""",
}


@pytest.fixture(scope="module")
def fresh_seed_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "ledger.db"
    build_seed_ledger(path, REPO / "seeds" / "claims.yaml")
    return path


def rows(path, query):
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchall()


@pytest.mark.parametrize("table", STATED)
def test_committed_ledger_db_matches_seeds(fresh_seed_db, table):
    """Rebuild with `python -m ledger.seeds` when this fails."""
    assert rows(REPO / "ledger.db", STATED[table]) == rows(fresh_seed_db, STATED[table])


def test_every_seed_claim_is_read(fresh_seed_db):
    assert rows(fresh_seed_db, "select count(*) from claims")[0][0] >= 50
    assert rows(fresh_seed_db, "select value from claim_facts where reading_kind = 'unparsed' or time_basis is null") == []


def seed_run(path, *args):
    result = CliRunner().invoke(cli, ["--db", str(path), *args])
    assert result.exit_code == 0, result.output
    return result


def test_seed_conflicts_flag_the_real_disagreement_only(fresh_seed_db):
    pairs = json.loads(seed_run(fresh_seed_db, "conflicts", "--format", "json").stdout)
    values = {frozenset(c["value"] for c in p["claims"]) for p in pairs}
    assert frozenset({"more than € 1 million", "nearly one million euros"}) in values
    kalashnikov = next(p for p in pairs if "nearly one million euros" in {c["value"] for c in p["claims"]})
    assert kalashnikov["severity"] == 0
    look_alikes = [
        {"several thousand", "5,100"}, {"late October", "October 23, 2019"}, {"last week", "June 2019"},
        {"43", "dozens"}, {"6 billion CFA francs (about 10 million dollars)", "$10.8 million a month"},
    ]
    for pair in look_alikes:
        assert frozenset(pair) not in values


def test_seed_wagner_fees_are_incomparable(fresh_seed_db):
    pairs = json.loads(seed_run(fresh_seed_db, "conflicts", "--incomparable", "--format", "json").stdout)
    assert {"6 billion CFA francs (about 10 million dollars)", "$10.8 million a month"} in [
        {c["value"] for c in p["claims"]} for p in pairs
    ]


def test_readme_query_lists_wagner_claims_with_quotes(fresh_seed_db):
    out = seed_run(fresh_seed_db, "claims", "--subject", "Wagner Group contract with Mali").stdout
    assert "$10.8 million a month" in out and "6 billion CFA francs" in out


def test_seed_ledger_verifies(fresh_seed_db):
    assert "every table agrees" in seed_run(fresh_seed_db, "verify").stdout


@pytest.mark.parametrize("method", ["support", "reliability"])
def test_seed_consensus_shows_intervals_and_open_spans(fresh_seed_db, method):
    """Articles state ranges and open spans ("since 2013"): consensus shows them as stated, never a midpoint."""
    rows = json.loads(seed_run(fresh_seed_db, "consensus", "--method", method, "--format", "json").stdout)
    shown = {(r["subject"], r["attribute"], r["time"]): r for r in rows}
    deployment = shown["French military deployment in Mali", "troops_deployed", "2013-01-01.."]
    assert (deployment["stated"], deployment["value"]) == ("thousands", "2,000 to under 10,000")
    price = shown["Mali–Rosoboronexport Kalashnikov deal", "price", "(timeless)"]
    assert {c["value"] for c in price["candidates"]} == {"more than €1,000,000", "€900,000 to under €1,000,000"}
    assert price["confidence"] < 1
    thirds = next(r for r in rows if r["stated"] == "two-thirds")
    assert thirds["value"] == "66.6667"  # [66.666666, 66.666667] reads as one number, not a range of two


def test_seed_clusters_agree_with_the_conflict_engine(fresh_seed_db):
    """Touching ranges ("nearly" vs "more than" one million) are two clusters, as they are a conflict."""
    items = json.loads(seed_run(fresh_seed_db, "conflicts", "--clusters", "--format", "json").stdout)
    assert [(i["subject"], [c["value"] for c in i["clusters"]]) for i in items] == [
        ("Mali–Rosoboronexport Kalashnikov deal", ["€900,000 to under €1,000,000", "more than €1,000,000"]),
    ]


REUTERS = """\
sources:
  - {key: reuters-2021-09-13, title: Deal allowing Russian mercenaries into Mali is close, outlet: Reuters,
     published: "2021-09-13"}
  - {key: approx-2021, title: Approx, outlet: Approx News, published: "2021-10-20"}
  - {key: lower-2021, title: Lower, outlet: Lower News, published: "2021-10-01"}
claims:
  - {source: reuters-2021-09-13, subject: Wagner Group contract with Mali, attribute: price,
     value: "$10.8 million a month"}
  - {source: approx-2021, subject: Wagner Group contract with Mali, attribute: price,
     value: "approximately $10.8 million a month"}
  - {source: lower-2021, subject: Wagner Group contract with Mali, attribute: price, value: "$10.7 million a month"}
"""


def test_the_first_figure_an_analyst_adds_draws_no_false_flag(fresh_seed_db, tmp_path):
    """Reuters' own "$10.8 million a month" beside Global Research quoting it two months later: the same dollars.

    "approximately" agrees with both; "$10.7 million" touches "$10.8 million" in dollars (the rounded ranges meet).
    """
    path = tmp_path / "ledger.db"
    path.write_bytes(fresh_seed_db.read_bytes())
    (tmp_path / "reuters.yaml").write_text(REUTERS)
    seed_run(path, "import", str(tmp_path / "reuters.yaml"))
    wagner = ["--subject", "Wagner Group contract with Mali"]
    assert json.loads(seed_run(path, "conflicts", *wagner, "--format", "json").stdout) == []
    assert json.loads(seed_run(path, "conflicts", "--clusters", *wagner, "--format", "json").stdout) == []
    decisions = json.loads(seed_run(path, "consensus", *wagner, "--attribute", "price", "--format", "json").stdout)
    dollars = next(d for d in decisions if d["stated"].startswith("$") or "$" in d["value"])
    assert dollars["value"].startswith("$") and dollars["value"].endswith("a month")


SEED_REPORTS = [
    ("conflicts", "--format", "json"), ("conflicts", "--incomparable", "--format", "json"),
    ("conflicts", "--clusters", "--format", "json"), ("consensus", "--format", "json"), ("consensus", "--method", "reliability", "--format", "json"),
]


def test_seed_flags_at_tolerance_zero_are_todays_and_a_tolerance_reaches_every_report(fresh_seed_db, tmp_path):
    """Tolerance 0 (the default) is the exact comparison: the seed flags are the committed ledger's, and setting a
    tolerance then clearing it gives every report back byte for byte. In between, 1% on ``price`` joins the
    touching "nearly" / "more than" one million (a flag, and two clusters) in conflicts and clusters alike.
    """
    path = tmp_path / "ledger.db"
    path.write_bytes(fresh_seed_db.read_bytes())
    flags = "select id, nature, claim_a_id, claim_b_id, reason, severity from conflicts order by id"
    assert rows(path, flags) == rows(REPO / "ledger.db", flags)
    before = {args: seed_run(path, *args).stdout for args in SEED_REPORTS}
    assert "unchanged" in seed_run(path, "attributes", "set", "price", "--tolerance", "0").stdout
    seed_run(path, "attributes", "set", "price", "--tolerance", "1%")
    assert json.loads(seed_run(path, "conflicts", "--format", "json").stdout) == []
    assert json.loads(seed_run(path, "conflicts", "--clusters", "--format", "json").stdout) == []
    seed_run(path, "attributes", "set", "price", "--tolerance", "0")
    assert {args: seed_run(path, *args).stdout for args in SEED_REPORTS} == before
    assert rows(path, flags) == rows(REPO / "ledger.db", flags)
