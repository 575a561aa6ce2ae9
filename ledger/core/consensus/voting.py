"""One round of voting: scores with compatible and partial support, the choice and its stated confidence."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ledger.core import calibration
from ledger.core.consensus.abbreviating import lent_shares
from ledger.core.consensus.model import Options
from ledger.core.consensus.prepared import Origins, Prepared


@dataclass
class Ballot:
    """One round of voting: per item the choice, probabilities, raw and total scores."""

    choice: list[int]
    probabilities: list[list[float]]
    raw: list[list[float]]
    total: list[list[float]]
    lends: list[list[list[tuple[int, float]]]]  # per item, per candidate: (candidate it supports, share of its vote)
    group_votes: dict[int, list[float]] | None  # None: origins counted (support)

    @property
    def counting(self) -> bool:
        return self.group_votes is None

    def weight(self, group: int, attribute: int) -> float:
        return 1.0 if self.group_votes is None else self.group_votes[group][attribute]


def lent_support(compatible: list[list[int]], partial: dict[int, list[tuple[int, float]]] | None,
                 similarity: float) -> list[list[tuple[int, float]]]:
    """Per candidate, the candidates its vote helps and by what share of it.

    A value lends a fuller one it implies its implication weight (partial
    support), and nothing back; other compatible values lend each other
    ``similarity`` (AccuSim).
    """
    if partial is None:
        return [[(j, similarity) for j in helped] if similarity else [] for helped in compatible]
    fuller = {(i, j) for i, pairs in partial.items() for j, _ in pairs}
    lends = []
    for i, helped in enumerate(compatible):
        lent = [(j, similarity) for j in helped if similarity and (i, j) not in fuller and (j, i) not in fuller]
        lends.append(lent + partial.get(i, []))
    return lends


def probability_without(raw, total, lends, slot, weight, counting) -> float:
    """Probability of candidate ``slot`` once one origin backing it (of ``weight``) is left out."""
    if counting:
        whole = sum(raw) - weight
        return (raw[slot] - weight) / whole if whole > 0 else 0.0
    adjusted = list(total)
    adjusted[slot] -= weight
    for other, share in lends[slot]:
        adjusted[other] -= share * weight
    top = max(adjusted)
    exps = [math.exp(t - top) for t in adjusted]
    return exps[slot] / sum(exps)


def cast_votes(prepared: Prepared, origins: Origins, group_votes: dict[int, list[float]] | None, options: Options,
               shifted, habits: dict[int, list[float]] | None = None) -> Ballot:
    """One round of voting over the contested items (the others are unanimous).

    ``group_votes``: per origin, its vote per attribute; None counts origins (support).
    ``habits``: per origin, its habit of abbreviating per attribute, scaling the
    partial support it lends (``abbreviating``); None lends the whole share.
    """
    count = len(prepared.values)
    choice = [0] * count
    probabilities: list[list[float]] = [[1.0]] * count
    raws: list[list[float]] = [[1.0]] * count
    totals: list[list[float]] = [[1.0]] * count
    lends_of: list[list[list[tuple[int, float]]]] = [[[]]] * count
    similarity = options.similarity
    for index in prepared.contested:
        attribute = prepared.attribute_of[index]
        by_candidate = origins.by_candidate[index]
        if group_votes is None:
            raw = [float(len(groups)) for groups in by_candidate]
        else:
            raw = [sum(group_votes[g][attribute] for g in groups) for groups in by_candidate]
        partial = prepared.partial[index] if options.partial_support else None
        if partial is not None and habits and group_votes is not None:
            partial = lent_shares(partial, by_candidate, raw, group_votes, habits, attribute)
        lends = lent_support(prepared.compatible[index] if shifted is None else shifted[index], partial, similarity)
        total = list(raw)
        for i, lent in enumerate(lends):
            for j, share in lent:
                total[j] += share * raw[i]
        claims = prepared.claims[index]
        if group_votes is None:  # support: origins (and partial support) first; compatible support, claims break ties
            backed = list(raw)
            for i, pairs in (partial or {}).items():
                for j, share in pairs:
                    backed[j] += share * raw[i]
            best = max(range(len(raw)), key=lambda i: (backed[i], total[i], len(claims[i]), -i))
            probs = calibration.counted(backed, raw, options.unstated_origins)
        else:
            probs = calibration.weighted(total, options.false_values, options.temperature)
            best = max(range(len(total)), key=lambda i: (total[i], raw[i], len(claims[i]), -i))
        choice[index] = best
        probabilities[index] = probs
        raws[index] = raw
        totals[index] = total
        lends_of[index] = lends
    return Ballot(choice, probabilities, raws, totals, lends_of, group_votes)
