"""Partial support: how far a value stated for an item vouches for a fuller value of the same item.

TruthFinder (Yin, Han and Yu, 2007) lets one value *imply* another: whoever
states an abbreviated author list also says, as far as it goes, that the full
list is right. Here a value ``a`` implies a fuller value ``b`` — one that says
all ``a`` says and more — with a weight in (0, 1], the share of ``b`` that
``a`` confirms:

* **names**: each of ``a``'s names is a distinct name of ``b`` as far as it
  goes (the same person, or a family name alone: a store printing only
  ``Han`` for ``Han, Jiawei; Kamber, Micheline``) and ``b`` has more names:
  ``|a| / |b|`` (here one half). A family name alone *conflicts* with a full
  name (``ledger.core.person_names``: it is no initial); it still implies it;
* **identifiers**: ``a`` is ``b`` without its prefix (``37`` of ``C37``, the
  concourse letter dropped): the share of ``b``'s characters ``a`` states
  (two thirds). Not 1: on Flight a feed that adds the concourse letter is
  often alone against the many sites (and the airline) that print the bare
  number, and a full share would hand it every such gate. The reliability
  method further scales each share by the lender's habit of abbreviating
  (``ledger.core.consensus.abbreviating``), learned from its record;
* **numbers**: ``a``'s interval lies inside ``b``'s, which is wider:
  ``width(a) / width(b)`` (a point inside a range pins nothing of it down: 0).

A fuller value implies nothing of a shorter one (``Han, Jiawei; Kamber,
Micheline`` says ``Han`` alone is incomplete), and values that merely agree
(the same names spelt differently, times within tolerance) are not partial:
their symmetric *compatibility* is counted apart (``Options.similarity``).
"""

from __future__ import annotations

from collections.abc import Hashable

from ledger.core import identifiers, person_names


def implies(scale: str, a: Hashable, b: Hashable, a_bounds: tuple, b_bounds: tuple) -> float:
    """The weight with which stating ``a`` supports the fuller ``b`` (0: none); see the module docstring."""
    if scale == "names":
        return _names(a, b)
    if scale == "identifier":
        return _identifier(a, b)
    if scale == "text":
        return 0.0
    return _interval(a_bounds, b_bounds)


def _names(a: str, b: str) -> float:
    shorter, fuller = person_names.from_text(a), person_names.from_text(b)
    if len(shorter) >= len(fuller):
        return 0.0
    free = list(fuller)
    for name in shorter:
        match = next((other for other in free if _covers(other, name)), None)
        if match is None:
            return 0.0
        free.remove(match)
    return len(shorter) / len(fuller)


def _covers(full: person_names.Name, part: person_names.Name) -> bool:
    """``part`` is ``full`` as far as it goes: the same person, or its family name alone ("Han" of "Han, Jiawei")."""
    return person_names.same_person(full, part) or (not part.given and full.family == part.family)


def _identifier(a: str, b: str) -> float:
    if a == b or not identifiers.compatible(a, b):
        return 0.0
    prefix_a, _ = identifiers.split_code(a)
    prefix_b, _ = identifiers.split_code(b)
    return len(a) / len(b) if not prefix_a and prefix_b else 0.0


def _interval(a: tuple, b: tuple) -> float:
    (a_low, a_high), (b_low, b_high) = a, b
    if None in (a_low, a_high, b_low, b_high):
        return 0.0
    inner, outer = a_high - a_low, b_high - b_low
    if outer <= inner or not (b_low <= a_low and a_high <= b_high):
        return 0.0
    return inner / outer
