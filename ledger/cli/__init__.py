"""The ``ledger`` command: options in, one library call, the report layer's text out.

``app`` holds the group and what commands share; each other module holds the
commands of one part of an analyst's day, and registers them on import.
"""

from ledger.cli import disagreements, imports, journal, listings, phrases, query  # noqa: F401  (registers commands)
from ledger.cli.app import cli, main

__all__ = ["cli", "main"]
