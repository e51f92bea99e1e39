"""Errors the library raises; each says what failed and with what value.

Every error derives from ``ClaimsError`` and from the builtin it resembles, so callers can
catch either. The CLI turns a ``ClaimsError`` into a one-line message without a traceback.
"""

from __future__ import annotations


class ClaimsError(Exception):
    """Base class of every error raised by claims."""


class LexiconError(ValueError, ClaimsError):
    """A lexicon data file is malformed: names the file, the entry and the fault."""

    def __init__(self, path: str, key: str, fault: str):
        super().__init__(path, key, fault)
        self.path, self.key, self.fault = path, key, fault

    def __str__(self) -> str:
        return f"{self.path}: entry {self.key!r}: {self.fault}"


class DocumentError(ValueError, ClaimsError):
    """A document cannot be read: names the path and the reason, e.g. "a.txt: empty file"."""

    def __init__(self, path: str, reason: str):
        super().__init__(path, reason)
        self.path, self.reason = str(path), reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class StoreError(ValueError, ClaimsError):
    """The database cannot be opened or written: names the file and the fault."""

    def __init__(self, path: str, fault: str):
        super().__init__(path, fault)
        self.path, self.fault = str(path), fault

    def __str__(self) -> str:
        return f"{self.path}: {self.fault}"
