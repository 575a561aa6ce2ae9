"""A PostgreSQL role for analysts that can only read the ledger (``ledger grant-reader``).

Whatever the analyst's SQL does, the server checks this role's privileges:
it may log in, connect to the ledger's database, use its schema and SELECT
each of the ledger's tables and views (those now there, and those later
migrations create, through default privileges) — nothing else: no superuser,
no role or database creation, no inherited privileges, no writes, no server
files or programs. Its sessions also start read-only.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect, text

from ledger.core.errors import DatabaseError
from ledger.core.limits import ROLE_NAME
from ledger.db.access import Ledger, describe_database_error

ROLE_EXISTS = "SELECT 1 FROM pg_roles WHERE rolname = :role"


def reader_role_sql(ledger: Ledger, role: str) -> list[str]:
    """The statements that create ``role`` as a reader of this ledger (identifiers quoted by the dialect)."""
    if ledger.url.get_backend_name() != "postgresql":
        raise DatabaseError(
            "grant-reader makes PostgreSQL roles; a SQLite ledger is protected by file permissions, "
            "and `ledger sql` opens it read-only"
        )
    with ledger.engine.connect() as connection:
        inspector = inspect(connection)
        schema = inspector.default_schema_name
        names = sorted(inspector.get_table_names(schema) + inspector.get_view_names(schema))
        database = connection.exec_driver_sql("SELECT current_database()").scalar_one()
    quote = ledger.engine.dialect.identifier_preparer.quote_identifier
    reader, schema = quote(role), quote(schema)
    return [
        f"CREATE ROLE {reader} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS",
        f"ALTER ROLE {reader} SET default_transaction_read_only = on",
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {reader}",
        f"GRANT USAGE ON SCHEMA {schema} TO {reader}",
        *(f"GRANT SELECT ON {schema}.{quote(name)} TO {reader}" for name in names),
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {reader}",
    ]


def create_reader_role(ledger: Ledger, role: str) -> list[str]:
    """Run ``reader_role_sql`` in one transaction; refuse a role that already exists (its privileges are unknown)."""
    statements = reader_role_sql(ledger, role)
    try:
        with ledger.engine.begin() as connection:
            if connection.execute(text(ROLE_EXISTS), {"role": role}).first():
                raise DatabaseError(
                    f"role {role} already exists, with privileges grant-reader cannot vouch for; "
                    "choose a new name, or drop it first"
                )
            for statement in statements:
                connection.exec_driver_sql(statement)
    except sa_exc.DBAPIError as error:  # e.g. permission denied to create role
        raise describe_database_error(ledger.target, error) from None
    return statements
