"""The conflict scan: re-detect the pairs of some groups and write only what changed.

Claims are read with the driver's own cursor (plain tuples, only the columns
the rules read) in (entity, attribute, id) order and taken a run of whole
entities at a time. Plain groups (one numeric scale, one currency: the bulk of
real data) go through ``plain_pairs`` on light records; the others are built
into ``Comparable`` records for ``find_pairs``. Each run's pairs are compared
with the pairs stored for the same entities (by id and every stored column):
only new and changed pairs are written and only vanished ones deleted, so a
re-scan of an unchanged ledger writes nothing, and ``detected_at`` keeps the
time a pair was first found as it stands.

A scan of more than one run, when a second core is idle, forks a process
that computes some runs' pairs (``_Helper``) while this one fetches, computes
and settles the others; this process keeps all database work (so the scan
sees an import's uncommitted rows, on either engine), and settles the runs in
order, so what is written is the same, in the same order.
"""

from __future__ import annotations

import gc
import marshal
import pickle
import signal
import sys
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from itertools import chain, groupby
from operator import itemgetter

from sqlalchemy import delete, select, tuple_
from sqlalchemy.engine import Connection

from ledger import forked
from ledger.collector import collector_off
from ledger.core.comparability import NO_NUMBERS, ReadingView, attribute_rules, on_scale
from ledger.core.conflicts import Comparable, find_pairs, plain_pairs, reading_terms
from ledger.core.wording import label
from ledger.db.conflict_phrases import Phrases
from ledger.db.fastinsert import GROUPS_PER_IN, Rows, in_groups, insert_numbered
from ledger.db.models import Attribute, Claim, Conflict, ConflictScan, Reading, Source, StoredConflict, utcnow

STREAM_ROWS = 2_000  # claims fetched at a time
RUN_CLAIMS = 20_000  # claims compared with their stored pairs at a time (whole entities): memory stays flat
# Runs handed to the scan's second process at a time: the one it computes and three queued. Where reading
# bounds the scan (many pairs to compare), this process then seldom has to compute a run itself.
HANDED_RUNS = 4
PENDING_RUNS = 8  # runs computed here that may wait for one handed over before it (bounds memory)

# What the rules read of a claim, and of its reading (fetched once per distinct reading, not joined
# per claim: bulk data shares readings). Of a reading row, ``_VALUE`` is its value (a ``ReadingView`` but
# for the base amounts, which no rule reads), ``_TEXT`` its text and ``_TIME`` the days it is about.
CLAIM_COLUMNS = (Claim.id, Claim.ref, Claim.fingerprint, Claim.entity_id, Claim.source_id, Claim.attribute_id,
                 Claim.value, Claim.reading_id)
_READING_KEY = slice(5, 8)  # (attribute, value as stated, reading): what decides a claim's ``_Reading``
READING_COLUMNS = (
    Reading.id, Reading.kind, Reading.low, Reading.high, Reading.low_open, Reading.high_open, Reading.low_date,
    Reading.high_date, Reading.unit, Reading.currency, Reading.period, Reading.base_currency,
    Reading.text_norm, Reading.time_low, Reading.time_high,
)
_VALUE = slice(1, 12)
_TEXT = 12
_TIME = slice(13, 15)
assert [c.key for c in READING_COLUMNS[_VALUE]] == list(ReadingView._fields[:11])
_STORED_COLUMNS = (Conflict.id, Conflict.nature, Conflict.claim_a_id, Conflict.claim_b_id, Conflict.entity_id,
                   Conflict.attribute_id, Conflict.reason, Conflict.severity)
_GROUP = itemgetter(3, 5)
_ENTITY = itemgetter(3)
_FIRST = itemgetter(0)


def rescan(connection: Connection, groups: Iterable[tuple[int, int]] | None = None,
           first_claim_id: int | None = None) -> int:
    """Bring the stored pairs of some groups up to date; return how many pairs now stand in them.

    Every group when both are None; else the ``groups`` named, or the groups
    holding a claim with id >= ``first_claim_id`` (named by one subquery, so
    a large import's groups are swept in one ordered pass).
    """
    # Off while scanning (see ledger.collector); a young collection after each run instead walked all the run
    # had made (~0.1 s a run).
    with collector_off():
        return _rescan(connection, groups, first_claim_id)


