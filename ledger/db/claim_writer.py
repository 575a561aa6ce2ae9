"""Claims of an import, a batch at a time: deduplicated, resolved, written with their readings, journalled.

Each batch is one ``claims_added`` journal entry whose digest is computed
from the values just written, with the same encoder ``verify`` recomputes it
with (``ledger.core.digests``).
"""

from __future__ import annotations

import hashlib
from json.encoder import encode_basestring
from operator import itemgetter

from sqlalchemy import insert

from ledger.core.digests import fields_digest
from ledger.core.normalise import CachedParts
from ledger.core.records import ClaimRecord
from ledger.db.attribute_writer import Attributes
from ledger.db.dedup import Dedup, WrittenClaims
from ledger.db.fastinsert import Rows, next_id, sequence_ids
from ledger.db.import_report import UNREAD, ImportWarning
from ledger.db.journal import CLAIM_FIELDS, claims_digest, id_runs
from ledger.db.models import Claim, utcnow
from ledger.db.names import Names
from ledger.db.quote_checks import check_quote
from ledger.db.read_ahead import PreparedClaim
from ledger.db.reading_rows import ReadingTemplates
from ledger.db.shared_readings import SharedReadings
from ledger.db.source_writer import SourceWriter
from ledger.db.write_context import WriteContext
from ledger.faults import fault_point

MAX_TRACKED_GROUPS = 50_000  # beyond this many touched groups, conflicts are refreshed in one set-based pass
MAX_TRACKED_QUOTES = 250_000  # beyond this many new quotes, search finds them in the claims table (``search``)

#: What a claim states, in the order ``ClaimWriter`` builds it (after ``id``, before the status columns).
STATED_COLUMNS = ("ref", "fingerprint", "source_id", "entity_id", "subject", "attribute_id", "value",
                  "when_stated", "quote", "attributed_to")
CLAIM_ROW = ("id", *STATED_COLUMNS, "status", "recorded_at", "supersedes_id", "reading_id")
_DIGESTED = itemgetter(*[CLAIM_ROW.index(name) for name in CLAIM_FIELDS])
_NULL = "null"


def claim_digests(rows: list[tuple]) -> list[str]:
    """``fields_digest`` of each ``CLAIM_ROW`` row's ``CLAIM_FIELDS``: the same text, written in one format.

    Ids are whole numbers and the stated fields text or None; a row holding anything else is encoded by
    ``fields_digest`` itself (``encode_basestring`` refuses what is not text).
    """
    try:
        return [_claim_digest(row) for row in rows]
    except TypeError:
        return [fields_digest(_DIGESTED(row)) for row in rows]


def _claim_digest(row: tuple, quoted=encode_basestring, sha256=hashlib.sha256) -> str:
    claim_id, ref, fingerprint, source_id, _, subject, attribute_id, value, when, quote, by, _, _, supersedes_id, _ = row
    if type(claim_id) is not int or type(source_id) is not int or type(attribute_id) is not int:
        raise TypeError("not an id")
    return sha256((
        f"[{claim_id},{_NULL if ref is None else quoted(ref)},{quoted(fingerprint)},{source_id},{quoted(subject)},"
        f"{attribute_id},{quoted(value)},{_NULL if when is None else quoted(when)},"
        f"{_NULL if quote is None else quoted(quote)},"
        f"{_NULL if by is None else quoted(by)},{_NULL if supersedes_id is None else int.__repr__(supersedes_id)}]"
    ).encode()).hexdigest()


