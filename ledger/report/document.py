"""The conflict report as one document: header, severity index, groups with number lines, incomparable pairs.

Pure: ``ReportData`` (what ``ledger.db.report.load_report`` read) in, a tree of
plain values out, which the HTML and Markdown templates both walk, so the two
formats say the same thing. A group is one subject and attribute: its pairs,
one number line per scale its claims are measured on, a timeline when the
claims are about different times, and each claim in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from ledger.core.comparability import Frame, money_frame
from ledger.core.conflicts import Comparable
from ledger.report.encode import plural
from ledger.report.numberline import Interval, NumberLine, is_unbounded_day, layout
from ledger.report.sentences import Article, InSentence

BANDS = (  # (name, lowest severity in it): a group sits in the band of its most severe pair
    ("far apart (severity ≥ 0.5)", 0.5),
    ("clear gap (0.1 to 0.5)", 0.1),
    ("small gap (under 0.1)", 1e-9),
    ("ranges only touch (0)", float("-inf")),
)
NOT_ON_A_LINE = ("text", "unparsed", "identifier")
STATUS_WORDS = {"active": "open and confirmed", "open": "open", "confirmed": "confirmed",
                "dismissed": "dismissed", "all": "all (open, confirmed, dismissed, stale verdicts)"}


@dataclass
class ClaimView:
    row: dict  # the claim as in ``conflicts --format json``
    source: dict
    read_as: str  # the engine's interval in words, on its scale
    scale: str
    notes: list[str]
    on_scale: list[str]  # the notes in short, for the caption of the number line
    time: str
    sentence: InSentence | None


@dataclass
class Group:
    anchor: str
    subject: str
    attribute: str
    severity: float
    pairs: list[dict]
    claims: list[ClaimView]
    lines: list[NumberLine] = field(default_factory=list)
    timeline: NumberLine | None = None
    unplotted: list[ClaimView] = field(default_factory=list)


@dataclass
class Document:
    title: str
    covers: list[str]
    head_seq: int
    head_hash: str
    generated: str
    index: list[tuple[str, list[Group]]]
    groups: list[Group]
    incomparable: list[Group]
    stale: list[dict]
    left_out: list[str]


def build(data, *, ledger: str = "", now: datetime | None = None) -> Document:
    """The report of ``data`` (a ``ReportData``); ``ledger`` names the database in the header."""
    articles: dict[str, Article] = {}
    groups = _groups(data.conflicts, data, articles, "g")
    incomparable = _groups(data.incomparable, data, articles, "i")
    covers = [
        f"Ledger: {ledger}" if ledger else "",
        f"Subject: {data.subject} (canonical name, alias, or names containing it)" if data.subject else
        "Subjects: all",
        f"Verdicts: {STATUS_WORDS.get(data.status, data.status)}",
        f"Shown: {len(groups)} of {plural(data.groups_total, 'conflict group')} ({plural(len(data.conflicts), 'pair')}), "
        f"{len(incomparable)} of {plural(data.incomparable_groups_total, 'incomparable group')} "
        f"({plural(len(data.incomparable), 'pair')})",
    ]
    return Document(
        title=f"Conflict report{f': {data.subject}' if data.subject else ''}",
        covers=[line for line in covers if line],
        head_seq=data.head[0],
        head_hash=data.head[1],
        generated=(now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC"),
        index=[(name, members) for name, members in _bands(groups) if members],
        groups=groups,
        incomparable=incomparable,
        stale=data.stale,
        left_out=_left_out(data, len(groups), len(incomparable)),
    )


def _left_out(data, shown: int, shown_incomparable: int) -> list[str]:
    lines = []
    if data.groups_total > shown:
        lines.append(f"{plural(data.groups_total - shown, 'conflict group')} left out (--limit {data.limit}; "
                     f"the least severe); `ledger conflicts` lists every pair.")
    if data.incomparable_groups_total > shown_incomparable:
        lines.append(f"{plural(data.incomparable_groups_total - shown_incomparable, 'incomparable group')} left out "
                     f"(--limit {data.limit}); `ledger conflicts --incomparable` lists them.")
    return lines


def _bands(groups: list[Group]) -> list[tuple[str, list[Group]]]:
    bands: list[tuple[str, list[Group]]] = [(name, []) for name, _ in BANDS]
    for group in groups:
        index = next(i for i, (_, lowest) in enumerate(BANDS) if group.severity >= lowest)
        bands[index][1].append(group)
    return bands


def _groups(rows: list[dict], data, articles: dict[str, Article], prefix: str) -> list[Group]:
    grouped: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        grouped.setdefault((row["subject"], row["attribute"]), []).append(row)
    return [_group(f"{prefix}{number}", pairs, data, articles) for number, pairs in enumerate(grouped.values(), 1)]


def _group(anchor: str, pairs: list[dict], data, articles: dict[str, Article]) -> Group:
    seen: dict[int, ClaimView] = {}
    for pair in pairs:
        for claim in pair["claims"]:
            if claim["id"] not in seen:
                seen[claim["id"]] = _claim(claim, data, articles)
    claims = list(seen.values())
    group = Group(anchor=anchor, subject=pairs[0]["subject"], attribute=pairs[0]["attribute"],
                  severity=max(pair["severity"] for pair in pairs), pairs=pairs, claims=claims)
    by_scale: dict[str, list[ClaimView]] = {}
    for claim in claims:
        engine = data.engine.get(claim.row["id"])
        if engine is None or engine.scale in NOT_ON_A_LINE or (engine.low is None and engine.high is None):
            group.unplotted.append(claim)
        else:
            by_scale.setdefault(engine.scale, []).append(claim)
    for scale, members in by_scale.items():
        engines = [data.engine[c.row["id"]] for c in members]
        frame = money_frame([e.money for e in engines]) if all(e.money for e in engines) else None
        intervals = [_interval(engine, claim, frame) for engine, claim in zip(engines, members)]
        line = layout(intervals, f"{scale} in {frame.currency}" if frame else scale)
        notes = ([frame_note(frame)] if frame and frame.converts else []) + sorted(
            {note for c in members for note in c.on_scale})
        if notes:
            line.caption += " — " + "; ".join(notes)
        group.lines.append(line)
    group.timeline = _timeline(claims, data.engine)
    return group


def _interval(engine: Comparable, claim: ClaimView, frame: Frame | None) -> Interval:
    """A claim on its line; money in the frame's currency, as the interval it takes over the frame's rates."""
    row = claim.row
    label = _label(row)
    low, high = frame.amount(engine.money) if frame else (engine.low, engine.high)
    return Interval(row["id"], label, low, high, engine.low_open, engine.high_open, title=f"{label}: {claim.read_as}")


def frame_note(frame: Frame) -> str:
    """How amounts in other currencies were put in the line's currency (as the conflict engine does)."""
    others = ", ".join(sorted(set(frame.rates) - {frame.currency}))
    span = " to ".join(_iso(d) for d in (frame.first, frame.last) if d)
    return (f"{others} shown in {frame.currency} from the lowest to the highest rate"
            + (f" of {span}" if span else ""))


