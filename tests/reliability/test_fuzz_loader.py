"""Hostile claim files: the import is a correct import or one clean error, never a traceback or a partial write.

Hypothesis builds YAML claim files from near-valid records with wrong types,
unknown fields, duplicate refs, missing sources, quotes not in the article,
huge strings and odd scalars; and raw hostile text: invalid UTF-8, nesting
deep enough to exhaust recursion, YAML tags (``!!python/object``...), and
alias bombs. The same records go through the JSON Lines and CSV readers too.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.readers.csv_file import CSV_COLUMNS
from ledger.readers.fields import MAX_FIELD_CHARS
from ledger.readers.yaml_file import load_claim_file
from ledger.core.errors import InvalidClaimFile
from tests.reliability.conftest import assert_refused, assert_verifies, invoke, snapshot

pytestmark = pytest.mark.slow  # skip locally with -m "not slow"; CI runs them

ARTICLE = "Mali will pay the Wagner group 6 billion CFA francs a month. France has 5,100 troops in the Sahel.\n"
SECONDS_PER_FILE = 5  # "bounded time" in CPU seconds (other jobs on the machine do not count): far above the slowest honest file
FUZZ = settings(
    max_examples=200, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


# -- strategies -------------------------------------------------------------

odd_text = st.sampled_from([
    "", " ", "null", "~", "yes", "no", "1e9", "-0", "0x1F", ".nan", "2012", "2019-02-30", "c. 1,200",
    "mid-2019", "€ 1 million", "more than 3,000", "\u202eevil", "'", '"', "&anchor", "*alias", "- x", ": x",
    "#", "%", "!!python/object:os.system", "\x00", "\ud7ff", "a\nb", "\t", "Mali", "price",
])
text = st.one_of(odd_text, st.text(max_size=40), st.integers(0, 20_000).map(lambda n: "y" * n))
scalar = st.one_of(text, st.integers(), st.floats(), st.booleans(), st.none(), st.dates())
anything = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
), max_leaves=6)


def rarely(bad, good):
    """``good`` about nine times in ten, else ``bad`` (the last roll: Hypothesis favours simple, low ones)."""
    return st.integers(0, 9).flatmap(lambda roll: bad if roll == 9 else good)


def records(required: dict, optional: dict):
    """Plausible records nine times in ten; else one with a field (maybe an unknown one) of any type."""
    plausible = st.fixed_dictionaries(required, optional=optional)
    names = sorted({*required, *optional, "surprise"})
    broken = st.tuples(plausible, st.sampled_from(names), anything).map(lambda t: {**t[0], t[1]: t[2]})
    return rarely(broken, plausible)


QUOTES = ["Mali will pay the Wagner group 6 billion CFA francs a month", "France has 5,100 troops",
          "France has 9,999 troops", "not in the article at all"]
claim = records(
    {
        "ref": st.sampled_from(["r1", "r2", "r3", "r4", "r5"]),  # few refs: duplicates, and refs seen before
        "source": rarely(text, st.sampled_from(["article", "plain", "plain", "missing-source"])),
        "subject": rarely(text, st.sampled_from(["Mali", "Wagner Group", "France", "Sahel"])),
        "attribute": st.sampled_from(["price", "troops_deployed", "role"]),
        "value": rarely(text, st.sampled_from(["6 billion CFA francs", "5,100", "several thousand", "about $10 million"])),
    },
    {
        "when": rarely(text, st.sampled_from(["2021", "late 2019", "since 2013", "2013-2017"])),
        "quote": rarely(text, st.sampled_from(QUOTES)),
        "attributed_to": st.sampled_from(["Reuters", "ACLED"]),
    },
)
source = records(
    {"key": rarely(text, st.sampled_from(["article", "plain", "other"])), "title": st.sampled_from(["A title", "Another"])},
    {
        "published": rarely(text, st.sampled_from(["2021-09-14", "2021", "2021-13", "yesterday"])),
        "text_file": rarely(text, st.sampled_from(["article.txt", "missing.txt", "binary.txt", "../article.txt"])),
        "language": st.sampled_from(["en", "fr"]),
        "outlet": text,
    },
)
attribute = records(
    {"name": st.sampled_from(["price", "troops_deployed", "role"]),
     "kind": st.sampled_from(["money", "quantity", "text", "date", "colour"])},
    {"single_valued": st.booleans(), "timeless": st.booleans(),
     "tolerance": st.sampled_from(["5%", "0.5 %", "3d", "10min", "0", "lots", 5, 150])},
)
entity = records(
    {"name": st.sampled_from(["Wagner Group", "Mali", "France"])},
    {"aliases": st.lists(st.sampled_from(["Wagner", "PMC Wagner", "Mali", "French army"]), max_size=3)},
)
sections = st.fixed_dictionaries(
    {"sources": rarely(anything, st.lists(source, max_size=3)), "claims": rarely(anything, st.lists(claim, max_size=5))},
    optional={"attributes": st.lists(attribute, max_size=2), "entities": st.lists(entity, max_size=2)},
)
document = rarely(
    st.one_of(anything, sections.map(lambda doc: {**doc, "comments": "not a section"})), sections
)


@st.composite
def yaml_bytes(draw) -> bytes:
    """A generated document dumped as YAML, sometimes with its bytes damaged."""
    raw = yaml.safe_dump(draw(document), allow_unicode=draw(st.booleans()), sort_keys=False).encode("utf-8")
    return damaged(draw, raw)


def damaged(draw, raw: bytes) -> bytes:
    """``raw``, about one time in ten with invalid UTF-8 inserted, cut short, a BOM, or CRLF line ends."""
    damage = draw(rarely(st.sampled_from(["bad utf-8", "cut", "bom", "crlf"]), st.just("none")))
    at = draw(st.integers(0, len(raw)))
    if damage == "bad utf-8":
        raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80\x80"])) + raw[at:]
    elif damage == "cut":
        raw = raw[:at]
    elif damage == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif damage == "crlf":
        raw = raw.replace(b"\n", b"\r\n")
    return raw


def deep_nesting(depth: int, style: str) -> str:
    if style == "flow list":
        return "claims: " + "[" * depth + "]" * depth + "\n"
    if style == "flow map":
        return "claims: " + "{a: " * depth + "b" + "}" * depth + "\n"
    return "claims:\n  " + "- " * depth + "x\n"  # block sequences nested on one line


def alias_bomb(levels: int) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\nclaims: *" + chr(ord("a") + levels - 1) + "\n"


TAGGED = [
    "claims: !!python/object/apply:os.system ['echo pwned']\n",
    "claims:\n  - !!python/object:ledger.core.records.ClaimRecord {source: x}\n",
    "sources:\n  - key: !!python/name:os.system\n    title: t\n",
    "claims:\n  - ref: !!binary aGVsbG8=\n",
    "claims: !!set {a, b}\n",
    "claims:\n  - value: !custom 5\n",
    "%TAG !p! tag:yaml.org,2002:python/\n---\nclaims: !p!object/apply:os.system ['echo pwned']\n",
    "claims:\n  - &one {ref: r1}\n  - *one\n",
    "--- \nclaims: []\n--- \nclaims: []\n",
]

hostile = st.one_of(
    st.builds(deep_nesting, st.integers(1, 1_200), st.sampled_from(["flow list", "flow map", "block list"])),
    st.builds(alias_bomb, st.integers(1, 10)),
    st.sampled_from(TAGGED),
).map(lambda s: s.encode("utf-8")) | st.binary(max_size=200)


JSONL_HOSTILE = [
    '{"type": "claim", "type": "source"}',
    '{"type": "claim", "value": 1' + "0" * 5_000 + "}",  # more digits than Python converts
    '{"type": "claim", "value": NaN}',
    '{"type": "claim", "source": "plain", "subject": "S", "attribute": "role", "value": 1e999}',
    '{"type": "claim", "source": "plain", "subject": "a\\u0000b", "attribute": "role", "value": "x"}',
    '{"type": "source", "key": "k", "title": "t", "text_file": "binary.txt"}',
    '{"type": "spaceship"}', '{"source": "plain"}', "not json", '"a string"', "[]", "null", "{",
    "[" * 50 + "]" * 50,  # (nesting beyond the recursion limit: see test_jsonl_nesting_beyond_the_recursion_limit)
]


@st.composite
def jsonl_bytes(draw) -> bytes:
    """The generated document as JSON Lines, one object per record, sometimes with a hostile line."""
    doc = draw(sections)
    lines = []
    for section, kind in (("sources", "source"), ("attributes", "attribute"), ("entities", "entity"), ("claims", "claim")):
        records = doc.get(section, [])
        for record in records if isinstance(records, list) else [records]:
            value = {"type": kind, **record} if isinstance(record, dict) else record
            lines.append(json.dumps(value, default=str, ensure_ascii=draw(st.booleans())))
    if draw(rarely(st.just(True), st.just(False))):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(JSONL_HOSTILE)))
    return damaged(draw, "\n".join(lines).encode("utf-8"))


CSV_HOSTILE_ROWS = [["only one cell"], ["plain", "S", "role", "a\x00b"], ["plain", "S", "role", "x" * 200_000]]


@st.composite
def csv_bytes(draw) -> bytes:
    """Claims as CSV under a header of every column in some order (rarely a wrong header or row)."""
    header = draw(rarely(
        st.lists(st.sampled_from([*CSV_COLUMNS, "colour", " ", "\ufeffref"]), max_size=9),
        st.permutations(CSV_COLUMNS),
    ))
    rows = [[_cell(record.get(column)) if isinstance(record, dict) else _cell(record) for column in header]
            for record in draw(st.lists(claim, max_size=5))]
    if draw(rarely(st.just(True), st.just(False))):
        rows.insert(draw(st.integers(0, len(rows))), draw(st.sampled_from(CSV_HOSTILE_ROWS)))
    out = io.StringIO()
    csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows([header, *rows])
    text = out.getvalue()
    if draw(rarely(st.just(True), st.just(False))):
        text += '"an unterminated quote,\n'
    return damaged(draw, text.encode("utf-8"))


def _cell(value) -> str:
    return "" if value is None else str(value)


# -- the property -------------------------------------------------------------


@pytest.fixture
def workspace(db_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The ledger, and a folder for claim files with the article (and a binary "article") one level up."""
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\xff\xfe\x00 not text \x80")
    return db_path, folder


