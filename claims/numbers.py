"""Numerals: digits with separators, spelled numbers, fractions and scale words.

These are pure functions over strings and word lists; finding numbers in running text and
deciding whether they are claims is ``claims.extract``'s job.
"""

from __future__ import annotations

import re

from claims import lexicon

NUMBER = (int, float)
UNIT_WORDS = lexicon.mapping("numbers", "units", NUMBER)
TENS_WORDS = lexicon.mapping("numbers", "tens", NUMBER)
MULTIPLIER_WORDS = lexicon.mapping("numbers", "multipliers", NUMBER)
FRACTION_WORDS = lexicon.mapping("numbers", "fractions", NUMBER)
ORDINAL_WORDS = lexicon.words("numbers", "ordinals")
VULGAR_FRACTIONS = lexicon.mapping("numbers", "vulgar", NUMBER)
SCALE_WORDS = lexicon.mapping("scales", "words", NUMBER)
GLUED_SCALES = lexicon.mapping("scales", "glued", NUMBER, case_sensitive=True)
MONEY_ONLY_SCALES = lexicon.words("scales", "money_only")
SPACED_SCALES = lexicon.words("scales", "spaced")
SPACED_BEFORE_PLURAL = lexicon.words("scales", "spaced_before_plural", case_sensitive=True)
CODE_PREFIXES = lexicon.mapping("scales", "code_prefixes", NUMBER, case_sensitive=True)
VAGUE_PLURALS = lexicon.mapping("scales", "vague", NUMBER)
SOME_OF_A_SCALE = lexicon.mapping("scales", "some_of_a_scale", list)


_english_grouped = re.compile(
    r"""^\d{1,3}(?:,\d{3})+(?:\.\d+)?$   # 6,000 / 1,500,000.25
    """,
    re.VERBOSE,
).match
_plain = re.compile(
    r"""^(?:\d+(?:\.\d+)?|\.\d+)$        # 6000 / 2.1 / .5
    """,
    re.VERBOSE,
).match
_european_grouped = re.compile(
    r"""^\d{1,3}(?:\.\d{3})+,\d+$        # 6.000,5: dots group thousands, the comma is decimal
    """,
    re.VERBOSE,
).match


def year(text: str, earliest: int = 1500) -> int | None:
    """The year a four-digit token names ("2022"), or None."""
    if len(text) == 4 and text.isdecimal() and earliest <= int(text) <= 2200:
        return int(text)
    return None


#: The most digits a figure is written with: a longer run is a code, a hash or noise
#: ("a run of 400 digits"), and would not fit a float (#14).
MAX_DIGITS = 24

#: The largest value a figure may reach with its scale words ("5 million million" is 5e12):
#: past it, the words are no scale of a figure a newspaper prints (#14).
LARGEST = 1e30


def parse_digits(text: str) -> float | None:
    """Return the value of a digit string, or None when its separators are ambiguous or it
    is longer than any figure (``MAX_DIGITS``).

    >>> parse_digits("6,000"), parse_digits("2.1"), parse_digits(".5"), parse_digits("6.000,5")
    (6000.0, 2.1, 0.5, 6000.5)
    >>> parse_digits("1,5") is None   # a list or a decimal comma: unsure, so no number
    True
    >>> parse_digits("7" * 400) is None
    True
    """
    if len(text) > MAX_DIGITS * 4 // 3 + 1:  # digits and their group separators
        return None
    if _plain(text):
        return float(text)
    if _english_grouped(text):
        return float(text.replace(",", ""))
    if _european_grouped(text):
        return float(text.replace(".", "").replace(",", "."))
    return None


_decimal_comma = re.compile(
    r"""^\d+,\d{1,2}$                   # 1,5 / 12,75: a comma that cannot group thousands
    """,
    re.VERBOSE,
).match


def parse_decimal_comma(text: str) -> float | None:
    """Return the value of "1,5" read with a decimal comma, or None for other forms.

    Only for a caller that knows a unit follows ("1,5 km"): alone, "1,5" may be a list.

    >>> parse_decimal_comma("1,5"), parse_decimal_comma("6,000")
    (1.5, None)
    """
    return float(text.replace(",", ".")) if _decimal_comma(text) else None


def parse_spelled(words: list[str]) -> tuple[float, int] | None:
    """Return (value, words used) for the spelled number at the start of ``words``.

    Reads the longest prefix that forms one number; ``words`` are lower-case tokens.

    >>> parse_spelled(["one", "million", "rounds"])
    (1000000.0, 2)
    >>> parse_spelled(["one", "hundred", "and", "twenty", "people"])
    (120.0, 4)
    >>> parse_spelled(["twenty-five"])
    (25.0, 1)
    >>> parse_spelled(["three", "dozen"])
    (36.0, 2)
    >>> parse_spelled(["half", "a", "million"])
    (500000.0, 3)
    >>> parse_spelled(["two-thirds"])[0] == 2 / 3
    True
    >>> parse_spelled(["rounds"]) is None
    True
    """
    if not words:
        return None
    first = words[0]
    # "half a million", "a quarter of a million" (the fraction scales what follows)
    if first in FRACTION_WORDS and len(words) >= 3 and words[1] == "a":
        scale = SCALE_WORDS.get(words[2])
        if scale and scale >= 1000:
            return float(FRACTION_WORDS[first] * scale), 3
    # "two-thirds", "three-quarters"
    if "-" in first:
        head, _, tail = first.partition("-")
        if head in UNIT_WORDS and tail in FRACTION_WORDS:
            return float(UNIT_WORDS[head] * FRACTION_WORDS[tail]), 1
    total = 0.0  # completed groups ("two million" once "three hundred" follows)
    group = 0.0  # the group being read
    used = 0
    seen_number = False
    i = 0
    while i < len(words):
        word = words[i]
        value = _small_number(word)
        if value is not None:
            if seen_number and group % 100 != 0 and not _follows_tens(words[i - 1], value):
                break  # "two three": two numbers, not one
            group += value
            seen_number = True
        elif word in MULTIPLIER_WORDS and seen_number:
            group = (group or 1) * MULTIPLIER_WORDS[word]
        elif word in SCALE_WORDS and word != "hundred" and seen_number:
            total += (group or 1) * SCALE_WORDS[word]
            group = 0.0
        elif word == "and" and seen_number and i + 1 < len(words) and _small_number(words[i + 1]):
            i += 1
            continue
        else:
            break
        i += 1
        used = i
    if not seen_number:
        return None
    return total + group, used


def _small_number(word: str) -> float | None:
    """Value of one spelled word below a hundred ("seven", "forty", "twenty-five")."""
    if word in UNIT_WORDS:
        return float(UNIT_WORDS[word])
    if word in TENS_WORDS:
        return float(TENS_WORDS[word])
    if "-" in word:
        tens, _, unit = word.partition("-")
        if tens in TENS_WORDS and unit in UNIT_WORDS and 0 < UNIT_WORDS[unit] < 10:
            return float(TENS_WORDS[tens] + UNIT_WORDS[unit])
    return None


def _follows_tens(previous: str, value: float) -> bool:
    """True for "twenty five" written without its hyphen."""
    return previous in TENS_WORDS and 0 < value < 10


def scale_of(word: str, glued: bool) -> float | None:
    """Return the multiplier of a scale word ("billion", or "bn"/"k" when ``glued``)."""
    lower = word.lower()
    if lower in SCALE_WORDS and lower != "hundred":
        return float(SCALE_WORDS[lower])
    if glued and word in GLUED_SCALES:
        return float(GLUED_SCALES[word])
    return None
