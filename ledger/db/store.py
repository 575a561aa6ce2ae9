"""Writing to the ledger: imports that are atomic, idempotent and validated before anything is written."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ledger.core.errors import InvalidClaimFile, QuoteNotFound, UnknownSource
from ledger.core.normalise import ClaimReading, read_claim
from ledger.core.quotes import nearest_passage, normalise_text, quote_occurs, value_in_quote
from ledger.core.readings import PartialDate, parse_partial_date
from ledger.core.records import (
    AttributeRecord,
    Bundle,
    ClaimRecord,
    EntityRecord,
    SourceRecord,
    name_key,
)
from ledger.core.values import reading_to_dict
from ledger.db import conflicts
from ledger.faults import fault_point
from ledger.db.journal import Journal, record_claims, record_source
from ledger.db.models import Alias, Attribute, Claim, Entity, Reading, Source, utcnow

BATCH = 5_000


@dataclass
class ImportReport:
    """What an import did, for the one-line summary and for tests."""

    sources_added: int = 0
    entities_added: int = 0
    aliases_added: int = 0
    attributes_added: int = 0
    claims_added: int = 0
    claims_known: int = 0
    added_claim_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.sources_added
            or self.entities_added
            or self.aliases_added
            or self.attributes_added
            or self.claims_added
        )


@dataclass(frozen=True)
class _SourceInfo:
    id: int
    published: PartialDate | None
    language: str
    normalised_text: str | None


class Importer:
    """Resolves a bundle against the ledger and writes it inside the caller's transaction.

    Lookups (sources, aliases, attributes) are loaded once into maps, so the
    per-claim work is pure Python plus batched inserts.
    """

    def __init__(self, session: Session, actor: str):
        self.session = session
        self.journal = Journal(session, actor)
        self.report = ImportReport()
        self.touched_groups: set[tuple[int, int]] = set()
        self.touched_attributes: set[int] = set()
        self._sources: dict[str, _SourceInfo] = {}
        self._entities: dict[str, int] = {
            key: entity_id for key, entity_id in session.execute(select(Alias.alias_key, Alias.entity_id))
        }
        self._attributes: dict[str, tuple[int, str]] = {
            name: (attr_id, kind)
            for attr_id, name, kind in session.execute(select(Attribute.id, Attribute.name, Attribute.kind))
        }

    # -- sources -----------------------------------------------------------
    def add_source(self, record: SourceRecord) -> None:
        existing = self.session.execute(select(Source).where(Source.key == record.key)).scalar_one_or_none()
        if existing is not None:
            if existing.sha256 != record.sha256 or existing.title != record.title:
                raise InvalidClaimFile(
                    f"{record.location.at('key')}: source {record.key!r} is already in the ledger "
                    "with a different title or text; give this article a new key"
                )
            return
        if record.sha256 is not None:
            twin = self.session.execute(
                select(Source.key).where(Source.sha256 == record.sha256)
            ).scalar_one_or_none()
            if twin is not None:
                raise InvalidClaimFile(
                    f"{record.location.at('text_file')}: this article is already recorded as "
                    f"source {twin!r}; use that key"
                )
        row = Source(
            key=record.key,
            title=record.title,
            outlet=record.outlet,
            author=record.author,
            url=record.url,
            published=str(record.published) if record.published else None,
            published_precision=record.published.precision if record.published else None,
            language=record.language,
            text=record.text,
            sha256=record.sha256,
        )
        self.session.add(row)
        self.session.flush()
        record_source(self.journal, row)
        self.report.sources_added += 1

    def source(self, key: str, record: ClaimRecord) -> _SourceInfo:
        info = self._sources.get(key)
        if info is None:
            row = self.session.execute(
                select(Source.id, Source.published, Source.language, Source.text).where(Source.key == key)
            ).one_or_none()
            if row is None:
                raise UnknownSource(
                    f"{record.location.at('source')}: unknown source {key!r}; add it under "
                    "`sources:` in this file or import it first (`ledger sources` lists them)"
                )
            published = parse_partial_date(row.published) if row.published else None
            text = normalise_text(row.text) if row.text is not None else None
            info = self._sources[key] = _SourceInfo(row.id, published, row.language, text)
        return info

    # -- entities and attributes ------------------------------------------
    def add_entity(self, record: EntityRecord) -> int:
        """Create (or extend) an entity; an alias may not already name another entity."""
        entity_id = self._entities.get(name_key(record.name))
        if entity_id is None:
            entity_id = self._new_entity(record.name)
        for alias in record.aliases:
            self.add_alias(alias, entity_id, record)
        return entity_id

    def add_alias(self, alias: str, entity_id: int, record: EntityRecord | None = None) -> None:
        key = name_key(alias)
        known = self._entities.get(key)
        if known == entity_id:
            return
        if known is not None:
            where = record.location.at("aliases") if record else "alias"
            other = self.session.get(Entity, known).name
            raise InvalidClaimFile(
                f"{where}: {alias!r} already names the entity {other!r}; "
                "merge them with `ledger entities alias` instead"
            )
        self.session.execute(insert(Alias).values(alias=alias, alias_key=key, entity_id=entity_id))
        self.journal.alias_added(key, alias, entity_id)
        self._entities[key] = entity_id
        self.report.aliases_added += 1

    def _new_entity(self, name: str) -> int:
        entity_id = self.session.execute(insert(Entity).values(name=name)).inserted_primary_key[0]
        self.journal.entity_added(entity_id, name)
        self.report.entities_added += 1
        self.add_alias(name, entity_id)
        return entity_id

    def add_attribute(self, record: AttributeRecord) -> None:
        """Create an attribute, or apply the comparison rules the file sets for a known one."""
        known = self._attributes.get(record.name)
        if known is None:
            self._create_attribute(
                record.name, record.kind, record.description, record.single_valued, record.timeless
            )
            return
        if known[1] != record.kind:
            raise InvalidClaimFile(
                f"{record.location.at('kind')}: attribute {record.name!r} is already of kind "
                f"{known[1]!r}, not {record.kind!r}; use another attribute name"
            )
        if set_attribute_rules(self.journal, known[0], record.single_valued, record.timeless):
            self.touched_attributes.add(known[0])

    def _create_attribute(
        self, name: str, kind: str, description: str | None = None,
        single_valued: bool | None = None, timeless: bool | None = None,
    ) -> tuple[int, str]:
        attr_id = self.session.execute(
            insert(Attribute).values(
                name=name, kind=kind, description=description,
                single_valued=single_valued, timeless=timeless,
            )
        ).inserted_primary_key[0]
        self.journal.append(
            "attribute_added",
            {"id": attr_id, "name": name, "kind": kind, "single_valued": single_valued, "timeless": timeless},
        )
        self._attributes[name] = (attr_id, kind)
        self.report.attributes_added += 1
        return attr_id, kind

    def attribute(self, record: ClaimRecord, source: _SourceInfo) -> tuple[int, str]:
        known = self._attributes.get(record.attribute)
        if known is not None:
            return known
        inferred = read_claim(record.value, None, None, source.published, source.language).value.kind
        kind = inferred if inferred in ("quantity", "money", "date") else "text"
        return self._create_attribute(record.attribute, kind)

    # -- claims ------------------------------------------------------------
    def add_claims(self, records: list[ClaimRecord], supersedes_id: int | None = None) -> None:
        seen_refs: dict[str, ClaimRecord] = {}
        for record in records:
            if record.ref and record.ref in seen_refs:
                first = seen_refs[record.ref].location.at()
                raise InvalidClaimFile(f"{record.location.at('ref')}: ref {record.ref!r} is used twice (first at {first})")
            if record.ref:
                seen_refs[record.ref] = record
        for start in range(0, len(records), BATCH):
            self._add_batch(records[start : start + BATCH], supersedes_id)

    def _add_batch(self, records: list[ClaimRecord], supersedes_id: int | None) -> None:
        known_refs = self._known(Claim.ref, [r.ref for r in records if r.ref])
        known_prints = self._known(Claim.fingerprint, [r.fingerprint for r in records if not r.ref])
        pending: list[tuple[dict, ClaimReading]] = []
        batch_prints: set[str] = set()
        for record in records:
            if record.ref and record.ref in known_refs:
                if known_refs[record.ref] != record.fingerprint:
                    raise InvalidClaimFile(
                        f"{record.location.at('ref')}: claim {record.ref!r} is already in the ledger "
                        f"with different content; record a correction with `ledger supersede {record.ref}` "
                        f"or `ledger retract {record.ref}`"
                    )
                self.report.claims_known += 1
                continue
            if not record.ref and (record.fingerprint in known_prints or record.fingerprint in batch_prints):
                self.report.claims_known += 1
                continue
            batch_prints.add(record.fingerprint)
            pending.append(self._prepare(record))
        if not pending:
            return
        now = utcnow()
        rows = [dict(row, recorded_at=now, status="active", supersedes_id=supersedes_id) for row, _ in pending]
        ids = self._insert_claims(rows)
        self.session.execute(
            insert(Reading),
            [reading_row(claim_id, reading, now) for claim_id, (_, reading) in zip(ids, pending)],
        )
        record_claims(self.journal, ids)
        fault_point("after_claims_batch")
        self.report.claims_added += len(ids)
        self.report.added_claim_ids.extend(ids)

    def _insert_claims(self, rows: list[dict]) -> list[int]:
        result = self.session.execute(insert(Claim).returning(Claim.id, sort_by_parameter_order=True), rows)
        return [row[0] for row in result]

    def _known(self, column, values: list[str]) -> dict[str, str]:
        """Which of ``values`` are already stored, mapped to those claims' fingerprints."""
        found: dict[str, str] = {}
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            for value, fingerprint in self.session.execute(
                select(column, Claim.fingerprint).where(column.in_(chunk))
            ):
                found[value] = fingerprint
        return found

    def _prepare(self, record: ClaimRecord) -> tuple[dict, ClaimReading]:
        source = self.source(record.source, record)
        self._check_quote(record, source)
        entity_id = self._entities.get(name_key(record.subject))
        if entity_id is None:
            entity_id = self._new_entity(record.subject)
        attribute_id, kind = self.attribute(record, source)
        self.touched_groups.add((entity_id, attribute_id))
        reading = read_claim(record.value, record.when, kind, source.published, source.language)
        for warning in reading.warnings:
            self.report.warnings.append(f"{record.location.at('value')}: {warning} (kept as stated)")
        row = dict(
            ref=record.ref,
            fingerprint=record.fingerprint,
            source_id=source.id,
            entity_id=entity_id,
            subject=record.subject,
            attribute_id=attribute_id,
            value=record.value,
            when_stated=record.when,
            quote=record.quote,
            attributed_to=record.attributed_to,
        )
        return row, reading

    def _check_quote(self, record: ClaimRecord, source: _SourceInfo) -> None:
        if source.normalised_text is None:
            return
        if not record.quote:
            raise QuoteNotFound(
                f"{record.location.at('quote')}: source {record.source!r} has text, so the claim "
                "needs the exact quote it comes from"
            )
        if not quote_occurs(record.quote, source.normalised_text):
            nearest = nearest_passage(record.quote, source.normalised_text)
            raise QuoteNotFound(
                f"{record.location.at('quote')}: not found in source {record.source!r}; "
                f"nearest passage: {nearest!r}"
            )
        if not value_in_quote(record.value, record.quote):
            self.report.warnings.append(
                f"{record.location.at('value')}: {record.value!r} does not appear in the quote"
            )


