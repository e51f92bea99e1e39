"""Store documents and their claims in SQLite (sqlite-utils); this module owns the schema.

Tables (see README "The database"): ``sources`` -> ``documents`` -> ``claims``, and ``runs``.
Ids are content hashes, and a document whose stored row is already what it would write is
left alone, so a second build over the same input changes nothing. A document is its text:
read from two files, it is one row, under the path it was first stored from. A file whose
text changed gets a new row, and the row stored under its path before is deleted with its
claims (see ``_Ingest`` for the exact rules). A new ``claims.EXTRACTOR_VERSION`` re-extracts
every document it reads. A SQLite file that is not a claims database is refused. A build
ends by filling the summary tables and writing the inspect file the site reads
(``claims.summary``).

The schema changes only through ``SCHEMA``, a sqlite-utils ``Migrations`` set: add a
migration, never edit an applied one.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import datetime
import fcntl
import hashlib
import json
import multiprocessing
import sqlite3
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO, NamedTuple

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

import claims
from claims.errors import StoreError
from claims.formats import MAX_BYTES, read_file
from claims.model import Claim, Document, Refusal
from claims.sources import STDIN, DocumentFile, list_inputs
from claims.summary import FACET_COLUMNS, inspect_path, summarize, write_inspect
from claims.xref import TOLERANCE, XrefSummary
from claims.xref import xref as cross_reference

#: Documents written per transaction.
BATCH_SIZE = 100

Progress = Callable[["BuildProgress"], None]
Refused = Callable[[Refusal], None]

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
    for column in ("unit", "dimension", "qualifier", "speaker", "modality"):
        db["claims"].create_index([column])  # the facets of the time; m003 adds two
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


@SCHEMA()
def m002_ingest_errors(db: Database) -> None:
    """Record what each build refused (``ingest_errors``) and how much (``runs.refused``)."""
    db["ingest_errors"].create(
        {"id": int, "run_id": int, "path": str, "record": str, "reason": str, "time": str},
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
        not_null=["run_id", "path", "reason", "time"],
    )
    db["ingest_errors"].create_index(["path"])
    db["runs"].add_column("refused", int)


@SCHEMA()
def m003_claims_in_context(db: Database) -> None:
    """Give each claim its document's source name and publication date (and month), so
    that Datasette facets and sorts on them without a join."""
    for column in ("source", "published", "published_month"):
        db["claims"].add_column(column, str)
    for column in ("source", "published_month", "published"):
        db["claims"].create_index([column])
    db.execute(_CLAIMS_IN_CONTEXT.replace("where document_id = :document", ""), {})


#: Copies a document's source name and date onto its claims (all of them without the where).
_CLAIMS_IN_CONTEXT = """
update claims set
  source = (select sources.name from documents join sources on sources.id = documents.source_id
            where documents.id = claims.document_id),
  published = (select published from documents where documents.id = claims.document_id),
  published_month = (select substr(published, 1, 7) from documents
                     where documents.id = claims.document_id)
