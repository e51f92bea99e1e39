"""The store: the schema, idempotent builds, replaced documents and full-text search."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3

import pytest
from files import as_before_m009, write_files
from sqlite_utils import Database

import claims
import claims.formats
import claims.store
from claims.errors import ClaimsError, StoreError
from claims.extract import DocumentClaims
from claims.model import Claim
from claims.store import build, check_database, claim_id, document_id
from claims.summary import FACET_COLUMNS

TABLES = ["sources", "documents", "claims"]


def rows(db_path, tables=TABLES) -> dict[str, list[dict]]:
    """Return every row of ``tables``, ordered by id (FTS tables: with their rowid)."""
    db = Database(db_path)
    try:
        return {
            table: list(db[table].rows_where(order_by="id"))
            if "id" in db[table].columns_dict
            else list(db[table].rows_where(select="rowid, *", order_by="rowid"))
            for table in tables
        }
    finally:
        db.close()


def test_a_second_build_changes_nothing(tmp_path, seeds_dir):
    db_path = tmp_path / "claims.db"
    first = build([seeds_dir], db_path)
    before = rows(db_path, TABLES + ["claims_fts", "documents_fts"])
    second = build([seeds_dir], db_path)
    assert rows(db_path, TABLES + ["claims_fts", "documents_fts"]) == before
    assert (first.documents, first.changed) == (2, 2)
    assert (second.documents, second.changed, second.removed) == (2, 0, 0)
    assert second.claims == first.claims == len(before["claims"])
    assert len(before["documents"]) == 2 and len(before["sources"]) == 1


def stored_claims(db_path) -> dict[str, int]:
    """Return how many claims each stored document holds, by the document's path."""
    db = Database(db_path)
    try:
        return {
            row["path"]: row["n"]
            for row in db.query(
                "select documents.path, count(claims.id) as n from documents "
                "left join claims on claims.document_id = documents.id group by documents.id"
            )
        }
    finally:
        db.close()


@pytest.mark.parametrize("cwd", ["project", "elsewhere"])
def test_a_database_built_next_to_seeds_holds_the_same_rows(
    tmp_path, monkeypatch, seeds_dir, seeds_db, cwd
):
    # claims.db is committed: its paths must not depend on the machine or the current folder.
    shutil.copytree(seeds_dir, tmp_path / "project" / "seeds")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / cwd)
    build([tmp_path / "project" / "seeds"], tmp_path / "project" / "claims.db")
    assert rows(tmp_path / "project" / "claims.db") == rows(seeds_db)


def test_runs_record_each_build(tmp_path, seeds_dir):
    db_path = tmp_path / "claims.db"
    summaries = [build([seeds_dir], db_path) for _ in range(2)]
    runs = rows(db_path, ["runs"])["runs"]
    assert [run["id"] for run in runs] == [summary.run_id for summary in summaries] == [1, 2]
    for run, summary in zip(runs, summaries, strict=True):
        assert run["finished"] >= run["started"]
        assert run["extractor_version"] == claims.EXTRACTOR_VERSION
        assert (run["documents"], run["changed"], run["claims"]) == (
            summary.documents,
            summary.changed,
            summary.claims,
        )


