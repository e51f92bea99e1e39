"""Read the documents a file holds, by its format: articles, pages, records and feeds.

Each reader takes a file's text (already decoded, see ``claims.decode``) and yields what it
holds: a ``Document`` for each article, a ``Refusal`` for each record it cannot use (a
broken JSON line, a CSV row without text), so that one bad record never costs the others.

========================  ===============================================================
suffix                    what is read
========================  ===============================================================
``.txt``                  the seed format (`` date YYYY-MM-DD `` first) or plain text
``.md``, ``.markdown``    plain text; the title is the first heading or line
``.html``, ``.htm``       the main text, title, date, canonical URL and outlet (trafilatura)
``.json``                 a record, a list of records, or an object holding one list
``.jsonl``, ``.ndjson``   a record per line
``.csv``, ``.tsv``        a record per row, the first row naming the columns
``.rss``, ``.atom``,      a record per feed entry (feedparser); ``.xml`` when it is a feed
``.xml``
========================  ===============================================================

A record's fields are found by their usual names (``FIELDS``); ``fields`` maps others:
``{"text": "article_body"}``. A record's label is its file's label with ``#`` and its id,
URL or number (``corpus.jsonl#7d015e6984``), so that a changed record replaces its own
document and no other.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import yaml

from claims.dates import parse_date
from claims.decode import declared_encoding, decode
from claims.errors import DocumentError
from claims.model import Document, Refusal
from claims.sources import (
    STDIN,
    SUFFIXES,
    DocumentFile,
    document_label,
    list_document_files,
    parse_document,
    shorten,
    source_label,
)

csv.field_size_limit(2**31 - 1)  # an article is one cell, often over the 128 KB default

#: Files larger than this are refused unless a build allows more (``--max-bytes``).
MAX_BYTES = 20_000_000

#: The names a record's fields go by, in order of preference.
FIELDS = {
    "text": ("text", "body", "content", "article", "article_body", "maintext", "description"),
    "title": ("title", "headline", "name"),
    "url": ("url", "link", "canonical_url", "href"),
    "published": (
        "published",
        "date",
        "pubdate",
        "published_at",
        "publication_date",
        "datetime",
        "created_at",
        "time",
    ),
    "source": ("source", "outlet", "publisher", "site", "sitename", "site_name", "domain"),
    "id": ("id", "guid", "uid", "uuid", "doc_id", "article_id"),
}

#: Parameters of the date search in a page: the date it states, never one guessed from a
#: copyright line or the day it is read.
_HTML_DATES = {"extensive_search": False, "original_date": True}


Read = Iterator[Document | Refusal]


def read_documents(paths: Iterable[str | Path], fields: Mapping[str, str] | None = None) -> Read:
    """Yield the documents in ``paths``, in the order the files are listed, for commands
    that stop at the first fault (``claims extract``); a build goes on past them instead.

    :raises DocumentError: a path is bad (at once), or a file or record cannot be read
    """
    files = list_document_files(paths)
    return _strict(files, fields)


def _strict(files: list[DocumentFile], fields: Mapping[str, str] | None) -> Iterator[Document]:
    for file in files:
        for item in read_file(file, fields=fields):
            if isinstance(item, Refusal):
                where = f"{file.path} ({item.record})" if item.record else str(file.path)
                raise DocumentError(where, item.reason)
            yield item


def read_document(path: str | Path, label: str | None = None) -> Document:
    """Return the (first) document of the file ``path``.

    :param label: the path to store in ``Document.path``; default: ``document_label(path)``.
      The source is the folder of the label (``source_label``).
    :raises DocumentError: the file is missing, unreadable, not text, or holds no document
    """
    path = Path(path)
    file = DocumentFile(path, label if label is not None else document_label(path))
    for doc in _strict([file], None):
        return doc
    raise DocumentError(path, "no document in this file")


def read_file(
    file: DocumentFile,
    max_bytes: int = MAX_BYTES,
    fields: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
) -> Read:
    """Yield the documents (and refusals) of ``file``: read, decoded, parsed by its format.

    The standard input (label ``-``) is read from ``stdin`` (default ``sys.stdin``); its
    documents have no folder for a source, and a plain text has no path.
    """
    label = file.label
    try:
        if label == STDIN:
            data = (stdin or sys.stdin.buffer).read(max_bytes + 1)
            size = len(data)
        else:
            size = file.path.stat().st_size
            data = b"" if size > max_bytes else file.path.read_bytes()
    except OSError as error:
        yield Refusal(label, None, (error.strerror or str(error)).lower())
        return
    if size > max_bytes:
        limit = f"{max_bytes / 1e6:g} MB"
        yield Refusal(label, None, f"larger than {limit}: raise --max-bytes to read it")
        return
    try:
        suffix = PurePosixPath(label).suffix.lower()
        declared = declared_encoding(data) if SUFFIXES.get(suffix) in ("html", "feed") else None
        text = decode(data, label, declared)
    except DocumentError as error:
        yield Refusal(label, None, error.reason)
        return
    kind = format_of(label, text[:2000])
    if kind is None:  # listed by another name (claims.sources names files by their own)
        yield Refusal(label, None, f"cannot read a file of this name: {PurePosixPath(label).name}")
        return
    if label == STDIN:
        for doc in read_text(text, label, kind, None, fields):
            if isinstance(doc, Document) and doc.path == STDIN:
                doc = dataclasses.replace(doc, path=None)
            yield doc
    else:
        yield from read_text(text, label, kind, source_label(label), fields)


def format_of(name: str, head: str = "") -> str | None:
    """Return the format of a file named ``name`` starting with ``head``, or None.

    The standard input (``-``) has no suffix: its first characters decide.

    >>> format_of("a/b.JSONL"), format_of("-", '{"text": "x"}'), format_of("a.pdf")
    ('jsonl', 'jsonl', None)
    """
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if name != "-":
        return None
    start = head.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("["):
        return "json"
    if start.startswith("{"):  # one record a line, or one record (or list) over many
        first = start.split("\n", 1)[0].rstrip()
        return "jsonl" if first.endswith("}") else "json"
    if start.startswith("<"):
        return "feed" if re.search(r"<(rss|feed|rdf:rdf)\b", start) else "html"
    return "text"


def read_text(
    text: str,
    label: str,
    kind: str,
    source: str | None,
    fields: Mapping[str, str] | None = None,
) -> Read:
    """Yield the documents (and refusals) of the text of a file of format ``kind``.

    :param label: the file's label; stored as each document's path, ``#`` record key added
    :param source: the source of documents that name none (the file's folder)
    :param fields: field name -> the record's key for it, over ``FIELDS``
    """
    readers = {
        "text": _read_plain,
        "markdown": _read_markdown,
        "html": _read_html,
        "json": _read_json,
        "jsonl": _read_jsonl,
        "csv": _read_csv,
        "feed": _read_feed,
    }
    yield from readers[kind](text, label, source, dict(fields or {}))


def _read_plain(text: str, label: str, source: str | None, fields: dict) -> Read:
    try:
        yield parse_document(text, path=label, source=source)
    except DocumentError as error:
        yield Refusal(label, None, error.reason)


def _read_markdown(text: str, label: str, source: str | None, fields: dict) -> Read:
    try:
        front, text = _front_matter(text, label)
    except DocumentError as error:
        yield Refusal(label, None, error.reason)
        return
    for doc in _read_plain(text, label, source, fields):
        if isinstance(doc, Document):
            title = _string(front.get("title")) or doc.title.lstrip("#").strip() or None
            published = parse_date(front.get("date") or front.get("published"))
            doc = dataclasses.replace(
                doc,
                title=shorten(title) if title else None,
                published=published,
                url=_url(front.get("url") or front.get("link")),
                source=_name(front.get("source") or front.get("outlet")) or source,
                meta={"format": "markdown"},
            )
        yield doc


#: Front matter larger than this is read as text: metadata is a few lines (#14).
FRONT_MATTER_BYTES = 16_000

_front_matter_block = re.compile(
    r"""
    \A\ufeff?---[ \t]*\n               # a line of three dashes opens it
    (?P<yaml>.*?)\n                     # the YAML, shortest
    ---[ \t]*(?:\n|\Z)                  # up to the next line of three dashes
    """,
    re.VERBOSE | re.DOTALL,
).match


_ALIAS = "found an alias (*name)"


class _NoAliasLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: nine anchors of nine aliases each make a
    structure of 9^9 items out of 400 bytes (a "billion laughs"), so a document of
    untrusted front matter that uses one is refused before anything is built (#14)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, _ALIAS, event.start_mark)
        return super().compose_node(parent, index)


def _front_matter(text: str, label: str) -> tuple[dict, str]:
    """The YAML front matter of a Markdown text (between ``---`` lines) and the text after
    it. No front matter, one that is not YAML, or one over ``FRONT_MATTER_BYTES`` (an
    article between two rules, more likely) gives ({}, text).

    :raises DocumentError: the front matter is nested too deeply, or uses YAML aliases
      (it is read without them: see ``_NoAliasLoader``)
    """
    match = _front_matter_block(text)
    if not match or len(match.group("yaml")) > FRONT_MATTER_BYTES:
        return {}, text
    try:
        front = yaml.load(match.group("yaml"), Loader=_NoAliasLoader)  # noqa: S506 (safe)
    except yaml.composer.ComposerError as error:
        if error.problem != _ALIAS:
            return {}, text
        raise DocumentError(
            label, "front matter with YAML aliases (*name): write the values out"
        ) from None
    except (yaml.YAMLError, ValueError):  # ValueError: an integer of 4,300 digits
        return {}, text
    except RecursionError:
        raise DocumentError(label, "front matter nested too deeply to read") from None
    return (front, text[match.end() :]) if isinstance(front, dict) else ({}, text)


def _read_html(text: str, label: str, source: str | None, fields: dict) -> Read:
    page = _page(text)
    if page is None:
        body = _html_text(text)  # a fragment or a bare page: its text, if it has any
        if len(body.split()) < 3:
            yield Refusal(label, None, "HTML with no article text")
        else:
            title = body.split("\n", 1)[0].strip()
            yield Document(body, shorten(title), None, None, label, source, {"format": "html"})
        return
    yield Document(
        text=page.text,
        title=shorten(page.title) if page.title else None,
        published=parse_date(page.date),
        url=page.url,
        path=label,
        source=page.sitename or page.hostname or source,
        meta={"format": "html"},
    )


def _page(html: str):
    """The main text of a page and its metadata (trafilatura), or None when it has none."""
    import trafilatura  # loaded only for pages: it takes a while to import

    page = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, date_extraction_params=_HTML_DATES
    )
    return page if page is not None and (page.text or "").strip() else None


def _read_json(text: str, label: str, source: str | None, fields: dict) -> Read:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        yield Refusal(
            label, None, f"not JSON (line {error.lineno}, column {error.colno}): {error.msg}"
        )
        return
    except RecursionError:
        yield Refusal(label, None, "JSON nested too deeply to read")
        return
    except ValueError:  # an integer of over 4,300 digits
        yield Refusal(label, None, _LONG_NUMBER)
        return
    records = _record_list(data, fields)
    if records is None:
        yield Refusal(label, None, "JSON that holds no record: expected an object or a list")
        return
    if not records:
        yield Refusal(label, None, "no records in this file")
        return
    reader = _Records(label, source, fields, len(records))
    for number, record in enumerate(records, start=1):
        yield reader.read(record, f"record {number}", number)


_LONG_NUMBER = "JSON with a number too long to read (over 4,300 digits)"


def _record_list(data: object, fields: dict, depth: int = 0) -> list | None:
    """The records a JSON value holds: a list, a record, or the one list of records an
    object holds, nested up to three levels (``{"data": {"articles": [...]}}``)."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        return None
    if _field(data, "text", fields) is not None or depth == 3:
        return [data]
    lists = [value for value in data.values() if isinstance(value, list)]
    if len(lists) == 1:
        return lists[0]
    objects = [value for value in data.values() if isinstance(value, dict)]
    if not lists and len(objects) == 1:
        return _record_list(objects[0], fields, depth + 1)
    return [data]


def _read_jsonl(text: str, label: str, source: str | None, fields: dict) -> Read:
    lines = text.split("\n")  # not splitlines(): JSON strings may hold U+2028
    records = _Records(label, source, fields, len(lines))
    empty = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        empty = False
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield Refusal(label, f"line {number}", f"not JSON (column {error.colno}): {error.msg}")
            continue
        except RecursionError:
            yield Refusal(label, f"line {number}", "JSON nested too deeply to read")
            continue
        except ValueError:
            yield Refusal(label, f"line {number}", _LONG_NUMBER)
            continue
        yield records.read(record, f"line {number}", number)
    if empty:
        yield Refusal(label, None, "no records in this file")


def _read_csv(text: str, label: str, source: str | None, fields: dict) -> Read:
    lines = io.StringIO(text, newline="").readlines()  # split at \n, \r\n or \r, as csv does
    rows = _csv_rows(lines, _delimiter(text, label))
    first = next(rows, None)
    if first is not None and first[3]:
        yield Refusal(label, None, f"malformed CSV: the first row, of column names: {first[3]}")
        return
    columns = first[2] if first is not None else []
    if _field(dict.fromkeys(columns, "x"), "text", fields) is None:
        shown = ", ".join(columns[:8]) or "none"
        yield Refusal(
            label, None, f"no text column (columns: {shown}): name one with --field text=COLUMN"
        )
        return
    records = _Records(label, source, fields, len(lines))
    empty = True
    for start, end, cells, fault in rows:
        if fault:
            yield Refusal(label, f"row {start}", f"malformed CSV: {fault}")
            continue
        if not cells:
            continue  # a blank line
        empty = False
        if len(cells) != len(columns):
            more = "more" if len(cells) > len(columns) else "fewer"
            yield Refusal(label, f"row {end}", f"{more} cells than columns")
            continue
        yield records.read(dict(zip(columns, cells, strict=False)), f"row {end}", end)
    if empty:
        yield Refusal(label, None, "no records in this file")


#: A cell spanning more lines than this is a quote that never closed (an article's
#: paragraphs and blank lines between them stay well below it).
CELL_LINES = 2_000
#: How many times over its lines a CSV file may be read, for rows refused and read again.
REREAD_LINES = 4


def _csv_rows(lines: list[str], delimiter: str) -> Iterator[tuple[int, int, list[str] | None, str]]:
    """Yield each row of a CSV file as (first line, last line, cells, fault), the first
    row (the column names) first; a malformed row has no cells and says why.

    A quote that never closes would swallow the rest of the file into one cell, and one
    closed by another row's quote merges the rows between (#14). So a row read strictly
    (a quote closes a cell only before a delimiter or a line's end) that spans several
    lines and does not have one cell a column, or spans over ``CELL_LINES``, or reaches
    the end of the file inside a quote, is refused by its first line, and reading starts
    again at the next line. Cells of several lines that close where they should (an
    article's paragraphs) stay whole. A restart reads again only the lines of the row
    refused.
    """
    position, columns = 0, None
    # Lines read again after restarts, at most: past it, a restart skips the row refused,
    # so that lines that each open a refused row (x",y,") are not read 2,000 times each.
    rereads = REREAD_LINES * len(lines)
    while position < len(lines):
        feed = _Lines(lines, position)
        reader = csv.reader(feed, delimiter=delimiter, strict=True)
        while True:
            before = feed.row_start = reader.line_num
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, _CellTooLong) as error:
                fault = _CSV_FAULTS.get(str(error), str(error))
                yield position + before + 1, position + reader.line_num, None, fault
                break
            start, end = position + before + 1, position + reader.line_num
            if columns is None:
                columns = len(cells)
            elif end > start and len(cells) != columns:
                fault = f"{len(cells)} cells for {columns} columns, over lines {start}-{end}"
                yield start, end, None, fault + ": a quote closed too late?"
                break
            yield start, end, cells, ""
        # again from the line after the refused row's first one, while rereads are left
        rereads -= reader.line_num - before - 1
        position += before + 1 if rereads > 0 else max(reader.line_num, before + 1)


