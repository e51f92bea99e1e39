"""Datasette serves claims.db with metadata.yml: the claims table, its facets, the queries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette
from sqlite_utils import Database

METADATA = yaml.safe_load((Path(__file__).parent.parent / "metadata.yml").read_text("utf-8"))
QUERIES = METADATA["databases"]["claims"]["queries"]


@pytest.fixture
async def ds(site_db, metadata):
    datasette = Datasette([str(site_db)], metadata=metadata)
    await datasette.invoke_startup()
    return datasette


@pytest.fixture(scope="module")
def sample_params(site_db) -> dict[str, str]:
    """A value for each named parameter of the canned queries that the site's data answers."""
    db = Database(site_db)
    [document] = db["documents"].rows_where("text like ?", ["%6,000 rounds daily%"], select="id")
    return {
        "unit": "round / day",
        "document_id": document["id"],
        "q": "ammunition",
        "speaker": "Oleksandra Ustinova",
        "concept": "ammunition",
    }


async def test_claims_table_json(ds):
    response = await ds.client.get("/claims/claims.json?_shape=objects")
    assert response.status_code == 200
    data = response.json()
    assert data["rows"]
    assert {"id", "document_id", "text", "value", "unit", "sentence"} <= set(data["rows"][0])
    assert set(data["facet_results"]) == {
        "unit",
        "dimension",
        "qualifier",
        "speaker",
        "modality",
        "source",
        "published_month",
        "document_id",
    }
    speakers = {r["value"] for r in data["facet_results"]["speaker"]["results"]}
    assert {"Oleksandra Ustinova", "Ursula von der Leyen", "Julianne Smith"} <= speakers
    modalities = {r["value"] for r in data["facet_results"]["modality"]["results"]}
    assert {"pledge", "reported"} <= modalities


async def test_document_facet_shows_titles(ds, site_db):
    response = await ds.client.get("/claims/claims.json?_shape=objects")
    facet = response.json()["facet_results"]["document_id"]
    titles = {doc["title"] for doc in Database(site_db)["documents"].rows}
    assert {value["label"] for value in facet["results"]} <= titles


async def test_database_page(ds):
    response = await ds.client.get("/claims.json")
    assert response.status_code == 200
    tables = {table["name"]: table for table in response.json()["tables"]}
    assert tables["claims"]["fts_table"] == "claims_fts"
    assert tables["documents"]["fts_table"] == "documents_fts"
    assert tables["_sqlite_migrations"]["hidden"]


async def test_search_the_claims_table(ds):
    response = await ds.client.get("/claims/claims.json?_search=ammunition&_shape=array")
    assert response.status_code == 200
    found = response.json()
    assert found and all("ammunition" in row["sentence"] + (row["concept"] or "") for row in found)


def test_every_table_and_column_is_described(seeds_db):
    db = Database(seeds_db)
    described = METADATA["databases"]["claims"]["tables"]
    # Datasette hides the FTS tables and their shadow tables on its own.
    tables = [name for name in db.table_names() if "_fts" not in name]
    assert set(described) == set(tables)
    for name in tables:
        assert described[name]["description"]
        assert set(described[name]["columns"]) == set(db[name].columns_dict), name
        assert all(described[name]["columns"].values()), name


def test_at_least_three_queries_with_parameters():
    with_parameters = [q for q in QUERIES.values() if re.search(r":\w", q["sql"])]
    assert len(with_parameters) >= 3
    assert all(q["title"] and q["description"] for q in QUERIES.values())


@pytest.mark.parametrize("name", sorted(QUERIES))
async def test_canned_query(ds, sample_params, name):
    params = {p: sample_params[p] for p in re.findall(r"(?<!:):(\w+)", QUERIES[name]["sql"])}
    response = await ds.client.get(f"/claims/{name}.json", params={**params, "_shape": "array"})
    assert response.status_code == 200, response.text
    assert response.json(), f"{name} with {params} gave no rows"
