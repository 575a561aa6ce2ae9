"""Sources of an import: queued, checked against the ledger, written in batches before the claims that cite them."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import select

from ledger.core.errors import InvalidClaimFile, UnknownSource
from ledger.core.quotes import normalise_text
from ledger.core.readings import PartialDate, parse_partial_date
from ledger.core.records import ClaimRecord, SourceRecord
from ledger.db.fastinsert import insert_numbered, rows_in
from ledger.db.journal import source_digest
from ledger.db.models import Source
from ledger.db.write_context import WriteContext
from ledger.faults import fault_point

SOURCE_BATCH = 5_000  # pending sources written at once


@dataclass(frozen=True)
class SourceInfo:
    """What writing a claim needs of its source."""

    id: int
    published: PartialDate | None
    language: str
    normalised_text: str | None  # for quote checks


class SourceWriter:
    """Sources by key: the ledger's (loaded as claims name them) and this import's (queued, then written)."""

    def __init__(self, context: WriteContext):
        self.context = context
        self.known: dict[str, SourceInfo] = {}
        self._pending: dict[str, SourceRecord] = {}
        self._pending_texts: dict[str, str] = {}  # sha256 -> key of pending sources with text
        self._done = False  # whether a record other than a source has been met
        self.added_ids: list[int] = []  # of the sources this import wrote, to index for search

    def add(self, record: SourceRecord) -> None:
        """Queue a source; it is written before the next claim batch (checked against the ledger then)."""
        pending = self._pending.get(record.key)
        if pending is not None:
            if pending.sha256 != record.sha256 or pending.title != record.title:
                raise _key_taken(record)
            return
        if record.sha256 is not None:
            twin = self._pending_texts.get(record.sha256)
            if twin is not None:
                raise _same_text(record, twin)
            self._pending_texts[record.sha256] = record.key
        self._pending[record.key] = record
        if len(self._pending) >= SOURCE_BATCH:
            self.flush()

    def end(self) -> None:
        """Write the queued sources: a record other than a source has come (or the stream ended)."""
        self.flush()
        if not self._done:
            self._done = True
            fault_point("after_sources")

    def flush(self) -> None:
        if not self._pending:
            return
        records = list(self._pending.values())
        self._pending, self._pending_texts = {}, {}
        connection = self.context.connection
        known = {
            row.key: row
            for row in rows_in(
                connection, select(Source.key, Source.title, Source.sha256), Source.key, [r.key for r in records]
            )
        }
        twins = dict(
            rows_in(connection, select(Source.sha256, Source.key), Source.sha256, [r.sha256 for r in records if r.sha256])
        )
        new = []
        for record in records:
            existing = known.get(record.key)
            if existing is not None:
                if existing.sha256 != record.sha256 or existing.title != record.title:
                    raise _key_taken(record)
                continue
            if record.sha256 is not None and record.sha256 in twins:
                raise _same_text(record, twins[record.sha256])
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
        for row, source_id in zip(rows, insert_numbered(connection, Source.__table__, rows, self.context.numbered)):
            row["id"] = source_id
        self.added_ids += [row["id"] for row in rows]
        self.context.journal.append_many(
            "source_added",
            ({"id": row["id"], "key": row["key"], "digest": source_digest(SimpleNamespace(**row))} for row in rows),
        )
        for record, row in zip(new, rows):
            text = normalise_text(record.text) if record.text is not None else None
            self.known[record.key] = SourceInfo(row["id"], record.published, record.language, text)
        self.context.report.sources_added += len(new)

    def load(self, keys: set[str]) -> None:
        """Bring the ledger's sources named by a batch into the map (one query per 500 keys)."""
        query = select(Source.id, Source.key, Source.published, Source.language, Source.text)
        for row in rows_in(self.context.connection, query, Source.key, sorted(keys.difference(self.known))):
            published = parse_partial_date(row.published) if row.published else None
            text = normalise_text(row.text) if row.text is not None else None
            self.known[row.key] = SourceInfo(row.id, published, row.language, text)

    def of(self, record: ClaimRecord) -> SourceInfo:
        """The claim's source (loaded by ``load``); UnknownSource if neither the ledger nor the import has it."""
        source = self.known.get(record.source)
        if source is None:
            raise _unknown_source(record)
        return source


def _key_taken(record: SourceRecord) -> InvalidClaimFile:
    return InvalidClaimFile(
        f"{record.location.at('key')}: source {record.key!r} is already in the ledger "
        "with a different title or text; give this article a new key"
    )


def _same_text(record: SourceRecord, twin: str) -> InvalidClaimFile:
    return InvalidClaimFile(
        f"{record.location.at('text_file')}: this article is already recorded as "
        f"source {twin!r}; use that key"
    )


def _unknown_source(record: ClaimRecord) -> UnknownSource:
    where = "under `sources:` in this file"
    if record.location.file.lower().endswith((".jsonl", ".csv")):
        where = "as a source line of a JSONL file imported with this one"
    return UnknownSource(
        f"{record.location.at('source')}: unknown source {record.source!r}; add it {where} or import it first",
        hint="list_aside", what="sources",
    )
