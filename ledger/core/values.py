"""Stated values → readings the conflict engine can compare.

``parse_value("more than € 1 million")`` is money in EUR over (1000000, ∞);
``parse_value("dozens of heads of state")`` a quantity of "heads of state" over
[24, 120); ``parse_value("late October", "date", context)`` the days
2019-10-21..31 for an article of 2019-07-02. Qualifiers and vague counts mean
what the table in ``qualifiers`` says; numbers go through ``numbers``; dates
through ``dates``; times of day ("2:57 PMDec 01") through ``times`` and
identifiers such as gates ("Main Term - A26X") through ``identifiers``, only
when the attribute asks for those kinds. A phrase that cannot be read is kind
``unparsed`` with a warning naming it, never an exception and never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import lru_cache
from typing import NamedTuple

from ledger.core import dates, identifiers, numbers, person_names, qualifiers, times
from ledger.core.readings import Interval, ParseContext, PartialDate, ValueReading

#: Recorded with every stored reading; bump it when a phrase may read differently.
PARSER_VERSION = "3"

_NO_CONTEXT = ParseContext()
_REQUESTABLE_KINDS = ("quantity", "money", "date", "text", "time", "identifier", "names")

#: Symbols, before or after the figure. "$" alone is read as US dollars, "¥" as yen.
CURRENCY_SYMBOLS = {
    "us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "cn¥": "CNY", "₽": "RUB",
    "₹": "INR", "₩": "KRW", "₺": "TRY", "₦": "NGN", "₴": "UAH", "a$": "AUD", "au$": "AUD",
    "c$": "CAD", "ca$": "CAD", "hk$": "HKD", "nz$": "NZD", "r$": "BRL", "s$": "SGD",
}
#: Names, after the figure ("6 billion CFA francs", "millions of dollars").
CURRENCY_NAMES = {
    "us dollars": "USD", "u.s. dollars": "USD", "american dollars": "USD", "dollars": "USD",
    "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "pounds": "GBP",
    "pound": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "rmb": "CNY", "roubles": "RUB", "rouble": "RUB", "rubles": "RUB", "ruble": "RUB",
    "cfa francs": "XOF", "cfa franc": "XOF", "francs cfa": "XOF", "franc cfa": "XOF",
    "fcfa": "XOF", "f cfa": "XOF", "cfa": "XOF", "swiss francs": "CHF", "rupees": "INR", "naira": "NGN",
    "rand": "ZAR", "hryvnias": "UAH", "riyals": "SAR",
}
#: ISO 4217 codes recognised in text (conversion covers those ``money`` knows).
CURRENCY_CODES = frozenset(
    "AED AUD BAM BGN BRL CAD CHF CNY CVE CZK DKK DZD EGP ETB EUR GBP GHS GNF HKD HUF IDR ILS "
    "INR ISK JPY KES KMF KRW MAD MXN MYR NGN NOK NZD PHP PLN QAR RON RUB SAR SEK SGD THB TND "
    "TRY UAH USD XAF XOF XPF ZAR".lower().split()
)
_CFA_CAVEAT = "CFA francs read as XOF (West Africa); XAF (Central Africa) has the same peg"
_CURRENCY_CAVEATS = {
    "$": "'$' read as US dollars",
    "dollars": "'dollars' read as US dollars",
    "dollar": "'dollar' read as US dollars",
    "¥": "'¥' read as Japanese yen (write 'yuan' or 'CN¥' for renminbi)",
    "cfa francs": _CFA_CAVEAT,
    "cfa": _CFA_CAVEAT,
}
_PERIODS = {
    "day": "day", "daily": "day", "week": "week", "weekly": "week", "month": "month",
    "monthly": "month", "year": "year", "annum": "year", "yearly": "year", "annually": "year",
    "yr": "year", "mo": "month", "wk": "week", "p.a": "year",
    "jour": "day", "semaine": "week", "mois": "month", "an": "year", "année": "year",  # "par mois"
}


def _alternation(words) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w) + (r"(?![a-z])" if w[-1].isalpha() else "") for w in ordered)


_SYMBOL = _alternation(CURRENCY_SYMBOLS)
_CODE = _alternation(CURRENCY_CODES)
_PREFIX_CURRENCY = re.compile(rf"({_SYMBOL}|(?:{_CODE}|fcfa|cfa|rmb)(?=\s*[-−]?\d))\s*")
_SUFFIX_CURRENCY = re.compile(  # "6 billion CFA francs", "millions of dollars", "10,8 millions d'euros"
    rf"\s*(?:of\s+|d['’]\s*|de\s+)?({_alternation(CURRENCY_NAMES)}|{_CODE}|{_SYMBOL})"
)
_PERCENT = re.compile(r"\s*(%|percent(?![a-z])|per\s+cent(?![a-z])|pct(?![a-z]))")
_PERIOD = re.compile(
    r"(?:(?:\s+(?:a|an|per|each|every|par)\s+|\s*/\s*)"
    r"(day|week|month|year|annum|yr|mo|wk|jour|semaine|mois|an|année)"
    r"|\s+(daily|weekly|monthly|yearly|annually|p\.a))$"
)
_NUMBER = re.compile(numbers.NUMBER_PATTERN)
_SHARE = re.compile(numbers.SHARE_PATTERN)
_FOLD = re.compile(numbers.FOLD_PATTERN)
_OUT_OF = re.compile(  # "three of the five (bases)"
    rf"(?:out\s+)?of\s+(?:the\s+)?(?P<total>{numbers.NUMBER_PATTERN})(?:\s+(?P<rest>.+))?"
)
_MICRO = Decimal("0.000001")
# "the", or "a" before a figure ("a 5,000-strong force") but not before a year ("a 2019 deal")
_THE = re.compile(r"(?:the|an?(?=\s+[-−]?\d)(?!\s+(?:1[89]|20)\d\d(?![\d,.]|-strong)))\s+")
#: A part of a scale word: "a quarter of a million", "three quarters of a billion",
#: "two and a half million" (a share of a count, not a percentage).
_PART_OF_SCALE = re.compile(
    r"(?P<share>(?:(?:an?|one|two|three)[\s-]+)?(?:half|third|quarter)s?)[\s-]+of[\s-]+an?[\s-]+"
    r"(?P<scale>thousand|million|billion|trillion)(?![a-z])"
    r"|(?P<whole>\d+|one|two|three|four|five|six|seven|eight|nine|ten)[\s-]+and[\s-]+a[\s-]+half[\s-]+"
    r"(?P<scale2>thousand|million|billion|trillion)(?![a-z])"
)
#: "1 in 5", "one in four": a share, as a percentage (not "5 in 2019")
_ONE_IN = re.compile(
    rf"(?P<part>{numbers.NUMBER_PATTERN})\s+in\s+(?!(?:1[89]|20)\d\d(?![\d,.]))(?P<whole>{numbers.NUMBER_PATTERN})"
)
_OF = re.compile(r"(?:of|de|des|du)\s+|d'")
_STRONG = re.compile(r"-strong(?![a-z])")  # "a 1,000-strong contingent": the figure counts the whole
_RANGE_OPENER = re.compile(r"(between|from)\s+")
_RANGE_SEPARATOR = re.compile(r"\s*(-|to(?![a-z])|and(?![a-z])|or(?![a-z]))\s*")
_VAGUE_SCALE = re.compile(
    r"\s+(?:of\s+|de\s+)?(hundreds|thousands|millions|billions|milliers|milliards)(?![a-z])"
    r"|\s+((?:hundred|thousand|million|billion|dozen)(?:\s+(?:thousand|million|billion))?)(?![a-z])"
)
# "6 billion CFA francs (about 10 million dollars)"; Reuters puts the period after it: "... ($10.8 million) a month"
_PARENTHESIS = re.compile(r"(?P<main>.+?)\s*\((?P<inner>[^()]+)\)(?P<after>(?:\s+[^()]*)?)")
_SUFFIX_AT_END = re.compile(qualifiers.SUFFIX_PATTERN.pattern + "$")
_SPACES = re.compile(r"\s+")
_YEAR_IN = re.compile(r"\b[12]\d{3}\b")  # "17 septembre 2021" is a date, not 17 "septembre 2021"
_TIDY = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "–": "-", "—": "-",
                       "’": "'", "‘": "'", "“": '"', "”": '"'})


def parse_value(
    phrase: str, kind: str | None = None, context: ParseContext | None = None
) -> ValueReading:
    """Read a stated value into a ValueReading.

    ``kind`` is what the attribute holds: quantity, money, date, text, time,
    identifier or names (the last three are never guessed); when None it is guessed
    (money if a currency is stated, else a date if the phrase reads as one,
    else a quantity, else text). A phrase that cannot be
    read as the requested kind gives kind ``unparsed`` with a warning.
    ``context`` gives the publication date (for relative dates), the language
    (for "5.100") and qualifier overrides. Raises ValueError only for an
    unknown ``kind``. Results are cached unless overrides are given.
    """
    if kind is not None and kind not in _REQUESTABLE_KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(_REQUESTABLE_KINDS)}")
    context = context or _NO_CONTEXT
    if context.tolerances:
        return _parse(phrase, kind, context)
    return _parse_cached(phrase, kind, context.published, context.language)


@lru_cache(maxsize=1 << 17)
def _parse_cached(
    phrase: str, kind: str | None, published: PartialDate | None, language: str
) -> ValueReading:
    return _parse(phrase, kind, ParseContext(published, language))


def _parse(phrase: str, kind: str | None, context: ParseContext) -> ValueReading:
    text = _clean(phrase)
    if not text:
        return _unparsed(phrase, "the phrase is empty")
    if kind == "text":
        return _text(phrase)
    if kind == "time":
        return times.parse_time_value(phrase, context)
    if kind == "identifier":
        return identifiers.parse_identifier(phrase)
    if kind == "names":
        return person_names.parse_names(phrase)
    if kind == "date":
        return dates.parse_date_value(phrase, context)
    figure = _figure(text, context)
    if kind in ("quantity", "money"):
        if figure is None:
            return _unparsed(phrase, f"expected {_EXPECTED[kind]}")
        return _as_requested(figure, kind)
    if figure is not None and figure.kind == "money":
        return figure
    if date_reading := dates.read_date_value(phrase, context, fallback=False):
        return date_reading
    if figure is not None and figure.kind == "quantity" and not _YEAR_IN.search(figure.unit or ""):
        return figure
    if re.search(r"\d", text) and (date_reading := dates.read_date_value(phrase, context)):
        return date_reading
    return figure or _text(phrase)


_EXPECTED = {
    "quantity": "a number such as '3,000', 'about 1,000', 'dozens of' or 'four thousand'",
    "money": "an amount such as '€1.5m', 'more than € 1 million' or '6 billion CFA francs'",
}


_NO_CURRENCY = "no currency stated: it cannot be converted"


def _as_requested(figure: ValueReading, kind: str) -> ValueReading:
    """Keep the kind the figure shows, saying so when it differs from the attribute's."""
    if figure.kind == "unparsed" or figure.kind == kind:
        if kind == "money" and figure.kind == "money" and figure.currency is None:
            return _with_note(figure, _NO_CURRENCY)
        return figure
    if kind == "money":
        return _with_note(replace(figure, kind="money"), _NO_CURRENCY)
    return _with_note(figure, "a currency is stated, so it was read as money")


