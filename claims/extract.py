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
from dataclasses import dataclass

from claims import lexicon, numbers, units
from claims.model import Claim

EXTRACTOR_VERSION = "0.1.0"

# --------------------------------------------------------------------------- lexicons

_QUALIFIERS_BEFORE = lexicon.mapping("qualifiers", "before")
_QUALIFIERS_AFTER = lexicon.mapping("qualifiers", "after")
_CHANGE_WORDS = lexicon.mapping("qualifiers", "change")
_RATE_ADVERBS = lexicon.mapping("rates", "adverbs")
_RATE_PER = lexicon.words("rates", "per")
_RATE_STRICT_PER = lexicon.words("rates", "strict_per")
_PERIODS = lexicon.mapping("rates", "periods")
_PER_NOUNS = lexicon.mapping("rates", "per_noun")
_NOUN_STOP = lexicon.words("nouns", "stop")
_NOUN_DROP = lexicon.words("nouns", "drop")
_NOT_NOUNS = lexicon.words("nouns", "not_nouns")
_MONTHS = lexicon.words("nonclaims", "months")
_IDENTIFIER_BEFORE = lexicon.words("nonclaims", "identifier_before")
_GLUED_SUFFIXES = lexicon.words("nonclaims", "glued_suffixes")
_TIME_WORDS = lexicon.words("nonclaims", "time_words")
_TIME_PREPOSITIONS = lexicon.words("nonclaims", "time_prepositions")
_ONE_IDIOMS = lexicon.words("nouns", "one_idioms")
_ABBREVIATIONS = lexicon.words("sentences", "abbreviations")
_POUND_MONEY_CUES = lexicon.words("ambiguity", "pound_money_cues")
_METRE_CUES = lexicon.words("ambiguity", "metre_cues")
_GLUED_ONLY = frozenset(lexicon.load("ambiguity")["glued_only_symbols"])

_PERCENT_UNITS = {
    ("%",): "percent",
    ("percent",): "percent",
    ("per", "cent"): "percent",
    ("per-cent",): "percent",
    ("pct",): "percent",
    ("pc",): "percent",
    ("percentage", "point"): "percentage point",
    ("percentage", "points"): "percentage point",
    ("percent", "point"): "percentage point",
    ("percent", "points"): "percentage point",
    ("pp",): "percentage point",
    ("ppt",): "percentage point",
    ("basis", "point"): "basis point",
    ("basis", "points"): "basis point",
    ("bp",): "basis point",
    ("bps",): "basis point",
}


def _phrases(mapping: dict) -> dict[tuple[str, ...], str]:
    """Index phrases of a lexicon mapping by their lower-case token tuples."""
    return {tuple(t.lower() for t in units.tokenize_words(k)): v for k, v in mapping.items()}


_QUALIFIER_PHRASES = _phrases(_QUALIFIERS_BEFORE)
_QUALIFIER_AFTER_PHRASES = _phrases(_QUALIFIERS_AFTER)

# --------------------------------------------------------------------------- patterns

# Candidate check per sentence: a digit, or a word that can start a spelled number.
_SPELLED_START = sorted(
    set(numbers.UNIT_WORDS)
    | set(numbers.TENS_WORDS)
    | set(numbers.MULTIPLIER_WORDS)
    | set(numbers.VAGUE_PLURALS)
    | set(numbers.FRACTION_WORDS)
    | {w for w in numbers.SCALE_WORDS},
    key=len,
    reverse=True,
)
_has_candidate = re.compile(
    r"\d|\b(?:" + "|".join(map(re.escape, _SPELLED_START)) + r")", re.IGNORECASE
).search

# Tokens of a sentence: digit runs with their separators, words, and single signs.
_token = re.compile(
    rf"""\d+(?:[.,]\d+)*                # digit run: 6,000 / 2.1 / 6.000,5
      | {units.WORD_PATTERN}
      | [^\w\s]                         # one sign: $ % ( - /
    """,
    re.VERBOSE,
)

# Where a sentence may end: after . ! ? (and closing quotes), before a capital or a digit.
_sentence_break = re.compile(
    r"""(?<=[.!?])["”’')\]]*\s+(?=["“‘'(\[]?[A-Z0-9])   # end punctuation, space, capital
      | \s*\n\s*                                     # a line break ends a paragraph
      | (?<=[a-z]{2}[.!?])(?=[A-Z][a-z])              # "million.The": a lost space
    """,
    re.VERBOSE,
)
_word_before_dot = re.compile(r"([^\W\d_][\w.]*)\.$").search
_QUOTES_OPEN = "“"
_QUOTES_CLOSE = "”"


