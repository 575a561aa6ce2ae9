"""Inputs that used to end in a traceback, a literal ``\\n`` or a false message: now one `Error:` line each.

Also `ledger sql`'s output: JSON holds only JSON (bytes as hex, no Infinity),
and csv/json rows are written as they are fetched.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import cli
from ledger.output import emit_stream
from tests.conftest import PG_SKIP, postgres_database
from tests.reliability.conftest import assert_refused, child_env, invoke, ledger_command
from tests.reliability.test_database_errors import read_only, template  # noqa: F401  (fixtures)


def strict_json(text: str):
    """Parse as JSON proper: Infinity and NaN are not JSON."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_sql_json_writes_bytes_as_hex_and_infinities_as_null(loaded):
    result = loaded("sql", "select x'00ff' as b, 1e999 as up, -1e999 as down, 0.5 as half", "--format", "json")
    assert result.exit_code == 0, result.output
    assert strict_json(result.stdout) == [{"b": "00ff", "up": None, "down": None, "half": 0.5}]


def test_sql_csv_and_table_write_bytes_as_hex(loaded):
    assert loaded("sql", "select x'00ff' as b", "--format", "csv").stdout == "b\n00ff\n"
    assert loaded("sql", "select x'00ff' as b").stdout.split() == ["b", "----", "00ff"]


@pytest.fixture
def pg_url(request):
    """An empty ledger on the test server (a copy of the initialised template)."""
    if not os.environ.get("LEDGER_TEST_PG_URL"):
        pytest.skip(PG_SKIP)
    initialised = request.getfixturevalue("postgres_template")
    url, drop = postgres_database(f"ledger_types_{uuid.uuid4().hex[:12]}", template=initialised)
    yield url
    drop()