def _with_note(reading: ValueReading, note: str) -> ValueReading:
    return replace(reading, notes=(*reading.notes, note))


def _clean(phrase: str) -> str:
    text = phrase.translate(_TIDY).replace("\\$", "$").lower()
    return _SPACES.sub(" ", text).strip(" .,;:")


def _figure(text: str, context: ParseContext) -> ValueReading | None:
    """A quantity or money phrase; None when ``text`` does not state a figure at all."""
    alternatives, notes, after = (), [], ""
    if match := _PARENTHESIS.fullmatch(text):
        text, after = match["main"] + match["after"], match["after"]
        inner = _figure(match["inner"], context)
        if inner is None:
            notes.append(f"'({match['inner']})' is not a figure and was left out")
        else:
            alternatives = (inner,)
            notes.append(f"'({match['inner']})' kept as a second reading")
    period = None
    if match := _PERIOD.search(text):
        period = _PERIODS[match[1] or match[2]]
        notes.append(f"'{match.group().strip()}' → an amount per {period}")
        text = text[: match.start()]
    scan = _Scan(text, context.language, context.tolerances, notes)
    reading = scan.read()
    if reading is None or reading.kind == "unparsed":
        return reading
    if period and alternatives and alternatives[0].period is None and after:
        alternatives = (replace(alternatives[0], period=period),)  # "($10.8 million) a month": per month too
    return replace(reading, period=period, alternatives=alternatives)


