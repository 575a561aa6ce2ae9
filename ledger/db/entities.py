"""Entities and attributes: listing them, merging subjects by alias, setting comparison rules."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ledger.core.comparability import attribute_rules, parse_tolerance
from ledger.core.errors import NotFound
from ledger.core.naming import refuse_confusable
from ledger.core.records import name_key
from ledger.core.safe_text import refuse_hostile
from ledger.db.journal import Journal
from ledger.db.models import Alias, Attribute, Claim, Entity, StoredConflict
from ledger.db.store import refresh_after_write, set_attribute_rules


def list_entities(session: Session) -> list[dict]:
    aliases: dict[int, list[str]] = defaultdict(list)
    for entity_id, alias in session.execute(select(Alias.entity_id, Alias.alias).order_by(Alias.id)):
        aliases[entity_id].append(alias)
    counts = dict(session.execute(select(Claim.entity_id, func.count()).group_by(Claim.entity_id)).all())
    return [
        dict(id=entity_id, name=name, aliases=[a for a in aliases[entity_id] if a != name],
             claims=counts.get(entity_id, 0))
        for entity_id, name in session.execute(select(Entity.id, Entity.name).order_by(Entity.name))
    ]


def entity_named(session: Session, name: str) -> Entity:
    entity_id = session.execute(select(Alias.entity_id).where(Alias.alias_key == name_key(name))).scalar_one_or_none()
    if entity_id is None:
        raise NotFound(f"no entity named {name!r}", hint="list", what="entities")
    return session.get(Entity, entity_id)


def add_alias(session: Session, alias: str, canonical: str, actor: str) -> str:
    """Make ``alias`` name ``canonical``; if it named another entity, merge that entity in.

    Which entity a claim belongs to is derived data, so merging moves claims
    and aliases; the claims' stated subjects are untouched. Returns what was done.
    Raises InvalidName for a blank alias or one mixing look-alike scripts.
    """
    refuse_hostile("ALIAS", alias)
    alias = refuse_confusable(alias, "alias")
    target = entity_named(session, canonical)
    journal = Journal(session, actor)
    existing = session.execute(select(Alias).where(Alias.alias_key == name_key(alias))).scalar_one_or_none()
    if existing is None:
        session.add(Alias(alias=alias, alias_key=name_key(alias), entity_id=target.id))
        session.flush()
        journal.alias_added(name_key(alias), alias, target.id)
        journal.flush_names()
        return f"{alias!r} is now an alias of {target.name!r}."
    if existing.entity_id == target.id:
        return f"{alias!r} already names {target.name!r}; nothing changed."
    merged = session.get(Entity, existing.entity_id)
    groups = set(session.execute(select(Claim.entity_id, Claim.attribute_id).where(Claim.entity_id == merged.id)).all())
    moved = session.execute(update(Claim).where(Claim.entity_id == merged.id).values(entity_id=target.id)).rowcount
    session.execute(update(Alias).where(Alias.entity_id == merged.id).values(entity_id=target.id))
    session.execute(StoredConflict.__table__.delete().where(StoredConflict.entity_id == merged.id))
    session.delete(merged)
    session.flush()
    journal.append("entities_merged", {"merged": merged.id, "merged_name": merged.name, "into": target.id})
    refresh_after_write(session, {(target.id, attribute_id) for _, attribute_id in groups})
    return f"Merged {merged.name!r} into {target.name!r}: {moved} claims and their aliases moved."


def list_attributes(session: Session) -> list[dict]:
    counts = dict(session.execute(select(Claim.attribute_id, func.count()).group_by(Claim.attribute_id)).all())
    rows = []
    for attribute in session.execute(select(Attribute).order_by(Attribute.name)).scalars():
        rules = attribute_rules(attribute.kind, attribute.single_valued, attribute.timeless, attribute.tolerance)
        rows.append(
            dict(name=attribute.name, kind=attribute.kind, single_valued=rules.single_valued,
                 timeless=rules.timeless, tolerance=rules.tolerance, claims=counts.get(attribute.id, 0),
                 description=attribute.description)
        )
    return rows


def set_rules(
    session: Session, name: str, single_valued: bool | None, timeless: bool | None, actor: str,
    tolerance: str | None = None,
) -> bool:
    """Set the rules given (``tolerance`` as typed: "5%", "3d", "0" to clear); recompute the attribute's conflicts.

    Raises NotFound for an unknown attribute, InvalidTolerance for a tolerance its kind does not take.
    """
    attribute = session.execute(select(Attribute).where(Attribute.name == name)).scalar_one_or_none()
    if attribute is None:
        raise NotFound(f"no attribute {name!r}", hint="list", what="attributes")
    stored = None if tolerance is None else parse_tolerance(tolerance, attribute.kind) or ""
    changed = set_attribute_rules(Journal(session, actor), attribute.id, single_valued, timeless, stored)
    if changed:
        refresh_after_write(session, set(), {attribute.id})
    return changed
