"""Periods: when a figure holds, as first and last day, read from the time phrases of its
sentence ("in 2019", "since February 2022", "last week", "in recent weeks", "on Feb. 24,
2022") and resolved against the publication date.

The phrase nearest the figure wins among those that may date it (``_Scope``): not one in
an aside about something else (after "who" or "which", in brackets, between dashes, past a
semicolon), nor one in the earlier leg of a comparison ("up from 40% in 2005") unless the
figure is that leg's. Word lists: lexicon/periods.yaml.
"""

from __future__ import annotations

import calendar
import datetime
from typing import NamedTuple

from claims import lexicon, numbers
from claims.model import Claim
from claims.sentences import Tokens


def _phrases(words) -> dict[tuple[str, ...], str]:
    """Index phrases by their word tuples ("at the time" -> ("at", "the", "time"))."""
    return {tuple(w.split()): w for w in words}


_ROLLING = lexicon.words("periods", "rolling")
_OPENERS = lexicon.mapping("periods", "openers")
_RELATIVE = lexicon.mapping("periods", "relative", int)
_PERIOD_UNITS = lexicon.words("periods", "units")
_SPAN_OPENERS = lexicon.words("periods", "span_openers")
_DIRECTIONS = lexicon.mapping("periods", "span_directions", int)
_VAGUE_COUNTS = lexicon.mapping("periods", "vague_counts", int)
_VAGUE_WORDS = lexicon.words("periods", "vague_words")
_AGO = lexicon.words("periods", "ago")
_EARLIER = lexicon.words("periods", "earlier")
_NOW = lexicon.words("periods", "now")
_DECADE_PARTS = lexicon.words("periods", "decade_parts")
_YEAR_JOINS = lexicon.words("periods", "year_range_joins")
_UNDATED = _phrases(lexicon.words("periods", "undated"))
_EVENT_DAYS = {
    phrase: tuple(datetime.date.fromisoformat(str(day)) for day in days)
    for phrase, days in lexicon.load("periods")["events"].items()
}
_EVENTS = _phrases(_EVENT_DAYS)
_EVENT_REACH = 6  # tokens after the opener: "since Russia launched its full-scale invasion"
_EVENT_OPENERS = lexicon.words("periods", "event_openers")
_UNDATED_UNLESS_NEXT = lexicon.words("periods", "undated_unless_next")
_EARLIER_LEGS = _phrases(lexicon.words("periods", "earlier_legs"))
_LATER_LEGS = lexicon.words("periods", "later_legs")
_FROM_LEG = lexicon.load("periods")["from_leg"]
# The words a leg may start with, to skip the others at a glance.
_LEG_WORDS = {phrase[0] for phrase in _EARLIER_LEGS} | _LATER_LEGS | {_FROM_LEG}
_CHANGE_WORDS = lexicon.words("periods", "change_words")
_LEG_FILLERS = lexicon.words("periods", "leg_fillers")
_LEG_ENDS = lexicon.words("periods", "leg_ends")
_RELATIVES = lexicon.words("periods", "relatives")
_DASHES = lexicon.words("periods", "dashes")
_CLAUSE_MARKS = lexicon.words("periods", "clause_marks")
_MONTHS = lexicon.words("nonclaims", "months")
_WEEKDAYS = lexicon.words("nonclaims", "weekdays")
_DAY_OPENER = "on"  # "on Friday"
_ORDINAL_ENDINGS = frozenset(("st", "nd", "rd", "th"))
# The words a time phrase can open with; digits, number words and month names too.
_TIME_PHRASE_STARTS = (
    frozenset(_OPENERS)
    | frozenset(_RELATIVE)
    | _SPAN_OPENERS
    | _NOW
    | {phrase[0] for phrase in _UNDATED}
    | {_DAY_OPENER, "a", "an"}
    | frozenset(numbers.UNIT_WORDS)
    | frozenset(numbers.TENS_WORDS)
    | _MONTHS
)
_MONTH_NUMBERS = {
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m},
    "sept": 9,
}
# The tense of a duration's clause: present (it runs to publication) or past (untold).
_PRESENT = lexicon.words("periods", "present_tense")
_PAST = lexicon.words("periods", "past_tense")
# The units of a duration that runs to publication: not hours ("the talks took 3 hours").
_SPANS = frozenset(("day", "week", "month", "year", "decade"))
# No time phrase is longer: "since Russia launched its full-scale invasion" is 7 tokens.
_LONGEST_PHRASE = 12
# The words after a number that may make it a date or a time: "24 February", "24th",
# "24 of", "two weeks ago".
_AFTER_DAY_NUMBER = (
    frozenset(_MONTH_NUMBERS)
    | _ORDINAL_ENDINGS
    | {"of"}
    | _PERIOD_UNITS
    | {unit + "s" for unit in _PERIOD_UNITS}
)
# How many words a leg's figure may stand after its opener: "from a high of 40%".
_LEG_REACH = 4
# How far before "from" a word of change makes it a comparison: "fell 5% to 3.1m from".
_CHANGE_REACH = 8


