"""Stated dates and times as intervals of days, as precise as they were stated.

A grammar of its own reads the forms news reporting uses (below), fast and
with the precision kept; ``dateparser`` is only a fallback for odd formats,
because it returns a point (inventing missing parts) and is about 4x slower.

Absolute: ``2019-10-23``, ``2019-10``, ``2014``, ``in 2013``, ``June 2019``,
``October 23, 2019``, ``23 October 2019``, ``Tuesday, June 15, 2021``,
``June 15-17, 2021``, ``the 1990s``, ``the 21st century``, ``summer 2019``.

Parts: ``early / mid / late`` (also ``the beginning / middle / end of``) cut a
month into days 1–10, 11–20, 21–end; a year into Jan–Apr, May–Aug, Sep–Dec;
a decade into years 0–3, 4–6, 7–9; anything longer into thirds. ``first /
second half of`` halves it; ``Q1``..``Q4`` and ``the first..fourth quarter
of`` quarter a year.

Spans and open ends: ``2013-2017``, ``2013-17``, ``2013 to 2021``, ``from June
to August 2021`` (the year is shared), ``between 2013 and 2017``,
``2013/2021``; ``since 2013`` / ``from 2013 onward`` (no end), ``until 2020``
/ ``by 2020`` (no start), ``before 2013``, ``after 2013``. In a date *value*
(``start_date: since 2013``) "since", "from" and "onwards" say the thing
already held then, so the value is 2013 itself (its start), with a note; in a
``when`` they keep the open span.

Relative, resolved against the source's publication date P (the reading is
unparsed when P is unknown): ``today``, ``yesterday``, ``last night``,
``tomorrow``; ``on Monday`` (the latest Monday on or before P), ``last
Monday`` (strictly before), ``next Monday``; ``last week`` (both the previous
Monday- or Sunday-started calendar week and the seven days before P: from the
earlier week start to P - 1), ``this week``, ``next week``; ``last / this /
next month | year``; ``last May`` (the latest May strictly before P's month),
``this September`` (of P's year), ``next May``; ``two years ago`` (the whole
year P.year - 2), ``three months ago`` (that whole month), ``three weeks ago``
(±6 days), ``a decade ago`` (±1 year), ``a few / several years ago``; ``the
past two years`` (the rolling window up to P), ``in recent years`` (from 1
January five years before P), ``recently`` (the 365 days up to P), ``earlier /
later this year | month | week``; ``in the coming days / weeks / months``
(from P as far forward as "recent" reaches back); ``over the weekend`` (the
latest Saturday–Sunday begun by P; on a Friday also the coming one). A
year-less ``October``, ``late October``, ``September 15`` is the occurrence
nearest to P, which may be upcoming.

Fiscal years: ``FY2020``, ``FY20``, ``fiscal 2020`` name the fiscal year that
*ends* in 2020 (the US federal, UK, Indian and Australian usage), whatever
month it ends in: February 2019 to December 2020, widened rather than a guess
at one convention (Japan names its fiscal year by the year it starts: write
the months).

When P is known only to the month or year, the reading is the union over
every day P could be (every rule is monotone in P, so the union runs from the
reading at P's first possible day to the one at its last). Backward-looking
forms never end after P.

Why one module of this size: the grammar's patterns, the rules that combine them and the
fallback share private tables (months, seasons, parts) and are read together when a phrase
is misread; splitting them would scatter one grammar over several files.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from ledger.core import numbers, qualifiers
from ledger.core.readings import Interval, ParseContext, PartialDate, TimeReading, ValueReading

Span = tuple[date | None, date | None]
_NO_CONTEXT = ParseContext()

MONTHS = {
    name: number
    for number, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun",
         "july jul", "august aug", "september sept sep", "october oct", "november nov",
         "december dec"),
        start=1,
    )
    for name in names.split()
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        ("monday mon", "tuesday tue tues", "wednesday wed", "thursday thu thurs",
         "friday fri", "saturday sat", "sunday sun")
    )
    for name in names.split()
}
_ORDINAL_WORDS = {
    word: number
    for number, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
        "twenty-first".split(),
        start=1,
    )
}
_UNIT_DAYS = {"day": 1, "week": 7}

_M = r"(?P<month>%s)\.?" % "|".join(sorted(MONTHS, key=len, reverse=True))
_W = r"(?P<weekday>%s)\.?" % "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_D = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(?P<year>[12]\d{3})"
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_COUNT = r"(?P<count>%s|%s)" % (qualifiers.VAGUE_PATTERN.pattern, numbers.NUMBER_PATTERN)


_ISO_DAY = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_ISO_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])")
_YEAR = re.compile(rf"(?:year\s+)?{_Y}")
_DECADE = re.compile(r"(?P<decade>[12]\d{2}0)s")
_CENTURY = re.compile(
    r"(?P<century>\d{1,2}(?:st|nd|rd|th)|%s)\s+century" % "|".join(_ORDINAL_WORDS)
)
_MONTH_YEAR = re.compile(rf"{_M}(?:\s+of)?\s+{_Y}")
_MONTH_DAY_YEAR = re.compile(rf"{_M}\s+{_D}\s+{_Y}")
_DAY_MONTH_YEAR = re.compile(rf"{_D}\s+(?:of\s+)?{_M}\s+{_Y}")
_MONTH_DAY = re.compile(rf"{_M}\s+{_D}")
_DAY_MONTH = re.compile(rf"{_D}\s+(?:of\s+)?{_M}")
_MONTH = re.compile(_M)
_MONTH_DAYS = re.compile(rf"{_M}\s+(?P<first>\d{{1,2}})\s*-\s*(?P<last>\d{{1,2}})(?:\s+{_Y})?")
_DAYS_MONTH = re.compile(rf"(?P<first>\d{{1,2}})\s*-\s*(?P<last>\d{{1,2}})\s+{_M}(?:\s+{_Y})?")
_SEASON = re.compile(r"(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?" + _Y + ")?")
_WEEKDAY_THEN = re.compile(rf"{_W}\s+(?P<rest>.+)")
_WEEKDAY = re.compile(rf"(?:(?P<which>last|this|next|on)\s+)?{_W}")
_TODAY = re.compile(
    r"today|tonight|this (?:morning|afternoon|evening)|yesterday|last night|tomorrow"
)
_CALENDAR = re.compile(
    r"(?P<which>last|previous|this|current|next|coming)\s+(?P<unit>week|month|year)"
)
_WHICH = re.compile(r"(?P<which>last|this|next)\s+(?P<rest>.+)")
_AGO = re.compile(rf"{_COUNT}\s+{_UNIT}\s+ago")
_A_UNIT_AGO = re.compile(rf"an?\s+{_UNIT}\s+ago")
_PAST = re.compile(
    rf"(?:over\s+|in\s+|during\s+|for\s+)?(?:past|last|previous)\s+(?:{_COUNT}\s+)?{_UNIT}"
)
_COMING = re.compile(r"(?:coming|upcoming|next\s+few)\s+(?P<unit>day|week|month|year)s")
_WEEKEND = re.compile(r"(?:over\s+|during\s+)?(?P<which>this\s+|last\s+|past\s+)?weekend")
_FISCAL = re.compile(r"(?:fy|fiscal(?:\s+year)?)\s*'?(?P<year>[12]\d{3}|\d{2})")
_RECENT = re.compile(r"(?:in\s+)?recent\s+(?P<unit>day|week|month|year)s|recently|lately")
_EARLIER_LATER = re.compile(
    r"(?P<which>earlier|later|so\s+far)\s+(?:this|in)\s+(?P<unit>week|month|year)"
)
_TWO_DIGIT_SPAN = re.compile(rf"{_Y}\s*[-/]\s*(?P<short>\d{{2}})")
_PART = re.compile(
    r"(?P<part>early|mid|late|beginning\s+of|start\s+of|middle\s+of|end\s+of"
    r"|(?:first|second)\s+half\s+of|(?:first|second|third|fourth)\s+quarter\s+of|q[1-4])"
    r"(?:[\s-]+|(?=\d))(?P<rest>.+)"
)
_SINCE = re.compile(
    r"(?:since|starting\s+(?:in|from|on)|beginning\s+in)\s+(?P<rest>.+?)(?:\s+onwards?)?"
    r"|(?:from\s+)?(?P<rest2>.+?)\s+(?:onwards?|and\s+after)"
)
_FROM = re.compile(r"from\s+(?P<rest>.+)")
_AS_OF = re.compile(r"as\s+of\s+(?P<rest>.+)")
_UNTIL = re.compile(r"(?P<word>until|till|up\s+to|through|by|no\s+later\s+than|before|prior\s+to"
             r"|after)\s+(?P<rest>.+)")
_BETWEEN = re.compile(r"between\s+(?P<left>.+?)\s+and\s+(?P<right>.+)")
# "2019 or 2020" (either) and "2019 and 2020" (both) are read as the whole stretch, like "2019 to 2020"
_TO = re.compile(r"(?:from\s+)?(?P<left>.+?)\s+(?:to|until|till|through|thru|or|and)\s+(?P<right>.+)")
_LEADING = re.compile(r"(?:in|on|during|at|sometime\s+in|some\s+time\s+in|as\s+of)\s+")
_WORTH_A_FALLBACK = re.compile(  # words, or all-digit dates such as 17.09.2021, 2021/09/17, 10/2019
    r"[^\W\d_]|^\s*(?:\d{1,2}([./-])\d{1,2}\1\d{2,4}|\d{4}([./-])\d{1,2}\2\d{1,2}"
    r"|\d{1,2}[./-]\d{4})\s*$"
)
_NOISE = re.compile(r"\bthe\s+|,")
_SPACES = re.compile(r"\s+")

_PART_NAMES = {
    "beginning of": "early", "start of": "early", "middle of": "mid", "end of": "late",
    "first half of": "first half", "second half of": "second half",
    "first quarter of": "q1", "second quarter of": "q2", "third quarter of": "q3",
    "fourth quarter of": "q4",
}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


class _NotReal(Exception):
    """A phrase the grammar recognises but that names no real day (February 30)."""


@dataclass(frozen=True)
class _When:
    """A date expression before the publication date is applied."""

    resolve: Callable[[date | None], Span]  # the days meant, given one publication day
    relative: bool  # whether ``resolve`` needs the publication day
    notes: tuple[str, ...]
    qualifier: str = "exact"
    by_year: Callable[[int], Span] | None = None  # year-less: its days in a given year


def _fixed(low: date | None, high: date | None, note: str) -> _When:
    return _When(lambda _: (low, high), False, (note,))


def _relative(resolve: Callable[[date], Span], note: str, qualifier="relative") -> _When:
    return _When(resolve, True, (note,), qualifier)


_NEAREST = "nearest to publication"  # how a year-less date's notes say the year was chosen


def _yearless(by_year: Callable[[int], Span], notes: tuple[str, ...], qualifier="relative"):
    """A date stated without its year: the occurrence nearest to publication."""
    return _When(lambda p: _nearest(by_year, p), True, notes, qualifier, by_year)


def _nearest(by_year: Callable[[int], Span], published: date) -> Span:
    """The occurrence nearest to ``published`` (the earlier one on a tie); may be upcoming."""
    best, best_distance = None, None
    for years in ((-1, 0, 1), (-4, -3, -2, 2, 3, 4)):  # the wider search only for 29 February
        for year in (published.year + offset for offset in years):
            try:
                low, high = by_year(year)
            except ValueError:
                continue
            distance = max((low - published).days, (published - high).days, 0)
            if best_distance is None or distance < best_distance or (
                distance == best_distance and low < best[0]
            ):
                best, best_distance = (low, high), distance
        if best:
            return best
    raise _NotReal("it names no real day near the publication date")


def _latest_begun(by_year: Callable[[int], Span], published: date) -> Span:
    """The latest occurrence that starts on or before ``published`` (29 February: up to 8 years back)."""
    for year in range(published.year, published.year - 9, -1):
        try:
            low, high = by_year(year)
        except ValueError:
            continue
        if low <= published:
            return low, high
    raise _NotReal("it names no real day before the publication date")


def _map(when: _When, change: Callable[[Span], Span], note: str, qualifier: str) -> _When:
    """Apply ``change`` to the days ``when`` means, keeping it year-less if it was."""
    if when.by_year:
        return _yearless(lambda y: change(when.by_year(y)), (*when.notes, note), qualifier)
    return _open(when, change, note, qualifier)


def _open(when: _When, change: Callable[[Span], Span], note: str, qualifier: str) -> _When:
    """Apply ``change`` to the days ``when`` resolves to ("since October": the nearest one)."""
    return _When(lambda p: change(when.resolve(p)), when.relative, (*when.notes, note), qualifier)


# --- calendar helpers ------------------------------------------------------------


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _NotReal(str(exc)) from None


def _month_span(year: int, month: int) -> Span:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _year_span(year: int) -> Span:
    return date(year, 1, 1), date(year, 12, 31)


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29th in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _months_before(day: date, months: int) -> date:
    year, month = _shift_month(day.year, day.month, -months)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _week_starts(day: date) -> tuple[date, date]:
    """Monday and Sunday starts of the week holding ``day``, earlier first."""
    monday = day - timedelta(days=day.weekday())
    sunday = day - timedelta(days=(day.weekday() + 1) % 7)
    return min(monday, sunday), max(monday, sunday)


def _precision(low: date | None, high: date | None) -> str:
    """Year, month or day: the coarsest calendar unit both (bounded) ends fall on."""
    if (low is None or (low.month, low.day) == (1, 1)) and (
        high is None or (high.month, high.day) == (12, 31)
    ):
        return "year"
    if (low is None or low.day == 1) and (
        high is None or high.day == monthrange(high.year, high.month)[1]
    ):
        return "month"
    return "day"


# --- parts: early / mid / late, halves, quarters ---------------------------------


def _cut(span: Span, part: str) -> Span:
    low, high = span
    if low is None or high is None:
        raise _NotReal(f"'{part}' needs a bounded period")
    if part.startswith("q"):
        if _precision(low, high) != "year" or low.year != high.year:
            raise _NotReal("quarters apply to a single year")
        first = (int(part[1]) - 1) * 3 + 1
        return date(low.year, first, 1), _month_span(low.year, first + 2)[1]
    if _precision(low, high) == "month" and (low.year, low.month) == (high.year, high.month):
        cuts = {"early": (1, 10), "mid": (11, 20), "late": (21, 31),
                "first half": (1, 15), "second half": (16, 31)}[part]
        return low.replace(day=cuts[0]), low.replace(day=min(cuts[1], high.day))
    if _precision(low, high) == "year" and low.year == high.year:
        cuts = {"early": (1, 4), "mid": (5, 8), "late": (9, 12),
                "first half": (1, 6), "second half": (7, 12)}[part]
        return date(low.year, cuts[0], 1), _month_span(low.year, cuts[1])[1]
    if _precision(low, high) == "year":  # several whole years: decades, centuries, spans
        count = high.year - low.year + 1
        first, size = _thirds(count, part, remainder_first=True)
        return date(low.year + first, 1, 1), date(low.year + first + size - 1, 12, 31)
    first, size = _thirds((high - low).days + 1, part, remainder_first=False)
    return low + timedelta(days=first), low + timedelta(days=first + size - 1)


def _thirds(count: int, part: str, remainder_first: bool) -> tuple[int, int]:
    """Offset and length of a part of ``count`` units (a decade: 4, 3, 3 years)."""
    if part in ("first half", "second half"):
        half = (count + 1) // 2
        return (0, half) if part == "first half" else (half, count - half)
    third = count // 3
    sizes = [third, third, third]
    sizes[0 if remainder_first else 2] += count - 3 * third
    index = ("early", "mid", "late").index(part)
    return sum(sizes[:index]), sizes[index]


def _part_note(part: str) -> str:
    return {
        "early": "'early' → the first third (days 1–10 of a month, January–April of a year)",
        "mid": "'mid' → the middle third (days 11–20 of a month, May–August of a year)",
        "late": "'late' → the last third (days 21–end of a month, Sept.–December of a year)",
    }.get(part, f"'{part}' → that part of the period")


# --- the grammar ----------------------------------------------------------------


def _normalise(phrase: str) -> str:
    text = phrase.lower().replace("–", "-").replace("—", "-").replace("−", "-")
    text = _NOISE.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" .;:")


def _expression(text: str) -> _When | None:
    """Any date expression; None when ``text`` is not one. Raises _NotReal."""
    text = _without_leading_words(text)
    return _atom(text) or _open_ended(text) or _span(text) or _from(text)


def _without_leading_words(text: str) -> str:
    """Drop "in", "on", "during", "sometime in"...: they do not change the days meant."""
    while match := _LEADING.match(text):
        text = text[match.end():]
    return text


def _atom(text: str) -> _When | None:
    """One date, optionally cut into a part ("late October 2019")."""
    if match := _PART.fullmatch(text):
        inner = _atom(_without_leading_words(match["rest"]))  # binds tighter than a span
        if inner is None:
            return None
        part = _PART_NAMES.get(_SPACES.sub(" ", match["part"]), match["part"])
        return _map(inner, lambda span: _cut(span, part), _part_note(part), part)
    return _absolute(text) or _yearless_date(text) or _relative_date(text)


def _absolute(text: str) -> _When | None:
    if m := _YEAR.fullmatch(text):
        year = int(m["year"])
        return _fixed(*_year_span(year), f"'{text}' → the whole year {year}")
    if m := _ISO_DAY.fullmatch(text):
        day = _day(int(m["year"]), int(m["month"]), int(m["day"]))
        return _fixed(day, day, f"'{text}' → the day {day}")
    if m := _ISO_MONTH.fullmatch(text):
        month = _month_span(int(m["year"]), int(m["month"]))
        return _fixed(*month, f"'{text}' → the whole month")
    if (m := _MONTH_DAY_YEAR.fullmatch(text)) or (m := _DAY_MONTH_YEAR.fullmatch(text)):
        day = _day(int(m["year"]), MONTHS[m["month"]], int(m["day"]))
        return _fixed(day, day, f"'{text}' → the day {day}")
    if m := _MONTH_YEAR.fullmatch(text):
        month = _month_span(int(m["year"]), MONTHS[m["month"]])
        return _fixed(*month, f"'{text}' → the whole month")
    if m := _DECADE.fullmatch(text):
        first = int(m["decade"])
        return _years(first, first + 9, text)
    if m := _CENTURY.fullmatch(text):
        number = _ORDINAL_WORDS.get(m["century"]) or int(m["century"][:-2])
        first = (number - 1) * 100 + 1
        return _years(first, first + 99, text)
    if (m := _MONTH_DAYS.fullmatch(text)) or (m := _DAYS_MONTH.fullmatch(text)):
        return _day_range(m)
    if m := _FISCAL.fullmatch(text):
        year = int(m["year"]) + (2000 if len(m["year"]) == 2 else 0)
        return _fixed(date(year - 1, 2, 1), date(year, 12, 31),
                      f"'{text}' → a fiscal year ending in {year}, whatever month it ends "
                      f"(US federal: October {year - 1}–September {year}; UK, India: April–March; "
                      "calendar): February of the year before to December")
    if (m := _SEASON.fullmatch(text)) and m["year"]:
        season = _season(m["season"], int(m["year"]), stated_year=True)
        return _fixed(*season, f"'{text}' → the season (northern hemisphere)")
    if m := _WEEKDAY_THEN.fullmatch(text):
        rest = _absolute(m["rest"])
        if rest is None:
            return None
        low, high = rest.resolve(None)
        if low == high and low.weekday() != WEEKDAYS[m["weekday"]]:
            note = f"'{m['weekday']}' does not match {low}, a {low:%A}: the date was kept"
            return _When(rest.resolve, False, (*rest.notes, note))
        return rest
    return None


def _years(first: int, last: int, text: str) -> _When:
    return _fixed(date(first, 1, 1), date(last, 12, 31), f"'{text}' → the years {first}–{last}")


def _day_range(m: re.Match) -> _When:
    """"June 15-17, 2021", "15-17 June": a few days of one month."""
    month, first, last = MONTHS[m["month"]], int(m["first"]), int(m["last"])
    if first > last:
        raise _NotReal(f"day {first} comes after day {last}")

    def by_year(year: int) -> Span:
        return date(year, month, first), date(year, month, last)

    if not m["year"]:
        return _yearless(by_year, (f"days {first}–{last}, in the year {_NEAREST}",))
    try:
        return _fixed(*by_year(int(m["year"])), f"days {first}–{last} of the month")
    except ValueError as exc:
        raise _NotReal(str(exc)) from None


def _season(season: str, year: int, stated_year: bool) -> Span:
    if season == "winter":  # "winter 2019" may start in December 2018 or December 2019
        start = year - 1 if stated_year else year
        return date(start, 12, 1), _month_span(year + 1, 2)[1]
    first, last = _SEASONS[season]
    return date(year, first, 1), _month_span(year, last)[1]


def _yearless_date(text: str) -> _When | None:
    note = f"'{text}' states no year → the occurrence {_NEAREST} (may be upcoming)"
    if (m := _MONTH_DAY.fullmatch(text)) or (m := _DAY_MONTH.fullmatch(text)):
        month, day = MONTHS[m["month"]], int(m["day"])
        _day(2000, month, day)  # a leap year: rejects only days no year has
        return _yearless(lambda y: (date(y, month, day),) * 2, (note,))
    if m := _MONTH.fullmatch(text):
        month = MONTHS[m["month"]]
        return _yearless(lambda y: _month_span(y, month), (note,))
    if m := _SEASON.fullmatch(text):
        season = m["season"]
        return _yearless(lambda y: _season(season, y, stated_year=False), (note,))
    return None


def _relative_date(text: str) -> _When | None:
    """Forms resolved against the publication day p."""
    if _TODAY.fullmatch(text):
        shift = {"yesterday": (-1, -1), "last night": (-1, 0), "tomorrow": (1, 1)}.get(text, (0, 0))
        return _relative(
            lambda p: (p + timedelta(days=shift[0]), p + timedelta(days=shift[1])),
            f"'{text}' → relative to the publication day",
        )
    if m := _WEEKDAY.fullmatch(text):
        return _weekday(m["which"], WEEKDAYS[m["weekday"]], text)
    if m := _CALENDAR.fullmatch(text):
        return _calendar(m["which"], m["unit"], text)
    if (m := _WHICH.fullmatch(text)) and (window := _yearless_date(m["rest"])):
        return _which(m["which"], window.by_year, text)
    if m := _A_UNIT_AGO.fullmatch(text):
        return _ago(1, 1, m["unit"], text)
    if m := _AGO.fullmatch(text):
        low, high = _count(m["count"])
        return _ago(low, high, m["unit"], text)
    if m := _PAST.fullmatch(text):
        count = _count(m["count"])[1] if m["count"] else 1
        return _past(count, m["unit"], text)
    if m := _RECENT.fullmatch(text):
        return _recent(m["unit"], text)
    if m := _COMING.fullmatch(text):
        return _coming(m["unit"], text)
    if m := _WEEKEND.fullmatch(text):
        return _relative(_weekend, f"'{text}' → the latest weekend begun by publication (and, "
                                   "published on a Friday, the coming one: it may be meant)")
    if m := _EARLIER_LATER.fullmatch(text):
        return _earlier_later(m["which"], m["unit"], text)
    return None


def _count(text: str) -> tuple[int, int]:
    """The fewest and most units a count may mean: "two" → (2, 2), "a few" → (2, 9)."""
    if qualifiers.VAGUE_PATTERN.fullmatch(text):
        row = qualifiers.vague_count_named(text)
        return int(row.low), int(row.high) - 1
    value = numbers.parse_number(text)
    if value != int(value) or value < 0:
        raise _NotReal(f"'{text}' is not a whole number of units")
    return int(value), int(value)


def _weekday(which: str | None, weekday: int, text: str) -> _When:
    def on_or_before(p: date) -> Span:
        day = p - timedelta(days=(p.weekday() - weekday) % 7)
        return day, day

    def before(p: date) -> Span:
        day = p - timedelta(days=(p.weekday() - weekday - 1) % 7 + 1)
        return day, day

    def after(p: date) -> Span:
        day = p + timedelta(days=(weekday - p.weekday() - 1) % 7 + 1)
        return day, day

    def this(p: date) -> Span:
        day = p - timedelta(days=p.weekday() - weekday)
        return day, day

    resolve, how = {
        None: (on_or_before, "the latest such day on or before publication"),
        "on": (on_or_before, "the latest such day on or before publication"),
        "last": (before, "the latest such day before publication"),
        "next": (after, "the first such day after publication"),
        "this": (this, "that day of the publication week"),
    }[which]
    return _relative(resolve, f"'{text}' → {how}")


def _calendar(which: str, unit: str, text: str) -> _When:
    step = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[which]
    if unit == "year":
        return _relative(lambda p: _year_span(p.year + step), f"'{text}' → that calendar year")
    if unit == "month":
        return _relative(
            lambda p: _month_span(*_shift_month(p.year, p.month, step)),
            f"'{text}' → that calendar month",
        )

    def week(p: date) -> Span:
        earlier, later = _week_starts(p)
        if step < 0:  # previous Monday- or Sunday-started week, or the 7 days before p
            return earlier - timedelta(days=7), p - timedelta(days=1)
        if step == 0:
            return earlier, later + timedelta(days=6)
        return p + timedelta(days=1), later + timedelta(days=13)

    return _relative(week, f"'{text}' → the calendar week (Monday or Sunday start), or 7 days")


def _which(which: str, by_year: Callable[[int], Span], text: str) -> _When:
    """"last May": the latest May ending before publication; "next", the first starting after."""

    def resolve(p: date) -> Span:
        this = by_year(p.year)
        if which == "last":
            return this if this[1] < p else by_year(p.year - 1)
        if which == "next":
            return this if this[0] > p else by_year(p.year + 1)
        return this

    how = {"last": "the latest one ending before publication",
           "next": "the first one starting after publication",
           "this": "the one in the publication year"}[which]
    return _relative(resolve, f"'{text}' → {how}")


def _ago(fewest: int, most: int, unit: str, text: str) -> _When:
    """Whole calendar units, never a single day of false precision."""

    def years(p: date) -> Span:
        return date(p.year - most, 1, 1), date(p.year - fewest, 12, 31)

    def decades(p: date) -> Span:
        return date(p.year - 10 * most - 1, 1, 1), date(p.year - 10 * fewest + 1, 12, 31)

    def months(p: date) -> Span:
        first = _month_span(*_shift_month(p.year, p.month, -most))[0]
        return first, _month_span(*_shift_month(p.year, p.month, -fewest))[1]

    def weeks(p: date) -> Span:
        last = min(p - timedelta(days=7 * fewest - 6), p - timedelta(days=1))
        return p - timedelta(days=7 * most + 6), last

    def days(p: date) -> Span:
        return p - timedelta(days=most), p - timedelta(days=fewest)

    resolve, how = {
        "year": (years, "the whole year(s), counted from the publication year"),
        "decade": (decades, "those years ±1, counted from the publication year"),
        "month": (months, "the whole month(s), counted from the publication month"),
        "week": (weeks, "±6 days, never after publication"),
        "day": (days, "counted back from the publication day"),
    }[unit]
    return _relative(resolve, f"'{text}' → {how}")


def _past(count: int, unit: str, text: str) -> _When:
    """A rolling window ending at publication: "the past two years"."""

    def window(p: date) -> Span:
        if unit in _UNIT_DAYS:
            return p - timedelta(days=count * _UNIT_DAYS[unit]), p
        if unit == "month":
            return _months_before(p, count), p
        return _years_before(p, count * (10 if unit == "decade" else 1)), p

    return _relative(window, f"'{text}' → the rolling window up to publication")


def _recent(unit: str | None, text: str) -> _When:
    """"in recent years" from 1 January five years back; otherwise a number of days."""
    days = {"day": 14, "week": 56}.get(unit, 365)

    def window(p: date) -> Span:
        if unit == "year":
            return date(p.year - 5, 1, 1), p
        return p - timedelta(days=days), p

    how = "from 1 January five years before" if unit == "year" else f"the {days} days before"
    return _relative(window, f"'{text}' → {how} publication, up to it")


def _coming(unit: str, text: str) -> _When:
    """"in the coming days": from publication on, as far as "recent" reaches back (14 days, 8 weeks, a year)."""
    days = {"day": 14, "week": 56, "month": 365, "year": 5 * 365}[unit]
    return _relative(lambda p: (p, p + timedelta(days=days)), f"'{text}' → publication to {days} days after")


def _weekend(p: date) -> Span:
    """Saturday and Sunday of the latest weekend begun by ``p``; on a Friday, through the coming Sunday."""
    saturday = p - timedelta(days=(p.weekday() - 5) % 7)
    if p.weekday() == 4:
        return saturday, p + timedelta(days=2)
    return saturday, saturday + timedelta(days=1)


def _earlier_later(which: str, unit: str, text: str) -> _When:
    """"earlier this year" runs from its start to publication; "later", on to its end."""

    def whole(p: date) -> Span:
        if unit == "year":
            return _year_span(p.year)
        if unit == "month":
            return _month_span(p.year, p.month)
        earlier, later = _week_starts(p)
        return earlier, later + timedelta(days=6)

    if which == "later":
        return _relative(lambda p: (p, whole(p)[1]), f"'{text}' → publication to the {unit}'s end")
    return _relative(lambda p: (whole(p)[0], p), f"'{text}' → the {unit}'s start to publication")


def _open_ended(text: str) -> _When | None:
    """since / from ... onward / until / by / before / after."""
    if m := _SINCE.fullmatch(text):
        inner = _expression(m["rest"] or m["rest2"])
        if inner and inner.by_year:  # "since January": the last January begun by publication, never an upcoming one
            by_year = inner.by_year
            return _When(lambda p: (_latest_begun(by_year, p)[0], None), True,
                         (*(n for n in inner.notes if _NEAREST not in n),  # the year is chosen otherwise
                          "no year stated, and 'since' looks back: the last occurrence begun by publication",
                          "open end: no last day"), "since")
        if inner:
            return _open(inner, lambda span: (span[0], None), "open end: no last day", "since")
    if m := _UNTIL.fullmatch(text):
        inner = _expression(m["rest"])
        if inner is None:
            return None
        word = _SPACES.sub(" ", m["word"])
        if word in ("before", "prior to"):
            return _open(inner, _before, "open start, ending the day before", "before")
        if word == "after":
            return _open(inner, _after, "open end, starting the day after", "after")
        return _open(inner, lambda span: (None, span[1]), "open start: no first day", "until")
    return None


def _held_since(text: str) -> _When | None:
    """A value "since X" / "from X" / "as of X" / "X onwards": the thing already held at X, so X itself (its start)."""
    m = _AS_OF.fullmatch(text)
    if m is None:
        text = _without_leading_words(text)
        m = _SINCE.fullmatch(text) or _FROM.fullmatch(text)
    inner = m and _expression(m["rest"] or m.groupdict().get("rest2"))
    if not inner:
        return None
    note = "in a value, 'since', 'from' and 'as of' say it already held then: read as that time itself (its start), not an open span"
    if inner.by_year:  # "since October": the last October begun by publication, as in a ``when``
        by_year = inner.by_year
        return _When(lambda p: _latest_begun(by_year, p), True,
                     (*(n for n in inner.notes if _NEAREST not in n),
                      "no year stated, and 'since' looks back: the last occurrence begun by publication", note), "since")
    return _When(inner.resolve, inner.relative, (*inner.notes, note), "since")


def _from(text: str) -> _When | None:
    """A bare "from 2013", once it is known not to start a span: no last day."""
    if (m := _FROM.fullmatch(text)) and (inner := _expression(m["rest"])):
        return _open(inner, lambda span: (span[0], None), "open end: no last day", "since")
    return None


def _before(span: Span) -> Span:
    return None, (span[0] - timedelta(days=1) if span[0] else None)


def _after(span: Span) -> Span:
    return (span[1] + timedelta(days=1) if span[1] else None), None


def _span(text: str) -> _When | None:
    """From one date to another; a year-less start takes the end's year."""
    if m := _TWO_DIGIT_SPAN.fullmatch(text):
        first = int(m["year"])
        last = first // 100 * 100 + int(m["short"])
        last += 100 if last < first else 0
        return _years(first, last, text)
    for pattern in (_BETWEEN, _TO):
        if (m := pattern.fullmatch(text)) and (joined := _join(m["left"], m["right"])):
            return joined
    if text.startswith("between "):  # "between 2013-2017"
        return _span(text[len("between "):])
    for position, char in enumerate(text):
        if char in "-/" and (joined := _join(text[:position].strip(), text[position + 1:].strip())):
            return joined
    return None


