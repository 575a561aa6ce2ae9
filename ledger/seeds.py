"""Building the embedded demo ledger (``ledger.db``) from ``seeds/``: one function, shared by tests and CLI.

Run ``python -m ledger.seeds`` from the repository root to rebuild ``ledger.db``.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from ledger.db.access import Ledger
from ledger.service import import_files

SEED_FILE = Path("seeds") / "claims.yaml"


def build_seed_ledger(target: Path, seed_file: Path = SEED_FILE) -> None:
    """Create ``target`` afresh from the seed claim file, checkpointed into one file."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    ledger = Ledger(str(target), create=True)
    ledger.init()
    import_files(ledger, [seed_file], actor="seeds")
    ledger.close()
    with sqlite3.connect(target) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    with sqlite3.connect(target) as connection:
        connection.execute("VACUUM")
    connection.close()


if __name__ == "__main__":
    build_seed_ledger(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("ledger.db"))
    print("ledger.db rebuilt from seeds/claims.yaml")
