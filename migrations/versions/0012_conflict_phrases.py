"""Conflicts stored without repeating what claims hold: reasons as shared phrases, one time per scan.

Why: ``conflicts`` was two thirds of a bulk ledger (the Flight month: 1.45 GB
of 2.27, for 5.4 million pairs). Each row spelled out its reason, "2011-12-01
13:57 (Dec 01 - 1:57pm) vs 2011-12-01 14:06 (12/1/11 2:06 PM (-05:00)): 9
minutes apart", 96 bytes on average, repeating both claims' labels (the
Flight slice's 547,000 pairs use 35,000 labels and 488 gaps), and a
``detected_at`` of 26 bytes, one value for every pair a scan writes.

Now ``stored_conflicts`` holds a pair with its reason as three numbers
(``first_label_id`` vs ``second_label_id``: ``gap_id``, phrases written once
in ``conflict_phrases``, found by their first 64 characters; a reason not of that shape is whole in ``gap_id``) and
its scan (``conflict_scans.detected_at``). It drops the indexes on
``claim_a_id`` and ``claim_b_id``: a pair's claims share its subject and
attribute, so pairs of given claims are found through the group index.

Analysts' SQL keeps working: ``conflicts`` becomes a view with the table's
columns and values, its reason joined back together; ``conflict_pairs`` reads
it as before. A downgrade writes the table back.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

import importlib

import sqlalchemy as sa
from alembic import op

from ledger.db.conflict_phrases import split_reason  # any split joins back to the same reason: safe to share

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_0011 = importlib.import_module("ledger.migrations.versions.0011_distinct_readings")

CHUNK = 5_000
#: What phrases are looked up by: a whole one may be longer than a PostgreSQL index entry may be.
PHRASE_PREFIX = "substr(phrase, 1, 64)"
#: The ``conflicts`` rows as they were stored. Left joins on primary keys: a query not reading ``reason`` or
#: ``detected_at`` skips them (both engines drop such joins), PostgreSQL hashes the phrases when it reads many.
CONFLICT_ROWS = """SELECT k.id, k.nature, k.claim_a_id, k.claim_b_id, k.entity_id, k.attribute_id,
       COALESCE(first_label.phrase || ' vs ' || second_label.phrase || ': ', '') || gap.phrase AS reason,
       k.severity, scan.detected_at
