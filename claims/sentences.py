"""Sentences and their tokens: the units that extraction reads.

A sentence keeps its character offsets in the document, and so does every token, so that
a claim always points back at the characters it was read from.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from claims import lexicon, numbers, units

_ABBREVIATIONS = lexicon.words("sentences", "abbreviations")

# Where a sentence may end: after . ! ? (and closing quotes), before a capital or a digit.
# Each branch starts with a plain character so that the scan skips ahead fast.
_sentence_break = re.compile(
    r"""(?P<mark>[.!?]["”’')\]]*)\s+(?=["“‘'(\[]?[A-Z0-9])   # end punctuation, space, capital
      | (?P<mark2>[.!?])(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])      # "million.The": a lost space
      | \n\s*                                              # a line break ends a paragraph
    """,
    re.VERBOSE,
)
_word_before_dot = re.compile(r"([^\W\d_][\w.]*)\.$").search

# Tokens of a sentence: digit runs with their separators, words, and single signs; each
# with the spaces (and "_") before it, so that findall gives offsets without match objects.
_token = re.compile(
    rf"""([\s_]*)
    (   \d+(?:[.,]\d+)*                # digit run: 6,000 / 2.1 / 6.000,5
      | {units.WORD_PATTERN}
      | [^\w\s]                         # one sign: $ % ( - /
    )""",
    re.VERBOSE,
)

# Words that may open a hyphenated number-and-unit word: "two-year", "million-year-old".
_NUMBER_PREFIXES = (
    frozenset(numbers.UNIT_WORDS) | frozenset(numbers.TENS_WORDS) | frozenset(numbers.SCALE_WORDS)
)
_NUMBER_PARTS = _NUMBER_PREFIXES | frozenset(numbers.FRACTION_WORDS)


def trie_pattern(words) -> str:
    """A regex alternation of ``words`` as a trie ("t(?:en|hree|wo)"): far faster to scan."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(tree)


# The characters other than a space that a word may follow ("(one", "“Two", "twenty-one").
_MARKS_BEFORE_WORD = re.escape("\n\t\r\xa0\u2009\u202f\"“”'‘’«»()[]/-–—…:;,.$€£*")


class WordScan:
    """Finds where the words of a set stand in a text, as ``\\b(?:words)\\b`` would, several
    times faster: a regex that opens with an alternation tests every character, so the
    scan is split into patterns that open with one plain character (a space, a mark),
    which the regex engine skips ahead to.

    >>> WordScan(["one", "two"]).starts("One or two, (one); someone")
    [7, 13]
    """

    def __init__(self, words):
        trie = trie_pattern(sorted(set(words)))
        self._after_space = re.compile(rf" (?:{trie})\b")
        self._after_mark = re.compile(rf"[{_MARKS_BEFORE_WORD}](?:{trie})\b")
        self._at_start = re.compile(rf"(?:{trie})\b").match

    def starts(self, text: str) -> list[int]:
        """The offsets where a word of the set starts in ``text``, in order."""
        found = [m.start() + 1 for m in self._after_space.finditer(text)]
        found += [m.start() + 1 for m in self._after_mark.finditer(text)]
        if self._at_start(text):
            found.append(0)
        return sorted(found)


#: The longest sentence read whole, in characters. News sentences run to a few hundred
#: (the longest of the 5,500 of the dev corpus has 640); a longer run without a sentence
#: break is a list, a table or text without full stops, and is read in pieces of at most
#: this length, so that the work a sentence costs is bounded (#14).
MAX_SENTENCE = 1500

# How far back from a dot its word is searched for: one letter more than the longest
# abbreviation ("approx."), so that a longer word is never taken for one by its end.
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS)) + 2