def test_unchanged_inputs_are_not_read_again(tmp_path, monkeypatch):
    write_files(
        tmp_path,
        {
            "feed/a.txt": "Shells\nThey fired 6,000 rounds.",
            "feed/b.txt": "",  # refused: empty
            "feed/c.txt": "Drones\nThey lost 12 drones.",
        },
    )
    db_path = tmp_path / "claims.db"
    seen = []
    first = build([tmp_path / "feed"], db_path, refused=seen.append)
    before = rows(db_path)
    monkeypatch.setattr(claims.store, "read_file", None)  # reading would fail
    same = build([tmp_path / "feed"], db_path, refused=seen.append)
    assert rows(db_path) == before
    counts = lambda s: (s.files, s.documents, s.changed, s.claims, s.refused)  # noqa: E731
    assert counts(first) == (3, 2, 2, 2, 1)
    assert counts(same) == (3, 2, 0, 2, 1)
    assert (first.same_as, same.same_as) == (None, first.run_id)
    assert [r.path for r in seen] == ["feed/b.txt"] * 2  # each build names its refusals
    assert [path for path, _, _ in ingest_errors(db_path)] == ["feed/b.txt"] * 2
    runs = rows(db_path, ["runs"])["runs"]
    assert [(r["documents"], r["claims"], r["refused"]) for r in runs] == [(2, 2, 1)] * 2
    monkeypatch.undo()
    write_files(tmp_path, {"feed/c.txt": "Drones\nThey lost 13 drones."})
    changed = build([tmp_path / "feed"], db_path)
    assert (changed.changed, changed.removed) == (1, 1)


def indexes(db_path) -> set[str]:
    conn = sqlite3.connect(db_path)
    try:
        sql = "select name from sqlite_master where type = 'index' and sql is not null"
        return {name for (name,) in conn.execute(sql)}
    finally:
        conn.close()


def test_a_first_build_makes_the_claims_indexes_at_its_end(tmp_path, seeds_dir, monkeypatch):
    claims.store.open_database(tmp_path / "empty.db").close()
    every = indexes(tmp_path / "empty.db")  # as the schema makes them
    assert "idx_claims_facets_unit" in every
    build([seeds_dir], tmp_path / "claims.db")
    assert indexes(tmp_path / "claims.db") == every
    assert rows(tmp_path / "claims.db", ["deferred_indexes"]) == {"deferred_indexes": []}

    add = claims.store._Ingest.add

    def failing_add(ingest, doc, found=None):  # noqa: E306
        if ingest.changed:  # the disk fails once a document is stored
            raise sqlite3.OperationalError("disk I/O error")
        add(ingest, doc, found)

    monkeypatch.setattr(claims.store._Ingest, "add", failing_add)
    with pytest.raises(StoreError, match="cannot write to this database"):
        build([seeds_dir], tmp_path / "cut.db", batch_size=1)
    deferred = rows(tmp_path / "cut.db", ["deferred_indexes"])["deferred_indexes"]
    assert {row["name"] for row in deferred} == every - indexes(tmp_path / "cut.db") != set()
    monkeypatch.undo()
    build([seeds_dir], tmp_path / "cut.db")  # makes them first
    assert indexes(tmp_path / "cut.db") == every
    assert rows(tmp_path / "cut.db", ["deferred_indexes"]) == {"deferred_indexes": []}


def test_foreign_keys(seeds_db):
    db = Database(seeds_db)
    links = {
        (fk.table, fk.column, fk.other_table, fk.other_column)
        for table in TABLES
        for fk in db[table].foreign_keys
    }
    assert links == {
        ("documents", "source_id", "sources", "id"),
        ("claims", "document_id", "documents", "id"),
    }
    assert list(db.execute("PRAGMA foreign_key_check").fetchall()) == []


def test_primary_keys(seeds_db):
    db = Database(seeds_db)
    assert {table: db[table].pks for table in TABLES + ["runs"]} == {
        "sources": ["id"],
        "documents": ["id"],
        "claims": ["id"],
        "runs": ["id"],
    }


def test_every_facet_column_leads_an_index(seeds_db, metadata):
    facets = metadata["databases"]["claims"]["tables"]["claims"]["facets"]
    columns = [next(iter(f.values())) if isinstance(f, dict) else f for f in facets]
    assert set(columns) == set(FACET_COLUMNS)
    indexes = Database(seeds_db)["claims"].indexes
    leading = {index.columns[0] for index in indexes}
    assert set(FACET_COLUMNS) <= leading
    # A page filtered on one of the first facet columns counts the others of them from an
    # index alone (#8); the facets of #15 lead indexes of their own.
    first = set(FACET_COLUMNS) - {"speaker_kind", "subject", "place"}
    for column in first - {"document_id"}:
        assert any(i.columns[0] == column and first <= set(i.columns) for i in indexes), column


