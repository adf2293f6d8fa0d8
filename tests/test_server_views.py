"""Issue 17: the server's pages read well: SPARQL results as a table within the page's CSP, readable
result tables, a source page without gaps, suggestions by word start and of the right kind, readable
class names, and no page wider than a phone."""

from __future__ import annotations

import pytest

from .test_browser import ARTIFACTS, browser  # noqa: F401 (the fixture)
from .test_server_browser import page, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

QUERY = "SELECT ?actor ?actor_label ?confidence WHERE { ?c rdf:subject ?actor ; wb:confidence ?confidence . " \
        "?actor rdfs:label ?actor_label FILTER(LANG(?actor_label) = 'en') } ORDER BY ?actor_label LIMIT 20"


def test_sparql_form_shows_a_readable_table_and_offers_downloads(page, site):  # noqa: F811
    page.goto(site + "/sparql")
    page.fill("#query", QUERY)
    page.click("form button")
    page.wait_for_selector("table.results")
    assert page.locator("table.results thead th").all_inner_texts() == ["actor", "confidence"]
    first = page.locator("table.results tbody tr").first.locator("td").all_inner_texts()
    assert first[1] in ("stated", "alleged", "implied") and not first[0].startswith("wbr:")
    assert page.locator("table.results tbody td a").first.get_attribute("href").startswith("/id/")
    assert int(page.inner_text("#row-count")) == 20
    assert page.evaluate("getComputedStyle(document.querySelector('table.results thead th')).position") == "sticky"
    with page.expect_download() as info:
        page.locator("a.download", has_text="Download CSV").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert text.startswith("actor,actor_label,confidence")
    json_link = page.locator("a.download", has_text="Download JSON").get_attribute("href")
    assert page.request.get(site + json_link).json()["results"]["bindings"]
    page.screenshot(path=str(ARTIFACTS / "server-sparql.png"))


def test_sparql_error_is_shown_on_the_page(page, site):  # noqa: F811
    answer = page.request.get(site + "/sparql?format=html&query=SELECT+%3Fx+WHERE+%7B")
    assert answer.status == 400 and '<p class="problem">' in answer.text() and "<textarea" in answer.text()


def test_source_page_has_no_blank_lines_between_lines(page, site, seeds):  # noqa: F811
    page.goto(site + "/source/doc-001?lines=718-720")
    heights = page.evaluate("""() => Array.from(document.querySelectorAll('ol.text li')).slice(0, 12)
        .map(li => li.getBoundingClientRect())""")
    line = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('ol.text li')).lineHeight)"))
    gaps = [b["y"] - (a["y"] + a["height"]) for a, b in zip(heights, heights[1:])]
    assert max(gaps) < line / 2


def test_suggestions_match_word_starts_and_paths_offer_only_actors(page, site):  # noqa: F811
    hits = page.request.get(site + "/api/search?q=rus&word_start=true&limit=20").json()
    assert hits and all("brussels" not in h["label"].lower() for h in hits)
    assert page.request.get(site + "/api/search?q=rus&limit=50").json() != hits  # the API default is unchanged
    page.goto(site + "/paths")
    page.fill("#from", "Rus")
    page.wait_for_selector("a.suggestion")
    kinds = page.locator(".suggestions-list .kind").all_inner_texts()
    labels = page.locator("a.suggestion").all_inner_texts()
    assert "Russia" in labels and not any("Brussels" in label for label in labels)
    assert not any(k.startswith(("Document", "Claim", "Cited work")) for k in kinds)
    assert not any(any(c.isupper() for c in k[1:].split(" ")[0]) for k in kinds)  # "External power", not "ExternalPower"


def test_class_badges_are_words(page, site):  # noqa: F811
    page.goto(site + "/id/russia")
    assert page.inner_text("p.meta .kind") == "External power"


@pytest.mark.parametrize("path", ["/", "/search?q=russia", "/network", "/id/russia", "/id/kosovo",
                                  "/paths?from=Russia&to=Serbia", "/queries",
                                  "/queries/actors/actor-profile?actor=KFOR&run=1", "/source/doc-001?lines=718-720",
                                  "/sparql", "/sparql?format=html&query=" + QUERY.replace(" ", "+")])
def test_no_page_is_wider_than_a_phone(browser, site, path):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(site + path)
    tab.wait_for_load_state("load")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390, path
    if path == "/id/russia":
        tab.screenshot(path=str(ARTIFACTS / "server-entity-phone.png"))
    context.close()


# A word of a table cell drawn on more than one line: one client rectangle per line it is drawn on. Lines
# may break between words and after a hyphen, dash or slash ("wbr:claim-001-" / "0630-a"); words longer than a cell
# can hold (a long IRI) may break anywhere; names and sentences may not.
_BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-\\/\u2013\u2014]+/g)) {  // a line may break after a hyphen, dash or slash
        if (m[0].length > 20) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
@pytest.mark.parametrize("path", ["/id/russia", "/id/european-union", "/source/doc-001?lines=718-720",
                                  "/queries/actors/actor-profile?actor=KFOR&run=1",
                                  "/queries/influence/influence-path-edges?from=European+Union&to=Ukraine&run=1",
                                  "/queries/claims/claims-by-confidence?confidence=stated&run=1",
                                  "/sparql?format=html&query=" + QUERY.replace(" ", "+")])
def test_tables_break_no_name_inside_a_word(browser, site, path, width, height):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.goto(site + path)
    tab.wait_for_selector("td")
    assert tab.evaluate(_BROKEN_WORDS) == [], path  # "European Union" on two lines, never "Europe / an Union"
    assert tab.evaluate("document.documentElement.scrollWidth") <= width, path  # the table scrolls, not the page
    context.close()
