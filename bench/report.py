"""Render time of ``ledger report`` on the shipped ledger and on a generated large one.

    python bench/report.py --sizes 100000 --out bench/out

For each ledger: the whole command as a CLI process (``ledger report -o``,
HTML and Markdown, median of ``--repeat`` runs; wall clock, and CPU time,
which other jobs on a shared machine disturb less), then, in process, where
the CPU time goes: reading (``load_report``: the conflict rows, engine view, readings,
sources, journal head) and building plus rendering the page. A size's ledger is
generated (``bench/generate.py``, fixed seed) and imported once, then reused.
The results replace the ``report`` section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from results import write_section  # noqa: E402

LEDGER = [sys.executable, "-m", "ledger.cli"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="generated claim counts, comma-separated")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    seed = args.out / "report-seed.db"
    shutil.copyfile(HERE.parent / "ledger.db", seed)
    rows = [measure("shipped ledger.db (79 claims)", seed, args)]
    for size in (int(s) for s in args.sizes.split(",")):
        rows.append(measure(f"generated, {size:,} claims", ledger_of(size, args.out), args))
    lines = [
        "## Report render time (`ledger report`, issue 17)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, shared by other jobs; "
        f"median of {args.repeat} runs. `python bench/report.py --sizes 100000`.",
        "",
        "| ledger | groups shown / all | pairs shown | HTML (CLI): wall / CPU | Markdown (CLI): wall / CPU "
        "| read (CPU) | build + render HTML (CPU) | HTML size |",
        "|---|---|---|---|---|---|---|---|",
        *[f"| {r['ledger']} | {r['groups']} | {r['pairs']:,} | {r['html'][0]:.2f} s / {r['html'][1]:.2f} s "
          f"| {r['md'][0]:.2f} s / {r['md'][1]:.2f} s | {r['read']:.2f} s | {r['render']:.2f} s "
          f"| {r['bytes'] / 1e6:.2f} MB |" for r in rows],
        "",
        "Default `--limit 200` groups. Reading ranks the groups from the `conflicts` table, then lists the pairs "
        "(`list_conflicts`, with support) of the shown groups only, and their claims' details; listing every pair "
        "first, as `ledger conflicts` does, took 6.8 s CPU on the 100,000-claim ledger (16,799 pairs). Build + "
        "render is the geometry and Jinja2. A CLI run's CPU beyond these is Python starting and importing "
        "(about 1.5 s here).",
    ]
    write_section(args.results, "report", "\n".join(lines))
    print("\n".join(lines))


def ledger_of(size: int, out: Path) -> Path:
    db = out / f"report-{size}.db"
    if db.exists():
        return db
    sources, claims = generate(size, out)
    subprocess.run([*LEDGER, "--db", str(db), "init"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*LEDGER, "--db", str(db), "import", str(sources), str(claims)], check=True, stdout=subprocess.DEVNULL)
    return db


def measure(label: str, db: Path, args) -> dict:
    from ledger.db.access import Ledger
    from ledger.db.report import load_report
    from ledger.report.document import build
    from ledger.report.page import render

    html, md = (_cli_seconds(db, fmt, args.out / f"report.{fmt}", args.repeat) for fmt in ("html", "md"))
    ledger = Ledger(str(db), read_only=True)
    reads, renders = [], []
    for _ in range(args.repeat):
        started = time.process_time()
        with ledger.read() as session:
            data = load_report(session)
        read_at = time.process_time()
        page = render(build(data), "html")
        renders.append(time.process_time() - read_at)
        reads.append(read_at - started)
    ledger.close()
    return dict(ledger=label, groups=f"{min(data.groups_total, data.limit):,} / {data.groups_total:,}",
                pairs=len(data.conflicts), html=html, md=md, read=statistics.median(reads),
                render=statistics.median(renders), bytes=len(page.encode()))


def _cli_seconds(db: Path, fmt: str, output: Path, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU (user + system) seconds of the command."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([*LEDGER, "--db", str(db), "report", "--format", fmt, "-o", str(output)], check=True,
                       stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


if __name__ == "__main__":
    main()
