"""Groups of mutually compatible claims: the readable form of an item many sources report.

Pure: claims of one item (subject, attribute, time) in, clusters out. Numbers
(quantities, money, times — each claim an interval, a time widened by its
tolerance) are sorted by their lower end and swept: a claim joins the current
cluster while its interval still meets the part every member shares (so every
two members overlap: intervals on a line that meet pairwise share a point);
otherwise it starts the next cluster. Identifiers group by cleaned code, and
a code without its letter prefix ("44") joins the cluster of the one full
code it fits ("C44"); text groups by normalised text; sets of names group
with the largest set they fit inside (an abbreviated list joins the full
one). Work is one sort per item.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from ledger.core import identifiers, person_names


@dataclass(frozen=True, slots=True)
class Member:
    """One claim as clustering sees it: its interval (numbers) or code/text, its source and origin."""

    claim_id: int
    source: str
    origin: str
    low: float | None = None
    high: float | None = None
    text: str | None = None
    label: str = ""
    low_open: bool = False  # "more than 1,000,000": the end itself is excluded
    high_open: bool = False


@dataclass
class Cluster:
    """Claims that can all be true together, with the part of the line they share."""

    members: list[Member] = field(default_factory=list)
    low: float | None = None  # the shared part (numbers): max of lows, min of highs
    high: float | None = None
    text: str | None = None  # the code or text (identifiers, text)
    high_open: bool = False  # the shared part stops short of ``high``

    @property
    def support(self) -> int:
        return len(self.members)

    @property
    def origins(self) -> int:
        """Independent origins among the members (claims citing one upstream count once)."""
        return len({m.origin for m in self.members})

    @property
    def sources(self) -> list[str]:
        return sorted({m.source for m in self.members})

    @property
    def claim_ids(self) -> list[int]:
        return [m.claim_id for m in self.members]


def cluster_numbers(members: Iterable[Member]) -> list[Cluster]:
    """Sweep intervals sorted by lower end into clusters whose members all overlap.

    An unbounded end (None) reaches everything on its side. Result is ordered
    by position on the line.
    """
    ordered = sorted(members, key=lambda m: (_low(m), _high(m), m.claim_id))
    clusters: list[Cluster] = []
    current: Cluster | None = None
    for member in ordered:
        if current is not None and _meets(member, current):
            current.members.append(member)
            current.low = _max_low(current.low, member.low)
            if _high(member) < _high_of(current):
                current.high, current.high_open = member.high, member.high_open
            elif _high(member) == _high_of(current):
                current.high_open = current.high_open or member.high_open
            continue
        current = Cluster([member], member.low, member.high, high_open=member.high_open)
        clusters.append(current)
    return clusters


def _meets(member: Member, cluster: Cluster) -> bool:
    """Whether the member reaches the cluster's shared part; touching ends meet unless one is open.

    "nearly one million" [900,000, 1,000,000) and "more than 1 million"
    (1,000,000, ∞) only touch: they cannot both be true, as the conflict
    engine also says.
    """
    low, high = _low(member), _high_of(cluster)
    return low < high or (low == high and not member.low_open and not cluster.high_open)


def cluster_codes(members: Iterable[Member]) -> list[Cluster]:
    """Group identifiers by code; a code missing its letter prefix joins the one full code it fits.

    "44" joins "C44" when "C44" is the only compatible code stated; with both
    "C44" and "D44" stated, "44" stays a cluster of its own (it could be
    either). Ordered by support, then code.
    """
    by_code: dict[str, Cluster] = {}
    for member in members:
        by_code.setdefault(member.text or "", Cluster(text=member.text)).members.append(member)
    for code in sorted(by_code, key=lambda c: (len(identifiers.split_code(c)[0]), c)):
        prefix, _ = identifiers.split_code(code)
        if prefix:
            continue
        fits = [other for other in by_code if other != code and identifiers.compatible(code, other)]
        if len(fits) == 1:
            by_code[fits[0]].members.extend(by_code.pop(code).members)
    return sorted(by_code.values(), key=lambda c: (-c.support, c.text or ""))


def cluster_texts(members: Iterable[Member]) -> list[Cluster]:
    """Group by normalised text; ordered by support, then text."""
    by_text: dict[str, Cluster] = {}
    for member in members:
        by_text.setdefault(member.text or "", Cluster(text=member.text)).members.append(member)
    return sorted(by_text.values(), key=lambda c: (-c.support, c.text or ""))


def cluster_name_sets(members: Iterable[Member]) -> list[Cluster]:
    """Group sets of names: largest (then longest written) first, each set joins the first cluster every
    member of which it fits (one inside the other); a cluster shows its first set. Ordered by support, then text."""
    clusters: list[Cluster] = []
    for member in sorted(members, key=_fullest_first):
        home = next((c for c in clusters if all(
            person_names.compare(m.text or "", member.text or "").compatible for m in c.members)), None)
        if home is None:
            clusters.append(Cluster([member], text=member.text))
        else:
            home.members.append(member)
    return sorted(clusters, key=lambda c: (-c.support, c.text or ""))


def _fullest_first(member: Member) -> tuple:
    return -len(person_names.from_text(member.text or "")), -len(member.text or ""), member.text or ""


def cluster_item(scale: str, members: Sequence[Member]) -> list[Cluster]:
    """Clusters of one item on ``scale`` ("identifier", "text", "names", or any number scale)."""
    if scale == "identifier":
        return cluster_codes(members)
    if scale == "names":
        return cluster_name_sets(members)
    if scale == "text":
        return cluster_texts(members)
    return cluster_numbers(members)


def distinct(values: Iterable[Hashable]) -> int:
    """How many different values: the disagreement count before clustering."""
    return len(set(values))


def _low(member: Member) -> float:
    return float("-inf") if member.low is None else member.low


def _high(member: Member) -> float:
    return float("inf") if member.high is None else member.high


def _high_of(cluster: Cluster) -> float:
    return float("inf") if cluster.high is None else cluster.high


def _max_low(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)

