"""Consensus and clusters in the database: claims read into items, decided by ``ledger.core.consensus``.

An **item** is one subject (entity), attribute and time — the days its claims
are about (the stated ``when``, else the source's publication date; none for
a timeless attribute) — on one scale. Claims are read with
``ledger.db.conflicts.comparables`` (one ordered, streamed query), so an item
compares exactly what the conflict engine compares: times and attributes with
their tolerance, identifiers by code, money in its own currency when the
item's amounts share one, else in one currency at the widest span of rates
over their days (``ledger.core.comparability.money_frame``).

Who is judged: by default a claim's **origin** (``ledger.db.origins``): the
upstream it is attributed to, else its source's outlet (a website crawled on
many days is one judged source), else the source's key; ``judge="source"``
judges every source key on its own. Reliability is always estimated over every
claim in the ledger; filters only choose which items are shown.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from functools import cached_property
from itertools import groupby
from operator import itemgetter

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ledger.collector import collector_off
from ledger.core import clusters as clustering
from ledger.core import consensus as core
from ledger.core.comparability import Money, money_frame
from ledger.core.conflicts import Comparable
from ledger.core.errors import LedgerError, NotFound
from ledger.core.vocabulary import JUDGES
from ledger.core.wording import interval_words, money_format, show_days, show_value
from ledger.db.conflict_scan import CLAIM_COLUMNS, Readings, driver_batches, rules_by_attribute
from ledger.db.conflicts import claim_labels, comparables
from ledger.db.fastinsert import GROUPS_PER_IN, in_groups
from ledger.db.journal import journal_head
from ledger.db.models import Attribute, Claim, Entity, ReliabilityEstimate, Source
from ledger.db.origins import CitedSources, Origins
from ledger.db.queries import entity_ids_matching
from ledger.db.two_readers import items_on_two_cores
from ledger.vote_cores import TwoCoreVoter

POINT_SCALES = ("minutes", "identifier", "text", "names")  # shown as the point or code; other scales as intervals


# -- reading items ---------------------------------------------------------------


@dataclass(slots=True)
class _Stated:
    """A claim as consensus reads it: the fields of ``Comparable`` an item needs, and no more."""

    claim_id: int
    source: str
    origin: str
    scale: str
    low: float | None
    high: float | None
    text: str | None
    days: tuple[int, int] | None
    label: str
    money: Money | None


@dataclass
class _Group:
    """The claims of one (entity, attribute) group, split into items by time and scale."""

    entity_id: int
    attribute_id: int
    claims: list[Comparable | _Stated] = field(default_factory=list)

    def items(self) -> Iterator[tuple[tuple, list[Comparable | _Stated]]]:
        by_item: dict[tuple, list[Comparable]] = defaultdict(list)
        for claim in self.claims:
            by_item[(claim.days, claim.scale)].append(claim)
        for (days, scale), members in sorted(by_item.items(), key=lambda kv: (_days_key(kv[0][0]), kv[0][1])):
            if members[0].money is not None:
                scale, members = _in_one_currency(scale, members)
            yield (self.entity_id, self.attribute_id, days, scale), members


def _in_one_currency(scale: str, claims: list) -> tuple[str, list]:
    """An item's amounts in the currency of its frame ("money per year" becomes "USD per year")."""
    frame = money_frame(c.money for c in claims)
    if frame.converts:
        claims = [replace(c, low=low, high=high) for c in claims for low, high in [frame.amount(c.money)]]
    return frame.currency + scale.removeprefix("money"), claims


def _days_key(days):
    return (-(10**10), 0) if days is None else days


def _groups(session: Session, groups: Iterable[tuple[int, int]] | None = None) -> Iterator[_Group]:
    """Active claims, one (entity, attribute) group at a time, in index order (streamed)."""
    current: _Group | None = None
    for claim in comparables(session, groups):
        if current is None or claim.group != (current.entity_id, current.attribute_id):
            if current is not None:
                yield current
            current = _Group(*claim.group)
        current.claims.append(claim)
    if current is not None:
        yield current


_GROUP = itemgetter(3, 5)  # a claim row's (entity, attribute)
# Readings kept at hand while reading (the scan's 100,000 held ~55 MB on 280k Flight claims for no gain
# here: claims come in id order, and a batch's readings are read again in one range if needed).
READINGS_HELD = 10_000


