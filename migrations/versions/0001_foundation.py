"""Foundation: sources, entities, aliases, attributes, claims and the claim_facts view.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

CLAIM_FACTS = """
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


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.String(), nullable=True),
        sa.Column("published_precision", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "published_precision IN ('day', 'month', 'year')",
            name=op.f("ck_sources_published_precision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("key", name=op.f("uq_sources_key")),
        sa.UniqueConstraint("sha256", name=op.f("uq_sources_sha256")),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("name", name=op.f("uq_entities_name")),
    )
    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("alias_key", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_aliases_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aliases")),
        sa.UniqueConstraint("alias_key", name=op.f("uq_aliases_alias_key")),
    )
    op.create_index(op.f("ix_aliases_entity_id"), "aliases", ["entity_id"])
    op.create_table(
        "attributes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('quantity', 'money', 'date', 'text')", name=op.f("ck_attributes_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attributes")),
        sa.UniqueConstraint("name", name=op.f("uq_attributes_name")),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(), nullable=True),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("when_stated", sa.Text(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("attributed_to", sa.Text(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'retracted', 'superseded')", name=op.f("ck_claims_status")
        ),
        sa.ForeignKeyConstraint(
            ["attribute_id"], ["attributes.id"], name=op.f("fk_claims_attribute_id_attributes")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_claims_entity_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_claims_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("ref", name=op.f("uq_claims_ref")),
    )
    op.create_index("ix_claims_entity_attribute", "claims", ["entity_id", "attribute_id"])
    op.create_index(op.f("ix_claims_attribute_id"), "claims", ["attribute_id"])
    op.create_index(op.f("ix_claims_fingerprint"), "claims", ["fingerprint"])
    op.create_index(op.f("ix_claims_source_id"), "claims", ["source_id"])
    op.create_index(op.f("ix_claims_status"), "claims", ["status"])
    op.execute(CLAIM_FACTS)


def downgrade() -> None:
    op.execute("DROP VIEW claim_facts")
    op.drop_table("claims")
    op.drop_table("attributes")
    op.drop_table("aliases")
    op.drop_table("entities")
    op.drop_table("sources")
