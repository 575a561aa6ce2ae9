"""What consensus takes and gives: statements, items, options, decisions, source reports, estimates."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import asdict, dataclass, field
from typing import NamedTuple


class Statement(NamedTuple):
    """One claim as consensus sees it.

    ``value`` is the point it states (a number on the item's scale, or a code
    or normalised text); ``low``/``high`` the interval it is compatible with
    (numbers only: a time widened by its tolerance). A named tuple: millions
    are made per estimate, each in a third of a frozen dataclass's time.
    """

    claim_id: int
    source: str
    value: Hashable
    low: float | None = None
    high: float | None = None
    phrase: str | None = None  # as stated (format and all); None: not known (no phrase evidence)


@dataclass
class Item:
    """Everything stated about one subject, attribute and time, on one scale."""

    key: tuple  # how the item is named: (subject, attribute, time)
    attribute: str
    scale: str  # "identifier", "text", or a number scale ("minutes", "count", ...)
    statements: list[Statement]


@dataclass
class Options:
    """The knobs of both methods; the defaults are the documented ones."""

    prior: float = 0.8
    smoothing: float = 5.0
    false_values: float = 10.0
    similarity: float = 0.3
    copy_threshold: float = 0.95
    copy_min_errors: int = 50
    phrase_threshold: float = 0.98
    copy_min_items: int = 50
    iterations: int = 10
    rounds: int = 2
    offset_min_items: int = 20
    use_offsets: bool = True
    warmup: bool = True  # first rounds weigh sources by their overall reliability only
    copy_sample: int = 60_000  # items looked at for copy detection (evenly spread), bounding its cost
    partial_support: bool = True  # an abbreviated value lends the fuller one it implies a share (implication.py)
    abbreviation_habits: bool = True  # reliability: that share scaled by the lender's habit of abbreviating
    temperature: float = 3.0  # stated confidence: scores divided by it (ledger.core.calibration)
    unstated_origins: float = 1.0  # stated confidence of support: origins counted for values no one stated


@dataclass
class Candidate:
    """One value stated for an item, with who backs it."""

    value: Hashable
    claim_ids: list[int]
    sources: list[str]
    origins: int  # independent origins (copy groups) stating it
    score: float = 0.0
    probability: float = 0.0
    compatible_with: list[Hashable] = field(default_factory=list)


@dataclass
class Decision:
    """The value the ledger bets on for one item."""

    key: tuple
    attribute: str
    scale: str
    value: Hashable
    confidence: float
    method: str
    candidates: list[Candidate]  # best first

    @property
    def contested(self) -> bool:
        return len(self.candidates) > 1


@dataclass
class SourceReport:
    """How a source was judged: its reliability (overall and per attribute), copies and offsets."""

    source: str
    claims: int
    reliability: float
    by_attribute: dict[str, float]
    evaluated: int  # statements on items with more than one origin (the evidence)
    agrees: float  # share of those statements equal to the decision
    group: list[str]  # sources it is grouped with as one origin (itself included), sorted
    offsets: dict[str, float]  # systematic offsets per attribute (stated − decided)
    typical_offsets: dict[str, float]  # median offset per attribute, systematic or not


@dataclass
class Dependence:
    """Evidence that two sources copy each other (or print one upstream feed).

    Counted over the contested items both state: how often the two state the
    identical phrase (format and all), and how many of their errors (values
    other than the decision) are the same wrong value.
    """

    a: str
    b: str
    shared_items: int
    same_phrases: int
    same_errors: int
    errors: int  # items where at least one of the two is wrong

    @property
    def share(self) -> float:
        """Shared errors: identical wrong values / items where at least one is wrong."""
        return self.same_errors / self.errors if self.errors else 0.0

    @property
    def phrase_share(self) -> float:
        """Identical phrases / contested items both state."""
        return self.same_phrases / self.shared_items if self.shared_items else 0.0

    def copies(self, options: Options) -> bool:
        """Linked as copies: nearly always the same phrase, or mostly the same mistakes."""
        by_phrase = self.shared_items >= options.copy_min_items and self.phrase_share >= options.phrase_threshold
        by_errors = self.same_errors >= options.copy_min_errors and self.share >= options.copy_threshold
        return by_phrase or by_errors


@dataclass
class Estimates:
    """What the reliability method learned from a whole ledger: enough to decide any of its items alone again.

    Weights are the ones the final vote used, so ``decide_with`` repeats the
    decisions exactly. Plain data (``as_dict``/``from_dict``) so it can be kept.
    """

    options: Options
    groups: dict[str, str]  # source → the first member of its copy group (itself…), in the estimate's source order
    votes: dict[str, dict[str, float]]  # copy group (by first member) → attribute → vote
    offsets: dict[str, dict[str, float]]  # source → attribute → systematic offset the final vote shifted back
    sources: dict[str, SourceReport]
    copy_groups: list[list[str]]
    iterations: int
    items: int  # items the estimate was made over
    habits: dict[str, dict[str, float]] = field(default_factory=dict)  # copy group → attribute → habit (abbreviating)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Estimates:
        return cls(**{
            **data,
            "options": Options(**data["options"]),
            "sources": {name: SourceReport(**report) for name, report in data["sources"].items()},
        })


@dataclass
class Result:
    decisions: list[Decision]
    sources: dict[str, SourceReport]
    groups: list[list[str]]  # copy groups of more than one source
    dependences: list[Dependence]
    method: str
    iterations: int
    items: int = 0  # items decided (all of them, whether or not their decisions were kept)
    estimates: Estimates | None = None  # reliability only: the weights, to decide items again without estimating
