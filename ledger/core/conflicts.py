"""The conflict rules: which claims cannot all be true, how badly, and who backs each side.

Pure: claims in (as ``Comparable`` records built from their readings), pairs
out. Work is grouped by (subject, attribute) and, inside a group, intervals are
sorted and swept, so cost grows with the number of claims and of pairs found,
never with all pairs of the ledger.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from ledger.core import identifiers, person_names
from ledger.core.comparability import Frame, Money, money_frame
from ledger.core.wording import rate_words


@dataclass(frozen=True)
class Comparable:
    """One claim as the conflict engine sees it.

    ``scale`` says what the numbers measure ("money per year", "count",
    "date", "text"); claims on different scales are incomparable. Numbers are
    floats on that scale (dates as day numbers, half-open ``[first, last + 1)``),
    widened by the attribute's tolerance. Money keeps the currency stated:
    ``money`` holds it and the days whose rates may convert it, and
    :func:`footing` puts two amounts in one currency. ``days`` is the time the
    claim is about, also half-open, or None when time is not compared
    (timeless attribute) or unknown.
    """

    claim_id: int
    identity: str
    group: tuple  # (entity id, attribute id)
    source: str
    origin: str
    scale: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    text: str | None = None
    days: tuple[int, int] | None = None
    label: str = ""
    single_valued: bool = True
    money: Money | None = None
    tolerance: str | None = None  # the attribute's, already applied to low/high; named in reasons


@dataclass(frozen=True)
class Pair:
    """Two claims of one group found to conflict (or to be incomparable)."""

    id: str
    a: Comparable
    b: Comparable
    nature: str  # "conflict" or "incomparable"
    reason: str
    severity: float


@dataclass
class Support:
    """Claims of other sources that agree with one claim, and their independent origins."""

    claim_ids: list[int] = field(default_factory=list)
    origins: int = 1


def conflict_id(identity_a: str, identity_b: str) -> str:
    """Stable across re-imports and rebuilds: derived from the two claims' identities only."""
    first, second = (identity_a, identity_b) if identity_a <= identity_b else (identity_b, identity_a)
    return "c-" + hashlib.sha256(f"{first}\n{second}".encode()).hexdigest()[:12]


def reading_terms(
    scale: str, low: float | None, high: float | None, high_open: bool, currency: str | None, converted: bool,
    time_low: date | None, time_high: date | None, timeless: bool,
) -> tuple[bool, tuple[int, int] | None, Money | None]:
    """What the pair rules read of a reading besides its numbers on ``scale``: whether its top is open (a date
    range runs up to its last day, not through it), its days (none for a timeless attribute) and, for a
    converted amount, its money."""
    return (
        high_open or (scale == "date" and high is not None),
        None if timeless else day_span(time_low, time_high),
        Money(currency, low, high, time_low, time_high) if converted else None,
    )


def day_span(low: date | None, high: date | None) -> tuple[int, int] | None:
    """A closed range of days as the half-open numbers the engine compares."""
    if low is None and high is None:
        return None
    return (
        low.toordinal() if low else -(10**9),
        high.toordinal() + 1 if high else 10**9,
    )


def times_overlap(a: Comparable, b: Comparable) -> bool:
    if a.days is None or b.days is None:
        return True
    return a.days[0] < b.days[1] and b.days[0] < a.days[1]


def footing(a: Comparable, b: Comparable) -> tuple[tuple, tuple, Frame | None]:
    """The two claims' (low, high) on one footing, and the frame when money had to be converted.

    Numbers stay as they are, and so do amounts in one currency; amounts in
    two currencies are put in one at the widest span of rates over both
    claims' days (``ledger.core.comparability``).
    """
    if a.money is None or b.money is None or a.money.currency == b.money.currency:
        return (a.low, a.high), (b.low, b.high), None
    frame = _pair_frame(a.money, b.money)
    return frame.amount(a.money), frame.amount(b.money), frame


def _pair_frame(a: Money, b: Money) -> Frame:
    """``money_frame`` of two amounts in two currencies, which depends only on the currencies and the days
    spanned by both: cached by those, not by the amounts (which nearly every pair of bulk data has its own)."""
    first = None if a.first is None or b.first is None else min(a.first, b.first)
    last = None if a.last is None or b.last is None else max(a.last, b.last)
    return _frame_over(*sorted((a.currency, b.currency)), first, last)