def import_bundle(session: Session, bundle: Bundle, actor: str) -> ImportReport:
    """Record a bundle inside the caller's transaction; raise LedgerError on bad input."""
    importer = Importer(session, actor)
    for source in bundle.sources:
        importer.add_source(source)
    fault_point("after_sources")
    for attribute in bundle.attributes:
        importer.add_attribute(attribute)
    for entity in bundle.entities:
        importer.add_entity(entity)
    importer.add_claims(bundle.claims)
    importer.journal.flush_names()
    fault_point("before_conflicts")
    refresh_after_write(session, importer.touched_groups, importer.touched_attributes)
    return importer.report


def refresh_after_write(session: Session, groups: set[tuple[int, int]], attribute_ids: set[int] = frozenset()) -> None:
    """Keep stored conflicts current for every (subject, attribute) group a write touched."""
    groups = set(groups)
    if attribute_ids:
        groups |= set(
            session.execute(
                select(Claim.entity_id, Claim.attribute_id).where(Claim.attribute_id.in_(attribute_ids)).distinct()
            ).tuples()
        )
    if groups:
        conflicts.refresh(session, groups)


def set_attribute_rules(journal: Journal, attribute_id: int, single_valued: bool | None, timeless: bool | None) -> bool:
    """Store (and journal) the rules that are given; return whether anything changed."""
    attribute = journal.session.get(Attribute, attribute_id)
    changed = False
    for name, value in (("single_valued", single_valued), ("timeless", timeless)):
        if value is not None and getattr(attribute, name) != value:
            setattr(attribute, name, value)
            changed = True
    if changed:
        journal.session.flush()
        journal.append(
            "attribute_rules_set",
            {"id": attribute.id, "single_valued": attribute.single_valued, "timeless": attribute.timeless},
        )
    return changed


