"""The two methods, ``decide`` and ``decide_with``: the fixed point of votes, weights, copying and offsets."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ledger.core.consensus.abbreviating import abbreviation_habits
from ledger.core.consensus.copying import copy_groups, find_dependences, group_names
from ledger.core.consensus.model import Dependence, Estimates, Item, Options, Result
from ledger.core.consensus.offsets import shifted_compatibility, systematic_offsets
from ledger.core.consensus.prepared import Origins, Prepared
from ledger.core.consensus.results import decision_list, kept_estimates, source_reports
from ledger.core.consensus.voting import Ballot, Lending, cast_votes
from ledger.core.consensus.weights import Evidence, Weights, accu_vote
from ledger.core.vocabulary import METHODS


def decide(
    items: Iterable[Item],
    method: str = "support",
    options: Options | None = None,
    families: dict[str, str] | None = None,
    keep: Callable[[tuple], bool] | None = None,
    voter: Voter | None = None,
) -> Result:
    """Decide every item by ``method`` ("support" or "reliability"); see the module docstring.

    ``families`` maps a source to a family of like sources (e.g. the outlet a
    source belongs to); a source's reliability is smoothed towards its
    family's before the global prior, so a source with few claims inherits
    what its family has earned. ``items`` may be a generator: statements are
    read once and not kept. ``keep`` chooses the items whose decisions are
    returned (all when None); every item counts for reliability either way.
    Raises ValueError for an unknown method. Items with no statements are
    skipped. ``voter`` casts the weighted votes (``Voter``: in this process by default).
    """
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {', '.join(METHODS)}")
    options = options or Options()
    prepared = Prepared(items, keep)
    voter = voter or Voter()
    try:
        return _fixed_point(prepared, method, options, families, voter)
    finally:
        voter.close()


class Voter:
    """Casts the fixed point's weighted votes, here in this process (``ledger.vote_cores`` casts a part elsewhere).

    ``vote`` may also work out the credits the vote earns (``Ballot.credits``),
    with ``evidence``, and leave the scores of some items out (``Ballot.partial``);
    ``whole`` gives the last vote with every item's scores.
    """

    def start(self, prepared: Prepared, options: Options) -> None:
        """Called once the items are packed, before the reliability fixed point."""

    def expect(self, groups: list[int], offsets: dict[tuple[int, int], float] | None) -> None:
        """The grouping of sources and the systematic offsets (None: none) of the votes to come, told as soon as
        they are known, before this process works out its own ``Origins`` and ``Lending`` from them."""

    def vote(self, prepared: Prepared, origins: Origins, group_votes: dict[int, list[float]], options: Options,
             lending: Lending, habits: dict[int, list[float]] | None, evidence: Evidence) -> Ballot:
        return cast_votes(prepared, origins, group_votes, options, lending, habits)

    def whole(self, ballot: Ballot) -> Ballot:
        return ballot

    def close(self) -> None:
        """Nothing to stop here."""


def _fixed_point(prepared: Prepared, method: str, options: Options, families: dict[str, str] | None,
                 voter: Voter) -> Result:
    if method == "reliability":
        voter.start(prepared, options)
    groups = list(range(len(prepared.sources)))  # every source its own origin
    origins = Origins(prepared, groups)
    weights = Weights(prepared, options, families)
    plain = Lending(prepared, options)
    ballot = cast_votes(prepared, origins, None, options, plain)
    iterations = 0
    dependences: list[Dependence] = []
    vote_offsets: dict[tuple[int, int], float] = {}
    habits: dict[int, list[float]] | None = None  # the ones the last vote used

    def learned_habits(choice: list[int]) -> dict[int, list[float]] | None:
        return abbreviation_habits(prepared, origins, choice, options) if options.abbreviation_habits else None

    if method == "reliability":
        for _ in range(options.rounds):
            dependences = find_dependences(prepared, ballot.choice, options)
            groups = copy_groups(len(prepared.sources), prepared.source_index, dependences, options)
            voter.expect(groups, None)
            origins = Origins(prepared, groups)
            if weights.sums is not None:  # a later round: re-vote under the new grouping
                weights.regroup(origins)
                habits = learned_habits(ballot.choice)
                del ballot  # as below: not kept alive beside the next vote's
                ballot = voter.vote(prepared, origins, weights.group_votes, options, plain, habits,
                                    weights.evidence_for(origins))
            else:
                del ballot
                ballot = cast_votes(prepared, origins, None, options, plain)
            phases = (True, False) if options.warmup else (False,)
            for overall_only in phases:
                lending = plain
                vote_offsets = {}
                if options.use_offsets and not overall_only:
                    vote_offsets, _ = systematic_offsets(prepared, ballot.choice, options)
                    voter.expect(groups, vote_offsets or None)
                    shifted = shifted_compatibility(prepared, vote_offsets)
                    if shifted is not None:
                        lending = Lending(prepared, options, shifted, vote_offsets)
                for _ in range(options.iterations):
                    iterations += 1
                    weights.update(ballot, origins, overall_only)
                    habits = learned_habits(ballot.choice)
                    previous = ballot.choice
                    del ballot  # its scores are spent: not kept alive beside the next vote's
                    ballot = voter.vote(prepared, origins, weights.group_votes, options, lending, habits,
                                        weights.evidence_for(origins))
                    changed = sum(1 for a, b in zip(ballot.choice, previous) if a != b)
                    if changed <= len(ballot.choice) // 10_000:
                        break
    weights.update(ballot, origins)
    if any(key is not None for key in prepared.keys):  # decisions to show: every item's scores
        ballot = voter.whole(ballot)
    choice = ballot.choice
    offsets, typical = systematic_offsets(prepared, choice, options)
    decisions = decision_list(prepared, ballot, origins, method, options)
    reports = source_reports(prepared, weights, groups, offsets, typical)
    named_groups = group_names(prepared, groups)
    estimates = None
    if method == "reliability":
        estimates = kept_estimates(prepared, groups, ballot.group_votes or {}, vote_offsets, habits or {}, reports,
                                   named_groups, iterations, options)
    return Result(decisions, reports, named_groups, dependences, method, iterations, len(prepared.keys), estimates)


def decide_with(items: Iterable[Item], estimates: Estimates, keep: Callable[[tuple], bool] | None = None) -> Result:
    """Decide ``items`` by reliability with weights estimated before (``Result.estimates``), without re-estimating.

    For items of the ledger the estimates were made on, the decisions are the
    ones ``decide(..., "reliability")`` made. Raises ValueError when an item
    has a source the estimates do not know (the ledger changed since).
    """
    prepared = Prepared(items, keep)
    unknown = sorted(set(prepared.sources) - set(estimates.groups))
    if unknown:
        raise ValueError(f"the estimates do not cover source {unknown[0]!r}: estimate again")
    # Each origin keeps the number it had in the estimate (its first member's place among the
    # sources), so votes are summed in the same order and the decisions match to the last bit.
    place = {source: number for number, source in enumerate(estimates.groups)}
    roots = [estimates.groups[s] for s in prepared.sources]
    groups = [place[root] for root in roots]
    default_vote = accu_vote(estimates.options.prior, estimates.options.false_values)
    group_votes = {
        place[root]: [estimates.votes.get(root, {}).get(a, default_vote) for a in prepared.attribute_names]
        for root in set(roots)
    }
    offsets = {
        (prepared.source_index[s], prepared.attribute_index[a]): offset
        for s, by_attribute in estimates.offsets.items() if s in prepared.source_index
        for a, offset in by_attribute.items() if a in prepared.attribute_index
    }
    shifted = shifted_compatibility(prepared, offsets)
    origins = Origins(prepared, groups)
    habits = {place[root]: [estimates.habits[root].get(a, 1.0) for a in prepared.attribute_names]
              for root in set(roots) if root in estimates.habits}
    lending = Lending(prepared, estimates.options, shifted)
    ballot = cast_votes(prepared, origins, group_votes, estimates.options, lending, habits)
    decisions = decision_list(prepared, ballot, origins, "reliability", estimates.options)
    return Result(decisions, estimates.sources, estimates.copy_groups, [], "reliability", estimates.iterations,
                  estimates.items, estimates)
