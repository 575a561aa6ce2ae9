"""Held-out check of the consensus parameters on Flight: tune on odd crawl days, score on even ones.

    python bench/heldout_truth.py LEDGER.db [--markdown]

The reliability method's parameters (``ledger.core.consensus.Options``) were
set while looking at the Flight gold, so the accuracy in ``bench/RESULTS.md``
is not a held-out figure. This script measures how much that matters. The
method is unsupervised — it never sees the gold — so every configuration
decides the whole ledger (built by ``bench/score_truth.py --workdir DIR``,
e.g. ``DIR/flight-no-airlines.db``); only the *scoring* is split: the gold
of odd calendar days is the tuning half, the gold of even days the held-out
half. Each configuration changes one parameter from the defaults (plus a few
switches: no copy detection, no offsets, no warm-up phase). The report gives,
per configuration, the accuracy on each half, then the configuration a tuner
would pick on the odd days and what it scores on the even days, next to the
defaults.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.score_truth import flight_gold, score_flight  # noqa: E402
from ledger.core import consensus as core  # noqa: E402
from ledger.core.wording import show_days, show_value  # noqa: E402
from ledger.db.access import Ledger  # noqa: E402
from ledger.db.consensus import read_items  # noqa: E402
from ledger.db.models import Entity  # noqa: E402

DEFAULTS = core.Options()
NEVER = 10**9  # a minimum no pair of sources reaches: copy detection off

CONFIGURATIONS: dict[str, core.Options] = {
    "defaults": DEFAULTS,
    "prior 0.6": replace(DEFAULTS, prior=0.6),
    "prior 0.9": replace(DEFAULTS, prior=0.9),
    "smoothing 1": replace(DEFAULTS, smoothing=1.0),
    "smoothing 20": replace(DEFAULTS, smoothing=20.0),
    "false values 3": replace(DEFAULTS, false_values=3.0),
    "false values 30": replace(DEFAULTS, false_values=30.0),
    "similarity 0": replace(DEFAULTS, similarity=0.0),
    "similarity 0.6": replace(DEFAULTS, similarity=0.6),
    "copy thresholds 0.9 / 0.9": replace(DEFAULTS, copy_threshold=0.9, phrase_threshold=0.9),
    "no copy detection": replace(DEFAULTS, copy_min_items=NEVER, copy_min_errors=NEVER),
    "no offsets": replace(DEFAULTS, use_offsets=False),
    "no warm-up phase": replace(DEFAULTS, warmup=False),
}


def day_parity(subject: str) -> str:
    """'odd' or 'even' by the calendar day ending a Flight subject ('AA-1007-TPA-MIA 2011-12-01')."""
    return "odd" if int(subject[-2:]) % 2 else "even"


def halves(gold: dict) -> dict[str, dict]:
    split: dict[str, dict] = {"odd": {}, "even": {}}
    for key, accepted in gold.items():
        split[day_parity(key[0])][key] = accepted
    return split


def decide_rows(items: list[core.Item], names: dict[int, str], options: core.Options) -> list[dict]:
    """The reliability decisions as the rows ``ledger consensus --format csv`` prints (the scored columns)."""
    result = core.decide(items, "reliability", options)
    return [
        dict(subject=names[d.key[0]], attribute=d.attribute, time=show_days(d.key[2]),
             value=show_value(d.scale, d.value), confidence=d.confidence)
        for d in result.decisions
    ]


def accuracy(rows: list[dict], gold: dict) -> float:
    right, total = score_flight(rows, gold)[0]["overall"]["exact"]
    return right / total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", type=Path, help="a Flight ledger built by bench/score_truth.py --workdir")
    args = parser.parse_args(argv)
    if not args.ledger.exists():
        raise SystemExit(f"{args.ledger}: no such ledger; build one with bench/score_truth.py --only flight --workdir DIR")
    ledger = Ledger(str(args.ledger))
    with ledger.read() as session:
        items = read_items(session)
        names = dict(session.execute(select(Entity.id, Entity.name)).all())
    days = {name[-10:] for name in names.values()}  # a ledger of fewer days is scored on its days only
    gold = halves({key: accepted for key, accepted in flight_gold(None).items() if key[0][-10:] in days})
    print(f"{len(items):,} items; gold items: {len(gold['odd']):,} on odd days, {len(gold['even']):,} on even days",
          file=sys.stderr)
    scores: dict[str, tuple[float, float]] = {}
    lines = ["| configuration | odd days (tuning) | even days (held out) | seconds |", "|---|---:|---:|---:|"]
    for name, options in CONFIGURATIONS.items():
        started = time.perf_counter()
        rows = decide_rows(items, names, options)
        seconds = time.perf_counter() - started
        scores[name] = (accuracy(rows, gold["odd"]), accuracy(rows, gold["even"]))
        lines.append(f"| {name} | {scores[name][0]:.1%} | {scores[name][1]:.1%} | {seconds:.0f} |")
        print(lines[-1], file=sys.stderr)
    picked = max(scores, key=lambda n: (scores[n][0], n == "defaults"))
    odd, even = scores[picked]
    lines += [
        "",
        f"Picked on the odd days: **{picked}** ({odd:.1%}); on the held-out even days it scores **{even:.1%}** "
        f"(defaults: {scores['defaults'][1]:.1%}; spread over all configurations on the even days: "
        f"{min(s[1] for s in scores.values()):.1%}–{max(s[1] for s in scores.values()):.1%}).",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
