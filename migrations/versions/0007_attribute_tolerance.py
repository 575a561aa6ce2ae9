"""A tolerance per attribute (``ledger attributes set NAME --tolerance 5%``).

Adds the nullable column ``attributes.tolerance`` ("5%", "3d", "10min"; NULL:
none, today's exact comparison). No row changes and no view changes: every
attribute keeps comparing exactly. A downgrade refuses to run while an
attribute has a tolerance (its stored conflicts were computed with it).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attributes") as batch:  # ADD COLUMN: no rebuild, views untouched
        batch.add_column(sa.Column("tolerance", sa.String(), nullable=True))


def downgrade() -> None:
    connection = op.get_bind()
    named = connection.execute(sa.text("SELECT name FROM attributes WHERE tolerance IS NOT NULL ORDER BY name")).scalars().all()
    if named:
        raise RuntimeError(
            f"cannot downgrade below 0007: attributes {', '.join(named)} have a tolerance; clear each with "
            "`ledger attributes set NAME --tolerance 0` first"
        )
    # SQLite drops a column by rebuilding the table, and the rename that ends a rebuild re-checks
    # every view naming the table while it is missing. In legacy mode it does not: the views stay
    # as they are, and name the rebuilt table.
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA legacy_alter_table = ON")
    try:
        with op.batch_alter_table("attributes") as batch:
            batch.drop_column("tolerance")
    finally:
        if sqlite:
            op.execute("PRAGMA legacy_alter_table = OFF")