_CSV_FAULTS = {"unexpected end of data": "a quote that is never closed"}


class _CellTooLong(Exception):
    def __str__(self) -> str:
        return f"a quoted cell over {CELL_LINES:,} lines: a quote that is never closed?"


class _Lines:
    """The lines of a CSV file from ``start`` on, for ``csv.reader``: it stops a row that
    goes on past ``CELL_LINES`` lines from ``row_start`` (lines read before it)."""

    def __init__(self, lines: list[str], start: int):
        self.lines, self.start, self.read, self.row_start = lines, start, 0, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.start + self.read >= len(self.lines):
            raise StopIteration
        if self.read - self.row_start >= CELL_LINES:
            raise _CellTooLong
        self.read += 1
        return self.lines[self.start + self.read - 1]


def _delimiter(text: str, label: str) -> str:
    """The delimiter of the CSV ``text``: tab for .tsv, else the one its first line uses
    (Excel writes ";" where the decimal mark is a comma). Only the delimiter is taken from
    the sniffer: from one line it guesses that ``""`` is no escaped quote, which it is."""
    if label.lower().endswith(".tsv"):
        return "\t"
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_feed(text: str, label: str, source: str | None, fields: dict) -> Read:
    import feedparser

    feed = feedparser.parse(text)
    if not feed.get("version"):
        yield Refusal(label, None, "not a feed (RSS or Atom)")
        return
    if not feed.entries:
        yield Refusal(label, None, "a feed without entries")
        return
    outlet = feed.feed.get("title") or source
    records = _Records(label, source, fields, len(feed.entries))
    for number, entry in enumerate(feed.entries, start=1):
        html = entry["content"][0]["value"] if entry.get("content") else entry.get("summary")
        record = {
            "id": entry.get("id"),
            "title": entry.get("title"),
            "url": entry.get("link"),
            "published": entry.get("published") or entry.get("updated"),
            "text": _html_text(html) if html else None,
            "source": outlet,
        }
        yield records.read(record, f"entry {number}", number)


