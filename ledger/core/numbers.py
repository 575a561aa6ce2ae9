"""One door for numbers as articles write them: digits, number words, scale words.

Like beancount's ``D()``: every number in the ledger goes through
:func:`read_number`, comes out as a ``Decimal`` (never a float), and a failure
is a ``ValueError`` naming the input. Besides the value it reports the rounding
the digits imply, because "10.8 million" is a rounded figure (±0.05 million)
while "3,000" and "four thousand" are read as stated (see ``qualifiers``).
"""

from __future__ import annotations

import re
from decimal import Decimal, getcontext
from typing import NamedTuple

#: Languages that write the decimal mark as a comma; in them a dot (or a space)
#: groups thousands, so "5.100" is five thousand one hundred.
DECIMAL_COMMA_LANGUAGES = frozenset(
    "bg cs da de el es fi fr hr hu id it nb nl no pl pt ro ru sk sl sv tr uk".split()
)

#: Multipliers written after a figure ("10.8 million", "€1.5m", "£2bn").
SCALE_WORDS: dict[str, Decimal] = {
    "dozen": Decimal(12),
    "hundred": Decimal(100),
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "bln": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
    "trn": Decimal(10) ** 12,
    # after a figure, plurals and French scale words are scales too: "10,8 millions", "2 milliards"
    "millions": Decimal(10) ** 6,
    "billions": Decimal(10) ** 9,
    "milliard": Decimal(10) ** 9,
    "milliards": Decimal(10) ** 9,
}

