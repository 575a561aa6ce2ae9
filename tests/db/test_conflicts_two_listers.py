"""A long conflict listing makes some groups' claims in a second process (``ledger.db.two_listers``): the same
pairs in the same order, whatever the child does; a failing child raised here with no process left behind."""

from __future__ import annotations

import json
import os
import re
import time

import pytest

import ledger.db.conflicts as listing
from ledger import forked
from ledger.db import two_listers
from tests.conftest import another_thread_running, counted_forks, no_child_left, write

SOURCES = ("a", "b", "c")


@pytest.fixture
def run(run_any, tmp_path):
    """A ledger of three sources stating 40 subjects' two counts: groups of three claims, where two often agree."""
    lines = ["sources:"] + [f"  - {{key: {key}, title: Source {key}, outlet: Outlet {key}, published: 2021-09-14}}"
                            for key in SOURCES]
    lines.append("claims:")
    for i in range(40):
        for attribute in ("rifles", "trucks"):
            for side, key in enumerate(SOURCES):
                value = 1_000 * (1 + (i * (side + 1) + len(attribute)) % (3 + i % 4))
                lines.append(f'  - {{source: {key}, subject: "Deal {i:02d}", attribute: {attribute}, '
                             f'value: "{value:,}", when: "2021"}}')
    result = run_any("import", str(write(tmp_path / "claims.yaml", "\n".join(lines) + "\n")))
    assert result.exit_code == 0, result.output
    return run_any


def listed(run, *args: str) -> list[dict]:
    result = run("conflicts", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def forks(monkeypatch) -> list[int]:
    """A second process for any listing past its first chunk (chunks of 2, 4, then 8 pairs); forks counted."""
    monkeypatch.setattr(two_listers, "FORK_AFTER", 1)
    monkeypatch.setattr(listing, "FIRST_CHUNK", 2)
    monkeypatch.setattr(listing, "LISTING_CHUNK", 8)
    monkeypatch.setattr(forked, "spare_core", lambda: True)
    return counted_forks(monkeypatch)


def in_child(parent: int, there, here):
    """``there`` in a forked child, ``here`` in this process."""
    return lambda *args, **kwargs: (there if os.getpid() != parent else here)(*args, **kwargs)


FILTERS = [(), ("--source", "b"), ("--subject", "Deal 1"), ("--attribute", "trucks"), ("--min-severity", "0.5"),
           ("--limit", "7"), ("--status", "all"), ("--status", "open")]


def test_two_processes_list_the_pairs_of_one(run, monkeypatch):
    first, *_ = alone = listed(run)
    assert len(alone) > 40 and any(len(claim["support"]) for pair in alone for claim in pair["claims"])
    assert run("conflicts", "confirm", first["id"], "--note", "checked").exit_code == 0
    assert run("conflicts", "dismiss", alone[-1]["id"]).exit_code == 0
    alone = {filters: listed(run, *filters) for filters in FILTERS}
    made = forks(monkeypatch)
    made_there = []
    claims = two_listers.Helper.claims
    monkeypatch.setattr(two_listers.Helper, "claims",
                        lambda helper: made_there.extend(found := claims(helper)) or found)
    for filters, pairs in alone.items():
        assert listed(run, *filters) == pairs, filters
    assert len(made) == len(FILTERS)  # a second process for each listing
    assert len(made_there) > sum(map(len, alone.values())) / 3  # about half the pairs' claims made there
    no_child_left()


def test_pairs_the_child_leaves_out_are_made_here(run, monkeypatch):
    alone = listed(run)
    forks(monkeypatch)
    parent, pairs = os.getpid(), listing._GroupMembers.pairs
    monkeypatch.setattr(listing._GroupMembers, "pairs", in_child(
        parent, lambda members, rows: pairs(members, rows)[::2], pairs))
    assert listed(run) == alone
    no_child_left()


def test_a_child_seeing_another_ledger_leaves_the_listing_to_this_process(run, monkeypatch):
    alone = listed(run)
    made = forks(monkeypatch)
    parent, head = os.getpid(), two_listers.journal_head
    monkeypatch.setattr(two_listers, "journal_head", in_child(parent, lambda session: (0, "written meanwhile"), head))
    made_here = []
    pair = listing._GroupMembers.pair
    monkeypatch.setattr(listing._GroupMembers, "pair",
                        lambda members, row: made_here.append(row[0]) or pair(members, row))
    assert listed(run) == alone
    assert len(made) == 1 and sorted(made_here) == sorted(p["id"] for p in alone)
    no_child_left()


def _raises(*_args, **_kwargs):
    raise RuntimeError("no listing today")


@pytest.mark.parametrize(("replacement", "message"), [
    (_raises, "second process listing conflicts failed: RuntimeError: no listing today"),
    (lambda *_args, **_kwargs: os._exit(3),
     r"second process listing conflicts stopped before it finished \(exit status 3\)"),
], ids=["fails", "dies"])
def test_a_child_that_fails_or_dies_is_raised_here(run, monkeypatch, replacement, message):
    forks(monkeypatch)
    monkeypatch.setattr(two_listers, "_send_claims", replacement)
    result = run("conflicts", "--format", "json")
    assert result.exit_code == 1
    assert re.search(f"Error: the {message}", result.output)
    no_child_left()


def test_a_listing_stopped_early_stops_its_child_at_once(ledger_url, run, monkeypatch):
    from ledger.db.access import Ledger

    forks(monkeypatch)
    pairs, made = listing._GroupMembers.pairs, []

    def slow_after_one_chunk(members, rows):
        made.append(rows)  # the child's own list
        if len(made) > 1:
            time.sleep(5)
        return pairs(members, rows)

    monkeypatch.setattr(listing._GroupMembers, "pairs", in_child(os.getpid(), slow_after_one_chunk, pairs))
    opened = Ledger(ledger_url)
    try:
        with opened.read() as session:
            stream = listing.stream_conflicts(session)
            taken = [next(stream) for _ in range(5)]  # into the second chunk: the child is making the third's
            started = time.monotonic()
            stream.close()
            assert time.monotonic() - started < 2  # not the 5 s the child would take to notice
    finally:
        opened.close()
    assert len(taken) == 5
    no_child_left()


def test_a_process_running_threads_lists_alone(run, monkeypatch):
    made = forks(monkeypatch)
    with another_thread_running():
        assert listed(run)
    assert made == []


def test_a_cache_of_three_groups_reading_ahead_lists_the_pairs_of_one(run, monkeypatch):
    alone = listed(run)
    monkeypatch.setattr(listing, "FIRST_CHUNK", 2)
    monkeypatch.setattr(listing, "LISTING_CHUNK", 8)
    monkeypatch.setattr(listing, "GROUP_CACHE", 3)
    read = []
    load = listing._GroupMembers.load
    monkeypatch.setattr(listing._GroupMembers, "load",
                        lambda members, pairs: read.extend({(row[4], row[5]) for row in pairs} - members.groups.keys())
                        or load(members, pairs))
    for ahead in (1, 16, 10_000):
        monkeypatch.setattr(listing, "LOOK_AHEAD", ahead)
        assert listed(run) == alone
    assert len(read) > 3 * len({(pair["subject"], pair["attribute"]) for pair in alone})  # groups read again
