"""Cross-reference claims: the same figure repeated, figures that agree or conflict, and
claims checked against reference figures.

Two claims are compared only within one frame (``claims.frames``): the same measure (the
unit's family, and for money, percent and other units that do not say what they count,
what is measured), the same subject and place, the same kind of figure (a level, a
change, a new tranche, losses, a rate), and periods that meet within ``SAME_TIME_DAYS``:

- ``repeats``: the same stated figure ("over 100,000" and "an estimated 100,000"),
  published within ``REPEAT_WITHIN_DAYS``, in the same sentence or of frames that fit (a
  field unknown on one side allowed); the first published is the origin, kept in
  ``first_seen``, and each repeat is linked to it and to the nearest earlier ones;
- ``agrees``: the intervals the claims assert overlap ("up to 6,000" and 5,000), or lie
  within ``tolerance`` of each other, a field unknown on one side allowed;
- ``conflicts``: further apart, with every frame field known on both sides and the same:
  an unknown place or kind is no match for a conflict. Vague figures ("thousands"), small
  counts, and a figure against an open bound it lies inside ("more than 100,000") never
  conflict.

Each link says why: the frame fields both share (``measure``, ``subject``, ``place``,
``figure_kind``; NULL where one side does not say), the days between their periods, and
the two intervals.

Reference figures (``references``, from CSV: ``claims refs import``, or the Kiel tracker)
have frames too; a claim of a level is checked against the latest reference of its frame
dated on or before the time it holds for, no more than ``REFERENCE_LAG_DAYS`` before. A
tranche is never checked against a running total. A reference of the total committed up
to a date (the Kiel tracker's weapons) checks the figures before that date: one of them
above it is overstated, one within it is ``within``.
Word lists: lexicon/xref.yaml, lexicon/frames.yaml.
"""

from __future__ import annotations

import bisect
import datetime
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import NamedTuple

from sqlite_utils import Database

from claims import lexicon, places
from claims.defaults import TOLERANCE
from claims.frames import Frame, frame_of, giving
from claims.units import singular

#: The claims checked against references: what was said to be so, not pledged or planned.
CHECKED_MODALITIES = ("reported", "estimate")

#: A claim is checked against a reference dated at most this long before it holds.
REFERENCE_LAG_DAYS = 62

#: Periods further apart than this are not the same time: figures a week apart are a
#: series (a build-up grows), not two figures of one moment that agree or conflict.
SAME_TIME_DAYS = 7

#: The same figure published this far apart is still a repeat: a number travels for weeks.
REPEAT_WITHIN_DAYS = 31

#: A repeated figure is linked to its origin and to at most this many earlier documents in
#: all that gave it: every pair of a figure in 50 documents would be 1,225 links.
REPEAT_LINKS = 8

#: Counts below this are not compared: "two leaders", "one of the countries" say no figure
#: a fact-checker would check.
SMALLEST_COUNT = 10

#: A figure is compared with at most this many others of its measure near it in time.
LARGEST_GROUP = 400

#: What a statement of a figure says of the world: what is, or what will or would be.
#: Figures of different moods are not compared ("will send 5,000" against "has 3,000").
_MOODS = {"reported": "is", "estimate": "is", "pledge": "will", "plan": "will",
          "forecast": "will", "hypothetical": "would"}  # fmt: skip

_NOUNS = lexicon.mapping("xref", "nouns")
_CONCEPT_WORDS = lexicon.mapping("xref", "concept_words")
_CONCEPT_STOP = lexicon.words("xref", "concept_stop") | lexicon.words("nouns", "stop")
_WORD = re.compile(r"[A-Za-z][A-Za-z.'’-]*")
#: Dimensions whose unit is the thing counted: their measure needs no concept words.
_COUNTED = frozenset(("count",))
_NOT_COMPARED = frozenset(("number", "age"))
#: Counted nouns that do not say what is measured: their measure takes the concept's words.
_GENERIC = lexicon.words("frames", "generic_nouns")


def unit_family(unit: str, dimension: str, base_unit: str) -> str:
    """What a unit measures, for comparing: a counted noun after its synonyms, a rate with
    its period, a currency, percent, or a physical base unit.

    >>> unit_family("shell", "count", "shell"), unit_family("mile", "length", "meter")
    ('round', 'meter')
    >>> unit_family("soldier / day", "rate", "soldier / day")
    'troop / day'
    """
    if not unit:
        return ""
    if dimension in ("currency", "percent"):
        return unit
    if dimension == "count" or dimension == "rate" or "/" in unit:
        noun, slash, period = (base_unit or unit).partition(" / ")
        noun = _NOUNS.get(noun, _NOUNS.get(singular(noun), noun))
        return f"{noun}{slash}{period}"
    return base_unit or unit


def concept_words(concept: str | None, subject: str | None = None) -> str:
    """The content words of a concept's first phrase, after their synonyms, sorted; the
    subject's words are left out ("military aid, Germany" -> "aid military").

    >>> concept_words("military assistance to Ukraine, Germany", "Germany")
    'aid military'
    """
    if not concept:
        return ""
    first = concept.split(",")[0]
    skip = {w.lower() for w in _WORD.findall(subject or "")}
    if first.strip().lower() == (subject or "").strip().lower():
        skip = set()  # the subject is what is measured: "the front line stretches 40 miles"
    words = set()
    for word in _WORD.findall(first):
        lower = word.lower().removesuffix("'s").removesuffix("’s")
        if lower in skip or lower in _CONCEPT_STOP or places.lookup(lower):
            continue
        base = singular(lower)
        words.add(_CONCEPT_WORDS.get(base, base))
    return " ".join(sorted(words)[:5])