def reading_row(claim_id: int, reading: ClaimReading, now) -> dict:
    """The ``readings`` row of a claim reading."""
    value = reading.value
    interval = value.interval
    numeric = value.kind in ("quantity", "money") and interval is not None
    dated = value.kind == "date" and interval is not None
    conversion = reading.conversion
    days = reading.days
    return dict(
        claim_id=claim_id,
        parser_version=reading.parser_version,
        kind=value.kind,
        qualifier=value.qualifier,
        low=_number(interval.low) if numeric else None,
        high=_number(interval.high) if numeric else None,
        low_open=bool(interval and interval.low_open),
        high_open=bool(interval and interval.high_open),
        low_date=interval.low if dated else None,
        high_date=interval.high if dated else None,
        unit=value.unit,
        currency=value.currency,
        period=value.period,
        text_norm=value.text,
        base_currency=conversion.currency if conversion else None,
        base_low=_number(conversion.low) if conversion else None,
        base_high=_number(conversion.high) if conversion else None,
        rate_low=_number(conversion.rate_low) if conversion else None,
        rate_high=_number(conversion.rate_high) if conversion else None,
        rate_from=conversion.rate_from if conversion else None,
        rate_to=conversion.rate_to if conversion else None,
        rate_source=conversion.rate_source if conversion else None,
        time_low=days.low if days else None,
        time_high=days.high if days else None,
        time_basis=reading.time_basis,
        alternatives=json.dumps([reading_to_dict(alt) for alt in value.alternatives], ensure_ascii=False),
        notes=json.dumps(_notes(reading), ensure_ascii=False),
        warning="; ".join(reading.warnings) or None,
        read_at=now,
    )


def _notes(reading: ClaimReading) -> list[str]:
    notes = list(reading.value.notes)
    if reading.time is not None:
        notes.extend(reading.time.notes)
    elif reading.time_basis == "published":
        notes.append("no time stated: taken as of the source's publication date")
    return notes


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None

