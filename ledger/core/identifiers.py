"""Stated identifiers — gates, stands, platforms ("Main Term - A26X", " C44 ", "44/T4") — as codes.

An ``identifier`` value names one thing by a short code. Sites write the same
gate many ways, so the code is cleaned before comparing:

* spaces, no-break spaces and case are ignored; ``C-16`` is ``C16``; the
  decoration ``-06-`` is ``06``;
* a terminal written before the gate is dropped (and noted): ``Terminal 2 -
  56A``, ``Term A - A26``, ``Main Term - A26X``, ``Main Term - 3rd Lvl - 15``
  (the last `` - `` part is the gate); so is one written after a slash:
  ``G10/T3``, ``44B/T4``, ``1/8``;
* leading zeros of the number go: ``A09`` is ``A9``, ``004`` is ``4``.

The code is then ``PREFIX NUMBER SUFFIX`` (``C`` ``44`` ``B``). Two codes are
**compatible** (may name the same gate) when they are equal, or when one has
no letter prefix and the rest is equal: ``44`` and ``C44`` (sites drop the
concourse letter), but not ``C44`` and ``D44``, nor ``A26`` and ``A26X``.
Compatibility is not transitive (``44`` fits ``C44`` and ``D44``), so
groups of compatible claims are formed around the fullest codes.

A placeholder ("Not provided by airline", "Contact Airline", "TBA", "HOLD",
"--"), a terminal alone ("Terminal 1", "Main Term") or an empty cell states no
gate: kind ``unparsed`` with a warning saying why, kept as stated.
"""

from __future__ import annotations

import re

from ledger.core.readings import ValueReading

#: Phrases that say no identifier is known (compared without case or spaces).
PLACEHOLDERS = frozenset(
    "not provided by airline|contact airline|not available|n/a|na|none|tba|tbd|hold|chk|"
    "--|-|no|cxld|xld|canceled|cancelled|unknown|old".split("|")
)
_SPACES = re.compile(r"\s+")
_TERMINAL_WORDS = re.compile(
    r"^(?:(?:main|north|south|east|west|central|intl|international|new)\s+)?"
    r"(?:term(?:inal)?|conc(?:ourse)?|bldg|building|lvl|level|\d+(?:st|nd|rd|th)\s+lvl)\b",
    re.IGNORECASE,
)
_CODE = re.compile(r"^(?P<prefix>[A-Z]*)(?P<number>\d+)(?P<suffix>[A-Z0-9]*)$")


def parse_identifier(phrase: str) -> ValueReading:
    """Read a stated identifier (a gate) into kind ``identifier`` with its cleaned code in ``text``.

    Never raises: a placeholder, a terminal alone or an empty phrase gives
    kind ``unparsed`` with a warning naming the phrase and the reason.
    """
    text = _SPACES.sub(" ", phrase.replace("\u00a0", " ")).strip()
    if not text:
        return _unparsed(phrase, "the phrase is empty")
    if text.lower() in PLACEHOLDERS:
        return _unparsed(phrase, "it is a placeholder, not a gate")
    notes: list[str] = []
    parts = [part.strip() for part in re.split(r"\s+-\s+", text) if part.strip()]
    gate = parts[-1]
    if len(parts) > 1:
        notes.append(f"terminal {' - '.join(parts[:-1])!r} dropped: the gate is {gate!r}")
    if len(parts) == 1 and _TERMINAL_WORDS.match(gate):
        return _unparsed(phrase, "it names a terminal, not a gate")
    if "/" in gate:
        head, _, tail = gate.partition("/")
        if head.strip():
            if tail.strip():
                notes.append(f"terminal '/{tail.strip()}' dropped")
            gate = head.strip()
    if gate.lower() in PLACEHOLDERS:
        return _unparsed(phrase, "it is a placeholder, not a gate")
    if _TERMINAL_WORDS.match(gate):
        return _unparsed(phrase, "it names a terminal, not a gate")
    code = gate.upper().replace(" ", "").strip("-")
    if re.fullmatch(r"[A-Z]+-\d+[A-Z0-9]*", code):  # "C-16"
        code = code.replace("-", "")
    elif "-" in code:  # "B2-51": terminal B2, gate 51
        head, _, tail = code.rpartition("-")
        notes.append(f"'{head}-' read as a terminal: the gate is {tail!r}")
        code = tail
    if not code or not re.fullmatch(r"[A-Z0-9]+", code):
        return _unparsed(phrase, "it is not a code of letters and digits")
    if match := _CODE.match(code):
        number = str(int(match["number"]))
        if number != match["number"]:
            notes.append(f"leading zeros dropped: {match['number']} → {number}")
        code = f"{match['prefix']}{number}{match['suffix']}"
    if code != text:
        notes.append(f"→ code {code}")
    return ValueReading("identifier", text=code, qualifier="exact", notes=tuple(notes))


def split_code(code: str) -> tuple[str, str]:
    """(letter prefix, rest) of a cleaned code: ``C44B`` → (``C``, ``44B``); no digits → (code, "")."""
    match = _CODE.match(code)
    if match is None:
        return code, ""
    return match["prefix"], match["number"] + match["suffix"]


def compatible(a: str | None, b: str | None) -> bool:
    """May two cleaned codes name the same gate? Equal, or equal once one's missing prefix is ignored."""
    if a is None or b is None:
        return False
    if a == b:
        return True
    prefix_a, rest_a = split_code(a)
    prefix_b, rest_b = split_code(b)
    return bool(rest_a) and rest_a == rest_b and (not prefix_a or not prefix_b)


def _unparsed(phrase: str, why: str) -> ValueReading:
    return ValueReading("unparsed", qualifier="none", warning=f"could not read {phrase!r} as an identifier: {why}")