def _stated_groups(session: Session, groups: list[tuple[int, int]] | None = None,
                   entities: tuple[int | None, int | None] = (None, None)) -> Iterator[_Group]:
    """Active claims as consensus reads them, one (entity, attribute) group at a time, in index order (streamed).

    ``entities``: the range of entity ids read (first included, last excluded; None: open).

    What ``comparables`` gives (the same scale, numbers, days, money and
    label), read the way the conflict scan reads claims: plain driver rows,
    each distinct reading worded once (``conflict_scan.Readings``).
    """
    connection = session.connection()
    rules = rules_by_attribute(connection)
    sources = CitedSources(connection)  # read as claims cite them: one subject's few, or all when all are read
    origins = Origins(connection, sources.outlets)
    source_origin: dict[tuple[str | None, int], tuple[str, str]] = {}  # (attributed to, source id) -> key, origin
    readings = Readings(connection, limit=READINGS_HELD)
    # In (entity, attribute, id) order off ix_claims_entity_attribute; see ``conflicts.comparables``.
    query = (select(*CLAIM_COLUMNS, Claim.attributed_to)
             .where(Claim.status.concat("") == "active", Claim.reading_id.is_not(None))  # as comparables' join
             .order_by(Claim.entity_id, Claim.attribute_id, Claim.id))
    first, last = entities
    if first is not None:
        query = query.where(Claim.entity_id >= first)
    if last is not None:
        query = query.where(Claim.entity_id < last)
    wanted = None if groups is None else sorted(set(groups))
    queries = [query] if wanted is None else [
        query.where(in_groups(Claim.__table__, wanted[i : i + GROUPS_PER_IN])) for i in range(0, len(wanted), GROUPS_PER_IN)
    ]
    current: _Group | None = None
    for chunk_query in queries:
        for rows in driver_batches(connection, chunk_query, server_side=True):
            readings.fetch(connection, {row[7] for row in rows},
                           select(Claim.reading_id).where(Claim.entity_id.between(rows[0][3], rows[-1][3])))
            for (entity_id, attribute_id), members in groupby(rows, _GROUP):
                members = list(members)
                if current is None or current.entity_id != entity_id or current.attribute_id != attribute_id:
                    if current is not None:
                        yield current
                    current = _Group(entity_id, attribute_id)
                claims = current.claims
                for row, reading in zip(members, readings.of(members, rules[attribute_id])):
                    named = source_origin.get((row[8], row[4]))
                    if named is None:  # a few (attribution, source) pairs repeat over millions of claims
                        if row[4] not in sources.by_id:
                            sources.know({cited[4] for cited in rows})
                        source = sources.by_id[row[4]][0]
                        named = source_origin[row[8], row[4]] = source, origins.of(row[8], source)
                    claims.append(_Stated(row[0], *named, reading.scale, reading.low, reading.high, reading.text,
                                          reading.days, reading.label, reading.money))
    if current is not None:
        yield current


def _wanted_groups(session: Session, subject: str | None, attribute: str | None) -> list[tuple[int, int]] | None:
    """(entity, attribute) pairs matching the filters; None for no filter."""
    if subject is None and attribute is None:
        return None
    query = select(Claim.entity_id, Claim.attribute_id).distinct()
    if subject is not None:
        ids = entity_ids_matching(session, subject)
        if not ids:
            raise NotFound(f"no subject matches {subject!r}", hint="list", what="entities")
        query = query.where(Claim.entity_id.in_(ids))
    if attribute is not None:
        attribute_id = session.execute(select(Attribute.id).where(Attribute.name == attribute)).scalar()
        if attribute_id is None:
            raise NotFound(f"no attribute {attribute!r}", hint="list", what="attributes")
        query = query.where(Claim.attribute_id == attribute_id)
    return [tuple(row) for row in session.execute(query)]