def _join(left_text: str, right_text: str) -> _When | None:
    if not left_text or not right_text:
        return None
    right = _expression(right_text)
    left = right and _expression(left_text)
    if not left:
        return None
    notes = left.notes + right.notes + ("a span from the first to the last day",)
    if left.by_year and right.by_year:  # "from June to August": one year-less window

        def by_year(year: int) -> Span:
            low, high = left.by_year(year)[0], right.by_year(year)[1]
            return (low, high) if low <= high else (low, right.by_year(year + 1)[1])

        return _yearless(by_year, notes, "range")
    if left.by_year and not right.relative:  # "from June to August 2021"
        end = right.resolve(None)

        def inherit(_):
            low = left.by_year(end[0].year)[0]
            return (low if low <= end[0] else left.by_year(end[0].year - 1)[0]), end[1]

        return _When(inherit, False, notes, "range")

    def both(p):
        low, high = left.resolve(p)[0], right.resolve(p)[1]
        if low and high and low > high:
            raise _NotReal(f"the span ends ({high}) before it starts ({low})")
        return low, high

    return _When(both, left.relative or right.relative, notes, "range")


# --- resolving against the publication date -------------------------------------


def _resolve(phrase: str, when: _When, published: PartialDate | None) -> TimeReading:
    notes = list(when.notes)
    if when.relative:
        if published is None:
            return TimeReading(None, warning=(
                f"{phrase!r} is relative to the publication date, which is not known: "
                "give the source's publication date (YYYY, YYYY-MM or YYYY-MM-DD)"))
        window = published.interval()
        low, high = when.resolve(window.low)[0], when.resolve(window.high)[1]
        if published.precision == "day":
            notes.append(f"publication date {published}")
        else:
            notes.append(f"publication known only to the {published.precision} ({published}): "
                         "every day it could mean is included")
    else:
        low, high = when.resolve(None)
    if low and high and low > high:
        raise _NotReal(f"it ends ({high}) before it starts ({low})")
    notes.append(f"→ {low or '…'} to {high or '…'}")
    return TimeReading(Interval(low, high), _precision(low, high), tuple(notes))