def _html_text(html: str) -> str:
    """The text of an HTML fragment (a feed entry's content): tags out, paragraphs kept."""
    import lxml.etree
    import lxml.html

    if "<" not in html:
        return html
    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//head|//template|//noscript"):
        bad.drop_tree()
    for block in root.xpath("//p|//br|//div|//li|//h1|//h2|//h3|//h4"):
        block.tail = "\n" + (block.tail or "")
    return re.sub(r"\n\s*\n+", "\n\n", root.text_content()).strip()


class _Records:
    """The records of one file: turns each into a document, keeping their keys apart."""

    def __init__(self, label: str, source: str | None, fields: dict, total: int):
        self.label, self.source, self.fields, self.total = label, source, fields, max(total, 1)
        self.keys: set[str] = set()

    def read(self, record: object, where: str, number: int) -> Document | Refusal:
        """The document ``record`` holds, or why it holds none. ``where`` names it in a
        refusal; ``number`` is its place (a line or row number), out of ``total``."""
        label, fields = self.label, self.fields
        if not isinstance(record, dict):
            return Refusal(label, where, f"a {type(record).__name__}, not a record with fields")
        text = _text_of(_field(record, "text", fields))
        if not isinstance(text, str) or not text.strip():
            wanted = fields.get("text") or "/".join(FIELDS["text"][:3])
            return Refusal(label, where, f"no text (field {wanted})")
        given = (
            _key(_field(record, "id", fields)) or _key(_field(record, "url", fields)) or str(number)
        )
        key = given if given not in self.keys else f"{given}@{number}"
        self.keys.add(key)  # two records of one id: each keeps its own document
        title = _string(_field(record, "title", fields))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return Document(
            text=text,
            title=shorten(title) if title else shorten(text.strip().split("\n")[0]),
            published=parse_date(_field(record, "published", fields)),
            url=_url(_field(record, "url", fields)),
            path=f"{label}#{key}",
            source=_name(_field(record, "source", fields)) or self.source,
            # How far into its file the record ends, for the build's progress; its key and
            # number, for a reader of part of the file (claims.distributed) to label it so.
            meta={
                "format": "record",
                "done": min(number / self.total, 1.0),
                "key": given,
                "number": number,
            },
        )


