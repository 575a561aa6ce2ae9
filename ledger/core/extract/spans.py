"""Finding the figures and dates of a sentence that the ledger's parsers can read.

Algorithm: the sentence is cut into tokens; an *anchor* is a token that may
start or end a stated value — digits, number and vague-count words ("four",
"dozens", "several"), shares and factors ("two-thirds", "fivefold"), month and
weekday names, "ago", "last week". Around each anchor every stretch of up to a
few tokens on either side is offered to the ledger's own parsers
(``dates.read_when`` for date anchors, ``values.parse_value`` for figures) and
the longest one they read wins, so qualifiers ("nearly", "more than", "some"),
ranges, currencies, periods ("a month") and parenthetical equivalents come
along exactly when the parser understands them. A figure may not swallow what
it counts ("1,000 Russian mercenaries" is the value "1,000"; the words after
it are kept as ``counted``), except units of measure ("600 km").

Anchors that are no claim are skipped with a reason (see ``Skip``): numbers
glued to letters ("COVID-19", "G5", "F-16") or joined by "+" ("2+2"),
footnote marks ("terrorism.12", "[3]"), times of day, time offsets ("three
weeks after"), ordinals, compound
adjectives ("10-year-old"), years that only name a thing ("the 2012 deal",
"Mali's 2020 coup"), "one" on its own and number words after a determiner
("the two countries").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.core import numbers, qualifiers
from ledger.core.dates import MONTHS, WEEKDAYS, read_when
from ledger.core.readings import ParseContext, TimeReading, ValueReading
from ledger.core.values import parse_value

MAX_LEFT = 4  # "in the region of", "a little more than"
MAX_RIGHT = 6  # "billion CFA francs a month", "of the five"

_TOKEN = re.compile(r"[\w$€£¥₽](?:[\w'’%\-]|(?<=\d)[.,](?=\d))*|[^\s]")
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
_YEAR_LIKE = re.compile(r"(?:1[5-9]|20)\d\d(?:s|['’]s|\s*[-/]\s*(?:\d\d){1,2})?")
_DIGIT = re.compile(r"\d")
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "million billion trillion dozen".split()
)
_SMALL_NUMBER_WORDS = _NUMBER_WORDS - {"hundred", "thousand", "million", "billion", "trillion", "dozen"}
_VAGUE_TAILS = frozenset(("few", "couple", "handful"))  # "a few": the anchor is the second word
_VAGUE = re.compile(qualifiers.VAGUE_PATTERN.pattern + "$")
_SHARE = re.compile(r"(?:%s)$" % numbers.SHARE_PATTERN)
_FOLD = re.compile(numbers.FOLD_PATTERN + "$")
_ORDINAL_RANK = re.compile(  # "eighth-largest", "the second biggest": a rank, stated as text
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
    r"[\s-](?:largest|biggest|smallest|highest|lowest|poorest|richest|most populous|deadliest)",
    re.IGNORECASE,
)
_FRENCH_MONTHS = frozenset(
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre "
    "decembre".split()
)
#: Dates worth asking dateparser about (the ledger's grammar is English): French month and relative words.
_FRENCH_DATE_WORDS = re.compile(
    r"\b(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre"
    r"|décembre|decembre|il y a|hier|aujourd'hui|dernier|dernière|prochain)\b", re.IGNORECASE)
_RELATIVE_UNITS = frozenset("week weeks month months year years decade decades".split())
_RELATIVE_OPENERS = frozenset("last this next previous past coming earlier later recent".split())
_WHEN_ONLY = re.compile(  # dates that place a claim in time but are no claim by themselves
    r"^(?:(?:on|last|this|next)\s+)?(?:%s)$|today|tonight|yesterday|tomorrow|recent|lately|past\b|so far"
    r"|earlier|later|this (?:week|month|year)" % "|".join(WEEKDAYS),
    re.IGNORECASE,
)
_TIME_OFFSET = re.compile(  # "three weeks after the coup", "two days later": when, not how many
    r"\s+(?:days?|weeks?|months?|years?|decades?|hours?|minutes?)\s+(?:after|before|later|earlier|on|into|since)\b"
    r"|\s+(?:jours?|semaines?|mois|ans|années)\s+(?:après|avant|plus tard)\b",
    re.IGNORECASE,
)
_DETERMINERS = frozenset("the a an this that these those its their his her our your whose".split())
_FUNCTION_WORDS = frozenset(
    "a an and or but the of in on at to for from by with as is was were are be been has have had "
    "when where which who that this than then since until till after before during while into onto "
    "over under about against between through per each every it its they he she we you i not no "
    "also only alone will would could should may might must can did do does so if".split()
)
_STRIP_FOR_VALUE = re.compile(
    r"(?:(?:sometime|some time)\s+in|as\s+of|starting\s+(?:in|from)|beginning\s+in|in|on|during|at|since"
    r"|from|until|till|through|over|for|en|depuis|le|la|les|dès|the)\s+",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"\s+(?:onwards?|and after)$", re.IGNORECASE)
_STRIP_FOR_WHEN = re.compile(r"(?:in|on|during|at|en|le)\s+", re.IGNORECASE)
_CUES = (
    (re.compile(r"^(?:since|from|starting|beginning|depuis|dès)\b|onwards?$", re.I), "since"),
    (re.compile(r"^(?:until|till|through|jusqu)", re.I), "until"),
)
MEASURE_UNITS = frozenset(
    "km kms km2 km² kilometres kilometers kilometre kilometer kilomètres kilomètre mile miles metres meters "
    "mètres metre meter kg kilograms kilos tonnes tons ton tonne litres liters barrels hectares ha acres mw gw "
    "kwh twh degrees °c mph feet ft square sq cm mm".split()
)



@dataclass(frozen=True)
class Span:
    """A stated value found in a sentence; offsets are the sentence's."""

    start: int
    end: int
    text: str
    kind: str  # "figure", "date" or "rank"
    reading: ValueReading | TimeReading | None
    when_text: str | None = None  # for a date: the phrase as a claim's time ("since 2013")
    when_only: bool = False  # "on Tuesday", "recently": a time for other claims, not a claim
    cue: str | None = None  # "since" / "until": how the sentence frames a date
    counted: str | None = None  # the words after a figure: what it counts
    note: str | None = None  # what the reader should know about this value