class _Time(NamedTuple):
    """A time phrase read at a token: its first and last day (both None for a past time
    the sentence gives no date for), the token after it, and for "a year earlier" the
    count and unit it goes back from the time of the figure's clause."""

    start: str | None
    end: str | None
    stop: int
    back: tuple[int, str] | None = None


class PeriodReader:
    """Reads the periods of a document's figures against its publication date."""

    def __init__(self, published: str | None):
        self.published = _date(published)
        self.ahead = False  # the figure looks ahead: a month without a year is to come
        self._parts: _SentenceParts | None = None  # of the sentence read last

    def period(
        self, tokens: Tokens, claim: Claim, ahead: bool = False
    ) -> tuple[str | None, str | None, str | None]:
        """(start, end, words) of the time the figure holds, from the nearest time phrase
        that may date it; the publication date when there is none.

        :param ahead: the figure is a pledge, a plan or a forecast ("will deliver 40 tanks
            in March"): a month without a year is the next one, not the last one
        """
        self.ahead = ahead
        first, last = tokens.inside(claim.start, claim.end)
        parts = self._sentence(tokens)
        scope = _Scope(tokens, first, last, parts)
        found: list[tuple[int, int, _Time]] = []
        k = 0
        for opening in parts.openings:
            if opening < k:
                continue  # inside the time phrase read before
            k = opening
            time = parts.time_at(self, k, first, last)
            if time is None:
                continue
            covers = last > first and k <= first and last <= time.stop
            shared = range(max(k, first), min(last, time.stop))
            if not covers and any(tokens.is_digits(j) for j in shared):
                k += 1  # the figure's own number is no date: "in March 12 people died"
                continue
            if scope.in_clause(k):
                distance = 0 if covers else _distance(tokens, claim, k, time.stop)
                found.append((distance, k, time))
            k = time.stop
        own = [read for read in found if scope.allows(read[1])]
        if not own:
            day = self.published.isoformat() if self.published else None
            return day, day, None
        _, at, time = min(own, key=lambda read: read[:2])
        start, end = time.start, time.end
        if time.back:  # "a year earlier": back from the time of the comparison's other leg
            anchors = [f for f in found if not f[2].back and not scope.in_earlier_leg(f[1])]
            start, end = self._back(min(anchors, key=lambda f: f[:2])[2] if anchors else None, time)
        if start and end and end < start:
            start, end = end, start  # "since 2025" in a 2023 paper: never an end before a start
        return start, end, tokens.phrase(at, time.stop)

    def _sentence(self, tokens: Tokens) -> _SentenceParts:
        """The parts of the sentence ``tokens``, read once for all its figures."""
        if self._parts is None or self._parts.tokens is not tokens:
            self._parts = _SentenceParts(tokens)
        return self._parts

    def lasted(self, tokens: Tokens, claim: Claim) -> tuple[str | None, str | None] | None:
        """The period of a duration that no time phrase dates, from the tense of its clause:
        "the war has lasted 500 days" ends at publication and starts 500 days before it;
        "he served 30 years" holds at a time the text does not give (None, None). None
        when the tense says neither (the publication date stands)."""
        if claim.dimension != "time" or self.published is None or claim.unit not in _SPANS:
            return None
        first, _ = tokens.inside(claim.start, claim.end)
        low = max([j + 1 for j in self._sentence(tokens).marks if j < first], default=0)
        words = tokens.lowers[low:first]
        if any(word in _PRESENT for word in words):
            count = claim.value if claim.value is not None else claim.high
            if count is None or count != int(count) or not 0 < count <= 1000:
                return None
            start = _shift(self.published, claim.unit, -int(count))
            return start.isoformat(), self.published.isoformat()
        if any(word in _PAST for word in words) or any(
            word.endswith("ed") and len(word) > 4 for word in words[-3:]
        ):
            return None, None  # "served 30 years", "was jailed for 12 years": when, untold
        return None

    def _back(self, anchor: _Time | None, time: _Time) -> tuple[str | None, str | None]:
        """The anchor's days (the publication date without one) moved back by time.back."""
        count, unit = time.back or (0, "day")
        if anchor is not None and (anchor.start is None or anchor.end is None):
            return None, None
        days = [_date(anchor.start), _date(anchor.end)] if anchor else [self.published] * 2
        if days[0] is None or days[1] is None:
            return None, None
        first, last = (_shift(day, unit, -count).isoformat() for day in days)
        return first, last

    def _time_phrase(self, tokens: Tokens, k: int, first: int, last: int) -> _Time | None:
        """Read a time phrase at k ("in 2019", "since February 2022", "over the next two
        years", "on Feb. 24", "two weeks ago", "during the Soviet era"), or None. Tokens
        [first, last) are the figure's: they are no day of a date."""
        for read in (self._event, self._span, self._calendar, self._relative, self._day_words):
            time = read(tokens, k, first, last)
            if time is not None:
                return time
        return None

    def _span(self, tokens: Tokens, k: int, first: int, last: int) -> _Time | None:
        """A span counted from publication: "over the past two weeks", "in recent weeks",
        "in the next 12 months", "within 30 days", "for the past eight years"."""
        words, n = tokens.lowers, tokens.n
        if words[k] not in _SPAN_OPENERS or self.published is None:
            return None
        m = k + 1
        if m < n and words[m] == "the":
            m += 1
        direction = _DIRECTIONS.get(words[m]) if m < n else None
        if direction is not None:
            rolling = words[m] in _ROLLING or words[k] in ("over", "within")
            m += 1
        elif words[k] == "within":
            direction, rolling = 1, True
        else:
            return None
        count = _small_count(words[m]) if m < n else None
        vague = m < n and words[m] in _VAGUE_WORDS
        if count is not None or vague:
            m += 1
        unit = _unit(words[m]) if m < n else None
        if unit is None:
            return None
        if count is None:
            if not (vague or words[m].endswith("s") or rolling):
                return None  # "in the last week": the calendar week (``_relative``)
            count = _VAGUE_COUNTS[unit] if vague or words[m].endswith("s") else 1
        other = _shift(self.published, unit, direction * count)
        start, end = sorted((self.published, other))
        return _Time(start.isoformat(), end.isoformat(), m + 1)

    def _calendar(self, tokens: Tokens, k: int, first: int, last: int) -> _Time | None:
        """A calendar time after an opener: "in 2019", "between 2014 and 2022", "in the
        1990s", "in the 18th century", "since March", "by March 2024", "on Feb. 24, 2022"
        (a date needs no opener: "Feb. 24")."""
        words, n = tokens.lowers, tokens.n
        opener = _OPENERS.get(words[k])
        j = k + 1 if opener else k
        the = opener is not None and j < n and words[j] == "the"
        j += the
        date = _day_date(tokens, j, first, last)
        if date is not None and (opener or j == k):
            day, stop, dated = date
            if not dated:
                if self.published is None:
                    return None
                day = _latest(self.published, day.month, day.day)
                if day is None:
                    return None
            return _Time(*self._opened(opener, day, day), stop)
        if not opener or j >= n:
            return None
        parts = j
        while parts < n and words[parts] in _DECADE_PARTS:
            parts += 1  # "in the early 1990s", "by mid-2023"
        year = _year(tokens, parts)
        if year:
            if parts + 1 < n and words[parts + 1] == "s" and tokens.glued(parts + 1):
                decade = datetime.date(year, 1, 1), datetime.date(year + 9, 12, 31)
                return _Time(*self._opened(opener, *decade), parts + 2)
            if the and parts == j:
                return None  # "from the 1994 movie": a year that names a thing
            other = _range_end(tokens, parts, year, words[k] == "between")
            if other:
                until = datetime.date(other, 12, 31)
                return _Time(datetime.date(year, 1, 1).isoformat(), until.isoformat(), parts + 3)
            whole = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            return _Time(*self._opened(opener, *whole), parts + 1)
        century = _century(tokens, j)
        if century:
            return _Time(*self._opened(opener, *century), j + 3)
        month = _month(tokens, j)
        if month is None:
            return None
        stop = j + 1
        if stop + 1 < n and words[stop] == "of" and _year(tokens, stop + 1):
            stop += 1  # "in April of 2022"
        year = _year(tokens, stop)
        if year:
            stop += 1
        elif self.published is None:
            return None
        elif stop + 1 < n and words[stop + 1] == "year" and words[stop] in _RELATIVE:
            year = self.published.year + _RELATIVE[words[stop]]  # "in August last year"
            stop += 2
        elif self.ahead and opener != "since":  # "will deliver in March": the next March
            year = self.published.year + (month < self.published.month)
        else:  # "in March", "since March": the latest March not after publication
            year = self.published.year - (month > self.published.month)
        days = calendar.monthrange(year, month)[1]
        whole = datetime.date(year, month, 1), datetime.date(year, month, days)
        return _Time(*self._opened(opener, *whole), stop)

    def _relative(self, tokens: Tokens, k: int, first: int, last: int) -> _Time | None:
        """A unit counted from publication: "last week", "this year", "in the past year"."""
        words, n = tokens.lowers, tokens.n
        if self.published is None:
            return None
        j = k + 1 if words[k] in _OPENERS else k
        if j < n and words[j] == "the" and j > k:
            j += 1
        if j + 1 >= n or words[j] not in _RELATIVE:
            return None
        unit = _unit(words[j + 1])
        if unit is None:
            return None
        if words[j] in _ROLLING:  # "the past year": the twelve months before publication
            other = _shift(self.published, unit, 1 if _RELATIVE[words[j]] > 0 else -1)
            start, end = sorted((self.published, other))
            return _Time(start.isoformat(), end.isoformat(), j + 2)
        base = _shift(self.published, unit, _RELATIVE[words[j]])
        start, end = _bounds(base, unit)
        return _Time(start.isoformat(), end.isoformat(), j + 2)

    def _event(self, tokens: Tokens, k: int, first: int, last: int) -> _Time | None:
        """A time told by an event the news dates by ("since Russia launched its invasion",
        "during the Second World War"), read after an opener; an event after publication
        is some other one."""
        opener = _OPENERS.get(tokens.lowers[k])
        if opener is None or tokens.lowers[k] not in _EVENT_OPENERS:
            return None  # "suffered from the fallout of Russia's invasion": no time
        for j in range(k + 1, min(tokens.n, k + 1 + _EVENT_REACH)):
            end = tokens.match_forward(j, _EVENTS, 4, lower=True)
            if end > j:
                start_day, end_day = _EVENT_DAYS[_EVENTS[tuple(tokens.lowers[j:end])]]
                if self.published is not None and start_day > self.published:
                    return None
                return _Time(*self._opened(opener, start_day, end_day), end)
            if tokens.texts[j] in (",", ";", ":") or tokens.lowers[j] in _OPENERS:
                return None  # "from Ukraine since ...": the event is the next opener's
        return None

    def _day_words(self, tokens: Tokens, k: int, first: int, last: int) -> _Time | None:
        """ "on Friday", "now", "two weeks ago", "a year earlier", "at the time"."""
        words, n = tokens.lowers, tokens.n
        undated = tokens.match_forward(k, _UNDATED, 4, lower=True)
        if undated > k:
            if undated < n and words[undated] in _UNDATED_UNLESS_NEXT:
                return None  # "at the time of writing"
            return _Time(None, None, undated)
        if self.published is None:
            return None
        today = self.published.isoformat()
        if words[k] == _DAY_OPENER and k + 1 < n and words[k + 1] in _WEEKDAYS:
            day = _last_weekday(self.published, words[k + 1]).isoformat()
            return _Time(day, day, k + 2)  # "On Friday, Russia launched"
        if words[k] in _NOW and (k == 0 or not tokens.caps[k]):  # not "Russia Today"
            return _Time(today, today, k + 1)
        count = _small_count(words[k])
        unit = _unit(words[k + 1]) if k + 1 < n else None
        if count is None or unit is None or k + 2 >= n:
            return None
        if words[k + 2] in _AGO:  # "two years ago": that calendar year, as "last year" is
            start, end = _bounds(_shift(self.published, unit, -count), unit)
            return _Time(start.isoformat(), end.isoformat(), k + 3)
        if words[k + 2] in _EARLIER:  # "a year earlier": resolved in ``period``
            return _Time(today, today, k + 3, back=(count, unit))
        return None

    def _opened(self, opener: str | None, first: datetime.date, last: datetime.date):
        """The days a time holds after its opener: "since" runs to publication, "by" and
        "until" from it; a time on the wrong side of publication is itself ("by 2014" in a
        2023 paper, "from 2025" in a plan)."""
        published = self.published.isoformat() if self.published else None
        if opener == "until" and (self.published is None or last >= self.published):
            return published, last.isoformat()
        if opener == "since" and (self.published is None or first <= self.published):
            return first.isoformat(), published
        return first.isoformat(), last.isoformat()


