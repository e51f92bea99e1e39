"""Fixtures shared by the tests: the project's paths, its metadata, and databases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlite_utils import Database

from claims.references import read_references, store_references
from claims.store import SCHEMA, build
from claims.xref import xref

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    """The project root (the folder of pyproject.toml)."""
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir(root) -> Path:
    """The sample articles, seeds/."""
    return root / "seeds"


@pytest.fixture(scope="session")
def metadata(root) -> dict:
    """The Datasette metadata, metadata.yml, parsed."""
    return yaml.safe_load((root / "metadata.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory, root, seeds_dir) -> Path:
    """A claims.db freshly built from seeds/, once per session: read it, don't write it.

    Its paths are relative to the project root, as in a claims.db built there.
    """
    path = tmp_path_factory.mktemp("seeds-db") / "claims.db"
    build([seeds_dir], path, base=root)
    return path


@pytest.fixture(scope="session")
def site_db(tmp_path_factory, root, seeds_dir) -> Path:
    """A claims.db built from seeds/, the corpus sample (36 articles of the Ukraine news
    corpus) and the cross-referencing articles, with their reference figures, once per
    session, for the site's tests: read it, don't write it."""
    path = tmp_path_factory.mktemp("site-db") / "claims.db"
    data = root / "tests" / "data"
    build([seeds_dir, data / "corpus-sample.jsonl", data / "xref" / "articles.jsonl"], path,
          base=root)  # fmt: skip
    db = Database(path)
    try:
        store_references(db, read_references(data / "xref" / "references.csv"))
        xref(db)
    finally:
        db.close()
    return path


@pytest.fixture
def fresh_db() -> Database:
    """An empty in-memory database with the current schema."""
    db = Database(memory=True)
    SCHEMA.apply(db)
    return db


#: The dev corpus of ../shared, where it is (CI); the project's sample stands in elsewhere.
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "ukraine-news-dev.jsonl"


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory, site_db):
    """The whole dev corpus as `claims build` stores it, or the site's sample without it:
    read it, don't write it."""
    if not DEV_CORPUS.is_file():
        return site_db
    path = tmp_path_factory.mktemp("dev-corpus") / "claims.db"
    build([DEV_CORPUS], path)
    return path
