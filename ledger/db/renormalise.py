"""Re-reading stored claims with the current parser: stated fields untouched, readings replaced."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from ledger.core.normalise import read_claim
from ledger.core.readings import parse_partial_date
from ledger.db import conflicts
from ledger.db.fastinsert import insert_numbered
from ledger.db.models import Attribute, Claim, Reading, Source, utcnow
from ledger.db.reading_rows import DERIVED_COLUMNS, reading_row

COMPARED = ("kind", "low", "high", "low_open", "high_open", "low_date", "high_date", "unit",
            "currency", "period", "text_norm", "base_low", "base_high", "time_low", "time_high", "warning")


@dataclass
class RenormaliseReport:
    claims_read: int = 0
    changed: list[dict] = field(default_factory=list)  # claim id, ref, value, field, before, after


def renormalise(session: Session, only_missing: bool = False) -> RenormaliseReport:
    """Recompute readings (all, or only for claims that have none) and report what changed.

    Claims read alike share one new ``distinct_readings`` row; rows no claim
    points to any more are deleted.
    """
    query = (
        select(Claim.id, Claim.ref, Claim.value, Claim.when_stated, Attribute.kind,
               Source.published, Source.language, Reading)
        .join(Attribute, Attribute.id == Claim.attribute_id)
        .join(Source, Source.id == Claim.source_id)
        .outerjoin(Reading, Reading.id == Claim.reading_id)
        .order_by(Claim.id)
    )
    if only_missing:
        query = query.where(Claim.reading_id.is_(None))
    report = RenormaliseReport()
    now = utcnow()
    rows: dict[tuple, dict] = {}  # distinct readings, by content
    pointers: list[tuple[int, tuple]] = []  # (claim id, content)
    for claim_id, ref, value, when, kind, published, language, old in session.execute(query).all():
        reading = read_claim(value, when, kind, parse_partial_date(published) if published else None, language)
        row = reading_row(reading, now)
        content = tuple(row[name] for name in DERIVED_COLUMNS)
        rows.setdefault(content, row)
        pointers.append((claim_id, content))
        report.claims_read += 1
        if old is not None:
            for name in COMPARED:
                before, after = getattr(old, name), row[name]
                if before != after:
                    report.changed.append(dict(id=claim_id, ref=ref, value=value, field=name, before=before, after=after))
    if pointers:
        _point_claims(session, rows, pointers)
        conflicts.refresh(session)
    return report


def _point_claims(session: Session, rows: dict[tuple, dict], pointers: list[tuple[int, tuple]]) -> None:
    """Insert the readings, point each claim to its own, and delete the readings left without a claim."""
    connection = session.connection()
    table, claims = Reading.__table__, Claim.__table__
    ids = dict(zip(rows, insert_numbered(connection, table, list(rows.values()), connection.dialect.name == "sqlite")))
    point = update(claims).where(claims.c.id == bindparam("claim_id")).values(reading_id=bindparam("new_reading_id"))
    connection.execute(point, [dict(claim_id=claim_id, new_reading_id=ids[content]) for claim_id, content in pointers])
    in_use = select(claims.c.reading_id).where(claims.c.reading_id.is_not(None))
    connection.execute(delete(table).where(table.c.id.not_in(in_use)))
