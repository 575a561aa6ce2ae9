"""Score the ledger's consensus against the gold of the Flight, Population and Book truth-discovery sets.

    python bench/score_truth.py [--days N] [--only SET,...] [--workdir DIR [--reuse]] [--json OUT] [--results RESULTS.md]

For each data set — Flight with every source (``flight-all``), Flight without
the airline sites ``aa``, ``ua`` and ``CO`` (``flight-no-airlines``: the gold
was taken from their pages), ``population``, ``book`` — it runs the real
pipeline, each step a separate process whose wall time and peak memory (max
RSS) are measured:

1. ``bench/flight_to_claims.py`` / ``population_to_claims.py`` / ``book_to_claims.py`` → JSONL;
2. ``ledger init`` and ``ledger import`` into a fresh SQLite ledger;
3. ``ledger conflicts --clusters`` → disagreements before and after normalisation;
4. ``ledger consensus --method support`` and ``--method reliability`` (CSV).

Then the chosen value of every gold item is compared with the gold value, read
by the same parsers (a gold time is read against its own crawl day):

* times: *exact* to the minute, and *±5 min* (the comparison tolerance);
* gates: *exact* code after cleaning (``A09`` = ``A9``), and *compatible*
  (``44`` = ``C44``: a missing concourse letter);
* population: *exact*, and *within 1%*;
* book authors: *exact* — the same people (the gold list read by the same
  ``names`` reader; an initial matches a given name) — and *tolerant*: the
  same set of family names.

Each data set's gold is split in two halves: the **tuning** half (odd crawl
days of Flight; odd-numbered gold books and Population gold rows, in file
order) — the only one looked at while setting the method's parameters — and
the **held-out** half (even ones), reported apart. Plain **voting** (each
source once, the reading stated by the most sources) is scored beside the two
methods, from the same ledger. Calibration tables are given per data set on
the held-out half; ``--results`` writes the tables into the ``truth`` section
of ``bench/RESULTS.md``.

Gold rows whose value cannot be read (``--``, ``TBA``, a date without a time)
are not scored; a flight-day listed twice with different values accepts either.
Items no claim covers count as wrong. Results are printed as Markdown (the
tables of ``bench/RESULTS.md``); ``--json`` also writes them as JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.flight_to_claims import ATTRIBUTES, DEFAULT_DATA as FLIGHT_DATA, day_files, day_of  # noqa: E402
from bench.flight_to_claims import subject as flight_subject  # noqa: E402
from bench.book_to_claims import DEFAULT_DATA as BOOK_DATA  # noqa: E402
from bench.population_to_claims import DEFAULT_DATA as POPULATION_DATA, year_of  # noqa: E402
from bench.results import write_section  # noqa: E402
from ledger.core import identifiers, person_names  # noqa: E402
from ledger.core.readings import ParseContext, PartialDate  # noqa: E402
from ledger.core.times import format_minutes  # noqa: E402
from ledger.core.values import parse_value  # noqa: E402

AIRLINE_SITES = "aa,ua,CO"
METHODS = ("support", "reliability")
SCORED = ("voting", *METHODS)
HALVES = ("tuning", "held-out")
SETS = ("flight-all", "flight-no-airlines", "population", "book")
_SUMMARY = re.compile(
    r"([\d,]+) items with claims from two or more sources: ([\d,]+) stated differently, ([\d,]+) read "
    r"differently, ([\d,]+) disagree after tolerance .*?; ([\d,]+) claims unreadable"
)


@dataclass
class Step:
    name: str
    seconds: float
    max_rss_mb: float


@dataclass
class Run:
    """One data set through the pipeline: its steps, counts and accuracy."""

    name: str
    steps: list[Step] = field(default_factory=list)
    claims: int = 0
    disagreements: dict = field(default_factory=dict)
    accuracy: dict = field(default_factory=dict)  # method -> attribute -> {measure: (right, total)}
    calibration: dict = field(default_factory=dict)  # method -> [(confidence bin, items, mean confidence, right)]
    halves: dict = field(default_factory=dict)  # half -> method -> {measure: (right, total)} (overall)
    half_calibration: dict = field(default_factory=dict)  # half -> method -> calibration rows
    reliability_sources: list = field(default_factory=list)

    def slowest(self) -> Step:
        return max(self.steps, key=lambda s: s.seconds)


TIME = Path("/usr/bin/time")


def run_step(run: Run, name: str, args: list[str], stdout=None) -> subprocess.CompletedProcess:
    """Run one step as a child process; record its wall time and peak memory.

    The peak is measured by ``/usr/bin/time`` when present: a child forked from
    this (large) process would otherwise be charged the parent's pages it had
    before ``exec``.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as measured:
        command = [str(TIME), "-f", "%M", "-o", measured.name, *args] if TIME.exists() else args
        process = subprocess.Popen(command, stdout=stdout or subprocess.DEVNULL, stderr=err, cwd=REPO)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        kilobytes = int(measured.read().split()[-1]) if TIME.exists() else usage.ru_maxrss
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"step {name!r} failed ({code}): {' '.join(args)}\n{stderr[-2000:]}")
    run.steps.append(Step(name, seconds, kilobytes / 1024))
    print(f"  {name}: {seconds:.1f} s, {kilobytes / 1024:.0f} MB", file=sys.stderr)
    return subprocess.CompletedProcess(args, code, None, stderr)


