"""Errors the library raises; each says what failed and with what value.

Every error derives from ``ClaimsError`` and from the builtin it resembles, so callers can
catch either. The CLI turns a ``ClaimsError`` into a one-line message without a traceback.
"""

from __future__ import annotations

from os import PathLike


class ClaimsError(Exception):
    """Base class of every error raised by claims."""


class PathError(ValueError, ClaimsError):
    """A file is wrong for its use: names the path and the reason, e.g. "a.txt: empty file".

    ``args`` are the arguments of ``__init__``, so that the error survives pickling (it may
    cross a process pool).
    """

    def __init__(self, path: str | PathLike, reason: str):
        super().__init__(str(path), reason)
        self.path, self.reason = str(path), reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class LexiconError(PathError):
    """A lexicon data file is malformed: names the file, the entry and the fault."""

    def __init__(self, path: str | PathLike, key: str, fault: str):
        super().__init__(path, f"entry {key!r}: {fault}")
        self.args = (self.path, key, fault)
        self.key, self.fault = key, fault


class DocumentError(PathError):
    """A document cannot be read: names the path and the reason, e.g. "a.txt: empty file"."""


class StoreError(PathError):
    """The database cannot be opened or written: names the file and the reason."""


class GoldError(PathError):
    """A gold file for ``claims eval`` is malformed: names the file (and line) and the fault."""


class ClusterError(PathError):
    """A build on a Dask cluster cannot go on: names the scheduler's address or the folder
    of the Parquet partitions, and the reason."""


class ExtractionTimeout(TimeoutError, ClaimsError):
    """A text took longer to extract than its time budget (a build refuses the document).

    ``seconds`` is the budget, None when the caller knows it and says it.
    """

    def __init__(self, seconds: float | None):
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        budget = f", {self.seconds:.3g} s" if self.seconds is not None else ""
        return f"took longer to extract than its time budget{budget}"