def claim_frame(
    unit: str,
    dimension: str,
    base_unit: str,
    subject: str | None,
    concept: str | None,
    unit_text: str = "",
    *,
    place: str | None = None,
    change: str | None = None,
    before: str = "",
    after: str = "",
    start: str | None = None,
    end: str | None = None,
) -> Frame | None:
    """The frame of a claim (``claims.frames``), or None when there is nothing to compare it
    by: a bare number of nothing, an age, "$2 billion" or "5%" of what the text does not
    say. ``before`` and ``after`` are its sentence on either side of the figure.

    >>> claim_frame("soldier", "count", "soldier", None, None, "Russian soldiers",
    ...             place="Belarus").key("count")
    'count|troop|Russia|Belarus|level'
    >>> claim_frame("EUR", "currency", "EUR", "Germany", "military aid, Germany").measure
    'EUR aid:military'
    >>> print(claim_frame("USD", "currency", "USD", "Germany", None))
    None
    """
    if dimension in _NOT_COMPARED:
        words = "" if unit else concept_words(concept, subject)
        family = ""
    else:
        family = unit_family(unit, dimension, base_unit)
        counted = dimension in _COUNTED or (dimension == "rate" and not _is_money(family))
        words = "" if counted else concept_words(concept, subject)
        if family in _GENERIC:  # "43 million Ukrainians" of what?
            words = concept_words(concept, subject)
            if not words:
                return None
    if not family and not words:
        return None
    frame = frame_of(
        measure=family, dimension=dimension, subject=subject, place=place, concept=concept,
        change=change, before=before, after=after, start=start, end=end, fallback=words,
        owner=places.owner_in(unit_text),
    )  # fmt: skip
    if frame.measure == family and not (dimension in _COUNTED or dimension == "rate"):
        return None  # money, percent, a length of what?
    return frame


def quantity_key(
    unit: str,
    dimension: str,
    base_unit: str,
    subject: str | None,
    concept: str | None,
    unit_text: str = "",
    kind: str | None = None,
) -> str | None:
    """The key of a quantity given without its sentence (a reference figure): its frame as
    a string, ``kind`` in place of the one its words give.

    >>> quantity_key("EUR", "currency", "EUR", "Germany", "military aid", kind="level")
    'currency|EUR aid:military|Germany||level'
    """
    frame = claim_frame(unit, dimension, base_unit, subject, concept, unit_text)
    if frame is None:
        return None
    return (frame if kind is None else replace(frame, kind=kind)).key(dimension)


def _is_money(family: str) -> bool:
    return family[:3].isupper() and family[:3].isalpha()


@dataclass(frozen=True)
class Figure:
    """A claim as xref compares it: its frame, the interval it asserts in base units, when
    it was published, and its mood (what is, will or would be)."""

    id: str
    document: str
    frame: Frame
    dimension: str
    qualifier: str
    low: float
    high: float
    point: float | None
    published: str = ""
    mood: str = "is"
    sentence: int = 0  # a hash of the sentence and the figure's place in it: a copy
    scale: float = 1.0  # base units in one of the claim's units: figures are shown in theirs

    @property
    def middle(self) -> float:
        """The figure stated: the point, the bound of "up to"/"more than", a range's middle."""
        if self.point is not None:
            return self.point
        if self.qualifier in ("<", "<="):
            return self.high
        if self.qualifier in (">", ">=") or math.isinf(self.high):
            return self.low
        return (self.low + self.high) / 2

    @cached_property
    def stated(self) -> tuple[float, ...]:
        """The number as written, whatever its qualifier: "over 100,000", "an estimated
        100,000" and "100,000" state one figure; a range states two."""
        if self.qualifier == "range" and self.point is None:
            return (round(self.low, 6), round(self.high, 6))
        return (round(self.middle, 6),)

    @property
    def group(self) -> str:
        """The dimension and measure without its aspect: the figures that may be compared."""
        return f"{self.dimension}|{self.frame.measure.partition(':')[0]}"


def interval(
    value: float | None, low: float | None, high: float | None, qualifier: str
) -> tuple[float, float] | None:
    """The interval a claim asserts: "up to 6,000" is [0, 6000], "more than 5" [5, inf),
    "between 4 and 7" [4, 7], "about 5" and "5" are [5, 5].

    >>> interval(6000, None, 6000, "<="), interval(5, 5, None, ">"), interval(None, 4, 7, "range")
    ((0.0, 6000.0), (5.0, inf), (4.0, 7.0))
    """
    if qualifier in ("<", "<="):
        top = high if high is not None else value
        return None if top is None else (min(0.0, top), float(top))
    if qualifier in (">", ">="):
        bottom = low if low is not None else value
        return None if bottom is None else (float(bottom), math.inf)
    if value is not None:
        return float(value), float(value)
    if low is not None and high is not None:
        return float(min(low, high)), float(max(low, high))
    return None


def relation(a: Figure, b: Figure, tolerance: float = TOLERANCE) -> tuple[str, float | None]:
    """How figure ``b`` stands to ``a`` of the same quantity, by their figures alone:
    ("repeats", 1.0), ("agrees", ratio) or ("conflicts", ratio), the ratio being b's
    middle over a's.

    >>> rate = Frame("round / day", "Ukraine", "", "rate", "2023-09-28")
    >>> up_to = Figure("a", "d1", rate, "rate", "<=", 0.0, 6000.0, None)
    >>> relation(up_to, Figure("b", "d2", rate, "rate", "=", 5000.0, 5000.0, 5000.0))[0]
    'agrees'
    >>> relation(up_to, Figure("c", "d3", rate, "rate", "=", 9000.0, 9000.0, 9000.0))[0]
    'conflicts'
    """
    if a.qualifier == b.qualifier and (a.low, a.high) == (b.low, b.high):
        return "repeats", 1.0
    ratio = b.middle / a.middle if a.middle else None
    if max(a.low, b.low) <= min(a.high, b.high):
        return "agrees", ratio
    gap = max(a.low, b.low) - min(a.high, b.high)
    scale = max(abs(min(a.high, b.high)), abs(max(a.low, b.low)))
    return ("agrees" if gap <= tolerance * scale else "conflicts"), ratio


def verdict(claimed: float, reference: float, tolerance: float = TOLERANCE) -> tuple[str, float]:
    """Whether a claimed figure is consistent with a reference figure, over or under it.

    >>> verdict(105, 100), verdict(150, 100), verdict(50, 100)
    (('consistent', 1.05), ('overstated', 1.5), ('understated', 0.5))
    """
    ratio = claimed / reference if reference else math.inf
    if abs(ratio - 1) <= tolerance:
        return "consistent", ratio
    return ("overstated" if ratio > 1 else "understated"), ratio


