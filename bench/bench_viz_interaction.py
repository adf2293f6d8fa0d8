"""Interaction on a large page: the page before the large-graph drawing (a git revision, default
``baf6a7f``, the last commit before it) against this checkout's.

Run: python bench/bench_viz_interaction.py [--nodes 10000] [--edges 30000] [--baseline-ref baf6a7f] [--runs 3]
(``python bench/bench_viz.py`` runs it too, after its own table.)

Both pages are written from the same synthetic network (communities of 20 to 400 actors, most relations
inside a community). The baseline page is written by the code of ``--baseline-ref``, checked out with
``git archive`` into a temporary folder and run in a child process, so both are measured in this run,
in the same headless Chromium (Debian's chromium), at 1440x900:

* time to draw: from navigation until the page says it has drawn;
* click to panel: from the mouse press on an actor (the 3 biggest, each centred on screen at zoom 1)
  to the first frame after the side panel shows it (median and worst; a page that never shows it
  within 30 s counts as 30 s);
* pan and zoom: frame times (requestAnimationFrame intervals) during 10 mouse-wheel zoom steps and a
  900 px drag in 15 moves, and for 1 s after the mouse is released (the full redraw once the view is
  still), median and worst.

With ``--runs N`` (default 3) each page is measured N times, the two pages in turn; medians and worst
cases are over all runs, and the worst frame of each run is printed too, with the machine's load average.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
KINDS = [["Actor", "State", "WesternBalkanEconomy"], ["Actor", "ExternalPower"], ["Actor", "Organisation", "Mission"],
         ["Actor", "NonStateActor", "CriminalNetwork"], ["Actor", "Organisation", "Agency"]]
PREDICATES = ["exertsInfluenceOn", "actsThroughProxy", "supports", "targets", "memberOf", "operatesIn"]
WRITE = """
import pickle, sys
from wbgraph.viz.html import VizOptions, build_network, write_page
graph = pickle.load(open(sys.argv[1], "rb"))
write_page(build_network(graph, VizOptions()), sys.argv[2], VizOptions())
"""


def communities_graph(n: int, m: int, seed: int = 5) -> nx.MultiDiGraph:
    """``n`` actors in communities of 20 to 400, ``m`` relations of which about 85 % inside a community."""
    rnd = random.Random(seed)
    sizes, left = [], n
    while left > 0:
        sizes.append(min(left, int(20 * (20 ** rnd.random()))))
        left -= sizes[-1]
    member, start = [], 0
    for i, size in enumerate(sizes):
        member.append(list(range(start, start + size)))
        start += size
    graph = nx.MultiDiGraph()
    for i in range(n):
        classes = KINDS[i % len(KINDS)]
        graph.add_node(f"urn:n{i}", label=f"Actor {i}", classes=classes, kind=classes[-1], description="synthetic",
                       alt_labels=[], threats=[])
    group_of = {v: g for g, nodes in enumerate(member) for v in nodes}
    hubs = [group[0] for group in member]  # the first actor of each community draws extra relations
    added = 0
    while added < m:
        u = rnd.randrange(n)
        inside = rnd.random() < 0.85
        pool = member[group_of[u]] if inside else hubs
        v = pool[0] if inside and rnd.random() < 0.3 else rnd.choice(pool)
        if u == v or graph.has_edge(f"urn:n{u}", f"urn:n{v}"):
            continue
        added += 1
        key = rnd.choice(PREDICATES)
        conf = rnd.choice(["stated", "alleged", "implied"])
        graph.add_edge(f"urn:n{u}", f"urn:n{v}", key=key, predicate=key, label=key, confidence=conf,
                       weight={"stated": 1.0, "alleged": 0.6, "implied": 0.4}[conf], mechanisms=[],
                       claims=[{"claim": f"urn:c{u}-{v}-{key}", "source": "urn:doc", "source_label": "doc",
                                "lines": "1-2", "confidence": conf}])
    return graph


def baseline_tree(ref: str, folder: Path) -> Path:
    data = subprocess.run(["git", "-C", str(REPO), "archive", ref, "src"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def write_page_with(src: Path, graph_file: Path, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", WRITE, str(graph_file), str(out)], check=True, env=env)
    return time.perf_counter() - start


ARM = """() => {
  const panel = document.getElementById('wb-panel');
  window.__click = new Promise(resolve => {
    let t0 = null;
    document.addEventListener('pointerdown', () => { t0 = performance.now(); }, {capture: true, once: true});
    const obs = new MutationObserver(() => {
      obs.disconnect();
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
    });
    obs.observe(panel, {childList: true, subtree: true});
  });
}"""


def click_times(page, ids: list[str]) -> list[float]:
    """Mouse clicks on each actor; from the press to the first paint after the panel changed."""
    times = []
    box = page.locator("#wb-network").bounding_box()
    for node in ids:
        point = page.evaluate("""(id) => { const net = window.wbgraph.network;
            net.focus(id, {scale: 1.0, animation: false}); return net.canvasToDOM(net.getPosition(id)); }""", node)
        page.wait_for_timeout(300)
        page.evaluate(ARM)
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        # a page that never shows the click counts as the cap (30 s), and the run goes on
        times.append(page.evaluate("Promise.race([window.__click, new Promise(r => setTimeout(() => r(30000), 30000))])"))
        page.wait_for_timeout(1000)
        heading = page.evaluate("(document.querySelector('#wb-panel h2') || {}).textContent")
        expected = page.evaluate("(id) => window.wbgraph.nodes.get(id).label", node)
        if heading != expected:  # a click that opened something else would not measure the actor's panel
            raise SystemExit(f"the click on {node} opened '{heading}', not the panel of '{expected}'")
    return times


FRAMES = """() => new Promise(resolve => {
  const times = []; let last = performance.now(), running = true;
  const tick = now => { times.push(now - last); last = now; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__stopFrames = () => { running = false; resolve(times.slice(1)); };
})"""


def measure(browser, path: Path, ids: list[str], timeout: float) -> dict:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_selector('body[data-drawn="1"]', state="attached", timeout=timeout * 1000)
    drawn = time.perf_counter() - start
    page.wait_for_timeout(1000)
    page.evaluate("window.wbgraph.network.setOptions({physics: {enabled: false}})")
    clicks = click_times(page, ids)
    page.evaluate("window.wbgraph.network.fit({animation: false})")
    page.wait_for_timeout(500)
    box = page.locator("#wb-network").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate("() => { window.__frames = (" + FRAMES + ")(); }")  # not awaited: it ends on __stopFrames
    page.mouse.move(cx, cy)
    for _ in range(10):
        page.mouse.wheel(0, -120)
        page.wait_for_timeout(30)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(cx - 60 * step, cy - 20 * step)
    page.mouse.up()
    page.wait_for_timeout(1000)  # the redraw once the view is still counts too
    frames = page.evaluate("window.__stopFrames(), window.__frames")
    page.close()
    return {"drawn": drawn, "clicks": clicks, "frames": frames}


BASELINE = "baf6a7f"  # the page as it was before large pages drew themselves in batches (issue 17)


def report(nodes: int, edges: int, baseline_ref: str = BASELINE, timeout: float = 600, runs: int = 1) -> None:
    """Write both pages, measure them ``runs`` times each (in turn) in one Chromium and print the table."""
    from playwright.sync_api import sync_playwright

    graph = communities_graph(nodes, edges)
    ids = [n for n, _ in sorted(graph.degree(), key=lambda x: (-x[1], x[0]))[:3]]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        graph_file = folder / "graph.pickle"
        graph_file.write_bytes(pickle.dumps(graph))
        base_src = baseline_tree(baseline_ref, folder / "baseline")
        pages = {"today": folder / "today.html", "wbgraph": folder / "wbgraph.html"}
        written = {"today": write_page_with(base_src, graph_file, pages["today"]),
                   "wbgraph": write_page_with(REPO / "src", graph_file, pages["wbgraph"])}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("WBGRAPH_CHROMIUM", "/usr/bin/chromium"),
                                        args=FLAGS)
            load_before = os.getloadavg()
            rounds = [{name: measure(browser, path, ids, timeout) for name, path in pages.items()} for _ in range(runs)]
            load_after = os.getloadavg()
            browser.close()
    results = {name: {"drawn": statistics.median(r[name]["drawn"] for r in rounds),
                      "clicks": [c for r in rounds for c in r[name]["clicks"]],
                      "frames": [f for r in rounds for f in r[name]["frames"]]} for name in pages}
    print(f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} relations; baseline: {baseline_ref}; "
          f"{runs} run(s) of each page, in turn; load average (1, 5, 15 min) before "
          f"{', '.join(f'{x:.1f}' for x in load_before)}, after {', '.join(f'{x:.1f}' for x in load_after)} "
          f"on {os.cpu_count()} CPUs")
    print("| measure | today's page | this page | ratio (today / this) |")
    print("|---|---:|---:|---:|")

    def row(name, a, b, unit):
        print(f"| {name} | {a:.0f} {unit} | {b:.0f} {unit} | {a / b:.1f}x |" if b else f"| {name} | {a} | {b} | n/a |")

    t, w = results["today"], results["wbgraph"]
    row("time to write", written["today"] * 1000, written["wbgraph"] * 1000, "ms")
    row("time until drawn", t["drawn"] * 1000, w["drawn"] * 1000, "ms")
    row("click to panel, median", statistics.median(t["clicks"]), statistics.median(w["clicks"]), "ms")
    row("click to panel, worst", max(t["clicks"]), max(w["clicks"]), "ms")
    row("pan/zoom frame, median", statistics.median(t["frames"]), statistics.median(w["frames"]), "ms")
    row("pan/zoom frame, worst", max(t["frames"]), max(w["frames"]), "ms")
    print(json.dumps({k: {"clicks": [round(c) for c in v["clicks"]], "frames": len(v["frames"]),
                          "worst frame of each run": [round(max(r[k]["frames"])) for r in rounds],
                          "frames over 50 ms": sum(f > 50 for f in v["frames"])}
                      for k, v in results.items()}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10000)
    parser.add_argument("--edges", type=int, default=30000)
    parser.add_argument("--baseline-ref", default=BASELINE)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--runs", type=int, default=3, help="measure each page this many times (in turn)")
    args = parser.parse_args()
    report(args.nodes, args.edges, args.baseline_ref, args.timeout, args.runs)


if __name__ == "__main__":
    main()
