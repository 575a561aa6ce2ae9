"""``ledger entities suggest``: pairs of entities whose names are probably one thing, for review.

The same rules as the near-name warnings of an import (``ledger.core.lookalikes``),
over every name (canonical or alias) of every entity; each pair of entities is
listed once, with the two names that matched and the rule.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.core.lookalikes import near_pairs
from ledger.core.naming import shell_quoted
from ledger.db.models import Alias, Claim, Entity


def suggest_aliases(session: Session) -> list[dict]:
    """One row per likely pair of entities: the entity with fewer claims first (the one to alias into the other)."""
    names = dict(session.execute(select(Entity.id, Entity.name)).all())
    counts = dict(session.execute(select(Claim.entity_id, func.count()).group_by(Claim.entity_id)).all())
    aliases = session.execute(select(Alias.alias, Alias.entity_id).order_by(Alias.entity_id, Alias.id)).all()
    seen: set[frozenset[int]] = set()
    rows = []
    for name, owner, other_name, other, rule in near_pairs((alias, entity_id) for alias, entity_id in aliases):
        pair = frozenset((owner, other))
        if pair in seen:
            continue
        seen.add(pair)
        (alias_id, alias_name), (into_id, into_name) = sorted(
            ((owner, name), (other, other_name)), key=lambda e: (counts.get(e[0], 0), -e[0])
        )
        rows.append(dict(
            entity=names[alias_id], name=alias_name, claims=counts.get(alias_id, 0),
            near=names[into_id], near_name=into_name, near_claims=counts.get(into_id, 0), rule=rule,
            command=f"ledger entities alias {shell_quoted(names[alias_id])} {shell_quoted(names[into_id])}",
        ))
    rows.sort(key=lambda r: (r["near"].casefold(), r["entity"].casefold()))
    return rows

