"""`conflicts --clusters`, `consensus` and `sources --reliability` through the CLI on a tiny flight file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import write

FLIGHTS = """\
{"type": "attribute", "name": "departure", "kind": "time", "timeless": false}
{"type": "attribute", "name": "gate", "kind": "identifier", "timeless": false}
{"type": "source", "key": "a/2011-12-01", "title": "a, crawl of 2011-12-01", "outlet": "a", "published": "2011-12-01"}
{"type": "source", "key": "b/2011-12-01", "title": "b, crawl of 2011-12-01", "outlet": "b", "published": "2011-12-01"}
{"type": "source", "key": "c/2011-12-01", "title": "c, crawl of 2011-12-01", "outlet": "c", "published": "2011-12-01"}
{"type": "source", "key": "d/2011-12-01", "title": "d, crawl of 2011-12-01", "outlet": "d", "published": "2011-12-01"}
{"type": "source", "key": "e/2011-12-01", "title": "e, crawl of 2011-12-01", "outlet": "e", "published": "2011-12-01"}
{"type": "claim", "source": "a/2011-12-01", "subject": "UA-1 2011-12-01", "attribute": "departure", "value": "2:57 PMDec 01"}
{"type": "claim", "source": "b/2011-12-01", "subject": "UA-1 2011-12-01", "attribute": "departure", "value": "2:57 PMDec 01"}
{"type": "claim", "source": "c/2011-12-01", "subject": "UA-1 2011-12-01", "attribute": "departure", "value": "2011-12-01 02:58 PM"}
{"type": "claim", "source": "d/2011-12-01", "subject": "UA-1 2011-12-01", "attribute": "departure", "value": "Dec 01 - 3:20pm"}
{"type": "claim", "source": "e/2011-12-01", "subject": "UA-1 2011-12-01", "attribute": "departure", "value": "Dec 01 - Contact Airline"}
{"type": "claim", "source": "a/2011-12-01", "subject": "UA-1 2011-12-01", "attribute": "gate", "value": "C44"}
{"type": "claim", "source": "b/2011-12-01", "subject": "UA-1 2011-12-01", "attribute": "gate", "value": "C44"}
{"type": "claim", "source": "c/2011-12-01", "subject": "UA-1 2011-12-01", "attribute": "gate", "value": "44"}
{"type": "claim", "source": "d/2011-12-01", "subject": "UA-1 2011-12-01", "attribute": "gate", "value": "Main Term - D12"}
{"type": "claim", "source": "a/2011-12-01", "subject": "UA-2 2011-12-01", "attribute": "departure", "value": "9:00 AMDec 01"}
{"type": "claim", "source": "c/2011-12-01", "subject": "UA-2 2011-12-01", "attribute": "departure", "value": "2011-12-01 09:00 AM"}
{"type": "claim", "source": "d/2011-12-01", "subject": "UA-2 2011-12-01", "attribute": "departure", "value": "Dec 01 - 9:00am"}
{"type": "claim", "source": "c/2011-12-01", "subject": "UA-2 2011-12-01", "attribute": "gate", "value": "Not provided by airline"}
{"type": "claim", "source": "d/2011-12-01", "subject": "UA-2 2011-12-01", "attribute": "gate", "value": "B7"}
"""


@pytest.fixture
def flights(run, tmp_path: Path):
    result = run("import", str(write(tmp_path / "flights.jsonl", FLIGHTS)))
    assert result.exit_code == 0, result.output
    assert "could not read 'Dec 01 - Contact Airline' as a time" in result.stderr  # kept as stated, reported
    return run


def test_clusters_group_compatible_claims_per_item(flights):
    result = flights("conflicts", "--clusters")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "\n== UA-1 2011-12-01 / departure / 2011-12-01\n"
        "value             support/origins    sources                                   as stated\n"
        "----------------  -----------------  ----------------------------------------  "
        "------------------------------------------------------------------------\n"
        "2011-12-01 14:57  3 / 3              a/2011-12-01, b/2011-12-01, c/2011-12-01  "
        "2011-12-01 14:57 (2:57 PMDec 01); 2011-12-01 14:58 (2011-12-01 02:58 PM)\n"
        "2011-12-01 15:20  1 / 1              d/2011-12-01                              "
        "2011-12-01 15:20 (Dec 01 - 3:20pm)\n"
        "\n== UA-1 2011-12-01 / gate / 2011-12-01\n"
        "value    support/origins    sources                                   as stated\n"
        "-------  -----------------  ----------------------------------------  -----------------\n"
        "C44      3 / 3              a/2011-12-01, b/2011-12-01, c/2011-12-01  '44'; 'C44'\n"
        "D12      1 / 1              d/2011-12-01                              'Main Term - D12'\n"
    )
    assert result.stderr == (
        "3 items with claims from two or more sources: 3 stated differently, 2 read differently, "
        "2 disagree after tolerance (more than one cluster); 2 claims unreadable (kept, not compared).\n"
    )


def test_clusters_json(flights):
    result = flights("conflicts", "--clusters", "--attribute", "gate", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [sorted(row) for row in rows] == [["attribute", "clusters", "scale", "subject", "time"]]
    first = rows[0]["clusters"][0]
    assert sorted(first) == ["claims", "high", "low", "origins", "sources", "support", "value"]
    assert (first["value"], first["support"], first["origins"]) == ("C44", 3, 3)
    assert sorted(first["claims"][0]) == ["id", "source", "value"]


def test_consensus_by_support(flights):
    result = flights("consensus", "--subject", "UA-1 2011-12-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "subject          attribute    time        value             confidence    origins    why\n"
        "---------------  -----------  ----------  ----------------  ------------  ---------  "
        "-------------------------------------------------\n"
        "UA-1 2011-12-01  departure    2011-12-01  2011-12-01 14:57  0.40          2 of 4     "
        "2 origins (a, b); next 2011-12-01 14:58: 1 origin\n"
        "UA-1 2011-12-01  gate         2011-12-01  C44               0.53          2 of 4     "
        "2 origins (a, b); next 44: 1 origin\n"
    )


CONSENSUS_KEYS = ["attribute", "candidates", "claims", "confidence", "method", "origins", "sources", "stated",
                  "subject", "time", "total_origins", "value", "why"]
CANDIDATE_KEYS = ["claims", "origins", "probability", "reliability", "score", "sources", "stated", "value"]


@pytest.mark.parametrize("method", ["support", "reliability"])
def test_consensus_json(flights, method):
    result = flights("consensus", "--method", method, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["subject"], r["attribute"], r["value"]) for r in rows] == [
        ("UA-1 2011-12-01", "departure", "2011-12-01 14:57"),
        ("UA-1 2011-12-01", "gate", "C44"),
        ("UA-2 2011-12-01", "departure", "2011-12-01 09:00"),
        ("UA-2 2011-12-01", "gate", "B7"),
    ]
    assert sorted(rows[0]) == CONSENSUS_KEYS
    assert sorted(rows[0]["candidates"][0]) == CANDIDATE_KEYS
    assert rows[0]["method"] == method
    # everyone agrees: as sure as three origins can make it (support: 3 of 3 + 1 for the values no one stated)
    assert rows[2]["confidence"] == max(r["confidence"] for r in rows)
    assert rows[2]["confidence"] == (0.75 if method == "support" else pytest.approx(0.998, abs=0.001))


def test_consensus_explain(flights):
    result = flights("consensus", "--method", "reliability", "--explain", "UA-1 2011-12-01", "--attribute", "gate")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("== UA-1 2011-12-01 / gate / 2011-12-01: C44 (confidence ")
    assert lines[2].split() == ["value", "as", "stated", "(first", "claim)", "origins", "claims", "score", "p",
                                "sources", "(weight)"]
    assert lines[4].split()[:4] == ["C44", "C44", "2", "2"]
    assert lines[6].split()[:4] == ["D12", "Main", "Term", "-"]  # as stated
    assert "score: sum over origins of ln(n·A/(1−A))" in result.stdout


def test_sources_reliability(flights):
    result = flights("sources", "--reliability", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(r["source"] for r in rows) == ["a", "b", "c", "d"]  # judged by outlet; e said nothing readable
    assert sorted(rows[0]) == ["agrees", "by_attribute", "claims", "copies", "evaluated", "offsets", "reliability",
                               "source", "typical_offsets"]
    d = next(r for r in rows if r["source"] == "d")
    assert d["agrees"] == pytest.approx(1 / 3, abs=1e-3)  # right only where everyone agrees
    assert d["reliability"] < rows[0]["reliability"]
    table = flights("sources", "--reliability")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split()[:3] == ["source", "reliability", "claims"]


def test_sources_can_be_judged_by_key(flights):
    result = flights("sources", "--reliability", "--judge", "source", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "a/2011-12-01" in {r["source"] for r in json.loads(result.stdout)}


def test_consensus_unknown_subject_is_one_line_error(flights):
    result = flights("consensus", "--subject", "nowhere")
    assert result.exit_code == 1
    assert result.stderr == "Error: no subject matches 'nowhere'; `ledger entities` lists them\n"


def test_consensus_bad_method_exits_2(flights):
    result = flights("consensus", "--method", "vote")
    assert result.exit_code == 2
    assert "'vote' is not one of 'support', 'reliability'" in result.stderr


# -- `ledger estimate`: kept reliability estimates ---------------------------------------

LATE_CLAIM = (
    '{"type": "source", "key": "f/2011-12-01", "title": "f, crawl of 2011-12-01", "outlet": "f", '
    '"published": "2011-12-01"}\n'
    '{"type": "claim", "source": "f/2011-12-01", "subject": "UA-2 2011-12-01", "attribute": "gate", "value": "B9"}\n'
)


@pytest.fixture
def flights_any(run_any, tmp_path: Path):
    """The flight file in a ledger on every configured engine."""
    result = run_any("import", str(write(tmp_path / "flights.jsonl", FLIGHTS)))
    assert result.exit_code == 0, result.output
    return run_any


def test_estimate_is_kept_and_used_until_the_ledger_changes(flights_any, tmp_path):
    fresh = flights_any("consensus", "--method", "reliability", "--format", "json")
    assert "reliability: estimated now over the whole ledger (`ledger estimate` keeps" in fresh.stderr
    sources_fresh = flights_any("sources", "--reliability", "--format", "json")

    kept = flights_any("estimate")
    assert kept.exit_code == 0, kept.output
    assert kept.stdout.startswith("Estimated 4 sources (0 copy groups) over 4 items in ")
    assert "kept for journal entry " in kept.stdout

    using = flights_any("consensus", "--method", "reliability", "--format", "json")
    assert using.exit_code == 0, using.output
    assert "reliability: kept estimate of " in using.stderr and "ledger unchanged since" in using.stderr
    assert json.loads(using.stdout) == json.loads(fresh.stdout)  # the same decisions, candidates and weights
    one = flights_any("consensus", "--method", "reliability", "--subject", "UA-1 2011-12-01", "--format", "json")
    assert json.loads(one.stdout) == json.loads(fresh.stdout)[:2]
    assert json.loads(flights_any("sources", "--reliability", "--format", "json").stdout) == json.loads(
        sources_fresh.stdout)

    changed = flights_any("import", str(write(tmp_path / "late.jsonl", LATE_CLAIM)))
    assert changed.exit_code == 0, changed.output
    stale = flights_any("consensus", "--method", "reliability", "--format", "json")
    assert stale.exit_code == 0, stale.output
    assert "the kept estimate (journal entry " in stale.stderr and "is out of date" in stale.stderr
    gate = json.loads(stale.stdout)[3]
    assert gate["subject"] == "UA-2 2011-12-01" and gate["attribute"] == "gate"
    assert sorted(s for c in gate["candidates"] for s in c["sources"]) == ["d", "f"]  # the new claim counts
    assert flights_any("estimate").exit_code == 0
    assert "ledger unchanged since" in flights_any("sources", "--reliability").stderr


def test_support_says_nothing_about_estimates(flights):
    assert flights("consensus").stderr == ""


def test_estimate_on_an_empty_ledger(run):
    result = run("estimate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Estimated 0 sources (0 copy groups) over 0 items")


BOOKS = """\
{"type": "attribute", "name": "authors", "kind": "names", "timeless": true}
{"type": "source", "key": "store-a", "title": "Store A"}
{"type": "source", "key": "store-b", "title": "Store B"}
{"type": "source", "key": "store-c", "title": "Store C"}
{"type": "source", "key": "store-d", "title": "Store D"}
{"type": "source", "key": "store-e", "title": "Store E"}
{"type": "claim", "source": "store-a", "subject": "1558609016", "attribute": "authors", "value": "Han"}
{"type": "claim", "source": "store-b", "subject": "1558609016", "attribute": "authors", "value": "HAN"}
{"type": "claim", "source": "store-c", "subject": "1558609016", "attribute": "authors", "value": "Han, Jiawei; Kamber, Micheline"}
{"type": "claim", "source": "store-d", "subject": "1558609016", "attribute": "authors", "value": "Jiawei Han, Micheline Kamber"}
{"type": "claim", "source": "store-e", "subject": "1558609016", "attribute": "authors", "value": "Not Available"}
"""


@pytest.mark.parametrize("method", ["support", "reliability"])
def test_consensus_on_names_prefers_the_full_list_and_ignores_placeholders(run, tmp_path, method):
    """Two stores print only "Han", two the full pair in two spellings, one "Not Available": the pair wins,
    backed by its two stores and half of each abbreviation; the placeholder is no candidate."""
    assert run("import", str(write(tmp_path / "books.jsonl", BOOKS))).exit_code == 0
    result = run("consensus", "--method", method, "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["subject"], row["value"], row["origins"], row["total_origins"]) == (
        "1558609016", "han, jiawei; kamber, micheline", 2, 4)
    assert [c["value"] for c in row["candidates"]] == ["han, jiawei; kamber, micheline", "han"]
    assert row["stated"] in ("Han, Jiawei; Kamber, Micheline", "Jiawei Han, Micheline Kamber")
