"""Which claims of a batch the ledger already records: by ``ref``, or without one by fingerprint.

Re-importing a file adds nothing; a known ref with other content, or a ref
used twice in one file, is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import String, func, literal_column, select
from sqlalchemy.engine import Connection

from ledger.core.errors import InvalidClaimFile
from ledger.core.records import ClaimRecord
from ledger.db.fastinsert import rows_in
from ledger.db.models import Claim
from ledger.db.write_context import WriteContext

#: What ``ix_claims_fingerprint_prefix`` indexes, with literal bounds so the planner matches it; a prefix
#: found may belong to another fingerprint, so claims are then told apart by the whole fingerprint.
FINGERPRINT_PREFIX = func.substr(Claim.fingerprint, literal_column("1"), literal_column("16"), type_=String)
FINGERPRINT_INDEX = "ix_claims_fingerprint_prefix"


class WrittenClaims:
    """The refs and fingerprints of the claims an import wrote into an empty ledger, as a Bloom filter.

    Into an empty ledger, only claims of the import itself can already be
    recorded; a ref or fingerprint the filter does not hold is not in the
    ledger, so its lookup is skipped (a generated 200k import spent ~1.5 s of
    CPU in lookups that found nothing). What it may hold is looked up as before.
    A few MB, whatever the size of the import (false positives are ~1% at 2.65M claims).
    """

    _BITS = 1 << 25
    _MASK = _BITS - 1

    def __init__(self):
        self._bits = bytearray(self._BITS >> 3)

    def add(self, texts) -> None:
        bits, mask = self._bits, self._MASK
        for text in texts:
            h = hash(text)
            for position in (h & mask, (h >> 25) & mask, (h >> 39) & mask):
                bits[position >> 3] |= 1 << (position & 7)

    def may_hold(self, text: str) -> bool:
        bits, mask = self._bits, self._MASK
        h = hash(text)
        for position in (h & mask, (h >> 25) & mask, (h >> 39) & mask):
            if not bits[position >> 3] & (1 << (position & 7)):
                return False
        return True


class Dedup:
    """One batch's known refs and fingerprints, looked up once; ``known`` decides each claim in order.

    ``written``: for an import into an empty ledger, what it wrote so far (only those may be looked up).
    """

    def __init__(
        self, context: WriteContext, records: list[ClaimRecord], prints: list[str], stream_first_id: int | None,
        written: WrittenClaims | None = None,
    ):
        self._stream_first_id = stream_first_id  # a ref recorded at or past this id came earlier in this stream
        maybe = written.may_hold if written is not None else lambda _: True
        self._refs = self._lookup(context, Claim.ref, [r.ref for r in records if r.ref and maybe(r.ref)])
        self._prints = self._lookup(
            context, FINGERPRINT_PREFIX, sorted({p[:16] for r, p in zip(records, prints) if not r.ref and maybe(p)})
        )
        self._seen_refs: dict[str, ClaimRecord] = {}
        self._batch_prints: set[str] = set()

    @staticmethod
    def _lookup(context: WriteContext, column, values: list[str]) -> dict[str, tuple[str, int]]:
        """Which of ``values`` are already stored, mapped to those claims' fingerprints and ids.

        For fingerprint prefixes, the map is keyed by the whole fingerprints found.
        """
        if not values:
            return {}
        key = Claim.fingerprint if column is FINGERPRINT_PREFIX else column
        if column is FINGERPRINT_PREFIX:
            context.readable(FINGERPRINT_INDEX)
        query = select(key, Claim.fingerprint, Claim.id)
        with _indexes_only(context.connection):
            return {value: (fingerprint, claim_id) for value, fingerprint, claim_id in rows_in(
                context.connection, query, column, values
            )}

    def known(self, record: ClaimRecord, fingerprint: str) -> bool:
        """Whether the claim is already recorded (then it is skipped); raise on a ref that clashes."""
        ref = record.ref
        if ref:
            first = self._seen_refs.get(ref)
            if first is not None:
                raise InvalidClaimFile(
                    f"{record.location.at('ref')}: ref {ref!r} is used twice (first at {first.location.at()})"
                )
            self._seen_refs[ref] = record
            stored = self._refs.get(ref)
            if stored is not None:
                if self._stream_first_id is not None and stored[1] >= self._stream_first_id:
                    raise InvalidClaimFile(
                        f"{record.location.at('ref')}: ref {ref!r} is used twice (first as claim {stored[1]}, "
                        "earlier in this file)"
                    )
                if stored[0] != fingerprint:
                    raise InvalidClaimFile(
                        f"{record.location.at('ref')}: claim {ref!r} is already in the ledger with different content",
                        hint="correct", ref=ref,
                    )
                return True
        elif fingerprint in self._prints or fingerprint in self._batch_prints:
            return True
        self._batch_prints.add(fingerprint)
        return False


@contextmanager
def _indexes_only(connection: Connection) -> Iterator[None]:
    """On PostgreSQL, lookups through the claims' indexes while the import's own rows have no statistics.

    The planner knows nothing of rows written in the open transaction, so it
    guesses that half of ``claims`` matches a list of fingerprint prefixes and
    scans the whole table for every 500 of them: quadratic over a bulk import
    (12 of 85 s at 50,000 claims). Sequential scans are set off for the lookup
    only (``SET LOCAL``, then back to what it was).
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    before = connection.exec_driver_sql("SELECT current_setting('enable_seqscan')").scalar()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    yield  # on an error the transaction is rolled back, and the setting with it
    if before == "on":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = on")


def refuse_repeated_refs(records: list[ClaimRecord]) -> None:
    """Refuse a list of claims (a bundle, a command's claims) that uses a ref twice, naming both places."""
    seen_refs: dict[str, ClaimRecord] = {}
    for record in records:
        if record.ref and record.ref in seen_refs:
            first = seen_refs[record.ref].location.at()
            raise InvalidClaimFile(f"{record.location.at('ref')}: ref {record.ref!r} is used twice (first at {first})")
        if record.ref:
            seen_refs[record.ref] = record
