"""Claim files read ahead in a second process: the same ledger, the same reports, the same errors."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import cli
from ledger.db import claim_writer, read_ahead
from tests.conftest import copy_ledger_file, postgres_database

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402

TIMES = {"recorded_at", "read_at", "detected_at", "estimated_at", "prev_hash", "hash", "journal_hash"}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Sources (JSON Lines), claims (CSV), and more claims with their own sources and attributes (JSON Lines)."""
    sources, claims = generate(3_000, tmp_path / "generated", seed=7)
    rows = list(csv.DictReader(claims.open(encoding="utf-8")))
    lines = [
        {"type": "source", "key": "late", "title": "A late source", "published": "2022-03-01", "language": "fr"},
        {"type": "attribute", "name": "seats", "kind": "quantity"},
    ]
    for number, row in enumerate(rows[:1_500]):
        lines.append({"type": "claim", **{k: v for k, v in row.items() if v}})
        if number % 7 == 0:
            lines.append({"type": "claim", "source": "late", "subject": row["subject"], "attribute": "seats",
                          "value": f"{number} seats", "when": "last May"})
        if number % 11 == 0:  # an attribute first met in a claim: its kind is inferred
            lines.append({"type": "claim", "source": "late", "subject": row["subject"], "attribute": "fare",
                          "value": f"€{number}", "quote": f"q{number}"})
    more = tmp_path / "more.jsonl"
    more.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return sources, claims, more


def imported(template_db: Path, path: Path, *files: Path):
    db = copy_ledger_file(template_db, path)
    return db, CliRunner().invoke(cli, ["--db", str(db), "import", *map(str, files)])


def dump(db: Path) -> list[tuple]:
    """Every row of every table, in key order, but times and the journal's chained hashes."""
    rows = []
    with sqlite3.connect(db) as connection:
        for (table,) in connection.execute("select name from sqlite_master where type = 'table' order by name"):
            info = connection.execute(f"pragma table_info('{table}')").fetchall()
            quoted = ", ".join(f'"{c[1]}"' for c in info if c[1] not in TIMES)
            order = ", ".join(f'"{c[1]}"' for c in sorted(info, key=lambda c: c[5]) if c[5]) or "rowid"
            rows += [(table, *row) for row in connection.execute(f'select {quoted} from "{table}" order by {order}')]
    connection.close()
    return rows


@pytest.fixture
def ahead(monkeypatch):
    """Read ahead whatever the size of the files; counts the claims that reached the writer read ahead."""
    monkeypatch.setattr(read_ahead, "AHEAD_MIN_BYTES", 0)
    prepared = []
    write_batch = claim_writer.ClaimWriter.write_batch

    def counting(self, records, supersedes_id):
        prepared.append(sum(type(r) is read_ahead.PreparedClaim for r in records))
        return write_batch(self, records, supersedes_id)

    monkeypatch.setattr(claim_writer.ClaimWriter, "write_batch", counting)
    return prepared


def test_read_ahead_stores_what_reading_here_stores(files, tmp_path, template_db, monkeypatch, ahead):
    here_db, here = imported(template_db, tmp_path / "here.db", *files)  # first, with the worker
    assert sum(ahead) > 4_000  # the claims did come read ahead
    monkeypatch.setattr(read_ahead, "AHEAD_MIN_BYTES", 10**12)
    there_db, there = imported(template_db, tmp_path / "there.db", *files)
    assert here.exit_code == there.exit_code == 0, here.output
    assert (here.stdout, here.stderr) == (there.stdout, there.stderr)
    assert dump(here_db) == dump(there_db)


def test_wrong_guesses_are_read_again(files, tmp_path, template_db, monkeypatch, ahead):
    monkeypatch.setattr(read_ahead._Guesses, "_kind", lambda self, attribute, value, published, language: "text")
    guessed_db, guessed = imported(template_db, tmp_path / "guessed.db", *files)
    monkeypatch.setattr(read_ahead, "AHEAD_MIN_BYTES", 10**12)
    here_db, here = imported(template_db, tmp_path / "here.db", *files)
    assert guessed.exit_code == here.exit_code == 0, guessed.output
    assert (guessed.stdout, guessed.stderr) == (here.stdout, here.stderr)
    assert dump(guessed_db) == dump(here_db)


@pytest.mark.parametrize("bad", [
    ("source", "nowhere"),  # found by the writer: unknown source
    ("value", ""),  # found by the reader: a required field left empty
    ("subject", "Wagner\u202egroup"),  # found by the reader: a character a name may not hold (not a clean row)
])
def test_a_bad_claim_far_in_fails_alike_and_writes_nothing(files, tmp_path, template_db, monkeypatch, ahead, bad):
    sources, claims, _ = files
    rows = list(csv.DictReader(claims.open(encoding="utf-8")))
    rows[2_600][bad[0]] = bad[1]  # past the first chunks and the first batch
    broken = tmp_path / "broken.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    failed_db, failed = imported(template_db, tmp_path / "failed.db", sources, broken)
    monkeypatch.setattr(read_ahead, "AHEAD_MIN_BYTES", 10**12)
    _, here = imported(template_db, tmp_path / "here.db", sources, broken)
    assert failed.exit_code == here.exit_code == 1
    assert failed.output == here.output and f"{broken}:2602: claim" in failed.output
    assert dump(failed_db) == dump(template_db)  # nothing of the import was written


