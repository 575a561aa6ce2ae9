"""Hostile text refused at the door in every reader, articles read safely, and stored text escaped when shown.

Names (keys, subjects, attributes, aliases, values, ...) hold one line of printable text;
free text (title, quote, description, articles, reasons, notes) may also hold tab, newline,
carriage return and bidirectional controls. See ``ledger.core.safe_text``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3

import pytest
from click.testing import CliRunner

from ledger import readers
from ledger.cli import cli
from ledger.core.errors import InvalidClaimFile
from ledger.core.safe_text import escaped, text_problem
from tests.conftest import write

#: What reached an analyst's terminal before: erase line, cursor moves, window title, C1 CSI, bell, NUL.
TERMINAL_ATTACKS = [
    "\x1b[2K", "\x1b[1A\x1b[2K", "\x1b]0;pwned\x07", "\x9b2K", "\x00", "\x07", "\x08", "\x7f", "\x85",
    "\x0b", "\x0c", "\x1f",
]
BIDI_ATTACKS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
LINE_BREAKS = ["\t", "\n", "\r"]
ATTACKS = TERMINAL_ATTACKS + BIDI_ATTACKS

CLAIM = {"source": "a", "subject": "Wagner", "attribute": "price", "value": "5", "when": "2021",
         "quote": "Wagner costs 5", "attributed_to": "Reuters", "ref": "r1"}
SOURCE = {"key": "a", "title": "A", "outlet": "Outlet", "author": "Writer", "url": "https://a.example",
          "published": "2021", "language": "en"}
NAME_FIELDS = [("claim", name) for name in ("source", "subject", "attribute", "value", "when", "attributed_to", "ref")] + [
    ("source", name) for name in ("key", "outlet", "author", "url", "language")
] + [("entity", "name"), ("entity", "aliases"), ("attribute", "name")]
FREE_TEXT_FIELDS = [("claim", "quote"), ("source", "title"), ("attribute", "description")]


def records(kind: str, field: str, value: str) -> list[dict]:
    """One record of ``kind`` whose ``field`` holds ``value`` (inside a name: "Wag…ner")."""
    base = {"claim": CLAIM, "source": SOURCE, "entity": {"name": "Wagner"},
            "attribute": {"name": "price", "kind": "money"}}[kind]
    record = dict(base, **{field: f"Wag{value}ner"})
    if field == "aliases":
        record["aliases"] = [f"Wag{value}ner"]
    return [dict(record, type=kind)]


def as_yaml(items: list[dict]) -> str:
    sections = {"claim": "claims", "source": "sources", "entity": "entities", "attribute": "attributes"}
    lines = []
    for item in items:
        item = dict(item)
        lines.append(f"{sections[item.pop('type')]}:")
        lines.append("  - " + json.dumps(item))  # JSON is YAML; escapes such as \u001b are YAML escapes too
    return "\n".join(lines) + "\n"


def as_jsonl(items: list[dict]) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def as_csv(items: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    claim = {k: v for k, v in items[0].items() if k != "type"}
    writer.writerow(claim.keys())
    writer.writerow(claim.values())
    return buffer.getvalue()


FORMATS = [("yaml", as_yaml), ("jsonl", as_jsonl), ("csv", as_csv)]


def read_all(path):
    return list(readers.read_records(path))


def refused(tmp_path, fmt, render, kind, field, value) -> str:
    path = write(tmp_path / f"f.{fmt}", render(records(kind, field, value)))
    with pytest.raises(InvalidClaimFile) as raised:
        read_all(path)
    message = str(raised.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("fmt, render", FORMATS, ids=[f for f, _ in FORMATS])
@pytest.mark.parametrize("kind, field", NAME_FIELDS, ids=[f"{k}.{f}" for k, f in NAME_FIELDS])
def test_every_name_field_refuses_controls_bidi_and_line_breaks(tmp_path, fmt, render, kind, field):
    if fmt == "csv" and kind != "claim":
        pytest.skip("CSV files hold claims only")
    for value in ATTACKS + LINE_BREAKS:
        message = refused(tmp_path, fmt, render, kind, field, value)
        assert f"f.{fmt}:" in message and f".{field}: contains " in message, message
        assert f"at character 4" in message


@pytest.mark.parametrize("fmt, render", FORMATS, ids=[f for f, _ in FORMATS])
@pytest.mark.parametrize("kind, field", FREE_TEXT_FIELDS, ids=[f"{k}.{f}" for k, f in FREE_TEXT_FIELDS])
def test_free_text_refuses_terminal_controls_but_keeps_line_breaks_and_bidi(tmp_path, fmt, render, kind, field):
    if fmt == "csv" and kind != "claim":
        pytest.skip("CSV files hold claims only")
    for value in TERMINAL_ATTACKS:
        assert f".{field}: contains " in refused(tmp_path, fmt, render, kind, field, value)
    for value in LINE_BREAKS + BIDI_ATTACKS:
        path = write(tmp_path / f"ok.{fmt}", render(records(kind, field, value)))
        [record] = read_all(path)
        assert getattr(record, field) == f"Wag{value}ner"


def test_nul_message_names_it():
    assert text_problem("a\x00b") == "contains a NUL byte at character 2; remove it"
    assert text_problem("a\x00b", free_text=True) == "contains a NUL byte at character 2; remove it"
    assert "U+202E" in text_problem("\u202eevil")
    assert text_problem("fine — ünïcödé 北京 مرحبا") is None


# -- articles ---------------------------------------------------------------------------------

SOURCE_WITH_TEXT = 'sources:\n  - {key: a, title: A, text_file: "article.txt"}\n'


@pytest.mark.parametrize("attack", TERMINAL_ATTACKS)
def test_article_text_refuses_terminal_controls(tmp_path, attack):
    (tmp_path / "article.txt").write_text(f"An article{attack} with a control.", encoding="utf-8")
    path = write(tmp_path / "c.yaml", SOURCE_WITH_TEXT)
    with pytest.raises(InvalidClaimFile, match=r"c.yaml:2: sources\[0\].text_file: '.*article.txt' contains "):
        read_all(path)


def test_article_text_keeps_line_breaks_tabs_and_bidi(tmp_path):
    text = "Title\r\n\tIndented \u202bعربي\u202c and \u2067isolated\u2069.\n"
    (tmp_path / "article.txt").write_bytes(text.encode())
    [source] = read_all(write(tmp_path / "c.yaml", SOURCE_WITH_TEXT))
    assert source.text == text


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "article.txt")
    path = write(tmp_path / "c.yaml", SOURCE_WITH_TEXT)
    with pytest.raises(InvalidClaimFile, match=r"text_file: '.*article.txt' is not a regular file; name a text file"):
        read_all(path)


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "article.txt").mkdir()
    with pytest.raises(InvalidClaimFile, match=r"text_file: '.*article.txt' "):
        read_all(write(tmp_path / "c.yaml", SOURCE_WITH_TEXT))


def test_article_size_limit_is_configurable(tmp_path, monkeypatch):
    (tmp_path / "article.txt").write_text("x" * 2_000, encoding="utf-8")
    path = write(tmp_path / "c.yaml", SOURCE_WITH_TEXT)
    monkeypatch.setenv("LEDGER_MAX_ARTICLE_MB", "0.001")
    with pytest.raises(InvalidClaimFile, match=r"text_file: '.*article.txt' is larger than 0.001 MB; "
                                               r"raise LEDGER_MAX_ARTICLE_MB to import it"):
        read_all(path)
    monkeypatch.setenv("LEDGER_MAX_ARTICLE_MB", "0.002")
    assert read_all(path)[0].text == "x" * 2_000
    monkeypatch.setenv("LEDGER_MAX_ARTICLE_MB", "lots")
    with pytest.raises(InvalidClaimFile, match="LEDGER_MAX_ARTICLE_MB='lots' is not a number of megabytes"):
        read_all(path)


def test_the_default_limit_is_50_mb(tmp_path, monkeypatch):
    monkeypatch.delenv("LEDGER_MAX_ARTICLE_MB", raising=False)
    with open(tmp_path / "article.txt", "wb") as handle:
        handle.truncate(50_000_001)  # sparse: no 50 MB written
    with pytest.raises(InvalidClaimFile, match="is larger than 50 MB"):
        read_all(write(tmp_path / "c.yaml", SOURCE_WITH_TEXT))


# -- the command line and the database --------------------------------------------------------

def test_import_of_a_hostile_file_exits_1_with_one_line_and_writes_nothing(run, tmp_path):
    path = write(tmp_path / "c.jsonl", as_jsonl([dict(SOURCE, type="source"), dict(CLAIM, type="claim", subject="\x1b]0;pwned\x07")]))
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "c.jsonl:2: claim.subject: contains the control character U+001B" in result.stderr
    assert "\x1b" not in result.output
    assert run("sql", "select count(*) as n from sources").stdout.split()[-1] == "0"


@pytest.mark.parametrize("args, message", [
    (("claim", "add", "--source", "test-article", "--subject", "A\x00B", "--attribute", "x", "--value", "1"),
     "command line: claim.subject: contains a NUL byte"),
    (("claim", "add", "--source", "test-article", "--subject", "A", "--attribute", "x", "--value", "\u202e1"),
     "command line: claim.value: contains the bidirectional control U+202E"),
    (("retract", "rifles", "--reason", "typo\x1b[2K"), "--reason: contains the control character U+001B"),
    (("supersede", "rifles", "--value", "3,000\x9b", "--reason", "x"), "--value: contains the control character U+009B"),
    (("entities", "alias", "Wag\u2066ner", "Kalashnikov deal"), "ALIAS: contains the bidirectional control U+2066"),
    (("--as", "mallory\x1b[2K", "retract", "rifles", "--reason", "x"), "--as: contains the control character U+001B"),
])
def test_command_line_text_is_checked_too(loaded, args, message):
    result = loaded(*args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr


def test_stored_controls_are_escaped_in_tables(loaded, db_path):
    """Rows written before these checks (or by raw SQL) cannot drive the terminal through a table."""
    with sqlite3.connect(db_path) as connection:
        connection.execute("update claims set subject = 'Wag\x1b[2Kner\u202e', quote = 'q\x1b]0;t\x07\rq' where ref = 'rifles'")
        connection.execute("update entities set name = 'Wag\x1b[2Kner\u202e' where name = 'Kalashnikov deal'")
    connection.close()
    for args in (("claims",), ("history", "rifles"), ("sources",), ("entities",)):
        result = loaded(*args)
        assert result.exit_code == 0, result.output
        assert not any(ch in result.stdout for ch in "\x1b\x07\r\u202e"), args
    assert "Wag\\x1b[2Kner\\u202e" in loaded("claims").stdout
    assert "q\\x1b]0;t\\x07\\x0dq" in loaded("claims").stdout


def test_escaped_shows_every_refused_character_but_tab_and_newline():
    assert escaped("a\x1b[2Kb\x00\x9b\u202e\r\tc\n") == "a\\x1b[2Kb\\x00\\x9b\\u202e\\x0d\tc\n"


def test_conflict_tables_escape_stored_controls(run, tmp_path, db_path):
    path = write(tmp_path / "p.yaml", """\
