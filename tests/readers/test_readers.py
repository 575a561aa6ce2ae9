"""The claim readers on their own: field rules, each format's records and errors, dispatch, progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import readers
from ledger.core.errors import InvalidClaimFile
from ledger.core.readings import PartialDate
from ledger.core.records import AttributeRecord, ClaimRecord, EntityRecord, Location, SourceRecord
from ledger.readers.csv_file import (
    CSV_COLUMNS, CSV_REQUIRED, STATED_FIELDS, _fields_of, read_csv, read_csv_fields, row_claim,
)
from ledger.readers.fields import CheckedFields, DictFields, attribute_record, claim_record, passes_text_checks
from ledger.readers.jsonl import read_jsonl
from ledger.readers.yaml_file import load_claim_file

HERE = Location("f.jsonl", "claim", 7)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_fields_are_stripped_and_blank_means_absent():
    fields = DictFields({"source": " s ", "subject": "S", "attribute": "a", "value": "5", "quote": "  "}, HERE)
    assert claim_record(fields) == ClaimRecord("s", "S", "a", "5", location=HERE)


@pytest.mark.parametrize("fields, message", [
    ({"subject": "S", "attribute": "a", "value": "5"}, "f.jsonl:7: claim.source: is required"),
    ({"source": " ", "subject": "S", "attribute": "a", "value": "5"}, "f.jsonl:7: claim.source: must not be empty"),
    ({"source": True, "subject": "S", "attribute": "a", "value": "5"},
     "f.jsonl:7: claim.source: must be text, not true; put it in quotes"),
    ({"source": ["s"], "subject": "S", "attribute": "a", "value": "5"},
     "f.jsonl:7: claim.source: must be a single value (text), not a list or mapping"),
])
def test_bad_claim_fields_name_file_line_and_field(fields, message):
    with pytest.raises(InvalidClaimFile) as raised:
        claim_record(DictFields(fields, HERE))
    assert str(raised.value) == message


def test_unknown_fields_and_kinds_are_refused():
    with pytest.raises(InvalidClaimFile, match=r"f.jsonl:7: claim: unknown field 'colour'; expected one of: a, b"):
        DictFields({"colour": "red"}, HERE, {"a", "b"})
    with pytest.raises(InvalidClaimFile, match=r"claim.kind: 'colour' is not a kind; use one of quantity, money"):
        attribute_record(DictFields({"name": "n", "kind": "colour"}, HERE))
    with pytest.raises(InvalidClaimFile, match=r"claim.timeless: must be true or false"):
        attribute_record(DictFields({"name": "n", "kind": "date", "timeless": "yes"}, HERE))


@pytest.mark.parametrize("kind, written, stored", [
    ("quantity", "5%", "5%"), ("money", " 2.50 % ", "2.5%"), ("date", "3 days", "3d"), ("time", "10min", "10min"),
    ("quantity", "0", ""), ("date", "0", ""), ("text", "0", ""),  # zero, stated: clears a stored tolerance
    ("quantity", None, None),  # not stated: leaves it
])
def test_attribute_tolerance_is_kept_as_stored(kind, written, stored):
    fields = {"name": "n", "kind": kind} | ({} if written is None else {"tolerance": written})
    assert attribute_record(DictFields(fields, HERE)).tolerance == stored


@pytest.mark.parametrize("kind, written, message", [
    ("quantity", "3d", "claim.tolerance: tolerance '3d': a quantity attribute takes a percentage such as 5%"),
    ("date", "5%", "claim.tolerance: tolerance '5%': a date attribute takes a number of days such as 3d"),
    ("identifier", "1%", "claim.tolerance: tolerance '1%': an identifier attribute is compared exactly"),
])
def test_attribute_tolerance_of_the_wrong_kind_names_the_field(kind, written, message):
    with pytest.raises(InvalidClaimFile, match=f"^f.jsonl:7: {message}"):
        attribute_record(DictFields({"name": "n", "kind": kind, "tolerance": written}, HERE))


def test_jsonl_yields_every_record_type_with_its_line(tmp_path):
    path = write(tmp_path / "r.jsonl", (
        '{"type": "source", "key": "a", "title": "A", "published": 2021}\n'
        "\n"
        '{"type": "entity", "name": "Wagner", "aliases": ["Wagner Group"]}\n'
        '{"type": "attribute", "name": "price", "kind": "money", "timeless": true}\n'
        '{"type": "claim", "source": "a", "subject": "Wagner", "attribute": "price", "value": 12.50}\n'
    ))
    label = str(path)
    assert list(read_jsonl(path)) == [
        SourceRecord("a", "A", published=PartialDate(2021), location=Location(label, "source", 1)),
        EntityRecord("Wagner", ("Wagner Group",), Location(label, "entity", 3)),
        AttributeRecord("price", "money", timeless=True, location=Location(label, "attribute", 4)),
        ClaimRecord("a", "Wagner", "price", "12.50", location=Location(label, "claim", 5)),  # numbers as written
    ]


@pytest.mark.parametrize("line, message", [
    ('{"type": "claim", "value": "1", "value": "2"}', ":1: field 'value' is given twice"),
    ('{"type": "claim" "value": 1}', ":1: not valid JSON (Expecting ',' delimiter at column 18); write one object"),
    ('{"type": "note"}', ":1: unknown type 'note'; expected one of: source, entity, attribute, claim"),
    ('["claim"]', ":1: expected a JSON object such as"),
    ('{"type": "entity", "name": "\\ud800"}', ":1: '\\ud800' is half of a UTF-16 surrogate pair"),
    ('{"type": "claim", "value": NaN}', ":1: not valid JSON (NaN is not a JSON value)"),
])
def test_bad_jsonl_lines_are_named_by_line(tmp_path, line, message):
    path = write(tmp_path / "r.jsonl", line + "\n")
    with pytest.raises(InvalidClaimFile) as raised:
        list(read_jsonl(path))
    assert str(raised.value).startswith(str(path) + message)


def test_csv_reads_claims_by_header_skipping_blank_lines(tmp_path):
    path = write(tmp_path / "c.csv", "\ufeffsource,subject,attribute,value,when\na,S,troops,\"3,000\",\n\nb,T,fee,$5,2012\n")
    assert [(c.source, c.value, c.when, c.location.line) for c in read_csv(path)] == [
        ("a", "3,000", None, 2), ("b", "$5", "2012", 4)
    ]


@pytest.mark.parametrize("text, message", [
    ("source,subject,attribute,value,colour\n", ":1: unknown column 'colour'; CSV files hold claims with columns"),
    ("source,subject,attribute\n", ":1: missing column 'value'; the header needs source, subject, attribute, value"),
    ("source,source,subject,attribute,value\n", ":1: column 'source' appears twice in the header"),
    ("source,subject,attribute,value\na,S,t,1,2\n", ":2: claim has 5 cells but the header has 4 columns"),
])
def test_bad_csv_is_named_by_line(tmp_path, text, message):
    path = write(tmp_path / "c.csv", text)
    with pytest.raises(InvalidClaimFile) as raised:
        list(read_csv(path))
    assert str(raised.value).startswith(str(path) + message)


def test_yaml_sections_become_records_with_their_lines(tmp_path):
    path = write(tmp_path / "c.yaml", "sources:\n  - {key: a, title: A, published: 2021-09}\n"
                                      "claims:\n  - {source: a, subject: S, attribute: t, value: 2012}\n")
    bundle = load_claim_file(path)
    assert bundle.sources == [SourceRecord("a", "A", published=PartialDate(2021, 9),
                                           location=Location(str(path), "sources[0]", 2))]
    assert bundle.claims == [ClaimRecord("a", "S", "t", "2012", location=Location(str(path), "claims[0]", 4))]


@pytest.mark.parametrize("text, message", [
    ("claims:\n  - &x {source: a}\n  - *x\n", ":2: YAML anchors and aliases are not supported"),
    ("claims: !!python/object:os.system {}\n", ":1: YAML tag 'tag:yaml.org,2002:python/object:os.system'"),
    ("notes: []\n", ":1: unknown section 'notes'; expected sources, entities, attributes, claims"),
    ("claims: {a: 1}\n", ":1: section claims must be a list of records"),
])
def test_bad_yaml_is_refused_naming_the_line(tmp_path, text, message):
    path = write(tmp_path / "c.yaml", text)
    with pytest.raises(InvalidClaimFile) as raised:
        load_claim_file(path)
    assert str(raised.value).startswith(str(path) + message)


def test_read_records_picks_the_reader_by_extension_and_reports_progress(tmp_path):
    yaml_path = write(tmp_path / "c.YML", "claims:\n  - {source: a, subject: S, attribute: t, value: '1'}\n")
    csv_path = write(tmp_path / "c.csv", "source,subject,attribute,value\na,S,t,2\n")
    read = []
    values = [r.value for p in (yaml_path, csv_path) for r in readers.read_records(p, read.append)]
    assert values == ["1", "2"]
    assert sum(read) == readers.total_size([yaml_path, csv_path])
    with pytest.raises(InvalidClaimFile, match=r"cannot tell the file type from '.txt'; use .yaml"):
        readers.read_records(tmp_path / "c.txt")


def test_csv_files_are_imported_after_the_files_that_may_hold_their_sources():
    paths = [Path("c.csv"), Path("s.jsonl"), Path("d.CSV"), Path("e.yaml")]
    assert readers.import_order(paths) == [Path("s.jsonl"), Path("e.yaml"), Path("c.csv"), Path("d.CSV")]


CELLS = st.sampled_from(["", " ", "x", " Ségou ", "a,b", "tab\tin", "line\nbreak", "\u202eevil", "nul\x00", "\x85", "2021"])


def outcome(build):
    """What ``build()`` returns, or the message of the claim file error it raises."""
    try:
        return build()
    except InvalidClaimFile as exc:
        return str(exc)


@given(st.lists(CELLS, min_size=8, max_size=8), st.permutations(list(CSV_COLUMNS)))
def test_a_csv_rows_claim_is_claim_records(cells, columns):
    """``row_claim`` (one check of a clean row) builds what ``claim_record`` builds, or raises what it raises."""
    location = Location("c.csv", "claim", 3)

    expected = outcome(lambda: claim_record(DictFields({n: c for n, c in zip(columns, cells) if c}, location)))
    assert outcome(lambda: row_claim(columns, cells, location)) == expected


OPTIONAL_COLUMNS = [name for name in CSV_COLUMNS if name not in CSV_REQUIRED]


@given(st.lists(CELLS, min_size=8, max_size=8), st.lists(st.sampled_from(OPTIONAL_COLUMNS), unique=True), st.randoms())
def test_a_csv_rows_fields_are_its_claim_records(cells, optional, random):
    """``read_csv_fields`` gives a clean row's record's fields, file and line; any other row its record or error."""
    columns = [*CSV_REQUIRED, *optional]
    random.shuffle(columns)
    cells = cells[: len(columns)]
    location = Location("c.csv", "claim", 3)

    expected = outcome(lambda: row_claim(columns, cells, location))
    got = outcome(lambda: _fields_of(columns)(cells, "c.csv", 3))
    if type(got) is tuple:
        assert got == (*(getattr(expected, name) for name in STATED_FIELDS), "c.csv", 3)
    else:
        assert got == expected


def test_read_csv_fields_reads_the_files_read_csv_reads(tmp_path):
    path = write(tmp_path / "c.csv", "\ufeffvalue,source,subject,attribute,when\n\"3,000\",a,S,troops,\n\n$5 ,b,T, fee,2012\n"
                                     "1,c, ,t,\n")
    fields = read_csv_fields(path)
    assert next(fields) == ("a", "S", "troops", "3,000", None, None, None, None, str(path), 2)
    assert next(fields) == ("b", "T", "fee", "$5", "2012", None, None, None, str(path), 4)
    with pytest.raises(InvalidClaimFile, match=r"c.csv:5: claim.subject: must not be empty"):
        next(fields)
    jsonl = write(tmp_path / "s.jsonl", '{"type": "source", "key": "a", "title": "A"}\n')
    assert list(readers.read_fields(jsonl)) == list(readers.read_records(jsonl))


@given(st.dictionaries(st.sampled_from(list(CSV_COLUMNS)), CELLS))
def test_a_clean_json_claim_checked_at_once_is_claim_records(fields):
    """``CheckedFields`` of an object whose text ``passes_text_checks`` builds what ``DictFields`` builds, errors too."""
    location = Location("c.jsonl", "claim", 3)

    def outcome(reader):
        try:
            return claim_record(reader(dict(fields), location))
        except InvalidClaimFile as exc:
            return str(exc)

    if passes_text_checks(list(fields.values())):
        assert outcome(CheckedFields) == outcome(DictFields)
    else:
        assert any(c in value for value in fields.values() for c in "\t\n\u202e\x00\x85")


def test_json_claims_with_text_a_name_refuses_are_checked_field_by_field(tmp_path):
    path = write(tmp_path / "c.jsonl", '{"type": "claim", "source": "s", "subject": "S\\u202e", "attribute": "a", '
                                       '"value": "1"}\n{"type": "claim", "source": "s", "subject": "S", '
                                       '"attribute": "a", "value": "1", "quote": "one\\ttwo"}\n')
    with pytest.raises(InvalidClaimFile, match=r"c.jsonl:1: claim.subject: contains the bidirectional control U\+202E"):
        list(read_jsonl(path))
    path.write_text(path.read_text().splitlines()[1] + "\n")
    assert [claim.quote for claim in read_jsonl(path)] == ["one\ttwo"]


_CLAIM_KEYS = st.sampled_from(["type", "source", "subject", "attribute", "value", "when", "quote", "ref", "colour"])
_PLAIN_TEXT = st.text(st.sampled_from(["a", "Z", " ", "é", "'", "\u00a0", "1", ":", ",", "{"]), max_size=6)
_FILLED_TEXT = _PLAIN_TEXT.map(lambda text: f" {text}a ")
_FIELD_TEXT = st.one_of(_FILLED_TEXT, _PLAIN_TEXT, st.text(st.sampled_from(
    ["a", " ", "\t", '"', "\\", "\u202e", "\u200b", "\x00"]), max_size=4))
_FIELD_VALUE = st.one_of(*[_FIELD_TEXT] * 8, st.integers(), st.booleans(), st.none(), st.lists(_FIELD_TEXT))


def _read_or_error(path: Path) -> list | str:
    try:
        return list(read_jsonl(path))
    except InvalidClaimFile as error:
        return str(error)


@settings(max_examples=300)
@given(st.tuples(*[st.one_of(*[_FILLED_TEXT] * 6, _FIELD_TEXT)] * 4), st.lists(st.tuples(st.sampled_from(["when", "quote", "attributed_to", "ref"]),
                                                         _FIELD_TEXT), max_size=2),
       st.lists(st.tuples(_CLAIM_KEYS, _FIELD_VALUE), max_size=1), st.sampled_from([True, True, False]))
def test_plain_claim_lines_read_as_the_general_path_reads_them(tmp_path_factory, required, optional, odd, claim_first):
    """Claims read in one step (``_plain_claim``) equal the general path's records, and any other line's error."""
    import json

    from ledger.readers import jsonl

    named = list(zip(("source", "subject", "attribute", "value"), required))
    pairs = ([("type", "claim")] if claim_first else []) + named + optional + odd
    line = "{" + ", ".join(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in pairs) + "}"
    path = write(tmp_path_factory.mktemp("plain") / "c.jsonl", line + "\n")
    fast = _read_or_error(path)
    general = jsonl._plain_claim
    try:
        jsonl._plain_claim = lambda *_: None
        assert _read_or_error(path) == fast
    finally:
        jsonl._plain_claim = general
