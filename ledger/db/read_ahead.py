"""Claim files read in a second process while this one writes: parsing, fingerprints and readings ahead.

A bulk import spends about a third of its CPU reading the files (CSV or JSON
Lines rows, field checks), fingerprinting claims and reading their values;
none of that needs the database. For large files (``AHEAD_MIN_BYTES``) a
forked worker reads every file of the command in import order and hands the
records over a pipe in chunks, claims as compact tuples (``PreparedClaim``)
that carry their fingerprint and a reading made in advance. The worker never
touches the database; it only reads files.

A claim's reading depends on its attribute's kind and its source's publication
date and language, which the writing process resolves (a source may be in the
ledger, a kind inferred from the first claim of a new attribute). The worker
guesses them from what it has seen (the ledger's sources and attributes at the
start, and the records of the files before the claim) and says what it assumed;
``ClaimWriter`` uses the reading only when its own resolution is the same, and
reads the claim itself otherwise. So the stored rows are those of reading the
files in this process. Errors of a file (bad line, bad field) travel down the
pipe in order and are raised where the file's records reach that line, with
the same message; the import stays one transaction, all or nothing.
"""

from __future__ import annotations

import gc
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select

from ledger import forked, readers
from ledger.core.digests import stated_fingerprint
from ledger.core.naming import clean_name
from ledger.core.normalise import read_claim
from ledger.core.readings import PartialDate, parse_partial_date
from ledger.core.records import AttributeRecord, ClaimRecord, Location, SourceRecord
from ledger.db.models import Source
from ledger.readers.lines import Progress

AHEAD_MIN_BYTES = 4_000_000  # streamed files smaller than this are read in this process (a fork costs ~50 ms)
CHUNK = 2_000  # records per message from the worker (~0.4 MB of CSV claims)
#: Kinds an attribute created for a claim may be inferred as (``attribute_writer``); any other reading makes it text.
_INFERRED_KINDS = ("quantity", "money", "date")


class PreparedClaim(NamedTuple):
    """A claim of a CSV or JSON Lines file, read ahead: ``ClaimRecord``'s fields, its fingerprint and reading.

    ``reading`` is None, or (kind, published, language, (template, warnings)):
    the stored reading (``ReadingTemplates.template``) worked out for that kind
    and that source's publication date and language.
    """

    source: str
    subject: str
    attribute: str
    value: str
    when: str | None
    quote: str | None
    attributed_to: str | None
    ref: str | None
    file: str
    line: int
    fingerprint: str
    reading: tuple | None

    @property
    def location(self) -> Location:
        return Location(self.file, "claim", self.line)


def streams(importer, paths: list[Path], progress: Progress | None) -> Iterator[tuple[Path, Iterator]]:
    """Each path (in the order given) with its records, read ahead in a worker when the files are large."""
    if not _worth_a_worker(paths):
        for path in paths:
            yield path, readers.read_records(path, progress)
        return
    with _worker(importer, paths) as connection:
        for path in paths:
            yield path, _received(connection, progress)


def _worth_a_worker(paths: list[Path]) -> bool:
    streamed = [path for path in paths if path.suffix.lower() in (".csv", ".jsonl")]
    return forked.available() and readers.total_size(streamed) >= AHEAD_MIN_BYTES


@contextmanager
def _worker(importer, paths: list[Path]):
    """A forked reader of ``paths``, stopped on the way out (at once, if the import failed)."""
    guesses = _Guesses(importer)
    receiving, sending = forked.pipe()
    with forked.child(_read, paths, sending, receiving, guesses):
        sending.close()
        try:
            yield receiving
        finally:
            receiving.close()


def _received(connection, progress: Progress | None) -> Iterator:
    """One file's records as the worker sends them; its error raised where it occurred."""
    make = PreparedClaim._make
    while True:
        try:
            read, entries, error, done = pickle.loads(connection.recv_bytes())
        except EOFError:
            raise RuntimeError("the process reading the claim files ahead stopped unexpectedly") from None
        if progress is not None and read:
            progress(read)
        for entry in entries:
            yield make(entry) if type(entry) is tuple else entry
        if error is not None:
            raise error
        if done:
            return


