"""Datasette plugin: each claim readable in its sentence, its figure in words, and links
between claims and their documents.

- ``sentence`` cells show the claim marked inside its sentence (``<mark>``);
- ``value`` cells of the claims table show the figure with its unit ("up to 6,000
  rounds/day", "$2.1 billion");
- a claim's ``text`` links to its document, and a document's ``title`` to its claims;
- facets of type ``summary`` (metadata.yml) read their counts on the whole, unfiltered
  table of an immutable database from ``claim_facets`` (``claims.summary``), made by the
  build, instead of a ``group by`` over every claim (issue #8);
- ``escape_fts`` (SQL) turns any search into words and phrases that FTS5 takes, so that a
  search is never a 400 with SQLite's message, and NUL characters are dropped from every
  request's parameters (issue #14).

Everything taken from the data is HTML-escaped: articles are never rendered as HTML. The
functions that build the cells are pure and tested alone; ``render_cell`` only picks one,
and a cell it cannot build (a custom SQL's columns of other types) is Datasette's own.
Registered through the ``datasette`` entry point in pyproject.toml.
"""

from __future__ import annotations

import math
import re
import urllib.parse

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import path_with_removed_args
from markupsafe import Markup, escape

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "UAH": "₴", "INR": "₹"}
QUALIFIER_WORDS = {"<=": "up to", ">=": "at least", "<": "under", ">": "over", "~": "about"}
SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def highlight(
    sentence: str,
    text: str,
    start: int | None = None,
    end: int | None = None,
    sentence_start: int | None = None,
) -> Markup:
    """The sentence, escaped, with the claim ``text`` in ``<mark>``: at its offsets when
    they are known, else where the text first stands.

    >>> str(highlight("Kyiv got <b>31</b> tanks.", "31", 12, 14, 0))
    'Kyiv got &lt;b&gt;<mark>31</mark>&lt;/b&gt; tanks.'
    """
    at = None
    if None not in (start, end, sentence_start):
        at = start - sentence_start
        if sentence[at : at + (end - start)] != text:
            at = None
    if at is None:
        found = sentence.find(text) if text else -1
        if found < 0:
            return escape(sentence)
        at = found
    before, marked, after = sentence[:at], sentence[at : at + len(text)], sentence[at + len(text) :]
    return Markup("{}<mark>{}</mark>{}").format(before, marked, after)


def format_number(number: float) -> str:
    """ "6,000", "2.1 billion", "0.25", "1 million".

    >>> format_number(6000), format_number(2.1e9), format_number(0.25), format_number(1e6)
    ('6,000', '2.1 billion', '0.25', '1 million')
    """
    if not math.isfinite(number):
        return str(number)
    for scale, word in SCALES:
        if abs(number) >= scale and (number / scale) * 1000 == round(number / scale * 1000):
            return f"{_plain(number / scale)} {word}"
    return _plain(number)


def _plain(number: float) -> str:
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.6f}".rstrip("0").rstrip(".")


def format_unit(unit: str, number: float | None) -> str:
    """A canonical unit as a reader writes it: "round / day" -> "rounds/day" (plural unless
    one), "kilometer_per_hour" -> "kilometers/hour", "kilometer ** 2" -> "kilometers²",
    "year of age" -> "years of age", "percent" -> "%"."""
    if unit == "percent":
        return "%"
    words = unit.replace("_per_", " / ").replace("_", " ").replace(" / ", "/")
    words = words.replace(" ** 2", "²").replace(" ** 3", "³")
    head, slash, rest = words.partition("/")
    if number is not None and abs(number) != 1 and head:
        first, space, tail = head.partition(" ")
        power = first[-1] if first[-1] in "²³" else ""
        head = plural(first.rstrip("²³")) + power + space + tail
    return head + slash + rest


_IRREGULAR = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "criterion": "criteria",
}


def plural(noun: str) -> str:
    """ "country" -> "countries", "child" -> "children", "box" -> "boxes", "round" -> "rounds".

    >>> [plural(w) for w in ("country", "child", "bus", "day", "troops")]
    ['countries', 'children', 'buses', 'days', 'troops']
    """
    if noun in _IRREGULAR or noun in _IRREGULAR.values():
        return _IRREGULAR.get(noun, noun)
    if noun.endswith("s") and not noun.endswith(("us", "ss")):
        return noun  # already plural
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def format_value(
    value: float | None,
    low: float | None,
    high: float | None,
    qualifier: str,
    unit: str,
    dimension: str = "",
    change: str | None = None,
) -> str:
    """The figure of a claim in words: "up to 6,000 rounds/day", "$2.1 billion", "from
    4,000 to 7,000 troops", "up 5%".

    >>> format_value(6000, None, 6000, "<=", "round / day")
    'up to 6,000 rounds/day'
    >>> format_value(2.1e9, 2.1e9, 2.1e9, "=", "USD", "currency")
    '$2.1 billion'
    >>> format_value(None, 4000, 7000, "range", "troop")
    'from 4,000 to 7,000 troops'
    """
    if value is None and low is not None and high is not None:
        first = _amount(low, unit, dimension) if _sign(unit, dimension) else format_number(low)
        return f"from {first} to {_amount(high, unit, dimension)}"
    number = value if value is not None else (high if high is not None else low)
    if number is None:
        return ""
    words = QUALIFIER_WORDS.get(qualifier, "")
    if change in ("up", "down"):
        words = f"{change} {words}".strip()  # "up more than 10%"
    return f"{words} {_amount(number, unit, dimension)}".strip()


