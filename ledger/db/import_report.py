"""What an import did: counts for the one-line summary, and its warnings as records.

Warnings are values (beancount's error records), not text to match: each has
the place it concerns, a code and a message, and ``str()`` gives the line the
CLI prints. Whether unread values and near names refuse an import
(``strict``) is decided here, from the codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.core.errors import NearNames, UnreadValues
from ledger.core.records import Location
from ledger.db.journal import id_runs

MAX_WARNINGS = 1_000  # warnings kept word for word; the rest are counted

UNREAD = "unread"  # a value or time the parser could not read, kept as stated
VALUE_NOT_IN_QUOTE = "value_not_in_quote"  # the stated value does not occur in the claim's quote
NEAR_NAME = "near_name"  # a new subject or attribute is close to a known one (``ledger.core.lookalikes``)


@dataclass(frozen=True)
class ImportWarning:
    """One problem found in the data that does not stop the import."""

    location: Location
    field: str  # the record's field it concerns
    code: str  # UNREAD, VALUE_NOT_IN_QUOTE or NEAR_NAME
    message: str

    def __str__(self) -> str:
        return f"{self.location.at(self.field)}: {self.message}"


@dataclass
class ImportReport:
    """What an import did, for the one-line summary and for tests."""

    sources_added: int = 0
    entities_added: int = 0
    aliases_added: int = 0
    attributes_added: int = 0
    claims_added: int = 0
    claims_known: int = 0
    added_id_runs: list[list[int]] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    warnings_omitted: int = 0  # warnings beyond MAX_WARNINGS, counted only
    unread: int = 0  # values or times kept as stated because the parser could not read them

    @property
    def changed(self) -> bool:
        return bool(
            self.sources_added
            or self.entities_added
            or self.aliases_added
            or self.attributes_added
            or self.claims_added
        )

    @property
    def added_claim_ids(self) -> list[int]:
        return [i for first, last in self.added_id_runs for i in range(first, last + 1)]

    def warn(self, warning: ImportWarning) -> None:
        if warning.code == UNREAD:
            self.unread += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(warning)
        else:
            self.warnings_omitted += 1

    def added(self, ids: list[int]) -> None:
        """Count claims just written (``ids`` ascending), extending the last run where they follow it."""
        self.claims_added += len(ids)
        for first, last in id_runs(ids):
            if self.added_id_runs and self.added_id_runs[-1][1] + 1 == first:
                self.added_id_runs[-1][1] = last
            else:
                self.added_id_runs.append([first, last])


def refuse_unread(reports: list[ImportReport]) -> None:
    """Raise UnreadValues if any report kept a value or time it could not read (a strict import).

    Call it inside the import's transaction, so the refusal rolls everything back.
    """
    unread = sum(r.unread for r in reports)
    if not unread:
        return
    shown = [w for r in reports for w in r.warnings if w.code == UNREAD]
    first = str(shown[0]) if shown else "some values or times could not be read"
    more = f" (and {unread - 1} more)" if unread > 1 else ""
    raise UnreadValues(f"{first}{more}; nothing was imported")


def refuse_near_names(reports: list[ImportReport]) -> None:
    """Raise NearNames if any report created a subject or attribute close to a known one (a strict import)."""
    near = [w for r in reports for w in r.warnings if w.code == NEAR_NAME]
    if near:
        more = f" (and {len(near) - 1} more)" if len(near) > 1 else ""
        raise NearNames(f"{near[0]}{more}; nothing was imported")


def refuse_for_strict(reports: list[ImportReport]) -> None:
    """What ``--strict`` refuses: unread values or times, and new names close to known ones."""
    refuse_unread(reports)
    refuse_near_names(reports)
