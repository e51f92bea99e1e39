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
import functools
import hashlib
import json
import multiprocessing
import os
import sqlite3
import stat
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
from claims.budget import FileBudgets
from claims.defaults import BATCH_SIZE, SECONDS_PER_MB
from claims.errors import ClaimsError, ExtractionTimeout, StoreError
from claims.extract import DocumentClaims, extract_document
from claims.formats import MAX_BYTES, read_file
from claims.model import CLAIM_FIELDS, Claim, Document, Refusal
from claims.readonly import connect_read_only, writable
from claims.sources import STDIN, DocumentFile, input_label, list_inputs
from claims.summary import SUMMARIES, inspect_path, summarize, write_inspect
from claims.xref import TOLERANCE, XrefSummary
from claims.xref import xref as cross_reference

Progress = Callable[["BuildProgress"], None]
Refused = Callable[[Refusal], None]

#: One item of a build, in input order: a document, a refusal, or None at the end of a file;
#: the place the build reaches once it is stored; and its claims when they were found
#: elsewhere (None: ``_Ingest.add`` extracts them here if they are needed).
Item = tuple[Document | Refusal | None, "Place", Callable[[], DocumentClaims] | None]

#: Where a build's items come from (``build(extraction=...)``, e.g. ``claims.distributed``):
#: called with the files listed and the open database, it returns a context that yields the
#: items in input order and cleans up after.
Extraction = Callable[
    [list[DocumentFile], Database], contextlib.AbstractContextManager[Iterator[Item]]
]

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
def m005_fulltext_updates_of_indexed_columns(db: Database) -> None:
    """Updates touch the full-text indexes only when they change the columns indexed, so
    that writing quantity keys, sources or dates leaves them be (a delete and an insert in
    the index a row, otherwise)."""
    for table, columns in (("documents", ("title", "text")), ("claims", ("sentence", "concept"))):
        _update_trigger_of_indexed_columns(db, table, columns)


def _update_trigger_of_indexed_columns(db: Database, table: str, columns: tuple) -> None:
    """Make ``table``'s full-text update trigger fire only when ``columns`` (those indexed)
    change, in place of sqlite-utils' trigger on every update."""
    db.execute(f"drop trigger if exists [{table}_au]")
    names = ", ".join(f"[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    db.execute(
        f"""create trigger [{table}_au] after update of {names} on [{table}] begin
          insert into [{table}_fts] ([{table}_fts], rowid, {names})
            values ('delete', old.rowid, {old});
          insert into [{table}_fts] (rowid, {names}) values (new.rowid, {new});
        end"""
    )


@SCHEMA()
def m006_runs_record_their_inputs(db: Database) -> None:
    """Record the state of each build's inputs (files, sizes, times, options) and the
    tolerance it cross-referenced with, so that a build of unchanged inputs reads nothing
    and a build that changed nothing keeps the links of the one before."""
    db["runs"].add_column("inputs_state", str)
    db["runs"].add_column("xref_tolerance", float)


@SCHEMA()
def m007_site_at_scale(db: Database) -> None:
    """Indexes for the site on millions of claims, and the summary tables (issue #8).

    Each facet column but document_id leads an index that holds the other facet columns,
    so that the facets of a page filtered on one of them count index entries, not claims
    (24 ms a facet -> 1-9 ms on a million claims); it replaces the column's own index.
    The canned queries claims_of_unit, who_said_what and conflicts read their rows in the
    order of an index, and stop at the rows they show."""
    facet_columns = (  # as they were when this migration was written, whatever they are now
        "unit",
        "dimension",
        "qualifier",
        "document_id",
        "speaker",
        "modality",
        "source",
        "published_month",
    )
    others = [column for column in facet_columns if column != "document_id"]
    for column in others:
        db.execute(f"drop index if exists idx_claims_{column}")
        rest = [c for c in facet_columns if c != column]
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
    # The summary tables are derived data, made by the code of the day: open_database
    # fills them when they are missing (_summaries_made).


@SCHEMA()
def m008_deferred_indexes(db: Database) -> None:
    """The indexes of claims that a first build makes at its end (``_indexes_deferred``)."""
    db["deferred_indexes"].create({"name": str, "sql": str}, pk="name", not_null=["sql"])


@SCHEMA()
def m009_claims_text_searched(db: Database) -> None:
    """The claims' full-text index holds their text too ("8,500 U.S. troops"), so that the
    figures given for a thing are found by its words in the index (the canned query
    concept_over_time: a ``like '%troops%'`` read every claim, 0.8 s on a million)."""
    columns = ("sentence", "concept", "text")
    db["claims"].disable_fts()
    db["claims"].enable_fts(list(columns), create_triggers=True, tokenize="porter")
    _update_trigger_of_indexed_columns(db, "claims", columns)  # as m005 made it


@SCHEMA()
def m010_documents_cut_sentences(db: Database) -> None:
    """How many sentences of each document were too long to be read whole and were read in
    pieces (``claims.sentences.MAX_SENTENCE``, #14); empty for a document extracted before."""
    db["documents"].add_column("cut_sentences", int)