def _rescan(connection: Connection, groups: Iterable[tuple[int, int]] | None, first_claim_id: int | None) -> int:
    scan = _Scan(connection)
    if groups is not None:
        wanted = sorted(set(groups))
        for start in range(0, len(wanted), GROUPS_PER_IN):
            chunk = wanted[start : start + GROUPS_PER_IN]
            scan.run(in_groups(Claim.__table__, chunk), chunk)
    elif first_claim_id is not None:
        touched = select(Claim.entity_id, Claim.attribute_id).where(Claim.id >= first_claim_id).distinct()
        scan.run(tuple_(Claim.entity_id, Claim.attribute_id).in_(touched),
                 sorted(tuple(row) for row in connection.execute(touched)))
    else:
        scan.run(None, None)
    return scan.standing


def rules_by_attribute(connection: Connection) -> dict:
    """Each attribute's comparison rules (``attribute_rules``), by attribute id."""
    return {
        attribute_id: attribute_rules(kind, single_valued, timeless, tolerance)
        for attribute_id, kind, single_valued, timeless, tolerance in connection.execute(
            select(Attribute.id, Attribute.kind, Attribute.single_valued, Attribute.timeless, Attribute.tolerance)
        )
    }


class _Scan:
    """One scan's settings (rules, source keys, the time new pairs are stamped with) and its running count."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.rules = rules_by_attribute(connection)
        self.source_keys = dict(connection.execute(select(Source.id, Source.key)).all())
        self.rows = Rows(connection, StoredConflict.__table__, preprocessed=("severity",))
        self.phrases = Phrases(connection)
        self.scan_id: int | None = None  # the ``conflict_scans`` row stamping the pairs written, made at the first
        # A new pair's id may only stand elsewhere if the table holds pairs at all: then it is deleted first.
        self.stored_any = connection.execute(select(StoredConflict.id).limit(1)).first() is not None
        self.readings = Readings(connection)
        self.standing = 0

    def run(self, where, scope: list[tuple[int, int]] | None) -> None:
        """Scan the active claims matching ``where`` (all: None); ``scope``: the groups whose pairs are replaced.

        With more than one run and a second core, a forked process computes some runs' pairs while this one
        fetches, computes and settles others (see ``_Helper``); runs are settled in order all the same.
        """
        query = (
            # Rows stream in this order straight off ix_claims_entity_attribute; the status test is kept
            # off ix_claims_status (see ``conflicts.comparables``).
            select(*CLAIM_COLUMNS).where(Claim.status.concat("") == "active")
            .order_by(Claim.entity_id, Claim.attribute_id, Claim.id)
        )
        if where is not None:
            query = query.where(where)
        pending: deque[tuple] = deque()  # runs computed or handed over, settled in order: (after, upto, pairs)
        after = None
        with ExitStack() as stack:
            helper = None
            for claims, last in _entity_runs(driver_batches(self.connection, query, server_side=True)):
                upto = None if last else claims[-1][3]
                run_readings = select(Claim.reading_id).where(*_entities(Claim, after, upto))
                reading_ids = {row[7] for row in claims}
                self.readings.fetch(self.connection, reading_ids,
                                    run_readings if where is None else run_readings.where(where))
                if helper is None and not last and forked.available() and forked.spare_core():
                    helper = stack.enter_context(_helper(self))
                self._settle_ready(pending, helper, scope)
                if helper is not None and helper.takes(last):
                    helper.send(claims, self.readings.rows(reading_ids))
                    pending.append((after, upto, _HANDED_OVER))
                else:
                    pending.append((after, upto, self._computed(claims)))
                self._settle_ready(pending, helper, scope, everything=last)
                after = upto

    def _computed(self, claims: list[tuple]) -> list[tuple] | Exception:
        """The pairs of a run of claims, or the error computing them raised (raised when the run is settled)."""
        try:
            return list(self._pairs(claims))
        except Exception as error:
            return error

    def _settle_ready(self, pending: deque[tuple], helper: _Helper | None, scope: list[tuple[int, int]] | None,
                      everything: bool = False) -> None:
        """Settle the runs at the head of ``pending``, in order; one handed over is waited for only when
        ``everything`` is due or ``PENDING_RUNS`` runs wait behind it."""
        while pending:
            after, upto, pairs = pending[0]
            if pairs is _HANDED_OVER:
                if not (everything or len(pending) > PENDING_RUNS or helper.ready()):
                    return
                pairs = helper.result()
            pending.popleft()
            if isinstance(pairs, BaseException):
                raise pairs
            self._settle(pairs, after, upto, scope)

    def _pairs(self, claims: list[tuple]) -> Iterator[tuple]:
        """The pairs of a run of claims, as stored rows without ``detected_at``."""
        for (entity_id, attribute_id), members in groupby(claims, _GROUP):
            members = list(members)
            if len(members) < 2:
                continue
            rule = self.rules[attribute_id]
            readings = self.readings.of(members, rule)
            first = readings[0]
            if (rule.single_valued and first.scale not in NO_NUMBERS
                    and all(r.scale == first.scale and r.currency == first.currency for r in readings)):
                keys = self.source_keys
                values: dict[_Reading, list[tuple[int, str, str]]] = {}
                for row, r in zip(members, readings):
                    claims = values.get(r)
                    if claims is None:
                        claims = values[r] = []
                    claims.append((row[0], f"ref:{row[1]}" if row[1] else f"sha256:{row[2]}", keys[row[4]]))
                for pair_id, lower, upper, reason, severity in plain_pairs(list(values.items()), first.scale, rule.tolerance):
                    yield pair_id, "conflict", lower, upper, entity_id, attribute_id, reason, float(severity)
                continue
            comparables = [self._comparable(row, r, rule) for row, r in zip(members, readings)]
            for pair in find_pairs(comparables):
                yield (pair.id, pair.nature, pair.a.claim_id, pair.b.claim_id, entity_id, attribute_id, pair.reason,
                       float(pair.severity))

    def _comparable(self, row: tuple, reading: _Reading, rule) -> Comparable:
        return Comparable(
            claim_id=row[0],
            identity=f"ref:{row[1]}" if row[1] else f"sha256:{row[2]}",  # claim_identity, inlined
            group=(row[3], row[5]),
            source=self.source_keys[row[4]],
            origin="",  # pairs do not depend on origins (support does)
            scale=reading.scale,
            low=reading.low,
            high=reading.high,
            low_open=reading.low_open,
            high_open=reading.high_open,
            text=reading.text,
            days=reading.days,
            label=reading.label,
            single_valued=rule.single_valued,
            money=reading.money,
            tolerance=rule.tolerance,
        )

    def _settle(self, pairs: list[tuple], after: int | None, upto: int | None,
                scope: list[tuple[int, int]] | None) -> None:
        """Write what differs between ``pairs`` and the pairs stored for entities in (``after``, ``upto``]."""
        self.standing += len(pairs)
        gone: list[str] = []
        new: list[tuple] = []
        if not self.stored_any:  # no pair stored anywhere (a fresh import): every pair is new, none to delete
            new = pairs
        else:
            stored = self._stored(after, upto, scope)
            for pair in pairs:
                have = stored.pop(pair[0], None)
                if have != pair:
                    gone.append(pair[0])
                    new.append(pair)
            gone.extend(stored)
        for start in range(0, len(gone), 500):
            self.connection.execute(delete(StoredConflict).where(StoredConflict.id.in_(gone[start : start + 500])))
        for start in range(0, len(new), 5_000):
            self._write(new[start : start + 5_000])

    def _write(self, pairs: list[tuple]) -> None:
        """Store pairs (``_STORED_COLUMNS`` tuples): the reason as phrase ids, the time as this scan's."""
        if self.scan_id is None:
            (self.scan_id,) = insert_numbered(self.connection, ConflictScan.__table__, [dict(detected_at=utcnow())],
                                              numbered=self.connection.dialect.name == "sqlite")
        phrases = self.phrases.stored([pair[6] for pair in pairs])
        scan_id = self.scan_id
        self.rows.execute([(pair_id, nature, a, b, entity, attribute, first, second, gap, severity, scan_id)
                           for (pair_id, nature, a, b, entity, attribute, _, severity), (first, second, gap)
                           in zip(pairs, phrases)])

    def _stored(self, after: int | None, upto: int | None, scope: list[tuple[int, int]] | None) -> dict[str, tuple]:
        """The stored pairs of the scope's groups with entity ids in (``after``, ``upto``] (None: unbounded)."""
        query = select(*_STORED_COLUMNS).where(*_entities(Conflict, after, upto))
        if scope is None:
            queries = [query]
        else:
            inside = [g for g in scope if (after is None or g[0] > after) and (upto is None or g[0] <= upto)]
            queries = [query.where(in_groups(Conflict.__table__, inside[i : i + GROUPS_PER_IN]))
                       for i in range(0, len(inside), GROUPS_PER_IN)]
        stored: dict[str, tuple] = {}
        for q in queries:
            for rows in driver_batches(self.connection, q):
                stored.update(zip(map(_FIRST, rows), rows))
        return stored


