"""Kept source-reliability estimates (``ledger estimate``).

A new table of derived data, ``reliability_estimates``: the estimate of the
reliability method over the whole ledger, with the journal head it was made
at, so ``consensus --method reliability`` can decide one item without
re-estimating every source while the ledger is unchanged. No existing row
changes; a downgrade drops the table (it is recomputed by ``ledger estimate``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reliability_estimates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("judge", sa.String(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("journal_seq", sa.Integer(), nullable=False),
        sa.Column("journal_hash", sa.String(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("estimates", sa.Text(), nullable=False),
        sa.Column("estimated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reliability_estimates")),
        sa.UniqueConstraint("judge", "options", name=op.f("uq_reliability_estimates_judge")),
    )


def downgrade() -> None:
    op.drop_table("reliability_estimates")
