"""What ``ledger report`` needs from the database, read in one snapshot.

The conflict rows are ``list_conflicts``'s (the JSON contract of ``ledger
conflicts``); beside them, for the claims of the groups shown only: how the
conflict engine places each claim (its scale and interval, from
``comparables``), how its value was converted, the time it is about, and its
source's title, URL and text (for the quote's sentence); and the journal head
the report was drawn from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.core.conflicts import Comparable
from ledger.db.conflicts import comparables, groups_of_claims, list_conflicts
from ledger.db.journal import journal_head
from ledger.db.models import Reading, Source
from ledger.db.queries import entity_ids_matching

READING_FIELDS = ("kind", "currency", "base_currency", "rate_low", "rate_high", "rate_from", "rate_to",
                  "rate_source", "period", "time_low", "time_high", "time_basis")
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
    rows = list_conflicts(session, subject_ids=subject_ids, status=status)
    conflicts, groups_total = _first_groups([row for row in rows if not row["stale"]], limit)
    incomparable, incomparable_total = _first_groups(
        list_conflicts(session, subject_ids=subject_ids, status=status, nature="incomparable"), limit
    )
    claim_ids = {claim["id"] for row in conflicts + incomparable for claim in row["claims"]}
    sources = {claim["source"] for row in conflicts + incomparable for claim in row["claims"]}
    return ReportData(
        conflicts=conflicts, incomparable=incomparable, stale=[row for row in rows if row["stale"]],
        groups_total=groups_total, incomparable_groups_total=incomparable_total, limit=limit,
        subject=subject, status=status, head=journal_head(session),
        engine={c.claim_id: c for c in comparables(session, groups_of_claims(session, claim_ids))
                if c.claim_id in claim_ids},
        readings=_readings(session, claim_ids),
        sources=_sources(session, sources),
    )


def _first_groups(rows: list[dict], limit: int) -> tuple[list[dict], int]:
    """Rows of the first ``limit`` (subject, attribute) groups in the rows' order, and how many groups there are."""
    order: dict[tuple, int] = {}
    for row in rows:
        order.setdefault((row["subject"], row["attribute"]), len(order))
    return [row for row in rows if order[(row["subject"], row["attribute"])] < limit], len(order)


def _readings(session: Session, claim_ids: Iterable[int]) -> dict[int, dict]:
    ids = sorted(claim_ids)
    columns = [getattr(Reading, name) for name in READING_FIELDS]
    found: dict[int, dict] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(Reading.claim_id, *columns).where(Reading.claim_id.in_(ids[start : start + CHUNK]))
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
