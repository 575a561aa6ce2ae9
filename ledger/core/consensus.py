"""Consensus: for each item, the value the ledger would bet on, how sure it is, and why.

Pure: items (every claim made about one subject, attribute and time) in,
decisions and source reports out; no database. Two methods:

``support``
    The value stated by the most **independent origins** (a source counts once
    per item, however often it repeats itself). Ties go to the value with
    more compatible support (claims within tolerance, or "44" for "C44"),
    then to more claims. Confidence is the winner's share of the origins.

``reliability``
    Sources are weighted by how often they are right, estimated from the data
    itself, in the manner of Accu (Dong, Berti-Equille and Srivastava, 2009)
    and TruthFinder (Yin, Han and Yu, 2007):

    1. Start from the ``support`` decisions.
    2. **Copying.** Two sources are linked as copies (or as printers of one
       upstream feed) when, over the contested items both state, they state
       the identical phrase — format and all — at least ``phrase_threshold``
       (98%) of the time on at least ``copy_min_items`` (50) items, or when
       they share their *mistakes*: independent sources rarely state the same
       wrong value, so ``identical wrong values / items where at least one is
       wrong`` ≥ ``copy_threshold`` (0.95) on at least ``copy_min_errors``
       (50) shared errors. Groups are formed by complete linkage (every two
       members linked). A group is **one origin**: per item it casts one vote
       per value, judged on its members' claims pooled.
    3. **Reliability.** Each claim earns the probability of its value given
       the *other* origins' votes (its own origin left out, so a prolific
       source cannot vouch for itself); items with a single origin carry no
       evidence. A source's reliability for an attribute starts from its
       record on its *other* attributes (with too little evidence there, all
       of them), smoothed as ``(Σ credit + k·parent) / (n + k)`` with
       ``k = smoothing`` (5) towards its family (``families``, if given) and
       then ``prior`` (0.8); a first phase uses that alone, a second adds the
       attribute's own record.
    4. **Votes.** An origin stating v adds ``ln(n·A / (1 − A))`` to v's score
       (Accu's vote count, ``n = false_values`` = 10, A clipped to
       [0.01, 0.99], never below 0); a compatible value adds ``similarity``
       (0.3) of its score (AccuSim). ``P(v) = exp(score v) / Σ exp(score)``
       over the values stated for the item is the confidence.
    5. Repeat 3–4 until (almost) no decision changes, at most ``iterations``
       times per phase; then redo 2 with the better decisions, and 3–4 again
       (``rounds`` = 2).

    **Offsets.** On number scales (times especially), each source's typical
    difference from the decisions is measured per attribute: the median of
    ``stated − decided`` over at least ``offset_min_items`` (20) claims. It
    is *systematic* when it exceeds the compatibility half-width and at
    least half the differences lie within the tolerance of it (e.g. a site
    giving runway take-off instead of gate departure, 10–20 minutes late).
    Offsets are reported; in the second phase, a claim of a source with a
    systematic offset, shifted back by it, lends compatible support (step 4)
    to the values it then meets. The exact vote stays on the value as stated.

Everything a decision rests on is kept for explaining it: per candidate
value, its claims, sources, origins (copy groups), score and probability.

Why one module of this size: the two methods, copy detection, offsets and the kept estimate
share the packed item representation and its private helpers; they are one algorithm (one
fixed point) and are tuned and read together.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict, dataclass, field
from statistics import median

from ledger.core import calibration, identifiers, implication, person_names
from ledger.core.vocabulary import METHODS


@dataclass(frozen=True, slots=True)
class Statement:
    """One claim as consensus sees it.

    ``value`` is the point it states (a number on the item's scale, or a code
    or normalised text); ``low``/``high`` the interval it is compatible with
    (numbers only: a time widened by its tolerance).
    """

    claim_id: int
    source: str
    value: Hashable
    low: float | None = None
    high: float | None = None
    phrase: str | None = None  # as stated (format and all); None: not known (no phrase evidence)


@dataclass
class Item:
    """Everything stated about one subject, attribute and time, on one scale."""

    key: tuple  # how the item is named: (subject, attribute, time)
    attribute: str
    scale: str  # "identifier", "text", or a number scale ("minutes", "count", ...)
    statements: list[Statement]


@dataclass
class Options:
    """The knobs of both methods; the defaults are the documented ones."""

    prior: float = 0.8
    smoothing: float = 5.0
    false_values: float = 10.0
    similarity: float = 0.3
    copy_threshold: float = 0.95
    copy_min_errors: int = 50
    phrase_threshold: float = 0.98
    copy_min_items: int = 50
    iterations: int = 10
    rounds: int = 2
    offset_min_items: int = 20
    use_offsets: bool = True
    warmup: bool = True  # first rounds weigh sources by their overall reliability only
    copy_sample: int = 60_000  # items looked at for copy detection (evenly spread), bounding its cost
    partial_support: bool = True  # an abbreviated value lends the fuller one it implies a share (implication.py)
    temperature: float = 3.0  # stated confidence: scores divided by it (ledger.core.calibration)
    unstated_origins: float = 1.0  # stated confidence of support: origins counted for values no one stated


@dataclass
class Candidate:
    """One value stated for an item, with who backs it."""

    value: Hashable
    claim_ids: list[int]
    sources: list[str]
    origins: int  # independent origins (copy groups) stating it
    score: float = 0.0
    probability: float = 0.0
    compatible_with: list[Hashable] = field(default_factory=list)


@dataclass
class Decision:
    """The value the ledger bets on for one item."""

    key: tuple
    attribute: str
    scale: str
    value: Hashable
    confidence: float
    method: str
    candidates: list[Candidate]  # best first

    @property
    def contested(self) -> bool:
        return len(self.candidates) > 1


@dataclass
class SourceReport:
    """How a source was judged: its reliability (overall and per attribute), copies and offsets."""

    source: str
    claims: int
    reliability: float
    by_attribute: dict[str, float]
    evaluated: int  # statements on items with more than one origin (the evidence)
    agrees: float  # share of those statements equal to the decision
    group: list[str]  # sources it is grouped with as one origin (itself included), sorted
    offsets: dict[str, float]  # systematic offsets per attribute (stated − decided)
    typical_offsets: dict[str, float]  # median offset per attribute, systematic or not


@dataclass
class Dependence:
    """Evidence that two sources copy each other (or print one upstream feed).

    Counted over the contested items both state: how often the two state the
    identical phrase (format and all), and how many of their errors (values
    other than the decision) are the same wrong value.
    """

    a: str
    b: str
    shared_items: int
    same_phrases: int
    same_errors: int
    errors: int  # items where at least one of the two is wrong

    @property
    def share(self) -> float:
        """Shared errors: identical wrong values / items where at least one is wrong."""
        return self.same_errors / self.errors if self.errors else 0.0

    @property
    def phrase_share(self) -> float:
        """Identical phrases / contested items both state."""
        return self.same_phrases / self.shared_items if self.shared_items else 0.0

    def copies(self, options: Options) -> bool:
        """Linked as copies: nearly always the same phrase, or mostly the same mistakes."""
        by_phrase = self.shared_items >= options.copy_min_items and self.phrase_share >= options.phrase_threshold
        by_errors = self.same_errors >= options.copy_min_errors and self.share >= options.copy_threshold
        return by_phrase or by_errors


@dataclass
class Estimates:
    """What the reliability method learned from a whole ledger: enough to decide any of its items alone again.

    Weights are the ones the final vote used, so ``decide_with`` repeats the
    decisions exactly. Plain data (``as_dict``/``from_dict``) so it can be kept.
    """

    options: Options
    groups: dict[str, str]  # source → the first member of its copy group (itself…), in the estimate's source order
    votes: dict[str, dict[str, float]]  # copy group (by first member) → attribute → vote
    offsets: dict[str, dict[str, float]]  # source → attribute → systematic offset the final vote shifted back
    sources: dict[str, SourceReport]
    copy_groups: list[list[str]]
    iterations: int
    items: int  # items the estimate was made over

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Estimates:
        return cls(**{
            **data,
            "options": Options(**data["options"]),
            "sources": {name: SourceReport(**report) for name, report in data["sources"].items()},
        })


@dataclass
class Result:
    decisions: list[Decision]
    sources: dict[str, SourceReport]
    groups: list[list[str]]  # copy groups of more than one source
    dependences: list[Dependence]
    method: str
    iterations: int
    items: int = 0  # items decided (all of them, whether or not their decisions were kept)
    estimates: Estimates | None = None  # reliability only: the weights, to decide items again without estimating


# -- preparation -----------------------------------------------------------------


def _is_number_scale(scale: str) -> bool:
    return scale not in ("identifier", "text", "names")


class _Prepared:
    """Items turned into integer-indexed lists once, so each iteration is tight Python.

    Per item: its candidate values; per candidate the sources stating it
    (each once) and the claim ids; which candidates are compatible.
    """

    def __init__(self, items: Iterable[Item]):
        self.keys: list[tuple] = []
        self.scales: list[str] = []
        self.half_widths: list[float] = []  # compatibility half-width of number items (0 when none)
        self.source_index: dict[str, int] = {}
        self.attribute_index: dict[str, int] = {}
        self.values: list[list[Hashable]] = []
        self.backers: list[list[list[int]]] = []
        self.claims: list[list[array]] = []
        self.compatible: list[list[list[int]]] = []
        self.partial: list[dict[int, list[tuple[int, float]]] | None] = []  # see _partial_support
        self.attribute_of: list[int] = []
        self.statement_count: dict[int, int] = defaultdict(int)
        # contested items: source → the candidates it states and its first phrase (see _stated_by_source)
        self.stated: dict[int, dict[int, int]] = {}
        self.stated_attributes: dict[int, set[int]] = defaultdict(set)
        for item in items:
            if not item.statements:
                continue
            first = item.statements[0]
            self.keys.append(item.key)
            self.scales.append(item.scale)
            self.half_widths.append(
                (first.high - first.low) / 2 if first.low is not None and first.high is not None else 0.0
            )
            attribute = self.attribute_index.setdefault(item.attribute, len(self.attribute_index))
            self.attribute_of.append(attribute)
            by_value: dict[Hashable, int] = {}
            values: list[Hashable] = []
            backers: list[list[int]] = []
            claims: list[list[int]] = []
            bounds: list[tuple[float | None, float | None]] = []
            for statement in item.statements:
                source = self.source_index.setdefault(statement.source, len(self.source_index))
                self.statement_count[source] += 1
                self.stated_attributes[source].add(attribute)
                slot = by_value.get(statement.value)
                if slot is None:
                    slot = by_value[statement.value] = len(values)
                    values.append(statement.value)
                    backers.append([])
                    claims.append(array("q"))  # claim ids: 8 bytes each, not an int object each
                    bounds.append((statement.low, statement.high))
                if source not in backers[slot]:
                    backers[slot].append(source)
                claims[slot].append(statement.claim_id)
            if len(values) > 1:
                self.stated[len(self.values)] = _stated_by_source(item.statements, self.source_index, by_value)
            self.values.append(values)
            self.backers.append(backers)
            self.claims.append(claims)
            compatible = _compatible_pairs(item.scale, values, bounds)
            self.compatible.append(compatible)
            self.partial.append(_partial_support(item.scale, values, bounds, compatible))
        self.sources = list(self.source_index)
        self.attribute_names = list(self.attribute_index)
        self.contested = [i for i, values in enumerate(self.values) if len(values) > 1]


def _stated_by_source(statements: list[Statement], source_index: dict[str, int],
                      by_value: dict[Hashable, int]) -> dict[int, int]:
    """Per source of a contested item: the candidates it states and its first phrase, packed in one int.

    The low ``len(by_value)`` bits are the candidates (bit i: candidate i);
    above them, the phrase's number within the item plus one (0: no phrase
    known). Copy detection compares these across sources; one small int per
    source keeps millions of them cheap.
    """
    width = len(by_value)
    phrase_numbers: dict[str, int] = {}
    stated: dict[int, int] = {}
    for statement in statements:
        source = source_index[statement.source]
        bit = 1 << by_value[statement.value]
        if source in stated:
            stated[source] |= bit
        else:
            phrase = statement.phrase
            number = 0 if phrase is None else phrase_numbers.setdefault(phrase, len(phrase_numbers) + 1)
            stated[source] = (number << width) | bit
    return stated


def _compatible_pairs(scale: str, values: list[Hashable], bounds: list) -> list[list[int]]:
    """For each candidate, the other candidates it is compatible with."""
    count = len(values)
    pairs: list[list[int]] = [[] for _ in range(count)]
    if count < 2:
        return pairs
    if scale in ("identifier", "names"):
        compatible = identifiers.compatible if scale == "identifier" else _names_compatible
        for i in range(count):
            for j in range(i + 1, count):
                if compatible(values[i], values[j]):
                    pairs[i].append(j)
                    pairs[j].append(i)
    elif _is_number_scale(scale):
        order = sorted(range(count), key=lambda k: _low(bounds[k][0]))
        for position, i in enumerate(order):
            high_i = _high(bounds[i][1])
            for j in order[position + 1 :]:
                if _low(bounds[j][0]) > high_i:
                    break
                if _low(bounds[i][0]) <= _high(bounds[j][1]):
                    pairs[i].append(j)
                    pairs[j].append(i)
    return pairs


def _partial_support(scale: str, values: list[Hashable], bounds: list,
                     compatible: list[list[int]]) -> dict[int, list[tuple[int, float]]] | None:
    """Per candidate, the fuller candidates it implies and with what weight (``ledger.core.implication``).

    None when no candidate implies another (most items). Only compatible
    pairs are looked at (a value inside another is compatible with it), but
    every pair of names (``Han`` alone implies ``Han, Jiawei`` yet conflicts with it).
    """
    found: dict[int, list[tuple[int, float]]] = {}
    everyone = range(len(values))
    for i, others in enumerate(compatible):
        for j in (everyone if scale == "names" else others):  # a family name alone implies, yet conflicts
            if i == j:
                continue
            weight = implication.implies(scale, values[i], values[j], bounds[i], bounds[j])
            if weight > 0:
                found.setdefault(i, []).append((j, weight))
    return found or None


def _names_compatible(a: str, b: str) -> bool:
    return person_names.compare(a, b).compatible


def _low(x):
    return float("-inf") if x is None else x


def _high(x):
    return float("inf") if x is None else x


class _Origins:
    """For one grouping of sources: per item and candidate, the distinct origins stating it."""

    def __init__(self, prepared: _Prepared, groups: list[int]):
        self.groups = groups
        self.by_candidate: list[list[tuple[int, ...]]] = []
        self.multi_origin: list[bool] = []
        for backers in prepared.backers:
            per_slot = [tuple(sorted({groups[s] for s in sources})) for sources in backers]
            self.by_candidate.append(per_slot)
            self.multi_origin.append(len({g for slot in per_slot for g in slot}) > 1)


# -- the two methods --------------------------------------------------------------


def decide(
    items: Iterable[Item],
    method: str = "support",
    options: Options | None = None,
    families: dict[str, str] | None = None,
    keep: Callable[[tuple], bool] | None = None,
) -> Result:
    """Decide every item by ``method`` ("support" or "reliability"); see the module docstring.

    ``families`` maps a source to a family of like sources (e.g. the outlet a
    source belongs to); a source's reliability is smoothed towards its
    family's before the global prior, so a source with few claims inherits
    what its family has earned. ``items`` may be a generator: statements are
    read once and not kept. ``keep`` chooses the items whose decisions are
    returned (all when None); every item counts for reliability either way.
    Raises ValueError for an unknown method. Items with no statements are
    skipped.
    """
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {', '.join(METHODS)}")
    options = options or Options()
    prepared = _Prepared(items)
    groups = list(range(len(prepared.sources)))  # every source its own origin
    origins = _Origins(prepared, groups)
    weights = _Weights(prepared, options, families)
    ballot = _vote(prepared, origins, None, options, None)
    iterations = 0
    dependences: list[Dependence] = []
    vote_offsets: dict[tuple[int, int], float] = {}
    if method == "reliability":
        for _ in range(options.rounds):
            dependences = _dependences(prepared, ballot.choice, options)
            groups = _copy_groups(len(prepared.sources), prepared.source_index, dependences, options)
            origins = _Origins(prepared, groups)
            if weights.sums is not None:  # a later round: re-vote under the new grouping
                weights.regroup(origins)
                ballot = _vote(prepared, origins, weights.group_votes, options, None)
            else:
                ballot = _vote(prepared, origins, None, options, None)
            phases = (True, False) if options.warmup else (False,)
            for overall_only in phases:
                shifted = None
                vote_offsets = {}
                if options.use_offsets and not overall_only:
                    vote_offsets, _ = _offsets(prepared, ballot.choice, options)
                    shifted = _shifted_compatibility(prepared, vote_offsets)
                for _ in range(options.iterations):
                    iterations += 1
                    weights.update(ballot, origins, overall_only)
                    new = _vote(prepared, origins, weights.group_votes, options, shifted)
                    changed = sum(1 for a, b in zip(new.choice, ballot.choice) if a != b)
                    ballot = new
                    if changed <= len(ballot.choice) // 10_000:
                        break
    weights.update(ballot, origins)
    choice = ballot.choice
    offsets, typical = _offsets(prepared, choice, options)
    decisions = _decisions(prepared, ballot, origins, method, keep, options)
    reports = _reports(prepared, weights, groups, offsets, typical)
    named_groups = _named_groups(prepared, groups)
    estimates = None
    if method == "reliability":
        estimates = _estimates(prepared, groups, ballot.group_votes or {}, vote_offsets, reports, named_groups,
                               iterations, options)
    return Result(decisions, reports, named_groups, dependences, method, iterations, len(prepared.keys), estimates)


def decide_with(items: Iterable[Item], estimates: Estimates, keep: Callable[[tuple], bool] | None = None) -> Result:
    """Decide ``items`` by reliability with weights estimated before (``Result.estimates``), without re-estimating.

    For items of the ledger the estimates were made on, the decisions are the
    ones ``decide(..., "reliability")`` made. Raises ValueError when an item
    has a source the estimates do not know (the ledger changed since).
    """
    prepared = _Prepared(items)
    unknown = sorted(set(prepared.sources) - set(estimates.groups))
    if unknown:
        raise ValueError(f"the estimates do not cover source {unknown[0]!r}: estimate again")
    # Each origin keeps the number it had in the estimate (its first member's place among the
    # sources), so votes are summed in the same order and the decisions match to the last bit.
    place = {source: number for number, source in enumerate(estimates.groups)}
    roots = [estimates.groups[s] for s in prepared.sources]
    groups = [place[root] for root in roots]
    default_vote = _accu_vote(estimates.options.prior, estimates.options.false_values)
    group_votes = {
        place[root]: [estimates.votes.get(root, {}).get(a, default_vote) for a in prepared.attribute_names]
        for root in set(roots)
    }
    offsets = {
        (prepared.source_index[s], prepared.attribute_index[a]): offset
        for s, by_attribute in estimates.offsets.items() if s in prepared.source_index
        for a, offset in by_attribute.items() if a in prepared.attribute_index
    }
    shifted = _shifted_compatibility(prepared, offsets)
    origins = _Origins(prepared, groups)
    ballot = _vote(prepared, origins, group_votes, estimates.options, shifted)
    decisions = _decisions(prepared, ballot, origins, "reliability", keep, estimates.options)
    return Result(decisions, estimates.sources, estimates.copy_groups, [], "reliability", estimates.iterations,
                  estimates.items, estimates)


def _accu_vote(accuracy: float, false_values: float) -> float:
    """Accu's vote count ln(n·A/(1 − A)), A clipped to [0.01, 0.99], never below 0."""
    accuracy = min(0.99, max(0.01, accuracy))
    return max(0.0, math.log(false_values * accuracy / (1 - accuracy)))


