"""Conflict detection through the CLI on small two-source ledgers: each rule, triage, stable ids, JSON contract."""

from __future__ import annotations

import json
import sqlite3
import textwrap

import pytest

from tests.conftest import sqlite_statements, write


def two_sources(tmp_path, claims: str, attributes: str = "", a_published="2021-09-14", b_published="2021-10-01"):
    """A claim file with two text-less sources (a and b) and the given claims."""
    text = f"""\
sources:
  - key: a
    title: Source A
    outlet: Outlet A
    published: {a_published}
  - key: b
    title: Source B
    outlet: Outlet B
    published: {b_published}
attributes:
{textwrap.indent(textwrap.dedent(attributes), '  ') if attributes else '  []'}
claims:
{textwrap.indent(textwrap.dedent(claims), '  ')}
"""
    return write(tmp_path / "pair.yaml", text.replace("attributes:\n  []\n", ""))


def conflicts(run_any, *args):
    result = run_any("conflicts", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def imported(run_any, path):
    result = run_any("import", str(path))
    assert result.exit_code == 0, result.output
    return run_any


def test_more_than_vs_nearly_touch_and_conflict_with_severity_zero(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Kalashnikov deal, attribute: price, value: "more than € 1 million", when: "2012"}
        - {ref: b1, source: b, subject: Kalashnikov deal, attribute: price, value: "nearly one million euros", when: "2012"}
    """)
    [pair] = conflicts(imported(run_any, path))
    assert pair["severity"] == 0
    assert "only touch" in pair["reason"]
    assert {c["ref"] for c in pair["claims"]} == {"a1", "b1"}


@pytest.mark.parametrize("command", [["conflicts"], ["consensus"], ["conflicts", "--clusters"]],
                         ids=["conflicts", "consensus", "clusters"])
def test_one_subjects_pairs_or_decisions_read_only_the_sources_its_claims_cite(run, tmp_path, command):
    """A bulk ledger holds tens of thousands of sources: one subject's conflicts, consensus or clusters read its
    claims' few."""
    others = "".join(f"  - {{key: other{i}, title: Other {i}, outlet: Outlet {i}}}\n" for i in range(30))
    path = two_sources(tmp_path, """\
        - {source: a, subject: Kalashnikov deal, attribute: rifles, value: "3,000", when: "2012"}
        - {source: b, subject: Kalashnikov deal, attribute: rifles, value: "4,000", when: "2012"}
        - {source: b, subject: Truck deal, attribute: trucks, value: "12", when: "2012"}
        - {source: other3, subject: Truck deal, attribute: trucks, value: "40", when: "2012"}
    """)
    path.write_text(path.read_text().replace("sources:\n", "sources:\n" + others, 1))
    imported(run, path)
    with sqlite_statements() as statements:
        result = run(*command, "--subject", "Kalashnikov deal", "--format", "json")
    assert result.exit_code == 0, result.output
    if command == ["conflicts"]:
        [pair] = json.loads(result.stdout)
        assert [(c["source"], c["outlet"]) for c in pair["claims"]] == [("a", "Outlet A"), ("b", "Outlet B")]
    elif command == ["conflicts", "--clusters"]:
        [item] = json.loads(result.stdout)
        assert sorted(source for c in item["clusters"] for source in c["sources"]) == ["a", "b"]
    else:
        [decision] = json.loads(result.stdout)
        assert decision["subject"] == "Kalashnikov deal" and decision["total_origins"] == 2
        assert sorted(source for c in decision["candidates"] for source in c["sources"]) == ["Outlet A", "Outlet B"]
    reading_sources = [sql for sql in statements if "FROM sources" in sql]
    assert reading_sources and all("WHERE sources.id IN" in sql for sql in reading_sources), reading_sources


def test_json_contract(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", attributed_to: BBC Africa}
        - {ref: b1, source: b, subject: Deal, attribute: rifles, value: "6,000"}
    """, attributes="- {name: rifles, kind: quantity, timeless: true}\n")
    [pair] = conflicts(imported(run_any, path))
    assert set(pair) >= {"id", "subject", "attribute", "reason", "severity", "status", "claims"}
    assert pair["status"] == "open" and pair["id"].startswith("c-")
    for claim in pair["claims"]:
        assert set(claim) >= {"id", "ref", "source", "outlet", "value", "when", "low", "high", "unit", "quote",
                              "attributed_to", "support", "origins"}
    a = next(c for c in pair["claims"] if c["ref"] == "a1")
    assert (a["low"], a["high"], a["attributed_to"], a["origins"]) == (3000, 3000, "BBC Africa", 1)
    assert pair["severity"] == pytest.approx(0.5)


def test_vague_count_containing_the_figure_is_not_a_conflict(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: French deployment, attribute: troops, value: "several thousand"}
        - {source: b, subject: French deployment, attribute: troops, value: "5,100"}
    """, b_published="2021-09-20")
    assert conflicts(imported(run_any, path)) == []


def test_claims_of_different_years_are_not_compared(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Mali conflict, attribute: deaths, value: "2,000", when: "2019"}
        - {source: b, subject: Mali conflict, attribute: deaths, value: "3,500", when: "2020"}
    """)
    assert conflicts(imported(run_any, path)) == []


def test_same_year_death_tolls_that_differ_conflict(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Mali conflict, attribute: deaths, value: "2,000", when: "2020"}
        - {source: b, subject: Mali conflict, attribute: deaths, value: "3,500", when: "2020"}
    """)
    assert len(conflicts(imported(run_any, path))) == 1