_HANDED_OVER = object()  # a run whose pairs the second process computes


class _Helper:
    """The scan's end of its second process: runs handed over, their pairs (or errors) taken back in that order.

    The process holds no database: it gets a run's claim rows and every reading row they need (its cache
    differs from this one's), computes the pairs with the same code (``_Scan._pairs``, on the rules and
    sources it inherited), and sends them back. It is handed more runs while computing one, so it
    never waits for this process; the last run is computed here (the wait for the others is the shortest).
    """

    def __init__(self, jobs: forked.Sender, results):
        self.jobs = jobs
        self.results = results
        self.handed = 0  # runs whose pairs have not come back yet

    def takes(self, last: bool) -> bool:
        """Whether to hand it the next run (else this process computes it)."""
        return not last and self.handed < HANDED_RUNS

    def send(self, claims: list[tuple], reading_rows: list[tuple]) -> None:
        self.jobs.send(_packed((claims, reading_rows)))
        self.handed += 1

    def ready(self) -> bool:
        """Whether the pairs of the first run handed over are back."""
        return self.results.poll()

    def result(self) -> list[tuple] | BaseException:
        """The pairs of the first run handed over (waited for), or the error computing them raised."""
        try:
            pairs, error = _unpacked(self.results.recv_bytes())
        except EOFError:
            raise RuntimeError("the second process of the conflict scan stopped unexpectedly") from None
        self.handed -= 1
        return pairs if error is None else error