def ledger(*args: str) -> list[str]:
    return [sys.executable, "-m", "ledger.cli", *args]


def pipeline(run: Run, convert: list[str], workdir: Path, reuse: bool = False) -> dict[str, list[dict]]:
    """Convert, import, cluster and decide; return the consensus rows per method.

    ``reuse``: a ledger ``workdir/NAME.db`` already there is decided again, not rebuilt.
    """
    jsonl = workdir / f"{run.name}.jsonl"
    db = workdir / f"{run.name}.db"
    if not (reuse and db.exists()):
        for leftover in workdir.glob(f"{run.name}.db*"):
            leftover.unlink()
        run_step(run, "convert to JSONL", [sys.executable, *convert, str(jsonl)])
        run_step(run, "ledger init", ledger("--db", str(db), "init"))
        run_step(run, "ledger import", ledger("--db", str(db), "import", str(jsonl)))
    run.claims = _count_claims(db)
    clusters = run_step(run, "ledger conflicts --clusters", ledger("--db", str(db), "conflicts", "--clusters", "--limit", "1", "--format", "json"))
    found = _SUMMARY.search(clusters.stderr.replace("\n", " "))
    if found:
        items, stated, read, disagree, unreadable = (int(g.replace(",", "")) for g in found.groups())
        run.disagreements = dict(items=items, differently_stated=stated, different_readings=read,
                                 disagreeing=disagree, unreadable=unreadable)
    rows = {}
    for method in METHODS:
        out = workdir / f"{run.name}-{method}.csv"
        with out.open("w") as handle:
            run_step(run, f"ledger consensus --method {method}",
                     ledger("--db", str(db), "consensus", "--method", method, "--format", "csv"), stdout=handle)
        with out.open(newline="") as handle:
            rows[method] = list(csv.DictReader(handle))
    out = workdir / f"{run.name}-sources.json"
    with out.open("w") as handle:
        run_step(run, "ledger sources --reliability", ledger("--db", str(db), "sources", "--reliability", "--format", "json"), stdout=handle)
    run.reliability_sources = json.loads(out.read_text())
    rows["voting"] = voting_rows(db)
    return rows


def voting_rows(db: Path) -> list[dict]:
    """Plain voting, as the rows ``ledger consensus --format csv`` prints: per item the reading stated by the
    most sources (each source once; ties: more claims, then the first stated), confidence its share of them."""
    from sqlalchemy import select

    from ledger.core.wording import show_days, show_value
    from ledger.db.access import Ledger
    from ledger.db.consensus import read_items
    from ledger.db.models import Entity

    with Ledger(str(db)).read() as session:
        items = read_items(session, judge="source")
        names = dict(session.execute(select(Entity.id, Entity.name)).all())
    rows = []
    for item in items:
        sources: dict = defaultdict(set)
        claims: dict = defaultdict(int)
        for statement in item.statements:
            sources[statement.value].add(statement.source)
            claims[statement.value] += 1
        best = max(sources, key=lambda v: (len(sources[v]), claims[v]))  # dicts keep the first stated first
        share = len(sources[best]) / sum(len(s) for s in sources.values())
        rows.append(dict(subject=names[item.key[0]], attribute=item.attribute, time=show_days(item.key[2]),
                         value=show_value(item.scale, best), confidence=share))
    return rows


