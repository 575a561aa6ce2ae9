"""A large ledger is estimated on two cores (items read by ``ledger.db.two_readers``, votes cast by
``ledger.vote_cores``): the same items, decisions and kept estimate as one process, and a failing child
raised here with no process left behind."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from ledger import vote_cores
from ledger.cli import cli
from ledger.db import consensus, two_readers
from ledger.db.access import Ledger
from ledger.db.consensus import Stale, keep_estimate, read_items, run_consensus
from ledger.db.models import ReliabilityEstimate
from ledger.db.two_readers import ReaderFailed, split_point
from tests.conftest import REPO, another_thread_running, counted_forks, no_child_left


@pytest.fixture
def ledger(ledger_url):
    result = CliRunner().invoke(cli, ["--db", ledger_url, "import", str(REPO / "seeds" / "claims.yaml")])
    assert result.exit_code == 0, result.output
    opened = Ledger(ledger_url)
    yield opened
    opened.close()


def forks(monkeypatch) -> list[int]:
    """Two readers and two voters for any ledger; the forks made, counted."""
    monkeypatch.setattr(two_readers, "SPLIT_MIN_CLAIMS", 1)
    monkeypatch.setattr(vote_cores, "FORK_MIN_CONTESTED", 1)
    return counted_forks(monkeypatch)


def kept_row(ledger: Ledger) -> tuple:
    with ledger.read() as session:
        row = session.execute(select(ReliabilityEstimate).order_by(ReliabilityEstimate.id.desc())).scalars().first()
        return row.judge, row.options, row.journal_seq, row.journal_hash, row.items, row.estimates


def test_seeds_are_read_in_one_process(ledger):
    with ledger.read() as session:
        assert split_point(session) is None
        assert len(consensus.core.decide(read_items(session), "reliability", voter=vote_cores.TwoCoreVoter(),
                                         keep=lambda key: False).decisions) == 0
    no_child_left()


def test_two_readers_give_the_items_and_the_estimate_of_one(ledger, monkeypatch):
    with ledger.read() as session:
        alone = read_items(session)
    keep_estimate(ledger)
    kept_alone = kept_row(ledger)
    made = forks(monkeypatch)
    with ledger.read() as session:
        cut = split_point(session)
        first = min(item.key[0] for item in alone)
        assert cut is not None and cut > first  # both processes read some subjects
        together = read_items(session)
    assert len(made) == 1
    assert repr(together) == repr(alone)  # numbers' types included
    keep_estimate(ledger)
    assert kept_row(ledger) == kept_alone
    assert len(made) == 3  # a reader and a voter
    no_child_left()


def test_two_voters_decide_as_one(ledger, monkeypatch):
    with ledger.read() as session:
        alone = run_consensus(session, method="reliability", judge="source")
    made = forks(monkeypatch)
    with ledger.read() as session:
        together = run_consensus(session, method="reliability", judge="source")
    assert len(made) == 2
    assert together.decisions and together == alone
    no_child_left()


def _raises(error):
    def fails(*_args, **_kwargs):
        raise error
    return fails


def _exits(status):
    return lambda *_args, **_kwargs: os._exit(status)


@pytest.mark.parametrize(("module", "name", "replacement", "error", "message"), [
    # the vote child's bookkeeping fails, or its process dies
    (vote_cores, "Evidence", _raises(ValueError("no votes today")), RuntimeError,
     "second process casting votes failed: ValueError: no votes today"),
    (vote_cores, "Evidence", _exits(4), RuntimeError, r"second process casting votes stopped \(exit status 4\)"),
    # the reading child fails, or its process dies
    (two_readers, "_send_items", _raises(RuntimeError("no reading today")), ReaderFailed,
     "second process reading the ledger failed: RuntimeError: no reading today"),
    (two_readers, "_send_items", _exits(3), ReaderFailed, r"stopped before it finished \(exit status 3\)"),
], ids=["voter fails", "voter dies", "reader fails", "reader dies"])
def test_a_child_that_fails_or_dies_is_raised_here(ledger, monkeypatch, module, name, replacement, error, message):
    forks(monkeypatch)
    monkeypatch.setattr(module, name, replacement)
    with pytest.raises(error, match=message):
        keep_estimate(ledger)
    no_child_left()


def test_a_child_seeing_another_ledger_head_is_stale(ledger, monkeypatch):
    forks(monkeypatch)
    parent, head = os.getpid(), consensus.journal_head
    monkeypatch.setattr(consensus, "journal_head",
                        lambda session: head(session) if os.getpid() == parent else (0, "written meanwhile"))
    with pytest.raises(Stale, match="changed while its items were being read") as raised:
        keep_estimate(ledger)
    assert raised.value.hint == "estimate_again"
    no_child_left()


def test_a_failure_here_stops_the_child(ledger, monkeypatch):
    forks(monkeypatch)
    monkeypatch.setattr(consensus.core, "decide", lambda items, *args, **kwargs: next(iter(items)) and 1 / 0)
    with pytest.raises(ZeroDivisionError):
        keep_estimate(ledger)
    no_child_left()


def test_a_process_running_threads_does_not_fork(ledger, monkeypatch):
    made = forks(monkeypatch)
    with another_thread_running():
        keep_estimate(ledger)
    assert made == []
