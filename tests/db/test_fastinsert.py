"""Bulk rows with CHECK constraints tested once a batch: the same rows stored, the same error for a broken one."""

from __future__ import annotations

import pytest
from sqlalchemy import CheckConstraint, Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from ledger.db.engine import make_engine
from ledger.db.fastinsert import Rows

METADATA = MetaData()
KINDS = Table(
    "kinds", METADATA,
    Column("id", Integer, primary_key=True),
    Column("kind", String),
    Column("size", Integer),
    CheckConstraint("kind IN ('a', 'b', 'c')", name="ck_kinds_kind"),
    CheckConstraint("size > 0", name="ck_kinds_size"),
)


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(str(tmp_path / "kinds.db"))
    METADATA.create_all(engine)
    yield engine
    engine.dispose()


def stored(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(KINDS).order_by(KINDS.c.id))]


def test_rows_checked_per_batch_stores_what_passes(engine):
    with engine.begin() as connection:
        Rows(connection, KINDS, checked_per_batch=True).execute([(1, "a", 3), (2, "c", None), (3, None, 1)])
    assert stored(engine) == [(1, "a", 3), (2, "c", None), (3, None, 1)]


@pytest.mark.parametrize("broken", [(5, "z", 1), (5, "a", 0)])
def test_a_broken_row_fails_as_sqlite_fails_it_and_nothing_is_kept(engine, broken):
    messages = []
    for checked_per_batch in (False, True):
        with pytest.raises(IntegrityError) as error:
            with engine.begin() as connection:
                Rows(connection, KINDS, checked_per_batch=checked_per_batch).execute([(4, "b", 2), broken, (6, "a", 1)])
        messages.append(str(error.value.orig))
    assert messages[0] == messages[1]
    assert messages[1].startswith("CHECK constraint failed: ck_kinds_")
    assert stored(engine) == []


def test_checks_apply_again_after_a_batch(engine):
    with engine.begin() as connection:
        Rows(connection, KINDS, checked_per_batch=True).execute([(1, "a", 1)])
        with pytest.raises(IntegrityError, match="ck_kinds_kind"):
            connection.execute(insert(KINDS), {"id": 2, "kind": "z", "size": 1})


NOTES = Table(
    "notes", METADATA,
    Column("id", Integer, primary_key=True),
    Column("body", String),
    Column("size", Integer),
    CheckConstraint("body IS NULL OR size > 0", name="ck_notes_sized"),  # one check, with an OR in it
)


def test_a_single_check_with_or_is_tested_whole(engine):
    with engine.begin() as connection:
        Rows(connection, NOTES, checked_per_batch=True).execute([(1, None, 0), (2, "x", 3)])
    with pytest.raises(IntegrityError, match="ck_notes_sized"):
        with engine.begin() as connection:
            Rows(connection, NOTES, checked_per_batch=True).execute([(3, "y", 1), (4, "z", 0)])
    with engine.connect() as connection:
        assert [tuple(row) for row in connection.execute(select(NOTES).order_by(NOTES.c.id))] == [
            (1, None, 0), (2, "x", 3)]
