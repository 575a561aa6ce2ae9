"""Stated times of day ("2:57 PMDec 01", "12/4/11 9:35 PM (-05:00)") as comparable minutes.

A ``time`` value is a moment on a clock: a time of day, with the date it
falls on when the phrase states one. It is read as **minutes since
1970-01-01 00:00 on the local clock** (the clock the phrase was written in:
a departure time is the departure airport's local time), so every reading,
whatever its format, is one number on one scale. What the phrase leaves out
is resolved against the reference day — the source's publication date, for
a crawled web page the day of the crawl:

* no date at all ("2:57 PM"): the reference day;
* a date without a year ("Dec 01", "Thu, Dec 1", "12/1"): the year that puts
  it nearest to the reference day ("Jan 01" read on 2011-12-31 is 2012-01-01);
* several dates ("2011-12-02 12/1 6:00 AM"): the first one stating its year.

Understood forms: ``14:07``, ``2:07 PM``, ``2:07pm``, ``2:07p``, ``2:07P``,
``9:45 a.m.``, ``12:00noon``, ``12:00midnight`` next to ``2011-12-01``,
``12/01/2011``, ``12/1/11``, ``12-01-11``, ``01-Dec-2011``, ``Dec 01``,
``Dec.01, 2011``, ``December 8, 2011``, with or without a weekday. A time
without am/pm is a 24-hour clock time. Time zones (``EST``, ``(-05:00)``) and
status words (``(Estimated)``, ``(runway)``, ``On Time``, ``Delayed``, a
trailing ``*``) are kept in the notes, not applied: they do not change which
clock time was stated. ``(Estimated)`` and ``*`` also set the qualifier
``estimated``.

**Tolerance.** Clocks and crawls disagree by a minute or two about one event,
so a time is read as the interval ``[t − tolerance/2, t + tolerance/2]``;
two times overlap — are the same departure — when they are at most
``TOLERANCE_MINUTES`` (5) apart. ``ParseContext.tolerances["time_minutes"]``
overrides it (0 compares to the minute).

A phrase stating no time ("Contact Airline", "Cancelled", "Not Available", a
date alone) is kind ``unparsed`` with a warning saying why: kept as stated,
never guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from ledger.core.readings import Interval, ParseContext, ValueReading

#: Two times at most this many minutes apart are compatible (the same event).
TOLERANCE_MINUTES = Decimal(5)
TOLERANCE_KEY = "time_minutes"
EPOCH = date(1970, 1, 1)
MINUTES_PER_DAY = 1440
REST_CACHE = 8_192  # phrases' rests (dates, statuses, zones) kept with the reference day: a crawl repeats them

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
          r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_CLOCK = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2}):(?P<m>\d{2})(?![\d:])\s*"
    r"(?P<ampm>a\.\s?m\.|p\.\s?m\.|am|pm|noon|midnight|a|p)?",
    re.IGNORECASE,
)
#: Date forms, most specific first; each yields (year or None, month, day).
_DATES = (
    ("iso", re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?!\d)")),
    ("us", re.compile(r"(?<![\d/])(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])")),
    ("us-dash", re.compile(r"(?<![\d-])(?P<mo>\d{1,2})-(?P<d>\d{1,2})-(?P<y>\d{2})(?![\d-])")),
    ("day-mon-year", re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})-{_MONTH}-(?P<y>\d{{4}})(?!\d)", re.IGNORECASE)),
    ("mon-day", re.compile(rf"(?<![a-z]){_MONTH}\.?\s*(?P<d>\d{{1,2}})(?!\d)(?:,?\s*(?P<y>\d{{4}})(?!\d))?",
                           re.IGNORECASE)),
    ("month-day", re.compile(r"(?<![\d/])(?P<mo>\d{1,2})/(?P<d>\d{1,2})(?![\d/])")),
)
#: What a text must hold for each date form to match in it ("a": a letter, as ``_MONTH`` folds case):
#: a form whose marks are missing is not searched (most phrases state one form of date).
_DATE_MARKS = {"iso": "-", "us": "/", "us-dash": "-", "day-mon-year": "-a", "mon-day": "a", "month-day": "/"}
_LETTER = re.compile(r"[a-z]", re.IGNORECASE)
_ZONE = re.compile(
    r"\((?P<offset>[+-]\d{2}:?\d{2})\)|(?<![a-z])(?P<abbr>[A-Z]{1,2}[SD]T|UTC|GMT)(?![a-z])"
)
_ESTIMATED = re.compile(r"\(\s*estimated(?:\s+runway)?\s*\)|\*\s*$", re.IGNORECASE)
_STATUS = re.compile(
    r"\(\s*(?:estimated\s+)?runway\s*\)|\(\s*estimated(?:\s+runway)?\s*\)|\bon\s+time\b|\bdelayed\b"
    r"|\bextra\s+stop\b|\*\s*$|&nbsp;?",
    re.IGNORECASE,
)
#: Words that say no time is given; the reading is unparsed with this reason.
_NO_TIME = (
    (re.compile(r"cancel+ed|cxld", re.IGNORECASE), "says the flight was cancelled"),
    (re.compile(r"contact\s+airline|not\s+(?:available|provided)|unknown|n/a", re.IGNORECASE),
     "says the time is not available"),
    (re.compile(r"pending|possible\s+delay", re.IGNORECASE), "says the time is pending"),
)
_ANY_NO_TIME = re.compile("|".join(pattern.pattern for pattern, _ in _NO_TIME), re.IGNORECASE)  # one search first
_WEEKDAY = re.compile(r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?,?",
                      re.IGNORECASE)
_LEFTOVER = re.compile(r"[a-z]{2,}", re.IGNORECASE)


def time_tolerance(context: ParseContext | None) -> Decimal:
    """The tolerance in minutes in force for ``context`` (default TOLERANCE_MINUTES)."""
    if context is not None and context.tolerances and TOLERANCE_KEY in context.tolerances:
        return Decimal(str(context.tolerances[TOLERANCE_KEY]))
    return TOLERANCE_MINUTES


def parse_time_value(phrase: str, context: ParseContext) -> ValueReading:
    """Read a stated time of day into kind ``time`` (minutes since 1970-01-01 00:00, local clock).

    ``context.published`` is the reference day for a missing date or year; it
    must be day-precise for those. The interval is the stated minute widened
    by half the tolerance each way (see module docstring). A phrase without a
    readable clock time gives kind ``unparsed`` with a warning; never raises.
    """
    text = phrase.replace("\u00a0", " ").replace("&nbsp", " ").strip()
    if not text:
        return _unparsed(phrase, "the phrase is empty")
    if _ANY_NO_TIME.search(text):
        for pattern, why in _NO_TIME:
            if pattern.search(text):
                return _unparsed(phrase, why)
    clock = _CLOCK.search(text)
    if clock is None:
        reason = "a date without a time of day" if _find_dates(text) else "no time of day (h:mm) found"
        return _unparsed(phrase, reason)
    notes: list[str] = []
    minutes_of_day = _minutes_of_day(clock, notes)
    if isinstance(minutes_of_day, str):
        return _unparsed(phrase, minutes_of_day)
    qualifier, rest_notes, day = _beside_the_clock(text[: clock.start()] + " " + text[clock.end():],
                                                   _reference_day(context))
    if isinstance(day, str):
        return _unparsed(phrase, day)
    notes.extend(rest_notes)
    minute = (day - EPOCH).days * MINUTES_PER_DAY + minutes_of_day
    tolerance = time_tolerance(context)
    half = tolerance / 2
    shown = format_minutes(minute)
    notes.append(f"→ {shown}{_tolerance_note(tolerance)}")
    return ValueReading(
        "time",
        Interval(Decimal(minute) - half, Decimal(minute) + half),
        unit="minutes",
        text=shown,
        qualifier=qualifier,
        notes=tuple(notes),
    )


@lru_cache(maxsize=REST_CACHE)
def _beside_the_clock(rest: str, reference: date | None) -> tuple[str, tuple[str, ...], date | str]:
    """What a phrase states besides its clock time (``rest``): the qualifier, the notes, and the day or why none.

    A function of ``rest`` and the reference day alone, so cached: a crawl's pages state the same dates,
    status words and zones beside many clock times.
    """
    notes: list[str] = []
    qualifier = "estimated" if _ESTIMATED.search(rest) else "exact"
    if statuses := list(_STATUS.finditer(rest)):
        for found in statuses:
            word = found.group().strip(" ;&")
            if word and word.lower() != "nbsp":
                notes.append(f"status '{word}' noted; the clock time is read as stated")
        rest = _STATUS.sub(" ", rest)
    if zone := _ZONE.search(rest):
        notes.append(f"time zone '{zone.group().strip()}' noted: the local clock time is kept")
        rest = rest[: zone.start()] + " " + rest[zone.end():]
    dates = _find_dates(rest)
    day = _stated_day(dates, reference, notes)
    if isinstance(day, str):
        return qualifier, (), day
    leftover = _LEFTOVER.findall(_WEEKDAY.sub(" ", _strip_dates(rest, dates)))
    if leftover:
        return qualifier, (), f"unexpected words {' '.join(leftover)!r} next to the time"
    return qualifier, tuple(notes), day


def _minutes_of_day(clock: re.Match, notes: list[str]) -> int | str:
    hour, minute = int(clock["h"]), int(clock["m"])
    marker = (clock["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if minute > 59:
        return f"{clock.group().strip()!r} is not a clock time"
    if marker in ("noon", "midnight"):
        if hour != 12:
            return f"{clock.group().strip()!r} is not a clock time"
        return 12 * 60 + minute if marker == "noon" else minute
    if marker:
        if not 1 <= hour <= 12:
            return f"{clock.group().strip()!r} is not a 12-hour clock time"
        hour = hour % 12 + (12 if marker.startswith("p") else 0)
        return hour * 60 + minute
    if hour > 23:
        return f"{clock.group().strip()!r} is not a clock time"
    notes.append("no am/pm: read as a 24-hour clock time")
    return hour * 60 + minute


def _find_dates(text: str) -> list[tuple[str, re.Match]]:
    found, taken = [], []
    marks = {mark for mark in "-/" if mark in text}
    if _LETTER.search(text):
        marks.add("a")
    for name, pattern in _DATES:
        if not marks.issuperset(_DATE_MARKS[name]):
            continue
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            found.append((name, match))
    return sorted(found, key=lambda item: item[1].start())


def _strip_dates(text: str, dates: list[tuple[str, re.Match]]) -> str:
    """``text`` without its ``dates`` (``_find_dates(text)``)."""
    for _, match in sorted(dates, key=lambda item: -item[1].start()):
        text = text[: match.start()] + " " + text[match.end():]
    return text


def _stated_day(dates: list[tuple[str, re.Match]], reference: date | None, notes: list[str]) -> date | str:
    """The day the clock time falls on: the stated date (of ``dates``), completed from the reference day."""
    if not dates:
        if reference is None:
            return "a time of day without a date, and no day-precise publication date to resolve it against"
        notes.append(f"no date stated: the reference day {reference.isoformat()}")
        return reference
    with_year = [d for d in dates if d[1].groupdict().get("y")]
    name, match = (with_year or dates)[0]
    if len(dates) > 1:
        ignored = ", ".join(repr(m.group().strip()) for _, m in dates if m is not match)
        notes.append(f"several dates stated: {match.group().strip()!r} used, {ignored} ignored")
    parts = match.groupdict()
    month = _MONTHS[parts["mon"][:3].casefold()] if parts.get("mon") else int(parts["mo"])
    day_of_month = int(parts["d"])
    year_text = parts.get("y")
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        try:
            return date(year, month, day_of_month)
        except ValueError:
            return f"{match.group().strip()!r} is not a real date"
    if reference is None:
        return f"{match.group().strip()!r} states no year, and there is no day-precise publication date"
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, day_of_month))
        except ValueError:
            continue
    if not candidates:
        return f"{match.group().strip()!r} is not a real date"
    nearest = min(candidates, key=lambda d: abs((d - reference).days))
    notes.append(f"{match.group().strip()!r} states no year: {nearest.year}, nearest to {reference.isoformat()}")
    return nearest


def _reference_day(context: ParseContext) -> date | None:
    published = context.published
    if published is None or published.day is None:
        return None
    return date(published.year, published.month, published.day)


def format_minutes(minute: float | int | Decimal) -> str:
    """Minutes since 1970-01-01 00:00 as ``YYYY-MM-DD HH:MM`` (rounded to the minute)."""
    return _formatted_minute(round(float(minute)))


@lru_cache(maxsize=8192)
def _formatted_minute(minute: int) -> str:
    """Cached: the sources of one event state its minute again and again."""
    moment = datetime(1970, 1, 1) + timedelta(minutes=minute)
    return moment.strftime("%Y-%m-%d %H:%M")


@lru_cache(maxsize=64)
def _tolerance_note(tolerance: Decimal) -> str:
    """What a time's note says of ``tolerance`` (nothing when it is zero)."""
    half = tolerance / 2
    return f", ±{_fmt(half)} min (tolerance {_fmt(tolerance)} min)" if half else ""


def minutes_of(moment: datetime) -> int:
    """A local clock time as minutes since 1970-01-01 00:00 (for tests and converters)."""
    return (moment.date() - EPOCH).days * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


def _fmt(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _unparsed(phrase: str, why: str) -> ValueReading:
    return ValueReading("unparsed", qualifier="none", warning=f"could not read {phrase!r} as a time: {why}")