@dataclass(frozen=True)
class XrefSummary:
    """What ``xref`` wrote: claims keyed, links by relation, reference checks by verdict."""

    keyed: int
    links: dict[str, int]
    checks: dict[str, int]


def xref(db: Database, tolerance: float = TOLERANCE) -> XrefSummary:
    """Rebuild the frames of the claims of ``db`` (``quantity_key``, ``measure``,
    ``figure_kind``), ``claim_links`` and ``reference_checks``, in one transaction."""
    with db.conn:
        keyed = _frame_claims(db)
        _frame_references(db)
        db.execute("delete from claim_links")
        db.execute("delete from reference_checks")
        links: dict[str, int] = defaultdict(int)
        insert = (
            f"insert into claim_links ({', '.join(LINK_COLUMNS)}) "
            f"values ({', '.join('?' for _ in LINK_COLUMNS)})"
        )
        rows = []
        for link in _links(_figures(db), tolerance):
            links[link["relation"]] += 1
            rows.append(tuple(link[column] for column in LINK_COLUMNS))
            if len(rows) >= 5000:
                db.conn.executemany(insert, rows)
                rows = []
        db.conn.executemany(insert, rows)
        checks: dict[str, int] = defaultdict(int)
        check_rows = list(_checks(db, tolerance))
        for check in check_rows:
            checks[check["verdict"]] += 1
        db["reference_checks"].insert_all(check_rows)
    return XrefSummary(keyed, dict(links), dict(checks))


_FRAME_SQL = """
    select id, unit, dimension, base_unit, subject, concept, unit_text, place, change,
      sentence, start - sentence_start, "end" - sentence_start, period_start, period_end,
      quantity_key, measure, figure_kind, text, value_text
    from claims
"""


def _frame_claims(db: Database) -> int:
    """Write each claim's frame; return how many claims have one."""
    changed = []
    keyed = 0
    for row in db.execute(_FRAME_SQL):
        cid, unit, dimension, base, subject, concept, unit_text, place, change = row[:9]
        sentence, first, last, start, end, old_key, old_measure, old_kind, text, value = row[9:]
        before, after = around_figure(sentence or "", first or 0, last or 0, text, value)
        frame = claim_frame(
            unit or "", dimension or "", base or "", subject, concept, unit_text or "",
            place=place, change=change, before=before, after=after, start=start, end=end,
        )  # fmt: skip
        new = (frame.key(dimension), frame.measure, frame.kind or None) if frame else (None,) * 3
        keyed += frame is not None
        # Only the frames that changed are written: a build that changed nothing writes nothing.
        if new != (old_key, old_measure, old_kind):
            changed.append((*new, cid))
    db.conn.executemany(
        "update claims set quantity_key = ?, measure = ?, figure_kind = ? where id = ?", changed
    )
    return keyed


def _frame_references(db: Database) -> None:
    """Write each reference figure's frame again, as today's code reads it: a database
    whose references were keyed by an older claims meets today's claims."""
    rows = db.execute(
        'select id, unit, dimension, subject, concept, figure_kind, quantity_key from "references"'
    ).fetchall()
    changed = []
    for rid, unit, dimension, subject, concept, kind, old in rows:
        key = quantity_key(unit or "", dimension or "", unit or "", subject, concept,
                           kind=kind or "level")  # fmt: skip
        if key != old:
            changed.append((key, kind or "level", rid))
    db.conn.executemany(
        'update "references" set quantity_key = ?, figure_kind = ? where id = ?', changed
    )


def _figures(db: Database) -> Iterator[Figure]:
    """The claims to link, as figures; a claim of no frame (a bare number, a duration of
    no concept) is a figure of the dimension ``unframed``, linked only to the same figure
    in the same sentence of another document."""
    sql = """
        select claims.id, claims.document_id, claims.quantity_key, claims.qualifier,
          claims.value, claims.low, claims.high, claims.base_value, claims.published,
          claims.period_start, claims.period_end, claims.modality, claims.sentence,
          claims.dimension, claims.unit, claims.start - claims.sentence_start
        from claims
        where claims.rule not like 'vague:%'
    """
    for row in db.execute(sql):
        cid, doc, key, qualifier, value, low, high, base, published, start, end = row[:11]
        if key is None:
            frame, dimension = Frame(f"{row[13]} {row[14] or ''}".strip()), UNFRAMED
        else:
            frame, dimension = frame_from_key(key, start, end), key.split("|", 1)[0]
        figure = make_figure(
            cid, doc, frame, dimension, qualifier, value, low, high, base, published or "",
            row[11], row[12], row[15] or 0,
        )  # fmt: skip
        if figure is not None and not _trivial(figure):
            yield figure


#: The dimension of a figure of no frame: it repeats only in the same sentence.
UNFRAMED = "unframed"


def frame_from_key(key: str, start: str | None = None, end: str | None = None) -> Frame:
    """The frame a ``quantity_key`` was made of (see ``Frame.key``)."""
    _, measure, subject, place, kind = key.split("|")
    return Frame(measure, subject, place, kind, start, end)


def make_figure(
    cid: str,
    document: str,
    frame: Frame,
    dimension: str,
    qualifier: str,
    value: float | None,
    low: float | None,
    high: float | None,
    base_value: float | None,
    published: str = "",
    modality: str | None = None,
    sentence: str | None = None,
    at: int = 0,
) -> Figure | None:
    """A claim's ``Figure``: its interval in base units (through its own base_value, so
    that pint is not called again), or None when it asserts no interval. ``at`` is where
    the figure starts in its sentence: the same figure at the same place of the same
    sentence is a copy."""
    span = interval(value, low, high, qualifier)
    if span is None:
        return None
    factor = base_value / value if base_value is not None and value else 1.0
    point = value * factor if value is not None and qualifier in ("=", "~") else None
    return Figure(
        cid, document, frame, dimension, qualifier, span[0] * factor, span[1] * factor, point,
        published, _MOODS.get(modality or "reported", "is"), _copy_hash(sentence or "", at),
        factor or 1.0,
    )  # fmt: skip


