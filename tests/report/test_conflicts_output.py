"""Listing conflicts as a stream writes the bytes the whole-list renderer wrote (plus its final newline)."""

from __future__ import annotations

import gc
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.collector import collector_off
from ledger.report import conflicts as shown


def claim(claim_id, value, support):
    return dict(id=claim_id, ref=None, source=f"s{claim_id}", outlet="Site", published="2021-12-31", value=value,
                when="2021", low=float(value.replace(",", "")), high=float(value.replace(",", "")), unit=None,
                currency=None, period=None, time_basis="stated", quote=None, attributed_to=None, status="active",
                support=support, origins=len(support) + 1)


ROWS = [
    dict(id="c-1", nature="conflict", subject="Item 1", attribute="passengers", reason='1,591 vs 3,182: "50.0% apart"',
         severity=0.5, status="open", note=None, stale=False, claims=[claim(1, "1,591", [2, 3]), claim(4, "3,182", [])]),
    dict(id="c-2", nature="conflict", subject=None, attribute=None, reason="no longer a conflict", severity=0.0,
         status="dismissed", note="checked, é", stale=True, claims=[]),
]


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
@pytest.mark.parametrize("rows", [[], ROWS[:1], ROWS])
def test_stream_writes_what_render_wrote(fmt, rows):
    out = io.StringIO()
    shown.write(iter(rows), fmt, out)
    assert out.getvalue() == shown.render(rows, fmt) + "\n"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_claim_shared_by_pairs_is_written_in_each(fmt):
    """``stream_conflicts`` gives one dict to every pair showing a claim; the writer reuses its text."""
    shared = claim(1, "1,591", [2, 3])
    rows = [dict(ROWS[0], id=f"c-{i}", claims=[shared, claim(10 + i, "3,182", [i])]) for i in range(3)]
    out = io.StringIO()
    shown.write(iter(rows), fmt, out)
    assert out.getvalue() == shown.render(rows, fmt) + "\n"


def test_csv_cells_of_every_type_as_render_writes_them():
    """Cells the csv writer is given as they are (text, ints, bools, None) and those ``plain`` makes (floats, dates …)."""
    odd = dict(claim(5, "7", [1]), low=7.0, high=7.25, published=date(2021, 12, 31), when=datetime(2021, 1, 2, 3, 4),
               unit=Decimal("1.50"), currency=b"\x01", period=["a", 2], origins=True, ref=float("inf"))
    rows = [dict(ROWS[0], severity=1.0, note=False, claims=[odd, claim(6, "8", [])]), dict(ROWS[1], severity=1e-7)]
    out = io.StringIO()
    shown.write(iter(rows), "csv", out)
    assert out.getvalue() == shown.render(rows, "csv") + "\n"
    assert ",1,open," in out.getvalue() and ",2021-12-31,7,2021-01-02T03:04:00,7,7.25,1.50,01,a;2," in out.getvalue()


def test_the_listing_collector_setting_is_undone():
    """The cycle collector is off while a listing streams, and as it was afterwards (off stays off)."""
    assert gc.isenabled()
    with collector_off():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_off():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_csv_severity_text_follows_each_pair_through_runs():
    """A severity's text is made once per run of one severity: each pair still shows its own."""
    severities = [0.5, 0.5, 1.0, 1.0, 0.25, -0.0, 0.0, float("nan"), float("nan"), 2, True, 0.5]
    rows = [dict(ROWS[0], id=f"c-{i}", severity=severity) for i, severity in enumerate(severities)]
    out = io.StringIO()
    shown.write(iter(rows), "csv", out)
    assert out.getvalue() == shown.render(rows, "csv") + "\n"
    assert [line.split(",")[3] for line in out.getvalue().splitlines()[1:]] == [
        "0.5", "0.5", "1", "1", "0.25", "0", "0", "nan", "nan", "2", "True", "0.5"]


CELL_TEXT = st.text(alphabet=st.sampled_from(['a', ' ', ',', '"', '\r', '\n', "'", 'é', '\t', ';']), max_size=4)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.tuples(CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT, st.none() | CELL_TEXT, CELL_TEXT),
                      min_size=1, max_size=6))
def test_csv_pair_cells_of_any_text_as_render_writes_them(texts):
    """A pair's text cells (id, subject, attribute, status, reason, note) holding commas, quotes, line ends or
    nothing: quoted as the csv writer quotes them, however their parts repeat."""
    rows = [dict(ROWS[0], id=conflict_id, subject=subject, attribute=attribute, status=status, note=note,
                 reason=reason) for conflict_id, subject, attribute, status, note, reason in texts]
    rows += rows[:2]
    out = io.StringIO()
    shown.write(iter(rows), "csv", out)
    assert out.getvalue() == shown.render(rows, "csv") + "\n"
