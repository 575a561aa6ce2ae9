"""The `sources --reliability` table fits a terminal; JSON and CSV keep every list whole."""

from __future__ import annotations

import json
from types import SimpleNamespace

from ledger.report.consensus import LIST_CELL, reliability


def source(name, by_attribute, copies=(), offsets=None):
    return {"source": name, "reliability": 0.9, "claims": 10, "evaluated": 8, "agrees": 0.75,
            "by_attribute": by_attribute, "copies": list(copies), "offsets": offsets or {}, "typical_offsets": {}}


MANY = {f"attribute_{i:02}": 0.5 + i / 100 for i in range(20)}


def test_lists_are_cut_to_fit_weakest_first_and_json_keeps_all():
    report = SimpleNamespace(sources=[source("wide", dict(reversed(MANY.items()))), source("narrow", {"price": 0.8})])
    table = reliability(report, "table").splitlines()
    wide = next(line for line in table if line.startswith("wide"))
    assert "attribute_00 0.50 attribute_01 0.51" in wide  # the weakest first, whatever the order given
    assert wide.endswith("+18 more")
    assert max(map(len, table)) <= 6 * 13 + LIST_CELL
    assert "copies with" not in table[0] and "systematic offset" not in table[0]  # nobody has any
    assert json.loads(reliability(report, "json"))[0]["by_attribute"] == dict(reversed(MANY.items()))


def test_list_columns_show_when_any_source_fills_them():
    report = SimpleNamespace(sources=[source("a", {"gate": 0.9}, copies=["b"], offsets={"departure": 14.0}),
                                      source("b", {"gate": 0.8})])
    header, _, first, second = reliability(report, "table").splitlines()
    assert "copies with" in header and "systematic offset" in header
    assert first.split()[-5:] == ["0.90", "b", "departure", "+14", "min"]
    assert second.split()[-2:] == ["gate", "0.80"]