def test_every_claim_field_is_a_column(seeds_db):
    columns = Database(seeds_db)["claims"].columns_dict
    fields = [field.name for field in dataclasses.fields(Claim)]
    assert set(fields) <= set(columns)
    assert set(columns) - set(fields) == {
        "id",
        "document_id",
        "extractor_version",
        "source",
        "published",
        "published_month",
        "quantity_key",
        "measure",
        "figure_kind",
    }


def test_ids_are_content_hashes(seeds_db):
    db = Database(seeds_db)
    for doc in db["documents"].rows:
        assert doc["id"] == document_id(doc["text"])
        assert doc["length"] == len(doc["text"].encode("utf-8"))
    for claim in db["claims"].rows:
        assert claim["id"] == claim_id(
            claim["document_id"], claim["start"], claim["end"], claim["text"]
        )


def test_claims_point_into_their_document(seeds_db):
    db = Database(seeds_db)
    texts = {doc["id"]: doc["text"] for doc in db["documents"].rows}
    found = list(db["claims"].rows)
    assert found
    for claim in found:
        text = texts[claim["document_id"]]
        assert text[claim["start"] : claim["end"]] == claim["text"]
        assert claim["text"] in claim["sentence"]


def test_wal_mode(seeds_db):
    assert Database(seeds_db).journal_mode == "wal"


@pytest.mark.parametrize("table, column", [("documents", "text"), ("claims", "sentence")])
def test_full_text_search_finds_ammunition(seeds_db, table, column):
    db = Database(seeds_db)
    expected = {row["id"] for row in db[table].rows if "ammunition" in row[column]}
    found = {row["id"] for row in db[table].search("ammunition")}
    assert expected and found == expected


def check_full_text(db_path) -> None:
    """Fail unless each full-text index holds exactly its table's rows (FTS5's own check
    against the content table)."""
    conn = sqlite3.connect(db_path)
    try:
        for table in ("documents_fts", "claims_fts"):
            conn.execute(f"insert into {table}({table}, rank) values ('integrity-check', 1)")
    finally:
        conn.close()


def test_the_full_text_index_follows_every_kind_of_write(tmp_path, monkeypatch):
    db_path = tmp_path / "claims.db"
    files = {
        "feed/a.txt": "Shells\nThey fired 6,000 rounds of ammunition.",
        "feed/b.txt": "Tanks\nThey sent 31 tanks and 6,000 rounds of ammunition.",
        "feed/c.txt": "Drones\nThey lost 12 drones.",
    }
    write_files(tmp_path, files)
    extract = claims.store.extract_document

    def first_claim(text, published=None, seconds=None):
        return DocumentClaims(extract(text).claims[:1])

    monkeypatch.setattr(claims.store, "extract_document", first_claim)
    build([tmp_path / "feed"], db_path)  # new documents, with their first claims only
    check_full_text(db_path)
    monkeypatch.setattr(claims.store, "extract_document", extract)
    monkeypatch.setattr(claims, "EXTRACTOR_VERSION", "99.0.0")
    write_files(tmp_path, {"feed/a.txt": "Shells\nThey fired 7,000 rounds of ammunition."})
    (tmp_path / "feed/c.txt").unlink()
    write_files(tmp_path, {"feed/d.txt": files["feed/c.txt"]})  # the same text elsewhere
    summary = build([tmp_path / "feed"], db_path)  # a changed text, claims added, one moved
    assert (summary.changed, summary.removed, summary.refused) == (3, 1, 0)
    check_full_text(db_path)
    db = Database(db_path)
    found = {row["text"] for row in db["claims"].search("ammunition")}
    assert found == {"7,000 rounds", "31 tanks", "6,000 rounds"}
    # the text read from d.txt now is the row stored from c.txt (see _Ingest): one row
    assert [row["path"] for row in db["documents"].search("drones")] == ["feed/c.txt"]
    monkeypatch.setattr(claims.store, "extract_document", first_claim)
    summary = build([tmp_path / "feed"], db_path, reextract=True)  # claims dropped
    check_full_text(db_path)
    found = {row["text"] for row in db["claims"].search("ammunition")}
    assert found == {"7,000 rounds", "31 tanks"}  # not b.txt's "6,000 rounds" any more
    # Another writer (sqlite-utils) finds the insert triggers as they were: indexed too.
    db["documents"].insert({"id": "x", "text": "Howitzers", "length": 9, "extractor_version": "x"})
    check_full_text(db_path)
    assert [row["id"] for row in db["documents"].search("howitzers")] == ["x"]