class _Stated(NamedTuple):
    """The figure as stated, before its qualifier is applied."""

    interval: Interval  # [x, x], [a, b] for a range, [low, high) for a vague count
    rounding: tuple[Decimal, Decimal]  # what the digits of each end imply
    rule: str | None  # a vague count's name, "range", or None for a single figure
    unit: str | None  # "percent" for shares, "times" for factors


_NO_ROUNDING = (Decimal(0), Decimal(0))


class _Scan:
    """Reads one figure phrase left to right: qualifier, currency, figure, unit."""

    def __init__(self, text: str, language: str, tolerances: dict, notes: list[str]):
        self.text, self.language, self.tolerances, self.notes = text, language, tolerances, notes
        self.pos = 0
        self.currency = None

    def match(self, pattern: re.Pattern) -> re.Match | None:
        found = pattern.match(self.text, self.pos)
        if found:
            self.pos = found.end()
        return found

    def read(self) -> ValueReading | None:
        self.match(_THE)
        prefix = self.match(qualifiers.PREFIX_PATTERN)
        opener = self.match(_RANGE_OPENER)
        self.read_currency(_PREFIX_CURRENCY)
        stated = self.read_stated(opener)
        if not isinstance(stated, _Stated):
            return stated
        if self.match(_STRONG):
            self.notes.append("'-strong': the figure counts the whole of what follows")
        self.read_currency(_SUFFIX_CURRENCY)
        unit = stated.unit or ("percent" if self.match(_PERCENT) else None)
        qualifier, written = self.read_qualifier(prefix)
        unit = self.read_unit(unit)
        if isinstance(unit, ValueReading):
            return unit
        if qualifier is None and unit and (found := _SUFFIX_AT_END.search(unit)):
            qualifier, written = qualifiers.qualifier_named(found[1], self.tolerances), found[1]
            unit = unit[: found.start()] or None
        if unit and self.currency:  # an amount counts money: the rest only describes it
            self.notes.append(f"'{unit}' describes the amount")
            unit = None
        elif unit and unit not in ("percent", "times"):
            self.notes.append(f"counted: '{unit}'")
        row = qualifier or qualifiers.qualifier_named("exact", self.tolerances)
        if written:
            self.notes.append(qualifiers.describe(row, written))
        elif not stated.rule and not any(stated.rounding):
            self.notes.append("no qualifier and no decimals: read as exact")
        interval = qualifiers.qualify(row, stated.interval, stated.rounding)
        if interval.low is not None and interval.high is not None and interval.low > interval.high:
            return _unparsed(self.text, "its range runs from high to low")
        self.notes.append(f"→ {_show(interval)}" + (f" {self.currency}" if self.currency else ""))
        rule = " ".join(n for n in (qualifier and row.name, stated.rule) if n)
        return ValueReading(
            "money" if self.currency else "quantity",
            interval,
            unit=unit,
            currency=self.currency,
            qualifier=rule or "exact",
            notes=tuple(self.notes),
        )

    def read_currency(self, pattern: re.Pattern) -> None:
        if not (found := self.match(pattern)):
            return
        written = _SPACES.sub(" ", found[1])
        code = CURRENCY_SYMBOLS.get(written) or CURRENCY_NAMES.get(written) or written.upper()
        if self.currency and code != self.currency:
            self.notes.append(f"'{written}' ({code}) ignored: the figure is in {self.currency}")
        elif not self.currency:
            self.currency = code
            self.notes.append(_CURRENCY_CAVEATS.get(written, f"'{written}' → {code}"))

    def read_stated(self, opener: re.Match | None) -> _Stated | ValueReading | None:
        """A vague count, a share, a factor, or one or two numbers."""
        if found := self.match(qualifiers.VAGUE_PATTERN):
            return self.read_vague(found[1])
        if found := self.match(_PART_OF_SCALE):
            return self.read_part_of_scale(found)
        if found := self.match(_SHARE):
            return self.read_share(found.group())
        if (found := _ONE_IN.match(self.text, self.pos)) and (share := self.one_in(found)):
            return share
        if (found := _FOLD.match(self.text, self.pos)) and (times := self.factor(found)):
            self.pos = found.end()
            self.notes.append(f"'{found.group()}' → {_fmt(times)} times")
            return _Stated(Interval(times, times), _NO_ROUNDING, None, "times")
        first = self.read_number()
        if not isinstance(first, numbers.StatedNumber):
            return first
        second = self.read_range_end(opener)
        if isinstance(second, ValueReading):
            return second
        if opener and second is None:  # "between 1,000" with no second figure
            return None
        return self.combine(first, second)

    def one_in(self, found: re.Match) -> _Stated | None:
        """"1 in 5" → 20 percent, bracketed to six decimals as shares in words are; None if not two numbers."""
        try:
            part, whole = (numbers.parse_number(found[name], self.language) for name in ("part", "whole"))
        except ValueError:
            return None
        if not whole or part > whole:
            return None
        self.pos = found.end()
        exact = Decimal(100) * part / whole
        low, high = (exact.quantize(_MICRO, rounding=r) for r in (ROUND_FLOOR, ROUND_CEILING))
        self.notes.append(f"'{found.group()}' = {_fmt(part)}/{_fmt(whole)} → {_fmt(exact.quantize(_MICRO))} percent")
        return _Stated(Interval(numbers.tidy(low), numbers.tidy(high)), _NO_ROUNDING, None, "percent")

    def factor(self, found: re.Match) -> Decimal | None:
        """The number in "fivefold" or "5-fold"; None when it is no number ("scaffold")."""
        try:
            return numbers.parse_number(found["times"], self.language)
        except ValueError:
            return None

    def read_vague(self, written: str) -> _Stated:
        row = qualifiers.vague_count_named(written, self.tolerances)
        scale, scale_written = Decimal(1), ""
        if found := self.match(_VAGUE_SCALE):
            scale_written = found[1] or found[2]
            for word in scale_written.split():
                scale *= qualifiers.PLURAL_SCALES.get(word) or numbers.SCALE_WORDS[word]
        stated = Interval(row.low * scale, row.high * scale, high_open=True)
        phrase = f"{written} {scale_written}".strip()
        self.notes.append(f"vague count '{phrase}' → {_show(stated)} (see the qualifier table)")
        return _Stated(stated, _NO_ROUNDING, row.name, None)

    def read_share(self, written: str) -> _Stated:
        """A share in words as a percentage, bracketed to six decimals: two-thirds → 66.666667."""
        numerator, denominator = numbers.read_share(written)
        exact = Decimal(100 * numerator) / denominator
        low, high = (exact.quantize(_MICRO, rounding=r) for r in (ROUND_FLOOR, ROUND_CEILING))
        shown = _fmt(exact.quantize(_MICRO))
        self.notes.append(f"share '{written}' = {numerator}/{denominator} → {shown} percent")
        return _Stated(Interval(low, high), _NO_ROUNDING, None, "percent")

    def read_part_of_scale(self, found: re.Match) -> _Stated:
        """"a quarter of a million" → 250,000; "two and a half million" → 2,500,000 (thirds bracketed)."""
        if found["whole"]:
            exact = (numbers.parse_number(found["whole"]) + Decimal("0.5")) * numbers.SCALE_WORDS[found["scale2"]]
        else:
            numerator, denominator = numbers.read_share(found["share"])
            exact = numerator * numbers.SCALE_WORDS[found["scale"]] / denominator
        low, high = (exact.quantize(_MICRO, rounding=r) for r in (ROUND_FLOOR, ROUND_CEILING))
        self.notes.append(f"'{found.group()}' → {_fmt(numbers.tidy(exact.quantize(_MICRO)))}")
        return _Stated(Interval(numbers.tidy(low), numbers.tidy(high)), _NO_ROUNDING, None, None)

    def read_number(self) -> numbers.StatedNumber | ValueReading | None:
        found = self.match(_NUMBER)
        if not found:
            return None
        try:
            stated = numbers.read_number(found.group(), self.language)
        except ValueError as exc:
            return _unparsed(self.text, str(exc))
        if stated.decimal_mark:
            self.notes.append(f"'{found.group().strip()}': '{stated.decimal_mark}' read as the decimal mark "
                              f"(not the language's own, but one digit after it cannot group thousands)")
        return stated

    def read_range_end(self, opener: re.Match | None):
        start = self.pos
        separator = self.match(_RANGE_SEPARATOR)
        if separator and (separator[1] != "and" or (opener and opener[1] == "between")):
            self.read_currency(_PREFIX_CURRENCY)
            second = self.read_number()
            if second is not None:
                return second
        self.pos = start
        return None

    def combine(self, first: numbers.StatedNumber, second: numbers.StatedNumber | None) -> _Stated:
        """One figure, or a range whose ends keep the rounding each implies."""
        if second is None:
            self.note_rounding(first)
            return _Stated(Interval(first.value, first.value), (first.rounding,) * 2, None, None)
        if first.scale == 1 and second.scale > 1 and first.value <= second.value / second.scale:
            first = numbers.StatedNumber(first.value * second.scale, first.rounding * second.scale,
                                         second.scale, second.scale_words)
            self.notes.append(f"'{second.scale_words}' applies to both ends of the range")
        self.note_rounding(first)
        self.note_rounding(second)
        self.notes.append(f"range {_fmt(first.value)} to {_fmt(second.value)}")
        return _Stated(Interval(first.value, second.value), (first.rounding, second.rounding),
                       "range", None)

    def note_rounding(self, number: numbers.StatedNumber) -> None:
        if number.rounding:
            unit = number.rounding / number.scale
            scale = f" {number.scale_words}" if number.scale_words else ""
            implied = f"±{_fmt(unit)}{scale}"
            self.notes.append(f"{_fmt(number.value)}: decimals imply rounding {implied}")

    def read_qualifier(self, prefix: re.Match | None):
        suffix = self.match(qualifiers.SUFFIX_PATTERN)
        if prefix and suffix:
            self.notes.append(f"'{suffix[1]}' ignored: '{prefix[1]}' already qualifies the figure")
        found = prefix or suffix
        if not found:
            return None, None
        return qualifiers.qualifier_named(found[1], self.tolerances), found[1]

    def read_unit(self, unit: str | None) -> str | ValueReading | None:
        """What is counted: the rest of the phrase, or ``unit`` ("percent") if given."""
        rest = self.text[self.pos:].strip()
        if found := _OUT_OF.fullmatch(rest):  # "three of the five (bases)"
            self.notes.append(f"'{found.group()}' → a count out of {found['total']}")
            rest = found["rest"] or ""
        elif of := _OF.match(rest):  # "dozens of soldiers", "une dizaine de soldats"
            rest = rest[of.end():]
        if unit:
            if rest:
                share = "percentage" if unit == "percent" else "factor"
                self.notes.append(f"'{rest}' says what it is a {share} of")
            self.notes.append(f"unit: {unit}")
            return unit
        if not rest:
            return None
        if not rest[0].isalpha():
            return _unparsed(self.text, f"unexpected {rest!r} after the figure")
        return rest