@SCHEMA()
def m011_input_folders(db: Database) -> None:
    """The folders outside the database's folder whose names the paths of documents start
    with, each with a hash of where it is, so that a build of another folder of the same
    name is refused instead of replacing the first one's documents (#14)."""
    db["input_folders"].create({"name": str, "key": str}, pk="name", not_null=["key"])


@SCHEMA()
def m012_place_and_speaker_kind(db: Database) -> None:
    """Where a figure holds (``place``) and what kind of speaker asserts it
    (``speaker_kind``), and facets on subject, place and speaker kind (#15). Each new facet
    column leads an index of its own; the counts of the unfiltered table are made again
    with them (the summary tables are dropped here and filled by ``open_database``)."""
    db["claims"].add_column("place", str)
    db["claims"].add_column("speaker_kind", str)
    for column in ("subject", "place", "speaker_kind"):
        db["claims"].create_index([column, "published"], index_name=f"idx_claims_{column}")
    db.execute("drop table if exists claim_facets")


@SCHEMA()
def m013_frames_and_why_links(db: Database) -> None:
    """A claim's frame beside its key (what is measured, and the kind of figure: level,
    total, change, tranche, loss, rate), the kind of a reference figure (a level as of a date, or
    the total committed up to it), and why each link was made: the frame fields both
    claims share, the days between them, and their two intervals (#16). The canned query
    conflicts reads the links in the order of how solid they are."""
    db["claims"].add_column("measure", str)
    db["claims"].add_column("figure_kind", str)
    db["references"].add_column("figure_kind", str)
    columns = {
        "measure": str,
        "subject": str,
        "place": str,
        "figure_kind": str,
        "days_apart": int,
        "known_fields": int,
        "a_low": float,
        "a_high": float,
        "b_low": float,
        "b_high": float,
        "why": str,
    }
    for column, kind in columns.items():
        db["claim_links"].add_column(column, kind)
    db.execute(
        "create index idx_claim_links_solid on claim_links "
        "(relation, known_fields desc, days_apart)"
    )
    # The links and checks there are were made without frames: the next build makes them
    # again (a build of unchanged inputs reads nothing, but links made with no tolerance).
    db.execute("update runs set xref_tolerance = null")


#: The index a build needs while it writes (a document's claims): never deferred.
_WRITER_INDEX = "idx_claims_document_id_start"


@contextlib.contextmanager
def _indexes_deferred(db: Database) -> Iterator[None]:
    """On an empty claims table (a first build), drop its indexes while the build writes and
    make them at its end: an index made from all the rows at once costs a fraction of one
    kept up row by row (with the site's facet indexes, 18,000 claim rows/s -> more than
    100,000). Their SQL waits in ``deferred_indexes``, committed with the drop, so that a
    build cut short leaves it there and the next build makes them first
    (``_make_deferred_indexes``)."""
    if db.execute("select exists (select 1 from claims)").fetchone()[0]:
        yield
        return
    with db.atomic():
        indexes = db.execute(
            "select name, sql from sqlite_master where type = 'index' and tbl_name = 'claims' "
            "and sql is not null and name != ?",
            [_WRITER_INDEX],
        ).fetchall()
        db.conn.executemany("insert into deferred_indexes (name, sql) values (?, ?)", indexes)
        for name, _ in indexes:
            db.execute(f"drop index [{name}]")
    yield
    _make_deferred_indexes(db)


def _make_deferred_indexes(db: Database) -> None:
    """Make the indexes a first build deferred (see ``_indexes_deferred``)."""
    with db.atomic():
        for name, sql in db.execute("select name, sql from deferred_indexes").fetchall():
            db.execute(sql)
            db.execute("delete from deferred_indexes where name = ?", [name])


#: The full-text insert triggers that a build drops while it writes a batch.
_INSERT_TRIGGERS = ("documents_ai", "claims_ai")


@contextlib.contextmanager
def _writer_indexes_text(db: Database) -> Iterator[None]:
    """Within a batch's transaction, drop the full-text insert triggers, so that the writer
    indexes what it inserts itself in one statement a document (``_index_text``): an FTS5
    insert trigger costs about 100 µs a row, four times the whole insert. They are made
    again before the batch commits (a batch cut short rolls both back), so that any other
    writer of the database finds them as sqlite-utils made them."""
    names = ", ".join(f"'{name}'" for name in _INSERT_TRIGGERS)
    saved = db.execute(
        f"select name, sql from sqlite_master where type = 'trigger' and name in ({names})"
    ).fetchall()
    for name, _ in saved:
        db.execute(f"drop trigger [{name}]")
    try:
        yield
    finally:
        for _, sql in saved:
            db.execute(sql)


#: The columns of each table's full-text index, as the schema's last migration made them.
FULLTEXT_COLUMNS = {"documents": "title, text", "claims": "sentence, concept, text"}


def _index_text(db: Database, table: str, where: str, params: list) -> None:
    """Add the full-text rows of the rows of ``table`` just inserted (see
    ``_writer_indexes_text``)."""
    columns = FULLTEXT_COLUMNS[table]
    db.execute(
        f"insert into [{table}_fts] (rowid, {columns}) select rowid, {columns} "
        f"from [{table}] where {where}",
        params,
    )


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
    #: the run whose inputs this build found unchanged, and so read nothing; else None
    same_as: int | None = None


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


