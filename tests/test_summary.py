"""The summary tables and the inspect file that the site reads at scale (issue #8)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3

import pytest
from datasette.app import Datasette
from files import write_files
from sqlite_utils import Database

from claims.store import build, open_database
from claims.summary import (
    FACET_COLUMNS,
    SUMMARIES,
    inspect_is_current,
    inspect_path,
    summarize,
    write_inspect,
)

#: The whole-table queries of metadata.yml before they read the summary tables: what each
#: canned query or chart must still answer (issue #8).
WHOLE_TABLE = {
    "unit_summary": """
        select
          unit, dimension, count(*) as claims, count(distinct document_id) as documents,
          min(coalesce(value, low, high)) as smallest,
          max(coalesce(value, high, low)) as largest
        from claims
        group by unit, dimension
        order by claims desc, unit""",
    "repeated_figures": """
        select
          claims.unit, coalesce(claims.value, claims.low, claims.high) as figure,
          count(distinct claims.document_id) as documents,
          count(distinct claims.source) as sources,
          group_concat(distinct claims.concept) as concepts,
          min(claims.published) as first_seen, max(claims.published) as last_seen
        from claims
        where claims.dimension not in ('number', 'time')
        group by claims.unit, figure
        having documents > 1
        order by documents desc, sources desc, figure desc""",
    "repeats": """
        select
          first.text as figure, first.published as first_published,
          first_doc.title as first_document, first.speaker as first_speaker,
          count(*) as repeats, group_concat(distinct later_doc.title) as repeated_in,
          max(later.published) as last_published, first.quantity_key
        from claim_links as links
        join claims as first on first.id = links.first_seen
        join documents as first_doc on first_doc.id = first.document_id
        join claims as later on later.id = links.claim_b
        join documents as later_doc on later_doc.id = later.document_id
        where links.relation = 'repeats'
        group by links.first_seen
        order by repeats desc, first_published""",
}
WHOLE_TABLE_CHARTS = {
    "claims-count": "SELECT count(*) AS count FROM claims",
    "claims-per-unit": """SELECT unit, count(*) AS claims FROM claims WHERE unit != ''
        GROUP BY unit ORDER BY claims DESC, unit LIMIT 15""",
    "claims-per-month": """SELECT published_month AS month, count(*) AS claims FROM claims
        WHERE published_month IS NOT NULL GROUP BY month ORDER BY month""",
}


def facet_counts(db_path) -> dict[str, dict]:
    """claim_facets as {facet: {value: claims}}."""
    counts: dict[str, dict] = {}
    for facet, value, claims in sqlite3.connect(db_path).execute(
        "select facet, value, claims from claim_facets"
    ):
        counts.setdefault(facet, {})[value] = claims
    return counts


def counted(db_path) -> dict[str, dict]:
    """Claims per value of each facet column, counted from the claims themselves."""
    conn = sqlite3.connect(db_path)
    return {
        column: dict(conn.execute(f"select {column}, count(*) from claims group by {column}"))
        for column in FACET_COLUMNS
    }


def test_a_build_counts_the_claims_of_each_facet_value(seeds_db):
    counts = facet_counts(seeds_db)
    assert counts["unit"] == {
        "month": 2, "USD": 1, "country": 1, "defense source": 1, "member": 1, "round": 1,
        "round / day": 1, "shell": 1,
    }  # fmt: skip
    assert counts["dimension"] == {"count": 5, "time": 2, "currency": 1, "rate": 1}
    assert counts["speaker"] == {
        None: 4,
        "Oleksandra Ustinova": 2,
        "Ursula von der Leyen": 2,
        "Julianne Smith": 1,
    }
    assert counts["published_month"] == {"2023-09": 5, "2022-09": 4}
    assert counts == counted(seeds_db)
    # The nulls are counted too, so that each facet adds up to the whole table.
    assert {facet: sum(values.values()) for facet, values in counts.items()} == dict.fromkeys(
        FACET_COLUMNS, 9
    )


def test_unit_summaries_after_a_build(seeds_db):
    rows = sqlite3.connect(seeds_db).execute(
        "select * from unit_summaries order by claims desc, unit"
    )
    assert rows.fetchall()[:3] == [
        ("month", "time", 2, 1, 2.0, 2.0),
        ("USD", "currency", 1, 1, 2_100_000_000.0, 2_100_000_000.0),
        ("country", "count", 1, 1, 50.0, 50.0),
    ]


def test_the_summaries_follow_added_and_replaced_documents(tmp_path, seeds_dir):
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_dir, folder)
    db_path = tmp_path / "claims.db"
    build([folder], db_path)
    write_files(folder, {"extra.txt": "Shells\nThe army fired 7,000 rounds and 20 shells."})
    build([folder], db_path)
    assert facet_counts(db_path)["unit"]["round"] == 2
    assert facet_counts(db_path)["unit"]["shell"] == 2
    assert facet_counts(db_path) == counted(db_path)
    # A changed file replaces its document: the old one's claims leave the counts.
    write_files(folder, {"extra.txt": "Shells\nThe army fired 9 tanks."})
    summary = build([folder], db_path)
    assert summary.removed == 1
    counts = facet_counts(db_path)
    assert (counts["unit"]["round"], counts["unit"]["shell"], counts["unit"]["tank"]) == (1, 1, 1)
    assert len(counts["document_id"]) == 3
    assert counts == counted(db_path)


def test_summarize_fills_the_tables_again(fresh_db):
    fresh_db["documents"].insert({"id": "d", "text": "x", "length": 1, "extractor_version": "1"})
    row = {"document_id": "d", "text": "5 tanks", "start": 0, "end": 7, "qualifier": "=",
           "dimension": "count", "quoted": 0, "modality": "reported", "sentence": "5 tanks",
           "extractor_version": "1"}  # fmt: skip
    fresh_db["claims"].insert_all(
        [{**row, "id": "a", "unit": "tank"}, {**row, "id": "b", "unit": "tank", "start": 9}]
    )
    assert summarize(fresh_db)["unit_summaries"] == 1
    fresh_db["claims"].delete("b")
    summarize(fresh_db)
    [unit] = fresh_db["unit_summaries"].rows
    assert (unit["unit"], unit["claims"], unit["documents"]) == ("tank", 1, 1)
    assert set(SUMMARIES) <= set(fresh_db.table_names())


def test_opening_a_database_fills_the_summaries_a_migration_dropped(tmp_path, seeds_dir):
    db_path = tmp_path / "claims.db"
    build([seeds_dir], db_path)
    with sqlite3.connect(db_path) as conn:  # as a migration that changes their columns does
        for name in SUMMARIES:
            conn.execute(f"drop table [{name}]")
    open_database(db_path).close()
    assert facet_counts(db_path) == counted(db_path)


@pytest.mark.parametrize("name", sorted(WHOLE_TABLE))
def test_canned_queries_read_the_summaries_and_answer_as_before(site_db, metadata, name):
    sql = metadata["databases"]["claims"]["queries"][name]["sql"]
    assert re.search(r"\bfrom (unit_summaries|figure_repeats|repeat_chains)\b", sql)
    conn = sqlite3.connect(site_db)
    before = conn.execute(WHOLE_TABLE[name]).fetchall()
    assert before, f"{name} gives no rows on the site's database: the test shows nothing"
    assert conn.execute(sql).fetchall() == before


@pytest.mark.parametrize("name", sorted(WHOLE_TABLE_CHARTS))
def test_dashboard_charts_read_the_summaries_and_answer_as_before(site_db, metadata, name):
    charts = metadata["plugins"]["datasette-dashboards"]["claims-overview"]["charts"]
    sql = charts[name]["query"]
    assert "claim_facets" in sql
    conn = sqlite3.connect(site_db)
    before = conn.execute(WHOLE_TABLE_CHARTS[name]).fetchall()
    assert before
    # Ties of the top 15 may come in any order: compare them as sets.
    assert sorted(conn.execute(sql).fetchall()) == sorted(before)


async def facets_of(ds, path: str) -> dict:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text
    return response.json()["facet_results"]


async def test_summary_facets_count_as_group_by_does(site_db, metadata):
    """On an immutable database, the unfiltered page's facets come from claim_facets; they
    give what Datasette's own column facets count (values, labels, counts, links)."""
    served = Datasette(immutables=[str(site_db)], metadata=metadata)
    live = Datasette([str(site_db)], metadata=metadata)
    for ds in (served, live):
        await ds.invoke_startup()
    from_summary = await facets_of(served, "/claims/claims.json")
    from_claims = await facets_of(live, "/claims/claims.json")
    assert set(from_summary) == set(FACET_COLUMNS)
    for column in FACET_COLUMNS:
        assert from_summary[column]["results"] == from_claims[column]["results"], column
        assert from_summary[column]["truncated"] == from_claims[column]["truncated"]


