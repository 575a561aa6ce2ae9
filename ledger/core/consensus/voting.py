"""One round of voting: scores with compatible and partial support, the choice and its stated confidence."""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from ledger.core import calibration
from ledger.core.consensus.abbreviating import lent_shares
from ledger.core.consensus.model import Options
from ledger.core.consensus.prepared import Origins, Prepared


@dataclass
class Ballot:
    """One round of voting: per item the choice, raw and total scores, and the support lent."""

    choice: list[int]
    raw: list[list[float]]
    total: list[list[float]]
    lends: list[list[list[tuple[int, float]]]]  # per item, per candidate: (candidate it supports, share of its vote)
    group_votes: dict[int, list[float]] | None  # None: origins counted (support)
    backed: list[list[float]] | None = None  # support: per item, origins with the partial support they are lent
    # every credit the vote earns, by number (``weights.Evidence``), when worked out with it (see ``Voter``)
    credits: list[float] | array | None = None
    sums: list[list[float]] | None = None  # ... and per source and attribute, their sums (``Evidence.sums``)
    partial: bool = False  # scores and lends kept for part of the items only (the others' were cast elsewhere)

    @property
    def counting(self) -> bool:
        return self.group_votes is None

    def weight(self, group: int, attribute: int) -> float:
        return 1.0 if self.group_votes is None else self.group_votes[group][attribute]

    def probabilities(self, index: int, options: Options) -> list[float]:
        """Stated confidence per candidate of a contested item: worked out for the decisions shown only,
        not in every round (the rounds need the scores alone)."""
        if self.backed is not None:
            return calibration.counted(self.backed[index], self.raw[index], options.unstated_origins)
        return calibration.weighted(self.total[index], options.false_values, options.temperature)