def claim_row(
    claim: Claim,
    document: str,
    version: str,
    source: str | None = None,
    published: str | None = None,
) -> dict:
    """Return the ``claims`` row of ``claim``, found in document ``document`` of ``source``
    (its name) published on ``published``."""
    row = claim.to_dict()
    row["quoted"] = int(bool(row["quoted"]))
    return {
        "id": claim_id(document, claim.start, claim.end, claim.text),
        "document_id": document,
        **row,
        "extractor_version": version,
        "source": source,
        "published": published,
        "published_month": published[:7] if published else None,
    }


def _upsert(table: str, columns: Iterable[str]) -> str:
    """SQL that inserts a row of ``columns`` (named parameters), or updates the row with its
    id. Raw SQL, as sqlite-utils' ``upsert`` costs a schema look-up and two statements a row:
    the writer stays far ahead of extraction."""
    columns = list(columns)
    names = ", ".join(f"[{c}]" for c in columns)
    values = ", ".join(f":{c}" for c in columns)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != "id")
    return (
        f"insert into [{table}] ({names}) values ({values}) on conflict(id) do update set {updates}"
    )


_DOCUMENT_COLUMNS = (
    "id",
    "source_id",
    "path",
    "url",
    "title",
    "published",
    "length",
    "text",
    "extractor_version",
)
_UPSERT_DOCUMENT = _upsert("documents", (*_DOCUMENT_COLUMNS, "cut_sentences"))
_CLAIM_COLUMNS = (
    "id",
    "document_id",
    *CLAIM_FIELDS,
    "extractor_version",
    "source",
    "published",
    "published_month",
)
_UPDATE_CLAIM = (
    f"update claims set {', '.join(f'[{c}] = :{c}' for c in _CLAIM_COLUMNS if c != 'id')} "
    "where id = :id"
)
_CLAIMS_OF = "select id from claims where document_id = ?"
#: (table, column) of the rows that name a claim
_LINKS_TO_CLAIMS = (
    ("claim_links", "claim_a"),
    ("claim_links", "claim_b"),
    ("claim_links", "first_seen"),
    ("reference_checks", "claim_id"),
)
_INSERT_CLAIM = (
    f"insert into claims ({', '.join(f'[{c}]' for c in _CLAIM_COLUMNS)}) "
    f"values ({', '.join(f':{c}' for c in _CLAIM_COLUMNS)})"
)


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
            _summaries_made(db)
    except StoreError:
        db.close()
        raise
    return db


def _summaries_made(db: Database) -> None:
    """Fill the summary tables when one is missing: in a new database, or after a migration
    that dropped them because the columns they count changed."""
    if not set(SUMMARIES) <= set(db.table_names()):
        summarize(db)


def pending_migrations(db_path: str | Path) -> list[str]:
    """The names of the schema's migrations that the claims database ``db_path`` has not
    had (one built by an older claims), reading it only."""
    path = Path(db_path)
    with _store_errors(path):
        db = Database(connect_read_only(path))
        try:
            return [migration.name for migration in SCHEMA.pending(db)]
        finally:
            db.close()


def migrate(db_path: str | Path) -> None:
    """Bring the claims database ``db_path`` to the current schema, holding it as a build
    does (a build writing it is not waited for: a one-line error says so)."""
    path = Path(db_path)
    _check_path(path)
    cannot = writable(path)
    if cannot:
        raise StoreError(
            path,
            f"was built by an older claims, and cannot be written to bring its schema up to "
            f"date ({cannot}): copy it where it can be written, or build it again",
        )
    with _build_lock(path, 0), _write_errors(path):
        open_database(path).close()


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
        # Read only: a file that is not a database is not touched, not even to add a
        # journal; one on read-only media is read immutable (claims.readonly).
        conn = connect_read_only(path)
        try:
            _check_schema(conn, path, empty_ok=False)
        finally:
            conn.close()


def open_reader(db_path: str | Path) -> Database:
    """Return the claims database at ``db_path`` opened for reading only (on read-only
    media too), once ``check_database`` has accepted it.

    :raises StoreError: as ``check_database``
    """
    check_database(db_path)
    with _store_errors(Path(db_path)):
        return Database(connect_read_only(db_path))


@contextlib.contextmanager
def writing(db_path: str | Path, wait: float = 0) -> Iterator[Database]:
    """The claims database at ``db_path``, open and held as a build holds it (``wait`` as
    for ``build``), for a command that writes it (xref, refs): writers never meet, and
    one that cannot write says so before anything is written.

    :raises StoreError: the database is missing or not usable (see ``check_database``),
      cannot be written, or another writer holds it
    """
    path = Path(db_path)
    _check_path(path)
    if not path.exists():
        raise StoreError(path, "no such database")
    with _build_lock(path, wait), _write_errors(path):
        check_database(path)
        db = open_database(path)
        try:
            yield db
        finally:
            db.close()


@contextlib.contextmanager
def _store_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors about the file ``path`` into a ``StoreError`` that names it."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        if _damaged(error):
            raise StoreError(path, f"is damaged ({error}): {_REBUILD}") from error
        raise StoreError(path, f"cannot open as a claims database ({error})") from error


#: How to get a sound database back from a damaged one.
_REBUILD = "build the database again to a new file (claims build PATH... --db NEW.db)"


