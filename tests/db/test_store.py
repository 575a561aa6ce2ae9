"""The write path without the CLI: dedup, quote checks, warnings as records, strict refusal, atomicity."""

from __future__ import annotations

import gc
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from ledger import service
from ledger.core.errors import InvalidClaimFile, QuoteNotFound, UnknownSource, UnreadValues
from ledger.core.readings import parse_partial_date
from ledger.core.records import AttributeRecord, ClaimRecord, Location, SourceRecord
from ledger.db import access, store
from ledger.db.access import Ledger
from ledger.db.bulk_keys import BrokenKey, check_every_key
from ledger.db.dedup import WrittenClaims
from ledger.db.import_report import UNREAD, VALUE_NOT_IN_QUOTE, ImportReport, ImportWarning, refuse_unread
from ledger.db.models import Claim, JournalEntry, Reading, Source
from ledger.db.store import Importer, import_records

TEXT = "In 2012 Mali bought 3,000 Kalashnikov weapons for more than € 1 million."
PUBLISHED = parse_partial_date("2021-09-14")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """One migrated ledger per module, copied for each test (migrations are the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    ledger = Ledger(str(path), create=True)
    ledger.init()
    ledger.close()
    with sqlite3.connect(path) as connection:  # everything into the one file that is copied
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@pytest.fixture
def ledger(template, tmp_path) -> Ledger:
    path = tmp_path / "test.db"
    shutil.copyfile(template, path)
    return Ledger(str(path))


def source(key: str = "s", text: str | None = None) -> SourceRecord:
    return SourceRecord(key, f"Title {key}", published=PUBLISHED, text=text)


def claim(value: str = "3,000", **fields) -> ClaimRecord:
    fields = {"source": "s", "subject": "Kalashnikov deal", "attribute": "rifles", **fields}
    return ClaimRecord(value=value, **fields)


def feed(ledger: Ledger, *records) -> ImportReport:
    with ledger.write() as session:
        return import_records(session, iter(records), "test")


def count(ledger: Ledger, column) -> int:
    with ledger.read() as session:
        return session.execute(select(func.count(column))).scalar()


def test_a_claim_with_a_known_ref_is_skipped(ledger):
    first = feed(ledger, source(), claim(ref="r1"))
    again = feed(ledger, source(), claim(ref="r1"))
    assert (first.claims_added, first.sources_added) == (1, 1)
    assert (again.claims_added, again.claims_known, again.changed) == (0, 1, False)
    assert count(ledger, Claim.id) == 1


def test_a_known_ref_with_other_content_is_refused_naming_the_corrections(ledger):
    feed(ledger, source(), claim(ref="r1"))
    with pytest.raises(InvalidClaimFile, match=r"claim 'r1' is already in the ledger with different content") as refused:
        feed(ledger, claim("3,500", ref="r1"))
    assert (refused.value.hint, refused.value.hint_args) == ("correct", {"ref": "r1"})


def test_a_ref_met_again_in_a_later_batch_of_the_same_stream_is_refused(ledger, monkeypatch):
    monkeypatch.setattr(store, "BATCH", 1)
    with pytest.raises(InvalidClaimFile, match=r"ref 'r1' is used twice \(first as claim 1, earlier in this file\)"):
        feed(ledger, source(), claim(ref="r1"), claim("4,000", ref="r1"))
    assert count(ledger, Claim.id) == 0


def test_claims_repeated_in_later_batches_of_an_import_into_an_empty_ledger_are_known(ledger, monkeypatch):
    monkeypatch.setattr(store, "BATCH", 1)  # each claim its own batch: only what this import wrote can be known
    report = feed(ledger, source(), claim(), claim("4,000"), claim(ref="r9"), claim(), claim("4,000"))
    assert (report.claims_added, report.claims_known) == (3, 2)


def test_written_claims_hold_whatever_was_added():
    written = WrittenClaims()
    added = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(20_000)] + [f"ref-{i}" for i in range(1_000)]
    written.add(added)
    assert all(map(written.may_hold, added))
    others = [hashlib.sha256(f"other {i}".encode()).hexdigest() for i in range(20_000)]
    assert sum(map(written.may_hold, others)) < 20  # a few false positives at most: those are looked up


def test_claims_without_ref_are_identified_by_what_they_state(ledger):
    report = feed(ledger, source(), claim(), claim(), claim(when="2012"))
    assert (report.claims_added, report.claims_known) == (2, 1)
    again = feed(ledger, claim(), claim(subject="Kalashnikov Deal"))  # the subject as written is stated content
    assert (again.claims_added, again.claims_known) == (1, 1)


def test_a_quote_must_occur_in_the_source_text(ledger):
    with pytest.raises(QuoteNotFound, match=r"claim.quote: not found in source 's'; nearest passage: "):
        feed(ledger, source(text=TEXT), claim(quote="In 2013 Mali bought 3,000 rifles"))
    with pytest.raises(QuoteNotFound, match=r"source 's' has text, so the claim needs the exact quote"):
        feed(ledger, source(text=TEXT), claim())
    assert count(ledger, Source.id) == 0


def test_a_value_missing_from_its_quote_is_a_warning_record(ledger):
    report = feed(ledger, source(text=TEXT), claim("three thousand", quote="Mali bought 3,000 Kalashnikov weapons"))
    assert report.claims_added == 1
    assert report.warnings == [ImportWarning(
        Location("command line", "claim"), "value", VALUE_NOT_IN_QUOTE, "'three thousand' does not appear in the quote"
    )]
    assert str(report.warnings[0]) == "command line: claim.value: 'three thousand' does not appear in the quote"
    assert report.unread == 0


def test_an_unread_value_is_kept_as_stated_and_reported_as_a_record(ledger):
    troops = AttributeRecord("troops", "quantity")  # an attribute met first in a claim would be read as text
    report = feed(ledger, source(), troops, claim("a great many", attribute="troops"), claim("3,000", attribute="troops"))
    [warning] = report.warnings
    assert (warning.field, warning.code, report.unread) == ("value", UNREAD, 1)
    assert str(warning).startswith("command line: claim.value: could not read 'a great many'")
    assert str(warning).endswith("(kept as stated)")
    with ledger.read() as session:
        kinds = session.execute(select(Claim.value, Reading.kind).join(Reading).order_by(Claim.id)).all()
    assert [tuple(row) for row in kinds] == [("a great many", "unparsed"), ("3,000", "quantity")]


def test_warnings_beyond_the_limit_are_counted(monkeypatch):
    monkeypatch.setattr("ledger.db.import_report.MAX_WARNINGS", 2)
    report = ImportReport()
    for _ in range(5):
        report.warn(ImportWarning(Location("f.csv", "claim", 3), "value", UNREAD, "could not read 'x' (kept as stated)"))
    assert (len(report.warnings), report.warnings_omitted, report.unread) == (2, 3, 5)


def test_refuse_unread_names_the_first_and_counts_the_rest():
    quiet, unread = ImportReport(), ImportReport()
    refuse_unread([quiet])  # nothing unread: no refusal
    unread.warn(ImportWarning(Location("a.csv", "claim", 2), "value", VALUE_NOT_IN_QUOTE, "'3' does not appear"))
    for line in (4, 9):
        unread.warn(ImportWarning(Location("a.csv", "claim", line), "value", UNREAD, "could not read 'x'"))
    with pytest.raises(UnreadValues) as raised:
        refuse_unread([quiet, unread])
    assert str(raised.value) == "a.csv:4: claim.value: could not read 'x' (and 1 more); nothing was imported"


def test_strict_add_claim_writes_nothing(ledger):
    feed(ledger, source(), AttributeRecord("troops", "quantity"))
    with pytest.raises(UnreadValues, match="could not read 'a great many'"):
        service.add_claim(ledger, claim("a great many", attribute="troops"), actor="test", strict=True)
    assert count(ledger, Claim.id) == 0
    report = service.add_claim(ledger, claim("a great many", attribute="troops"), actor="test")
    assert (report.claims_added, report.unread) == (1, 1)


def test_strict_import_files_writes_nothing(ledger, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("source,subject,attribute,value\ns,Deal,troops,3000\ns,Deal,troops,a great many\n")
    feed(ledger, source(), AttributeRecord("troops", "quantity"))
    journal = count(ledger, JournalEntry.seq)
    with pytest.raises(UnreadValues, match=r"c.csv:3: claim.value: could not read 'a great many'"):
        service.import_files(ledger, [path], actor="test", strict=True)
    assert (count(ledger, Claim.id), count(ledger, JournalEntry.seq)) == (0, journal)


def test_import_files_is_all_or_nothing(ledger, tmp_path):
    """A bad record in the last file leaves no trace of the files before it (sources, claims, journal)."""
    good = tmp_path / "a.jsonl"
    good.write_text('{"type": "source", "key": "a", "title": "A"}\n'
                    '{"type": "claim", "source": "a", "subject": "S", "attribute": "troops", "value": "5"}\n')
    bad = tmp_path / "b.csv"
    bad.write_text("source,subject,attribute,value\na,S,troops,6\nnowhere,S,troops,7\n")
    with pytest.raises(UnknownSource, match=r"b.csv:3: claim.source: unknown source 'nowhere'"):
        service.import_files(ledger, [bad, good], actor="test")
    assert (count(ledger, Source.id), count(ledger, Claim.id), count(ledger, JournalEntry.seq)) == (0, 0, 0)


def keys_checked(session) -> bool:
    return session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize("holding", [False, True], ids=["into an empty ledger", "into a ledger holding a claim"])
def test_an_import_into_an_empty_ledger_checks_keys_once_before_its_commit(ledger, tmp_path, monkeypatch, holding):
    """Keys checked row by row into a ledger holding claims, once for every row into an empty one; either way
    the connection goes back to the pool checking them row by row."""
    if holding:
        feed(ledger, source("b"), claim(source="b"))
    claims = tmp_path / "c.csv"
    claims.write_text("source,subject,attribute,value\na,S,troops,6\n")
    sources = tmp_path / "s.jsonl"
    sources.write_text('{"type": "source", "key": "a", "title": "A"}\n')
    row_by_row, once = [], []
    feed_records = Importer.feed
    monkeypatch.setattr(Importer, "feed", lambda importer, records: (
        row_by_row.append(keys_checked(importer.session)), feed_records(importer, records))[1])
    monkeypatch.setattr(access, "check_every_key", lambda connection: (once.append(True), check_every_key(connection)))
    service.import_files(ledger, [sources, claims], actor="test")
    assert row_by_row == [holding, holding] and once == ([] if holding else [True])
    assert count(ledger, Claim.id) == 1 + holding
    with ledger.write() as session:
        assert keys_checked(session)


def test_a_key_broken_while_keys_are_checked_once_rolls_everything_back(ledger):
    with pytest.raises(BrokenKey, match=r"^row 1 of claims points to no row of sources: nothing was written"):
        with ledger.write(keys_checked_once=True) as session:
            import_records(session, iter([source(), claim()]), "test")
            session.execute(update(Claim).values(source_id=999))
    assert (count(ledger, Source.id), count(ledger, Claim.id), count(ledger, JournalEntry.seq)) == (0, 0, 0)


@pytest.mark.parametrize("collecting", [True, False])
def test_import_files_runs_without_the_cycle_collector_and_leaves_it_as_it_was(ledger, tmp_path, monkeypatch,
                                                                                collecting):
    claims = tmp_path / "a.jsonl"
    claims.write_text('{"type": "source", "key": "a", "title": "A"}\n'
                      '{"type": "claim", "source": "a", "subject": "S", "attribute": "troops", "value": "5"}\n')
    seen, feed = [], Importer.feed
    monkeypatch.setattr(Importer, "feed",
                        lambda importer, records: (seen.append(gc.isenabled()), feed(importer, records))[1])
    (gc.enable if collecting else gc.disable)()
    try:
        service.import_files(ledger, [claims], actor="test")
        assert seen == [False] and gc.isenabled() == collecting
    finally:
        gc.enable()
    assert count(ledger, Claim.id) == 1


def test_import_files_refuses_an_unknown_type_before_reading_anything(ledger, tmp_path):
    with pytest.raises(InvalidClaimFile, match=r"cannot tell the file type from '.txt'"):
        service.import_files(ledger, [tmp_path / "a.jsonl", tmp_path / "b.txt"], actor="test")


def test_import_files_reports_each_file_in_the_order_given(ledger, tmp_path):
    claims = tmp_path / "c.csv"
    claims.write_text("source,subject,attribute,value\na,S,troops,6\n")
    sources = tmp_path / "s.jsonl"
    sources.write_text('{"type": "source", "key": "a", "title": "A"}\n')
    finished = []
    reports = service.import_files(ledger, [claims, sources], actor="test", finishing=lambda: finished.append(True))
    assert list(reports) == [claims, sources] and finished == [True]
    assert (reports[sources].sources_added, reports[claims].claims_added) == (1, 1)


def test_an_importer_reports_each_stream_apart(ledger):
    with ledger.write() as session:
        importer = Importer(session, "test")
        first = importer.feed([source(), claim()])
        second = importer.feed([claim(), claim("4,000")])
        importer.finish()
    assert (first.claims_added, second.claims_added, second.claims_known) == (1, 1, 1)
    assert second.added_claim_ids == [2]