@contextmanager
def _helper(scan: _Scan) -> Iterator[_Helper]:
    """A forked ``_Helper`` process for ``scan``, stopped and reaped on the way out."""
    jobs_in, jobs_out = forked.pipe()
    results_in, results_out = forked.pipe()
    with forked.child(_help, scan, jobs_in, results_out, (jobs_out, results_in)) as process:
        jobs_in.close()
        results_out.close()
        jobs = forked.Sender(jobs_out)  # its thread started after the fork: the child has none of it
        try:
            yield _Helper(jobs, results_in)
        except BaseException:
            forked.stop(process, at_once=True)  # a run still being written to it fails, and its thread ends
            raise
        finally:
            jobs.close()  # the process ends when it has read the last run
            results_in.close()


def _help(scan: _Scan, jobs, results, parent_ends: tuple) -> None:
    """In the forked process: the pairs of each run received, sent back in order; never the database.

    Threads move the bytes (a run is larger than a pipe holds), so neither process waits for the other to
    come and read; this one computes. Ctrl-C is the parent's to handle (it stops this process).
    """
    for end in parent_ends:
        end.close()
    gc.disable()  # as in the parent: nothing of its (its connection) is ever finalized here
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.setswitchinterval(0.0005)  # a thread moving bytes gets its turn in 0.5 ms, not 5: the parent waits less
    received = forked.receiver(jobs)
    sender = forked.Sender(results)
    while (job := received.get()) is not None:
        pairs, error = None, None
        try:
            claims, reading_rows = _unpacked(job)
            scan.readings.hold(reading_rows)
            pairs = list(scan._pairs(claims))
        except BaseException as raised:  # raised in the parent when it settles this run
            error = raised
        sender.send(_packed((pairs, error), 1))
    sender.close()


def _packed(message: tuple, error_at: int | None = None) -> bytes:
    """``message`` for the pipe: by ``marshal`` when it holds only plain values (rows of SQLite's driver, pairs:
    several times faster than pickle both ways), else pickled (PostgreSQL's dates, errors: see ``forked.dumps``)."""
    try:
        return b"m" + marshal.dumps(message)
    except ValueError:
        return b"p" + forked.dumps(message, error_at)


