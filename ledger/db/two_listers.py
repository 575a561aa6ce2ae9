"""A long conflict listing's claims made on two cores: a forked child makes those of some groups.

Making a listed pair's two claims (reading its group's members, working out
each shown claim's support) is most of ``ledger conflicts`` on a bulk ledger,
and it used one of the machine's cores. Once a listing has gone through
``FORK_AFTER`` pairs, a forked child, on a connection of its own, reads the
very same chunks of pairs and makes the claims of the groups it owns
(``child_owns``: a fixed share of them, spread evenly), sending them back
pickled a chunk at a time while this process makes the others' and writes
every pair. The child blocks when the pipe is full, so it runs at most a
chunk or two ahead and memory stays flat in both processes.

Whatever the child does not make, this process makes itself: a pair it left
out, every pair after it ended early, or all of them when it sees another
ledger than this session (a write committed in between, or this session's own
uncommitted ones: the journal heads differ). So the listing is the same either
way. A failure in the child is raised here; the child is always waited for, or
stopped. Short listings, in-memory databases, and processes where a child may
not be forked (``forked.available``, ``forked.spare_core``) list in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from ledger import forked
from ledger.core.errors import LedgerError
from ledger.db.engine import make_engine, reopenable
from ledger.db.journal import journal_head

FORK_AFTER = 5_000  # pairs listed here alone first: a short listing never pays for a fork and a connection
CHILD_TENTHS = 6  # of the groups, the share whose claims the child makes: this process also writes every pair
_CLAIMS, _DONE, _ERROR, _ELSEWHERE = 1, 2, 3, 4  # a chunk's claims, the end, the child's failure, another ledger

Row = tuple  # a row of the listing query: (conflict id, nature, claim a, claim b, entity id, attribute id, ...)
# The listing's chunks of rows, read through a session; the same on both sides, so chunk N is chunk N.
Chunks = Callable[[Session], Iterable[list[Row]]]
# What makes the claims of some rows, given a session and the chunks it lists (a cache may look ahead in them):
# rows -> [(conflict id, [claim a, claim b]), ...].
ClaimMaker = Callable[[Session, Iterable[list[Row]]], Callable[[list[Row]], list[tuple[str, list[dict]]]]]


class ListerFailed(LedgerError):
    """The second process listing conflicts failed (what it raised is in the message)."""


def child_owns(row: Row) -> bool:
    """Whether the child makes the claims of ``row``'s (entity, attribute) group."""
    return hash((row[4], row[5])) % 10 < CHILD_TENTHS


class Helper:
    """This process's end: each chunk's claims made by the child, by conflict id."""

    def __init__(self, receiving, process):
        self.receiving, self.process = receiving, process
        self.helping = True  # until it says it ended, or sees another ledger

    def claims(self) -> dict[str, list[dict]]:
        """The claims the child made for the next chunk (its groups' pairs); none once it stopped helping."""
        if not self.helping:
            return {}
        kind, body = forked.next_message(self.receiving, self.process, "listing conflicts", _ERROR, ListerFailed)
        if kind != _CLAIMS:  # it sees another ledger, or has no more chunks: the rest is made here
            self.helping = False
            return {}
        return dict(body)


@contextmanager
def helping(session: Session, chunks: Chunks, make: ClaimMaker, skip: int) -> Iterator[Helper | None]:
    """A child making the claims of its groups' pairs from chunk ``skip`` on; None where none may be forked."""
    url = session.get_bind().url
    if not (reopenable(url) and forked.available() and forked.spare_core()):
        yield None
        return
    receiving, sending = forked.pipe()
    process = forked.start(_run, sending, receiving, url, chunks, make, journal_head(session), skip)
    sending.close()
    helper = Helper(receiving, process)
    try:
        with receiving:
            yield helper
    finally:  # a child still helping is mid-work (the listing stopped early, or failed): stopped at once
        forked.stop(process, at_once=helper.helping)


def _run(sending, receiving, url: URL, chunks: Chunks, make: ClaimMaker, head: tuple, skip: int) -> None:
    """The child's whole life: each chunk's claims sent as made (waiting while the pipe is full), then the end
    or its error."""
    receiving.close()
    try:
        _send_claims(sending, url, chunks, make, head, skip)
    except _ParentGone:
        pass
    except BaseException as error:  # noqa: BLE001 - every failure goes to the parent
        try:
            _send(sending, (_ERROR, forked.failure(error)))
        except _ParentGone:
            pass
    finally:
        sending.close()


def _send_claims(sending, url: URL, chunks: Chunks, make: ClaimMaker, head: tuple, skip: int) -> None:
    engine = make_engine(url, read_only=True)  # never the parent's connections: a fresh engine and pool
    with Session(engine.execution_options(read_only_transaction=True)) as session, session.begin():
        if journal_head(session) != head:
            _send(sending, (_ELSEWHERE, None))
            return
        listing = chunks(session)
        claims_of = make(session, listing)
        for number, chunk in enumerate(listing):
            if number >= skip:
                _send(sending, (_CLAIMS, claims_of([row for row in chunk if child_owns(row)])))
        _send(sending, (_DONE, None))


class _ParentGone(Exception):
    """The parent closed its end (it stopped listing): the child ends."""


def _send(sending, message: tuple) -> None:
    try:
        sending.send_bytes(forked.dumps(message, error_at=1 if message[0] == _ERROR else None))
    except OSError:
        raise _ParentGone from None
