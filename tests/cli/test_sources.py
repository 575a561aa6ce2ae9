"""`ledger sources show KEY` (the article with quoted passages marked) and `ledger sources add` (no YAML needed)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import sqlite_statements, write

ARTICLE = "Mali junta nears deal with Wagner\n\nMali is close to a deal to bring in 1,000 Russian mercenaries, paying 6 billion CFA francs a month.\n"


def test_show_marks_every_quoted_passage(loaded):
    result = loaded("sources", "show", "test-article")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "test-article: Mercenaries and money",
        "Test Outlet, 2021-09-14",
        "",
        "Mercenaries and money",
        "",
        "By [A. Writer](#)",
        "",
        "⟦Mali will pay the Wagner group 6 billion CFA francs (about 10 million dollars)⟧[1], a source told Reuters.",
        "⟦In 2012 Mali bought 3,000 Kalashnikov weapons⟧[2] for more than € 1 million.",
        "France has several thousand troops in the Sahel.",
        "",
        "Claims (2; ⟦…⟧[N] marks the passage claim N quotes):",
        "[1] (wagner-fee) Wagner contract / price = 6 billion CFA francs (about 10 million dollars)",
        "[2] (rifles) Kalashnikov deal / rifles_purchased = 3,000",
    ]
    shown = json.loads(loaded("sources", "show", "test-article", "--format", "json").stdout)
    assert [shown["text"][slice(*claim["span"])] for claim in shown["claims"]] == [c["quote"] for c in shown["claims"]]


def test_the_sources_listing_reads_no_article_text(loaded):
    """Articles' texts are most of a ledger's ``sources`` table: listing sources shows none and reads none."""
    with sqlite_statements() as statements:
        result = loaded("sources", "--format", "json")
    assert result.exit_code == 0, result.output
    [source] = json.loads(result.stdout)
    assert source["key"] == "test-article" and source["claims"] == 2 and "text" not in source
    reading_sources = [sql for sql in statements if "FROM sources" in sql]
    assert reading_sources and not any("sources.text" in sql for sql in reading_sources), reading_sources


def test_show_unknown_source(loaded):
    result = loaded("sources", "show", "nowhere")
    assert result.exit_code == 1
    assert result.stderr == "Error: no source with key 'nowhere'; `ledger sources` lists them\n"


@pytest.fixture
def article(tmp_path):
    return write(tmp_path / "reuters.txt", ARTICLE)


def add(run, article, *extra):
    return run("sources", "add", "--text", str(article), "--title", "Mali junta nears deal with Wagner",
               "--outlet", "Reuters", "--published", "2021-09-13", *extra)


def test_add_then_quote_search_and_verify(run_any, article):
    result = add(run_any, article, "--url", "https://example.org/r", "--author", "A. Writer", "--language", "en")
    assert (result.exit_code, result.stdout) == (0, "Added source reuters-2021-09-13.\n")
    assert add(run_any, article).stdout == "Source reuters-2021-09-13 is already recorded; nothing added.\n"
    claim = run_any("claim", "add", "--source", "reuters-2021-09-13", "--subject", "Wagner contract",
                    "--attribute", "troops_deployed", "--value", "1,000", "--quote", "1,000 Russian mercenaries")
    assert claim.exit_code == 0, claim.output
    hits = json.loads(run_any("search", "mercenaries", "--format", "json").stdout)
    assert [(h["source"], h["position"], [c["value"] for c in h["claims"]]) for h in hits] == [
        ("reuters-2021-09-13", 2, ["1,000"])
    ]
    assert "⟦1,000 Russian mercenaries⟧[1]" in run_any("sources", "show", "reuters-2021-09-13").stdout
    assert run_any("verify").exit_code == 0
    sources = json.loads(run_any("sources", "--format", "json").stdout)
    assert sources[0]["url"] == "https://example.org/r" and sources[0]["author"] == "A. Writer"


def test_add_with_own_key_and_the_same_text_again(run, article):
    assert add(run, article, "--key", "r1").stdout == "Added source r1.\n"
    again = add(run, article, "--key", "r2")
    assert again.exit_code == 1
    assert again.stderr == (
        "Error: command line: source.text_file: this article is already recorded as source 'r1'; use that key\n"
    )


def test_add_refuses_bad_input(run, article, tmp_path):
    bad_date = add(run, article, "--published", "2021-13")
    assert bad_date.exit_code == 2 and "--published" in bad_date.stderr
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF\xff\xfe")
    result = run("sources", "add", "--text", str(binary), "--title", "Scan")
    assert result.exit_code == 1 and result.stderr == f"Error: --text {binary}: not UTF-8 text\n"
    assert json.loads(run("sources", "--format", "json").stdout) == []