def test_a_changed_document_replaces_its_claims(tmp_path, seeds_dir):
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_dir, folder)
    db_path = tmp_path / "claims.db"
    build([folder], db_path)
    changed = folder / "004_8afe4d7eba3edcde.txt"
    old_text = claims.formats.read_document(changed).text
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("up to 6,000 rounds", "up to 7,000 rounds"),
        encoding="utf-8",
    )
    new_doc = claims.formats.read_document(changed)
    summary = build([folder], db_path)
    stored = rows(db_path)
    old_id, new_id = document_id(old_text), document_id(new_doc.text)
    assert (summary.changed, summary.removed) == (1, 1)
    assert [d["id"] for d in stored["documents"] if d["path"] == "seeds/" + changed.name] == [
        new_id
    ]
    assert not [c for c in stored["claims"] if c["document_id"] == old_id]
    new_claims = {c["id"] for c in stored["claims"] if c["document_id"] == new_id}
    expected = claims.extract(new_doc.text, published=new_doc.published)
    assert new_claims == {claim_id(new_id, c.start, c.end, c.text) for c in expected}
    assert any("7,000" in c["text"] for c in stored["claims"])
    assert not any("6,000" in c["text"] for c in stored["claims"])


def test_a_new_extractor_version_re_extracts(tmp_path, seeds_dir, monkeypatch):
    db_path = tmp_path / "claims.db"
    build([seeds_dir], db_path)
    monkeypatch.setattr(claims, "EXTRACTOR_VERSION", "test-version")
    summary = build([seeds_dir], db_path)
    stored = rows(db_path)
    assert summary.changed == 2
    assert {d["extractor_version"] for d in stored["documents"]} == {"test-version"}
    assert {c["extractor_version"] for c in stored["claims"]} == {"test-version"}


# Review of #2, item 1: x/news/1.txt and y/news/1.txt were both stored as "news/1.txt",
# so that the second deleted the first, and the two folders shared one source.
NEWS = {
    "x/news/1.txt": "Shells\nThey fired 6,000 rounds.",
    "y/news/1.txt": "Tanks\nThey sent 31 tanks.",
}
SAME_NAMES = [
    # the builds, each as (current folder under tmp_path, paths it is given)
    [("", ["x/news", "y/news"])],
    [("", ["x/news"]), ("", ["y/news"])],
    [("", ["x/news/1.txt", "y/news/1.txt"])],
    [("x", ["news"]), ("y", ["news"])],
    [("x/news", ["1.txt"]), ("y/news", ["1.txt"]), ("x/news", ["1.txt"])],
]


@pytest.mark.parametrize("builds", SAME_NAMES, ids=lambda builds: repr(builds))
def test_folders_of_the_same_name_keep_their_documents(tmp_path, monkeypatch, builds):
    write_files(tmp_path, NEWS)
    db_path = tmp_path / "claims.db"
    for cwd, paths in builds:
        monkeypatch.chdir(tmp_path / cwd)
        summary = build(paths, db_path)
        assert summary.removed == 0
    stored = rows(db_path)
    sources = {source["id"]: source["name"] for source in stored["sources"]}
    assert sorted(sources.values()) == ["x/news", "y/news"]
    assert {d["path"]: sources[d["source_id"]] for d in stored["documents"]} == {
        "x/news/1.txt": "x/news",
        "y/news/1.txt": "y/news",
    }
    assert stored_claims(db_path) == {"x/news/1.txt": 1, "y/news/1.txt": 1}


