"""Helpers the tests share: writing a tree of files to build from."""

from __future__ import annotations

from pathlib import Path


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write ``files`` (relative name -> text or bytes) under ``folder``."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
