"""The conflict scan writes only what differs from the stored pairs, and leaves them as a fresh scan would."""

from __future__ import annotations

import gc
import multiprocessing
import os
from contextlib import contextmanager
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text, update

from ledger import forked
from ledger.core.conflicts import find_pairs
from ledger.core.records import ClaimRecord, SourceRecord
from ledger.db import conflict_scan, conflicts
from ledger.db.access import Ledger
from ledger.db.conflict_phrases import Phrases, split_reason
from ledger.db.models import Claim, Conflict, ConflictPhrase, ConflictScan, Entity, StoredConflict
from ledger.db.store import import_records

LONG_AGO = datetime(2000, 1, 1)
COLUMNS = (Conflict.id, Conflict.nature, Conflict.claim_a_id, Conflict.claim_b_id, Conflict.entity_id,
           Conflict.attribute_id, Conflict.reason, Conflict.severity)


def claims(subject: str, values: list[str], attribute: str = "rifles") -> list[ClaimRecord]:
    return [ClaimRecord(value=value, source=f"s{i}", subject=subject, attribute=attribute, when="2012")
            for i, value in enumerate(values)]


def three_deals() -> list:
    records = [SourceRecord(f"s{i}", f"Title {i}") for i in range(5)]
    records += claims("Alpha deal", ["3,000", "3,000", "4,000", "about 3,000", "5,000"])
    records += claims("Beta deal", ["10", "12", "10", "more than 11", "9"])
    records += claims("Gamma deal", ["7", "seven hundred", "8", "a great many", "7"])
    return records


@pytest.fixture(params=[(None, True), (4, True), (4, False)],
                ids=["one run", "a run a subject", "a run a subject in one process"])
def ledger(ledger_url, request, monkeypatch) -> Ledger:
    """Three groups with conflicts (one also holding text, so it takes the general path), stamped long ago;
    scanned in one run, or a run per subject (each compared with its own subject's stored pairs), those runs
    shared with a second process or all computed in this one."""
    runs, fork = request.param
    if runs:
        monkeypatch.setattr(conflict_scan, "RUN_CLAIMS", runs)
    monkeypatch.setattr(forked, "available", lambda: fork)
    monkeypatch.setattr(forked, "spare_core", lambda: True)
    ledger = Ledger(ledger_url)
    with ledger.write() as session:
        import_records(session, iter(three_deals()), "test")
        session.execute(update(ConflictScan).values(detected_at=LONG_AGO))
    yield ledger
    ledger.close()


def stored(ledger: Ledger) -> dict[str, tuple]:
    with ledger.read() as session:
        return {row[0]: tuple(row[1:]) for row in session.execute(select(*COLUMNS, Conflict.detected_at))}


def without_times(rows: dict[str, tuple]) -> dict[str, tuple]:
    return {key: row[:-1] for key, row in rows.items()}


def test_a_rescan_of_an_unchanged_ledger_writes_nothing(ledger):
    before = stored(ledger)
    assert len({row[3] for row in before.values()}) == 3  # pairs in every group
    with ledger.write() as session:
        assert conflicts.refresh(session) == len(before)
    assert stored(ledger) == before  # detected_at included: not one row rewritten


def test_a_rescan_restores_missing_changed_and_stray_pairs_and_stamps_only_those(ledger):
    before = stored(ledger)
    gone, changed, kept = sorted(before)[:3]
    with ledger.write() as session:
        session.execute(delete(StoredConflict).where(StoredConflict.id == gone))
        session.execute(ConflictPhrase.__table__.insert().values(id=-1, phrase="stale"))
        session.execute(ConflictPhrase.__table__.insert().values(id=-2, phrase="stray"))
        session.execute(update(StoredConflict).where(StoredConflict.id == changed).values(
            first_label_id=None, second_label_id=None, gap_id=-1, severity=0.5))
        first = before[kept]
        session.execute(StoredConflict.__table__.insert().values(
            id="c-stray", nature="conflict", claim_a_id=first[1], claim_b_id=first[2], entity_id=first[3],
            attribute_id=first[4], gap_id=-2, severity=1.0,
            scan_id=session.execute(select(func.min(ConflictScan.id))).scalar()))
        assert conflicts.refresh(session) == len(before)
    after = stored(ledger)
    assert without_times(after) == without_times(before)
    assert {key for key, row in after.items() if row[-1] != LONG_AGO} == {gone, changed}


