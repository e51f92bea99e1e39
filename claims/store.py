"""Store documents and their claims in SQLite (sqlite-utils); this module owns the schema.

Tables (see README "The database"): ``sources`` -> ``documents`` -> ``claims``, and ``runs``.
Ids are content hashes, and a document whose stored row is already what it would write is
left alone, so a second build over the same input changes nothing. A document whose text
changed gets a new id: the row that held the same path before is deleted with its claims.
A new ``claims.EXTRACTOR_VERSION`` re-extracts every document it reads.

The schema changes only through ``SCHEMA``, a sqlite-utils ``Migrations`` set: add a
migration, never edit an applied one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

import claims
from claims.errors import StoreError
from claims.model import Claim, Document
from claims.sources import list_document_files, read_document

#: Columns that Datasette facets on (metadata.yml); each leads an index.
FACET_COLUMNS = ("unit", "dimension", "qualifier", "document_id", "speaker", "modality")

#: Documents written per transaction.
BATCH_SIZE = 100

Progress = Callable[[int, int, Document], None]

SCHEMA = Migrations("claims")


@SCHEMA()
def m001_create_tables(db: Database) -> None:
    """Create sources, documents, claims and runs, their indexes and full-text search."""
    db["sources"].create(
        {"id": str, "name": str, "url": str},
        pk="id",
        not_null=["name"],
    )
    db["sources"].create_index(["name"], unique=True)
    db["documents"].create(
        {
            "id": str,
            "source_id": str,
            "path": str,
            "url": str,
            "title": str,
            "published": str,
            "length": int,
            "text": str,
            "extractor_version": str,
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
        not_null=["text", "length", "extractor_version"],
    )
    for columns in (["source_id"], ["path"], ["published"]):
        db["documents"].create_index(columns)
    db["claims"].create(
        {
            "id": str,
            "document_id": str,
            "text": str,
            "start": int,
            "end": int,
            "value": float,
            "low": float,
            "high": float,
            "qualifier": str,
            "change": str,
            "unit": str,
            "unit_text": str,
            "dimension": str,
            "base_value": float,
            "base_unit": str,
            "value_text": str,
            "concept": str,
            "subject": str,
            "speaker": str,
            "speaker_via": str,
            "quoted": int,
            "modality": str,
            "period_start": str,
            "period_end": str,
            "period_text": str,
            "sentence": str,
            "sentence_start": int,
            "rule": str,
            "extractor_version": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
        not_null=[
            "document_id",
            "text",
            "start",
            "end",
            "qualifier",
            "unit",
            "dimension",
            "quoted",
            "modality",
            "sentence",
            "extractor_version",
        ],
    )
    # document_id leads an index with start, so a document's claims come in reading order.
    db["claims"].create_index(["document_id", "start"])
    for column in FACET_COLUMNS:
        if column != "document_id":
            db["claims"].create_index([column])
    db["runs"].create(
        {
            "id": int,
            "started": str,
            "finished": str,
            "extractor_version": str,
            "inputs": str,
            "documents": int,
            "changed": int,
            "claims": int,
        },
        pk="id",
        not_null=["started", "extractor_version", "inputs"],
    )
    # Triggers keep the indexes current through upserts and deletes; porter stems
    # "rounds" to "round" so that a search finds both.
    db["documents"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")
    db["claims"].enable_fts(["sentence", "concept"], create_triggers=True, tokenize="porter")


@dataclass(frozen=True)
class BuildSummary:
    """What a build did: documents read and rewritten, their claims, and the run's id."""

    db_path: str
    run_id: int
    documents: int
    changed: int
    removed: int
    claims: int


def short_hash(*parts: object) -> str:
    """Return a 16-hex-digit SHA-256 of ``parts`` (JSON-encoded), stable across runs.

    >>> short_hash("seeds")
    'a05802ec76fdb2bd'
    """
    data = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def document_id(text: str) -> str:
    """Return the id of a document: a hash of its text, so that the same article is one row."""
    return short_hash("document", text)


def claim_id(document: str, start: int, end: int, text: str) -> str:
    """Return the id of a claim: a hash of its document's id, its span and its surface text."""
    return short_hash(document, start, end, text)


def source_id(name: str) -> str:
    """Return the id of a source: a hash of its name."""
    return short_hash("source", name)


def document_row(doc: Document, version: str) -> dict:
    """Return the ``documents`` row of ``doc`` as extracted by extractor ``version``."""
    return {
        "id": document_id(doc.text),
        "source_id": source_id(doc.source) if doc.source else None,
        "path": doc.path,
        "url": doc.url,
        "title": doc.title,
        "published": doc.published,
        "length": len(doc.text),
        "text": doc.text,
        "extractor_version": version,
    }


