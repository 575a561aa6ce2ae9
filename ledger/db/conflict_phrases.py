"""Reasons written as phrases: each claim label and gap stored once, pairs pointing to them (migration 0012).

A bulk ledger's reasons repeat their claims' labels ("2011-12-01 14:06 (2:06
PM) vs ...: 9 minutes apart"): the Flight slice's 547,000 pairs use 35,000
labels and 488 gaps. ``stored_conflicts`` keeps three phrase ids per pair;
the ``conflicts`` view joins them back (``first vs second: gap``).
"""

from __future__ import annotations

from sqlalchemy import String, func, literal_column, select
from sqlalchemy.engine import Connection

from ledger.db.fastinsert import Rows, next_id, rows_in, sequence_ids
from ledger.db.models import ConflictPhrase

#: What ``ix_conflict_phrases_prefix`` indexes, with literal bounds so the planner matches it.
PREFIX_LENGTH = 64
PHRASE_PREFIX = func.substr(ConflictPhrase.phrase, literal_column("1"), literal_column(str(PREFIX_LENGTH)),
                            type_=String)
MAX_KNOWN = 200_000  # phrases remembered by one scan; beyond, the map starts again (memory stays bounded)


def split_reason(reason: str) -> tuple[str | None, str | None, str]:
    """A reason as (first label, second label, gap): "A vs B: gap"; (None, None, reason) if not of that shape.

    Any split joins back to the very same text; labels are shared only when it is the natural one.
    """
    head, colon, gap = reason.rpartition(": ")
    first, vs, second = head.partition(" vs ")
    if not colon or not vs:
        return None, None, reason
    return first, second, gap


class Phrases:
    """Ids of phrases in ``conflict_phrases``, inserting those not stored yet.

    A phrase stored twice (by two scans that each missed the other's) is a
    repeated row, never a wrong reason: lookups only save space.
    """

    def __init__(self, connection: Connection):
        self.connection = connection
        self.table = ConflictPhrase.__table__
        self.rows = Rows(connection, self.table)
        self.stored_any = connection.execute(select(ConflictPhrase.id).limit(1)).first() is not None
        self._ids: dict[str, int] = {}

    def stored(self, reasons: list[str]) -> list[tuple[int | None, int | None, int]]:
        """Each reason as (first label id, second label id, gap id)."""
        # Each distinct reason split and looked up once: the pairs of two values share one (the Flight slice's
        # 547,128 pairs hold 92,599 reasons; the conflict-heavy 200k's 181,163 hold 4,766).
        splits = {reason: split_reason(reason) for reason in dict.fromkeys(reasons)}
        self._know({part for split in splits.values() for part in split if part is not None})
        ids = self._ids
        found = {reason: (ids[first] if first is not None else None, ids[second] if second is not None else None,
                          ids[gap])
                 for reason, (first, second, gap) in splits.items()}
        return [found[reason] for reason in reasons]

    def _know(self, phrases: set[str]) -> None:
        if len(self._ids) + len(phrases) > MAX_KNOWN:
            self._ids.clear()
        missing = phrases.difference(self._ids)
        if missing and self.stored_any:
            prefixes = sorted({phrase[:PREFIX_LENGTH] for phrase in missing})
            query = select(ConflictPhrase.id, ConflictPhrase.phrase)
            for phrase_id, phrase in rows_in(self.connection, query, PHRASE_PREFIX, prefixes):
                if phrase in missing:
                    self._ids[phrase] = phrase_id
            missing.difference_update(self._ids)
        if missing:
            new = sorted(missing)
            self._ids.update(zip(new, self._insert(new)))

    def _insert(self, phrases: list[str]) -> list[int]:
        connection = self.connection
        if connection.dialect.name == "sqlite":  # the writer holds the write lock: the ids after the highest are ours
            first = next_id(connection, self.table)
            ids = list(range(first, first + len(phrases)))
        else:
            ids = sequence_ids(connection, self.table, len(phrases))
        self.rows.execute(list(zip(ids, phrases)))
        return ids
