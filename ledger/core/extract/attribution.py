"""Guessing whom a sentence cites for what it states, with the reason.

"according to X" / "selon X", "X said|reported|told|estimated", "said X",
"sources said"; a parenthesised short name is preferred ("the Armed Conflict
... Project (ACLED)" → ACLED); a pronoun is no answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ledger.core.extract.guesses import Guess, shorten

_ACCORDING = re.compile(
    r"\b(?:according\s+to|selon|d['’]apr[èe]s|citing|cited\s+by|reported\s+by)\s+(?P<who>[^,.;:()“”\"]+)"
    r"(?:\s*\((?P<short>[^()]{2,40})\))?",
    re.IGNORECASE,
)
_SPEECH = (r"said|says|told|tells|reported|reports|stated|states|announced|estimated|estimates|claimed|claims"
           r"|noted|added|wrote|explained|explains|confirmed|warned|insisted")
_NAME = r"(?:[A-Z][\w'’.-]*|al-[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’.-]*|of|the|de|du|al|bin|von|van|le|la)){0,6}"
_BEFORE_VERB = re.compile(rf"(?P<who>{_NAME})(?:,[^,]{{1,80}},)?\s+(?:has\s+|had\s+|also\s+)?(?:{_SPEECH})\b")
_AFTER_VERB = re.compile(rf"\b(?:{_SPEECH})\s+(?P<who>{_NAME})")
_GROUP = re.compile(
    r"(?P<who>(?:(?:the|some|several|many|two|three|other)\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:sources|officials|diplomats|ministry|government|army|police|analysts|experts|witnesses|spokesman"
    r"|spokeswoman|spokesperson|residents|authorities|military|observers|activists))\s+(?:have\s+|had\s+)?"
    rf"(?:{_SPEECH})\b",
    re.IGNORECASE,
)
_NOUN_PHRASE_SPEECH = re.compile(  # "the city council reported", "Ukraine's air force said"
    rf"(?P<who>(?:the|[A-Z][\w'’-]*)(?:\s+[\w'’-]+){{1,3}}?)\s+(?:has\s+|had\s+)?(?:{_SPEECH})\b"
)
_FRENCH_SPEECH = re.compile(
    rf"(?P<who>{_NAME})\s+(?:a|ont|avait|avaient)\s+(?:déclaré|affirmé|indiqué|annoncé|estimé|précisé"
    r"|expliqué|rapporté|assuré)"
)
_PRONOUNS = frozenset("he she they it we i you il elle ils elles on nous this that".split())
_NOT_NAMES = frozenset("the a an but and in on at as however meanwhile so yet then".split())


@lru_cache(maxsize=4096)  # every value of a sentence asks again
def guess_attribution(sentence: str) -> Guess:
    """Whom ``sentence`` cites for what it states, or no one."""
    if found := _ACCORDING.search(sentence):
        if found["short"] and not re.search(r"\d", found["short"]):
            return Guess(found["short"].strip(), f"'{found.group().strip()}': the short name in brackets")
        who = _trim_name(found["who"])
        if who:
            return Guess(who, f"'{found.group().strip()}'")
    for pattern, how in ((_BEFORE_VERB, "named before"), (_AFTER_VERB, "named after"),
                         (_FRENCH_SPEECH, "named before"), (_GROUP, "named before"),
                         (_NOUN_PHRASE_SPEECH, "named before")):
        for found in pattern.finditer(sentence):
            who = _trim_name(found["who"])
            if who and who.lower() not in _PRONOUNS:
                return Guess(who, f"'{shorten(found.group())}': {how} a verb of saying")
    return Guess(None, "no 'according to', 'X said' or 'X reported' in the sentence")


def _trim_name(text: str) -> str | None:
    words = text.strip().split()
    while words and words[0].lower() in _NOT_NAMES:
        words = words[1:]
    while words and words[-1].lower() in ("of", "the", "de", "du", "la", "le"):
        words = words[:-1]
    if not words or len(words) > 8 or words[0].lower() in _PRONOUNS:
        return None
    name = " ".join(words).strip(" '\"“”’")
    return name[:-1] if name.endswith(".") and len(words[-1]) > 2 else name
