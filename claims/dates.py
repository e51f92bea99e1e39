"""Read the publication date of a record or a page, in the forms newsrooms write it.

ISO 8601 ("2023-09-28", "2023-09-28T10:00:00Z"), RFC 2822 as feeds and e-mail write it
("Thu, 28 Sep 2023 10:00:00 +0000") and written dates ("September 28, 2023", "28 Sept.
2023"). The date is the one written, in its own time zone; a value that is no date gives
None, never a guess and never today's date.
"""

from __future__ import annotations

import datetime
import email.utils
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_written = re.compile(
    r"""
    (?:[A-Za-z]+,?\s+)?                                # a weekday: "Thursday, "
    (?:
        (?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})
      | (?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>[A-Za-z]+)\.?,?\s+(?P<year2>\d{4})
    )
    """,
    re.VERBOSE,
)

#: The longest value read as a date: "Thursday, September 28th, 2023 at 10:00:00 AM
#: Eastern Daylight Time" is 70 characters.
DATE_LENGTH = 100

_iso = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?=$|[T\s])")


def parse_date(value: object) -> str | None:
    """Return the date ``value`` names as ``YYYY-MM-DD``, or None when it names none.

    >>> parse_date("2023-09-28T10:00:00Z"), parse_date("Thu, 28 Sep 2023 10:00:00 +0000")
    ('2023-09-28', '2023-09-28')
    >>> parse_date("September 28, 2023"), parse_date("28 Sept. 2023"), parse_date("soon")
    ('2023-09-28', '2023-09-28', None)
    >>> parse_date(datetime.date(2023, 9, 28)), parse_date(["2023-09-28"] * 9), parse_date(20230928)
    ('2023-09-28', None, None)
    """
    if isinstance(value, datetime.date):  # YAML front matter reads dates as dates
        return value.isoformat()[:10]
    if not isinstance(value, str) or len(value) > DATE_LENGTH:
        return None  # a list, a record, a page of text: never made into a string (#14)
    text = value.strip()
    if not text:
        return None
    match = _iso.match(text)
    if match:
        return _date(*map(int, match.groups()))
    if re.search(r"\d{1,2}:\d{2}", text):
        try:
            return email.utils.parsedate_to_datetime(text).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    match = _written.fullmatch(text.split(" at ")[0].strip()) or _written.match(text)
    if match:
        month = _MONTHS.get((match["month"] or match["month2"]).lower())
        day = int(match["day"] or match["day2"])
        year = int(match["year"] or match["year2"])
        if month:
            return _date(year, month, day)
    return None


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None  # "2023-02-30": no such day