_UNITS = {
    word: n for n, word in enumerate("zero one two three four five six seven eight nine".split())
}
_TEENS = {
    word: n + 10
    for n, word in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    word: (n + 2) * 10
    for n, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
_NUMBER_WORDS = (*_UNITS, *_TEENS, *_TENS, "dozen", "hundred", "thousand", "million",
                 "billion", "trillion")

# Scale words that may follow digits; one-letter ones only when attached ("1.5m"),
# so "5 m" stays five metres.
_SCALE_AFTER_DIGITS = (
    r"(?:\s*(?:hundred|thousand|millions?|billions?|milliards?|trillion|dozen|bn|bln|mn|mln|tn|trn)(?![a-z])"
    r"|(?:k|m|b)(?![a-z]))"
)
_DIGITS = (
    r"\d+(?:\.\d+)?e[+-]?\d{1,3}(?![a-z\d])"  # scientific: "1.2e4"
    r"|\d{1,3}(?:[ \u00a0\u202f']\d{3})+(?:[.,]\d+)?(?![\d.,])"  # space-grouped: "3 000"
    r"|\d+(?:[.,]\d+)*"  # any dots and commas; the language decides below
)
_WORD = r"(?:%s)(?![a-z])" % "|".join(_NUMBER_WORDS)
_WORD_NUMBER = rf"(?:(?:half[\s-]+)?an?[\s-]+)?{_WORD}(?:[\s-]+(?:and[\s-]+)?{_WORD})*"

#: The extent of one stated number, for scanners such as ``values``: digits with
#: optional scale words, or a run of number words. Validate with :func:`read_number`.
NUMBER_PATTERN = rf"(?:[-−]?(?:{_DIGITS})(?:{_SCALE_AFTER_DIGITS})*|{_WORD_NUMBER})"

_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                 "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
_NUMERATORS = {"a": 1, "an": 1, "one": 1, **{w: n for w, n in _UNITS.items() if 2 <= n <= 9}}

#: A share written in words: "two-thirds", "a quarter", "half" (not "half a million").
SHARE_PATTERN = (
    r"(?:(?:%s)[\s-]+)?(?:%s)(?![a-z])(?!\s+an?\s+(?:dozen|hundred|thousand|million|billion))"
    % ("|".join(_NUMERATORS), "|".join(_DENOMINATORS))
)

#: "fivefold", "5-fold", "ten fold": a factor, read as the number of times.
FOLD_PATTERN = r"(?P<times>[a-z]+?|\d+(?:\.\d+)?)[\s-]?fold(?![a-z])"

_GROUPED = {
    # decimal point: "1,234,567.89", "3 000", "10.8"
    False: re.compile(r"(\d{1,3}(?:([, '])\d{3})(?:\2\d{3})*|\d+)(?:\.(\d+))?"),
    # decimal comma: "1.234.567,89", "5.100", "10,8"
    True: re.compile(r"(\d{1,3}(?:([. '])\d{3})(?:\2\d{3})*|\d+)(?:,(\d+))?"),
}
#: The other decimal mark, where it can be nothing else: one digit after it ("1,2 million" in
#: English, "10.8" in French) cannot group thousands. Two digits ("3,00") may be a thousands
#: group missing a digit, so they stay unread.
_OTHER_MARK = {False: re.compile(r"(\d+),(\d)"), True: re.compile(r"(\d+)\.(\d)")}
_DIGITS_THEN_SCALES = re.compile(r"([-−]?)(\d[\d.,' ]*?)\s*((?:[a-z]+\s*)*)")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_SCIENTIFIC = re.compile(r"([-−]?)(\d+(?:\.(\d+))?)e([+-]?\d{1,3})")


class StatedNumber(NamedTuple):
    """A number as stated: its value, the rounding its digits imply, its scale."""

    value: Decimal
    rounding: Decimal  # half a unit of the last stated digit, times the scale; 0 if exact
    scale: Decimal  # product of the scale words (1 when none)
    scale_words: str  # the scale words as read, e.g. "million"
    decimal_mark: str = ""  # set when the decimal mark is not the language's own ("1,2 million" in English)


def read_number(text: str, language: str = "en") -> StatedNumber:
    """Read "3,000", "10.8 million", "1.5m", "forty-three", "half a million", "1.2e4" (no currency).

    ``language`` (an ISO 639-1 code, region ignored) decides whether a dot
    groups thousands. Raises ValueError naming ``text`` when it is not a number.
    """
    cleaned = _SPACES.sub(" ", str(text)).strip().lower()
    if scientific := _SCIENTIFIC.fullmatch(cleaned):
        return _read_scientific(scientific)
    match = _DIGITS_THEN_SCALES.fullmatch(cleaned)
    try:
        if match:
            return _read_digits(match, language)
        return _read_words(cleaned)
    except ValueError:
        raise ValueError(_not_a_number(text, language)) from None


def parse_number(text: str, language: str = "en") -> Decimal:
    """The value of a stated number (see :func:`read_number`); raises ValueError."""
    return read_number(text, language).value


def implied_rounding(text: str, language: str = "en") -> Decimal:
    """Half a unit of the last stated digit: "10.8 million" → 50000, "3,000" → 0."""
    return read_number(text, language).rounding


def read_share(text: str) -> tuple[int, int]:
    """Numerator and denominator of a share in words: "two-thirds" → (2, 3)."""
    words = text.lower().replace("-", " ").split()
    known = words and words[-1] in _DENOMINATORS and (len(words) == 1 or (
        len(words) == 2 and words[0] in _NUMERATORS))
    if not known:
        raise ValueError(f"{text!r} is not a share: expected e.g. 'half', 'a third', 'two-thirds'")
    return (_NUMERATORS[words[0]] if len(words) == 2 else 1), _DENOMINATORS[words[-1]]


def _read_scientific(match: re.Match) -> StatedNumber:
    """"1.2e4" is 1.2 × 10⁴, its decimals implying rounding as "1.2 thousand" would (a dot in any language)."""
    sign, mantissa, decimals, exponent = match.groups()
    scale = Decimal(10) ** int(exponent)
    rounding = Decimal(5).scaleb(-len(decimals) - 1) * scale if decimals else Decimal(0)
    value = tidy(Decimal(mantissa) * scale)
    return StatedNumber(-value if sign else value, tidy(rounding), scale, f"e{exponent}")


def _read_digits(match: re.Match, language: str) -> StatedNumber:
    sign, digits, scale_text = match.groups()
    decimal_comma = _writes_decimal_comma(language)
    grouped = _GROUPED[decimal_comma].fullmatch(digits)
    mark = ""
    if grouped:
        whole, _, decimals = grouped.groups()
    elif other := _OTHER_MARK[decimal_comma].fullmatch(digits):
        (whole, decimals), mark = other.groups(), "." if decimal_comma else ","
    else:
        raise ValueError(digits)
    value = Decimal(re.sub(r"[^\d]", "", whole) + ("." + decimals if decimals else ""))
    scale, scale_words = _scales(scale_text.split())
    rounding = Decimal(5).scaleb(-len(decimals) - 1) * scale if decimals else Decimal(0)
    value = tidy(value * scale)
    return StatedNumber(-value if sign else value, rounding, scale, scale_words, mark)


def _scales(words: list[str]) -> tuple[Decimal, str]:
    """Multiply scale words that must grow to the right: "hundred thousand", not "million k"."""
    scale, previous = Decimal(1), Decimal(0)
    for word in words:
        factor = SCALE_WORDS.get(word)
        if factor is None or factor <= previous:
            raise ValueError(word)
        scale, previous = scale * factor, factor
    return scale, " ".join(words)


def _read_words(text: str) -> StatedNumber:
    """Number words, e.g. "four thousand", "one hundred and twenty", "a dozen"."""
    words = text.replace("-", " ").split()
    if not words:
        raise ValueError(text)
    total = Decimal(0)
    group: Decimal | None = None  # the part below the next scale word
    last = None  # class of the previous word, to reject "three four"
    biggest_scale = None
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if word in ("a", "an"):
            if following not in SCALE_WORDS or (group is not None and last != "half"):
                raise ValueError(text)
            group = group if last == "half" else Decimal(1)
            last = "a"
        elif word == "half":
            if group is not None or following not in ("a", "an"):
                raise ValueError(text)
            group, last = Decimal("0.5"), "half"
        elif word == "and":
            if last not in ("hundred", "scale") or following is None:
                raise ValueError(text)
        elif word in _UNITS or word in _TEENS or word in _TENS:
            kind = "unit" if word in _UNITS else "teen" if word in _TEENS else "tens"
            allowed = (None, "hundred", "scale") + (("tens",) if kind == "unit" else ())
            if last not in allowed:
                raise ValueError(text)
            group = (group or 0) + (_UNITS.get(word) or _TEENS.get(word) or _TENS.get(word, 0))
            last = kind
        elif word in ("dozen", "hundred"):
            if last in ("hundred", "dozen") or (group is not None and group >= 100):
                raise ValueError(text)
            group = (Decimal(1) if group is None else group) * SCALE_WORDS[word]
            last = word
        elif word in ("thousand", "million", "billion", "trillion"):
            scale = SCALE_WORDS[word]
            if (biggest_scale is not None and scale >= biggest_scale) or last == "and":
                raise ValueError(text)
            total += (Decimal(1) if group is None else group) * scale
            group, last, biggest_scale = None, "scale", scale
        else:
            raise ValueError(text)
    if last in ("a", "half", "and"):
        raise ValueError(text)
    return StatedNumber(tidy(total + (group or 0)), Decimal(0), Decimal(1), "")


def _not_a_number(text: str, language: str) -> str:
    convention = (
        "a comma for decimals, dots or spaces between thousands"
        if _writes_decimal_comma(language)
        else "a dot for decimals, commas between thousands"
    )
    return (
        f"{text!r} is not a number: expected digits ({convention}, language {language!r}) "
        "or number words, optionally followed by a scale word such as 'million' or 'bn'"
    )


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros that arithmetic leaves: 10.8 × 10**6 is 10800000, 9.0 is 9."""
    if value != value.to_integral_value():
        return value.normalize()
    if value.adjusted() >= getcontext().prec:  # too long to write out digit by digit
        return value
    return value.quantize(1)


def _writes_decimal_comma(language: str) -> bool:
    return language.replace("_", "-").split("-")[0].lower() in DECIMAL_COMMA_LANGUAGES


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as JSON shows it: an int when whole, else a float (display only; not finite → None).

    The one place a Decimal leaves the core as a number: ``ledger parse`` and
    every ``--format json`` go through it.
    """
    if value is None or not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() else float(value)
