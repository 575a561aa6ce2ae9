"""Items packed once into integer-indexed lists (candidates, backers, compatible and implied pairs) and origins."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable

from ledger.core import identifiers, implication, person_names
from ledger.core.consensus.model import Item, Statement


def is_number_scale(scale: str) -> bool:
    return scale not in ("identifier", "text", "names")


class Prepared:
    """Items turned into integer-indexed lists once, so each iteration is tight Python.

    Per item: its candidate values; per candidate the sources stating it
    (each once, in source order), how many claims and, for items whose
    decision is kept, their ids; which candidates are compatible. Millions
    of items repeat a few hundred shapes (the same sites backing a value, the
    same compatible pairs), so equal tuples are stored once (``shared``).
    """

    def __init__(self, items: Iterable[Item], keep: Callable[[tuple], bool] | None = None):
        self.keys: list[tuple | None] = []  # None: an item whose decision is not kept (``keep``)
        self.scales: list[str] = []
        self.half_widths = array("d")  # compatibility half-width of number items (0 when none); 8 bytes each
        self.source_index: dict[str, int] = {}
        self.attribute_index: dict[str, int] = {}
        self.values: list[tuple[Hashable, ...]] = []  # tuples: a list's spare slots cost ~5 MB a million items
        self.backers: list[tuple[tuple[int, ...], ...]] = []
        self.claim_counts: list[tuple[int, ...]] = []  # claims per candidate
        self.claims: list[list[array] | None] = []  # claim ids per candidate; None for items not kept
        self.compatible: list[tuple[tuple[int, ...], ...]] = []
        self.partial: list[dict[int, list[tuple[int, float]]] | None] = []  # see partial_support
        self.attribute_of: list[int] = []
        self.statement_count: dict[int, int] = defaultdict(int)
        # contested items: sources (in order) and what each states, packed (see stated_by_source)
        self.stated: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self.stated_attributes: dict[int, set[int]] = defaultdict(set)
        self._shared: dict[tuple, tuple] = {}
        shared = self.shared
        for item in items:
            if not item.statements:
                continue
            first = item.statements[0]
            self.keys.append(item.key if keep is None or keep(item.key) else None)
            self.scales.append(item.scale)
            self.half_widths.append(
                (first.high - first.low) / 2 if first.low is not None and first.high is not None else 0.0
            )
            attribute = self.attribute_index.setdefault(item.attribute, len(self.attribute_index))
            self.attribute_of.append(attribute)
            by_value: dict[Hashable, int] = {}
            values: list[Hashable] = []
            backers: list[set[int]] = []
            claims: list[list[int]] = []
            bounds: list[tuple[float | None, float | None]] = []
            for statement in item.statements:
                source = self.source_index.setdefault(statement.source, len(self.source_index))
                self.statement_count[source] += 1
                self.stated_attributes[source].add(attribute)
                slot = by_value.get(statement.value)
                if slot is None:
                    slot = by_value[statement.value] = len(values)
                    values.append(statement.value)
                    backers.append(set())
                    claims.append([])
                    bounds.append((statement.low, statement.high))
                backers[slot].add(source)
                claims[slot].append(statement.claim_id)
            if len(values) > 1:
                self.stated[len(self.values)] = stated_by_source(item.statements, self.source_index, by_value, shared)
            self.values.append(tuple(values))
            self.backers.append(shared(tuple(shared(tuple(sorted(sources))) for sources in backers)))
            self.claim_counts.append(shared(tuple(map(len, claims))))
            # claim ids: 8 bytes each in an array, not an int object each; only where a decision is shown
            self.claims.append(None if self.keys[-1] is None else [array("q", ids) for ids in claims])
            compatible = shared(tuple(shared(tuple(pairs)) for pairs in compatible_pairs(item.scale, values, bounds)))
            self.compatible.append(compatible)
            self.partial.append(partial_support(item.scale, values, bounds, compatible))
        self.sources = list(self.source_index)
        self.attribute_names = list(self.attribute_index)
        self.contested = [i for i, values in enumerate(self.values) if len(values) > 1]

    def shared(self, value: tuple) -> tuple:
        """The one stored copy of a tuple equal to ``value``."""
        return self._shared.setdefault(value, value)


def stated_by_source(statements: list[Statement], source_index: dict[str, int], by_value: dict[Hashable, int],
                     shared: Callable[[tuple], tuple] = tuple) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The sources of a contested item (in source order) and, for each, the candidates it states and its first
    phrase, packed in one int.

    The low ``len(by_value)`` bits are the candidates (bit i: candidate i);
    above them, the phrase's number within the item plus one (0: no phrase
    known). Copy detection compares these across sources; one small int per
    source keeps millions of them cheap.
    """
    width = len(by_value)
    phrase_numbers: dict[str, int] = {}
    stated: dict[int, int] = {}
    for statement in statements:
        source = source_index[statement.source]
        bit = 1 << by_value[statement.value]
        if source in stated:
            stated[source] |= bit
        else:
            phrase = statement.phrase
            number = 0 if phrase is None else phrase_numbers.setdefault(phrase, len(phrase_numbers) + 1)
            stated[source] = (number << width) | bit
    sources = sorted(stated)
    return shared(tuple(sources)), tuple(stated[source] for source in sources)


