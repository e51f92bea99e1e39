"""Periods: when a figure holds, as first and last day, read from the time phrase nearest
to it in its sentence ("in 2019", "since February 2022", "last week", "over the past two
months", "on Friday") and resolved against the publication date. Word lists:
lexicon/periods.yaml.
"""

from __future__ import annotations

import calendar
import datetime

from claims import lexicon, numbers
from claims.model import Claim
from claims.sentences import Tokens

_ROLLING = lexicon.words("periods", "rolling")
_OPENERS = lexicon.mapping("periods", "openers")
_RELATIVE = lexicon.mapping("periods", "relative", int)
_PERIOD_UNITS = lexicon.words("periods", "units")
_MONTHS = lexicon.words("nonclaims", "months")
_WEEKDAYS = lexicon.words("nonclaims", "weekdays")
# The words a time phrase can open with (see ``PeriodReader._time_phrase``): an opener
# ("in", "since"), a relative word ("last", "next"), or the words of "over the past two
# weeks" and "on Friday". Other tokens are not tried.
_SPAN_OPENERS = frozenset(("over", "in", "during", "for"))  # "over the past two weeks"
_DAY_OPENER = "on"  # "on Friday"
_TIME_PHRASE_STARTS = frozenset(_OPENERS) | frozenset(_RELATIVE) | _SPAN_OPENERS | {_DAY_OPENER}
_MONTH_NUMBERS = {
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m},
    "sept": 9,
}


class PeriodReader:
    """Reads the periods of a document's figures against its publication date."""

    def __init__(self, published: str | None):
        self.published = _date(published)

    def period(self, tokens: Tokens, claim: Claim) -> tuple[str | None, str | None, str | None]:
        """(start, end, words) of the time the figure holds, from the nearest time phrase."""
        found = []
        for k, word in enumerate(tokens.lowers):
            if word not in _TIME_PHRASE_STARTS:
                continue
            read = self._time_phrase(tokens, k)
            if read is not None:
                start, end, last = read
                distance = min(
                    abs(tokens.starts[k] - claim.end), abs(claim.start - tokens.ends[last - 1])
                )
                inside = claim.start <= tokens.starts[k] < claim.end
                if not inside:
                    found.append((distance, start, end, tokens.phrase(k, last)))
        if not found:
            day = self.published.isoformat() if self.published else None
            return day, day, None
        _, start, end, words = min(found)
        return start, end, words

    def _time_phrase(self, tokens: Tokens, k: int):
        """Read a time phrase at k: "in 2019", "by 2024", "since February 2022", "last week",
        "over the past two months", "on Friday". Returns (start, end, last token) or None."""
        words = tokens.lowers
        opener = _OPENERS.get(words[k])
        j = k + 1 if opener else k
        if j < tokens.n and words[j] == "the" and opener:
            j += 1
        if j >= tokens.n:
            return None
        year = numbers.year(tokens.texts[j], earliest=1800) if tokens.is_digits(j) else None
        if year and opener:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            return (*self._span(opener, first, last), j + 1)
        month = _MONTH_NUMBERS.get(words[j].rstrip("."))
        if month and (opener or k == j) and (words[j] in _MONTHS):
            end_token = j + 1
            year = self.published.year if self.published else None
            if (
                end_token < tokens.n
                and tokens.is_digits(end_token)
                and numbers.year(tokens.texts[end_token], earliest=1800)
            ):
                year, end_token = (
                    numbers.year(tokens.texts[end_token], earliest=1800),
                    end_token + 1,
                )
            elif end_token < tokens.n and tokens.is_digits(end_token):
                return None  # "August 5": a date, not a period (handled by the day reader)
            if year is None or not opener:
                return None
            first = datetime.date(year, month, 1)
            last = datetime.date(year, month, calendar.monthrange(year, month)[1])
            return (*self._span(opener, first, last), end_token)
        if self.published is None:
            return None
        if words[j] in _RELATIVE and j + 1 < tokens.n and _unit(words[j + 1]):
            unit = _unit(words[j + 1])
            if words[j] in _ROLLING:  # "the past year": the twelve months before publication
                other = _shift(self.published, unit, 1 if _RELATIVE[words[j]] > 0 else -1)
                first, last = sorted((self.published, other))
                return first.isoformat(), last.isoformat(), j + 2
            return (*self._relative(_RELATIVE[words[j]], unit), j + 2)
        if words[j] in ("past", "last") and j + 2 < tokens.n and opener is None and k > 0:
            return None
        if words[k] in _SPAN_OPENERS and k + 3 < tokens.n:
            m = k + 2 if words[k + 1] == "the" else k + 1
            if m + 2 < tokens.n and words[m] in ("past", "last"):
                count, unit = _small_count(words[m + 1]), _unit(words[m + 2])
                if count and unit:  # "over the past two weeks"
                    start = _shift(self.published, unit, -count)
                    return start.isoformat(), self.published.isoformat(), m + 3
        if words[k] == _DAY_OPENER and k + 1 < tokens.n and words[k + 1] in _WEEKDAYS:
            day = _last_weekday(self.published, words[k + 1])
            return day.isoformat(), day.isoformat(), k + 2  # "On Friday, Russia launched"
        return None

    def _span(self, opener: str, first: datetime.date, last: datetime.date):
        published = self.published.isoformat() if self.published else None
        if opener == "until":
            return published, last.isoformat()
        if opener == "since":
            return first.isoformat(), published
        return first.isoformat(), last.isoformat()

    def _relative(self, offset: int, unit: str):
        base = _shift(self.published, unit, offset)
        first, last = _bounds(base, unit)
        return first.isoformat(), last.isoformat()


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _unit(word: str) -> str | None:
    unit = word[:-1] if word.endswith("s") else word
    return unit if unit in _PERIOD_UNITS else None


def _small_count(word: str) -> int | None:
    if word.isdecimal():
        return int(word)
    value = numbers.UNIT_WORDS.get(word)
    return int(value) if value else (1 if word in ("a", "one") else None)


def _shift(day: datetime.date, unit: str, count: int) -> datetime.date:
    """The day ``count`` units (day, week, month, quarter, year, decade) from ``day``."""
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
    if unit == "day":
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