def _copy_hash(sentence: str, at: int) -> int:
    """What two copies of one figure share: their sentence and the words before them in
    it, spaced alike; 0 for no sentence."""
    if not sentence.strip():
        return 0
    return hash((" ".join(sentence.split()), " ".join(sentence[: max(at, 0)].split())))


def _trivial(figure: Figure) -> bool:
    """A small count ("two leaders"): nothing to cross-check."""
    finite = [abs(bound) for bound in (figure.low, figure.high) if not math.isinf(bound)]
    return figure.dimension == "count" and max(finite, default=0) < SMALLEST_COUNT


def _links(figures: Iterator[Figure], tolerance: float) -> Iterator[dict]:
    groups: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures:
        groups[figure.group].append(figure)
    for group in groups.values():
        if len({f.document for f in group}) > 1:
            yield from _repeats(group)
            yield from _comparisons(group, tolerance)


def _repeats(group: list[Figure]) -> Iterator[dict]:
    """Each figure stated again in another document, of a frame that fits, linked to the
    earlier documents that stated it (the nearest ``REPEAT_LINKS``, and always the first:
    its origin, kept in ``first_seen``)."""
    by_figure: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in sorted(group, key=lambda f: (f.published or "9999", f.id)):
        by_figure[figure.stated].append(figure)
    for same in by_figure.values():
        days = [_day(f.published) if f.published else _UNDATED for f in same]
        for k, later in enumerate(same):
            first = k - LARGEST_GROUP
            if later.published:  # only those published within REPEAT_WITHIN_DAYS before
                first = max(first, bisect.bisect_left(days, days[k] - REPEAT_WITHIN_DAYS, 0, k))
            earlier: dict[str, Figure] = {}  # document -> its first figure that fits
            for other in same[max(0, first) : k]:
                if other.document in earlier or other.document == later.document:
                    continue
                if judge(other, later) is not None:
                    earlier[other.document] = other
            if not earlier:
                continue
            found = list(earlier.values())
            origin = found[0]
            for other in [origin, *found[max(1, len(found) - REPEAT_LINKS + 1) :]]:
                yield _link(other, later, "repeats", 1.0, origin.id)


def _comparisons(group: list[Figure], tolerance: float) -> Iterator[dict]:
    """Figures of one measure whose periods meet: agreements (frames that fit) and
    conflicts (frames known and the same on both sides). A figure stated again in the same
    frame within SAME_TIME_DAYS is not compared again: its repeat links it, and 50 copies
    of 190,000 against 30 of 150,000 are one conflict, not 1,500."""
    timed = sorted((f for f in group if f.frame.start), key=lambda f: (f.frame.start, f.id))
    timed = _first_of_each(timed)
    for k, a in enumerate(timed):
        last = _day(a.frame.end or a.frame.start)
        for b in timed[k + 1 : k + 1 + LARGEST_GROUP]:
            if _day(b.frame.start) - last > SAME_TIME_DAYS:
                break
            if a.document == b.document or a.stated == b.stated:
                continue  # the same figure is a repeat or nothing
            first, second = (a, b) if (a.published, a.id) <= (b.published, b.id) else (b, a)
            judged = judge(first, second, tolerance)
            if judged is not None:
                yield _link(first, second, *judged, None)


def _first_of_each(timed: list[Figure]) -> list[Figure]:
    """The figures (in time order) that are not the same figure of the same frame as one
    kept within SAME_TIME_DAYS before them."""
    kept: list[Figure] = []
    last: dict[tuple, int] = {}
    for figure in timed:
        same = (figure.stated, figure.frame.key(figure.dimension), figure.mood)
        day = _day(figure.frame.start)
        if same in last and day - last[same] <= SAME_TIME_DAYS:
            continue
        last[same] = day
        kept.append(figure)
    return kept


def fits(a: Frame, b: Frame) -> bool:
    """True when two frames may be of one quantity: each field the same, or unknown on one
    side ("border" fits "border of Ukraine"; "aid" fits "aid:military").

    >>> fits(Frame("troop", "Russia", "border"), Frame("troop", "", "border of Ukraine"))
    True
    >>> fits(Frame("troop", "Russia", "Belarus"), Frame("troop", "Russia", "border"))
    False
    """
    return (
        _fits(a.measure, b.measure, ":")
        and (_fits(a.subject, b.subject) or not (_named(a.subject) and _named(b.subject)))
        and _fits(a.place, b.place, " of ")
        and _fits(a.kind, b.kind)
    )


def _named(subject: str) -> bool:
    """True for a subject the gazetteer knows: only two of those can say two figures are
    of different owners ("Republican-controlled House" and the United States may not)."""
    return places.lookup(subject) is not None


def _fits(a: str, b: str, part: str = "") -> bool:
    if not a or not b or a == b:
        return True
    return bool(part) and (b.startswith(a + part) or a.startswith(b + part))


def same_frame(a: Frame, b: Frame) -> bool:
    """True when two frames are known and the same: the only figures that can conflict. A
    place unknown on one side and known on the other is no match, nor a place of no owner
    ("the border"); no place on either side is one scope for a level or a rate (Germany's
    aid in all), not for losses, changes or packages, which hold for a battle or a week the
    text often leaves unsaid. A subject
    may be unknown on one side of a level where the place is known ("100,000 soldiers at
    the borders of Ukraine" against Russia's 190,000 there), not of losses ("killed 2,000
    troops near Vuhledar": whose?).

    >>> same_frame(Frame("troop", "Russia", "border of Ukraine", "level", "2022-02-18"),
    ...            Frame("troop", "Russia", "border of Ukraine", "level", "2022-02-19"))
    True
    """
    known = all((a.kind, a.start, b.start)) and a.place != "border"
    if a.kind == "total" and not (_spans(a) and _spans(b)):
        return False  # "since midnight" or "since the invasion"? a total from no known start
    if not a.place and a.kind not in ("level", "total", "rate"):
        return False  # losses, changes, packages unscoped: of which battle, which week?
    one_owner = bool(a.subject or b.subject) and not (a.subject and b.subject)
    owners = a.subject == b.subject != "" or one_owner and bool(a.place) and a.kind == "level"
    return bool(known and owners) and (a.measure, a.place, a.kind) == (
        b.measure, b.place, b.kind
    )  # fmt: skip


