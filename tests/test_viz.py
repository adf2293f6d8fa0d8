"""The interactive page and the static picture, without a browser."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.errors import OutputError, WbgraphError
from wbgraph.store import load_graph
from wbgraph.viz import STATIC_ABOVE, VizOptions, interactive

from .conftest import DATA, MINI


def run(*args):
    return CliRunner().invoke(main, ["--no-curated", "--with", str(MINI), *map(str, args)])


@pytest.fixture(scope="module")
def mini():
    return load_graph([MINI], curated=False)


def test_page_is_self_contained(mini):
    html = interactive(mini).html
    assert html.startswith("<!DOCTYPE html>")
    # nothing is loaded from anywhere: no src= or href= attributes at all, and a CSP that forbids requests
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)
    assert "default-src 'none'" in html
    assert "vis-network" in html and "Ruritania" in html


def test_labels_with_html_and_quotes_are_inert(tmp_path):
    store = load_graph([MINI, DATA / "xss.ttl"], curated=False)
    html = interactive(store).html
    data = html.split('<script type="application/json" id="wb-data">', 1)[1].split("</script>", 1)[0]
    assert "<img" not in data and "</script" not in data and "<b " not in data
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in data
    assert html.count("</script>") == 3  # the data block, vis-network and the page script only


def test_jupyter_repr_writes_no_file(mini, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = interactive(mini, focus="https://example.org/lake/freedonia")
    shown = page._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "Freedonia" in shown
    assert list(tmp_path.iterdir()) == []
    assert page.network.__class__.__name__ == "Network"  # the pyvis Network for further use


def test_large_graphs_get_static_positions(mini):
    import networkx as nx

    from wbgraph.viz.html import build_network

    big = nx.MultiDiGraph()
    for i in range(STATIC_ABOVE + 1):
        big.add_node(f"urn:{i}", label=str(i), classes=["Actor"])
        big.add_edge(f"urn:{i}", f"urn:{(i * 7) % (STATIC_ABOVE + 1)}", key="supports", predicate="supports",
                     weight=1.0, confidence="stated", claims=[])
    net = build_network(big)
    assert net.static and all("x" in n and n["physics"] is False for n in net.nodes)
    again = build_network(big)
    assert [(n["x"], n["y"]) for n in net.nodes] == [(n["x"], n["y"]) for n in again.nodes]  # seeded
    small = build_network(big.subgraph([f"urn:{i}" for i in range(10)]).copy(), VizOptions(layout="physics"))
    assert not small.static


def test_cli_viz_options(tmp_path):
    out = tmp_path / "page.html"
    result = run("viz", "-o", out, "--focus", "Freedonia", "--depth", "2", "--color-by", "community",
                 "--size-by", "pagerank", "--layout", "static", "--title", "Lake <Region>")
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<title>Lake &lt;Region&gt;</title>" in html
    assert run("viz", "-o", tmp_path / "q.html", "--query", "proxies").exit_code == 0


def test_focus_actor_that_does_not_exist(tmp_path):
    result = run("viz", "-o", tmp_path / "x.html", "--focus", "Atlantis")
    assert result.exit_code == 1 and "nothing in the graph is called 'Atlantis'" in result.output
    assert not (tmp_path / "x.html").exists()


def test_query_that_returns_no_graph(tmp_path):
    result = run("viz", "-o", tmp_path / "x.html", "--query", "timeline")
    assert result.exit_code == 1 and "no actor of the network to draw" in result.output
    assert not (tmp_path / "x.html").exists()


def test_output_directory_missing_or_not_writable(tmp_path):
    result = run("viz", "-o", tmp_path / "missing" / "x.html")
    assert result.exit_code == 1 and "directory does not exist" in result.output
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    result = run("viz", "-o", blocker / "x.html")
    assert result.exit_code == 1 and "directory does not exist" in result.output
    result = run("image", "-o", tmp_path / "missing" / "x.png")
    assert result.exit_code == 1 and "directory does not exist" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_empty_graph(tmp_path):
    result = CliRunner().invoke(main, ["--no-curated", "viz", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "nothing to draw" in result.output
    with pytest.raises(WbgraphError, match="nothing to draw"):
        interactive(load_graph(curated=False))


def test_image_png_and_svg(tmp_path):
    assert run("image", "-o", tmp_path / "n.png").exit_code == 0
    assert (tmp_path / "n.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("image", "-o", tmp_path / "n.svg", "--labels", "3").exit_code == 0
    svg = (tmp_path / "n.svg").read_text()
    assert "<svg" in svg and "Ruritania" in svg
    bad = run("image", "-o", tmp_path / "n.gif")
    assert bad.exit_code == 1 and "name a .png, .svg or .pdf file" in bad.output


def test_unknown_options_are_refused(mini):
    with pytest.raises(WbgraphError, match="color-by"):
        interactive(mini, options=VizOptions(color_by="rainbow"))
    with pytest.raises(OutputError):
        interactive(mini).save("/no/such/dir/page.html")


@pytest.mark.parametrize("preset,width", [("column", 3.3), ("two-column", 6.9), ("slide", 13.333)])
def test_image_presets_print_readable_labels_that_do_not_overlap(preset, width):
    from wbgraph.network import NetworkOptions, project_network
    from wbgraph.viz.image import network_figure

    graph = project_network(load_graph(), NetworkOptions())
    fig = network_figure(graph, preset=preset, labels=40)
    assert fig.get_figwidth() == pytest.approx(width)
    texts = fig.wbgraph_labels
    assert len(texts) >= (8 if preset == "column" else 15)
    assert min(t.get_fontsize() for t in texts) >= 7
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    drawing = fig.axes[0].get_window_extent(renderer)
    for legend in fig.legends:  # legends sit outside the drawing
        assert not legend.get_window_extent(renderer).overlaps(drawing)
    assert {legend.get_title().get_text() for legend in fig.legends} == {"Actor classes", "Relations"}
    relations = next(lg for lg in fig.legends if lg.get_title().get_text() == "Relations")
    assert len(relations.get_texts()) == len({k for _, _, k in graph.edges(keys=True)})
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_image_svg_has_text_and_pdf_is_written(tmp_path):
    import struct

    assert run("image", "-o", tmp_path / "n.svg", "--preset", "column").exit_code == 0
    svg = (tmp_path / "n.svg").read_text()
    labels = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    assert "Freedonia" in labels and "Actor classes" in labels
    assert run("image", "-o", tmp_path / "n.pdf").exit_code == 0
    assert (tmp_path / "n.pdf").read_bytes()[:5] == b"%PDF-"
    assert run("image", "-o", tmp_path / "s.png", "--preset", "slide").exit_code == 0
    width, height = struct.unpack(">II", (tmp_path / "s.png").read_bytes()[16:24])
    assert width / height == pytest.approx(16 / 9, rel=0.01)
    assert run("image", "-o", tmp_path / "c.png", "--preset", "column").exit_code == 0
    width, _ = struct.unpack(">II", (tmp_path / "c.png").read_bytes()[16:24])
    assert width / 300 == pytest.approx(3.3, rel=0.03)


def test_a_large_network_is_drawn_as_its_most_central_actors(tmp_path):
    from wbgraph.viz.image import draw_image

    graph = nx.MultiDiGraph()
    for i in range(1, 60):
        graph.add_edge(f"a{i}", f"a{i // 2}", key="supports", weight=1.0)
    graph.add_node("a59", classes=["ExternalPower"], label="Far power")
    (path,) = draw_image(graph, tmp_path / "n.svg", max_actors=20)
    svg = path.read_text()
    assert "the 20 most central of 60 actors" in svg
    assert "Far power" in svg  # powers and economies are always among those drawn