class _SentenceParts:
    """What the scopes of a sentence's figures are made of, read once for all of them: a
    sentence of many figures is read once, not once a figure (#14)."""

    def __init__(self, tokens: Tokens):
        self.tokens = tokens
        self.marks = [j for j, word in enumerate(tokens.lowers) if word in _CLAUSE_MARKS]
        self.asides = _asides(tokens)
        self.openings = [k for k in range(tokens.n) if _may_open(tokens, k)]
        self._legs: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}
        self._times: dict[tuple[int, bool], _Time | None] = {}

    def time_at(self, reader: PeriodReader, k: int, first: int, last: int) -> _Time | None:
        """The time phrase at k, read once for the figures of the sentence that stand away
        from it (one inside it may not be read as a day of it)."""
        away = last <= k - 1 or first >= k + _LONGEST_PHRASE
        if away and (k, reader.ahead) in self._times:
            return self._times[k, reader.ahead]
        time = reader._time_phrase(self.tokens, k, first, last)
        if away:
            self._times[k, reader.ahead] = time
        return time

    def legs(self, low: int, high: int) -> list[tuple[int, int, bool]]:
        if (low, high) not in self._legs:
            self._legs[low, high] = _legs(self.tokens, low, high)
        return self._legs[low, high]


class _Scope:
    """Which time phrases of a sentence may date the figure at tokens [first, last): those
    of its clause (between semicolons) that stand in no aside it is not in (brackets, a
    relative clause, a dash aside) and in no earlier leg of a comparison it is not in."""

    def __init__(self, tokens: Tokens, first: int, last: int, read: _SentenceParts):
        self.first, self.last = first, last
        marks = read.marks
        self.low = max([j + 1 for j in marks if j < first], default=0)
        self.high = min([j for j in marks if j >= last], default=tokens.n)
        self.asides = read.asides
        self.legs = read.legs(self.low, self.high)
        own = [leg for leg in self.legs if leg[0] <= first and last <= leg[1]]
        self.own_leg = own[0] if own else None

    def in_clause(self, k: int) -> bool:
        """True when the phrase at token k is in the figure's clause and no aside it is not
        in."""
        if self.last <= self.first:
            return True  # a figure without tokens of its own: nothing to scope by
        if not self.low <= k < self.high:
            return False
        return all(not a <= k < b or a <= self.first < b for a, b in self.asides)

    def allows(self, k: int) -> bool:
        """True when the phrase at token k may date the figure: in its clause, and in no
        leg of a comparison that is not its own and holds at another time."""
        if not self.in_clause(k):
            return False
        for a, b, earlier in self.legs:
            if a <= k < b and (a, b, earlier) != self.own_leg:
                if earlier or (self.own_leg is not None and self.own_leg[2]):
                    return False  # "up from 40% in 2005", or the other leg of one
        return True

    def in_earlier_leg(self, k: int) -> bool:
        return any(a <= k < b for a, b, earlier in self.legs if earlier)


