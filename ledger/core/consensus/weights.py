"""Reliability per source, attribute and origin (copy group), smoothed, and Accu's vote count."""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from functools import cache, reduce
from itertools import chain
from operator import add, itemgetter

from ledger.core.consensus.model import Options
from ledger.core.consensus.prepared import Origins, Prepared
from ledger.core.consensus.voting import Ballot, counted_without, vote_columns


# Credits from which each source's are added in C when numpy is installed: below, Python adds them in less time
# than importing numpy takes (~0.15 s; the seed ledger's whole ``consensus`` takes ~0.5 s).
SUMS_IN_C_FROM = 50_000


@cache
def numpy_if_installed():
    """The ``fast`` extra's numpy, adding each source's credits in C (the same additions in the same order), or
    None. Imported at the first large sum, not with this module."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def accu_vote(accuracy: float, false_values: float) -> float:
    """Accu's vote count ln(n·A/(1 − A)), A clipped to [0.01, 0.99], never below 0."""
    accuracy = min(0.99, max(0.01, accuracy))
    return max(0.0, math.log(false_values * accuracy / (1 - accuracy)))


class Weights:
    """Reliability per (source, attribute), per source, and per origin (copy group), smoothed."""

    def __init__(self, prepared: Prepared, options: Options, families: dict[str, str] | None = None):
        self.prepared = prepared
        self.options = options
        names: dict[str, int] = {}
        families = families or {}
        self.family_of = [names.setdefault(families.get(s, s), len(names)) for s in prepared.sources]
        self.family_names = list(names)
        self.family_reliability: dict[int, float] = {}
        n_sources, n_attributes = len(prepared.sources), len(prepared.attribute_index)
        self.overall = [options.prior] * n_sources
        self.by_attribute = [[options.prior] * n_attributes for _ in range(n_sources)]
        self.evaluated = [0] * n_sources
        self.choice: list[int] | None = None  # the decisions the last update judged by (see ``agreeing``)
        self.group_votes: dict[int, list[float]] = {}
        self.sums: list[list[float]] | None = None
        self.counts: list[list[int]] | None = None
        self.overall_only = True
        self.evidence: Evidence | None = None  # made once per grouping of sources (see Evidence)

    def vote(self, accuracy: float) -> float:
        return accu_vote(accuracy, self.options.false_values)

    def update(self, ballot: Ballot, origins: Origins, overall_only: bool = False) -> None:
        """Re-estimate reliabilities from the last vote, each source judged by the *others*.

        A statement's credit is the probability of its value with its own
        origin's vote left out, so a prolific source cannot vouch for itself.
        """
        prepared, options = self.prepared, self.options
        n_sources = len(prepared.sources)
        evidence = self.evidence_for(origins)
        if ballot.sums is not None:
            sums = ballot.sums
        else:
            credits = ballot.credits if ballot.credits is not None else evidence.credits(ballot)
            sums = evidence.sums(credits, range(n_sources))
        counts = [[len(earned) for earned in by_attribute] for by_attribute in evidence.earned]
        k, prior = options.smoothing, options.prior
        family_sum: dict[int, float] = defaultdict(float)
        family_count: dict[int, int] = defaultdict(int)
        for source in range(n_sources):
            family_sum[self.family_of[source]] += sum(sums[source])
            family_count[self.family_of[source]] += sum(counts[source])
        self.family_reliability = {
            family: (family_sum[family] + k * prior) / (family_count[family] + k) for family in family_sum
        }
        for source in range(n_sources):
            n = sum(counts[source])
            parent = self.family_reliability[self.family_of[source]]
            overall = (sum(sums[source]) + k * parent) / (n + k)
            self.overall[source] = overall
            self.evaluated[source] = n
            self.by_attribute[source] = self._estimate(sums[source], counts[source], parent, overall_only)
        self.sums, self.counts, self.overall_only = sums, counts, overall_only
        self.choice = ballot.choice
        self.regroup(origins)

    def evidence_for(self, origins: Origins) -> Evidence:
        """The credits' bookkeeping for ``origins`` (made once per grouping)."""
        if self.evidence is None or self.evidence.origins is not origins:
            self.evidence = None  # freed before the next is made
            self.evidence = Evidence(self.prepared, origins)
        return self.evidence

    @property
    def agreeing(self) -> list[int]:
        """Per source, its statements equal to the decisions at the last update: counted when asked, as only
        the last update's are reported."""
        if self.evidence is None or self.choice is None:
            return [0] * len(self.prepared.sources)
        return self.evidence.agreeing(self.choice)

    def _estimate(self, sums: list[float], counts: list[int], parent: float, overall_only: bool) -> list[float]:
        """Reliability per attribute from one source's (or group's) credits.

        For attribute a the base is the reliability on the *other* attributes
        (a source is not its own witness on the attribute being decided); with
        too little evidence elsewhere, on all of them. ``overall_only`` stops
        there (the first phase); otherwise the credits on a itself are added.
        """
        k = self.options.smoothing
        total, n = sum(sums), sum(counts)
        overall = (total + k * parent) / (n + k)
        estimates = []
        for attribute, (own_sum, own_count) in enumerate(zip(sums, counts)):
            elsewhere = n - own_count
            base = (total - own_sum + k * parent) / (elsewhere + k) if elsewhere >= k else overall
            estimates.append(base if overall_only else (own_sum + k * base) / (own_count + k))
        return estimates

    def regroup(self, origins: Origins) -> None:
        """Vote weights per origin: a copy group is judged on its members' statements pooled."""
        if self.sums is None:
            return
        prior = self.options.prior
        n_attributes = len(self.prepared.attribute_index)
        members: dict[int, list[int]] = defaultdict(list)
        for source, group in enumerate(origins.groups):
            members[group].append(source)
        self.group_votes = {}
        for group, sources in members.items():
            parent = self.family_reliability.get(self.family_of[sources[0]], prior)
            sums = [sum(self.sums[s][a] for s in sources) for a in range(n_attributes)]
            counts = [sum(self.counts[s][a] for s in sources) for a in range(n_attributes)]
            self.group_votes[group] = [self.vote(v) for v in self._estimate(sums, counts, parent, self.overall_only)]


