"""Full-text search over article text, titles and quotes: the ``passages`` table, its index and a view.

``passages`` holds what is searched, derived from ``sources`` and ``claims``:
each source's title (``kind`` 'title'), each paragraph of its text ('text',
with its character span in the text), and, for sources without text, each
distinct quote of their claims ('quote'). The index differs by engine:

* SQLite: an FTS5 table ``passages_fts`` over ``passages.body`` (external
  content, so the text is stored once), kept in step by a trigger; its
  ``content="passages"`` lets Datasette find it and show a search box.
* PostgreSQL: a generated ``tsvector`` column ``search_vector`` with a GIN index.

Both read words the same way: no stemming (articles come in many
languages), case and accents ignored. The view ``passage_search`` gives one
readable row per passage with its source. Existing sources and claims are
indexed here; the importer indexes what each import adds.

Also an index on ``claims.supersedes_id``: following a claim's corrections
forward (``ledger browse``'s claim history) otherwise scans every claim.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from ledger.core.passages import paragraphs

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SQLITE_FTS = (
    'CREATE VIRTUAL TABLE passages_fts USING fts5(body, content="passages", content_rowid="id", '
    'tokenize="unicode61 remove_diacritics 2")'
)
SQLITE_INSERTED = (
    "CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN "
    "INSERT INTO passages_fts (rowid, body) VALUES (new.id, new.body); END"
)
SQLITE_DELETED = (
    "CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN "
    "INSERT INTO passages_fts (passages_fts, rowid, body) VALUES ('delete', old.id, old.body); END"
)
POSTGRES_VECTOR = (
    "ALTER TABLE passages ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', fold_accents(body))) STORED"
)
POSTGRES_GIN = "CREATE INDEX ix_passages_search_vector ON passages USING gin (search_vector)"
# unaccent is an extension a server may not offer; accents are folded with translate() instead,
# which is IMMUTABLE, as a generated column requires.
POSTGRES_FOLD = """
CREATE FUNCTION fold_accents(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(lower($1),
    'àáâãäåāăąçćčďèéêëēėęěğìíîïīįıłñńňòóôõöøōőŕřśšşťţùúûüūůűųýÿźżž',
    'aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorrsssttuuuuuuuuyyzzz')
$$
"""

SQLITE_VIEW = """
CREATE VIEW passage_search AS
SELECT p.id AS passage_id, f.body AS passage, p.kind, p.position, s.key AS source, s.title, s.outlet,
       s.published, f.rank
FROM passages_fts f
JOIN passages p ON p.id = f.rowid
JOIN sources s ON s.id = p.source_id
"""
POSTGRES_VIEW = """
CREATE VIEW passage_search AS
SELECT p.id AS passage_id, p.body AS passage, p.kind, p.position, s.key AS source, s.title, s.outlet,
       s.published, p.search_vector AS document
FROM passages p
JOIN sources s ON s.id = p.source_id
"""


def upgrade() -> None:
    op.create_table(
        "passages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("text_start", sa.Integer(), nullable=True),
        sa.Column("text_end", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('title', 'text', 'quote')", name=op.f("ck_passages_kind")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_passages_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passages")),
    )
    op.create_index(op.f("ix_passages_source_id"), "passages", ["source_id"])
    op.create_index(op.f("ix_claims_supersedes_id"), "claims", ["supersedes_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FOLD)
        op.execute(POSTGRES_VECTOR)
        op.execute(POSTGRES_GIN)
        op.execute(POSTGRES_VIEW)
    else:
        op.execute(SQLITE_FTS)
        op.execute(SQLITE_INSERTED)
        op.execute(SQLITE_DELETED)
        op.execute(SQLITE_VIEW)
    _index_existing(op.get_bind())


def _index_existing(connection) -> None:
    """Titles, paragraphs and (for sources without text) distinct quotes of what the ledger already holds."""
    rows = []
    for source_id, title, text in connection.execute(sa.text("SELECT id, title, text FROM sources ORDER BY id")):
        rows.append(dict(source_id=source_id, kind="title", position=0, text_start=None, text_end=None, body=title))
        for paragraph in paragraphs(text or ""):
            rows.append(dict(source_id=source_id, kind="text", position=paragraph.position,
                             text_start=paragraph.start, text_end=paragraph.end, body=paragraph.body))
    insert = sa.text(
        "INSERT INTO passages (source_id, kind, position, text_start, text_end, body) "
        "VALUES (:source_id, :kind, :position, :text_start, :text_end, :body)"
    )
    if rows:
        connection.execute(insert, rows)
    connection.execute(sa.text(
        "INSERT INTO passages (source_id, kind, body) "
        "SELECT DISTINCT c.source_id, 'quote', c.quote FROM claims c JOIN sources s ON s.id = c.source_id "
        "WHERE s.text IS NULL AND c.quote IS NOT NULL"
    ))


def downgrade() -> None:
    op.drop_index(op.f("ix_claims_supersedes_id"), table_name="claims")
    op.execute("DROP VIEW passage_search")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("passages")
        op.execute("DROP FUNCTION fold_accents(text)")
        return
    op.execute("DROP TABLE passages_fts")
    op.drop_index(op.f("ix_passages_source_id"), table_name="passages")
    op.drop_table("passages")
