"""Alembic environment: runs on the connection the ledger hands it, or on the configured URL."""

from alembic import context
from sqlalchemy.engine import Engine

from ledger.db.engine import make_engine
from ledger.db.models import Base, declare_postgresql_conditions

config = context.config
declare_postgresql_conditions()
target_metadata = Base.metadata


def _modelled(obj, name, type_, reflected, compare_to) -> bool:
    """Leave out what SQLAlchemy cannot model: the FTS5 table of migration 0008 and its shadow tables."""
    return not (type_ == "table" and name.startswith("passages_fts"))


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_modelled,
        render_as_batch=True,  # SQLite cannot ALTER most things in place
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if isinstance(connection, Engine):  # pytest-alembic hands over an engine
    with connection.begin() as engine_connection:
        run_migrations(engine_connection)
elif connection is not None:
    run_migrations(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        run_migrations(connection)
    engine.dispose()
