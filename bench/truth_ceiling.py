"""The ceiling of choosing among stated values on Flight: gold items whose gold value some claim states.

    python bench/truth_ceiling.py [--exclude aa,ua,CO]

Consensus picks one of the values the sources state; it never invents one.
So a gold item no source states the gold value for is lost to every method,
and the share of gold items with *some* claim stating the gold value bounds
the exact accuracy any such method can reach. Read from the crawl files
(the airline sites left out by default, as in ``flight-no-airlines``) with
the readers ``bench/score_truth.py`` scores with; reported per half
(tuning: odd crawl days, held out: even) and attribute, as Markdown.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.flight_to_claims import ATTRIBUTES, DEFAULT_DATA, day_files, day_of, subject  # noqa: E402
from bench.score_truth import AIRLINE_SITES, HALVES, flight_gold, flight_half  # noqa: E402
from ledger.core.readings import ParseContext, PartialDate  # noqa: E402
from ledger.core.values import parse_value  # noqa: E402


def stated_values(gold_subjects: set[str], excluded: set[str]) -> dict[tuple[str, str], set]:
    """(subject, attribute) → the readings claims state for it (times in minutes, gates as codes)."""
    stated: dict[tuple[str, str], set] = defaultdict(set)
    for path in day_files(DEFAULT_DATA, None):
        day = day_of(path)
        context = ParseContext(published=PartialDate(*map(int, day.split("-"))))
        with path.open(encoding="latin-1") as handle:
            for line in handle:
                cells = line.rstrip("\n").split("\t")
                flight = subject(cells[1].strip(), day)
                if cells[0].strip() in excluded or flight not in gold_subjects:
                    continue
                for (name, kind, _), cell in zip(ATTRIBUTES, cells[2:]):
                    reading = parse_value(cell.strip(), kind, context) if cell.strip() else None
                    if reading is None or reading.kind == "unparsed":
                        continue
                    value = reading.text if kind == "identifier" else float((reading.interval.low + reading.interval.high) / 2)
                    stated[flight, name].add(value)
    return stated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exclude", default=AIRLINE_SITES, help=f"sites left out (default: {AIRLINE_SITES}; '' for none)")
    args = parser.parse_args(argv)
    gold = flight_gold(None)
    half_of = flight_half(gold)
    stated = stated_values({key[0] for key in gold}, {s for s in args.exclude.split(",") if s})
    items, reachable = Counter(), Counter()
    for key, accepted in gold.items():
        for attribute in (key[1], "overall"):
            items[half_of[key], attribute] += 1
            reachable[half_of[key], attribute] += any(value in stated.get(key, ()) for value in accepted)
    print("| half | attribute | gold items | gold value stated by some claim | ceiling |\n|---|---|---:|---:|---:|")
    for half in HALVES:
        for attribute in sorted({a for _, a in items}, key=lambda a: (a == "overall", a)):
            n, r = items[half, attribute], reachable[half, attribute]
            print(f"| {half} | {attribute} | {n:,} | {r:,} | {r / n:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
