"""Records read from claim files or typed on the command line, before they reach the database.

Each record carries its ``Location`` so every error can name file, line and field.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field

from ledger.core.digests import stated_fingerprint
from ledger.core.naming import invisible
from ledger.core.readings import PartialDate


@dataclass(frozen=True)
class Location:
    """Where a record came from: ``claims.yaml:42 claims[3]``."""

    file: str
    record: str
    line: int | None = None

    def at(self, field_name: str | None = None) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = f"{self.record}.{field_name}" if field_name else self.record
        return f"{where}: {what}"


COMMAND_LINE = Location("command line", "claim")


@dataclass(frozen=True)
class SourceRecord:
    key: str
    title: str
    outlet: str | None = None
    author: str | None = None
    published: PartialDate | None = None
    url: str | None = None
    language: str = "en"
    text: str | None = None
    location: Location = COMMAND_LINE

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.text.encode()).hexdigest() if self.text is not None else None


@dataclass(frozen=True)
class EntityRecord:
    name: str
    aliases: tuple[str, ...] = ()
    location: Location = COMMAND_LINE


@dataclass(frozen=True)
class AttributeRecord:
    name: str
    kind: str
    description: str | None = None
    single_valued: bool | None = None  # None: the default for its kind
    timeless: bool | None = None
    tolerance: str | None = None  # as stored ("5%", "3d"); "" states none (clears one); None: not stated
    location: Location = COMMAND_LINE


@dataclass(frozen=True)
class ClaimRecord:
    source: str
    subject: str
    attribute: str
    value: str
    when: str | None = None
    quote: str | None = None
    attributed_to: str | None = None
    ref: str | None = None
    location: Location = COMMAND_LINE

    @property
    def fingerprint(self) -> str:
        """sha256 of what the claim states: its identity when it has no ``ref``."""
        return stated_fingerprint(
            self.source, self.subject, self.attribute, self.value, self.when, self.quote
        )

    @property
    def identity(self) -> str:
        return claim_identity(self.ref, self.fingerprint)


def claim_identity(ref: str | None, fingerprint: str) -> str:
    """A claim's stable identity: its ``ref``, or the hash of its stated content."""
    return f"ref:{ref}" if ref else f"sha256:{fingerprint}"


@dataclass
class Bundle:
    """Everything one claim file (or one command) asks the ledger to record."""

    sources: list[SourceRecord] = field(default_factory=list)
    entities: list[EntityRecord] = field(default_factory=list)
    attributes: list[AttributeRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)


def name_key(name: str) -> str:
    """How subject names are matched: case, accents, dashes, spacing and invisible characters ignored."""
    if name.isascii():  # ASCII has no accents, dashes other than "-" or invisible characters: only case and spacing
        return " ".join(name.casefold().split())
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and not invisible(ch))
    for dash in "‐‑‒–—―−":
        stripped = stripped.replace(dash, "-")
    return " ".join(stripped.casefold().split())
