"""Stage 1 of extraction: the numbers of a sentence, as written ("2.1 billion", "4,000 to
7,000", "dozens of", "two-thirds", "1/4", "2 in 3 Americans")."""

from __future__ import annotations

import dataclasses

from claims import concepts, numbers, units
from claims.extract.lexicon import FOLDS
from claims.extract.readings import Number
from claims.extract.units import single_currency_symbols
from claims.sentences import Tokens

# The most groups of three digits after the first that a figure is written with
# ("816 000 t"): as many as ``numbers.MAX_DIGITS`` holds.
_MOST_GROUPS = numbers.MAX_DIGITS // 3
RANGE_DASHES = ("-", "–", "—")
# Before "a gallon" these make it a measure, not a figure: "the price of a gallon", "not a penny".
_NOT_ONE_BEFORE = frozenset(("of", "per", "not", "no", "than", "each", "every", "a"))
NEGATIVE_SIGNS = ("-", "−", "–")
# Prepositions after a vague plural that is the object of a verb before it, its noun left
# out: "leave millions without power", "scattered thousands across Europe".
_PLACING = frozenset(("without", "across", "into", "in"))
_SEVERAL_OF = frozenset(("dozen", "hundred", "thousand", "million", "billion"))
# Scale words written out after a hyphen: "a $5-billion package", "a Rs 5-crore project"
# ("hundred" is no scale there: "a 10-hundred" is not written).
_HYPHEN_SCALES = (frozenset(numbers.SCALE_WORDS) | numbers.SPACED_SCALES) - {"hundred"}


def approximate(low: float, high: float) -> bool:
    """True when "low or high" gives one figure roughly ("seven or eight", "two or three
    times"): the second above the first, at most twice it. Alternatives further apart are
    two figures ("50,000 or half a million", "two or 20")."""
    return 0 <= low < high <= 2 * low


