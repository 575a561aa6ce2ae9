"""How far an origin's shorter values are abbreviations: the share of partial support it lends, learned.

Partial support (``ledger.core.implication``) reads a shorter value as saying
part of a fuller one: a store printing ``Han`` for ``Han, Jiawei; Kamber,
Micheline`` abbreviates. But a shorter value can also be a claim in its own
right: a site printing gates as the airline does (``39``) does not vouch for
``C39``, the format another feed adds. Which it is shows in the origin's
record, as its accuracy does: of the items where it states a value implying a
fuller stated one, how often the decision is a fuller one (it abbreviated)
rather than its own value (it stood for itself). That share — its **habit of
abbreviating**, per origin and attribute — scales the partial support it lends.
It is smoothed as reliability is, ``(abbreviated + k·1) / (judged + k)`` with
``k = smoothing``, towards TruthFinder's full implication, so an origin with no
such record lends the whole share. Items decided for a third value teach
nothing either way.

Learned for **codes** only (``LEARNED_SCALES``): a bare and a lettered gate are
two notations of one thing, and which one a site prints is a steady habit
with hundreds of items to learn it from. An author list is judged by stores
stating some thirty books each, too few shorter lists to learn a habit from:
on the Book tuning half, habits for names cost 2 points (92% → 90%), so names
keep TruthFinder's full implication.
"""

from __future__ import annotations

from collections import defaultdict

from ledger.core.consensus.model import Options
from ledger.core.consensus.prepared import Origins, Prepared

LEARNED_SCALES = ("identifier",)  # scales whose partial support is scaled by habits (see the module docstring)


def abbreviation_habits(prepared: Prepared, origins: Origins, choice: list[int],
                        options: Options) -> dict[int, list[float]]:
    """Per origin (copy group) with a record, per attribute: its habit of abbreviating (see the module docstring).

    Origins absent from the result have no shorter values stated and lend the full share.
    """
    n_attributes = len(prepared.attribute_index)
    abbreviated: dict[int, list[int]] = defaultdict(lambda: [0] * n_attributes)
    judged: dict[int, list[int]] = defaultdict(lambda: [0] * n_attributes)
    for index in prepared.contested:
        partial = prepared.partial[index]
        if partial is None or prepared.scales[index] not in LEARNED_SCALES:
            continue
        attribute, chosen = prepared.attribute_of[index], choice[index]
        for slot, implied in partial.items():
            fuller = any(j == chosen for j, _ in implied)
            if not fuller and slot != chosen:
                continue
            for group in origins.by_candidate[index][slot]:
                judged[group][attribute] += 1
                abbreviated[group][attribute] += fuller
    k = options.smoothing
    return {group: [(a + k) / (n + k) for a, n in zip(abbreviated[group], counts)] for group, counts in judged.items()}


def lent_shares(partial: dict[int, list[tuple[int, float]]], by_candidate: list[tuple[int, ...]], raw: list[float],
                group_votes: dict[int, list[float]], habits: dict[int, list[float]],
                attribute: int) -> dict[int, list[tuple[int, float]]]:
    """An item's implied pairs, each share scaled by the vote-weighted habit of the origins stating the shorter value."""
    scaled = {}
    for slot, implied in partial.items():
        if raw[slot] <= 0:
            scaled[slot] = implied
            continue
        habit = sum(group_votes[g][attribute] * habits[g][attribute] if g in habits else group_votes[g][attribute]
                    for g in by_candidate[slot]) / raw[slot]
        scaled[slot] = [(j, weight * habit) for j, weight in implied]
    return scaled