# -- the worker ------------------------------------------------------------------
def _read(paths: list[Path], connection, other_end, guesses: _Guesses) -> None:
    """In the forked child: read every file, sending its records ``CHUNK`` at a time."""
    other_end.close()
    # Reading makes next to no cyclic garbage (85 objects over 50,000 generated claims), while a collection walks
    # every object the reading caches keep (7% of the worker's CPU at one young collection a chunk): none here.
    gc.disable()
    unsent = [0]

    def count(read: int) -> None:
        unsent[0] += read

    def send(entries: list, error: BaseException | None = None, done: bool = False) -> None:
        message = (unsent[0], entries, error, done)
        unsent[0] = 0
        connection.send_bytes(forked.dumps(message, 2))

    try:
        for path in paths:
            entries: list = []
            try:
                for record in readers.read_fields(path, count):
                    entries.append(guesses.entry(record))
                    if len(entries) >= CHUNK:
                        send(entries)
                        entries = []
            except BrokenPipeError:
                raise
            except BaseException as error:  # raised in the writer when its records reach it
                send(entries, error, True)
                return
            send(entries, None, True)
    except BrokenPipeError:  # the writer is gone (killed): no one left to tell, and no traceback for its terminal
        return
    connection.close()


class _Guesses:
    """What the worker assumes of a claim's source and attribute, from the ledger at the start and the files."""

    def __init__(self, importer):
        self.readings = importer.claims.readings
        # One object per publication date: the readings' cache then finds a date it holds by identity, not by
        # comparing dataclasses, and a chunk pickles each date once.
        self._dates: dict[PartialDate, PartialDate] = {}
        self.sources: dict[str, tuple[PartialDate | None, str]] = {
            key: self._source(parse_partial_date(published) if published else None, language)
            for key, published, language in importer.connection.execute(
                select(Source.key, Source.published, Source.language)
            )
        }
        for key, info in importer.sources.known.items():
            self.sources[key] = self._source(info.published, info.language)
        self.kinds: dict[str, str] = importer.attributes.kinds()

    def entry(self, record) -> object:
        """A CSV or JSON Lines claim as a ``PreparedClaim`` tuple; any other record as it is (noted if it tells).

        A CSV claim may come as the tuple of its fields, file and line (``readers.read_fields``).
        """
        kind = type(record)
        if kind is tuple:
            source, subject, attribute, value, when, quote = record[:6]
            return (
                *record, stated_fingerprint(source, subject, attribute, value, when, quote),
                self._reading(source, attribute, value, when),
            )
        if kind is ClaimRecord and record.location.record == "claim":
            location = record.location
            return (
                record.source, record.subject, record.attribute, record.value, record.when, record.quote,
                record.attributed_to, record.ref, location.file, location.line, record.fingerprint,
                self._reading(record.source, record.attribute, record.value, record.when),
            )
        if kind is SourceRecord:
            if record.key not in self.sources:  # the first, as the writer keeps
                self.sources[record.key] = self._source(record.published, record.language)
        elif kind is AttributeRecord:
            self.kinds.setdefault(record.name, record.kind)
        return record

    def _source(self, published: PartialDate | None, language: str) -> tuple[PartialDate | None, str]:
        return (published if published is None else self._dates.setdefault(published, published)), language

    def _reading(self, source_key: str, attribute: str, value: str, when: str | None) -> tuple | None:
        source = self.sources.get(source_key)
        if source is None:
            return None
        published, language = source
        try:
            kind = self._kind(attribute, value, published, language)
            return kind, published, language, self.readings.template(value, when, kind, published, language)
        except Exception:  # the writer reads it again, and raises what it raises
            return None

    def _kind(self, attribute: str, value: str, published: PartialDate | None, language: str) -> str:
        """The attribute's kind as ``Attributes.of`` resolves it (inferred from the value for a new one)."""
        kinds = self.kinds
        kind = kinds.get(attribute) or kinds.get(clean_name(attribute))
        if kind is None:
            inferred = read_claim(value, None, None, published, language, self.readings.parts).value.kind
            kind = inferred if inferred in _INFERRED_KINDS else "text"
            kinds[attribute] = kind
        return kind