class Evidence:
    """Which statements earn which credit, for one grouping of sources: worked out once, not at every update.

    The items with more than one origin are the evidence. A unanimous item
    gives each of its statements full credit; on a contested one, a statement
    earns the probability of its value with its origin's vote left out — one
    credit per candidate and origin, shared by the origin's members. Per
    source and attribute, ``earned`` lists the credits its statements earn,
    in item order (``credits`` numbers them; number 0 is the full credit).
    """

    def __init__(self, prepared: Prepared, origins: Origins):
        self.origins = origins
        groups = origins.groups
        n_attributes = self.n_attributes = len(prepared.attribute_index)
        earned = [[array("q") for _ in range(n_attributes)] for _ in prepared.sources]
        self.unanimous_agreeing: Counter[int] = Counter()
        # per contested item: (item, attribute, [(candidate, the origins earning a credit on it, in order)])
        self.contested: list[tuple[int, int, tuple[tuple[int, tuple[int, ...]], ...]]] = []
        numbered = 1
        for index, backers in enumerate(prepared.backers):
            if not origins.multi_origin[index]:
                continue
            attribute = prepared.attribute_of[index]
            if len(backers) == 1:  # everyone agrees: full credit
                for source in backers[0]:
                    earned[source][attribute].append(0)
                    self.unanimous_agreeing[source] += 1
                continue
            credited: list[tuple[int, tuple[int, ...]]] = []
            for slot, sources in enumerate(backers):
                number_of: dict[int, int] = {}
                for source in sources:
                    group = groups[source]
                    number = number_of.get(group)
                    if number is None:
                        number = number_of[group] = numbered
                        numbered += 1
                    earned[source][attribute].append(number)
                credited.append((slot, prepared.shared(tuple(number_of))))
            self.contested.append((index, attribute, prepared.shared(tuple(credited))))
        self.earned = earned
        self.backers = prepared.backers
        self._summing: tuple = (None, None)  # the last sources summed and their plan: ``_summing_plan``

    def credits(self, ballot: Ballot) -> array:
        """Every credit of the last vote, by number: 8 bytes each, not a float object each (the Flight month's
        votes earn a few million)."""
        return self.credits_between(ballot, 0, len(self.contested), array("d", [1.0]))

    def entry_at(self, index: int) -> int:
        """The place in ``contested`` of the first item at or after item ``index``."""
        return bisect_left(self.contested, index, key=itemgetter(0))

    def credits_between(self, ballot: Ballot, start: int, stop: int, credits: list[float] | array) -> list[float] | array:
        """``credits`` with the credits earned on ``contested[start:stop]`` added, in order (their numbers follow
        on from the earlier items'): a list, or an ``array("d")`` (8 bytes a credit, not a float object each).

        Weighted votes: the softmax of the item's scores once the origin's vote
        (and the support it lends) is taken off its candidate — written out in
        the loop, as it is worked out millions of times.
        """
        contested = self.contested[start:stop]
        if ballot.counting:
            credits.extend(counted_without(ballot.raw[index], slot)
                           for index, _, credited in contested for slot, groups in credited for _ in groups)
            return credits
        earn = credits.append
        exp = math.exp
        group_votes, totals, lends_of = ballot.group_votes, ballot.total, ballot.lends
        columns = vote_columns(group_votes, self.n_attributes)
        # items voted on alike share one score list (``cast_votes``): their credits are the first one's
        first_with: dict[int, int] = {}  # id of a score list -> the place of the first item with it
        starts: list[int] = []  # per place, where its credits start in ``credits``
        for place, (index, attribute, credited) in enumerate(contested):
            total, lends = totals[index], lends_of[index]
            starts.append(len(credits))
            earlier = first_with.setdefault(id(total), place)
            if earlier != place:
                credits.extend(credits[starts[earlier] : starts[earlier + 1]])
                continue
            vote_of = columns[attribute]
            if len(total) == 2 and len(lends[0]) < 2 and len(lends[1]) < 2:
                # most items: the softmax of two scores, the higher one's exp(0) being 1
                for slot, groups in credited:
                    lent = lends[slot]
                    own, other = total[slot], total[1 - slot]
                    share = lent[0][1] if lent else 0.0
                    for group in groups:
                        weight = vote_of[group]
                        mine = own - weight
                        theirs = other - share * weight if lent else other
                        if mine >= theirs:
                            earn(1.0 / (1.0 + exp(theirs - mine)))
                        else:
                            odds = exp(mine - theirs)
                            earn(odds / (odds + 1.0))
                continue
            for slot, groups in credited:
                lent = lends[slot]
                for group in groups:
                    weight = vote_of[group]
                    adjusted = total.copy()
                    adjusted[slot] -= weight
                    for other, share in lent:
                        adjusted[other] -= share * weight
                    exps = list(map(exp, map(max(adjusted).__rsub__, adjusted)))
                    earn(exps[slot] / sum(exps))
        return credits

    def sums(self, credits: list[float] | array, sources) -> list[list[float] | None]:
        """Per source of ``sources`` (others None), its credits on each attribute added one by one in item order,
        as they were earned (0.0 first): the very floats, whether numpy adds them or Python does."""
        if len(credits) >= SUMS_IN_C_FROM and (numpy := numpy_if_installed()) is not None:
            return self._sums_in_c(numpy, credits, sources)
        credit_of = credits.__getitem__
        wanted = set(sources)
        return [[reduce(add, map(credit_of, earned), 0.0) for earned in by_attribute] if source in wanted else None
                for source, by_attribute in enumerate(self.earned)]

    def _sums_in_c(self, numpy, credits: list[float] | array, sources) -> list[list[float] | None]:
        """``sums`` by ``numpy.add.at``, which adds each credit to its bin one at a time in the order given: every
        (source, attribute) is a bin, its credits gathered in earned order (~20 times Python's speed on millions)."""
        wanted = sorted(set(sources))
        numbers, bins = self._summing_plan(numpy, tuple(wanted))
        if not isinstance(credits, array):
            credits = array("d", credits)
        n = self.n_attributes
        added = numpy.zeros(len(wanted) * n)
        numpy.add.at(added, bins, numpy.frombuffer(credits, dtype=numpy.float64)[numbers])
        added = added.tolist()
        sums: list[list[float] | None] = [None] * len(self.earned)
        for place, source in enumerate(wanted):
            sums[source] = added[place * n : (place + 1) * n]
        return sums

    def _summing_plan(self, numpy, wanted: tuple[int, ...]) -> tuple:
        """For ``wanted`` sources: every credit number they earned, in (source, attribute, item) order, and its
        bin (in the fewest bytes that hold the bins: ``add.at`` takes any integers, unlike ``bincount``). Kept for
        the last set of sources only: every vote sums the same set (the first update of a grouping sums all
        sources, once), and a plan is ~10 bytes a credit."""
        summed, plan = self._summing
        if summed != wanted:
            self._summing = (None, None)  # the old plan freed before the new one is made
            lists = [numbers for source in wanted for numbers in self.earned[source]]
            numbers = numpy.frombuffer(b"".join(lists), dtype=numpy.int64)
            bin_type = numpy.min_scalar_type(len(lists))
            bins = numpy.repeat(numpy.arange(len(lists), dtype=bin_type), list(map(len, lists)))
            plan = (numbers, bins)
            self._summing = (wanted, plan)
        return plan

    def agreeing(self, choice: list[int]) -> list[int]:
        """Per source, its statements equal to the decision."""
        agree = self.unanimous_agreeing.copy()
        backers = self.backers
        agree.update(chain.from_iterable(backers[index][choice[index]] for index, _, _ in self.contested))
        return [agree[source] for source in range(len(self.earned))]
