"""Names of an import: entities and the aliases that resolve each way a subject is written to one of them.

Every alias is loaded once into a map by name key. A subject first met in a
claim batch becomes an entity written with that batch (numbered here on
SQLite); entity records of a file are written as they come.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import insert, select

from ledger.core.errors import InvalidClaimFile
from ledger.core.records import EntityRecord, name_key
from ledger.db.fastinsert import next_id
from ledger.db.models import Alias, Entity
from ledger.db.write_context import WriteContext

NAME_CACHE = 65_536  # subject spellings kept with their name keys


class Names:
    """Entity ids by name key, and the writes that add entities and aliases."""

    def __init__(self, context: WriteContext):
        self.context = context
        self._entities: dict[str, int] = {
            key: entity_id for key, entity_id in context.connection.execute(select(Alias.alias_key, Alias.entity_id))
        }
        self._key = lru_cache(maxsize=NAME_CACHE)(name_key)
        self._new_entities: list[dict] = []
        self._new_aliases: list[dict] = []
        self._next_entity_id: int | None = None

    def add_entity(self, record: EntityRecord) -> int:
        """Create (or extend) an entity; an alias may not already name another entity."""
        entity_id = self._entities.get(name_key(record.name))
        if entity_id is None:
            entity_id = self._new_entity(record.name)
        for alias in record.aliases:
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
            other = context.session.get(Entity, known).name
            raise InvalidClaimFile(
                f"{where}: {alias!r} already names the entity {other!r}", hint="merge_entities"
            )
        context.session.execute(insert(Alias).values(alias=alias, alias_key=key, entity_id=entity_id))
        context.journal.alias_added(key, alias, entity_id)
        self._entities[key] = entity_id
        context.report.aliases_added += 1

    def _new_entity(self, name: str) -> int:
        context = self.context
        entity_id = context.session.execute(insert(Entity).values(name=name)).inserted_primary_key[0]
        context.journal.entity_added(entity_id, name)
        context.report.entities_added += 1
        self.add_alias(name, entity_id)
        return entity_id

    def subject(self, name: str) -> int:
        """The entity a claim's subject names, created (with the batch) if it names none yet."""
        key = self._key(name)
        return self._entities.get(key) or self._new_subject(name, key)

    def _new_subject(self, name: str, key: str) -> int:
        """An entity for a subject met in a claim batch; written with the batch, before its claims."""
        context = self.context
        if not context.numbered:
            return self._new_entity(name)
        if self._next_entity_id is None:
            self._next_entity_id = next_id(context.connection, Entity.__table__)
        entity_id = self._next_entity_id
        self._next_entity_id += 1
        self._new_entities.append(dict(id=entity_id, name=name))
        self._new_aliases.append(dict(alias=name, alias_key=key, entity_id=entity_id))
        context.journal.entity_added(entity_id, name)
        context.journal.alias_added(key, name, entity_id)
        self._entities[key] = entity_id
        context.report.entities_added += 1
        context.report.aliases_added += 1
        return entity_id

    def write_subjects(self) -> None:
        """Write the entities (and aliases) a claim batch created, before its claims."""
        if self._new_entities:
            connection = self.context.connection
            connection.execute(insert(Entity.__table__), self._new_entities)
            connection.execute(insert(Alias.__table__), self._new_aliases)
            self._new_entities, self._new_aliases = [], []
        self._next_entity_id = None  # re-read next batch: entity records may have added some since
