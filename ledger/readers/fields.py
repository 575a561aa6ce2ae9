"""The field rules every claim reader shares, whatever the file type.

A reader (YAML mapping, JSON object, CSV row) exposes one record's fields
through a ``FieldReader`` (``text``, ``flag``, ``texts``, ``error``), and the
record builders here turn them into records, so a field means and is checked
the same in every format and every error names file, line and field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Union

from ledger.core.comparability import parse_tolerance
from ledger.core.errors import InvalidClaimFile, InvalidDate, InvalidTolerance
from ledger.core.readings import ATTRIBUTE_KINDS, parse_partial_date
from ledger.core.records import COMMAND_LINE, AttributeRecord, ClaimRecord, EntityRecord, Location, SourceRecord
from ledger.core.safe_text import FREE_TEXT_FIELDS, NAME_REFUSED, text_problem
from ledger.readers.articles import read_article

Record = Union[SourceRecord, EntityRecord, AttributeRecord, ClaimRecord]
MAX_FIELD_CHARS = 1_000_000  # a quote or title longer than this is not a claim file mistake we should store

SOURCE_FIELDS = {"key", "title", "outlet", "author", "published", "url", "language", "text_file"}
ENTITY_FIELDS = {"name", "aliases"}
ATTRIBUTE_FIELDS = {"name", "kind", "description", "single_valued", "timeless", "tolerance"}
CLAIM_FIELDS = {"ref", "source", "subject", "attribute", "value", "when", "quote", "attributed_to"}

#: Half of a UTF-16 surrogate pair ("\ud800" written as an escape): not a character, and no database can store it.
SURROGATE = re.compile("[\ud800-\udfff]")


class FieldReader:
    """What every record reader shares, whatever the file type: errors naming the field, text checked alike."""

    __slots__ = ()
    location: Location

    def error(self, field_name: str | None, message: str) -> InvalidClaimFile:
        return InvalidClaimFile(f"{self.location.at(field_name)}: {message}")

    def unknown_field(self, key, allowed: set[str]) -> InvalidClaimFile:
        return self.error(None, f"unknown field {key!r}; expected one of: {', '.join(sorted(allowed))}")

    def checked_text(self, name: str, value: str | None, required: bool) -> str | None:
        """``value`` (None when the field is missing) stripped; None when blank, unless ``required``."""
        if value is None:
            if required:
                raise self.error(name, "is required")
            return None
        value = value.strip()
        if not value:
            if required:
                raise self.error(name, "must not be empty")
            return None
        if len(value) > MAX_FIELD_CHARS:
            raise self.error(name, f"is longer than {MAX_FIELD_CHARS:,} characters")
        if problem := text_problem(value, free_text=name in FREE_TEXT_FIELDS):
            raise self.error(name, problem)
        return value

    def checked_names(self, name: str, values: list[str]) -> tuple[str, ...]:
        """A list of names (aliases), each stripped and checked like a name field."""
        names = tuple(value.strip() for value in values)
        for value in names:
            if problem := text_problem(value):
                raise self.error(name, problem)
        return names


class DictFields(FieldReader):
    """One JSON object or CSV row, with the typed accessors (and messages) of a YAML record."""

    __slots__ = ("location", "fields")

    def __init__(self, fields: dict, location: Location, allowed: set[str] | None = None):
        self.location = location
        self.fields = fields
        if allowed is not None:
            for key in fields:
                if key not in allowed:
                    raise self.unknown_field(key, allowed)

    def text(self, name: str, required: bool = False) -> str | None:
        """A text field; JSON numbers arrive as the text they were written as (``2012`` is "2012")."""
        value = self.fields.get(name)
        if value is not None and type(value) is not str:
            if isinstance(value, bool):
                raise self.error(name, f"must be text, not {str(value).lower()}; put it in quotes")
            raise self.error(name, "must be a single value (text), not a list or mapping")
        return self.checked_text(name, value, required)

    def flag(self, name: str) -> bool | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error(name, "must be true or false")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.fields.get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            raise self.error(name, "must be a list of names, e.g. [\"Wagner\", \"Wagner Group\"]")
        return self.checked_names(name, value)


def passes_text_checks(texts: list[str]) -> bool:
    """Whether every one of ``texts`` passes every field's text checks, tested at once on them joined.

    No character a name may not hold (free text refuses fewer) and no more
    than a field may hold, all together: bulk files are almost all such records.
    """
    joined = "".join(texts)
    return len(joined) <= MAX_FIELD_CHARS and NAME_REFUSED.search(joined) is None


class CheckedFields(DictFields):
    """A JSON object whose values are all text that ``passes_text_checks``: a filled field is only stripped."""

    __slots__ = ()

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.fields.get(name)
        if value is not None and (stripped := value.strip()):
            return stripped
        return super().text(name, required)  # missing or blank: None, or the error


def source_record(record: FieldReader, base: Path) -> SourceRecord:
    """A source from one record's fields (YAML mapping, JSON object): the rules every format shares.

    ``record`` has ``text``, ``flag``, ``texts`` and ``error``;
    ``text_file`` is read relative to ``base``.
    """
    published_text = record.text("published")
    try:
        published = parse_partial_date(published_text) if published_text else None
    except InvalidDate as exc:
        raise record.error("published", str(exc)) from None
    text = None
    text_file = record.text("text_file")
    if text_file:
        text = read_article(base, text_file, record)
    return SourceRecord(
        key=record.text("key", required=True),
        title=record.text("title", required=True),
        outlet=record.text("outlet"),
        author=record.text("author"),
        published=published,
        url=record.text("url"),
        language=record.text("language") or "en",
        text=text,
        location=record.location,
    )


def entity_record(record: FieldReader) -> EntityRecord:
    return EntityRecord(record.text("name", required=True), record.texts("aliases"), record.location)


def attribute_record(record: FieldReader) -> AttributeRecord:
    kind = record.text("kind", required=True)
    if kind not in ATTRIBUTE_KINDS:
        raise record.error("kind", f"{kind!r} is not a kind; use one of {', '.join(ATTRIBUTE_KINDS)}")
    return AttributeRecord(
        name=record.text("name", required=True),
        kind=kind,
        description=record.text("description"),
        single_valued=record.flag("single_valued"),
        timeless=record.flag("timeless"),
        tolerance=_tolerance(record, kind),
        location=record.location,
    )


def _tolerance(record: FieldReader, kind: str) -> str | None:
    """The tolerance as stored, "" when the file states zero, None when it states none."""
    text = record.text("tolerance")
    if text is None:
        return None
    try:
        return parse_tolerance(text, kind) or ""
    except InvalidTolerance as exc:
        raise record.error("tolerance", str(exc)) from None


def command_line_claim(options: dict) -> ClaimRecord:
    """A claim typed as command options (None: not given), checked by the rules a file's claim is."""
    given = {name: value for name, value in options.items() if value is not None}
    return claim_record(DictFields(given, COMMAND_LINE, CLAIM_FIELDS))


def claim_record(record: FieldReader) -> ClaimRecord:
    return ClaimRecord(
        source=record.text("source", required=True),
        subject=record.text("subject", required=True),
        attribute=record.text("attribute", required=True),
        value=record.text("value", required=True),
        when=record.text("when"),
        quote=record.text("quote"),
        attributed_to=record.text("attributed_to"),
        ref=record.text("ref"),
        location=record.location,
    )
