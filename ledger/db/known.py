"""What ``ledger extract`` needs from the ledger: its names, its attributes, a source's text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.core.errors import UnknownSource
from ledger.core.extract import Known, KnownAttribute, KnownClaim, KnownEntity
from ledger.core.readings import PartialDate, parse_partial_date
from ledger.db.models import Alias, Attribute, Claim, Entity, Source


MAX_EXAMPLES = 20_000  # the most recent quoted claims serve as examples; more only slows the guesses


@dataclass(frozen=True)
class StoredSource:
    key: str
    text: str | None
    published: PartialDate | None
    language: str


def known_names(session: Session) -> Known:
    """Every entity with its aliases and the attributes its claims use, every attribute, and quoted claims."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for entity_id, alias in session.execute(select(Alias.entity_id, Alias.alias).order_by(Alias.id)):
        aliases[entity_id].append(alias)
    used: dict[int, set[str]] = defaultdict(set)
    rows = session.execute(select(Claim.entity_id, Attribute.name).join(Attribute).distinct())
    for entity_id, attribute in rows:
        used[entity_id].add(attribute)
    entities = tuple(
        KnownEntity(e.name, tuple(a for a in aliases[e.id] if a != e.name), frozenset(used[e.id]))
        for e in session.execute(select(Entity).order_by(Entity.name)).scalars()
    )
    attributes = tuple(
        KnownAttribute(a.name, a.kind, a.description)
        for a in session.execute(select(Attribute).order_by(Attribute.name)).scalars()
    )
    examples = session.execute(
        select(Claim.quote, Entity.name, Attribute.name, Claim.value)
        .join(Entity, Claim.entity_id == Entity.id).join(Attribute, Claim.attribute_id == Attribute.id)
        .where(Claim.quote.is_not(None), Claim.status == "active")
        .order_by(Claim.id.desc()).limit(MAX_EXAMPLES)
    )
    return Known(entities, attributes, tuple(KnownClaim(*row) for row in examples))


def stored_source(session: Session, key: str) -> StoredSource | None:
    """The source ``key`` as recorded, or None when the ledger has no such source."""
    source = session.execute(select(Source).where(Source.key == key)).scalar_one_or_none()
    if source is None:
        return None
    published = parse_partial_date(source.published) if source.published else None
    return StoredSource(source.key, source.text, published, source.language or "en")


def require_text(source: StoredSource | None, key: str) -> StoredSource:
    """``source`` when it has text to draft from; else UnknownSource saying what to give instead."""
    if source is None:
        raise UnknownSource(f"no source {key!r} in the ledger; give the article's text file: ledger extract ARTICLE.txt --source {key}")
    if not source.text:
        raise UnknownSource(f"source {key!r} has no text in the ledger; give the article's text file")
    return source