class _Weights:
    """Reliability per (source, attribute), per source, and per origin (copy group), smoothed."""

    def __init__(self, prepared: _Prepared, options: Options, families: dict[str, str] | None = None):
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
        self.agreeing = [0] * n_sources
        self.group_votes: dict[int, list[float]] = {}
        self.sums: list[list[float]] | None = None
        self.counts: list[list[int]] | None = None
        self.overall_only = True

    def vote(self, accuracy: float) -> float:
        return _accu_vote(accuracy, self.options.false_values)

    def update(self, ballot: _Ballot, origins: _Origins, overall_only: bool = False) -> None:
        """Re-estimate reliabilities from the last vote, each source judged by the *others*.

        A statement's credit is the probability of its value with its own
        origin's vote left out, so a prolific source cannot vouch for itself.
        """
        prepared, options = self.prepared, self.options
        n_sources, n_attributes = len(prepared.sources), len(prepared.attribute_index)
        sums = [[0.0] * n_attributes for _ in range(n_sources)]
        counts = [[0] * n_attributes for _ in range(n_sources)]
        agree = [0] * n_sources
        groups = origins.groups
        for index, backers in enumerate(prepared.backers):
            if not origins.multi_origin[index]:
                continue
            attribute = prepared.attribute_of[index]
            chosen = ballot.choice[index]
            if len(backers) == 1:  # everyone agrees: full credit
                for source in backers[0]:
                    sums[source][attribute] += 1.0
                    counts[source][attribute] += 1
                    agree[source] += 1
                continue
            raw, total = ballot.raw[index], ballot.total[index]
            lends = ballot.lends[index]
            for slot, sources in enumerate(backers):
                credit: dict[int, float] = {}
                for source in sources:
                    group = groups[source]
                    p = credit.get(group)
                    if p is None:
                        weight = ballot.weight(group, attribute)
                        p = credit[group] = _without(raw, total, lends, slot, weight, ballot.counting)
                    sums[source][attribute] += p
                    counts[source][attribute] += 1
                    if slot == chosen:
                        agree[source] += 1
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
            self.agreeing[source] = agree[source]
            self.by_attribute[source] = self._estimate(sums[source], counts[source], parent, overall_only)
        self.sums, self.counts, self.overall_only = sums, counts, overall_only
        self.regroup(origins)

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

    def regroup(self, origins: _Origins) -> None:
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