def _damaged(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite's ``error`` says the file is a damaged database (not another file);
    a missing table is found by ``_check_schema`` before, not guessed from a query."""
    return any(word in str(error) for word in ("malformed", "corrupt"))


#: What a path that is no regular file is, by the kind stat gives it.
_NOT_FILES = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _check_path(path: Path) -> None:
    """Refuse a database path that is a folder or anything but a regular file (a FIFO
    would block whoever opens it), or whose folder is missing; without opening it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None  # missing (or unreachable: opening it will say why)
    if mode is not None and stat.S_ISDIR(mode):
        raise StoreError(path, "is a folder, not a database file: name a file such as claims.db")
    if mode is not None and not stat.S_ISREG(mode):
        kind = _NOT_FILES.get(stat.S_IFMT(mode), "not a regular file")
        raise StoreError(path, f"is {kind}, not a database file: name a file such as claims.db")
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
            "select name from _sqlite_migrations where migration_set = ?", [SCHEMA.name]
        ).fetchall()
        if applied:
            _check_tables(conn, path, frozenset(name for (name,) in applied))
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


def _check_tables(conn: sqlite3.Connection, path: Path, applied: frozenset[str]) -> None:
    """Refuse a claims database that lacks a table or column its migrations made (one
    dropped by hand), before a build or the site stops on it halfway."""
    missing = []
    for table, columns in _schema_tables(applied).items():
        found = {row[1] for row in conn.execute(f"pragma table_info([{table}])")}
        if not found:
            missing.append(f"table {table}")
        else:
            missing += [f"column {table}.{c}" for c in columns if c not in found]
    if missing:
        shown = ", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")
        raise StoreError(path, f"is damaged: it has no {shown}: {_REBUILD}")