def _count_claims(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute("select count(*) from claims").fetchone()[0]


# -- gold ------------------------------------------------------------------------


def flight_gold(days: int | None) -> dict[tuple[str, str], list]:
    """(subject, attribute) → accepted gold readings (a time in minutes, or a code)."""
    gold: dict[tuple[str, str], list] = defaultdict(list)
    for path in day_files(FLIGHT_DATA, days):
        day = day_of(path)
        context = ParseContext(published=PartialDate(*map(int, day.split("-"))))
        truth = FLIGHT_DATA / "flight_truth" / f"{day}-truth.txt"
        with truth.open(encoding="latin-1") as handle:
            for line in handle:
                cells = line.rstrip("\n").split("\t")
                for (name, kind, _), cell in zip(ATTRIBUTES, cells[1:]):
                    reading = parse_value(cell.strip(), kind, context) if cell.strip() else None
                    if reading is None or reading.kind == "unparsed":
                        continue
                    value = reading.text if kind == "identifier" else float((reading.interval.low + reading.interval.high) / 2)
                    gold[flight_subject(cells[0].strip(), day), name].append(value)
    return gold


def population_gold() -> dict[tuple[str, str, str], list]:
    gold = {}
    with (POPULATION_DATA / "population_truth.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            gold[row["ObjectID"].strip(), "population", year_of(row["PropertyID"])] = [float(row["PropertyValue"])]
    return gold


def book_gold() -> dict[tuple[str, str], list]:
    """(ISBN, "authors") → [the gold list read as names], numbered in file order (see ``book_number``)."""
    gold = {}
    with (BOOK_DATA / "book_golden.txt").open(encoding="latin-1") as handle:
        for line in handle:
            if line.strip():
                isbn, authors = line.rstrip("\r\n").split("\t")
                gold[isbn.strip(), "authors"] = [person_names.parse_names(authors).text]
    return gold


def numbered_half(gold: dict) -> dict:
    """Gold key → "tuning" (odd-numbered in file order, from 1) or "held-out" (even-numbered)."""
    return {key: HALVES[number % 2 == 0] for number, key in enumerate(gold, start=1)}


def flight_half(gold: dict) -> dict:
    """Gold key → "tuning" (odd calendar crawl days) or "held-out" (even ones)."""
    return {key: HALVES[int(key[0][-2:]) % 2 == 0] for key in gold}


def _family_names(text: str) -> list[str]:
    return sorted(name.family for name in person_names.from_text(text))


def score_book(rows: list[dict], gold: dict) -> tuple[dict, list]:
    chosen = {(row["subject"], row["attribute"]): (row["value"], float(row["confidence"])) for row in rows}
    result: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    judged = []
    for key, accepted in gold.items():
        value, confidence = chosen.get(key, (None, None))
        same = value is not None and any(
            (c := person_names.compare(value, g)).shared == c.left == c.right for g in accepted)
        families = value is not None and any(_family_names(value) == _family_names(g) for g in accepted)
        for measure, ok in (("exact", same), ("tolerance", families)):
            for attribute in ("authors", "overall"):
                result[attribute][measure][0] += ok
                result[attribute][measure][1] += 1
        if value is not None:
            judged.append((confidence, same))
    return result, calibration(judged)


def _minutes(shown: str) -> float:
    moment = datetime.strptime(shown, "%Y-%m-%d %H:%M")
    return (moment - datetime(1970, 1, 1)).total_seconds() / 60


CONFIDENCE_BINS = (0.5, 0.7, 0.9, 0.99)  # upper bounds; the last bin is [0.99, 1]


def calibration(judged: list[tuple[float, bool]]) -> list[tuple[str, int, float, float]]:
    """Per confidence bin: (bin, items, mean stated confidence, share right) — is the confidence a probability?"""
    edges = (0.0, *CONFIDENCE_BINS, 1.0)
    rows = []
    for low, high in zip(edges, edges[1:]):
        inside = [(c, ok) for c, ok in judged if low <= c < high or (high == 1.0 and c == 1.0)]
        if inside:
            rows.append((f"[{low:g}, {high:g}{']' if high == 1.0 else ')'}", len(inside),
                         sum(c for c, _ in inside) / len(inside), sum(ok for _, ok in inside) / len(inside)))
    return rows


def score_flight(rows: list[dict], gold: dict) -> tuple[dict, list]:
    chosen = {(row["subject"], row["attribute"]): (row["value"], float(row["confidence"])) for row in rows}
    result: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    judged = []
    for (subject, attribute), accepted in gold.items():
        value, confidence = chosen.get((subject, attribute), (None, None))
        kind = "identifier" if attribute.endswith("gate") else "time"
        if kind == "time":
            exact = value is not None and any(format_minutes(g) == value for g in accepted)
            near = value is not None and any(abs(_minutes(value) - g) <= 5 for g in accepted)
            measures = {"exact": exact, "tolerance": near}
        else:
            exact = value in accepted
            near = value is not None and any(identifiers.compatible(value, g) for g in accepted)
            measures = {"exact": exact, "tolerance": near}
        for measure, ok in measures.items():
            for key in (attribute, "overall"):
                result[key][measure][0] += ok
                result[key][measure][1] += 1
        if value is not None:
            judged.append((confidence, measures["exact"]))
    return result, calibration(judged)


def score_population(rows: list[dict], gold: dict) -> tuple[dict, list]:
    chosen = {(row["subject"], row["attribute"], row["time"]): (row["value"], float(row["confidence"])) for row in rows}
    result: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    judged = []
    for key, accepted in gold.items():
        shown, confidence = chosen.get(key, (None, None))
        value = float(shown.replace(",", "")) if shown else None
        exact = value is not None and value in accepted
        near = value is not None and any(abs(value - g) <= 0.01 * g for g in accepted)
        for measure, ok in (("exact", exact), ("tolerance", near)):
            result["population"][measure][0] += ok
            result["population"][measure][1] += 1
            result["overall"][measure][0] += ok
            result["overall"][measure][1] += 1
        if value is not None:
            judged.append((confidence, exact))
    return result, calibration(judged)


# -- report ----------------------------------------------------------------------


def markdown(runs: list[Run], days: int | None) -> str:
    lines = [f"Data: {'first ' + str(days) + ' crawl days of ' if days else ''}Flight (31 days), Population, Book.", ""]
    lines += ["| data set | claims imported | items compared | stated differently | read differently | disagree after tolerance | unreadable claims |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        d = run.disagreements
        lines.append(f"| {run.name} | {run.claims:,} | {d.get('items', 0):,} | {d.get('differently_stated', 0):,} | "
                     f"{d.get('different_readings', 0):,} | {d.get('disagreeing', 0):,} | {d.get('unreadable', 0):,} |")
    lines += ["", "| data set | method | attribute | exact | tolerant | items |", "|---|---|---|---:|---:|---:|"]
    for run in runs:
        for method in SCORED:
            table = run.accuracy.get(method, {})
            for attribute in sorted(table, key=lambda a: (a == "overall", a)):
                exact, tolerant = table[attribute]["exact"], table[attribute]["tolerance"]
                name = f"**{attribute}**" if attribute == "overall" else attribute
                lines.append(f"| {run.name} | {method} | {name} | {_pct(exact)} | {_pct(tolerant)} | {exact[1]:,} |")
    lines += ["", "| data set | method | stated confidence | items | mean confidence | right (exact) |",
              "|---|---|---|---:|---:|---:|"]
    for run in runs:
        for method in METHODS:
            for label, items, mean, right in run.calibration.get(method, []):
                lines.append(f"| {run.name} | {method} | {label} | {items:,} | {mean:.3f} | {100 * right:.1f}% |")
    lines += ["", "| data set | step | wall time | peak memory (max RSS) |", "|---|---|---:|---:|"]
    for run in runs:
        for step in run.steps:
            lines.append(f"| {run.name} | {step.name} | {step.seconds:.1f} s | {step.max_rss_mb:,.0f} MB |")
    slowest = max(((step, run.name) for run in runs for step in run.steps), key=lambda pair: pair[0].seconds)
    lines += ["", f"Slowest step: {slowest[0].name} on {slowest[1]} ({slowest[0].seconds:.1f} s)."]
    return "\n".join(lines)


def _scored(rows: dict[str, list[dict]], score) -> tuple[dict, dict]:
    """Accuracy and calibration per method."""
    scored = {method: score(rows[method]) for method in SCORED}
    return {m: accuracy for m, (accuracy, _) in scored.items()}, {m: bins for m, (_, bins) in scored.items()}


def score_run(run: Run, rows: dict[str, list[dict]], gold: dict, score, half_of: dict) -> None:
    """Score every method on all the gold, and on each half apart."""
    run.accuracy, run.calibration = _scored(rows, lambda method_rows: score(method_rows, gold))
    for half in HALVES:
        part = {key: accepted for key, accepted in gold.items() if half_of[key] == half}
        accuracy, bins = _scored(rows, lambda method_rows: score(method_rows, part))
        run.halves[half] = {m: dict(table["overall"]) for m, table in accuracy.items()}
        run.half_calibration[half] = bins


def held_out_markdown(runs: list[Run], command: str) -> str:
    """The tables of the ``truth`` section of bench/RESULTS.md: accuracy per half, calibration held out."""
    lines = [f"Generated by `{command}`. Exact accuracy (tolerant in brackets) per half of each gold;",
             "tuning = odd crawl days (Flight) / odd-numbered gold rows (Population, Book), held out = even.", "",
             "| data set | half | items | voting | support | reliability |", "|---|---|---:|---:|---:|---:|"]
    for run in runs:
        for half in HALVES:
            table = run.halves.get(half, {})
            items = table.get("reliability", {}).get("exact", (0, 0))[1]
            cells = [f"{_pct(table[m]['exact'])} ({_pct(table[m]['tolerance'])})" for m in SCORED]
            lines.append(f"| {run.name} | {half} | {items:,} | " + " | ".join(cells) + " |")
    lines += ["", "Answers stated at ≥ 0.9 on the held-out half (the calibration target: right ≥ 90% of the time):", "",
              "| data set | method | stated ≥ 0.9 | right |", "|---|---|---:|---:|"]
    for run in runs:
        for method in METHODS:
            sure = [(items, right) for label, items, _, right in run.half_calibration.get("held-out", {}).get(method, [])
                    if label.startswith(("[0.9", "[0.99"))]
            items = sum(n for n, _ in sure)
            share = f"{100 * sum(n * r for n, r in sure) / items:.1f}%" if items else "—"
            lines.append(f"| {run.name} | {method} | {items:,} | {share} |")
    lines += ["", "Calibration on the held-out half (share right, exact, per bin of stated confidence):", "",
              "| data set | method | stated confidence | items | mean confidence | right |", "|---|---|---|---:|---:|---:|"]
    for run in runs:
        for method in METHODS:
            for label, items, mean, right in run.half_calibration.get("held-out", {}).get(method, []):
                lines.append(f"| {run.name} | {method} | {label} | {items:,} | {mean:.3f} | {100 * right:.1f}% |")
    return "\n".join(lines)


def _pct(pair) -> str:
    right, total = pair
    return f"{100 * right / total:.1f}%" if total else "—"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, help="Flight: only the first N crawl days (default: all 31)")
    parser.add_argument("--only", default=",".join(SETS), help=f"comma-separated data sets (default: all: {','.join(SETS)})")
    parser.add_argument("--workdir", type=Path, help="keep the JSONL, ledgers and CSVs here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--reuse", action="store_true", help="decide the ledgers already in --workdir again, not rebuilt")
    parser.add_argument("--results", type=Path, help="write the held-out tables into this RESULTS.md's truth section")
    args = parser.parse_args(argv)
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(SETS))
    if unknown:
        parser.error(f"--only: unknown data set {unknown[0]!r}; choose from {', '.join(SETS)}")
    with tempfile.TemporaryDirectory(prefix="score-truth-") as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        runs = []
        day_option = ["--days", str(args.days)] if args.days else []
        for name in (n for n in SETS if n in wanted):
            print(f"{name}:", file=sys.stderr)
            run = Run(name)
            if name.startswith("flight"):
                exclude = ["--exclude", AIRLINE_SITES] if name == "flight-no-airlines" else []
                rows = pipeline(run, ["bench/flight_to_claims.py", *day_option, *exclude], workdir, args.reuse)
                gold = flight_gold(args.days)
                score_run(run, rows, gold, score_flight, flight_half(gold))
            elif name == "population":
                rows = pipeline(run, ["bench/population_to_claims.py"], workdir, args.reuse)
                gold = population_gold()
                score_run(run, rows, gold, score_population, numbered_half(gold))
            else:
                rows = pipeline(run, ["bench/book_to_claims.py"], workdir, args.reuse)
                gold = book_gold()
                score_run(run, rows, gold, score_book, numbered_half(gold))
            runs.append(run)
        report = markdown(runs, args.days)
        print(report)
        held_out = held_out_markdown(runs, "python bench/score_truth.py " + " ".join(argv or sys.argv[1:]))
        print("\n" + held_out)
        if args.results:
            write_section(args.results, "truth", "### Held-out halves (issue 21)\n\n" + held_out)
        if args.json:
            args.json.write_text(json.dumps(
                [dict(name=r.name, claims=r.claims, disagreements=r.disagreements, calibration=r.calibration,
                      halves=r.halves, half_calibration=r.half_calibration,
                      accuracy={m: {a: dict(v) for a, v in t.items()} for m, t in r.accuracy.items()},
                      steps=[s.__dict__ for s in r.steps], sources=r.reliability_sources) for r in runs],
                indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