def test_monthly_fee_is_scaled_to_compare_with_yearly_fee(run_any, tmp_path):
    agree = two_sources(tmp_path, """\
        - {source: a, subject: Contract, attribute: fee, value: "€1 million a month", when: "2021"}
        - {source: b, subject: Contract, attribute: fee, value: "€12 million a year", when: "2021"}
    """)
    assert conflicts(imported(run_any, agree)) == []
    disagree = two_sources(tmp_path, """\
        - {source: a, subject: Contract2, attribute: fee, value: "€1 million a month", when: "2021"}
        - {source: b, subject: Contract2, attribute: fee, value: "€1 million a year", when: "2021"}
    """)
    [pair] = conflicts(imported(run_any, disagree))
    assert pair["subject"] == "Contract2"


def test_per_period_vs_one_off_is_incomparable_not_a_conflict(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Wagner contract, attribute: price, value: "6 billion CFA francs (about 10 million dollars)"}
        - {source: b, subject: Wagner contract, attribute: price, value: "$10.8 million a month"}
    """, b_published="2021-09-14")
    run_any = imported(run_any, path)
    assert conflicts(run_any) == []
    [pair] = conflicts(run_any, "--incomparable")
    assert "not comparable" in pair["reason"]


def test_currencies_converted_at_claim_dates(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Deal, attribute: price, value: "6 billion CFA francs", when: "September 2021"}
        - {source: b, subject: Deal, attribute: price, value: "$10.8 million", when: "September 2021"}
    """)
    assert conflicts(imported(run_any, path)) == []


def test_currencies_that_disagree_after_conversion_conflict(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Deal, attribute: price, value: "6 billion CFA francs", when: "September 2021"}
        - {source: b, subject: Deal, attribute: price, value: "$20 million", when: "September 2021"}
    """)
    [pair] = conflicts(imported(run_any, path))
    assert pair["severity"] > 0.4


def test_relative_and_absolute_dates_that_agree(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Summit, attribute: date_held, value: "late October"}
        - {source: b, subject: Summit, attribute: date_held, value: "October 23, 2019"}
        - {source: a, subject: Pact, attribute: signing_date, value: "last week"}
        - {source: b, subject: Pact, attribute: signing_date, value: "June 2019"}
    """, a_published="2019-07-02", b_published="2019-11-17")
    assert conflicts(imported(run_any, path)) == []


def test_date_values_that_disagree(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Coup, attribute: coup_date, value: "August 18, 2020"}
        - {source: b, subject: Coup, attribute: coup_date, value: "May 2021"}
    """)
    [pair] = conflicts(imported(run_any, path))
    assert 0.5 < pair["severity"] <= 1


def test_text_values_single_and_multi_valued(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Summit, attribute: venue, value: "Sochi"}
        - {source: b, subject: Summit, attribute: venue, value: "Moscow"}
        - {source: a, subject: Goita, attribute: role, value: "colonel"}
        - {source: b, subject: Goita, attribute: role, value: "interim president"}
    """, attributes="- {name: venue, kind: text, timeless: true}\n- {name: role, kind: text, single_valued: false, timeless: true}\n")
    pairs = conflicts(imported(run_any, path))
    assert [(p["subject"], p["attribute"]) for p in pairs] == [("Summit", "venue")]


