"""JSON text: the hand-laid indented form is byte for byte what ``json.dumps(indent=2)`` writes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.report.encode import _finite, _in_c, json_default, json_elements, to_json

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


def dumps(value) -> str:
    return json.dumps(_finite(value), default=json_default, ensure_ascii=False, indent=2, allow_nan=False)


@given(st.lists(st.one_of(st.floats(), st.floats(min_value=1e-10, max_value=1e-3), st.integers(min_value=-2**70,
                                                                                              max_value=2**70))))
def test_numbers_orjson_writes_otherwise_are_written_as_json_dumps_does(numbers):
    assert to_json(numbers) == dumps(numbers)


class Name(str):
    pass


@pytest.mark.parametrize("value", [
    [1e-05, 9.99e-05, 1e-09], 2**64, -(2**63) - 1, "\ud800", {1: "a"}, Decimal("0.00001"), Name("x"),
    {"key": [Name("y")]}, (1, 2), date(2021, 9, 1), b"\x00\xff",
])
def test_what_orjson_writes_otherwise_or_refuses_is_laid_out_by_hand(value):
    assert to_json(value) == dumps(value)


def test_orjson_writes_the_common_values():
    row = {"id": "c-1", "severity": 0.5, "low": 1e16, "high": 0.0001, "support": [1, 2], "quote": "« \n»",
           "numbers": [1.5e300, -2.5e-300, 123456789.125, 5e-324, 2**63, -(2**63)]}
    assert _in_c(row) == dumps(row)
    assert _in_c([1e-05]) is None  # orjson would write "0.00001"


@given(st.lists(st.dictionaries(st.text(), values, max_size=4), min_size=1, max_size=4), st.integers(1, 4))
def test_an_array_written_in_parts_is_the_whole_array(objects, parts):
    """``json_elements`` of consecutive slices, joined as ``write`` joins them, give ``to_json`` of the whole."""
    size = -(-len(objects) // parts)
    pieces = [json_elements(objects[i : i + size]) for i in range(0, len(objects), size)]
    assert "[\n  " + ",\n  ".join(pieces) + "\n]" == to_json(objects)