def test_a_changed_file_replaces_its_own_row_only(tmp_path):
    write_files(tmp_path, NEWS)
    db_path = tmp_path / "claims.db"
    build([tmp_path / "x/news", tmp_path / "y/news"], db_path)
    write_files(tmp_path, {"x/news/1.txt": "Shells\nThey fired 7,000 rounds."})
    summary = build([tmp_path / "x/news"], db_path)
    assert (summary.changed, summary.removed) == (1, 1)
    texts = {d["path"]: d["text"] for d in rows(db_path)["documents"]}
    assert texts == {
        "x/news/1.txt": "Shells\nThey fired 7,000 rounds.",
        "y/news/1.txt": NEWS["y/news/1.txt"],
    }


def test_paths_outside_the_database_folder_are_named_after_their_input_folder(tmp_path):
    # Issue #14: they were absolute, and the site showed the server's folders.
    write_files(tmp_path, NEWS)
    (tmp_path / "out").mkdir()
    build([tmp_path / "x/news"], tmp_path / "out" / "claims.db")
    [doc] = rows(tmp_path / "out" / "claims.db")["documents"]
    assert doc["path"] == "news/1.txt"
    runs = Database(tmp_path / "out" / "claims.db")["runs"].rows
    assert [run["inputs"] for run in runs] == ['["news"]']


# Review of #2, item 5: the same text in two files was rewritten by every build, counted
# twice, and its path flipped from one file to the other.
TWICE = {
    "a/1.txt": "Shells\nThey fired 6,000 rounds.",
    "b/1.txt": "Shells\nThey fired 6,000 rounds.",
}


@pytest.mark.parametrize("again", [["a", "b"], ["b", "a"], ["b"], ["a"], ["b/1.txt", "a"]])
def test_one_text_in_two_files_is_one_document(tmp_path, again):
    write_files(tmp_path, TWICE)
    db_path = tmp_path / "claims.db"
    first = build([tmp_path / "a", tmp_path / "b"], db_path)
    before = rows(db_path)
    assert (first.files, first.documents, first.changed) == (2, 1, 1)
    assert stored_claims(db_path) == {"a/1.txt": 1}
    assert first.claims == len(before["claims"]) == 1
    second = build([tmp_path / path for path in again], db_path)
    assert (second.documents, second.changed, second.removed) == (1, 0, 0)
    assert second.claims == len(before["claims"])
    # The first path is kept, whichever file the second build reads first.
    assert rows(db_path) == before


MOVES = [
    # the build after a/1.txt changes: its paths; then documents changed and removed,
    # and where the old text (still in b/1.txt) ends up (None: no longer stored); since #5
    # a row whose path another text took moves to where its text is, without re-extraction
    (["a", "b"], 1, 0, "b/1.txt"),
    (["b", "a"], 1, 0, "b/1.txt"),
    (["a"], 1, 1, None),
]


@pytest.mark.parametrize("paths, changed, removed, old_text_at", MOVES)
def test_a_shared_text_moves_to_the_file_that_still_holds_it(
    tmp_path, paths, changed, removed, old_text_at
):
    write_files(tmp_path, TWICE)
    db_path = tmp_path / "claims.db"
    build([tmp_path / "a", tmp_path / "b"], db_path)
    write_files(tmp_path, {"a/1.txt": "Tanks\nThey sent 31 tanks."})
    summary = build([tmp_path / path for path in paths], db_path)
    assert (summary.changed, summary.removed) == (changed, removed)
    expected = {"a/1.txt": 1} | ({old_text_at: 1} if old_text_at else {})
    assert stored_claims(db_path) == expected
    assert summary.claims == sum(expected.values()) == len(rows(db_path)["claims"])
    # A build over the same files again changes nothing.
    again = build([tmp_path / path for path in paths], db_path)
    assert (again.changed, again.removed, again.claims) == (0, 0, summary.claims)