@pytest.mark.parametrize("collecting", [True, False])
def test_a_scan_runs_without_the_cycle_collector_and_leaves_it_as_it_was(ledger, monkeypatch, collecting):
    standing, seen = len(stored(ledger)), []
    real = conflict_scan._Scan.run
    monkeypatch.setattr(conflict_scan._Scan, "run", lambda scan, *args: (seen.append(gc.isenabled()), real(scan, *args)))
    (gc.enable if collecting else gc.disable)()
    try:
        with ledger.write() as session:
            assert conflicts.refresh(session) == standing
        assert seen == [False] and gc.isenabled() == collecting
    finally:
        gc.enable()


def test_a_rescan_of_some_groups_leaves_the_others_alone(ledger):
    before = stored(ledger)
    by_group: dict[tuple[int, int], list[str]] = {}
    for key, row in sorted(before.items()):
        by_group.setdefault((row[3], row[4]), []).append(key)
    first, second, _ = sorted(by_group)
    with ledger.write() as session:
        session.execute(delete(StoredConflict).where(StoredConflict.id.in_([by_group[first][0], by_group[second][0]])))
        conflicts.refresh(session, [first])
    after = stored(ledger)
    assert set(before) - set(after) == {by_group[second][0]}
    assert without_times(after) == {k: v for k, v in without_times(before).items() if k != by_group[second][0]}


def test_a_rescan_after_an_import_covers_the_groups_it_touched(ledger):
    before = stored(ledger)
    with ledger.write() as session:
        first_new = session.execute(select(func.max(Claim.id))).scalar() + 1
        import_records(session, iter(claims("Beta deal", ["40"])[:1]), "test")
        session.execute(delete(StoredConflict))  # every group's pairs lost: only the touched group's come back
        conflicts.refresh_claims_from(session, first_new)
        beta = session.execute(select(Claim.entity_id).where(Claim.id == first_new)).scalar()
        restored = {row[0]: tuple(row[1:]) for row in session.execute(select(*COLUMNS))}
        conflicts.refresh(session)
        everything = {row[0]: tuple(row[1:]) for row in session.execute(select(*COLUMNS))}
    assert restored and {row[3] for row in restored.values()} == {beta}
    assert restored == {k: v for k, v in everything.items() if v[3] == beta}
    assert set(everything) > set(before)


def test_readings_scattered_over_ids_give_the_pairs_the_engine_finds(ledger):
    """A subject stated again after many other claims has its readings far apart in id (read through its run's
    claims, not by a range of ids); the scan's pairs are still those ``find_pairs`` gives from ``comparables``."""
    with ledger.write() as session:
        filler = [record for n in range(40) for record in claims(f"Filler {n}", [f"{n},{n}00", f"{n + 3}"])]
        import_records(session, iter(filler + claims("Alpha deal", ["6,000", "under 2,000"])), "test")
        session.execute(delete(StoredConflict))
        standing = conflicts.refresh(session)
        found = {(p.id, p.a.claim_id, p.b.claim_id, p.reason, p.severity)
                 for p in find_pairs(conflicts.comparables(session))}
        scanned = {(row[0], row[2], row[3], row[6], row[7]) for row in session.execute(select(*COLUMNS))}
    assert scanned == found and standing == len(found) > len(filler) // 2


def test_a_groups_pairs_come_out_in_one_order_however_full_the_readings_cache(ledger):
    """The cache of readings is emptied between groups, never inside one: two claims of a group stating one
    value share one reading, so the group's pairs come out in the same order whatever the scan read before
    (a second process, or a cache emptied mid-group, once stored the same pairs in another order)."""
    with ledger.write() as session:
        import_records(session, iter(claims("Delta deal", ["3,000", "4,000", "5,000", "3,000"])), "test")
        connection = session.connection()
        delta = select(Entity.id).where(Entity.name == "Delta deal").scalar_subquery()
        query = select(*conflict_scan.CLAIM_COLUMNS).where(Claim.entity_id == delta).order_by(Claim.id)
        group = list(conflict_scan.driver_rows(connection, query))

        def pairs(cache_limit: int) -> list[tuple]:
            scan = conflict_scan._Scan(connection)
            scan.readings = conflict_scan.Readings(connection, limit=cache_limit)
            scan.readings.fetch(connection, {row[7] for row in group}, select(Claim.reading_id))
            return list(scan._pairs(group))

        # a cache of two readings is full by the group's third claim: emptied there, "3,000" would be read twice
        assert pairs(cache_limit=2) == pairs(cache_limit=100) and len(pairs(cache_limit=100)) == 5


