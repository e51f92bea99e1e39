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
    """The URI that opens ``path`` for reading only (``immutable=1`` on read-only media)."""
    path = Path(path)
    mode = "?mode=ro&immutable=1" if writable(path) else "?mode=ro"
    return path.resolve().as_uri() + mode


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """A connection that reads ``path`` and can write nothing to it, nor beside it."""
    return sqlite3.connect(read_only_uri(path), uri=True)
