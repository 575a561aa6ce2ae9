"""``ledger verify --deep``: recompute the derived tables (readings, conflicts) and name every row that differs.

Readings are re-read from each claim with the current parser, as
``renormalise`` would; a reading stored by another parser version is not
compared (the parser, not the row, may be what changed) but counted as not
checked. Conflicts are recomputed from the stored readings, as every write
does, and compared pair by pair.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.core.conflicts import find_pairs
from ledger.core.normalise import CachedParts, read_claim
from ledger.core.readings import parse_partial_date
from ledger.core.values import PARSER_VERSION
from ledger.db.conflicts import comparables
from ledger.db.models import Attribute, Claim, Conflict, Reading, Source
from ledger.db.reading_rows import DERIVED_COLUMNS, PART_CACHE, reading_row
from ledger.db.verify_report import VerifyReport, guarded

STREAM_ROWS = 2_000
COMPARED_READING = tuple(name for name in DERIVED_COLUMNS if name != "parser_version")
COMPARED_CONFLICT = ("nature", "claim_a_id", "claim_b_id", "entity_id", "attribute_id", "reason", "severity")


def check_derived(session: Session, report: VerifyReport) -> None:
    """Add a problem per reading or conflict row that differs from its recomputation; note what was not checked.

    Conflicts are recomputed from the stored readings, so they are compared
    only when every reading is what the parser makes of its claim.
    """
    before = len(report.problems)
    if guarded(report, "readings", _check_readings, session, report) and len(report.problems) == before:
        guarded(report, "conflicts", _check_conflicts, session, report)
    else:
        report.unchecked.append("conflicts: they are computed from readings, and readings differ")


def _check_readings(session: Session, report: VerifyReport) -> None:
    stored_columns = [Reading.id, Reading.parser_version, *(getattr(Reading, name) for name in COMPARED_READING)]
    query = (
        select(Claim.id, Claim.value, Claim.when_stated, Attribute.kind, Source.published, Source.language,
               *stored_columns)
        .join(Attribute, Attribute.id == Claim.attribute_id)
        .join(Source, Source.id == Claim.source_id)
        .outerjoin(Reading, Reading.id == Claim.reading_id)
        .order_by(Claim.id)
        .execution_options(yield_per=STREAM_ROWS)
    )
    parts = CachedParts(PART_CACHE)
    other_versions: dict[str, int] = {}
    for claim_id, value, when, kind, published, language, reading_id, version, *stored in session.execute(query):
        if reading_id is None:
            report.problems.append(f"claim {claim_id} has no reading (the row was deleted; `ledger renormalise` restores it)")
        elif version != PARSER_VERSION:
            other_versions[version] = other_versions.get(version, 0) + 1
        else:
            date = parse_partial_date(published) if published else None
            fresh = reading_row(read_claim(value, when, kind, date, language, parts), None)
            changed = [
                f"{name} {before!r} (re-read: {fresh[name]!r})"
                for name, before in zip(COMPARED_READING, stored) if before != fresh[name]
            ]
            if changed:
                report.problems.append(f"reading of claim {claim_id} differs from a fresh reading: {', '.join(changed)}")
    orphans = session.execute(
        select(Reading.id).where(~Reading.id.in_(select(Claim.reading_id).where(Claim.reading_id.is_not(None))))
        .order_by(Reading.id).limit(6)
    ).scalars().all()
    if orphans:
        report.problems.append(f"readings no claim points to: {', '.join(map(str, orphans[:5]))}"
                               + (", …" if len(orphans) > 5 else ""))
    for version, count in sorted(other_versions.items()):
        report.unchecked.append(
            f"{count} readings stored by parser version {version} (current: {PARSER_VERSION}): "
            "run `ledger renormalise`"
        )


def _check_conflicts(session: Session, report: VerifyReport) -> None:
    columns = [getattr(Conflict, name) for name in COMPARED_CONFLICT]
    stored = {row[0]: tuple(row[1:]) for row in session.execute(select(Conflict.id, *columns))}
    for pair in find_pairs(comparables(session, lone=False)):
        a, b = pair.a, pair.b
        fresh = (pair.nature, a.claim_id, b.claim_id, a.group[0], a.group[1], pair.reason, float(pair.severity))
        have = stored.pop(pair.id, None)
        if have is None:
            report.problems.append(
                f"conflict {pair.id} (claims {a.claim_id} and {b.claim_id}) is missing from the conflicts table"
            )
        elif have != fresh:
            changed = [
                f"{name} {old!r} (recomputed: {new!r})"
                for name, old, new in zip(COMPARED_CONFLICT, have, fresh) if old != new
            ]
            report.problems.append(f"conflict {pair.id} differs from its recomputation: {', '.join(changed)}")
    for conflict_id, have in sorted(stored.items()):
        report.problems.append(
            f"conflict {conflict_id} (claims {have[1]} and {have[2]}) is not found when conflicts are recomputed"
        )
