"""Convert the Flight truth-discovery data (Li et al., VLDB 2013) into a JSON Lines claim file.

    python bench/flight_to_claims.py OUT.jsonl [--days N] [--exclude aa,ua,CO] [--data DIR]

Reads ``../shared/bench/truth/flight/clean_flight/*.txt`` (relative to the
repository root; the data is never copied into the repository) and writes one
JSON record per line, ready for ``ledger import OUT.jsonl``:

* six attributes — ``scheduled_departure``, ``actual_departure``,
  ``scheduled_arrival``, ``actual_arrival`` (kind ``time``) and
  ``departure_gate``, ``arrival_gate`` (kind ``identifier``);
* one **source per website and crawl day** (key ``orbitz/2011-12-01``, outlet
  ``orbitz``, published on the crawl day, no text): a time without a date or
  year is read against the crawl day, and reliability is judged per outlet;
* one **claim per non-blank cell**: subject ``AA-1007-TPA-MIA 2011-12-01``
  (the flight on the crawl day), the cell exactly as printed (surrounding
  spaces aside), no quote, no ref (a claim is identified by its content, so a
  row a site printed twice in one day is one claim).

Unreadable cells ("Contact Airline", "Not provided by airline") are written
like any other: the ledger keeps them as stated and flags them unparsed.
Whitespace-only cells state nothing and are counted, not written. A summary
goes to stderr. ``--days N`` keeps the first N crawl days; ``--exclude``
drops sources (the airline sites ``aa,ua,CO``, whose pages the gold was taken
from).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from truth_files import TRUTH_DATA, converter_arguments, tab_rows, write_jsonl  # noqa: E402

DEFAULT_DATA = TRUTH_DATA / "flight"
AIRLINE_SITES = ("aa", "ua", "CO")

#: Columns 3–8 of the claims (and 2–7 of the gold), in order, with their kinds.
ATTRIBUTES = (
    ("scheduled_departure", "time", "Scheduled departure time, local clock of the departure airport"),
    ("actual_departure", "time", "Actual departure time, local clock of the departure airport"),
    ("departure_gate", "identifier", "Departure gate"),
    ("scheduled_arrival", "time", "Scheduled arrival time, local clock of the arrival airport"),
    ("actual_arrival", "time", "Actual arrival time, local clock of the arrival airport"),
    ("arrival_gate", "identifier", "Arrival gate"),
)


@dataclass
class Summary:
    days: int = 0
    rows: int = 0
    sources: int = 0
    claims: int = 0
    blank_cells: int = 0
    empty_cells: int = 0
    excluded_rows: int = 0
    per_attribute: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        return [
            f"{self.days} crawl days, {self.rows:,} rows, {self.sources:,} sources (site × day)",
            f"{self.claims:,} claims written; {self.empty_cells:,} empty cells and "
            f"{self.blank_cells:,} whitespace-only cells state nothing",
            f"{self.excluded_rows:,} rows of excluded sources left out",
            "claims per attribute: " + ", ".join(f"{a} {n:,}" for a, n in self.per_attribute.items()),
        ]


def day_files(data: Path, days: int | None) -> list[Path]:
    """The crawl-day files in date order (the first ``days`` of them)."""
    files = sorted((data / "clean_flight").glob("*-data.txt"))
    if not files:
        raise SystemExit(f"error: no *-data.txt files in {data / 'clean_flight'}; give --data DIR")
    return files[:days] if days else files


def day_of(path: Path) -> str:
    return path.name[:10]


def subject(flight: str, day: str) -> str:
    """The flight on one crawl day: the subject all its claims share."""
    return f"{flight} {day}"


def source_key(site: str, day: str) -> str:
    return f"{site}/{day}"


def records(files: list[Path], exclude: set[str], summary: Summary) -> Iterator[dict]:
    """Attribute, source and claim records, in an order ``ledger import`` accepts."""
    for name, kind, description in ATTRIBUTES:
        yield {"type": "attribute", "name": name, "kind": kind, "single_valued": True,
               "timeless": False, "description": description}
    for path in files:
        day = day_of(path)
        summary.days += 1
        seen_sources: set[str] = set()
        for cells in tab_rows(path, 8, newline="\n"):  # Latin-1: 73 cells hold a raw 0xA0 byte (not UTF-8)
            site, flight = cells[0].strip(), cells[1].strip()
            summary.rows += 1
            if site in exclude:
                summary.excluded_rows += 1
                continue
            key = source_key(site, day)
            if key not in seen_sources:
                seen_sources.add(key)
                summary.sources += 1
                yield {"type": "source", "key": key, "title": f"{site} flight status pages, crawl of {day}",
                       "outlet": site, "published": day}
            for (name, _, _), cell in zip(ATTRIBUTES, cells[2:]):
                if cell == "":
                    summary.empty_cells += 1
                    continue
                if not cell.strip():
                    summary.blank_cells += 1
                    continue
                summary.claims += 1
                summary.per_attribute[name] += 1
                yield {"type": "claim", "source": key, "subject": subject(flight, day),
                       "attribute": name, "value": cell}


def main(argv: list[str] | None = None) -> int:
    parser = converter_arguments(__doc__, "flight")
    parser.add_argument("--days", type=int, help="only the first N crawl days")
    parser.add_argument("--exclude", default="", help="comma-separated sources to leave out, e.g. aa,ua,CO")
    args = parser.parse_args(argv)
    exclude = {s.strip() for s in args.exclude.split(",") if s.strip()}
    summary = Summary()
    write_jsonl(args.out, records(day_files(args.data, args.days), exclude, summary))
    for line in summary.lines():
        print(f"{args.out}: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
