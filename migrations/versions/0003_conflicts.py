"""Conflicts: attribute comparison rules, detected pairs, analyst verdicts, conflict_pairs view.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

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


# SQLite rebuilds ``attributes`` to drop columns, which it refuses under a view naming it.
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


def upgrade() -> None:
    with op.batch_alter_table("attributes") as batch:
        batch.add_column(sa.Column("single_valued", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("timeless", sa.Boolean(), nullable=True))
    op.create_table(
        "conflicts",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("nature", sa.String(), nullable=False),
        sa.Column("claim_a_id", sa.Integer(), nullable=False),
        sa.Column("claim_b_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("severity", sa.Float(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("nature IN ('conflict', 'incomparable')", name=op.f("ck_conflicts_nature")),
        sa.ForeignKeyConstraint(["attribute_id"], ["attributes.id"], name=op.f("fk_conflicts_attribute_id_attributes")),
        sa.ForeignKeyConstraint(["claim_a_id"], ["claims.id"], name=op.f("fk_conflicts_claim_a_id_claims")),
        sa.ForeignKeyConstraint(["claim_b_id"], ["claims.id"], name=op.f("fk_conflicts_claim_b_id_claims")),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_conflicts_entity_id_entities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
    )
    op.create_index("ix_conflicts_entity_attribute", "conflicts", ["entity_id", "attribute_id"])
    op.create_index(op.f("ix_conflicts_claim_a_id"), "conflicts", ["claim_a_id"])
    op.create_index(op.f("ix_conflicts_claim_b_id"), "conflicts", ["claim_b_id"])
    op.create_index(op.f("ix_conflicts_severity"), "conflicts", ["severity"])
    op.create_table(
        "conflict_verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conflict_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("claim_a", sa.Text(), nullable=False),
        sa.Column("claim_b", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'confirmed', 'dismissed')", name=op.f("ck_conflict_verdicts_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_verdicts")),
    )
    op.create_index(op.f("ix_conflict_verdicts_conflict_id"), "conflict_verdicts", ["conflict_id"])
    op.execute(CONFLICT_PAIRS)


def downgrade() -> None:
    op.execute("DROP VIEW conflict_pairs")
    op.drop_table("conflict_verdicts")
    op.drop_table("conflicts")
    op.execute("DROP VIEW claim_facts")
    with op.batch_alter_table("attributes") as batch:
        batch.drop_column("timeless")
        batch.drop_column("single_valued")
    op.execute(CLAIM_FACTS)