def check_import(db: Path, folder: Path, data: bytes, suffix: str = ".yaml") -> str:
    """Import ``data``: a correct import, or one `Error:` line and no change at all."""
    path = folder / f"claims{suffix}"
    path.write_bytes(data)
    before = snapshot(db)
    started = time.process_time()
    result = invoke(db, "import", path)
    assert time.process_time() - started < SECONDS_PER_FILE
    if result.exit_code != 0:
        assert_refused(result)
        assert snapshot(db) == before
        return "refused"
    assert result.exception is None
    added = re.search(r", (\d+) claims?\b", result.stdout)  # "1 claim", "2 claims"
    assert snapshot(db)["claims"][0] - before["claims"][0] == (int(added[1]) if added else 0), result.stdout
    assert_verifies(db)
    return "imported"


def test_generated_claim_files(workspace):
    outcomes = []

    @FUZZ
    @given(yaml_bytes())
    def check(data: bytes) -> None:
        outcomes.append(check_import(*workspace, data))

    check()
    print(f"generated claim files: {outcomes.count('imported')} imported, {outcomes.count('refused')} refused")
    assert "imported" in outcomes and "refused" in outcomes  # the strategies reach both sides


def test_hostile_yaml(workspace):
    @settings(FUZZ, max_examples=100)
    @given(hostile)
    def check(data: bytes) -> None:
        check_import(*workspace, data)

    check()


