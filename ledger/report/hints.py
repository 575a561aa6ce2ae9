"""The next step an error suggests, worded as the ``ledger`` commands that take it.

Library errors carry a hint key (``LedgerError.hint``); this table is the one
place where the database layer's advice becomes command lines.
"""

from __future__ import annotations

HINTS = {
    "init": ": run `ledger init`",
    "create": "; create it with `ledger init`",
    "check_db_path": "; check the path given to --db",
    "reading_still_works": " (reading commands such as `ledger claims` still work)",
    "list": "; `ledger {what}` lists them",
    "list_aside": " (`ledger {what}` lists them)",
    "correct": "; record a correction with `ledger supersede {ref}` or `ledger retract {ref}`",
    "merge_entities": "; merge them with `ledger entities alias` instead",
    "history_why": "; `ledger history {label}` shows why",
    "history_aside": " (`ledger history {label}`)",
    "estimate_again": ": run `ledger estimate` again",
}


def worded(error: Exception) -> str:
    """The error's message followed by its hint in command words (if it has one)."""
    hint = getattr(error, "hint", None)
    if hint is None:
        return str(error)
    return str(error) + HINTS[hint].format(**error.hint_args)