def _fallback(phrase: str, published: PartialDate | None, language: str) -> TimeReading | None:
    """dateparser for formats the grammar lacks ("17.09.2021"); its period gives the precision."""
    if not _WORTH_A_FALLBACK.search(phrase):  # dateparser reads "3,00" as March 2000
        return None
    probes = [_dateparser_span(phrase, language, day) for day in _PROBE_DAYS]
    if probes[0] is None:
        return None
    notes = [f"read by dateparser ({language})"]
    if probes[0] == probes[1]:
        low, high = probes[0]
    elif published is None:
        return TimeReading(None, warning=(
            f"{phrase!r} is relative to the publication date, which is not known: "
            "give the source's publication date (YYYY, YYYY-MM or YYYY-MM-DD)"))
    else:
        window = published.interval()
        first, last = (_dateparser_span(phrase, language, p) for p in (window.low, window.high))
        if first is None or last is None:
            return None
        low, high = min(first[0], last[0]), max(first[1], last[1])
        notes.append(f"relative to publication {published}")
    return TimeReading(Interval(low, high), _precision(low, high), tuple(notes))


_PROBE_DAYS = (date(2001, 3, 5), date(2011, 8, 20))  # if the readings differ, it is relative


@lru_cache(maxsize=64)
def _date_data_parser(language: str, base: date):
    from dateparser.date import DateDataParser

    languages = [language] if language == "en" else [language, "en"]
    settings = {"RELATIVE_BASE": datetime(base.year, base.month, base.day),
                "PREFER_DAY_OF_MONTH": "first"}
    return DateDataParser(languages=languages, settings=settings)