# --------------------------------------------------------------------------- sentences


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of ``text``.

    >>> t = "Mr. Smith said 5. The U.S. sent 31 tanks."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Mr. Smith said 5.', 'The U.S. sent 31 tanks.']
    """
    spans = []
    start = 0
    for match in _sentence_break.finditer(text):
        end = match.start()
        if "\n" not in match.group():
            before = _word_before_dot(text, start, end)
            if before and (before.group(1).lower() in _ABBREVIATIONS or len(before.group(1)) == 1):
                continue  # "Mr. Smith", "J. Smith": not an end
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


# --------------------------------------------------------------------------- reading


@dataclass
class _Number:
    """A number read from tokens [first, last): its value or range and how it was written."""

    first: int
    last: int
    value: float | None
    low: float | None
    high: float | None
    kind: str  # digits, words, vague
    scaled: bool = False
    decimals: bool = False
    four_digits: bool = False


@dataclass
class _Unit:
    """A unit read from tokens [first, last)."""

    first: int
    last: int
    unit: str
    dimension: str
    kind: str  # percent, currency, physical, count, age


class _Sentence:
    """The tokens of one sentence and the reading of its numbers."""

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.offset = start
        self.sentence = text[start:end]
        self.tokens = [m for m in _token.finditer(text, start, end)]
        self.texts = [m.group() for m in self.tokens]
        self.lowers = [t.lower() for t in self.texts]
        self.starts = [m.start() for m in self.tokens]
        self.ends = [m.end() for m in self.tokens]
        self.n = len(self.tokens)

    # ---- token helpers

    def glued(self, j: int) -> bool:
        """True when token j touches token j-1."""
        return 0 < j < self.n and self.starts[j] == self.ends[j - 1]

    def near(self, j: int) -> bool:
        """True when token j follows token j-1 with at most one space between."""
        return 0 < j < self.n and self.starts[j] - self.ends[j - 1] <= 1

    def is_word(self, j: int) -> bool:
        return 0 <= j < self.n and self.texts[j][0].isalpha()

    def is_digits(self, j: int) -> bool:
        return 0 <= j < self.n and self.texts[j][0].isdigit()

    def match_forward(self, j: int, index: dict, longest: int, lower: bool) -> int:
        """Return the end token of the longest phrase of ``index`` starting at j, else j."""
        for size in range(min(longest, self.n - j), 0, -1):
            if size > 1 and not all(self.near(k) for k in range(j + 1, j + size)):
                continue
            key = tuple((self.lowers if lower else self.texts)[j : j + size])
            if key in index:
                return j + size
        return j

    def match_backward(self, j: int, index: dict, longest: int, lower: bool) -> int:
        """Return the first token of the longest phrase of ``index`` ending before j, else j."""
        for size in range(min(longest, j), 0, -1):
            first = j - size
            if size > 1 and not all(self.near(k) for k in range(first + 1, j)):
                continue
            key = tuple((self.lowers if lower else self.texts)[first:j])
            if key in index:
                return first
        return j

    # ---- numbers

    def read_number(self, i: int) -> _Number | None:
        """Read the number starting at token i (digits, spelled or vague), or None."""
        if self.is_digits(i):
            return self._read_digits(i)
        return self._read_words(i)

    def _read_digits(self, i: int) -> _Number | None:
        text = self.texts[i]
        value = numbers.parse_digits(text)
        if value is None:
            return None
        number = _Number(i, i + 1, value, value, value, "digits")
        number.decimals = "." in text and numbers.parse_digits(text) % 1 != 0
        number.four_digits = len(text) == 4 and text.isdigit()
        j = i + 1
        # "2 1/2", "2½": a fraction added to the whole number
        if j < self.n and self.lowers[j] in numbers.VULGAR_FRACTIONS and self.glued(j):
            value += numbers.VULGAR_FRACTIONS[self.lowers[j]]
            j += 1
        elif (
            j + 2 < self.n
            and self.is_digits(j)
            and self.texts[j + 1] == "/"
            and self.is_digits(j + 2)
            and self.glued(j + 1)
            and self.glued(j + 2)
            and not self.glued(j)
        ):
            num, den = numbers.parse_digits(self.texts[j]), numbers.parse_digits(self.texts[j + 2])
            if num and den and num < den <= 16:
                value += num / den
                j += 3
        # "-1.3", "minus 20"
        if i > 0 and self.texts[i - 1] in ("-", "−") and self.glued(i) and not self.glued(i - 1):
            if not (i > 1 and self.near(i - 1) and self.is_digits(i - 2)):
                value = -value
                number.first = i - 1
        elif i > 0 and self.lowers[i - 1] == "minus":
            value = -value
            number.first = i - 1
        # ".5": a leading decimal point
        if i > 0 and self.texts[i - 1] == "." and self.glued(i) and not self.glued(i - 1):
            if text.isdigit():
                value = float("0." + text)
                number.first = i - 1
                number.decimals = True
        number.value = number.low = number.high = value
        number.last = j
        self._read_scale(number)
        return number

    def _read_words(self, i: int) -> _Number | None:
        lower = self.lowers[i]
        # vague plurals: "dozens of", "tens of thousands of", "millions of"
        if lower in numbers.VAGUE_PLURALS and i + 1 < self.n and self.lowers[i + 1] == "of":
            base = float(numbers.VAGUE_PLURALS[lower])
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
            # "of" is kept for the unit reader ("millions of Americans")
            return _Number(i, j, None, base, base * 10, "vague", scaled=True)
        # "a dozen", "a million", "a third of"
        start = i
        if lower in ("a", "an") and i + 1 < self.n:
            nxt = self.lowers[i + 1]
            if nxt == "dozen" or (nxt in numbers.SCALE_WORDS and nxt != "hundred"):
                return self._spelled(i, ["one"] + self.lowers[i + 1 : i + 8])
            if nxt in ("third", "quarter", "half", "fifth", "tenth") and self._of_follows(i + 2):
                value = float(numbers.FRACTION_WORDS[nxt])
                return _Number(i, i + 2, value, value, value, "fraction")
            return None
        words = []
        for j in range(start, min(self.n, start + 8)):
            if not self.is_word(j) or (j > start and not self.near(j)):
                break
            words.append(self.lowers[j])
        if not words:
            return None
        return self._spelled(start, words)

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
            if not self._of_follows(last):
                return None  # "two-thirds" only as a share: "two-thirds of Ukrainians"
            return _Number(start, last, value, value, value, "fraction")
        return _Number(start, last, value, value, value, "words", scaled=scaled)

    def _read_scale(self, number: _Number) -> None:
        """Multiply by a scale word after the number: "2.1 billion", "6k", "$2.1B"."""
        j = number.last
        if j >= self.n:
            return
        word = self.texts[j]
        glued = self.glued(j)
        near_abbreviation = self.near(j) and word.lower() in ("bn", "mn", "mln", "tn", "trn", "bln")
        if not (glued or self.near(j)):
            return
        scale = numbers.scale_of(word, glued=glued or near_abbreviation)
        if scale is None:
            return
        if glued and word in ("m", "M") and not self._m_means_million(number, j):
            return
        if glued and j + 1 < self.n and self.glued(j + 1) and self.is_word(j + 1):
            return  # "6kg" is read as a unit, not "6k" + "g"
        number.value *= scale
        number.low = number.high = number.value
        number.last = j + 1
        number.scaled = True

    def _m_means_million(self, number: _Number, j: int) -> bool:
        """A glued "m" is million with money, decimals or a counted noun; else metres."""
        if self._currency_before(number.first) is not None or self._currency_after(j + 1):
            return True
        nxt = self.lowers[j + 1] if j + 1 < self.n else ""
        if nxt in _METRE_CUES:
            return False
        if nxt and self.is_word(j + 1) and (units.is_plural(nxt) or nxt in ("people",)):
            return True
        return number.decimals

    def read_range(self, number: _Number) -> _Number:
        """Join "4,000-7,000", "4,000 to 7,000", "between 4,000 and 7,000", "$2-3 billion"."""
        j = number.last
        if j + 1 >= self.n or number.value is None:
            return number
        connector = self.lowers[j]
        between = number.first > 0 and self.lowers[number.first - 1] == "between"
        if not (connector in ("-", "–", "—", "to") or (connector == "and" and between)):
            return number
        k = j + 1
        if self.texts[k] in _single_currency_symbols():
            k += 1  # "$2 to $3 billion"
        if not (self.is_digits(k) if number.kind == "digits" else self.is_word(k)):
            return number
        if connector in ("-", "–", "—") and not (self.near(j) and self.near(k)):
            return number
        second = self.read_number(k)
        if second is None or second.value is None:
            return number
        low = number.value
        if second.scaled and not number.scaled and low < second.value:
            scale = second.value / self.raw_value(second)
            if low * scale <= second.value:
                low *= scale
        return _Number(
            number.first,
            second.last,
            None,
            low,
            second.value,
            number.kind,
            scaled=number.scaled or second.scaled,
            decimals=number.decimals or second.decimals,
            four_digits=number.four_digits and second.four_digits,
        )

    def raw_value(self, number: _Number) -> float:
        """The value of a number before its scale word ("3 billion" -> 3)."""
        if number.kind == "digits":
            return (
                numbers.parse_digits(
                    self.texts[number.first if self.is_digits(number.first) else number.first + 1]
                )
                or 1.0
            )
        return number.value or 1.0

    # ---- units

    def _currency_before(self, first: int):
        """Return (Currency, first token) of a currency sign or code before token ``first``."""
        symbols, _, codes, _ = units.currency_index()
        start = self.match_backward(first, symbols, 3, lower=False)
        if start < first:
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
        if number.kind == "vague" and self.lowers[j] == "of":
            j += 1  # "millions of Americans"
        elif number.scaled and self.lowers[j] == "of" and currency is None:
            j += 1  # "a million of them"
        if currency is not None:
            return None
        end = self.match_forward(j, _PERCENT_UNITS, 2, lower=True)
        if end > j:
            unit = _PERCENT_UNITS[tuple(self.lowers[j:end])]
            return _Unit(j, end, unit, "percent", "percent")
        money = self._currency_after(j)
        if money is not None:
            return money
        physical = self._physical_unit(j)
        if physical is not None:
            return physical
        return self._counted_noun(j, number)

    def _currency_after(self, j: int) -> _Unit | None:
        symbols, words, codes, subunits = units.currency_index()
        for index, lower in ((words, True), (codes, False), (subunits, True)):
            end = self.match_forward(j, index, 4, lower=lower)
            if end > j and (self.near(j) or self.glued(j)):
                key = tuple((self.lowers if lower else self.texts)[j:end])
                found = index[key]
                if index is subunits:
                    currency, name = found
                    if name == "penny" and key == ("p",) and not self.glued(j):
                        continue
                    return _Unit(j, end, name, "currency", "currency")
                return _Unit(j, end, found.code, "currency", "currency")
        end = self.match_forward(j, symbols, 3, lower=False)
        if end > j and self.glued(j):
            return _Unit(j, end, symbols[tuple(self.texts[j:end])].code, "currency", "currency")
        return None

    def _physical_unit(self, j: int) -> _Unit | None:
        by_word, by_symbol, longest = units.unit_index()
        if not (self.glued(j) or self.near(j)):
            return None
        end = self.match_forward(j, by_symbol, longest, lower=False)
        if end > j:
            key = tuple(self.texts[j:end])
            if not ("".join(key) in _GLUED_ONLY and not self.glued(j)):
                if not (end < self.n and self.glued(end) and self.is_word(end)):
                    return self._make_physical(j, end, by_symbol[key])
        end = self.match_forward(j, by_word, longest, lower=True)
        if end > j:
            key = tuple(self.lowers[j:end])
            entry = by_word[key]
            if entry.name == "pound" and self._pounds_are_money():
                return _Unit(j, end, "GBP", "currency", "currency")
            return self._make_physical(j, end, entry)
        return None

    def _make_physical(self, j: int, end: int, entry) -> _Unit:
        kind = "physical" if entry.pint else entry.dimension
        return _Unit(j, end, entry.name, entry.dimension, kind)

    def _pounds_are_money(self) -> bool:
        return any(w in _POUND_MONEY_CUES for w in self.lowers)

    def _counted_noun(self, j: int, number: _Number) -> _Unit | None:
        """Read the counted noun after a number: "60,000 shells", "two defense sources"."""
        modifiers: list[str] = []
        k = j
        singular_expected = number.value == 1 and not number.scaled
        by_word, _, _ = units.unit_index()
        while k < self.n and k < j + 5:
            if self.is_digits(k) and k > j and self.texts[k - 1][0].isupper() and self.near(k):
                k += 1  # "14 Leopard 2 tanks": the number belongs to the name
                continue
            if not self.is_word(k) or not self.near(k):
                return None
            word, lower = self.texts[k], self.lowers[k]
            if lower in _NOUN_STOP or lower in _NOT_NOUNS or "'" in lower or "’" in lower:
                return None
            entry = by_word.get((lower,))
            if entry is not None and k > j:
                return self._make_physical(k, k + 1, entry)  # "517 rushing yards"
            nxt_is_noun_end = (
                k + 1 >= self.n
                or not self.is_word(k + 1)
                or not self.near(k + 1)
                or (self.lowers[k + 1] in _NOUN_STOP)
            )
            capitalized = word[0].isupper()
            next_capitalized = k + 1 < self.n and self.texts[k + 1][0].isupper()
            if units.is_plural(lower) and not (capitalized and next_capitalized):
                noun = " ".join([*modifiers, units.singular(lower)])
                return _Unit(j, k + 1, noun, "count", "count")
            if singular_expected and nxt_is_noun_end and not capitalized:
                noun = " ".join([*modifiers, lower])
                return _Unit(j, k + 1, noun, "count", "count")
            if lower.endswith(("ing", "ed", "ly")) and not (
                k + 1 < self.n and units.is_plural(self.lowers[k + 1])
            ):
                return None
            if not capitalized and lower not in _NOUN_DROP:
                modifiers.append(lower)
            k += 1
            if k < self.n and self.texts[k] == "." and self.glued(k) and "." in lower:
                k += 1  # "8,500 U.S. troops": the abbreviation's closing dot
        return None

    def read_rate(self, k: int) -> tuple[str, int] | None:
        """Read a rate after the unit: "daily", "a day", "per day", "/day", "per barrel"."""
        if k >= self.n or not self.near(k):
            return None
        lower = self.lowers[k]
        if lower in _RATE_ADVERBS:
            return _RATE_ADVERBS[lower], k + 1
        if lower not in _RATE_PER or k + 1 >= self.n or not self.near(k + 1):
            return None
        nxt = units.singular(self.lowers[k + 1])
        after = self.lowers[k + 2] if k + 2 < self.n else ""
        if after in ("ago", "earlier", "later", "before", "after", "from", "on", "in"):
            return None  # "5% a year ago" is no rate
        if nxt in _PERIODS:
            return _PERIODS[nxt], k + 2
        if nxt in _PER_NOUNS:
            return _PER_NOUNS[nxt], k + 2
        by_word, by_symbol, longest = units.unit_index()
        end = self.match_forward(k + 1, by_symbol, longest, lower=False)
        if end > k + 1 and lower not in _RATE_STRICT_PER:
            return by_symbol[tuple(self.texts[k + 1 : end])].name, end
        end = self.match_forward(k + 1, by_word, longest, lower=True)
        if end > k + 1:
            return by_word[tuple(self.lowers[k + 1 : end])].name, end  # "$4 a gallon"
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
        end = self.match_forward(k, _QUALIFIER_AFTER_PHRASES, 2, lower=True)
        if end > k and self.near(k):
            return _QUALIFIER_AFTER_PHRASES[tuple(self.lowers[k:end])], end
        return None

    def read_change(self, first: int) -> str | None:
        j = first - 1
        if j >= 0 and self.lowers[j] == "by":
            j -= 1
        if j >= 0 and self.lowers[j] in _CHANGE_WORDS:
            return _CHANGE_WORDS[self.lowers[j]]
        return None

    # ---- what is no claim

    def date_run(self, i: int) -> int:
        """Return the end token of an ISO date or a span of years at i ("2023-09-28",
        "2012-13", "2022/23"), else i."""
        if not (self.is_digits(i) and len(self.texts[i]) == 4 and self.texts[i].isdigit()):
            return i
        j = i + 1
        while (
            j + 1 < self.n
            and self.texts[j] in ("-", "/", "–")
            and self.glued(j)
            and self.glued(j + 1)
            and self.texts[j + 1].isdigit()
            and len(self.texts[j + 1]) in (2, 4)
        ):
            j += 2
        return j if j > i + 1 else i

    def is_date_or_time(self, number: _Number, unit: _Unit | None) -> bool:
        first, last = number.first, number.last
        if unit is not None:
            return False
        ends = (number.low, number.high) if number.value is None else (number.value,)
        small_integer = all(v is not None and v == int(v) and 1 <= v <= 31 for v in ends)
        before = self.lowers[first - 1] if first > 0 else ""
        if first > 1 and before == "." and self.glued(first - 1):
            before = self.lowers[first - 2] + "."
        after = self.lowers[last] if last < self.n else ""
        if small_integer and (before in _MONTHS or after in _MONTHS):
            return True
        if after == "of" and last + 1 < self.n and self.lowers[last + 1] in _MONTHS:
            return True
        if after == ":" and last + 1 < self.n and self.is_digits(last + 1) and self.glued(last + 1):
            return True  # "10:30"
        if before == ":" and first > 1 and self.glued(first) and self.is_digits(first - 2):
            return True  # the minutes of "0:59"
        if before in _TIME_PREPOSITIONS and _clock_time(self.texts[number.first]):
            return True  # "at 12.30", "after 14.00"
        return after in _TIME_WORDS

    def is_identifier(self, number: _Number, unit: _Unit | None, currency) -> bool:
        first, last = number.first, number.last
        if currency is not None:
            return False
        if first > 0 and self.glued(first):
            prev = self.texts[first - 1]
            if prev[0].isalpha():
                return True  # "A330", "COVID19"
            if prev == "-" and first > 1 and self.glued(first - 1) and self.is_word(first - 2):
                return True  # "F-16", "Su-25"
        if last < self.n and self.glued(last) and (unit is None or unit.first != last):
            nxt = self.texts[last]
            if nxt[0].isalnum() or nxt in ("'", "’"):
                return True  # "155s", "96th", "5G", "1990's"
        if first > 0 and self.lowers[first - 1] in _IDENTIFIER_BEFORE and unit is None:
            return True
        if unit is None and first > 0 and self.near(first):
            prev = self.texts[first - 1]
            if prev[0].isupper() and prev.lower() not in _MONTHS and first - 1 > 0:
                return True  # "Voyager 2", "Big 12", "iPhone 11" (not sentence-initial)
        return False

    def is_year(self, number: _Number, unit: _Unit | None, currency) -> bool:
        if not number.four_digits or currency is not None or number.scaled:
            return False
        if unit is not None and unit.kind in ("percent", "physical", "currency"):
            return False
        lo = number.low if number.low is not None else 0
        return 1800 <= lo <= 2100

    def quoted_at(self, offset: int) -> bool:
        """True when the character at ``offset`` stands inside quotation marks."""
        before = self.text[self.offset : offset]
        curly = before.count(_QUOTES_OPEN) > before.count(_QUOTES_CLOSE)
        return curly or before.count('"') % 2 == 1

    # ---- assembling claims

    def claims(self, published: str | None) -> list[Claim]:
        out: list[Claim] = []
        i = 0
        while i < self.n:
            first_char = self.texts[i][0]
            if not (first_char.isdigit() or first_char.isalpha()):
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
            number = self.read_range(number)
            claim = self._claim(number, published)
            if claim is not None:
                out.append(claim)
            i = max(number.last, i + 1) if claim is None else self._next_after(claim)
        return out

    def _hyphen_compound(self, number: _Number) -> bool:
        """True for a number joined by a hyphen to the word after it ("10-point")."""
        j = number.last
        return j + 1 < self.n and self.texts[j] == "-" and self.glued(j) and self.glued(j + 1)

    def _next_after(self, claim: Claim) -> int:
        k = 0
        while k < self.n and self.starts[k] < claim.end:
            k += 1
        return k

    def _claim(self, number: _Number, published: str | None) -> Claim | None:
        found = self._currency_before(number.first)
        currency, first = (found[0], found[1]) if found else (None, number.first)
        unit = self.read_unit(number, currency)
        if (
            currency is None
            and unit is not None
            and number.kind == "vague"
            and unit.kind == "count"
        ):
            pass
        last = unit.last if unit is not None else number.last
        if currency is None and number.kind == "words" and unit is None:
            return None  # a spelled number alone ("one of them") is no figure
        if (
            number.value == 1
            and number.kind == "words"
            and unit is not None
            and unit.unit in _ONE_IDIOMS
        ):
            return None  # "on the one hand"
        if self._hyphen_compound(number) and (unit is None or unit.kind == "count"):
            return None  # "a 10-point plan", "a 17-page document": a name, not a figure
        qualifier_found = self.read_qualifier_before(first)
        if self.is_identifier(number, unit, currency) or self.is_date_or_time(number, unit):
            return None
        if self.is_year(number, unit, currency):
            return None
        if number.low is not None and number.four_digits and number.value is None and unit is None:
            return None  # "2012-13", "between 1600 and 1900"
        if currency is not None:
            unit_name, dimension, kind = currency.code, "currency", "currency"
        elif unit is not None:
            unit_name, dimension, kind = unit.unit, unit.dimension, unit.kind
        else:
            unit_name, dimension, kind = "", "number", "number"
        rate = self.read_rate(last) if kind != "number" else None
        if rate is not None:
            period, last = rate
            unit_name = f"{unit_name} / {period}"
            dimension = "rate"
        qualifier, start_token = "=", first
        if qualifier_found is not None:
            qualifier, start_token = qualifier_found
        after = self.read_qualifier_after(last)
        if after is not None and qualifier == "=":
            qualifier, last = after
        change = self.read_change(start_token)
        value, low, high = number.value, number.low, number.high
        if value is None:
            qualifier = "range"
        elif qualifier in ("<", "<="):
            low = None
        elif qualifier in (">", ">="):
            high = None
        start, end = self.starts[start_token], self.ends[last - 1]
        number_start = self.starts[number.first]
        unit_text = ""
        if unit is not None:
            unit_text = self.text[self.starts[unit.first] : self.ends[last - 1]]
        elif rate is not None or currency is not None:
            unit_text = self.text[self.starts[first] : self.starts[number.first]].strip()
            if rate is not None:
                unit_text = (unit_text + " " + self.text[self.ends[number.last - 1] : end]).strip()
        base_value, base_unit = _base(value, unit_name, kind)
        return Claim(
            text=self.text[start:end],
            start=start,
            end=end,
            value=value,
            low=low,
            high=high,
            qualifier=qualifier,
            change=change,
            unit=unit_name,
            unit_text=unit_text,
            dimension=dimension,
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
            rule=f"{number.kind}:{kind}" + (":rate" if rate else ""),
        )


@functools.cache
def _single_currency_symbols() -> frozenset:
    """Currency signs of one token ("$", "€"), as they may open the second end of a range."""
    return frozenset(k[0] for k in units.currency_index()[0] if len(k) == 1)


_clock_time = re.compile(r"(?:[01]?\d|2[0-3])[.:][0-5]\d").fullmatch


def _base(value: float | None, unit: str, kind: str) -> tuple[float | None, str]:
    """Return the value in base units (m, kg, s; rates per day; money unchanged)."""
    if value is None:
        return None, unit
    if " / " in unit:
        numerator, _, period = unit.partition(" / ")
        factor = _per_day_factor(period)
        if factor is None:
            return value, unit
        return value * factor, f"{numerator} / day"
    if kind != "physical":
        return value, unit
    factor, base_unit, offset = units.base_factor(unit)
    return (value + offset) * factor, base_unit


@functools.cache
def _per_day_factor(period: str) -> float | None:
    """How many of ``period`` make a day (month -> 1/30.4), or None for non-periods."""
    if period not in _PERIODS.values():
        return None
    ureg = units.registry()
    return 1.0 / ureg.Quantity(1.0, period).to("day").magnitude


def extract(text: str, published: str | None = None) -> list[Claim]:
    """Return the quantitative claims of ``text``, in text order.

    :param text: the article or sentence
    :param published: the publication date (ISO ``YYYY-MM-DD``); claims hold at that date
        unless the text says otherwise. None leaves the period empty: today's date is
        never read.

    >>> [(c.text, c.value, c.unit) for c in extract("The EU will ship one million rounds.")]
    [('one million rounds', 1000000.0, 'round')]
    """
    found: list[Claim] = []
    for start, end in split_sentences(text):
        if not _has_candidate(text, start, end):
            continue
        found.extend(_Sentence(text, start, end).claims(published))
    return found
