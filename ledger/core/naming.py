"""Names as typed: cleaned before they are matched, and refused when they could only deceive.

A subject, alias or attribute name is cleaned once, at the edge
(:func:`clean_name`): Unicode NFKC (full-width letters, ligatures and
compatibility forms become plain ones), invisible characters removed
(:func:`invisible`: format characters such as the zero-width space and
joiners, soft hyphen, BOM, bidirectional marks and tags — Unicode category Cf —
and the other default-ignorable code points: variation selectors, the
combining grapheme joiner, Hangul fillers; and the blank Braille pattern), every
run of whitespace one space. ``"Operation Barkhane\\u200b"``
is then ``"Operation Barkhane"``.

A word that mixes Latin, Cyrillic and Greek letters is refused
(:func:`refuse_confusable`): the per-word mixed-script test of Unicode TS #39
(section 5.1) limited to the three scripts whose letters look alike
(``"B\\u0430rkhane"`` with a Cyrillic ``а``). Each script alone is fine
("Сергей Шойгу", "Αθήνα"), and so are words mixing other scripts (Japanese
mixes three).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ledger.core.errors import InvalidName

#: Scripts whose letters are confusable with one another (TS #39's Latin/Cyrillic/Greek look-alikes).
CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
#: Default-ignorable code points outside category Cf (Unicode's DerivedCoreProperties), and the blank
#: Braille pattern: they show nothing, so a name holding one looks like the name without it.
_IGNORABLE_RANGES = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x2800, 0x2800),
    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0100, 0xE01EF),
)
#: The code points of ``_IGNORABLE_RANGES`` (a few hundred), so a character is looked up, not compared per range.
_IGNORABLE = frozenset(chr(code) for low, high in _IGNORABLE_RANGES for code in range(low, high + 1))


def invisible(ch: str) -> bool:
    """A character that shows nothing: a format character (Cf) or another default-ignorable one."""
    return ch in _IGNORABLE or unicodedata.category(ch) == "Cf"


def clean_name(name: str) -> str:
    """``name`` in NFKC, without invisible characters, its whitespace collapsed."""
    if name.isascii():  # NFKC leaves ASCII as it is, and ASCII has no invisible characters
        return " ".join(name.split())
    composed = unicodedata.normalize("NFKC", name)
    visible = "".join(ch for ch in composed if not invisible(ch))
    return " ".join(visible.split())


@lru_cache(maxsize=4096)  # per character: names repeat few letters, and unicodedata.name is slow
def _script(ch: str) -> str | None:
    """The confusable script of a letter (from its Unicode name), or None for any other character."""
    if not ch.isalpha():
        return None
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    return word if word in CONFUSABLE_SCRIPTS else None


def mixed_script_word(name: str) -> tuple[str, list[str]] | None:
    """The first word of ``name`` that mixes confusable scripts, with its scripts; None if there is none."""
    for word in name.split():
        scripts = {s for s in map(_script, word) if s}
        if len(scripts) > 1:
            return word, sorted(scripts)
    return None


def refuse_confusable(name: str, what: str = "name") -> str:
    """``name`` cleaned; raise InvalidName if it is blank or a word mixes look-alike scripts.

    ``what`` says what the name is ("subject", "alias") in the message.
    """
    cleaned = clean_name(name)
    if not cleaned:
        raise InvalidName(f"{what} {name!r} is blank; give a name")
    mixed = mixed_script_word(cleaned)
    if mixed:
        word, scripts = mixed
        odd = _minority_letter(word)
        raise InvalidName(
            f"{what} {name!r} mixes {' and '.join(s.title() for s in scripts)} letters in the word {word!r} "
            f"({odd!r} is {unicodedata.name(odd)}); retype it in one script"
        )
    return cleaned


def _minority_letter(word: str) -> str:
    """A letter of the script the word uses least: the likely impostor."""
    letters = [(ch, _script(ch)) for ch in word if _script(ch)]
    counts = {s: sum(1 for _, t in letters if t == s) for _, s in letters}
    rare = min(counts, key=lambda s: (counts[s], s != "LATIN"))
    return next(ch for ch, s in letters if s == rare)


def shell_quoted(name: str) -> str:
    """``name`` as one double-quoted shell argument, for the commands messages suggest."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