def test_generated_jsonl_files(workspace):
    @settings(FUZZ, max_examples=100)
    @given(jsonl_bytes())
    def check(data: bytes) -> None:
        check_import(*workspace, data, ".jsonl")

    check()


def test_generated_csv_files(workspace):
    db, folder = workspace
    sources = folder / "sources.yaml"
    sources.write_text(
        "sources:\n  - {key: article, title: A title, text_file: article.txt}\n  - {key: plain, title: Another}\n",
        encoding="utf-8",
    )
    assert invoke(db, "import", sources).exit_code == 0

    @settings(FUZZ, max_examples=100)
    @given(csv_bytes())
    def check(data: bytes) -> None:
        check_import(db, folder, data, ".csv")

    check()


def test_files_of_one_import_go_in_together_or_not_at_all(workspace):
    db, folder = workspace
    (folder / "good.jsonl").write_text(
        '{"type": "source", "key": "plain", "title": "Another"}\n'
        '{"type": "claim", "source": "plain", "subject": "Mali", "attribute": "role", "value": "host"}\n',
        encoding="utf-8",
    )
    (folder / "bad.csv").write_text("source,subject,attribute,value\nplain,Mali,role,host\nplain,Mali\n", encoding="utf-8")
    before = snapshot(db)
    assert_refused(invoke(db, "import", folder / "good.jsonl", folder / "bad.csv"), "bad.csv:3")
    assert snapshot(db) == before


