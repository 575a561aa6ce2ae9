"""Readings, amounts, rates and times in the words an analyst reads.

One place for them, used by conflicts (the reasons stored with each pair),
clusters, consensus and source reliability: an interval is shown as the range
it is ("900,000 to under 1,000,000", never a midpoint), money in the currency
stated and per its own period, a rate span by its pair and days.
"""

from __future__ import annotations

from datetime import date

from ledger.core.comparability import NO_NUMBERS, Frame, ReadingView, on_scale
from ledger.core.times import format_minutes

CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£"}
_LAST_DAY = date.max.toordinal()


def label(reading: ReadingView, stated: str) -> str:
    """The reading in plain words, with the phrase as stated: 'more than €1,000,000 (more than € 1 million)'.

    Money shows in its own currency and period ("$10,750,000 to $10,850,000 a month").
    """
    if reading.kind in NO_NUMBERS:
        return repr(stated)
    if reading.kind == "time" and reading.low is not None and reading.high is not None:
        return f"{format_minutes((reading.low + reading.high) / 2)} ({stated})"
    if reading.kind == "date":
        low, high = (d.isoformat() if d else None for d in (reading.low_date, reading.high_date))
        shown = low if low == high else f"{low or '…'} to {high or '…'}"
        return f"{shown} ({stated})"
    if reading.kind == "money":
        low, high, show = reading.low, reading.high, money_format(reading.currency or "unknown currency")
        per = f" a {reading.period}" if reading.period else ""
    else:
        _, low, high = on_scale(reading)
        show, per = number_format, " a year" if reading.period else ""
    return f"{interval_words(low, high, reading.low_open, reading.high_open, show)}{per} ({stated})"


def interval_words(low, high, low_open: bool, high_open: bool, show) -> str:
    """'at least 5', 'under 10', '5 to under 10', or one number when both ends show alike."""
    if low is None and high is None:
        return "any amount"
    if high is None:
        return f"{'more than' if low_open else 'at least'} {show(low)}"
    if low is None:
        return f"{'under' if high_open else 'at most'} {show(high)}"
    if low == high or show(low) == show(high):  # two-thirds: [66.666666, 66.666667] shows as 66.6667
        return show(low)
    return f"{show(low)} to {'under ' if high_open else ''}{show(high)}"


def number_format(x: float) -> str:
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def money_format(currency: str):
    """How amounts in ``currency`` are written: '$10,800,000', '6,000,000,000 XOF'."""
    sign = CURRENCY_SIGNS.get(currency)
    return (lambda x: f"{sign}{x:,.0f}") if sign else (lambda x: f"{x:,.0f} {currency}")


def rate_words(frame: Frame, currency: str) -> str:
    """How ``currency`` was put in the frame's: 'at any EUR/USD rate between 2021-09-13 and 2021-11-17 (1.158–1.187)'.

    The pair is named the way markets quote it, the stronger currency first
    (the rate is then at least 1).
    """
    low, high = frame.rates[currency]
    pair = f"{currency}/{frame.currency}"
    if high < 1:
        pair, low, high = f"{frame.currency}/{currency}", 1 / high, 1 / low
    if frame.first == frame.last:
        return f"at the {pair} rate of {frame.first} ({low:,.6g})"
    if low == high:
        return f"at the fixed {pair} rate ({low:,.6g})"
    return f"at any {pair} rate between {frame.first} and {frame.last} ({low:,.4g}–{high:,.4g})"


def show_days(days: tuple[int, int] | None) -> str:
    """The time of an item as people write it: a day, a whole year, a span of days, or an open span.

    A span open at an end ("since 2013" has no last day) shows that end empty: ``2013-01-01..``.
    """
    if days is None:
        return "(timeless)"
    first = date.fromordinal(days[0]) if 1 <= days[0] <= _LAST_DAY else None
    last = date.fromordinal(days[1] - 1) if 1 <= days[1] - 1 <= _LAST_DAY else None
    if first is None or last is None:
        return f"{first.isoformat() if first else ''}..{last.isoformat() if last else ''}"
    if first == last:
        return first.isoformat()
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    return f"{first.isoformat()}..{last.isoformat()}"


def show_value(scale: str, value) -> str:
    """A candidate value as normalised: a clock time, a code, a number or a day."""
    if value is None:
        return "—"
    if scale == "minutes":
        return format_minutes(value)
    if scale == "date":
        return date.fromordinal(int(value)).isoformat()
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 1000 else f"{value:,.4g}"
    return str(value)
