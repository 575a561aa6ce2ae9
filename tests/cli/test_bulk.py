"""Bulk imports: JSON Lines and CSV, each kind of bad line, atomicity, idempotency, streaming, progress."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger import readers
from ledger.core.normalise import read_claim
from ledger.core.readings import ATTRIBUTE_KINDS, parse_partial_date
from ledger.db import claim_writer, store
from ledger.db.access import Ledger
from ledger.db.bulk_indexes import set_aside_indexes
from ledger.db.reading_rows import DERIVED_COLUMNS
from ledger.db.store import Importer, reading_row
from ledger.db.write_context import WriteContext
from tests.conftest import ARTICLE, write

SOURCES_JSONL = """\
{"type": "attribute", "name": "price", "kind": "money"}
{"type": "source", "key": "a", "title": "Source A", "outlet": "Outlet A", "published": "2021-09-14"}
{"type": "source", "key": "b", "title": "Source B", "outlet": "Outlet B", "published": 2021}
{"type": "entity", "name": "Wagner Group contract with Mali", "aliases": ["Wagner contract"]}
"""

CLAIMS_CSV = """\
ref,source,subject,attribute,value,when,quote,attributed_to
a1,a,Wagner contract,price,"$10.8 million a month",,,Reuters
b1,b,Wagner contract,price,"€2m a month",2021,"It costs €2m a month.",
,a,Kalashnikov deal,rifles,"3,000",2012,,
"""


def counts(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as connection:
        return {
            table: connection.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("sources", "entities", "aliases", "attributes", "claims", "readings", "conflicts", "journal")
        }


def claims_json(run) -> list[dict]:
    result = run("claims", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    return write(tmp_path / "sources.jsonl", SOURCES_JSONL)


@pytest.fixture
def claims(tmp_path: Path) -> Path:
    return write(tmp_path / "claims.csv", CLAIMS_CSV)


def test_csv_claims_name_sources_of_a_jsonl_file_in_the_same_command(run, sources, claims, db_path):
    result = run("import", str(claims), str(sources))  # CSV first: it is still read after the JSONL
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{claims}: added 0 sources, 1 entity, 1 attribute, 3 claims.",
        f"{sources}: added 2 sources, 1 entity, 1 attribute, 0 claims.",
        "1 new conflict, highest severity 0.770: see it with `ledger conflicts --subject 'Wagner Group contract with Mali'`.",
    ]
    rows = {row["value"]: row for row in claims_json(run)}
    assert rows["3,000"]["attribute"] == "rifles" and (rows["3,000"]["low"], rows["3,000"]["when"]) == (3000, "2012")
    assert rows["$10.8 million a month"]["subject"] == "Wagner Group contract with Mali"  # via the alias
    assert rows["$10.8 million a month"]["attributed_to"] == "Reuters"
    assert rows["€2m a month"]["quote"] == "It costs €2m a month." and rows["€2m a month"]["when"] == "2021"
    assert counts(db_path)["readings"] == 3
    assert run("verify").exit_code == 0


def test_jsonl_holds_every_record_type_and_reads_text_files_beside_it(run, tmp_path, db_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write(folder / "article.txt", ARTICLE)
    path = write(folder / "all.jsonl", """\
        {"type": "source", "key": "art", "title": "Mercenaries", "published": "2021-09-14", "text_file": "article.txt"}
        {"type": "attribute", "name": "rifles_purchased", "kind": "quantity", "timeless": true}

        {"type": "claim", "ref": "rifles", "source": "art", "subject": "Kalashnikov deal", "attribute": "rifles_purchased", "value": "3,000", "when": 2012, "quote": "In 2012 Mali bought 3,000 Kalashnikov weapons"}
    """)
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert "added 1 source, 1 entity, 1 attribute, 1 claim" in result.stdout
    [row] = claims_json(run)
    assert (row["ref"], row["when"], row["low"]) == ("rifles", "2012", 3000)  # a JSON number stays the text written


def test_reimport_adds_nothing(run, sources, claims, db_path):
    assert run("import", str(sources), str(claims)).exit_code == 0
    before = counts(db_path)
    again = run("import", str(sources), str(claims))
    assert again.exit_code == 0, again.output
    assert f"{claims}: nothing new (3 claims already recorded)." in again.stdout
    assert counts(db_path) == before


BAD_JSONL = [
    # (what is wrong, line written as line 2, expected message after "bad.jsonl:2: ")
    ("not JSON", '{"type": "source", "key": "x",', "not valid JSON"),
    ("not an object", '["source", "x"]', "expected a JSON object"),
    ("unknown type", '{"type": "article", "key": "x"}', "unknown type 'article'; expected one of: source, entity, attribute, claim"),
    ("no type", '{"key": "x"}', 'no "type"'),
    ("type not text", '{"type": ["claim"]}', "unknown type ['claim']"),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, "nesting too deep"),
    ("lone surrogate", '{"type": "entity", "name": "\\ud800"}', "'\\ud800' is half of a UTF-16 surrogate pair"),
    ("unknown field", '{"type": "source", "key": "x", "title": "X", "titel": "Y"}', "source: unknown field 'titel'"),
    ("field twice", '{"type": "source", "key": "x", "key": "y"}', "field 'key' is given twice"),
    ("missing field", '{"type": "claim", "source": "a", "subject": "S", "attribute": "p"}', "claim.value: is required"),
    ("list for text", '{"type": "claim", "source": "a", "subject": "S", "attribute": "p", "value": ["1", "2"]}',
     "claim.value: must be a single value (text), not a list or mapping"),
    ("flag as text", '{"type": "attribute", "name": "p", "kind": "money", "timeless": "yes"}', "attribute.timeless: must be true or false"),
    ("bad kind", '{"type": "attribute", "name": "p", "kind": "currency"}', "attribute.kind: 'currency' is not a kind"),
    ("bad date", '{"type": "source", "key": "x", "title": "X", "published": "2021-02-30"}', "source.published: '2021-02-30' is not a real date"),
    ("aliases not a list", '{"type": "entity", "name": "W", "aliases": "Wagner"}', "entity.aliases: must be a list of names"),
    ("unknown source", '{"type": "claim", "source": "nowhere", "subject": "S", "attribute": "p", "value": "3"}',
     "claim.source: unknown source 'nowhere'"),
    ("missing text file", '{"type": "source", "key": "x", "title": "X", "text_file": "missing.txt"}', "source.text_file:"),
]


@pytest.mark.parametrize("problem, line, message", BAD_JSONL, ids=[b[0] for b in BAD_JSONL])
def test_bad_jsonl_line_is_named_by_file_and_line(run, tmp_path, db_path, problem, line, message):
    path = write(tmp_path / "bad.jsonl", '{"type": "source", "key": "ok", "title": "OK"}\n' + line + "\n")
    before = counts(db_path)
    result = run("import", str(path))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {path}:2: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert counts(db_path) == before


BAD_CSV = [
    # (what is wrong, file text, line named, expected message)
    ("unknown column", "source,subject,attribute,value,colour\n", 1, "unknown column 'colour'"),
    ("missing column", "source,subject,value\n", 1, "missing column 'attribute'"),
    ("column twice", "source,subject,attribute,value,value\n", 1, "column 'value' appears twice"),
    ("cell count", "source,subject,attribute,value\nb,S,p,3\nb,S,p,4,5\n", 3, "claim has 5 cells but the header has 4"),
    ("empty required cell", "source,subject,attribute,value\nb,S,p,3\nb,S,p,\n", 3, "claim.value: is required"),
    ("blank required cell", "source,subject,attribute,value\nb, ,p,3\n", 2, "claim.subject: must not be empty"),
    ("unknown source", "source,subject,attribute,value\nb,S,p,3\nnowhere,S,p,4\n", 3, "claim.source: unknown source 'nowhere'"),
    ("quoted cell over lines", 'source,subject,attribute,value,quote\nb,S,p,3,"two\nlines"\nb,S,p,,\n', 4, "claim.value: is required"),
    ("overlong cell", "source,subject,attribute,value,quote\nb,S,p,3," + "x" * 200_000 + "\nb,S,p,3," + "y" * 1_000_001 + "\n",
     3, "claim.quote: is longer than 1,000,000 characters"),
]


@pytest.mark.parametrize("problem, text, line, message", BAD_CSV, ids=[b[0] for b in BAD_CSV])
def test_bad_csv_line_is_named_by_file_and_line(run, sources, tmp_path, db_path, problem, text, line, message):
    assert run("import", str(sources)).exit_code == 0
    path = write(tmp_path / "bad.csv", text)
    before = counts(db_path)
    result = run("import", str(path))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {path}:{line}: "), result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert counts(db_path) == before


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_invalid_utf8_is_named_by_line(run, sources, tmp_path, db_path, suffix):
    assert run("import", str(sources)).exit_code == 0
    head = b"source,subject,attribute,value\nb,S,p,3\n" if suffix == ".csv" else b'{"type": "entity", "name": "E"}\n'
    path = tmp_path / f"latin1{suffix}"
    path.write_bytes(head + "b,Ségou,p,4\n".encode("latin-1"))
    result = run("import", str(path))
    assert result.exit_code == 1
    assert f"{path}:{3 if suffix == '.csv' else 2}: byte 4 of the line is not UTF-8" in result.stderr


def test_a_bad_last_line_leaves_the_ledger_unchanged(run, sources, tmp_path, db_path, monkeypatch):
    monkeypatch.setattr(store, "BATCH", 2)  # several batches are written (and journalled) before the bad line
    assert run("import", str(sources)).exit_code == 0
    before = counts(db_path)
    rows = "".join(f"b,Subject {i},troops,{i}\n" for i in range(1, 8))
    path = write(tmp_path / "claims.csv", "source,subject,attribute,value\n" + rows + "nowhere,S,troops,1\n")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "claims.csv:9: claim.source: unknown source 'nowhere'" in result.stderr
    assert counts(db_path) == before


@pytest.mark.parametrize("with_refs", [False, True])
def test_a_bulk_load_builds_the_fingerprint_index_when_a_lookup_first_needs_it(
    run, sources, tmp_path, db_path, monkeypatch, with_refs
):
    """Claims without refs are looked up by fingerprint (a claim of an earlier batch met again is known); with
    refs, the index is only built with the others, after the load."""
    built_while_loading = []
    readable = WriteContext.readable

    def spy(context, index):
        built_while_loading.append(index in context.set_aside)
        readable(context, index)

    monkeypatch.setattr(WriteContext, "readable", spy)
    monkeypatch.setattr(store, "BATCH", 2)
    rows = [f"{'ab'[i % 2]},Subject {i % 3},troops,{i}" for i in range(1, 8)]
    rows.append(rows[0])  # the first claim again, in the last batch
    refs = [f"r{i}," if with_refs else "," for i in range(len(rows))]  # with refs, the last claim is another one
    path = write(tmp_path / "c.csv", "ref,source,subject,attribute,value\n" + "".join(
        f"{ref}{row}\n" for ref, row in zip(refs, rows)))
    result = run("import", str(sources), str(path))
    assert result.exit_code == 0, result.output
    added = "8 claims." if with_refs else "7 claims; 1 already recorded."
    assert f"{path}: added 0 sources, 3 entities, 1 attribute, {added}" in result.stdout
    assert any(built_while_loading) is not with_refs
    assert run("verify").exit_code == 0


def test_a_ref_repeated_in_another_batch_of_the_file_is_refused(run, sources, tmp_path, monkeypatch):
    monkeypatch.setattr(store, "BATCH", 2)
    path = write(tmp_path / "claims.csv", "ref,source,subject,attribute,value\nr1,b,S,p,1\nr2,b,S,p,2\nr1,b,S,p,1\n")
    result = run("import", str(sources), str(path))
    assert result.exit_code == 1
    assert "claims.csv:4: claim.ref: ref 'r1' is used twice" in result.stderr


def test_batches_and_set_based_conflict_refresh_agree_with_one_small_import(run, tmp_path, monkeypatch):
    """The same claims give the same conflicts whatever the batch size or the refresh path."""
    sources = write(tmp_path / "s.jsonl", "".join(
        f'{{"type": "source", "key": "s{i}", "title": "S{i}", "published": "2020-0{i}-01"}}\n' for i in range(1, 7)
    ))
    values = ["3,000", "about 3,000", "6,000", "more than 2,700", "nearly 1,000", "3,100"]
    rows = "".join(f"s{i},Deal {d},troops,\"{v}\",2020\n" for d in range(3) for i, v in enumerate(values, 1))
    claims = write(tmp_path / "c.csv", "source,subject,attribute,value,when\n" + rows)

    def conflicts_after_import(db: str) -> list:
        assert run("--db", db, "init").exit_code == 0
        assert run("--db", db, "import", str(sources), str(claims)).exit_code == 0
        return json.loads(run("--db", db, "conflicts", "--format", "json").stdout)

    expected = conflicts_after_import(str(tmp_path / "one.db"))
    assert len(expected) > 3
    monkeypatch.setattr(store, "BATCH", 4)
    monkeypatch.setattr(claim_writer, "MAX_TRACKED_GROUPS", 1)  # an empty ledger: one full streaming sweep
    assert conflicts_after_import(str(tmp_path / "sweep.db")) == expected
    # Into a ledger that already has claims: groups of the new claims, named by a subquery.
    db = str(tmp_path / "since.db")
    assert run("--db", db, "init").exit_code == 0
    first = write(tmp_path / "first.csv", "source,subject,attribute,value,when\n" + rows.split("\n", 1)[0] + "\n")
    assert run("--db", db, "import", str(sources), str(first)).exit_code == 0
    assert run("--db", db, "import", str(claims)).exit_code == 0
    assert json.loads(run("--db", db, "conflicts", "--format", "json").stdout) == expected
    assert run("--db", db, "verify").exit_code == 0
    # Few groups into a ledger that already has claims: the touched groups, listed (a fresh import sweeps all).
    monkeypatch.setattr(claim_writer, "MAX_TRACKED_GROUPS", 50_000)
    db = str(tmp_path / "listed.db")
    assert run("--db", db, "init").exit_code == 0
    assert run("--db", db, "import", str(sources), str(first)).exit_code == 0
    assert run("--db", db, "import", str(claims)).exit_code == 0
    assert json.loads(run("--db", db, "conflicts", "--format", "json").stdout) == expected


def test_unknown_extension_is_a_usage_error(run, tmp_path):
    path = write(tmp_path / "claims.txt", "")
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "cannot tell the file type from '.txt'" in result.stderr


def test_no_progress_bar_when_stderr_is_piped(run, sources, claims):
    result = run("import", str(sources), str(claims))
    assert result.exit_code == 0
    assert result.stderr == ""


def test_progress_bar_on_a_terminal(run, sources, claims, monkeypatch):
    monkeypatch.setattr("ledger.cli.imports._stderr_is_terminal", lambda: True)
    result = run("import", str(sources), str(claims))
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr and "Updating conflicts" in result.stderr
    assert result.stdout.count("added") == 2  # the summary stays on stdout


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_records_are_yielded_before_the_file_is_read_to_its_end(tmp_path, suffix):
    """A FIFO stands in for a huge file: its end is only written after the first record came out."""
    path = tmp_path / f"stream{suffix}"
    os.mkfifo(path)
    first_read = threading.Event()
    rest_written: list[bool] = []
    if suffix == ".csv":
        head, line = "source,subject,attribute,value\n", "b,S,p,{}\n"
    else:
        head, line = "", '{{"type": "claim", "source": "b", "subject": "S", "attribute": "p", "value": "{}"}}\n'

    def writer():
        with open(path, "w", encoding="utf-8") as fifo:
            fifo.write(head + line.format(1))
            fifo.flush()
            first_read.wait(timeout=5)
            fifo.write("".join(line.format(i) for i in range(2, 1000)))
            rest_written.append(True)

    thread = threading.Thread(target=writer)
    thread.start()
    records = readers.read_records(path)
    first = next(records)
    streamed = not rest_written
    first_read.set()
    values = [first.value] + [r.value for r in records]
    thread.join()
    assert streamed, "the reader waited for the whole file before yielding"
    assert values == [str(i) for i in range(1, 1000)]


def test_import_consumes_a_stream_a_batch_at_a_time(db_path, monkeypatch):
    """The importer writes batch after batch while the stream is still being produced."""
    monkeypatch.setattr(store, "BATCH", 10)
    from ledger.core.records import ClaimRecord, SourceRecord

    produced = 0

    def stream():
        nonlocal produced
        yield SourceRecord("s", "S", published=parse_partial_date("2021"))
        for i in range(50):
            produced += 1
            yield ClaimRecord("s", f"Subject {i}", "troops", str(i + 1))

    ledger = Ledger(str(db_path))
    with ledger.write() as session:
        importer = Importer(session, "test")
        seen = []
        original = importer._write_batch
        monkeypatch.setattr(importer, "_write_batch", lambda records, sid: (seen.append(produced), original(records, sid)))
        report = importer.feed(stream())
        importer.finish()
    assert report.claims_added == 50
    assert seen == [10, 20, 30, 40, 50]


PHRASES = [
    ("quantity", "about 3,000"), ("quantity", "several thousand"), ("quantity", "nearly 5,000 troops"),
    ("quantity", "a great many"), ("quantity", "3.500"), ("money", "$10.8 million a month"),
    ("money", "6 billion CFA francs (about 10 million dollars)"), ("money", "more than € 1 million"),
    ("money", "£300,000 per year"), ("money", "5 million"), ("text", "Col. Assimi Goïta"),
    ("date", "late October"), ("date", "March 2021"), (None, "3,000"), (None, "mid-2019"),
    ("time", "2:57 PM"), ("time", "Dec 01 14:07"), ("time", "2011-12-01 9:45 a.m."), ("identifier", "B12"),
]
WHENS = [None, "2012", "mid-2019", "last May", "two years ago", "the Tuesday after the storm", "17.09.2021"]
PUBLISHED = [None, "2019", "2019-07", "2021-09-14"]


def test_cached_readings_equal_read_claim(db_path):
    """The importer's readings (cached in parts) are exactly ``reading_row(read_claim(...))``."""
    ledger = Ledger(str(db_path))
    with ledger.read() as session:
        importer = Importer(session, "test")
        for kind, value in [(k, v) for k, v in PHRASES if k is None or k in ATTRIBUTE_KINDS]:
            for when in WHENS:
                for published_text in PUBLISHED:
                    for language in ("en", "de"):
                        published = parse_partial_date(published_text) if published_text else None
                        reading = read_claim(value, when, kind, published, language)
                        row = reading_row(reading, None)
                        expected = tuple(importer.claims.reading_inserts.value(name, row[name]) for name in DERIVED_COLUMNS)
                        for _ in range(2):  # computed, then from the cache
                            template, warnings = importer.claims.readings.template(value, when, kind, published, language)
                            assert (template, warnings) == (expected, tuple(reading.field_warnings)), (value, when, published)


