"""Turn a file's bytes into text: find the encoding, refuse what is not text, repair mojibake.

Newsroom files come as UTF-8 (with or without a byte-order mark), UTF-16 from Windows tools,
and Windows-1252 or Latin-1 from older systems. The byte-order mark decides when there is
one; else strict UTF-8; else charset-normalizer picks the encoding. Text that was decoded
twice ("â€™" for "’") is repaired by ftfy's ``fix_encoding``, which changes a text only when
the repair is certain. Binary files (images, archives, PDFs) are refused.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy

from claims.errors import DocumentError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Bytes beyond ASCII, as a share of all, below which a text is read as Windows-1252.
WESTERN_SHARE = 0.3

#: Encodings a text without NUL bytes is never in.
_WIDE = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be", "utf_7"]

#: Control characters that never stand in text (all but tab, line feed, form feed, return).
_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13}


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page or feed declares in its first bytes (``<meta charset=...>``,
    ``<?xml ... encoding="..."?>``), when Python knows it.

    >>> declared_encoding(b'<html><head><meta charset="windows-1251">')
    'cp1251'
    """
    found = _DECLARED.search(data[:4096])
    if not found:
        return None
    try:
        return codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return None


_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def decode(data: bytes, where: str, declared: str | None = None) -> str:
    """Return the text held in ``data``, read from the file ``where``.

    >>> decode("Kyiv’s 6,000 rounds".encode("utf-16"), "a.txt")
    'Kyiv’s 6,000 rounds'
    >>> decode("Le café coûte 5 €".encode("cp1252"), "a.txt")
    'Le café coûte 5 €'
    >>> decode("Kyiv’s".encode("utf-8").decode("cp1252").encode("utf-8"), "a.txt")
    'Kyiv’s'

    :raises DocumentError: the bytes are binary, or no encoding reads them as text
    """
    if not data:
        raise DocumentError(where, "empty file: no text to read")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_as(data, encoding, where), where)
    nuls = data[:4096].count(0)
    if nuls and nuls <= len(data[:4096]) // 200 and not _mostly_nul(data):
        data = data.replace(b"\x00", b"")  # a stray NUL in a text, not UTF-16 or binary
    try:
        if b"\x00" in data[:4096]:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL bytes: UTF-16 or binary")
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _declared(data, declared) or _guess(data, where)
    return _checked(ftfy.fix_encoding(text), where)


def _declared(data: bytes, encoding: str | None) -> str | None:
    """The text in the encoding the file declares, when that reads it."""
    if not encoding or encoding.startswith("utf-16"):
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_nul(data: bytes) -> bool:
    head = data[:4096]
    return head[1::2].count(0) > len(head) * 0.35 or head[::2].count(0) > len(head) * 0.35


def _decode_as(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        reason = f"not {encoding} text (byte {error.start}): {error.reason}"
        raise DocumentError(where, reason) from error


def _guess(data: bytes, where: str) -> str:
    """Decode bytes that are not UTF-8: UTF-16 without a mark, a Western single-byte
    encoding when few bytes are beyond ASCII (short texts fool any detector), else the
    encoding charset-normalizer finds best ("Київ" in Windows-1251)."""
    head = data[:4096]
    if b"\x00" in head:
        for encoding, nuls in (("utf-16-le", head[1::2]), ("utf-16-be", head[::2])):
            if nuls.count(0) > len(nuls) * 0.7:
                return _decode_as(data, encoding, where)
        raise DocumentError(where, "a binary file, not text")
    if sum(1 for byte in head if byte > 127) <= len(head) * WESTERN_SHARE:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")  # its C1 controls stand where cp1252 has none
    best = charset_normalizer.from_bytes(data, cp_exclusion=_WIDE).best()
    if best is None:
        raise DocumentError(where, "not text in any known encoding")
    return str(best)


def _checked(text: str, where: str) -> str:
    """Refuse a text that holds control characters, as decoded binary does."""
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) in _CONTROLS)
    if controls > max(2, len(sample) // 100):
        raise DocumentError(where, "a binary file, not text")
    return text.removeprefix("\ufeff")
