"""Reading the ledger: the listings behind ``ledger sources``, ``claims`` and friends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ledger.core.errors import NotFound
from ledger.core.records import name_key
from ledger.db.models import Alias, Attribute, Claim, Entity, Reading, Source

SOURCE_COLUMNS = ("key", "outlet", "published", "title", "author", "url", "language", "claims")
CLAIM_COLUMNS = (
    "id", "ref", "source", "outlet", "published", "subject", "subject_as_written", "attribute",
    "value", "when", "low", "high", "unit", "currency", "period", "quote", "attributed_to", "status",
)
CLAIM_TABLE_COLUMNS = ("id", "subject", "attribute", "value", "when", "low", "high", "currency", "period", "source",
                       "status", "quote")


def holds_claims(session: Session | Connection) -> bool:
    """Whether the ledger holds a claim (of any status): bulk loads into an empty one take shortcuts."""
    return session.execute(select(Claim.id).limit(1)).first() is not None


def list_sources(session: Session) -> list[dict]:
    counts = (
        select(Claim.source_id, func.count().label("claims")).group_by(Claim.source_id).subquery()
    )
    # The columns shown, not whole sources: their articles' texts are most of a ledger's sources table
    query = (
        select(Source.key, Source.outlet, Source.published, Source.title, Source.author, Source.url, Source.language,
               func.coalesce(counts.c.claims, 0).label("claims"))
        .outerjoin(counts, counts.c.source_id == Source.id)
        .order_by(Source.published, Source.key)
    )
    return [row._asdict() for row in session.execute(query)]


def entity_ids_matching(session: Session, subject: str) -> list[int]:
    """Entities named ``subject`` (any alias) that have claims; failing that, those whose names contain it.

    An exact name of an entity without claims ("Wagner", a bare subject no
    claim uses) falls back too: otherwise it would hide the claims of
    "Wagner Group contract with Mali".
    """
    key = name_key(subject)
    exact = session.execute(select(Alias.entity_id).where(Alias.alias_key == key)).scalars().all()
    if exact and session.execute(select(Claim.id).where(Claim.entity_id.in_(exact)).limit(1)).first():
        return list(exact)
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(
        session.execute(
            select(Alias.entity_id).where(Alias.alias_key.like(pattern, escape="\\")).distinct()
        ).scalars()
    )


def list_claims(
    session: Session,
    subject: str | None = None,
    attribute: str | None = None,
    source: str | None = None,
    status: str | None = "active",
    since: date | None = None,
    until: date | None = None,
) -> list[dict]:
    """Claims with their sources and readings; ``status`` None for every status.

    ``source`` matches part of a source key or outlet (any case); ``since`` and
    ``until`` keep claims whose time (stated, or the publication date) reaches
    into that stretch.
    """
    query = (
        select(Claim, Source, Entity.name, Attribute.name, Reading)
        .join(Source, Source.id == Claim.source_id)
        .join(Entity, Entity.id == Claim.entity_id)
        .join(Attribute, Attribute.id == Claim.attribute_id)
        .outerjoin(Reading, Reading.id == Claim.reading_id)
        .order_by(Entity.name, Attribute.name, Source.published, Claim.id)
    )
    if subject is not None:
        query = query.where(Claim.entity_id.in_(entity_ids_matching(session, subject)))
    if attribute is not None:
        query = query.where(Attribute.name == attribute)
    if source is not None:
        query = query.where(or_(func.lower(Source.key).contains(source.lower(), autoescape=True),
                                func.lower(Source.outlet).contains(source.lower(), autoescape=True)))
    if status is not None:
        query = query.where(Claim.status == status)
        if status != "active":  # said as ``ix_claims_status`` says it (a literal), so the planner may use it
            query = query.where(Claim.status != literal_column("'active'"))
    if since is not None or until is not None:
        query = query.where(or_(Reading.time_low.is_not(None), Reading.time_high.is_not(None)))
    if since is not None:
        query = query.where(or_(Reading.time_high.is_(None), Reading.time_high >= since))
    if until is not None:
        query = query.where(or_(Reading.time_low.is_(None), Reading.time_low <= until))
    return [claim_row(*row) for row in session.execute(query)]


def claim_row(claim: Claim, source: Source, entity: str, attribute: str, reading: Reading | None) -> dict:
    low, high = bounds(reading)
    return dict(
        id=claim.id, ref=claim.ref, source=source.key, outlet=source.outlet,
        published=source.published, subject=entity, subject_as_written=claim.subject,
        attribute=attribute, value=claim.value, when=claim.when_stated, low=low, high=high,
        unit=reading.unit if reading else None,
        currency=reading.currency if reading else None,
        period=reading.period if reading else None,
        quote=claim.quote, attributed_to=claim.attributed_to, status=claim.status,
    )


def bounds(reading: Reading | None) -> tuple:
    """A reading's interval ends for display: numbers, or ISO dates for date values."""
    if reading is None:
        return None, None
    if reading.kind == "date":
        return (
            reading.low_date.isoformat() if reading.low_date else None,
            reading.high_date.isoformat() if reading.high_date else None,
        )
    return _plain(reading.low), _plain(reading.high)


def _plain(number: float | None):
    if number is None:
        return None
    return int(number) if float(number).is_integer() else number


def find_claim(session: Session, ref_or_id: str) -> Claim:
    """A claim by its ``ref`` or, when that is a number, its id."""
    claim = session.execute(select(Claim).where(Claim.ref == ref_or_id)).scalar_one_or_none()
    if claim is None and ref_or_id.isdigit():
        claim = session.get(Claim, int(ref_or_id))
    if claim is None:
        raise NotFound(f"no claim with ref or id {ref_or_id!r}", hint="list", what="claims")
    return claim
