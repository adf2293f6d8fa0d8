"""Issue 17: the interactive page read as people read it, with numbers: label size and overlaps on two
screens, a still and repeatable layout, distinct legends, selection and focus, filters, the view in the
URL, panels, the time slider and phone widths. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from wbgraph.store import load_graph
from wbgraph.viz import VizOptions, interactive

from .test_browser import ARTIFACTS, browser  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

KOSOVO = "https://w3id.org/wbgraph/id/kosovo"
SERBIA = "https://w3id.org/wbgraph/id/serbia"


@pytest.fixture(scope="module")
def views(tmp_path_factory, seeds):
    folder = tmp_path_factory.mktemp("views")
    curated = load_graph()
    pages = {
        "full": interactive(curated),
        "focus": interactive(curated, focus=KOSOVO, sources=seeds),
        "community": interactive(curated, options=VizOptions(color_by="community")),
    }
    return {name: (page.save(folder / f"{name}.html"), page.graph) for name, page in pages.items()}


def open_at(browser, path, width, height, fragment=""):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.resolve().as_uri() + fragment)
    page.wait_for_selector('body[data-drawn="1"]', state="attached", timeout=60000)
    page.wait_for_timeout(100)
    return page, errors, requests


def overlaps(boxes):
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]]


def positions(page):
    return page.evaluate("window.wbgraph.network.getPositions()")


@pytest.mark.parametrize("width,height", [(1440, 900), (1280, 720)])
def test_first_view_labels_are_large_apart_and_the_layout_is_still(browser, views, width, height):
    path, graph = views["full"]
    page, errors, requests = open_at(browser, path, width, height)
    labels = page.evaluate("window.wbgraph.labels")
    assert len(labels) >= 30, "the first view labels too few actors"
    assert min(box["px"] for box in labels) >= 12
    assert overlaps(labels) == []
    canvas = page.locator("#wb-network").bounding_box()
    assert all(0 <= b["x"] and b["x"] + b["w"] <= canvas["width"] for b in labels)
    first = positions(page)
    page.wait_for_timeout(1500)
    assert positions(page) == first, "actors move after the first paint"
    # zoomed in, a larger share of the actors on screen is labelled
    share = page.evaluate("""() => {
        const net = window.wbgraph.network, box = net.canvas.frame.canvas;
        const onScreen = Object.values(net.getPositions()).map(p => net.canvasToDOM(p))
            .filter(p => p.x >= 0 && p.y >= 0 && p.x <= box.clientWidth && p.y <= box.clientHeight).length;
        return window.wbgraph.labels.length / onScreen;
    }""")
    page.evaluate("window.wbgraph.network.moveTo({scale: window.wbgraph.network.getScale() * 2.5})")
    page.wait_for_timeout(100)
    zoomed = page.evaluate("""() => {
        const net = window.wbgraph.network, box = net.canvas.frame.canvas;
        const onScreen = Object.values(net.getPositions()).map(p => net.canvasToDOM(p))
            .filter(p => p.x >= 0 && p.y >= 0 && p.x <= box.clientWidth && p.y <= box.clientHeight).length;
        return window.wbgraph.labels.length / onScreen;
    }""")
    assert zoomed > share
    assert overlaps(page.evaluate("window.wbgraph.labels")) == []
    assert errors == [] and [r for r in requests if not r.startswith(("file:", "data:"))] == []
    page.evaluate("window.wbgraph.network.fit({animation: false})")
    page.screenshot(path=str(ARTIFACTS / f"first-view-{width}x{height}.png"))
    again, _, _ = open_at(browser, path, width, height)
    assert positions(again) == first, "two opens give two layouts"
    page.close()
    again.close()


def test_relation_legend_entries_are_all_different(browser, views):
    path, graph = views["full"]
    page, errors, _ = open_at(browser, path, 1440, 900)
    entries = page.evaluate("""() => Array.from(document.querySelectorAll('#wb-edge-legend li')).map(li => {
        const line = li.querySelector('line');
        return [li.textContent, line.getAttribute('stroke'), line.getAttribute('stroke-dasharray') || ''];
    })""")
    assert len(entries) == len({k for _, _, k in graph.edges(keys=True)})
    assert len({(colour, dash) for _, colour, dash in entries}) == len(entries)
    pairs = {name: (colour, dash) for name, colour, dash in entries}
    assert pairs["targets"] != pairs["undermines"] and pairs["aligned with"] != pairs["coordinates with"]
    classes = page.evaluate("""() => Array.from(document.querySelectorAll('#wb-classes label')).map(l =>
        [l.textContent, l.querySelector('svg *').getAttribute('fill'), l.querySelector('svg *').tagName])""")
    assert len({(fill, tag) for _, fill, tag in classes}) == len(classes)
    assert not page.locator("#wb-community-legend").is_visible()
    assert errors == []
    page.close()


def test_colouring_by_community_shows_a_community_legend(browser, views):
    path, graph = views["community"]
    page, errors, _ = open_at(browser, path, 1440, 900)
    items = page.locator("#wb-community-legend li")
    assert page.locator("#wb-community-legend").is_visible() and items.count() >= 3
    node_colours = set(page.evaluate("window.wbgraph.nodes.get().map(n => n.color)"))
    legend_colours = set(page.evaluate(
        "Array.from(document.querySelectorAll('#wb-community-legend circle')).map(c => c.getAttribute('fill'))"))
    assert node_colours <= legend_colours
    screenshot_page(page, "community-legend")
    assert errors == []
    page.close()


def screenshot_page(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_selecting_an_actor_fades_other_actors_relations_and_labels(browser, views):
    path, graph = views["full"]
    page, errors, _ = open_at(browser, path, 1440, 900)
    page.evaluate(f"window.wbgraph.showNode('{SERBIA}')")
    page.wait_for_timeout(200)
    state = page.evaluate(f"""() => {{
        const net = window.wbgraph.network, near = new Set(net.getConnectedNodes('{SERBIA}').concat(['{SERBIA}']));
        const mine = new Set(net.getConnectedEdges('{SERBIA}'));
        const nodes = window.wbgraph.nodes.get(), edges = window.wbgraph.edges.get();
        return {{
            fadedNodes: nodes.filter(n => !near.has(n.id)).every(n => n.opacity < 0.3),
            keptNodes: nodes.filter(n => near.has(n.id)).every(n => n.opacity === 1),
            fadedEdges: edges.filter(e => !mine.has(e.id)).every(e => e.color.opacity < 0.3),
            keptEdges: edges.filter(e => mine.has(e.id)).every(e => e.color.opacity === 1),
            labelsOutside: window.wbgraph.labels.filter(b => !near.has(b.id)).length,
            firstLabel: window.wbgraph.labels[0].id,
        }};
    }}""")
    assert state == {"fadedNodes": True, "keptNodes": True, "fadedEdges": True, "keptEdges": True,
                     "labelsOutside": 0, "firstLabel": SERBIA}
    relations = page.locator("#wb-panel button.relation")
    expected = graph.in_degree(SERBIA) + graph.out_degree(SERBIA)
    assert relations.count() == expected
    assert f"Relations ({expected})" in page.locator("#wb-panel").inner_text()
    texts = relations.all_inner_texts()
    assert any(t.startswith("\u2192") for t in texts) and any(t.startswith("\u2190") for t in texts)
    edge_id = relations.first.get_attribute("data-edge")
    relations.first.click()
    assert page.evaluate("window.wbgraph.network.getSelectedEdges()") == [edge_id]
    label = page.evaluate(f"window.wbgraph.edges.get('{edge_id}').label")
    assert f"\u2192 {label} \u2192" in page.locator("#wb-panel h2").first.inner_text()
    assert "Sources (" in page.locator("#wb-panel").inner_text()
    screenshot_page(page, "selection")
    assert errors == []
    page.close()


def test_focus_actor_is_marked_and_named_and_the_edge_panel_quotes_the_source(browser, views):
    path, graph = views["focus"]
    page, errors, _ = open_at(browser, path, 1440, 900)
    assert page.locator("#wb-title").inner_text().endswith(": Kosovo")
    assert page.evaluate(f"window.wbgraph.nodes.get('{KOSOVO}').borderWidth") >= 4
    assert page.evaluate("window.wbgraph.labels[0].id") == KOSOVO
    edge = page.evaluate("window.wbgraph.edges.get().find(e => (e.claims || []).some(c => c.comment && c.excerpt))")
    page.evaluate(f"window.wbgraph.showEdge('{edge['id']}')")
    text = page.locator("#wb-panel").inner_text()
    claim = next(c for c in edge["claims"] if c.get("comment") and c.get("excerpt"))
    assert "SUMMARY IN OUR WORDS" in text.upper() and claim["comment"] in text
    assert f"THE SOURCE'S WORDS (LINES {claim['lines']})" in text.upper()
    assert claim["excerpt"][0] in text
    screenshot_page(page, "focus-edge-quote")
    assert errors == []
    page.close()


def visible_ids_fit(page):
    return page.evaluate("""() => {
        const net = window.wbgraph.network, box = net.canvas.frame.canvas;
        return window.wbgraph.nodes.getIds().every(id => {
            const p = net.canvasToDOM(net.getPosition(id));
            return p.x >= 0 && p.y >= 0 && p.x <= box.clientWidth && p.y <= box.clientHeight;
        });
    }""")


def test_filters_refit_report_counts_and_live_in_the_url(browser, views):
    path, graph = views["full"]
    page, errors, _ = open_at(browser, path, 1440, 900)
    status = page.locator("#wb-status")
    box = status.bounding_box()
    assert box["y"] + box["height"] <= 900 and status.is_visible()
    assert status.inner_text() == f"{graph.number_of_nodes()} of {graph.number_of_nodes()} actors, " \
                                  f"{graph.number_of_edges()} of {graph.number_of_edges()} relations"
    page.evaluate("window.wbgraph.network.moveTo({scale: 3, position: {x: 5000, y: 5000}})")
    page.select_option("#wb-confidence", "3")
    counts = page.evaluate("[window.wbgraph.nodes.length, window.wbgraph.edges.length]")
    assert counts[1] < graph.number_of_edges()
    assert status.inner_text().startswith(f"{counts[0]} of ")
    assert visible_ids_fit(page)
    page.uncheck('#wb-classes input[data-group="Western Balkan economy"]')
    page.evaluate("window.wbgraph.showNode('https://w3id.org/wbgraph/id/nato')")
    fragment = page.evaluate("location.hash")
    assert "conf=3" in fragment and "hide=" in fragment and "select=" in fragment
    counts = page.evaluate("[window.wbgraph.nodes.length, window.wbgraph.edges.length]")
    restored, errors2, _ = open_at(browser, path, 1440, 900, fragment)
    assert restored.evaluate("[window.wbgraph.nodes.length, window.wbgraph.edges.length]") == counts
    assert restored.locator("#wb-confidence").input_value() == "3"
    assert restored.locator("#wb-panel h2").first.inner_text() == "NATO"
    restored.close()
    page.fill("#wb-search", "Kosovo")
    page.click("#wb-reset")
    assert page.evaluate("[window.wbgraph.nodes.length, window.wbgraph.edges.length]") == [
        graph.number_of_nodes(), graph.number_of_edges()]
    assert page.locator("#wb-search").input_value() == "" and page.evaluate("location.hash") == ""
    assert "Click an actor" in page.locator("#wb-panel").inner_text()
    assert page.evaluate("window.wbgraph.network.getSelectedNodes().length") == 0
    assert page.evaluate("window.wbgraph.nodes.get().every(n => n.opacity === undefined || n.opacity === 1)")
    assert errors == [] and errors2 == []
    page.close()


def test_time_slider_changes_the_counts_and_plays(browser, views):
    path, graph = views["full"]
    page, errors, _ = open_at(browser, path, 1440, 900)
    everything = page.evaluate("window.wbgraph.edges.length")
    dated = {y: sum(1 for *_, d in graph.edges(data=True)
                    if d.get("valid_from") and int(d["valid_from"][:4]) <= y
                    and (not d.get("valid_until") or int(d["valid_until"][:4]) >= y)) for y in (2008, 2023)}
    page.locator("#wb-year").fill("2008")
    assert page.evaluate("window.wbgraph.edges.length") == dated[2008] < everything
    assert "valid in 2008" in page.locator("#wb-status").inner_text()
    page.locator("#wb-year").fill("2023")
    assert page.evaluate("window.wbgraph.edges.length") == dated[2023]
    page.select_option("#wb-time-mode", "reported")  # the second clock: when the sources were published
    reported = {y: sum(1 for *_, d in graph.edges(data=True)
                       if min((int(c["reported"][:4]) for c in d["claims"] if c.get("reported")), default=9999) <= y)
                for y in (2018, 2024)}
    page.locator("#wb-year").fill("2018")
    assert page.evaluate("window.wbgraph.edges.length") == reported[2018] < reported[2024]
    assert "reported by 2018" in page.locator("#wb-status").inner_text()
    assert "clock=reported" in page.evaluate("location.hash")
    page.locator("#wb-year").fill("2024")
    assert page.evaluate("window.wbgraph.edges.length") == reported[2024]
    page.click("#wb-reset")
    assert page.locator("#wb-time-mode").input_value() == "valid"
    page.click("#wb-play")
    page.wait_for_timeout(2000)
    playing = page.locator("#wb-year-value").inner_text()
    assert playing.isdigit() and page.locator("#wb-play").inner_text() == "Pause"
    page.click("#wb-play")
    assert errors == []
    page.close()


def test_save_png_downloads_the_picture(browser, views, tmp_path):
    path, _ = views["full"]
    page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector('body[data-drawn="1"]', state="attached", timeout=60000)
    with page.expect_download() as info:
        page.click("#wb-png")
    target = tmp_path / "view.png"
    info.value.save_as(target)
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000
    page.close()


@pytest.mark.parametrize("width,height", [(390, 844), (768, 1024)])
def test_phone_and_tablet_draw_the_network_at_full_width(browser, views, width, height):
    path, _ = views["focus"]
    page, errors, _ = open_at(browser, path, width, height)
    canvas = page.locator("#wb-network canvas").bounding_box()
    assert canvas["width"] >= width - 2 and canvas["height"] >= 300
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    panel = page.locator("#wb-panel").bounding_box()
    assert panel["y"] >= canvas["y"] + canvas["height"] - 1
    assert len(page.evaluate("window.wbgraph.labels")) >= 3
    screenshot_page(page, f"phone-{width}x{height}")
    assert errors == []
    page.close()


@pytest.fixture(scope="module")
def large_page(tmp_path_factory):
    import random

    import networkx as nx

    from wbgraph.viz import build_network, write_page
    from wbgraph.viz.html import STATIC_ABOVE

    rnd = random.Random(7)
    sizes = [40 + 20 * (i % 7) for i in range(16)]
    base = nx.random_partition_graph(sizes, 0.08, 0.0008, seed=7)
    assert base.number_of_nodes() > STATIC_ABOVE
    graph = nx.MultiDiGraph()
    for v in base:
        graph.add_node(f"urn:n{v}", label=f"Actor {v}", classes=["Actor", "State"])
    for u, v in base.edges():
        graph.add_edge(f"urn:n{u}", f"urn:n{v}", key="supports", predicate="supports", label="supports",
                       confidence=rnd.choice(["stated", "alleged"]), weight=1.0, claims=[])
    path = write_page(build_network(graph), tmp_path_factory.mktemp("large") / "large.html")
    return path, graph


def test_large_page_opens_on_communities_and_search_finds_the_actor(browser, large_page):
    path, graph = large_page
    page, errors, _ = open_at(browser, path, 1440, 900)
    buttons = page.locator("#wb-community-legend button.community")
    assert page.locator("#wb-community-legend").is_visible() and buttons.count() >= 10
    leaders = page.evaluate("""() => {
        const seen = {}, out = [];
        for (const n of window.wbgraph.nodes.get().sort((a, b) => b.size - a.size))
            if (!(n.community in seen)) { seen[n.community] = 1; out.push(n.id); }
        return out;
    }""")
    labelled = {b["id"] for b in page.evaluate("window.wbgraph.labels")}
    assert len(labelled & set(leaders)) >= 0.8 * len(leaders), "most communities are named by their biggest actor"
    assert overlaps(page.evaluate("window.wbgraph.labels")) == []
    page.screenshot(path=str(ARTIFACTS / "large-overview.png"))
    scale = page.evaluate("window.wbgraph.network.getScale()")
    buttons.nth(3).click()
    assert page.evaluate("window.wbgraph.network.getScale()") > scale
    page.fill("#wb-search", "Actor 517")
    page.press("#wb-search", "Enter")
    assert page.evaluate("window.wbgraph.network.getSelectedNodes()") == ["urn:n517"]
    assert page.evaluate("window.wbgraph.network.getScale()") >= 1.2
    page.wait_for_timeout(300)
    labels = page.evaluate("window.wbgraph.labels")
    assert labels[0]["id"] == "urn:n517"
    centre = page.evaluate("window.wbgraph.network.canvasToDOM(window.wbgraph.network.getPosition('urn:n517'))")
    box = page.locator("#wb-network").bounding_box()
    assert abs(centre["x"] - box["width"] / 2) < 5 and abs(centre["y"] - box["height"] / 2) < 5
    page.screenshot(path=str(ARTIFACTS / "large-search.png"))
    assert errors == []
    page.close()
