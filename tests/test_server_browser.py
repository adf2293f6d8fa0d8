"""The web application as a person uses it, in Debian's Chromium driven by Playwright.

Search for an actor, open its page, follow a claim to its source lines, find a path between two actors,
run a library query and download its CSV; no console error and no request beyond 127.0.0.1. Without
Chromium or Playwright the tests skip on a developer machine and fail under CI.
"""

from __future__ import annotations

import csv
import io

import pytest

from wbgraph.server import create_app
from wbgraph.store import load_graph

from .conftest import seeds_dir
from .server_fixtures import LOOPBACK, running
from .test_browser import ARTIFACTS, browser  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    with running(create_app(load_graph(), sources=seeds_dir())) as url:
        yield url


@pytest.fixture
def page(browser, site):  # noqa: F811 (the fixture imported above)
    context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.errors, tab.requests = [], []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on("request", lambda r: tab.requests.append(r.url))
    yield tab
    stray = [u for u in tab.requests if not u.startswith((site, "about:", "data:"))]
    errors = list(tab.errors)
    context.close()
    assert errors == []
    assert stray == [], "requests left 127.0.0.1"
    assert all(u.startswith(f"http://{LOOPBACK}:") for u in tab.requests if u.startswith("http"))


def test_search_open_the_page_and_follow_a_claim_to_its_source(page, site):
    page.goto(site + "/")
    page.fill("#q", "Russ")
    page.locator("a.suggestion", has_text="Russia").first.click()
    page.wait_for_url(site + "/id/russia")
    assert page.inner_text("h1") == "Russia"
    frame = page.frame_locator("iframe.network-frame")
    frame.locator('body[data-drawn="1"]').wait_for(state="attached", timeout=60000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "server-entity.png"), full_page=False)
    page.locator('a.locator[href="/source/doc-001?lines=718-720#L718"]').first.click()
    page.wait_for_url("**/source/doc-001?lines=718-720#L718")
    assert page.locator('tr.hit[id="wbr:claim-001-0718-a"]').count() == 1
    if seeds_dir() is not None:
        assert page.locator("li#L718.hit").count() == 1
        assert "Russia" in page.inner_text("ol.text")


def test_find_a_path_between_two_actors(page, site):
    page.goto(site + "/paths")
    page.fill("#from", "Russi")
    page.locator("a.suggestion", has_text="Russia").first.click()
    page.fill("#to", "Bosnia and Herzegovina")
    page.press("#to", "Enter")
    page.wait_for_selector("#result")
    assert page.inner_text("#result").startswith("1 path from Russia to Bosnia and Herzegovina")
    assert "718-720" in page.inner_text("section.path")
    page.screenshot(path=str(ARTIFACTS / "server-paths.png"), full_page=False)


def test_run_a_library_query_and_download_csv(page, site):
    page.goto(site + "/queries")
    page.click('a[href="/queries/organisations/missions-in-country"]')
    page.fill('input[name="country"]', "Kosovo")
    page.press('input[name="country"]', "Enter")
    page.wait_for_selector("table.results")
    shown = int(page.inner_text("#row-count"))
    assert shown >= 2 and "KFOR" in page.inner_text("table.results")
    with page.expect_download() as info:
        page.click("#csv")
    download = info.value
    assert download.suggested_filename == "missions-in-country.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert len(rows) == shown + 1
    assert any("KFOR" in cell for row in rows for cell in row)
