"""Schema revisions: upgrading a database and refusing one that is not at head.

Opening a ledger at head needs no alembic (``HEAD_REVISION`` and one query);
alembic is imported only to migrate, or to explain a database not at head.
"""

from __future__ import annotations

from importlib.resources import files

from sqlalchemy import text
from sqlalchemy.engine import Engine

from ledger.core.errors import DatabaseError
from ledger.db.engine import make_engine

HEAD_REVISION = "0013"  # the newest file in migrations/versions; a test holds the two together



def alembic_config():
    """An alembic Config pointing at the installed migrations (no alembic.ini needed).

    No URL is set: the ledger hands migrations its connection (see ``_migrate``).
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("ledger.migrations")))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction."""
    from alembic import command

    refuse_unknown_revision(engine)
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step, revision: str) -> None:
    """Run a migration with foreign keys off (SQLite rebuilds tables), then prove none broke."""
    migration_engine = make_engine(engine.url, foreign_keys=False)
    try:
        with migration_engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            step(config, revision)
            if connection.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(f"migration to {revision} would break foreign keys: {broken[:3]}")
    finally:
        migration_engine.dispose()


def at_head(engine: Engine) -> bool:
    """Whether the database records the head revision (one query; False on any doubt)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
                HEAD_REVISION
            ]
    except Exception:  # no such table, not a database, ...: require_head says which
        return False


def require_head(engine: Engine) -> None:
    """Raise DatabaseError unless the database is at the code's head revision."""
    if at_head(engine):
        return
    refuse_unknown_revision(engine)
    current = current_revision(engine)
    if current != head_revision():
        where = "empty (no ledger schema)" if current is None else f"at revision {current}"
        raise DatabaseError(
            f"database {engine.url.database} is {where}, not at {head_revision()}", hint="init"
        )


def refuse_unknown_revision(engine: Engine) -> None:
    current = current_revision(engine)
    if current is None:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise DatabaseError(
            f"database {engine.url.database} is at schema revision {current}, newer than this "
            f"version of claim-ledger knows (head {head_revision()}): upgrade claim-ledger"
        )