# Review of #2, item 6: a batch was read before its transaction began, so that a bad file
# threw away the good files read before it in the same batch. Since #5 a build goes on past
# a bad file: it is recorded in ingest_errors and every good file is stored.
BAD_FILES = [
    # what b.txt holds, the reason recorded
    (b"", "empty file: no text to read"),
    (b"\x00\x01\x02\x03binary\x00\x00\xff\xfe\x00\x07" * 40, "a binary file, not text"),
    (
        b" date 2023-02-30 Shells ran short.",
        "bad date '2023-02-30' in the first line (day is out of range for month): use YYYY-MM-DD",
    ),
]


def ingest_errors(db_path) -> list[tuple]:
    """Return the (path, record, reason) rows of ``ingest_errors``, in the order written."""
    db = Database(db_path)
    try:
        return [(r["path"], r["record"], r["reason"]) for r in db["ingest_errors"].rows]
    finally:
        db.close()


@pytest.mark.parametrize("batch_size", [claims.store.BATCH_SIZE, 1])
@pytest.mark.parametrize("data, reason", BAD_FILES, ids=[b[1][:20] for b in BAD_FILES])
def test_a_bad_file_is_recorded_and_the_build_goes_on(tmp_path, data, reason, batch_size):
    write_files(tmp_path, {"old/0.txt": "Tanks\nThey sent 31 tanks."})
    db_path = tmp_path / "claims.db"
    build([tmp_path / "old"], db_path)
    write_files(
        tmp_path,
        {
            "feed/a.txt": "Shells\nThey fired 6,000 rounds daily.",
            "feed/b.txt": data,
            "feed/c.txt": "Shells\nThey fired 7,000 rounds daily.",
        },
    )
    seen = []
    summary = build(
        [tmp_path / "old", tmp_path / "feed"], db_path, batch_size=batch_size, refused=seen.append
    )
    assert stored_claims(db_path) == {"old/0.txt": 1, "feed/a.txt": 1, "feed/c.txt": 1}
    assert ingest_errors(db_path) == [("feed/b.txt", None, reason)]
    assert [(r.path, r.reason) for r in seen] == [("feed/b.txt", reason)]
    assert (summary.documents, summary.refused) == (3, 1)
    runs = rows(db_path, ["runs"])["runs"]
    assert [(run["finished"] is None, run["refused"]) for run in runs] == [(False, 0), (False, 1)]


def test_a_document_that_fails_half_written_leaves_no_rows(tmp_path, monkeypatch):
    write_files(
        tmp_path,
        {
            "feed/a.txt": "Shells\nThey fired 6,000 rounds.",
            "feed/b.txt": "Tanks\nThey sent 31 tanks.",
            "feed/c.txt": "Drones\nThey lost 12 drones.",
        },
    )
    claim_row = claims.store.claim_row

    def failing_claim_row(claim, document, version, *context):
        if claim.text == "31 tanks":  # b.txt's row is written by now; its claims fail
            raise RuntimeError("disk on fire")
        return claim_row(claim, document, version, *context)

    monkeypatch.setattr(claims.store, "claim_row", failing_claim_row)
    build([tmp_path / "feed"], tmp_path / "claims.db")
    stored = rows(tmp_path / "claims.db")
    assert sorted(d["path"] for d in stored["documents"]) == ["feed/a.txt", "feed/c.txt"]
    assert stored_claims(tmp_path / "claims.db") == {"feed/a.txt": 1, "feed/c.txt": 1}
    assert ingest_errors(tmp_path / "claims.db") == [
        ("feed/b.txt", None, "failed: RuntimeError: disk on fire")
    ]


def test_a_bad_path_is_recorded_and_nothing_else_written(tmp_path):
    summary = build([tmp_path / "missing"], tmp_path / "claims.db")
    assert (summary.documents, summary.refused) == (0, 1)
    assert ingest_errors(tmp_path / "claims.db") == [
        ("missing", None, "no such file or directory")  # #14: was its absolute path
    ]
    assert rows(tmp_path / "claims.db") == {"sources": [], "documents": [], "claims": []}