def test_read_ahead_on_postgresql(files, postgres_template, monkeypatch, ahead):
    """The worker forks beside an open PostgreSQL connection it never uses: same report, same claims and readings."""
    databases = [postgres_database(f"ledger_test_{uuid.uuid4().hex[:12]}", template=postgres_template) for _ in "ab"]
    try:
        (ahead_url, _), (here_url, _) = databases
        runner = CliRunner()
        read_ahead_import = runner.invoke(cli, ["--db", ahead_url, "import", *map(str, files)])
        assert sum(ahead) > 4_000
        monkeypatch.setattr(read_ahead, "AHEAD_MIN_BYTES", 10**12)
        here_import = runner.invoke(cli, ["--db", here_url, "import", *map(str, files)])
        assert read_ahead_import.exit_code == here_import.exit_code == 0, read_ahead_import.output
        assert (read_ahead_import.stdout, read_ahead_import.stderr) == (here_import.stdout, here_import.stderr)
        exported = [timeless_rows(runner.invoke(cli, ["--db", url, "export", "--format", "csv"])) for url in (ahead_url, here_url)]
        assert len(exported[0]) > 3_000  # the JSON Lines repeat 1,500 claims of the CSV: recorded once
        assert exported[0] == exported[1]
    finally:
        from sqlalchemy.orm import close_all_sessions

        close_all_sessions()
        for _, drop in databases:
            drop()


def timeless_rows(result) -> list[dict]:
    """The rows of ``ledger export --format csv`` without the times they were recorded and read at."""
    assert result.exit_code == 0, result.output
    return [{k: v for k, v in row.items() if k not in TIMES} for row in csv.DictReader(io.StringIO(result.stdout))]


class _AsRead:
    def entry(self, record):
        return record


def test_a_worker_whose_writer_is_gone_stops_quietly(files, capfd):
    """The writing process killed mid-import: the worker's next send finds the pipe closed and it just stops."""
    import gc
    import multiprocessing

    receiving, sending = multiprocessing.Pipe(duplex=False)
    receiving.close()
    enabled = gc.isenabled()
    try:
        read_ahead._read([files[1]], sending, receiving, _AsRead())  # returns, raises nothing
    finally:
        if enabled:
            gc.enable()
    assert capfd.readouterr().err == ""


def _with_subjects(claims: Path, path: Path, subjects: dict[int, str]) -> Path:
    """The claims CSV with the subjects of some rows replaced."""
    rows = list(csv.DictReader(claims.open(encoding="utf-8")))
    for number, subject in subjects.items():
        rows[number]["subject"] = subject
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


# New subjects near one another (spelling, shortened, acronym), one of them first met twice, far into the file.
NEAR_SUBJECTS = {5: "Assimi Goïta", 2_300: "Asmi Guetta", 2_310: "Asmi Guetta", 2_400: "Wagner Group contract",
                 2_500: "Wagner contract", 2_600: "Economic Community of West African States", 2_700: "ECOWAS",
                 2_750: "Sergueï Choïgou\u200b", 2_800: "Sergey Shoigu"}


def test_new_subjects_read_ahead_warn_and_store_alike(files, tmp_path, template_db, monkeypatch, ahead):
    sources, claims, _ = files
    named = _with_subjects(claims, tmp_path / "named.csv", NEAR_SUBJECTS)
    ahead_db, read_ahead_import = imported(template_db, tmp_path / "ahead.db", sources, named)
    assert sum(ahead) > 2_500
    monkeypatch.setattr(read_ahead, "AHEAD_MIN_BYTES", 10**12)
    here_db, here = imported(template_db, tmp_path / "here.db", sources, named)
    assert read_ahead_import.exit_code == here.exit_code == 0, read_ahead_import.output
    assert read_ahead_import.stderr.count("new entity") == here.stderr.count("new entity") >= 4
    assert (read_ahead_import.stdout, read_ahead_import.stderr) == (here.stdout, here.stderr)
    assert dump(ahead_db) == dump(here_db)


def test_a_confusable_new_subject_far_in_fails_alike(files, tmp_path, template_db, monkeypatch, ahead):
    sources, claims, _ = files
    confusable = _with_subjects(claims, tmp_path / "confusable.csv", {2_600: "B\u0430rkhane"})  # a Cyrillic а
    failed_db, failed = imported(template_db, tmp_path / "failed.db", sources, confusable)
    monkeypatch.setattr(read_ahead, "AHEAD_MIN_BYTES", 10**12)
    _, here = imported(template_db, tmp_path / "here.db", sources, confusable)
    assert failed.exit_code == here.exit_code == 1
    assert failed.output == here.output and f"{confusable}:2602: claim.subject" in failed.output
    assert dump(failed_db) == dump(template_db)


def test_quote_passages_from_the_writer_store_what_reading_the_claims_stores(files, tmp_path, template_db, monkeypatch):
    """Into an empty ledger the writer hands search its quotes; the passages and the full-text index are the same bytes."""
    from ledger.db import search

    sources, claims, more = files
    handed = []
    index_new = search.index_new
    monkeypatch.setattr(search, "index_new", lambda *args: handed.append(args[3]) or index_new(*args))
    from_writer_db, from_writer = imported(template_db, tmp_path / "writer.db", sources, claims, more)
    assert handed and len(handed[0]) > 1_000
    monkeypatch.setattr(claim_writer, "MAX_TRACKED_QUOTES", -1)  # past the limit: found in the claims table
    from_claims_db, from_claims = imported(template_db, tmp_path / "claims.db", sources, claims, more)
    assert handed[1] is None
    assert from_writer.exit_code == from_claims.exit_code == 0, from_writer.output
    assert dump(from_writer_db) == dump(from_claims_db)