def _asides(tokens: Tokens) -> list[tuple[int, int]]:
    """Token spans of the sentence's asides: brackets, relative clauses ("who managed the
    faculty in 2006-2009"), and text between dashes (or after a last one)."""
    words, n = tokens.lowers, tokens.n
    asides = []
    opened = []
    for j, word in enumerate(words):
        if word == "(":
            opened.append(j)
        elif word == ")" and opened:
            asides.append((opened.pop(), j + 1))
    asides += [(j, n) for j in opened]
    dashes = [j for j in range(1, n) if _dash(tokens, j)]  # not a list's or a reply's dash
    for j, word in enumerate(words):
        if word in _RELATIVES:
            end = next((e for e in range(j + 1, n) if _ends_leg(tokens, e)), n)
            asides.append((j, end))
    for i in range(0, len(dashes), 2):
        asides.append((dashes[i], dashes[i + 1] + 1 if i + 1 < len(dashes) else n))
    return asides


def _legs(tokens: Tokens, low: int, high: int) -> list[tuple[int, int, bool]]:
    """Token spans of the legs of comparisons in tokens [low, high), each with whether it
    is the earlier one: "rose [from 40% in 2005] [to 65% now]", "[to 12,400] [from 15,900 a
    year earlier]", "up [from 20 in 2014]", "[compared with 15,900 a year earlier]"."""
    words = tokens.lowers
    opens = []
    for j in range(low, high):
        if words[j] not in _LEG_WORDS:
            continue  # most words open no leg
        end = tokens.match_forward(j, _EARLIER_LEGS, 2, lower=True)
        if end > j:
            kind = "earlier"
        elif words[j] == _FROM_LEG:
            end, kind = j + 1, "from"
        elif words[j] in _LATER_LEGS:
            end, kind = j + 1, "later"
        else:
            continue
        figure = end
        while figure < min(high, end + _LEG_REACH) and words[figure] in _LEG_FILLERS:
            figure += 1
        if figure >= high or not _number(tokens, figure):
            continue
        if kind == "from" and figure == end and _year(tokens, figure):
            continue  # "from 2014 to 2022": a time, not a figure
        opens.append((j, figure, kind))
    later = any(kind == "later" for _, _, kind in opens)
    legs = []
    for i, (j, figure, kind) in enumerate(opens):
        if kind == "from" and not later:
            before = words[max(low, j - _CHANGE_REACH) : j]
            if not _CHANGE_WORDS.intersection(before):
                continue  # "40 missiles from 12 bombers": no comparison
        stop = opens[i + 1][0] if i + 1 < len(opens) else high
        end = next((e for e in range(figure + 1, stop) if _ends_leg(tokens, e)), stop)
        legs.append((j, end, kind != "later"))
    return legs


