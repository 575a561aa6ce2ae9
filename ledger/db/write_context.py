"""What every part of an import shares: the transaction, its journal, and the report of the current stream."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ledger.db.import_report import ImportReport
from ledger.db.journal import Journal


@dataclass
class WriteContext:
    session: Session
    journal: Journal
    report: ImportReport = field(default_factory=ImportReport)  # replaced for each stream fed
    #: Indexes of ``claims`` a bulk load set aside (``bulk_indexes``): name -> CREATE INDEX statement.
    set_aside: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.connection: Connection = self.session.connection()
        # SQLite: this transaction holds the write lock, so ids can be numbered here and no
        # RETURNING is needed; other databases get them back from the insert.
        self.numbered: bool = self.connection.dialect.name == "sqlite"

    def readable(self, index: str) -> None:
        """Build ``index`` now if a bulk load set it aside: a lookup is about to read it."""
        statement = self.set_aside.pop(index, None)
        if statement is not None:
            self.connection.exec_driver_sql(statement)
