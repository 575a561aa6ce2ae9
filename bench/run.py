"""The bulk benchmark, one command: import rates against the floor, conflict scans, query latency.

    python bench/run.py --sizes 10000,100000,1000000
    python bench/run.py --shapes conflict-heavy --sizes 200000,1000000

For each shape (``generated``: the newsroom mix; ``conflict-heavy``: 40
sources reporting every item, groups of 20 claims, most holding a conflict;
see ``bench/generate.py``) and size it generates the claim set (fixed seed)
and measures, in this run and on the same rows:

* ``ledger import`` of sources.jsonl + claims.csv, as a CLI process (parsing,
  resolution, readings, journal and conflict detection included): claims/s
  and peak RSS;
* the floor: the rows the ledger stored (claims joined with their readings,
  already normalised) inserted with raw ``sqlite3.executemany`` into one wide
  table with one composite index, timing only the inserts; and the schema
  floor: the same data into the ledger's own ``distinct_readings`` and
  ``claims`` tables with their indexes, the least any importer into this schema pays;
  and the size of the ledger file per claim;
* ``sqlite-utils insert DB claims claims.csv --csv`` of the same CSV
  (sqlite-utils 4 detects column types by default);
* a full conflict scan (``conflicts.refresh`` of every group) in a fresh
  process: time, pairs found, RSS before and peak;
* ``ledger conflicts --format json`` and ``--format csv`` of every pair, as
  CLI processes: time to the first byte of output, to the end, peak RSS.

The ``ledger`` package is byte-compiled first, as ``pip install`` leaves it (see ``installed.py``).
On the largest ledger of each shape it times a filtered ``claims`` and ``conflicts`` query
(one subject) in-process and as CLI processes, and reports p50/p95. It prints
the table and writes it, with the machine and date, to its section of ``bench/RESULTS.md``
(the other sections are kept).
Data goes to ``bench/out/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from tabulate import tabulate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import SEED, SHAPES, generate_shape  # noqa: E402
from installed import byte_compile_ledger  # noqa: E402
from results import write_section  # noqa: E402

CHUNK = 5_000
LEDGER = [sys.executable, "-m", "ledger.cli"]
# The ledger CLI, reporting its own peak RSS (VmHWM) at exit to the file named by BENCH_HWM_FILE.
# (A child's getrusage/wait4 ru_maxrss starts from its parent's RSS at fork on Linux, so it
# cannot show a child's own peak.)
MEASURED_LEDGER = [sys.executable, "-c", """
import atexit, os, sys
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(os.environ["BENCH_HWM_FILE"], "w").write(line.split()[1])
atexit.register(hwm)
from ledger.cli import cli
cli(prog_name="ledger", args=sys.argv[1:])
"""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="claim counts, comma-separated")
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"comma-separated, of: {', '.join(SHAPES)}")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--queries", type=int, default=30, help="in-process query samples")
    parser.add_argument("--cli-queries", type=int, default=10, help="CLI query samples")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = args.shapes.split(",")
    args.out.mkdir(parents=True, exist_ok=True)
    byte_compile_ledger()
    load_before = os.getloadavg()
    started = datetime.now(timezone.utc)

    rows, details, queries = [], {}, {}
    for shape in shapes:
        for n in sizes:
            print(f"== {shape}, {n:,} claims", file=sys.stderr, flush=True)
            sources, claims = generate_shape(shape, n, args.out, SEED)
            db = args.out / f"ledger-{shape}-{n}.db"
            imported = timed_import(db, sources, claims)
            floor = wide_floor(db, args.out / f"floor-{n}.db")
            schema = schema_floor(db, args.out / f"schema-{n}.db")
            utils = sqlite_utils_insert(args.out / f"sqlite-utils-{n}.db", claims)
            scan = conflict_scan(db)
            listing = {fmt: timed_listing(db, fmt) for fmt in ("json", "csv")}
            details[shape, n] = dict(imported=imported, floor=floor, schema=schema, utils=utils, scan=scan,
                                     listing=listing)
            rows.append(row_for(shape, n, details[shape, n]))
            print(tabulate([rows[-1]], headers=HEADERS, disable_numparse=True), file=sys.stderr, flush=True)
        print(f"== queries on {shape}, {sizes[-1]:,} claims", file=sys.stderr, flush=True)
        queries[shape] = query_latency(args.out / f"ledger-{shape}-{sizes[-1]}.db", args.queries, args.cli_queries)
    load_after = os.getloadavg()
    report = render(shapes, sizes, rows, details, queries, started, load_before, load_after)
    print(report)
    write_section(args.results, "bulk", report)
    print(f"\nwritten to {args.results}", file=sys.stderr)


# -- measurements ---------------------------------------------------------------------------


def run_measured(command: list[str]) -> dict:
    """Run a process; return its wall time, CPU seconds, output and (for MEASURED_LEDGER) peak RSS in MB."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r") as hwm:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True,
                                   env=dict(os.environ, BENCH_HWM_FILE=hwm.name))
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        peak = hwm.read().strip()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{stderr}")
    return dict(seconds=seconds, rss_mb=int(peak) / 1024 if peak else None, cpu=usage.ru_utime + usage.ru_stime,
                stdout=stdout, stderr=stderr)


