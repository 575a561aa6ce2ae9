"""Limits a user can set on the command line, with their defaults and bounds.

Kept apart from the modules that enforce them so the CLI can check options
without loading any database code.
"""

import re

SQL_TIMEOUT_S = 30.0  # default --timeout of `ledger sql`
SQL_MAX_TIMEOUT_S = 7 * 24 * 3600.0  # PostgreSQL's timeouts hold at most ~24 days of milliseconds
SQL_TABLE_ROWS = 1000  # default --max-rows: a table holds what it shows in memory
ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")  # a PostgreSQL role name that needs no quoting
