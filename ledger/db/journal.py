"""The append-only journal: every change, hash-chained, written in the change's own transaction.

Each entry's hash is ``sha256(prev_hash + canonical JSON of [seq, time, actor,
operation, payload])``. Payloads carry digests of the rows a change wrote, so
``verify`` can prove the tables still hold exactly what the journal says.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from ledger.core.digests import fields_digest
from ledger.core.safe_text import refuse_hostile
from ledger.db.models import Alias, Attribute, Claim, Entity, JournalEntry, Source, utcnow

GENESIS = "0" * 64
CLAIM_FIELDS = ("id", "ref", "fingerprint", "source_id", "subject", "attribute_id", "value",
                "when_stated", "quote", "attributed_to", "supersedes_id")
SOURCE_FIELDS = ("id", "key", "title", "outlet", "author", "url", "published", "published_precision",
                 "language", "sha256")


# json.dumps builds an encoder per call when given options; one made here writes the same text.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical(value) -> str:
    return _CANONICAL.encode(value)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def entry_hash(prev_hash: str, seq: int, recorded_at: str, actor: str, operation: str, payload: str) -> str:
    return sha256(prev_hash + canonical([seq, recorded_at, actor, operation, payload]))


def journal_head(session: Session) -> tuple[int, str]:
    """The last entry's number and hash: the ledger's version (every change adds an entry)."""
    tail = session.execute(
        select(JournalEntry.seq, JournalEntry.hash).order_by(JournalEntry.seq.desc()).limit(1)
    ).first()
    return (tail.seq, tail.hash) if tail else (0, GENESIS)


class Journal:
    """Appends entries for one write transaction, which holds the write lock (so the tail is ours).

    New entities and aliases are gathered and written as one ``names_added``
    entry per batch, so a bulk import with 100k new subjects adds few entries.
    """

    def __init__(self, session: Session, actor: str):
        refuse_hostile("--as", actor)  # the actor is shown in every history
        self.session = session
        self.actor = actor
        if session.get_bind().dialect.name == "postgresql":
            # SQLite writers already hold the database's write lock; on a server, serialise the tail.
            session.execute(text("LOCK TABLE journal IN SHARE ROW EXCLUSIVE MODE"))
        self.seq, self.head = journal_head(session)
        self.entities: list[list] = []
        self.aliases: list[list] = []

    def append(self, operation: str, payload: dict) -> None:
        self.flush_names()
        self._write(operation, payload)

    def append_many(self, operation: str, payloads: Iterable[dict]) -> None:
        """One entry per payload, chained as ``append`` would, written in one executemany."""
        self.flush_names()
        rows = [self._entry(operation, payload) for payload in payloads]
        if rows:
            self.session.connection().execute(insert(JournalEntry.__table__), rows)

    def _write(self, operation: str, payload: dict) -> None:
        # Core, not the ORM's insert path: a bulk import writes thousands of entries.
        self.session.connection().execute(insert(JournalEntry.__table__), [self._entry(operation, payload)])

    def _entry(self, operation: str, payload: dict) -> dict:
        """The next entry's row; advances the chain."""
        text = canonical(payload)
        recorded_at = utcnow().isoformat(timespec="microseconds")
        seq = self.seq + 1
        digest = entry_hash(self.head, seq, recorded_at, self.actor, operation, text)
        row = dict(
            seq=seq, recorded_at=recorded_at, actor=self.actor, operation=operation,
            payload=text, prev_hash=self.head, hash=digest,
        )
        self.seq, self.head = seq, digest
        return row

    def entity_added(self, entity_id: int, name: str) -> None:
        self.entities.append([entity_id, name])

    def alias_added(self, alias_key: str, alias: str, entity_id: int) -> None:
        self.aliases.append([alias_key, alias, entity_id])

    def flush_names(self) -> None:
        if self.entities or self.aliases:
            entities, aliases = self.entities, self.aliases
            self.entities, self.aliases = [], []
            self._write("names_added", {"entities": entities, "aliases": aliases})


def source_digest(source: Source) -> str:
    fields = {name: getattr(source, name) for name in SOURCE_FIELDS}
    fields["text_sha256"] = sha256(source.text) if source.text is not None else None
    return sha256(canonical(fields))


def claim_digest(row) -> str:
    """Digest of a claim's stated fields (``row`` is a Claim or a row with the same attributes)."""
    return fields_digest([getattr(row, name) for name in CLAIM_FIELDS])


def id_runs(ids: Iterable[int]) -> list[list[int]]:
    """Sorted ids as [first, last] runs: a batch of 5,000 fresh claims is one run."""
    runs: list[list[int]] = []
    for claim_id in sorted(ids):
        if runs and claim_id == runs[-1][1] + 1:
            runs[-1][1] = claim_id
        else:
            runs.append([claim_id, claim_id])
    return runs


def claims_digest(digests: Iterable[str]) -> str:
    """One hash over every claim of a batch, in id order."""
    combined = hashlib.sha256()
    for digest in digests:
        combined.update(digest.encode())
    return combined.hexdigest()


def record_claims(journal: Journal, claim_ids: list[int]) -> None:
    """Journal a batch of claims just inserted: their id runs and one digest over them."""
    if not claim_ids:
        return
    rows = _claims_by_id(journal.session, claim_ids)
    journal.append(
        "claims_added",
        {"ids": id_runs(claim_ids), "count": len(rows), "digest": claims_digest(claim_digest(r) for r in rows)},
    )


def _claims_by_id(session: Session, claim_ids: list[int]) -> list:
    columns = [getattr(Claim, name) for name in CLAIM_FIELDS]
    rows = []
    ordered = sorted(claim_ids)
    for i in range(0, len(ordered), 500):
        rows.extend(session.execute(select(*columns).where(Claim.id.in_(ordered[i : i + 500])).order_by(Claim.id)))
    return rows


def record_source(journal: Journal, source: Source) -> None:
    journal.append("source_added", {"id": source.id, "key": source.key, "digest": source_digest(source)})


def record_baseline(session: Session, actor: str = "migration") -> None:
    """Enter rows recorded before the journal existed, so verify covers them too."""
    if session.execute(select(JournalEntry.seq).limit(1)).first() is not None:
        return
    journal = Journal(session, actor)
    for source in session.execute(select(Source).order_by(Source.id)).scalars():
        record_source(journal, source)
    for attribute in session.execute(select(Attribute).order_by(Attribute.id)).scalars():
        journal.append(
            "attribute_added",
            {"id": attribute.id, "name": attribute.name, "kind": attribute.kind, "description": attribute.description,
             "single_valued": attribute.single_valued, "timeless": attribute.timeless,
             "tolerance": attribute.tolerance},
        )
    for entity in session.execute(select(Entity).order_by(Entity.id)).scalars():
        journal.entity_added(entity.id, entity.name)
    for alias in session.execute(select(Alias).order_by(Alias.id)).scalars():
        journal.alias_added(alias.alias_key, alias.alias, alias.entity_id)
    journal.flush_names()
    record_claims(journal, list(session.execute(select(Claim.id).order_by(Claim.id)).scalars()))
