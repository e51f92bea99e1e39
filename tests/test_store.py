"""The store: the schema, idempotent builds, replaced documents and full-text search."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from sqlite_utils import Database

import claims
from claims.errors import ClaimsError, DocumentError, StoreError
from claims.model import Claim
from claims.store import FACET_COLUMNS, build, claim_id, document_id

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


def test_builds_into_two_files_hold_the_same_rows(tmp_path, seeds_dir, seeds_db):
    build([seeds_dir], tmp_path / "claims.db")
    assert rows(tmp_path / "claims.db") == rows(seeds_db)


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
    assert set(facets) <= set(FACET_COLUMNS)
    leading = {index.columns[0] for index in Database(seeds_db)["claims"].indexes}
    assert set(FACET_COLUMNS) <= leading


def test_every_claim_field_is_a_column(seeds_db):
    columns = Database(seeds_db)["claims"].columns_dict
    fields = [field.name for field in dataclasses.fields(Claim)]
    assert set(fields) <= set(columns)
    assert set(columns) - set(fields) == {"id", "document_id", "extractor_version"}


def test_ids_are_content_hashes(seeds_db):
    db = Database(seeds_db)
    for doc in db["documents"].rows:
        assert doc["id"] == document_id(doc["text"])
        assert doc["length"] == len(doc["text"])
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


def test_a_changed_document_replaces_its_claims(tmp_path, seeds_dir):
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_dir, folder)
    db_path = tmp_path / "claims.db"
    build([folder], db_path)
    changed = folder / "004_8afe4d7eba3edcde.txt"
    old_text = claims.sources.read_document(changed).text
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("up to 6,000 rounds", "up to 7,000 rounds"),
        encoding="utf-8",
    )
    new_doc = claims.sources.read_document(changed)
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


def test_a_bad_file_keeps_the_batches_already_written(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.txt").write_text("Shells\nThey fired 6,000 rounds daily.", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\xff\xfe not UTF-8")
    db_path = tmp_path / "claims.db"
    with pytest.raises(DocumentError, match="b.txt: not UTF-8"):
        build([folder], db_path, batch_size=1)
    stored = rows(db_path, ["documents", "runs"])
    assert [d["path"] for d in stored["documents"]] == ["feed/a.txt"]
    assert stored["runs"][0]["finished"] is None


def test_a_bad_path_writes_nothing(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        build([tmp_path / "missing"], tmp_path / "claims.db")
    assert not (tmp_path / "claims.db").exists()


def test_a_file_that_is_not_a_database(tmp_path, seeds_dir):
    db_path = tmp_path / "claims.db"
    db_path.write_text("not a database, " * 100)
    with pytest.raises(StoreError) as caught:
        build([seeds_dir], db_path)
    assert isinstance(caught.value, ClaimsError)
    assert str(caught.value).startswith(f"{db_path}: cannot open as a claims database")


def test_schema_migrations_are_recorded(fresh_db):
    applied = [row["name"] for row in fresh_db["_sqlite_migrations"].rows]
    assert applied == ["m001_create_tables"]
    assert set(TABLES + ["runs", "claims_fts", "documents_fts"]) <= set(fresh_db.table_names())
