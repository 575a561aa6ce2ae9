"""What the truth-data converters share: where the data lies, their command line, tab files, JSON Lines out."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

#: The data sets beside the repository (never copied into it): ``<repo>/../shared/bench/truth/<set>``.
TRUTH_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "bench" / "truth"


def converter_arguments(doc: str, data_set: str) -> argparse.ArgumentParser:
    """``OUT`` and ``--data`` (default: the data set's folder beside the repository); a converter adds its own."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="JSON Lines file to write")
    parser.add_argument("--data", type=Path, default=TRUTH_DATA / data_set,
                        help=f"the {data_set} folder (default: %(default)s)")
    return parser


def tab_rows(path: Path, cells: int, newline: str | None = None) -> Iterator[list[str]]:
    """Tab-separated rows of exactly ``cells`` cells, read as Latin-1 (which reads any byte)."""
    with path.open(encoding="latin-1", newline=newline) as handle:
        for line in handle:
            row = line.rstrip("\r\n").split("\t")
            if len(row) == cells:
                yield row


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    """One JSON object per line, UTF-8, as ``ledger import`` reads it."""
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