def _ends_leg(tokens: Tokens, j: int) -> bool:
    return tokens.lowers[j] in _LEG_ENDS or _dash(tokens, j)


def _dash(tokens: Tokens, j: int) -> bool:
    """True for a dash that sets text apart: an em dash, or a dash with spaces around it
    (not "2006-2009", "mid-2023")."""
    word = tokens.lowers[j]
    if word not in _DASHES:
        return False
    return word == "—" or not (tokens.glued(j) or tokens.glued(j + 1))


def _may_open(tokens: Tokens, k: int) -> bool:
    """Whether a time phrase may start at k: an opener or relative word, or a number a
    month, an ordinal ending or a unit of time follows ("24 February", "24th of", "two
    weeks ago"); a run of other numbers is not tried, number after number (#14)."""
    if tokens.lowers[k] in _TIME_PHRASE_STARTS:
        return True
    if k + 1 >= tokens.n or tokens.lowers[k + 1] not in _AFTER_DAY_NUMBER:
        return False  # most tokens: a word that opens nothing, or a number before no date
    return tokens.is_digits(k)


def _distance(tokens: Tokens, claim: Claim, k: int, stop: int) -> int:
    return min(abs(tokens.starts[k] - claim.end), abs(claim.start - tokens.ends[stop - 1]))


