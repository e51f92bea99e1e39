"""Helpers the tests share: writing a tree of files to build from, and a database as an
older claims left it."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write ``files`` (relative name -> text or bytes) under ``folder``."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def as_before_m009(db_path: Path) -> None:
    """Make the claims database ``db_path`` what a claims before migration m009 built: its
    claims' full-text index on sentence and concept only, m009 not applied."""
    db = Database(db_path)
    db["claims"].disable_fts()  # the index as m001 made it
    db["claims"].enable_fts(["sentence", "concept"], create_triggers=True, tokenize="porter")
    db.execute("delete from _sqlite_migrations where name = 'm009_claims_text_searched'")
    db.conn.commit()
    db.close()
