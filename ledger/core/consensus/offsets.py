"""Systematic offsets of sources on number scales, and the support their shifted claims lend."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from statistics import median

from ledger.core.consensus.model import Options
from ledger.core.consensus.prepared import Prepared, is_number_scale


def systematic_offsets(prepared: Prepared, choice: list[int], options: Options):
    """Median (stated − decided) per (source, attribute) on number scales, and which are systematic."""
    deltas: dict[tuple[int, int], list[float]] = defaultdict(list)
    half_widths: dict[tuple[int, int], float] = {}
    for index, scale in enumerate(prepared.scales):
        if not is_number_scale(scale):
            continue
        values = prepared.values[index]
        decided = values[choice[index]]
        attribute = prepared.attribute_of[index]
        half = prepared.half_widths[index]
        for slot, sources in enumerate(prepared.backers[index]):
            delta = 0.0 if slot == choice[index] else float(values[slot]) - float(decided)
            for source in sources:
                deltas[source, attribute].append(delta)
                half_widths.setdefault((source, attribute), half)
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
    result = []
    for index, scale in enumerate(prepared.scales):
        base = prepared.compatible[index]
        values = prepared.values[index]
        if not is_number_scale(scale) or len(values) < 2:
            result.append(base)
            continue
        attribute = prepared.attribute_of[index]
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