def _same_span(a: Figure, b: Figure) -> bool:
    """True when two periods are of a like length: one night's missiles and those of a
    year are two quantities, not two figures of one."""

    def days(frame: Frame) -> int:
        return _day(frame.end or frame.start) - _day(frame.start) + 1

    short, long = sorted((days(a.frame), days(b.frame)))
    return long <= 2 * short + SAME_TIME_DAYS


def _spans(frame: Frame) -> bool:
    """True for a period of more than a day: a running total whose start was read."""
    return bool(frame.start and frame.end and frame.end > frame.start)


def _published_near(a: Figure, b: Figure) -> bool:
    """True when two figures were published within REPEAT_WITHIN_DAYS (an undated one is
    near any)."""
    if not a.published or not b.published:
        return True
    return abs(_day(a.published) - _day(b.published)) <= REPEAT_WITHIN_DAYS


#: The day number an undated figure sorts at: after every date.
_UNDATED = 10**7


@cache  # a build has a few thousand dates, read millions of times
def _day(date: str | None) -> int:
    """A date's day number; an unreadable date is far from every other."""
    try:
        return datetime.date.fromisoformat((date or "")[:10]).toordinal()
    except ValueError:
        return _UNDATED


def days_apart(a: Frame, b: Frame) -> int | None:
    """Days between two periods, 0 when they meet; None when one is unknown."""
    if not a.start or not b.start:
        return None
    gap = max(_day(a.start), _day(b.start)) - min(_day(a.end or a.start), _day(b.end or b.start))
    return max(gap, 0)


#: The columns of a claim_links row that ``_link`` makes.
LINK_COLUMNS = (
    "claim_a", "claim_b", "relation", "difference", "quantity_key", "first_seen", "measure",
    "subject", "place", "figure_kind", "days_apart", "known_fields", "a_low", "a_high",
    "b_low", "b_high", "why",
)  # fmt: skip


def _link(a: Figure, b: Figure, kind: str, ratio: float | None, origin: str | None) -> dict:
    """A ``claim_links`` row: the two claims, how they stand, and why they were compared —
    the frame fields both give (NULL where one side does not say), the days between their
    periods and the intervals they assert."""
    shared = {
        field: (getattr(a.frame, field) if getattr(a.frame, field) == getattr(b.frame, field)
                else None) or None
        for field in ("measure", "subject", "place", "kind")
    }  # fmt: skip
    apart = days_apart(a.frame, b.frame)
    known = sum(1 for f in ("subject", "place", "kind") if shared[f]) + (apart is not None)
    return {
        "claim_a": a.id,
        "claim_b": b.id,
        "relation": kind,
        "difference": None if ratio is None or math.isinf(ratio) else ratio,
        "quantity_key": None if a.dimension == UNFRAMED else a.frame.key(a.dimension),
        "first_seen": origin,
        "measure": shared["measure"] or a.frame.measure,
        "subject": shared["subject"],
        "place": shared["place"],
        "figure_kind": shared["kind"],
        "days_apart": apart,
        "known_fields": known,
        "a_low": _finite(a.low),
        "a_high": _finite(a.high),
        "b_low": _finite(b.low),
        "b_high": _finite(b.high),
        "why": why(a, b, apart),
    }


def _finite(number: float) -> float | None:
    return None if math.isinf(number) else number


def why(a: Figure, b: Figure, apart: int | None) -> str:
    """Why two figures were compared, in words: the frame fields they share, those one side
    leaves open, the days between them and the two figures.

    >>> f = Frame("troop", "Russia", "border of Ukraine", "level", "2022-02-18")
    >>> a = Figure("a", "d1", f, "count", "~", 190e3, 190e3, 190e3)
    >>> b = Figure("b", "d2", replace(f, subject="", start="2022-02-19"), "count", "=",
    ...            1e5, 1e5, 1e5)
    >>> for part in why(a, b, 1).split("; "):
    ...     print(part)
    troop
    place border of Ukraine
    kind level
    subject: one side does not say
    1 day apart
    about 190,000 vs 100,000
    """
    measure = a.frame.measure
    if measure != b.frame.measure:
        measure = f"{measure} / {b.frame.measure}"  # "aid" fits "aid:military"
    said, open_ = [measure], []
    for name in ("subject", "place", "kind"):
        mine, theirs = getattr(a.frame, name), getattr(b.frame, name)
        if mine and mine == theirs:
            said.append(f"{name} {mine}")
        elif mine and theirs:
            said.append(f"{name} {mine} / {theirs}")  # "border" fits "border of Ukraine"
        elif mine or theirs:
            open_.append(f"{name}: one side does not say")
    when = "period unknown" if apart is None else f"{apart} day{'s' * (apart != 1)} apart"
    if a.sentence == b.sentence != 0:
        when = f"the same sentence; {when}"
    return "; ".join([*said, *open_, when, f"{_shown(a)} vs {_shown(b)}"])


def _shown(figure: Figure) -> str:
    """A figure's interval in words, in the claim's own unit: "up to 6,000", "100,000 or
    more", "4 to 7" ("six years" is 6, not 189,345,600 seconds)."""

    def n(x: float) -> str:
        x = x / figure.scale
        return f"{x:,.0f}" if abs(x) >= 100 or x == int(x) else f"{x:,.4g}"

    if figure.point is not None:
        return ("about " if figure.qualifier == "~" else "") + n(figure.point)
    if math.isinf(figure.high):
        return f"{n(figure.low)} or more"
    if figure.low <= 0 < figure.high and figure.qualifier in ("<", "<="):
        return f"up to {n(figure.high)}"
    if figure.low == figure.high:
        return n(figure.low)
    return f"{n(figure.low)} to {n(figure.high)}"


class _Reference(NamedTuple):
    id: str
    as_of: str
    low: float
    high: float
    unit: str
    kind: str
    concept: str


class _Found(NamedTuple):
    """A claim's reference check: the reference (the latest of the models summed), the
    ratio, the verdict, and the figure and names it was checked against."""

    id: str
    ratio: float | None
    verdict: str
    figure: float
    names: str


