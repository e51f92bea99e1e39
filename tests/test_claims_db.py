"""The committed claims.db is what `claims build` makes of seeds/, and holds the anchor claims."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

TABLES = ["sources", "documents", "claims"]
REBUILD = "rebuild it from the project root: rm claims.db && claims build"

# The claims the issue names (#2): value, unit, qualifier, a phrase of their sentence.
ANCHORS = [
    (6000, "round / day", "<=", "Ukraine's military was firing up to 6,000 rounds daily"),
    (1_000_000, "round", "=", "ship one million rounds of ammunition to Ukraine by 2024"),
    (2_100_000_000, "USD", "=", "$2.1 billion plan"),
]


@pytest.fixture(scope="module")
def committed(root) -> Database:
    path = root / "claims.db"
    if not path.exists():
        pytest.fail("claims.db is missing: run `claims build` at the project root and commit it")
    return Database(path)


def rows(db: Database, table: str) -> list[dict]:
    return list(db[table].rows_where(order_by="id"))


@pytest.mark.parametrize("table", TABLES)
def test_committed_db_holds_a_fresh_build(committed, seeds_db, table):
    fresh = Database(seeds_db)
    assert rows(committed, table) == rows(fresh, table), f"claims.db is stale: {REBUILD}"


@pytest.mark.parametrize("value, unit, qualifier, phrase", ANCHORS, ids=[a[1] for a in ANCHORS])
def test_anchor_claims_are_linked_to_document_and_sentence(
    committed, value, unit, qualifier, phrase
):
    found = list(
        committed.query(
            """
            select claims.*, documents.text as document_text
            from claims join documents on documents.id = claims.document_id
            where claims.value = ? and claims.unit = ?
            """,
            [value, unit],
        )
    )
    assert len(found) == 1, f"{value} {unit}: {len(found)} claims"
    [claim] = found
    assert claim["qualifier"] == qualifier
    assert phrase in claim["sentence"]
    document = claim["document_text"]
    assert document[claim["start"] : claim["end"]] == claim["text"]
    start = claim["sentence_start"]
    assert document[start : start + len(claim["sentence"])] == claim["sentence"]