def _unpacked(payload: bytes) -> tuple:
    body = memoryview(payload)[1:]
    return marshal.loads(body) if payload[:1] == b"m" else pickle.loads(body)


def _entities(table, after: int | None, upto: int | None) -> list:
    """Conditions on ``table``'s entity id: in (``after``, ``upto``], None being unbounded."""
    conditions = []
    if after is not None:
        conditions.append(table.entity_id > after)
    if upto is not None:
        conditions.append(table.entity_id <= upto)
    return conditions


def _entity_runs(batches: Iterable[list[tuple]]) -> Iterator[tuple[list[tuple], bool]]:
    """Runs of whole entities' rows (``batches`` in entity order): each the fewest whole entities holding at
    least ``RUN_CLAIMS`` rows, with whether it is the last (which may be empty: there is always one).

    Batches are joined whole and a run cut where its entities end (found by bisection): rows are not handled
    one by one here.
    """
    run: list[tuple] = []
    for batch in batches:
        run += batch
        while len(run) > RUN_CLAIMS:
            cut = bisect_right(run, run[RUN_CLAIMS - 1][3], key=_ENTITY)
            if cut == len(run):  # that entity may go on in the next batch
                break
            yield run[:cut], False
            run = run[cut:]
    yield run, True


def driver_rows(connection: Connection, query, server_side: bool = False) -> Iterator[tuple]:
    """The rows of ``query`` as the driver gives them (plain tuples, no result processing), streamed."""
    return chain.from_iterable(driver_batches(connection, query, server_side))


def driver_batches(connection: Connection, query, server_side: bool = False) -> Iterator[list[tuple]]:
    """The rows of ``query`` as the driver gives them (plain tuples, no result processing), streamed a batch at a
    time (a list: its rows are handed on in C).

    On PostgreSQL a named (server-side) cursor keeps memory flat when asked.
    """
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    driver = connection.connection.dbapi_connection
    named = server_side and connection.dialect.name == "postgresql"
    cursor = driver.cursor("ledger_scan") if named else driver.cursor()
    try:
        cursor.execute(str(compiled), params)
        while rows := cursor.fetchmany(STREAM_ROWS):
            yield rows
    finally:
        cursor.close()


class _Reading:
    """What the rules read of one reading, as stated, under one attribute's rules (a ``PlainValue``).

    The label is worded when first read: most claims of bulk data are in no pair.
    """

    __slots__ = ("scale", "low", "high", "low_open", "high_open", "text", "days", "money", "currency", "view",
                 "_stated", "_label")

    def __init__(self, value: tuple, text: str | None, time: tuple[date | None, date | None], stated: str,
                 timeless: bool):
        view, self.scale, self.low, self.high = value
        self.view = view
        self._stated = stated
        self._label = None
        self.text = text
        self.low_open = view.low_open
        self.high_open, self.days, self.money = reading_terms(
            self.scale, self.low, self.high, view.high_open, view.currency, bool(view.base_currency), *time, timeless,
        )
        self.currency = view.currency if view.base_currency else ""  # how ``find_pairs`` buckets money

    @property
    def label(self) -> str:
        if self._label is None:
            self._label = label(self.view, self._stated)
        return self._label


