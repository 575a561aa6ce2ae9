"""Databases the ledger cannot use: one `Error:` line, exit 1, no traceback, and the file left untouched.

Locked beyond the busy timeout, not a database, truncated, at a newer schema
revision than the code, read-only file, read-only folder. The lock test runs
the CLI as a separate process, as a user would meet it; the others run it in
this process (same code path, ten times faster).
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import assert_refused, file_digest, invoke

pytestmark = pytest.mark.slow  # skip locally with -m "not slow"; CI runs them

WRITES = (("import", "{claim_file}"), ("init",))
READS = (("claims",), ("sql", "select count(*) from claims"), ("verify",))


def command(args: tuple[str, ...], claim_file: Path) -> list[str]:
    return [arg.format(claim_file=claim_file) for arg in args]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A ledger holding a few claims, all of it in the main file (WAL checkpointed)."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "ledger.db"
    assert invoke(path, "init").exit_code == 0
    claims = folder / "claims.yaml"
    claims.write_text(
        "sources:\n  - {key: s, title: T, published: 2020-01-01}\n"
        "claims:\n  - {ref: r1, source: s, subject: Mali, attribute: troops_deployed, value: '1,000'}\n"
        "  - {ref: r2, source: s, subject: Mali, attribute: price, value: '$5 million'}\n",
        encoding="utf-8",
    )
    result = invoke(path, "import", claims)
    assert result.exit_code == 0, result.output
    gc.collect()  # close the in-process connections before folding the WAL into the file
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@pytest.fixture(params=["wal", "delete"])
def ledger_db(request, template: Path, tmp_path: Path) -> Path:
    """A copy of the template ledger, in WAL mode (as `ledger init` leaves it) or DELETE mode (as shipped)."""
    folder = tmp_path / "ledger"
    folder.mkdir()
    path = folder / "ledger.db"
    shutil.copyfile(template, path)
    if request.param == "delete":
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode = DELETE")
        connection.close()
    return path


@pytest.fixture
def new_claims(tmp_path: Path) -> Path:
    path = tmp_path / "new.yaml"
    path.write_text(
        "sources:\n  - {key: n, title: New, published: 2021}\n"
        "claims:\n  - {ref: n1, source: n, subject: Niger, attribute: troops_deployed, value: '300'}\n",
        encoding="utf-8",
    )
    return path


def assert_untouched(path: Path, digest: str) -> None:
    assert file_digest(path) == digest
    assert not Path(f"{path}-journal").exists()


# -- locked ---------------------------------------------------------------


def test_locked_beyond_the_timeout(ledger_db: Path, new_claims: Path):
    digest = file_digest(ledger_db)
    holder = sqlite3.connect(ledger_db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        # In this process: the wait alone is timed, not a child's start-up (seconds on a loaded machine).
        started = time.monotonic()
        result = invoke(ledger_db, "import", new_claims, LEDGER_BUSY_TIMEOUT_MS="300")
        waited = time.monotonic() - started
        wal = holder.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        read = invoke(ledger_db, "claims", LEDGER_BUSY_TIMEOUT_MS="300")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_refused(result, "is locked by another process", "LEDGER_BUSY_TIMEOUT_MS")
    assert waited < 10  # the 300 ms timeout was honoured, not the 10 s default
    if wal:  # WAL readers never wait for a writer
        assert read.exit_code == 0 and "Mali" in read.stdout, read.stderr
    else:
        assert_refused(read, "is locked")
    assert_untouched(ledger_db, digest)


def test_a_bad_busy_timeout_setting_is_named(ledger_db: Path):
    result = invoke(ledger_db, "claims", LEDGER_BUSY_TIMEOUT_MS="soon")
    assert_refused(result, "LEDGER_BUSY_TIMEOUT_MS='soon'")


# -- files that are not (whole) ledgers ------------------------------------


@pytest.mark.parametrize("args", WRITES + READS, ids=lambda args: args[0])
def test_not_a_database(args, tmp_path: Path, new_claims: Path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    digest = file_digest(path)
    assert_refused(invoke(path, *command(args, new_claims)), "is not a SQLite database")
    assert_untouched(path, digest)


@pytest.mark.parametrize("args", WRITES + READS, ids=lambda args: args[0])
def test_truncated_database(args, template: Path, tmp_path: Path, new_claims: Path):
    path = tmp_path / "half.db"
    data = template.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    digest = file_digest(path)
    assert_refused(invoke(path, *command(args, new_claims)), "is corrupt")
    assert_untouched(path, digest)


@pytest.mark.parametrize("args", WRITES + READS, ids=lambda args: args[0])
def test_newer_schema_revision(args, ledger_db: Path, new_claims: Path):
    with sqlite3.connect(ledger_db) as connection:
        connection.execute("update alembic_version set version_num = 'ffff'")
    connection.close()
    digest = file_digest(ledger_db)
    assert_refused(invoke(ledger_db, *command(args, new_claims)), "revision ffff", "upgrade claim-ledger")
    assert_untouched(ledger_db, digest)


# -- read-only file or folder ----------------------------------------------


@pytest.fixture
def read_only():
    """Make a path read-only for this process, undone after the test.

    Root ignores permission bits, so as root the path is made immutable
    (`chattr +i`); where that is not possible either, the test is skipped.
    """
    undo = []

    def protect(path: Path) -> None:
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(0o555 if path.is_dir() else 0o444)
            undo.append(lambda: path.chmod(mode))
            return
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True) if shutil.which("chattr") else None
        if done is None or done.returncode != 0:
            pytest.skip("running as root, which ignores permission bits, and `chattr +i` is not possible here")
        undo.append(lambda: subprocess.run(["chattr", "-i", str(path)], check=True))

    yield protect
    for step in reversed(undo):
        step()


def assert_reads_work(path: Path) -> None:
    claims = invoke(path, "claims", "--format", "json")
    assert claims.exit_code == 0, claims.output
    assert {claim["ref"] for claim in json.loads(claims.stdout)} == {"r1", "r2"}
    count = invoke(path, "sql", "select count(*) as n from claims", "--format", "csv")
    assert count.exit_code == 0 and count.stdout.split() == ["n", "2"], count.output
    verify = invoke(path, "verify")
    assert verify.exit_code == 0, verify.output


@pytest.mark.parametrize("args", WRITES, ids=lambda args: args[0])
def test_read_only_file(args, ledger_db: Path, new_claims: Path, read_only):
    digest = file_digest(ledger_db)
    read_only(ledger_db)
    assert_refused(invoke(ledger_db, *command(args, new_claims)), "is read-only")
    assert_reads_work(ledger_db)
    assert_untouched(ledger_db, digest)


@pytest.mark.parametrize("args", WRITES, ids=lambda args: args[0])
def test_read_only_folder(args, ledger_db: Path, new_claims: Path, read_only):
    digest = file_digest(ledger_db)
    read_only(ledger_db.parent)
    assert_refused(invoke(ledger_db, *command(args, new_claims)), "read-only folder")
    assert_reads_work(ledger_db)
    assert_untouched(ledger_db, digest)
    assert sorted(p.name for p in ledger_db.parent.iterdir()) == ["ledger.db"]
