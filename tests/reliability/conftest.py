"""Helpers for the reliability tests: the CLI as a real process, table snapshots, generated claim files."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from ledger.cli import cli

# `python -m ledger.cli`, not the console script, so a fresh CI venv runs the code under test
LEDGER = (sys.executable, "-m", "ledger.cli")


def ledger_command(db: Path, *args: str) -> list[str]:
    return [*LEDGER, "--db", str(db), *map(str, args)]


def child_env(**settings: str) -> dict[str, str]:
    """This process's environment plus ``settings``, without any fault left over from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    env.update(settings)
    return env


def run_ledger(db: Path, *args: str, timeout: float = 60, **settings: str) -> subprocess.CompletedProcess:
    """Run the CLI in a child process (settings become environment variables)."""
    return subprocess.run(
        ledger_command(db, *args), env=child_env(**settings), capture_output=True, text=True, timeout=timeout
    )


def invoke(db: Path, *args: str, **settings: str):
    """Run the CLI in this process (fast; not for kills); settings become environment variables."""
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], env=settings or None)


def assert_refused(result, *needles: str) -> None:
    """Exit 1 with exactly one `Error:` line on stderr naming ``needles``, and no traceback.

    ``result`` is a click Result or a finished subprocess.
    """
    code = getattr(result, "exit_code", getattr(result, "returncode", None))
    assert code == 1, result.stdout + result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert getattr(result, "exception", None) is None or isinstance(result.exception, SystemExit), result.exception
    for needle in needles:
        assert needle in result.stderr, result.stderr


def assert_verifies(db: Path) -> None:
    result = invoke(db, "verify")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("OK: ")


def snapshot(db: Path) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows: equal snapshots mean equal data.

    Opening the file is what any later command does: SQLite rolls back what a
    killed writer left in the WAL.
    """
    connection = sqlite3.connect(db)
    try:
        tables = [row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")]
        state = {}
        for table in sorted(tables):
            rows = sorted(repr(row) for row in connection.execute(f'select * from "{table}"'))
            state[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return state
    finally:
        connection.close()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def generated_claim_file(
    path: Path, tag: str, claims: int, *, sources: int = 5, shared_subjects: int = 0
) -> Path:
    """A claim file of ``claims`` numbered claims from text-less sources (so no quotes are needed).

    Refs and source keys carry ``tag``, so files with different tags never
    collide; the first ``shared_subjects`` subjects are the same in every file.
    """
    lines = ["sources:"]
    for s in range(sources):
        lines += [f"  - key: {tag}-source-{s}", f"    title: Article {s} of {tag}", "    published: 2020-03-01"]
    lines += ["attributes:", "  - name: troops_deployed", "    kind: quantity", "claims:"]
    for i in range(claims):
        subject = f"Shared subject {i}" if i < shared_subjects else f"Subject {tag} {i % 97}"
        lines += [
            f"  - ref: {tag}-claim-{i}",
            f"    source: {tag}-source-{i % sources}",
            f"    subject: {subject}",
            "    attribute: troops_deployed",
            f'    value: "{1_000 + i:,}"',
            f'    when: "{2000 + i % 20}"',
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def refs_in(db: Path, prefix: str) -> set[str]:
    connection = sqlite3.connect(db)
    try:
        return {row[0] for row in connection.execute("select ref from claims where ref like ?", (f"{prefix}%",))}
    finally:
        connection.close()
