"""The truth-data converters under bench/: their claim files import, keep unreadable cells and decide right."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from ledger.cli import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import book_to_claims, flight_to_claims, population_to_claims  # noqa: E402

# One crawl day as the data set prints it: tab-separated, Latin-1 (a raw 0xA0 in a den gate),
# empty cells, a row printed twice, an airline site, and cells that state no time or gate.
FLIGHT_DAY = "\n".join([
    "orbitz\tAA-1-TPA-MIA\t2:57 PMDec 01\t3:02 PMDec 01\tF78\t4:30 PMDec 01\t\tD5",
    "flightview\tAA-1-TPA-MIA\tDec 01 - 2:57pm\tDec 01 - 3:17pm\t\tDec 01 - 4:30pm\tDec 01 - 4:21pm\t",
    "flightview\tAA-1-TPA-MIA\tDec 01 - 2:57pm\tDec 01 - 3:17pm\t\tDec 01 - 4:30pm\tDec 01 - 4:21pm\t",
    "travelocity\tAA-1-TPA-MIA\t2011-12-01 02:57 PM\t2011-12-01 03:02 PM\tMain Term - F78\t\t\t",
    "den\tAA-1-TPA-MIA\t12/1/11 2:57 PM (-05:00)\tContact Airline\t \t\t\tD5\xa0",
    "aa\tAA-1-TPA-MIA\t12/01/2011 02:57 PM\t12/01/2011 03:02 PM\tF78\t12/01/2011 04:30 PM\t\tD5",
]) + "\n"

POPULATION = """\
"ObjectID","PropertyID","PropertyValue","SourceID","TimeStamp"
"gary, indiana","Population2000","102746","620554: Harpchad","null"
"gary, indiana","Population2000","0","2278184: El diablo21","null"
"gary, indiana","Population2000","102746","509520: Betacommand","null"
"gary, indiana","Population2006","97715","0 (75.73.92.107)","null"
"""


def _ledger(tmp_path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "truth.db"), *args])


def test_flight_day_converts_imports_and_decides(tmp_path, capsys):
    folder = tmp_path / "flight" / "clean_flight"
    folder.mkdir(parents=True)
    (folder / "2011-12-01-data.txt").write_bytes(FLIGHT_DAY.encode("latin-1"))
    out = tmp_path / "flight.jsonl"
    assert flight_to_claims.main([str(out), "--data", str(tmp_path / "flight"), "--exclude", "aa,ua,CO"]) == 0
    summary = capsys.readouterr().err
    assert "1 rows of excluded sources left out" in summary.replace(",", "")
    records = [json.loads(line) for line in out.read_text().splitlines()]
    sources = {r["key"] for r in records if r["type"] == "source"}
    assert sources == {"orbitz/2011-12-01", "flightview/2011-12-01", "travelocity/2011-12-01", "den/2011-12-01"}
    claims = [r for r in records if r["type"] == "claim"]
    assert {c["subject"] for c in claims} == {"AA-1-TPA-MIA 2011-12-01"}
    assert {"value": "D5\xa0", "attribute": "arrival_gate"}.items() <= next(
        c for c in claims if c["source"] == "den/2011-12-01" and c["attribute"] == "arrival_gate").items()
    assert not any(c["value"].strip() == "" for c in claims)  # a blank cell states nothing

    assert _ledger(tmp_path, "init").exit_code == 0
    imported = _ledger(tmp_path, "import", str(out))
    assert imported.exit_code == 0, imported.output
    assert "could not read 'Contact Airline' as a time" in imported.stderr  # kept as stated, reported
    decided = _ledger(tmp_path, "consensus", "--format", "json")
    values = {row["attribute"]: row["value"] for row in json.loads(decided.stdout)}
    assert values == {
        "scheduled_departure": "2011-12-01 14:57", "actual_departure": "2011-12-01 15:02",
        "departure_gate": "F78", "scheduled_arrival": "2011-12-01 16:30", "actual_arrival": "2011-12-01 16:21",
        "arrival_gate": "D5",
    }


def test_population_converts_editors_into_sources_and_years_into_when(tmp_path):
    folder = tmp_path / "population"
    folder.mkdir()
    (folder / "population_claims.csv").write_text(POPULATION, encoding="utf-8")
    out = tmp_path / "population.jsonl"
    assert population_to_claims.main([str(out), "--data", str(folder)]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    titles = {r["key"]: r["title"] for r in records if r["type"] == "source"}
    assert titles["620554: Harpchad"] == "Wikipedia edits by Harpchad"
    assert titles["0 (75.73.92.107)"] == "Wikipedia edits by anonymous editor 75.73.92.107"
    assert [c["when"] for c in records if c["type"] == "claim"] == ["2000", "2000", "2000", "2006"]

    assert _ledger(tmp_path, "init").exit_code == 0
    assert _ledger(tmp_path, "import", str(out)).exit_code == 0
    rows = json.loads(_ledger(tmp_path, "consensus", "--format", "json").stdout)
    assert [(r["subject"], r["time"], r["value"], r["origins"]) for r in rows] == [
        ("gary, indiana", "2000", "102,746", 2),
        ("gary, indiana", "2006", "97,715", 1),
    ]


# AbeBooks listings as the data set prints them: tab-separated, CRLF, an empty author cell, a placeholder,
# a store listing a book twice, abbreviations and spellings of one list.
BOOKS = "\r\n".join([
    "A1Books\t1558609016\tData Mining\tHan, Jiawei; Kamber, Micheline",
    "A1Books\t1558609016\tData Mining\tHan, Jiawei; Kamber, Micheline",
    "Caiman\t1558609016\tData Mining\tJiawei Han, Micheline Kamber",
    "textbooksNow\t1558609016\tData Mining\tHan",
    "Indoo.com\t1558609016\tData Mining\tHAN",
    "eCampus.com\t1558609016\tData Mining\tNot Available",
    "S M Inc\t1558609016\tData Mining\t",
]) + "\r\n"


def test_book_converts_raw_author_strings_and_the_ledger_reads_them(tmp_path, capsys):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.txt").write_bytes(BOOKS.encode("ascii"))
    out = tmp_path / "book.jsonl"
    assert book_to_claims.main([str(out), "--data", str(folder)]) == 0
    assert "1 empty author cells state nothing" in capsys.readouterr().err
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records[0] == {"type": "attribute", "name": "authors", "kind": "names", "single_valued": True,
                          "timeless": True, "description": "Authors of a book, as a bookstore lists them"}
    assert [c["value"] for c in records if c["type"] == "claim"][3:] == ["Han", "HAN", "Not Available"]

    assert _ledger(tmp_path, "init").exit_code == 0
    imported = _ledger(tmp_path, "import", str(out))
    assert imported.exit_code == 0, imported.output
    assert "could not read 'Not Available'" in imported.stderr  # kept as stated, no candidate
    for method in ("support", "reliability"):
        [row] = json.loads(_ledger(tmp_path, "consensus", "--method", method, "--format", "json").stdout)
        assert (row["value"], row["origins"], row["total_origins"]) == ("han, jiawei; kamber, micheline", 2, 4)


def test_converters_find_the_shared_data_from_the_repository_root():
    root = Path(__file__).resolve().parents[1]
    for module in (book_to_claims, flight_to_claims, population_to_claims):
        assert module.DEFAULT_DATA.parent == root / ".." / "shared" / "bench" / "truth"
