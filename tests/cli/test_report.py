"""`ledger report`: the page says what `conflicts --format json` says, Markdown has the same groups, and
the page renders in headless Chromium with every number line drawn and no network request."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.cli.report_ledger import report_claims
from tests.conftest import REPO, copy_ledger_file


def _json(run, *args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _report(run, path: Path, *args) -> str:
    result = run("report", "-o", str(path), *args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {path}: ")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def reported(run_any, tmp_path):
    """A ledger (SQLite, and PostgreSQL when given) with one group of each kind: touching money, money in two
    currencies, log-scale counts, dates, text, incomparable."""
    result = run_any("import", str(report_claims(tmp_path)))
    assert result.exit_code == 0, result.output
    return run_any


def _pair_rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="(c-[0-9a-f]{12})" data-severity="([^"]*)">', page))


def _claims(page: str) -> set[tuple[str, str, str]]:
    return set(re.findall(r'class="claim" id="[^"]*" data-claim="(\d+)" data-low="([^"]*)" data-high="([^"]*)"', page))


def _assert_matches_json(page: str, rows: list[dict]) -> None:
    assert _pair_rows(page) == {row["id"]: str(row["severity"]) for row in rows}
    expected = {(str(c["id"]), "" if c["low"] is None else str(c["low"]), "" if c["high"] is None else str(c["high"]))
                for row in rows for c in row["claims"]}
    assert expected <= _claims(page)
    text = html.unescape(page)
    for row in rows:
        assert f"{row['severity']:.3f}" in text and row["reason"] in text
        for claim in row["claims"]:
            for end in (claim["low"], claim["high"]):
                if end is not None:
                    assert (f"{end:,}" if isinstance(end, (int, float)) else end) in text


def test_seed_report_numbers_match_conflicts_json(tmp_path):
    """On a copy of the shipped ledger, pairs, severities and intervals are those of `conflicts --format json`."""
    from click.testing import CliRunner

    from ledger.cli import cli

    db = copy_ledger_file(REPO / "ledger.db", tmp_path / "seed.db")

    def run(*args):
        return CliRunner().invoke(cli, ["--db", str(db), *args])

    page = _report(run, tmp_path / "seed.html")
    _assert_matches_json(page, _json(run, "conflicts") + _json(run, "conflicts", "--incomparable"))
    head = run("verify").output.splitlines()[0].split()[-1]
    assert f"ledger verify --expect-head {head}" in page


def test_report_shows_each_group_with_quotes_in_their_sentences(reported, tmp_path):
    page = _report(reported, tmp_path / "r.html")
    _assert_matches_json(page, _json(reported, "conflicts") + _json(reported, "conflicts", "--incomparable"))
    text = html.unescape(page)
    assert "In 2012 Mali <mark>agreed to buy 3,000 rifles for nearly one million euros in 2012</mark>, officials said." in text
    assert "<mark>The rifles cost more than € 1 million</mark>, according to BBC Africa." in text
    assert '<a href="http://127.0.0.1:9/a">' in page and "Deals and troops" in page and "BBC Africa" in page
    assert re.search(r'data-scale="count" data-log="yes"', page)  # 300 vs 30,000: orders of magnitude apart
    assert re.search(r'data-scale="one-off money in EUR" data-log="no"', page)
    assert "time each claim is about" in page  # 2021 vs mid-2021: time differs, so a timeline
    assert "ends meet here" in page  # under €1,000,000 touches more than €1,000,000
    assert "USD shown in EUR from the lowest to the highest rate of 2020-01-01 to 2020-12-31" in page  # $5m vs €20m
    assert "amounts per month scaled to a year" in page
    assert re.search(r"far apart \(severity ≥ 0\.5\)</h4>\s*<ul>\s*<li><a href=\"#g1\">Coup / commander", page)
    incomparable = page.split('id="incomparable"')[1]
    assert "Wagner contract / price" in incomparable and "not comparable" in incomparable
    assert "<script" not in page and "<link" not in page and "@import" not in page


def test_markdown_has_the_same_groups_and_pairs(reported, tmp_path):
    page = _report(reported, tmp_path / "r.html")
    markdown = _report(reported, tmp_path / "r.md", "--format", "md")
    html_groups = [html.unescape(g) for g in re.findall(r'<section class="group" id="[gi]\d+">\s*<h3>(.*?) <span', page)]
    md_groups = [g.replace("\\_", "_") for g in re.findall(r"^### (.*?) — highest severity", markdown, re.M)]
    assert html_groups == md_groups and len(md_groups) == 6
    assert set(re.findall(r"\| (c-[0-9a-f]{12}) \| ([0-9.]+) \|", markdown)) == {
        (pair, f"{float(severity):.3f}") for pair, severity in _pair_rows(page).items()}
    assert "**agreed to buy 3,000 rifles for nearly one million euros in 2012**" in markdown
    assert "(=====>|" in markdown  # more than €1,000,000: open end, no upper end


def test_limit_says_what_was_left_out_and_subject_and_status_filter(reported, tmp_path):
    page = _report(reported, tmp_path / "r.html", "--limit", "1")
    assert len(re.findall(r'<section class="group" id="g\d+">', page)) == 1
    assert "4 conflict groups left out (--limit 1; the least severe)" in page
    pair = _json(reported, "conflicts", "--subject", "Rifle deal")[0]["id"]
    assert reported("conflicts", "dismiss", pair, "--note", "two different deals").exit_code == 0
    assert pair not in _report(reported, tmp_path / "open.html")
    everything = _report(reported, tmp_path / "all.html", "--status", "all", "--subject", "Rifle")
    assert pair in everything and "two different deals" in everything
    assert len(re.findall(r'<section class="group" id="g\d+">', everything)) == 1


def test_groups_rank_by_the_pairs_the_status_keeps(reported, tmp_path):
    """Dismissing the only pair of the most severe group drops it: the next group leads and is the one shown."""
    pair = _json(reported, "conflicts", "--subject", "Coup", "--attribute", "commander")[0]["id"]
    assert reported("conflicts", "dismiss", pair).exit_code == 0
    page = _report(reported, tmp_path / "r.html", "--limit", "1")
    assert re.findall(r'<section class="group" id="g\d+">\s*<h3>(.*?) <span', page) == ["Russian presence / troops_deployed"]
    assert "3 conflict groups left out (--limit 1" in page and pair not in page
    everything = _report(reported, tmp_path / "all.html", "--limit", "1", "--status", "all")
    assert re.findall(r'<section class="group" id="g\d+">\s*<h3>(.*?) <span', everything) == ["Coup / commander"]


def test_report_errors(reported, tmp_path):
    result = reported("report", "--format", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2 and "'pdf' is not one of" in result.output
    result = reported("report", "-o", str(tmp_path / "missing" / "r.html"))
    assert result.exit_code == 1 and result.output.startswith("Error: cannot write ")
    assert not (tmp_path / "missing").exists()


# -- in a browser ----------------------------------------------------------------

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must render the report in Chromium: .ci/run installs Debian's chromium package")
        pytest.skip("no chromium here (apt-get install chromium); CI installs it")
    return found


def screenshot(page: Path, png: Path, size: tuple[int, int], tmp_path: Path, *extra: str) -> None:
    profile = tmp_path / f"profile-{png.stem}"
    subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
         f"--screenshot={png}", *extra, page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    assert png.exists()


class Sentinel(BaseHTTPRequestHandler):
    """A server the page's links point to: any request reaching it is a request the page made."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Sentinel.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentinel():
    server = HTTPServer(("127.0.0.1", 0), Sentinel)
    Sentinel.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_page_renders_in_chromium_without_network(run, tmp_path, sentinel):
    """Every number line's region of the screenshot holds each interval's bar; nothing is fetched."""
    from PIL import Image

    assert run("import", str(report_claims(tmp_path, url=sentinel))).exit_code == 0
    page = _report(run, tmp_path / "r.html")
    assert sentinel in page
    net_log = tmp_path / "net.json"
    screenshot(tmp_path / "r.html", tmp_path / "whole.png", (1000, 3000), tmp_path, f"--log-net-log={net_log}")
    requested = set(re.findall(r'"url":"([^"]*)"', net_log.read_text(encoding="utf-8", errors="replace")))
    assert Sentinel.hits == []
    assert not any(url.startswith(sentinel) for url in requested)
    assert not [url for url in requested if url.startswith("file:") and url != (tmp_path / "r.html").as_uri()]
    # Chromium's own background services are all that may reach out (never a host the page names).
    assert not [url for url in requested if re.match(r"https?://", url)
                and not re.match(r"https?://[^/]*\b(google\.com|googleapis\.com|gstatic\.com)/", url)]

    # Each number line alone at a known offset, with the page's own styles: one screenshot, regions known.
    head = page.split("<body>")[0]
    svgs = re.findall(r"<svg class=\"numberline\".*?</svg>", page, re.S)
    assert len(svgs) == 7  # log counts and their timeline, dollars vs euros, dates, touching money, two incomparable scales
    placed, top = [], 0
    for svg in svgs:
        width, height = (int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())
        placed.append((svg, top, width, height))
        top += height + 20
    body = "".join(f'<div style="position:absolute;left:0;top:{t}px;width:{w}px;height:{h}px">{s}</div>'
                   for s, t, w, h in placed)
    (tmp_path / "lines.html").write_text(f"{head}<body style=\"margin:0;padding:0\">{body}</body></html>", encoding="utf-8")
    screenshot(tmp_path / "lines.html", tmp_path / "lines.png", (800, top + 40), tmp_path)
    image = Image.open(tmp_path / "lines.png").convert("RGB")
    for svg, top, width, height in placed:
        for y, x1, x2 in re.findall(r'data-y="([\d.]+)" data-x1="([\d.]+)" data-x2="([\d.]+)"', svg):
            row = image.crop((int(float(x1)) - 6, top + int(float(y)) - 3, int(float(x2)) + 7, top + int(float(y)) + 4))
            coloured = [p for p in _pixels(row) if max(p) - min(p) > 60]  # the palette's colours, not grey or white
            assert len(coloured) >= 20, f"interval at y={y} of a number line did not render"
        axis = image.crop((0, top, width, top + height))
        assert len(set(_pixels(axis))) > 10  # labels and ticks drawn too



def _pixels(image) -> list[tuple[int, int, int]]:
    """RGB pixels of ``image`` (read from its bytes: the same on every Pillow version)."""
    data = image.tobytes()
    return [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]


def test_text_from_the_ledger_is_escaped_and_only_web_links_are_links(run, tmp_path):
    claims = tmp_path / "evil.yaml"
    claims.write_text("""\
sources:
  - {key: x, title: "<script>alert(1)</script> *bold* | pipe", outlet: "A & B", published: 2021, url: "javascript:alert(1)"}
  - {key: y, title: Plain, outlet: C, published: 2021}
claims:
  - {source: x, subject: "<b>Deal</b>", attribute: troops, value: "100", when: "2020"}
  - {source: y, subject: "<b>Deal</b>", attribute: troops, value: "900", when: "2020"}
""", encoding="utf-8")
    assert run("import", str(claims)).exit_code == 0
    page = _report(run, tmp_path / "r.html")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "A &amp; B" in page
    assert 'href="javascript:' not in page and "&lt;b&gt;Deal&lt;/b&gt;" in page
    markdown = _report(run, tmp_path / "r.md", "--format", "md")
    assert r"\<script\>alert(1)\</script\> \*bold\* \| pipe" in markdown and "<javascript:" not in markdown
