"""The ``names`` value kind: a person or organisation name, or a list of them, read as a set of names.

For attributes such as signatories, roles or authors (declared ``kind:
names``). A stated value is read in steps, each noted:

1. **HTML entity damage undone**: ``O&apos;Leary``, and ``Oandapos;Leary``
   where a converter spelt the ``&`` out, are ``O'Leary``.
2. **Role markers dropped**: anything in parentheses (``By (author)``,
   ``(Editor)``), a leading ``By`` / ``edited by``, and ``et al.`` (an
   abbreviated list: the names given are still read).
3. **Split** on ``;``, ``/``, ``&``, `` and ``, and on commas between full
   names: ``Jiawei Han, Micheline Kamber`` is two names, ``Han, Jiawei`` one
   (a single word before a comma is a family name, what follows its given
   names), ``Han, Jiawei, Kamber, Micheline`` two.
4. Each name as **family, given names**: "Last, First" as stated; "First
   Last" with particles kept with the family name ("Jean-Yves Le Drian" is
   "le drian, jean yves"); "Han JW" (a family name then capital initials) is
   "han, j w". Titles (Dr., President) and suffixes (Jr., III, PhD) are left out; transliterated to ASCII
   and case folded ("Goïta" is "goita"), dots and apostrophes dropped.
5. **Placeholders** (``Not Available``, ``None``, ``Unknown``, ``N/A`` …) are
   no names: a value of nothing else is unread.

The reading is the set of names, stored as text: ``family, given`` per name,
sorted, joined by ``; `` (``goita, assimi``). So "Assimi Goïta" and "Goita,
Assimi" read alike, and ``Han, Jiawei; Kamber, Micheline`` and ``Jiawei Han,
Micheline Kamber`` too.

Two names **match** when their family names are equal and their given names
agree in order as far as both go, an initial matching any given name it
starts ("J. Han" is "Jiawei Han"); nothing fuzzier (spelling variants are
aliases). Two sets: equal (every name matched) agree; one inside the other is
compatible (an abbreviated list); otherwise they conflict, with severity the
share of names not shared (:func:`compare`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from unidecode import unidecode

from ledger.core.readings import ValueReading

PLACEHOLDERS = frozenset(
    "not available|none|unknown|n/a|na|n a|null|nil|not known|not stated|unnamed|anonymous|-|--|?".split("|")
)
#: Titles before a name, left out ("Dr. Jiawei Han" is Jiawei Han).
TITLES = frozenset("dr|mr|mrs|ms|mx|prof|professor|sir|dame|president|gen|general|col|colonel|rev".split("|"))
SUFFIXES = frozenset("jr|jr.|sr|sr.|ii|iii|iv|phd|ph.d.|md|m.d.|esq|esq.".split("|"))
PARTICLES = frozenset("van von der den de da di del della des du le la st ter ten bin ibn al el".split())
_DAMAGED_ENTITY = re.compile(r"(?:&|and)(#\d+|#x[0-9a-fA-F]+|apos|quot|amp|lt|gt|nbsp);")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_ROLE_LEAD = re.compile(r"^\s*(?:(?:edited|translated|written|compiled|illustrated)\s+by|eds?\.?\s+by|by)\s+", re.I)
_ET_AL = re.compile(r",?\s*\b(?:et\s+al\b\.?|and\s+others\b)", re.I)
_SPLIT = re.compile(r"\s*(?:;|/|&|\band\b)\s*", re.I)
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,3}$")
SEPARATOR = "; "


@dataclass(frozen=True)
class Name:
    family: str
    given: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.family}, {' '.join(self.given)}" if self.given else self.family


def parse_names(phrase: str) -> ValueReading:
    """Read ``phrase`` as a set of names (see the module docstring); ``unparsed`` if it names no one."""
    notes: list[str] = []
    text = _repair_entities(phrase, notes)
    parts = [text] if _plain(text) in PLACEHOLDERS else _drop_roles(text, notes)  # "N/A" is no list
    names: list[Name] = []
    placeholders = [part.strip() for part in parts if _plain(part) in PLACEHOLDERS]
    for part in parts:
        if part.strip() in placeholders:
            notes.append(f"{part.strip()!r} is a placeholder, not a name")
            continue
        for name in _read_part(part):
            if name not in names:
                names.append(name)
    names = _without_repeats(names, notes)
    if not names:
        why = "a placeholder names no one" if placeholders else "no name stated"
        warning = f"could not read {phrase!r}: {why}"
        return ValueReading("unparsed", qualifier="none", warning=warning, notes=tuple(notes))
    names.sort(key=str)
    listed = SEPARATOR.join(map(str, names))
    notes.append(f"{len(names)} name{'s' if len(names) != 1 else ''} (family, given): {listed}")
    notes.append("compared as a set: an initial matches a given name; a subset is compatible")
    return ValueReading("names", text=listed, qualifier="exact", notes=tuple(notes))


def _without_repeats(names: list[Name], notes: list[str]) -> list[Name]:
    """One entry per person: a name the list repeats in a shorter form ("David V. Hutton, David Hutton",
    "Meadors; Meadors, Todd") is dropped for its fuller form."""
    kept = [name for name in names if not any(other is not name and _fuller(other, name) for other in names)]
    if len(kept) < len(names):
        dropped = [str(n) for n in names if n not in kept]
        notes.append(f"repeated in a shorter form, dropped: {'; '.join(dropped)}")
    return kept


def _fuller(a: Name, b: Name) -> bool:
    """``a`` names the person ``b`` names, and says more (a bare family name is said by any name of that family)."""
    if a.family != b.family or len(" ".join(a.given)) <= len(" ".join(b.given)):
        return False
    return not b.given or same_person(a, b)


def _repair_entities(text: str, notes: list[str]) -> str:
    repaired = text
    for _ in range(3):  # escaped more than once: "O&amp;apos;Leary"
        undone = html.unescape(_DAMAGED_ENTITY.sub(lambda m: "&" + m[1] + ";", repaired))
        if undone == repaired:
            break
        repaired = undone
    if repaired != text:
        notes.append(f"HTML entities undone: {text!r} → {repaired!r}")
    return repaired


def _drop_roles(text: str, notes: list[str]) -> list[str]:
    """The list items, without parenthesised roles, "et al." and a leading "By" / "edited by"."""
    kept = _ET_AL.sub("", _PARENTHESES.sub("", text))
    parts = [_ROLE_LEAD.sub("", part) for part in _SPLIT.split(kept) if part.strip()]
    if kept != text or parts != [p for p in _SPLIT.split(kept) if p.strip()]:
        notes.append(f"role markers dropped: {text.strip()!r} → {'; '.join(p.strip() for p in parts)!r}")
    return parts


def _read_part(part: str) -> list[Name]:
    """The names of one list item: commas separate full names, or a family name from given names."""
    pieces = [p.strip() for p in part.split(",") if p.strip()]
    pieces = [p for p in pieces if p.casefold() not in SUFFIXES]
    names: list[Name] = []
    i = 0
    while i < len(pieces):
        words = pieces[i].split()
        if len(words) == 1 and i + 1 < len(pieces):  # "Han, Jiawei": family, then given names
            names.append(Name(_family(words), _given(pieces[i + 1].split(), _shouted(pieces[i] + pieces[i + 1]))))
            i += 2
            continue
        names.append(_first_last(words))
        i += 1
    return [n for n in names if n.family]


def _first_last(words: list[str]) -> Name:
    """"Jiawei Han", "Jean-Yves Le Drian", "Han JW" (initials are told only where not all is in capitals)."""
    words = [w for w in words if w.casefold() not in SUFFIXES and _tokens(w)]  # a stray quote is no word
    while len(words) > 1 and words[0].casefold().rstrip(".") in TITLES:
        words = words[1:]
    shouted = _shouted(" ".join(words))
    if len(words) >= 2 and not shouted and all(_INITIALS.match(w) for w in words[1:]) and not _INITIALS.match(words[0]):
        return Name(_family(words[:1]), _given(words[1:]))
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    if start == 1 and len(words) > 2 and words[0].casefold() in PARTICLES:
        start = 0
    return Name(_family(words[start:]), _given(words[:start], shouted))


def _family(words: list[str]) -> str:
    return " ".join(t for w in words for t in _tokens(w))


def _shouted(text: str) -> bool:
    """All in capitals ("JIAWEI HAN"): "HAN" may be a name, not initials."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)