class _Checked(NamedTuple):
    """What a claim says, as a reference check reads it."""

    key: str
    span: tuple[float, float] | None
    modality: str
    kind: str | None
    unit_text: str
    given: bool  # a giving verb in its clause: "agreed to send 14 Leopard 2 tanks"
    date: str


def _references(db: Database) -> dict[str, list[_Reference]]:
    """The reference figures by what a claim must share with them (``_comparable``), oldest
    first."""
    references: dict[str, list[_Reference]] = defaultdict(list)
    for rid, key, as_of, low, high, kind, concept in db.execute(
        'select id, quantity_key, as_of, low, high, figure_kind, concept from "references" '
        "where quantity_key is not null order by as_of"
    ):
        references[_comparable(key)].append(
            _Reference(rid, as_of, low, high, _unit_of(key), kind or "level", concept or "")
        )
    return references


def _checks(db: Database, tolerance: float) -> Iterator[dict]:
    """Each claim checked against the reference figures of its frame (``check_claim``)."""
    references = _references(db)
    if not references:
        return
    rates = exchange_rates(db)
    sql = """
        select id, quantity_key, value, low, high, qualifier, modality, figure_kind, unit_text,
          coalesce(period_end, published) as date, sentence, start - sentence_start,
          "end" - sentence_start, text, value_text
        from claims where quantity_key is not null and coalesce(period_end, published) is not null
          and rule not like 'vague:%'
    """
    for row in db.execute(sql):
        cid, key, value, low, high, qualifier, modality, kind, unit_text, date = row[:10]
        if _comparable(key) not in references:
            continue
        before, _ = around_figure(row[10] or "", row[11] or 0, row[12] or 0, row[13], row[14])
        claim = _Checked(key, interval(value, low, high, qualifier), modality, kind,
                         unit_text or "", giving(before), date)  # fmt: skip
        found = check_claim(claim, references, rates, tolerance)
        if found is not None:
            yield _check(cid, found.id, found.ratio, found.verdict)


def check_claim(
    claim: _Checked,
    references: dict[str, list[_Reference]],
    rates: dict[tuple[str, str], float],
    tolerance: float = TOLERANCE,
) -> _Found | None:
    """The reference a claim is checked against, the ratio and the verdict, or None:

    - a count of a named weapon given or promised ("has sent six M777 howitzers",
      "agreed to send 14 Leopard 2 tanks"), against the total of the models its name
      covers committed by a later date (``_within_total``);
    - a level (not a package, a change or a kind the text does not give) stated as a fact
      or an estimate, against the latest reference of its frame dated on or before it,
      within REFERENCE_LAG_DAYS.
    """
    candidates = references.get(_comparable(claim.key), [])
    totals = [r for r in candidates if r.kind == "cumulative"]
    if totals and claim.given and claim.kind != "loss" and claim.modality in _COMMITTED:
        unit = claim.key.split("|")[1]
        named = [
            r for r in totals
            if claim.date <= r.as_of and names_model(claim.unit_text, r.concept, unit)
        ]  # fmt: skip
        if named and claim.span is not None:
            return _within_total(named, claim.span, tolerance)
        return None
    if claim.kind != "level" or claim.modality not in CHECKED_MODALITIES:
        return None
    found = _latest_before([r for r in candidates if r.kind == "level"], claim.date)
    if found is None:
        return None
    unit = _unit_of(claim.key)
    rate = 1.0 if unit == found.unit else rates.get((unit, found.unit))
    verdict_, ratio = check_figure(claim.span, rate, found.low, found.high, tolerance)
    return _Found(found.id, ratio, verdict_, (found.low + found.high) / 2, found.concept)


#: The moods of a count of weapons checked against the total committed: given or promised.
_COMMITTED = (*CHECKED_MODALITIES, "pledge")


def _within_total(named: list[_Reference], span: tuple[float, float],
                  tolerance: float) -> _Found:  # fmt: skip
    """A count of weapons against the total the tracker says were committed up to a later
    date (the sum of the models its name covers: "Leopard 2" is every Leopard 2A4 and 2A6
    of the donor): ``within`` it, or ``overstated``."""
    last = max(named, key=lambda r: r.as_of)
    models = [r for r in named if r.as_of == last.as_of]
    total = sum(r.high for r in models)
    stated = span[1] if math.isinf(span[0]) or span[0] <= 0 else span[0]
    ratio = stated / total if total else None
    kind = "overstated" if span[0] > total * (1 + tolerance) else "within"
    return _Found(last.id, ratio, kind, total, " + ".join(r.concept for r in models))


_MODEL_WORD = re.compile(r"[a-z0-9]+")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def names_model(unit_text: str | None, model: str, unit: str = "") -> bool:
    """True when a claim's words name the weapon ``model`` or its family, its counted noun
    ``unit`` aside: "Leopard 2 tanks" names "Leopard-2A6" and "Leopard 2A4", "Leopard II
    tanks" too, "M777 howitzers" names "M777 howitzer", "Abrams tanks" "M1A1 Abrams";
    "tanks" names none.

    >>> names_model("Leopard 2 tanks", "Leopard-2A6", "tank")
    True
    >>> names_model("Leopard 1 tanks", "Leopard-2A6", "tank")
    False
    >>> names_model("tanks", "Leopard-2A6", "tank")
    False
    >>> names_model("M777 howitzers", "M777 howitzer", "howitzer")
    True
    >>> names_model("Abrams tanks", "M1A1 Abrams", "tank")
    True
    >>> names_model("M-84 tanks", "M-84 tank", "tank")
    True
    >>> names_model("M1 Abrams tanks", "M1A1 Abrams", "tank")
    True
    >>> names_model("T-72 tanks", "PT-91 Twardy", "tank")
    False
    """
    unit_words = {_ROMAN.get(w, w) for w in _MODEL_WORD.findall(unit.lower())}
    model_words = [_model_word(w) for w in _MODEL_WORD.findall(_joined(model))]
    words = [_model_word(w) for w in _MODEL_WORD.findall(_joined(unit_text or ""))]
    words = [w for w in words if w not in unit_words]
    if not words:
        return False
    first = words[0]
    coded = any(c.isdigit() for c in first)  # "M1" names "M1A1", "T72" "T72"
    for start, word in enumerate(model_words):
        if (word == first and len(word) > 3) or (coded and word.startswith(first)):
            rest = zip(words[1:], model_words[start + 1 :], strict=False)
            if len(words) - 1 <= len(model_words) - start - 1 and all(
                m.startswith(n) for n, m in rest
            ):
                return True
    return False


