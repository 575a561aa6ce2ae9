"""A forked child process for work that needs no database: the second core.

Two kinds of work use it: the import reading its files ahead
(``ledger.db.read_ahead``) and the conflict scan computing pairs
(``ledger.db.conflict_scan``). The child only computes; the database stays in
the parent (a child cannot see the rows of the parent's open transaction, and
must never use its connection). Work and results travel over one-way pipes
widened to take a chunk at once; an error in the child travels down the pipe
and is raised in the parent where the work meets it. The child ends with
``os._exit`` (multiprocessing's fork start does that), so it closes or flushes
nothing of the parent's; the parent stops it at once if it fails itself, and
always reaps it.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PIPE_BYTES = 1 << 20  # Linux's default limit for an unprivileged process (/proc/sys/fs/pipe-max-size)
ENDING_SECONDS = 10  # a child told it is done ends in milliseconds; one that does not is stopped after this


def available() -> bool:
    """Whether a forked child is safe here and has a core to run on."""
    # Forking is safe on Linux (macOS frameworks are not fork-safe; Windows cannot fork).
    return sys.platform == "linux" and (os.cpu_count() or 1) > 1


def spare_core(loadavg: str = "/proc/loadavg") -> bool:
    """Whether a core is idle now: fewer tasks running (this one included) than cores.

    A child pays only then. On a busy machine the scheduler gives this process's session one share however
    many processes it runs (autogroups), so a child only adds the cost of handing work over.
    """
    try:
        with open(loadavg, encoding="ascii") as handle:
            running = int(handle.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return True
    return running < (os.cpu_count() or 1)


def pipe():
    """A one-way pipe of ``PIPE_BYTES``: (receiving end, sending end)."""
    receiving, sending = multiprocessing.get_context("fork").Pipe(duplex=False)
    _widen(sending)
    return receiving, sending


def _widen(connection) -> None:
    """A pipe of ``PIPE_BYTES``, not 64 KB: a chunk goes through at once, not in a handover per 64 KB.

    Each handover waits for the other process to be scheduled; on a busy machine that wait, not the
    work, set the pace (a conflict-heavy 200k import took twice its time in the read-ahead's first version).
    """
    import fcntl  # here: Unix only, and only forked on Linux

    try:
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):  # an older kernel, or a lower limit: the default size still works
        pass


@contextmanager
def child(target: Callable[..., None], *args) -> Iterator[multiprocessing.Process]:
    """``target(*args)`` run in a forked child, reaped on the way out (none is left behind): stopped at once if
    the parent failed, else given ``ENDING_SECONDS`` to end on its own (told it is done, as the parent closes
    its pipes) before it is stopped."""
    context = multiprocessing.get_context("fork")
    sys.stdout.flush()  # the child must not write out a copy of what this process has buffered
    sys.stderr.flush()
    process = context.Process(target=target, args=args, daemon=True)
    process.start()
    try:
        yield process
    except BaseException:
        process.terminate()
        raise
    finally:
        process.join(ENDING_SECONDS)
        if process.is_alive():
            process.terminate()
            process.join()


def dumps(message: tuple, error_at: int | None = None) -> bytes:
    """``message`` pickled for the pipe; an error at ``message[error_at]`` that does not pickle goes as its
    traceback in a ``RuntimeError`` (a bug)."""
    try:
        return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        error = None if error_at is None else message[error_at]
        if error is None:
            raise
        text = RuntimeError("".join(traceback.format_exception(error)))
        return pickle.dumps((*message[:error_at], text, *message[error_at + 1 :]), protocol=pickle.HIGHEST_PROTOCOL)


class Sender:
    """Messages written to a pipe by a thread of their own: the sending process goes on with its work while
    a message larger than the pipe holds waits for the other process to come and read it."""

    def __init__(self, connection):
        self.connection = connection
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._write, daemon=True)
        self._thread.start()

    def send(self, payload: bytes) -> None:
        self._queue.put(payload)

    def close(self) -> None:
        """Wait until every message is written (or the reader is gone), then close the pipe."""
        self._queue.put(None)
        self._thread.join()
        self.connection.close()

    def _write(self) -> None:
        try:
            while (payload := self._queue.get()) is not None:
                self.connection.send_bytes(payload)
        except OSError:  # the reader is gone: it is told apart where its answers are awaited
            return


def receiver(connection) -> queue.SimpleQueue:
    """Messages read from a pipe by a thread of their own as they arrive (so the sender never waits for this
    process to come and read), then None once the pipe is closed."""
    received: queue.SimpleQueue = queue.SimpleQueue()

    def read() -> None:
        try:
            while True:
                received.put(connection.recv_bytes())
        except (EOFError, OSError):
            received.put(None)

    threading.Thread(target=read, daemon=True).start()
    return received
