"""A forked child process doing part of a command's work: the second core.

Five kinds of work use it: the import reading its files ahead
(``ledger.db.read_ahead``), the conflict scan computing pairs
(``ledger.db.conflict_scan``), the estimate reading the later subjects' items
(``ledger.db.two_readers``, on a connection of the child's own) and casting
part of each vote (``ledger.vote_cores``), and a long conflict listing making
some groups' claims (``ledger.db.two_listers``, on its own connection too). The child never uses the parent's
connection (it cannot see the rows of the parent's open transaction). Work and
results travel over one-way pipes widened to take a chunk at once; an error in
the child travels down the pipe and is raised in the parent where the work
meets it. The child ends with ``os._exit`` (multiprocessing's fork start does
that), so it closes or flushes nothing of the parent's; the parent stops it at
once if it fails itself or the child is mid-work, and always reaps it.
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

from ledger.core.errors import LedgerError

PIPE_BYTES = 1 << 20  # Linux's default limit for an unprivileged process (/proc/sys/fs/pipe-max-size)
ENDING_SECONDS = 10  # a child told it is done ends in milliseconds; one that does not is stopped after this


def available() -> bool:
    """Whether a forked child is safe here and has a core to run on.

    Forking is safe on Linux (macOS frameworks are not fork-safe; Windows cannot fork), and only while no
    other thread runs: a fork copies none of them, so locks they held would stay held in the child (a caller's
    own threads start after the fork).
    """
    return (sys.platform == "linux" and hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1)


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
    """``target(*args)`` run in a forked child (``start``), stopped on the way out (``stop``): at once if the
    parent failed."""
    process = start(target, *args)
    try:
        yield process
    except BaseException:
        stop(process, at_once=True)
        raise
    finally:
        stop(process)


def start(target: Callable[..., None], *args) -> multiprocessing.Process:
    """``target(*args)`` running in a forked child; ``stop`` reaps it."""
    sys.stdout.flush()  # the child must not write out a copy of what this process has buffered
    sys.stderr.flush()
    process = multiprocessing.get_context("fork").Process(target=target, args=args, daemon=True)
    process.start()
    return process


def stop(process: multiprocessing.Process, at_once: bool = False) -> None:
    """The child reaped (none is left behind): killed first if ``at_once`` (it is mid-work, or the parent
    failed), else given ``ENDING_SECONDS`` to end on its own (told it is done, as the parent closes its pipes)."""
    if at_once:
        process.kill()
    process.join(ENDING_SECONDS)
    if process.is_alive():
        process.kill()
        process.join()


def ended(process: multiprocessing.Process) -> str:
    """How a child that stopped early ended, in words (waited for)."""
    process.join()
    if process.exitcode < 0:
        return f"killed by signal {-process.exitcode}"
    return f"exit status {process.exitcode}"


def failure(error: BaseException) -> LedgerError | tuple[str, str]:
    """What a child tells the parent of ``error`` (``failed`` raises it): a ledger error as itself (its message
    and hint are the user's) when it pickles; anything else (a bug) as its one line and its traceback."""
    if isinstance(error, LedgerError):
        try:
            return pickle.loads(pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - not picklable: told in words below
            pass
    line = "".join(traceback.format_exception_only(error)).strip()
    return line, "".join(traceback.format_exception(error)).strip()


def failed(told: LedgerError | tuple[str, str], wording: str, kind: type[Exception] = RuntimeError) -> Exception:
    """The error to raise here for a child's ``failure``: a ledger error as itself, else ``kind`` saying
    "``wording``: its line", with the child's traceback as a note."""
    if isinstance(told, LedgerError):
        return told
    line, where = told
    error = kind(f"{wording}: {line}")
    error.add_note(f"In the second process:\n{where}")
    return error


def next_message(connection, process: multiprocessing.Process, doing: str, error_tag: int,
                 kind: type[Exception]) -> tuple:
    """The child's next pickled ``(tag, body)`` message; its failure (tagged ``error_tag``) or its end before it
    finished raised as ``kind``: "the second process ``doing`` failed: …" or "… stopped before it finished (…)"."""
    try:
        tag, body = pickle.loads(connection.recv_bytes())
    except EOFError:
        raise kind(f"the second process {doing} stopped before it finished ({ended(process)})") from None
    if tag == error_tag:
        raise failed(body, f"the second process {doing} failed", kind)
    return tag, body


def dumps(message: tuple, error_at: int | None = None) -> bytes:
    """``message`` pickled for the pipe; an error at ``message[error_at]`` that does not pickle goes as
    ``failed`` words it (a bug)."""
    try:
        return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        error = None if error_at is None else message[error_at]
        if error is None:
            raise
        told = failed(failure(error), "the second process failed")
        return pickle.dumps((*message[:error_at], told, *message[error_at + 1 :]), protocol=pickle.HIGHEST_PROTOCOL)


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
