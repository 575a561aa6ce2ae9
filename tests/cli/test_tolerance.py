"""A tolerance per attribute: set on the command line or in claim files, journaled, and used by every comparison."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import write

TROOPS = """\
sources:
  - {key: times, title: The Times, published: 2021-09-14}
  - {key: ap, title: AP, published: 2021-09-20}
attributes:
  - {name: troops, kind: quantity, timeless: true%s}
claims:
  - {ref: times-troops, source: times, subject: French deployment, attribute: troops, value: "5,000-strong"}
  - {ref: ap-troops, source: ap, subject: French deployment, attribute: troops, value: "5,100"}
"""

COUP = """\
sources:
  - {key: a, title: Source A, published: 2020-09-01}
  - {key: b, title: Source B, published: 2020-09-02}
attributes:
  - {name: coup_date, kind: date%s}
claims:
  - {ref: a-coup, source: a, subject: Coup, attribute: coup_date, value: "August 18, 2020"}
  - {ref: b-coup, source: b, subject: Coup, attribute: coup_date, value: "August 20, 2020"}
  - {ref: b-coup-2021, source: b, subject: Coup 2021, attribute: coup_date, value: "May 24, 2021"}
  - {ref: a-coup-2021, source: a, subject: Coup 2021, attribute: coup_date, value: "June 2, 2021"}
