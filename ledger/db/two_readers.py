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

import os
import pickle
import struct
from collections import deque
from collections.abc import Callable, Iterator

from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from ledger import forked
from ledger.core.consensus import Item, Statement
from ledger.core.errors import LedgerError
from ledger.db.engine import make_engine
from ledger.db.models import Claim

SPLIT_MIN_CLAIMS = 150_000  # below this a fork and a second connection are not worth their ~0.1 s
# Of the claims (in subject order), the share read here: this process also packs every item
# (``Prepared``) and unpacks the child's, so it reads less than half (measured on the Flight slice and month).
PARENT_SHARE = 0.42
CHUNK_STATEMENTS = 20_000  # statements pickled and sent at a time
_FRAME = struct.Struct("<BQ")  # a frame's kind and payload length
_ITEMS, _DONE, _ERROR = 1, 2, 3

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
    receiving, sending = os.pipe()  # raw: its bytes are frames (``_Sender``)
    with forked.child(_run, sending, receiving, session.get_bind().url, read, check, cut) as process:
        os.close(sending)
        with os.fdopen(receiving, "rb", buffering=1 << 20) as stream:
            yield from read(session, (None, cut))
            yield from _received(stream, process)


def split_point(session: Session) -> int | None:
    """The first entity id the child reads; None to read in one process."""
    url = session.get_bind().url
    if not forked.available():
        return None
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None  # a child's connection would open another, empty database
    claims = session.execute(select(func.max(Claim.id))).scalar() or 0  # the ledger is append-only: ids ~ claims
    if claims < SPLIT_MIN_CLAIMS:
        return None
    return session.execute(
        select(Claim.entity_id).order_by(Claim.entity_id).offset(int(claims * PARENT_SHARE)).limit(1)
    ).scalar()


def _send_items(out: _Sender, read: ReadRange, check: Callable[[Session], None], cut: int) -> None:
    """In the child: read the subjects from ``cut`` on through a new engine, sending their items in chunks."""
    engine = make_engine(out.url, read_only=True)  # never the parent's connections: a fresh engine and pool
    with Session(engine.execution_options(read_only_transaction=True)) as session, session.begin():
        check(session)
        chunk: list[tuple] = []
        statements = 0
        for item in read(session, (cut, None)):
            chunk.append((item.key, item.attribute, item.scale, list(map(tuple, item.statements))))
            statements += len(item.statements)
            if statements >= CHUNK_STATEMENTS:
                out.send(_ITEMS, pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
                chunk, statements = [], 0
        out.send(_ITEMS, pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))


class _Sender:
    """The child's end of the pipe: frames queued and written whenever the pipe takes them, so the child
    never waits for the parent (busy with its own subjects) until it has read everything."""

    def __init__(self, fd: int, url: URL):
        self.fd = fd
        self.url = url
        self.pending: deque[memoryview] = deque()
        os.set_blocking(fd, False)

    def send(self, kind: int, payload: bytes) -> None:
        self.pending.append(memoryview(_FRAME.pack(kind, len(payload))))
        self.pending.append(memoryview(payload))
        self.flush()

    def flush(self) -> None:
        while self.pending:
            try:
                written = os.write(self.fd, self.pending[0])
            except BlockingIOError:
                return
            if written < len(self.pending[0]):
                self.pending[0] = self.pending[0][written:]
            else:
                self.pending.popleft()

    def finish(self, kind: int, payload: bytes = b"") -> None:
        """The last frame, and everything still queued, written out (waiting for the parent)."""
        os.set_blocking(self.fd, True)
        self.send(kind, payload)


def _received(stream, process) -> Iterator[Item]:
    """The child's items as its frames arrive; what it raised (or how it ended) raised here."""
    make = Statement._make
    while True:
        kind, payload = _frame(stream, process)
        if kind == _DONE:
            return
        if kind == _ERROR:
            raise forked.failed(pickle.loads(payload), "the second process reading the ledger failed", ReaderFailed)
        for key, attribute, scale, statements in pickle.loads(payload):
            yield Item(key, attribute, scale, list(map(make, statements)))


def _frame(stream, process) -> tuple[int, bytes]:
    header = stream.read(_FRAME.size)
    if len(header) == _FRAME.size:
        kind, length = _FRAME.unpack(header)
        payload = stream.read(length)
        if len(payload) == length:
            return kind, payload
    raise ReaderFailed(f"the second process reading the ledger stopped before it finished ({forked.ended(process)})")


def _run(sending: int, receiving: int, url: URL, read: ReadRange, check: Callable[[Session], None], cut: int) -> None:
    """The child's whole life: its items sent, then done or the error (nothing, quietly, if the parent is gone)."""
    os.close(receiving)
    out = _Sender(sending, url)
    try:
        try:
            _send_items(out, read, check, cut)
            out.finish(_DONE)
        except BaseException as error:  # noqa: BLE001 - every failure goes to the parent
            out.finish(_ERROR, pickle.dumps(forked.failure(error)))
    except BaseException:  # noqa: BLE001 - the parent is gone: nothing left to tell
        pass
