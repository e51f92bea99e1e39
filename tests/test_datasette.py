"""Datasette serves claims.db with metadata.yml: the claims table, its facets, the queries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette
from datasette_dashboards import replace_opts_in_query
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
        "speaker_kind",
        "subject",
        "place",
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


@pytest.mark.parametrize(
    "concept, texts",
    [
        # Words of the claim or of its concept, stemmed: "round" finds "rounds", and the
        # shells whose concept is "rounds daily".
        ("round", ["one million rounds", "up to 6,000 rounds daily", "60,000 shells"]),
        ("ammunition", ["one million rounds"]),
        ("Ukraine's military", ["up to 6,000 rounds daily"]),
        ("sentence words only", []),  # words of the sentence alone are not the thing counted
        ("", []),  # nothing asked, nothing found (and no error)
        (" ", []),  # no words: the same, not an FTS5 syntax error
        ('"', []),
        ('"million', ["one million rounds"]),  # a stray quote is no syntax error
    ],
)
async def test_concept_over_time_finds_words_of_a_claim(seeds_db, metadata, concept, texts):
    ds = Datasette([str(seeds_db)], metadata=metadata)
    await ds.invoke_startup()
    response = await ds.client.get(
        "/claims/concept_over_time.json", params={"concept": concept, "_shape": "array"}
    )
    assert response.status_code == 200, response.text
    assert sorted(row["text"] for row in response.json()) == sorted(texts)


DASHBOARD = METADATA["plugins"]["datasette-dashboards"]["claims-overview"]


@pytest.mark.parametrize(
    "filters, texts",
    [
        ({"concept": "round"}, ["one million rounds", "up to 6,000 rounds daily", "60,000 shells"]),
        ({"concept": "round", "unit": "round / day"}, ["up to 6,000 rounds daily"]),
        ({"concept": "tanks"}, []),
        ({"concept": "", "unit": "shell"}, ["60,000 shells"]),
        ({"concept": " "}, []),  # kept, as it is not empty, and matches nothing
    ],
)
async def test_the_concept_chart_answers_its_filters(seeds_db, metadata, filters, texts):
    """The chart's query with its filters filled as datasette-dashboards fills them: an
    optional ``[[ ... ]]`` block is kept when its parameter has a value (and only when the
    block is on one line), else dropped."""
    sql = replace_opts_in_query(DASHBOARD["charts"]["concept-over-time"]["query"], filters)
    ds = Datasette([str(seeds_db)], metadata=metadata)
    await ds.invoke_startup()
    params = {name: value for name, value in filters.items() if value}
    response = await ds.client.get("/claims.json", params={"sql": sql, **params, "_shape": "array"})
    assert response.status_code == 200, response.text
    assert sorted(row["text"] for row in response.json()) == sorted(texts)