def timed_import(db: Path, sources: Path, claims: Path) -> dict:
    remove_db(db)
    subprocess.run([*LEDGER, "--db", str(db), "init"], check=True, stdout=subprocess.DEVNULL)
    measured = run_measured([*MEASURED_LEDGER, "--db", str(db), "import", str(sources), str(claims)])
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the size of the file, the WAL folded in
    connection.close()
    return dict(measured, bytes=db.stat().st_size)


FLOOR_COLUMNS = """id integer primary key, ref text, fingerprint text, source_id integer, entity_id integer,
subject text, attribute_id integer, value text, when_stated text, quote text, attributed_to text,
status text, recorded_at text, supersedes_id integer, parser_version text, kind text, qualifier text,
low real, high real, low_open integer, high_open integer, low_date text, high_date text, unit text,
currency text, period text, text_norm text, base_currency text, base_low real, base_high real,
rate_low real, rate_high real, rate_from text, rate_to text, rate_source text, time_low text,
time_high text, time_basis text, alternatives text, notes text, warning text, read_at text"""
CLAIM_COLUMNS = """c.id, c.ref, c.fingerprint, c.source_id, c.entity_id, c.subject, c.attribute_id, c.value,
c.when_stated, c.quote, c.attributed_to, c.status, c.recorded_at, c.supersedes_id"""
READING_COLUMNS = """r.parser_version, r.kind, r.qualifier, r.low, r.high, r.low_open, r.high_open, r.low_date,
r.high_date, r.unit, r.currency, r.period, r.text_norm, r.base_currency, r.base_low, r.base_high, r.rate_low,
r.rate_high, r.rate_from, r.rate_to, r.rate_source, r.time_low, r.time_high, r.time_basis, r.alternatives,
r.notes, r.warning, r.read_at"""


def connect(path: Path) -> sqlite3.Connection:
    """A connection set up like the importer's: WAL, synchronous NORMAL, 64 MB page cache, explicit transactions."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA cache_size = -65536")
    return connection


def wide_floor(ledger_db: Path, path: Path) -> dict:
    """Raw executemany of the stored, already-normalised rows into one wide table with one index."""
    remove_db(path)
    target = connect(path)
    target.execute(f"CREATE TABLE claims ({FLOOR_COLUMNS})")
    target.execute("CREATE INDEX ix_claims_entity_attribute ON claims (entity_id, attribute_id)")
    marks = ",".join("?" * 42)
    source = sqlite3.connect(ledger_db)
    cursor = source.execute(
        f"SELECT {CLAIM_COLUMNS}, {READING_COLUMNS} FROM claims c JOIN distinct_readings r ON r.id = c.reading_id "
        "ORDER BY c.id"
    )
    seconds, count = 0.0, 0
    target.execute("BEGIN")
    while chunk := cursor.fetchmany(CHUNK):
        started = time.perf_counter()
        target.executemany(f"INSERT INTO claims VALUES ({marks})", chunk)
        seconds += time.perf_counter() - started
        count += len(chunk)
    started = time.perf_counter()
    target.execute("COMMIT")
    seconds += time.perf_counter() - started
    source.close()
    target.close()
    return dict(seconds=seconds, rows=count)


def schema_floor(ledger_db: Path, path: Path) -> dict:
    """Raw executemany of the same rows into the ledger's own claims and distinct_readings tables (indexes, keys)."""
    remove_db(path)
    subprocess.run([*LEDGER, "--db", str(path), "init"], check=True, stdout=subprocess.DEVNULL)
    target = connect(path)
    target.execute("PRAGMA foreign_keys = ON")
    source = sqlite3.connect(ledger_db)
    target.execute("BEGIN")
    for table in ("sources", "entities", "attributes"):  # what the claims point to: not timed
        rows = source.execute(f"SELECT * FROM {table}").fetchall()
        if rows:
            target.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)
    target.execute("COMMIT")
    readings = source.execute("SELECT * FROM distinct_readings ORDER BY id").fetchall()
    claims = source.execute("SELECT * FROM claims ORDER BY id")
    target.execute("BEGIN")
    started = time.perf_counter()
    target.executemany(f"INSERT INTO distinct_readings VALUES ({','.join('?' * len(readings[0]))})", readings)
    seconds, count = time.perf_counter() - started, 0
    while chunk := claims.fetchmany(CHUNK):
        started = time.perf_counter()
        target.executemany(f"INSERT INTO claims VALUES ({','.join('?' * len(chunk[0]))})", chunk)
        seconds += time.perf_counter() - started
        count += len(chunk)
    started = time.perf_counter()
    target.execute("COMMIT")
    seconds += time.perf_counter() - started
    return dict(seconds=seconds, rows=count)


