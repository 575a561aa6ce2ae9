"""Listings an analyst can trust at a glance: claims filters and columns, whole text where it matters, CSV cells."""

from __future__ import annotations

import csv
import io
import json

from tests.conftest import write


def refs(run, *args) -> list[str]:
    result = run("claims", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return [row["ref"] for row in json.loads(result.stdout)]


def test_claims_are_active_by_default_and_show_their_status(loaded):
    assert loaded("retract", "rifles", "--reason", "wrong year").exit_code == 0
    assert refs(loaded) == ["wagner-fee"]
    assert refs(loaded, "--all") == ["rifles", "wagner-fee"]
    assert refs(loaded, "--status", "retracted") == ["rifles"]
    header, _, *rows = loaded("claims", "--all").stdout.splitlines()
    assert header.split()[-2:] == ["status", "quote"] and "currency" in header and "period" in header
    assert any(" retracted " in row for row in rows)


def test_claims_since_and_until_on_the_claims_time(loaded):
    """rifles: when 2012; wagner-fee: no when, so its source's publication date 2021-09-14."""
    assert refs(loaded, "--since", "2021") == ["wagner-fee"]
    assert refs(loaded, "--until", "2012-06") == ["rifles"]
    assert refs(loaded, "--since", "2012-12-31", "--until", "2021-09-14") == ["rifles", "wagner-fee"]
    assert refs(loaded, "--since", "2013", "--until", "2020") == []
    bad = loaded("claims", "--since", "2021-13")
    assert bad.exit_code == 2 and "--since" in bad.output


def test_claims_source_matches_part_of_outlet_or_key(loaded):
    assert refs(loaded, "--source", "test out") == ["rifles", "wagner-fee"]
    assert refs(loaded, "--source", "ARTICLE") == ["rifles", "wagner-fee"]
    assert refs(loaded, "--source", "100%") == []


def test_subject_falls_back_to_substring_when_the_exact_name_has_no_claims(loaded, tmp_path):
    """An entity named exactly 'Wagner' with no claims must not hide the claims of 'Wagner contract'."""
    names = write(tmp_path / "names.yaml", "entities:\n  - name: Wagner\n")
    assert loaded("import", str(names)).exit_code == 0
    assert refs(loaded, "--subject", "Wagner") == ["wagner-fee"]
    assert refs(loaded, "--subject", "Wagner contract") == ["wagner-fee"]


def test_wide_shows_whole_quotes(loaded):
    quote = "Mali will pay the Wagner group 6 billion CFA francs (about 10 million dollars)"
    assert quote not in loaded("claims", "--subject", "Wagner contract").stdout
    assert quote in loaded("claims", "--subject", "Wagner contract", "--wide").stdout


def test_csv_lists_are_semicolon_joined(loaded):
    assert loaded("entities", "alias", "Wagner deal", "Wagner contract").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(loaded("entities", "--format", "csv").stdout)))
    assert {row["aliases"] for row in rows if row["name"] == "Wagner contract"} == {"Wagner deal"}
    assert loaded("entities", "alias", "Wagner fee", "Wagner contract").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(loaded("entities", "--format", "csv").stdout)))
    assert [row["aliases"] for row in rows if row["name"] == "Wagner contract"] == ["Wagner deal;Wagner fee"]


def test_history_keeps_the_whole_reason(loaded):
    reason = "the article's 2012 is the year of the agreement; the rifles were delivered in 2013 per the ministry"
    assert loaded("retract", "rifles", "--reason", reason).exit_code == 0
    assert reason in loaded("history", "rifles").stdout


def test_one_claim_is_one_claim(run, claim_file, tmp_path):
    single = write(tmp_path / "one.yaml", """\
        claims:
          - {source: test-article, subject: Kalashnikov deal, attribute: rifles_purchased, value: "3,000", when: "2012",
             quote: "In 2012 Mali bought 3,000 Kalashnikov weapons", ref: rifles}
        """)
    assert run("import", str(claim_file)).exit_code == 0
    assert "nothing new (1 claim already recorded)." in run("import", str(single)).stdout