@lru_cache(maxsize=16_384)
def _frame_over(currency: str, other: str, first: date | None, last: date | None) -> Frame:
    return money_frame((Money(currency, None, None, first, last), Money(other, None, None, first, last)))


def values_overlap(a: Comparable, b: Comparable) -> bool:
    if a.scale == "text":
        return a.text == b.text
    if a.scale == "identifier":  # "44" may be "C44": a code missing its letter prefix fits the full one
        return identifiers.compatible(a.text, b.text)
    if a.scale == "names":  # one list inside the other is an abbreviated list, not a disagreement
        return person_names.compare(a.text, b.text).compatible
    (a_low, a_high), (b_low, b_high), _ = footing(a, b)
    return _reaches(a_low, a.low_open, b_high, b.high_open) and _reaches(b_low, b.low_open, a_high, a.high_open)


def _reaches(low, low_open, high, high_open) -> bool:
    if low is None or high is None:
        return True
    return low < high or (low == high and not low_open and not high_open)


def severity(lower: Comparable, upper: Comparable) -> float:
    """How far apart two disjoint claims are, from 0 (ranges only touch) to 1.

    Numbers: the gap relative to the larger end bordering it,
    ``(upper.low - lower.high) / max(|lower.high|, |upper.low|)`` — a factor of
    two is 0.5, a 0.1% gap 0.001. Dates: the gap in days / 365, capped at 1.
    Clock times (scale "minutes"): the gap in minutes / 1440 (a day), capped
    at 1. Text and identifiers: 1; names: the share of names not shared. An
    unbounded end never borders a gap, so it needs no special case.
    """
    if lower.scale == "names":
        return person_names.compare(lower.text, upper.text).severity
    if lower.scale in ("text", "identifier"):
        return 1.0
    return _severity(lower.scale, lower.high, upper.low)


def _severity(scale: str, lower_high: float, upper_low: float) -> float:
    gap = upper_low - lower_high
    if scale == "date":
        return min(1.0, max(0.0, gap / 365.0))
    if scale == "minutes":
        return min(1.0, max(0.0, gap / 1440.0))
    magnitude = max(abs(lower_high), abs(upper_low))
    return 0.0 if magnitude == 0 else min(1.0, max(0.0, gap / magnitude))


def find_pairs(claims: Iterable[Comparable], incomparable: bool = True) -> Iterator[Pair]:
    """Every conflicting pair (and, if asked, every incomparable pair), group by group.

    ``claims`` must arrive sorted by group; each group is swept on its own.
    """
    group: list[Comparable] = []
    key = None
    for claim in claims:
        if claim.group != key and group:
            yield from _group_pairs(group, incomparable)
            group = []
        key = claim.group
        group.append(claim)
    if group:
        yield from _group_pairs(group, incomparable)


def _group_pairs(group: list[Comparable], incomparable: bool) -> Iterator[Pair]:
    by_scale: dict[str, list[Comparable]] = defaultdict(list)
    for claim in group:
        by_scale[claim.scale].append(claim)
    for scale, claims in by_scale.items():
        if scale == "unparsed":
            continue
        if scale in ("text", "identifier", "names"):
            yield from _text_conflicts(claims)
        else:
            yield from _interval_conflicts(claims)
    if incomparable and len(by_scale) > 1:
        yield from _incomparable_pairs(by_scale)


def _text_conflicts(claims: list[Comparable]) -> Iterator[Pair]:
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.source != b.source and a.single_valued and not values_overlap(a, b) and times_overlap(a, b):
                if a.scale == "names":
                    yield _names_conflict(a, b)
                else:
                    yield _pair(a, b, "conflict", f"{a.label} vs {b.label}: different values", 1.0)


def _names_conflict(a: Comparable, b: Comparable) -> Pair:
    """Two sets of names neither inside the other; severity: the share of names not shared."""
    compared = person_names.compare(a.text, b.text)
    union = compared.left + compared.right - compared.shared
    how = "no name in common" if not compared.shared else f"{union - compared.shared} of {union} names not shared"
    return _pair(a, b, "conflict", f"{a.label} vs {b.label}: {how}", compared.severity)


def _interval_conflicts(claims: list[Comparable]) -> Iterator[Pair]:
    """Claims of one currency (or no currency) swept in it; amounts of two currencies compared pair by pair."""
    if not claims[0].single_valued:
        return
    by_currency: dict[str, list[Comparable]] = defaultdict(list)
    for claim in claims:
        by_currency[claim.money.currency if claim.money else ""].append(claim)
    for same in by_currency.values():
        yield from _swept_conflicts(same)
    for a, b, _, _ in _across(by_currency):
        yield from _converted_conflict(a, b)


