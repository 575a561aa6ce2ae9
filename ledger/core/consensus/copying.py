"""Copy detection: pairs of sources sharing phrases or mistakes, grouped by complete linkage."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from ledger.core.consensus.model import Dependence, Options
from ledger.core.consensus.prepared import Prepared


def find_dependences(prepared: Prepared, choice: list[int], options: Options) -> list[Dependence]:
    """Per pair of sources, over the contested items both state (an even sample of them):
    how often they state the identical phrase, and how many of their errors they share.

    Each source's items are sets of bits (``ItemBits``), so a pair's counts are
    a few ANDs of two big ints; pairs in the order first met (item, then source order)."""
    contested = prepared.contested
    step = max(1, len(contested) // options.copy_sample) if options.copy_sample else 1
    sample = contested[::step]
    bits = ItemBits(len(sample), len(prepared.sources))
    stating, right_of, phrased, wrong = bits.stating, bits.right, bits.phrased, bits.wrong
    phrase, wrong_value = bits.phrase, bits.wrong_value
    size = bits.size
    several: list[int] = []  # sampled items where a source states more than one value: errors counted apart
    for position, index in enumerate(sample):
        byte, bit = position >> 3, 1 << (position & 7)  # the item's bit in every set (marked inline: millions)
        right = 1 << choice[index]
        sources, stated = prepared.stated[index]
        width = len(prepared.values[index])
        candidates = (1 << width) - 1
        wrong_counted = True
        if any((packed & candidates) & ((packed & candidates) - 1) for packed in stated):
            several.append(index)
            wrong_counted = False
        for source, packed in zip(sources, stated):
            stating[source][byte] |= bit
            value = packed & candidates
            if value == right:
                right_of[source][byte] |= bit
            elif wrong_counted:
                wrong[source][byte] |= bit
                mark_number(wrong_value[source], value.bit_length(), byte, bit, size)
            if packed >> width:
                phrased[source][byte] |= bit
                mark_number(phrase[source], packed >> width, byte, bit, size)
    apart = same_errors_apart(prepared, several, choice)
    found = []
    stating, right, phrased, wrong = (ItemBits.ints(kind) for kind in (stating, right_of, phrased, wrong))
    phrase, wrong_value = ItemBits.number_ints(phrase), ItemBits.number_ints(wrong_value)
    for a, b in combinations(sorted(stating), 2):
        both = stating[a] & stating[b]
        if not both:
            continue
        shared = both.bit_count()
        same_phrases = same_number(phrased, phrase, a, b).bit_count()
        same_errors = same_number(wrong, wrong_value, a, b).bit_count() + apart[a, b]
        both_right = (right.get(a, 0) & right.get(b, 0)).bit_count()
        found.append(((both & -both).bit_length(), a, b, shared, same_phrases, same_errors, shared - both_right))
    found.sort()
    names = prepared.sources
    return [Dependence(names[a], names[b], shared, same_phrases, same_errors, errors)
            for _, a, b, shared, same_phrases, same_errors, errors in found]


class ItemBits:
    """Per source (by number), bit sets over the sampled items (bit i: the i-th item): built in bytearrays,
    read as ints (sources with no bit set left out).

    Numbers (a phrase's number within its item, a wrong value's candidate
    number) are kept in binary, one bit set per binary digit, so two sources'
    numbers on all items are compared at once.
    """

    def __init__(self, count: int, sources: int):
        self.size = size = (count + 7) // 8
        self.stating = [bytearray(size) for _ in range(sources)]
        self.right = [bytearray(size) for _ in range(sources)]
        self.phrased = [bytearray(size) for _ in range(sources)]
        self.wrong = [bytearray(size) for _ in range(sources)]  # a wrong value stated (every source states one value)
        self.phrase: list[list[bytearray]] = [[] for _ in range(sources)]
        self.wrong_value: list[list[bytearray]] = [[] for _ in range(sources)]

    @staticmethod
    def ints(kind: list[bytearray]) -> dict[int, int]:
        found = {source: int.from_bytes(bits, "little") for source, bits in enumerate(kind)}
        return {source: bits for source, bits in found.items() if bits}

    @staticmethod
    def number_ints(kind: list[list[bytearray]]) -> dict[int, list[int]]:
        return {source: [int.from_bytes(bits, "little") for bits in digits] for source, digits in enumerate(kind) if digits}


def mark_number(digits: list[bytearray], number: int, byte: int, bit: int, size: int) -> None:
    """``number`` written in binary at one item's bit: digit d's set gets the bit where the number's digit d is 1."""
    digit = 0
    while number:
        if digit == len(digits):
            digits.append(bytearray(size))
        if number & 1:
            digits[digit][byte] |= bit
        number >>= 1
        digit += 1


