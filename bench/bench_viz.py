"""The interactive page at 1k and 10k nodes: wbgraph against pyvis with its defaults.

Run: python bench/bench_viz.py [--sizes 1000 10000] [--timeout 300] [--large 10000 30000] [--baseline-ref main]

For each size it writes both pages from the same synthetic network and reports, with ratios
(pyvis / wbgraph): the HTML size (pyvis's default page also needs its lib/ folder, counted too), the
time to write it, and the time until the page has drawn in headless Chromium (Debian's chromium).
Then, with ``--large``, the interaction measures of ``bench_viz_interaction.py`` (click to panel, pan
and zoom frame times) on a large page against today's page (``--baseline-ref``), in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

from wbgraph.viz.html import VizOptions, build_network, write_page

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
KINDS = [["Actor", "State", "WesternBalkanEconomy"], ["Actor", "ExternalPower"], ["Actor", "Organisation", "Mission"],
         ["Actor", "NonStateActor", "CriminalNetwork"], ["Actor", "Organisation", "Agency"]]
PREDICATES = ["exertsInfluenceOn", "actsThroughProxy", "supports", "targets", "memberOf", "operatesIn"]


def synthetic(n: int, seed: int = 3) -> nx.MultiDiGraph:
    rnd = random.Random(seed)
    base = nx.scale_free_graph(n, seed=seed)
    graph = nx.MultiDiGraph()
    for node in base:
        classes = KINDS[node % len(KINDS)]
        graph.add_node(f"urn:n{node}", label=f"Actor {node}", classes=classes, kind=classes[-1],
                       description="synthetic", alt_labels=[], threats=[])
    for u, v in base.edges():
        if u == v:
            continue
        key = rnd.choice(PREDICATES)
        conf = rnd.choice(["stated", "alleged", "implied"])
        graph.add_edge(f"urn:n{u}", f"urn:n{v}", key=key, predicate=key, label=key, confidence=conf,
                       weight={"stated": 1.0, "alleged": 0.6, "implied": 0.4}[conf], mechanisms=[], claims=[
                           {"claim": f"urn:c{u}-{v}", "source": "urn:doc", "source_label": "doc", "lines": "1-2",
                            "confidence": conf}])
    return graph


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def write_wbgraph(graph, folder: Path) -> tuple[float, Path, int]:
    start = time.perf_counter()
    net = build_network(graph, VizOptions())
    path = write_page(net, folder / "wbgraph.html", VizOptions())
    return time.perf_counter() - start, path, path.stat().st_size


def write_pyvis(graph, folder: Path) -> tuple[float, Path, int]:
    from pyvis.network import Network

    start = time.perf_counter()
    net = Network(directed=True)
    for node, data in graph.nodes(data=True):
        net.add_node(node, label=data["label"])
    for u, v, key in graph.edges(keys=True):
        net.add_edge(u, v, title=key)
    cwd = os.getcwd()
    os.chdir(folder)  # pyvis copies its lib/ folder into the working directory
    try:
        net.write_html("pyvis.html")
    finally:
        os.chdir(cwd)
    elapsed = time.perf_counter() - start
    return elapsed, folder / "pyvis.html", folder_size(folder) - (folder / "wbgraph.html").stat().st_size


def time_to_draw(browser, path: Path, ready: str, timeout: float) -> float | None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    try:
        if ready.startswith("selector:"):
            page.wait_for_selector(ready[9:], state="attached", timeout=timeout * 1000)
        else:
            page.wait_for_function(ready, timeout=timeout * 1000, polling=50)
        return time.perf_counter() - start
    except Exception:
        return None
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--large", type=int, nargs=2, default=[10000, 30000], metavar=("NODES", "EDGES"),
                        help="the interaction measures (bench_viz_interaction.py) at this size; 0 0 skips them")
    parser.add_argument("--baseline-ref", default="main", help="the git revision whose page is 'today's page'")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print("| nodes | edges | measure | pyvis defaults | wbgraph | ratio (pyvis / wbgraph) |")
    print("|---:|---:|---|---:|---:|---:|")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for n in args.sizes:
            graph = synthetic(n)
            m = graph.number_of_edges()
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                wb_time, wb_path, wb_size = write_wbgraph(graph, folder)
                pv_time, pv_path, pv_size = write_pyvis(graph, folder)
                wb_draw = time_to_draw(browser, wb_path, 'selector:body[data-drawn="1"]', args.timeout)
                # pyvis hides its loading bar when stabilisation is done and the network has drawn
                pv_draw = time_to_draw(
                    browser, pv_path,
                    "typeof network !== 'undefined' && network.body && network.body.nodeIndices.length > 0 "
                    "&& (!document.getElementById('loadingBar') || "
                    "document.getElementById('loadingBar').style.display === 'none')", args.timeout)
            print(f"| {n} | {m} | HTML size (bytes) | {pv_size} | {wb_size} | {pv_size / wb_size:.2f}x |")
            print(f"| {n} | {m} | time to write (s) | {pv_time:.3f} | {wb_time:.3f} | {pv_time / wb_time:.2f}x |")
            pv_text = f"{pv_draw:.2f}" if pv_draw else f">{args.timeout:.0f}"
            wb_text = f"{wb_draw:.2f}" if wb_draw else f">{args.timeout:.0f}"
            ratio = f"{pv_draw / wb_draw:.1f}x" if pv_draw and wb_draw else (f">{args.timeout / wb_draw:.1f}x" if wb_draw else "n/a")
            print(f"| {n} | {m} | time until drawn (s) | {pv_text} | {wb_text} | {ratio} |", flush=True)
        browser.close()
    if args.large[0] > 0:
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_viz_interaction import report

        print()
        report(args.large[0], args.large[1], args.baseline_ref, args.timeout)


if __name__ == "__main__":
    main()