def _across(by_key: dict[str, list[Comparable]]) -> Iterator[tuple[Comparable, Comparable, str, str]]:
    """Every two claims of different keys (currencies, scales) and sources about overlapping times, with the keys."""
    keys = sorted(by_key)
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            for a in by_key[first]:
                for b in by_key[second]:
                    if a.source != b.source and times_overlap(a, b):
                        yield a, b, first, second


def _converted_conflict(a: Comparable, b: Comparable) -> Iterator[Pair]:
    """A conflict between amounts in two currencies, if no rate over both claims' days reconciles them."""
    if values_overlap(a, b):
        return
    (a_low, a_high), (b_low, b_high), frame = footing(a, b)
    lower, upper, lower_high, upper_low = (a, b, a_high, b_low) if _low_of(a_low) <= _low_of(b_low) else (b, a, b_high, a_low)
    sev = _severity(lower.scale, lower_high, upper_low)
    converted = a.money.currency if a.money.currency != frame.currency else b.money.currency
    how = _how_far(lower, upper, sev)
    yield _pair(lower, upper, "conflict", f"{lower.label} vs {upper.label}: {how} {rate_words(frame, converted)}", sev)


def _swept_conflicts(claims: list[Comparable]) -> Iterator[Pair]:
    for lower, upper in _disjoint(claims):
        yield _swept_pair(lower, upper)


def _disjoint(claims: list) -> Iterator[tuple]:
    """Every two claims of different sources about overlapping times whose intervals are disjoint, (lower, upper).

    ``claims`` are numbers on one scale and in one currency (or none), so
    their intervals compare as they are: any records with ``claim_id``,
    ``source``, ``low``, ``high``, ``low_open``, ``high_open`` and ``days``
    (``Comparable`` or ``_Swept``). Sort by lower end; every claim starting at
    or above another's upper end may be disjoint from it.

    For well-formed intervals (low <= high, a point closed at both ends) a claim
    starting strictly above ``lower.high`` is disjoint from it, and one starting
    exactly there is disjoint only if one of the touching ends is open; so only
    those candidates are visited, and claims stating the same value (the bulk of
    a group where sources agree) are never compared with one another. Cost
    grows with the pairs found, not with the square of the group. Pairs come
    out in the same order as from comparing every candidate.
    """
    ordered = sorted(claims, key=_by_low)
    lows = [_NO_LOW if c.low is None else c.low for c in ordered]
    if not all(map(_well_formed, ordered)):
        yield from _disjoint_each(ordered, lows)
        return
    open_lows = [index for index, claim in enumerate(ordered) if claim.low_open]
    count = len(ordered)
    for lower in ordered:
        high = lower.high
        if high is None:
            continue
        start, above = bisect_left(lows, high), bisect_right(lows, high)
        if lower.high_open:
            touching = range(start, above)
        else:  # a closed upper end overlaps every claim starting at it with a closed lower end
            touching = open_lows[bisect_left(open_lows, start) : bisect_left(open_lows, above)]
        for index in touching:
            upper = ordered[index]
            if upper is not lower and upper.source != lower.source and not _intervals_overlap(lower, upper):
                if times_overlap(lower, upper):
                    yield lower, upper
        days = lower.days
        source = lower.source
        for index in range(above, count):  # disjoint values: only source and time can spare the pair
            upper = ordered[index]
            if upper.source != source and (days is None or upper.days is None
                                           or (days[0] < upper.days[1] and upper.days[0] < days[1])):
                yield lower, upper


_NO_LOW = float("-inf")
_NO_HIGH = float("inf")


def _by_low(claim) -> tuple[float, int]:
    return _NO_LOW if claim.low is None else claim.low, claim.claim_id


def _intervals_overlap(a, b) -> bool:
    """``values_overlap`` of two claims whose numbers need no conversion."""
    return _reaches(a.low, a.low_open, b.high, b.high_open) and _reaches(b.low, b.low_open, a.high, a.high_open)


def _well_formed(claim) -> bool:
    low, high = claim.low, claim.high
    return low is None or high is None or low < high or (low == high and not claim.low_open and not claim.high_open)