class NumberReading(Tokens):
    """Reads numbers from a sentence's tokens; ``lex`` is the extractor's ``Lexicon``."""

    def read_number(self, i: int) -> Number | None:
        """Read the number starting at token i (digits, spelled or vague), or None; None
        too for a value past ``numbers.LARGEST``, which no figure reaches."""
        if self.is_digits(i):
            number = self._read_digits(i)
        elif self.texts[i] in numbers.VULGAR_FRACTIONS and not self.glued(i):
            value = float(numbers.VULGAR_FRACTIONS[self.texts[i]])
            return Number(i, i + 1, value, value, value, "fraction", decimals=True)  # "⅓ cup"
        else:
            number = self._read_words(i)
        if number is not None and number.value is not None:
            if not abs(number.value) <= numbers.LARGEST:  # also NaN: "1e300 x 1e300"
                return None
        return number

    def _read_digits(self, i: int) -> Number | None:
        text = self.texts[i]
        value = numbers.parse_digits(text)
        if value is None:
            value = numbers.parse_decimal_comma(text)
            scale = self.lowers[i + 1] if i + 1 < self.n else ""
            scale_follows = scale in numbers.SCALE_WORDS or scale in numbers.SPACED_SCALES
            unit_follows = self._lexicon_unit(i + 1) or self._currency_after(i + 1)
            if value is None or (unit_follows is None and not scale_follows):
                return None  # "1,5" alone may be a list; "1,5 km", "12,50 €", "1,5 mln" are figures
        value, j = self._read_space_groups(value, i)
        number = Number(i, j, value, value, value, "digits")
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
        j = number.last
        suffix = self.lowers[j + 1] if j + 1 < self.n and self.texts[j] == "-" else ""
        if suffix in self.lex.qualifier_suffixes and self.glued(j) and self.glued(j + 1):
            number.last = j + 2  # "40-odd countries", "a 4,800-strong", "a 2-million-strong army"
            number.qualifier = self.lex.qualifier_suffixes[suffix]
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
            or self.texts[j] in self.lex.glued_only
            or not (self.is_word(j) or self.is_digits(j) or self.hyphen_joins(j))
        )  # "reached 473 400.", "473 400 (2021)"; not "buy 20 737-800s": a hyphen goes on
        if not (thin or unit_follows):
            return value, i + 1
        return float("".join(self.texts[i:j])), j

    def _read_fraction_after(self, number: Number, j: int) -> int:
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

    def _read_exponent(self, number: Number, j: int) -> int:
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

    def _read_sign_before(self, number: Number, i: int) -> None:
        """Read "-1.3", "−20", "minus 20", "minus-130", "$-50.8bn" and the "sub-7" prefix."""
        if i == 0:
            return
        prev = self.texts[i - 1]
        if prev in NEGATIVE_SIGNS and self.glued(i):
            before = self.lowers[i - 2] if i > 1 else ""
            if before in self.lex.qualifier_prefixes and self.glued(i - 1):
                number.qualifier = self.lex.qualifier_prefixes[before]
                number.first = i - 2
                return
            if before == "minus" and self.glued(i - 1):
                number.value = -number.value
                number.first = i - 2
                return
            if i > 1 and self.glued(i - 1) and (self.is_word(i - 2) or self.is_digits(i - 2)):
                return  # "F-16", "2012-13": no sign
            if i > 1 and self.is_digits(i - 2) and self._range_from(i - 2, number.value):
                return  # "20 –25C", "2 -3%": the end of a range, read by read_range
            number.value = -number.value
            number.first = i - 1
        elif self.lowers[i - 1] == "minus":
            number.value = -number.value
            number.first = i - 1
        elif prev == "." and self.glued(i) and not self.glued(i - 1) and self.texts[i].isdecimal():
            number.value = float("0." + self.texts[i])  # ".5"
            number.decimals = True
            number.first = i - 1

    def _range_from(self, k: int, value: float) -> bool:
        """True when the digits at k, a dash and ``value`` after it make a range: the first
        below the second ("2 -3%", "20 –25C"), not "DAX 40 -1.1%", a name and a fall."""
        first = numbers.parse_digits(self.texts[k])
        return first is not None and 0 <= first < value

    def _half_of_a_multiplier(self, i: int) -> Number | None:
        """ "half a dozen" (6), "a half-dozen", "half-dozen": half of a multiplier word."""
        start = i + 1 if self.lowers[i] in ("a", "an") else i  # "a half-dozen"
        word = self.lowers[start] if start < self.n else ""
        half, _, multiplier = word.partition("-")
        if half == "half" and multiplier:
            end = start + 1  # "half-dozen", one token
        elif word == "half" and self.lowers[start + 1 : start + 2] in (["a"], ["an"]):
            multiplier, end = (self.lowers[start + 2] if start + 2 < self.n else ""), start + 3
        else:
            return None
        base = numbers.MULTIPLIER_WORDS.get(multiplier)
        if base is None:
            return None
        value = 0.5 * base
        return Number(i, end, value, value, value, "words")

    def _groups_of_a_scale(self, i: int) -> Number | None:
        """ "a couple of hundred people" (200), "a dozen of thousands": so many groups of
        a scale word."""
        words = self.lowers[i + 1 : i + 4]
        if len(words) < 3 or words[1] != "of" or words[0] not in numbers.MULTIPLIER_WORDS:
            return None
        scale = numbers.SCALE_WORDS.get(words[2])
        if scale is None:
            return None
        value = float(numbers.MULTIPLIER_WORDS[words[0]] * scale)
        return Number(i, i + 4, value, value, value, "words", scaled=True)

    def _tally(self, number: Number, second: Number) -> bool:
        """True for "X to Y" that counts votes: a word of voting just before it ("passed by
        141 to 5", "the final vote was 79 to 18"), no "from" ("lowers the voting age from 18
        to 16") and no noun after it ("cut the deadline from 90 to 30 days")."""
        first = number.first
        before = self.lowers[max(0, first - 3) : first]
        if "from" in self.lowers[max(0, first - 1) : first] or self._noun_at(second.last):
            return False
        return any(w in self.lex.vote_words for w in before)

    def _part_of_a_period(self, i: int) -> Number | None:
        """ "a quarter-century" (a quarter of a century), "a half-century": a fraction
        hyphened to a period, one word; the period is its unit."""
        if self.lowers[i] not in ("a", "an") or i + 1 >= self.n or self._noun_at(i + 2):
            return None  # not "a fifth-century monastery", "half-year results"
        k = i + 1
        fraction, _, period = self.lowers[k].partition("-")
        if fraction not in self.lex.period_fractions or period not in self.lex.periods_after_a:
            return None
        value = float(numbers.FRACTION_WORDS[fraction])
        return Number(i, k + 1, value, value, value, "words", named=period)

    def _a_period(self, i: int, qualified: bool) -> Number | None:
        """ "a year and a half" (1.5), "a day or two" (1 to 2), "for nearly a month", "at
        least a decade" (1): one period after "a", when a qualifier before it or "and a
        half" or "or two" after it says it is measured, not "a year ago" or "once a year"."""
        if self.lowers[i + 2 : i + 5] == ["and", "a", "half"]:
            return Number(i, i + 1, 1.5, 1.5, 1.5, "words", tail=3)
        more = "".join(self.lowers[i + 3 : i + 4]) if self.lowers[i + 2 : i + 3] == ["or"] else ""
        if more in ("two", "three") and not self._unit_word_at(i + 4):
            high = float(numbers.UNIT_WORDS[more])  # "a day or two", not "a day or two weeks"
            return Number(i, i + 1, None, 1.0, high, "words", tail=2)
        return Number(i, i + 1, 1.0, 1.0, 1.0, "words") if qualified else None

    def _noun_at(self, k: int) -> bool:
        """True when a word that may be a noun stands at token k: a lower-case word that is
        no preposition or conjunction ("a fifth term", "a dollar peg"; not "a quarter in
        2015", "costs a dollar.", "a euro a day")."""
        if k >= self.n or not self.is_word(k) or not self.texts[k].islower():
            return False
        return self.lowers[k] not in self.lex.words_after_an_amount

    def _unit_word_at(self, k: int) -> bool:
        """True when a unit of the lexicon is written out at token k ("year", "mile"), not
        a noun of an idiom ("half a step", "half a world away")."""
        return k < self.n and (self.lowers[k],) in units.unit_index()[0]

    def _skip_tolerance(self, j: int) -> int:
        """Skip "±0.01" or "+/- 1e-5" after a number: the figure is the number before."""
        k = j + (1 if self.texts[j] == "±" else 3)
        if k < self.n and self.is_digits(k):
            tolerance = Number(k, k + 1, 0.0, 0.0, 0.0, "digits")
            return max(self._read_exponent(tolerance, k + 1), k + 1)
        return j

    def _read_words(self, i: int) -> Number | None:
        lower = self.lowers[i]
        end = self.match_forward(i, self.lex.named_quantities, 3, lower=True)
        if end > i:  # "absolute zero"
            named = self.lex.named_quantities[tuple(self.lowers[i:end])]
            value = float(named["value"])
            return Number(i, end, value, value, value, "named", named=named["unit"])
        following = self.lowers[i + 1] if i + 1 < self.n else ""
        part = self._part_of_a_period(i)
        if part is not None:
            return part  # "a quarter-century", "half-century"
        if lower in FOLDS:  # "a sevenfold increase": so many times
            value = FOLDS[lower]
            return Number(i, i + 1, value, value, value, "words")
        if lower == "half" and (following == "of" or following in self.lex.half_wholes):
            return Number(i, i + 1, 0.5, 0.5, 0.5, "fraction")  # "half of which", "half the"
        if lower == "half" and following in ("a", "an") and self._unit_word_at(i + 2):
            return Number(i, i + 2, 0.5, 0.5, 0.5, "fraction")  # "half a year", "half an hour"
        halved = self._half_of_a_multiplier(i)
        if halved is not None:
            return halved  # "half a dozen", "a half-dozen"
        if lower in numbers.VAGUE_PLURALS and i + 1 < self.n and self.lowers[i + 1] == "of":
            return self._read_vague(i)
        if lower in numbers.VAGUE_PLURALS and self._quoted_before_of(i):
            vague = self._read_vague(i)  # 'to cut "hundreds" of jobs': the quotes are its own
            return dataclasses.replace(vague, first=i - 1, last=i + 2)

        noun_too = lower in self.lex.vague_nouns  # "the scores were level", "Scores died"
        if lower in numbers.VAGUE_PLURALS and (
            self._people_hurt_after(i) if noun_too else self._stands_alone(i + 1)
        ):
            return self._read_vague(i)  # "millions were forced to flee", "hundreds more"
        some = self._some_of_a_scale(i)
        if some is not None:
            return some  # "several hundred thousand pilgrims", "a few thousand votes"
        if lower in ("a", "an") and i + 1 < self.n:
            nxt = self.lowers[i + 1]
            scaled_group = self._groups_of_a_scale(i)
            if scaled_group is not None:
                return scaled_group  # "a couple of hundred people"
            if nxt in self.lex.of_only_multipliers and self.lowers[i + 2 : i + 3] != ["of"]:
                return None  # "a couple was arrested": a pair of people, no figure
            if nxt in numbers.MULTIPLIER_WORDS or (nxt in numbers.SCALE_WORDS):
                return self._spelled(i, ["one", *self.lowers[i + 1 : i + 8]])  # "a dozen"
            qualified = self.read_qualifier_before(i) is not None  # "around a quarter agreed"
            opened = self.match_backward(i, self.lex.parallel_openers, 2, lower=True) < i
            opened = opened and not self._noun_at(i + 2)  # not "to a fifth term": an ordinal
            shared = self._of_follows(i + 2) or qualified or opened  # "up from a quarter"
            shared = shared or self.lowers[i + 2 : i + 3] in (  # "by a quarter point"
                [word] for word in self.lex.points_after_a_fraction
            )
            if nxt in numbers.FRACTION_WORDS and shared:
                value = float(numbers.FRACTION_WORDS[nxt])
                return Number(i, i + 2, value, value, value, "fraction")  # "a third of"
            scale = numbers.SCALE_WORDS.get(self.lowers[i + 2]) if i + 2 < self.n else None
            if nxt in numbers.FRACTION_WORDS and scale and scale > 100:
                value = float(numbers.FRACTION_WORDS[nxt]) * scale  # "a quarter billion"
                return Number(i, i + 3, value, value, value, "words", scaled=True)
            before = self.lowers[i - 1] if i > 0 else ""
            if nxt in self.lex.one_after_a and self.near(i + 1) and before not in _NOT_ONE_BEFORE:
                return Number(i, i + 1, 1.0, 1.0, 1.0, "words")  # "a gallon of beer"
            rate_base = before in self.lex.rate_bases  # not "100 roubles to a dollar"
            money = nxt in self.lex.money_after_a and self.near(i + 1) and not rate_base
            if money and not self._noun_at(i + 2):
                return Number(i, i + 1, 1.0, 1.0, 1.0, "words")  # "it costs a dollar"
            if nxt in self.lex.periods_after_a:
                return self._a_period(i, qualified)  # "for nearly a month", "a year and a half"
            return None
        words = []
        for j in range(i, min(self.n, i + 8)):
            if not self.is_word(j) or (j > i and not self.near(j)):
                break
            words.append(self.lowers[j])
        return self._spelled(i, words) if words else None

    def _some_of_a_scale(self, i: int) -> Number | None:
        """Read "several hundred", "several hundred thousand", "a few thousand" at i as the
        span of multiples ``numbers.SOME_OF_A_SCALE`` gives the word for "some"."""
        k = i + 1 if self.lowers[i] in ("a", "an") else i  # "a few", not "few"
        if k == i + 1 and self.lowers[k : k + 1] != ["few"]:
            return None
        span = numbers.SOME_OF_A_SCALE.get(self.lowers[k]) if k < self.n else None
        if span is None or k + 1 >= self.n or self.lowers[k + 1] not in _SEVERAL_OF:
            return None
        if k == i and self.lowers[i] == "few":
            return None
        base, end = float(numbers.SCALE_WORDS.get(self.lowers[k + 1], 12)), k + 2
        if end < self.n and numbers.SCALE_WORDS.get(self.lowers[end], 0) >= 1000:
            base, end = base * numbers.SCALE_WORDS[self.lowers[end]], end + 1
        if end < self.n and self.texts[end] == "-" and self.glued(end):
            return None  # "several million-dollar homes", "several thousand-year-old tombs"
        low, high = span
        return Number(i, end, None, low * base, high * base, "vague", scaled=True)

    def _quoted_before_of(self, i: int) -> bool:
        """True for a word at i in quotes before "of": 'eliminate "hundreds" of jobs'."""
        quotes = ('"', "“", "”")
        if not (0 < i and i + 2 < self.n and self.texts[i - 1] in quotes):
            return False
        return self.texts[i + 1] in quotes and self.glued(i + 1) and self.lowers[i + 2] == "of"

    def _read_vague(self, i: int) -> Number:
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
        return Number(i, j, None, base, base * 10, "vague", scaled=True)

    def _stands_alone(self, j: int) -> bool:
        """True when a vague plural is a figure by itself, its noun left out: "hundreds
        more", "millions were forced", "thousands fled" (a verb or "more" after it), "leave
        millions without power", "the storm displaced millions." (a verb before it, and a
        preposition or a pause after)."""
        before = j - 2
        after_verb = before >= 0 and (
            concepts.is_verb(self, before) or self.lowers[before] in self.lex.casualty_words
        )
        if j >= self.n or self.texts[j] in (",", ".", ";", ":"):
            return after_verb  # "the storm displaced millions.", "killing thousands."
        if self.lowers[j] in _PLACING and after_verb:
            return True  # "the attacks leave millions without power", "displaced thousands across"
        return self.lowers[j] == "more" or concepts.is_verb(self, j)

    def _people_hurt_after(self, i: int) -> bool:
        """True when "more" or a word only people undergo follows the word at i, within two
        words, and no determiner stands before it: "Scores were killed", "scores more were
        missing"."""
        before = self.lowers[i - 1] if i > 0 else ""
        if before in self.lex.definite_determiners or before in self.lex.possessives:
            return False
        following = self.lowers[i + 1 : i + 3]
        return following[:1] == ["more"] or any(w in self.lex.people_hurt for w in following)

    def _of_follows(self, j: int) -> bool:
        return j < self.n and self.lowers[j] == "of"

    def _spelled(self, start: int, words: list[str]) -> Number | None:
        """Read a spelled number; ``words`` are the lower-case words from token ``start``."""
        parsed = numbers.parse_spelled(words)
        if parsed is None:
            return None
        value, used = parsed
        last = start + used
        scaled = any(w in numbers.SCALE_WORDS for w in words[:used])
        if "-" in words[0] and words[0].split("-")[1] in numbers.FRACTION_WORDS:
            return Number(start, last, value, value, value, "fraction")  # "two-thirds"
        if last < self.n and self.lowers[last] in numbers.FRACTION_WORDS and value < 20:
            fraction = numbers.FRACTION_WORDS[self.lowers[last]]
            if value == 1 or self.lowers[last].endswith("s"):
                value *= fraction  # "one sixth", "two thirds", "three halves"
                return Number(start, last + 1, value, value, value, "fraction")
        if self.lowers[last : last + 3] == ["and", "a", "half"]:
            value += 0.5  # "two and a half miles"
            last += 3
        return Number(start, last, value, value, value, "words", scaled=scaled)

    def _read_scale(self, number: Number) -> None:
        """Multiply by scale words after the number: "2.1 billion", "6k", "4 hundred million"."""
        while number.last < self.n:
            j = number.last
            if self.hyphen_joins(j) and self.lowers[j + 1] in _HYPHEN_SCALES:
                j += 1  # "a $5-billion package", "a 2-million-strong army"
            word = self.texts[j]
            glued = self.glued(j) and self.texts[j - 1] != "-"
            if not (glued or self.near(j)):
                return
            if word.lower() == "hundred" and not glued:
                scale = 100.0
            else:
                spaced = word.lower() in numbers.SPACED_SCALES or self._scale_before_plural(j)
                spaced = spaced or word in ("m", "M") and self._money_before(number)  # "£5 m"
                abbreviation = self.near(j) and spaced
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

    def _money_before(self, number: Number) -> bool:
        """True when a currency sign or code stands before the number ("£5 m")."""
        return self._currency_before(number.first) is not None

    def _scale_before_plural(self, j: int) -> bool:
        """True for a capital scale letter set apart before a plural noun for people: "9 B
        people", "5 M users" (not "12 B grades")."""
        if self.texts[j] not in numbers.SPACED_BEFORE_PLURAL or j + 1 >= self.n:
            return False
        following = self.texts[j + 1]
        return (
            self.near(j + 1) and following in self.lex.person_nouns and units.is_plural(following)
        )

    def _glued_scale_fits(self, number: Number, j: int) -> bool:
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
        if nxt.removesuffix("'s").removesuffix("’s") in self.lex.metre_cues:
            return False  # "the 1500m champion's time"
        if nxt == "of" and j + 2 < self.n and self.lowers[j + 2] in self.lex.million_of_cues:
            return True  # "lost 40m of its speakers"
        if nxt and self.is_word(j + 1) and units.is_plural(nxt):
            return True
        if number.first > 0 and self.lowers[number.first - 1] in self.lex.million_verbs:
            return True  # "paid 30m for the striker"
        return number.decimals or self._name_before_plural(j + 1)

    def _name_before_plural(self, k: int) -> bool:
        """True when a name at k stands before a plural within two words, a count's noun:
        "sold 10m Galaxy phones", "5m British households"."""
        if k >= self.n or not self.is_capitalized(k):
            return False
        after = self.lowers[k + 1 : k + 3]
        return any(units.is_plural(w) and w not in self.lex.metre_cues for w in after)

    def read_range(self, number: Number, nested: bool = False) -> Number:
        """Join "4,000-7,000", "4,000 to 7,000", "between 4,000 and 7,000", "$2-3 billion".

        ``nested``: ``number`` is the second figure of a range already ("to 33-35"), whose
        own second figure opens no further range ("1-1-1-1" is no chain of ranges)."""
        j = number.last
        if number.kind == "vague" and j + 1 < self.n:
            return self._vague_range(number)
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
        own_sign = self.texts[k] in single_currency_symbols()
        if own_sign:
            k += 1  # "$2 to $3 billion"
        if not (self.is_digits(k) or self.is_word(k)):
            return number
        if connector in RANGE_DASHES and not (self.near(j) and self.near(k)):
            return number
        if connector == "to" and own_sign and self._changed_to(number.first, between):
            return number  # "increased by $43.6 billion to $419.2 billion": two figures
        second = self.read_number(k)
        if second is None or second.value is None or second.first != k:
            return number
        if self.lowers[k] in ("a", "an"):
            return number  # "traded at 100 to a dollar": a rate, no range from one
        if connector == "to" and not between and self._by_before(number.first):
            if second.value > 4 * number.value:
                return number  # "dropped by 13,000 to 209,000": the change, then the level
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
        if connector == "or" and not approximate(low, second.value):
            return number
        if connector == "to" and low > second.value and self._tally(number, second):
            return number  # "passed by 141 to 5": two counts of votes, no score
        if number.four_digits and 1500 <= low <= 2200 and not second.four_digits:
            return number  # "in 2008 to 29 mpg": a year, then another figure
        if second.scaled and not number.scaled and low < second.value:
            scale = second.value / self.raw_value(second)
            if low * scale <= second.value:
                low *= scale
        return Number(
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

    def _vague_range(self, number: Number) -> Number:
        """Join "from a few hundred to a few thousand", "between several hundred and 1,000",
        "hundreds to thousands of": from the first's least to the second's most."""
        j = number.last
        between = number.first > 0 and self.lowers[number.first - 1] == "between"
        if not (self.lowers[j] == "to" or (between and self.lowers[j] == "and")):
            return number
        second = self.read_number(j + 1)
        if second is None or second.first != j + 1:
            return number
        high = second.high if second.value is None else second.value
        if high is None or number.low is None or high <= number.low:
            return number
        return Number(number.first, second.last, None, number.low, high, "vague", scaled=True)

    def read_ratio(self, number: Number) -> Number | None:
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
            following = self.texts[after + 1] if after + 1 < self.n else ""
            plural = units.is_plural(noun) or units.is_plural(following)  # "Ukrainian soldiers"
            demonym = noun[:1].isupper() and plural
            if not (demonym or self._share_noun_near(after) or noun == "of"):
                return None  # "1 in 4 of them" is a share too
        value = number.value / whole.value
        return Number(number.first, whole.last, value, value, value, "fraction", decimals=True)

    def _share_noun_near(self, k: int) -> bool:
        """True when a noun of the people or things a share is taken of stands at k, or
        after at most two lower-case words describing it: "1 in 10 teachers", "1 in 10
        public school teachers" (not "4 in 6 games")."""
        for m in range(k, min(self.n, k + 3)):
            if self.lowers[m] in self.lex.share_nouns:
                return True
            if not (self.texts[m].isalpha() and self.texts[m].islower()):
                return False
            if self.lowers[m] in self.lex.noun_stop:
                return False
        return False

    def _continues_as_range(self, number: Number) -> bool:
        """True when a dash and digits follow ``number``: it opens a range ("33-35")."""
        j = number.last
        return j + 1 < self.n and self.texts[j] in RANGE_DASHES and self.is_digits(j + 1)

    def _last_end(self, number: Number) -> Number:
        """The number that ends a range (its scale word is written once, after it)."""
        k = number.last - 1
        while k > number.first and not self.is_digits(k):
            k -= 1
        return self.read_number(k) or number

    def _money_shaped(self, number: Number) -> bool:
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
        return connector in (*RANGE_DASHES, "to", "or") or (connector == "and" and between)

    def raw_value(self, number: Number) -> float:
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