@functools.cache
def _schema_tables(applied: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The tables and columns that the migrations ``applied`` make (all of them, or those
    of an older claims), read from a database in memory that they are applied to."""
    db = Database(memory=True)
    pending = [m.name for m in SCHEMA._migrations if m.name not in applied]
    SCHEMA.apply(db, stop_before=pending[:1] or None)
    tables = {
        table: tuple(db[table].columns_dict)
        for table in db.table_names()
        if not table.startswith("_sqlite_")
    }
    db.close()
    return tables


class _Origin(NamedTuple):
    """Where a build read a document: its path (label), source and URL."""

    path: str | None
    source: str | None
    url: str | None


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

    def __init__(
        self,
        db: Database,
        version: str,
        reextract: bool = False,
        seconds_per_mb: float | None = SECONDS_PER_MB,
    ):
        self.db, self.version, self.reextract = db, version, reextract
        #: the time each file's documents may take to extract (``claims.budget``)
        self.budgets = FileBudgets(seconds_per_mb)
        #: document id -> where this build first read it (not the text: memory stays flat)
        self.read_from: dict[str, _Origin] = {}
        #: document id -> how many claims the database holds for it
        self.claims: dict[str, int] = {}
        #: the paths this build stored a document under
        self.taken: set[str] = set()
        #: ids of rows whose path another text took in this build: deleted at the end,
        #: unless the build reads their text elsewhere
        self.orphans: set[str] = set()
        self.changed = self.removed = 0
        #: the sum of ``claims``' values, kept as it grows
        self.claims_total = 0
        #: True inside ``batch``: the writer indexes the text it inserts
        self.indexes_text = False
        #: source id -> name (an id is a hash of its name: kept even when rolled back)
        self.source_names: dict[str, str] = {}

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for a batch of documents, in which the writer indexes the text
        it inserts for search itself (``_writer_indexes_text``)."""
        with self.db.atomic(), _writer_indexes_text(self.db):
            self.indexes_text = True
            try:
                yield
            finally:
                self.indexes_text = False

    def needs_extraction(self, doc: Document) -> bool:
        """True when ``add`` will extract ``doc``'s claims (so that a pool can do it first):
        its text is new, or was stored by another extractor or with another date."""
        if self.reextract:
            return True
        doc_id = document_id(doc.text)
        if doc_id in self.read_from:
            return False
        stored = self.db.execute(
            "select published, extractor_version from documents where id = ?", [doc_id]
        ).fetchone()
        return stored is None or tuple(stored) != (doc.published, self.version)

    def add(self, doc: Document, found: Callable[[], DocumentClaims] | None = None) -> None:
        """Store ``doc`` unless it is stored as it is; extract its claims when it is not
        (``found`` gives them when a pool extracted them already)."""
        row = document_row(doc, self.version)
        doc_id = row["id"]
        if doc_id in self.read_from:  # the same text again (a republished article):
            self._replace_older_texts(doc, doc_id)  # the first reading stands
            return
        stored = self._stored(doc_id)
        if stored is not None and stored["path"] != row["path"]:
            if stored["path"] in self.taken:  # its old place holds another text now
                self._move(doc_id, _Origin(doc.path, doc.source, doc.url))
                stored = self._stored(doc_id)
            else:
                row.update(path=stored["path"], source_id=stored["source_id"])
        if doc.source and row["source_id"] == (source_id(doc.source)):
            self._add_source(doc.source, doc.url)
        if stored == row and not self.reextract:
            self.claims[doc_id] = self.db.execute(
                "select count(*) from claims where document_id = ?", [doc_id]
            ).fetchone()[0]
        else:
            extracted = self._extract(doc, found)
            source = self._source_name(row["source_id"])
            store_document(
                self.db,
                row,
                extracted.claims,
                self.version,
                source,
                stored is None,
                self.indexes_text,
                cut_sentences=extracted.cut_sentences,
            )
            self.changed += 1
            self.claims[doc_id] = len(extracted.claims)
        self.orphans.discard(doc_id)
        self._replace_older_texts(doc, doc_id)
        self.read_from[doc_id] = _Origin(doc.path, doc.source, doc.url)
        self.claims_total += self.claims[doc_id]

    def _extract(self, doc: Document, found: Callable[[], DocumentClaims] | None):
        """The claims of ``doc``, from ``found`` (a pool) or extracted here within the time
        its file has left; its time counted in its file's budget either way.

        :raises ExtractionTimeout: past its budget, or none was left (``seconds`` <= 0)
        """
        [left] = self.budgets.grant(doc)  # what a pool was granted, if it was sent there
        try:
            if found is None and left is not None and left <= 0:
                raise ExtractionTimeout(0.0)
            extracted = found() if found else extract_document(doc.text, doc.published, left)
        except ExtractionTimeout as error:
            self.budgets.settle(doc, error.seconds or 0.0)  # all it was granted
            raise
        self.budgets.settle(doc, extracted.seconds)
        return extracted

    def finish(self) -> None:
        """Delete the rows whose path another text took, and whose text this build did
        not read anywhere."""
        for old_id in sorted(self.orphans - set(self.read_from)):
            self.db["claims"].delete_where("document_id = ?", [old_id])
            self.db["documents"].delete(old_id)
            self.removed += 1
        self.orphans.clear()

    def _stored(self, doc_id: str) -> dict | None:
        """The ``documents`` row ``doc_id``, or None."""
        cursor = self.db.execute(
            f"select {', '.join(_DOCUMENT_COLUMNS)} from documents where id = ?", [doc_id]
        )
        found = cursor.fetchone()
        return dict(zip(_DOCUMENT_COLUMNS, found, strict=True)) if found else None

    def _source_name(self, source: str | None) -> str | None:
        """The name of the source with id ``source``."""
        if source is not None and source not in self.source_names:
            found = self.db.execute("select name from sources where id = ?", [source]).fetchone()
            if found:
                self.source_names[source] = found[0]
        return self.source_names.get(source)

    def _add_source(self, name: str, url: str | None = None) -> None:
        """Add the source ``name``; its URL is the site of the first document that has one
        ("https://www.reuters.com" for an article of Reuters)."""
        site = _site(url)
        key = source_id(name)
        self.db.execute(
            "insert or ignore into sources (id, name, url) values (?, ?, ?)", [key, name, site]
        )
        if site:
            self.db.execute("update sources set url = ? where id = ? and url is null", [site, key])
        self.source_names[key] = name

    def _move(self, doc_id: str, origin: _Origin) -> None:
        """Store the row ``doc_id`` under the path and source it was read from."""
        if origin.source:
            self._add_source(origin.source, origin.url)
        source = source_id(origin.source) if origin.source else None
        self.db["documents"].update(doc_id, {"path": origin.path, "source_id": source})
        self.db.execute(_CLAIMS_IN_CONTEXT, {"document": doc_id})

    def _replace_older_texts(self, doc: Document, doc_id: str) -> None:
        """Mark the other rows stored under ``doc``'s label for deletion at the end of the
        build, or move them to a file this build read them from. The standard input is no
        file: nothing is replaced."""
        if not doc.path or doc.path.partition("#")[0] == STDIN:
            return
        self.taken.add(doc.path)
        older = self.db.execute(
            "select id from documents where path = ? and id != ?", [doc.path, doc_id]
        ).fetchall()
        for (old_id,) in older:
            holder = self.read_from.get(old_id)
            if holder is not None:
                self._move(old_id, holder)
            else:
                self.orphans.add(old_id)


def store_document(
    db: Database,
    row: dict,
    found: list[Claim],
    version: str,
    source: str | None = None,
    new: bool = False,
    index_text: bool = False,
    cut_sentences: int | None = None,
) -> None:
    """Write the ``documents`` row ``row`` and the claims ``found`` in its text, in place of
    the claims stored for it before; ``source`` is the name of its source, ``new`` says that
    the database holds no row of this document yet, and ``index_text`` that the full-text
    insert triggers are off (``_writer_indexes_text``): the rows inserted are indexed here;
    ``cut_sentences`` counts its sentences read in pieces (``DocumentClaims``)."""
    conn = db.conn
    # an update of a stored row re-indexes its text
    conn.execute(_UPSERT_DOCUMENT, {**row, "cut_sentences": cut_sentences})
    rows = [claim_row(claim, row["id"], version, source, row["published"]) for claim in found]
    if new:
        conn.executemany(_INSERT_CLAIM, rows)
        if index_text:
            _index_text(db, "documents", "id = ?", [row["id"]])
            _index_text(db, "claims", "document_id = ?", [row["id"]])
        return
    stored = {key for (key,) in conn.execute(_CLAIMS_OF, [row["id"]])}
    gone = json.dumps(sorted(stored - {claim["id"] for claim in rows}))
    for table, column in _LINKS_TO_CLAIMS:  # rebuilt by xref; they would hold the claims
        conn.execute(
            f"delete from [{table}] where {column} in (select value from json_each(?))", [gone]
        )
    conn.execute("delete from claims where id in (select value from json_each(?))", [gone])
    conn.executemany(_UPDATE_CLAIM, [claim for claim in rows if claim["id"] in stored])
    added = [claim for claim in rows if claim["id"] not in stored]
    conn.executemany(_INSERT_CLAIM, added)
    if index_text:
        ids = json.dumps([claim["id"] for claim in added])
        where = "id in (select value from json_each(?))"
        _index_text(db, "claims", where, [ids])


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
    extraction: Extraction | None = None,
    seconds_per_mb: float | None = SECONDS_PER_MB,
    follow_links: bool = False,
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
    :param extraction: read and extract elsewhere (a Dask cluster, ``claims.distributed``);
      default: here, in ``jobs`` processes
    :param tolerance: cross-reference the claims at the end (``claims.xref``) with this
      tolerance; None: don't
    :param seconds_per_mb: the time budget of extraction (``claims.budget``): the
      documents of a file may take 2 s and this per MB of their text, together; a document
      past what its file has left is refused with that reason; None: no limit
    :param follow_links: follow every symbolic link found in folders, not only those whose
      target lies inside ``paths``
    :raises StoreError: ``db_path`` is not a usable claims database, or another build holds it
    """
    paths = [str(path) for path in paths]
    db_file = Path(db_path)
    base = db_file.absolute().parent if base is None else Path(base)
    _check_path(db_file)
    skip = [db_file, inspect_path(db_file)]
    files, refusals = list_inputs(paths, base, glob, skip, follow_links=follow_links)
    folders = _input_folders(paths, base)
    paths = [input_label(path, base) for path in paths]  # runs.inputs: no absolute path (#14)
    version = claims.EXTRACTOR_VERSION
    with _build_lock(db_file, wait), _write_errors(db_file):
        db = open_database(db_file)
        try:
            _claim_input_folders(db, db_file, folders)
            options = _Options(
                progress,
                batch_size,
                max_bytes,
                fields,
                reextract,
                refused,
                stdin,
                jobs,
                extraction,
                seconds_per_mb,
            )
            _make_deferred_indexes(db)  # those of a first build cut short
            state = None if reextract else _inputs_state(files, refusals, version, options)
            summary = _unchanged(db, db_path, paths, len(files), state, tolerance, options)
            if summary is None:
                summary = _build(db, db_path, paths, files, refusals, version, options)
                if tolerance is not None and _links_made_with(db, summary, None) != tolerance:
                    summary = dataclasses.replace(summary, xref=cross_reference(db, tolerance))
                if summary.changed or summary.removed or summary.xref:
                    summarize(db)
                with db.atomic():
                    db["runs"].update(
                        summary.run_id,
                        {
                            "inputs_state": state,
                            "xref_tolerance": _links_made_with(db, summary, tolerance),
                        },
                    )
            # Fold the WAL into the main file, so that the file alone is the whole database.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        write_inspect(db_file)  # once the file is closed, as Datasette will read it
    return summary


def _input_folders(paths: list[str], base: Path) -> dict[str, tuple[str, str]]:
    """The folders outside ``base`` that the documents of ``paths`` are labelled after
    (``claims.sources.document_label``): their name -> (a hash of where they are, the path
    given). Folders under ``base`` are labelled by their path from it, and need none."""
    real_base = Path(os.path.realpath(base))
    folders = {}
    for given in paths:
        if given == STDIN:
            continue
        root = Path(os.path.realpath(given))
        root = root if root.is_dir() else root.parent
        if not root.is_relative_to(real_base):
            folders[root.name] = (short_hash("input folder", str(root)), given)
    return folders


def _claim_input_folders(db: Database, path: Path, folders: dict[str, tuple[str, str]]) -> None:
    """Record which folder each name of ``folders`` stands for, or refuse the build when a
    folder of the same name from elsewhere was built into the database before: the paths of
    its documents would be those of the other's, and replace them (#14)."""
    for name, (key, given) in folders.items():
        known = db.execute("select key from input_folders where name = ?", [name]).fetchone()
        if known is not None and known[0] != key:
            raise StoreError(
                path,
                f"{given}: another folder named {name} was built into this database before, "
                f"from elsewhere, and its documents would be replaced by these (their paths "
                f"start with {name}/ too): build from their common folder, or into another "
                "database",
            )
        if known is None:
            with db.atomic():
                db["input_folders"].insert({"name": name, "key": key})


def _inputs_state(
    files: list[DocumentFile], refusals: list[Refusal], version: str, options: _Options
) -> str | None:
    """A hash of what a build reads: each file's label, size and modification time, the
    paths refused, the extractor version and the reading options. None for the standard
    input, which is read anew each time."""
    if any(file.label == STDIN for file in files):
        return None
    stats = []
    for file in files:
        try:
            info = file.path.stat()
        except OSError:
            return None  # gone since it was listed: read, and refuse it there
        stats.append((file.label, info.st_size, info.st_mtime_ns))
    fields = sorted((options.fields or {}).items())
    return short_hash(
        "inputs", version, stats, [list(r) for r in refusals], options.max_bytes, fields
    )


def _unchanged(
    db: Database,
    db_path: str | Path,
    paths: list[str],
    files: int,
    state: str | None,
    tolerance: float | None,
    options: _Options,
) -> BuildSummary | None:
    """When the last build read the same inputs in the same state, and finished: record
    this run as the same as that one without reading anything (its refusals included), and
    return its summary. Else None: the build reads its inputs."""
    last = db.execute(
        "select id, inputs_state, xref_tolerance, finished, documents, claims, refused "
        "from runs order by id desc limit 1"
    ).fetchone()
    if state is None or last is None or last[1] != state or last[3] is None:
        return None
    if tolerance is not None and last[2] != tolerance:
        return None  # the links are to be made again
    last_id, _, xref_tolerance, _, documents, stored, refused = last
    with db.atomic():
        run_id = (
            db["runs"]
            .insert(
                {
                    "started": _now(),
                    "finished": _now(),
                    "extractor_version": claims.EXTRACTOR_VERSION,
                    "inputs": json.dumps(paths),
                    "documents": documents,
                    "changed": 0,
                    "claims": stored,
                    "refused": refused,
                    "inputs_state": state,
                    "xref_tolerance": xref_tolerance,
                }
            )
            .last_pk
        )
        again = db.execute(
            "select path, record, reason from ingest_errors where run_id = ? order by id",
            [last_id],
        ).fetchall()
        for path, record, reason in again:
            db["ingest_errors"].insert(
                {"run_id": run_id, "path": path, "record": record, "reason": reason, "time": _now()}
            )
    if options.refused:
        for refusal in again:
            options.refused(Refusal(*refusal))
    return BuildSummary(
        str(db_path),
        run_id,
        files=files,
        documents=documents,
        changed=0,
        removed=0,
        claims=stored,
        refused=refused,
        same_as=last_id,
    )


def _links_made_with(db: Database, summary: BuildSummary, tolerance: float | None):
    """The tolerance that the links of ``db`` hold for after this build; None when the
    build changed documents and did not cross-reference them."""
    if summary.xref is not None:
        return tolerance
    if summary.changed or summary.removed:
        return None
    before = db.execute(
        "select xref_tolerance from runs where id < ? order by id desc limit 1", [summary.run_id]
    ).fetchone()
    return before[0] if before else None


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
    extraction: Extraction | None = None
    seconds_per_mb: float | None = SECONDS_PER_MB


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
    ingest = _Ingest(db, version, options.reextract, options.seconds_per_mb)

    def refuse(refusal: Refusal) -> None:
        db["ingest_errors"].insert({"run_id": run_id, **refusal._asdict(), "time": _now()})
        state.refused += 1
        if options.refused:
            options.refused(refusal)

    with db.atomic():
        for refusal in refusals:
            refuse(refusal)
    extraction = options.extraction or functools.partial(
        _extract_here, ingest=ingest, options=options
    )
    with _indexes_deferred(db), extraction(files, db) as items:
        for batch in _batches(items, options.batch_size):
            with ingest.batch():
                for item, place, found in batch:
                    if isinstance(item, Refusal):
                        refuse(item)
                    elif item is not None:
                        _add(db, ingest, item, refuse, found)
                        state.documents = len(ingest.claims)
                        state.claims = ingest.claims_total
                    else:  # the end of a file: its documents are all stored
                        ingest.budgets.close(place.path)
                    state.files, state.bytes, state.path = place
                    if options.progress:
                        options.progress(state)
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


@contextlib.contextmanager
def _extract_here(
    files: list[DocumentFile], db: Database, ingest: _Ingest, options: _Options
) -> Iterator[Iterator[Item]]:
    """The items of ``files`` read here, their claims extracted by a pool of ``options.jobs``
    processes a batch ahead of the writer (none: by the writer itself)."""
    pool = _pool(options.jobs)
    try:
        items = _read_all(files, options.max_bytes, options.fields, options.stdin)
        yield _with_claims(pool, options.jobs, ingest, items, options.batch_size)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _with_claims(pool, jobs: int, ingest: _Ingest, items: Iterable, size: int) -> Iterator[Item]:
    """``items`` with the claims ``pool`` extracts, in batches one ahead of the writer's:
    the processes extract the next batch while the writer stores this one (a text that
    both hold is extracted twice, and the writer keeps the first reading)."""
    for batch, extracted in _extracted_ahead(pool, jobs, ingest, _batches(items, size)):
        for item, place in batch:
            yield item, place, extracted.get(id(item))


def _pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor | None:
    """Processes to extract in, or None to extract here (``jobs`` 1)."""
    if jobs <= 1:
        return None
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    return concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def _extracted_ahead(
    pool, jobs: int, ingest: _Ingest, batches: Iterable[list]
) -> Iterator[tuple[list, dict[int, Callable[[], DocumentClaims]]]]:
    """Yield each batch with its extraction under way in ``pool`` (see ``_extract_ahead``),
    one batch ahead: the processes extract the next batch while the writer stores this one."""
    waiting = None
    for batch in batches:
        started = (batch, _extract_ahead(pool, jobs, ingest, [item for item, _ in batch]))
        if waiting is not None:
            yield waiting
        waiting = started
    if waiting is not None:
        yield waiting


def _extract_ahead(
    pool, jobs: int, ingest: _Ingest, items: list
) -> dict[int, Callable[[], DocumentClaims]]:
    """Start the extraction of a batch's documents that need it in ``pool``: id(document)
    -> a function that waits for its claims. The writer stays here, alone. Documents go
    in a few chunks a process, as each task costs a round trip."""
    if pool is None:
        return {}
    docs = [doc for doc in items if isinstance(doc, Document) and ingest.needs_extraction(doc)]
    granted = dict(zip(map(id, docs), ingest.budgets.grant(*docs), strict=True))
    # A document whose file has no time left is not sent: the writer refuses it.
    docs = [doc for doc in docs if granted[id(doc)] is None or granted[id(doc)] > 0]
    size = max(1, -(-len(docs) // (2 * jobs)))
    waiting = {}
    for first in range(0, len(docs), size):
        chunk = docs[first : first + size]
        texts = [(doc.text, doc.published, granted[id(doc)]) for doc in chunk]
        future = pool.submit(_extract_all, texts)
        for k, doc in enumerate(chunk):
            waiting[id(doc)] = functools.partial(_nth_result, future, k)
    return waiting


def _nth_result(future: concurrent.futures.Future, k: int) -> DocumentClaims:
    """The claims of the k-th document of a task, or the error its extraction raised."""
    found = future.result()[k]
    if isinstance(found, Exception):
        raise found
    return found


def _extract_all(
    texts: list[tuple[str, str | None, float | None]],
) -> list[DocumentClaims | Exception]:
    """The claims of each (text, publication date, time budget), or the error that stopped
    it (a text past its budget): one task of the pool, in which one document costs no other."""
    found: list[DocumentClaims | Exception] = []
    for text, published, seconds in texts:
        try:
            found.append(extract_document(text, published, seconds))
        except Exception as error:  # refused by the writer, as in one process
            found.append(error)
    return found


def _add(
    db: Database,
    ingest: _Ingest,
    doc: Document,
    refuse: Refused,
    found: Callable[[], DocumentClaims] | None = None,
) -> None:
    """Store one document in a savepoint: a document that fails leaves no row behind, is
    refused with the reason, and the documents before it in the batch stay."""
    try:
        with db.atomic():
            ingest.add(doc, found)
    except sqlite3.Error:
        raise  # the database itself failed: nothing more can be stored
    except ExtractionTimeout as error:
        refuse(Refusal(doc.path or STDIN, None, ingest.budgets.refusal(error.seconds or 0.0)))
    except ClaimsError as error:  # it says what is wrong with the text
        refuse(Refusal(doc.path or STDIN, None, str(error)))
    except Exception as error:  # a fault of ours on this text: record it and go on
        refuse(Refusal(doc.path or STDIN, None, f"failed: {type(error).__name__}: {error}"))
    finally:
        ingest.budgets.settle(doc, 0.0)  # what a pool was granted for a text not extracted


class Place(NamedTuple):
    """Where a build is once an item is stored: files done, bytes done, the file."""

    files: int
    bytes: int
    path: str


def _read_all(
    files: list[DocumentFile],
    max_bytes: int,
    fields: dict[str, str] | None,
    stdin: BinaryIO | None,
) -> Iterator[tuple[Document | Refusal | None, Place]]:
    """Yield the documents and refusals of ``files`` in turn, each with the place the build
    reaches once it is stored (and a None item at the end of each file)."""
    read_before = 0
    for number, file in enumerate(files, start=1):
        size = _size(file)
        try:
            for item in read_file(file, max_bytes, fields, stdin):
                done = item.meta.get("done", 1.0) if isinstance(item, Document) else 1.0
                yield item, Place(number - 1, read_before + int(size * done), file.label)
        except Exception as error:  # a fault of ours on this file: say so and go on
            failed = Refusal(file.label, None, f"failed: {type(error).__name__}: {error}")
            yield failed, Place(number - 1, read_before, file.label)
        read_before += size
        yield None, Place(number, read_before, file.label)


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
    except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
        raise  # a fault of ours, not of the file
    except sqlite3.DatabaseError as error:
        if _damaged(error):
            raise StoreError(path, f"is damaged ({error}): {_REBUILD}") from error
        raise StoreError(path, f"cannot write to this database ({error})") from error


@contextlib.contextmanager
def _build_lock(path: Path, wait: float) -> Iterator[None]:
    """Hold the database for one build: a second build on it waits up to ``wait`` seconds
    for the first to end, then stops with a message (readers such as Datasette go on). A
    database that cannot be written (read-only media, an immutable file) is refused first,
    before anything is written to it; so is a path that is no regular file (a FIFO would
    block ``open``)."""
    _check_path(path)
    cannot = writable(path)
    if cannot:
        raise StoreError(
            path, f"cannot write to this database ({cannot}): copy it where it can be written"
        )
    try:
        # made empty if missing: the lock comes before the schema
        held = open(path, "ab")
    except OSError as error:
        raise StoreError(path, f"cannot write to this database ({error.strerror})") from None
    with held:
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