@dataclass(frozen=True)
class Skip:
    """An anchor that is no claim, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def find_spans(sentence: str, context: ParseContext) -> tuple[list[Span], list[Skip]]:
    """The dates and figures of ``sentence`` in order, and the anchors skipped (with reasons)."""
    tokens = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
    taken: list[Span] = []
    skips: list[Skip] = []
    french = context.language.split("-")[0].lower() == "fr"
    for rank in _ORDINAL_RANK.finditer(sentence):
        taken.append(Span(rank.start(), rank.end(), rank.group(), "rank", None,
                          note="a rank: stated as text, compared as text"))
    skipped: set[int] = set()
    for index, token in enumerate(tokens):
        if _inside(taken, token) or not _is_date_anchor(tokens, index, french):
            continue
        if reason := _skip_reason(sentence, tokens, index):
            skips.append(Skip(token.text, reason))
            skipped.add(index)
            continue
        core = Span(token.start, token.end, token.text, "date", None)
        if reason := _names_a_thing(sentence, core):
            skips.append(Skip(token.text, reason))
            skipped.add(index)
            continue
        if span := _date_span(sentence, tokens, index, context):
            if reason := _names_a_thing(sentence, span):
                skips.append(Skip(span.text, reason))
                skipped.update(i for i, t in enumerate(tokens) if span.start <= t.start and t.end <= span.end)
                continue
            taken.append(span)
    for index, token in enumerate(tokens):
        if index in skipped or _inside(taken, token) or not _is_figure_anchor(tokens, index):
            continue
        if reason := _skip_reason(sentence, tokens, index):
            skips.append(Skip(token.text, reason))
            continue
        free = [not _inside(taken, t) for t in tokens]
        if span := _figure_span(sentence, tokens, index, context, free):
            if _TIME_OFFSET.match(sentence, span.end):
                skips.append(Skip(span.text, "a time offset ('three weeks after'), not a count"))
                continue
            taken.append(span)
    return sorted(taken, key=lambda span: span.start), skips


def _inside(spans: list[Span], token: _Token) -> bool:
    return any(span.start <= token.start and token.end <= span.end for span in spans)


def _is_date_anchor(tokens: list[_Token], index: int, french: bool) -> bool:
    text = tokens[index].text
    lower = text.lower().rstrip(".")
    if _YEAR_LIKE.fullmatch(text):
        return not _counts_something(tokens, index)
    if text[0].isupper() and (lower in MONTHS or lower in WEEKDAYS) and len(lower) > 2:
        return lower != "may" or _month_context(tokens, index)
    if french and lower in _FRENCH_MONTHS:
        return True
    if lower in ("ago", "today", "yesterday", "tomorrow", "tonight", "recently", "aujourd'hui", "hier"):
        return True
    previous = tokens[index - 1].text.lower() if index else ""
    if lower in _RELATIVE_UNITS and index >= 2 and (previous in _NUMBER_WORDS or previous.isdigit()):
        previous = tokens[index - 2].text.lower()  # "the past two years"
    return lower in _RELATIVE_UNITS and previous in _RELATIVE_OPENERS


def _month_context(tokens: list[_Token], index: int) -> bool:
    """"May" is a month after a preposition or before a day or year, else the verb."""
    previous = tokens[index - 1].text.lower() if index else ""
    following = tokens[index + 1].text if index + 1 < len(tokens) else ""
    return previous in ("in", "last", "this", "next", "early", "mid", "late", "since", "until", "of", "by",
                        "from", "to", "and", "end", "mid-", "during") or bool(_DIGIT.match(following))


def _counts_something(tokens: list[_Token], index: int) -> bool:
    """"2000 soldiers": a year-like number directly before a plural noun is a count."""
    if not _YEAR.fullmatch(tokens[index].text) or index + 1 >= len(tokens):
        return False
    following = tokens[index + 1].text
    plural = following.endswith("s") and not following.endswith(("ss", "is", "us"))
    return following.islower() and plural and following not in _FUNCTION_WORDS


def _is_figure_anchor(tokens: list[_Token], index: int) -> bool:
    text = tokens[index].text
    lower = text.lower()
    if _DIGIT.search(text):
        return True
    if lower in _NUMBER_WORDS or lower in _VAGUE_TAILS or _VAGUE.match(lower) or _FOLD.match(lower):
        return True
    previous = tokens[index - 1].text.lower() if index else ""
    return bool(_SHARE.match(lower)) and ("-" in lower or lower.endswith("s") or _followed_by(tokens, index, "of")
                                          or previous in ("a", "one", "two", "three"))


def _followed_by(tokens: list[_Token], index: int, word: str) -> bool:
    return index + 1 < len(tokens) and tokens[index + 1].text.lower() == word


def _skip_reason(sentence: str, tokens: list[_Token], index: int) -> str | None:
    token = tokens[index]
    text = token.text
    before = sentence[token.start - 1] if token.start else " "
    after = sentence[token.end] if token.end < len(sentence) else " "
    previous = tokens[index - 1].text.lower() if index else ""
    if _DIGIT.search(text):
        if re.match(r"[^\W\d_]", text) and not _YEAR_LIKE.fullmatch(text):
            return "part of a name (letters before the number)"
        if before == "+" or after == "+" or re.match(r"\d+\+", text):
            return "part of a name (joined by '+')"
        if before in ".,;:)”\"'" and token.start >= 2 and sentence[token.start - 2].isalpha():
            return "a footnote mark (glued to the word before)"
        if before == "[" and after == "]":
            return "a footnote mark (in brackets)"
        if after == ":" and re.match(r":\d\d", sentence[token.end:token.end + 3]):
            return "a time of day"
        if previous == ":" and index >= 2 and _DIGIT.search(tokens[index - 2].text):
            return "a time of day"
        if _after_a_name(tokens, index):
            return "part of a name (a number after a proper name: 'FRANCE 24', 'Resolution 2391')"
        if re.fullmatch(r"\d+(?:st|nd|rd|th)", text):
            return "an ordinal"
        compound = re.fullmatch(r"[\d.,]+-([^\W\d_][\w-]*)", text)
        if compound and compound[1].lower() not in ("strong", "fold") and not _FOLD.match(text.lower()):
            return "part of a compound word"
    elif text.lower() in _SMALL_NUMBER_WORDS and previous in _DETERMINERS:
        return "a number word after a determiner (a reference, not a count)"
    return None


def _after_a_name(tokens: list[_Token], index: int) -> bool:
    """A number right after a capitalised word that is no month, not followed by a word it counts."""
    if index < 2 or not _DIGIT.match(tokens[index].text) or _YEAR_LIKE.fullmatch(tokens[index].text):
        return False
    previous = tokens[index - 1].text
    following = tokens[index + 1].text if index + 1 < len(tokens) else "."
    return (previous[0].isupper() and previous.rstrip(".").lower() not in MONTHS and previous.isalpha()
            and not following[0].isalpha())


def _names_a_thing(sentence: str, span: Span) -> str | None:
    """"the 2012 deal", "Mali's 2020 coup", "(2020 report)": a date used as part of a name."""
    before = sentence[:span.start].rstrip()
    previous = before.split()[-1].lower() if before.split() else ""
    if not (previous in _DETERMINERS or previous.endswith(("'s", "’s")) or before.endswith("(")):
        return None
    following = sentence[span.end:].lstrip()
    word = re.match(r"[^\W\d_][\w-]*", following)
    if following.startswith(("-", "–")) or (word and word.group().lower() not in _FUNCTION_WORDS):
        return "a year that names a thing"
    return None


def _date_span(sentence: str, tokens: list[_Token], index: int, context: ParseContext) -> Span | None:
    def read(phrase: str):
        return read_when(phrase, context, fallback=bool(_FRENCH_DATE_WORDS.search(phrase)))

    rights = range(index, min(len(tokens), index + MAX_LEFT + 1))
    best = _longest(sentence, tokens, index, rights, [True] * len(tokens), read)
    if best is None:
        return None
    start, end, reading = best
    phrase = sentence[start:end]
    value_start = start + _stripped_offset(phrase, _STRIP_FOR_VALUE, context)
    value_end = end
    if (tail := _TRAILING.search(phrase)) and read_when(sentence[value_start:end - len(tail.group())], context):
        value_end = end - len(tail.group())
    when_start = start + _stripped_offset(phrase, _STRIP_FOR_WHEN, context)
    when_text = sentence[when_start:end]
    value = sentence[value_start:value_end]
    cue = next((name for pattern, name in _CUES if pattern.search(phrase.strip())), None)
    return Span(value_start, value_end, value, "date", reading, when_text=when_text,
                when_only=bool(_WHEN_ONLY.search(phrase)), cue=cue)


def _longest(sentence: str, tokens: list[_Token], index: int, rights, free: list[bool], read):
    """(start, end, reading) of the longest stretch around ``tokens[index]`` that ``read`` reads, or None.

    It starts up to ``MAX_LEFT`` tokens before the anchor, ends at one of
    ``rights``, covers only ``free`` tokens, and neither end is punctuation.
    """
    best = None
    for left in range(index, max(-1, index - MAX_LEFT - 1), -1):
        if not free[left]:
            break
        for right in rights:
            if not all(free[index:right + 1]):
                continue
            start, end = tokens[left].start, tokens[right].end
            if best and end - start <= best[1] - best[0]:
                continue
            if _is_punctuation(tokens[left].text) or (_is_punctuation(tokens[right].text)
                                                       and tokens[right].text not in ")%"):
                continue
            reading = read(sentence[start:end])
            if reading is not None:
                best = (start, end, reading)
    return best


def _is_punctuation(token: str) -> bool:
    return not token[0].isalnum() and token[0] not in "$€£¥₽"


def _stripped_offset(phrase: str, pattern: re.Pattern, context: ParseContext) -> int:
    """How many leading characters ``pattern`` strips while the rest still reads as a date."""
    offset = 0
    while True:
        found = pattern.match(phrase, offset)
        if not found or found.end() == offset or found.end() >= len(phrase):
            return offset
        rest = phrase[found.end():]
        if read_when(rest, context, fallback=bool(_FRENCH_DATE_WORDS.search(rest))) is None:
            return offset
        offset = found.end()


def _figure_span(sentence: str, tokens: list[_Token], index: int, context: ParseContext,
                 free: list[bool]) -> Span | None:
    """The longest readable figure around ``tokens[index]`` over tokens no other value holds."""
    best = _longest(sentence, tokens, index, _right_ends(tokens, index), free,
                    lambda phrase: _figure_reading(phrase, context))
    if best is None:
        return None
    start, end, reading = best
    phrase = sentence[start:end]
    if (trimmed := _without_article(phrase)) != phrase and _figure_reading(trimmed, context):
        start, phrase = end - len(trimmed), trimmed
        reading = _figure_reading(trimmed, context)
    return Span(start, end, phrase, "figure", reading, counted=counted_after(sentence, end))


def _right_ends(tokens: list[_Token], index: int) -> list[int]:
    """Token indexes a figure may end at: the next few, and the close of a parenthesis after them."""
    ends = list(range(index, min(len(tokens), index + MAX_RIGHT + 1)))
    for end in list(ends):
        if end + 1 < len(tokens) and tokens[end + 1].text == "(":
            for close in range(end + 2, min(len(tokens), end + 12)):
                if tokens[close].text == ")":
                    ends.append(close)
                    break
    return ends


def _without_article(phrase: str) -> str:
    """"the billion dollars" is stated as "billion dollars"; "a 5,000-strong" as "5,000-strong"."""
    if re.match(r"the\s", phrase, re.IGNORECASE):
        return phrase[4:].lstrip()
    if re.match(r"an?\s+\d", phrase, re.IGNORECASE):
        return phrase.split(None, 1)[1]
    return phrase


def _figure_reading(phrase: str, context: ParseContext) -> ValueReading | None:
    """The reading of ``phrase`` when it is a figure and nothing more, else None."""
    if phrase[-1] in ",.;:-(" or phrase[0] in ",.;:-()":
        return None
    reading = parse_value(phrase, "quantity", context)  # never a date: dates have anchors of their own
    if reading.kind not in ("quantity", "money"):
        return None
    if any("describes the amount" in note or "ignored" in note or "says what it is a" in note
           for note in reading.notes):
        return None
    unit = reading.unit
    if unit and unit not in ("percent", "times") and not set(unit.split()) <= MEASURE_UNITS:
        return None
    return reading


def counted_after(sentence: str, end: int) -> str | None:
    """The words right after a figure, up to punctuation or a function word: what it counts."""
    words = []
    for word in re.findall(r"[^\W\d_][\w'’-]*|[^\w\s]", sentence[end:end + 80]):
        if not word[0].isalpha() or (word.lower() in _FUNCTION_WORDS and word.lower() != "of") or len(words) >= 4:
            break
        words.append(word)
    while words and words[-1].lower() == "of":
        words.pop()
    return " ".join(words) or None