"""


def imported(run, path):
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    return run


def troops(tmp_path, tolerance: str = ""):
    return write(tmp_path / "troops.yaml", TROOPS % (f", tolerance: {tolerance}" if tolerance else ""))


def flags(run, *args) -> list[dict]:
    result = run("conflicts", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def attribute(run, name: str) -> dict:
    return next(r for r in json.loads(run("attributes", "--format", "json").stdout) if r["name"] == name)


def set_tolerance(run, name: str, tolerance: str) -> str:
    result = run("attributes", "set", name, "--tolerance", tolerance)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_round_figure_is_flagged_exactly_and_not_within_five_percent(run_any, tmp_path):
    """The Times' "5,000-strong" against AP's "5,100": 2% apart at tolerance 0, agreeing at 5%."""
    run = imported(run_any, troops(tmp_path))
    [pair] = flags(run)
    assert pair["reason"].endswith("2.0% apart") and pair["severity"] == pytest.approx(100 / 5100, abs=1e-6)
    assert set_tolerance(run, "troops", "5%") == "troops: updated; conflicts recomputed.\n"
    assert attribute(run, "troops")["tolerance"] == "5%"
    assert flags(run) == []
    assert "5%" in run("attributes").stdout


def test_severity_is_measured_on_the_widened_intervals(run, tmp_path):
    """At 0.5% the two still disagree, by the gap left between 5,000·1.005 and 5,100·0.995; the reason says so."""
    imported(run, troops(tmp_path, "0.5%"))
    [pair] = flags(run)
    assert pair["severity"] == pytest.approx((5100 * 0.995 - 5000 * 1.005) / (5100 * 0.995), abs=1e-6)
    assert pair["reason"] == "5,000 (5,000-strong) vs 5,100 (5,100): 1.0% apart after a 0.5% tolerance"
    shown = run("conflicts", "show", pair["id"], "--format", "json")
    assert [claim["steps"][-1] for claim in json.loads(shown.stdout)["claims"]] == [
        "each bound moved out by the attribute's 0.5% tolerance"] * 2


def test_clearing_the_tolerance_brings_the_flag_back_with_its_verdict(run, tmp_path):
    imported(run, troops(tmp_path))
    [pair] = flags(run)
    assert run("conflicts", "dismiss", pair["id"], "--note", "round figure").exit_code == 0
    set_tolerance(run, "troops", "5%")
    [stale] = flags(run, "--status", "all")
    assert stale["stale"] and stale["id"] == pair["id"] and stale["status"] == "dismissed"
    assert set_tolerance(run, "troops", "0") == "troops: updated; conflicts recomputed.\n"
    assert attribute(run, "troops")["tolerance"] is None
    [back] = flags(run, "--status", "all")
    assert (back["id"], back["status"], back["stale"], back["severity"]) == (pair["id"], "dismissed", False, pair["severity"])
    assert set_tolerance(run, "troops", "0") == "troops: unchanged.\n"


def test_a_date_tolerance_is_a_number_of_days(run, tmp_path):
    """A day lies between August 18 and 20: within 3d. Eight lie between May 24 and June 2: two are left at 3d."""
    imported(run, write(tmp_path / "coup.yaml", COUP % ""))
    severities = {p["subject"]: p["severity"] for p in flags(run)}
    assert severities == {"Coup": pytest.approx(1 / 365, abs=1e-6), "Coup 2021": pytest.approx(8 / 365, abs=1e-6)}
    set_tolerance(run, "coup_date", "3d")
    [pair] = flags(run)
    assert pair["subject"] == "Coup 2021" and pair["severity"] == pytest.approx(2 / 365, abs=1e-6)
    assert pair["reason"].endswith(": 0.5% apart after a 3d tolerance")


def test_a_date_tolerance_in_a_claim_file(run, tmp_path):
    imported(run, write(tmp_path / "coup.yaml", COUP % ", tolerance: 3 days"))
    assert attribute(run, "coup_date")["tolerance"] == "3d"
    assert [p["subject"] for p in flags(run)] == ["Coup 2021"]


@pytest.mark.parametrize("name, tolerance, message", [
    ("troops", "3d", "tolerance '3d': a quantity attribute takes a percentage such as 5%"),
    ("troops", "5", "tolerance '5': a quantity attribute takes a percentage such as 5%"),
    ("coup_date", "5%", "tolerance '5%': a date attribute takes a number of days such as 3d"),
    ("venue", "5%", "tolerance '5%': a text attribute is compared exactly and takes no tolerance"),
])
def test_a_tolerance_of_the_wrong_kind_is_refused_naming_the_option(run, tmp_path, name, tolerance, message):
    imported(run, troops(tmp_path))
    imported(run, write(tmp_path / "more.yaml", COUP % "" + "  - {source: a, subject: Summit, attribute: venue, value: Sochi}\n"))
    result = run("attributes", "set", name, "--tolerance", tolerance)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--tolerance': {message}"
    assert attribute(run, name)["tolerance"] is None


@pytest.mark.parametrize("line, message", [
    ("{name: troops, kind: quantity, tolerance: 3d}", "attributes[0].tolerance: tolerance '3d': a quantity attribute takes a percentage"),
    ("{name: troops, kind: date, tolerance: 5%}", "attributes[0].tolerance: tolerance '5%': a date attribute takes a number of days"),
    ("{name: troops, kind: quantity, tolerance: 100%}", "attributes[0].tolerance: tolerance '100%': a percentage under 100%"),
])
def test_a_wrong_tolerance_in_a_claim_file_is_one_line_naming_the_field(run, tmp_path, line, message):
    path = write(tmp_path / "bad.yaml", f"attributes:\n  - {line}\n")
    result = run("import", str(path))
    assert result.exit_code == 1
    [error] = result.stderr.splitlines()
    assert error.startswith(f"Error: {path}:2: ") and message in error
    assert json.loads(run("attributes", "--format", "json").stdout) == []


def test_jsonl_tolerance_and_reimport(run, tmp_path, db_path):
    """Re-importing the same file changes nothing; a file stating another tolerance sets it, as for single_valued/timeless."""
    records = [
        {"type": "source", "key": "times", "title": "The Times", "published": "2021-09-14"},
        {"type": "source", "key": "ap", "title": "AP", "published": "2021-09-20"},
        {"type": "attribute", "name": "troops", "kind": "quantity", "timeless": True, "tolerance": "5%"},
        {"type": "claim", "source": "times", "subject": "French deployment", "attribute": "troops", "value": "5,000-strong"},
        {"type": "claim", "source": "ap", "subject": "French deployment", "attribute": "troops", "value": "5,100"},
    ]
    path = tmp_path / "troops.jsonl"
    import_jsonl(run, path, records)
    entries = journal_entries(db_path)
    assert attribute(run, "troops")["tolerance"] == "5%" and flags(run) == []
    imported(run, path)
    assert journal_entries(db_path) == entries  # nothing new: same tolerance, same claims
    records[2]["tolerance"] = "0.5%"
    import_jsonl(run, path, records)
    assert attribute(run, "troops")["tolerance"] == "0.5%" and len(flags(run)) == 1
    del records[2]["tolerance"]  # a file that states no tolerance leaves the stored one alone
    import_jsonl(run, path, records)
    assert attribute(run, "troops")["tolerance"] == "0.5%"
    records[2]["tolerance"] = "0"
    import_jsonl(run, path, records)
    assert attribute(run, "troops")["tolerance"] is None
    assert run("verify").exit_code == 0


def test_yaml_reimport_with_another_tolerance_sets_it_and_journals_it(run, tmp_path, db_path):
    imported(run, troops(tmp_path, "5%"))
    imported(run, troops(tmp_path, "5%"))
    imported(run, troops(tmp_path, "0.5%"))
    with sqlite3.connect(db_path) as connection:
        payloads = [json.loads(p) for (p,) in connection.execute(
            "select payload from journal where operation in ('attribute_added', 'attribute_rules_set') order by seq")]
    assert [p["tolerance"] for p in payloads] == ["5%", "0.5%"]
    assert len(flags(run)) == 1
    assert run("verify").exit_code == 0


def test_verify_catches_a_forged_tolerance(run, tmp_path, db_path):
    imported(run, troops(tmp_path))
    set_tolerance(run, "troops", "5%")
    assert run("verify").exit_code == 0
    with sqlite3.connect(db_path) as connection:
        connection.execute("update attributes set tolerance = '50%' where name = 'troops'")
    result = run("verify")
    assert result.exit_code == 1 and "attribute 1 ('troops') was edited: tolerance '50%' (journal: '5%')" in result.stderr


def import_jsonl(run, path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    imported(run, path)


def journal_entries(db_path) -> int:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("select count(*) from journal").fetchone()[0]