def _joined(name: str) -> str:
    """A weapon's name in lower case, a short code joined to its number: "M-84", "T-72",
    "BMP-1" -> "m84", "t72", "bmp1" ("Leopard-2A6" stays two words)."""
    return re.sub(r"\b([a-z]{1,3})-(?=\d)", r"\1", name.lower())


def _model_word(word: str) -> str:
    """A word of a weapon's name as compared: Roman numerals as digits, nouns singular."""
    return _ROMAN.get(word, singular(word) if word.isalpha() else word)


def check_figure(
    span: tuple[float, float] | None,
    rate: float | None,
    ref_low: float,
    ref_high: float,
    tolerance: float = TOLERANCE,
) -> tuple[str, float | None]:
    """The verdict of a claimed interval (in its unit, ``rate`` to the reference's) against
    a reference figure: consistent when they meet within the tolerance, overstated when
    the claim's least is above it, understated when its most is below; ratio of the
    claim's stated figure to the reference.

    >>> check_figure((10e9, math.inf), 1.0, 47e9, 47e9)[0]  # "more than $10 billion"
    'consistent'
    >>> check_figure((0.0, 90e9), 1.0, 47e9, 47e9)[0]  # "up to $90 billion"
    'consistent'
    >>> check_figure((60e9, 60e9), 1.0, 47e9, 47e9)
    ('overstated', 1.2765957446808511)
    """
    if rate is None or span is None:
        return "not comparable", None
    low, high = span[0] * rate, span[1] * rate
    stated = high if math.isinf(low) else (low if math.isinf(high) else (low + high) / 2)
    if low == 0 < high:
        stated = high  # "up to"
    reference = (ref_low + ref_high) / 2
    ratio = stated / reference if reference else None
    if low > ref_high * (1 + tolerance):
        return "overstated", ratio
    if high < ref_low * (1 - tolerance):
        return "understated", ratio
    return "consistent", ratio


def exchange_rates(db: Database) -> dict[tuple[str, str], float]:
    """(currency, to_currency) -> rate, from ``exchange_rates``, each also inverted."""
    rates = {}
    for currency, to, rate in db.execute("select currency, to_currency, rate from exchange_rates"):
        if rate:
            rates[(currency, to)] = rate
            rates.setdefault((to, currency), 1 / rate)
    return rates


def _comparable(key: str) -> str:
    """What a claim and a reference must share to be checked: the dimension, the measure
    without its currency (a claim in another currency is converted, or "not comparable")
    and the subject."""
    dimension, measure, subject, _, _ = key.split("|")
    if dimension == "currency":
        measure = measure.partition(" ")[2]
    return f"{dimension}|{measure}|{subject}"


def _unit_of(key: str) -> str:
    """The unit of a frame's measure: the currency of money ("EUR aid" -> EUR)."""
    return key.split("|")[1].partition(" ")[0]


def _latest_before(candidates: list[_Reference], date: str) -> _Reference | None:
    """The last reference dated on or before ``date``, within REFERENCE_LAG_DAYS of it."""
    found = None
    for candidate in candidates:
        if candidate.as_of <= date:
            found = candidate
        else:
            break
    if found is None:
        return None
    lag = _day(date) - _day(found.as_of)
    return found if 0 <= lag <= REFERENCE_LAG_DAYS else None


def _check(claim: str, reference: str, ratio: float | None, kind: str) -> dict:
    return {"claim_id": claim, "reference_id": reference, "ratio": ratio, "verdict": kind}


def frame_of_claim(claim) -> Frame | None:
    """The frame of a ``Claim`` (see ``claim_frame``)."""
    before, after = around_figure(
        claim.sentence, claim.start - claim.sentence_start, claim.end - claim.sentence_start,
        claim.text, claim.value_text,
    )  # fmt: skip
    return claim_frame(
        claim.unit, claim.dimension, claim.base_unit, claim.subject, claim.concept,
        claim.unit_text, place=claim.place, change=claim.change, before=before, after=after,
        start=claim.period_start, end=claim.period_end,
    )  # fmt: skip


def around_figure(
    sentence: str, first: int, last: int, text: str | None, value_text: str | None
) -> tuple[str, str]:
    """A claim's sentence before and after its number: the claim's own words go to their
    side ("3,000 more troops" has "more troops" after it, "more than 130,000" has "more
    than" before it).

    >>> around_figure("The US will deploy 3,000 more troops.", 19, 36, "3,000 more troops", "3,000")
    ('The US will deploy ', ' more troops.')
    """
    text, value_text = text or "", value_text or ""
    cut = text.find(value_text) if value_text else -1
    if cut < 0:
        return sentence[: max(first, 0)], sentence[max(last, 0) :]
    return (
        sentence[: max(first, 0)] + text[:cut],
        text[cut + len(value_text) :] + sentence[max(last, 0) :],
    )


