"""Reading the ledger out for export, streamed: rows for CSV and schema.org, records for JSON Lines.

Every query here is read with ``stream_results`` and a bounded ``yield_per``,
so a ledger of millions of claims is exported in flat memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ledger.db.models import Alias, Attribute, Claim, Correction, Entity, Source, Verdict

CHUNK = 2_000  # rows fetched at a time
STREAM = {"stream_results": True, "yield_per": CHUNK}  # execution options: rows fetched a chunk at a time

#: CSV export columns: the ``claim_facts`` view, plus where each claim's source can be found.
CSV_COLUMNS = (
    "claim_id", "ref", "status", "source", "source_title", "outlet", "published", "source_url",
    "subject", "subject_as_written", "attribute", "kind", "value", "when_stated", "quote", "attributed_to",
    "reading_kind", "qualifier", "low", "high", "low_date", "high_date", "low_open", "high_open", "unit",
    "currency", "period", "base_currency", "base_low", "base_high", "time_low", "time_high", "time_basis",
    "warning", "recorded_at",
)

_FACTS = """
SELECT f.claim_id, f.ref, f.status, f.source, f.source_title, f.outlet, f.published, s.url AS source_url,
f.subject, f.subject_as_written, f.attribute, f.kind, f.value, f.when_stated, f.quote,
f.attributed_to, f.reading_kind, f.qualifier, f.low, f.high, f.low_date, f.high_date, f.low_open,
f.high_open, f.unit, f.currency, f.period, f.base_currency, f.base_low, f.base_high, f.time_low,
f.time_high, f.time_basis, f.warning, f.recorded_at
FROM claim_facts f JOIN sources s ON s.key = f.source
ORDER BY f.claim_id
"""  # the columns of CSV_COLUMNS, in order (a test holds the two together)

# The earliest-published source stating the same figure (subject, attribute, time and reading) as each claim.
_SCHEMA_ORG = """
SELECT f.claim_id, f.ref, c.fingerprint, f.subject, f.attribute, f.value, f.when_stated, f.quote,
       f.attributed_to, f.time_low, f.time_high,
       s.key AS key, s.title, s.outlet, s.author, s.url, s.published, s.language,
       first_value(c.source_id) OVER same_figure AS first_source_id
FROM claim_facts f
JOIN claims c ON c.id = f.claim_id
JOIN sources s ON s.id = c.source_id
LEFT JOIN distinct_readings r ON r.id = c.reading_id
WHERE f.status = 'active'
WINDOW same_figure AS (
    PARTITION BY c.entity_id, c.attribute_id, c.when_stated, r.kind, r.low, r.high, r.low_date, r.high_date,
                 r.currency, r.period, r.unit, r.text_norm
    ORDER BY s.published, c.id
)
ORDER BY f.claim_id
"""


def fact_rows(session: Session) -> Iterator[dict]:
    """Every claim (any status) with its source and reading, in claim id order."""
    for row in session.execute(text(_FACTS), execution_options=STREAM).mappings():
        yield dict(row)


def schema_org_rows(session: Session) -> Iterator[dict]:
    """Active claims with their source and ``first_source``: the earliest article stating the same figure."""
    sources: dict[int, dict] = {}
    for row in session.execute(text(_SCHEMA_ORG), execution_options=STREAM).mappings():
        row = dict(row)
        first_id = row.pop("first_source_id")
        if first_id not in sources:  # bounded by the number of sources, not of claims
            sources[first_id] = dict(session.execute(
                select(Source.key, Source.title, Source.outlet, Source.author, Source.url, Source.published,
                       Source.language).where(Source.id == first_id)
            ).mappings().one())
        row["first_source"] = sources[first_id]
        yield row


def import_records(session: Session) -> Iterator[tuple[str, dict]]:
    """(type, fields) of the import format: attributes, sources (with ``text``), entities, active claims.

    Fields are the import format's own (a source's ``text`` is for the writer
    to put in a file); empty fields are left out.
    """
    for attribute in session.execute(select(Attribute).order_by(Attribute.id), execution_options=STREAM).scalars():
        yield "attribute", _present(
            name=attribute.name, kind=attribute.kind, description=attribute.description,
            single_valued=attribute.single_valued, timeless=attribute.timeless,
            tolerance="0" if attribute.tolerance == "" else attribute.tolerance,  # "": a file said zero
        )
    for source in session.execute(select(Source).order_by(Source.id), execution_options=STREAM).scalars():
        yield "source", _present(
            key=source.key, title=source.title, outlet=source.outlet, author=source.author,
            published=source.published, url=source.url, language=source.language, text=source.text,
        )
    yield from _entity_records(session)
    query = (
        select(Claim.ref, Source.key, Claim.subject, Attribute.name, Claim.value, Claim.when_stated, Claim.quote,
               Claim.attributed_to)
        .join(Source, Source.id == Claim.source_id)
        .join(Attribute, Attribute.id == Claim.attribute_id)
        .where(Claim.status == "active")
        .order_by(Claim.id)
    )
    for ref, source, subject, attribute, value, when, quote, attributed_to in session.execute(query, execution_options=STREAM):
        yield "claim", _present(
            ref=ref, source=source, subject=subject, attribute=attribute, value=value, when=when, quote=quote,
            attributed_to=attributed_to,
        )


def _entity_records(session: Session) -> Iterator[tuple[str, dict]]:
    """Entities with every alias but their own name, a chunk of entities at a time."""
    query = select(Entity.id, Entity.name).order_by(Entity.id)
    for chunk in session.execute(query, execution_options=STREAM).partitions():
        ids = [entity_id for entity_id, _ in chunk]
        aliases: dict[int, list[str]] = defaultdict(list)
        for entity_id, alias in session.execute(
            select(Alias.entity_id, Alias.alias).where(Alias.entity_id.in_(ids)).order_by(Alias.id)
        ):
            aliases[entity_id].append(alias)
        for entity_id, name in chunk:
            yield "entity", _present(name=name, aliases=[a for a in aliases[entity_id] if a != name] or None)


def left_out(session: Session) -> dict[str, int]:
    """What the import format cannot carry: claims no longer active (with their corrections) and verdicts."""
    return {
        "inactive claims": session.execute(select(func.count()).select_from(Claim).where(Claim.status != "active")).scalar_one(),
        "corrections": session.execute(select(func.count()).select_from(Correction)).scalar_one(),
        "verdicts": session.execute(select(func.count()).select_from(Verdict)).scalar_one(),
    }


def _present(**fields) -> dict:
    return {name: value for name, value in fields.items() if value is not None}