SQLITE_UTILS_FLAGS = ("--csv",)  # and sqlite-utils 4's default: detect column types


def sqlite_utils_insert(path: Path, claims: Path) -> dict:
    remove_db(path)
    executable = shutil.which("sqlite-utils") or "sqlite-utils"
    return run_measured([executable, "insert", str(path), "claims", str(claims), *SQLITE_UTILS_FLAGS])


def timed_listing(db: Path, fmt: str) -> dict:
    """``ledger conflicts --format FMT`` of every pair as a CLI process: first byte, end, bytes, peak RSS."""
    with tempfile.NamedTemporaryFile("r") as hwm:
        started = time.perf_counter()
        process = subprocess.Popen([*MEASURED_LEDGER, "--db", str(db), "conflicts", "--format", fmt],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   env=dict(os.environ, BENCH_HWM_FILE=hwm.name))
        first = process.stdout.read(1)
        first_byte = time.perf_counter() - started
        size = len(first) + sum(len(chunk) for chunk in iter(lambda: process.stdout.read(1 << 16), b""))
        if process.wait() != 0:
            raise SystemExit(f"ledger conflicts --format {fmt} failed on {db}")
        seconds = time.perf_counter() - started
        peak = hwm.read().strip()
    return dict(first_byte=first_byte, seconds=seconds, bytes=size, rss_mb=int(peak) / 1024 if peak else None)


SCAN_CHILD = """
import json, sys, time
from ledger.db.access import Ledger
from ledger.db import conflicts

def rss_mb(field="VmRSS:"):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024

ledger = Ledger(sys.argv[1])
with ledger.write() as session:
    session.connection()
    before = rss_mb()
    started = time.perf_counter()
    pairs = conflicts.refresh(session)
    seconds = time.perf_counter() - started
print(json.dumps(dict(seconds=seconds, pairs=pairs, rss_before_mb=before,
                      rss_peak_mb=rss_mb("VmHWM:"))))
"""


def conflict_scan(db: Path) -> dict:
    """A full scan (every group re-detected and compared with its stored pairs) in a fresh process."""
    result = run_measured([sys.executable, "-c", SCAN_CHILD, str(db)])
    return json.loads(result["stdout"])


QUERY_CHILD = """
import json, random, statistics, sys, time
from ledger.db.access import Ledger
from ledger.db import conflicts, queries

ledger = Ledger(sys.argv[1], read_only=True)
subjects = json.loads(sys.argv[2])
times = {"claims": [], "conflicts": []}
with ledger.read() as session:
    for subject in subjects:
        started = time.perf_counter()
        rows = queries.list_claims(session, subject)
        times["claims"].append(time.perf_counter() - started)
        started = time.perf_counter()
        ids = queries.entity_ids_matching(session, subject)
        pairs = conflicts.list_conflicts(session, subject_ids=ids)
        times["conflicts"].append(time.perf_counter() - started)
print(json.dumps(times))
"""


def query_latency(db: Path, samples: int, cli_samples: int) -> dict:
    """p50/p95 of one-subject ``claims`` and ``conflicts`` queries, in-process and as CLI processes."""
    with sqlite3.connect(db) as connection:
        subjects = [
            row[0] for row in connection.execute(
                "SELECT e.name FROM conflicts c JOIN entities e ON e.id = c.entity_id "
                "GROUP BY e.id ORDER BY e.id"
            )
        ]
    rng = random.Random(SEED)
    chosen = rng.sample(subjects, min(samples, len(subjects)))
    child = run_measured([sys.executable, "-c", QUERY_CHILD, str(db), json.dumps(chosen)])
    in_process = json.loads(child["stdout"])
    cli = {"claims": [], "conflicts": []}
    for subject in chosen[:cli_samples]:
        for command in ("claims", "conflicts"):
            result = run_measured([*LEDGER, "--db", str(db), command, "--subject", subject, "--format", "json"])
            cli[command].append(result["seconds"])
    return {"in-process": in_process, "CLI process": cli, "subjects": len(chosen)}