def _disjoint_each(ordered: list, lows: list[float]) -> Iterator[tuple]:
    """The sweep comparing every candidate, for groups holding an interval that is not well formed.

    Two such intervals (``[1, 1)``, or a low above its high) can each start at or
    above the other's upper end: the pair is met twice and given once, since a
    pair's id is the conflicts table's key.
    """
    met: set[tuple[int, int]] = set()
    for lower in ordered:
        if lower.high is None:
            continue
        for upper in ordered[bisect_left(lows, lower.high) :]:
            if upper is lower or upper.source == lower.source or _intervals_overlap(lower, upper):
                continue
            if times_overlap(lower, upper):
                ids = (min(lower.claim_id, upper.claim_id), max(lower.claim_id, upper.claim_id))
                if ids not in met:
                    met.add(ids)
                    yield lower, upper


def _swept_each(ordered: list[Comparable], lows: list[float]) -> Iterator[Pair]:
    """The pairs of ``_disjoint_each`` (the sweep comparing every candidate, which tests hold the fast one to)."""
    for lower, upper in _disjoint_each(ordered, lows):
        yield _swept_pair(lower, upper)


def _swept_pair(lower: Comparable, upper: Comparable) -> Pair:
    sev = severity(lower, upper)
    return _pair(lower, upper, "conflict", f"{lower.label} vs {upper.label}: {_how_far(lower, upper, sev)}", sev)


def _how_far(lower: Comparable, upper: Comparable, sev: float) -> str:
    """The gap in words; a tolerance is named, since the gap is what is left after it."""
    return _gap_words(lower.scale, lower.tolerance, lower, upper, sev)


def _gap_words(scale: str, tolerance: str | None, lower, upper, sev: float) -> str:
    how = "the ranges only touch" if sev == 0 else f"{sev:.1%} apart"
    if scale == "minutes" and sev:  # clock times: say how far apart the stated times are
        apart = (upper.low + upper.high - lower.low - lower.high) / 2
        how = f"{apart:,.0f} minutes apart"
    return f"{how} after a {tolerance} tolerance" if tolerance else how


class PlainValue(NamedTuple):
    """A value as claims of a plain group state it (see ``plain_pairs``): its interval, time and label."""

    low: float | None
    high: float | None
    low_open: bool
    high_open: bool
    days: tuple[int, int] | None
    label: str


class _Swept(NamedTuple):
    """What ``_disjoint`` reads of a value (standing for every claim stating it), or of one claim."""

    claim_id: int
    source: object
    low: float | None
    high: float | None
    low_open: bool
    high_open: bool
    days: tuple[int, int] | None
    value: PlainValue
    identity: str


def plain_pairs(
    values: list[tuple[PlainValue, list[tuple[int, str, str]]]], scale: str, tolerance: str | None
) -> Iterator[tuple[str, int, int, str, float]]:
    """``find_pairs`` of one plain group, as (id, lower claim id, upper claim id, reason, severity).

    A plain group is the common case: a single-valued attribute, every claim
    on one numeric ``scale`` (not text, identifiers, names or unparsed) and in
    one currency or none, widened by ``tolerance``. ``values`` holds each
    value stated (a ``PlainValue``, or any record with its attributes: a
    label is read only for values found in a pair) with its claims as
    (claim id, identity, source), a value listed once or more. Its pairs are exactly the conflicts ``find_pairs``
    gives for the group (one scale: no incomparable pairs), but values are
    swept rather than claims: the gap, its words and the reason are worked out
    once for two values, and the claims stating them are paired by source
    alone. (A value that is not a well-formed interval can be disjoint from
    itself: then claims are swept.) When every value starts below every
    value's end, all of them overlap one another: no pair, nothing swept.
    """
    if all(_well_formed(value) for value, _ in values):
        if max(_NO_LOW if v.low is None else v.low for v, _ in values) < min(
                _NO_HIGH if v.high is None else v.high for v, _ in values):
            return
        swept = [_Swept(index, index, v.low, v.high, v.low_open, v.high_open, v.days, v, "")
                 for index, (v, _) in enumerate(values)]
        for lower, upper in _disjoint(swept):
            sev = _severity(scale, lower.high, upper.low)
            reason = f"{lower.value.label} vs {upper.value.label}: {_gap_words(scale, tolerance, lower, upper, sev)}"
            uppers = values[upper.claim_id][1]
            for a_id, a_identity, a_source in values[lower.claim_id][1]:
                for b_id, b_identity, b_source in uppers:
                    if a_source != b_source:
                        yield conflict_id(a_identity, b_identity), a_id, b_id, reason, sev
        return
    swept = [_Swept(claim_id, source, v.low, v.high, v.low_open, v.high_open, v.days, v, identity)
             for v, claims in values for claim_id, identity, source in claims]
    for lower, upper in _disjoint(swept):
        sev = _severity(scale, lower.high, upper.low)
        reason = f"{lower.value.label} vs {upper.value.label}: {_gap_words(scale, tolerance, lower, upper, sev)}"
        yield conflict_id(lower.identity, upper.identity), lower.claim_id, upper.claim_id, reason, sev


