"""Attributes of an import: created from attribute records or inferred from a claim's value; rules applied.

A name is cleaned before it is looked up (``ledger.core.naming``); a new one
that mixes look-alike scripts is refused, and one close to a known attribute
(``troop_deployed`` beside ``troops_deployed``) gets a ``near_name`` warning.
"""

from __future__ import annotations

from sqlalchemy import insert, select

from ledger.core.errors import InvalidClaimFile, InvalidName
from ledger.core.lookalikes import name_form, near
from ledger.core.naming import clean_name, refuse_confusable
from ledger.core.normalise import ReadingParts, read_claim
from ledger.core.records import AttributeRecord, ClaimRecord, Location
from ledger.db.import_report import NEAR_NAME, ImportWarning
from ledger.db.journal import Journal
from ledger.db.models import Attribute
from ledger.db.source_writer import SourceInfo
from ledger.db.write_context import WriteContext

#: Kinds an attribute created for a claim may be inferred as; any other reading makes it ``text``.
INFERRED_KINDS = ("quantity", "money", "date")


class Attributes:
    """Attributes by name (id and kind), and the writes that add them or change their rules."""

    def __init__(self, context: WriteContext, parts: ReadingParts):
        self.context = context
        self._parts = parts  # how values are read when a kind is inferred
        self.touched: set[int] = set()  # attributes whose rules changed: their groups' conflicts are refreshed
        self._known: dict[str, tuple[int, str]] = {
            name: (attr_id, kind)
            for attr_id, name, kind in context.connection.execute(select(Attribute.id, Attribute.name, Attribute.kind))
        }

    def kinds(self) -> dict[str, str]:
        """The kind of every attribute known so far, by name."""
        return {name: kind for name, (_, kind) in self._known.items()}

    def add(self, record: AttributeRecord) -> None:
        """Create an attribute, or apply the comparison rules the file sets for a known one."""
        known = self._known.get(record.name) or self._known.get(clean_name(record.name))
        if known is None:
            name = self._new_name(record.name, record.location, "name")
            self._create(name, record.kind, record.description, record.single_valued, record.timeless,
                         record.tolerance or None)
            return
        if known[1] != record.kind:
            raise InvalidClaimFile(
                f"{record.location.at('kind')}: attribute {record.name!r} is already of kind "
                f"{known[1]!r}, not {record.kind!r}; use another attribute name"
            )
        if set_attribute_rules(self.context.journal, known[0], record.single_valued, record.timeless, record.tolerance):
            self.touched.add(known[0])

    def of(self, record: ClaimRecord, source: SourceInfo) -> tuple[int, str]:
        """The claim's attribute (id, kind); an unknown one is created with its kind inferred from the value."""
        known = self._known.get(record.attribute) or self._known.get(clean_name(record.attribute))
        if known is not None:
            return known
        name = self._new_name(record.attribute, record.location, "attribute")
        inferred = read_claim(record.value, None, None, source.published, source.language, self._parts).value.kind
        return self._create(name, inferred if inferred in INFERRED_KINDS else "text")

    def _new_name(self, stated: str, location: Location, field: str) -> str:
        """A new attribute's name cleaned and checked, with a warning if it is close to a known one."""
        try:
            name = refuse_confusable(stated, "attribute")
        except InvalidName as error:
            raise InvalidClaimFile(f"{location.at(field)}: {error}") from None
        form = name_form(name)
        for known in self._known:
            rule = near(form, name_form(known))
            if rule:
                self.context.report.warn(ImportWarning(
                    location, field, NEAR_NAME,
                    f"new attribute {name!r} is close to the attribute {known!r} ({rule}); "
                    f"if they are one, write {known!r}",
                ))
                break
        return name

    def _create(
        self, name: str, kind: str, description: str | None = None,
        single_valued: bool | None = None, timeless: bool | None = None, tolerance: str | None = None,
    ) -> tuple[int, str]:
        context = self.context
        attr_id = context.session.execute(
            insert(Attribute).values(
                name=name, kind=kind, description=description,
                single_valued=single_valued, timeless=timeless, tolerance=tolerance,
            )
        ).inserted_primary_key[0]
        context.journal.append(
            "attribute_added",
            {"id": attr_id, "name": name, "kind": kind, "description": description,
             "single_valued": single_valued, "timeless": timeless, "tolerance": tolerance},
        )
        self._known[name] = (attr_id, kind)
        context.report.attributes_added += 1
        return attr_id, kind


def set_attribute_rules(
    journal: Journal, attribute_id: int, single_valued: bool | None, timeless: bool | None, tolerance: str | None = None
) -> bool:
    """Store (and journal) the rules that are given; return whether anything changed.

    ``tolerance`` is as stored ("5%"), "" to clear it, None to leave it.
    """
    attribute = journal.session.get(Attribute, attribute_id)
    changed = False
    for name, value in (("single_valued", single_valued), ("timeless", timeless)):
        if value is not None and getattr(attribute, name) != value:
            setattr(attribute, name, value)
            changed = True
    if tolerance is not None and attribute.tolerance != (tolerance or None):
        attribute.tolerance = tolerance or None
        changed = True
    if changed:
        journal.session.flush()
        journal.append(
            "attribute_rules_set",
            {"id": attribute.id, "single_valued": attribute.single_valued, "timeless": attribute.timeless,
             "tolerance": attribute.tolerance},
        )
    return changed
