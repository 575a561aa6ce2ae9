"""Number lines to scale: where each claim's interval sits on one axis, computed once for SVG and text.

Pure geometry. An axis maps values to a position in [0, 1]; it is linear, or
logarithmic when every finite end is positive and the largest is at least
``LOG_RATIO`` times the smallest (values that span orders of magnitude would
otherwise crowd into one corner). An unbounded end ("more than €1 million")
runs to the edge of the plot and is drawn as an arrow; a finite end is a dot,
hollow when open. Ends that two claims share (ranges that only touch) get a
dashed guide so the touch is visible. The templates only emit what is
computed here; the Markdown report draws the same rows in characters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from ledger.core.times import format_minutes

LOG_RATIO = 100  # log scale from two orders of magnitude between the smallest and largest end
PAD = 0.06  # share of the plot kept free at each side
ARROW_ROOM = 0.08  # extra share kept on a side where an interval is unbounded
UNBOUNDED = 10**8  # day numbers this large stand for "no end" (``day_span`` uses ±10**9)

# Pixel layout of the SVG (user units; the SVG scales to the page width).
WIDTH = 760
LABEL_WIDTH = 240
PLOT_LEFT = LABEL_WIDTH + 10
PLOT_RIGHT = WIDTH - 20
ROW_HEIGHT = 26
TOP = 12
TEXT_COLUMNS = 56  # characters of the Markdown drawing's plot


@dataclass(frozen=True)
class Interval:
    """One claim on the axis: None for an unbounded end; ``*_open`` for an end not included."""

    claim_id: int
    label: str
    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False
    title: str = ""


@dataclass(frozen=True)
class Axis:
    """Values ``low``..``high`` (log10 of them when ``log``) spread over [0, 1]."""

    low: float
    high: float
    log: bool = False

    def position(self, value: float) -> float:
        """Where ``value`` sits, 0 at the left end of the axis and 1 at the right."""
        t = math.log10(value) if self.log else value
        return (t - self.low) / (self.high - self.low)


@dataclass(frozen=True)
class Row:
    """One interval laid out: ends in pixels, what to draw at each end, and its label."""

    claim_id: int
    label: str
    title: str
    y: float
    x1: float
    x2: float
    left: str  # "arrow", "open", "closed"
    right: str
    point: bool


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass
class NumberLine:
    """Everything the SVG (and the text drawing) needs; ``caption`` names the scale and notes."""

    scale: str
    caption: str
    log: bool
    rows: list[Row]
    ticks: list[Tick]
    touches: list[float] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    axis_y: float = 0.0
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT

    def text(self) -> str:
        """The same rows in characters: ``<`` and ``>`` unbounded, ``(``/``)`` open ends, ``[``/``]`` closed."""
        span = self.plot_right - self.plot_left
        columns = TEXT_COLUMNS
        width = max(len(row.label) for row in self.rows) if self.rows else 0
        lines = []
        for row in self.rows:
            start = round((row.x1 - self.plot_left) / span * (columns - 1))
            stop = round((row.x2 - self.plot_left) / span * (columns - 1))
            cells = [" "] * columns
            if row.point:
                cells[start] = "●"
            else:
                for column in range(start, stop + 1):
                    cells[column] = "="
                cells[start] = {"arrow": "<", "open": "(", "closed": "["}[row.left]
                cells[stop] = {"arrow": ">", "open": ")", "closed": "]"}[row.right]
            lines.append(f"{row.label.ljust(width)} |{''.join(cells)}|")
        axis = [" "] * columns
        labels = ""
        for tick in self.ticks:
            column = round((tick.x - self.plot_left) / span * (columns - 1))
            axis[column] = "+"
        for tick in self.ticks:
            labels += f"{' ' if labels else ''}{tick.label}"
        lines.append(f"{''.join([' '] * width)} |{''.join(axis)}|")
        lines.append(f"{''.join([' '] * width)}  ticks: {labels}")
        return "\n".join(lines)


def fit_axis(ends: list[float], *, unbounded_left: bool = False, unbounded_right: bool = False,
             allow_log: bool = True) -> Axis:
    """An axis holding every finite end with a margin (and room for arrows on unbounded sides)."""
    finite = [value for value in ends if value is not None and math.isfinite(value)]
    log = allow_log and bool(finite) and min(finite) > 0 and max(finite) / min(finite) >= LOG_RATIO
    points = [math.log10(value) for value in finite] if log else finite
    if not points:
        low, high = 0.0, 1.0
    else:
        low, high = min(points), max(points)
    if high == low:
        half = 0.5 if log else max(abs(low) * 0.5, 1.0)
        low, high = low - half, high + half
    span = high - low
    low -= span * (PAD + (ARROW_ROOM if unbounded_left else 0))
    high += span * (PAD + (ARROW_ROOM if unbounded_right else 0))
    return Axis(low, high, log)


def layout(intervals: list[Interval], scale: str, caption: str = "") -> NumberLine:
    """The number line of ``intervals`` measured on ``scale`` ("EUR per year", "count", "date", "minutes", …)."""
    ends = [value for iv in intervals for value in (iv.low, iv.high)]
    axis = fit_axis(
        ends,
        unbounded_left=any(iv.low is None for iv in intervals),
        unbounded_right=any(iv.high is None for iv in intervals),
        allow_log=scale not in ("date", "minutes"),
    )
    x = _pixels(axis)
    is_date = scale == "date"
    rows = []
    in_order = sorted(intervals, key=lambda iv: (iv.low is not None, iv.low or 0, iv.high is None, iv.high or 0))
    for index, iv in enumerate(in_order):
        y = TOP + ROW_HEIGHT * index + ROW_HEIGHT / 2
        x1 = PLOT_LEFT if iv.low is None else x(iv.low)
        x2 = PLOT_RIGHT if iv.high is None else x(iv.high)
        left = "arrow" if iv.low is None else ("open" if iv.low_open and not is_date else "closed")
        right = "arrow" if iv.high is None else ("open" if iv.high_open and not is_date else "closed")
        point = iv.low is not None and iv.high is not None and iv.low == iv.high
        rows.append(Row(iv.claim_id, _shorten(iv.label, 38), iv.title or iv.label, y, x1, x2, left, right, point))
    axis_y = TOP + ROW_HEIGHT * len(intervals) + 6
    return NumberLine(
        scale=scale,
        caption=caption or _caption(scale, axis.log),
        log=axis.log,
        rows=rows,
        ticks=[Tick(x(value), label) for value, label in ticks(axis, scale)],
        touches=sorted({x(value) for value in _shared_ends(intervals)}),
        height=int(axis_y + 30),
        axis_y=axis_y,
    )


def _pixels(axis: Axis):
    def x(value: float) -> float:
        return round(PLOT_LEFT + axis.position(value) * (PLOT_RIGHT - PLOT_LEFT), 2)
    return x


def _shared_ends(intervals: list[Interval]) -> set[float]:
    """Finite values where one interval ends and another begins: ranges that touch."""
    lows = {iv.low: index for index, iv in enumerate(intervals) if iv.low is not None and iv.low != iv.high}
    return {iv.high for index, iv in enumerate(intervals)
            if iv.high is not None and iv.high in lows and lows[iv.high] != index}


def _caption(scale: str, log: bool) -> str:
    if scale == "date":
        return "date"
    if scale == "minutes":
        return "local time"
    return f"{scale}, {'logarithmic' if log else 'linear'} scale"


def ticks(axis: Axis, scale: str, target: int = 5) -> list[tuple[float, str]]:
    """Round values inside the axis, with labels: powers of ten (log), dates, times, or 1-2-5 steps."""
    if scale == "date":
        return _date_ticks(axis)
    if axis.log:
        first, last = math.ceil(axis.low), math.floor(axis.high)
        values = [10.0**k for k in range(first, last + 1)]
        if len(values) < 3:
            values = sorted({m * 10.0**k for k in range(first - 1, last + 1) for m in (1, 2, 5)
                             if axis.low <= math.log10(m * 10.0**k) <= axis.high})
        return _labelled(values)
    values = _nice(axis.low, axis.high, 4 if scale == "minutes" else target)
    if scale == "minutes":
        return [(value, format_minutes(value)) for value in values]
    return _labelled(values)


def _labelled(values: list[float]) -> list[tuple[float, str]]:
    """Each value with the shortest compact label that tells it from its neighbours."""
    for digits in range(3, 16):
        labels = [compact(value, digits) for value in values]
        if len(set(labels)) == len(labels):
            break
    return list(zip(values, labels))


def _nice(low: float, high: float, target: int) -> list[float]:
    raw = (high - low) / max(target, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step)
    return [k * step for k in range(first, math.floor(high / step) + 1)]


def _date_ticks(axis: Axis) -> list[tuple[float, str]]:
    """Year starts, month starts or days, whichever gives a handful of ticks (values are day numbers)."""
    low = date.fromordinal(max(1, math.ceil(axis.low)))
    high = date.fromordinal(min(date.max.toordinal(), math.floor(axis.high)))
    years = high.year - low.year
    if years >= 3:
        step = max(1, math.ceil(years / 6))
        found = [date(y, 1, 1) for y in range(low.year, high.year + 1) if y % step == 0]
        return [(d.toordinal(), str(d.year)) for d in found if low <= d <= high]
    months = years * 12 + high.month - low.month
    if months >= 2:
        step = max(1, math.ceil(months / 6))
        found = []
        year, month = low.year, low.month
        while (year, month) <= (high.year, high.month):
            if (year * 12 + month - 1) % step == 0:
                found.append(date(year, month, 1))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return [(d.toordinal(), d.strftime("%Y-%m")) for d in found if low <= d <= high]
    step = max(1, math.ceil((high - low).days / 6))
    return [(k, date.fromordinal(k).isoformat()) for k in range(low.toordinal(), high.toordinal() + 1, step)]


def compact(value: float, digits: int = 3) -> str:
    """A tick label: 950, 12k, 1.5M, 6bn, 2.5T (``digits`` significant digits at most)."""
    for size, suffix in ((1e12, "T"), (1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.{digits}g}{suffix}"
    return f"{value:.{digits}g}"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_unbounded_day(day: float | None) -> bool:
    return day is None or abs(day) >= UNBOUNDED