def test_same_source_pairs_are_excluded(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}
        - {source: a, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
    """)
    assert conflicts(imported(run_any, path)) == []


def test_aliases_bring_claims_together(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {source: a, subject: Wagner Group, attribute: fighters, value: "1,000", when: "2021"}
        - {source: b, subject: Wagner PMC, attribute: fighters, value: "400", when: "2021"}
    """)
    run_any = imported(run_any, path)
    assert conflicts(run_any) == []
    merged = run_any("entities", "alias", "Wagner PMC", "Wagner Group")
    assert merged.exit_code == 0 and "Merged" in merged.stdout
    assert len(conflicts(run_any)) == 1


def test_retracted_claims_leave_the_report_and_verdicts_go_stale(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}
        - {ref: b1, source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
    """)
    run_any = imported(run_any, path)
    [pair] = conflicts(run_any)
    assert run_any("conflicts", "confirm", pair["id"], "--note", "checked").exit_code == 0
    assert conflicts(run_any)[0]["status"] == "confirmed"
    assert run_any("retract", "b1", "--reason", "typo").exit_code == 0
    assert conflicts(run_any) == []
    [stale] = conflicts(run_any, "--status", "all")
    assert stale["stale"] and stale["id"] == pair["id"] and stale["status"] == "confirmed"


def test_triage_survives_reimport_and_rebuild(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}
        - {source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
    """)
    run_any = imported(run_any, path)
    [pair] = conflicts(run_any)
    run_any("conflicts", "dismiss", pair["id"], "--note", "different deals")
    assert conflicts(run_any) == []
    assert conflicts(run_any, "--status", "dismissed")[0]["note"] == "different deals"
    imported(run_any, path)  # re-import: nothing new, verdict kept
    assert conflicts(run_any, "--status", "dismissed")[0]["id"] == pair["id"]
    assert run_any("conflicts", "reopen", pair["id"]).exit_code == 0
    assert conflicts(run_any)[0]["status"] == "open"


def test_conflict_ids_do_not_depend_on_row_ids(tmp_path, run_any):
    """The same claims imported in another order into another ledger get the same conflict id."""
    from click.testing import CliRunner

    from ledger.cli import cli

    claims = [
        '- {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}\n',
        '- {source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}\n',
        '- {source: b, subject: Other, attribute: rifles, value: "1", when: "2012"}\n',
    ]
    first = conflicts(imported(run_any, two_sources(tmp_path, "".join(claims))))
    other_db = tmp_path / "other.db"
    CliRunner().invoke(cli, ["--db", str(other_db), "init"])
    path = two_sources(tmp_path, "".join(reversed(claims)))
    CliRunner().invoke(cli, ["--db", str(other_db), "import", str(path)])
    second = json.loads(CliRunner().invoke(cli, ["--db", str(other_db), "conflicts", "--format", "json"]).stdout)
    assert [p["id"] for p in first] == [p["id"] for p in second]


def test_support_and_origins(run_any, tmp_path):
    text = """\
sources:
  - {key: a, title: A, published: 2021-09-01}
  - {key: b, title: B, published: 2021-09-02}
  - {key: c, title: C, published: 2021-09-03}
  - {key: d, title: D, published: 2021-09-04}
claims:
  - {source: a, subject: Deal, attribute: fee, value: "$10.8 million a month", attributed_to: Reuters, when: "2021"}
  - {source: b, subject: Deal, attribute: fee, value: "$10.8 million a month", attributed_to: Reuters, when: "2021"}
  - {source: c, subject: Deal, attribute: fee, value: "about $11 million a month", when: "2021"}
  - {source: d, subject: Deal, attribute: fee, value: "$2 million a month", when: "2021"}
"""
    run_any = imported(run_any, write(tmp_path / "four.yaml", text))
    pairs = conflicts(run_any)
    assert len(pairs) == 3
    reuters = next(c for p in pairs for c in p["claims"] if c["source"] == "a")
    assert len(reuters["support"]) == 2 and reuters["origins"] == 2
    lone = next(c for p in pairs for c in p["claims"] if c["source"] == "d")
    assert lone["support"] == [] and lone["origins"] == 1


def test_conflicts_table_csv_show_and_filters(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}
        - {ref: b1, source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
    """)
    run_any = imported(run_any, path)
    table = run_any("conflicts")
    assert "== Deal / rifles" in table.stdout and "Outlet A" in table.stdout
    csv_out = run_any("conflicts", "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("id,subject,attribute,severity")
    [pair] = conflicts(run_any)
    shown = run_any("conflicts", "show", pair["id"])
    assert shown.exit_code == 0 and "3,000" in shown.stdout and "4,000" in shown.stdout
    assert conflicts(run_any, "--min-severity", "0.5") == []
    assert conflicts(run_any, "--source", "Outlet B")[0]["id"] == pair["id"]
    assert conflicts(run_any, "--subject", "nothing like it") == []
    missing = run_any("conflicts", "show", "c-000000000000")
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: no conflict")


def test_sql_view_gives_the_same_pairs(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}
        - {ref: b1, source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
    """)
    run_any = imported(run_any, path)
    from_view = json.loads(run_any("sql", "select id, severity, a_ref, b_ref from conflict_pairs", "--format", "json").stdout)
    [pair] = conflicts(run_any)
    assert from_view == [{"id": pair["id"], "severity": pair["severity"], "a_ref": "a1", "b_ref": "b1"}]