def same_number(marked: dict[int, int], numbers: dict[int, list[int]], a: int, b: int) -> int:
    """The items where sources ``a`` and ``b`` are both marked and their numbers are equal."""
    same = marked.get(a, 0) & marked.get(b, 0)
    if same:
        digits_a, digits_b = numbers.get(a, []), numbers.get(b, [])
        for digit in range(max(len(digits_a), len(digits_b))):
            same &= ~((digits_a[digit] if digit < len(digits_a) else 0) ^ (digits_b[digit] if digit < len(digits_b) else 0))
    return same


def same_errors_apart(prepared: Prepared, indexes: list[int], choice: list[int]) -> Counter[tuple[int, int]]:
    """Per pair of sources, the items of ``indexes`` where both state one same wrong value (pairs of sets)."""
    same_errors: Counter[tuple[int, int]] = Counter()
    for index in indexes:
        sources, stated = prepared.stated[index]
        wrong_values = ((1 << len(prepared.values[index])) - 1) & ~(1 << choice[index])
        paired: set[tuple[int, int]] = set()
        for bit in range(len(prepared.values[index])):
            if wrong_values >> bit & 1:
                paired.update(combinations([s for s, packed in zip(sources, stated) if packed >> bit & 1], 2))
        same_errors.update(paired)
    return same_errors


def copy_groups(n_sources: int, index: dict[str, int], dependences: list[Dependence], options: Options) -> list[int]:
    """Complete-linkage groups: every two sources in a group are linked (see ``Dependence.copies``).

    Linkage runs inside each connected part of the links only, so sources
    with no link (nearly all of them, usually) cost nothing.
    """
    strength: dict[tuple[int, int], float] = {}
    neighbours: dict[int, set[int]] = defaultdict(set)
    for dep in dependences:
        if dep.copies(options):
            a, b = sorted((index[dep.a], index[dep.b]))
            strength[a, b] = max(dep.phrase_share, dep.share)
            neighbours[a].add(b)
            neighbours[b].add(a)
    group = list(range(n_sources))
    seen: set[int] = set()
    for start in sorted(neighbours):
        if start in seen:
            continue
        part, stack = [], [start]
        seen.add(start)
        while stack:
            node = stack.pop()
            part.append(node)
            for other in neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        for root, members in complete_linkage(sorted(part), strength).items():
            for source in members:
                group[source] = root
    return group


def complete_linkage(nodes: list[int], strength: dict[tuple[int, int], float]) -> dict[int, list[int]]:
    """Merge, strongest first, clusters all of whose pairs are linked."""
    members: dict[int, list[int]] = {node: [node] for node in nodes}
    while True:
        best = None
        roots = sorted(members)
        for i, a in enumerate(roots):
            for b in roots[i + 1 :]:
                pairs = [(min(x, y), max(x, y)) for x in members[a] for y in members[b]]
                if all(p in strength for p in pairs):
                    score = min(strength[p] for p in pairs)
                    if best is None or score > best[0]:
                        best = (score, a, b)
        if best is None:
            return members
        _, a, b = best
        members[a].extend(members.pop(b))


def group_names(prepared: Prepared, groups: list[int]) -> list[list[str]]:
    by_root: dict[int, list[str]] = defaultdict(list)
    for source, root in enumerate(groups):
        by_root[root].append(prepared.sources[source])
    return sorted((sorted(g) for g in by_root.values() if len(g) > 1), key=lambda g: (-len(g), g))
