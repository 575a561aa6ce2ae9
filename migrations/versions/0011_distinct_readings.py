"""Readings stored once per distinct reading: ``distinct_readings``, pointed to by ``claims.reading_id``.

Why: a reading row per claim (29 columns, the ``notes`` and ``alternatives``
JSON included) was half of what the ledger stored and a third of what a bulk
import wrote, although bulk data states the same figures again and again (40
sites reporting one count, one flight time): the 50,000-claim conflict-heavy
ledger holds 50,000 readings of which a few thousand differ. Claims read
alike now share a row (by content, not by phrase: "1,234" and "1234", or one
count published on different days, read the same), so an import writes a
reading only when it is new.

The fingerprint index held all 64 hex characters of each claim's sha256,
for deduplication's lookups; 16 (8 bytes) find a claim as surely once the
whole fingerprint is compared, so ``ix_claims_fingerprint_prefix`` indexes
``substr(fingerprint, 1, 16)``: a quarter of the size, and cheaper to keep
up as the ledger outgrows its page cache.

Analysts' SQL keeps working: ``readings`` becomes a view with the table's
columns (``claim_id`` … ``read_at``, one row per claim that has a reading),
and ``claim_facts`` and ``conflict_pairs`` keep their columns, joining the new
table directly (a view under a ``LEFT JOIN`` would be materialised whole by
SQLite). The rows keep their values; a shared row's ``read_at`` is the
earliest of the readings it replaces. A downgrade writes a reading per claim
back.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_0005 = importlib.import_module("ledger.migrations.versions.0005_time_identifier_kinds")
_0010 = importlib.import_module("ledger.migrations.versions.0010_conflict_pairs_note")

READING_KINDS = "kind IN ('quantity', 'money', 'date', 'text', 'time', 'identifier', 'names', 'unparsed')"
#: Every column of a reading but its key, in the order of the table before this revision.
DERIVED = (
    "parser_version", "kind", "qualifier", "low", "high", "low_open", "high_open", "low_date", "high_date",
    "unit", "currency", "period", "text_norm", "base_currency", "base_low", "base_high", "rate_low", "rate_high",
    "rate_from", "rate_to", "rate_source", "time_low", "time_high", "time_basis", "alternatives", "notes",
    "warning",
)
CHUNK = 5_000
FINGERPRINT_PREFIX = "substr(fingerprint, 1, 16)"  # 8 bytes of the sha256: enough to find a claim by

READINGS_VIEW = f"""
CREATE VIEW readings AS
SELECT c.id AS claim_id, {', '.join('r.' + name for name in DERIVED)}, r.read_at
FROM claims c
JOIN distinct_readings r ON r.id = c.reading_id
"""


def _direct(view: str) -> str:
    """A view's SQL with its per-claim readings joined from ``distinct_readings``."""
    for alias, claim in (("r", "c"), ("ra", "ca"), ("rb", "cb")):
        view = view.replace(f"LEFT JOIN readings {alias} ON {alias}.claim_id = {claim}.id",
                            f"LEFT JOIN distinct_readings {alias} ON {alias}.id = {claim}.reading_id")
    assert "JOIN readings" not in view
    return view


CLAIM_FACTS = _direct(_0005.CLAIM_FACTS)
CONFLICT_PAIRS = _direct(_0010.CONFLICT_PAIRS)


def _reading_columns() -> list[sa.Column]:
    return [
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
    ]


def _drop_views() -> None:
    op.execute("DROP VIEW conflict_pairs")
    op.execute("DROP VIEW claim_facts")


def upgrade() -> None:
    _drop_views()
    op.create_table(
        "distinct_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        *_reading_columns(),
        sa.CheckConstraint(READING_KINDS, name=op.f("ck_distinct_readings_kind")),
        sa.CheckConstraint("time_basis IN ('stated', 'published', 'none')",
                           name=op.f("ck_distinct_readings_time_basis")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distinct_readings")),
    )
    with op.batch_alter_table("claims", recreate="auto") as batch:
        batch.add_column(sa.Column("reading_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_claims_reading_id_distinct_readings"), "distinct_readings", ["reading_id"], ["id"]
        )
    _share_readings(op.get_bind())
    op.drop_index("ix_claims_fingerprint", table_name="claims")
    op.create_index("ix_claims_fingerprint_prefix", "claims", [sa.text(FINGERPRINT_PREFIX)])
    op.drop_table("readings")
    op.execute(READINGS_VIEW)
    op.execute(CLAIM_FACTS)
    op.execute(CONFLICT_PAIRS)


def _share_readings(connection) -> None:
    """One ``distinct_readings`` row per distinct reading of ``readings``, and each claim pointed to its row."""
    columns = ", ".join(DERIVED)
    rows = connection.execute(
        sa.text(f"SELECT claim_id, {columns}, read_at FROM readings ORDER BY claim_id").execution_options(
            yield_per=CHUNK
        )
    )
    insert = sa.text(f"INSERT INTO distinct_readings (id, {columns}, read_at) "
                     f"VALUES (:id, {', '.join(':' + name for name in DERIVED)}, :read_at)")
    point = sa.text("UPDATE claims SET reading_id = :reading_id WHERE id = :claim_id")
    ids: dict[tuple, int] = {}
    new, pointers = [], []
    for claim_id, *values in rows:
        content = tuple(values[:-1])
        reading_id = ids.get(content)
        if reading_id is None:
            reading_id = ids[content] = len(ids) + 1
            new.append(dict(zip(("id", *DERIVED, "read_at"), (reading_id, *values))))
        pointers.append(dict(reading_id=reading_id, claim_id=claim_id))
        if len(pointers) == CHUNK:
            _flush(connection, insert, new, point, pointers)
    _flush(connection, insert, new, point, pointers)
    if connection.dialect.name == "postgresql" and ids:
        connection.execute(sa.text("SELECT setval(pg_get_serial_sequence('distinct_readings', 'id'), :last)"),
                           {"last": len(ids)})


def _flush(connection, insert, new: list[dict], point, pointers: list[dict]) -> None:
    """Write the new rows, then the pointers to them (emptying both lists)."""
    if new:
        connection.execute(insert, new)
    if pointers:
        connection.execute(point, pointers)
    new.clear()
    pointers.clear()


def downgrade() -> None:
    _drop_views()
    op.execute("DROP VIEW readings")
    op.drop_index("ix_claims_fingerprint_prefix", table_name="claims")  # before SQLite rebuilds claims
    op.create_index("ix_claims_fingerprint", "claims", ["fingerprint"])
    op.create_table(
        "readings",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        *_reading_columns(),
        sa.CheckConstraint(READING_KINDS, name=op.f("ck_readings_kind")),
        sa.CheckConstraint("time_basis IN ('stated', 'published', 'none')", name=op.f("ck_readings_time_basis")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_readings_claim_id_claims")),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_readings")),
    )
    columns = ", ".join(DERIVED)
    op.execute(
        f"INSERT INTO readings (claim_id, {columns}, read_at) "
        f"SELECT c.id, {', '.join('r.' + name for name in DERIVED)}, r.read_at "
        "FROM claims c JOIN distinct_readings r ON r.id = c.reading_id"
    )
    with op.batch_alter_table("claims", recreate="auto") as batch:
        batch.drop_constraint(batch.f("fk_claims_reading_id_distinct_readings"), type_="foreignkey")
        batch.drop_column("reading_id")
    op.drop_table("distinct_readings")
    op.execute(_0005.CLAIM_FACTS)
    op.execute(_0010.CONFLICT_PAIRS)