class _Names:
    """Entity, attribute and source names, looked up once."""

    def __init__(self, session: Session):
        self.session = session
        self.attributes = dict(session.execute(select(Attribute.id, Attribute.name)).all())
        self._entities: dict[int, str] = {}

    @cached_property
    def outlets(self) -> dict[str, str | None]:
        """Every source's outlet by key: read when first asked for (only a filter on a source does)."""
        return dict(self.session.execute(select(Source.key, Source.outlet)).all())

    def entities(self, ids: Iterable[int]) -> None:
        missing = sorted(set(ids) - set(self._entities))
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            self._entities.update(
                self.session.execute(select(Entity.id, Entity.name).where(Entity.id.in_(chunk))).all()
            )

    def entity(self, entity_id: int) -> str:
        return self._entities[entity_id]


def _value_of(claim: Comparable):
    """The point a claim states: its code or text, or the middle of its interval."""
    if claim.scale in ("identifier", "text", "names"):
        return claim.text
    if claim.low is not None and claim.high is not None:
        return (claim.low + claim.high) / 2
    return claim.low if claim.low is not None else claim.high


# -- clusters ------------------------------------------------------------------------


@dataclass
class ClusterSummary:
    """Disagreements before and after normalisation, over the items looked at."""

    items: int = 0  # items with at least two claims from different sources
    differently_stated: int = 0  # ... whose claims state more than one phrase (before normalisation)
    different_readings: int = 0  # ... whose readings differ (normalised, to the minute / code)
    disagreeing: int = 0  # ... with more than one cluster (after tolerance and compatible codes)
    unreadable: int = 0  # claims kept as stated that could not be read (not compared)

    def as_dict(self) -> dict:
        return dict(items=self.items, differently_stated=self.differently_stated,
                    different_readings=self.different_readings, disagreeing=self.disagreeing,
                    unreadable=self.unreadable)


def list_clusters(
    session: Session,
    *,
    subject: str | None = None,
    attribute: str | None = None,
    source: str | None = None,
    every: bool = False,
    limit: int | None = None,
) -> tuple[list[dict], ClusterSummary]:
    """Per item (subject, attribute, time), the groups of mutually compatible claims.

    Only items whose claims fall into more than one cluster are listed, unless
    ``every``. Each cluster has the claims in it, their sources, ``support``
    (claims) and ``origins`` (independent origins: claims attributed to one
    upstream count once). The summary counts disagreements before and after
    normalisation over every item looked at (all of them, with no filters).
    """
    names = _Names(session)
    summary = ClusterSummary()
    rows: list[dict] = []
    for group in _groups(session, _wanted_groups(session, subject, attribute)):
        for key, claims in group.items():
            scale = key[3]
            if scale == "unparsed":
                summary.unreadable += len(claims)
                continue
            if len({c.source for c in claims}) < 2:
                continue
            if source is not None and not any(source in (c.source, names.outlets.get(c.source)) for c in claims):
                continue
            summary.items += 1
            if len({c.label for c in claims}) > 1:
                summary.differently_stated += 1
            if len({_value_of(c) for c in claims}) > 1:
                summary.different_readings += 1
            members = [
                clustering.Member(c.claim_id, c.source, c.origin, c.low, c.high, c.text, c.label, c.low_open, c.high_open)
                for c in claims
            ]
            found = clustering.cluster_item(scale, members)
            if len(found) > 1:
                summary.disagreeing += 1
            if (len(found) > 1 or every) and (limit is None or len(rows) < limit):
                rows.append(_cluster_row(key, scale, found))
    names.entities(row["entity_id"] for row in rows)
    _show_intervals(session, rows)
    for row in rows:
        row["subject"] = names.entity(row.pop("entity_id"))
        row["attribute"] = names.attributes[row.pop("attribute_id")]
    return rows, summary


def _show_intervals(session: Session, rows: list[dict]) -> None:
    """A cluster of quantities, money or dates shows the interval most of its claims state, in words.

    ("thousands" is "1,000 to under 10,000", not a midpoint); times, codes and
    text keep their point value. Amounts in several currencies show the part
    the cluster shares, in the item's currency.
    """
    wanted = [c["id"] for row in rows if row["scale"] not in POINT_SCALES for k in row["clusters"] for c in k["claims"]]
    if not wanted:
        return
    labels = claim_labels(session, wanted)
    for row in rows:
        if row["scale"] in POINT_SCALES:
            continue
        for cluster in row["clusters"]:
            if len({labels[c["id"]][2] for c in cluster["claims"]}) > 1:
                currency, _, per = row["scale"].partition(" per ")
                words = interval_words(cluster["low"], cluster["high"], False, False, money_format(currency))
                cluster["value"] = f"{words} a {per}" if per else words
                continue
            words = Counter(labels[c["id"]][1] for c in cluster["claims"])
            cluster["value"] = words.most_common(1)[0][0]  # ties: the first stated