class ClaimWriter:
    """Writes claim batches; tracks the (subject, attribute) groups they touch for the conflict refresh."""

    def __init__(
        self, context: WriteContext, sources: SourceWriter, names: Names, attributes: Attributes, parts: CachedParts,
        into_empty: bool = False,
    ):
        self.context = context
        self.written = WrittenClaims() if into_empty else None  # what this import wrote, when only that can be known
        # Into an empty ledger: the (source id, quote) of each claim written whose source has no text, in claim order
        # and once each: the quote passages search indexes (``search.index_new``), without reading the claims again.
        self.new_quotes: dict[tuple[int, str], None] | None = {} if into_empty else None
        self.sources, self.names, self.attributes = sources, names, attributes
        self.touched_groups: set[tuple[int, int]] = set()
        self.many_groups = False  # too many touched groups to list: refresh by claim id instead
        self.first_id: int | None = None  # of this importer
        self.stream_first_id: int | None = None  # of the current stream: a ref met again past it is a duplicate
        self._claims = Rows(
            context.connection, Claim.__table__, preprocessed=("recorded_at",), columns=CLAIM_ROW, checked_per_batch=True
        )
        self.shared_readings = SharedReadings(context)
        self.reading_inserts = self.shared_readings.rows
        self.readings = ReadingTemplates(self.reading_inserts, parts)

    def write_batch(self, records: list[ClaimRecord], supersedes_id: int | None) -> None:
        """Resolve, deduplicate and insert one batch of claims with their readings and one journal entry."""
        report = self.context.report
        prints = [record.fingerprint for record in records]
        dedup = Dedup(self.context, records, prints, self.stream_first_id, self.written)
        self.sources.load({r.source for r in records})
        stated: list[tuple] = []
        templates: list[tuple] = []
        known, source_of, subject_of, attribute_of = dedup.known, self.sources.of, self.names.subject, self.attributes.of
        touch = self.touched_groups.add if not self.many_groups else None
        quotes = self.new_quotes
        for record, fingerprint in zip(records, prints):
            if known(record, fingerprint):
                report.claims_known += 1
                continue
            source = source_of(record)
            if source.normalised_text is not None:
                check_quote(record, source.normalised_text, report)
            entity_id = subject_of(record)
            ahead = record.reading if type(record) is PreparedClaim else None
            attribute_id, kind = attribute_of(record, source)
            if touch is not None:
                touch((entity_id, attribute_id))
            if ahead is not None and ahead[0] == kind and ahead[1] == source.published and ahead[2] == source.language:
                template, warnings = ahead[3]  # read ahead for the kind and source this claim resolved to
            else:
                template, warnings = self.readings.template(
                    record.value, record.when, kind, source.published, source.language
                )
            for field_name, warning in warnings:
                report.warn(ImportWarning(record.location, field_name, UNREAD, f"{warning} (kept as stated)"))
            if quotes is not None and record.quote is not None and source.normalised_text is None:
                quotes[source.id, record.quote] = None
            stated.append((
                record.ref, fingerprint, source.id, entity_id, record.subject, attribute_id,
                record.value, record.when, record.quote, record.attributed_to,
            ))
            templates.append(template)
        if len(self.touched_groups) > MAX_TRACKED_GROUPS:
            self.many_groups, self.touched_groups = True, set()
        if quotes is not None and len(quotes) > MAX_TRACKED_QUOTES:
            self.new_quotes = None
        self.names.write_subjects()
        if not stated:
            return
        ids, digests = self._insert(stated, self.shared_readings.ids(templates), supersedes_id)
        if self.written is not None:
            self.written.add([s[0] for s in stated if s[0]])
            self.written.add([s[1] for s in stated])
        self.context.journal.append(
            "claims_added", {"ids": id_runs(ids), "count": len(ids), "digest": claims_digest(digests)}
        )
        fault_point("after_claims_batch")
        report.added(ids)

    def _insert(
        self, stated: list[tuple], reading_ids: list[int], supersedes_id: int | None
    ) -> tuple[list[int], list[str]]:
        """Insert claims (``STATED_COLUMNS`` each, with their readings' ids); return their ids and journal digests."""
        recorded_at = utcnow()
        connection = self.context.connection
        if self.context.numbered or self._claims.copy is not None:
            if self.context.numbered:
                first = next_id(connection, Claim.__table__)
                ids = list(range(first, first + len(stated)))
            else:
                ids = sequence_ids(connection, Claim.__table__, len(stated))
            stamp = self._claims.value("recorded_at", recorded_at)
            rows = [(i, *s, "active", stamp, supersedes_id, r) for i, s, r in zip(ids, stated, reading_ids)]
            self._claims.execute(rows)
        else:
            names = CLAIM_ROW[1:]
            params = [dict(zip(names, (*s, "active", recorded_at, supersedes_id, r))) for s, r in zip(stated, reading_ids)]
            result = connection.execute(
                insert(Claim.__table__).returning(Claim.id, sort_by_parameter_order=True), params
            )
            ids = [row[0] for row in result]
            rows = [(i, *s, "active", recorded_at, supersedes_id, r) for i, s, r in zip(ids, stated, reading_ids)]
        if self.first_id is None:
            self.first_id = ids[0]
        if self.stream_first_id is None:
            self.stream_first_id = ids[0]
        # The journal's digest of each claim, from the values just written (what ``verify`` recomputes).
        return ids, claim_digests(rows)
