"""Named fault points, so tests can kill or pause a write at a known moment inside its transaction.

Set ``LEDGER_FAULT=<point>:<action>`` where action is ``kill`` (SIGKILL this
process) or ``pause`` (print ``paused at <point>`` to stderr and sleep
``LEDGER_FAULT_PAUSE`` seconds, default 30). Unset, a fault point costs one
dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import sys
import time

POINTS = ("after_sources", "after_claims_batch", "before_conflicts", "before_commit")


def fault_point(name: str) -> None:
    wanted = os.environ.get("LEDGER_FAULT")
    if not wanted:
        return
    point, _, action = wanted.partition(":")
    if point != name:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "pause":
        print(f"paused at {name}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("LEDGER_FAULT_PAUSE", "30")))