def _cluster_row(key: tuple, scale: str, found: list[clustering.Cluster]) -> dict:
    entity_id, attribute_id, days, _ = key
    return dict(
        entity_id=entity_id,
        attribute_id=attribute_id,
        time=show_days(days),
        scale=scale,
        clusters=[
            dict(
                value=_cluster_value(scale, cluster),
                low=cluster.low,
                high=cluster.high,
                support=cluster.support,
                origins=cluster.origins,
                sources=cluster.sources,
                claims=[dict(id=m.claim_id, source=m.source, value=m.label) for m in cluster.members],
            )
            for cluster in found
        ],
    )


def _cluster_value(scale: str, cluster: clustering.Cluster) -> str | None:
    """A cluster as one value: its code or text, or the time most of its claims state.

    None for quantities, money and dates: ``_show_intervals`` puts their interval in words.
    """
    if scale not in POINT_SCALES:
        return None
    if cluster.text is not None or scale in ("identifier", "text", "names"):
        return str(cluster.text)
    points = Counter(
        (m.low + m.high) / 2 if m.low is not None and m.high is not None else (m.low if m.low is not None else m.high)
        for m in cluster.members
    )
    best = min(points, key=lambda point: (-points[point], point if point is not None else 0))
    return show_value(scale, best)


# -- consensus -----------------------------------------------------------------------


@dataclass(frozen=True)
class EstimateUse:
    """Where reliability weights came from: a kept estimate still valid, or estimated now (and why)."""

    kept: bool
    journal_seq: int | None = None  # the kept estimate's journal entry, if there is one
    estimated_at: datetime | None = None  # when the kept estimate was made, if it is used


@dataclass
class ConsensusReport:
    """Decisions to show, every source's report, and how the run went."""

    decisions: list[dict]
    sources: list[dict]
    groups: list[list[str]]
    method: str
    judge: str
    items: int
    iterations: int
    estimate: EstimateUse | None = None  # reliability: where the weights came from (None for support)


def run_consensus(
    session: Session,
    *,
    method: str = "support",
    judge: str = "outlet",
    subject: str | None = None,
    attribute: str | None = None,
    contested_only: bool = False,
    limit: int | None = None,
    detail: bool = True,
    options: core.Options | None = None,
) -> ConsensusReport:
    """Decide every item of the ledger by ``method`` and return the ones the filters select.

    ``detail=False`` leaves out each decision's ``candidates`` (lighter, for
    CSV and tables of many items). Raises NotFound for an unknown subject or
    attribute, ValueError for an unknown method or judge.
    """
    if judge not in JUDGES:
        raise ValueError(f"judge {judge!r} is not one of {', '.join(JUDGES)}")
    wanted = _wanted_groups(session, subject, attribute)
    wanted_set = set(wanted) if wanted is not None else None
    keep = None if wanted_set is None else (lambda key: (key[0], key[1]) in wanted_set)
    names = _Names(session)
    kept, estimate = _kept(session, method, judge, options)
    with collector_off():  # see ``keep_estimate``
        if kept is not None:  # weights kept at this very journal head: decide only the wanted items
            with closing(_items(session, names, judge, wanted)) as items:
                result = core.decide_with(items, kept, keep=keep)
        else:  # support decides each item on its own claims: only the wanted groups are read
            with closing(_items(session, names, judge, None if method == "reliability" else wanted)) as items:
                result = core.decide(items, method, options, keep=keep, voter=TwoCoreVoter())
    shown = [d for d in result.decisions if d.contested or not contested_only]
    if limit is not None:
        shown = shown[:limit]
    names.entities(d.key[0] for d in shown)
    labels = claim_labels(session, [c.claim_ids[0] for d in shown for c in (d.candidates if detail else d.candidates[:2])])
    decisions = [_decision_row(d, names, labels, result, detail) for d in shown]
    sources = [_source_row(report) for report in sorted(result.sources.values(), key=lambda r: (-r.reliability, r.source))]
    return ConsensusReport(decisions, sources, result.groups, method, judge, result.items, result.iterations,
                           estimate)