def test_a_reading_is_assembled_from_pieces_made_once_whatever_the_publication_date(db_path):
    """Claims stating the same phrases from sources published on other days share the value's stored piece and
    the stated time's (``test_cached_readings_equal_read_claim`` holds every such row equal to a fresh one)."""
    ledger = Ledger(str(db_path))
    with ledger.read() as session:
        readings = Importer(session, "test").claims.readings
        built = []
        for memo in (readings._value_pieces, readings._stated_pieces):
            original = memo._build
            memo._build = lambda part, original=original: (built.append(part), original(part))[1]
        rows = {readings.template("$10.8 million", "2012", "money", parse_partial_date(published), "en")
                for published in PUBLISHED[1:]}
        assert len(rows) == 1 and len(built) == 2  # one value piece, one time piece
        other_days = readings.template("$10.8 million", None, "money", parse_partial_date("2019"), "en")
        assert other_days not in rows and len(built) == 2  # another row, from the same value piece


TRICKY = ["plain", "Ségou — “quoted” \"and\" \\slashes\\", "tab\tnew\nline\x01\u2028", "", "日本語", "😀 emoji"]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_fingerprints_and_digests_equal_the_definitions(text):
    from ledger.core.digests import fields_digest
    from ledger.core.records import ClaimRecord
    from ledger.db.claim_writer import _DIGESTED, CLAIM_ROW
    from ledger.db.journal import CLAIM_FIELDS, canonical, claim_digest, sha256

    for record in (ClaimRecord(text, "S", "a", text, None, None), ClaimRecord("s", text, text, "v", text, text, ref="r")):
        stated = [record.source, record.subject, record.attribute, record.value, record.when, record.quote]
        assert record.fingerprint == hashlib.sha256(json.dumps(stated, ensure_ascii=False).encode()).hexdigest()
    row = (7, text or None, "f" * 64, 3, 5, text, 2, text, None, text, None, "active", "2026-01-01 00:00:00", 12)
    named = dict(zip(CLAIM_ROW, row))
    assert fields_digest(_DIGESTED(row)) == claim_digest(type("Row", (), {k: named[k] for k in CLAIM_FIELDS}))
    assert claim_digest(type("Row", (), {k: named[k] for k in CLAIM_FIELDS})) == sha256(canonical([named[k] for k in CLAIM_FIELDS]))


