"""Issue 17, point 7: a large page (above the size threshold) draws its own picture in batches and in
slices. What a reader notices: the picture follows the pointer while dragging and is redrawn where the
view settles, a click on an actor still opens its panel, and a hub's panel lists every relation."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from wbgraph.viz import build_network, write_page
from wbgraph.viz.html import STATIC_ABOVE

from .test_browser import ARTIFACTS, browser  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

HUB, STATE = "urn:n0", (0x33, 0x22, 0x88)  # "State" in the class palette
HUB_RELATIONS = 90


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    rnd = random.Random(3)
    base = nx.random_partition_graph([60 + 15 * (i % 6) for i in range(14)], 0.08, 0.001, seed=3)
    assert base.number_of_nodes() > STATIC_ABOVE
    graph = nx.MultiDiGraph()
    for v in base:
        graph.add_node(f"urn:n{v}", label=f"Actor {v}", classes=["Actor", "State"])
    edges = {(u, v) for u, v in base.edges() if 0 not in (u, v)}
    edges |= {(0, v) for v in rnd.sample(range(1, base.number_of_nodes()), HUB_RELATIONS)}
    for u, v in sorted(edges):
        graph.add_edge(f"urn:n{u}", f"urn:n{v}", key="supports", predicate="supports", label="supports",
                       confidence="stated", weight=1.0, claims=[{"claim": f"urn:c{u}-{v}", "source": "urn:doc",
                                                                 "source_label": "doc", "lines": "1-2"}])
    path = write_page(build_network(graph), tmp_path_factory.mktemp("large") / "large.html")
    return path, graph


def open_large(browser, path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri())
    page.wait_for_selector('body[data-drawn="1"]', state="attached", timeout=60000)
    return page, errors


def hub_on_screen(page):
    """Where the hub is in the page, and the colour drawn there on the network's canvas."""
    return page.evaluate("""(id) => {
        const net = window.wbgraph.network, at = net.canvasToDOM(net.getPosition(id));
        const canvas = net.canvas.frame.canvas, ratio = net.canvas.pixelRatio || 1;
        const px = canvas.getContext('2d').getImageData(Math.round(at.x * ratio), Math.round(at.y * ratio), 1, 1).data;
        return {x: at.x, y: at.y, rgb: [px[0], px[1], px[2]]};
    }""", HUB)


def drawn_as_state(spot):
    return all(abs(a - b) <= 8 for a, b in zip(spot["rgb"], STATE))


def wait_until_hub_is_drawn(page):
    page.wait_for_function("""([id, rgb]) => {
        const net = window.wbgraph.network, at = net.canvasToDOM(net.getPosition(id));
        const ratio = net.canvas.pixelRatio || 1;
        const px = net.canvas.frame.canvas.getContext('2d').getImageData(Math.round(at.x * ratio), Math.round(at.y * ratio), 1, 1).data;
        return [0, 1, 2].every(i => Math.abs(px[i] - rgb[i]) <= 8);
    }""", arg=[HUB, list(STATE)], timeout=20000)


def test_the_picture_follows_a_drag_and_is_redrawn_where_the_view_settles(browser, large):  # noqa: F811
    path, _ = large
    page, errors = open_large(browser, path)
    page.evaluate("(id) => window.wbgraph.network.moveTo({position: window.wbgraph.network.getPosition(id), "
                  "scale: 1.0, animation: false})", HUB)
    wait_until_hub_is_drawn(page)
    box = page.locator("#wb-network").bounding_box()
    start = hub_on_screen(page)
    assert drawn_as_state(start)
    empty = page.evaluate("""(at) => {  // a point beside the hub with no actor on it: dragging there moves the view
        const net = window.wbgraph.network;
        for (let r = 50; r < 300; r += 10) for (let a = 0; a < 6.28; a += 0.5) {
            const p = {x: at.x + r * Math.cos(a), y: at.y + r * Math.sin(a)};
            if (net.getNodeAt(p) === undefined) return p;
        }
    }""", start)
    page.mouse.move(box["x"] + empty["x"], box["y"] + empty["y"])
    page.mouse.down()
    for step in range(1, 7):
        page.mouse.move(box["x"] + empty["x"] - 25 * step, box["y"] + empty["y"] - 12 * step)
    page.wait_for_timeout(100)
    moving = hub_on_screen(page)
    assert start["x"] - moving["x"] > 100 and start["y"] - moving["y"] > 40
    assert drawn_as_state(moving), "while the view is dragged, the picture moves with it"
    page.mouse.up()
    wait_until_hub_is_drawn(page)
    for _ in range(3):
        page.mouse.wheel(0, -120)
        page.wait_for_timeout(50)
    page.wait_for_timeout(400)  # zooming ends 250 ms after the last wheel step; then the full redraw
    wait_until_hub_is_drawn(page)
    assert page.evaluate("window.wbgraph.network.getScale()") > 1.0
    assert HUB in {b["id"] for b in page.evaluate("window.wbgraph.labels")}, "the settled view is labelled again"
    page.screenshot(path=str(ARTIFACTS / "large-zoomed.png"))
    assert errors == []
    page.close()


def test_a_click_on_a_hub_opens_its_panel_with_every_relation(browser, large):  # noqa: F811
    path, graph = large
    page, errors = open_large(browser, path)
    point = page.evaluate(f"""() => {{ const net = window.wbgraph.network;
        net.focus('{HUB}', {{scale: 1.0, animation: false}}); return net.canvasToDOM(net.getPosition('{HUB}')); }}""")
    wait_until_hub_is_drawn(page)
    box = page.locator("#wb-network").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    panel = page.locator("#wb-panel")
    assert panel.locator("h2").first.inner_text() == "Actor 0"
    expected = graph.degree(HUB)
    assert expected == HUB_RELATIONS
    assert f"Relations ({expected})" in panel.inner_text()
    page.wait_for_function(f"document.querySelectorAll('#wb-panel button.relation').length === {expected}",
                           timeout=10000)
    targets = {t.rsplit(" ", 1)[-1] for t in panel.locator("button.relation").all_inner_texts()}
    assert targets == {graph.nodes[v]["label"].rsplit(" ", 1)[-1] for v in graph.successors(HUB)}
    last = panel.locator("button.relation").last
    last.click()
    assert panel.locator("h2").first.inner_text().startswith("Actor 0 \u2192 supports \u2192 ")
    assert errors == []
    page.close()
