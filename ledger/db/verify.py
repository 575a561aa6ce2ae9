"""``ledger verify``: recompute the journal's hash chain and prove the tables agree with it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.db.journal import (
    CLAIM_FIELDS,
    GENESIS,
    claim_digest,
    claims_digest,
    entry_hash,
    source_digest,
)
from ledger.db.models import Alias, Attribute, Claim, Correction, JournalEntry, Source, Verdict


@dataclass
class VerifyReport:
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Expected:
    """The state the journal says the tables must be in."""

    sources: dict[int, str] = field(default_factory=dict)
    attributes: dict[int, tuple] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    claim_batches: list[tuple[int, dict]] = field(default_factory=list)
    status: dict[int, str] = field(default_factory=dict)
    corrections: list[tuple] = field(default_factory=list)
    verdicts: dict[int, tuple] = field(default_factory=dict)


def verify(session: Session, expect_head: str | None = None) -> VerifyReport:
    report = VerifyReport()
    expected = _Expected()
    hashes: dict[str, int] = {}
    prev = GENESIS
    chain_ok = True
    for entry in session.execute(select(JournalEntry).order_by(JournalEntry.seq)).scalars():
        report.entries += 1
        if chain_ok:
            problem = _check_link(entry, report.head_seq, prev)
            if problem:
                report.problems.append(problem)
                chain_ok = False
        prev = entry.hash
        report.head_seq, report.head_hash = entry.seq, entry.hash
        hashes[entry.hash] = entry.seq
        try:
            _apply(expected, entry.operation, json.loads(entry.payload), entry.seq)
        except (ValueError, KeyError, TypeError):
            report.problems.append(f"journal entry {entry.seq}: payload is not what {entry.operation!r} records")
    if expect_head is not None and expect_head not in hashes:
        report.problems.append(
            f"expected head {expect_head[:16]}… is not in the journal: entries were removed or rewritten "
            f"(current head is entry {report.head_seq})"
        )
    _compare_sources(session, expected, report)
    _compare_claims(session, expected, report)
    _compare_others(session, expected, report)
    return report


def _check_link(entry: JournalEntry, previous_seq: int, prev_hash: str) -> str | None:
    if entry.seq != previous_seq + 1:
        return f"journal entry {previous_seq + 1} is missing (the sequence jumps from {previous_seq} to {entry.seq})"
    if entry.prev_hash != prev_hash:
        return f"journal entry {entry.seq}: does not chain to entry {previous_seq} (an entry was removed or replaced)"
    if entry.hash != entry_hash(entry.prev_hash, entry.seq, entry.recorded_at, entry.actor, entry.operation, entry.payload):
        return f"journal entry {entry.seq}: its hash does not match its content (the entry was edited)"
    return None


def _apply(expected: _Expected, operation: str, payload: dict, seq: int) -> None:
    if operation == "source_added":
        expected.sources[payload["id"]] = payload["digest"]
    elif operation == "attribute_added":
        expected.attributes[payload["id"]] = (
            payload["name"], payload["kind"], payload.get("single_valued"), payload.get("timeless"), payload.get("tolerance")
        )
    elif operation == "attribute_rules_set":  # entries from before 0007 have no tolerance: there was none
        name, kind, *_ = expected.attributes[payload["id"]]
        expected.attributes[payload["id"]] = (name, kind, payload["single_valued"], payload["timeless"], payload.get("tolerance"))
    elif operation == "names_added":
        for key, alias, _entity in payload["aliases"]:
            expected.aliases[key] = alias
    elif operation == "claims_added":
        expected.claim_batches.append((seq, payload))
        for first, last in payload["ids"]:
            for claim_id in range(first, last + 1):
                expected.status[claim_id] = "active"
    elif operation == "claim_retracted":
        expected.status[payload["claim_id"]] = "retracted"
        expected.corrections.append((payload["claim_id"], "retract", None))
    elif operation == "claim_superseded":
        expected.status[payload["claim_id"]] = "superseded"
        expected.corrections.append((payload["claim_id"], "supersede", payload["new_claim_id"]))
    elif operation == "verdict_recorded":
        expected.verdicts[payload["id"]] = (payload["conflict_id"], payload["status"], payload["note"])


def _compare_sources(session: Session, expected: _Expected, report: VerifyReport) -> None:
    seen = set()
    for source in session.execute(select(Source).order_by(Source.id)).scalars():
        seen.add(source.id)
        digest = expected.sources.get(source.id)
        if digest is None:
            report.problems.append(f"source {source.id} ({source.key}) was inserted outside the ledger (no journal entry)")
        elif digest != source_digest(source):
            report.problems.append(f"source {source.id} ({source.key}) was edited after it was recorded")
    for missing in sorted(set(expected.sources) - seen):
        report.problems.append(f"source {missing} was deleted")


def _compare_claims(session: Session, expected: _Expected, report: VerifyReport) -> None:
    columns = [getattr(Claim, name) for name in CLAIM_FIELDS] + [Claim.status]
    rows = {row.id: row for row in session.execute(select(*columns).order_by(Claim.id))}
    covered: set[int] = set()
    for seq, payload in expected.claim_batches:
        ids = [i for first, last in payload["ids"] for i in range(first, last + 1)]
        covered.update(ids)
        missing = [i for i in ids if i not in rows]
        if missing:
            report.problems.append(f"claims {_ids(missing)} of journal entry {seq} were deleted")
            continue
        if claims_digest(claim_digest(rows[i]) for i in ids) != payload["digest"]:
            report.problems.append(f"a claim among {_ids(ids)} (journal entry {seq}) was edited after it was recorded")
    extra = sorted(set(rows) - covered)
    if extra:
        report.problems.append(f"claims {_ids(extra)} were inserted outside the ledger (no journal entry)")
    for claim_id, row in rows.items():
        want = expected.status.get(claim_id)
        if want is not None and row.status != want:
            report.problems.append(f"claim {claim_id} has status {row.status!r}; the journal says {want!r}")


def _compare_others(session: Session, expected: _Expected, report: VerifyReport) -> None:
    corrections = sorted(
        (c.claim_id, c.action, c.new_claim_id) for c in session.execute(select(Correction)).scalars()
    )
    if corrections != sorted(expected.corrections, key=lambda c: (c[0], c[1], c[2] or 0)):
        report.problems.append("the corrections table does not match the journal's retractions and supersessions")
    verdicts = {v.id: (v.conflict_id, v.status, v.note) for v in session.execute(select(Verdict)).scalars()}
    for verdict_id in sorted(set(verdicts) | set(expected.verdicts)):
        if verdicts.get(verdict_id) != expected.verdicts.get(verdict_id):
            report.problems.append(f"conflict verdict {verdict_id} was inserted, edited or deleted outside the ledger")
    aliases = {a.alias_key: a.alias for a in session.execute(select(Alias)).scalars()}
    if aliases != expected.aliases:
        changed = sorted(set(aliases.items()) ^ set(expected.aliases.items()))
        report.problems.append(f"aliases differ from the journal: {changed[:3]}")
    attributes = {
        a.id: (a.name, a.kind, a.single_valued, a.timeless, a.tolerance) for a in session.execute(select(Attribute)).scalars()
    }
    for attribute_id in sorted(set(attributes) | set(expected.attributes)):
        if attributes.get(attribute_id) != expected.attributes.get(attribute_id):
            report.problems.append(f"attribute {attribute_id} was inserted, edited or deleted outside the ledger")


def _ids(ids: list[int]) -> str:
    ids = sorted(ids)
    return str(ids[0]) if len(ids) == 1 else f"{ids[0]}–{ids[-1]} ({len(ids)})" if len(ids) > 5 else ", ".join(map(str, ids))