def claim_row(claim: Claim, document: str, version: str) -> dict:
    """Return the ``claims`` row of ``claim``, found in document ``document``."""
    row = claim.to_dict()
    row["quoted"] = int(bool(row["quoted"]))
    return {
        "id": claim_id(document, claim.start, claim.end, claim.text),
        "document_id": document,
        **row,
        "extractor_version": version,
    }


def open_database(db_path: str | Path) -> Database:
    """Return the database at ``db_path``, created or migrated to the current schema.

    :raises StoreError: the file is not a SQLite database, or cannot be written
    """
    try:
        db = Database(db_path)
        db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        SCHEMA.apply(db)
    except sqlite3.DatabaseError as error:
        raise StoreError(db_path, f"cannot open as a claims database ({error})") from error
    return db


def store_document(db: Database, doc: Document, version: str, found: list[Claim]) -> int:
    """Write ``doc`` and the claims ``found`` in it; return how many older texts it replaced.

    Claims of this document that ``found`` no longer holds are deleted, and so is any other
    document stored under the same path (an older text of it), with its claims.
    """
    row = document_row(doc, version)
    if doc.source and not db["sources"].count_where("id = ?", [row["source_id"]]):
        db["sources"].insert({"id": row["source_id"], "name": doc.source, "url": None})
    removed = 0
    if doc.path is not None:
        stale = [
            old["id"]
            for old in db["documents"].rows_where(
                "path = ? and id != ?", [doc.path, row["id"]], select="id"
            )
        ]
        for old_id in stale:
            db["claims"].delete_where("document_id = ?", [old_id])
            db["documents"].delete(old_id)
        removed = len(stale)
    db["documents"].upsert(row, pk="id")
    rows = [claim_row(claim, row["id"], version) for claim in found]
    keep = {claim["id"] for claim in rows}
    for old in list(db["claims"].rows_where("document_id = ?", [row["id"]], select="id")):
        if old["id"] not in keep:
            db["claims"].delete(old["id"])
    db["claims"].upsert_all(rows, pk="id")
    return removed


def is_stored(db: Database, doc: Document, version: str) -> bool:
    """Return True when the ``documents`` row of ``doc`` is already exactly what it would be."""
    row = document_row(doc, version)
    stored = list(db["documents"].rows_where("id = ?", [row["id"]]))
    return bool(stored) and stored[0] == row


def build(
    paths: Iterable[str | Path],
    db_path: str | Path,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> BuildSummary:
    """Read the documents in ``paths``, extract their claims and write them to ``db_path``.

    Documents already stored as they are, by the same extractor version, are not extracted
    again. Each batch of documents is written in one transaction; the run is recorded in
    ``runs`` (``finished`` stays empty when a build fails half-way).

    :param paths: files and folders (see ``claims.sources``)
    :param db_path: the SQLite file, created if missing
    :param progress: called as ``progress(done, total, document)`` after each document
    :param batch_size: documents per transaction
    :raises DocumentError: a path or a file is bad (batches already written stay)
    :raises StoreError: ``db_path`` is not a usable database
    """
    paths = [str(path) for path in paths]
    files = list_document_files(paths)
    version = claims.EXTRACTOR_VERSION
    db = open_database(db_path)
    try:
        db.execute("PRAGMA synchronous = NORMAL")
        with db.atomic():
            run_id = (
                db["runs"]
                .insert(
                    {
                        "started": _now(),
                        "extractor_version": version,
                        "inputs": json.dumps(paths),
                    }
                )
                .last_pk
            )
        documents = changed = removed = total_claims = 0
        docs = (read_document(file.path, label=file.label) for file in files)
        for batch in _batches(docs, batch_size):
            with db.atomic():
                for doc in batch:
                    if is_stored(db, doc, version):
                        count = db["claims"].count_where("document_id = ?", [document_id(doc.text)])
                    else:
                        found = claims.extract(doc.text, published=doc.published)
                        removed += store_document(db, doc, version, found)
                        changed += 1
                        count = len(found)
                    documents += 1
                    total_claims += count
                    if progress:
                        progress(documents, len(files), doc)
        with db.atomic():
            db["runs"].update(
                run_id,
                {
                    "finished": _now(),
                    "documents": documents,
                    "changed": changed,
                    "claims": total_claims,
                },
            )
        # Fold the WAL into the main file, so that the file alone is the whole database.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return BuildSummary(str(db_path), run_id, documents, changed, removed, total_claims)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _now() -> str:
    """Return the current UTC time, ISO 8601 to the second (for ``runs`` only)."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
