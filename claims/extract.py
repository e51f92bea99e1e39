"""Extraction: sentences -> numbers -> units -> Claims.

The text is split into sentences; only sentences with a digit or a number word are
tokenized. Each number is then read outwards: scale words and a range partner to its
right, a currency sign and a qualifier to its left, then a unit (percent, money, a
physical unit, or the counted noun) and a rate ("daily", "per day"). Numbers that are
dates, years, times, ordinals or identifiers are dropped. Every word list lives in
``claims/lexicon``; this module is mechanism.
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass, replace
from typing import NamedTuple

from claims import context, lexicon, numbers, units
from claims.errors import ExtractionTimeout, LexiconError
from claims.model import Claim
from claims.sentences import Tokens, WordScan, sentence_spans

EXTRACTOR_VERSION = "0.29.0"

# --------------------------------------------------------------------------- lexicons

_QUALIFIERS_BEFORE = lexicon.mapping("qualifiers", "before")
_QUALIFIERS_AFTER = lexicon.mapping("qualifiers", "after")
_QUALIFIER_PREFIXES = lexicon.mapping("qualifiers", "prefixes")
_CHANGE_WORDS = lexicon.mapping("qualifiers", "change")
_CHANGE_VETOES = lexicon.words("qualifiers", "change_vetoes")
_RATE_ADVERBS = lexicon.mapping("rates", "adverbs")
_RATE_PER = lexicon.words("rates", "per")
_RATE_STRICT_PER = lexicon.words("rates", "strict_per")
_PERIODS = lexicon.mapping("rates", "periods")
_PER_NOUNS = lexicon.mapping("rates", "per_noun")
_NOT_AFTER_PERIOD = lexicon.words("rates", "not_after_period")
_PERIOD_DAYS = lexicon.mapping("rates", "period_days", (int, float))
_NOUN_STOP = lexicon.words("nouns", "stop")
_NOUN_DROP = lexicon.words("nouns", "drop")
_NOT_NOUNS = lexicon.words("nouns", "not_nouns")
_ONE_OF_SKIP = lexicon.words("nouns", "one_of_skip")
_TIME_DEICTICS = lexicon.words("nouns", "time_deictics")
_MONTHS = lexicon.words("nonclaims", "months")
_WEEKDAYS = lexicon.words("nonclaims", "weekdays")
_IDENTIFIER_BEFORE = lexicon.words("nonclaims", "identifier_before")
_TIME_WORDS = lexicon.words("nonclaims", "time_words")
_TIME_PREPOSITIONS = lexicon.words("nonclaims", "time_prepositions")
_POUND_MONEY_CUES = lexicon.words("ambiguity", "pound_money_cues")
_METRE_CUES = lexicon.words("ambiguity", "metre_cues")
_GLUED_ONLY = lexicon.words("ambiguity", "glued_only_symbols", case_sensitive=True)
_INCH_CUES = lexicon.words("ambiguity", "inch_cues")
_AMBIGUOUS_CURRENCY = lexicon.words("ambiguity", "ambiguous_currency_words")
_AMBIGUOUS_SIGNS = lexicon.words("ambiguity", "ambiguous_currency_signs", case_sensitive=True)
_OF_HEADS = lexicon.words("nouns", "of_heads")
_OF_NEUTRAL = lexicon.words("nouns", "of_neutral")


def _compile_patterns(name: str, key: str) -> re.Pattern:
    """One regex of the patterns listed under ``key`` of a lexicon file, checked on load."""
    patterns = lexicon.load(name).get(key)
    path = str(lexicon.LEXICON_DIR / f"{name}.yaml")
    if not isinstance(patterns, list) or not patterns:
        raise LexiconError(path, key, "must be a list of regular expressions")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as error:
            raise LexiconError(
                path, key, f"{pattern!r} is not a regular expression: {error}"
            ) from None
    return re.compile("|".join(patterns))


_find_phones = _compile_patterns("nonclaims", "phone_patterns").finditer
# Every phone pattern holds "+", "(" or a dash between digits: test that first, it is cheap.
_may_hold_phone = re.compile(r"[+(]\s?\d|\d-\d").search


def _phrases(items) -> dict[tuple[str, ...], str]:
    """Index phrases (a mapping's keys, or a list) by their lower-case token tuples."""
    pairs = items.items() if isinstance(items, dict) else ((item, item) for item in items)
    return {tuple(t.lower() for t in units.tokenize_words(k)): v for k, v in pairs}


_QUALIFIER_PHRASES = _phrases(_QUALIFIERS_BEFORE)
_QUALIFIER_AFTER_PHRASES = _phrases(_QUALIFIERS_AFTER)
_ONE_IDIOMS = _phrases(lexicon.words("nouns", "one_idioms"))
_UNIT_SYSTEM_WORDS = _phrases(lexicon.words("ambiguity", "unit_system_words"))
_ONE_AFTER_A = lexicon.words("ambiguity", "one_after_a")
_UNCOUNTED_PLURALS = lexicon.words("nouns", "uncounted_plurals")
_SHARE_NOUNS = lexicon.words("nouns", "share_nouns")
_CALIBRE_NOUNS = lexicon.words("nonclaims", "calibre_nouns")
_CALIBRE_UNITS = lexicon.words("nonclaims", "calibre_units")
_NAMED_QUANTITIES = _phrases(lexicon.load("numbers")["named"])
for _phrase, _named in _NAMED_QUANTITIES.items():
    if (_named.get("unit"),) not in units.unit_index()[0] or not isinstance(
        _named.get("value"), int | float
    ):
        raise LexiconError(
            str(lexicon.LEXICON_DIR / "numbers.yaml"),
            " ".join(_phrase),
            "needs a number 'value' and a 'unit' that units.yaml names as a word",
        )

# Words that may open a year when they stand right before a four-digit number.
_ORDINALS = frozenset(("st", "nd", "rd", "th"))
# Determiners after "N of" that open the noun the N are taken from: "two of the boats".
_OF_OWNERS = frozenset("the his her its their our your these those".split())

_YEAR_BEFORE = lexicon.words("nonclaims", "year_before")
# The most groups of three digits after the first that a figure is written with
# ("816 000 t"): as many as ``numbers.MAX_DIGITS`` holds.
_MOST_GROUPS = numbers.MAX_DIGITS // 3
_RANGE_DASHES = ("-", "–", "—")
# Before "a gallon" these make it a measure, not a figure: "the price of a gallon", "not a penny".
_NOT_ONE_BEFORE = frozenset(("of", "per", "not", "no", "than", "each", "every", "a"))
_NEGATIVE_SIGNS = ("-", "−", "–")

# Words that can start a number: "one", "twenty-five", "dozens of", "half a million".
_SPELLED_START = (
    frozenset(numbers.UNIT_WORDS)
    | frozenset(numbers.TENS_WORDS)
    | frozenset(numbers.MULTIPLIER_WORDS)
    | frozenset(numbers.VAGUE_PLURALS)
    | frozenset(numbers.FRACTION_WORDS)
    | frozenset(numbers.SCALE_WORDS)
)
# Tokens at which reading a number may start (lower-case words; digits always may).
_NUMBER_STARTS = (
    _SPELLED_START
    | {"a", "an", "minus"}
    | frozenset(numbers.VULGAR_FRACTIONS)
    | {phrase[0] for phrase in _NAMED_QUANTITIES}
)


# Words that may begin a figure without a digit: spelled numbers, "a gallon", "absolute zero".
_CANDIDATE_WORDS = _SPELLED_START | _ONE_AFTER_A | {phrase[-1] for phrase in _NAMED_QUANTITIES}


# Where a number may stand in a document: a digit, or a spelled-number word (lower-case or
# capitalized, as at the start of a sentence).
_find_digits = re.compile(r"\d+").finditer  # alone: a pattern that opens with \d is fastest
_find_fractions = re.compile(r"[½⅓⅔¼¾]").finditer
_NUMBER_WORDS = WordScan(_CANDIDATE_WORDS | {w.capitalize() for w in _CANDIDATE_WORDS})


def _candidates(text: str) -> list[int]:
    """The offsets where a number may start in ``text``, in order."""
    digits = [m.start() for m in _find_digits(text)]
    fractions = [m.start() for m in _find_fractions(text)]
    return sorted(digits + fractions + _NUMBER_WORDS.starts(text))


# A time of day written with a point after "at": "at 12.30" (quarter hours only, so that
# "Sterling was at 1.27" stays a figure).
_clock_time = re.compile(r"(?:[01]?\d|2[0-3])[.:](?:00|15|30|45)").fullmatch
# A number that can be a time before "pm": "5", "10.45" (not "2.1" or "2.123").
_clock_like = re.compile(r"(?:[01]?\d|2[0-3])(?:[.:][0-5]\d)?").fullmatch


# --------------------------------------------------------------------------- readings


@dataclass
class _Number:
    """A number read from tokens [first, last): its value or range and how it was written."""

    first: int
    last: int
    value: float | None
    low: float | None
    high: float | None
    kind: str  # digits, words, vague, fraction
    scaled: bool = False
    decimals: bool = False
    four_digits: bool = False
    qualifier: str | None = None  # from a prefix: "sub-7"
    named: str | None = None  # the unit of a quantity named in words: "absolute zero"
    partner: _Number | None = None  # a range after "to" whose unit and scale it shares
    slashed: bool = False  # written as "1/4": a share only with a unit or "of" after it


@dataclass
class _Unit:
    """A unit read from tokens [first, last)."""

    first: int
    last: int
    unit: str
    dimension: str
    kind: str  # percent, currency, physical, count, age


@dataclass
class _Reading:
    """A number with its currency, unit and rate: tokens [first, last) of a claim-to-be."""

    number: _Number
    first: int
    last: int
    unit: _Unit | None
    unit_name: str
    dimension: str
    kind: str  # number, currency, percent, physical, count, age
    rate: bool = False


# --------------------------------------------------------------------------- the reader


class _Reader(Tokens):
    """Reads the claims of one sentence from its tokens.

    ``quoted`` says whether the sentence starts inside a quotation opened before it, and
    ``blocked`` lists character spans where no figure is read (phone numbers).
    """

    def __init__(self, text: str, start: int, end: int, quoted: bool = False, blocked=()):
        super().__init__(text, start, end)
        self.starts_quoted = quoted
        self.blocked = [span for span in blocked if span[0] < end and start < span[1]]

    # ---- numbers

    def read_number(self, i: int) -> _Number | None:
        """Read the number starting at token i (digits, spelled or vague), or None; None
        too for a value past ``numbers.LARGEST``, which no figure reaches."""
        if self.is_digits(i):
            number = self._read_digits(i)
        elif self.texts[i] in numbers.VULGAR_FRACTIONS and not self.glued(i):
            value = float(numbers.VULGAR_FRACTIONS[self.texts[i]])
            return _Number(i, i + 1, value, value, value, "fraction", decimals=True)  # "⅓ cup"
        else:
            number = self._read_words(i)
        if number is not None and number.value is not None:
            if not abs(number.value) <= numbers.LARGEST:  # also NaN: "1e300 x 1e300"
                return None
        return number

    def _read_digits(self, i: int) -> _Number | None:
        text = self.texts[i]
        value = numbers.parse_digits(text)
        if value is None:
            value = numbers.parse_decimal_comma(text)
            if value is None or self._lexicon_unit(i + 1) is None:
                return None  # "1,5" alone may be a list; "1,5 km" is a distance
        value, j = self._read_space_groups(value, i)
        number = _Number(i, j, value, value, value, "digits")
        number.decimals = "." in text  # written with a point, even "6.0"
        number.four_digits = len(text) == 4 and text.isdecimal()
        j = self._read_fraction_after(number, j)
        j = self._read_exponent(number, j)
        if j < 0:
            return None
        self._read_sign_before(number, i)
        number.low = number.high = number.value
        number.last = j
        if j < self.n and (self.texts[j] == "±" or self.lowers[j : j + 3] == ["+", "/", "-"]):
            number.last = self._skip_tolerance(j)
        self._read_scale(number)
        return number

    def _read_space_groups(self, value: float, i: int) -> tuple[float, int]:
        """Read "10 000 dollars" (thousands grouped by spaces) when a unit follows the
        groups, so that "in 2019 300 people" stays two numbers. Returns (value, end)."""
        text = self.texts[i]
        j = i + 1
        if not (text.isdecimal() and len(text) <= 3):
            return value, j
        while j < self.n and self.texts[j].isdecimal() and len(self.texts[j]) == 3:
            gap = self.text[self.ends[j - 1] : self.starts[j]]
            if gap not in (" ", "\u00a0", "\u202f", "\u2009"):
                break
            j += 1
            if j - i > _MOST_GROUPS:
                return value, i + 1  # "11 111 111 111 ...": a run no figure is written with
        if j == i + 1:
            return value, j
        thin = all(self.text[self.ends[k - 1] : self.starts[k]] != " " for k in range(i + 1, j))
        # "10 000 dollars", "816 000 t"; not "20 120 mm mortars" (twenty of them)
        unit_follows = j >= self.n or (
            self._currency_after(j) is not None
            or self.texts[j] in _GLUED_ONLY
            or not (self.is_word(j) or self.is_digits(j))  # "reached 473 400."
        )
        if not (thin or unit_follows):
            return value, i + 1
        return float("".join(self.texts[i:j])), j

    def _read_fraction_after(self, number: _Number, j: int) -> int:
        """Add "½" or " 1/2" to the whole number before; read "1/4" alone as a quarter."""
        if j < self.n and self.lowers[j] in numbers.VULGAR_FRACTIONS and self.glued(j):
            number.value += numbers.VULGAR_FRACTIONS[self.lowers[j]]
            return j + 1
        if j + 1 < self.n and self.texts[j] in ("/", "⁄") and self.glued(j) and self.glued(j + 1):
            den = numbers.parse_digits(self.texts[j + 1]) if self.is_digits(j + 1) else None
            if den and 0 < number.value < den <= 1000 and not number.decimals:
                number.value /= den  # "1/4 inch", "1/40 of the wavelength"
                number.decimals = number.slashed = True
                return j + 2
        if (
            j + 2 < self.n
            and self.is_digits(j)
            and self.texts[j + 1] in ("/", "⁄")
            and self.is_digits(j + 2)
            and self.glued(j + 1)
            and self.glued(j + 2)
            and self.near(j)
            and not self.glued(j)
        ):
            num, den = numbers.parse_digits(self.texts[j]), numbers.parse_digits(self.texts[j + 2])
            if num and den and num < den <= 16:
                number.value += num / den  # "2 1/2 in"
                return j + 3
        return j

    def _read_exponent(self, number: _Number, j: int) -> int:
        """Read "4e14", "1e-3", "2.48×10−5", "5.5x10-3", "8x2^10"."""
        k = j
        if k < self.n and self.texts[k] in ("e", "E") and self.glued(k):
            k += 1
            base = 10.0
        elif (
            k + 1 < self.n
            and self.texts[k] in ("×", "x")
            and self.glued(k + 1)
            and self.texts[k + 1] in ("10", "2")
        ):
            base = float(self.texts[k + 1])
            k += 2
            if k < self.n and self.texts[k] == "^" and self.glued(k):
                k += 1
        else:
            return j
        sign = 1.0
        if k < self.n and self.texts[k] in ("-", "−", "+") and self.glued(k):
            sign = -1.0 if self.texts[k] != "+" else 1.0
            k += 1
        if not (k < self.n and self.glued(k) and self.texts[k].isdecimal()):
            return j
        exponent = int(self.texts[k])
        if exponent > 300:
            return -1  # "1e400": no figure a newspaper prints
        number.value *= base ** (sign * exponent)
        number.decimals = True
        return k + 1

    def _read_sign_before(self, number: _Number, i: int) -> None:
        """Read "-1.3", "−20", "minus 20", "minus-130", "$-50.8bn" and the "sub-7" prefix."""
        if i == 0:
            return
        prev = self.texts[i - 1]
        if prev in _NEGATIVE_SIGNS and self.glued(i):
            before = self.lowers[i - 2] if i > 1 else ""
            if before in _QUALIFIER_PREFIXES and self.glued(i - 1):
                number.qualifier = _QUALIFIER_PREFIXES[before]
                number.first = i - 2
                return
            if before == "minus" and self.glued(i - 1):
                number.value = -number.value
                number.first = i - 2
                return
            if i > 1 and self.glued(i - 1) and (self.is_word(i - 2) or self.is_digits(i - 2)):
                return  # "F-16", "2012-13": no sign
            if i > 1 and self.near(i - 1) and self.is_digits(i - 2):
                return  # "4,000 - 7,000": a range, read by read_range
            number.value = -number.value
            number.first = i - 1
        elif self.lowers[i - 1] == "minus":
            number.value = -number.value
            number.first = i - 1
        elif prev == "." and self.glued(i) and not self.glued(i - 1) and self.texts[i].isdecimal():
            number.value = float("0." + self.texts[i])  # ".5"
            number.decimals = True
            number.first = i - 1

    def _skip_tolerance(self, j: int) -> int:
        """Skip "±0.01" or "+/- 1e-5" after a number: the figure is the number before."""
        k = j + (1 if self.texts[j] == "±" else 3)
        if k < self.n and self.is_digits(k):
            tolerance = _Number(k, k + 1, 0.0, 0.0, 0.0, "digits")
            return max(self._read_exponent(tolerance, k + 1), k + 1)
        return j

    def _read_words(self, i: int) -> _Number | None:
        lower = self.lowers[i]
        end = self.match_forward(i, _NAMED_QUANTITIES, 3, lower=True)
        if end > i:  # "absolute zero"
            named = _NAMED_QUANTITIES[tuple(self.lowers[i:end])]
            value = float(named["value"])
            return _Number(i, end, value, value, value, "named", named=named["unit"])
        if lower == "half" and self._of_follows(i + 1):
            return _Number(i, i + 1, 0.5, 0.5, 0.5, "fraction")  # "almost half of which"
        if lower in numbers.VAGUE_PLURALS and i + 1 < self.n and self.lowers[i + 1] == "of":
            return self._read_vague(i)
        if lower in ("a", "an") and i + 1 < self.n:
            nxt = self.lowers[i + 1]
            if nxt in numbers.MULTIPLIER_WORDS or (nxt in numbers.SCALE_WORDS):
                return self._spelled(i, ["one", *self.lowers[i + 1 : i + 8]])  # "a dozen"
            if nxt in numbers.FRACTION_WORDS and self._of_follows(i + 2):
                value = float(numbers.FRACTION_WORDS[nxt])
                return _Number(i, i + 2, value, value, value, "fraction")  # "a third of"
            before = self.lowers[i - 1] if i > 0 else ""
            if nxt in _ONE_AFTER_A and self.near(i + 1) and before not in _NOT_ONE_BEFORE:
                return _Number(i, i + 1, 1.0, 1.0, 1.0, "words")  # "a gallon of beer"
            return None
        words = []
        for j in range(i, min(self.n, i + 8)):
            if not self.is_word(j) or (j > i and not self.near(j)):
                break
            words.append(self.lowers[j])
        return self._spelled(i, words) if words else None

    def _read_vague(self, i: int) -> _Number:
        """Read "dozens of", "tens of thousands of", "millions of" as one order of magnitude."""
        base = float(numbers.VAGUE_PLURALS[self.lowers[i]])
        j = i + 1
        while (
            j + 2 < self.n
            and self.lowers[j] == "of"
            and self.lowers[j + 1] in numbers.VAGUE_PLURALS
            and self.lowers[j + 2] == "of"
            and numbers.VAGUE_PLURALS[self.lowers[j + 1]] >= 1000
        ):
            base *= numbers.VAGUE_PLURALS[self.lowers[j + 1]]
            j += 2
        if (
            j + 1 < self.n
            and self.lowers[j] == "of"
            and self.lowers[j + 1] in numbers.VAGUE_PLURALS
            and numbers.VAGUE_PLURALS[self.lowers[j + 1]] >= 1000
        ):
            base *= numbers.VAGUE_PLURALS[self.lowers[j + 1]]  # "tens of thousands have left"
            j += 2
        # "of" is left for the unit reader ("millions of Americans")
        return _Number(i, j, None, base, base * 10, "vague", scaled=True)

    def _of_follows(self, j: int) -> bool:
        return j < self.n and self.lowers[j] == "of"

    def _spelled(self, start: int, words: list[str]) -> _Number | None:
        """Read a spelled number; ``words`` are the lower-case words from token ``start``."""
        parsed = numbers.parse_spelled(words)
        if parsed is None:
            return None
        value, used = parsed
        last = start + used
        scaled = any(w in numbers.SCALE_WORDS for w in words[:used])
        if "-" in words[0] and words[0].split("-")[1] in numbers.FRACTION_WORDS:
            return _Number(start, last, value, value, value, "fraction")  # "two-thirds"
        if last < self.n and self.lowers[last] in numbers.FRACTION_WORDS and value < 20:
            fraction = numbers.FRACTION_WORDS[self.lowers[last]]
            if value == 1 or self.lowers[last].endswith("s"):
                value *= fraction  # "one sixth", "two thirds", "three halves"
                return _Number(start, last + 1, value, value, value, "fraction")
        if self.lowers[last : last + 3] == ["and", "a", "half"]:
            value += 0.5  # "two and a half miles"
            last += 3
        return _Number(start, last, value, value, value, "words", scaled=scaled)

    def _read_scale(self, number: _Number) -> None:
        """Multiply by scale words after the number: "2.1 billion", "6k", "4 hundred million"."""
        while number.last < self.n:
            j = number.last
            word = self.texts[j]
            glued = self.glued(j)
            if not (glued or self.near(j)):
                return
            if word.lower() == "hundred" and not glued:
                scale = 100.0
            else:
                abbreviation = self.near(j) and word.lower() in numbers.SPACED_SCALES
                scale = numbers.scale_of(word, glued=glued or abbreviation)
            if scale is None:
                return
            if glued and not self._glued_scale_fits(number, j):
                return
            if abs(number.value * scale) > numbers.LARGEST:
                return  # "5 million million million ...": no figure goes on so
            number.value *= scale
            number.low = number.high = number.value
            number.last = j + 1
            number.scaled = True

    def _glued_scale_fits(self, number: _Number, j: int) -> bool:
        """Decide a glued abbreviation: "6kg" is a unit, "100m sprint" metres, "$2T" money."""
        word = self.texts[j]
        if j + 1 < self.n and self.glued(j + 1) and self.is_word(j + 1):
            return False  # "6kg" is read as a unit, not "6k" + "g"
        money = self._currency_before(number.first) is not None or self._currency_after(j + 1)
        if word.lower() in numbers.MONEY_ONLY_SCALES:
            return bool(money)
        if word not in ("m", "M"):
            return True
        if money:
            return True
        nxt = self.lowers[j + 1] if j + 1 < self.n else ""
        if nxt in _METRE_CUES:
            return False
        if nxt and self.is_word(j + 1) and units.is_plural(nxt):
            return True
        return number.decimals

    def read_range(self, number: _Number, nested: bool = False) -> _Number:
        """Join "4,000-7,000", "4,000 to 7,000", "between 4,000 and 7,000", "$2-3 billion".

        ``nested``: ``number`` is the second figure of a range already ("to 33-35"), whose
        own second figure opens no further range ("1-1-1-1" is no chain of ranges)."""
        j = number.last
        if j + 1 >= self.n or number.value is None:
            return number
        if self.texts[j] == "-" and self.glued(j) and self.lowers[j + 1] == "to":
            j += 1  # "8- to 16-meter": the first hyphen waits for the unit after the second
        connector = self.lowers[j]
        between = number.first > 0 and self.lowers[number.first - 1] == "between"
        if not self._is_range_connector(connector, between):
            return number
        k = j + 1
        if k >= self.n:
            return number
        own_sign = self.texts[k] in _single_currency_symbols()
        if own_sign:
            k += 1  # "$2 to $3 billion"
        if not (self.is_digits(k) or self.is_word(k)):
            return number
        if connector in _RANGE_DASHES and not (self.near(j) and self.near(k)):
            return number
        if connector == "to" and own_sign and self._changed_to(number.first, between):
            return number  # "increased by $43.6 billion to $419.2 billion": two figures
        second = self.read_number(k)
        if second is None or second.value is None or second.first != k:
            return number
        if self._continues_as_range(second):
            if nested:
                return number
            # "from 24.2 to 33-35 billion euros": the second figure is a range itself, and
            # the first shares its scale and unit
            partner = self.read_range(second, nested=True)
            if partner.scaled and not number.scaled and partner.low is not None:
                scale = partner.high / self.raw_value(self._last_end(partner))
                number.value = number.low = number.high = number.value * scale
                number.scaled = True
            number.partner = partner
            return number
        low = number.value
        if connector == "or" and not low < second.value:
            return number
        if number.four_digits and 1500 <= low <= 2200 and not second.four_digits:
            return number  # "in 2008 to 29 mpg": a year, then another figure
        if second.scaled and not number.scaled and low < second.value:
            scale = second.value / self.raw_value(second)
            if low * scale <= second.value:
                low *= scale
        return _Number(
            number.first,
            second.last,
            None,
            low,
            second.value,  # in the order written: _read refuses "89-89" and "141 to 5"
            number.kind,
            scaled=number.scaled or second.scaled,
            decimals=number.decimals or second.decimals,
            four_digits=number.four_digits and second.four_digits,
        )

    def read_ratio(self, number: _Number) -> _Number | None:
        """Read "one out of three Germans", "2 in 3 Americans" as a share (1/3, 2/3)."""
        j = number.last
        if number.value is None or number.scaled or j + 1 >= self.n:
            return None
        if self.lowers[j : j + 2] == ["out", "of"]:
            k = j + 2
        elif self.lowers[j] == "in":
            k = j + 1
        else:
            return None
        if k >= self.n or not (self.is_digits(k) or self.is_word(k)):
            return None
        whole = self.read_number(k)
        if whole is None or whole.value is None or whole.scaled or whole.first != k:
            return None
        if not 1 < whole.value <= 1000 or not 0 < number.value < whole.value:
            return None
        after = whole.last
        if self.lowers[j] == "in":  # "2 in 3 Americans", not "4 in 6 games" or "5 in 10 years"
            noun = self.texts[after] if after < self.n else ""
            demonym = noun[:1].isupper() and units.is_plural(noun)
            if not (demonym or noun.lower() in _SHARE_NOUNS):
                return None
        value = number.value / whole.value
        return _Number(number.first, whole.last, value, value, value, "fraction", decimals=True)

    def _continues_as_range(self, number: _Number) -> bool:
        """True when a dash and digits follow ``number``: it opens a range ("33-35")."""
        j = number.last
        return j + 1 < self.n and self.texts[j] in _RANGE_DASHES and self.is_digits(j + 1)

    def _last_end(self, number: _Number) -> _Number:
        """The number that ends a range (its scale word is written once, after it)."""
        k = number.last - 1
        while k > number.first and not self.is_digits(k):
            k -= 1
        return self.read_number(k) or number

    def _names_a_weapon(self, k: int) -> bool:
        """True when a weapon noun follows within two words: "155mm artillery shells"."""
        for j in range(k, min(self.n, k + 3)):
            if self.lowers[j] in _CALIBRE_NOUNS:
                return True
            if not (self.is_word(j) or self.texts[j] == "-"):
                return False
        return False

    def _money_shaped(self, number: _Number) -> bool:
        """True for an amount written as money is: "PS2.7m", "PS21,700", "PS800"."""
        text = self.texts[number.first]
        return number.scaled or number.decimals or "," in text or len(text) >= 3

    def _changed_to(self, first: int, opened: bool) -> bool:
        """True when "X to Y" is a change and the level it reached, not a range: a change
        word stands before X ("climbed $2 to $85", "increased by $43.6 billion to ...")
        and no "from" or "between" opens it."""
        found = self._currency_before(first)
        start = found[1] if found else first
        return not opened and (self._by_before(start) or self.read_change(start) is not None)

    def _by_before(self, first: int) -> bool:
        """True when "by" (after a change word) opens the figure at ``first``."""
        for j in range(first - 1, max(-1, first - 3), -1):
            if self.lowers[j] == "by":
                return True
            if self.is_word(j) or self.is_digits(j):
                return False
        return False

    @staticmethod
    def _is_range_connector(connector: str, between: bool) -> bool:
        return connector in (*_RANGE_DASHES, "to", "or") or (connector == "and" and between)

    def raw_value(self, number: _Number) -> float:
        """The value of a number before its scale word ("3 billion" -> 3)."""
        if number.kind == "digits":
            first = number.first if self.is_digits(number.first) else number.first + 1
            return numbers.parse_digits(self.texts[first]) or 1.0
        parsed = numbers.parse_spelled([w for w in self.lowers[number.first : number.last]])
        scale_words = [
            w for w in self.lowers[number.first : number.last] if w in numbers.SCALE_WORDS
        ]
        if parsed and scale_words:
            return parsed[0] / numbers.SCALE_WORDS[scale_words[-1]]
        return number.value or 1.0

    # ---- units

    def _currency_before(self, first: int):
        """Return (Currency, first token) of a currency sign or code before token ``first``."""
        symbols, _, codes, _ = units.currency_index()
        start = self.match_backward(first, symbols, 3, lower=False)
        if start < first and self.near(first):
            return symbols[tuple(self.texts[start:first])], start
        if first > 0 and (self.texts[first - 1],) in codes and self.near(first):
            return codes[(self.texts[first - 1],)], first - 1
        return None

    def read_unit(self, number: _Number, currency) -> _Unit | None:
        """Read the unit after the number: percent, money, a physical unit or a counted noun."""
        j = number.last
        if j < self.n and self.texts[j] == "-" and self.glued(j) and self.is_word(j + 1):
            j += 1  # "12-year-old", "155-mm"
        if j >= self.n:
            return None
        share = number.kind == "fraction" or number.slashed
        if (share or number.kind == "vague") and self.lowers[j] == "of":
            j += 1  # "millions of Americans", "two-thirds of Ukrainians"
            if share and j < self.n and self.lowers[j] in ("a", "an"):
                j += 1  # "1/16 of a US pint"
        elif number.scaled and self.lowers[j] == "of" and currency is None:
            j += 1  # "a million of them"
        if currency is not None:
            return None
        if number.named:
            entry = units.unit_index()[0][(number.named,)]
            return _Unit(number.first, number.last, entry.name, entry.dimension, "physical")
        money = self._currency_after(j)
        if money is not None:
            return money
        physical = self._physical_unit(j)
        if physical is not None:
            return physical
        if number.kind == "fraction":
            return None
        if number.decimals and self.near(j) and self.texts[j].isupper() and len(self.texts[j]) > 1:
            return _Unit(j, j + 1, self.texts[j], "count", "count")  # "0.5 WAR", "3.2 GPA"
        if self.lowers[j : j + 1] == ["of"] and j + 1 < self.n and self.lowers[j + 1] in _OF_OWNERS:
            # "one of the best speakers", "two of the boats", "seven of his closest allies"
            return self._counted_noun(j + 2, number, skip=_ONE_OF_SKIP)
        return self._counted_noun(j, number)

    def _currency_after(self, j: int) -> _Unit | None:
        if not (self.near(j) or self.glued(j)):
            return None
        symbols, words, codes, subunits = units.currency_index()
        for index, lower in ((words, True), (codes, False), (subunits, True)):
            end = self.match_forward(j, index, 4, lower=lower)
            if end > j:
                key = tuple((self.lowers if lower else self.texts)[j:end])
                found = index[key]
                if index is subunits:
                    _, name = found
                    if key == ("p",) and not self.glued(j):
                        continue
                    return _Unit(j, end, name, "currency", "currency")
                if key[-1].lower() in _AMBIGUOUS_CURRENCY and not self._money_near(j):
                    continue  # "two real problems"
                return _Unit(j, end, found.code, "currency", "currency")
        end = self.match_forward(j, symbols, 3, lower=False)
        if end > j and self.glued(j):
            return _Unit(j, end, symbols[tuple(self.texts[j:end])].code, "currency", "currency")
        return None

    def _physical_unit(self, j: int) -> _Unit | None:
        """Read a unit of the lexicon at j, with powers ("km^2", "km2") and "/unit"."""
        if not (self.glued(j) or self.near(j)):
            return None
        found = self._lexicon_unit(j)
        if found is None:
            system_end = self.match_forward(j, _UNIT_SYSTEM_WORDS, 2, lower=True)
            if system_end == j or not self.near(system_end):
                return None
            found = self._lexicon_unit(system_end)  # "a US pint", "imperial gallons"
            if found is None or found.kind != "physical":
                return None
            found = replace(found, first=j)
        unit = found
        if unit.kind == "physical":
            unit = self._unit_power(unit)
            if unit.last + 1 < self.n and self.texts[unit.last] == "/" and self.glued(unit.last):
                below = self._lexicon_unit(unit.last + 1) or self._denominator(unit.last + 1)
                if below is not None and below.kind == "physical" and self.glued(unit.last + 1):
                    below = self._unit_power(below)
                    name = f"{unit.unit} / {below.unit}"
                    unit = _Unit(j, below.last, name, units.pint_dimension(name), "physical")
        return unit

    def _denominator(self, j: int) -> _Unit | None:
        """A symbol read only after "/": the "s" of "km/s2"."""
        entry = units.denominator_index().get((self.texts[j],))
        return self._make_physical(j, j + 1, entry) if entry is not None else None

    def _lexicon_unit(self, j: int) -> _Unit | None:
        by_word, by_symbol, longest = units.unit_index()
        end = self.match_forward(j, by_symbol, longest, lower=False)
        if end > j:
            key = tuple(self.texts[j:end])
            run_on = (
                end < self.n
                and self.glued(end)
                and (
                    self.is_word(end)
                    or (
                        self.is_digits(end) and self.texts[end] not in ("2", "3")
                    )  # "PS5", not "cm2"
                    or (self.texts[end] == "-" and end + 1 < self.n and self.is_digits(end + 1))
                )
            )  # "60 F-16 jets", "24 A-10 aircraft": model names, not units
            clock = key[0].lower() in _TIME_WORDS and j > 0 and _clock_like(self.texts[j - 1])
            if self._symbol_fits(j, end) and not run_on and not clock:
                return self._make_physical(j, end, by_symbol[key])
        end = self.match_forward(j, by_word, longest, lower=True)
        if end > j:
            entry = by_word[tuple(self.lowers[j:end])]
            if entry.name == "pound" and self._money_near(j):
                return _Unit(j, end, "GBP", "currency", "currency")
            return self._make_physical(j, end, entry)
        return None

    def _symbol_fits(self, j: int, end: int) -> bool:
        """Decide a unit symbol at [j, end): ambiguous ones need the number glued to them
        ("5m", "20g"), except capital letters ("5 W", "30 C") and "in" before "thick"."""
        symbol = "".join(self.texts[j:end])
        if symbol == '"' and self.text[self.offset : self.starts[j]].count('"') % 2 == 1:
            return False  # the closing mark of "English 101"
        if self.glued(j) or symbol not in _GLUED_ONLY:
            return True
        if j > 0 and self._grouped(j - 1):
            return True  # "278,000 t", "816 000 t": a large amount, then its unit
        after = self.lowers[end] if end < self.n else ""
        if symbol == "m" and after in _METRE_CUES:
            return True  # "the 400 m long bridge"
        if symbol == "in":
            closes = after == "" or not (self.is_word(end) or self.is_digits(end))
            return after in _INCH_CUES or closes  # "2 in thick", "2 in.", not "2 in 1979"
        return len(symbol) == 1 and symbol.isupper()  # "5 W charger", "2.5 F and", "3 L of"

    def _grouped(self, k: int) -> bool:
        """True when token k ends a number grouped in thousands ("278,000", "816 000")."""
        if not self.is_digits(k):
            return False
        if "," in self.texts[k] and numbers.parse_digits(self.texts[k]) is not None:
            return True
        return len(self.texts[k]) == 3 and k > 0 and self.is_digits(k - 1) and self.near(k)

    def _unit_power(self, unit: _Unit) -> _Unit:
        """Raise a unit to the power written after it: "km^2", "km2", "km cubed"."""
        k = unit.last
        power = None
        if (
            k + 1 < self.n
            and self.texts[k] == "^"
            and self.glued(k)
            and self.texts[k + 1] in ("2", "3")
        ):
            power, k = self.texts[k + 1], k + 2
        elif k < self.n and self.texts[k] in ("2", "3") and self.glued(k):
            power, k = self.texts[k], k + 1
        elif k < self.n and self.lowers[k] in ("squared", "cubed") and self.near(k):
            power, k = ("2" if self.lowers[k] == "squared" else "3"), k + 1
        elif k + 1 < self.n and self.texts[k] in ("-", "−") and self.texts[k + 1] == "1":
            if self.glued(k) and self.glued(k + 1):
                name = f"1 / {unit.unit}"  # "s-1"
                return _Unit(unit.first, k + 2, name, units.pint_dimension(name), "physical")
        if power is None:
            return unit
        name = f"{unit.unit} ** {power}"
        return _Unit(unit.first, k, name, units.pint_dimension(name), "physical")

    def _make_physical(self, j: int, end: int, entry) -> _Unit:
        kind = "physical" if entry.pint else entry.dimension
        return _Unit(j, end, entry.name, entry.dimension, kind)

    def _money_near(self, j: int) -> bool:
        """True when a money word stands within a few words of token j ("paid 30 million
        pounds"): it decides plain "pounds" and currency names that are common words."""
        window = self.lowers[max(0, j - 8) : j + 4]
        return any(w in _POUND_MONEY_CUES for w in window)

    def _counted_noun(self, j: int, number: _Number, skip=frozenset()) -> _Unit | None:
        """Read the counted noun after a number: "60,000 shells", "two defense sources".

        ``skip`` holds words read past ("best" in "one of the best speakers"), where the
        noun is plural although the number is one.
        """
        modifiers: list[str] = []
        k = j
        singular_expected = number.value == 1 and not number.scaled and not skip
        by_word, _, _ = units.unit_index()
        while k < self.n and k < j + 5:
            if self.is_digits(k) and k > j and self.near(k) and self._in_name(k):
                k += 1  # "14 Leopard 2 tanks", "two new 737 Max jets": part of a name
                continue
            if (
                self.texts[k] == "-"
                and k > j
                and self.glued(k)
                and k + 1 < self.n
                and self.glued(k + 1)
                and self.is_digits(k + 1)
            ):
                k += 2  # "60 F-16 fighter jets", "13 MiG-29 jets": a model's number
                continue
            if self._designator(k):
                k += 3  # "24 A-10 attack aircraft": "A" is no article here
                continue
            if not self.is_word(k) or not self.near(k):
                return None
            word, lower = self.texts[k], self.lowers[k]
            if lower in skip or (skip and lower.endswith("est") and self.is_word(k + 1)):
                k += 1  # "one of the best", "one of the proudest moments"
                continue
            if lower in ("and", "or") and modifiers and k + 1 < self.n and self.is_word(k + 1):
                k += 1  # "4.3M digital and physical sales"
                continue
            if lower in _NOUN_STOP or lower in _NOT_NOUNS or "'" in lower or "’" in lower:
                return None
            if lower in _TIME_DEICTICS and k + 1 < self.n and self.lowers[k + 1] in _PERIODS:
                return None  # "2.1 last year": a time, not "2.1 years"
            entry = by_word.get((lower,))
            if entry is not None and k > j and not word[0].isupper():
                return self._make_physical(k, k + 1, entry)  # "517 rushing yards", not "World Cups"
            noun_ends = (
                k + 1 >= self.n
                or not self.is_word(k + 1)
                or not self.near(k + 1)
                or (self.lowers[k + 1] in _NOUN_STOP)
            )
            capitalized = word[0].isupper()
            next_capitalized = k + 1 < self.n and self.texts[k + 1][0].isupper()
            if singular_expected and units.is_plural(lower) and modifiers:
                return _Unit(j, k, " ".join(modifiers), "count", "count")  # "One proposal asks"
            next_plural = (
                k + 1 < self.n
                and self.near(k + 1)
                and self.lowers[k + 1] not in _NOUN_STOP
                and units.is_plural(self.lowers[k + 1])
            )
            # the last plural of a compound is its head: "armoured personnel carriers"
            head_later = next_plural and (capitalized or lower in _UNCOUNTED_PLURALS)
            if units.is_plural(lower) and not (capitalized and next_capitalized) and not head_later:
                noun = units.singular(lower)
                end = k + 1
                if noun in _OF_HEADS and self.lowers[end : end + 1] == ["of"]:
                    noun, end = self._of_phrase(noun, end)  # "rounds of talks"
                return _Unit(j, end, " ".join([*modifiers, noun]), "count", "count")
            if singular_expected and noun_ends and not capitalized:
                noun = " ".join([*modifiers, lower])
                return _Unit(j, k + 1, noun, "count", "count")
            plural_soon = any(
                units.is_plural(self.lowers[m]) for m in range(k + 1, min(self.n, k + 3))
            )
            if lower.endswith(("ing", "ed", "ly")) and not plural_soon:
                return None  # "20 armored fighting vehicles" reads on, "5 killed" stops
            if not capitalized and lower not in _NOUN_DROP:
                modifiers.append(lower)
            k += 1
            if k < self.n and self.texts[k] == "." and self.glued(k) and "." in lower:
                k += 1  # "8,500 U.S. troops": the abbreviation's closing dot
        return None

    def _of_phrase(self, noun: str, of: int) -> tuple[str, int]:
        """The noun with the "of" phrase that says what it counts ("round of talks"),
        unless that phrase is ammunition ("rounds of small arms ammunition" -> round)."""
        window = self.lowers[of + 1 : of + 5]
        if any(w in _OF_NEUTRAL for w in window):
            return noun, of
        words = []
        k = of + 1
        while (
            k < self.n and len(words) < 3 and self.is_word(k) and self.lowers[k] not in _NOUN_STOP
        ):
            words.append(self.lowers[k])
            k += 1
            if units.is_plural(words[-1]):
                break  # "rounds of talks", not "rounds of talks failed"
        if not words:
            return noun, of
        return f"{noun} of {' '.join(words)}", k

    def _designator(self, k: int) -> bool:
        """True for a model designator at k: a capitalized word, a hyphen and digits, glued
        ("A-10", "F-16", "S-300")."""
        return (
            k + 2 < self.n
            and self.is_capitalized(k)
            and self.texts[k + 1] == "-"
            and self.glued(k + 1)
            and self.glued(k + 2)
            and self.is_digits(k + 2)
        )

    def _in_name(self, k: int) -> bool:
        """True for digits that belong to a name: "Leopard 2", "737 Max"."""
        return self.is_capitalized(k - 1) or (
            k + 1 < self.n and self.near(k + 1) and self.is_capitalized(k + 1)
        )

    def read_rate(self, k: int) -> tuple[str, int] | None:
        """Read a rate after the unit: "daily", "a day", "per day", "/day", "per barrel"."""
        if k >= self.n or not self.near(k):
            return None
        lower = self.lowers[k]
        if lower in _RATE_ADVERBS:
            return _RATE_ADVERBS[lower], k + 1
        if lower == "-" and self.glued(k) and k + 1 < self.n and self.glued(k + 1):
            return self.read_rate(k + 1)  # "52,000 barrel-a-day refinery"
        if lower not in _RATE_PER or k + 1 >= self.n or not self.near(k + 1):
            return None
        nxt = units.singular(self.lowers[k + 1])
        after = self.lowers[k + 2] if k + 2 < self.n else ""
        if nxt in _PERIODS and after in _NOT_AFTER_PERIOD:
            return None  # "5% a year ago" is no rate; "$85 a barrel after" is one
        if nxt in _PERIODS:
            return _PERIODS[nxt], k + 2
        if nxt in _PER_NOUNS:
            return _PER_NOUNS[nxt], k + 2
        unit = self._physical_unit(k + 1)
        if unit is not None and unit.kind == "physical":
            if lower not in _RATE_STRICT_PER or unit.last == k + 2:
                return unit.unit, unit.last  # "per barrel", "$4 a gallon", "per sq m"
        if lower in _RATE_STRICT_PER:
            return None
        if self.is_word(k + 1) and nxt not in _NOUN_STOP:
            return nxt, k + 2
        return None

    # ---- qualifiers and changes

    def read_qualifier_before(self, first: int) -> tuple[str, int] | None:
        start = self.match_backward(first, _QUALIFIER_PHRASES, 4, lower=True)
        if start < first and self.near(first):
            return _QUALIFIER_PHRASES[tuple(self.lowers[start:first])], start
        return None

    def read_qualifier_after(self, k: int) -> tuple[str, int] | None:
        """Read "or more", "plus" after a figure; not "5,000 troops plus 300 tanks"."""
        end = self.match_forward(k, _QUALIFIER_AFTER_PHRASES, 2, lower=True)
        if end > k and self.near(k):
            if end < self.n and (self.is_digits(end) or self.lowers[end] in _NUMBER_STARTS):
                return None
            return _QUALIFIER_AFTER_PHRASES[tuple(self.lowers[k:end])], end
        return None

    def read_change(self, first: int) -> str | None:
        """Read a change word before the figure: "rose 5%", "up by 3", "fell to", "+0.2%"."""
        j = first - 1
        if j >= 0 and self.texts[j] == "+" and self.glued(first):
            return "up"  # "Dow +0.2%"
        if j >= 0 and self.lowers[j] in ("by", "to", "from"):
            j -= 1
        if j < 0 or self.lowers[j] not in _CHANGE_WORDS:
            return None
        if self.lowers[j] in ("up", "down") and j > 0 and self.lowers[j - 1] in _CHANGE_VETOES:
            return None  # "gave up 517 yards"
        return _CHANGE_WORDS[self.lowers[j]]

    # ---- what is no claim

    def date_run(self, i: int) -> int:
        """Return the end token of a date or a span of years at i ("2023-09-28", "2012-13",
        "2022/23", "28/09/2023", "24/7"), else i."""
        if not (self.is_digits(i) and self.texts[i].isdecimal()):
            return i
        if len(self.texts[i]) <= 2:
            return self._slash_date(i)
        if len(self.texts[i]) != 4:
            return i
        if not 1500 <= int(self.texts[i]) <= 2200:
            return i  # "5000-6000 shells a day" is a range of figures
        j = i + 1
        while (
            j + 1 < self.n
            and self.texts[j] in ("-", "/", "–")
            and self.glued(j)
            and self.glued(j + 1)
            and self.texts[j + 1].isdecimal()
            and len(self.texts[j + 1]) in (2, 4)
        ):
            j += 2
        if j > i + 1 and j < self.n and self.is_word(j) and units.is_plural(self.lowers[j]):
            return i  # "1500-2000 civilians": counted, not years
        return j if j > i + 1 else i

    def _slash_date(self, i: int) -> int:
        """Return the end of "28/09/2023" or "24/7" at i; a fraction ("1/4") is no date."""
        j = i
        parts = [int(self.texts[i])]
        while (
            j + 2 < self.n
            and self.texts[j + 1] in ("/", ".")
            and self.glued(j + 1)
            and self.glued(j + 2)
            and self.texts[j + 2].isdecimal()
        ):
            parts.append(int(self.texts[j + 2]))
            j += 2
        if len(parts) >= 3 or (
            len(parts) == 2 and self.texts[i + 1] == "/" and parts[0] >= parts[1]
        ):
            return j + 1
        return i

    def is_date_or_time(self, number: _Number, unit: _Unit | None) -> bool:
        first, last = number.first, number.last
        if unit is not None and unit.kind != "count":
            return False
        ends = (number.low, number.high) if number.value is None else (number.value,)
        small_integer = all(v is not None and v == int(v) and 1 <= v <= 31 for v in ends)
        before = self._month_at(first - 1)
        if first > 1 and self.texts[first - 1] == "." and self.glued(first - 1):
            before = self._month_at(first - 2)
        after = self._month_at(last)
        if small_integer and first > 2 and self.lowers[first - 1] in ("and", "or", ",", "-"):
            before = before or self._month_at(first - 3)  # "April 6 and 7": both days
        if small_integer and (before or after):
            return True
        if unit is not None:
            return False
        next_word = self.lowers[last] if last < self.n else ""
        previous = self.lowers[first - 1] if first > 0 else ""
        if next_word == "of" and self._month_at(last + 1):
            return True
        if (
            next_word == ":"
            and last + 1 < self.n
            and self.is_digits(last + 1)
            and self.glued(last + 1)
        ):
            return True  # "10:30"
        if previous == ":" and first > 1 and self.glued(first) and self.is_digits(first - 2):
            return True  # the minutes of "0:59"
        if previous in _TIME_PREPOSITIONS and _clock_time(self.texts[number.first]):
            return True  # "at 12.30", "after 14.00"
        return next_word in _TIME_WORDS

    def _month_at(self, k: int) -> str:
        """The month named at token k ("May", "Sept"), written with its capital, else ""."""
        if 0 <= k < self.n and self.lowers[k] in _MONTHS and self.texts[k][0].isupper():
            return self.lowers[k]  # not "12 may have been killed"
        return ""

    def is_identifier(self, number: _Number, unit: _Unit | None, currency) -> bool:
        """True for names and codes: "F-16", "155s", "Section 427", "iPhone 11", "737 Max"."""
        first, last = number.first, number.last
        text = self.texts[number.first]
        if len(text) > 1 and text[0] == "0" and text[1].isdecimal() and currency is None:
            return True  # "06F6", "0958": a leading zero marks a code
        if (
            first > 0
            and self.glued(first)
            and self.texts[first - 1][0].isalpha()
            and currency is None
        ):
            return True  # "M1A1", "A330", "COVID19": letters glued before the digits
        if currency is not None or (unit is not None and unit.kind not in ("count",)):
            return False
        if first > 0 and self.glued(first):
            prev = self.texts[first - 1]
            if prev[0].isalpha():
                return True  # "A330", "COVID19"
            if prev == "+" and first > 1 and self.glued(first - 1):
                return True  # "J1149.5+6663": a catalogue code
            if prev == "-" and first > 1 and self.glued(first - 1) and self.is_word(first - 2):
                return True  # "F-16", "Su-25"
        if last < self.n and self.glued(last) and self.lowers[last].partition("-")[0] in _ORDINALS:
            return True  # "21st-century telescopes"
        if last < self.n and self.glued(last) and (unit is None or unit.first != last):
            nxt = self.texts[last]
            if nxt[0].isalnum() or nxt in ("'", "’"):
                return True  # "155s", "96th", "5G", "1990's"
        before = self.lowers[first - 1] if first > 0 else ""
        if before == "." and first > 1 and self.glued(first - 1):
            before = self.lowers[first - 2]  # "No. 10"
        if before in _IDENTIFIER_BEFORE:
            return True  # "Section 427", "COVID -19", "No. 10"
        if "," in self.texts[number.first] or number.scaled:
            return False  # "Ukraine 70,000", "63,150 Model 3s": amounts, not names
        if first > 1 and self.near(first) and self._is_name(first - 1):
            named_on = unit is not None and unit.first < self.n and self.is_capitalized(unit.first)
            if unit is None or named_on or number.four_digits:
                return True  # "Voyager 2", "iPhone 11 Pro cameras"; not "gave Ukraine 31 tanks"
        if unit is None and not number.decimals and last < self.n and self.near(last):
            if self._is_name(last):
                return True  # "11 Pro Max", "575 Wilbraham Road", "787 Dreamliner"
        return False

    def _is_name(self, j: int) -> bool:
        """True for a capitalized word that is a name, not a month, weekday or sentence start."""
        if not self.is_capitalized(j) or j == 0:
            return False
        lower = self.lowers[j]
        if lower in _MONTHS or lower in _WEEKDAYS or "'" in lower or "’" in lower:
            return False
        return lower not in _QUALIFIERS_BEFORE and lower not in _CHANGE_WORDS

    def is_year(self, number: _Number, unit: _Unit | None, currency) -> bool:
        if not number.four_digits or currency is not None or number.scaled:
            return False
        if unit is not None and unit.kind != "count":
            return False
        lo = number.low if number.low is not None else 0
        if not 1500 <= lo <= 2200:
            return False
        before = self.lowers[number.first - 1] if number.first > 0 else ""
        return unit is None or number.value is None or before in _YEAR_BEFORE

    def is_age_apposition(self, number: _Number, unit: _Unit | None) -> bool:
        """True for "Senard, 65, now faces": a person's age set off by commas."""
        first, last = number.first, number.last
        return (
            unit is None
            and number.kind == "digits"
            and first > 1
            and self.texts[first - 1] == ","
            and self.is_capitalized(first - 2)
            and last < self.n
            and self.texts[last] == ","
        )

    def is_idiom(self, number: _Number) -> bool:
        """True for "on the one hand", "at one point": "one" in a set phrase."""
        if number.kind != "words" or number.value != 1:
            return False
        for first in range(max(0, number.first - 3), number.first + 1):
            end = self.match_forward(first, _ONE_IDIOMS, 5, lower=True)
            if end > number.first:
                return True
        return False

    def quoted_at(self, offset: int) -> bool:
        """True when the character at ``offset`` stands inside quotation marks."""
        return _inside_quotes(self.text[self.offset : offset], self.starts_quoted)

    # ---- assembling claims

    def claims(self, published: str | None) -> list[Claim]:
        out: list[Claim] = []
        i = 0
        while i < self.n:
            lower = self.lowers[i]
            if not (lower[0].isdecimal() or lower.partition("-")[0] in _NUMBER_STARTS):
                i += 1
                continue
            if self.blocked and any(a <= self.starts[i] < b for a, b in self.blocked):
                i += 1
                continue
            date_end = self.date_run(i)
            if date_end > i:
                i = date_end
                continue
            number = self.read_number(i)
            if number is None:
                i += 1
                continue
            number = self.read_ratio(number) or self.read_range(number)
            reading = self._read(number)
            if reading is None:
                i = max(number.last, i + 1)
                continue
            reading = self._join(reading)
            if reading.last <= i:
                raise AssertionError(f"reading did not move past token {i}: {self.sentence!r}")
            claim = self._claim(reading, published)
            if out and self._restates(out[-1], reading):
                claim = _inherit(out[-1], claim)
            out.append(claim)
            i = reading.last
        return out

    def _read(self, number: _Number) -> _Reading | None:
        """Read the currency, unit and rate of ``number``; None when it is no claim."""
        found = self._currency_before(number.first)
        if found and self.texts[found[1]] in _AMBIGUOUS_SIGNS and not self._money_shaped(number):
            found = None  # "PS5 consoles", "PS4": a console, not pounds
        currency, first = (found[0], found[1]) if found else (None, number.first)
        unit = self.read_unit(number, currency)
        if currency is None and number.kind == "words" and unit is None:
            counted_of = number.value != 1 and self._of_follows(number.last)
            if number.last - number.first < 3 and not counted_of:
                return None  # a spelled word alone ("one of them") is no figure; "two of" is
        if number.slashed and unit is None and not self._of_follows(number.last):
            return None  # "9/11": a name; "1/4 inch" and "1/40 of" are figures
        if self.is_idiom(number):
            return None
        if unit is not None and unit.unit in _CALIBRE_UNITS and self._names_a_weapon(unit.last):
            return None  # "155mm shells", "a 152 mm self-propelled gun": a calibre
        if self._hyphen_compound(number) and self._attributive(unit):
            if not (number.decimals and (unit is None or unit.kind == "count")):
                return None  # "a 10-point plan", "a five-year $700000 award": a name
            unit = None  # "a 7.8-magnitude quake", "6.0-sigma": the figure, named by its word
        if (
            self.is_identifier(number, unit, currency)
            or self.is_date_or_time(number, unit)
            or self.is_year(number, unit, currency)
            or self.is_age_apposition(number, unit)
        ):
            return None
        if unit is None and currency is None and self._juxtaposed(number):
            return None  # "245 23 yen", "Leopard 2 14": a code or a table, not a figure
        if number.value is None and unit is None and number.kind != "vague":
            if number.low >= number.high or number.four_digits:
                return None  # "89-89", "141 to 5": scores and votes; "2012-13"
        last = unit.last if unit is not None else number.last
        if unit is None and currency is None and number.partner is not None:
            partner = self._read(number.partner)
            if partner is not None and partner.kind != "count":
                return replace(partner, number=number, first=first, last=number.last, unit=None)
        if unit is None and currency is None:
            shared = self._whole_of(number) if number.scaled else self._next_of_list(number)
            if shared is not None:  # "280 million of the 1.5 billion shekels", "45 and 50 mg"
                return replace(shared, number=number, first=first, last=number.last, unit=None)
        if currency is not None:
            unit_name, dimension, kind = currency.code, "currency", "currency"
            last = self._currency_echo(last, currency.code)
        elif unit is not None:
            unit_name, dimension, kind = unit.unit, unit.dimension, unit.kind
        else:
            unit_name, dimension, kind = "", "number", "number"
        reading = _Reading(number, first, last, unit, unit_name, dimension, kind)
        rate = self.read_rate(last) if kind != "number" else None
        if rate is not None:
            period, reading.last = rate
            reading.unit_name = f"{unit_name} / {period}"
            reading.dimension = "rate"
            reading.rate = True
        return reading

    def _to_after_aside(self, j: int) -> int:
        """Return the "to" that closes "from X ..." after a short aside of words, times or
        years ("in 2008", "combined", "at 10.45pm last night"), else j."""
        k = j
        while k < min(self.n, j + 8):
            if self.lowers[k] == "to":
                return k
            if self.is_digits(k):
                number = self.read_number(k)
                if number is None:
                    return j
                if not (self.date_run(k) > k or self.is_date_or_time(number, None)):
                    if not (len(self.texts[k]) == 4 and self.lowers[k - 1] == "in"):
                        return j  # another figure stands between
            elif not (self.is_word(k) or self.texts[k] in (".", ":")):
                return j  # punctuation ends the aside
            k += 1
        return j

    def _currency_echo(self, j: int, code: str) -> int:
        """Skip a currency named again after the amount: "$75 U.S. per barrel", "$31.20 US"."""
        echoes = units.currency_echoes()
        end = self.match_forward(j, echoes, 3, lower=False)
        if end > j and self.near(j) and echoes[tuple(self.texts[j:end])] == code:
            if end < self.n and self.texts[end] == "." and self.glued(end):
                end += 1  # the closing dot of "U.S."
            return end
        return j

    def _whole_of(self, number: _Number) -> _Reading | None:
        """The reading of the whole a part is "of": "280 million of the 1.5 billion
        shekels" -> the shekels, whose unit the part shares."""
        j = number.last
        if self.lowers[j : j + 1] != ["of"] or j + 2 >= self.n:
            return None
        k = j + 2 if self.lowers[j + 1] in ("the", "its", "their", "a", "an") else j + 1
        start = k + 1 if self.texts[k] in _single_currency_symbols() else k
        whole = self.read_number(start) if self.is_digits(start) else None
        reading = self._read(whole) if whole is not None and whole.value is not None else None
        if reading is None or reading.kind not in ("currency", "physical", "percent"):
            return None
        return reading

    def _next_of_list(self, number: _Number) -> _Reading | None:
        """The reading of the next figure in "45 and 50 mg" or "5, 10 and 15 km", whose
        unit the bare figures before it share (not a counted noun: "45 and 50 cases")."""
        j = number.last
        while j + 1 < self.n and self.lowers[j] in (",", "and", "or") and self.is_digits(j + 1):
            following = self.read_number(j + 1)
            if following is None or following.value is None:
                return None
            after = following.last
            if after < self.n and self.lowers[after] in (",", "and", "or"):
                j = after  # "5, 10 and 15 km": read on to the figure with the unit
                continue
            reading = self._read(following)
            if reading is None or reading.kind not in ("physical", "percent"):
                return None
            return reading
        return None

    def _join(self, reading: _Reading) -> _Reading:
        """Join "44 mg to 50 mg", "from $350 per kg to $680 per kg", "between 5% and 6%"."""
        j = reading.last
        if j + 1 >= self.n or reading.number.value is None or not reading.unit_name:
            return reading
        qualified = self.read_qualifier_before(reading.first)
        opening = qualified[1] if qualified else reading.first  # "from up to 252 miles to"
        before = self.lowers[opening - 1] if opening > 0 else ""
        if before == "from" and self.lowers[j] != "to":
            j = self._to_after_aside(j)  # "from $36,040 at 10.45pm last night to $34,935"
        connector = self.lowers[j]
        if not self._is_range_connector(connector, before == "between"):
            return reading
        if connector == "to" and self._changed_to(reading.first, before in ("from", "between")):
            return reading  # "Brent climbed $2 to $85 a barrel": a change, then a level
        for k in range(j + 1, min(j + 4, self.n)):
            if self.is_digits(k) or self.is_word(k):
                break
        else:
            return reading
        second = self.read_number(k)
        if second is None or second.value is None or second.first > k:
            return reading
        if self._continues_as_range(second):
            return reading  # "from 24.2 to 33-35 billion euros": the first shares, not joins
        other = self._read(second)
        if other is None or other.first > j + 3:
            return reading
        if other.unit_name != reading.unit_name:
            shared_rate = not reading.rate and other.unit_name.startswith(reading.unit_name + " / ")
            if reading.rate and reading.unit_name.startswith(other.unit_name + " / "):
                other = replace(reading, last=other.last)  # "from $75 per barrel to $45.88"
                shared_rate = True
            bare_end = other.unit_name == "" and before in ("from", "between")
            if not (shared_rate or bare_end):
                return reading  # "between $62 and $68 per share", "from 208 pounds to 193"
            if bare_end:
                other = replace(reading, last=other.last)
        low, high = reading.number.value, second.value
        if connector == "or" and not low < high:
            return reading
        number = replace(reading.number, last=second.last, value=None, low=low, high=high)
        return replace(other, number=number, first=reading.first)

    def _attributive(self, unit: _Unit | None) -> bool:
        """True when a hyphenated number-word names a kind of thing ("10-point plan",
        "two-month contract") rather than measuring it ("40-km convoy")."""
        if unit is None or unit.kind == "count":
            return True
        k = unit.last
        if unit.dimension != "time" or k >= self.n or not self.near(k):
            return False
        if self.texts[k] in _single_currency_symbols() or self.is_digits(k):
            return True  # "a five-year $700000 award"
        return self.is_word(k) and self.lowers[k] not in _NOUN_STOP

    def _restates(self, previous: Claim, reading: _Reading) -> bool:
        """True when ``reading`` restates the claim before it in brackets or after a slash:
        "7.5 million Danish crowns (US $1.1 million)", "296 hp (224 kW / 300 PS)"."""
        j = reading.first - 1
        if j < 0 or self.texts[j] not in ("(", "/", ","):
            return False
        if self.texts[j] == "(":
            return self.starts[j] - previous.end <= 1
        return j > 0 and self.texts[j - 1] != ")" and self._in_brackets(j)

    def _in_brackets(self, j: int) -> bool:
        """True when token j stands inside an open bracket of the sentence."""
        depth = 0
        for text in self.texts[:j]:
            depth += (text == "(") - (text == ")")
        return depth > 0

    def _juxtaposed(self, number: _Number) -> bool:
        """True for a bare number set right against another, with only a space between."""
        j = number.last
        return (
            number.kind == "digits"
            and j < self.n
            and self.is_digits(j)
            and self.starts[j] - self.ends[j - 1] == 1
        )

    def _hyphen_compound(self, number: _Number) -> bool:
        """True for a number joined by a hyphen to the word after it ("10-point")."""
        j = number.last
        return (
            j + 1 < self.n
            and self.texts[j] == "-"
            and self.glued(j)
            and self.glued(j + 1)
            and self.is_word(j + 1)
        )

    def _claim(self, reading: _Reading, published: str | None) -> Claim:
        number, last = reading.number, reading.last
        qualifier, start_token = number.qualifier or "=", reading.first
        found = self.read_qualifier_before(reading.first)
        if found is not None:
            qualifier, start_token = found
        after = self.read_qualifier_after(last)
        if after is not None and qualifier == "=":
            qualifier, last = after
        change = self.read_change(start_token)
        value, low, high = number.value, number.low, number.high
        if value is None:
            qualifier = "~" if qualifier == "~" else "range"  # "~25 – 40min": about a range
            low, high = sorted((low, high))  # "from 208 pounds to 193": the interval
        elif qualifier in ("<", "<="):
            low = None
        elif qualifier in (">", ">="):
            high = None
        if (
            value is None
            and start_token > 0
            and self.lowers[start_token - 1] in ("from", "between")
        ):
            start_token -= 1  # the range's opener belongs to it: "between 4,000 and 7,000"
        start, end = self.starts[start_token], self.ends[last - 1]
        number_start = self.starts[number.first]
        base_value, base_unit = _base(value, reading.unit_name, reading.kind)
        return Claim(
            text=self.text[start:end],
            start=start,
            end=end,
            value=value,
            low=low,
            high=high,
            qualifier=qualifier,
            change=change,
            unit=reading.unit_name,
            unit_text=self._unit_text(reading),
            dimension=reading.dimension,
            base_value=base_value,
            base_unit=base_unit,
            value_text=self.text[number_start : self.ends[number.last - 1]],
            quoted=self.quoted_at(number_start),
            modality="reported",
            period_start=published,
            period_end=published,
            period_text=None,
            sentence=self.sentence,
            sentence_start=self.offset,
            rule=f"{number.kind}:{reading.kind}" + (":rate" if reading.rate else ""),
        )

    def _unit_text(self, reading: _Reading) -> str:
        """The unit words as written: "rounds daily", "$", "US$ per barrel"."""
        number = reading.number
        parts = []
        if reading.first < number.first:
            parts.append(self.phrase(reading.first, number.first))
        if reading.unit is not None:
            parts.append(self.phrase(reading.unit.first, reading.last))
        elif reading.last > number.last:
            parts.append(self.phrase(number.last, reading.last))
        return " ".join(parts)


def _inherit(previous: Claim, claim: Claim) -> Claim:
    """Give a restated figure the qualifier and change of the figure it restates."""
    if claim.qualifier != "=" or claim.value is None or previous.qualifier in ("=", "range"):
        return (
            claim if claim.change or not previous.change else replace(claim, change=previous.change)
        )
    low = None if previous.qualifier in ("<", "<=") else claim.low
    high = None if previous.qualifier in (">", ">=") else claim.high
    change = claim.change or previous.change
    return replace(claim, qualifier=previous.qualifier, low=low, high=high, change=change)


@functools.cache
def _single_currency_symbols() -> frozenset:
    """Currency signs of one token ("$", "€"), as they may open the second end of a range."""
    return frozenset(k[0] for k in units.currency_index()[0] if len(k) == 1)


def _base(value: float | None, unit: str, kind: str) -> tuple[float | None, str]:
    """Return the value in base units (m, kg, s; rates per day; money unchanged)."""
    if value is None:
        return None, unit
    if " / " in unit and kind != "physical":
        numerator, _, period = unit.partition(" / ")
        factor = _per_day_factor(period)
        if factor is None:
            return value, unit
        return value * factor, f"{numerator} / day"
    if kind != "physical":
        return value, unit
    factors = units.base_factor(unit)
    if factors is None:
        return None, unit  # "12 tonnes per capita": pint has no "person" to convert
    factor, base_unit, offset = factors
    return (value + offset) * factor, base_unit


def _per_day_factor(period: str) -> float | None:
    """How many of ``period`` make a day (month -> 1/30.4), or None for non-periods."""
    days = _PERIOD_DAYS.get(period)
    return 1.0 / days if days else None


def extract(text: str, published: str | None = None) -> list[Claim]:
    """Return the quantitative claims of ``text``, in text order.

    :param text: the article or sentence
    :param published: the publication date (ISO ``YYYY-MM-DD``); claims hold at that date
        unless the text says otherwise. None leaves the period empty: today's date is
        never read.

    >>> [(c.text, c.value, c.unit) for c in extract("The EU will ship one million rounds.")]
    [('one million rounds', 1000000.0, 'round')]
    """
    return extract_document(text, published).claims


class DocumentClaims(NamedTuple):
    """The claims of a document, how many of its sentences were too long to be read whole
    and were read in pieces (``claims.sentences.MAX_SENTENCE``), and the processor seconds
    their extraction took."""

    claims: list[Claim]
    cut_sentences: int = 0
    seconds: float = 0.0


def extract_document(
    text: str, published: str | None = None, seconds: float | None = None
) -> DocumentClaims:
    """Return the claims of ``text`` (as ``extract`` does) with the count of its sentences
    cut into pieces.

    Extraction takes time in proportion to the text's length, whatever the text; a
    ``seconds`` budget stops a document that would still take too long (a build refuses
    it and goes on). Time is the processor time of this thread (``time.thread_time``), which
    other work on the machine changes little.

    :param seconds: the most time extraction may take; None: no limit
    :raises ExtractionTimeout: the text took longer than ``seconds``
    """
    began = time.thread_time()
    deadline = None if seconds is None else began + seconds
    found: list[Claim] = []
    candidates = _candidates(text)
    if not candidates:
        return DocumentClaims(found, 0, time.thread_time() - began)
    k = 0
    quoted, read_to = False, 0
    sentences, cut = sentence_spans(text)
    readers: dict[int, _Reader] = {}
    for start, end in sentences:
        if deadline is not None and time.thread_time() > deadline:
            raise ExtractionTimeout(seconds)
        quoted = _inside_quotes(text[read_to:start], quoted)
        read_to = start
        while k < len(candidates) and candidates[k] < start:
            k += 1
        if k < len(candidates) and candidates[k] < end:
            phones = (
                [m.span() for m in _find_phones(text, start, end)]
                if _may_hold_phone(text, start, end)
                else ()
            )
            reader = _Reader(text, start, end, quoted, phones)
            read = reader.claims(published)
            if read:  # kept for the context of its claims; no other, so that memory stays
                # small (``annotate`` tokenizes again a sentence without claims that names
                # a speaker)
                readers[start] = reader
                found.extend(read)
    try:
        annotated = context.annotate(text, found, published, sentences, readers, deadline)
    except ExtractionTimeout:
        raise ExtractionTimeout(seconds) from None
    return DocumentClaims(annotated, cut, time.thread_time() - began)


def _inside_quotes(passage: str, open_before: bool) -> bool:
    """Whether a quotation is open after ``passage``, given whether one was open before it.

    Curly marks say which way they go; straight ones toggle. A new paragraph closes an
    open quotation (a quotation that goes on opens again with a new mark).
    """
    paragraph = passage.rpartition("\n")
    if paragraph[1]:
        passage, open_before = paragraph[2], False
    opened = passage.rfind("“")
    closed = passage.rfind("”")
    if opened != closed:
        return opened > closed
    return open_before != (passage.count('"') % 2 == 1)
