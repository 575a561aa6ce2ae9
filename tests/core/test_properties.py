"""Properties every reading must keep, whatever the figure or publication date."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.dates import parse_when
from ledger.core.money import to_base
from ledger.core.numbers import parse_number
from ledger.core.readings import Interval, ParseContext, PartialDate
from ledger.core.values import parse_value

UNITS = "zero one two three four five six seven eight nine".split()
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def in_words(n: int) -> str:
    """English words for 0 <= n < 10**9, the way reporters write them."""
    if n < 10:
        return UNITS[n]
    if n < 20:
        return TEENS[n - 10]
    if n < 100:
        return TENS[n // 10] + ("-" + UNITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return UNITS[n // 100] + " hundred" + (" and " + in_words(rest) if rest else "")
    for scale, word in ((10**6, "million"), (10**3, "thousand")):
        if n >= scale:
            rest = n % scale
            return in_words(n // scale) + f" {word}" + (" " + in_words(rest) if rest else "")
    raise AssertionError(n)


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**9), places=2)


@given(st.integers(min_value=0, max_value=10**15))
def test_digits_with_separators_read_back(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", "."), "de") == n
    assert parse_number(f"{n:,}".replace(",", " "), "fr") == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=3))
def test_decimals_read_back(n, places):
    value = Decimal(n).scaleb(-places)
    assert parse_number(f"{value:,f}") == value
    assert parse_number(f"{value:,f}".replace(",", " ").replace(".", ","), "fr") == value


@given(
    st.integers(min_value=1, max_value=999),
    st.integers(min_value=0, max_value=2),
    st.sampled_from([("thousand", 10**3), ("million", 10**6), ("bn", 10**9), ("m", 10**6)]),
)
def test_scale_words_read_back(n, places, scale):
    word, factor = scale
    figure = Decimal(n).scaleb(-places)
    joiner = "" if len(word) == 1 else " "
    assert parse_number(f"{figure}{joiner}{word}") == figure * factor


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_number_words_read_back(n):
    assert parse_number(in_words(n)) == n


@given(amounts)
def test_more_than_never_overlaps_fewer_than(x):
    figure = f"{x:,f}"
    more = parse_value(f"more than {figure}").interval
    for lower in ("fewer than", "less than", "nearly", "under"):
        assert not more.overlaps(parse_value(f"{lower} {figure}").interval)
    assert not parse_value(f"at least {figure}").interval.overlaps(
        parse_value(f"less than {figure}").interval
    )
    assert not parse_value(f"up to {figure}").interval.overlaps(more)


tolerance = st.decimals(min_value=0, max_value=Decimal("0.5"), places=2)


@given(
    amounts, amounts, tolerance, tolerance,
    st.sampled_from(["", "about ", "nearly ", "just over "]),
    st.sampled_from(["", "about ", "nearly ", "more than ", "up to "]),
)
def test_widening_a_tolerance_never_turns_an_overlap_into_a_gap(x, y, t1, t2, q1, q2):
    narrow, wide = sorted((t1, t2))
    rows = ("exact", "about", "nearly", "just over")

    def read(phrase, t):
        context = ParseContext(tolerances={row: t for row in rows})
        return parse_value(phrase, context=context).interval

    first, second = f"{q1}{x:,f}", f"{q2}{y:,f}"
    before = read(first, narrow), read(second, narrow)
    after = read(first, wide), read(second, wide)
    for small, large in zip(before, after, strict=True):
        assert _within(small, large)
    if before[0].overlaps(before[1]):
        assert after[0].overlaps(after[1])


def _within(inner: Interval, outer: Interval) -> bool:
    low_ok = outer.low is None or (inner.low is not None and outer.low <= inner.low)
    high_ok = outer.high is None or (inner.high is not None and inner.high <= outer.high)
    return low_ok and high_ok


publication_days = st.dates(min_value=date(1999, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def publications(draw):
    """A publication date at day, month or year precision."""
    day = draw(publication_days)
    precision = draw(st.sampled_from(["day", "month", "year"]))
    if precision == "day":
        return PartialDate(day.year, day.month, day.day)
    return PartialDate(day.year, day.month) if precision == "month" else PartialDate(day.year)


BACKWARD = [
    "last week", "last month", "last year", "last May", "last December", "two years ago",
    "a decade ago", "three weeks ago", "five days ago", "yesterday", "last Monday",
    "on Friday", "recently", "in recent years", "over the past two years", "since last year",
    "late last year", "a few years ago", "three months ago",
]


@given(publications(), st.sampled_from(BACKWARD))
def test_backward_looking_expressions_never_land_after_publication(published, phrase):
    reading = parse_when(phrase, ParseContext(published=published))
    last_possible_day = published.interval().high
    assert reading.parsed, reading.warning
    if reading.interval.high is not None:
        assert reading.interval.high <= last_possible_day
    assert reading.interval.low is None or reading.interval.low <= last_possible_day


@given(publication_days, st.sampled_from([*BACKWARD, "late October", "October", "next week"]))
def test_an_imprecise_publication_covers_every_day_it_could_be(day, phrase):
    month = parse_when(phrase, ParseContext(published=PartialDate(day.year, day.month)))
    exact = parse_when(phrase, ParseContext(published=PartialDate(day.year, day.month, day.day)))
    assert _within(exact.interval, month.interval)


@given(publication_days, st.sampled_from(["late October", "October", "September 15", "early May"]))
def test_a_bare_month_is_the_nearest_occurrence_and_may_be_upcoming(day, phrase):
    reading = parse_when(phrase, ParseContext(published=PartialDate(day.year, day.month, day.day)))
    low, high = reading.interval.low, reading.interval.high
    distance = max((low - day).days, (day - high).days, 0)
    assert distance <= 183  # no other year's occurrence is nearer than half a year away


def test_late_october_in_a_july_article_is_upcoming():
    reading = parse_when("late October", ParseContext(published=PartialDate(2019, 7, 2)))
    assert reading.interval.low > date(2019, 7, 2)


@settings(deadline=None)
@given(amounts, st.dates(min_value=date(1999, 1, 4), max_value=date(2026, 10, 30)),
       st.sampled_from(["USD", "GBP", "JPY", "CHF"]))
def test_conversion_round_trips(amount, day, currency):
    one_day = Interval(day, day)
    there = to_base(Interval(amount, amount), "EUR", one_day, base=currency)
    back = to_base(Interval(there.low, there.low), currency, one_day)
    cent_in_euros = Decimal("0.01") / there.rate_low + Decimal("0.01")
    assert abs(back.low - amount) <= cent_in_euros
    assert there.rate_from == there.rate_to == day
