"""Corrections: claims are retracted or superseded by new entries, never edited, and their story is kept."""

from __future__ import annotations

import json

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ledger.core.errors import LedgerError
from ledger.core.records import ClaimRecord, Location, claim_identity
from ledger.core.safe_text import refuse_hostile
from ledger.db.journal import Journal
from ledger.db.models import Attribute, Claim, Correction, JournalEntry, Source, Verdict, utcnow
from ledger.db.queries import find_claim
from ledger.db.store import Importer, refresh_after_write


def _active(claim: Claim, label: str) -> None:
    if claim.status == "retracted":
        raise LedgerError(f"claim {label} is already retracted", hint="history_why", label=label)
    if claim.status == "superseded":
        raise LedgerError(f"claim {label} is already superseded; correct its newest version",
                          hint="history_aside", label=label)


def retract(session: Session, ref_or_id: str, reason: str, actor: str) -> int:
    """Mark a claim retracted (it leaves conflict reports) and journal why."""
    refuse_hostile("--reason", reason, free_text=True)
    claim = find_claim(session, ref_or_id)
    _active(claim, ref_or_id)
    session.execute(update(Claim).where(Claim.id == claim.id).values(status="retracted"))
    session.add(Correction(claim_id=claim.id, action="retract", reason=reason, actor=actor, recorded_at=utcnow()))
    session.flush()
    Journal(session, actor).append(
        "claim_retracted",
        {"claim_id": claim.id, "identity": claim_identity(claim.ref, claim.fingerprint), "reason": reason},
    )
    refresh_after_write(session, {(claim.entity_id, claim.attribute_id)})
    return claim.id


def supersede(
    session: Session,
    ref_or_id: str,
    *,
    reason: str,
    actor: str,
    value: str,
    when: str | None = None,
    quote: str | None = None,
    ref: str | None = None,
) -> int:
    """Record a corrected claim that points to the old one; the old one becomes ``superseded``.

    The new claim keeps the old one's source, subject and attribute; ``when``
    and ``quote`` default to the old ones. It is validated like any import.
    """
    for option, text in (("--value", value), ("--when", when), ("--ref", ref)):
        refuse_hostile(option, text)
    refuse_hostile("--quote", quote, free_text=True)
    refuse_hostile("--reason", reason, free_text=True)
    old = find_claim(session, ref_or_id)
    _active(old, ref_or_id)
    source_key = session.execute(select(Source.key).where(Source.id == old.source_id)).scalar_one()
    attribute = session.execute(select(Attribute.name).where(Attribute.id == old.attribute_id)).scalar_one()
    record = ClaimRecord(
        source=source_key, subject=old.subject, attribute=attribute, value=value,
        when=when if when is not None else old.when_stated,
        quote=quote if quote is not None else old.quote,
        attributed_to=old.attributed_to, ref=ref, location=Location("command line", "supersede"),
    )
    importer = Importer(session, actor)
    importer.add_claims([record], supersedes_id=old.id)
    importer.index_passages()
    if not importer.report.added_claim_ids:
        raise LedgerError("the corrected claim states exactly what an existing claim states; nothing to supersede with")
    new_id = importer.report.added_claim_ids[0]
    session.execute(update(Claim).where(Claim.id == old.id).values(status="superseded"))
    session.add(Correction(claim_id=old.id, action="supersede", new_claim_id=new_id, reason=reason,
                           actor=actor, recorded_at=utcnow()))
    session.flush()
    importer.journal.append(
        "claim_superseded",
        {"claim_id": old.id, "identity": claim_identity(old.ref, old.fingerprint), "new_claim_id": new_id,
         "reason": reason},
    )
    refresh_after_write(session, importer.touched_groups | {(old.entity_id, old.attribute_id)})
    return new_id


def history(session: Session, ref_or_id: str) -> list[dict]:
    """A claim's whole story: every version, correction and verdict, oldest first."""
    claim = find_claim(session, ref_or_id)
    chain = _versions(session, claim)
    ids = {c.id for c in chain}
    identities = {claim_identity(c.ref, c.fingerprint) for c in chain}
    events: list[dict] = []
    for version in chain:
        label = f"claim {version.id}" + (f" ({version.ref})" if version.ref else "")
        what = f"recorded {label}: {version.value!r}" + (f" when {version.when_stated!r}" if version.when_stated else "")
        if version.supersedes_id:
            what += f", superseding claim {version.supersedes_id}"
        events.append(dict(at=version.recorded_at, actor=_recording_actor(session, version.id), event="recorded",
                           claim=version.id, detail=what))
    for correction in session.execute(select(Correction).where(Correction.claim_id.in_(ids))).scalars():
        detail = f"{correction.action} claim {correction.claim_id}: {correction.reason}"
        if correction.new_claim_id:
            detail += f" (replaced by claim {correction.new_claim_id})"
        events.append(dict(at=correction.recorded_at, actor=correction.actor, event=correction.action,
                           claim=correction.claim_id, detail=detail))
    verdicts = session.execute(
        select(Verdict).where(or_(Verdict.claim_a.in_(identities), Verdict.claim_b.in_(identities)))
    ).scalars()
    for verdict in verdicts:
        events.append(dict(at=verdict.recorded_at, actor=verdict.actor, event=f"conflict {verdict.status}",
                           claim=None, detail=f"{verdict.conflict_id}" + (f": {verdict.note}" if verdict.note else "")))
    events.sort(key=lambda e: (str(e["at"]), e["event"] != "recorded"))
    return events


def _versions(session: Session, claim: Claim) -> list[Claim]:
    """Every claim in the supersession chain through ``claim``, oldest first."""
    first = claim
    while first.supersedes_id is not None:
        first = session.get(Claim, first.supersedes_id)
    chain = [first]
    while True:
        newer = session.execute(select(Claim).where(Claim.supersedes_id == chain[-1].id)).scalar_one_or_none()
        if newer is None:
            return chain
        chain.append(newer)


def _recording_actor(session: Session, claim_id: int) -> str | None:
    """Who recorded a claim, from the journal entry whose id runs cover it."""
    for actor, payload in session.execute(
        select(JournalEntry.actor, JournalEntry.payload).where(JournalEntry.operation == "claims_added")
        .order_by(JournalEntry.seq.desc())
    ):
        if any(first <= claim_id <= last for first, last in json.loads(payload)["ids"]):
            return actor
    return None
