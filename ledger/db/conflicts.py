"""Conflicts in the database: detection kept current at write time, listing, triage.

Detection runs in Python (``ledger.core.conflicts``) over claims read in one
indexed, ordered query per refresh; results live in the ``conflicts`` table,
which the ``conflict_pairs`` view and ``ledger conflicts`` read.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from ledger.core.comparability import PER_YEAR, ReadingView, on_scale
from ledger.core.conflicts import Comparable, GroupSupport, reading_terms
from ledger.core.errors import NotFound
from ledger.core.listing_order import SHOWN_PLACES, ReadAhead, by_shown_severity, growing_batches
from ledger.core.records import claim_identity
from ledger.core.safe_text import refuse_hostile
from ledger.core.wording import label
from ledger.db import conflict_scan, two_listers
from ledger.db.conflict_scan import CLAIM_COLUMNS, READING_COLUMNS, Readings, driver_rows, rules_by_attribute
from ledger.db.fastinsert import GROUPS_PER_IN, IN_CHUNK, in_groups, rows_in
from ledger.db.journal import Journal
from ledger.db.models import Attribute, Claim, Conflict, Entity, Reading, Verdict, utcnow
from ledger.db.origins import CitedSources, Origins
from ledger.db.queries import bounds, entity_ids_matching
from ledger.db.sized_statements import SizedStatement


# The columns the engine needs, in one flat row; ``_VIEW`` is the slice that decides a claim's
# scale, numbers and label (repeated phrases give repeated slices, so those are cached).
_COMPARABLE_COLUMNS = (
    Claim.id, Claim.ref, Claim.fingerprint, Claim.entity_id, Claim.attribute_id, Claim.value,
    Claim.attributed_to, Claim.source_id,
    Reading.kind, Reading.low, Reading.high, Reading.low_open, Reading.high_open, Reading.low_date,
    Reading.high_date, Reading.unit, Reading.currency, Reading.period, Reading.base_currency,
    Reading.base_low, Reading.base_high,
    Reading.text_norm, Reading.time_low, Reading.time_high,
)
_VIEW_FIELDS = ReadingView._fields
_VIEW = slice(8, 8 + len(_VIEW_FIELDS))
assert [c.key for c in _COMPARABLE_COLUMNS[_VIEW]] == list(_VIEW_FIELDS)
STREAM_ROWS = 2_000  # rows fetched at a time: memory stays flat however many claims are scanned


def _comparable_query():
    """Active claims with their readings, in (entity, attribute, id) order."""
    # Rows must stream in that order straight off ix_claims_entity_attribute. Nearly every claim
    # is active, but without statistics SQLite would pick ix_claims_status and sort every row in
    # a temporary B-tree first, so the status test is kept off that index (``status || ''``);
    # attributes (a handful of rows) are looked up in Python rather than joined, which would
    # tempt the planner to drive the scan from them.
    query = select(*_COMPARABLE_COLUMNS).join(Reading, Reading.id == Claim.reading_id)
    return query.where(Claim.status.concat("") == "active").order_by(Claim.entity_id, Claim.attribute_id, Claim.id)


def comparables(
    session: Session, groups: Iterable[tuple[int, int]] | None = None, *, lone: bool = True,
) -> Iterator:
    """Active claims as the engine sees them, ordered by (entity, attribute), streamed.

    ``groups`` limits them to those (entity, attribute) pairs.
    ``lone=False`` leaves out claims alone in their group (they pair with
    nothing). A Core select of just the needed columns, fetched
    ``STREAM_ROWS`` at a time; source ids are mapped to keys in Python
    (``CitedSources``: all of them for a scan of whole groups, else those the groups cite).
    """
    connection = session.connection()
    rules = rules_by_attribute(connection)
    sources = CitedSources(connection)
    origins = Origins(connection, sources.outlets)
    if groups is None:
        sources.know_all()
        chunks: list[list | None] = [None]
    else:
        wanted = sorted(set(groups))
        chunks = [wanted[i : i + GROUPS_PER_IN] for i in range(0, len(wanted), GROUPS_PER_IN)]
    for chunk in chunks:
        query = _comparable_query() if chunk is None else _comparable_query().where(in_groups(Claim.__table__, chunk))
        # Options per statement: Connection.execution_options() would change the session's connection.
        for rows in _by_group(connection.execute(query, execution_options={"yield_per": STREAM_ROWS})):
            if len(rows) == 1 and not lone:
                continue
            rule = rules[rows[0][4]]
            if chunk is not None:  # a whole-ledger scan read every source above
                sources.know({row[7] for row in rows})
            for row in rows:
                (claim_id, ref, fingerprint, entity_id, attribute_id, stated, attributed_to, source,
                 *view, text_norm, time_low, time_high) = row
                source_key = sources.by_id[source][0]
                scale, low, high, label_ = _described(tuple(view), stated, rule.tolerance)
                high_open, days, money = reading_terms(scale, low, high, view[4], view[8], bool(view[10]),
                                                       time_low, time_high, rule.timeless)
                comparable = Comparable(
                    claim_id=claim_id,
                    identity=f"ref:{ref}" if ref else f"sha256:{fingerprint}",  # claim_identity, inlined
                    group=(entity_id, attribute_id),
                    source=source_key,
                    origin=origins.of(attributed_to, source_key),
                    scale=scale,
                    low=low,
                    high=high,
                    low_open=view[3],
                    high_open=high_open,
                    text=text_norm,
                    days=days,
                    label=label_,
                    single_valued=rule.single_valued,
                    money=money,
                    tolerance=rule.tolerance,
                )
                yield comparable


def _by_group(rows: Iterable) -> Iterator[list]:
    """Consecutive rows of one (entity, attribute) group, as lists."""
    group: list = []
    key = None
    for row in rows:
        if (row[3], row[4]) != key:
            if group:
                yield group
            group, key = [], (row[3], row[4])
        group.append(row)
    if group:
        yield group


def claim_labels(session: Session, claim_ids: Iterable[int]) -> dict[int, tuple[str, str, str | None]]:
    """Per claim: its value as stated, its reading in plain words ("900,000 to under 1,000,000"), its currency."""
    found: dict[int, tuple[str, str, str | None]] = {}
    unique = sorted(set(claim_ids))
    view = [getattr(Reading, name) for name in _VIEW_FIELDS]
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        query = select(Claim.id, Claim.value, *view).join(Reading, Reading.id == Claim.reading_id).where(Claim.id.in_(chunk))
        for claim_id, stated, *fields in session.execute(query):
            words = _described(tuple(fields), stated, None)[3]
            found[claim_id] = (stated, words.removesuffix(f" ({stated})"), fields[8])
    return found


@lru_cache(maxsize=8_192)  # bounded: the keys hold row values
def _described(view: tuple, stated: str, tolerance: str | None) -> tuple[str, float | None, float | None, str]:
    """Scale, numbers on it (widened by ``tolerance``), and label of a reading (``ReadingView`` values)."""
    reading = ReadingView(*view)
    scale, low, high = on_scale(reading, tolerance)
    return scale, low, high, label(reading, stated)


def refresh(session: Session, groups: Iterable[tuple[int, int]] | None = None) -> int:
    """Bring the stored conflicts of ``groups`` (all when None) up to date; return how many pairs now stand."""
    return conflict_scan.rescan(session.connection(), groups)


def refresh_claims_from(session: Session, first_claim_id: int) -> int:
    """Bring up to date the conflicts of every group holding a claim with id >= ``first_claim_id``.

    For a large import into a ledger that already holds claims: the touched
    groups are named by one subquery instead of being listed, and swept in one
    ordered pass.
    """
    return conflict_scan.rescan(session.connection(), first_claim_id=first_claim_id)


@dataclass(frozen=True)
class NewConflicts:
    """The standing conflicts that involve claims a write just added."""

    count: int
    highest_severity: float | None
    subject: str | None  # when they all concern one subject


def conflicts_involving(session: Session, first_claim_id: int) -> NewConflicts:
    """Conflicts with a claim whose id is ``first_claim_id`` or later (ids grow with every write).

    A pair's claims share its group, so the pairs are sought in the groups of those claims (the group index),
    not by claim (no index since migration 0012). When no claim is older (a first import), every pair has
    one: then none is sought (the Flight month's 4.8 million conflicts counted in 2.8–4.0 s, not 5.2–6.1 s).
    """
    involving = Conflict.nature == "conflict"
    oldest = session.execute(select(func.min(Claim.id))).scalar()
    if oldest is not None and oldest < first_claim_id:
        touched = select(Claim.entity_id, Claim.attribute_id).where(Claim.id >= first_claim_id)
        involving &= tuple_(Conflict.entity_id, Conflict.attribute_id).in_(touched) & (
            (Conflict.claim_a_id >= first_claim_id) | (Conflict.claim_b_id >= first_claim_id)
        )
    count, highest, subjects, entity_id = session.execute(
        select(func.count(), func.max(Conflict.severity), func.count(Conflict.entity_id.distinct()),
               func.min(Conflict.entity_id)).where(involving)
    ).one()
    subject = session.get(Entity, entity_id).name if subjects == 1 else None
    return NewConflicts(count, highest, subject)


# -- listing -----------------------------------------------------------------

def latest_verdicts(session: Session) -> dict[str, Verdict]:
    latest: dict[str, Verdict] = {}
    for verdict in session.execute(select(Verdict).order_by(Verdict.id)).scalars():
        latest[verdict.conflict_id] = verdict
    return latest


def list_conflicts(session: Session, **filters) -> list[dict]:
    """The JSON contract of ``ledger conflicts``: one object per pair, most severe first (``iter_conflicts``)."""
    return list(iter_conflicts(session, **filters))


LISTING_CHUNK = 1_000  # pairs completed at a time: their claims and groups are fetched in a few queries
FIRST_CHUNK = 50  # the first chunk, doubling up to LISTING_CHUNK: the first pair waits for few groups
GROUP_CACHE = 1_000  # groups whose members (and their support) are kept while listing
LOOK_AHEAD = 10_000  # pairs read ahead of the one listed: groups coming back within them are kept first
_GROUP = itemgetter(4, 5)  # a listing row's (entity, attribute) group
_TIME_BASIS = len(READING_COLUMNS)  # where the listing's reading rows hold the time basis, after the scan's columns


def iter_conflicts(session: Session, **filters) -> Iterator[dict]:
    """The pairs of ``list_conflicts``, streamed in its order, each in dicts of its own (``stream_conflicts``)."""
    for row in stream_conflicts(session, **filters):
        yield dict(row, claims=[dict(claim, support=list(claim["support"])) for claim in row["claims"]])


def stream_conflicts(
    session: Session,
    *,
    subject: str | None = None,
    subject_ids: list[int] | None = None,
    attribute: str | None = None,
    source: str | None = None,
    min_severity: float = 0.0,
    status: str = "active",
    nature: str = "conflict",
    limit: int | None = None,
) -> Iterator[dict]:
    """The pairs of ``list_conflicts``, streamed in its order: the first comes before the last is read.

    ``status``: "active" (open and confirmed), "open", "confirmed", "dismissed", or "all"
    (which adds, last, stale verdicts whose claims no longer conflict). ``subject`` is
    a name as the CLI takes it (canonical, alias, or substring); ``subject_ids``
    the entities themselves. The pairs come by severity as shown (rounded to 6
    places), then subject, attribute and id in code-point order: the database
    sorts them by stored severity (off its index), then the names and id, and
    ``by_shown_severity`` re-sorts only the runs where rounding joins distinct
    stored values. Each chunk of pairs fetches the members of its groups and
    the claims it shows (kept in a bounded cache: pairs of one group mostly come together;
    the groups coming back soonest in the ``LOOK_AHEAD`` pairs read ahead are kept first),
    so memory stays flat however many pairs there are. A claim's dict (with
    its support) is built once while its group is cached and shared by every
    pair showing it: read-only, so writers may reuse what they made of it.
    Past ``two_listers.FORK_AFTER`` pairs, a second process makes the claims
    of some groups' pairs (``two_listers``): the same pairs, in the same order.
    """
    if subject is not None:
        subject_ids = entity_ids_matching(session, subject)
    chosen = {"subject_ids": subject_ids, "attribute": attribute, "min_severity": min_severity, "status": status,
              "nature": nature}
    verdicts = latest_verdicts(session)
    listing = _listing_chunks(session, verdicts, **chosen)
    members = _GroupMembers(session, listing)
    listed = gone_through = 0
    last_severity = rounded = helper = None
    asked = False  # whether a second process was asked for (once the listing proved long)
    with ExitStack() as stack:
        for number, chunk in enumerate(listing):
            if not asked and gone_through >= two_listers.FORK_AFTER:
                asked = True
                helper = stack.enter_context(two_listers.helping(
                    session, lambda own: _listing_chunks(own, latest_verdicts(own), **chosen),
                    lambda own, chunks: _GroupMembers(own, chunks).pairs, number,
                ))
            gone_through += len(chunk)
            made = helper.claims() if helper else {}
            members.load([row for row in chunk if row[0] not in made] if made else chunk)
            for row in chunk:
                conflict_id, severity_ = row[0], row[7]
                pair = made.get(conflict_id) or members.pair(row)
                if source is not None and not any(source in (c["source"], c["outlet"]) for c in pair):
                    continue
                if severity_ != last_severity:  # pairs come in runs of one severity: rounded once a run
                    last_severity, rounded = severity_, round(severity_, SHOWN_PLACES)
                verdict = verdicts.get(conflict_id)
                yield {"id": conflict_id, "nature": row[1], "subject": row[8], "attribute": row[9],
                       "reason": row[6], "severity": rounded, "status": verdict.status if verdict else "open",
                       "note": verdict.note if verdict else None, "stale": False, "claims": pair}
                listed += 1
                if limit and listed >= limit:
                    return
    if status == "all" and nature == "conflict":
        for row in _stale(session, verdicts):
            yield row
            listed += 1
            if limit and listed >= limit:
                return


def _listing_chunks(session: Session, verdicts: dict[str, Verdict], *, subject_ids: list[int] | None,
                    attribute: str | None, min_severity: float, status: str, nature: str) -> ReadAhead:
    """The rows of a listing (see ``stream_conflicts``) in its order, in chunks of its pairs whose status is wanted,
    read ``LOOK_AHEAD`` pairs ahead: the same chunks wherever they are read (``two_listers``: chunk N of one
    process is chunk N of the other)."""
    return ReadAhead(_chunks(session, verdicts, subject_ids, attribute, min_severity, status, nature), _GROUP,
                     LOOK_AHEAD)


def _chunks(session: Session, verdicts: dict[str, Verdict], subject_ids: list[int] | None, attribute: str | None,
            min_severity: float, status: str, nature: str) -> Iterator[list[tuple]]:
    query = (
        select(Conflict.id, Conflict.nature, Conflict.claim_a_id, Conflict.claim_b_id, Conflict.entity_id,
               Conflict.attribute_id, Conflict.reason, Conflict.severity, Entity.name, Attribute.name)
        .join(Entity, Entity.id == Conflict.entity_id)
        .join(Attribute, Attribute.id == Conflict.attribute_id)
        .where(*(kept := [Conflict.nature == nature, Conflict.severity >= min_severity]))
        .order_by(Conflict.severity.desc(), _code_points(session, Entity.name),
                  _code_points(session, Attribute.name), _code_points(session, Conflict.id))
    )
    if subject_ids is not None:
        query = query.where(Conflict.entity_id.in_(subject_ids))
    if attribute is not None:
        query = query.where(Attribute.name == attribute)
    rows = by_shown_severity(
        _listing_rows(session, query, None if subject_ids is not None or attribute is not None else kept),
        severity=itemgetter(7), key=itemgetter(8, 9, 0), lower_than=lambda value: _severity_below(session, value),
        hold=LISTING_CHUNK,
    )
    for chunk in growing_batches(rows, FIRST_CHUNK, LISTING_CHUNK):
        if verdicts or not _status_matches("open", status):  # without verdicts every pair is open
            chunk = [row for row in chunk if _status_matches(_state(verdicts, row[0]), status)]
        yield chunk


WALK_PAIRS = 5_000  # listings of fewer pairs are sorted whole, whatever their severities
WALK_SUBJECTS = 1_000  # subjects whose pairs of a walked run are read at a time


def _listing_rows(session: Session, query, kept: list | None) -> Iterator[tuple]:
    """The rows of the listing ``query``, in its order, as the driver gives them (plain tuples).

    The database sorts each run of one stored severity by names before giving
    its first row. When the top severity holds at least half of many pairs
    (every pair, in data where each subject's claims differ alike), that sort
    would hold back the first row: then, given ``kept`` (the query's conditions,
    when they are all on ``conflicts``), that run is read subjects at a time in
    name order (20, then up to ``WALK_SUBJECTS``, each slice sorted alone), and
    the rest with one query.
    """
    connection = session.connection()
    top = None
    if kept is not None:
        top = connection.execute(select(func.max(Conflict.severity)).where(*kept)).scalar()
    if top is None or not _top_run_leads(connection, kept, top):
        yield from driver_rows(connection, query, server_side=True)
        return
    subjects = connection.execute(select(Entity.id).order_by(_code_points(session, Entity.name))).scalars().all()
    for ids in growing_batches(subjects, 20, WALK_SUBJECTS):
        # ``severity + 0``: not ix_stored_conflicts_severity (the whole run) but the subjects' pairs, by its group index
        yield from driver_rows(connection, query.where((Conflict.severity + 0) == top, Conflict.entity_id.in_(ids)))
    yield from driver_rows(connection, query.where(Conflict.severity < top), server_side=True)


def _top_run_leads(connection, kept: list, top: float) -> bool:
    """Whether the pairs at severity ``top`` (the highest) are at least half of ``WALK_PAIRS`` or more pairs.

    Each side is counted up to ``WALK_PAIRS`` first, which mostly decides it:
    counting every one of 181k pairs (a table row each, for ``nature``) was
    ~40 ms before the first row. Both counts in full only when both reach it.
    """
    def count(condition, limit: int | None) -> int:
        rows = select(Conflict.id).where(*kept, condition).limit(limit).subquery()
        return connection.execute(select(func.count()).select_from(rows)).scalar()

    run, rest = count(Conflict.severity == top, WALK_PAIRS), count(Conflict.severity < top, WALK_PAIRS)
    if run == rest == WALK_PAIRS:
        run, rest = count(Conflict.severity == top, None), count(Conflict.severity < top, None)
    return run + rest >= WALK_PAIRS and run >= rest


def _severity_below(session: Session, raw: float) -> float | None:
    """The highest stored severity below ``raw``, of any pair (one step down ix_stored_conflicts_severity)."""
    return session.execute(select(func.max(Conflict.severity)).where(Conflict.severity < raw)).scalar()


def _code_points(session: Session, column):
    """``column`` ordered as Python orders strings (SQLite's default; PostgreSQL's "C" collation)."""
    return column if session.connection().dialect.name == "sqlite" else column.collate("C")


def _state(verdicts: dict[str, Verdict], conflict_id: str) -> str:
    verdict = verdicts.get(conflict_id)
    return verdict.status if verdict else "open"


def _status_matches(state: str, wanted: str) -> bool:
    if wanted == "all":
        return True
    if wanted == "active":
        return state in ("open", "confirmed")
    return state == wanted


class _GroupMembers:
    """The claims of recently listed (subject, attribute) groups, and the shown ones with their support.

    Read as the scan reads them (``conflict_scan``): the driver's plain rows, and
    readings fetched once per distinct reading and read once per value stated.
    """

    def __init__(self, session: Session, listing: ReadAhead):
        self.listing = listing  # the chunks listed: when each group comes back
        connection = self.connection = session.connection()
        self.sources = CitedSources(connection)  # read as their claims are loaded
        self.origins = Origins(connection, self.sources.outlets)  # one for the listing: names are looked up once
        self.rules = rules_by_attribute(connection)
        self.readings = Readings(connection)
        self.members_of = SizedStatement(connection, _members, width=2)
        self.readings_of = SizedStatement(connection, lambda ids: select(*READING_COLUMNS, Reading.time_basis)
                                          .where(Reading.id.in_(ids)))
        self.groups: OrderedDict[tuple[int, int], _Group] = OrderedDict()
        self.whose: dict[tuple, tuple[str, str]] = {}
        self.shown_readings: dict = {}  # a reading (``Readings.of``, one object per reading and value) -> its shown part

    def load(self, pairs: list) -> None:
        """Make sure the groups and claims of ``pairs`` (rows of the listing query) are at hand."""
        groups = set(map(_GROUP, pairs))
        for group in groups & self.groups.keys():
            self.groups.move_to_end(group)
        missing = sorted(groups.difference(self.groups))
        for start in range(0, len(missing), GROUPS_PER_IN):
            chunk = missing[start : start + GROUPS_PER_IN]
            claims = self.members_of.rows(chunk)
            self.readings.fetch_by({row[7] for row in claims}, self._reading_rows)
            self.sources.know({row[4] for row in claims})
            fetched: dict[tuple[int, int], list[_Member]] = {group: [] for group in chunk}
            for group, rows in groupby(claims, itemgetter(3, 5)):
                rows = list(rows)
                listed = fetched[group]
                shown_times = self.readings.rows(row[7] for row in rows)
                for row, reading, reading_row in zip(rows, self.readings.of(rows, self.rules[group[1]]), shown_times):
                    listed.append(_Member(row, reading, reading_row[_TIME_BASIS],
                                          *(self.whose.get((row[4], row[8])) or self._whose(row))))
            for group, members in fetched.items():
                self.groups[group] = _Group({member.claim_id: member for member in members}, GroupSupport(members), {})
        if (excess := len(self.groups) - max(GROUP_CACHE, len(groups))) > 0:
            # The groups coming back last (or not within the pairs read ahead) go first; among those alike, the
            # least recently listed (a stable sort keeps the cache's order).
            leaving = sorted((group for group in self.groups if group not in groups), key=self.listing.next_use,
                             reverse=True)
            for group in leaving[:excess]:
                del self.groups[group]

    def _whose(self, row: tuple) -> tuple[str, str]:
        """A member row's source key and origin, kept by (source id, attributed to): few pairs of them recur."""
        if len(self.whose) >= Readings.LIMIT:
            self.whose.clear()
        source_key = self.sources.by_id[row[4]][0]
        found = self.whose[row[4], row[8]] = source_key, self.origins.of(row[8], source_key)
        return found

    def _reading_rows(self, ids: list[int]) -> list[tuple]:
        return [row for start in range(0, len(ids), IN_CHUNK) for row in self.readings_of.rows(ids[start : start + IN_CHUNK])]

    def pairs(self, rows: list[tuple]) -> list[tuple[str, list[dict]]]:
        """Each of ``rows`` (of the listing query) as (conflict id, its two claims): what a second process makes."""
        self.load(rows)
        return [(row[0], self.pair(row)) for row in rows]

    def pair(self, row: tuple) -> list[dict]:
        """The two claims a listing row shows (its groups loaded): shared dicts, built once while their group is."""
        group = _GROUP(row)
        shown = self.groups[group].shown
        return [shown.get(row[2]) or self.claim(group, row[2]), shown.get(row[3]) or self.claim(group, row[3])]

    def claim(self, group: tuple[int, int], claim_id: int) -> dict:
        """A loaded claim as a pair shows it, with its support in its group (built once, then shared)."""
        entry = self.groups[group]
        shown = entry.shown.get(claim_id)
        if shown is None:
            member = entry.members[claim_id]
            backing = entry.support.of(member)
            row = member.row
            low, high, unit, currency, period = self._shown_reading(member.reading)
            key, outlet, published = self.sources.by_id[row[4]]
            shown = entry.shown[claim_id] = {
                "id": claim_id, "ref": row[1], "source": key, "outlet": outlet, "published": published,
                "value": row[6], "when": row[9], "low": low, "high": high, "unit": unit,
                "currency": currency, "period": period, "time_basis": member.time_basis, "quote": row[10],
                "attributed_to": row[8], "status": row[11], "support": backing.claim_ids, "origins": backing.origins,
            }
        return shown

    def _shown_reading(self, reading) -> tuple:
        """What a claim shows of its reading: its bounds (``bounds``), unit, currency and period; made once a reading."""
        shown = self.shown_readings.get(reading)
        if shown is None:
            if len(self.shown_readings) >= Readings.LIMIT:
                self.shown_readings.clear()
            view = reading.view
            shown = self.shown_readings[reading] = (*bounds(view), view.unit, view.currency, view.period)
        return shown


# A listed group's active claims that have a reading: the scan's columns, then what a pair shows of them beside
# their reading (whose time basis comes with the reading's row: joining it here was a third of the query's time).
_MEMBERS = (
    select(*CLAIM_COLUMNS, Claim.attributed_to, Claim.when_stated, Claim.quote, Claim.status)
    .where(Claim.status.concat("") == "active",  # kept off ix_claims_status (see ``_comparable_query``)
           Claim.reading_id.is_not(None))
    .order_by(Claim.entity_id, Claim.attribute_id, Claim.id)
)


def _members(groups: list[tuple]):
    """``_MEMBERS`` of the (entity, attribute) ``groups``, each a pair of bind parameters (``SizedStatement``)."""
    return _MEMBERS.where(in_groups(Claim.__table__, [tuple_(*group) for group in groups],
                                    entity_ids=[entity_id for entity_id, _ in groups]))


class _Member:
    """A claim of a listed group as ``GroupSupport`` compares it (the fields of a ``Comparable`` support reads),
    with its row of ``_MEMBERS``, its reading and that reading's time basis: lighter to make than a
    ``Comparable``, one per claim."""

    __slots__ = ("claim_id", "source", "origin", "scale", "low", "high", "low_open", "high_open", "text", "days",
                 "money", "row", "reading", "time_basis")

    def __init__(self, row: tuple, reading, time_basis: str | None, source: str, origin: str):
        self.claim_id, self.source, self.origin, self.row, self.reading = row[0], source, origin, row, reading
        self.time_basis = time_basis
        self.scale, self.low, self.high, self.low_open = reading.scale, reading.low, reading.high, reading.low_open
        self.high_open, self.text, self.days, self.money = reading.high_open, reading.text, reading.days, reading.money


@dataclass
class _Group:
    members: dict[int, _Member]  # claim id -> the claim
    support: GroupSupport
    shown: dict[int, dict]  # claim id -> the claim as a listed pair shows it


def _stale(session: Session, verdicts: dict[str, Verdict]) -> Iterator[dict]:
    """Verdicts whose conflict no longer stands (a claim was retracted, superseded or re-read), by id."""
    ids = sorted(verdicts)
    current = {row[0] for row in rows_in(session.connection(), select(Conflict.id), Conflict.id, ids)}
    for conflict_id in ids:
        if conflict_id in current:
            continue
        verdict = verdicts[conflict_id]
        yield dict(id=conflict_id, nature="conflict", subject=None, attribute=None,
                   reason=f"no longer a conflict (claims {verdict.claim_a} and {verdict.claim_b})",
                   severity=0.0, status=verdict.status, note=verdict.note, stale=True, claims=[])


# -- triage --------------------------------------------------------------------


def record_verdict(session: Session, conflict_id: str, status: str, note: str | None, actor: str) -> Verdict:
    """Append a verdict; the conflict must exist now, or have had a verdict before (a stale one).

    Repeating the last verdict without a note keeps that verdict's note.
    """
    refuse_hostile("--note", note, free_text=True)
    previous = session.execute(
        select(Verdict).where(Verdict.conflict_id == conflict_id).order_by(Verdict.id.desc()).limit(1)
    ).scalar_one_or_none()
    if note is None and previous is not None and previous.status == status:
        note = previous.note  # the same verdict again without a note keeps the note it had
    conflict = session.get(Conflict, conflict_id)
    if conflict is not None:
        identities = [
            claim_identity(c.ref, c.fingerprint)
            for c in (session.get(Claim, conflict.claim_a_id), session.get(Claim, conflict.claim_b_id))
        ]
    else:
        if previous is None:
            raise NotFound(f"no conflict {conflict_id!r}", hint="list", what="conflicts --status all")
        identities = [previous.claim_a, previous.claim_b]
    verdict = Verdict(
        conflict_id=conflict_id, status=status, note=note, actor=actor,
        claim_a=identities[0], claim_b=identities[1], recorded_at=utcnow(),
    )
    session.add(verdict)
    session.flush()
    Journal(session, actor).append(
        "verdict_recorded",
        {"id": verdict.id, "conflict_id": conflict_id, "status": status, "note": note,
         "claim_a": verdict.claim_a, "claim_b": verdict.claim_b},
    )
    return verdict


def conflict_detail(session: Session, conflict_id: str) -> dict:
    """One conflict (or incomparable pair) in full, with each claim's normalisation steps."""
    for nature in ("conflict", "incomparable"):
        for row in list_conflicts(session, status="all", nature=nature):
            if row["id"] == conflict_id:
                tolerance = session.execute(select(Attribute.tolerance).where(Attribute.name == row["attribute"])).scalar()
                for claim in row["claims"]:
                    claim["steps"] = _steps(session, claim["id"])
                    if tolerance:
                        claim["steps"].append(f"each bound moved out by the attribute's {tolerance} tolerance")
                return row
    raise NotFound(f"no conflict {conflict_id!r}", hint="list", what="conflicts --status all")


def _steps(session: Session, claim_id: int) -> list[str]:
    reading = session.execute(
        select(Reading).join(Claim, Claim.reading_id == Reading.id).where(Claim.id == claim_id)
    ).scalar_one_or_none()
    if reading is None:
        return []
    steps = list(json.loads(reading.notes))
    if reading.base_currency:
        if reading.rate_low == reading.rate_high:
            rate = f"{reading.rate_low:.6g}"
        else:
            rate = f"{reading.rate_low:.6g} to {reading.rate_high:.6g}"
        steps.append(
            f"converted {reading.currency} → {reading.base_currency} at {rate} "
            f"({reading.rate_source}, {reading.rate_from} to {reading.rate_to})"
        )
    if reading.period:
        steps.append(f"per {reading.period}: scaled ×{PER_YEAR[reading.period]} to a yearly amount")
    return steps