@dataclass
class _Ballot:
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


def _lends(compatible: list[list[int]], partial: dict[int, list[tuple[int, float]]] | None,
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


def _without(raw, total, lends, slot, weight, counting) -> float:
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


def _vote(prepared: _Prepared, origins: _Origins, group_votes: dict[int, list[float]] | None, options: Options,
          shifted) -> _Ballot:
    """One round of voting over the contested items (the others are unanimous).

    ``group_votes``: per origin, its vote per attribute; None counts origins (support).
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
        lends = _lends(prepared.compatible[index] if shifted is None else shifted[index], partial, similarity)
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
    return _Ballot(choice, probabilities, raws, totals, lends_of, group_votes)


# -- copying -----------------------------------------------------------------------


def _dependences(prepared: _Prepared, choice: list[int], options: Options) -> list[Dependence]:
    """Per pair of sources, over the contested items both state (an even sample of them):
    how often they state the identical phrase, and how many of their errors they share."""
    contested = prepared.contested
    step = max(1, len(contested) // options.copy_sample) if options.copy_sample else 1
    shared = defaultdict(int)
    same_phrase = defaultdict(int)
    same_errors = defaultdict(int)
    errors = defaultdict(int)
    for index in contested[::step]:
        right = 1 << choice[index]
        stated = prepared.stated[index]
        width = len(prepared.values[index])
        candidates = (1 << width) - 1
        sources = sorted(stated)
        for position, a in enumerate(sources):
            mask_a, phrase_a = stated[a] & candidates, stated[a] >> width
            for b in sources[position + 1 :]:
                mask_b, phrase_b = stated[b] & candidates, stated[b] >> width
                pair = (a, b)
                shared[pair] += 1
                if phrase_a and phrase_a == phrase_b:
                    same_phrase[pair] += 1
                if mask_a != right or mask_b != right:
                    errors[pair] += 1
                    if mask_a & mask_b & ~right:
                        same_errors[pair] += 1
    names = prepared.sources
    return [
        Dependence(names[a], names[b], shared[a, b], same_phrase[a, b], same_errors[a, b], errors[a, b])
        for (a, b) in shared
    ]


def _copy_groups(n_sources: int, index: dict[str, int], dependences: list[Dependence], options: Options) -> list[int]:
    """Complete-linkage groups: every two sources in a group are linked (see ``Dependence.copies``).

    Linkage runs inside each connected part of the links only, so sources
    with no link (nearly all of them, usually) cost nothing.
    """
    strength: dict[tuple[int, int], float] = {}
    neighbours: dict[int, set[int]] = defaultdict(set)
    for dep in dependences:
        if dep.copies(options):
            a, b = sorted((index[dep.a], index[dep.b]))
            strength[a, b] = max(dep.phrase_share, dep.share)
            neighbours[a].add(b)
            neighbours[b].add(a)
    group = list(range(n_sources))
    seen: set[int] = set()
    for start in sorted(neighbours):
        if start in seen:
            continue
        part, stack = [], [start]
        seen.add(start)
        while stack:
            node = stack.pop()
            part.append(node)
            for other in neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        for root, members in _complete_linkage(sorted(part), strength).items():
            for source in members:
                group[source] = root
    return group


def _complete_linkage(nodes: list[int], strength: dict[tuple[int, int], float]) -> dict[int, list[int]]:
    """Merge, strongest first, clusters all of whose pairs are linked."""
    members: dict[int, list[int]] = {node: [node] for node in nodes}
    while True:
        best = None
        roots = sorted(members)
        for i, a in enumerate(roots):
            for b in roots[i + 1 :]:
                pairs = [(min(x, y), max(x, y)) for x in members[a] for y in members[b]]
                if all(p in strength for p in pairs):
                    score = min(strength[p] for p in pairs)
                    if best is None or score > best[0]:
                        best = (score, a, b)
        if best is None:
            return members
        _, a, b = best
        members[a].extend(members.pop(b))


def _named_groups(prepared: _Prepared, groups: list[int]) -> list[list[str]]:
    by_root: dict[int, list[str]] = defaultdict(list)
    for source, root in enumerate(groups):
        by_root[root].append(prepared.sources[source])
    return sorted((sorted(g) for g in by_root.values() if len(g) > 1), key=lambda g: (-len(g), g))


# -- offsets -----------------------------------------------------------------------


def _offsets(prepared: _Prepared, choice: list[int], options: Options):
    """Median (stated − decided) per (source, attribute) on number scales, and which are systematic."""
    deltas: dict[tuple[int, int], list[float]] = defaultdict(list)
    half_widths: dict[tuple[int, int], float] = {}
    for index, scale in enumerate(prepared.scales):
        if not _is_number_scale(scale):
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


def _shifted_compatibility(prepared: _Prepared, offsets: dict) -> list[list[list[int]]] | None:
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
        if not _is_number_scale(scale) or len(values) < 2:
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
        result.append(base if pairs is None else [sorted(p) for p in pairs])
    return result


# -- results -----------------------------------------------------------------------


def _decisions(prepared: _Prepared, ballot: _Ballot, origins: _Origins, method: str,
               keep: Callable[[tuple], bool] | None, options: Options) -> list[Decision]:
    """The decisions of the items ``keep`` chooses (all when None)."""
    return [
        _decision(prepared, index, ballot, origins, method, options)
        for index, key in enumerate(prepared.keys)
        if keep is None or keep(key)
    ]


def _decision(prepared: _Prepared, index: int, ballot: _Ballot, origins: _Origins, method: str,
              options: Options) -> Decision:
    chosen, probabilities, scores = ballot.choice[index], ballot.probabilities[index], ballot.total[index]
    if len(prepared.values[index]) == 1:  # uncontested: not voted on, but not certain either
        groups = origins.by_candidate[index][0]
        if ballot.counting:
            scores = [float(len(groups))]
            probabilities = calibration.counted(scores, scores, options.unstated_origins)
        else:
            attribute = prepared.attribute_of[index]
            scores = [sum(ballot.group_votes[g][attribute] for g in groups)]
            probabilities = calibration.weighted(scores, options.false_values, options.temperature)
    candidates = []
    values = prepared.values[index]
    for slot, value in enumerate(values):
        sources = prepared.backers[index][slot]
        candidates.append(
            Candidate(
                value=value,
                claim_ids=list(prepared.claims[index][slot]),
                sources=sorted(prepared.sources[s] for s in sources),
                origins=len(origins.by_candidate[index][slot]),
                score=scores[slot],
                probability=probabilities[slot],
                compatible_with=[values[j] for j in prepared.compatible[index][slot]],
            )
        )
    winner = candidates[chosen]
    candidates.sort(key=lambda c: (c is not winner, -c.score, -c.origins, -len(c.claim_ids)))
    attribute = prepared.attribute_names[prepared.attribute_of[index]]
    return Decision(prepared.keys[index], attribute, prepared.scales[index], winner.value, winner.probability,
                    method, candidates)


def _estimates(prepared: _Prepared, groups: list[int], group_votes: dict[int, list[float]], offsets: dict,
               reports: dict[str, SourceReport], copy_groups: list[list[str]], iterations: int,
               options: Options) -> Estimates:
    names, attributes = prepared.sources, prepared.attribute_names
    by_source: dict[str, dict[str, float]] = defaultdict(dict)
    for (source, attribute), offset in offsets.items():
        by_source[names[source]][attributes[attribute]] = offset
    return Estimates(
        options=options,
        groups={name: names[groups[source]] for source, name in enumerate(names)},
        votes={names[group]: dict(zip(attributes, votes)) for group, votes in group_votes.items()},
        offsets=dict(by_source),
        sources=reports,
        copy_groups=copy_groups,
        iterations=iterations,
        items=len(prepared.keys),
    )


def _reports(prepared, weights: _Weights, groups, offsets, typical) -> dict[str, SourceReport]:
    attributes = {index: name for name, index in prepared.attribute_index.items()}
    members: dict[int, list[str]] = defaultdict(list)
    for source, root in enumerate(groups):
        members[root].append(prepared.sources[source])
    reports = {}
    for source, name in enumerate(prepared.sources):
        evaluated = weights.evaluated[source]
        reports[name] = SourceReport(
            source=name,
            claims=prepared.statement_count[source],
            reliability=weights.overall[source],
            by_attribute={attributes[a]: weights.by_attribute[source][a]
                          for a in sorted(prepared.stated_attributes[source])},
            evaluated=evaluated,
            agrees=(weights.agreeing[source] / evaluated) if evaluated else 0.0,
            group=sorted(members[groups[source]]),
            offsets={attributes[a]: v for (s, a), v in offsets.items() if s == source},
            typical_offsets={attributes[a]: v for (s, a), v in typical.items() if s == source},
        )
    return reports