sources:
  - {key: a, title: A, published: 2021-01-01}
  - {key: b, title: B, published: 2021-01-02}
claims:
  - {ref: a1, source: a, subject: Deal, attribute: rifles, value: "3,000", when: "2012"}
  - {ref: b1, source: b, subject: Deal, attribute: rifles, value: "4,000", when: "2012"}
""")
    assert run("import", str(path)).exit_code == 0
    with sqlite3.connect(db_path) as connection:
        connection.execute("update claims set value = '3,000\x1b[2K', attributed_to = '\u202eevil'")
        connection.execute("update entities set name = 'Deal\x1b]0;x\x07'")
    connection.close()
    [pair] = json.loads(run("conflicts", "--format", "json").stdout)
    for args in (("conflicts",), ("conflicts", "show", pair["id"])):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\\x1b" in result.stdout


def test_copy_names_rows_holding_nul_and_copies_nothing(loaded, db_path, tmp_path, monkeypatch):
    """PostgreSQL refuses NUL in text: the copy names each such row (SQLite stands in for the target here)."""
    from ledger.db import copy

    with sqlite3.connect(db_path) as connection:
        connection.execute("update claims set quote = ? where ref = 'rifles'", ("a\x00b",))
        [(claim_id,)] = connection.execute("select id from claims where ref = 'rifles'").fetchall()
    connection.close()
    monkeypatch.setattr(copy, "refuses_nul_characters", lambda session: True)
    target = tmp_path / "target.db"
    result = CliRunner().invoke(cli, ["--db", str(db_path), "copy", "--to", str(target)])
    assert result.exit_code == 1
    assert f"claims {claim_id} (quote)" in result.stderr and "Nothing was copied" in result.stderr
    assert result.stderr.count("\n") == 1
    with sqlite3.connect(target) as connection:
        assert connection.execute("select count(*) from claims").fetchone() == (0,)
    connection.close()