def test_sql_json_holds_every_postgresql_type(pg_url):
    result = CliRunner().invoke(cli, ["--db", pg_url, "sql", (
        "select 'NaN'::float8 as nan, 'Infinity'::numeric as inf, '-Infinity'::float8 as ninf, "
        "'\\x00ff'::bytea as b, interval '1 day' as i, '1.2.3.4'::inet as ip, "
        "'00000000-0000-0000-0000-000000000001'::uuid as u, array['Infinity'::float8] as a, "
        "int4range(1, 3) as r, 1.5::numeric as n, '{\"a\": [1]}'::jsonb as j"
    ), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert strict_json(result.stdout) == [{
        "nan": None, "inf": None, "ninf": None, "b": "00ff", "i": "1 day, 0:00:00", "ip": "1.2.3.4",
        "u": "00000000-0000-0000-0000-000000000001", "a": [None], "r": "[1, 3)", "n": 1.5,
        "j": '{"a": [1]}',  # JSON columns as text, as SQLite gives them
    }]


def test_sql_prints_json_nested_thousands_deep(pg_url):
    """Parsing it into Python objects ended in a RecursionError traceback."""
    nested = "[" * 3000 + "]" * 3000
    result = CliRunner().invoke(cli, ["--db", pg_url, "sql", f"select '{nested}'::json as j", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert strict_json(result.stdout) == [{"j": nested}]


def test_table_shows_max_rows_and_says_how_many_were_left_out(loaded):
    result = loaded("sql", "with recursive r(n) as (select 1 union all select n + 1 from r limit 2500) select n from r",
                    "--max-rows", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["n", "---", "1", "2", "3"]
    assert result.stderr == "2,497 more rows left out (--max-rows 3); use --format csv or json for all rows\n"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_write_each_row_as_it_is_fetched(fmt):
    """The first row is out before the second is fetched: memory does not grow with the result."""
    written = io.StringIO()

    def rows():
        yield (1, "first")
        assert "first" in written.getvalue(), "the first row was held back"
        yield (2, "second")

    with redirect_stdout(written):
        emit_stream(["n", "word"], rows(), fmt, max_rows=10)
    if fmt == "json":
        assert strict_json(written.getvalue()) == [{"n": 1, "word": "first"}, {"n": 2, "word": "second"}]
    else:
        assert written.getvalue() == "n,word\n1,first\n2,second\n"


@pytest.mark.parametrize("option", ["0", "-1", "nan", "inf", "soon", "1e9"])
def test_a_bad_timeout_is_named(loaded, option):
    result = loaded("sql", "select 1", "--timeout", option)
    assert result.exit_code == 2 and "Invalid value for '--timeout'" in result.stderr


@pytest.mark.parametrize("date", ["2021-00", "1999-00-00", "2021-01-00", "2021-13"])
def test_parse_refuses_month_or_day_zero(date):
    result = CliRunner().invoke(cli, ["parse", "x", "--published", date])
    assert result.exit_code == 2, result.output
    assert f"'{date}' is not a real date" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("date", ["2021-00", "1999-00-00"])
def test_import_refuses_month_zero_instead_of_storing_the_year(run, tmp_path, date):
    claims = tmp_path / "claims.yaml"
    claims.write_text(
        f"sources:\n  - {{key: s, title: T, published: '{date}'}}\n"
        "claims:\n  - {ref: r1, source: s, subject: Mali, attribute: troops_deployed, value: '1,000'}\n",
        encoding="utf-8",
    )
    result = run("import", str(claims))
    assert result.exit_code == 1, result.output
    assert "published" in result.stderr and "is not a real date" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("url, needle", [
    ("foo://bar", "foo databases are not supported"),
    ("mysql://analyst:secret@db.example/ledger", "mysql databases are not supported"),
    ("postgres://analyst@db.example/ledger", "postgres databases are not supported"),
    ("://nothing", "is not a database URL"),
    ("postgresql+psycopg://db.example:port/ledger", "is not a database URL"),
    ("postgresql+psycopg2://analyst@db.example/ledger", "pip install"),
])
def test_unsupported_urls_say_what_is_supported(url, needle):
    result = CliRunner().invoke(cli, ["--db", url, "claims"])
    assert_refused(result, needle)
    assert "postgresql+psycopg://" in result.stderr
    assert "secret" not in result.stderr


def test_a_server_that_is_down_is_one_clean_line(unused_port):
    result = CliRunner().invoke(cli, ["--db", f"postgresql+psycopg://ledger@127.0.0.1:{unused_port}/ledger", "claims"])
    assert_refused(result, "Connection refused")
    assert "\\n" not in result.stderr and "\t" not in result.stderr


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_leftover_wal_in_a_read_only_folder_is_explained(template: Path, tmp_path: Path, read_only):  # noqa: F811
    """A writer's -wal left behind (killed, or the folder locked since): say so, and what to do."""
    folder = tmp_path / "locked"
    folder.mkdir()
    source = tmp_path / "live.db"
    shutil.copyfile(template, source)
    writer = sqlite3.connect(source, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("update claims set attributed_to = 'Reuters'")  # committed, in the -wal only
    shutil.copyfile(source, folder / "ledger.db")
    shutil.copyfile(f"{source}-wal", folder / "ledger.db-wal")
    writer.close()
    read_only(folder)
    for args in (("claims",), ("sql", "select count(*) from claims")):
        assert_refused(invoke(folder / "ledger.db", *args), "leftover ledger.db-wal", "make the folder writable")



@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_sql_output_to_a_full_disk_is_one_line(template: Path, tmp_path: Path):
    path = tmp_path / "ledger.db"
    shutil.copyfile(template, path)
    rows = "with recursive r(n) as (select 1 union all select n + 1 from r limit 100000) select n from r"
    with open("/dev/full", "w") as full:
        result = subprocess.run(ledger_command(path, "sql", rows, "--format", "csv"), env=child_env(),
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the result: No space left on device\n"


def test_without_pglast_ledger_sql_on_postgresql_says_what_to_install(monkeypatch):
    from ledger.core.errors import DatabaseError
    from ledger.db.readonly_sql.escapes import refuse_known_escapes

    monkeypatch.setitem(sys.modules, "pglast.parser", None)  # as if not installed
    with pytest.raises(DatabaseError, match=r"pip install 'claim-ledger\[postgres\]'"):
        refuse_known_escapes("select 1")
