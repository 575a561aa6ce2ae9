"""What `verify` found, and the guard that turns an unreadable value into a finding instead of a crash.

Shared by the journal check (``verify``) and the derived-table check (``verify_derived``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import OperationalError

from ledger.db.journal import GENESIS

DATA_ERRORS = (ValueError, TypeError, KeyError, ArithmeticError, OperationalError)


@dataclass
class VerifyReport:
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # what could not be checked, and how to make it checkable
    deep: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def guarded(report: VerifyReport, table: str, check, *args) -> bool:
    """Run one table's check; a value no column of the ledger could hold is tampering too, not a crash."""
    try:
        check(*args)
        return True
    except DATA_ERRORS as exc:
        if isinstance(exc, OperationalError) and "decode" not in str(exc):
            raise
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
        report.problems.append(f"the {table} table holds a value the ledger cannot read ({reason}): it was edited")
        return False