def lent_support(compatible: tuple[tuple[int, ...], ...], partial: dict[int, list[tuple[int, float]]] | None,
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


def counted_without(raw: list[float], slot: int) -> float:
    """Support: the share of candidate ``slot``'s origins among all once one origin backing it is left out.

    (Weighted votes leave an origin out in ``weights.Evidence.credits``.)
    """
    whole = sum(raw) - 1.0
    return (raw[slot] - 1.0) / whole if whole > 0 else 0.0


class Lending:
    """Per contested item, the support its candidates lend each other (``lent_support``).

    Made once for a set of compatible pairs (the plain ones, or those of
    shifted values): it changes between votes only where habits scale partial
    support, so only those items are worked out again at each vote. Each
    shared shape's lending is also kept as its flows (``flows``), as a vote adds them.
    """

    def __init__(self, prepared: Prepared, options: Options, shifted: list[tuple[tuple[int, ...], ...]] | None = None,
                 offsets: dict[tuple[int, int], float] | None = None):
        self.compatible = prepared.compatible if shifted is None else shifted
        self.offsets = offsets  # the systematic offsets ``shifted`` was worked out from (None: plain pairs)
        self.similarity = options.similarity
        self.partial = prepared.partial if options.partial_support else [None] * len(prepared.values)
        # per item its lends; without partial support one per shape of pairs, with its flows (``flows``)
        self.fixed: list[list[list[tuple[int, float]]] | None] = [None] * len(prepared.values)
        self.flows: dict[int, tuple[tuple[int, int, float], ...]] = {}  # by id of the shared lends
        # per item, the last contested item before it of its attribute, backers and lends (else -1): the two
        # are voted on alike (half the Flight month's contested items repeat an earlier one)
        self.alike = array("i", [-1]) * len(prepared.values)
        alike: dict[tuple, list[list[tuple[int, float]]]] = {}
        last_of: dict[tuple[int, int, int], int] = {}
        for index in prepared.contested:
            compatible, partial = self.compatible[index], self.partial[index]
            if partial is not None:  # lends of its own, scaled at each vote by habits
                self.fixed[index] = lent_support(compatible, partial, self.similarity)
                continue
            if (lent := alike.get(compatible)) is not None:
                self.fixed[index] = lent
            else:
                self.fixed[index] = alike[compatible] = lent = lent_support(compatible, None, self.similarity)
                self.flows[id(lent)] = flows(lent)
            # backers and lends are stored once per shape (``Prepared.shared``, ``alike``): equal ones are one object
            key = (prepared.attribute_of[index], id(prepared.backers[index]), id(lent))
            self.alike[index] = last_of.get(key, -1)
            last_of[key] = index

    def scaled(self, index: int, partial: dict[int, list[tuple[int, float]]]) -> list[list[tuple[int, float]]]:
        """What ``lent_support`` gives for the item's pairs and ``partial`` (its implied pairs, shares rescaled):
        the fixed lends with the implied pairs, which come last, replaced."""
        implied = self.partial[index]
        return [lent[: len(lent) - len(implied.get(i, ()))] + partial.get(i, []) for i, lent in enumerate(self.fixed[index])]


def flows(lends: list[list[tuple[int, float]]]) -> tuple[tuple[int, int, float], ...]:
    """An item's lending as (lender, helped, share), lenders in order: how a vote adds them to the scores."""
    return tuple((i, j, share) for i, lent in enumerate(lends) for j, share in lent)


def vote_columns(group_votes: dict[int, list[float]], n_attributes: int) -> list[list[float]]:
    """Per attribute, each origin's vote by origin number (0 for numbers that are no origin)."""
    size = max(group_votes, default=-1) + 1
    columns: list[list[float]] = []
    for attribute in range(n_attributes):
        column = [0.0] * size
        for group, votes in group_votes.items():
            column[group] = votes[attribute]
        columns.append(column)
    return columns


def contested_part(prepared: Prepared, first: int, stop: int) -> tuple[int, int, int]:
    """The contested items ``prepared.contested[first:stop]`` as ``cast_votes`` takes a part: with the place of
    their first candidate among all contested candidates."""
    values = prepared.values
    return first, stop, sum(len(values[index]) for index in prepared.contested[:first])


def tie_broken(total: list[float], raw: list[float], claims: tuple[int, ...]) -> int:
    """A weighted vote's winner among equal highest scores: the higher raw score, then more claims, then the first."""
    return max(range(len(total)), key=lambda i: (total[i], raw[i], claims[i], -i))


def cast_votes(prepared: Prepared, origins: Origins, group_votes: dict[int, list[float]] | None, options: Options,
               lending: Lending, habits: dict[int, list[float]] | None = None,
               part: tuple[int, int, int] | None = None) -> Ballot:
    """One round of voting over the contested items (the others are unanimous).

    ``group_votes``: per origin, its vote per attribute; None counts origins (support).
    ``lending``: the support candidates lend each other (plain or shifted compatible pairs).
    ``habits``: per origin, its habit of abbreviating per attribute, scaling the
    partial support it lends (``abbreviating``); None lends the whole share.
    ``part``: only these contested items (``contested_part``); the others keep a
    placeholder score and choice 0. Each item's vote is its own, so a part's are the whole vote's.
    """
    count = len(prepared.values)
    choice = [0] * count
    raws: list[list[float]] = [[1.0]] * count
    totals: list[list[float]] = [[1.0]] * count
    lends_of: list[list[list[tuple[int, float]]]] = [[[]]] * count
    backed_of: list[list[float]] | None = None
    if group_votes is None:
        backed_of = [[1.0]] * count
    else:  # each origin's vote per attribute by origin number; a candidate's raw score sums its origins' votes
        columns = vote_columns(group_votes, len(prepared.attribute_index))
        # one sum per distinct (attribute, origins) of a candidate: the same numbers added in the same order
        summed = [sum(map(columns[attribute].__getitem__, groups))
                  for attribute, groups in zip(origins.summed_attributes, origins.summed_origins)]
        raw_of = summed.__getitem__
        sum_numbers = origins.sum_numbers
    scale_habits = bool(habits) and group_votes is not None
    shape_flows = lending.flows
    contested = prepared.contested
    position = 0
    if part is not None:
        first, stop, position = part
        contested = contested[first:stop]
    # an item voted on like one before it in this part (``Lending.alike``) shares its scores: the same lists
    alike = lending.alike if group_votes is not None and contested else None
    first_here = contested[0] if contested else 0
    tied: set[int] = set()  # items whose highest score was a tie (broken by their own claims)
    for index in contested:
        by_candidate = origins.by_candidate[index]
        if group_votes is None:
            raw = [float(len(groups)) for groups in by_candidate]
        else:
            position += len(by_candidate)
            earlier = alike[index]
            if earlier >= first_here:
                raw = raws[index] = raws[earlier]
                total = totals[index] = totals[earlier]
                lends_of[index] = lends_of[earlier]
                if earlier in tied:
                    tied.add(index)
                    choice[index] = tie_broken(total, raw, prepared.claim_counts[index])
                else:
                    choice[index] = choice[earlier]
                continue
            raw = list(map(raw_of, sum_numbers[position - len(by_candidate):position]))
        partial = lending.partial[index]
        if partial is not None and scale_habits:
            attribute = prepared.attribute_of[index]
            lends = lending.scaled(index, lent_shares(partial, by_candidate, raw, group_votes, habits, attribute))
            lent = flows(lends)
        else:
            lends = lending.fixed[index]
            lent = flows(lends) if partial is not None else shape_flows[id(lends)]
        total = raw.copy()
        for i, j, share in lent:
            total[j] += share * raw[i]
        if group_votes is None:  # support: origins (and partial support) first; compatible support, claims break ties
            claims = prepared.claim_counts[index]
            backed = list(raw)
            for i, pairs in (partial or {}).items():
                for j, share in pairs:
                    backed[j] += share * raw[i]
            best = max(range(len(raw)), key=lambda i: (backed[i], total[i], claims[i], -i))
            backed_of[index] = backed
        else:
            top = max(total)
            if total.count(top) == 1:  # the usual case: one highest score, no tie to break
                best = total.index(top)
            else:
                tied.add(index)
                best = tie_broken(total, raw, prepared.claim_counts[index])
        choice[index] = best
        raws[index] = raw
        totals[index] = total
        lends_of[index] = lends
    return Ballot(choice, raws, totals, lends_of, group_votes, backed_of, partial=part is not None)