def _text_of(value: object) -> str | None:
    """The text of a record's text field: HTML from a CMS made plain, a WordPress-style
    ``{"rendered": "<p>...</p>"}`` opened, and bytes that are no text (lone surrogates)
    replaced."""
    if isinstance(value, dict):
        value = next((value[k] for k in ("rendered", "text", "value", "html") if k in value), None)
    if not isinstance(value, str):
        return None
    if _HTML_TAG.search(value):
        value = _html_text(value)
    return value.encode("utf-8", "replace").decode("utf-8")


_HTML_TAG = re.compile(r"<(p|br|div|span|a|strong|em|h[1-6]|ul|li|script|img|figure)\b[^>]*>", re.I)


def _field(record: Mapping, name: str, fields: Mapping[str, str]):
    """The value of field ``name`` in ``record``: the mapped key (in any case), else the
    first usual one."""
    lowered = {str(key).lower(): key for key in record}
    if name in fields:
        key = fields[name]
        return record.get(key, record.get(lowered.get(key.lower()), None))
    for candidate in FIELDS[name]:
        if candidate in lowered and record[lowered[candidate]] not in (None, ""):
            return record[lowered[candidate]]
    return None


#: A record's short field (a title, an outlet, an id) is read up to this many characters,
#: so that a field of megabytes costs no more than its first line (#14).
FIELD_LENGTH = 1_000