where document_id = :document
"""


@SCHEMA()
def m004_cross_references(db: Database) -> None:
    """Quantity keys on claims; the links between claims; reference figures and the
    checks of claims against them (see claims.xref)."""
    db["claims"].add_column("quantity_key", str)
    db["claims"].create_index(["quantity_key"])
    db["claim_links"].create(
        {
            "id": int,
            "claim_a": str,
            "claim_b": str,
            "relation": str,
            "difference": float,
            "quantity_key": str,
            "first_seen": str,
        },
        pk="id",
        foreign_keys=[
            ("claim_a", "claims", "id"),
            ("claim_b", "claims", "id"),
            ("first_seen", "claims", "id"),
        ],
        not_null=["claim_a", "claim_b", "relation"],
    )
    for column in ("claim_a", "claim_b", "relation"):
        db["claim_links"].create_index([column])
    db["references"].create(
        {
            "id": str,
            "concept": str,
            "subject": str,
            "unit": str,
            "dimension": str,
            "value": float,
            "low": float,
            "high": float,
            "as_of": str,
            "source": str,
            "url": str,
            "quantity_key": str,
        },
        pk="id",
        not_null=["unit", "as_of"],
    )
    db["references"].create_index(["quantity_key", "as_of"])
    db["reference_checks"].create(
        {"id": int, "claim_id": str, "reference_id": str, "ratio": float, "verdict": str},
        pk="id",
        foreign_keys=[("claim_id", "claims", "id"), ("reference_id", "references", "id")],
        not_null=["claim_id", "reference_id", "verdict"],
    )
    for column in ("claim_id", "verdict"):
        db["reference_checks"].create_index([column])
    db["exchange_rates"].create(
        {"currency": str, "to_currency": str, "rate": float, "source": str},
        pk=("currency", "to_currency"),
        not_null=["rate"],
    )


@SCHEMA()
def m005_site_at_scale(db: Database) -> None:
    """Indexes for the site on millions of claims, and the summary tables (issue #8).

    Each facet column but document_id leads an index that holds the other facet columns,
    so that the facets of a page filtered on one of them count index entries, not claims
    (24 ms a facet -> 1-9 ms on a million claims); it replaces the column's own index.
    The canned queries claims_of_unit, who_said_what and conflicts read their rows in the
    order of an index, and stop at the rows they show."""
    others = [column for column in FACET_COLUMNS if column != "document_id"]
    for column in others:
        db.execute(f"drop index if exists idx_claims_{column}")
        rest = [c for c in FACET_COLUMNS if c != column]
        db["claims"].create_index([column, *rest], index_name=f"idx_claims_facets_{column}")
    db.execute("create index idx_claims_unit_figure on claims (unit, coalesce(value, high, low))")
    db["claims"].create_index(["speaker", "published", "start"])
    # How far apart two figures are, as the canned query conflicts orders them: the order
    # of abs(ln(difference)), without ln, which a SQLite may lack (an index on a missing
    # function makes the whole database unreadable).
    db.execute(
        "create index idx_claim_links_relation_ratio on claim_links (relation, "
        "(case when difference > 0 then max(difference, 1.0 / difference) end))"
    )
    summarize(db)


@dataclass(frozen=True)
class BuildSummary:
    """What a build did: files read, the documents they hold, those rewritten, their claims.

    ``documents`` counts texts, not files: a text read from two files is one document.
    ``claims`` is what the database holds for those documents. ``refused`` counts the files
    and records that gave no document (each is a row of ``ingest_errors``).
    """

    db_path: str
    run_id: int
    files: int
    documents: int
    changed: int
    removed: int
    claims: int
    refused: int = 0
    xref: XrefSummary | None = None


@dataclass
class BuildProgress:
    """How far a build is, for its progress display: files and bytes read of the total,
    documents and claims stored, refusals. A total of None is not known (standard input)."""

    files: int = 0
    files_total: int | None = 0
    bytes: int = 0
    bytes_total: int | None = 0
    documents: int = 0
    claims: int = 0
    refused: int = 0
    path: str = ""


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
        "length": len(doc.text.encode("utf-8")),  # bytes, as sizes of files go
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
    """Return the claims database at ``db_path``, created or migrated to the current schema.

    A missing or empty file becomes a claims database; a SQLite file that holds other tables
    is refused before anything is written to it.

    :raises StoreError: the path is a folder, the file is not a SQLite database or not a
      claims database, or it cannot be written
    """
    path = Path(db_path)
    _check_path(path)
    with _store_errors(path):
        db = Database(path)
    try:
        with _store_errors(path):
            _check_schema(db.conn, path, empty_ok=True)
            db.enable_wal()
            db.execute("PRAGMA foreign_keys = ON")
            SCHEMA.apply(db)
    except StoreError:
        db.close()
        raise
    return db


def check_database(db_path: str | Path) -> None:
    """Check that ``db_path`` is a claims database, reading it only (nothing is written).

    :raises StoreError: the file is missing, a folder, not a SQLite database, empty, or a
      SQLite database of something else
    """
    path = Path(db_path)
    _check_path(path)
    if not path.exists():
        raise StoreError(path, "no such database")
    with _store_errors(path):
        # mode=ro: a file that is not a database is not touched, not even to add a journal.
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            _check_schema(conn, path, empty_ok=False)
        finally:
            conn.close()


@contextlib.contextmanager
def _store_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors about the file ``path`` into a ``StoreError`` that names it."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        raise StoreError(path, f"cannot open as a claims database ({error})") from error


def _check_path(path: Path) -> None:
    """Refuse a database path that is a folder, or whose folder is missing."""
    if path.is_dir():
        raise StoreError(path, "is a folder, not a database file: name a file such as claims.db")
    if not path.parent.is_dir():
        raise StoreError(path, f"no folder {path.parent} to hold the database: create it first")


def _check_schema(conn: sqlite3.Connection, path: Path, empty_ok: bool) -> None:
    """Refuse a SQLite database that holds tables but no claims schema (or none, unless
    ``empty_ok``), so that nothing is added to a database of something else."""
    names = [
        name
        for (name,) in conn.execute(
            "select name from sqlite_master where type in ('table', 'view') "
            "and name not like 'sqlite_%' order by name"
        )
    ]
    if "_sqlite_migrations" in names:
        applied = conn.execute(
            "select count(*) from _sqlite_migrations where migration_set = ?", [SCHEMA.name]
        ).fetchone()[0]
        if applied:
            return
    if not names:
        if empty_ok:
            return
        raise StoreError(path, "an empty database, with no claims tables: build it first")
    shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
    raise StoreError(
        path,
        f"not a claims database (it holds {shown}, and no claims schema): "
        "name a new file or a database that claims built",
    )


class _Ingest:
    """One build's writes: what it read where, what it rewrote, and the claims stored.

    The rules for documents (see README "The database"):

    - a document is its text (``id`` is its hash); ``path`` is the label of the file (or
      record) it was first stored from, and a text read again from another file keeps its
      row and path, unless this build stores another text under that path: the row then
      moves to where the text is now (a CSV row that moved down by one: no re-extraction);
    - a file whose text changed replaces the row stored under its label, with that row's
      claims, unless this build reads the old text too: the row then moves to the label it
      is read from. A label names one file (``claims.sources.document_label``), so a row is
      never deleted for another file's sake. Rows no longer replaced by anything stay.
    """

    def __init__(self, db: Database, version: str, reextract: bool = False):
        self.db, self.version, self.reextract = db, version, reextract
        #: document id -> the first file this build read it from
        self.read_from: dict[str, Document] = {}
        #: document id -> how many claims the database holds for it
        self.claims: dict[str, int] = {}
        #: the paths this build stored a document under
        self.taken: set[str] = set()
        #: ids of rows whose path another text took in this build: deleted at the end,
        #: unless the build reads their text elsewhere
        self.orphans: set[str] = set()
        self.changed = self.removed = 0

    def needs_extraction(self, doc: Document) -> bool:
        """True when ``add`` will extract ``doc``'s claims (so that a pool can do it first):
        its text is new, or was stored by another extractor or with another date."""
        if self.reextract:
            return True
        doc_id = document_id(doc.text)
        if doc_id in self.read_from:
            return False
        stored = next(
            self.db["documents"].rows_where(
                "id = ?", [doc_id], select="published, extractor_version"
            ),
            None,
        )
        return stored is None or (stored["published"], stored["extractor_version"]) != (
            doc.published,
            self.version,
        )

    def add(self, doc: Document, found: Callable[[], list[Claim]] | None = None) -> None:
        """Store ``doc`` unless it is stored as it is; extract its claims when it is not
        (``found`` gives them when a pool extracted them already)."""
        row = document_row(doc, self.version)
        doc_id = row["id"]
        if doc_id in self.read_from:  # the same text again (a republished article):
            self._replace_older_texts(doc, doc_id)  # the first reading stands
            return
        stored = next(self.db["documents"].rows_where("id = ?", [doc_id]), None)
        if stored is not None and stored["path"] != row["path"]:
            if stored["path"] in self.taken:  # its old place holds another text now
                self._move(doc_id, doc)
                stored = next(self.db["documents"].rows_where("id = ?", [doc_id]))
            else:
                row.update(path=stored["path"], source_id=stored["source_id"])
        if doc.source and row["source_id"] == (source_id(doc.source)):
            self._add_source(doc.source, doc.url)
        if stored == row and not self.reextract:
            self.claims[doc_id] = self.db["claims"].count_where("document_id = ?", [doc_id])
        else:
            extracted = found() if found else claims.extract(doc.text, published=doc.published)
            store_document(self.db, row, extracted, self.version)
            self.changed += 1
            self.claims[doc_id] = len(extracted)
        self.orphans.discard(doc_id)
        self._replace_older_texts(doc, doc_id)
        self.read_from[doc_id] = doc

    def finish(self) -> None:
        """Delete the rows whose path another text took, and whose text this build did
        not read anywhere."""
        for old_id in sorted(self.orphans - set(self.read_from)):
            self.db["claims"].delete_where("document_id = ?", [old_id])
            self.db["documents"].delete(old_id)
            self.removed += 1
        self.orphans.clear()

    def _add_source(self, name: str, url: str | None = None) -> None:
        """Add the source ``name``; its URL is the site of the first document that has one
        ("https://www.reuters.com" for an article of Reuters)."""
        site = _site(url)
        row = {"id": source_id(name), "name": name, "url": site}
        self.db["sources"].insert(row, ignore=True)
        if site:
            self.db.execute(
                "update sources set url = ? where id = ? and url is null", [site, row["id"]]
            )

    def _move(self, doc_id: str, doc: Document) -> None:
        """Store the row ``doc_id`` under ``doc``'s path and source."""
        if doc.source:
            self._add_source(doc.source, doc.url)
        source = source_id(doc.source) if doc.source else None
        self.db["documents"].update(doc_id, {"path": doc.path, "source_id": source})
        self.db.execute(_CLAIMS_IN_CONTEXT, {"document": doc_id})

    def _replace_older_texts(self, doc: Document, doc_id: str) -> None:
        """Mark the other rows stored under ``doc``'s label for deletion at the end of the
        build, or move them to a file this build read them from. The standard input is no
        file: nothing is replaced."""
        if not doc.path or doc.path.partition("#")[0] == STDIN:
            return
        self.taken.add(doc.path)
        older = self.db["documents"].rows_where(
            "path = ? and id != ?", [doc.path, doc_id], select="id"
        )
        for old_id in [row["id"] for row in older]:
            holder = self.read_from.get(old_id)
            if holder is not None:
                self._move(old_id, holder)
            else:
                self.orphans.add(old_id)


def store_document(db: Database, row: dict, found: list[Claim], version: str) -> None:
    """Write the ``documents`` row ``row`` and the claims ``found`` in its text.

    The document's claims that ``found`` no longer holds are deleted.
    """
    db["documents"].upsert(row, pk="id")
    rows = [claim_row(claim, row["id"], version) for claim in found]
    keep = {claim["id"] for claim in rows}
    for old in list(db["claims"].rows_where("document_id = ?", [row["id"]], select="id")):
        if old["id"] not in keep:
            db["claims"].delete(old["id"])
    db["claims"].upsert_all(rows, pk="id")
    db.execute(_CLAIMS_IN_CONTEXT, {"document": row["id"]})


def build(
    paths: Iterable[str | Path],
    db_path: str | Path,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    base: str | Path | None = None,
    *,
    glob: str | None = None,
    max_bytes: int = MAX_BYTES,
    fields: dict[str, str] | None = None,
    reextract: bool = False,
    refused: Refused | None = None,
    wait: float = 0,
    stdin: BinaryIO | None = None,
    tolerance: float | None = TOLERANCE,
    jobs: int = 1,
) -> BuildSummary:
    """Read the documents in ``paths``, extract their claims and write them to ``db_path``.

    Documents already stored as they are, by the same extractor version, are not extracted
    again (unless ``reextract``), so a second build over the same files changes nothing.
    Each batch of documents is written in one transaction, and each document whole or not
    at all: a build killed at any moment leaves the batches before it, and the next build
    goes on from there. A file or record that yields no document (see ``claims.formats``)
    is recorded in ``ingest_errors``, passed to ``refused``, and the build goes on. The run
    is recorded in ``runs`` (``finished`` stays empty when a build is cut short).

    :param paths: files, folders and ``-`` (see ``claims.sources``)
    :param db_path: the SQLite file, created if missing
    :param progress: called with a ``BuildProgress`` after each document and refusal
    :param batch_size: documents per transaction
    :param base: the folder documents' paths are stored relative to (when they are under
      it); default: the database's folder, so that the paths in a database name the same
      files wherever the build runs from
    :param glob: keep only the files of folders that match it
    :param max_bytes: refuse files larger than this
    :param fields: a record's field name -> its key in the records (``claims.formats``)
    :param reextract: extract every document again, even one stored by this version
    :param refused: called with each ``Refusal``
    :param wait: seconds to wait for another build on the same database to end
    :param stdin: where ``-`` is read from (default: the standard input)
    :param jobs: processes that extract claims (the writer is always this one)
    :param tolerance: cross-reference the claims at the end (``claims.xref``) with this
      tolerance; None: don't
    :raises StoreError: ``db_path`` is not a usable claims database, or another build holds it
    """
    paths = [str(path) for path in paths]
    db_file = Path(db_path)
    base = db_file.absolute().parent if base is None else Path(base)
    _check_path(db_file)
    files, refusals = list_inputs(paths, base, glob, skip=[db_file, inspect_path(db_file)])
    version = claims.EXTRACTOR_VERSION
    with _build_lock(db_file, wait), _write_errors(db_file):
        db = open_database(db_file)
        try:
            options = _Options(
                progress, batch_size, max_bytes, fields, reextract, refused, stdin, jobs
            )
            summary = _build(db, db_path, paths, files, refusals, version, options)
            if tolerance is not None:
                summary = dataclasses.replace(summary, xref=cross_reference(db, tolerance))
            summarize(db)
            # Fold the WAL into the main file, so that the file alone is the whole database.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        write_inspect(db_file)  # once the file is closed, as Datasette will read it
    return summary


def _site(url: str | None) -> str | None:
    """The site of a URL: "https://ledger.example/news/1" -> "https://ledger.example"."""
    if not url:
        return None
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


@dataclass(frozen=True)
class _Options:
    """How ``build`` was asked to read and report (see its parameters)."""

    progress: Progress | None
    batch_size: int
    max_bytes: int
    fields: dict[str, str] | None
    reextract: bool
    refused: Refused | None
    stdin: BinaryIO | None
    jobs: int = 1


def _build(
    db: Database,
    db_path: str | Path,
    paths: list[str],
    files: list[DocumentFile],
    refusals: list[Refusal],
    version: str,
    options: _Options,
) -> BuildSummary:
    """The build itself, on the open database it holds the lock of (see ``build``)."""
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
    state = BuildProgress(
        files_total=None if any(f.label == STDIN for f in files) else len(files),
        bytes_total=_total_bytes(files),
    )
    ingest = _Ingest(db, version, options.reextract)

    def refuse(refusal: Refusal) -> None:
        db["ingest_errors"].insert({"run_id": run_id, **refusal._asdict(), "time": _now()})
        state.refused += 1
        if options.refused:
            options.refused(refusal)

    with db.atomic():
        for refusal in refusals:
            refuse(refusal)
    items = _read_all(files, options.max_bytes, options.fields, options.stdin)
    pool = _pool(options.jobs)
    try:
        for batch in _batches(items, options.batch_size):
            extracted = _extract_ahead(pool, ingest, [item for item, _ in batch])
            with db.atomic():
                for item, place in batch:
                    if isinstance(item, Refusal):
                        refuse(item)
                    elif item is not None:
                        _add(db, ingest, item, refuse, extracted.get(id(item)))
                        state.documents = len(ingest.claims)
                        state.claims = sum(ingest.claims.values())
                    state.files, state.bytes, state.path = place
                    if options.progress:
                        options.progress(state)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    with db.atomic():
        ingest.finish()
    summary = BuildSummary(
        str(db_path),
        run_id,
        files=state.files,
        documents=len(ingest.claims),
        changed=ingest.changed,
        removed=ingest.removed,
        claims=sum(ingest.claims.values()),
        refused=state.refused,
    )
    with db.atomic():
        db["runs"].update(
            run_id,
            {
                "finished": _now(),
                "documents": summary.documents,
                "changed": summary.changed,
                "claims": summary.claims,
                "refused": summary.refused,
            },
        )
    return summary


def _pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor | None:
    """Processes to extract in, or None to extract here (``jobs`` 1)."""
    if jobs <= 1:
        return None
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    return concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def _extract_ahead(pool, ingest: _Ingest, items: list) -> dict[int, Callable[[], list[Claim]]]:
    """Start the extraction of a batch's documents that need it in ``pool``: id(document)
    -> a function that waits for its claims. The writer stays here, alone."""
    if pool is None:
        return {}
    docs = [doc for doc in items if isinstance(doc, Document) and ingest.needs_extraction(doc)]
    futures = {id(doc): pool.submit(claims.extract, doc.text, doc.published) for doc in docs}
    return {key: future.result for key, future in futures.items()}


def _add(
    db: Database,
    ingest: _Ingest,
    doc: Document,
    refuse: Refused,
    found: Callable[[], list[Claim]] | None = None,
) -> None:
    """Store one document in a savepoint: a document that fails leaves no row behind, is
    refused with the reason, and the documents before it in the batch stay."""
    try:
        with db.atomic():
            ingest.add(doc, found)
    except sqlite3.Error:
        raise  # the database itself failed: nothing more can be stored
    except Exception as error:  # a fault of ours on this text: record it and go on
        refuse(Refusal(doc.path or STDIN, None, f"failed: {type(error).__name__}: {error}"))


class _Place(NamedTuple):
    """Where a build is once an item is stored: files done, bytes done, the file."""

    files: int
    bytes: int
    path: str


def _read_all(
    files: list[DocumentFile],
    max_bytes: int,
    fields: dict[str, str] | None,
    stdin: BinaryIO | None,
) -> Iterator[tuple[Document | Refusal | None, _Place]]:
    """Yield the documents and refusals of ``files`` in turn, each with the place the build
    reaches once it is stored (and a None item at the end of each file)."""
    read_before = 0
    for number, file in enumerate(files, start=1):
        size = _size(file)
        try:
            for item in read_file(file, max_bytes, fields, stdin):
                done = item.meta.get("done", 1.0) if isinstance(item, Document) else 1.0
                yield item, _Place(number - 1, read_before + int(size * done), file.label)
        except Exception as error:  # a fault of ours on this file: say so and go on
            failed = Refusal(file.label, None, f"failed: {type(error).__name__}: {error}")
            yield failed, _Place(number - 1, read_before, file.label)
        read_before += size
        yield None, _Place(number, read_before, file.label)


def _total_bytes(files: list[DocumentFile]) -> int | None:
    if any(file.label == STDIN for file in files):
        return None
    return sum(_size(file) for file in files)


def _size(file: DocumentFile) -> int:
    try:
        return 0 if file.label == STDIN else file.path.stat().st_size
    except OSError:
        return 0


@contextlib.contextmanager
def _write_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors while writing ``path`` (read-only file, full disk) into a
    ``StoreError`` that names it."""
    try:
        yield
    except sqlite3.OperationalError as error:
        raise StoreError(path, f"cannot write to this database ({error})") from error


@contextlib.contextmanager
def _build_lock(path: Path, wait: float) -> Iterator[None]:
    """Hold the database for one build: a second build on it waits up to ``wait`` seconds
    for the first to end, then stops with a message (readers such as Datasette go on)."""
    with open(path, "ab") as held:  # made empty if missing: the lock comes before the schema
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        path,
                        "another build is writing to this database: wait for it to end, "
                        "or give --wait SECONDS",
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _now() -> str:
    """Return the current UTC time, ISO 8601 to the second (for ``runs`` only)."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
