"""The ``conflict_pairs`` view gains ``note``: the latest verdict's note beside its status.

Analysts reading the view (sqlite3, Datasette, pandas) saw a verdict without the
reason an analyst gave for it; ``ledger conflicts show`` already showed both. Only
the view changes: no table or row does, and a downgrade restores the old view.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

import importlib

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_0005 = importlib.import_module("ledger.migrations.versions.0005_time_identifier_kinds")

LATEST_VERDICT = "(SELECT v.{column} FROM conflict_verdicts v WHERE v.conflict_id = k.id ORDER BY v.id DESC LIMIT 1)"
OLD_STATUS = """COALESCE((SELECT v.status FROM conflict_verdicts v WHERE v.conflict_id = k.id
                 ORDER BY v.id DESC LIMIT 1), 'open') AS status,"""
NEW_STATUS = (
    f"COALESCE({LATEST_VERDICT.format(column='status')}, 'open') AS status,\n"
    f"       {LATEST_VERDICT.format(column='note')} AS note,"
)
assert OLD_STATUS in _0005.CONFLICT_PAIRS  # the view this revision rewrites is the one 0005 made
CONFLICT_PAIRS = _0005.CONFLICT_PAIRS.replace(OLD_STATUS, NEW_STATUS)


def upgrade() -> None:
    op.execute("DROP VIEW conflict_pairs")
    op.execute(CONFLICT_PAIRS)


def downgrade() -> None:
    op.execute("DROP VIEW conflict_pairs")
    op.execute(_0005.CONFLICT_PAIRS)
