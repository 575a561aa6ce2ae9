"""SQLAlchemy models: the tables analysts query, named plainly and kept stable.

Every table here is created by an alembic revision under ``migrations/``;
``alembic check`` (run by the tests) proves the two agree.

Numbers in ``readings`` are floats (``Float``: REAL on SQLite, double precision
on PostgreSQL), although the core reads values as Decimals. This is a decision:

* readings are derived: what a claim states is kept as text, and
  ``read_claim`` gives the exact Decimal reading again at any time
  (``ledger parse``, ``ledger renormalise``), so storing floats loses nothing
  stated;
* the columns are for analysts' SQL, pandas and Datasette, where REAL
  compares, sorts and sums as a number on both engines; SQLite has no decimal
  type (a ``Numeric`` column there is REAL again, or text that sorts as text);
* a double holds every whole number below 2**53 exactly and about 15
  significant digits otherwise, more than any stated figure carries ("10.8
  million" has three); equal Decimals become equal floats, so intervals that
  touch still touch, and severity is a ratio used for ranking.

Changing to ``Numeric`` would take a migration and behave differently on the
two engines for no difference an analyst could see.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


INACTIVE = "status != 'active'"  # the claims ``ix_claims_status`` holds (a query must say so to use it)
CORRECTING = "supersedes_id IS NOT NULL"  # the claims ``ix_claims_supersedes_id`` holds


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Source(Base):
    """One article (or website, or dataset) that claims come from."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(
            "published_precision IN ('day', 'month', 'year')", name="published_precision"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String, unique=True)
    title: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String)  # as precise as stated: 2021, 2021-09, 2021-09-17
    published_precision: Mapped[str | None] = mapped_column(String)
    language: Mapped[str] = mapped_column(String, default="en")
    text: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String, unique=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Entity(Base):
    """A canonical subject: a person, organisation, deal or event."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Alias(Base):
    """A way a subject is written; ``alias_key`` is its normalised form, unique."""

    __tablename__ = "aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alias: Mapped[str] = mapped_column(Text)
    alias_key: Mapped[str] = mapped_column(Text, unique=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Attribute(Base):
    """What a claim measures, with the kind of value it takes and how to compare it."""

    __tablename__ = "attributes"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('quantity', 'money', 'date', 'text', 'time', 'identifier', 'names')", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    kind: Mapped[str] = mapped_column(String)
    description: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # None means the default for the kind (see ``ledger.db.conflicts.attribute_rules``)
    single_valued: Mapped[bool | None] = mapped_column(Boolean)
    timeless: Mapped[bool | None] = mapped_column(Boolean)
    tolerance: Mapped[str | None] = mapped_column(String)  # "5%", "3d", "10min" (``parse_tolerance``); None: none


class Claim(Base):
    """A dated claim as stated in its source. Stated fields are never updated."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'retracted', 'superseded')", name="status"),
        Index("ix_claims_entity_attribute", "entity_id", "attribute_id"),
        # Deduplication looks claims up by fingerprint: 8 bytes of the hash find them (``FINGERPRINT_PREFIX``)
        # in an index a quarter the size of one on all 64 characters (migration 0011).
        Index("ix_claims_fingerprint_prefix", text("substr(fingerprint, 1, 16)")),
        # Nearly every claim is active and supersedes none: the indexes hold only the others (migration 0013);
        # their condition on PostgreSQL is given by ``declare_postgresql_conditions``.
        Index("ix_claims_status", "status", sqlite_where=text(INACTIVE)),
        Index("ix_claims_supersedes_id", "supersedes_id", sqlite_where=text(CORRECTING)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str | None] = mapped_column(String, unique=True)
    fingerprint: Mapped[str] = mapped_column(String)  # sha256 of the stated content
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    subject: Mapped[str] = mapped_column(Text)  # as written
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attributes.id"), index=True)
    value: Mapped[str] = mapped_column(Text)  # exactly as stated
    when_stated: Mapped[str | None] = mapped_column(Text)  # the time the claim is about, as stated
    quote: Mapped[str | None] = mapped_column(Text)
    attributed_to: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String, default="active")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))  # the claim this one corrects
    # What the parser made of the claim (derived: ``ledger renormalise`` may point it elsewhere); None: not read yet
    reading_id: Mapped[int | None] = mapped_column(ForeignKey("distinct_readings.id"))