def _number(tokens: Tokens, j: int) -> bool:
    word = tokens.lowers[j]
    return tokens.is_digits(j) or word in numbers.UNIT_WORDS or word in numbers.TENS_WORDS


def _year(tokens: Tokens, j: int) -> int | None:
    if not tokens.is_digits(j):
        return None
    return numbers.year(tokens.texts[j], earliest=1800)


def _range_end(tokens: Tokens, j: int, year: int, between: bool) -> int | None:
    """The last year of a range that starts with ``year`` at j: "2006-2009", "2006-09",
    "between 2014 and 2022"; else None."""
    words = tokens.lowers
    if j + 2 >= tokens.n or words[j + 1] not in _YEAR_JOINS:
        return None
    if (words[j + 1] == "and") != between:
        return None
    other = _year(tokens, j + 2)
    text = tokens.texts[j + 2]
    if other is None and len(text) == 2 and text.isdecimal() and tokens.glued(j + 2):
        other = year - year % 100 + int(text)
    return other if other and other > year else None


def _century(tokens: Tokens, j: int) -> tuple[datetime.date, datetime.date] | None:
    """The years of "the 18th century" at j (1700-1799), else None."""
    if j + 2 >= tokens.n or not tokens.is_digits(j) or len(tokens.texts[j]) > 2:
        return None
    if tokens.lowers[j + 1] not in _ORDINAL_ENDINGS or tokens.lowers[j + 2] != "century":
        return None
    first = (int(tokens.texts[j]) - 1) * 100
    if not 1 <= first <= 2100:
        return None
    return datetime.date(first, 1, 1), datetime.date(first + 99, 12, 31)


