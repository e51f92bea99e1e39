"""The Datasette plugin: its cell builders alone, then its hooks through Datasette, and a
corpus of hostile articles that must render inert."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette

from claims.datasette_plugin import format_number, format_unit, format_value, highlight
from claims.store import build

HIGHLIGHTS = [
    # sentence, claim text, start, end, sentence start -> HTML
    (
        "Ukraine's military was firing up to 6,000 rounds daily, she said.",
        "up to 6,000 rounds daily",
        130,
        154,
        100,
        "Ukraine&#39;s military was firing <mark>up to 6,000 rounds daily</mark>, she said.",
    ),
    # Offsets that do not fit the sentence: the text is found instead.
    ("Kyiv got 31 tanks.", "31 tanks", 0, 3, 0, "Kyiv got <mark>31 tanks</mark>."),
    # Not found at all: the sentence, escaped, unmarked.
    ("<b>Bold</b> claim", "99", None, None, None, "&lt;b&gt;Bold&lt;/b&gt; claim"),
    (
        '<script>alert("x")</script> cost $5 million',
        "$5 million",
        None,
        None,
        None,
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; cost <mark>$5 million</mark>",
    ),
]


@pytest.mark.parametrize("sentence, text, start, end, sentence_start, html", HIGHLIGHTS)
def test_highlight(sentence, text, start, end, sentence_start, html):
    assert str(highlight(sentence, text, start, end, sentence_start)) == html


VALUES = [
    # value, low, high, qualifier, unit, dimension, change -> words
    (6000, None, 6000, "<=", "round / day", "rate", None, "up to 6,000 rounds/day"),
    (2.1e9, 2.1e9, 2.1e9, "=", "USD", "currency", None, "$2.1 billion"),
    (1e6, 1e6, 1e6, "=", "round", "count", None, "1 million rounds"),
    (None, 4000, 7000, "range", "troop", "count", None, "from 4,000 to 7,000 troops"),
    (None, 1.5e6, 2e6, "range", "EUR", "currency", None, "from €1.5 million to €2 million"),
    (5, 5, 5, "=", "percent", "percent", "up", "up 5%"),
    (140, 140, 140, "~", "kilometer_per_hour", "speed", None, "about 140 kilometers/hour"),
    (31, 31, 31, ">", "member", "count", None, "over 31 members"),
    (1, 1, 1, "=", "soldier", "count", None, "1 soldier"),
    (0.25, 0.25, 0.25, "=", "", "number", None, "0.25"),
    (12, 12, 12, "=", "CHF", "currency", None, "12 CHF"),
    (None, None, None, "=", "", "number", None, ""),
    # Review of #6: plurals, powers, money rates, a change that keeps its qualifier.
    (2, 2, 2, "=", "country", "count", None, "2 countries"),
    (3, 3, 3, "=", "child", "count", None, "3 children"),
    (2.8e6, 2.8e6, 2.8e6, "=", "person", "count", None, "2.8 million people"),
    (10, 10, 10, "=", "year of age", "age", None, "10 years of age"),
    (360, 360, None, ">", "kilometer ** 2", "area", None, "over 360 kilometers²"),
    (1e11, 1e11, 1e11, "=", "USD / year", "rate", None, "$100 billion/year"),
    (4, 4, None, ">", "USD / gallon", "rate", None, "over $4/gallon"),
    (10, 10, None, ">", "percent", "percent", "up", "up over 10%"),
    (80, 80, 80, "~", "percent", "percent", "down", "down about 80%"),
]


@pytest.mark.parametrize(
    "value, low, high, qualifier, unit, dimension, change, words",
    VALUES,
    ids=[v[-1] for v in VALUES],
)
def test_format_value(value, low, high, qualifier, unit, dimension, change, words):
    assert format_value(value, low, high, qualifier, unit, dimension, change) == words


def test_format_number_and_unit():
    assert [format_number(n) for n in (6000, 1.25e9, 3.5, -2000, 1234567)] == [
        "6,000",
        "1.25 billion",
        "3.5",
        "-2,000",
        "1,234,567",
    ]
    assert format_unit("percent", 5) == "%"
    assert format_unit("shell", 60000) == "shells"


@pytest.fixture
async def ds(site_db, metadata):
    datasette = Datasette([str(site_db)], metadata=metadata)
    await datasette.invoke_startup()
    return datasette


async def test_the_plugin_is_listed(ds):
    plugins = (await ds.client.get("/-/plugins.json")).json()
    [ours] = [p for p in plugins if p["name"] == "claims"]
    assert ours["hooks"] == [
        "asgi_wrapper",
        "prepare_connection",
        "register_facet_classes",
        "render_cell",
    ]


async def test_claims_page_marks_each_claim_and_links_its_document(ds):
    html = (await ds.client.get("/claims/claims?unit=round+%2F+day")).text
    assert "<mark>up to 6,000 rounds daily</mark>" in html
    assert "up to 6,000 rounds/day" in html
    assert '<a href="/claims/documents/' in html


async def test_a_document_links_to_its_claims(ds):
    html = (await ds.client.get("/claims/documents")).text
    assert 'class="claims-of-document" href="/claims/claims?document_id=' in html


async def test_a_canned_query_marks_the_claim(ds):
    page = await ds.client.get("/claims/who_said_what", params={"speaker": "Oleksandra Ustinova"})
    assert "<mark>up to 6,000 rounds daily</mark>" in page.text
    # Review of #6: query results had no links to their documents, and raw values.
    assert '<a href="/claims/documents/' in page.text
    units = await ds.client.get("/claims/claims_of_unit", params={"unit": "USD"})
    assert "$2.1 billion" in units.text and '<a href="/claims/documents/' in units.text
    conflicts = (await ds.client.get("/claims/conflicts")).text
    assert conflicts.count("<mark>") >= 2


HOSTILE = Path(__file__).parent / "data" / "hostile"  # <script>, onerror, javascript:
ATTACKS = ["<script>alert", "<img src=x", "<svg onload", "<b onmouseover", 'href="javascript:']


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    build([HOSTILE], folder / "claims.db")
    return folder / "claims.db"


HOSTILE_PAGES = [
    "/claims/claims",
    "/claims/documents",
    "/claims/sources",
    "/claims/search_claims?q=rounds",
    "/claims/concept_over_time?concept=drones",
    "/claims/repeated_figures",
    "/-/search?q=alert",
]


@pytest.mark.parametrize("path", HOSTILE_PAGES)
async def test_hostile_articles_render_inert(hostile_db, metadata, path):
    datasette = Datasette([str(hostile_db)], metadata=metadata)
    await datasette.invoke_startup()
    response = await datasette.client.get(path)
    assert response.status_code == 200, path
    html = response.text
    for attack in ATTACKS:
        assert attack not in html, (path, attack)
    if path == "/claims/documents":
        assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html


async def test_the_site_is_read_only_with_its_time_limit(ds, metadata):
    settings = (await ds.client.get("/-/settings.json")).json()
    assert settings["sql_time_limit_ms"] == 1000
    queries = metadata["databases"]["claims"]["queries"]
    assert not [name for name, query in queries.items() if query.get("write")]
    # SQL that writes is refused: the site has no way to change the data.
    before = (await ds.client.get("/claims/claims.json?_shape=array&_size=max")).json()
    write = await ds.client.get("/claims.json", params={"sql": "delete from claims"})
    assert write.status_code == 400
    after = (await ds.client.get("/claims/claims.json?_shape=array&_size=max")).json()
    assert after == before


async def test_a_claims_page_links_its_related_claims(ds, site_db):
    conn = sqlite3.connect(site_db)
    [(claim_id, links)] = conn.execute(
        "select claim_a, count(*) from claim_links group by claim_a order by 2 desc limit 1"
    ).fetchall()
    conn.close()
    html = (await ds.client.get(f"/claims/claims/{claim_id}")).text
    assert f'href="/claims/claim_links?claim_a={claim_id}"' in html
    assert f"{links} row" in html
