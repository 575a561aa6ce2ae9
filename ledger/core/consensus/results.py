"""Decisions, source reports and kept estimates from the final vote."""

from __future__ import annotations

from collections import defaultdict

from ledger.core import calibration
from ledger.core.consensus.model import (
    Candidate,
    Decision,
    Estimates,
    Options,
    SourceReport,
)
from ledger.core.consensus.prepared import Origins, Prepared
from ledger.core.consensus.voting import Ballot
from ledger.core.consensus.weights import Weights


def decision_list(prepared: Prepared, ballot: Ballot, origins: Origins, method: str,
                  options: Options) -> list[Decision]:
    """The decisions of the items kept (see ``Prepared``)."""
    return [
        decision_of(prepared, index, ballot, origins, method, options)
        for index, key in enumerate(prepared.keys)
        if key is not None
    ]


def decision_of(prepared: Prepared, index: int, ballot: Ballot, origins: Origins, method: str,
                options: Options) -> Decision:
    chosen, scores = ballot.choice[index], ballot.total[index]
    if len(prepared.values[index]) > 1:
        probabilities = ballot.probabilities(index, options)
    else:  # uncontested: not voted on, but not certain either
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


def kept_estimates(prepared: Prepared, groups: list[int], group_votes: dict[int, list[float]], offsets: dict,
                   habits: dict[int, list[float]], reports: dict[str, SourceReport], copy_groups: list[list[str]],
                   iterations: int, options: Options) -> Estimates:
    names, attributes = prepared.sources, prepared.attribute_names
    by_source: dict[str, dict[str, float]] = defaultdict(dict)
    for (source, attribute), offset in offsets.items():
        by_source[names[source]][attributes[attribute]] = offset
    return Estimates(
        options=options,
        groups={name: names[groups[source]] for source, name in enumerate(names)},
        votes={names[group]: dict(zip(attributes, votes)) for group, votes in group_votes.items()},
        offsets=dict(by_source),
        habits={names[group]: dict(zip(attributes, shares)) for group, shares in habits.items()},
        sources=reports,
        copy_groups=copy_groups,
        iterations=iterations,
        items=len(prepared.keys),
    )


def source_reports(prepared, weights: Weights, groups, offsets, typical) -> dict[str, SourceReport]:
    attributes = {index: name for name, index in prepared.attribute_index.items()}
    members: dict[int, list[str]] = defaultdict(list)
    for source, root in enumerate(groups):
        members[root].append(prepared.sources[source])
    reports = {}
    agreeing = weights.agreeing
    for source, name in enumerate(prepared.sources):
        evaluated = weights.evaluated[source]
        reports[name] = SourceReport(
            source=name,
            claims=prepared.statement_count[source],
            reliability=weights.overall[source],
            by_attribute={attributes[a]: weights.by_attribute[source][a]
                          for a in sorted(prepared.stated_attributes[source])},
            evaluated=evaluated,
            agrees=(agreeing[source] / evaluated) if evaluated else 0.0,
            group=sorted(members[groups[source]]),
            offsets={attributes[a]: v for (s, a), v in offsets.items() if s == source},
            typical_offsets={attributes[a]: v for (s, a), v in typical.items() if s == source},
        )
    return reports
