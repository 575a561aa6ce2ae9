"""Systematic offsets of sources on number scales, and the support their shifted claims lend."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from statistics import median

from ledger.core.consensus.model import Options
from ledger.core.consensus.prepared import Prepared, is_number_scale


def systematic_offsets(prepared: Prepared, choice: list[int], options: Options):
    """Median (stated − decided) per (source, attribute) on number scales, and which are systematic.

    The deltas are gathered per (attribute, sources backing a value), shapes that repeat, then handed to each
    of those sources: a source's deltas come in another order than item by item, which neither their median
    (of the sorted deltas) nor the share near it depends on; the keys keep the order first met, each its first
    item's half-width.
    """
    by_shape: dict[tuple[int, tuple[int, ...]], tuple[float, list[float]]] = {}
    for index, scale in enumerate(prepared.scales):
        if not is_number_scale(scale):
            continue
        values = prepared.values[index]
        chosen = choice[index]
        decided = float(values[chosen])
        attribute = prepared.attribute_of[index]
        for slot, sources in enumerate(prepared.backers[index]):
            shape = by_shape.get((attribute, sources))
            if shape is None:
                shape = by_shape[attribute, sources] = (prepared.half_widths[index], [])
            shape[1].append(0.0 if slot == chosen else float(values[slot]) - decided)
    deltas: dict[tuple[int, int], list[float]] = {}
    half_widths: dict[tuple[int, int], float] = {}
    for (attribute, sources), (half, found) in by_shape.items():
        for source in sources:
            if (source, attribute) in deltas:
                deltas[source, attribute] += found
            else:
                deltas[source, attribute] = found.copy()
                half_widths[source, attribute] = half
    systematic: dict[tuple[int, int], float] = {}
    typical: dict[tuple[int, int], float] = {}
    for key, found in deltas.items():
        if len(found) < options.offset_min_items:
            continue
        middle = median(found)
        typical[key] = middle
        half = half_widths[key]
        if abs(middle) <= half:
            continue
        near = sum(1 for d in found if abs(d - middle) <= 2 * half) / len(found)
        if near >= 0.5:
            systematic[key] = middle
    return systematic, typical


def shifted_compatibility(prepared: Prepared, offsets: dict) -> list[tuple[tuple[int, ...], ...]] | None:
    """Compatible pairs once values of sources with a systematic offset are shifted back by it.

    Candidate i then supports j when a claim of i, shifted, falls within j's
    tolerance; the exact vote stays with the value as stated. None when no
    source has an offset (the plain compatible pairs hold).
    """
    if not offsets:
        return None
    offset_sources: dict[int, set[int]] = {}  # per attribute, the sources with an offset on it
    for source, attribute in offsets:
        offset_sources.setdefault(attribute, set()).add(source)
    result = []
    for index, scale in enumerate(prepared.scales):
        base = prepared.compatible[index]
        values = prepared.values[index]
        if not is_number_scale(scale) or len(values) < 2:
            result.append(base)
            continue
        attribute = prepared.attribute_of[index]
        shifting = offset_sources.get(attribute)
        if shifting is None or all(shifting.isdisjoint(sources) for sources in prepared.backers[index]):
            result.append(base)  # no claim of it is shifted
            continue
        half = prepared.half_widths[index]
        pairs = None
        order = sorted(range(len(values)), key=lambda k: float(values[k]))
        points = [float(values[k]) for k in order]
        for slot, sources in enumerate(prepared.backers[index]):
            for source in sources:
                offset = offsets.get((source, attribute))
                if offset is None:
                    continue
                if pairs is None:
                    pairs = [set(p) for p in base]
                point = float(values[slot]) - offset
                for position in range(bisect_left(points, point - 2 * half), bisect_right(points, point + 2 * half)):
                    other = order[position]
                    if other != slot:
                        pairs[slot].add(other)  # slot's claims, shifted back, support ``other``
        result.append(base if pairs is None else tuple(tuple(sorted(p)) for p in pairs))
    return result