def related(db: Database, claim, date: str | None = None, tolerance: float = TOLERANCE) -> dict:
    """What the database says of ``claim``: the stored claims of its measure that it
    repeats, agrees or conflicts with, judged as ``xref`` judges them, each with why (not
    for a small count); and its reference check, as ``xref`` makes it."""
    frame = frame_of_claim(claim)
    key = frame.key(claim.dimension) if frame else None
    out = {"text": claim.text, "quantity_key": key, "matches": [], "reference": None}
    if frame is None or claim.rule.startswith("vague:"):
        return out
    out["reference"] = _reference_for(db, claim, key, date, tolerance)  # six howitzers too
    mine = make_figure(
        "", "", frame, claim.dimension, claim.qualifier, claim.value, claim.low, claim.high,
        claim.base_value, date or "", claim.modality, claim.sentence,
        claim.start - claim.sentence_start,
    )  # fmt: skip
    if mine is None or _trivial(mine):
        return out
    group = f"{claim.dimension}|{frame.measure.partition(':')[0]}"
    sql = """
        select claims.id, claims.text, claims.value, claims.low, claims.high,
          claims.qualifier, claims.base_value, claims.speaker, claims.sentence,
          claims.published, claims.period_start, claims.period_end, claims.modality,
          claims.quantity_key, documents.title, documents.path, documents.url, claims.rule,
          claims.start - claims.sentence_start
        from claims join documents on documents.id = claims.document_id
        where claims.quantity_key >= ? and claims.quantity_key < ?
        order by claims.published, documents.path, claims.start
    """
    seen = set()
    for row in db.execute(sql, [group, group + "\uffff"]).fetchall():
        cid, text, value, low, high, qualifier, base, speaker, sentence, published = row[:10]
        start, end, modality, other_key, title, path, url, rule, at = row[10:]
        other_frame = frame_from_key(other_key, start, end)
        if (
            cid in seen
            or rule.startswith("vague:")
            or other_frame.measure.partition(":")[0] != (frame.measure.partition(":")[0])
        ):
            continue
        seen.add(cid)
        other = make_figure(
            cid, path or "", other_frame, claim.dimension, qualifier, value, low, high, base,
            published or "", modality, sentence, at or 0,
        )  # fmt: skip
        judged = None if other is None else judge(other, mine, tolerance)
        if judged is None:
            continue
        kind, ratio = judged
        out["matches"].append({
            "relation": kind, "ratio": None if ratio is None else (1 / ratio if ratio else None),
            "text": text, "speaker": speaker, "date": published, "document": title,
            "path": path, "url": url, "sentence": sentence, "claim_id": cid,
            "why": why(mine, other, days_apart(mine.frame, other.frame)),
        })  # fmt: skip
    return out


def judge(a: Figure, b: Figure, tolerance: float = TOLERANCE) -> tuple[str, float | None] | None:
    """How figure ``b`` stands to ``a`` of another document: ("repeats", 1.0), ("agrees",
    ratio) or ("conflicts", ratio), the ratio being b's figure over a's; None when they are
    not linked (see the module).

    >>> border = Frame("troop", "Russia", "border of Ukraine", "level", "2022-02-18")
    >>> a = Figure("a", "d1", border, "count", "~", 190e3, 190e3, 190e3, "2022-02-18")
    >>> b = Figure("b", "d2", replace(border, start="2022-02-19"), "count", "=", 15e4, 15e4,
    ...            15e4, "2022-02-19")
    >>> judge(a, b)[0]
    'conflicts'
    >>> print(judge(a, replace(b, frame=replace(b.frame, place=""))))
    None
    """
    if a.stated == b.stated:
        if not _published_near(a, b):
            return None
        if a.sentence == b.sentence != 0:
            return "repeats", 1.0  # the same sentence in two documents
        if UNFRAMED in (a.dimension, b.dimension):
            return None
        telling = _anchored(a.frame, b.frame) or _distinctive(a.stated)
        return ("repeats", 1.0) if telling and fits(a.frame, b.frame) else None
    apart = days_apart(a.frame, b.frame)
    if apart is None or apart > SAME_TIME_DAYS or UNFRAMED in (a.dimension, b.dimension):
        return None
    kind, ratio = relation(a, b, tolerance)
    if kind == "conflicts":
        solid = a.mood == b.mood and same_frame(a.frame, b.frame) and _same_span(a, b)
        return (kind, ratio) if solid else None
    if not _anchored(a.frame, b.frame) or not fits(a.frame, b.frame):
        return None
    return (kind, ratio) if _close_enough(a, b) else None


#: An open bound agrees with a figure no further than this from it: "more than 100,000"
#: and 190,000 are compatible, but say too little together to agree.
AGREE_FACTOR = 1.5


def _close_enough(a: Figure, b: Figure) -> bool:
    """True when two overlapping figures are near enough to agree: an open bound ("more than
    1 million") agrees with what lies within AGREE_FACTOR of it, not with 6 million."""
    open_ = any(math.isinf(f.high) or f.low <= 0 < f.high for f in (a, b))
    if not open_:
        return True
    low, high = sorted((abs(a.middle), abs(b.middle)))
    return low > 0 and high / low <= AGREE_FACTOR


def _anchored(a: Frame, b: Frame) -> bool:
    """True when two frames share a known subject or place: figures of nobody named,
    nowhere, are not compared ("30 countries" and "27 countries")."""
    return bool(a.subject and a.subject == b.subject or a.place and a.place == b.place)


def _distinctive(stated: tuple[float, ...]) -> bool:
    """True for a figure of two or more significant digits ("65", "$61 billion",
    "23,000"), which two texts rarely give by chance; "3,000" and "100" they do."""
    for number in stated:
        digits = f"{abs(number):.6g}".replace(".", "").split("e")[0].strip("0")
        if len(digits) >= 2:
            return True
    return False


def _reference_for(db: Database, claim, key: str, date: str | None, tolerance: float):
    """The reference check of ``claim`` as ``xref`` makes it (``check_claim``), dated
    ``date`` (else the time it holds for, else the latest reference's), for ``claims
    check``; None when no reference checks it."""
    references = _references(db)
    candidates = references.get(_comparable(key))
    if not candidates:
        return None
    before, _ = around_figure(
        claim.sentence, claim.start - claim.sentence_start, claim.end - claim.sentence_start,
        claim.text, claim.value_text,
    )  # fmt: skip
    when = date or claim.period_end or max(r.as_of for r in candidates)
    span = interval(claim.value, claim.low, claim.high, claim.qualifier)
    kind = key.split("|")[-1] or None
    checked = _Checked(key, span, claim.modality, kind, claim.unit_text, giving(before), when)
    found = check_claim(checked, references, exchange_rates(db), tolerance)
    if found is None:
        return None
    as_of, subject, source, url, unit = db.execute(
        'select as_of, subject, source, url, unit from "references" where id = ?', [found.id]
    ).fetchone()
    return {
        "verdict": found.verdict, "ratio": found.ratio, "reference": found.figure,
        "unit": unit, "as_of": as_of, "concept": found.names, "subject": subject,
        "source": source, "url": url,
    }  # fmt: skip