def source_reliability(
    session: Session, *, method: str = "reliability", judge: str = "outlet", options: core.Options | None = None
) -> ConsensusReport:
    """Every judged source's estimated reliability (no decisions kept)."""
    kept, estimate = _kept(session, method, judge, options)
    if kept is not None:
        reports, groups, iterations, items = kept.sources, kept.copy_groups, kept.iterations, kept.items
    else:
        with collector_off(), closing(_items(session, _Names(session), judge, None)) as items:  # see ``keep_estimate``
            result = core.decide(items, method, options, keep=lambda key: False, voter=TwoCoreVoter())
        reports, groups, iterations, items = result.sources, result.groups, result.iterations, result.items
    sources = [_source_row(report) for report in sorted(reports.values(), key=lambda r: (-r.reliability, r.source))]
    return ConsensusReport([], sources, groups, method, judge, items, iterations, estimate)


@dataclass
class KeptEstimate:
    """What ``ledger estimate`` kept."""

    judge: str
    journal_seq: int
    sources: int
    copy_groups: int
    items: int
    seconds: float


def keep_estimate(ledger, *, judge: str = "outlet", options: core.Options | None = None) -> KeptEstimate:
    """Estimate every source's reliability over the whole ledger and keep it, tied to the journal head.

    The estimate runs in a read transaction (writers are not held up); it is
    kept only if the ledger is still at the head it was read at. Raises
    ValueError for an unknown judge, ``Stale`` when the ledger changed meanwhile.
    """
    if judge not in JUDGES:
        raise ValueError(f"judge {judge!r} is not one of {', '.join(JUDGES)}")
    options = options or core.Options()
    started = time.perf_counter()
    with ledger.read() as session, collector_off():  # millions of objects kept, next to no cycles (ledger.collector)
        head = journal_head(session)
        with closing(_items(session, _Names(session), judge, None)) as items:
            result = core.decide(items, "reliability", options, keep=lambda key: False, voter=TwoCoreVoter())
    seconds = time.perf_counter() - started
    with ledger.write() as session:
        if journal_head(session) != head:
            raise Stale("the ledger changed while its sources were being estimated", hint="estimate_again")
        fingerprint = _fingerprint(options)
        session.execute(delete(ReliabilityEstimate).where(
            ReliabilityEstimate.judge == judge, ReliabilityEstimate.options == fingerprint))
        session.add(ReliabilityEstimate(
            judge=judge, options=fingerprint, journal_seq=head[0], journal_hash=head[1], items=result.items,
            estimates=json.dumps(result.estimates.as_dict()),  # key order kept: it numbers the origins
        ))
    return KeptEstimate(judge, head[0], len(result.sources), len(result.groups), result.items, seconds)


class Stale(LedgerError):
    """The ledger changed while an estimate was being made."""


def _fingerprint(options: core.Options) -> str:
    return json.dumps(asdict(options), sort_keys=True)


def _kept(session: Session, method: str, judge: str,
          options: core.Options | None) -> tuple[core.Estimates | None, EstimateUse | None]:
    """The kept estimate for ``judge`` if the ledger is still at its journal head, and where weights come from.

    Support estimates nothing: (None, None).
    """
    if method != "reliability":
        return None, None
    row = session.execute(select(ReliabilityEstimate).where(
        ReliabilityEstimate.judge == judge,
        ReliabilityEstimate.options == _fingerprint(options or core.Options()),
    )).scalar_one_or_none()
    if row is None:
        return None, EstimateUse(kept=False)
    if (row.journal_seq, row.journal_hash) != journal_head(session):
        return None, EstimateUse(kept=False, journal_seq=row.journal_seq)
    return core.Estimates.from_dict(json.loads(row.estimates)), EstimateUse(True, row.journal_seq, row.estimated_at)


def read_items(session: Session, judge: str = "outlet") -> list[core.Item]:
    """Every item of the ledger as consensus sees it, read once (to decide it several ways)."""
    with closing(_items(session, _Names(session), judge, None)) as items:
        return list(items)