def test_a_repeated_verdict_without_a_note_keeps_the_note(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}
        - {ref: b1, source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
    """)
    run_any = imported(run_any, path)
    [pair] = conflicts(run_any)
    assert run_any("conflicts", "confirm", pair["id"], "--note", "checked the originals").exit_code == 0
    assert run_any("conflicts", "confirm", pair["id"]).exit_code == 0
    assert conflicts(run_any)[0]["note"] == "checked the originals"
    in_view = "select status, note from conflict_pairs"
    assert json.loads(run_any("sql", in_view, "--format", "json").stdout) == [
        {"status": "confirmed", "note": "checked the originals"}]
    assert run_any("conflicts", "dismiss", pair["id"]).exit_code == 0  # another verdict starts without one
    assert conflicts(run_any, "--status", "all")[0]["note"] is None
    assert run_any("verify").exit_code == 0


def test_conflicts_csv_carries_every_field_of_the_json(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012", attributed_to: BBC Africa}
        - {ref: b1, source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
    """)
    run_any = imported(run_any, path)
    [pair] = conflicts(run_any)
    import csv
    import io

    [row] = list(csv.DictReader(io.StringIO(run_any("conflicts", "--format", "csv").stdout)))
    expected = {key for key in pair if key != "claims"} | {f"{side}_{key}" for side in "ab" for key in pair["claims"][0]}
    assert expected <= set(row)
    assert row["a_attributed_to"] == "BBC Africa" and row["a_support"] == "0" and row["a_outlet"] == pair["claims"][0]["outlet"]


