"""Writing to the ledger: imports that are validated, atomic (one transaction) and idempotent.

Records arrive as a stream (a YAML bundle, or JSON Lines and CSV read line by
line) and are written inside the caller's transaction as they come: sources in
batches, claims 5,000 at a time, each claim batch journalled as one entry. A
bad record anywhere raises, and the caller's transaction rolls everything
back. Memory holds one batch, the lookup maps (sources, names, attributes)
and bounded caches, never the whole import.

``Importer`` coordinates the parts, each in its own module: sources
(``source_writer``), entities and aliases (``names``), attributes
(``attribute_writer``), claim batches (``claim_writer``, with ``dedup``,
``quote_checks`` and ``reading_rows``) and the report (``import_report``).
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.core.normalise import CachedParts
from ledger.core.records import AttributeRecord, Bundle, ClaimRecord, EntityRecord, SourceRecord
from ledger.db import conflicts, search
from ledger.db.attribute_writer import Attributes, set_attribute_rules
from ledger.db.bulk_indexes import build_indexes, set_aside_indexes
from ledger.db.bulk_keys import drop_foreign_keys, restore_foreign_keys
from ledger.db.claim_writer import ClaimWriter
from ledger.db.dedup import refuse_repeated_refs
from ledger.db.import_report import ImportReport
from ledger.db.journal import Journal
from ledger.db.models import Claim
from ledger.db.names import Names
from ledger.db.queries import holds_claims
from ledger.db.read_ahead import PreparedClaim
from ledger.db.reading_rows import PART_CACHE, reading_row
from ledger.db.source_writer import SourceWriter
from ledger.db.write_context import WriteContext
from ledger.faults import fault_point

__all__ = [
    "BATCH", "ImportReport", "Importer", "import_bundle", "import_records", "reading_row", "refresh_after_write",
    "set_attribute_rules",
]

BATCH = 5_000  # claims written at once
BULK_TABLES = ("claims", "stored_conflicts", "passages")  # whose foreign keys a bulk load into an empty ledger sets aside
_IMPORT_CACHE = "PRAGMA cache_size = -65536"  # KiB of SQLite page cache while importing: bounded, flat
_DEFAULT_CACHE = "PRAGMA cache_size = -2000"  # SQLite's default


class Importer:
    """Resolves records against the ledger and writes them inside the caller's transaction.

    Feed it records (``feed``), any number of streams in one transaction, then
    call ``finish`` once to flush and bring stored conflicts up to date.
    Lookups (sources, aliases, attributes) are loaded once into maps; claims
    are resolved, deduplicated against the ledger and written a batch at a time.
    """

    def __init__(self, session: Session, actor: str):
        self.session = session
        self.journal = Journal(session, actor)
        self.context = WriteContext(session, self.journal)
        self.connection = self.context.connection
        self._was_empty = not holds_claims(self.connection)
        self._pending_claims: list[ClaimRecord] = []
        self._big_cache = False
        self._dropped_keys = None  # foreign keys set aside for a bulk load into an empty ledger (bulk_keys)
        self._pair_indexes = []  # indexes likewise set aside, on SQLite (bulk_indexes; the claims' in ``context``)
        self.sources = SourceWriter(self.context)
        self.names = Names(self.context)
        parts = CachedParts(PART_CACHE)  # value and time readings, shared by attribute inference and claims
        self.attributes = Attributes(self.context, parts)
        self.claims = ClaimWriter(self.context, self.sources, self.names, self.attributes, parts, self._was_empty)

    @property
    def report(self) -> ImportReport:
        """The report of the current stream (of the last ``feed``, or since: ``add_claims``)."""
        return self.context.report

    @property
    def touched_groups(self) -> set[tuple[int, int]]:
        return self.claims.touched_groups

    @property
    def touched_attributes(self) -> set[int]:
        return self.attributes.touched

    # -- streams -----------------------------------------------------------
    def feed(self, records: Iterable) -> ImportReport:
        """Record a stream of records in order; return the report for this stream.

        Sources, entities and attributes are applied as they come; claims are
        written in batches, so a claim's source must be in the ledger or come
        earlier in the stream (or in an earlier stream of this importer).
        """
        self.context.report = ImportReport()
        self.claims.stream_first_id = None
        if self.context.numbered and not self._big_cache:
            # The claims indexes (a random hash among them) outgrow SQLite's default 2 MB page cache
            # early in a bulk import; a bounded, larger cache for this transaction keeps their pages in.
            self.connection.exec_driver_sql(_IMPORT_CACHE)
            self._big_cache = True
        pending = self._pending_claims
        for record in records:
            kind = type(record)
            if kind is PreparedClaim or kind is ClaimRecord:
                pending.append(record)
                if len(pending) >= BATCH:
                    self._flush_claims()
                    pending = self._pending_claims
                    # ``service.import_files`` runs with the cycle collector off (``ledger.collector``); the few
                    # cycles a batch makes are young, so one young collection a batch keeps memory flat over a file
                    # of any size (without it the Flight month's peak rose 602 → 872 MB). Here, once the batch's
                    # records are let go, so that it does not walk them.
                    gc.collect(0)
            elif kind is SourceRecord:
                self.sources.add(record)
            elif kind is AttributeRecord:
                self.sources.end()
                self.attributes.add(record)
            elif kind is EntityRecord:
                self.sources.end()
                self.names.add_entity(record)
            else:
                raise TypeError(f"not a record: {record!r}")
        self.flush()
        return self.report

    def flush(self) -> None:
        """Write whatever is still pending (sources, a partial claim batch)."""
        self.sources.end()
        self._flush_claims()

    def finish(self) -> None:
        """Flush, close the journal's name entry and refresh the conflicts of every touched group."""
        self.flush()
        self.index_passages()
        self.journal.flush_names()
        fault_point("before_conflicts")
        build_indexes(self.connection, list(self.context.set_aside.items()))  # the scan reads claims in group order
        self.context.set_aside = {}
        if self.claims.many_groups:
            if self._was_empty:
                conflicts.refresh(self.session)  # everything is new: one streaming sweep
            else:
                conflicts.refresh_claims_from(self.session, self.claims.first_id)
            if self.touched_attributes:
                refresh_after_write(self.session, set(), self.touched_attributes)
        elif self._was_empty:
            conflicts.refresh(self.session)  # every group is new: one sweep of them all, not lists of groups
        else:
            refresh_after_write(self.session, self.touched_groups, self.touched_attributes)
        build_indexes(self.connection, self._pair_indexes)
        self._pair_indexes = []
        if self._dropped_keys is not None:
            restore_foreign_keys(self.connection, self._dropped_keys)
            self._dropped_keys = None
        if self._big_cache:
            self.connection.exec_driver_sql(_DEFAULT_CACHE)  # what make_engine leaves every connection with
            self._big_cache = False

    def index_passages(self) -> None:
        """Make what this importer wrote searchable: once, after its claims are written."""
        search.index_new(self.connection, self.sources.added_ids, self.claims.first_id, self.claims.new_quotes)
        self.claims.new_quotes = None
        self.sources.added_ids = []

    def add_claims(self, records: list[ClaimRecord], supersedes_id: int | None = None) -> None:
        """Write a list of claims now (a command's claims, a correction), refusing a ref used twice."""
        refuse_repeated_refs(records)
        for start in range(0, len(records), BATCH):
            self._write_batch(records[start : start + BATCH], supersedes_id)

    def _flush_claims(self) -> None:
        if self._pending_claims:
            records, self._pending_claims = self._pending_claims, []
            if self._was_empty and self._dropped_keys is None and len(records) >= BATCH:
                # A bulk load into an empty ledger: keys checked once, in ``finish`` (bulk_keys), and
                # indexes built once (bulk_indexes).
                self._dropped_keys = drop_foreign_keys(self.connection, BULK_TABLES)
                self.context.set_aside = dict(set_aside_indexes(self.connection, "claims"))
                self._pair_indexes = set_aside_indexes(self.connection, "stored_conflicts")
            self._write_batch(records, None)

    def _write_batch(self, records: list[ClaimRecord], supersedes_id: int | None) -> None:
        self.sources.end()
        self.claims.write_batch(records, supersedes_id)


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
    refuse_repeated_refs(bundle.claims)
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