def test_a_file_that_is_not_a_database(tmp_path, seeds_dir):
    db_path = tmp_path / "claims.db"
    db_path.write_text("not a database, " * 100)
    with pytest.raises(StoreError) as caught:
        build([seeds_dir], db_path)
    assert isinstance(caught.value, ClaimsError)
    assert str(caught.value) == (
        f"{db_path}: cannot open as a claims database (file is not a database)"
    )


def make_sqlite(path, sql: str) -> None:
    """Make the SQLite database ``path`` by running ``sql`` (rollback journal, no WAL)."""
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()


# Review of #2, item 7: a SQLite file of something else quietly got the claims tables.
FOREIGN = [
    # SQL that makes the database, the tables the error names
    ("create table notes (id integer primary key, body text)", "notes"),
    ("create view answer as select 42", "answer"),
    (
        "create table a (x); create table b (x); create table c (x); create table d (x)",
        "a, b, c, …",
    ),
    (
        "create table _sqlite_migrations (migration_set text, name text, applied_at text);"
        "insert into _sqlite_migrations values ('other', 'm001', '2024-01-01')",
        "_sqlite_migrations",
    ),
]


@pytest.mark.parametrize("sql, tables", FOREIGN, ids=[f[1] for f in FOREIGN])
def test_a_database_of_something_else_is_left_alone(tmp_path, seeds_dir, sql, tables):
    db_path = tmp_path / "other.db"
    make_sqlite(db_path, sql)
    before = db_path.read_bytes()
    message = f"{db_path}: not a claims database (it holds {tables}, and no claims schema)"
    with pytest.raises(StoreError) as caught:
        build([seeds_dir], db_path)
    assert str(caught.value).startswith(message)
    with pytest.raises(StoreError) as caught:
        check_database(db_path)
    assert str(caught.value).startswith(message)
    assert db_path.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["other.db"]


@pytest.mark.parametrize("make", ["empty file", "empty database"])
def test_an_empty_file_becomes_a_claims_database(tmp_path, seeds_dir, make):
    db_path = tmp_path / "claims.db"
    if make == "empty file":
        db_path.write_bytes(b"")
    else:
        make_sqlite(db_path, "pragma user_version = 1")
    with pytest.raises(StoreError, match="an empty database"):
        check_database(db_path)
    assert build([seeds_dir], db_path).changed == 2
    check_database(db_path)


CHECKS = [
    # what stands at the path, the reason check_database gives
    ("nothing", "no such database"),
    ("folder", "is a folder, not a database file"),
    ("text", "cannot open as a claims database (file is not a database)"),
    ("missing folder", "no folder"),
]


@pytest.mark.parametrize("what, reason", CHECKS, ids=[c[0] for c in CHECKS])
def test_check_database_names_the_file_and_the_reason(tmp_path, what, reason):
    db_path = tmp_path / ("nowhere/claims.db" if what == "missing folder" else "claims.db")
    if what == "folder":
        db_path.mkdir()
    elif what == "text":
        db_path.write_text("not a database, " * 100)
    with pytest.raises(StoreError) as caught:
        check_database(db_path)
    assert str(caught.value).startswith(f"{db_path}: {reason}")
    if what != "nothing":
        with pytest.raises(StoreError) as caught:
            claims.store.open_database(db_path)
        assert str(caught.value).startswith(f"{db_path}: {reason}")


def test_check_database_accepts_a_claims_database(seeds_db):
    check_database(seeds_db)