FROM stored_conflicts k
LEFT JOIN conflict_phrases first_label ON first_label.id = k.first_label_id
LEFT JOIN conflict_phrases second_label ON second_label.id = k.second_label_id
LEFT JOIN conflict_phrases gap ON gap.id = k.gap_id
LEFT JOIN conflict_scans scan ON scan.id = k.scan_id"""
CONFLICTS_VIEW = f"CREATE VIEW conflicts AS\n{CONFLICT_ROWS}\n"


def upgrade() -> None:
    op.execute("DROP VIEW conflict_pairs")
    op.create_table(
        "conflict_phrases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_phrases")),
    )
    op.create_index("ix_conflict_phrases_prefix", "conflict_phrases", [sa.text(PHRASE_PREFIX)])
    op.create_table(
        "conflict_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_scans")),
    )
    op.create_table(
        "stored_conflicts",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("nature", sa.String(), nullable=False),
        sa.Column("claim_a_id", sa.Integer(), nullable=False),
        sa.Column("claim_b_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("first_label_id", sa.Integer(), nullable=True),
        sa.Column("second_label_id", sa.Integer(), nullable=True),
        sa.Column("gap_id", sa.Integer(), nullable=False),
        sa.Column("severity", sa.Float(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("nature IN ('conflict', 'incomparable')", name=op.f("ck_stored_conflicts_nature")),
        sa.ForeignKeyConstraint(["attribute_id"], ["attributes.id"],
                                name=op.f("fk_stored_conflicts_attribute_id_attributes")),
        sa.ForeignKeyConstraint(["claim_a_id"], ["claims.id"], name=op.f("fk_stored_conflicts_claim_a_id_claims")),
        sa.ForeignKeyConstraint(["claim_b_id"], ["claims.id"], name=op.f("fk_stored_conflicts_claim_b_id_claims")),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_stored_conflicts_entity_id_entities")),
        sa.ForeignKeyConstraint(["first_label_id"], ["conflict_phrases.id"],
                                name=op.f("fk_stored_conflicts_first_label_id_conflict_phrases")),
        sa.ForeignKeyConstraint(["second_label_id"], ["conflict_phrases.id"],
                                name=op.f("fk_stored_conflicts_second_label_id_conflict_phrases")),
        sa.ForeignKeyConstraint(["gap_id"], ["conflict_phrases.id"],
                                name=op.f("fk_stored_conflicts_gap_id_conflict_phrases")),
        sa.ForeignKeyConstraint(["scan_id"], ["conflict_scans.id"],
                                name=op.f("fk_stored_conflicts_scan_id_conflict_scans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_conflicts")),
    )
    _move_pairs(op.get_bind())
    op.drop_table("conflicts")
    op.create_index("ix_stored_conflicts_entity_attribute", "stored_conflicts", ["entity_id", "attribute_id"])
    op.create_index(op.f("ix_stored_conflicts_severity"), "stored_conflicts", ["severity"])
    op.execute(CONFLICTS_VIEW)
    op.execute(_0011.CONFLICT_PAIRS)


def _move_pairs(connection) -> None:
    """Every row of ``conflicts`` into ``stored_conflicts``, its reason as phrases and its time as a scan."""
    scans = {}
    for (detected_at,) in connection.execute(sa.text("SELECT DISTINCT detected_at FROM conflicts ORDER BY 1")):
        scans[detected_at] = len(scans) + 1
    if scans:
        connection.execute(sa.text("INSERT INTO conflict_scans (id, detected_at) VALUES (:id, :detected_at)"),
                           [dict(id=i, detected_at=at) for at, i in scans.items()])
    rows = connection.execute(sa.text(
        "SELECT id, nature, claim_a_id, claim_b_id, entity_id, attribute_id, reason, severity, detected_at "
        "FROM conflicts ORDER BY entity_id, attribute_id, id").execution_options(yield_per=CHUNK))
    phrases: dict[str, int] = {}
    insert_phrases = sa.text("INSERT INTO conflict_phrases (id, phrase) VALUES (:id, :phrase)")
    insert_pairs = sa.text(
        "INSERT INTO stored_conflicts (id, nature, claim_a_id, claim_b_id, entity_id, attribute_id, "
        "first_label_id, second_label_id, gap_id, severity, scan_id) VALUES (:id, :nature, :claim_a_id, "
        ":claim_b_id, :entity_id, :attribute_id, :first, :second, :gap, :severity, :scan)")
    new_phrases, pairs = [], []

    def phrase_id(phrase: str | None) -> int | None:
        if phrase is None:
            return None
        found = phrases.get(phrase)
        if found is None:
            found = phrases[phrase] = len(phrases) + 1
            new_phrases.append(dict(id=found, phrase=phrase))
        return found

    for pair_id, nature, a, b, entity_id, attribute_id, reason, severity, detected_at in rows:
        first, second, gap = (phrase_id(part) for part in split_reason(reason))
        pairs.append(dict(id=pair_id, nature=nature, claim_a_id=a, claim_b_id=b, entity_id=entity_id,
                          attribute_id=attribute_id, first=first, second=second, gap=gap, severity=severity,
                          scan=scans[detected_at]))
        if len(pairs) == CHUNK:
            _flush(connection, insert_phrases, new_phrases, insert_pairs, pairs)
    _flush(connection, insert_phrases, new_phrases, insert_pairs, pairs)
    if connection.dialect.name == "postgresql":
        for table, last in (("conflict_phrases", len(phrases)), ("conflict_scans", len(scans))):
            if last:
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), :last)"),
                                   {"last": last})


def _flush(connection, insert_phrases, new_phrases: list[dict], insert_pairs, pairs: list[dict]) -> None:
    """Write the new phrases, then the pairs using them (emptying both lists)."""
    for statement, rows in ((insert_phrases, new_phrases), (insert_pairs, pairs)):
        if rows:
            connection.execute(statement, rows)
        rows.clear()


def downgrade() -> None:
    op.execute("DROP VIEW conflict_pairs")
    op.execute("DROP VIEW conflicts")
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
    op.execute(f"INSERT INTO conflicts (id, nature, claim_a_id, claim_b_id, entity_id, attribute_id, reason, "
               f"severity, detected_at)\n{CONFLICT_ROWS}")
    op.drop_table("stored_conflicts")
    op.drop_table("conflict_scans")
    op.drop_table("conflict_phrases")
    op.create_index("ix_conflicts_entity_attribute", "conflicts", ["entity_id", "attribute_id"])
    op.create_index(op.f("ix_conflicts_claim_a_id"), "conflicts", ["claim_a_id"])
    op.create_index(op.f("ix_conflicts_claim_b_id"), "conflicts", ["claim_b_id"])
    op.create_index(op.f("ix_conflicts_severity"), "conflicts", ["severity"])
    op.execute(_0011.CONFLICT_PAIRS)