def _low_of(low: float | None) -> float:
    return _NO_LOW if low is None else low


def _incomparable_pairs(by_scale: dict[str, list[Comparable]]) -> Iterator[Pair]:
    for a, b, first, second in _across(by_scale):
        yield _pair(a, b, "incomparable", f"{a.label} vs {b.label}: not comparable, {first} vs {second}", 0.0)


def _pair(a: Comparable, b: Comparable, nature: str, reason: str, sev: float) -> Pair:
    return Pair(conflict_id(a.identity, b.identity), a, b, nature, reason, sev)


class GroupSupport:
    """``support`` of any claim of one group, each distinct value and time compared with the group once.

    Whether another claim backs ``claim`` depends, beside sources and ids,
    only on the two claims' scale, values and times (``_value_and_time``):
    claims stating the same value share that comparison (in a group where most
    sources agree, all of them do), and a claim is compared once with each
    distinct value of the group, not with every claim stating it. When a claim
    is the only one of its source among those matching it (each source states
    a value once), its origins are shared too: its backers are the others.
    Same backers, in the same order, as :func:`support` (claim ids distinct).
    """

    def __init__(self, group: list[Comparable]):
        self.group = group
        self._matching: dict[tuple, _Matching] = {}
        self._kinds: tuple[list[Comparable], list[int]] | None = None  # made at the first comparison

    def of(self, claim: Comparable) -> Support:
        key = _value_and_time(claim)
        matching = self._matching.get(key)
        if matching is None:
            matching = self._matching[key] = self._matching_of(claim)
        position = matching.position.get(claim.claim_id)
        if position is not None and matching.sources[claim.source] == 1:
            ids = matching.ids
            return Support(ids[:position] + ids[position + 1 :], matching.origins)  # the others, in order
        backers = [
            other for other in matching.claims if other.claim_id != claim.claim_id and other.source != claim.source
        ]
        origins = {claim.origin} | {other.origin for other in backers}
        return Support([other.claim_id for other in backers], len(origins))

    def _matching_of(self, claim: Comparable) -> _Matching:
        """The group's claims on ``claim``'s scale whose time and value overlap its own, in group order."""
        if self._kinds is None:
            kinds: dict[tuple, int] = {}
            first: list[Comparable] = []  # a claim of each distinct value and time, in order of appearance
            each: list[int] = []  # each claim's value and time, as its place in ``first``
            for member in self.group:
                kind = kinds.setdefault(_value_and_time(member), len(first))
                if kind == len(first):
                    first.append(member)
                each.append(kind)
            self._kinds = first, each
        first, each = self._kinds
        fits = [other.scale == claim.scale and times_overlap(claim, other) and values_overlap(claim, other)
                for other in first]
        return _Matching([member for member, kind in zip(self.group, each) if fits[kind]])


def _value_and_time(claim: Comparable) -> tuple:
    """What ``support`` compares of a claim: two claims alike in it back, and are backed by, the same others."""
    return claim.scale, claim.low, claim.high, claim.low_open, claim.high_open, claim.text, claim.days, claim.money


class _Matching:
    """The claims of a group matching one value and time, with what every claim among them shares."""

    def __init__(self, claims: list[Comparable]):
        self.claims = claims
        self.ids = [claim.claim_id for claim in claims]
        self.position = {claim_id: place for place, claim_id in enumerate(self.ids)}
        self.sources: dict[str, int] = defaultdict(int)
        for claim in claims:
            self.sources[claim.source] += 1
        self.origins = len({claim.origin for claim in claims})  # a claim among them: its own and its backers'


def support(claim: Comparable, group: list[Comparable]) -> Support:
    """Claims of other sources on the same scale and time whose values overlap ``claim``."""
    backers = [
        other
        for other in group
        if other.claim_id != claim.claim_id
        and other.source != claim.source
        and other.scale == claim.scale
        and times_overlap(claim, other)
        and values_overlap(claim, other)
    ]
    origins = {claim.origin} | {other.origin for other in backers}
    return Support([other.claim_id for other in backers], len(origins))