def _label(row: dict) -> str:
    """A claim on a line: outlet (or source key), publication date, claim id."""
    return f"{row['outlet'] or row['source']} · {row['published'] or 'undated'} · #{row['id']}"


def _timeline(claims: list[ClaimView], engine: dict[int, Comparable]) -> NumberLine | None:
    """The times the claims are about, when they differ (timeless attributes have none)."""
    spans = {c.row["id"]: engine[c.row["id"]].days for c in claims
             if c.row["id"] in engine and engine[c.row["id"]].days is not None}
    if len(set(spans.values())) < 2:
        return None
    intervals = []
    for claim in claims:
        if claim.row["id"] not in spans:
            continue
        low, high = spans[claim.row["id"]]
        row = claim.row
        label = _label(row)
        intervals.append(Interval(row["id"], label, None if is_unbounded_day(low) else low,
                                  None if is_unbounded_day(high) else high, title=f"{label}: {claim.time}"))
    line = layout(intervals, "date")
    line.caption = "time each claim is about"
    return line


def _claim(claim: dict, data, articles: dict[str, Article]) -> ClaimView:
    source = data.sources.get(claim["source"], {"key": claim["source"], "title": None, "url": None, "text": None})
    if claim["source"] not in articles:
        articles[claim["source"]] = Article(source.get("text"))
    engine = data.engine.get(claim["id"])
    reading = data.readings.get(claim["id"], {})
    return ClaimView(
        row=claim,
        source=source,
        read_as=engine.label if engine else "",
        scale=engine.scale if engine else "",
        notes=period_notes(reading),
        on_scale=period_notes(reading, short=True),
        time=time_words(claim, reading),
        sentence=articles[claim["source"]].sentence_of(claim["quote"]),
    )


def period_notes(reading: dict, *, short: bool = False) -> list[str]:
    """How an amount per period was put on a yearly footing (currencies are noted on the number line)."""
    if not reading.get("period") or reading["period"] == "year":
        return []
    return [f"amounts per {reading['period']} scaled to a year" if short else f"per {reading['period']}, scaled to a year"]


def time_words(claim: dict, reading: dict) -> str:
    """The time a claim is about: as stated with its days, or the publication date it defaults to."""
    low, high = reading.get("time_low"), reading.get("time_high")
    span = ""
    if low or high:
        span = _iso(low) if low == high else f"{_iso(low) if low else '…'} to {_iso(high) if high else '…'}"
    if claim.get("when"):
        return f"{claim['when']} ({span})" if span else claim["when"]
    if claim.get("time_basis") == "published":
        return f"as of publication ({span})" if span else "as of publication"
    return span or "not stated"


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def number(value) -> str:
    """A number of the JSON rows for people: 1,000,000 and 10,750,000.5; dates and text as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,}"


def span(claim: dict) -> str:
    """A claim's low and high as in the JSON rows, with its currency, unit and period: '900,000 to 1,000,000 EUR'."""
    low, high = claim["low"], claim["high"]
    if low is None and high is None:
        words = "no bounds"
    elif low == high:
        words = number(low)
    else:
        words = f"{'(no lower end)' if low is None else number(low)} to {'(no upper end)' if high is None else number(high)}"
    extra = [claim.get("currency"), claim.get("unit"), f"per {claim['period']}" if claim.get("period") else None]
    return " ".join([words, *[part for part in extra if part]])
