"""``ledger estimate`` with each source's credits added by numpy (the ``fast`` extra) against Python, in one run.

    python bench/estimate.py LEDGER [--pairs N]

LEDGER is a large ledger (the Flight month: ``bench/flight_to_claims.py``,
then ``ledger import``). Each run estimates a fresh copy of it (an estimate
is kept in the ledger) in a new process, alternating Python's sums and
numpy's, so both see the same machine; it prints each run's wall and CPU
seconds and peak memory, the ratio of the means, and whether every run kept
the very same estimate (the sums are the same floats either way). Needs numpy.
A ledger whose rounds earn fewer than ``weights.SUMS_IN_C_FROM`` credits is
summed by Python both ways (numpy would cost more to import than it saves).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

from tabulate import tabulate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import run_measured  # noqa: E402

# ``ledger estimate`` reporting its peak RSS as run.py's MEASURED_LEDGER does; "python" takes numpy's sums away.
ESTIMATE = """
import atexit, os, sys
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(os.environ["BENCH_HWM_FILE"], "w").write(line.split()[1])
atexit.register(hwm)
from ledger.core.consensus import weights
if sys.argv[1] == "python":
    weights.numpy_if_installed = lambda: None
from ledger.cli import cli
cli(prog_name="ledger", args=["--db", sys.argv[2], "estimate"])
"""


def kept_estimate(db: Path) -> str:
    """A digest of the kept estimate (its time left out)."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT judge, options, journal_seq, journal_hash, items, estimates "
                                  "FROM reliability_estimates ORDER BY id").fetchall()
    connection.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--pairs", type=int, default=2, help="runs of each way, alternating (default 2)")
    args = parser.parse_args()
    import numpy  # noqa: F401 - the comparison needs both ways

    runs = {"python": [], "numpy": []}
    estimates = set()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "ledger.db"
        for _ in range(args.pairs):
            for way in runs:
                shutil.copyfile(args.ledger, copy)
                runs[way].append(run_measured([sys.executable, "-c", ESTIMATE, way, str(copy)]))
                estimates.add(kept_estimate(copy))
    rows = [[way, f"{run['seconds']:.1f}", f"{run['cpu']:.1f}", f"{run['rss_mb']:,.0f}"]
            for way, measured in runs.items() for run in measured]
    print(tabulate(rows, headers=["sums", "wall s", "CPU s", "peak RSS MB"], tablefmt="github"))
    mean = {way: statistics.mean(run["seconds"] for run in measured) for way, measured in runs.items()}
    print(f"\nnumpy / python, mean wall: {mean['numpy'] / mean['python']:.2f}; "
          f"kept estimates: {'all the same' if len(estimates) == 1 else f'{len(estimates)} different'}")


if __name__ == "__main__":
    main()