def _items(session: Session, names: _Names, judge: str, wanted) -> Iterator[core.Item]:
    """Items of the ledger (or of the ``wanted`` groups), read lazily; unreadable claims left out.

    The whole ledger is read on two cores when it is large (``two_readers``).
    """
    if wanted is not None:
        return _items_read(session, names, judge, wanted)
    head = journal_head(session)

    def same_ledger(child_session: Session) -> None:
        if journal_head(child_session) != head:
            raise Stale("the ledger changed while its items were being read", hint="estimate_again")

    return items_on_two_cores(session, lambda own, entities: _items_read(own, names, judge, None, entities),
                              same_ledger)


def _items_read(session: Session, names: _Names, judge: str, wanted,
                entities: tuple[int | None, int | None] = (None, None)) -> Iterator[core.Item]:
    """Items of the ``wanted`` groups (None: all) in the range of ``entities``, read in this process.

    A claim's phrase for copy detection is its label (its reading and its
    value as stated), so two sites printing one feed show the same phrases.
    """
    for group in _stated_groups(session, wanted, entities):
        attribute = names.attributes[group.attribute_id]
        for key, claims in group.items():
            if key[3] == "unparsed":
                continue
            yield core.Item(key, attribute, key[3], [
                core.Statement(c.claim_id, c.origin if judge == "outlet" else c.source, _value_of(c), c.low, c.high, c.label)
                for c in claims
            ])


def _decision_row(decision: core.Decision, names: _Names, labels: dict[int, tuple[str, str]], result: core.Result,
                  detail: bool) -> dict:
    """A decision as shown: a quantity, amount or date as the interval its first claim states, in words."""
    entity_id, attribute_id, days, scale = decision.key
    winner = decision.candidates[0]

    def shown(candidate: core.Candidate) -> str:
        if scale in POINT_SCALES:
            return show_value(scale, candidate.value)
        return labels[candidate.claim_ids[0]][1]

    candidates = [
        dict(
            value=shown(c),
            stated=labels[c.claim_ids[0]][0],
            origins=c.origins,
            sources=c.sources,
            claims=c.claim_ids,
            score=round(c.score, 4),
            probability=round(c.probability, 4),
            reliability={s: round(result.sources[s].by_attribute.get(decision.attribute, result.sources[s].reliability), 3)
                         for s in c.sources},
        )
        for c in (decision.candidates if detail else decision.candidates[:2])
    ]
    row = dict(
        subject=names.entity(entity_id),
        attribute=decision.attribute,
        time=show_days(days),
        value=candidates[0]["value"],
        stated=candidates[0]["stated"],
        confidence=round(decision.confidence, 4),
        method=decision.method,
        origins=winner.origins,
        claims=len(winner.claim_ids),
        total_origins=sum(c.origins for c in decision.candidates),
        sources=winner.sources,
        why=_why(decision, candidates),
    )
    if detail:
        row["candidates"] = candidates
    else:
        row["candidates"] = len(decision.candidates)
    return row


def _why(decision: core.Decision, candidates: list[dict]) -> str:
    """One line: who backs the winner (with weights, for reliability), and the runner-up."""
    best = candidates[0]
    backers = ", ".join(
        f"{s} {best['reliability'][s]:.2f}" if decision.method == "reliability" else s for s in best["sources"][:4]
    )
    more = f" +{len(best['sources']) - 4}" if len(best["sources"]) > 4 else ""
    text = f"{best['origins']} origin{'s' if best['origins'] != 1 else ''} ({backers}{more})"
    if len(candidates) > 1:
        second = candidates[1]
        text += f"; next {second['value']}: {second['origins']} origin{'s' if second['origins'] != 1 else ''}"
        if decision.method == "reliability":
            text += f", p={second['probability']:.2f}"
    return text


def _source_row(report: core.SourceReport) -> dict:
    return dict(
        source=report.source,
        claims=report.claims,
        evaluated=report.evaluated,
        agrees=round(report.agrees, 4),
        reliability=round(report.reliability, 4),
        by_attribute={a: round(v, 4) for a, v in sorted(report.by_attribute.items())},
        copies=[s for s in report.group if s != report.source],
        offsets={a: round(v, 1) for a, v in sorted(report.offsets.items())},
        typical_offsets={a: round(v, 1) for a, v in sorted(report.typical_offsets.items())},
    )