async def test_the_unfiltered_page_reads_claim_facets(tmp_path, site_db, metadata):
    db_path = tmp_path / "claims.db"
    shutil.copy(site_db, db_path)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("update claim_facets set claims = 999 where facet = 'unit' and value = 'USD'")
    conn.close()
    served = Datasette(immutables=[str(db_path)], metadata=metadata)
    await served.invoke_startup()
    facets = await facets_of(served, "/claims/claims.json")
    assert facets["unit"]["results"][0]["value"] == "USD"
    assert facets["unit"]["results"][0]["count"] == 999


async def test_a_filtered_page_counts_its_own_claims(site_db, metadata):
    served = Datasette(immutables=[str(site_db)], metadata=metadata)
    await served.invoke_startup()
    facets = await facets_of(served, "/claims/claims.json?speaker=Oleksandra+Ustinova")
    assert [(r["value"], r["count"]) for r in facets["speaker"]["results"]] == [
        ("Oleksandra Ustinova", 2)
    ]
    assert facets["speaker"]["results"][0]["selected"]


def test_a_build_writes_the_inspect_file(tmp_path, seeds_dir):
    db_path = tmp_path / "news.db"
    build([seeds_dir], db_path)
    path = inspect_path(db_path)
    assert path.name == "news.db.inspect.json"
    data = json.loads(path.read_text())
    assert data["news"]["tables"]["claims"] == {"count": 9}
    assert data["news"]["tables"]["documents"] == {"count": 2}
    assert data["news"]["size"] == db_path.stat().st_size
    assert inspect_is_current(db_path)
    # A write to the database (claims xref, claims refs) leaves the file behind.
    os.utime(db_path, ns=(0, db_path.stat().st_mtime_ns + 1_000_000))
    assert not inspect_is_current(db_path)
    write_inspect(db_path)
    assert inspect_is_current(db_path)


