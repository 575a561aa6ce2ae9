"""Readings: the parsed meaning of each claim's value and time (derived, recomputable).

Existing claims get their readings when ``ledger init`` finishes the upgrade.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CLAIM_FACTS_V1 = """
CREATE VIEW claim_facts AS
SELECT c.id AS claim_id, c.ref, c.status,
       s.key AS source, s.title AS source_title, s.outlet, s.published,
       e.name AS subject, c.subject AS subject_as_written,
       a.name AS attribute, a.kind,
       c.value, c.when_stated, c.quote, c.attributed_to, c.recorded_at
FROM claims c
JOIN sources s ON s.id = c.source_id
JOIN entities e ON e.id = c.entity_id
JOIN attributes a ON a.id = c.attribute_id
"""

CLAIM_FACTS_V2 = """
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
    op.create_table(
        "readings",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("parser_version", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("qualifier", sa.String(), nullable=True),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("low_open", sa.Boolean(), nullable=False),
        sa.Column("high_open", sa.Boolean(), nullable=False),
        sa.Column("low_date", sa.Date(), nullable=True),
        sa.Column("high_date", sa.Date(), nullable=True),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("currency", sa.String(), nullable=True),
        sa.Column("period", sa.String(), nullable=True),
        sa.Column("text_norm", sa.Text(), nullable=True),
        sa.Column("base_currency", sa.String(), nullable=True),
        sa.Column("base_low", sa.Float(), nullable=True),
        sa.Column("base_high", sa.Float(), nullable=True),
        sa.Column("rate_low", sa.Float(), nullable=True),
        sa.Column("rate_high", sa.Float(), nullable=True),
        sa.Column("rate_from", sa.Date(), nullable=True),
        sa.Column("rate_to", sa.Date(), nullable=True),
        sa.Column("rate_source", sa.String(), nullable=True),
        sa.Column("time_low", sa.Date(), nullable=True),
        sa.Column("time_high", sa.Date(), nullable=True),
        sa.Column("time_basis", sa.String(), nullable=False),
        sa.Column("alternatives", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("warning", sa.Text(), nullable=True),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('quantity', 'money', 'date', 'text', 'unparsed')",
            name=op.f("ck_readings_kind"),
        ),
        sa.CheckConstraint(
            "time_basis IN ('stated', 'published', 'none')", name=op.f("ck_readings_time_basis")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_readings_claim_id_claims")
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_readings")),
    )
    op.execute("DROP VIEW claim_facts")
    op.execute(CLAIM_FACTS_V2)


def downgrade() -> None:
    op.execute("DROP VIEW claim_facts")
    op.execute(CLAIM_FACTS_V1)
    op.drop_table("readings")
