"""Find the documents a build is given: files, folders, and the standard input.

A folder is read recursively, in sorted order, keeping the files whose suffix names a format
(``SUFFIXES``, see ``claims.formats``) and, with ``glob``, whose path under the folder
matches it. Each file gets a label, the path it is stored under (see ``document_label``):
its path relative to a base folder when it lies under it, else its path in the input folder
it was found in, after that folder's name. A label is never an absolute path, since the
database is published and the server's layout is no one's business (#14). A document's
source is the folder that holds it, named by its label (``seeds``), unless the document
names its outlet.

A symbolic link found in a folder is followed when its target lies inside the inputs given
(or always, with ``follow_links``): a link to ``/etc`` in a news folder reads nothing of it.

Nothing here stops a build: a path that is missing, a file of an unknown kind, a folder
without documents, a link that loops or leads outside are each a ``Refusal`` that the build
records and goes on past.

This module also reads the seed format of ``seeds/`` (``parse_document``): the first line
starts with `` date YYYY-MM-DD `` and goes on with the first paragraph.
"""

from __future__ import annotations

import datetime
import errno
import os
import posixpath
import re
import stat
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


def document_label(
    path: str | Path, base: str | Path | None = None, root: str | Path | None = None
) -> str:
    """Return the label of the file ``path``: where it is relative to ``base`` if under it,
    else relative to the input ``root`` it was found under, after that folder's name.

    The folders on the way are resolved (symbolic links followed), so that one file has one
    label however its folder is named; the file keeps its own name, whose suffix says its
    format (a link ``a.txt`` to a file ``a`` is read as text). A file reached through a
    link to outside ``root`` is labelled by the way it was found. Labels are in POSIX form,
    and never absolute: the database does not show where the server keeps its files.

    >>> document_label("/news/x/1.txt", base="/news")
    'x/1.txt'
    >>> document_label("/elsewhere/x/1.txt", base="/news", root="/elsewhere")
    'elsewhere/x/1.txt'
    >>> document_label("/elsewhere/x/1.txt", base="/news")
    'x/1.txt'

    :param path: the file
    :param base: the folder labels are relative to; default: the current folder
    :param root: the input folder (or file) ``path`` was found under; default: its folder
    """
    located, found = _located(path), Path(os.path.abspath(path))
    top = Path(root) if root is not None else found.parent
    # Resolved first, so that one file has one label; else as it was found (via a link).
    for where, real in ((located, True), (found, False)):
        for folder, prefix in ((base or ".", False), (top, True)):
            start = _real(folder) if real else Path(os.path.abspath(folder))
            if where.is_relative_to(start):
                inner = where.relative_to(start).as_posix()
                label = posixpath.join(start.name, inner) if prefix else inner
                return printable(posixpath.normpath(label).lstrip("/"))
    return printable(posixpath.join(Path(top).name, found.name))


def input_label(given: str | Path, base: str | Path | None = None) -> str:
    """Return the label of a path given to a build (a file, a folder, ``-``), as its files
    are labelled: what ``runs.inputs`` records.

    >>> input_label("/srv/feeds/news.jsonl", base="/srv/db"), input_label("-")
    ('feeds/news.jsonl', '-')
    """
    if str(given) == STDIN:
        return STDIN
    return document_label(given, base, root=_root_of(Path(given)))


def _root_of(given: Path) -> Path:
    """The folder the labels of a given path start from: itself, or a file's folder."""
    return given if _is_folder(given) else given.absolute().parent


def _real(path: str | Path) -> Path:
    """``path`` absolute with every link resolved; never raises (a loop stays as it is)."""
    return Path(os.path.realpath(path))


def _located(path: str | Path) -> Path:
    """``path`` absolute, its folders resolved and its own name kept."""
    absolute = Path(path).absolute()
    if absolute.name in ("", ".."):
        return _real(absolute)
    return _real(absolute.parent) / absolute.name


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


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
    *,
    follow_links: bool = False,
    as_given: bool = False,
) -> tuple[list[DocumentFile], list[Refusal]]:
    """Return the files named by ``paths`` (files, folders searched recursively, ``-``) and
    the refusals of those that cannot be documents.

    Each file is labelled by ``document_label``: from the project root, ``seeds/`` and
    ``seeds/a.txt`` both give ``seeds/a.txt``, on any machine. Files named twice are listed
    once. Hidden files and folders (``.name``) are skipped, and so are the files of ``skip``
    (the database a build writes, when it lies among its inputs). Refusals name their path
    by its label too, so that ``ingest_errors`` holds no absolute path.

    :param paths: files and folders, as given by the user; ``-`` is the standard input
    :param base: the folder labels are relative to; default: the current folder
    :param glob: keep only the files of folders whose path under the folder matches it
      (``*.html``, ``2023/**/*.json``)
    :param skip: files never to read
    :param follow_links: follow the links found in folders wherever they lead; by default
      only those whose target lies inside ``paths``
    :param as_given: name a refused path as it was given, not by its label (for a message
      to the user, when nothing is stored)
    """
    files: list[DocumentFile] = []
    refused: list[Refusal] = []
    seen: dict[str, Path] = {}
    skipped = {_real(path) for path in skip}
    given_paths = [Path(given) for given in paths]
    roots = [_real(path) for path in given_paths if str(path) != STDIN and _exists(path)]
    for path in given_paths:
        root = _root_of(path)
        where = printable(str(path)) if as_given else input_label(path, base)
        if str(path) == STDIN:
            found = [DocumentFile(path, STDIN)]
        elif (trouble := _missing(path)) is not None:
            refused.append(Refusal(where, None, trouble))
            continue
        elif path.is_dir():
            found, unknown = _list_folder(
                path, _Walk(base, glob, skipped, roots, follow_links, as_given)
            )
            refused += unknown
            if not found and not unknown:
                what = f"files matching {glob!r}" if glob else "documents"
                refused.append(Refusal(where, None, f"no {what} in this folder"))
        elif not path.is_file():
            refused.append(Refusal(where, None, _not_regular))
            continue
        elif path.suffix.lower() in SUFFIXES:
            found = [DocumentFile(path, document_label(path, base, root))]
        else:
            refused.append(Refusal(where, None, _unknown(path)))
            continue
        for file in found:
            real = _real(file.path) if file.label != STDIN else file.path
            if file.label not in seen:
                seen[file.label] = real
                files.append(file)
            elif seen[file.label] != real:  # /a/news/1.txt and /b/news/1.txt, both news/1.txt
                refused.append(Refusal(file.label, None, _same_label))
    return files, refused


