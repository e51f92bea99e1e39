"""Open a SQLite file for reading only, on read-only media too.

A database in WAL mode needs a ``-shm`` file beside it even to be read; on a read-only
mount, an immutable file (``chattr +i``) or a folder it cannot write in, SQLite cannot
make one and says "unable to open database file". Such a file cannot change under its
readers, so it is opened ``immutable=1`` (no lock, no ``-shm``), as Datasette's ``-i``
opens it; a file that can be written is opened ``mode=ro``, so that a reader sees what a
build commits.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def writable(path: str | Path) -> str | None:
    """None when ``path`` and its folder can be written (a missing file: its folder), else
    why not: "the file is read-only", "its folder is read-only". Read-only media, immutable
    files and permission bits all count (root is refused only by the first two)."""
    path = Path(path)
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"its folder {path.parent} is read-only"
    return None


def read_only_uri(path: str | Path) -> str:
    """The URI that opens ``path`` for reading only: ``immutable=1`` where it cannot be
    written and holds no write in progress (no ``-wal`` file beside it, or read-only media),
    as immutable reads take no lock and skip the ``-wal`` file; else ``mode=ro``."""
    path = Path(path)
    if writable(path) and (_read_only_media(path) or not _wal_of(path).exists()):
        return path.resolve().as_uri() + "?mode=ro&immutable=1"
    return path.resolve().as_uri() + "?mode=ro"


def _wal_of(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _read_only_media(path: Path) -> bool:
    """True on a file system mounted read-only."""
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """A connection that reads ``path`` and can write nothing to it, nor beside it."""
    return sqlite3.connect(read_only_uri(path), uri=True)
