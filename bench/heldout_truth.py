"""Held-out check of the consensus parameters: tune on one half of a gold, score on the other.

    python bench/heldout_truth.py LEDGER.db [--set flight|population|book] [--configurations NAME,...]

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

The same split serves Population and Book (``--set``): the tuning half is the
odd-numbered gold rows (books) in file order, the held-out half the even ones.

**Calibration.** The stated confidence's constants (``temperature`` for
reliability, ``unstated_origins`` for support; ``ledger.core.calibration``)
are swept over the default configuration's decisions: per value, the share
of answers stated at ≥ 0.9 that are right, on each half. A constant is chosen
on the tuning halves (the smallest that keeps that share ≥ 90% on every data
set) and read on the held-out ones.
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

from bench.score_truth import (  # noqa: E402
    HALVES, book_gold, flight_gold, flight_half, numbered_half, population_gold, score_book, score_flight,
    score_population,
)
from ledger.core import calibration  # noqa: E402
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
    "no partial support": replace(DEFAULTS, partial_support=False),
}


TEMPERATURES = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
UNSTATED_ORIGINS = (0.0, 1.0, 2.0, 3.0)
SCORERS = {"flight": score_flight, "population": score_population, "book": score_book}


def gold_halves(name: str, entity_names: dict[int, str]) -> dict[str, dict]:
    """The gold of data set ``name``, split into the tuning and held-out halves (see the module docstring)."""
    if name == "flight":
        days = {entity[-10:] for entity in entity_names.values()}  # a ledger of fewer days: its days only
        gold = {key: accepted for key, accepted in flight_gold(None).items() if key[0][-10:] in days}
        half_of = flight_half(gold)
    else:
        gold = population_gold() if name == "population" else book_gold()
        half_of = numbered_half(gold)
    return {half: {key: accepted for key, accepted in gold.items() if half_of[key] == half} for half in HALVES}


def decide_rows(items: list[core.Item], names: dict[int, str], options: core.Options,
                method: str = "reliability") -> tuple[list[dict], core.Result]:
    """The decisions as the rows ``ledger consensus --format csv`` prints (the scored columns), and the result."""
    result = core.decide(items, method, options)
    return [_row(d, names, d.confidence) for d in result.decisions], result


def _row(decision: core.Decision, names: dict[int, str], confidence: float) -> dict:
    return dict(subject=names[decision.key[0]], attribute=decision.attribute, time=show_days(decision.key[2]),
                value=show_value(decision.scale, decision.value), confidence=confidence)


def accuracy(rows: list[dict], gold: dict, score) -> float:
    right, total = score(rows, gold)[0]["overall"]["exact"]
    return right / total


def sure_share(rows: list[dict], gold: dict, score) -> tuple[int, float | None]:
    """Answers stated at ≥ 0.9 on ``gold``: how many, and the share of them right (exact)."""
    bins = [(items, right) for label, items, mean, right in score(rows, gold)[1] if label.startswith("[0.9")
            or label.startswith("[0.99")]
    items = sum(n for n, _ in bins)
    return items, (sum(n * r for n, r in bins) / items if items else None)


def recalibrated(result: core.Result, names: dict[int, str], options: core.Options, method: str,
                 constant: float) -> list[dict]:
    """The rows with the confidence the decisions would state under another calibration constant."""
    rows = []
    for decision in result.decisions:
        winner = decision.candidates[0]
        if method == "reliability":
            confidence = calibration.weighted([c.score for c in decision.candidates], options.false_values,
                                              constant)[0]
        else:
            origins = [float(c.origins) for c in decision.candidates]
            backed = winner.probability * (sum(origins) + options.unstated_origins)
            confidence = calibration.counted([backed], origins, constant)[0]
        rows.append(_row(decision, names, confidence))
    return rows


def calibration_lines(results: dict[str, core.Result], names: dict[int, str], gold: dict[str, dict],
                      score) -> list[str]:
    lines = ["", "| method | constant | tuning: stated ≥ 0.9 | right | held out: stated ≥ 0.9 | right |",
             "|---|---|---:|---:|---:|---:|"]
    for method, constants, name in (("reliability", TEMPERATURES, "temperature"),
                                    ("support", UNSTATED_ORIGINS, "unstated origins")):
        for constant in constants:
            rows = recalibrated(results[method], names, DEFAULTS, method, constant)
            cells = []
            for half in HALVES:
                items, share = sure_share(rows, gold[half], score)
                cells += [f"{items:,}", "—" if share is None else f"{share:.1%}"]
            lines.append(f"| {method} | {name} {constant:g} | " + " | ".join(cells) + " |")
            print(lines[-1], file=sys.stderr)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", type=Path, help="a ledger built by bench/score_truth.py --workdir")
    parser.add_argument("--set", choices=sorted(SCORERS), default="flight", help="its data set (default: flight)")
    parser.add_argument("--configurations", default=",".join(CONFIGURATIONS),
                        help="comma-separated configurations to try (default: all; 'defaults' always runs)")
    args = parser.parse_args(argv)
    chosen = {"defaults", *(name.strip() for name in args.configurations.split(","))}
    unknown = sorted(chosen - set(CONFIGURATIONS))
    if unknown:
        parser.error(f"--configurations: unknown {unknown[0]!r}; choose from {', '.join(CONFIGURATIONS)}")
    if not args.ledger.exists():
        raise SystemExit(f"{args.ledger}: no such ledger; build one with bench/score_truth.py --only SET --workdir DIR")
    ledger = Ledger(str(args.ledger))
    with ledger.read() as session:
        items = read_items(session)
        names = dict(session.execute(select(Entity.id, Entity.name)).all())
    gold = gold_halves(args.set, names)
    score = SCORERS[args.set]
    print(f"{len(items):,} items; gold items: {len(gold['tuning']):,} tuning, {len(gold['held-out']):,} held out",
          file=sys.stderr)
    scores: dict[str, tuple[float, float]] = {}
    results: dict[str, core.Result] = {}
    lines = ["| configuration | tuning half | held-out half | seconds |", "|---|---:|---:|---:|"]
    for name, options in ((n, o) for n, o in CONFIGURATIONS.items() if n in chosen):
        started = time.perf_counter()
        rows, result = decide_rows(items, names, options)
        seconds = time.perf_counter() - started
        if name == "defaults":
            results["reliability"] = result
        scores[name] = (accuracy(rows, gold["tuning"], score), accuracy(rows, gold["held-out"], score))
        lines.append(f"| {name} | {scores[name][0]:.1%} | {scores[name][1]:.1%} | {seconds:.0f} |")
        print(lines[-1], file=sys.stderr)
    picked = max(scores, key=lambda n: (scores[n][0], n == "defaults"))
    tuning, held_out = scores[picked]
    lines += [
        "",
        f"Picked on the tuning half: **{picked}** ({tuning:.1%}); on the held-out half it scores **{held_out:.1%}** "
        f"(defaults: {scores['defaults'][1]:.1%}; spread over all configurations on the held-out half: "
        f"{min(s[1] for s in scores.values()):.1%}–{max(s[1] for s in scores.values()):.1%}).",
    ]
    results["support"] = decide_rows(items, names, DEFAULTS, "support")[1]
    lines += calibration_lines(results, names, gold, score)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
