"""Re-reading stored claims with the current parser: stated fields untouched, readings replaced."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ledger.core.normalise import read_claim
from ledger.core.readings import parse_partial_date
from ledger.db import conflicts
from ledger.db.models import Attribute, Claim, Reading, Source, utcnow
from ledger.db.reading_rows import reading_row

COMPARED = ("kind", "low", "high", "low_open", "high_open", "low_date", "high_date", "unit",
            "currency", "period", "text_norm", "base_low", "base_high", "time_low", "time_high", "warning")


@dataclass
class RenormaliseReport:
    claims_read: int = 0
    changed: list[dict] = field(default_factory=list)  # claim id, ref, value, field, before, after


def renormalise(session: Session, only_missing: bool = False) -> RenormaliseReport:
    """Recompute readings (all, or only for claims that have none) and report what changed."""
    query = (
        select(Claim.id, Claim.ref, Claim.value, Claim.when_stated, Attribute.kind,
               Source.published, Source.language, Reading)
        .join(Attribute, Attribute.id == Claim.attribute_id)
        .join(Source, Source.id == Claim.source_id)
        .outerjoin(Reading, Reading.claim_id == Claim.id)
        .order_by(Claim.id)
    )
    if only_missing:
        query = query.where(Reading.claim_id.is_(None))
    report = RenormaliseReport()
    now = utcnow()
    rows = []
    for claim_id, ref, value, when, kind, published, language, old in session.execute(query).all():
        reading = read_claim(value, when, kind, parse_partial_date(published) if published else None, language)
        row = reading_row(claim_id, reading, now)
        rows.append(row)
        report.claims_read += 1
        if old is not None:
            for name in COMPARED:
                before, after = getattr(old, name), row[name]
                if before != after:
                    report.changed.append(dict(id=claim_id, ref=ref, value=value, field=name, before=before, after=after))
    if rows:
        ids = [row["claim_id"] for row in rows]
        for start in range(0, len(ids), 500):
            session.execute(delete(Reading).where(Reading.claim_id.in_(ids[start:start + 500])))
        session.execute(insert(Reading), rows)
        conflicts.refresh(session)
    return report