# -- named attacks, each once ---------------------------------------------------


def test_python_object_tag_is_refused_and_never_runs(workspace, tmp_path: Path):
    db, folder = workspace
    marker = tmp_path / "pwned"
    payload = f"claims:\n  - value: !!python/object/apply:os.system ['touch {marker}']\n"
    path = folder / "evil.yaml"
    path.write_text(payload, encoding="utf-8")
    before = snapshot(db)

    assert_refused(invoke(db, "import", path), "YAML tag", "python/object/apply:os.system")
    try:
        load_claim_file(path)
    except InvalidClaimFile as error:
        assert "is not allowed" in str(error)
    else:
        raise AssertionError("the tagged file was accepted")
    assert not marker.exists()
    assert snapshot(db) == before
    yaml.unsafe_load(payload)  # the control: an unsafe loader would have run the command
    assert marker.exists()


def test_alias_bomb_is_refused_quickly(workspace):
    db, folder = workspace
    path = folder / "laughs.yaml"
    path.write_text(alias_bomb(10), encoding="utf-8")  # 9**10 "lol"s if expanded
    started = time.process_time()
    assert_refused(invoke(db, "import", path), "anchors and aliases are not supported")
    assert time.process_time() - started < 2  # CPU seconds: an expanded bomb would take far longer


def test_huge_strings_up_to_the_limit_are_kept_and_longer_ones_refused(workspace):
    db, folder = workspace
    path = folder / "huge.yaml"
    path.write_text(f"sources:\n  - key: big\n    title: {'t' * (MAX_FIELD_CHARS + 1)}\n", encoding="utf-8")
    assert_refused(invoke(db, "import", path), "is longer than 1,000,000 characters")
    path.write_text(f"sources:\n  - key: big\n    title: {'t' * MAX_FIELD_CHARS}\n", encoding="utf-8")
    assert check_import(db, folder, path.read_bytes()) == "imported"


def test_nesting_beyond_the_recursion_limit_is_refused(workspace):
    db, folder = workspace
    path = folder / "deep.yaml"
    path.write_text(deep_nesting(100_000, "flow list"), encoding="utf-8")
    assert_refused(invoke(db, "import", path), "nesting too deep")


def test_command_line_bytes_that_are_not_utf8_are_refused(loaded):
    result = loaded("claims", "--subject", "Mali\udcff")  # how Python hands over the byte 0xff in argv
    assert result.exit_code == 2 and "is not valid UTF-8 text" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_jsonl_nesting_beyond_the_recursion_limit(workspace):
    check_import(*workspace, b"[" * 100_000 + b"]" * 100_000 + b"\n", ".jsonl")


def test_jsonl_lone_surrogate_escape(workspace):
    line = '{"type": "claim", "source": "plain", "subject": "\\ud800", "attribute": "role", "value": "x"}'
    source = '{"type": "source", "key": "plain", "title": "Another"}'
    check_import(*workspace, f"{source}\n{line}\n".encode(), ".jsonl")


def test_yaml_lone_surrogate_escape_is_refused(workspace):
    data = b'sources:\n  - {key: plain, title: T}\nclaims:\n  - {source: plain, subject: "\\ud800", attribute: role, value: x}\n'
    assert check_import(*workspace, data) == "refused"
