"""Find the documents a build is given: files, folders, and the standard input.

A folder is read recursively, in sorted order, keeping the files whose suffix names a format
(``SUFFIXES``, see ``claims.formats``) and, with ``glob``, whose path under the folder
matches it. Each file gets a label, the path it is stored under: its path relative to a
base folder when it lies under it, else its absolute path (see ``document_label``); so a
label names one file, and two folders of the same name never share labels. A document's
source is the folder that holds it, named by its label (``seeds``), unless the document
names its outlet.

Nothing here stops a build: a path that is missing, a file of an unknown kind, a folder
without documents are each a ``Refusal`` that the build records and goes on past.

This module also reads the seed format of ``seeds/`` (``parse_document``): the first line
starts with `` date YYYY-MM-DD `` and goes on with the first paragraph.
"""

from __future__ import annotations

import datetime
import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from claims.errors import DocumentError
from claims.model import Document, Refusal

TITLE_LENGTH = 100

#: File suffixes -> the format they hold (read by ``claims.formats``).
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}

#: The name of the standard input among a build's paths.
STDIN = "-"

_seed_header = re.compile(
    r"""
    \A[ \t]*                            # the seed files start with a space
    date[ \t]+
    (?P<date>\d{4}-\d{2}-\d{2})         # the publication date, ISO
    (?:[ \t]+|[ \t]*\n|[ \t]*\Z)        # then the first paragraph, on the same line
    """,
    re.VERBOSE,
).match

_first_sentence = re.compile(
    r"""
    [^\n]*?[.!?]                        # shortest run of the first line up to a full stop
    (?=\s|\Z)                           # that ends a sentence: "U.S." does not
    """,
    re.VERBOSE,
).match


class DocumentFile(NamedTuple):
    """A file to read and the label it is stored under (see ``document_label``)."""

    path: Path
    label: str


def document_label(path: str | Path, base: str | Path | None = None) -> str:
    """Return the label of the file ``path``: where it is, relative to ``base`` if under it.

    Both are resolved first (symbolic links followed), so that one file has one label however
    it is named, and the label is in POSIX form. A file outside ``base`` is labelled by its
    absolute path: labels never collide, whichever folders a build is given.

    >>> document_label("/news/x/1.txt", base="/news")
    'x/1.txt'
    >>> document_label("/elsewhere/x/1.txt", base="/news")
    '/elsewhere/x/1.txt'

    :param path: the file
    :param base: the folder labels are relative to; default: the current folder
    """
    resolved = Path(path).resolve()
    try:
        label = resolved.relative_to(Path(base or ".").resolve()).as_posix()
    except ValueError:
        label = resolved.as_posix()
    return printable(label)


