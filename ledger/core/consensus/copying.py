"""Copy detection: pairs of sources sharing phrases or mistakes, grouped by complete linkage."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from ledger.core.consensus.model import Dependence, Options
from ledger.core.consensus.prepared import Prepared


def find_dependences(prepared: Prepared, choice: list[int], options: Options) -> list[Dependence]:
    """Per pair of sources, over the contested items both state (an even sample of them):
    how often they state the identical phrase, and how many of their errors they share.

    Pairs are counted a set of sources at a time (all of an item's sources, those stating one
    phrase, those both right, those stating one wrong value), pairs in source order."""
    contested = prepared.contested
    step = max(1, len(contested) // options.copy_sample) if options.copy_sample else 1
    shared: Counter[tuple[int, int]] = Counter()
    same_phrase: Counter[tuple[int, int]] = Counter()
    both_right: Counter[tuple[int, int]] = Counter()
    same_errors: Counter[tuple[int, int]] = Counter()
    for index in contested[::step]:
        right = 1 << choice[index]
        sources, stated = prepared.stated[index]
        width = len(prepared.values[index])
        candidates = (1 << width) - 1
        shared.update(combinations(sources, 2))
        by_phrase: dict[int, list[int]] = defaultdict(list)
        for source, packed in zip(sources, stated):
            if packed >> width:
                by_phrase[packed >> width].append(source)
        for alike in by_phrase.values():
            same_phrase.update(combinations(alike, 2))
        both_right.update(combinations([s for s, packed in zip(sources, stated) if packed & candidates == right], 2))
        wrong_values = candidates & ~right
        if any(packed & wrong_values for packed in stated):
            paired: set[tuple[int, int]] = set()
            for bit in range(width):
                if wrong_values >> bit & 1:
                    paired.update(combinations([s for s, packed in zip(sources, stated) if packed >> bit & 1], 2))
            same_errors.update(paired)
    names = prepared.sources
    return [
        Dependence(names[a], names[b], count, same_phrase[a, b], same_errors[a, b], count - both_right[a, b])
        for (a, b), count in shared.items()
    ]


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
