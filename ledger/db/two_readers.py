"""A whole ledger's consensus items read on two cores: a forked child reads the later subjects.

Reading the items (claims, their readings, packed into statements) is about
two fifths of ``ledger estimate`` on the Flight month, and it used one of the
machine's cores. The subjects are split at one entity id: this process reads
the ones before it while a forked child, on a connection of its own, reads the
others and sends their items back pickled as plain tuples, a chunk at a time.
They come after this process's own, so the items arrive in exactly the order
one process reads them in, and everything decided from them is the same.

Small ledgers (fewer than ``SPLIT_MIN_CLAIMS`` claims), in-memory databases,
and processes where a child may not be forked (``forked.available``) read in
one process.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator

from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from ledger import forked
from ledger.core.consensus import Item, Statement
from ledger.core.errors import LedgerError
from ledger.db.engine import make_engine, reopenable
from ledger.db.models import Claim

SPLIT_MIN_CLAIMS = 150_000  # below this a fork and a second connection are not worth their ~0.1 s
# Of the claims (in subject order), the share read here: this process also packs every item
# (``Prepared``) and unpacks the child's, so it reads less than half (measured on the Flight slice and month).
PARENT_SHARE = 0.42
CHUNK_STATEMENTS = 20_000  # statements pickled and sent at a time
_ITEMS, _DONE, _ERROR = 1, 2, 3  # what a message holds: a chunk of items, nothing (the end), the child's failure

# An entity range (first id included, last excluded; None: open) -> its items, read through the session.
ReadRange = Callable[[Session, tuple[int | None, int | None]], Iterator[Item]]


class ReaderFailed(LedgerError):
    """The second process reading the ledger failed (what it raised is in the message)."""


def items_on_two_cores(session: Session, read: ReadRange, check: Callable[[Session], None]) -> Iterator[Item]:
    """Every item ``read`` gives for the whole ledger, in its order; the later subjects read by a forked child.

    ``check`` runs first in the child's own read transaction and raises if it
    does not see the ledger this session sees (a write committed in between).
    A failure in the child is raised here (``ReaderFailed``, or the ledger
    error it raised); the child is always waited for, or stopped.
    """
    cut = split_point(session)
    if cut is None:
        yield from read(session, (None, None))
        return
    receiving, sending = forked.pipe()
    with forked.child(_run, sending, receiving, session.get_bind().url, read, check, cut) as process:
        sending.close()
        with receiving:
            yield from read(session, (None, cut))
            yield from _received(receiving, process)


def split_point(session: Session) -> int | None:
    """The first entity id the child reads; None to read in one process."""
    url = session.get_bind().url
    if not forked.available():
        return None
    if not reopenable(url):
        return None  # a child's connection would open another, empty database
    claims = session.execute(select(func.max(Claim.id))).scalar() or 0  # the ledger is append-only: ids ~ claims
    if claims < SPLIT_MIN_CLAIMS:
        return None
    return session.execute(
        select(Claim.entity_id).order_by(Claim.entity_id).offset(int(claims * PARENT_SHARE)).limit(1)
    ).scalar()


def _send_items(out: forked.Sender, url: URL, read: ReadRange, check: Callable[[Session], None], cut: int) -> None:
    """In the child: read the subjects from ``cut`` on through a new engine, sending their items in chunks."""
    engine = make_engine(url, read_only=True)  # never the parent's connections: a fresh engine and pool
    with Session(engine.execution_options(read_only_transaction=True)) as session, session.begin():
        check(session)
        chunk: list[tuple] = []
        statements = 0
        for item in read(session, (cut, None)):
            chunk.append((item.key, item.attribute, item.scale, list(map(tuple, item.statements))))
            statements += len(item.statements)
            if statements >= CHUNK_STATEMENTS:
                out.send(pickle.dumps((_ITEMS, chunk), pickle.HIGHEST_PROTOCOL))
                chunk, statements = [], 0
        out.send(pickle.dumps((_ITEMS, chunk), pickle.HIGHEST_PROTOCOL))


def _received(receiving, process) -> Iterator[Item]:
    """The child's items as its messages arrive; what it raised (or how it ended) raised here."""
    make = Statement._make
    while True:
        kind, body = forked.next_message(receiving, process, "reading the ledger", _ERROR, ReaderFailed)
        if kind == _DONE:
            return
        for key, attribute, scale, statements in body:
            yield Item(key, attribute, scale, list(map(make, statements)))


def _run(sending, receiving, url: URL, read: ReadRange, check: Callable[[Session], None], cut: int) -> None:
    """The child's whole life: its items sent (by a thread: it never waits for this process, busy with its own
    subjects, until it has read everything), then done or the error."""
    receiving.close()
    out = forked.Sender(sending)
    try:
        _send_items(out, url, read, check, cut)
        out.send(pickle.dumps((_DONE, None)))
    except BaseException as error:  # noqa: BLE001 - every failure goes to the parent
        out.send(pickle.dumps((_ERROR, forked.failure(error))))
    finally:
        out.close()  # every message written, or the parent is gone (the sender stops quietly)