def _given(words: list[str], shouted: bool = False) -> tuple[str, ...]:
    given: list[str] = []
    for word in words:
        initials = _INITIALS.match(word) and ("." in word or not shouted)
        if initials and word.isupper() and len(word.replace(".", "").replace("-", "")) > 1:
            given.extend(c.lower() for c in word if c.isalpha())  # "JW", "J.-Y."
        else:
            given.extend(_tokens(word))
    return tuple(given)


def _tokens(word: str) -> list[str]:
    plain = unidecode(word).casefold().replace(".", " ").replace("'", "").replace("’", "")
    return re.findall(r"[a-z0-9]+", plain)


def _plain(text: str) -> str:
    return " ".join(unidecode(text).casefold().replace(".", " ").split())


# -- comparison ---------------------------------------------------------------


def from_text(text: str) -> list[Name]:
    """The names of a stored reading (``family, given; …``)."""
    names = []
    for item in text.split(SEPARATOR) if text else ():
        family, _, given = item.partition(", ")
        names.append(Name(family, tuple(given.split())))
    return names


def same_person(a: Name, b: Name) -> bool:
    """Same family name, and given names that agree as far as both go (an initial matches a name it starts)."""
    if a.family != b.family or bool(a.given) != bool(b.given):
        return False
    return all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
               for x, y in zip(a.given, b.given))


def shared(a: list[Name], b: list[Name]) -> int:
    """How many names of ``a`` match a distinct name of ``b`` (full names first, then initials)."""
    free = list(b)
    count = 0
    for name in sorted(a, key=lambda n: -sum(len(g) for g in n.given)):
        match = next((other for other in free if other == name), None) or next(
            (other for other in free if same_person(name, other)), None)
        if match is not None:
            free.remove(match)
            count += 1
    return count


@dataclass(frozen=True)
class Comparison:
    shared: int
    left: int
    right: int

    @property
    def compatible(self) -> bool:
        """Equal sets, or one inside the other (an abbreviated list)."""
        return self.shared == min(self.left, self.right)

    @property
    def severity(self) -> float:
        """The share of names not shared, of all the names the two state."""
        union = self.left + self.right - self.shared
        return 0.0 if union == 0 else 1 - self.shared / union


def compare(a_text: str, b_text: str) -> Comparison:
    """Two stored readings of names compared as sets."""
    a, b = from_text(a_text), from_text(b_text)
    return Comparison(shared(a, b), len(a), len(b))