class SentenceSpans(NamedTuple):
    """The (start, end) offsets of a text's sentences, and how many sentences longer than
    ``MAX_SENTENCE`` were cut into pieces to be read."""

    spans: list[tuple[int, int]]
    cut: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of ``text`` (see ``sentence_spans``).

    >>> t = "Mr. Smith said 5. The U.S. sent 31 tanks."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Mr. Smith said 5.', 'The U.S. sent 31 tanks.']
    """
    return sentence_spans(text).spans


def sentence_spans(text: str) -> SentenceSpans:
    """Return the sentences of ``text``, a sentence over ``MAX_SENTENCE`` characters cut
    into pieces at spaces (see ``_pieces``), with the count of sentences cut.

    >>> sentence_spans("Up 5%. " + "1 " * 1000).cut
    1
    """
    spans: list[tuple[int, int]] = []
    cut = 0

    def add(start: int, end: int) -> None:
        nonlocal cut
        if end - start > MAX_SENTENCE:
            pieces = _pieces(text, start, end)
            cut += len(pieces) > 1
            spans.extend(pieces)
        elif text[start:end].strip():
            spans.append((start, end))

    start = 0
    for match in _sentence_break.finditer(text):
        mark = match.group("mark") or match.group("mark2")
        end = match.start() + len(mark) if mark else match.start()
        while not mark and end > start and text[end - 1].isspace():
            end -= 1  # the spaces before a line break stay out of the sentence
        if "\n" not in match.group() and mark:
            # The word before the dot, searched for near it only: from the sentence's start,
            # a long run of "Mr. Mr. ..." would be read again at each dot.
            before = _word_before_dot(text, max(start, end - _LONGEST_ABBREVIATION), end)
            if before and (before.group(1).lower() in _ABBREVIATIONS or len(before.group(1)) == 1):
                continue  # "Mr. Smith", "J. Smith": not an end
        add(start, end)
        start = match.end()
    if text[start:].strip():
        add(start, len(text.rstrip()))
    return SentenceSpans(spans, cut)


# Where a long sentence is best cut, best first: after a clause's mark ("31 tanks, | 100
# shells"), then at a space that no digit stands before (not "5 | tanks"), then at a space.
_CUTS = (
    re.compile(r"(?<=[,;:)\]])\s"),
    re.compile(r"(?<=[^\d\s])\s"),
    re.compile(r"\s"),
)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut the sentence [start, end) into pieces of at most ``MAX_SENTENCE`` characters, each
    ending at the best place of its second half (``_CUTS``), or at the limit in a run with
    no space. Blank pieces are dropped."""
    pieces = []
    while start < end:
        stop = min(end, start + MAX_SENTENCE)
        if stop < end:
            stop = _cut_at(text, start + MAX_SENTENCE // 2, stop)
        piece_end = stop
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > start:
            pieces.append((start, piece_end))
        start = stop
        while start < end and text[start].isspace():
            start += 1
    return pieces


def _cut_at(text: str, low: int, high: int) -> int:
    """The offset in text[low:high] where a long sentence is best cut, else ``high``."""
    for cut in _CUTS:
        found = [match.start() for match in cut.finditer(text, low, high)]
        if found:
            return found[-1]
    return high


def _split_number_words(word: str, start: int) -> list[tuple[str, int, int]]:
    """Split "two-year" into "two", "-", "year", and "percent-owned" after its unit; leave
    "twenty-five", "two-thirds" and lexicon words ("year-old", "pound-feet") whole."""
    end = start + len(word)
    head, sep, rest = word.partition("-")
    if not sep:
        return [(word, start, end)]
    lower = head.lower()
    if lower not in _NUMBER_PREFIXES:
        by_word = units.unit_index()[0]
        if (lower,) not in by_word or (word.lower(),) in by_word:
            return [(word, start, end)]
    elif rest.split("-")[0].lower() in _NUMBER_PARTS:
        return [(word, start, end)]
    cut = start + len(head)
    return [(head, start, cut), ("-", cut, cut + 1), (rest, cut + 1, end)]


class Tokens:
    """The tokens of one sentence, with offsets, and the tests extraction makes on them."""

    def __init__(self, text: str, start: int, end: int):
        texts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        at = start
        for gap, token in _token.findall(text, start, end):
            at += len(gap)
            if "-" in token:
                for part, first, last in _split_number_words(token, at):
                    texts.append(part)
                    starts.append(first)
                    ends.append(last)
            else:
                texts.append(token)
                starts.append(at)
                ends.append(at + len(token))
            at += len(token)
        self._hold(text, start, end, texts, starts, ends)

    def _hold(self, text: str, start: int, end: int, texts, starts, ends) -> None:
        """Keep the tokens of text[start:end] and what is derived from them."""
        self.text, self.offset, self.sentence = text, start, text[start:end]
        self.texts, self.starts, self.ends = texts, starts, ends
        self.lowers = [t.lower() for t in texts]
        self.n = len(texts)
        # Name-like words, any capital letter: "Voyager", "iPhone", "NATO" (names are read
        # from their runs, token by token).
        self.caps = [t[0].isalpha() and not t.islower() for t in texts]

    def window(self, first: int, last: int) -> Tokens:
        """The tokens [first, last) as a sentence of their own, with the same offsets in the
        text: what is read around one claim of a long sentence (``claims.context``)."""
        view = object.__new__(Tokens)
        start, end = self.starts[first], self.ends[last - 1]
        view._hold(
            self.text,
            start,
            end,
            self.texts[first:last],
            self.starts[first:last],
            self.ends[first:last],
        )
        return view

    def glued(self, j: int) -> bool:
        """True when token j touches token j-1."""
        return 0 < j < self.n and self.starts[j] == self.ends[j - 1]

    def hyphen_joins(self, k: int) -> bool:
        """True for a hyphen at token k glued to the tokens on both sides: "6-foot-5"."""
        return self.glued(k) and self.texts[k] == "-" and self.glued(k + 1)

    def near(self, j: int) -> bool:
        """True when token j follows token j-1 with at most one space between."""
        return 0 < j < self.n and self.starts[j] - self.ends[j - 1] <= 1

    def is_word(self, j: int) -> bool:
        return 0 <= j < self.n and self.texts[j][0].isalpha()

    def is_digits(self, j: int) -> bool:
        return 0 <= j < self.n and self.texts[j][0].isdecimal()

    def is_capitalized(self, j: int) -> bool:
        """True for a name-like word: "Voyager", "iPhone", "NATO" (any capital letter)."""
        return 0 <= j < self.n and self.caps[j]

    def capitalized(self) -> list[int]:
        """The indexes of the capitalized words (names are read there)."""
        return [k for k, cap in enumerate(self.caps) if cap]

    def inside(self, start: int, end: int) -> tuple[int, int]:
        """Tokens [first, last) that start at a character offset in [start, end)."""
        return bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)

    def phrase(self, first: int, last: int) -> str:
        """The text of tokens [first, last), as written."""
        return self.text[self.starts[first] : self.ends[last - 1]]

    def match_forward(self, j: int, index: dict, longest: int, lower: bool) -> int:
        """Return the end token of the longest phrase of ``index`` starting at j, else j."""
        words = self.lowers if lower else self.texts
        if j >= self.n or words[j] not in _edge_words(index, 0):
            return j  # most tokens open no phrase: one set lookup instead of a slice each
        for size in range(min(longest, self.n - j), 0, -1):
            if size > 1 and not self._tight(j + 1, j + size):
                continue
            if tuple(words[j : j + size]) in index:
                return j + size
        return j

    def match_backward(self, j: int, index: dict, longest: int, lower: bool) -> int:
        """Return the first token of the longest phrase of ``index`` ending before j, else j."""
        words = self.lowers if lower else self.texts
        if j == 0 or words[j - 1] not in _edge_words(index, -1):
            return j
        for size in range(min(longest, j), 0, -1):
            first = j - size
            if size > 1 and not self._tight(first + 1, j):
                continue
            if tuple(words[first:j]) in index:
                return first
        return j

    def _tight(self, first: int, last: int) -> bool:
        """True when tokens [first, last) each follow the one before with at most a space."""
        starts, ends = self.starts, self.ends
        return all(starts[k] - ends[k - 1] <= 1 for k in range(first, last))


# (index, edge words) per (id of index, position); holding the index keeps its id unique.
_EDGE_WORDS: dict[tuple[int, int], tuple[dict, frozenset]] = {}


def _edge_words(index: dict, position: int) -> frozenset:
    """The first (0) or last (-1) words of the phrases of ``index``, cached per index."""
    key = (id(index), position)
    if key not in _EDGE_WORDS:
        _EDGE_WORDS[key] = (index, frozenset(phrase[position] for phrase in index))
    return _EDGE_WORDS[key][1]
