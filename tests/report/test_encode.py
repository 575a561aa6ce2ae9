"""JSON text: the hand-laid indented form is byte for byte what ``json.dumps(indent=2)`` writes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ledger.report.encode import ObjectsAt, _finite, json_default, to_json

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)


@given(values)
def test_indented_json_is_what_json_dumps_writes(value):
    expected = json.dumps(_finite(value), default=json_default, ensure_ascii=False, indent=2, allow_nan=False)
    assert to_json(value) == expected


def test_indented_json_of_a_listing_row():
    row = {"id": "c-1", "severity": 0.5, "stale": False, "note": None, "published": date(2021, 9, 1),
           "claims": [{"low": Decimal("1.5"), "high": float("inf"), "support": [3, 4], "quote": "« 5 100 »"}]}
    assert to_json(row) == json.dumps(_finite(row), default=json_default, ensure_ascii=False, indent=2)
    assert to_json([]) == "[]" and to_json({}) == "{}"


@given(st.lists(st.dictionaries(st.text(), values, max_size=4), max_size=4))
def test_objects_laid_out_once_are_what_to_json_writes(objects):
    """Dicts sharing a layout (keys with "%" too) get the text ``to_json`` gives each, at any margin."""
    at_top, nested = ObjectsAt("\n"), ObjectsAt("\n  ")
    for value in objects + objects:
        assert at_top(value) == to_json(value)
        assert "[\n  " + nested(value) + "\n]" == to_json([value])