def test_import_and_claim_add_end_with_the_conflicts_they_raised(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}
        - {ref: b1, source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
        - {ref: b2, source: b, subject: Other deal, attribute: rifles, value: "10", when: "2012"}
    """)
    first = run_any("import", str(path))
    assert first.stdout.splitlines()[-1] == (
        "1 new conflict, highest severity 0.250: see it with `ledger conflicts --subject Deal`.")
    again = run_any("import", str(path))
    assert "conflict" not in again.stdout  # nothing added, nothing to say
    added = run_any("claim", "add", "--source", "a", "--subject", "Other deal", "--attribute", "rifles",
                    "--value", "12", "--when", "2012")
    assert added.stdout.splitlines()[-1] == (
        "1 new conflict, highest severity 0.167: see it with `ledger conflicts --subject 'Other deal'`.")
    agreeing = run_any("claim", "add", "--source", "a", "--subject", "Third deal", "--attribute", "rifles",
                       "--value", "7", "--when", "2012")
    assert agreeing.stdout.splitlines()[-1] == "No new conflicts."


def test_new_conflicts_over_several_subjects_point_to_the_whole_listing(run_any, tmp_path):
    path = two_sources(tmp_path, """\
        - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}
        - {ref: b1, source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
        - {ref: a2, source: a, subject: Other deal, attribute: rifles, value: "10", when: "2012"}
        - {ref: b2, source: b, subject: Other deal, attribute: rifles, value: "20", when: "2012"}
    """)
    result = run_any("import", str(path))
    assert result.stdout.splitlines()[-1] == (
        "2 new conflicts, highest severity 0.500: see them with `ledger conflicts`.")


def test_pairs_whose_severities_round_alike_are_listed_by_subject(run, db_path, tmp_path):
    """Severity as shown (6 places) first, then subject: 0.1234561 (subject A) before 0.1234564 (subject B).

    The database streams pairs by raw severity; the listing re-sorts the runs that rounding joins.
    """
    path = two_sources(tmp_path, "".join(
        f'- {{ref: {side}{i}, source: {side}, subject: {subject}, attribute: rifles, value: "{value}", when: "2021"}}\n'
        for i, subject in enumerate(["Deal B", "Deal A", "Deal C", "Deal D"]) for side, value in (("a", "1,000"), ("b", "3,000"))
    ))
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    raw = {"Deal B": 0.1234564, "Deal A": 0.1234561, "Deal C": 0.1234566, "Deal D": 0.123456}
    with sqlite3.connect(db_path) as connection:
        for subject, severity in raw.items():
            connection.execute("UPDATE stored_conflicts SET severity = ? WHERE entity_id = "
                               "(SELECT id FROM entities WHERE name = ?)", (severity, subject))
    connection.close()
    listed = json.loads(run("conflicts", "--format", "json").stdout)
    assert [(pair["subject"], pair["severity"]) for pair in listed] == [
        ("Deal C", 0.123457), ("Deal A", 0.123456), ("Deal B", 0.123456), ("Deal D", 0.123456)]


def test_a_top_severity_most_pairs_share_is_listed_subjects_at_a_time_in_the_same_order(run_any, tmp_path, monkeypatch):
    """Read subject by subject (slices of 20, then 3 here) or sorted whole, the pairs come in one order."""
    import ledger.db.conflicts as listing

    subjects = [f"Deal {(i * 7) % 45:02d}{'é' if i % 5 == 0 else ''}" for i in range(45)]
    path = two_sources(tmp_path, "".join(
        f'- {{source: {side}, subject: "{subject}", attribute: {attribute}, value: "{value}", when: "2021"}}\n'
        for i, subject in enumerate(subjects) for attribute in ("rifles", "trucks")
        for side, value in (("a", "1,000"), ("b", "2,000" if i % 9 == 0 else "4,000"))
    ))
    run_any = imported(run_any, path)
    queries = []
    driver_rows = listing.driver_rows
    monkeypatch.setattr(listing, "driver_rows", lambda *args, **kwargs: queries.append(args[1]) or driver_rows(*args, **kwargs))
    monkeypatch.setattr(listing, "WALK_PAIRS", 10**9)
    sorted_whole, whole_queries = conflicts(run_any), len(queries)
    monkeypatch.setattr(listing, "WALK_PAIRS", 1)
    monkeypatch.setattr(listing, "WALK_SUBJECTS", 3)
    walked = conflicts(run_any)
    assert len(queries) - whole_queries > whole_queries + 8  # the top run's subjects: 20, then 3 at a time
    assert walked == sorted_whole and len(walked) == 90
    assert [(pair["severity"], pair["subject"], pair["attribute"]) for pair in walked] == sorted(
        ((pair["severity"], pair["subject"], pair["attribute"]) for pair in walked),
        key=lambda key: (-key[0], key[1], key[2]))
    assert walked[0]["severity"] == 0.75 and walked[-1]["severity"] == 0.5
    assert conflicts(run_any, "--limit", "25") == walked[:25]


@pytest.mark.parametrize("top_pairs", [0, 30, 45, 60])
def test_capped_counts_decide_the_walk_as_full_counts_would(run, db_path, tmp_path, monkeypatch, top_pairs):
    """The top run is walked when it holds half of ``WALK_PAIRS`` or more pairs, however far each side is counted."""
    from sqlalchemy import create_engine

    import ledger.db.conflicts as listing
    from ledger.db.models import Conflict

    path = two_sources(tmp_path, "".join(
        f'- {{source: {side}, subject: "Deal {i:02d}", attribute: {attribute}, value: "{value}", when: "2021"}}\n'
        for i in range(45) for attribute in ("rifles", "trucks")
        for side, value in (("a", "1,000"), ("b", "2,000" if i % 9 == 0 else "4,000"))
    ))
    assert run("import", str(path)).exit_code == 0
    with sqlite3.connect(db_path) as connection:  # the top run: 80 pairs at 0.75 as imported, else top_pairs
        connection.execute(
            "UPDATE stored_conflicts SET severity = 0.9 WHERE id IN (SELECT id FROM conflicts ORDER BY id LIMIT ?)", (top_pairs,))
        top, run_pairs, pairs = connection.execute(
            "SELECT max(severity), (SELECT count(*) FROM conflicts WHERE severity = (SELECT max(severity) FROM conflicts)), "
            "count(*) FROM conflicts").fetchone()
    connection.close()
    kept = [Conflict.nature == "conflict", Conflict.severity >= 0.0]
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as connection:
        for walk_pairs in (1, 10, 29, 30, 31, 45, 46, 60, 79, 80, 81, 90, 91, 500):
            monkeypatch.setattr(listing, "WALK_PAIRS", walk_pairs)
            assert listing._top_run_leads(connection, kept, top) == (pairs >= walk_pairs and 2 * run_pairs >= pairs)
    engine.dispose()
    assert pairs == 90 and run_pairs == (top_pairs or 80)