def _sign(unit: str, dimension: str) -> str | None:
    return CURRENCY_SIGNS.get(unit) if dimension == "currency" or unit in CURRENCY_SIGNS else None


def _amount(number: float, unit: str, dimension: str) -> str:
    money, slash, per = unit.partition(" / ")
    if slash and money in CURRENCY_SIGNS:  # "$100 billion/year", "$4/gallon"
        return f"{CURRENCY_SIGNS[money]}{format_number(number)}/{format_unit(per, 1)}"
    if slash and len(money) == 3 and money.isupper():
        return f"{format_number(number)} {money}/{format_unit(per, 1)}"
    sign = _sign(unit, dimension)
    if sign:
        return f"{sign}{format_number(number)}"
    if not unit:
        return format_number(number)
    if dimension == "currency":
        return f"{format_number(number)} {unit}"  # "12 CHF"
    shown = format_unit(unit, number)
    return f"{format_number(number)}{shown}" if shown == "%" else f"{format_number(number)} {shown}"


def document_link(base: str, document_id: str, label: str) -> Markup:
    """A link to a document's page: ``base`` is the documents table's URL."""
    href = f"{base}/{urllib.parse.quote(document_id, safe='')}"
    return Markup('<a href="{}">{}</a>').format(href, label)


def claims_link(base: str, document_id: str, title: str) -> Markup:
    """A document's title, then a link to its claims: ``base`` is the claims table's URL."""
    href = f"{base}?{urllib.parse.urlencode({'document_id': document_id})}"
    return Markup('{} <a class="claims-of-document" href="{}">(its claims)</a>').format(title, href)


#: The phrases and words of a search: a phrase in double quotes, or a run of characters
#: that are neither space nor quote (a lone quote is dropped).
_search_terms = re.compile(
    r"""
    "(?P<phrase>[^"]*)"   # a phrase in double quotes, as written
    | (?P<word>[^\s"]+)   # or a word
    """,
    re.VERBOSE,
).finditer


def escape_fts(query: str | None) -> str:
    """An FTS5 query that searches ``query``'s words and quoted phrases as they are written,
    each an FTS5 string, so that no search is a syntax error: a lone quote, NUL characters
    (dropped) and operators (AND, NEAR, ``*``, ``:``) are searched as plain words. Nothing
    to search is the empty phrase ``""``, which matches nothing.

    >>> escape_fts('6,000 rounds "military aid" OR')
    '"6,000" "rounds" "military aid" "OR"'
    >>> escape_fts('"'), escape_fts("a\\x00b"), escape_fts(None)
    ('""', '"ab"', '""')
    """
    text = str(query or "").replace("\x00", "")
    terms = [match["phrase"] or match["word"] or "" for match in _search_terms(text)]
    return " ".join(f'"{term}"' for term in terms if term.strip()) or '""'


def without_nul(query: str) -> str:
    """A query string with the NUL characters of its parameters dropped, and a parameter
    that held nothing else dropped whole ("_facet=%00" would be an empty facet).

    >>> without_nul("q=rounds%00&_facet=%00&%00=1&unit=round")
    'q=rounds&unit=round'
    """
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    kept = []
    for name, value in pairs:
        if "\x00" in name or "\x00" in value:
            name, value = name.replace("\x00", ""), value.replace("\x00", "")
            if not (name and value):
                continue
        kept.append((name, value))
    return urllib.parse.urlencode(kept)


@hookimpl
def asgi_wrapper(datasette):
    """Drop NUL characters from every request's parameters (``without_nul``): in a facet, a
    sort or a ``_where`` they reached SQLite, and the page was a 500 ("the query contains a
    null character"); no parameter means one (issue #14)."""

    def wrap(app):
        async def guarded(scope, receive, send):
            query = scope.get("query_string") or b""
            if scope.get("type") == "http" and b"%00" in query:
                text = without_nul(query.decode("latin-1"))
                scope = dict(scope, query_string=text.encode("latin-1"))
            await app(scope, receive, send)

        return guarded

    return wrap