def test_a_second_build_skips_the_inspect_file(tmp_path, seeds_dir):
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    db_path = tmp_path / "seeds" / "claims.db"
    build([tmp_path / "seeds"], db_path)
    assert inspect_path(db_path).exists()
    refused = []
    summary = build([tmp_path / "seeds"], db_path, refused=refused.append)
    assert summary.documents == 2
    assert not [r for r in refused if r.path.endswith(".inspect.json")]


async def test_datasette_takes_the_table_counts_from_the_inspect_file(tmp_path, site_db, metadata):
    """Counts of the inspect file are what Datasette shows: it counts no table itself."""
    db_path = tmp_path / "claims.db"
    shutil.copy(site_db, db_path)
    data = json.loads(write_inspect(db_path).read_text())
    data["claims"]["tables"]["claims"]["count"] = 123_456  # marks the file's count
    ds = Datasette(immutables=[str(db_path)], metadata=metadata, inspect_data=data)
    await ds.invoke_startup()
    page = (await ds.client.get("/claims/claims.json")).json()
    assert page["filtered_table_rows_count"] == 123_456
    tables = {t["name"]: t for t in (await ds.client.get("/claims.json")).json()["tables"]}
    assert tables["claims"]["count"] == 123_456


def test_conflicts_come_in_the_order_of_how_solid_they_are(site_db, metadata):
    """The canned query conflicts puts first the conflicts with the most frame fields known
    on both sides, then the closest in time (#16), read in the order of an index."""
    sql = metadata["databases"]["claims"]["queries"]["conflicts"]["sql"]
    conn = sqlite3.connect(site_db)
    rows = conn.execute(sql).fetchall()
    assert len(rows) >= 2
    names = [d[0] for d in conn.execute(sql).description]
    solid = [(-row[names.index("known_fields")], row[names.index("days_apart")]) for row in rows]
    assert solid == sorted(solid)
    assert all(row[names.index("why")] for row in rows)  # each says why
    plan = " ".join(str(row) for row in conn.execute(f"explain query plan {sql}"))
    assert "idx_claim_links_solid" in plan and "TEMP B-TREE" not in plan


def test_m012_adds_place_and_speaker_kind_and_their_facets(tmp_path, seeds_dir):
    """A database built before m012 gets the columns, their indexes and their counts."""
    db_path = tmp_path / "claims.db"
    build([seeds_dir], db_path)
    db = Database(db_path)
    for column in ("subject", "place", "speaker_kind"):
        db.execute(f"drop index [idx_claims_{column}]")
    db.execute("alter table claims drop column place")
    db.execute("alter table claims drop column speaker_kind")
    db.execute("delete from _sqlite_migrations where name = 'm012_place_and_speaker_kind'")
    db.execute("delete from claim_facets where facet in ('subject', 'place', 'speaker_kind')")
    db.conn.commit()
    db.close()
    open_database(db_path).close()
    db = Database(db_path)
    assert {"place", "speaker_kind"} <= set(db["claims"].columns_dict)
    indexed = {index.columns[0] for index in db["claims"].indexes}
    assert {"subject", "place", "speaker_kind"} <= indexed
    assert facet_counts(db_path)["place"] == {None: db["claims"].count}  # not read yet