def printable(name: str) -> str:
    r"""Return a file name that SQLite can store: bytes that are not UTF-8 (which Python
    keeps as lone surrogates) written as escapes.

    >>> printable("bad\udcffname.txt")
    'bad\\xffname.txt'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def source_label(label: str) -> str:
    """Return the label of the folder holding the file labelled ``label`` (``.``: the base).

    >>> source_label("seeds/a.txt"), source_label("a.txt"), source_label("/news/x/1.txt")
    ('seeds', '.', '/news/x')
    """
    return posixpath.dirname(label) or "."


def list_inputs(
    paths: Iterable[str | Path],
    base: str | Path | None = None,
    glob: str | None = None,
    skip: Iterable[str | Path] = (),
) -> tuple[list[DocumentFile], list[Refusal]]:
    """Return the files named by ``paths`` (files, folders searched recursively, ``-``) and
    the refusals of those that cannot be documents.

    Each file is labelled by ``document_label(path, base)``: from the project root, ``seeds/``
    and ``seeds/a.txt`` both give ``seeds/a.txt``, on any machine. Files named twice are
    listed once. Hidden files and folders (``.name``) are skipped, and so are the files of
    ``skip`` (the database a build writes, when it lies among its inputs).

    :param paths: files and folders, as given by the user; ``-`` is the standard input
    :param base: the folder labels are relative to; default: the current folder
    :param glob: keep only the files of folders whose path under the folder matches it
      (``*.html``, ``2023/**/*.json``)
    :param skip: files never to read
    """
    files: list[DocumentFile] = []
    refused: list[Refusal] = []
    seen: set[str] = set()
    skipped = {Path(path).resolve() for path in skip}
    for given in paths:
        path = Path(given)
        where = printable(str(given))
        if str(given) == STDIN:
            found = [DocumentFile(path, STDIN)]
        elif not path.exists():
            reason = "a broken symbolic link" if path.is_symlink() else "no such file or directory"
            refused.append(Refusal(where, None, reason))
            continue
        elif path.is_dir():
            found, unknown = _list_folder(path, base, glob, skipped)
            refused += unknown
            if not found and not unknown:
                what = f"files matching {glob!r}" if glob else "documents"
                refused.append(Refusal(where, None, f"no {what} in this folder"))
        elif not path.is_file():
            refused.append(Refusal(where, None, _not_regular))
            continue
        elif path.suffix.lower() in SUFFIXES:
            found = [DocumentFile(path, document_label(path, base))]
        else:
            refused.append(Refusal(where, None, _unknown(path)))
            continue
        for file in found:
            if file.label not in seen:
                seen.add(file.label)
                files.append(file)
    return files, refused


_not_regular = "not a regular file (a device, socket or pipe): name files and folders"


def list_document_files(
    paths: Iterable[str | Path], base: str | Path | None = None
) -> list[DocumentFile]:
    """Return the files named by ``paths``, as ``list_inputs`` does.

    :raises DocumentError: a path is missing or cannot be a document (the first one)
    """
    files, refused = list_inputs(paths, base)
    if refused:
        raise DocumentError(refused[0].path, refused[0].reason)
    return files


def _unknown(path: Path) -> str:
    kind = f"{path.suffix!r} files" if path.suffix else "files without a suffix"
    known = ", ".join(sorted(SUFFIXES))
    return f"cannot read {kind}: the formats read are {known}"


def _list_folder(
    folder: Path, base: str | Path | None, glob: str | None, skipped: set[Path]
) -> tuple[list[DocumentFile], list[Refusal]]:
    """Return the visible files under ``folder`` that match ``glob``, sorted by label, and
    the refusals of the others: unknown kinds, unreadable folders, broken links, pipes.
    Symbolic links to folders are followed, each real folder once."""
    found, refused = [], []
    matches = _glob_matcher(glob)
    visited: set[Path] = set()

    def unreadable(error: OSError) -> None:
        reason = f"cannot read this folder: {(error.strerror or str(error)).lower()}"
        refused.append(Refusal(printable(str(error.filename)), None, reason))

    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        real = Path(root).resolve()
        if real in visited:
            dirs[:] = []  # a link back up the tree: read each folder once
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            relative = path.relative_to(folder).as_posix()
            if name.startswith(".") or not matches(relative) or path.resolve() in skipped:
                continue
            if not path.exists():
                refused.append(Refusal(printable(str(path)), None, "a broken symbolic link"))
            elif not path.is_file():
                refused.append(Refusal(printable(str(path)), None, _not_regular))
            elif path.suffix.lower() in SUFFIXES:
                found.append(DocumentFile(path, document_label(path, base)))
            else:
                refused.append(Refusal(printable(str(path)), None, _unknown(path)))
    return sorted(found, key=lambda file: file.label), refused


def _glob_matcher(glob: str | None):
    """A test of a path under a folder against ``glob``: ``*`` within a folder name,
    ``**/`` across any folders (none too), and a pattern without ``/`` on the name alone.

    >>> match = _glob_matcher("2023/**/*.json")
    >>> match("2023/a.json"), match("2023/09/28/a.json"), match("2024/a.json")
    (True, True, False)
    >>> _glob_matcher("*.html")("site/2023/page.html")
    True
    """
    if not glob:
        return lambda relative: True
    pattern = glob if "/" in glob else f"**/{glob}"
    parts = []
    for piece in re.split(r"(\*\*/|\*\*|\*|\?)", pattern):
        parts.append(
            {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(piece, re.escape(piece))
        )
    regex = re.compile("".join(parts) + r"\Z")
    return lambda relative: regex.match(relative) is not None


def parse_document(
    raw: str, path: str | None = None, source: str | None = None, where: str | None = None
) -> Document:
    """Return the document held in the file contents ``raw``.

    In the seed format the leading `` date YYYY-MM-DD `` is taken out of the text and becomes
    ``published``, and the title is the first sentence. Otherwise the title is the first line
    and ``published`` is None. Line ends are normalized to ``\\n`` and a byte-order mark is
    dropped, so the same article always has the same text (and the same id in the store).

    >>> doc = parse_document(" date 2023-09-28 NATO aims to raise output. It said so.\\n")
    >>> doc.published, doc.title, doc.text
    ('2023-09-28', 'NATO aims to raise output.', 'NATO aims to raise output. It said so.\\n')
    >>> parse_document("Allies run short\\r\\nThe stocks are low.").title
    'Allies run short'

    :param raw: the file contents
    :param path: stored as ``Document.path``
    :param source: stored as ``Document.source``
    :param where: how to name the file in errors (defaults to ``path``)
    :raises DocumentError: no text, or a seed date that is not a real date
    """
    where = where or path or "<text>"
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    published = None
    header = _seed_header(text)
    if header:
        try:
            published = datetime.date.fromisoformat(header["date"]).isoformat()
        except ValueError as error:
            reason = f"bad date {header['date']!r} in the first line ({error}): use YYYY-MM-DD"
            raise DocumentError(where, reason) from error
        text = text[header.end() :]
    if not text.strip():
        raise DocumentError(where, "empty file: no text to read")
    first_line = text.strip().split("\n", 1)[0].strip()
    if header:
        sentence = _first_sentence(first_line)
        title = shorten(sentence.group() if sentence else first_line)
    else:
        title = shorten(first_line)
    meta = {"format": "seed" if header else "text"}
    return Document(
        text=text, title=title, published=published, path=path, source=source, meta=meta
    )


def shorten(line: str, limit: int = TITLE_LENGTH) -> str:
    """Return ``line`` cut at a word boundary to at most ``limit`` characters, marked by "…".

    >>> shorten("one two three", limit=9)
    'one two…'
    """
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