# -- report ---------------------------------------------------------------------------------

HEADERS = [
    "shape", "claims", "ledger import claims/s", "floor rows/s", "import / floor", "schema floor rows/s",
    "import / schema floor", "sqlite-utils rows/s", "import / sqlite-utils", "import peak RSS MB",
    "conflict scan s", "pairs", "scan RSS before → peak MB", "ledger file bytes / claim",
]
LISTING_HEADERS = ["shape", "claims", "pairs", "format", "first byte s", "all rows s", "MB written", "peak RSS MB"]


def row_for(shape: str, n: int, d: dict) -> list[str]:
    imported = n / d["imported"]["seconds"]
    floor = d["floor"]["rows"] / d["floor"]["seconds"]
    schema = d["schema"]["rows"] / d["schema"]["seconds"]
    utils = n / d["utils"]["seconds"]
    scan = d["scan"]
    return [
        shape, f"{n:,}", f"{imported:,.0f}", f"{floor:,.0f}", f"{imported / floor:.2f}", f"{schema:,.0f}",
        f"{imported / schema:.2f}", f"{utils:,.0f}", f"{imported / utils:.2f}", f"{d['imported']['rss_mb']:,.0f}",
        f"{scan['seconds']:.2f}", f"{scan['pairs']:,}", f"{scan['rss_before_mb']:,.0f} → {scan['rss_peak_mb']:,.0f}",
        f"{d['imported']['bytes'] / n:,.0f}",
    ]


def listing_rows(shape: str, n: int, d: dict) -> list[list[str]]:
    return [
        [shape, f"{n:,}", f"{d['scan']['pairs']:,}", fmt, f"{m['first_byte']:.2f}", f"{m['seconds']:.2f}",
         f"{m['bytes'] / 1e6:,.1f}", f"{m['rss_mb']:,.0f}"]
        for fmt, m in d["listing"].items()
    ]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def machine() -> list[tuple[str, str]]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlalchemy

    version = subprocess.run(["sqlite-utils", "--version"], capture_output=True, text=True).stdout.strip()
    return [
        ("CPUs (nproc)", str(os.cpu_count())), ("CPU model", cpu), ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version), ("SQLAlchemy", sqlalchemy.__version__), ("sqlite-utils", version),
        ("OS", platform.platform()),
    ]


def targets_for(shape: str, n: int, d: dict) -> list[list[str]]:
    import_rate = n / d["imported"]["seconds"]
    floor_rate = d["floor"]["rows"] / d["floor"]["seconds"]
    utils_rate = n / d["utils"]["seconds"]
    scan = d["scan"]["seconds"]
    json_listing = d["listing"]["json"]
    pairs = d["scan"]["pairs"]
    return [
        [shape, "import ≥ 0.25 × floor", f"{import_rate / floor_rate:.3f} × floor ({import_rate:,.0f} vs {floor_rate:,.0f} rows/s)",
         "met" if import_rate >= 0.25 * floor_rate else "missed"],
        [shape, "import ahead of sqlite-utils", f"{import_rate / utils_rate:.3f} × sqlite-utils ({utils_rate:,.0f} rows/s)",
         "met" if import_rate > utils_rate else "missed"],
        [shape, f"full conflict scan of {n:,} claims ≤ {5 * n / 1e6:g} s (5 s a million)", f"{scan:.1f} s",
         "met" if scan <= 5 * n / 1e6 else "missed"],
        [shape, "conflicts --format json: first row < 1 s", f"{json_listing['first_byte']:.2f} s",
         "met" if json_listing["first_byte"] < 1 else "missed"],
        [shape, "conflicts --format json: 200,000 pairs in < 10 s (20,000 a second)",
         f"{pairs / json_listing['seconds']:,.0f} pairs/s ({pairs:,} in {json_listing['seconds']:.1f} s)",
         "met" if pairs >= 20_000 * json_listing["seconds"] else "missed"],
    ]


