"""Claims indexed by status and by the claim they supersede only where that is rare: partial indexes.

Why: nearly every claim is active and supersedes none (all 2.65 million of
the Flight month), so ``ix_claims_status`` and ``ix_claims_supersedes_id``
held a row per claim (73 MB of that ledger) to find a handful. A query for
active claims reads the whole table whichever way (a scan is cheaper than
the index); ``ledger claims --status retracted`` says ``status != 'active'``
beside its status so that the planner uses the partial index; a lookup of
the claims superseding one (``supersedes_id = ?``) implies ``IS NOT NULL``,
which both engines see. No row changes; a downgrade makes the full indexes
again.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

#: (index, column, the rows it keeps)
PARTIAL = (
    ("ix_claims_status", "status", "status != 'active'"),
    ("ix_claims_supersedes_id", "supersedes_id", "supersedes_id IS NOT NULL"),
)


def upgrade() -> None:
    for name, column, where in PARTIAL:
        op.drop_index(name, table_name="claims")
        op.create_index(name, "claims", [column], sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def downgrade() -> None:
    for name, column, _ in PARTIAL:
        op.drop_index(name, table_name="claims")
        op.create_index(name, "claims", [column])
