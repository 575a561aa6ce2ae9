"""Systematic offsets gather deltas per shape of backers, and shifted pairs skip items no shifted source states:
they must be those of going item by item (keys in order)."""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.consensus import Item, Options, Statement
from ledger.core.consensus.offsets import shifted_compatibility, systematic_offsets
from ledger.core.consensus.prepared import Prepared


def item_by_item(prepared: Prepared, choice: list[int], options: Options) -> tuple[dict, dict]:
    """Each source's deltas appended item by item, its half-width its first item's."""
    deltas, half_widths = defaultdict(list), {}
    for index, scale in enumerate(prepared.scales):
        if scale == "text":
            continue
        values, chosen = prepared.values[index], choice[index]
        for slot, sources in enumerate(prepared.backers[index]):
            for source in sources:
                key = (source, prepared.attribute_of[index])
                deltas[key].append(0.0 if slot == chosen else float(values[slot]) - float(values[chosen]))
                half_widths.setdefault(key, prepared.half_widths[index])
    systematic, typical = {}, {}
    for key, found in deltas.items():
        if len(found) < options.offset_min_items:
            continue
        middle = typical[key] = median(found)
        half = half_widths[key]
        if abs(middle) > half and sum(1 for d in found if abs(d - middle) <= 2 * half) / len(found) >= 0.5:
            systematic[key] = middle
    return systematic, typical


def shifted_item_by_item(prepared: Prepared, offsets: dict) -> list:
    """Every number item's pairs with each shifted claim's support added (sorted), else its plain pairs."""
    result = []
    for index, base in enumerate(prepared.compatible):
        values, half = prepared.values[index], prepared.half_widths[index]
        pairs, shifted = [set(p) for p in base], False
        if prepared.scales[index] != "text":
            for slot, sources in enumerate(prepared.backers[index]):
                for source in sources:
                    offset = offsets.get((source, prepared.attribute_of[index]))
                    if offset is not None:
                        shifted, point = True, values[slot] - offset
                        pairs[slot].update(j for j, v in enumerate(values) if j != slot and abs(v - point) <= 2 * half)
        result.append(tuple(tuple(sorted(p)) for p in pairs) if shifted else base)
    return result


statements = st.lists(st.tuples(st.sampled_from("abcde"), st.sampled_from([0, 5, 9, 10, 11, 30])), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(statements, st.sampled_from(["departure", "arrival"]), st.sampled_from([2.0, 4.0, 6.0]),
                          st.sampled_from(["minutes", "text"])), min_size=1, max_size=25),
       st.integers(1, 4), st.data())
def test_offsets_are_those_of_going_item_by_item(items, min_items, data):
    made = [Item((k,), attribute, scale, [
        Statement(n, source, float(value) if scale == "minutes" else str(value),
                  *((value - half, value + half) if scale == "minutes" else (None, None)))
        for n, (source, value) in enumerate(found)]) for k, (found, attribute, half, scale) in enumerate(items)]
    prepared = Prepared(made)
    choice = [data.draw(st.integers(0, len(values) - 1)) for values in prepared.values]
    options = Options(offset_min_items=min_items)
    systematic, typical = systematic_offsets(prepared, choice, options)
    expected_systematic, expected_typical = item_by_item(prepared, choice, options)
    assert list(typical.items()) == list(expected_typical.items())  # keys in the order first met
    assert list(systematic.items()) == list(expected_systematic.items())
    shifted = shifted_compatibility(prepared, systematic)
    assert (shifted is None) == (not systematic)
    if shifted is not None:
        assert shifted == shifted_item_by_item(prepared, systematic)