def _text(phrase: str) -> ValueReading:
    """Text compared without case, accents or extra whitespace."""
    decomposed = unicodedata.normalize("NFKD", phrase)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    normalised = _SPACES.sub(" ", plain.casefold()).strip()
    return ValueReading(
        "text", text=normalised, qualifier="exact",
        notes=("read as text: compared without case, accents or extra spaces",),
    )


def _unparsed(phrase: str, why: str) -> ValueReading:
    return ValueReading("unparsed", qualifier="none", warning=f"could not read {phrase!r}: {why}")


def _fmt(number: Decimal) -> str:
    return f"{number.normalize():,f}" if number else "0"


def _show(interval: Interval) -> str:
    low = "−∞" if interval.low is None else _fmt(interval.low)
    high = "∞" if interval.high is None else _fmt(interval.high)
    opening = "(" if interval.low_open or interval.low is None else "["
    closing = ")" if interval.high_open or interval.high is None else "]"
    return f"{opening}{low}, {high}{closing}"


def reading_to_dict(reading: ValueReading) -> dict:
    """A JSON-able dict of ``reading``: numbers as JSON numbers, days as ISO strings.

    Decimals become ints when whole, else floats (display precision); null is
    an unbounded end. ``converted`` (money in the base currency) is added by
    the caller, which knows the claim's dates.
    """
    interval = reading.interval
    return {
        "kind": reading.kind,
        "low": _json(interval.low) if interval else None,
        "high": _json(interval.high) if interval else None,
        "low_open": bool(interval and interval.low_open),
        "high_open": bool(interval and interval.high_open),
        "unit": reading.unit,
        "currency": reading.currency,
        "period": reading.period,
        "qualifier": reading.qualifier,
        "precision": reading.precision,
        "text": reading.text,
        "notes": list(reading.notes),
        "warning": reading.warning,
        "alternatives": [reading_to_dict(a) for a in reading.alternatives],
        "parser_version": PARSER_VERSION,
    }


def _json(value: Decimal | date | None):
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return numbers.json_number(value)