@hookimpl(trylast=True)
def prepare_connection(conn):
    """Replace Datasette's ``escape_fts`` (table search, ``_search=``, and the canned
    queries' ``:q`` and ``:concept``) with ours, last, so that no search is a 400 with
    SQLite's message (``q="``, a NUL in ``q``: issue #14)."""
    conn.create_function("escape_fts", 1, escape_fts, deterministic=True)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Pick the cell builder for a claims, documents or query cell; None leaves Datasette's.

    Query rows get the same: a ``sentence`` (or ``first_sentence``) marked with its claim's
    ``text`` (or ``first_claim``), a ``value`` in words, ``text`` and ``document`` linked to
    the document when the row has its ``document_id``. Any SQL may name its columns so
    (``select 'x' as text, 1 as document_id``): a cell whose row is not of the shape it
    expects keeps Datasette's rendering, and never fails the page (issue #14).
    """
    if table not in (None, "claims", "documents"):
        return None
    if column not in _CELLS and not column.endswith("sentence"):
        return None  # first, as this runs for every cell of every page
    keys = set(row.keys()) if hasattr(row, "keys") else set()
    try:
        return _render(row, keys, value, column, table, database, datasette)
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError):
        return None  # a shape the checks in _render did not foresee: Datasette's cell


def _render(row, keys: set, value, column: str, table, database, datasette):
    """The cell of ``render_cell``, or None; each builder gets only the types it takes."""
    if column.endswith("sentence") and isinstance(value, str):
        prefix = column[: -len("sentence")]
        text = next((k for k in (prefix + "claim", prefix + "text", "text") if k in keys), None)
        if text and isinstance(_get(row, text) or "", str):
            offsets = [_get(row, k) for k in _OFFSETS] if column == "sentence" else []
            if not all(_is_int(offset) for offset in offsets):
                offsets = []
            return highlight(value, _get(row, text) or "", *offsets)
    if table != "documents" and column == "value" and {"unit", "qualifier"} <= keys:
        figures = [value, _get(row, "low"), _get(row, "high")]
        words_in = [_get(row, k) for k in ("qualifier", "unit", "dimension", "change")]
        if not all(f is None or _is_number(f) for f in figures) or not all(
            w is None or isinstance(w, str) for w in words_in
        ):
            return None
        qualifier, unit, dimension, change = words_in
        words = format_value(*figures, qualifier or "", unit or "", dimension or "", change)
        return escape(words) if words else None
    if table != "documents" and column in ("text", "document") and "document_id" in keys:
        document = _get(row, "document_id")
        if value and isinstance(document, str | int) and not isinstance(document, bool):
            documents = datasette.urls.table(database, "documents")
            return document_link(documents, str(document), value)
    if table == "documents" and column == "title" and "id" in keys and value:
        document = _get(row, "id")
        if isinstance(document, str | int):
            return claims_link(datasette.urls.table(database, "claims"), str(document), value)
    return None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_OFFSETS = ("start", "end", "sentence_start")
#: The columns render_cell builds, besides sentences.
_CELLS = frozenset({"value", "text", "document", "title"})


def _get(row, key: str):
    """The plain value of ``key`` in a row (an expanded foreign key is {"value", "label"})."""
    value = row[key] if key in row.keys() else None
    return value.get("value") if isinstance(value, dict) else value


#: A where clause in the SQL of a table page: filters, a search or ``_where``.
_filtered = re.compile(r"\bwhere\b", re.IGNORECASE).search


class SummaryFacet(ColumnFacet):
    """A column facet whose counts on the unfiltered table of an immutable database come
    from the table ``claim_facets``; a filtered page, a database a build may be writing
    (``--live``) or one without the table count as Datasette's column facet does."""

    type = "summary"

    async def suggest(self):
        return []  # suggestions are column facets' (and off: see claims serve)

    async def facet_results(self):
        db = self.ds.get_database(self.database)
        if (
            db.is_mutable
            or self.table != "claims"
            or self.params
            or _filtered(self.sql)
            or not await db.table_exists("claim_facets")
        ):
            return await super().facet_results()
        size = self.get_facet_size()
        # The link that adds a value's filter, as path_with_added_args would make it, built
        # once: urljoin for each of 240 values took most of the page's time.
        page = self.ds.absolute_url(self.request, self.ds.urls.path(self.request.path))
        current = urllib.parse.parse_qsl(self.request.query_string)

        def toggle_url(column: str, value: str) -> str:
            return f"{page}?{urllib.parse.urlencode([*current, (column, value)])}"

        results = []
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            rows = (
                await self.ds.execute(
                    self.database,
                    "select value, claims as count from claim_facets "
                    "where facet = :facet and value is not null "
                    "order by claims desc, value limit :limit",
                    {"facet": column, "limit": size + 1},
                )
            ).rows
            expanded = await self.ds.expand_foreign_keys(
                self.database, self.table, column, [row["value"] for row in rows[:size]]
            )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "hideable": config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {"_facet_summary": column})
                    ),
                    "results": [
                        {
                            "value": row["value"],
                            "label": expanded.get((column, row["value"]), row["value"]),
                            "count": row["count"],
                            "toggle_url": toggle_url(column, row["value"]),
                            "selected": False,
                        }
                        for row in rows[:size]
                    ],
                    "truncated": len(rows) > size,
                }
            )
        return results, []


@hookimpl
def register_facet_classes():
    return [SummaryFacet]
