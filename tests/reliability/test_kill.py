"""An import killed with SIGKILL, at a named fault point or at a random moment, leaves the ledger as it was."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from ledger.faults import POINTS
from tests.reliability.conftest import (
    assert_verifies,
    child_env,
    generated_claim_file,
    invoke,
    ledger_command,
    refs_in,
    run_ledger,
    snapshot,
)

pytestmark = pytest.mark.slow  # skip locally with -m "not slow"; CI runs them


@pytest.fixture(params=["empty", "with data"])
def ledger_db(request, db_path: Path, claim_file: Path) -> Path:
    """An initialised ledger, either empty or holding the small claim file."""
    if request.param == "with data":
        result = invoke(db_path, "import", claim_file)
        assert result.exit_code == 0, result.output
    return db_path


@pytest.mark.parametrize("point", POINTS)
def test_import_killed_at_a_fault_point_changes_nothing(point: str, ledger_db: Path, tmp_path: Path):
    claim_file = generated_claim_file(tmp_path / "new.yaml", "kill", claims=200)
    before = snapshot(ledger_db)

    killed = run_ledger(ledger_db, "import", claim_file, LEDGER_FAULT=f"{point}:kill")

    assert killed.returncode == -signal.SIGKILL, killed.stderr  # it died at the point, inside the transaction
    assert snapshot(ledger_db) == before
    assert_verifies(ledger_db)
    # The ledger is not left locked or half-recovered: the same import now goes through whole.
    again = invoke(ledger_db, "import", claim_file)
    assert again.exit_code == 0, again.output
    assert len(refs_in(ledger_db, "kill-")) == 200
    assert_verifies(ledger_db)


def write_lock_held(db: Path) -> bool:
    """Whether another connection holds the write lock (an importer inside its transaction)."""
    connection = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    else:
        connection.execute("ROLLBACK")
        return False
    finally:
        connection.close()


def test_import_killed_at_a_random_moment_changes_nothing(db_path: Path, claim_file: Path, tmp_path: Path):
    assert invoke(db_path, "import", claim_file).exit_code == 0
    big = generated_claim_file(tmp_path / "big.yaml", "big", claims=3_000, sources=10)
    before = snapshot(db_path)
    seed = random.randrange(2**32)
    delay = random.Random(seed).uniform(0, 0.1)

    process = subprocess.Popen(
        ledger_command(db_path, "import", big), env=child_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not write_lock_held(db_path):  # wait until the import is writing
            assert process.poll() is None and time.monotonic() < deadline, "import never took the write lock"
            time.sleep(0.002)
        time.sleep(delay)
        inside = write_lock_held(db_path)
        process.kill()
    finally:
        process.wait(timeout=30)

    assert process.returncode == -signal.SIGKILL
    assert inside, f"the import committed within {delay:.3f}s of starting to write (seed {seed}); use a bigger file"
    assert snapshot(db_path) == before, f"seed {seed}, killed {delay:.3f}s into the write"
    assert_verifies(db_path)
    assert run_ledger(db_path, "import", big).returncode == 0
    assert len(refs_in(db_path, "big-")) == 3_000
