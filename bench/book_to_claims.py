"""Convert the Book truth-discovery data (Yin, Han and Yu, KDD 2007) into a JSON Lines claim file.

    python bench/book_to_claims.py OUT.jsonl [--data DIR]

Reads ``../shared/bench/truth/book/book.txt`` (relative to the repository
root; the data is never copied into the repository) and writes one JSON record
per line, ready for ``ledger import OUT.jsonl``:

* one attribute, ``authors``, declared with kind ``names`` (timeless: a book's
  authors do not change): the **ledger** reads each author string into a set of
  names — the converter does no normalising;
* one **source per bookstore** (key as in the data, e.g. ``A1Books``; no
  outlet, no publication date, no text);
* one **claim per row**: subject the ISBN as written, the author list exactly
  as printed (surrounding spaces aside), no quote. A store listing a book
  twice with one string is one claim. Placeholders (``Not Available``,
  ``None``) are written like any other value: the ``names`` kind reads them as
  naming no one, and they are kept as stated, not compared.

Empty author cells state nothing and are counted, not written. A summary goes
to stderr.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from truth_files import TRUTH_DATA, converter_arguments, tab_rows, write_jsonl  # noqa: E402

DEFAULT_DATA = TRUTH_DATA / "book"


def records(path: Path, counts: Counter) -> Iterator[dict]:
    """Attribute, source and claim records, in an order ``ledger import`` accepts."""
    yield {"type": "attribute", "name": "authors", "kind": "names", "single_valued": True, "timeless": True,
           "description": "Authors of a book, as a bookstore lists them"}
    seen: set[str] = set()
    for store, isbn, _title, authors in tab_rows(path, 4, newline=""):  # store, ISBN, title, authors; CRLF
        counts["rows"] += 1
        store, isbn, authors = store.strip(), isbn.strip(), authors.strip()
        if not authors:
            counts["empty"] += 1
            continue
        if store not in seen:
            seen.add(store)
            counts["sources"] += 1
            yield {"type": "source", "key": store, "title": f"{store} book listings (AbeBooks)"}
        counts["claims"] += 1
        yield {"type": "claim", "source": store, "subject": isbn, "attribute": "authors", "value": authors}


def main(argv: list[str] | None = None) -> int:
    args = converter_arguments(__doc__, "book").parse_args(argv)
    source = args.data / "book.txt"
    if not source.exists():
        raise SystemExit(f"error: {source} not found; give --data DIR")
    counts: Counter = Counter()
    write_jsonl(args.out, records(source, counts))
    print(f"{args.out}: {counts['rows']:,} rows, {counts['sources']:,} sources (stores), {counts['claims']:,} "
          f"claims written; {counts['empty']:,} empty author cells state nothing", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
