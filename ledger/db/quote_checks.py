"""A claim's quote checked against its source's text: it must occur there, and should hold the value."""

from __future__ import annotations

from ledger.core.errors import QuoteNotFound
from ledger.core.quotes import nearest_passage, quote_occurs, value_in_quote
from ledger.core.records import ClaimRecord
from ledger.db.import_report import VALUE_NOT_IN_QUOTE, ImportReport, ImportWarning


def check_quote(record: ClaimRecord, normalised_text: str, report: ImportReport) -> None:
    """Raise QuoteNotFound if the quote is missing or not in the text; warn if the value is not in the quote."""
    if not record.quote:
        raise QuoteNotFound(
            f"{record.location.at('quote')}: source {record.source!r} has text, so the claim "
            "needs the exact quote it comes from"
        )
    if not quote_occurs(record.quote, normalised_text):
        nearest = nearest_passage(record.quote, normalised_text)
        raise QuoteNotFound(
            f"{record.location.at('quote')}: not found in source {record.source!r}; "
            f"nearest passage: {nearest!r}"
        )
    if not value_in_quote(record.value, record.quote):
        report.warn(ImportWarning(
            record.location, "value", VALUE_NOT_IN_QUOTE, f"{record.value!r} does not appear in the quote"
        ))