def _dateparser_span(phrase: str, language: str, base: date) -> Span | None:
    try:
        data = _date_data_parser(language, base).get_date_data(phrase)
    except ValueError:  # an unsupported language code
        return None
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "year":
        return _year_span(day.year)
    if data.period == "month":
        return _month_span(day.year, day.month)
    if data.period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    return day, day


# --- public API -----------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _read(phrase: str, published: PartialDate | None, language: str, fallback: bool, value: bool = False):
    """(TimeReading, qualifier), or None when the phrase is not a date expression.

    ``value``: read as a date value, where "since X" means X itself (see :func:`_held_since`).
    """
    text = _normalise(phrase)
    try:
        when = _expression(text)
        if value and when is not None and (when.qualifier == "since" or _AS_OF.fullmatch(text)):
            when = _held_since(text) or when
        if when is None:
            reading = _fallback(phrase, published, language) if fallback else None
            return reading and (reading, "exact")
        return _resolve(phrase, when, published), when.qualifier
    except (_NotReal, OverflowError, ValueError) as exc:
        return TimeReading(None, warning=f"{phrase!r} is not a real date: {exc}"), "none"


def read_when(phrase: str, context: ParseContext | None = None, *, fallback: bool = True):
    """The days ``phrase`` may mean, or None when it is not a date expression at all.

    A recognised phrase that cannot be resolved (an impossible day, a relative
    phrase without a publication date) gives an unparsed TimeReading with a
    warning. ``fallback=False`` skips dateparser (for guessing a value's kind).
    """
    context = context or _NO_CONTEXT
    found = _read(phrase.strip(), context.published, context.language, fallback)
    return found and found[0]


