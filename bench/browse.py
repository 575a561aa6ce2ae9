"""Browse and search at scale: canned queries through Datasette, full-text search, and what indexing costs an import.

    python bench/browse.py --sizes 100000 --out bench/out

For the shipped seed ledger and each generated size (``bench/generate.py``):

* import of the generated files into a fresh ledger, in one process, with the
  search index filled (as shipped) and without (``Importer.index_passages``
  made a no-op): wall time, the time spent in ``index_passages`` itself, and
  the file size;
* every canned query of ``ledger browse``, fetched as JSON from a running
  ``ledger browse`` over HTTP (what an analyst's browser or script waits for):
  median and slowest of several samples, and the rows returned;
* a full-text search: ``ledger.db.search.search`` in-process, and
  Datasette's search box on ``passage_search``.

Writes its section of ``bench/RESULTS.md`` (between its markers).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from tabulate import tabulate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import SEED, generate  # noqa: E402
from results import write_section  # noqa: E402

from ledger import service  # noqa: E402
from ledger.browse import CANNED  # noqa: E402
from ledger.db.access import Ledger  # noqa: E402
from ledger.db.search import search  # noqa: E402
from ledger.db.store import Importer  # noqa: E402

SAMPLES = 5
SEARCH_WORD = "Kalashnikov"  # seed articles
GENERATED_WORD = "Reuters"  # generated quotes: "Reuters put it at ..."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="generated claim counts, comma-separated")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()

    ledgers, imports = {}, []
    timed_imports(args.out, "warm-up", [REPO / "seeds" / "claims.yaml"])  # loads the parser, rates, SQLAlchemy
    seed = args.out / "seed-ledger.db"
    shutil.copy(REPO / "ledger.db", seed)
    ledgers["seed (79 claims)"] = (seed, SEARCH_WORD)
    imports.append(("seed (79 claims)", *timed_imports(args.out, "seed", [REPO / "seeds" / "claims.yaml"])))
    for n in [int(s) for s in args.sizes.split(",")]:
        print(f"== {n:,} claims", file=sys.stderr, flush=True)
        sources, claims = generate(n, args.out, SEED)
        label = f"{n:,} claims"
        with_fts, without_fts = timed_imports(args.out, str(n), [sources, claims])
        imports.append((label, with_fts, without_fts))
        ledgers[label] = (args.out / f"browse-{n}-with.db", GENERATED_WORD)

    answers = {label: answer_times(path, word) for label, (path, word) in ledgers.items()}
    report = render(imports, answers, started, load_before, os.getloadavg())
    print(report)
    write_section(args.results, "browse", report)
    print(f"\nwritten to {args.results}", file=sys.stderr)


# -- import with and without the search index -------------------------------------------------


def timed_imports(out: Path, name: str, files: list[Path]) -> tuple[dict, dict]:
    """Import ``files`` into two fresh ledgers: without the search index first, then with it."""
    original = Importer.index_passages
    spent = []

    def timed(importer):
        start = time.perf_counter()
        original(importer)
        spent.append(time.perf_counter() - start)

    results = {}
    for variant, hook in (("without", lambda importer: None), ("with", timed)):
        path = out / f"browse-{name}-{variant}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        ledger = Ledger(str(path), create=True)
        ledger.init()
        Importer.index_passages = hook
        try:
            start, cpu = time.perf_counter(), time.process_time()
            service.import_files(ledger, files, actor="bench")
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        finally:
            Importer.index_passages = original
        ledger.close()
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            claims = connection.execute("select count(*) from claims").fetchone()[0]
            passages = connection.execute("select count(*) from passages").fetchone()[0]
        connection.close()
        results[variant] = dict(seconds=seconds, cpu=cpu, claims=claims, passages=passages, mb=path.stat().st_size / 2**20,
                                index_seconds=sum(spent) if variant == "with" else 0.0)
        print(f"   import {variant} search index: {seconds:.2f} s ({cpu:.2f} s CPU), {passages:,} passages",
              file=sys.stderr, flush=True)
    return results["with"], results["without"]


# -- answering ------------------------------------------------------------------------------


def answer_times(path: Path, word: str) -> list[dict]:
    """Every canned query and a search on the ledger at ``path``: median and slowest ms, rows."""
    params = canned_params(path)
    rows = []
    with serving(path) as base:
        for name in CANNED:
            rows.append(dict(what=f"`{name}`", **sampled(lambda: fetch(f"{base}/{name}.json?_shape=array&"
                                                                      f"{urllib.parse.urlencode(params[name])}"))))
        rows.append(dict(what=f"search box: passage_search `{word}`",
                         **sampled(lambda: fetch(f"{base}/passage_search.json?_shape=array&_search={word}"))))
    ledger = Ledger(str(path), read_only=True)
    with ledger.read() as session:
        rows.append(dict(what=f"`search(\"{word}\")` in-process (limit 20, with quoting claims)",
                         **sampled(lambda: search(session, word))))
    ledger.close()
    return rows


def canned_params(path: Path) -> dict[str, dict]:
    """Parameters that make each canned query find something on this ledger."""
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
        subject, source = connection.execute(
            "select subject, coalesce(a_outlet, a_source) from conflict_pairs order by severity desc limit 1").fetchone()
        claim = connection.execute("select coalesce(ref, cast(id as text)) from claims order by id limit 1").fetchone()[0]
    connection.close()
    empty = {}
    return dict(open_conflicts=empty, subject_claims={"subject": subject}, claim_history={"claim": claim},
                source_conflicts={"source": source}, unread_values=empty, stale_verdicts=empty,
                claims_between={"start": "2020-01-01", "end": "2020-03-31"})


def sampled(call) -> dict:
    times, result = [], None
    for _ in range(SAMPLES):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return dict(median=statistics.median(times), slowest=max(times), rows=len(result))


def fetch(url: str) -> list:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


class serving:
    """``ledger browse`` on a free loopback port for the duration of a ``with`` block."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.server = subprocess.Popen(
            [sys.executable, "-m", "ledger.cli", "--db", str(self.path), "browse", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        fetch(f"http://127.0.0.1:{port}/{self.path.stem}.json")  # warm: schema read, metadata built
        return f"http://127.0.0.1:{port}/{self.path.stem}"

    def __exit__(self, *exc) -> None:
        self.server.terminate()
        self.server.wait(timeout=10)


# -- report ---------------------------------------------------------------------------------


def render(imports, answers, started, load_before, load_after) -> str:
    lines = [
        "# Browse, search and export (issue 18)",
        "",
        f"Generated by `python bench/browse.py` on {started:%Y-%m-%d %H:%M} UTC (seed {SEED}); "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}. "
        f"Load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} (the machine is shared).",
        "",
        "## What the search index costs an import",
        "",
        "The same files imported into a fresh ledger in one process, without the search index "
        "(`Importer.index_passages` a no-op) and with it (as shipped); *index step* is the time inside "
        "`index_passages` (titles, paragraphs and distinct quotes written to `passages`, FTS5 filled by its "
        "trigger), as a share of the import with it. Wall times on this shared machine swing by tens of percent "
        "from run to run; the CPU seconds of the importing process and the index step are the figures to compare.",
        "",
        tabulate(
            [[label, f"{w['claims']:,}", f"{w['passages']:,}", f"{wo['seconds']:.2f} / {wo['cpu']:.2f}",
              f"{w['seconds']:.2f} / {w['cpu']:.2f}", f"{(w['cpu'] / wo['cpu'] - 1) * 100:+.1f}%",
              f"{w['index_seconds']:.2f} ({w['index_seconds'] / w['seconds'] * 100:.1f}%)",
              f"{wo['mb']:.1f} → {w['mb']:.1f}"]
             for label, w, wo in imports],
            headers=["ledger", "claims", "passages", "import without: wall / CPU s", "import with: wall / CPU s",
                     "CPU difference", "index step s", "file MB without → with"],
            tablefmt="github", disable_numparse=True,
        ),
        "",
        "## Time to answer",
        "",
        f"Each canned query fetched as JSON from a running `ledger browse` over HTTP ({SAMPLES} samples after a "
        "warm-up request; Datasette returns at most 1,000 rows a page), and a full-text search.",
    ]
    for label, rows in answers.items():
        lines += [
            "",
            f"### {label}",
            "",
            tabulate([[r["what"], f"{r['median']:.1f}", f"{r['slowest']:.1f}", f"{r['rows']:,}"] for r in rows],
                     headers=["query", "median ms", "slowest ms", "rows"], tablefmt="github", disable_numparse=True),
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
