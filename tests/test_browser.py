"""The interactive page as a person uses it, in Debian's Chromium driven by Playwright.

Needs the chromium package and Playwright for Python; `.ci/run` installs both. Without them the tests
skip locally and fail under CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wbgraph.network import NetworkOptions
from wbgraph.store import load_graph
from wbgraph.viz import VizOptions, interactive

from .conftest import DATA, MINI, REPO, UNDER_CI

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("WBGRAPH_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if UNDER_CI:
            pytest.fail("Playwright for Python is missing: it is in the test extra")
        pytest.skip("Playwright is not installed (pip install -e '.[test]'); under CI this fails")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if UNDER_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); under CI this fails")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


class Opened:
    def __init__(self, page, errors, requests):
        self.page, self.errors, self.requests = page, errors, requests

    def counts(self):
        return self.page.evaluate(
            "[window.wbgraph.network.body.nodeIndices.length, window.wbgraph.network.body.edgeIndices.length]")

    def outside_requests(self):
        return [r for r in self.requests if not r.startswith(("file://", "data:"))]


def open_page(browser, path: Path) -> Opened:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_selector('body[data-drawn="1"]', state="attached", timeout=60000)
    return Opened(page, errors, requests)


def screenshot(opened: Opened, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def click_an_edge(opened: Opened) -> str:
    """Click the middle of an edge that no node or other edge covers; return its id."""
    target = opened.page.evaluate("""() => {
        const net = window.wbgraph.network;
        for (const id of net.body.edgeIndices) {
            const e = net.body.edges[id];
            const a = net.getPosition(e.fromId), b = net.getPosition(e.toId);
            const mid = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
            const dom = net.canvasToDOM(mid);
            if (net.getNodeAt(dom) === undefined && net.getEdgeAt(dom) === id) return {id, x: dom.x, y: dom.y};
        }
        return null;
    }""")
    assert target, "no edge could be clicked"
    box = opened.page.locator("#wb-network").bounding_box()
    opened.page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    return target["id"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    curated = load_graph()
    mini = load_graph([MINI, DATA / "xss.ttl"], curated=False)
    out = {}
    for name, page in {
        "full": interactive(curated),
        "focus": interactive(curated, focus="https://w3id.org/wbgraph/id/kosovo", depth=1),
        "query": interactive(curated, query="proxies"),
        "static-community": interactive(curated, options=VizOptions(layout="static", color_by="community",
                                                                      size_by="pagerank")),
        "stated-only": interactive(curated, network_options=NetworkOptions(min_confidence="stated")),
        "mini-xss": interactive(mini),
    }.items():
        out[name] = (page.save(folder / f"{name}.html"), page.graph)
    return out


@pytest.mark.parametrize("name", ["full", "focus", "query", "static-community", "stated-only", "mini-xss"])
def test_page_draws_every_actor_offline_without_errors(browser, pages, name):
    path, graph = pages[name]
    opened = open_page(browser, path)
    assert opened.counts() == [graph.number_of_nodes(), graph.number_of_edges()]
    assert opened.errors == []
    assert opened.outside_requests() == []
    screenshot(opened, name)
    opened.page.close()


def test_clicking_an_edge_shows_its_sources(browser, pages):
    path, graph = pages["focus"]
    opened = open_page(browser, path)
    opened.page.evaluate("window.wbgraph.network.setOptions({physics: {enabled: false}})")
    edge_id = click_an_edge(opened)
    panel = opened.page.locator("#wb-panel")
    text = panel.inner_text()
    claims = opened.page.evaluate(f"window.wbgraph.edges.get('{edge_id}').claims")
    assert claims and f"Sources ({len(claims)})" in text
    for claim in claims:
        assert f"lines {claim['lines']}" in text
    screenshot(opened, "edge-sources")
    assert opened.errors == []
    opened.page.close()


def test_search_box_finds_an_actor(browser, pages):
    path, _ = pages["full"]
    opened = open_page(browser, path)
    opened.page.fill("#wb-search", "KFOR")
    opened.page.press("#wb-search", "Enter")
    panel = opened.page.locator("#wb-panel h2")
    assert panel.first.inner_text() == "KFOR"
    assert opened.page.evaluate("window.wbgraph.network.getSelectedNodes()") == [
        "https://w3id.org/wbgraph/id/kfor"]
    opened.page.fill("#wb-search", "Kosovo Force")  # an alternate name
    opened.page.press("#wb-search", "Enter")
    assert panel.first.inner_text() == "KFOR"
    opened.page.close()


def test_filters_hide_and_show_relations(browser, pages):
    path, graph = pages["full"]
    opened = open_page(browser, path)
    everything = opened.counts()
    opened.page.select_option("#wb-confidence", "3")
    stated = opened.counts()
    assert stated[1] < everything[1]
    opened.page.click("#wb-reset")
    assert opened.counts() == everything
    opened.page.uncheck('#wb-classes input[data-group="Western Balkan economy"]')
    assert opened.counts()[0] == everything[0] - 6
    opened.page.close()


def test_labels_with_html_are_text(browser, pages):
    path, _ = pages["mini-xss"]
    opened = open_page(browser, path)
    opened.page.evaluate("window.wbgraph.showNode('https://example.org/lake/mallory')")
    heading = opened.page.locator("#wb-panel h2").first.inner_text()
    assert heading == "<img src=x onerror=alert(1)>"
    assert opened.page.locator("#wb-panel img").count() == 0
    assert "</script><script>" in opened.page.locator("#wb-panel").inner_text()
    opened.page.wait_for_timeout(300)
    assert opened.errors == [] and opened.outside_requests() == []
    opened.page.close()


def test_edge_panel_shows_disarm_techniques_and_grades(browser, pages):
    path, graph = pages["full"]
    russia, region = "https://w3id.org/wbgraph/id/russia", "https://w3id.org/wbgraph/id/western-balkans"
    assert "T0101" in graph.edges[russia, region, "exertsInfluenceOn"]["disarm"]
    opened = open_page(browser, path)
    edge_id = opened.page.evaluate(
        f"window.wbgraph.edges.get({{filter: e => e.from === '{russia}' && e.to === '{region}' "
        "&& e.predicate === 'exertsInfluenceOn'})[0].id")
    opened.page.evaluate(f"window.wbgraph.showEdge('{edge_id}')")
    text = opened.page.locator("#wb-panel").inner_text()
    assert "DISARM techniques" in text and "T0101 Create Localised Content" in text
    assert "stated, graded F2" in text  # each source with its grade: reliability and credibility


def test_every_parallel_relation_can_be_clicked(browser, pages):
    """Relations between the same two actors are drawn apart: zoomed onto the pair, a click on each one's
    midpoint (or near it, from vis-network's own curve) selects that relation and shows it in the panel."""
    path, graph = pages["full"]
    opened = open_page(browser, path)
    opened.page.evaluate("window.wbgraph.network.setOptions({physics: {enabled: false}})")
    bundles = opened.page.evaluate("""() => {
        const net = window.wbgraph.network, groups = {};
        for (const id of net.body.edgeIndices) {
            const e = net.body.edges[id];
            const key = [e.fromId, e.toId].sort().join(' ');
            (groups[key] = groups[key] || []).push(id);
        }
        return Object.values(groups).filter(ids => ids.length > 1);
    }""")
    expected = sum(1 for u, v in {tuple(sorted(e[:2])) for e in graph.edges(keys=True)}
                   if graph.number_of_edges(u, v) + graph.number_of_edges(v, u) > 1)
    assert len(bundles) == expected and max(len(b) for b in bundles) >= 4
    reached = 0
    for ids in bundles:
        for edge_id in ids:
            locate = """(id) => {
                const net = window.wbgraph.network, e = net.body.edges[id];
                net.fit({nodes: [e.fromId, e.toId], animation: false, maxZoomLevel: 8});
                net.redraw();  // curves are placed when drawn
                const ts = [0.5];
                for (let d = 0.025; d < 0.45; d += 0.025) ts.push(0.5 - d, 0.5 + d);
                const fitted = net.getScale();
                for (const zoom of [1, 4]) {  // as a reader would: zoom in where relations run close together
                    for (const t of ts) {  // another actor or relation may sit on the middle
                        const at = e.edgeType.getPoint(t);
                        if (zoom > 1) net.moveTo({position: at, scale: fitted * zoom, animation: false});
                        const dom = net.canvasToDOM(at);
                        const around = [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]].map(([dx, dy]) => ({x: dom.x + dx, y: dom.y + dy}));
                        if (around.every(p => net.getNodeAt(p) === undefined && net.getEdgeAt(p) === id)) return dom;
                    }
                }
                return null;
            }"""
            point = None
            for _ in range(5):  # the panel of the last click may still be resizing the canvas: look again
                opened.page.wait_for_timeout(150)
                point = opened.page.evaluate(locate, edge_id)
                if point:
                    break
            assert point, f"relation {edge_id} cannot be clicked anywhere along its curve"
            box = opened.page.locator("#wb-network").bounding_box()
            opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
            edge = opened.page.evaluate("(id) => window.wbgraph.edges.get(id)", edge_id)
            heading = opened.page.locator("#wb-panel h2").first.inner_text()
            assert opened.page.evaluate("window.wbgraph.network.getSelectedEdges()") == [edge_id]
            assert f"\u2192 {edge['label']} \u2192" in heading
            reached += 1
    assert reached == sum(len(b) for b in bundles)
    screenshot(opened, "parallel-relations")
    assert opened.errors == []
    opened.page.close()
