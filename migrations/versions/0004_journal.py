"""Journal and corrections: a hash-chained record of every change; claims point to what they supersede.

Claims recorded before the journal existed are entered into it as one
``baseline`` entry (a digest over every stated row), so ``ledger verify``
covers them too.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# SQLite rebuilds ``claims`` to add its foreign key, and a rebuild refuses to
# run under views that name the table: they are dropped and made again as they were.
CLAIM_FACTS = """
CREATE VIEW claim_facts AS
SELECT c.id AS claim_id, c.ref, c.status,
       s.key AS source, s.title AS source_title, s.outlet, s.published,
       e.name AS subject, c.subject AS subject_as_written,
       a.name AS attribute, a.kind,
       c.value, c.when_stated, c.quote, c.attributed_to, c.recorded_at,
       r.kind AS reading_kind, r.qualifier,
       r.low, r.high, r.low_date, r.high_date, r.low_open, r.high_open, r.unit, r.currency, r.period,
       r.base_currency, r.base_low, r.base_high,
       r.time_low, r.time_high, r.time_basis, r.warning
FROM claims c
JOIN sources s ON s.id = c.source_id
JOIN entities e ON e.id = c.entity_id
JOIN attributes a ON a.id = c.attribute_id
LEFT JOIN readings r ON r.claim_id = c.id
"""

CONFLICT_PAIRS = """
CREATE VIEW conflict_pairs AS
SELECT k.id, e.name AS subject, a.name AS attribute, k.reason, k.severity,
       COALESCE((SELECT v.status FROM conflict_verdicts v WHERE v.conflict_id = k.id
                 ORDER BY v.id DESC LIMIT 1), 'open') AS status,
       ca.id AS a_id, ca.ref AS a_ref, sa.key AS a_source, sa.outlet AS a_outlet,
       ca.value AS a_value, ca.when_stated AS a_when, ra.low AS a_low, ra.high AS a_high,
       ra.low_date AS a_low_date, ra.high_date AS a_high_date, ra.unit AS a_unit,
       ca.quote AS a_quote, ca.attributed_to AS a_attributed_to,
       cb.id AS b_id, cb.ref AS b_ref, sb.key AS b_source, sb.outlet AS b_outlet,
       cb.value AS b_value, cb.when_stated AS b_when, rb.low AS b_low, rb.high AS b_high,
       rb.low_date AS b_low_date, rb.high_date AS b_high_date, rb.unit AS b_unit,
       cb.quote AS b_quote, cb.attributed_to AS b_attributed_to
FROM conflicts k
JOIN entities e ON e.id = k.entity_id
JOIN attributes a ON a.id = k.attribute_id
JOIN claims ca ON ca.id = k.claim_a_id
JOIN claims cb ON cb.id = k.claim_b_id
JOIN sources sa ON sa.id = ca.source_id
JOIN sources sb ON sb.id = cb.source_id
LEFT JOIN readings ra ON ra.claim_id = ca.id
LEFT JOIN readings rb ON rb.claim_id = cb.id
WHERE k.nature = 'conflict'
"""


def _drop_views() -> None:
    op.execute("DROP VIEW conflict_pairs")
    op.execute("DROP VIEW claim_facts")


def _create_views() -> None:
    op.execute(CLAIM_FACTS)
    op.execute(CONFLICT_PAIRS)


def upgrade() -> None:
    op.create_table(
        "journal",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("operation", sa.String(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_journal")),
        sa.UniqueConstraint("hash", name=op.f("uq_journal_hash")),
    )
    op.create_index(op.f("ix_journal_operation"), "journal", ["operation"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("new_claim_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("action IN ('retract', 'supersede')", name=op.f("ck_corrections_action")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_corrections_claim_id_claims")),
        sa.ForeignKeyConstraint(["new_claim_id"], ["claims.id"], name=op.f("fk_corrections_new_claim_id_claims")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index(op.f("ix_corrections_claim_id"), "corrections", ["claim_id"])
    _drop_views()
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_claims_supersedes_id_claims"), "claims", ["supersedes_id"], ["id"])
    _create_views()


def downgrade() -> None:
    _drop_views()
    with op.batch_alter_table("claims") as batch:
        batch.drop_constraint(op.f("fk_claims_supersedes_id_claims"), type_="foreignkey")
        batch.drop_column("supersedes_id")
    _create_views()
    op.drop_table("corrections")
    op.drop_table("journal")
