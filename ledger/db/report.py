"""What ``ledger report`` needs from the database, read in one snapshot.

The conflict rows are ``list_conflicts``'s (the JSON contract of ``ledger
conflicts``), asked only for the groups shown: the groups are ranked first
from the ``conflicts`` table alone (a 100,000-claim ledger has some 17,000
pairs, and working out every pair's support is most of what listing them
costs). Beside them, for the claims of the groups shown only: how the
conflict engine places each claim (its scale and interval, from
``comparables``), its period, the time it is about, and its
source's title, URL and text (for the quote's sentence); and the journal head
the report was drawn from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.core.conflicts import Comparable
from ledger.db.conflicts import _status_matches, comparables, latest_verdicts, list_conflicts
from ledger.db.journal import journal_head
from ledger.db.models import Attribute, Claim, Conflict, Entity, Reading, Source
from ledger.db.queries import entity_ids_matching

READING_FIELDS = ("period", "time_low", "time_high")
CHUNK = 500


@dataclass
class ReportData:
    """Conflict rows of the groups shown (most severe group first) and what the page says about them."""

    conflicts: list[dict]
    incomparable: list[dict]
    stale: list[dict]
    groups_total: int
    incomparable_groups_total: int
    limit: int
    subject: str | None
    status: str
    head: tuple[int, str]
    engine: dict[int, Comparable] = field(default_factory=dict)
    readings: dict[int, dict] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)


def load_report(session: Session, *, subject: str | None = None, status: str = "active", limit: int = 200) -> ReportData:
    """The first ``limit`` conflict groups (subject, attribute) and incomparable groups, and their details.

    ``status`` is as for ``list_conflicts`` ("active": open and confirmed;
    "all" adds dismissed pairs and stale verdicts).
    """
    subject_ids = entity_ids_matching(session, subject) if subject else None
    verdicts = latest_verdicts(session)
    conflicts, groups_total, stale, shown = _first_groups(session, subject_ids, status, "conflict", limit, verdicts)
    incomparable, incomparable_total, _, also_shown = _first_groups(
        session, subject_ids, status, "incomparable", limit, verdicts
    )
    claim_ids = {claim["id"] for row in conflicts + incomparable for claim in row["claims"]}
    sources = {claim["source"] for row in conflicts + incomparable for claim in row["claims"]}
    return ReportData(
        conflicts=conflicts, incomparable=incomparable, stale=stale,
        groups_total=groups_total, incomparable_groups_total=incomparable_total, limit=limit,
        subject=subject, status=status, head=journal_head(session),
        engine={c.claim_id: c for c in comparables(session, shown | also_shown) if c.claim_id in claim_ids},
        readings=_readings(session, claim_ids),
        sources=_sources(session, sources),
    )


def _first_groups(
    session: Session, subject_ids: list[int] | None, status: str, nature: str, limit: int, verdicts: dict
) -> tuple[list[dict], int, list[dict], set[tuple[int, int]]]:
    """The rows of the ``limit`` most severe groups, how many groups there are, stale verdicts, and the
    (entity id, attribute id) of the groups shown.

    Groups rank as ``list_conflicts`` orders their pairs: highest severity
    among the pairs ``status`` keeps, then subject and attribute names.
    """
    query = (
        select(Conflict.id, Conflict.entity_id, Conflict.attribute_id, Entity.name, Attribute.name, Conflict.severity)
        .join(Entity, Entity.id == Conflict.entity_id)
        .join(Attribute, Attribute.id == Conflict.attribute_id)
        .where(Conflict.nature == nature)
    )
    if subject_ids is not None:
        query = query.where(Conflict.entity_id.in_(subject_ids))
    best: dict[tuple[int, int, str, str], float] = {}
    for conflict_id, entity_id, attribute_id, subject, attribute, severity in session.execute(query):
        verdict = verdicts.get(conflict_id)
        if _status_matches(verdict.status if verdict else "open", status):
            key, severity = (entity_id, attribute_id, subject, attribute), round(severity, 6)  # as list_conflicts sorts
            best[key] = max(best.get(key, severity), severity)
    ranked = sorted(best, key=lambda key: (-best[key], key[2], key[3]))[:limit]
    if not ranked:
        return [], 0, _stale_only(session, subject_ids, status, nature), set()
    shown = {(subject, attribute) for _, _, subject, attribute in ranked}
    rows = list_conflicts(session, subject_ids=sorted({key[0] for key in ranked}), status=status, nature=nature)
    return ([row for row in rows if (row["subject"], row["attribute"]) in shown], len(best),
            [row for row in rows if row["stale"]], {key[:2] for key in ranked})


def _stale_only(session: Session, subject_ids, status: str, nature: str) -> list[dict]:
    """Stale verdicts (listed with ``status`` "all") when no group is shown."""
    if status != "all" or nature != "conflict":
        return []
    return [row for row in list_conflicts(session, subject_ids=subject_ids or [], status=status) if row["stale"]]


def _readings(session: Session, claim_ids: Iterable[int]) -> dict[int, dict]:
    ids = sorted(claim_ids)
    columns = [getattr(Reading, name) for name in READING_FIELDS]
    found: dict[int, dict] = {}
    for start in range(0, len(ids), CHUNK):
        query = (select(Claim.id, *columns).join(Reading, Reading.id == Claim.reading_id)
                 .where(Claim.id.in_(ids[start : start + CHUNK])))
        for claim_id, *values in session.execute(query):
            found[claim_id] = dict(zip(READING_FIELDS, values))
    return found


def _sources(session: Session, keys: Iterable[str]) -> dict[str, dict]:
    wanted = sorted(keys)
    found: dict[str, dict] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(Source).where(Source.key.in_(wanted[start : start + CHUNK]))
        for source in session.execute(query).scalars():
            found[source.key] = dict(key=source.key, title=source.title, outlet=source.outlet,
                                     published=source.published, url=source.url, text=source.text)
    return found
