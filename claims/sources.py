"""Read documents from files and folders, with what is known of where they came from.

Two file formats are read, both as UTF-8 ``.txt``:

- the seed format of ``seeds/``: the first line starts with `` date YYYY-MM-DD `` and goes on
  with the first paragraph; the date is the publication date and is not part of the text;
- plain text: the first line is taken as the title and the whole file is the text.

A folder is read recursively, in sorted order. Each file gets a label, the path it is stored
under: its path relative to a base folder when it lies under it, else its absolute path (see
``document_label``); so a label names one file, and two folders of the same name never share
labels. A document's source is the folder that holds it, named by its label (``seeds``).
Bad input raises ``DocumentError`` naming the file and the reason, before a single document
is read when the fault is in the paths themselves.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from claims.errors import DocumentError
from claims.model import Document

TITLE_LENGTH = 100

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
        return resolved.relative_to(Path(base or ".").resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def source_label(label: str) -> str:
    """Return the label of the folder holding the file labelled ``label`` (``.``: the base).

    >>> source_label("seeds/a.txt"), source_label("a.txt"), source_label("/news/x/1.txt")
    ('seeds', '.', '/news/x')
    """
    return posixpath.dirname(label) or "."


def list_document_files(
    paths: Iterable[str | Path], base: str | Path | None = None
) -> list[DocumentFile]:
    """Return the ``.txt`` files named by ``paths`` (files, or folders searched recursively).

    Each file is labelled by ``document_label(path, base)``: from the project root, ``seeds/``
    and ``seeds/a.txt`` both give ``seeds/a.txt``, on any machine. Files named twice are
    listed once. Hidden files and folders (``.name``) are skipped.

    :param paths: files and folders, as given by the user
    :param base: the folder labels are relative to; default: the current folder
    :raises DocumentError: a path is missing, is not a ``.txt`` file, or is a folder
      without documents
    """
    files: list[DocumentFile] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise DocumentError(path, "no such file or directory")
        if path.is_dir():
            found = _list_folder(path, base)
            if not found:
                raise DocumentError(path, "no .txt documents in this folder")
        elif path.suffix.lower() == ".txt":
            found = [DocumentFile(path, document_label(path, base))]
        else:
            kind = f"{path.suffix!r} files" if path.suffix else "files without a suffix"
            raise DocumentError(path, f"cannot read {kind}: name .txt files or folders of them")
        for file in found:
            if file.label not in seen:
                seen.add(file.label)
                files.append(file)
    return files


def _list_folder(folder: Path, base: str | Path | None) -> list[DocumentFile]:
    """Return the visible ``.txt`` files under ``folder``, sorted by their label."""
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        hidden = any(part.startswith(".") for part in relative.parts)
        if not hidden and path.suffix.lower() == ".txt" and path.is_file():
            found.append(DocumentFile(path, document_label(path, base)))
    return sorted(found, key=lambda file: file.label)


def read_documents(paths: Iterable[str | Path]) -> Iterator[Document]:
    """Return an iterator over the documents in ``paths``, in the order the files are listed.

    The paths are checked at once (see ``list_document_files``); each file is read as the
    iterator reaches it, so an unreadable file raises there.

    :param paths: files and folders
    :raises DocumentError: a path is bad, or (while iterating) a file cannot be read
    """
    files = list_document_files(paths)
    return (read_document(file.path, label=file.label) for file in files)


def read_document(path: str | Path, label: str | None = None) -> Document:
    """Return the document stored in the file ``path``.

    :param path: a UTF-8 text file, in the seed format or plain
    :param label: the path to store in ``Document.path``; default: ``document_label(path)``.
      The source is the folder of the label (``source_label``).
    :raises DocumentError: the file is missing, unreadable, not UTF-8 or empty
    """
    path = Path(path)
    label = label if label is not None else document_label(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(path, (error.strerror or str(error)).lower()) from error
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 text (byte {error.start}: {error.reason}): save it as UTF-8"
        raise DocumentError(path, reason) from error
    return parse_document(
        raw,
        path=label,
        source=source_label(label),
        where=str(path),
    )


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
        title = _shorten(sentence.group() if sentence else first_line)
    else:
        title = _shorten(first_line)
    meta = {"format": "seed" if header else "text"}
    return Document(
        text=text, title=title, published=published, path=path, source=source, meta=meta
    )


def _shorten(line: str, limit: int = TITLE_LENGTH) -> str:
    """Return ``line`` cut at a word boundary to at most ``limit`` characters, marked by "…".

    >>> _shorten("one two three", limit=9)
    'one two…'
    """
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