def _month(tokens: Tokens, j: int) -> int | None:
    """The month named at j: "March", "Feb." ("may" in lower case is no month)."""
    if j >= tokens.n or not tokens.caps[j] or tokens.lowers[j] not in _MONTHS:
        return None
    return _MONTH_NUMBERS.get(tokens.lowers[j].rstrip("."))


def _day_number(tokens: Tokens, j: int, first: int, last: int) -> tuple[int, int] | None:
    """The day of the month at j ("24", "24th") and the token after it; not the figure's."""
    if not tokens.is_digits(j) or first <= j < last or len(tokens.texts[j]) > 2:
        return None
    day = int(tokens.texts[j])
    if not 1 <= day <= 31:
        return None
    stop = j + 1
    if stop < tokens.n and tokens.lowers[stop] in _ORDINAL_ENDINGS and tokens.glued(stop):
        stop += 1
    return day, stop


def _day_date(tokens: Tokens, j: int, first: int, last: int):
    """A date at j: "Feb. 24", "February 24, 2022", "24 February 2022", as (day, token
    after it, whether the year was written), else None. A date without its year stands in
    the publication year until ``_latest`` moves it."""
    n = tokens.n
    month = _month(tokens, j)
    if month is not None:
        m = j + 1
        if m < n and tokens.texts[m] == "." and tokens.glued(m):
            m += 1
        read = _day_number(tokens, m, first, last) if m < n else None
        if read is None:
            return None
        day, stop = read
        if stop + 1 < n and tokens.texts[stop] == "," and _year(tokens, stop + 1):
            stop += 1
    else:
        read = _day_number(tokens, j, first, last) if j < n else None
        if read is None:
            return None
        day, stop = read
        if stop < n and tokens.lowers[stop] == "of":
            stop += 1
        month = _month(tokens, stop)
        if month is None:
            return None
        stop += 1
    year = _year(tokens, stop) if stop < n else None
    try:
        date = datetime.date(year or 2000, month, day)  # 2000: a leap year, for "Feb. 29"
    except ValueError:
        return None
    return date, stop + (year is not None), year is not None


def _latest(published: datetime.date, month: int, day: int) -> datetime.date | None:
    """The latest ``month``/``day`` not after publication ("Feb. 24" in a May paper)."""
    for year in range(published.year, published.year - 8, -1):
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            continue
        if date <= published:
            return date
    return None


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _unit(word: str) -> str | None:
    unit = word[:-1] if word.endswith("s") else word
    return unit if unit in _PERIOD_UNITS else None


def _small_count(word: str) -> int | None:
    if word.isdecimal():
        return int(word)
    value = numbers.UNIT_WORDS.get(word) or numbers.TENS_WORDS.get(word)
    return int(value) if value else (1 if word in ("a", "an", "one") else None)


def _shift(day: datetime.date, unit: str, count: int) -> datetime.date:
    """The day ``count`` units (hour, day, week, month, quarter, year, decade) from ``day``."""
    if unit == "hour":
        return day + datetime.timedelta(days=count // 24)
    if unit == "day":
        return day + datetime.timedelta(days=count)
    if unit == "week":
        return day + datetime.timedelta(weeks=count)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit] * count
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _bounds(day: datetime.date, unit: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the day, week (Monday-Sunday), month, quarter or year."""
    if unit in ("hour", "day"):
        return day, day
    if unit == "week":
        first = day - datetime.timedelta(days=day.weekday())
        return first, first + datetime.timedelta(days=6)
    if unit == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if unit == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        last_month = first_month + 2
        last_day = calendar.monthrange(day.year, last_month)[1]
        return datetime.date(day.year, first_month, 1), datetime.date(
            day.year, last_month, last_day
        )
    if unit == "decade":
        first_year = day.year - day.year % 10
        return datetime.date(first_year, 1, 1), datetime.date(first_year + 9, 12, 31)
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def _last_weekday(day: datetime.date, name: str) -> datetime.date:
    """The last day called ``name`` on or before ``day`` ("on Friday" in Saturday's paper)."""
    target = [d.lower() for d in calendar.day_name].index(name)
    return day - datetime.timedelta(days=(day.weekday() - target) % 7)
