"""Independent origins: who a claim's value comes from, so one upstream is counted once.

A claim's origin is the upstream it is attributed to (``attributed_to``), else
its source's outlet, else the source itself. Names are matched by their name
key (case, accents, spacing, invisible characters ignored) and through entity
aliases: once "AFP" is an alias of "Agence France-Presse", a claim attributed
to AFP and an article of the outlet Agence France-Presse are one origin. So a
Global Research article quoting Reuters and Reuters' own report count once
in support, clusters and consensus. The sources claims cite are read as they
are met (``CitedSources``), so one subject's answer reads its own few.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ledger.core.records import name_key
from ledger.db.fastinsert import IN_CHUNK
from ledger.db.models import Alias, Entity, Source
from ledger.db.sized_statements import SizedStatement


class CitedSources:
    """Sources by id as (key, outlet, published), read as the claims citing them are met: one subject's few, not
    a bulk ledger's tens of thousands. ``outlets`` (by key) is what ``Origins`` reads of them."""

    COLUMNS = (Source.id, Source.key, Source.outlet, Source.published)

    def __init__(self, connection: Connection):
        self._connection = connection
        self.by_id: dict[int, tuple] = {}
        self.outlets: dict[str, str | None] = {}
        self._read = SizedStatement(connection, lambda ids: select(*self.COLUMNS).where(Source.id.in_(ids)))

    def know(self, source_ids: set[int]) -> None:
        """Read the sources of ``source_ids`` not read yet."""
        missing = sorted(source_ids.difference(self.by_id))
        for start in range(0, len(missing), IN_CHUNK):
            self._keep(self._read.rows(missing[start : start + IN_CHUNK]))

    def know_all(self) -> None:
        """Read every source at once: for a scan of the whole ledger, which cites them all."""
        self._keep(self._connection.execute(select(*self.COLUMNS)))

    def _keep(self, rows) -> None:
        for source_id, key, outlet, published in rows:
            self.by_id[source_id] = key, outlet, published
            self.outlets[key] = outlet


class Origins:
    """Origins of claims, named as shown: an entity's canonical name, or the name as first met, or a source key."""

    def __init__(self, connection: Connection, outlets: dict[str, str | None]):
        """``outlets``: by source key, the outlet of every source asked about (``CitedSources.outlets``, filled
        as the caller reads the sources its claims cite)."""
        self._connection = connection
        self._outlets = outlets
        self._named: dict[str, str] = {}  # name key -> origin
        self._as_written: dict[str, str] = {}  # name -> origin: most claims repeat a few names as written

    def of(self, attributed_to: str | None, source_key: str) -> str:
        """The origin of a claim of source ``source_key`` attributed to ``attributed_to`` (or to no one)."""
        name = attributed_to or self._outlets.get(source_key)
        return self.named(name) if name else source_key

    def named(self, name: str) -> str:
        origin = self._as_written.get(name)
        if origin is None:
            key = name_key(name)
            origin = self._named.get(key)
            if origin is None:
                entity = self._connection.execute(
                    select(Entity.name).join(Alias, Alias.entity_id == Entity.id).where(Alias.alias_key == key)
                ).scalar_one_or_none()
                origin = self._named[key] = entity or name.strip()
            self._as_written[name] = origin
        return origin