class Readings:
    """Reading rows by id, and ``_Reading``s by (reading id, value as stated, attribute): claims stating one
    value alike share one. A reading's value on its scale and its days are kept by content, apart: bulk
    data repeats each far more than their combination (a per-day conversion gives most claims a reading of
    their own). All bounded: emptied when full."""

    LIMIT = 100_000

    def __init__(self, connection: Connection, limit: int = LIMIT):
        self.limit = limit
        # SQLite's driver returns booleans as 0/1 and dates as ISO text: typed as SQLAlchemy would give them.
        sqlite = connection.dialect.name == "sqlite"
        self._view = _view_from_sqlite if sqlite else _view_from_driver
        self._day = date.fromisoformat if sqlite else None
        self._rows: dict[int, tuple] = {}
        self._known: dict[tuple, _Reading] = {}
        self._values: dict[tuple, tuple] = {}
        self._times: dict[tuple, tuple] = {}

    def fetch(self, connection: Connection, reading_ids: set[int], run_readings) -> None:
        """Make sure the rows of ``reading_ids`` are at hand; ``run_readings`` selects (at least) their ids.

        Readings are written in the order claims come in, so the readings of a
        run of subjects of a fresh import lie in one dense range of ids: then
        that range is read in one pass. In a grown ledger they lie anywhere:
        then they are read through ``run_readings``, in one statement (not in
        lists of ids, a statement each).
        """
        missing = self._missing(reading_ids)
        if not missing:
            return
        if missing[-1] - missing[0] < 4 * len(missing):
            query = select(*READING_COLUMNS).where(Reading.id.between(missing[0], missing[-1]))
        else:
            query = select(*READING_COLUMNS).where(Reading.id.in_(run_readings))
        for rows in driver_batches(connection, query):
            self._rows.update(zip(map(_FIRST, rows), rows))

    def fetch_by(self, reading_ids: set[int], read: Callable[[list[int]], list[tuple]]) -> None:
        """As ``fetch``, the missing rows (``READING_COLUMNS``) read by ``read(ids)`` (e.g. a prepared statement)."""
        if missing := self._missing(reading_ids):
            rows = read(missing)
            self._rows.update(zip(map(_FIRST, rows), rows))

    def _missing(self, reading_ids: set[int]) -> list[int]:
        """The ids of ``reading_ids`` whose rows are not at hand, in order (all of them when the cache is emptied
        to make room); a set difference walks ``reading_ids``, not the cache."""
        if len(self._rows) + len(reading_ids) > self.limit:
            self._rows.clear()
        return sorted(reading_ids.difference(self._rows))

    def rows(self, reading_ids: Iterable[int]) -> list[tuple]:
        """The rows of ``reading_ids``, fetched before."""
        return [self._rows[reading_id] for reading_id in reading_ids]

    def hold(self, rows: list[tuple]) -> None:
        """Keep ``rows`` (``READING_COLUMNS``), read elsewhere: by the scan that handed this process a run."""
        if len(self._rows) + len(rows) > self.limit:
            self._rows.clear()
        self._rows.update(zip(map(_FIRST, rows), rows))

    def of(self, claims: list[tuple], rule) -> list[_Reading]:
        """The ``_Reading`` of each of ``claims`` (rows of one group, whose attribute has ``rule``).

        Claims of the group stating one value alike get one object: ``_Scan._pairs`` keys values by it, so
        the order its pairs come out in depends on the group alone, not on what this cache held before.
        """
        known = self._known
        if len(known) + len(claims) > self.limit:  # emptied between groups, never inside one (see the docstring)
            known.clear()
        found = []
        for claim in claims:
            key = claim[_READING_KEY]
            reading = known.get(key)
            if reading is None:
                row = self._rows[claim[7]]
                reading = known[key] = _Reading(self._value(row[_VALUE], rule.tolerance), row[_TEXT],
                                                self._time(row[_TIME]), claim[6], rule.timeless)
            found.append(reading)
        return found

    def _value(self, columns: tuple, tolerance: str | None) -> tuple:
        """A reading's value typed, and on its scale under ``tolerance``: (view, scale, low, high)."""
        key = (columns, tolerance)
        value = self._values.get(key)
        if value is None:
            if len(self._values) >= self.limit:
                self._values.clear()
            view = self._view(columns)
            value = self._values[key] = (view, *on_scale(view, tolerance))
        return value

    def _time(self, columns: tuple) -> tuple[date | None, date | None]:
        """A reading's first and last day, typed."""
        if self._day is None:
            return columns
        time = self._times.get(columns)
        if time is None:
            if len(self._times) >= self.limit:
                self._times.clear()
            low, high = columns
            time = self._times[columns] = (low and self._day(low), high and self._day(high))
        return time


def _view_from_sqlite(columns: tuple) -> ReadingView:
    day = date.fromisoformat
    kind, low, high, low_open, high_open, low_date, high_date, *rest = columns
    return ReadingView(kind, low, high, bool(low_open), bool(high_open), low_date and day(low_date),
                       high_date and day(high_date), *rest, None, None)


def _view_from_driver(columns: tuple) -> ReadingView:
    return ReadingView(*columns, None, None)