_not_regular = "not a regular file (a device, socket or pipe): name files and folders"
_outside = "a link to outside the input folders: name its target, or give --follow-links"
_same_label = (
    "another input file has this path (two input folders of one name): build their "
    "common folder, or rename one"
)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _missing(path: Path) -> str | None:
    """Why ``path`` names nothing to read (missing, a broken link, a link loop), or None."""
    try:
        os.stat(path)
    except OSError as error:
        return _stat_fault(path, error)
    return None


def _stat_fault(path: Path, error: OSError) -> str:
    """Why ``path`` could not be looked at: a link that loops or is broken, or the system's
    reason ("no such file or directory")."""
    if error.errno == errno.ELOOP:
        return "a symbolic link loop"
    if os.path.islink(path):
        return "a broken symbolic link"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return "no such file or directory"
    return (error.strerror or str(error)).lower()


def list_document_files(
    paths: Iterable[str | Path], base: str | Path | None = None
) -> list[DocumentFile]:
    """Return the files named by ``paths``, as ``list_inputs`` does.

    :raises DocumentError: a path is missing or cannot be a document (the first one)
    """
    files, refused = list_inputs(paths, base, as_given=True)
    if refused:
        raise DocumentError(refused[0].path, refused[0].reason)
    return files


def _unknown(path: Path) -> str:
    kind = f"{path.suffix!r} files" if path.suffix else "files without a suffix"
    known = ", ".join(sorted(SUFFIXES))
    return f"cannot read {kind}: the formats read are {known}"


class _Walk(NamedTuple):
    """How ``_list_folder`` walks a folder (see ``list_inputs``)."""

    base: str | Path | None
    glob: str | None
    skipped: set[Path]
    roots: list[Path]
    follow_links: bool
    as_given: bool


def _list_folder(folder: Path, walk: _Walk) -> tuple[list[DocumentFile], list[Refusal]]:
    """Return the visible files under ``folder`` that match ``glob``, sorted by label, and
    the refusals of the others: unknown kinds, unreadable folders, broken or looping links,
    links to outside the inputs, pipes. Each real folder is read once (a link back up the
    tree is not followed again), and no error of one entry stops the walk (#14)."""
    found, refused = [], []
    matches = _glob_matcher(walk.glob)
    visited: set[Path] = set()

    def refuse(path: Path, reason: str) -> None:
        where = str(path) if walk.as_given else document_label(path, walk.base, folder)
        refused.append(Refusal(printable(where), None, reason))

    stack = [folder]
    while stack:
        current = stack.pop()
        real = _real(current)
        if real in visited:
            continue
        visited.add(real)
        try:
            with os.scandir(current) as listing:
                names = sorted(entry.name for entry in listing)
        except OSError as error:
            refuse(current, f"cannot read this folder: {(error.strerror or str(error)).lower()}")
            continue
        subfolders = []
        for name in names:
            path = current / name
            if name.startswith("."):
                continue
            kind = _kind(path)
            relative = path.relative_to(folder).as_posix()
            if kind != "folder" and not matches(relative):
                continue
            if kind in ("folder", "file") and os.path.islink(path):
                if not walk.follow_links and not _inside(_real(path), walk.roots):
                    refuse(path, _outside)
                    continue
            if kind == "folder":
                subfolders.append(path)
            elif _real(path) in walk.skipped:
                continue
            elif kind == "file" and path.suffix.lower() in SUFFIXES:
                label = document_label(path, walk.base, _owner(path, folder, walk.roots))
                found.append(DocumentFile(path, label))
            elif kind == "file":
                refuse(path, _unknown(path))
            else:
                refuse(path, kind)
        stack.extend(reversed(subfolders))
    return sorted(found, key=lambda file: file.label), refused


def _owner(path: Path, folder: Path, roots: list[Path]) -> Path:
    """The input folder that labels ``path``: ``folder``, unless a link led into another
    input, so that a file has one label whichever input it is found through."""
    located = _located(path)
    if located.is_relative_to(_real(folder)):
        return folder
    return next((root for root in roots if located.is_relative_to(root)), folder)


def _kind(path: Path) -> str:
    """``folder``, ``file``, or why ``path`` (in a folder) is neither: a link that is
    broken or loops, a pipe, a device."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return _stat_fault(path, error)
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else _not_regular


def _inside(target: Path, roots: list[Path]) -> bool:
    """True when ``target`` is one of ``roots`` or lies under one of them."""
    return any(target.is_relative_to(root) for root in roots)


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