#: The longest outlet name kept (cut with "…").
NAME_LENGTH = 200

#: The longest URL kept; a longer one is no link anyone wrote by hand.
URL_LENGTH = 2_000

_SCALARS = (str, int, float, datetime.date)


def _string(value: object, limit: int = FIELD_LENGTH) -> str | None:
    """The text of a short field, at most ``limit`` characters; None for no value or a
    structure (a list, a nested record), which is never turned into text whole (#14).

    >>> _string({"name": "Reuters", "url": "https://reuters.com"}), _string([["a"] * 9])
    ('Reuters', None)
    """
    if isinstance(value, dict):  # {"name": "Reuters", "url": ...}, {"rendered": "Title"}
        value = value.get("name") or value.get("title") or value.get("rendered")
    if not isinstance(value, _SCALARS) or isinstance(value, bool):
        return None
    text = value[:limit] if isinstance(value, str) else str(value)
    return text.encode("utf-8", "replace").decode("utf-8").strip() or None


def _name(value: object) -> str | None:
    """An outlet's name, cut to ``NAME_LENGTH``."""
    name = _string(value)
    return shorten(name, NAME_LENGTH) if name else None


def _url(value: object) -> str | None:
    """A URL, or None when it is longer than ``URL_LENGTH``."""
    return _key(value, URL_LENGTH)


def _key(value: object, limit: int = FIELD_LENGTH) -> str | None:
    """A field that names something whole (an id, a URL): None when over ``limit``
    characters, as a cut one would name something else."""
    if isinstance(value, str) and len(value) > limit:
        return None
    return _string(value, limit)
