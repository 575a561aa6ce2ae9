"""What ``ledger parse`` shows: a phrase's reading as a JSON-able dict, money converted."""

from __future__ import annotations

from ledger.core.numbers import json_number
from ledger.core.normalise import BASE_CURRENCY, read_claim
from ledger.core.readings import PartialDate
from ledger.core.values import reading_to_dict


def explain_phrase(
    phrase: str,
    *,
    published: PartialDate | None = None,
    kind: str | None = None,
    as_time: bool = False,
    language: str = "en",
) -> dict:
    """The reading of a value phrase (or, with ``as_time``, a ``when`` phrase).

    Keys: kind, low, high, low_open, high_open, unit, currency, period,
    qualifier, precision, text, notes, warning, alternatives; money also has
    ``converted`` (base-currency bounds with the rate, its dates and source).
    """
    if as_time:
        reading = read_claim("", phrase, "text", published, language).time
        interval = reading.interval
        return dict(
            kind="date" if interval else "unparsed",
            low=interval.low.isoformat() if interval and interval.low else None,
            high=interval.high.isoformat() if interval and interval.high else None,
            low_open=bool(interval and interval.low_open),
            high_open=bool(interval and interval.high_open),
            precision=reading.precision, notes=list(reading.notes), warning=reading.warning,
        )
    claim = read_claim(phrase, None, kind, published, language)
    result = reading_to_dict(claim.value)
    if kind is None and claim.value.kind == "text" and any(c.isdigit() for c in phrase):
        result["warning"] = (f"{phrase!r} holds a figure but reads as no number, amount or date: "
                             "kept as text (give --kind to read it as one)")
    conversion = claim.conversion
    if conversion is not None:
        result["converted"] = dict(
            currency=conversion.currency,
            low=json_number(conversion.low), high=json_number(conversion.high),
            rate_low=json_number(conversion.rate_low), rate_high=json_number(conversion.rate_high),
            rate_from=conversion.rate_from.isoformat(), rate_to=conversion.rate_to.isoformat(),
            rate_source=conversion.rate_source,
        )
    elif claim.value.kind == "money":
        result["converted"] = None
        result["notes"] = list(result.get("notes", [])) + [
            f"not converted to {BASE_CURRENCY}: give --published so the rate of that date can be used"
            if published is None else f"no rate known for {claim.value.currency}"
        ]
    return result

