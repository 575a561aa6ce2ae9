"""What a reading measures, and how two readings are put on one footing before they are compared.

The rules beside the conflict rules (``ledger.core.conflicts``), used by
conflicts, clusters, consensus and source reliability alike:

* **Rules of an attribute** (:func:`attribute_rules`): single-valued or not,
  timeless or not (dates are timeless by default), and a **tolerance**
  (:func:`parse_tolerance`) that widens every reading of the attribute: each
  bound moves out by ``tolerance·|bound|`` ("5%") for quantities and money, by
  a number of days ("3d") for dates, of minutes ("10min") for clock times.
* **Scale** (:func:`on_scale`): what the numbers measure — a count, a percent,
  a day number, minutes, or money per year (an amount "a month" is put on a
  yearly footing with :data:`PER_YEAR`) or one-off. Readings on different
  scales are incomparable.
* **Money** (:class:`Money`, :func:`money_frame`): amounts are kept in the
  currency stated. Amounts in one currency are compared in that currency,
  never through a conversion. Across currencies a rate movement alone must
  never make a conflict, so the amounts are put in one currency with the
  **widest span of rates** over all their days (each claim's ``when``, else its
  publication date): an amount becomes the interval it takes at the lowest to
  the highest rate of that span, and two amounts disagree only if no rate in
  the span reconciles them. The frame's currency is the one most of the
  amounts share (ties: the base currency EUR, then alphabetical), so a
  majority in one currency keeps being compared in it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ledger.core.errors import InvalidTolerance
from ledger.core.money import rate_span

#: Money per period is put on a yearly footing before comparing.
PER_YEAR = {"day": Decimal("365.25"), "week": Decimal("52.1775"), "month": Decimal(12), "year": Decimal(1)}
#: The currency money is stored in as well (``readings.base_*``); first choice of a frame on a tie.
BASE_CURRENCY = "EUR"
#: Scales of readings that carry no numbers.
NO_NUMBERS = ("text", "unparsed", "identifier", "names")


@dataclass(frozen=True)
class AttributeRules:
    single_valued: bool
    timeless: bool
    tolerance: str | None = None  # as set ("5%", "3d", "10min"); None: none


def attribute_rules(kind: str, single_valued: bool | None, timeless: bool | None,
                    tolerance: str | None = None) -> AttributeRules:
    """The rules in force: stored settings, or the defaults (dates are timeless, no tolerance)."""
    return AttributeRules(
        single_valued=True if single_valued is None else single_valued,
        timeless=(kind == "date") if timeless is None else timeless,
        tolerance=tolerance or None,
    )


_TOLERANCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|d|days?|min|minutes?)?\s*$", re.IGNORECASE)
_ZERO = re.compile(r"^\s*0+(?:\.0*)?\s*$")
_TOLERANCE_UNITS = {"quantity": "%", "money": "%", "date": "d", "time": "min"}
_UNIT_WORDS = {"%": "a percentage such as 5%", "d": "a number of days such as 3d", "min": "minutes such as 10min"}


def parse_tolerance(text: str, kind: str) -> str | None:
    """A tolerance as stored ("5%", "3d", "10min", None for zero) for an attribute of ``kind``.

    A bare ``0`` fits every kind (it clears a tolerance). Raises
    InvalidTolerance naming the value and what the kind takes.
    """
    if _ZERO.match(str(text)):
        return None
    wanted = _TOLERANCE_UNITS.get(kind)
    if wanted is None:
        article = "an" if kind[:1] in "aeiou" else "a"
        raise InvalidTolerance(f"tolerance {text!r}: {article} {kind} attribute is compared exactly and takes no tolerance")
    match = _TOLERANCE.match(str(text))
    unit = match and (match.group(2) or "").lower()
    unit = {"day": "d", "days": "d", "minute": "min", "minutes": "min"}.get(unit, unit)
    if not match or unit != wanted:
        raise InvalidTolerance(f"tolerance {text!r}: a {kind} attribute takes {_UNIT_WORDS[wanted]}")
    try:
        amount = Decimal(match.group(1)).normalize()
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise InvalidTolerance(f"tolerance {text!r} is not a number") from None
    if wanted == "%" and amount >= 100:
        raise InvalidTolerance(f"tolerance {text!r}: a percentage under 100% (a bound cannot widen past zero)")
    return None if amount == 0 else f"{amount:f}{wanted}"


def tolerance_amount(tolerance: str | None) -> float:
    """The number a stored tolerance widens by: a fraction (for "%"), or days or minutes."""
    if not tolerance:
        return 0.0
    number = float(re.match(r"[\d.]+", tolerance).group())
    return number / 100 if tolerance.endswith("%") else number


class ReadingView(NamedTuple):
    """The columns of a reading that decide its scale and numbers (a row of ``readings``)."""

    kind: str
    low: float | None
    high: float | None
    low_open: bool
    high_open: bool
    low_date: date | None
    high_date: date | None
    unit: str | None
    currency: str | None
    period: str | None
    base_currency: str | None
    base_low: float | None
    base_high: float | None


def on_scale(reading: ReadingView, tolerance: str | None = None) -> tuple[str, float | None, float | None]:
    """What the numbers measure, and the reading's numbers on that scale, widened by ``tolerance``.

    Money stays in the currency stated ("money per year", "one-off money" when
    it converts; "one-off XYZ, not converted" when its currency is unknown to the
    rates). Scale names carry no brackets: reasons put them beside labels that do.
    Dates are day numbers, half-open ``[first, last + 1)``.
    """
    if reading.kind in NO_NUMBERS:
        return reading.kind, None, None
    widen = tolerance_amount(tolerance)
    if reading.kind == "time":  # minutes since 1970-01-01 00:00 (local clock), widened by the tolerance
        return "minutes", _shift(reading.low, -widen), _shift(reading.high, widen)
    if reading.kind == "date":
        low = reading.low_date.toordinal() if reading.low_date else None
        high = reading.high_date.toordinal() + 1 if reading.high_date else None
        return "date", _shift(low, -widen), _shift(high, widen)
    if reading.kind == "money":
        scale = "money" if reading.base_currency else reading.currency or "unknown currency"
    else:
        scale = "percent" if reading.unit == "percent" else "count"
    low, high = _widen(reading.low, -widen), _widen(reading.high, widen)
    if reading.period:
        factor = float(PER_YEAR[reading.period])
        scale += " per year"
        low = low * factor if low is not None else None
        high = high * factor if high is not None else None
    elif reading.kind == "money":
        scale = f"one-off {scale}"
    if reading.kind == "money" and not reading.base_currency:
        scale += ", not converted"
    return scale, low, high


def _shift(bound: float | None, by: float) -> float | None:
    return bound if bound is None or not by else bound + by


def _widen(bound: float | None, fraction: float) -> float | None:
    """A bound moved out by ``|fraction|·|bound|`` (down for a negative fraction)."""
    return bound if bound is None or not fraction else bound + fraction * abs(bound)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in the currency stated (per year if it has a period), and the days whose rates may convert it."""

    currency: str
    low: float | None
    high: float | None
    first: date | None = None  # None: unbounded (the rates' first day)
    last: date | None = None


