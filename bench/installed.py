"""Measure the ledger as installed: its modules byte-compiled, as ``pip install`` leaves them.

An editable checkout run with PYTHONDONTWRITEBYTECODE set (as on these
machines) has no ``.pyc`` files, so every ``ledger`` process would compile
the whole package again (~0.4 s) before its first byte: a cost no installed
copy pays. Benchmarks that time CLI processes call this first.
"""

from __future__ import annotations

import compileall
import importlib.util
from pathlib import Path


def byte_compile_ledger() -> None:
    """Write the ``.pyc`` files of the ``ledger`` package that ``python -m ledger.cli`` runs."""
    package = Path(importlib.util.find_spec("ledger").origin).parent
    if not compileall.compile_dir(package, quiet=1):
        raise SystemExit(f"could not byte-compile {package}")