def parse_when(phrase: str, context: ParseContext | None = None) -> TimeReading:
    """The days a ``when`` phrase refers to, resolved against ``context.published``.

    Never raises for bad input: a phrase that is not a date, or not a real one,
    gives ``TimeReading(interval=None, warning=...)`` naming the phrase.
    """
    return read_when(phrase, context) or TimeReading(None, warning=_not_a_date(phrase))


def read_date_value(phrase: str, context: ParseContext | None = None, *, fallback: bool = True):
    """A date value's reading (kind date or unparsed), or None when not a date expression.

    Unlike in a ``when``, "since 2013" in a value (a start date, a launch
    date) says the thing already held in 2013: it reads as 2013, with a note.
    """
    context = context or _NO_CONTEXT
    found = _read(phrase.strip(), context.published, context.language, fallback, True)
    if found is None:
        return None
    reading, qualifier = found
    if not reading.parsed:
        return ValueReading("unparsed", qualifier="none", warning=reading.warning,
                            notes=reading.notes)
    return ValueReading("date", reading.interval, precision=reading.precision,
                        qualifier=qualifier, notes=reading.notes)


def parse_date_value(phrase: str, context: ParseContext | None = None) -> ValueReading:
    """A stated date as a value: kind ``date`` with its interval and precision, else unparsed."""
    return read_date_value(phrase, context) or ValueReading(
        "unparsed", qualifier="none", warning=_not_a_date(phrase)
    )


def _not_a_date(phrase: str) -> str:
    return (
        f"{phrase!r} is not a date: expected e.g. '2014', 'June 2019', 'October 23, 2019', "
        "'late October', '2013-2017', 'since 2013' or 'two years ago'"
    )
