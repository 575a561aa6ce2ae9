"""Start-up benchmark, one command: how long `ledger` takes before it does any work.

    python bench/startup.py [--repeat 15]

Times, as separate processes in this run (median of ``--repeat`` runs each,
interleaved so a busy moment hits all of them alike): ``python -c pass`` (the
floor), ``import click, tabulate`` (what any CLI of this kind pays),
``ledger --help``, and ``ledger claims --subject S`` on a copy of the shipped
``ledger.db``. Prints each as seconds and as a ratio to ``python -c pass``,
with the modules that cost most in the query (``python -X importtime``), and
writes the table to its section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from installed import byte_compile_ledger
from results import write_section

REPO = Path(__file__).resolve().parent.parent
SUBJECT = "Wagner Group contract with Mali"


def commands(db: Path) -> dict[str, list[str]]:
    ledger = [sys.executable, "-m", "ledger.cli"]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import click, tabulate": [sys.executable, "-c", "import click, tabulate"],
        "ledger --help": [*ledger, "--help"],
        f'ledger claims --subject "{SUBJECT}"': [*ledger, "--db", str(db), "claims", "--subject", SUBJECT],
    }


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def heaviest_imports(command: list[str], count: int = 6) -> list[tuple[str, float]]:
    """The top-level packages that cost most to import in ``command``, in seconds (cumulative)."""
    run = subprocess.run([command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True, check=True)
    costs: dict[str, float] = {}
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        if cumulative.isdigit() and "." not in name.strip():
            costs[name.strip()] = max(costs.get(name.strip(), 0.0), int(cumulative) / 1e6)
    return sorted(costs.items(), key=lambda item: -item[1])[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    byte_compile_ledger()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "ledger.db"
        shutil.copy(REPO / "ledger.db", db)
        runs = commands(db)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, command in runs.items():
                times[name].append(timed(command))
        heavy = heaviest_imports(runs[f'ledger claims --subject "{SUBJECT}"'])
    floor = statistics.median(times["python -c pass"])
    lines = [
        f"## Start-up ({date.today()}, {platform.python_version()}, median of {args.repeat} runs)",
        "",
        "| command | seconds | × `python -c pass` |",
        "|---|---:|---:|",
    ]
    for name, samples in times.items():
        median = statistics.median(samples)
        lines.append(f"| `{name}` | {median:.3f} | {median / floor:.1f} |")
    lines += ["", "Costliest imports of the one-subject query (cumulative seconds, `-X importtime`): "
              + ", ".join(f"{name} {seconds:.3f}" for name, seconds in heavy) + "."]
    text = "\n".join(lines)
    print(text)
    write_section(REPO / "bench" / "RESULTS.md", "startup", text)


if __name__ == "__main__":
    main()