def test_schema_migrations_are_recorded(fresh_db):
    applied = [row["name"] for row in fresh_db["_sqlite_migrations"].rows]
    assert applied == [
        "m001_create_tables",
        "m002_ingest_errors",
        "m003_claims_in_context",
        "m004_cross_references",
        "m005_fulltext_updates_of_indexed_columns",
        "m006_runs_record_their_inputs",
        "m007_site_at_scale",
        "m008_deferred_indexes",
        "m009_claims_text_searched",
        "m010_documents_cut_sentences",
        "m011_input_folders",
        "m012_place_and_speaker_kind",
        "m013_frames_and_why_links",
    ]
    assert set(TABLES + ["runs", "claims_fts", "documents_fts"]) <= set(fresh_db.table_names())


def test_a_database_of_the_schema_before_gets_the_claims_text_searched(seeds_db, tmp_path):
    """m009 on a database built before it: the claims' full-text index takes their text
    too, holds every claim, and follows later updates of the three columns."""
    path = tmp_path / "claims.db"
    shutil.copy(seeds_db, path)
    as_before_m009(path)
    db = Database(path)
    assert db["claims_fts"].columns_dict.keys() == {"sentence", "concept"}
    claims.store.SCHEMA.apply(db)
    assert db["claims_fts"].columns_dict.keys() == {"sentence", "concept", "text"}
    [(update_trigger,)] = db.execute("select sql from sqlite_master where name = 'claims_au'")
    assert "after update of [sentence], [concept], [text] on [claims]" in update_trigger
    found = db.execute(
        "select claims.text from claims_fts join claims on claims.rowid = claims_fts.rowid "
        "where claims_fts match 'text : shells'"
    ).fetchall()
    assert found == [("60,000 shells",)]
    db.execute("update claims set text = 'sixty thousand howitzer shells' where text = ?",
               ["60,000 shells"])  # fmt: skip
    found = db.execute("select count(*) from claims_fts where claims_fts match 'text : howitzer'")
    assert found.fetchone() == (1,)
    db.conn.commit()
    db.close()
    check_full_text(path)


def test_claims_carry_their_documents_source_and_date(seeds_db):
    db = Database(seeds_db)
    rows = db.query(
        "select distinct claims.source, claims.published, claims.published_month, "
        "documents.published as document_published from claims "
        "join documents on documents.id = claims.document_id order by claims.published"
    )
    assert [tuple(row.values()) for row in rows] == [
        ("seeds", "2022-09-10", "2022-09", "2022-09-10"),
        ("seeds", "2023-09-28", "2023-09", "2023-09-28"),
    ]


def test_a_moved_document_takes_its_claims_along(tmp_path):
    write_files(tmp_path, {"x/1.csv": 'text\n"Kyiv got 31 tanks."\n'})
    db_path = tmp_path / "claims.db"
    build([tmp_path / "x" / "1.csv"], db_path)
    write_files(
        tmp_path,
        {"x/1.csv": 'text,source\n"Russia lost 12 drones.",AP\n"Kyiv got 31 tanks.",Reuters\n'},
    )
    build([tmp_path / "x" / "1.csv"], db_path)
    claims_by_text = {row["text"]: row["source"] for row in Database(db_path)["claims"].rows}
    assert claims_by_text == {"31 tanks": "Reuters", "12 drones": "AP"}


def test_a_database_of_the_schema_before_counts_cut_sentences_from_its_next_build(
    seeds_db, tmp_path
):
    """m010 on a database built before it (#14): its documents gain cut_sentences, empty
    (not known) until a build extracts them again; a build stores the count."""
    path = tmp_path / "claims.db"
    shutil.copy(seeds_db, path)
    db = Database(path)
    db["documents"].transform(drop={"cut_sentences"})
    db.execute("delete from _sqlite_migrations where name = 'm010_documents_cut_sentences'")
    db.conn.commit()
    claims.store.migrate(path)
    assert {row["cut_sentences"] for row in db["documents"].rows} == {None}
    feed = tmp_path / "feed"
    write_files(tmp_path, {"feed/list.txt": "Stocks: " + "up 5%, " * 400 + "down 2%."})
    build([feed], path)
    row = db.execute("select cut_sentences from documents where path = 'feed/list.txt'")
    assert row.fetchone()[0] == 1  # a sentence of 2,800 characters, read in two pieces