def compatible_pairs(scale: str, values: list[Hashable], bounds: list) -> list[list[int]]:
    """For each candidate, the other candidates it is compatible with."""
    count = len(values)
    pairs: list[list[int]] = [[] for _ in range(count)]
    if count < 2:
        return pairs
    if scale in ("identifier", "names"):
        compatible = identifiers.compatible if scale == "identifier" else names_compatible
        for i in range(count):
            for j in range(i + 1, count):
                if compatible(values[i], values[j]):
                    pairs[i].append(j)
                    pairs[j].append(i)
    elif is_number_scale(scale):
        order = sorted(range(count), key=lambda k: low_end(bounds[k][0]))
        for position, i in enumerate(order):
            high_i = high_end(bounds[i][1])
            for j in order[position + 1 :]:
                if low_end(bounds[j][0]) > high_i:
                    break
                if low_end(bounds[i][0]) <= high_end(bounds[j][1]):
                    pairs[i].append(j)
                    pairs[j].append(i)
    return pairs


def partial_support(scale: str, values: list[Hashable], bounds: list,
                    compatible: list[list[int]]) -> dict[int, list[tuple[int, float]]] | None:
    """Per candidate, the fuller candidates it implies and with what weight (``ledger.core.implication``).

    None when no candidate implies another (most items). Only compatible
    pairs are looked at (a value inside another is compatible with it), but
    every pair of names (``Han`` alone implies ``Han, Jiawei`` yet conflicts with it).
    """
    found: dict[int, list[tuple[int, float]]] = {}
    everyone = range(len(values))
    for i, others in enumerate(compatible):
        for j in (everyone if scale == "names" else others):  # a family name alone implies, yet conflicts
            if i == j:
                continue
            weight = implication.implies(scale, values[i], values[j], bounds[i], bounds[j])
            if weight > 0:
                found.setdefault(i, []).append((j, weight))
    return found or None


def names_compatible(a: str, b: str) -> bool:
    return person_names.compare(a, b).compatible


def low_end(x):
    return float("-inf") if x is None else x


def high_end(x):
    return float("inf") if x is None else x


class Origins:
    """For one grouping of sources: per item and candidate, the distinct origins stating it (in order)."""

    def __init__(self, prepared: Prepared, groups: list[int]):
        self.groups = groups
        self.by_candidate: list[tuple[tuple[int, ...], ...]]
        if all(group == source for source, group in enumerate(groups)):  # every source its own origin
            self.by_candidate = prepared.backers
        else:  # worked out once per shape of backers (stored once: ``Prepared.shared``), not per item
            shared = prepared.shared
            by_shape: dict[int, tuple[tuple[int, ...], ...]] = {}
            self.by_candidate = []
            for backers in prepared.backers:
                found = by_shape.get(id(backers))
                if found is None:
                    found = by_shape[id(backers)] = shared(
                        tuple(shared(tuple(sorted({groups[s] for s in sources}))) for sources in backers))
                self.by_candidate.append(found)
        # the contested items' candidates in order, each numbered by its (attribute, origins): a vote sums
        # each distinct one once (``voting.cast_votes``); 4 bytes a candidate, 12 a distinct one
        numbers: dict[tuple[int, tuple[int, ...]], int] = {}
        self.sum_numbers = array("I")
        for index in prepared.contested:
            attribute = prepared.attribute_of[index]
            self.sum_numbers.extend(numbers.setdefault((attribute, groups), len(numbers))
                                    for groups in self.by_candidate[index])
        self.summed_attributes = array("I", (attribute for attribute, _ in numbers))  # by number
        self.summed_origins = [groups for _, groups in numbers]
        del numbers
        several: dict[int, bool] = {}  # by id of a shape of origins
        self.multi_origin: list[bool] = []
        for per_slot in self.by_candidate:
            found = several.get(id(per_slot))
            if found is None:
                found = several[id(per_slot)] = (len(per_slot[0]) > 1 if len(per_slot) == 1
                                                 else len({g for slot in per_slot for g in slot}) > 1)
            self.multi_origin.append(found)