@dataclass(frozen=True)
class Frame:
    """One currency for several amounts, and each currency's rates into it over their days.

    ``rates[c]`` is (lowest, highest) units of ``currency`` per unit of ``c``;
    ``first``/``last`` are the first and last day of the rates used.
    """

    currency: str
    rates: dict[str, tuple[float, float]]
    first: date | None = None
    last: date | None = None

    @property
    def converts(self) -> bool:
        return len(self.rates) > 1

    def amount(self, money: Money) -> tuple[float | None, float | None]:
        """``money`` as an interval in the frame's currency: at the lowest to the highest rate."""
        low_rate, high_rate = self.rates[money.currency]
        low = None if money.low is None else min(money.low * low_rate, money.low * high_rate)
        high = None if money.high is None else max(money.high * low_rate, money.high * high_rate)
        return low, high


def money_frame(amounts: Iterable[Money]) -> Frame:
    """The frame to compare ``amounts`` in (see the module docstring): one currency, the widest span of rates."""
    amounts = list(amounts)
    counts = Counter(m.currency for m in amounts)
    currency = min(counts, key=lambda c: (-counts[c], c != BASE_CURRENCY, c))
    if len(counts) == 1:
        return Frame(currency, {currency: (1.0, 1.0)})
    first = None if any(m.first is None for m in amounts) else min(m.first for m in amounts)
    last = None if any(m.last is None for m in amounts) else max(m.last for m in amounts)
    rates: dict[str, tuple[float, float]] = {currency: (1.0, 1.0)}
    used: list[date] = []
    for other in sorted(counts):
        if other != currency:
            low, high, used_first, used_last = rate_span(other, currency, first, last)
            rates[other] = (low, high)
            used += [used_first, used_last]
    return Frame(currency, rates, min(used), max(used))
