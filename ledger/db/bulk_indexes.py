"""SQLite bulk loads into an empty ledger: secondary indexes built once after the load, not kept up row by row.

Every claim inserted updates each of the claims' indexes, every pair each of
the pairs': on the Flight data half of SQLite's time in those inserts (a
claim 26 µs with its indexes, 14.5 without; a pair 14 µs, 7 without), while
``CREATE INDEX`` sorts a table's rows once (all nine indexes of a 3-day
Flight slice: about 2 s against 7 s of upkeep). So a bulk load into a ledger
that held no claims sets aside the indexes the load does not read, and
builds them again from their stored definitions, unchanged: the claims'
before the conflict scan (which reads claims in group order), the pairs'
after it. Inside the import's transaction that stays atomic: an error
rolls the drop back with everything else. Unique constraints stay. The
fingerprint index is set aside too and built when a duplicate lookup first
reads it (``WriteContext.readable``): claims with a ``ref`` are looked up by
it (a unique constraint), so an import of such claims never reads the
fingerprints while loading (a generated 200k import kept the index's random
keys up for nothing: ~0.4 s of its claims' inserts).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

SetAside = list[tuple[str, str]]  # (index name, its CREATE INDEX statement)


def set_aside_indexes(connection: Connection, table: str) -> SetAside:
    """Drop ``table``'s secondary indexes (SQLite; elsewhere nothing); return them."""
    if connection.dialect.name != "sqlite":
        return []
    indexes = [
        (name, sql) for name, sql in connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table "
                 "AND sql IS NOT NULL ORDER BY rowid"),
            {"table": table},
        )
    ]
    quote = connection.dialect.identifier_preparer.quote
    _ddl(connection, [f"DROP INDEX {quote(name)}" for name, _ in indexes])
    return indexes


def build_indexes(connection: Connection, indexes: SetAside) -> None:
    """Create again the indexes ``set_aside_indexes`` dropped, as they were defined."""
    _ddl(connection, [sql for _, sql in indexes])


def _ddl(connection: Connection, statements: list[str]) -> None:
    for statement in statements:
        connection.exec_driver_sql(statement)
