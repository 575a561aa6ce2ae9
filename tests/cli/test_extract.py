"""`ledger extract` end to end: draft from a seed article, finish it, import it; unfinished drafts refused."""

from __future__ import annotations

import re
import shutil

import yaml

from conftest import REPO, write

ARTICLE = REPO / "seeds" / "articles" / "000_9122ee10dc43282d.txt"


def test_extract_fill_import(run, tmp_path):
    shutil.copy(ARTICLE, tmp_path / "article.txt")
    draft = tmp_path / "draft.yaml"
    result = run("extract", str(tmp_path / "article.txt"), "--source", "korybko", "--published", "2019-07-02",
                 "-o", str(draft))
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    count = text.count("  - source: korybko") + text.count('  - source: "korybko"')
    assert f"{count} draft claims written to {draft}" in result.stderr
    assert text.splitlines()[5] == "draft: true"
    assert 'value: "late October"' in text and 'value: "several thousand"' in text
    assert 'text_file: "article.txt"' in text

    refused = run("import", str(draft))
    assert refused.exit_code == 1
    assert f"{draft}:6: draft: the file is an unchecked draft" in refused.stderr
    assert re.search(rf"{re.escape(str(draft))}:\d+: claims\[0\]\.subject: is null; fill it in", refused.stderr)
    assert len(refused.stderr.strip().splitlines()) == 1

    numbers = iter(range(1, 1000))
    finished = text.replace("draft: true\n", "").replace("subject: null", 'subject: "Russia and Mali"')
    finished = re.sub(r"attribute: null", lambda _: f'attribute: "fact_{next(numbers)}"', finished)
    draft.write_text(finished, encoding="utf-8")
    imported = run("import", str(draft))
    assert imported.exit_code == 0, imported.output
    assert f"{count} claims." in imported.stdout  # every quote was found in the article


def test_extract_from_a_source_in_the_ledger_guesses_from_its_names(tmp_path):
    from click.testing import CliRunner

    from ledger.cli import cli
    from ledger.seeds import build_seed_ledger

    db = tmp_path / "seeds.db"
    build_seed_ledger(db, REPO / "seeds" / "claims.yaml")
    result = CliRunner().invoke(cli, ["--db", str(db), "extract", "--source", "gr-klomegah-2021"])
    assert result.exit_code == 0, result.output
    assert "sources:" not in result.stdout
    claims = {c["value"]: c for c in yaml.safe_load(result.stdout)["claims"]}
    fee = claims["$10.8 million a month"]
    assert (fee["subject"], fee["attribute"], fee["attributed_to"]) == ("Wagner Group contract with Mali", "price", "Reuters")
    assert fee["quote"] == "Reuters reported that a possible contract could be worth $10.8 million a month."


def test_extract_without_article_needs_a_known_source(run):
    result = run("extract", "--source", "nowhere")
    assert result.exit_code == 1
    assert result.stderr == ("Error: no source 'nowhere' in the ledger; give the article's text file: "
                             "ledger extract ARTICLE.txt --source nowhere\n")


def test_extract_never_overwrites_a_draft(run, tmp_path):
    shutil.copy(ARTICLE, tmp_path / "article.txt")
    draft = write(tmp_path / "draft.yaml", "# my edits\n")
    result = run("extract", str(tmp_path / "article.txt"), "--source", "k", "-o", str(draft))
    assert result.exit_code == 1
    assert "draft.yaml exists; give another -o file" in result.stderr
    assert draft.read_text() == "# my edits\n"


def test_finished_draft_flag_false_is_accepted(run, claim_file):
    claim_file.write_text("draft: false\n" + claim_file.read_text())
    result = run("import", str(claim_file))
    assert result.exit_code == 0, result.output


def test_extract_judges_quantities_by_the_ledgers_recorded_values(loaded, tmp_path):
    """The ledger's claims (values and quotes) tell what its attributes count."""
    write(tmp_path / "new.txt", "In 2015 Mali bought 500 Kalashnikov weapons.\n\nIn 2016 Mali bought 2,000 helmets.\n")
    result = loaded("extract", str(tmp_path / "new.txt"), "--source", "new", "--published", "2016-05-01")
    assert result.exit_code == 0, result.output
    claims = {c["value"]: c for c in yaml.safe_load(result.stdout)["claims"]}
    assert claims["500"]["attribute"] == "rifles_purchased"
    assert claims["2,000"]["attribute"] is None  # its claims count weapons, not helmets
    assert "no known quantity attribute's claims count 'helmets'" in result.stdout
