"""Writing to the ledger: imports that are validated, atomic (one transaction) and idempotent.

Records arrive as a stream (a YAML bundle, or JSON Lines and CSV read line by
line) and are written inside the caller's transaction as they come: sources in
batches, claims 5,000 at a time, each claim batch journalled as one entry. A
bad record anywhere raises, and the caller's transaction rolls everything
back. Memory holds one batch, the lookup maps (sources, names, attributes)
and bounded caches, never the whole import.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from json.encoder import encode_basestring
from functools import lru_cache
from operator import itemgetter
from types import SimpleNamespace

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Table

from ledger.core.errors import InvalidClaimFile, QuoteNotFound, UnknownSource
from ledger.core.dates import parse_when
from ledger.core.money import to_base
from ledger.core.normalise import BASE_CURRENCY, ClaimReading, read_claim
from ledger.core.quotes import nearest_passage, normalise_text, quote_occurs, value_in_quote
from ledger.core.readings import (
    ATTRIBUTE_KINDS,
    Conversion,
    Interval,
    ParseContext,
    PartialDate,
    TimeReading,
    ValueReading,
    parse_partial_date,
)
from ledger.core.records import (
    AttributeRecord,
    Bundle,
    ClaimRecord,
    EntityRecord,
    SourceRecord,
    name_key,
)
from ledger.core.values import PARSER_VERSION, parse_value, reading_to_dict
from ledger.db import conflicts
from ledger.faults import fault_point
from ledger.db.fastinsert import Rows
from ledger.db.journal import CLAIM_FIELDS, Journal, claims_digest, id_runs, source_digest
from ledger.db.models import Alias, Attribute, Claim, Entity, Reading, Source, utcnow

BATCH = 5_000
READING_CACHE = 8_192  # whole readings kept by (value, when, kind, published, language)
PART_CACHE = 16_384  # parts of readings kept by what each depends on (see Importer._read)
NAME_CACHE = 65_536  # subject spellings kept with their name keys
MAX_TRACKED_GROUPS = 50_000  # beyond this many touched groups, conflicts are refreshed in one set-based pass
MAX_WARNINGS = 1_000  # warnings kept word for word; the rest are counted
_IMPORT_CACHE = "PRAGMA cache_size = -65536"  # KiB of SQLite page cache while importing: bounded, flat
_DEFAULT_CACHE = "PRAGMA cache_size = -2000"  # SQLite's default
_IN_CHUNK = 500


@dataclass
class ImportReport:
    """What an import did, for the one-line summary and for tests."""

    sources_added: int = 0
    entities_added: int = 0
    aliases_added: int = 0
    attributes_added: int = 0
    claims_added: int = 0
    claims_known: int = 0
    added_id_runs: list[list[int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    warnings_omitted: int = 0  # warnings beyond MAX_WARNINGS, counted only
    unread: int = 0  # values or times kept as stated because the parser could not read them

    @property
    def changed(self) -> bool:
        return bool(
            self.sources_added
            or self.entities_added
            or self.aliases_added
            or self.attributes_added
            or self.claims_added
        )

    @property
    def added_claim_ids(self) -> list[int]:
        return [i for first, last in self.added_id_runs for i in range(first, last + 1)]

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        else:
            self.warnings_omitted += 1

    def _added(self, ids: list[int]) -> None:
        for first, last in id_runs(ids):
            if self.added_id_runs and self.added_id_runs[-1][1] + 1 == first:
                self.added_id_runs[-1][1] = last
            else:
                self.added_id_runs.append([first, last])


@dataclass(frozen=True)
class _SourceInfo:
    id: int
    published: PartialDate | None
    language: str
    normalised_text: str | None


_CLAIM_COLUMNS = [column.key for column in Claim.__table__.columns]
_DIGESTED = itemgetter(*[_CLAIM_COLUMNS.index(name) for name in CLAIM_FIELDS])
_READING_COLUMNS = [column.key for column in Reading.__table__.columns]
_TEMPLATE_COLUMNS = _READING_COLUMNS[1:-1]  # all but claim_id (first) and read_at (last)
_VALUE_COLUMNS = _READING_COLUMNS[2:14]  # kind … text_norm
_CONVERSION_COLUMNS = _READING_COLUMNS[14:22]  # base_currency … rate_source
_TIME_COLUMNS = _READING_COLUMNS[22:25]  # time_low, time_high, time_basis
assert (_READING_COLUMNS[:3], _READING_COLUMNS[13:15], _READING_COLUMNS[21:26], _READING_COLUMNS[-4:]) == (
    ["claim_id", "parser_version", "kind"], ["text_norm", "base_currency"],
    ["rate_source", "time_low", "time_high", "time_basis", "alternatives"],
    ["alternatives", "notes", "warning", "read_at"],
)
_NO_CONVERSION = (None,) * len(_CONVERSION_COLUMNS)


# How value readings depend on the source's publication date (which ``Importer._read`` relies on;
# tests/cli/test_bulk.py holds the cached readings equal to ``read_claim`` for every kind):
_PUBLICATION_FREE = ("quantity", "money", "text")  # never used
_RELATIVE_ONLY = ("date", "time")  # used only to resolve a relative phrase, refused without it
# Any other kind is read with the publication date, always.


def _unanchored(reading, kind: str | None = None) -> bool:
    """Whether a phrase read without a publication date was read in full, so that date cannot change it.

    Dates and times (of values and of ``when``) use the publication date only
    to resolve a relative phrase ("last May", "two years ago", "2:57 PM") and
    refuse one (no interval, a warning) when no date is given. So a reading
    made without the date that has its kind, its interval and no warning is
    the reading for every date; any other is made again with the date.
    """
    if kind is not None and reading.kind != kind:
        return False
    return reading.interval is not None and not reading.warning


class Importer:
    """Resolves records against the ledger and writes them inside the caller's transaction.

    Feed it records (``feed``), any number of streams in one transaction, then
    call ``finish`` once to flush and bring stored conflicts up to date.
    Lookups (sources, aliases, attributes) are loaded once into maps; claims
    are resolved, deduplicated against the ledger and written a batch at a time.
    """

    def __init__(self, session: Session, actor: str):
        self.session = session
        self.connection = session.connection()
        self.journal = Journal(session, actor)
        self.report = ImportReport()
        self.touched_groups: set[tuple[int, int]] = set()
        self.touched_attributes: set[int] = set()
        self._many_groups = False  # too many touched groups to list: refresh by claim id instead
        self._was_empty = self.connection.execute(select(Claim.id).limit(1)).first() is None
        self._first_claim_id: int | None = None  # of this importer
        self._feed_first_id: int | None = None  # of the current stream: a ref met again past it is a duplicate
        self._sources: dict[str, _SourceInfo] = {}
        self._pending_sources: dict[str, SourceRecord] = {}
        self._pending_texts: dict[str, str] = {}  # sha256 -> key of pending sources with text
        self._pending_claims: list[ClaimRecord] = []
        self._sources_done = False
        self._entities: dict[str, int] = {
            key: entity_id for key, entity_id in self.connection.execute(select(Alias.alias_key, Alias.entity_id))
        }
        self._attributes: dict[str, tuple[int, str]] = {
            name: (attr_id, kind)
            for attr_id, name, kind in self.connection.execute(select(Attribute.id, Attribute.name, Attribute.kind))
        }
        # SQLite: this transaction holds the write lock, so ids can be numbered here and no
        # RETURNING is needed; other databases get them back from the insert.
        self._numbered = self.connection.dialect.name == "sqlite"
        self._big_cache = False
        self._new_entities: list[dict] = []
        self._new_aliases: list[dict] = []
        self._next_entity_id: int | None = None
        self._claims = Rows(self.connection, Claim.__table__, preprocessed=("recorded_at",))
        self._readings = Rows(self.connection, Reading.__table__, preprocessed=_READING_COLUMNS[1:])
        self._reading = lru_cache(maxsize=READING_CACHE)(self._read)
        self._value_part = lru_cache(maxsize=PART_CACHE)(self._value_part)
        self._time_part = lru_cache(maxsize=PART_CACHE)(self._time_part)
        self._untimed = lru_cache(maxsize=PART_CACHE)(self._untimed)
        self._conversion_part = lru_cache(maxsize=PART_CACHE)(self._conversion_part)
        processors = self._readings.processors
        self._value_processors = [processors.get(column) for column in _VALUE_COLUMNS]
        self._time_processors = [processors.get(column) for column in _TIME_COLUMNS]
        self._conversion_processors = [processors.get(column) for column in _CONVERSION_COLUMNS]
        self._name_key = lru_cache(maxsize=NAME_CACHE)(name_key)

    # -- streams -----------------------------------------------------------
    def feed(self, records: Iterable) -> ImportReport:
        """Record a stream of records in order; return the report for this stream.

        Sources, entities and attributes are applied as they come; claims are
        written in batches, so a claim's source must be in the ledger or come
        earlier in the stream (or in an earlier stream of this importer).
        """
        self.report = ImportReport()
        self._feed_first_id = None
        if self._numbered and not self._big_cache:
            # The claims indexes (a random hash among them) outgrow SQLite's default 2 MB page cache
            # early in a bulk import; a bounded, larger cache for this transaction keeps their pages in.
            self.connection.exec_driver_sql(_IMPORT_CACHE)
            self._big_cache = True
        pending = self._pending_claims
        for record in records:
            kind = type(record)
            if kind is ClaimRecord:
                pending.append(record)
                if len(pending) >= BATCH:
                    self._flush_claims()
                    pending = self._pending_claims
            elif kind is SourceRecord:
                self.add_source(record)
            elif kind is AttributeRecord:
                self._end_of_sources()
                self.add_attribute(record)
            elif kind is EntityRecord:
                self._end_of_sources()
                self.add_entity(record)
            else:
                raise TypeError(f"not a record: {record!r}")
        self.flush()
        return self.report

    def flush(self) -> None:
        """Write whatever is still pending (sources, a partial claim batch)."""
        self._end_of_sources()
        self._flush_claims()

    def finish(self) -> None:
        """Flush, close the journal's name entry and refresh the conflicts of every touched group."""
        self.flush()
        self.journal.flush_names()
        fault_point("before_conflicts")
        if self._many_groups:
            if self._was_empty:
                conflicts.refresh(self.session)  # everything is new: one streaming sweep
            else:
                conflicts.refresh_claims_from(self.session, self._first_claim_id)
            if self.touched_attributes:
                refresh_after_write(self.session, set(), self.touched_attributes)
        else:
            refresh_after_write(self.session, self.touched_groups, self.touched_attributes)
        if self._big_cache:
            self.connection.exec_driver_sql(_DEFAULT_CACHE)  # what make_engine leaves every connection with
            self._big_cache = False

    # -- sources -----------------------------------------------------------
    def add_source(self, record: SourceRecord) -> None:
        """Queue a source; it is written before the next claim batch (checked against the ledger then)."""
        pending = self._pending_sources.get(record.key)
        if pending is not None:
            if pending.sha256 != record.sha256 or pending.title != record.title:
                raise self._key_taken(record)
            return
        if record.sha256 is not None:
            twin = self._pending_texts.get(record.sha256)
            if twin is not None:
                raise self._same_text(record, twin)
            self._pending_texts[record.sha256] = record.key
        self._pending_sources[record.key] = record
        if len(self._pending_sources) >= BATCH:
            self._flush_sources()

    def _end_of_sources(self) -> None:
        self._flush_sources()
        if not self._sources_done:
            self._sources_done = True
            fault_point("after_sources")

    def _flush_sources(self) -> None:
        if not self._pending_sources:
            return
        records = list(self._pending_sources.values())
        self._pending_sources, self._pending_texts = {}, {}
        known = {
            row.key: row
            for row in self._rows_in(select(Source.key, Source.title, Source.sha256), Source.key, [r.key for r in records])
        }
        twins = dict(
            self._rows_in(select(Source.sha256, Source.key), Source.sha256, [r.sha256 for r in records if r.sha256])
        )
        new = []
        for record in records:
            existing = known.get(record.key)
            if existing is not None:
                if existing.sha256 != record.sha256 or existing.title != record.title:
                    raise self._key_taken(record)
                continue
            if record.sha256 is not None and record.sha256 in twins:
                raise self._same_text(record, twins[record.sha256])
            new.append(record)
        if not new:
            return
        rows = [
            dict(
                key=r.key, title=r.title, outlet=r.outlet, author=r.author, url=r.url,
                published=str(r.published) if r.published else None,
                published_precision=r.published.precision if r.published else None,
                language=r.language, text=r.text, sha256=r.sha256,
            )
            for r in new
        ]
        for row, source_id in zip(rows, self._insert_numbered(Source.__table__, rows)):
            row["id"] = source_id
        self.journal.append_many(
            "source_added",
            ({"id": row["id"], "key": row["key"], "digest": source_digest(SimpleNamespace(**row))} for row in rows),
        )
        for record, row in zip(new, rows):
            text = normalise_text(record.text) if record.text is not None else None
            self._sources[record.key] = _SourceInfo(row["id"], record.published, record.language, text)
        self.report.sources_added += len(new)

    @staticmethod
    def _key_taken(record: SourceRecord) -> InvalidClaimFile:
        return InvalidClaimFile(
            f"{record.location.at('key')}: source {record.key!r} is already in the ledger "
            "with a different title or text; give this article a new key"
        )

    @staticmethod
    def _same_text(record: SourceRecord, twin: str) -> InvalidClaimFile:
        return InvalidClaimFile(
            f"{record.location.at('text_file')}: this article is already recorded as "
            f"source {twin!r}; use that key"
        )

    def _load_sources(self, keys: set[str]) -> None:
        """Bring the ledger's sources named by a batch into the map (one query per 500 keys)."""
        query = select(Source.id, Source.key, Source.published, Source.language, Source.text)
        for row in self._rows_in(query, Source.key, sorted(keys)):
            published = parse_partial_date(row.published) if row.published else None
            text = normalise_text(row.text) if row.text is not None else None
            self._sources[row.key] = _SourceInfo(row.id, published, row.language, text)

    def _unknown_source(self, record: ClaimRecord) -> UnknownSource:
        where = "under `sources:` in this file"
        if record.location.file.lower().endswith((".jsonl", ".csv")):
            where = "as a source line of a JSONL file imported with this one"
        return UnknownSource(
            f"{record.location.at('source')}: unknown source {record.source!r}; add it {where} "
            "or import it first (`ledger sources` lists them)"
        )

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

    def _new_subject(self, name: str, key: str) -> int:
        """An entity for a subject met in a claim batch; written with the batch, before its claims."""
        if not self._numbered:
            return self._new_entity(name)
        if self._next_entity_id is None:
            self._next_entity_id = (self.connection.execute(select(func.max(Entity.id))).scalar() or 0) + 1
        entity_id = self._next_entity_id
        self._next_entity_id += 1
        self._new_entities.append(dict(id=entity_id, name=name))
        self._new_aliases.append(dict(alias=name, alias_key=key, entity_id=entity_id))
        self.journal.entity_added(entity_id, name)
        self.journal.alias_added(key, name, entity_id)
        self._entities[key] = entity_id
        self.report.entities_added += 1
        self.report.aliases_added += 1
        return entity_id

    def _write_subjects(self) -> None:
        if self._new_entities:
            self.connection.execute(insert(Entity.__table__), self._new_entities)
            self.connection.execute(insert(Alias.__table__), self._new_aliases)
            self._new_entities, self._new_aliases = [], []
        self._next_entity_id = None  # re-read next batch: entity records may have added some since

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
        """Write a list of claims now (a command's claims, a correction), refusing a ref used twice."""
        _refuse_repeated_refs(records)
        for start in range(0, len(records), BATCH):
            self._write_batch(records[start : start + BATCH], supersedes_id)

    def _flush_claims(self) -> None:
        if self._pending_claims:
            records, self._pending_claims = self._pending_claims, []
            self._write_batch(records, None)

    def _write_batch(self, records: list[ClaimRecord], supersedes_id: int | None) -> None:
        """Resolve, deduplicate and insert one batch of claims with their readings and one journal entry."""
        self._end_of_sources()
        report = self.report
        prints = [_fingerprint(record) for record in records]
        known_refs = self._known(Claim.ref, [r.ref for r in records if r.ref])
        known_prints = self._known(Claim.fingerprint, [p for r, p in zip(records, prints) if not r.ref])
        self._load_sources({r.source for r in records} - self._sources.keys())
        seen_refs: dict[str, ClaimRecord] = {}
        batch_prints: set[str] = set()
        stated: list[tuple] = []
        templates: list[tuple] = []
        for record, fingerprint in zip(records, prints):
            ref = record.ref
            if ref:
                first = seen_refs.get(ref)
                if first is not None:
                    raise InvalidClaimFile(
                        f"{record.location.at('ref')}: ref {ref!r} is used twice (first at {first.location.at()})"
                    )
                seen_refs[ref] = record
                known = known_refs.get(ref)
                if known is not None:
                    if self._feed_first_id is not None and known[1] >= self._feed_first_id:
                        raise InvalidClaimFile(
                            f"{record.location.at('ref')}: ref {ref!r} is used twice (first as claim {known[1]}, "
                            "earlier in this file)"
                        )
                    if known[0] != fingerprint:
                        raise InvalidClaimFile(
                            f"{record.location.at('ref')}: claim {ref!r} is already in the ledger "
                            f"with different content; record a correction with `ledger supersede {ref}` "
                            f"or `ledger retract {ref}`"
                        )
                    report.claims_known += 1
                    continue
            elif fingerprint in known_prints or fingerprint in batch_prints:
                report.claims_known += 1
                continue
            batch_prints.add(fingerprint)
            source = self._sources.get(record.source)
            if source is None:
                raise self._unknown_source(record)
            if source.normalised_text is not None:
                self._check_quote(record, source)
            key = self._name_key(record.subject)
            entity_id = self._entities.get(key) or self._new_subject(record.subject, key)
            attribute_id, kind = self._attributes.get(record.attribute) or self.attribute(record, source)
            if not self._many_groups:
                self.touched_groups.add((entity_id, attribute_id))
                if len(self.touched_groups) > MAX_TRACKED_GROUPS:
                    self._many_groups, self.touched_groups = True, set()
            template, warnings = self._reading(record.value, record.when, kind, source.published, source.language)
            for field_name, warning in warnings:
                report.warn(f"{record.location.at(field_name)}: {warning} (kept as stated)")
                report.unread += 1
            stated.append((
                record.ref, fingerprint, source.id, entity_id, record.subject, attribute_id,
                record.value, record.when, record.quote, record.attributed_to,
            ))
            templates.append(template)
        self._write_subjects()
        if not stated:
            return
        ids, digests = self._insert_claims(stated, supersedes_id)
        read_at = self._readings.value("read_at", utcnow())
        self._readings.execute([(claim_id, *template, read_at) for claim_id, template in zip(ids, templates)])
        self.journal.append("claims_added", {"ids": id_runs(ids), "count": len(ids), "digest": claims_digest(digests)})
        fault_point("after_claims_batch")
        report.claims_added += len(ids)
        report._added(ids)

    def _insert_claims(self, stated: list[tuple], supersedes_id: int | None) -> tuple[list[int], list[str]]:
        """Insert claims (stated fields, in column order after ``id``); return their ids and digests."""
        recorded_at = utcnow()
        if self._numbered:
            first = (self.connection.execute(select(func.max(Claim.id))).scalar() or 0) + 1
            ids = list(range(first, first + len(stated)))
            stamp = self._claims.value("recorded_at", recorded_at)
            rows = [(i, *s, "active", stamp, supersedes_id) for i, s in zip(ids, stated)]
            self._claims.execute(rows)
        else:
            names = _CLAIM_COLUMNS[1:]
            params = [dict(zip(names, (*s, "active", recorded_at, supersedes_id))) for s in stated]
            result = self.connection.execute(
                insert(Claim.__table__).returning(Claim.id, sort_by_parameter_order=True), params
            )
            ids = [row[0] for row in result]
            rows = [(i, *s, "active", recorded_at, supersedes_id) for i, s in zip(ids, stated)]
        if self._first_claim_id is None:
            self._first_claim_id = ids[0]
        if self._feed_first_id is None:
            self._feed_first_id = ids[0]
        # The journal's digest of each claim, from the values just written (what ``verify`` recomputes).
        digests = [_claim_digest(row) for row in rows]
        return ids, digests

    def _read(self, value: str, when: str | None, kind: str, published: PartialDate | None, language: str):
        """A claim's ``readings`` row less claim id and read time, as the driver stores it, and its warnings.

        Cached whole by (value, when, kind, published, language), LRU. Bulk data
        repeats phrases but spreads them over many publication dates, so a miss
        is assembled from parts cached on what each depends on: the value's
        reading and the time's on the phrase alone, unless the phrase is
        relative to the publication date (see ``_unanchored``); the days of a
        claim without a time on the publication date; a conversion on (amount,
        currency, days). This mirrors ``read_claim``, which a claim of no known
        kind still goes through; tests/cli/test_bulk.py holds the two equal.
        """
        if kind not in ATTRIBUTE_KINDS:
            reading = read_claim(value, when, kind, published, language)
            row = reading_row(0, reading, None)
            return tuple(self._readings.value(name, row[name]) for name in _TEMPLATE_COLUMNS), tuple(reading.field_warnings)
        if kind in _PUBLICATION_FREE:
            value_reading, value_columns, alternatives, value_notes = self._value_part(value, kind, None, language)
        else:
            value_reading, value_columns, alternatives, value_notes = self._value_part(value, kind, None, language)
            if kind not in _RELATIVE_ONLY or not _unanchored(value_reading, kind):
                value_reading, value_columns, alternatives, value_notes = self._value_part(
                    value, kind, published, language
                )
        if when:
            time_reading, days, time_columns, time_notes = self._time_part(when, None, language)
            if not _unanchored(time_reading):
                time_reading, days, time_columns, time_notes = self._time_part(when, published, language)
        else:
            time_reading, days, time_columns, time_notes = self._untimed(published)
        conversion_columns = _NO_CONVERSION
        if value_reading.kind == "money" and value_reading.currency and days is not None:
            conversion_columns = self._conversion_part(value_reading.interval, value_reading.currency, days)
        warnings = tuple((f, w) for f, w in (("value", value_reading.warning), ("when", time_reading and time_reading.warning)) if w)
        notes = f"[{value_notes}, {time_notes}]" if value_notes and time_notes else f"[{value_notes or time_notes}]"
        template = (
            PARSER_VERSION, *value_columns, *conversion_columns, *time_columns, alternatives, notes,
            "; ".join(w for _, w in warnings) or None,
        )
        return template, warnings

    # Each part carries its notes as JSON array items, so a row's notes are joined, not re-encoded.
    def _value_part(self, value: str, kind: str, published: PartialDate | None, language: str):
        reading = parse_value(value, kind, ParseContext(published=published, language=language))
        columns = self._stored(self._value_processors, _value_columns(reading))
        return reading, columns, _alternatives(reading), _json_items(reading.notes)

    def _time_part(self, when: str, published: PartialDate | None, language: str):
        time_reading = parse_when(when, ParseContext(published=published, language=language))
        days = time_reading.interval
        columns = self._stored(self._time_processors, _time_columns(days, "stated"))
        return time_reading, days, columns, _json_items(time_reading.notes)

    def _untimed(self, published: PartialDate | None):
        """No time stated: the claim is taken as of its source's publication date (if known)."""
        basis, days = ("published", published.interval()) if published is not None else ("none", None)
        notes = _json_items([_AS_PUBLISHED]) if basis == "published" else ""
        return None, days, self._stored(self._time_processors, _time_columns(days, basis)), notes

    def _conversion_part(self, amount: Interval, currency: str, days: Interval) -> tuple:
        conversion = to_base(amount, currency, days, BASE_CURRENCY)
        return self._stored(self._conversion_processors, _conversion_columns(conversion))

    @staticmethod
    def _stored(processors: list, values: tuple) -> tuple:
        """``values`` as the driver stores them, converted by their columns' bind processors."""
        return tuple([v if p is None or v is None else p(v) for p, v in zip(processors, values)])

    def _known(self, column, values: list[str]) -> dict[str, tuple[str, int]]:
        """Which of ``values`` are already stored, mapped to those claims' fingerprints and ids."""
        return {
            value: (fingerprint, claim_id)
            for value, fingerprint, claim_id in self._rows_in(select(column, Claim.fingerprint, Claim.id), column, values)
        }

    def _rows_in(self, query, column, values: list) -> Iterable:
        for start in range(0, len(values), _IN_CHUNK):
            yield from self.connection.execute(query.where(column.in_(values[start : start + _IN_CHUNK])))

    def _insert_numbered(self, table: Table, rows: list[dict]) -> list[int]:
        """Insert rows; return their ids (numbered here on SQLite, RETURNING elsewhere)."""
        if self._numbered:
            first = (self.connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1
            ids = list(range(first, first + len(rows)))
            self.connection.execute(insert(table), [dict(row, id=i) for row, i in zip(rows, ids)])
            return ids
        result = self.connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return [row[0] for row in result]

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
            self.report.warn(
                f"{record.location.at('value')}: {record.value!r} does not appear in the quote"
            )


def _refuse_repeated_refs(records: list[ClaimRecord]) -> None:
    seen_refs: dict[str, ClaimRecord] = {}
    for record in records:
        if record.ref and record.ref in seen_refs:
            first = seen_refs[record.ref].location.at()
            raise InvalidClaimFile(f"{record.location.at('ref')}: ref {record.ref!r} is used twice (first at {first})")
        if record.ref:
            seen_refs[record.ref] = record


def import_records(session: Session, records: Iterable, actor: str) -> ImportReport:
    """Record a stream of records (sources, entities, attributes, claims) inside the caller's transaction.

    ``records`` may be a generator over a file of any size: it is consumed
    once, claims a batch at a time. Raises LedgerError on bad input; the
    caller's transaction then rolls everything back.
    """
    importer = Importer(session, actor)
    report = importer.feed(records)
    importer.finish()
    return report


def import_bundle(session: Session, bundle: Bundle, actor: str) -> ImportReport:
    """Record a bundle inside the caller's transaction; raise LedgerError on bad input."""
    _refuse_repeated_refs(bundle.claims)
    return import_records(
        session, itertools.chain(bundle.sources, bundle.attributes, bundle.entities, bundle.claims), actor
    )


def refresh_after_write(session: Session, groups: set[tuple[int, int]], attribute_ids: set[int] = frozenset()) -> None:
    """Keep stored conflicts current for every (subject, attribute) group a write touched."""
    groups = set(groups)
    if attribute_ids:
        groups |= set(
            tuple(row) for row in session.execute(
                select(Claim.entity_id, Claim.attribute_id).where(Claim.attribute_id.in_(attribute_ids)).distinct()
            ).all()
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
    return dict(zip(_READING_COLUMNS, (
        claim_id,
        reading.parser_version,
        *_value_columns(reading.value),
        *_conversion_columns(reading.conversion),
        *_time_columns(reading.days, reading.time_basis),
        _alternatives(reading.value),
        _notes_json(reading.value, reading.time, reading.time_basis),
        "; ".join(reading.warnings) or None,
        now,
    )))


# The row is built from parts (value, conversion, time) so that the importer can cache the
# value part by phrase alone and the time part by (when, publication date): see Importer._read.
def _value_columns(value: ValueReading) -> tuple:
    """kind … text_norm."""
    interval = value.interval
    numeric = value.kind in ("quantity", "money", "time") and interval is not None
    dated = value.kind == "date" and interval is not None
    return (
        value.kind,
        value.qualifier,
        _number(interval.low) if numeric else None,
        _number(interval.high) if numeric else None,
        bool(interval and interval.low_open),
        bool(interval and interval.high_open),
        interval.low if dated else None,
        interval.high if dated else None,
        value.unit,
        value.currency,
        value.period,
        value.text,
    )


def _conversion_columns(conversion: Conversion | None) -> tuple:
    """base_currency … rate_source."""
    if conversion is None:
        return (None,) * 8
    return (
        conversion.currency,
        _number(conversion.low),
        _number(conversion.high),
        _number(conversion.rate_low),
        _number(conversion.rate_high),
        conversion.rate_from,
        conversion.rate_to,
        conversion.rate_source,
    )


def _time_columns(days: Interval | None, basis: str) -> tuple:
    """time_low, time_high, time_basis."""
    return (days.low if days else None, days.high if days else None, basis)


def _alternatives(value: ValueReading) -> str:
    return json.dumps([reading_to_dict(alt) for alt in value.alternatives], ensure_ascii=False)


_AS_PUBLISHED = "no time stated: taken as of the source's publication date"


def _notes_json(value: ValueReading, time: TimeReading | None, basis: str) -> str:
    notes = list(value.notes)
    if time is not None:
        notes.extend(time.notes)
    elif basis == "published":
        notes.append(_AS_PUBLISHED)
    return json.dumps(notes, ensure_ascii=False)


# What json.dumps(..., ensure_ascii=False) writes for a list of text, whole numbers and nulls, without
# building an encoder per call: claims' fingerprints, their journal digests and readings' notes are
# encoded once per claim (a third of the Python time of a bulk import before this).
_JSON_SCALAR = {str: encode_basestring, int: int.__repr__, type(None): lambda _: "null"}


def _json_items(values, separator: str = ", ") -> str:
    return separator.join([_JSON_SCALAR[type(v)](v) for v in values])


def _fingerprint(record: ClaimRecord) -> str:
    """``record.fingerprint``: sha256 of json.dumps([source, subject, attribute, value, when, quote])."""
    stated = (record.source, record.subject, record.attribute, record.value, record.when, record.quote)
    return hashlib.sha256(f"[{_json_items(stated)}]".encode()).hexdigest()


def _claim_digest(row: tuple) -> str:
    """``journal.claim_digest`` of a claims row: sha256 of canonical JSON of its ``CLAIM_FIELDS``."""
    return hashlib.sha256(f"[{_json_items(_DIGESTED(row), ',')}]".encode()).hexdigest()


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None