@given(sizes=st.lists(st.integers(1, 6), max_size=25), batch=st.integers(1, 9), run_claims=st.integers(1, 12))
def test_runs_are_the_fewest_whole_entities_holding_run_claims_rows_however_rows_are_batched(
        sizes, batch, run_claims):
    rows = [(None, None, None, entity) for entity, size in enumerate(sizes) for _ in range(size)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(conflict_scan, "RUN_CLAIMS", run_claims)
        runs = list(conflict_scan._entity_runs(rows[start : start + batch] for start in range(0, len(rows), batch)))

    assert [run for runs_rows in runs for run in runs_rows[0]] == rows
    assert [last for _, last in runs] == [False] * (len(runs) - 1) + [True]
    for run, last in runs:
        entities = [row[3] for row in run]
        assert run == [row for row in rows if row[3] in entities]  # whole entities only
        if not last:  # at least RUN_CLAIMS rows, and one entity fewer would not do
            assert len(run) >= run_claims > len(run) - entities.count(entities[-1])


@given(st.text(alphabet=st.sampled_from(["a", " ", ":", "v", "s", "é"]), max_size=30))
def test_a_split_reason_joins_back_to_the_same_text(reason):
    first, second, gap = split_reason(reason)
    joined = gap if first is None else f"{first} vs {second}: {gap}"
    assert joined == reason


def test_a_reason_splits_into_its_two_labels_and_its_gap():
    assert split_reason("12:05 (12:05pm) vs 12:20 (noon twenty): 15 minutes apart") == (
        "12:05 (12:05pm)", "12:20 (noon twenty)", "15 minutes apart")
    assert split_reason("no longer a conflict") == (None, None, "no longer a conflict")


def test_each_reason_gets_the_ids_of_its_phrases_however_often_it_repeats(ledger):
    repeated = "9 (nine) vs 12 (twelve): 25.0% apart"
    reasons = [repeated, "no longer a conflict", "".join([repeated]), "12 (twelve) vs 9 (nine): 25.0% apart", repeated]
    with ledger.write() as session:
        ids = Phrases(session.connection()).stored(reasons)
        phrases = dict(session.execute(select(ConflictPhrase.id, ConflictPhrase.phrase)).all())
    joined = [phrases[gap] if first is None else f"{phrases[first]} vs {phrases[second]}: {phrases[gap]}"
              for first, second, gap in ids]
    assert joined == reasons and ids[0] == ids[2] == ids[4] and ids[3][:2] == ids[0][1::-1]
    assert len(set(phrases.values())) == len(phrases)


def test_pairs_share_labels_and_a_scan_stamps_them_once(ledger):
    with ledger.read() as session:
        reasons = session.execute(select(Conflict.reason)).scalars().all()
        phrases = session.execute(select(ConflictPhrase.phrase)).scalars().all()
        scans = session.execute(select(func.count()).select_from(ConflictScan)).scalar()
    assert sorted(phrases) == sorted({part for reason in reasons for part in split_reason(reason)})
    assert len(phrases) < 3 * len(reasons) and scans == 1


@pytest.fixture
def forking(monkeypatch) -> list[multiprocessing.Process]:
    """Scans run a subject at a time, with a second process whenever they have two runs; the processes started."""
    monkeypatch.setattr(conflict_scan, "RUN_CLAIMS", 4)
    monkeypatch.setattr(forked, "available", lambda: True)
    monkeypatch.setattr(forked, "spare_core", lambda: True)
    started = []
    child = forked.child

    @contextmanager
    def recorded(target, *args):
        with child(target, *args) as process:
            started.append(process)
            yield process

    monkeypatch.setattr(forked, "child", recorded)
    return started


def many_deals() -> list:
    """Twelve subjects: plain numbers, text among numbers, and money in two currencies (the general path)."""
    records = [SourceRecord(f"s{i}", f"Title {i}") for i in range(5)]
    for n in range(4):
        records += claims(f"Plain {n}", [f"{n + 1},000", f"{n + 1},500", "900", f"about {n + 2},000", "40"])
        records += claims(f"Mixed {n}", [f"{n + 7}", "seven hundred", f"{n + 8}", "a great many", "7"])
        records += claims(f"Money {n}", [f"${n + 5} million", f"€{n + 9} million", "$4 million", "€5 million",
                                         f"${n + 5} million"], attribute="price")
    return records


def stored_rows(ledger: Ledger) -> tuple[list, list]:
    """Every stored pair's columns but its scan, phrases as their text, in the order written (by id on
    PostgreSQL, whose rows have no order); and the phrases in the order they were stored."""
    table = StoredConflict.__table__
    with ledger.read() as session:
        phrases = dict(session.execute(select(ConflictPhrase.id, ConflictPhrase.phrase)).all())
        written = text("rowid") if session.connection().dialect.name == "sqlite" else table.c.id
        pairs = session.execute(select(table).order_by(written)).mappings().all()
    rows = [tuple(phrases.get(value) if key.endswith("_label_id") or key == "gap_id" else value
                  for key, value in row.items() if key != "scan_id") for row in pairs]
    return rows, [phrases[key] for key in sorted(phrases)]


def scanned_afresh(ledger: Ledger) -> int:
    """A scan of every group into a ledger without pairs, phrases or scans."""
    with ledger.write() as session:
        for table in (StoredConflict, ConflictPhrase, ConflictScan):
            session.execute(delete(table))
        return conflicts.refresh(session)


def test_a_scan_with_a_second_process_stores_what_a_scan_in_one_stores(ledger_url, monkeypatch, forking):
    """An import's scan and scans afresh with a second process: the rows of a scan without one, in the same order."""
    ledger = Ledger(ledger_url)
    with ledger.write() as session:
        import_records(session, iter(many_deals()), "test")
    shared = stored_rows(ledger)
    assert scanned_afresh(ledger) == len(shared[0]) > 30 and stored_rows(ledger) == shared
    assert len(forking) == 2 and all(process.exitcode == 0 for process in forking)  # both ended and reaped
    monkeypatch.setattr(forked, "available", lambda: False)
    assert scanned_afresh(ledger) == len(shared[0]) and stored_rows(ledger) == shared
    assert len(forking) == 2 and multiprocessing.active_children() == []
    ledger.close()


def failing_on(value: str, fail):
    """``_Scan._pairs`` calling ``fail()`` for a run holding a claim of ``value``."""
    pairs = conflict_scan._Scan._pairs

    def failing(scan, run):
        if any(row[6] == value for row in run):
            fail()
        return pairs(scan, run)

    return failing


def claims_stored(url: str) -> int:
    ledger = Ledger(url)
    with ledger.read() as session:
        count = session.execute(select(func.count()).select_from(Claim)).scalar()
    ledger.close()
    return count


def failed_import(url: str) -> str:
    ledger = Ledger(url)
    with pytest.raises(ValueError) as raised, ledger.write() as session:
        import_records(session, iter(three_deals()), "test")
    ledger.close()
    return str(raised.value)


def test_an_error_computing_pairs_in_the_second_process_is_raised_as_in_one_and_nothing_is_written(
        ledger_url, monkeypatch, forking):
    """The second subject's run is the second process's: its error comes back whole, the import rolls back."""
    def fail():
        raise ValueError(f"no pairs for 'more than 11' (in {'the parent' if os.getpid() == parent else 'a child'})")

    parent = os.getpid()
    monkeypatch.setattr(conflict_scan._Scan, "_pairs", failing_on("more than 11", fail))
    assert failed_import(ledger_url) == "no pairs for 'more than 11' (in a child)"
    assert len(forking) == 1 and forking[0].exitcode is not None and claims_stored(ledger_url) == 0  # reaped
    monkeypatch.setattr(forked, "available", lambda: False)
    assert failed_import(ledger_url) == "no pairs for 'more than 11' (in the parent)"
    assert claims_stored(ledger_url) == 0 and multiprocessing.active_children() == []


def test_a_second_process_that_dies_fails_the_scan_and_nothing_is_written(ledger_url, monkeypatch, forking):
    parent = os.getpid()
    monkeypatch.setattr(conflict_scan._Scan, "_pairs",
                        failing_on("more than 11", lambda: os.getpid() != parent and os._exit(3)))
    ledger = Ledger(ledger_url)
    with pytest.raises(RuntimeError, match="second process of the conflict scan stopped"), ledger.write() as session:
        import_records(session, iter(three_deals()), "test")
    ledger.close()
    assert [process.exitcode for process in forking] == [3] and claims_stored(ledger_url) == 0


@pytest.mark.parametrize("running, spare", [("1/120", True), ("2/120", False), ("7/141", False)])
def test_a_core_is_spare_when_fewer_tasks_run_than_there_are_cores(monkeypatch, tmp_path, running, spare):
    """``/proc/loadavg``'s fourth field: tasks running now (this one included) / all tasks."""
    loadavg = tmp_path / "loadavg"
    loadavg.write_text(f"7.29 7.08 6.37 {running} 27106\n")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert forked.spare_core(str(loadavg)) is spare