@given(
    texts=st.lists(st.one_of(st.none(), st.text()), min_size=6, max_size=6),
    ids=st.tuples(st.integers(0, 2**63), st.integers(0, 2**31), st.integers(0, 2**31)),
    supersedes_id=st.one_of(st.none(), st.integers(1, 2**40)),
)
def test_claim_digests_write_what_the_canonical_encoder_writes(texts, ids, supersedes_id):
    """The writer's one-format claim digests are ``claim_digest``'s, for any text (and refs or times left out)."""
    from ledger.db.claim_writer import CLAIM_ROW, claim_digests
    from ledger.db.journal import CLAIM_FIELDS, claim_digest

    ref, subject, value, when, quote, attributed_to = texts
    claim_id, source_id, attribute_id = ids
    row = (claim_id, ref, "0f" * 32, source_id, 9, subject or "", attribute_id, value or "", when, quote, attributed_to,
           "active", "2026-01-01 00:00:00.000000", supersedes_id, 4)
    named = dict(zip(CLAIM_ROW, row))
    assert claim_digests([row]) == [claim_digest(type("Row", (), {k: named[k] for k in CLAIM_FIELDS}))]


def test_claim_digests_of_values_that_are_not_text_fall_back_to_the_encoder():
    from ledger.core.digests import fields_digest
    from ledger.db.claim_writer import _DIGESTED, claim_digests

    rows = [(1, "r", "f" * 64, 2, 3, "s", 4, "v", None, None, None, "active", "t", None, 5),
            (2, 17, "f" * 64, 2, 3, "s", 4, 2.5, None, None, None, "active", "t", 1, 5)]
    assert claim_digests(rows) == [fields_digest(_DIGESTED(row)) for row in rows]