def declare_postgresql_conditions() -> None:
    """Give the partial indexes of ``claims`` their condition on PostgreSQL too, as migration 0013 made them.

    Not in ``Claim.__table_args__``: naming a ``postgresql_`` option makes SQLAlchemy import its PostgreSQL
    dialect to check the name, ~55 ms of every command's start-up on SQLite. Only alembic's comparison of
    the models with a database reads the condition (``migrations/env.py`` calls this); repeating it is harmless.
    """
    for index in Claim.__table__.indexes:
        if (condition := index.dialect_options["sqlite"]["where"]) is not None:
            index.dialect_kwargs["postgresql_where"] = condition


class Reading(Base):
    """What the parser made of a value and a time: derived, recomputable, stored once per distinct reading.

    Claims point to their reading (``claims.reading_id``); claims read alike
    share a row, since bulk data states the same figures again and again
    (migration 0011). The view ``readings`` shows one row per claim, as the
    table of that name did before. Numbers are in the stated currency/unit;
    ``base_*`` is money in the base currency at the claim's dates, with the
    rates used.
    """

    __tablename__ = "distinct_readings"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('quantity', 'money', 'date', 'text', 'time', 'identifier', 'names', 'unparsed')",
            name="kind",
        ),
        CheckConstraint("time_basis IN ('stated', 'published', 'none')", name="time_basis"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parser_version: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    qualifier: Mapped[str | None] = mapped_column(String)
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    low_open: Mapped[bool] = mapped_column(Boolean, default=False)
    high_open: Mapped[bool] = mapped_column(Boolean, default=False)
    low_date: Mapped[date | None] = mapped_column(Date)
    high_date: Mapped[date | None] = mapped_column(Date)
    unit: Mapped[str | None] = mapped_column(String)
    currency: Mapped[str | None] = mapped_column(String)
    period: Mapped[str | None] = mapped_column(String)
    text_norm: Mapped[str | None] = mapped_column(Text)
    base_currency: Mapped[str | None] = mapped_column(String)
    base_low: Mapped[float | None] = mapped_column(Float)
    base_high: Mapped[float | None] = mapped_column(Float)
    rate_low: Mapped[float | None] = mapped_column(Float)
    rate_high: Mapped[float | None] = mapped_column(Float)
    rate_from: Mapped[date | None] = mapped_column(Date)
    rate_to: Mapped[date | None] = mapped_column(Date)
    rate_source: Mapped[str | None] = mapped_column(String)
    time_low: Mapped[date | None] = mapped_column(Date)
    time_high: Mapped[date | None] = mapped_column(Date)
    time_basis: Mapped[str] = mapped_column(String)
    alternatives: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of readings
    notes: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of plain-words steps
    warning: Mapped[str | None] = mapped_column(Text)
    read_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ConflictPhrase(Base):
    """A phrase reasons are made of: a claim's label ("2011-12-01 14:06 (2:06 PM)") or a gap ("9 minutes apart").

    Stored once, pointed to by every pair that uses it (migration 0012); the
    ``conflicts`` view joins a pair's reason back together.
    """

    __tablename__ = "conflict_phrases"
    # Looked up by their start: a whole phrase may exceed what a PostgreSQL index entry holds.
    __table_args__ = (Index("ix_conflict_phrases_prefix", text("substr(phrase, 1, 64)")),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phrase: Mapped[str] = mapped_column(Text)


class ConflictScan(Base):
    """When a conflict scan ran: the ``detected_at`` of every pair it wrote."""

    __tablename__ = "conflict_scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    detected_at: Mapped[datetime] = mapped_column(DateTime)


class StoredConflict(Base):
    """A pair of claims found to conflict (or to be incomparable), kept current by every write.

    What the ``conflicts`` view reads: its reason as phrases (``first_label`` vs
    ``second_label``: ``gap``; a reason not of that shape is whole in ``gap``, the
    labels empty) and its ``detected_at`` by scan. ``id`` is stable: derived
    from the two claims' identities, never from row ids.
    """

    __tablename__ = "stored_conflicts"
    __table_args__ = (
        CheckConstraint("nature IN ('conflict', 'incomparable')", name="nature"),
        Index("ix_stored_conflicts_entity_attribute", "entity_id", "attribute_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    nature: Mapped[str] = mapped_column(String)
    claim_a_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    claim_b_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attributes.id"))
    first_label_id: Mapped[int | None] = mapped_column(ForeignKey("conflict_phrases.id"))
    second_label_id: Mapped[int | None] = mapped_column(ForeignKey("conflict_phrases.id"))
    gap_id: Mapped[int] = mapped_column(ForeignKey("conflict_phrases.id"))
    severity: Mapped[float] = mapped_column(Float, index=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("conflict_scans.id"))


class ViewBase(DeclarativeBase):
    """Views the code reads as it reads tables; made by migrations, not by ``Base.metadata``."""


class Conflict(ViewBase):
    """The ``conflicts`` view: a stored pair with its reason and ``detected_at`` as one row (read-only).

    Writes go to ``StoredConflict``.
    """

    __tablename__ = "conflicts"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    nature: Mapped[str] = mapped_column(String)
    claim_a_id: Mapped[int] = mapped_column(Integer)
    claim_b_id: Mapped[int] = mapped_column(Integer)
    entity_id: Mapped[int] = mapped_column(Integer)
    attribute_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    severity: Mapped[float] = mapped_column(Float)
    detected_at: Mapped[datetime] = mapped_column(DateTime)


class Verdict(Base):
    """An analyst's triage of a conflict; the latest per conflict id counts. Never edited."""

    __tablename__ = "conflict_verdicts"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'confirmed', 'dismissed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conflict_id: Mapped[str] = mapped_column(String, index=True)
    status: Mapped[str] = mapped_column(String)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String)
    claim_a: Mapped[str] = mapped_column(Text)  # the two claims' identities, kept for stale verdicts
    claim_b: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Correction(Base):
    """A retraction or supersession of a claim; the claim's own row is never edited."""

    __tablename__ = "corrections"
    __table_args__ = (CheckConstraint("action IN ('retract', 'supersede')", name="action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    action: Mapped[str] = mapped_column(String)
    new_claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class JournalEntry(Base):
    """One change the ledger made, chained to the previous entry by its hash."""

    __tablename__ = "journal"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    recorded_at: Mapped[str] = mapped_column(String)  # ISO text, exactly as hashed
    actor: Mapped[str] = mapped_column(String)
    operation: Mapped[str] = mapped_column(String, index=True)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String)
    hash: Mapped[str] = mapped_column(String, unique=True)


class ReliabilityEstimate(Base):
    """Source reliability estimated over the whole ledger, kept by ``ledger estimate``.

    Derived data, like ``conflicts``: it records the journal head it was
    estimated at and is used only while the ledger is still at that head.
    One row per way of judging (``judge``) and set of method options.
    """

    __tablename__ = "reliability_estimates"
    __table_args__ = (UniqueConstraint("judge", "options"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    judge: Mapped[str] = mapped_column(String)
    options: Mapped[str] = mapped_column(Text)  # canonical JSON of the method's options
    journal_seq: Mapped[int] = mapped_column(Integer)
    journal_hash: Mapped[str] = mapped_column(String)
    items: Mapped[int] = mapped_column(Integer)
    estimates: Mapped[str] = mapped_column(Text)  # JSON: copy groups, votes, offsets, source reports
    estimated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Passage(Base):
    """What full-text search finds (derived): a source's title, a paragraph of its text, or a quote.

    Quotes are passages only for sources without text (with text, the
    paragraph holding the quote is the passage). The search index itself is
    engine-specific and made by migration 0008: an FTS5 table
    ``passages_fts`` on SQLite, a ``search_vector`` column with a GIN index on
    PostgreSQL.
    """

    __tablename__ = "passages"
    __table_args__ = (CheckConstraint("kind IN ('title', 'text', 'quote')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    kind: Mapped[str] = mapped_column(String)
    position: Mapped[int | None] = mapped_column(Integer)  # paragraph number (title: 0)
    text_start: Mapped[int | None] = mapped_column(Integer)  # the paragraph's span in the source's text
    text_end: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
