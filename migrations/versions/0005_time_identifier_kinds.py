"""Value kinds ``time`` (clock times as minutes) and ``identifier`` (codes such as gates).

Widens the CHECK constraints on ``attributes.kind`` and ``readings.kind``.
No row changes: existing attributes and readings keep their kinds. A
downgrade refuses to run while an attribute or reading uses a new kind.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD_ATTRIBUTE_KINDS = "kind IN ('quantity', 'money', 'date', 'text')"
NEW_ATTRIBUTE_KINDS = "kind IN ('quantity', 'money', 'date', 'text', 'time', 'identifier')"
OLD_READING_KINDS = "kind IN ('quantity', 'money', 'date', 'text', 'unparsed')"
NEW_READING_KINDS = "kind IN ('quantity', 'money', 'date', 'text', 'time', 'identifier', 'unparsed')"

# SQLite rebuilds both tables to change a CHECK constraint, and a rebuild refuses
# to run under views that name them: the views are dropped and made again as they were.
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


def _set_kinds(attribute_kinds: str, reading_kinds: str) -> None:
    op.execute("DROP VIEW conflict_pairs")
    op.execute("DROP VIEW claim_facts")
    with op.batch_alter_table("attributes", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_attributes_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_attributes_kind"), attribute_kinds)
    with op.batch_alter_table("readings", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_readings_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_readings_kind"), reading_kinds)
    op.execute(CLAIM_FACTS)
    op.execute(CONFLICT_PAIRS)


def upgrade() -> None:
    _set_kinds(NEW_ATTRIBUTE_KINDS, NEW_READING_KINDS)


def downgrade() -> None:
    connection = op.get_bind()
    used = connection.execute(
        sa.text(
            "SELECT (SELECT count(*) FROM attributes WHERE kind IN ('time', 'identifier'))"
            " + (SELECT count(*) FROM readings WHERE kind IN ('time', 'identifier'))"
        )
    ).scalar()
    if used:
        raise RuntimeError(
            f"cannot downgrade below 0005: {used} attributes or readings use the kinds time or "
            "identifier; retract those claims or move them to a ledger at this revision"
        )
    _set_kinds(OLD_ATTRIBUTE_KINDS, OLD_READING_KINDS)