def test_bulk_import_on_every_engine(run_any, sources, claims, tmp_path, monkeypatch):
    """SQLite numbers ids itself; other engines take them from RETURNING: same result, same journal."""
    monkeypatch.setattr(store, "BATCH", 2)
    result = run_any("import", str(sources), str(claims))
    assert result.exit_code == 0, result.output
    assert f"{claims}: added 0 sources, 1 entity, 1 attribute, 3 claims." in result.stdout
    rows = json.loads(run_any("claims", "--format", "json").stdout)
    assert sorted((r["value"], r["low"]) for r in rows) == [
        ("$10.8 million a month", 10750000), ("3,000", 3000), ("€2m a month", 2000000)
    ]
    assert run_any("import", str(sources), str(claims)).stdout.count("nothing new") == 2
    assert run_any("verify").exit_code == 0


def test_a_bulk_load_into_an_empty_ledger_leaves_every_index_as_defined(run, sources, tmp_path, db_path, monkeypatch):
    """The indexes set aside while loading come back as they were; a failed load leaves them too."""
    def indexes() -> list[tuple]:
        with sqlite3.connect(db_path) as connection:
            return sorted(connection.execute("select name, tbl_name, sql from sqlite_master where type = 'index'"))

    set_aside = []

    def spy(connection, table):
        dropped = set_aside_indexes(connection, table)
        set_aside.extend(name for name, _ in dropped)
        return dropped

    before = indexes()
    monkeypatch.setattr(store, "set_aside_indexes", spy)
    monkeypatch.setattr(store, "BATCH", 2)
    rows = "".join(f"{'ab'[i % 2]},Subject {i % 3},troops,{i}\n" for i in range(1, 8))
    bad = write(tmp_path / "bad.csv", "source,subject,attribute,value\n" + rows + "nowhere,S,troops,1\n")
    assert run("import", str(sources), str(bad)).exit_code == 1
    assert indexes() == before
    good = write(tmp_path / "good.csv", "source,subject,attribute,value\n" + rows)
    assert run("import", str(sources), str(good)).exit_code == 0
    assert indexes() == before
    assert {"ix_claims_entity_attribute", "ix_stored_conflicts_severity"} <= set(set_aside)
    assert "ix_claims_fingerprint_prefix" in set_aside  # built when a duplicate lookup first reads it
    assert counts(db_path)["conflicts"] > 0
    assert run("verify").exit_code == 0
