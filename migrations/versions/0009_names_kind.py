"""Value kind ``names``: a person or organisation name, or a list of them, read as a set of names.

Widens the CHECK constraints on ``attributes.kind`` and ``readings.kind``. No
row changes: a names reading is stored in ``readings.text_norm`` (``family,
given; …``), like text. A downgrade refuses to run while an attribute or
reading uses the kind.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0009"
# Merged after 0007 (tolerance) and 0008 (full-text search), this revision follows "0008"; on the
# names branch, where neither exists yet, it follows "0006" (the lead sets "0008" when merging).
down_revision = "0008"
branch_labels = None
depends_on = None

OLD_ATTRIBUTE_KINDS = "kind IN ('quantity', 'money', 'date', 'text', 'time', 'identifier')"
NEW_ATTRIBUTE_KINDS = "kind IN ('quantity', 'money', 'date', 'text', 'time', 'identifier', 'names')"
OLD_READING_KINDS = "kind IN ('quantity', 'money', 'date', 'text', 'time', 'identifier', 'unparsed')"
NEW_READING_KINDS = "kind IN ('quantity', 'money', 'date', 'text', 'time', 'identifier', 'names', 'unparsed')"


# The constraints change as 0005 changed them (SQLite rebuilds both tables, under the two views
# that name them dropped and made again): its step is reused, the views being unchanged since.
_0005 = importlib.import_module("ledger.migrations.versions.0005_time_identifier_kinds")
_set_kinds = _0005._set_kinds


def upgrade() -> None:
    _set_kinds(NEW_ATTRIBUTE_KINDS, NEW_READING_KINDS)


def downgrade() -> None:
    used = op.get_bind().execute(
        sa.text(
            "SELECT (SELECT count(*) FROM attributes WHERE kind = 'names')"
            " + (SELECT count(*) FROM readings WHERE kind = 'names')"
        )
    ).scalar()
    if used:
        raise RuntimeError(
            f"cannot downgrade below 0009: {used} attributes or readings use the kind names; "
            "retract those claims or move them to a ledger at this revision"
        )
    _set_kinds(OLD_ATTRIBUTE_KINDS, OLD_READING_KINDS)
