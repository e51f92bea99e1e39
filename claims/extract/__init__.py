"""Extraction: sentences -> numbers -> units -> vetoes -> Claims.

The text is split into sentences; only sentences with a digit or a number word are
tokenized. Each number is then read outwards, one stage a module:

- ``numbers``: the number as written, with its scale word and a range partner to its right;
- ``units``: a currency sign to its left, or the unit after it (percent, money, a physical
  unit, the counted noun) and a rate ("daily", "per day");
- ``vetoes``: the named rules that drop a number that is no claim (dates, years, times,
  codes, names, ages, calibres);
- ``qualifiers``: "about", "up to", "or more", and the change a figure states;
- ``assembly``: ranges joined across units, and the Claim, naming the rule that read it.

Every word list lives in ``claims/lexicon`` and reaches the rules as one ``Lexicon``
handed to an ``Extractor``; ``extract()`` is the one-call API over a default one.
"""

from __future__ import annotations

import datetime
import functools
import re
import time
from pathlib import Path
from typing import NamedTuple

from claims import context
from claims.errors import ExtractionTimeout
from claims.extract.assembly import Reader, inside_quotes
from claims.extract.lexicon import Lexicon
from claims.extract.readings import Step
from claims.model import Claim
from claims.sentences import sentence_spans

__all__ = [
    "EXTRACTOR_VERSION",
    "DocumentClaims",
    "Extractor",
    "Lexicon",
    "Step",
    "explain",
    "extract",
    "extract_document",
]

EXTRACTOR_VERSION = "0.81.0"

_find_digits = re.compile(r"\d+").finditer  # alone: a pattern that opens with \d is fastest
_find_fractions = re.compile(r"[½⅓⅔¼¾]").finditer
# Every phone pattern holds "+", "(", a dash between digits or a leading 0 before a space:
# test that first, it is cheap.
_may_hold_phone = re.compile(r"[+(]\s?\d|\d-\d|\b0\d{2,4} \d").search


class DocumentClaims(NamedTuple):
    """The claims of a document, how many of its sentences were too long to be read whole
    and were read in pieces (``claims.sentences.MAX_SENTENCE``), and the processor seconds
    their extraction took."""

    claims: list[Claim]
    cut_sentences: int = 0
    seconds: float = 0.0


class Extractor:
    """Reads claims with the rules of one lexicon.

    >>> Extractor().extract("Ukraine fired up to 6,000 rounds daily.")[0].unit
    'round / day'
    """

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon if lexicon is not None else Lexicon.load()

    def extract(self, text: str, published: str | None = None) -> list[Claim]:
        """The claims of ``text`` (see ``claims.extract.extract``)."""
        return self.extract_document(text, published).claims

    def extract_document(
        self, text: str, published: str | None = None, seconds: float | None = None
    ) -> DocumentClaims:
        """The claims of ``text`` with the count of its sentences cut into pieces (see
        ``claims.extract.extract_document``)."""
        published = publication_date(published)
        began = time.thread_time()
        deadline = None if seconds is None else began + seconds
        found: list[Claim] = []
        readers: dict[int, Reader] = {}
        candidates = self._candidates(text)
        sentences, cut = sentence_spans(text) if candidates else ([], 0)
        for reader in self._readers(text, candidates, sentences, deadline, seconds):
            read = reader.claims(published)
            if read:  # kept for the context of its claims; no other, so that memory stays
                # small (``annotate`` tokenizes again a sentence without claims that
                # names a speaker)
                readers[reader.offset] = reader
                found.extend(read)
        if not found:
            return DocumentClaims(found, cut, time.thread_time() - began)
        try:
            annotated = context.annotate(text, found, published, sentences, readers, deadline)
        except ExtractionTimeout:
            raise ExtractionTimeout(seconds) from None
        return DocumentClaims(annotated, cut, time.thread_time() - began)

    def explain(self, text: str, published: str | None = None) -> list[Step]:
        """Each figure of ``text`` in order, with the rule that read it as a claim or the
        veto that dropped it."""
        published = publication_date(published)
        steps: list[Step] = []
        candidates = self._candidates(text)
        sentences, _ = sentence_spans(text) if candidates else ([], 0)
        for reader in self._readers(text, candidates, sentences, None, None, explain=True):
            reader.claims(published)
            steps.extend(reader.steps or [])
        return steps

    def _readers(self, text, candidates, sentences, deadline, seconds, explain=False):
        """A reader for each sentence where a number may stand (``candidates``), in order."""
        k = 0
        quoted, read_to = False, 0
        for start, end in sentences:
            if deadline is not None and time.thread_time() > deadline:
                raise ExtractionTimeout(seconds)
            quoted = inside_quotes(text[read_to:start], quoted)
            read_to = start
            while k < len(candidates) and candidates[k] < start:
                k += 1
            if k < len(candidates) and candidates[k] < end:
                phones = (
                    [m.span() for m in self.lexicon.phones.finditer(text, start, end)]
                    if _may_hold_phone(text, start, end)
                    else ()
                )
                yield Reader(self.lexicon, text, start, end, quoted, phones, explain)

    def _candidates(self, text: str) -> list[int]:
        """The offsets where a number may start in ``text``, in order: a digit, a fraction
        sign, or a spelled-number word (lower-case or capitalized)."""
        digits = [m.start() for m in _find_digits(text)]
        fractions = [m.start() for m in _find_fractions(text)]
        return sorted(digits + fractions + self.lexicon.number_words.starts(text))


def publication_date(published) -> str | None:
    """The ISO date claims hold at, from what a caller gives: None, a date or datetime, or
    an ISO string with or without its time ("2022-04-20T15:00:00Z" -> "2022-04-20").

    >>> publication_date("2022-04-20T15:00:00Z"), publication_date(None)
    ('2022-04-20', None)
    """
    if published is None or published == "":
        return None
    if isinstance(published, datetime.date):
        return published.isoformat()[:10]
    text = str(published).strip()
    try:
        return datetime.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ValueError(f"published: {published!r} is no ISO date (YYYY-MM-DD)") from None


@functools.cache
def default_extractor(folder: Path | None = None) -> Extractor:
    """The extractor of a lexicon folder (``claims/lexicon`` by default), built once."""
    return Extractor(Lexicon.load(folder))


def extract(text: str, published: str | None = None) -> list[Claim]:
    """Return the quantitative claims of ``text``, in text order.

    :param text: the article or sentence
    :param published: the publication date (ISO ``YYYY-MM-DD``, a timestamp, or a date);
        claims hold at that date unless the text says otherwise. None leaves the period
        empty: today's date is never read.
    :raises ValueError: ``published`` is no date

    >>> [(c.text, c.value, c.unit) for c in extract("The EU will ship one million rounds.")]
    [('one million rounds', 1000000.0, 'round')]
    """
    return default_extractor().extract(text, published)


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
    return default_extractor().extract_document(text, published, seconds)


def explain(text: str, published: str | None = None) -> list[Step]:
    """Each figure of ``text`` with the rule that read it or the veto that dropped it.

    >>> [(s.text, s.outcome, s.rule) for s in explain("In 2022 it fired 6,000 shells.")]
    [('2022', 'dropped', 'year'), ('6,000 shells', 'claim', 'digits:count:counted_noun')]
    """
    return default_extractor().explain(text, published)