def render(shapes, sizes, rows, details, queries, started, load_before, load_after) -> str:
    query_rows = []
    for shape in shapes:
        for where in ("in-process", "CLI process"):
            for command in ("claims", "conflicts"):
                values = queries[shape][where][command]
                query_rows.append([
                    shape, f"`ledger {command} --subject S`", where, len(values),
                    f"{percentile(values, 50) * 1000:,.1f}", f"{percentile(values, 95) * 1000:,.1f}",
                ])
    largest = sizes[-1]
    targets, bounds, listings = [], [], []
    for shape in shapes:
        for n in sizes:
            listings += listing_rows(shape, n, details[shape, n])
        last = details[shape, largest]
        targets += targets_for(shape, largest, last)
        schema_rate = last["schema"]["rows"] / last["schema"]["seconds"]
        scan_per_claim = last["scan"]["seconds"] / largest
        bounds.append(f"{shape}: schema floor {schema_rate:,.0f} claims/s + full scan {scan_per_claim * 1e6:.1f} µs "
                      f"a claim → {1 / (1 / schema_rate + scan_per_claim):,.0f} claims/s")
    scan_growth = [
        f"{shape} " + " / ".join(f"+{details[shape, n]['scan']['rss_peak_mb'] - details[shape, n]['scan']['rss_before_mb']:,.0f} MB"
                                 for n in sizes)
        for shape in shapes
    ]
    lines = [
        "# Bulk benchmark results",
        "",
        f"Generated by `python bench/run.py --shapes {','.join(shapes)} --sizes {','.join(map(str, sizes))}` on "
        f"{started:%Y-%m-%d %H:%M} UTC (seed {SEED}). Every figure below comes from that one run, on the same "
        "generated rows. Load average before/after: "
        f"{load_before[0]:.2f} / {load_after[0]:.2f} (other processes share the machine; see notes).",
        "",
        "## Machine",
        "",
        tabulate(machine(), headers=["machine", ""], tablefmt="github"),
        "",
        "## Import and full conflict scan",
        "",
        tabulate(rows, headers=HEADERS, tablefmt="github", disable_numparse=True),
        "",
        "* **shape**: `generated` is the newsroom mix of `bench/generate.py` (N/10 subjects, 1–40 sources "
        "each, nine attributes, hedged phrases, money in four currencies, 5% disagreeing); `conflict-heavy` "
        "is 40 sources reporting every item: N/20 subjects × 20 claims, one attribute, a count (\"1,234\"), "
        "`when` \"2021\", 5% of claims doubled, so most groups hold a conflict.",
        "* **ledger import**: `ledger import sources-N.jsonl claims-N.csv` as a CLI process, wall time from "
        "start to exit: parsing, validation, resolution of sources/subjects/attributes, readings, journal "
        "(hash chain + digests), conflict detection and commit.",
        "* **floor**: raw `sqlite3.executemany` of the rows the ledger stored (claims joined with their "
        "readings: 42 already-normalised columns) into one table with one composite index; inserts and "
        "commit timed only, with the importer's SQLite settings (WAL, synchronous NORMAL, 64 MB page cache).",
        "* **schema floor**: the same data into the ledger's own tables: its distinct readings into "
        "`distinct_readings`, then the claims (6 indexes, foreign keys) pointing to them: the least any "
        "importer writing this schema pays.",
        f"* **sqlite-utils**: `sqlite-utils insert DB claims claims-N.csv {' '.join(SQLITE_UTILS_FLAGS)}` "
        "(sqlite-utils 4 detects column types by default; no normalisation, no index).",
        "* **conflict scan**: `conflicts.refresh(session)` over every group in a fresh process: every active "
        "claim streamed in (subject, attribute) order, compared, and the pairs found compared with those stored "
        "(the import just stored them: nothing is rewritten). RSS is the "
        "process's resident memory just before the scan and its peak.",
        "* **ledger file bytes / claim**: the SQLite file after the import (write-ahead log folded in), "
        "divided by the claims: claims, readings, conflicts, journal, search passages and every index.",
        "",
        "## Listing every conflict",
        "",
        tabulate(listings, headers=LISTING_HEADERS, tablefmt="github", disable_numparse=True),
        "",
        "`ledger conflicts --format json|csv` as a CLI process reading every stored pair, output piped: "
        "time to the first byte, to the last, and the process's peak RSS.",
        "",
        "## Targets",
        "",
        tabulate(targets, headers=["shape", "target", f"measured ({largest:,} claims)", ""], tablefmt="github",
                 disable_numparse=True),
        "",
        "Scan memory over the process before the scan, per size: " + "; ".join(scan_growth) + ".",
        "",
        "What the schema and the scan alone allow an importer that spent no time in Python: "
        + "; ".join(bounds) + ".",
        "",
        f"## Queries on the {largest:,}-claim ledgers",
        "",
        f"One subject each ({queries[shapes[0]]['subjects']} subjects with conflicts, fixed seed); the CLI figures "
        "include starting Python.",
        "",
        tabulate(query_rows, headers=["shape", "query", "measured", "samples", "p50 ms", "p95 ms"], tablefmt="github",
                 disable_numparse=True),
        "",
    ]
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["## Notes", "", notes.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
