"""Four processes importing different files at the same moment: all succeed, in turn, and nothing is lost."""

from __future__ import annotations

import pytest

import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from ledger.db.journal import GENESIS, entry_hash
from tests.reliability.conftest import (
    assert_verifies,
    child_env,
    generated_claim_file,
    ledger_command,
    refs_in,
)

pytestmark = pytest.mark.slow  # skip locally with -m "not slow"; CI runs them

WRITERS = 4
CLAIMS_EACH = 250
HOLD_SECONDS = 0.5  # each importer pauses this long inside its transaction, holding the write lock


class Writer:
    """One importer process, with the moments it started, took the write lock and ended."""

    def __init__(self, db: Path, claim_file: Path, actor: str):
        self.actor = actor
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            ledger_command(db, "--as", actor, "import", claim_file),
            env=child_env(
                LEDGER_FAULT="after_sources:pause", LEDGER_FAULT_PAUSE=str(HOLD_SECONDS),
                LEDGER_BUSY_TIMEOUT_MS="60000",
            ),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.locked: float | None = None  # when it printed "paused at after_sources"
        self.ended: float | None = None
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self) -> None:
        for line in self.process.stderr:
            if line.startswith("paused at after_sources") and self.locked is None:
                self.locked = time.monotonic()
            self.stderr.append(line)
        self.ended = time.monotonic()  # end of stderr: the process has exited

    def wait(self) -> None:
        self.process.wait(timeout=120)
        self._reader.join(timeout=10)
        self.stdout = self.process.stdout.read()  # one summary line: fits the pipe while it runs


def test_four_importers_at_once_all_succeed_and_lose_nothing(db_path: Path, tmp_path: Path):
    files = [
        generated_claim_file(tmp_path / f"writer{i}.yaml", f"w{i}", claims=CLAIMS_EACH, shared_subjects=20)
        for i in range(WRITERS)
    ]
    writers = [Writer(db_path, path, f"writer-{i}") for i, path in enumerate(files)]
    for writer in writers:
        writer.wait()

    for writer in writers:
        assert writer.process.returncode == 0, "".join(writer.stderr)
        assert "added 5 sources" in writer.stdout and f"{CLAIMS_EACH} claims" in writer.stdout

    # They overlapped: all four were running at one moment ...
    assert max(w.started for w in writers) < min(w.ended for w in writers)
    # ... so each but the first waited while another held the write lock, and none got it early:
    # the moments they took the lock are at least HOLD_SECONDS apart.
    assert all(w.locked is not None for w in writers)
    turns = sorted(writers, key=lambda w: w.locked)
    for before, after in zip(turns, turns[1:]):
        assert after.locked - before.locked >= HOLD_SECONDS * 0.9
        assert after.started < before.locked, f"{after.actor} started only after {before.actor} held the lock"

    for i in range(WRITERS):
        assert refs_in(db_path, f"w{i}-") == {f"w{i}-claim-{n}" for n in range(CLAIMS_EACH)}
    assert_verifies(db_path)
    assert_journal_chain(db_path, [w.actor for w in turns])


def assert_journal_chain(db: Path, actors_in_turn: list[str]) -> None:
    """Seqs run 1..n, each entry hashes onto the one before, and each import's entries are contiguous."""
    connection = sqlite3.connect(db)
    try:
        entries = connection.execute(
            "select seq, recorded_at, actor, operation, payload, prev_hash, hash from journal order by seq"
        ).fetchall()
    finally:
        connection.close()
    assert [e[0] for e in entries] == list(range(1, len(entries) + 1))
    head = GENESIS
    for seq, recorded_at, actor, operation, payload, prev_hash, digest in entries:
        assert prev_hash == head, f"entry {seq} does not follow entry {seq - 1}"
        assert digest == entry_hash(prev_hash, seq, recorded_at, actor, operation, payload)
        head = digest
    blocks = []
    for entry in entries:
        if not blocks or blocks[-1] != entry[2]:
            blocks.append(entry[2])
    assert blocks == actors_in_turn  # one unbroken run of entries per import, in the order they held the lock
