"""The site in a real browser: Debian's chromium, driven by Playwright, against `claims serve`
started here on a free loopback port.

The pages a fact-checker goes through: the home page, the claims table, a facet, a canned
query with a parameter, a claim marked in its sentence, the link to its document, search
across tables and a chart. Screenshots go to a temporary folder, or to the folder named by
CLAIMS_SCREENSHOTS (``CLAIMS_SCREENSHOTS=docs/screenshots pytest tests/test_browser.py``
makes the README's).

Without chromium the tests are skipped, except in CI (CI set), where they fail: `.ci/run`
installs chromium, so a skip there would hide a broken site.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from claims.store import build

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: install Debian's chromium")
    pytest.skip("no chromium here: apt-get install chromium", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(db_path: Path) -> tuple[subprocess.Popen, str]:
    """Start `claims serve` on ``db_path`` and wait until it answers."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "claims", "serve", "--db", str(db_path),
         "--metadata", str(ROOT / "metadata.yml"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/-/versions.json", timeout=1):
                return server, url
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode()) from None
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("claims serve did not answer in 30 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`claims serve` over the seeds and the corpus sample."""
    folder = tmp_path_factory.mktemp("site")
    db_path = folder / "claims.db"
    inputs = [ROOT / "seeds", ROOT / "tests" / "data" / "corpus-sample.jsonl"]
    build(inputs, db_path, base=ROOT)  # paths as the project names them, as in claims.db
    server, url = serve(db_path)
    yield url
    stop(server)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    dialogs = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("CLAIMS_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_home_page(site, page, shots):
    page.goto(site)
    assert page.title().startswith("Quantitative claims")
    assert page.get_by_role("link", name="claims", exact=True).first.is_visible()
    page.screenshot(path=shots / "home.png")


def test_claims_table_facet_and_claim_in_its_sentence(site, page, shots):
    page.goto(f"{site}/claims/claims")
    assert page.locator("td.col-sentence mark").count() > 0
    # Click the first value of the speaker facet: the table narrows to that speaker.
    facet = page.locator('[data-column="speaker"] li a').first
    speaker = re.sub(r"\s+[\d,]+$", "", facet.inner_text().strip())  # "Name Surname 5"
    facet.click()
    page.wait_for_url("**speaker=**")
    cells = page.locator("td.col-speaker").all_inner_texts()
    assert cells and set(cells) == {speaker}
    page.locator(".facet-results").scroll_into_view_if_needed()
    page.screenshot(path=shots / "claims.png", full_page=False)


def test_a_canned_query_and_the_link_to_the_document(site, page, shots):
    page.goto(f"{site}/claims/who_said_what")
    page.fill('input[name="speaker"]', "Oleksandra Ustinova")
    page.locator('input[type="submit"]').first.click()
    page.wait_for_url("**speaker=Oleksandra+Ustinova**")
    marked = page.locator("td.col-sentence mark").all_inner_texts()
    assert "up to 6,000 rounds daily" in marked
    page.screenshot(path=shots / "who-said-what.png")
    # From the claims table, a claim's text leads to its document.
    page.goto(f"{site}/claims/claims?speaker=Oleksandra+Ustinova")
    page.locator("td.col-text a").first.click()
    page.wait_for_url("**/claims/documents/**")
    assert "Ustinova" in page.locator("td.col-text").inner_text()
    page.screenshot(path=shots / "document.png")


def test_search_across_tables(site, page):
    page.goto(f"{site}/-/search?q=troops")
    page.get_by_text("results in claims: claims").wait_for(timeout=15_000)
    page.get_by_text("results in claims: documents").wait_for(timeout=15_000)


def test_a_chart_renders(site, page, shots):
    page.goto(f"{site}/-/dashboards/claims-overview?concept=troops")
    chart = page.locator("#card-concept-over-time .vega-embed, [id*=concept-over-time] .vega-embed")
    chart.first.wait_for(timeout=20_000)
    marks = page.locator(".vega-embed canvas, .vega-embed svg .mark-symbol path")
    marks.first.wait_for(timeout=20_000)
    assert marks.count() > 0
    page.wait_for_timeout(500)  # let the transitions end
    page.screenshot(path=shots / "dashboard.png", full_page=True)


HOSTILE = ROOT / "tests" / "data" / "hostile"  # <script>, onerror, javascript: in articles


def test_hostile_articles_run_no_script(tmp_path, page):
    build([HOSTILE], tmp_path / "claims.db")
    server, url = serve(tmp_path / "claims.db")
    try:
        for path in ["/", "/claims/claims", "/claims/documents", "/claims/sources",
                     "/claims/search_claims?q=rounds", "/-/search?q=alert",
                     "/-/dashboards/claims-overview?concept=drones"]:  # fmt: skip
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            page.locator("body").hover()
            assert page.locator("a[href^='javascript:'], img[onerror], svg[onload]").count() == 0
            assert page.locator("mark").count() or path != "/claims/claims"
        assert page.dialogs == []
    finally:
        stop(server)
