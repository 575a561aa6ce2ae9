"""Convert the Population truth-discovery data (Pasternack & Roth, COLING 2010) into JSON Lines claims.

    python bench/population_to_claims.py OUT.jsonl [--data DIR]

Reads ``../shared/bench/truth/population/population_claims.csv`` (relative to
the repository root; the data is never copied into the repository) and writes
one JSON record per line, ready for ``ledger import OUT.jsonl``:

* one attribute, ``population`` (kind ``quantity``);
* one **source per Wikipedia editor** (key as in the data, e.g. ``141597:
  Ilse@``, or ``0 (68.162.248.83)`` for an anonymous edit from that address;
  no outlet, no publication date, no text): each editor is judged on their own;
* one **claim per row**: subject the city as written (``cleveland, ohio``),
  ``when`` the year of the property (``Population2006`` → ``2006``, written as
  stated, so an odd ``Population0013`` is kept as year ``0013``), the value as
  stated, no quote. The item compared is the city-year.

A row whose city mixes look-alike scripts in one word (a vandal's
``user:…/κουρόβ``) is left out and counted: the ledger refuses such a
subject (``ledger.core.naming``). A summary goes to stderr.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ledger.core.naming import mixed_script_word  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from truth_files import TRUTH_DATA, converter_arguments, write_jsonl  # noqa: E402

DEFAULT_DATA = TRUTH_DATA / "population"
_PROPERTY = re.compile(r"^Population/?(\d+)$")


def year_of(property_id: str) -> str | None:
    """The year a property names, as written: ``Population/2006`` → ``2006``; None if it names none."""
    match = _PROPERTY.match(property_id.strip())
    return match[1] if match else None


def records(path: Path, counts: Counter) -> Iterator[dict]:
    yield {"type": "attribute", "name": "population", "kind": "quantity", "single_valued": True,
           "timeless": False, "description": "Population of a city in a year (Wikipedia infobox edits)"}
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            counts["rows"] += 1
            if mixed_script_word(row["ObjectID"]):
                counts["refused"] += 1
                continue
            editor = row["SourceID"].strip()
            if editor not in seen:
                seen.add(editor)
                counts["sources"] += 1
                anonymous = editor.startswith("0 (")
                who = f"anonymous editor {editor[3:-1]}" if anonymous else editor.split(": ", 1)[-1]
                yield {"type": "source", "key": editor, "title": f"Wikipedia edits by {who}",
                       "author": who}
            year = year_of(row["PropertyID"])
            if year is None or not 1800 <= int(year) <= 2030:
                counts["odd_years"] += 1
            claim = {"type": "claim", "source": editor, "subject": row["ObjectID"].strip(),
                     "attribute": "population", "value": row["PropertyValue"].strip()}
            if year is not None:
                claim["when"] = year
            counts["claims"] += 1
            yield claim


def main(argv: list[str] | None = None) -> int:
    args = converter_arguments(__doc__, "population").parse_args(argv)
    source = args.data / "population_claims.csv"
    if not source.exists():
        raise SystemExit(f"error: {source} not found; give --data DIR")
    counts: Counter = Counter()
    write_jsonl(args.out, records(source, counts))
    print(f"{args.out}: {counts['rows']:,} rows, {counts['sources']:,} sources (editors), "
          f"{counts['claims']:,} claims; {counts['odd_years']:,} name a year outside 1800–2030 "
          f"(kept as stated); {counts['refused']:,} left out (a city mixing look-alike scripts)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
