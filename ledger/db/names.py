"""Names of an import: entities and the aliases that resolve each way a subject is written to one of them.

Every alias is loaded once into a map by name key. A subject first met in a
claim batch becomes an entity written with that batch (numbered here on
SQLite, drawn from the sequence in blocks on PostgreSQL); entity records of a file are written as they come. A new name is
cleaned and checked first (``ledger.core.naming``: blank names and words
mixing look-alike scripts are refused), and one close to a known name gets a
``near_name`` warning (``ledger.core.lookalikes``); the index of known names
is built on the first new name only, so imports that add none pay nothing.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import insert, select

from ledger.core.errors import InvalidClaimFile, InvalidName
from ledger.core.lookalikes import NameForm, NameIndex, name_form
from ledger.core.naming import refuse_confusable, shell_quoted
from ledger.core.records import ClaimRecord, EntityRecord, Location, name_key
from ledger.db.fastinsert import Rows, next_id, sequence_ids
from ledger.db.import_report import NEAR_NAME, ImportWarning
from ledger.db.models import Alias, Entity, utcnow
from ledger.db.write_context import WriteContext

NAME_CACHE = 65_536  # subject spellings kept with their name keys
ID_BLOCK = 256  # entity ids drawn from a sequence at once (the unused rest of the last block is a gap)


class Names:
    """Entity ids by name key, and the writes that add entities and aliases."""

    def __init__(self, context: WriteContext):
        self.context = context
        self._entities: dict[str, int] = {
            key: entity_id for key, entity_id in context.connection.execute(select(Alias.alias_key, Alias.entity_id))
        }
        self._key = lru_cache(maxsize=NAME_CACHE)(name_key)
        self._new_entities: list[tuple[int, str]] = []  # (id, name) of a claim batch's new subjects
        self._new_aliases: list[tuple[str, str, int]] = []  # (alias, key, entity id)
        self._next_entity_id: int | None = None
        self._drawn_ids: list[int] = []  # from the sequence, next last
        self._sequence = context.connection.dialect.name == "postgresql"
        self._index: NameIndex | None = None  # known names, for near-name warnings: built on the first new name
        self._entity_names: dict[int, str] = {}  # names of entities met (created, or looked up for a message)
        connection = context.connection  # a claim batch's new entities and aliases go to the driver as tuples
        self._entity_rows = Rows(connection, Entity.__table__, ("recorded_at",), ("id", "name", "recorded_at"))
        self._alias_rows = Rows(
            connection, Alias.__table__, ("recorded_at",), ("alias", "alias_key", "entity_id", "recorded_at")
        )

    def add_entity(self, record: EntityRecord) -> int:
        """Create (or extend) an entity; an alias may not already name another entity."""
        name = _checked(record.name, "entity name", record.location, "name")
        entity_id = self._entities.get(name_key(name))
        if entity_id is None:
            entity_id = self._new_entity(name, record.location, "name")
        aliases = [_checked(alias, "alias", record.location, "aliases") for alias in record.aliases]
        for alias in aliases:
            self.add_alias(alias, entity_id, record)
        return entity_id

    def add_alias(self, alias: str, entity_id: int, record: EntityRecord | None = None) -> None:
        key = name_key(alias)
        known = self._entities.get(key)
        if known == entity_id:
            return
        context = self.context
        if known is not None:
            where = record.location.at("aliases") if record else "alias"
            other = self._entity_name(known)
            raise InvalidClaimFile(
                f"{where}: {alias!r} already names the entity {other!r}", hint="merge_entities"
            )
        context.session.execute(insert(Alias).values(alias=alias, alias_key=key, entity_id=entity_id))
        context.journal.alias_added(key, alias, entity_id)
        self._entities[key] = entity_id
        if self._index is not None:
            self._index.add(alias, entity_id)
        context.report.aliases_added += 1

    def _new_entity(self, name: str, location: Location, field: str) -> int:
        context = self.context
        self._warn_if_near(name, location, field)
        entity_id = context.session.execute(insert(Entity).values(name=name)).inserted_primary_key[0]
        self._entity_names[entity_id] = name
        context.journal.entity_added(entity_id, name)
        context.report.entities_added += 1
        self.add_alias(name, entity_id)
        return entity_id

    def subject(self, record: ClaimRecord) -> int:
        """The entity a claim's subject names, created (with the batch) if it names none yet."""
        name = record.subject
        key = self._key(name)
        return self._entities.get(key) or self._new_subject(name, key, record.location)

    def _new_subject(self, stated: str, key: str, location: Location) -> int:
        """An entity for a subject met in a claim batch; written with the batch, before its claims."""
        context = self.context
        name = _checked(stated, "subject", location, "subject")
        if not context.numbered and not self._sequence:
            return self._new_entity(name, location, "subject")
        form = self._warn_if_near(name, location, "subject")
        entity_id = self._next_subject_id()
        self._new_entities.append((entity_id, name))
        self._new_aliases.append((name, key, entity_id))
        context.journal.entity_added(entity_id, name)
        context.journal.alias_added(key, name, entity_id)
        self._entities[key] = entity_id
        self._entity_names[entity_id] = name
        self._index.add(form, entity_id)
        context.report.entities_added += 1
        context.report.aliases_added += 1
        return entity_id

    def _next_subject_id(self) -> int:
        """Numbered here on SQLite (the writer holds the lock); drawn from the sequence in blocks on PostgreSQL."""
        if self._sequence:
            if not self._drawn_ids:
                self._drawn_ids = sequence_ids(self.context.connection, Entity.__table__, ID_BLOCK)[::-1]
            return self._drawn_ids.pop()
        if self._next_entity_id is None:
            self._next_entity_id = next_id(self.context.connection, Entity.__table__)
        self._next_entity_id += 1
        return self._next_entity_id - 1

    def _warn_if_near(self, name: str, location: Location, field: str) -> NameForm:
        """Warn (code ``near_name``) when a new subject is close to a name of a known entity; its form."""
        if self._index is None:
            self._index = NameIndex()
            for alias, entity_id in self.context.connection.execute(select(Alias.alias, Alias.entity_id)):
                self._index.add(alias, entity_id)
        form = name_form(name)
        match = next(iter(self._index.matches(form)), None)
        if match is None:
            return form
        candidate, entity_id, rule = match
        canonical = self._entity_name(entity_id)
        via = f", by its name {candidate.stated!r}" if candidate.stated != canonical else ""
        self.context.report.warn(ImportWarning(
            location, field, NEAR_NAME,
            f"new entity {name!r} is close to the entity {canonical!r} ({rule}{via}); if they are one, "
            f"run `ledger entities alias {shell_quoted(name)} {shell_quoted(canonical)}`",
        ))
        return form

    def _entity_name(self, entity_id: int) -> str:
        name = self._entity_names.get(entity_id)
        if name is None:
            name = self.context.connection.execute(select(Entity.name).where(Entity.id == entity_id)).scalar_one()
            self._entity_names[entity_id] = name
        return name

    def write_subjects(self) -> None:
        """Write the entities (and aliases) a claim batch created, before its claims."""
        if self._new_entities:
            stamp = self._entity_rows.value("recorded_at", utcnow())
            self._entity_rows.execute([(*entity, stamp) for entity in self._new_entities])
            self._alias_rows.execute([(*alias, stamp) for alias in self._new_aliases])
            self._new_entities, self._new_aliases = [], []
        self._next_entity_id = None  # re-read next batch: entity records may have added some since


def _checked(name: str, what: str, location: Location, field: str) -> str:
    """``name`` cleaned (``ledger.core.naming``); a blank or confusable one is an error naming its place."""
    try:
        return refuse_confusable(name, what)
    except InvalidName as error:
        raise InvalidClaimFile(f"{location.at(field)}: {error}") from None

