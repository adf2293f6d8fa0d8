"""Scale: loading, querying, projecting, measuring and drawing synthetic graphs of growing size.

Run: python bench/bench_scale.py [--sizes 10000 100000 1000000] [--timeout 120] [--repeat 3]

For each size a synthetic graph (wbgraph.synth, N-Triples) is written once to a temporary folder, then:

* loading: wbgraph's default (``load_graph(curated=False)``: Oxigraph, one named graph per file, the
  ontology, and the derived edges) against rdflib's memory store (``Graph().parse``, the baseline) and
  the floor, a bare ``pyoxigraph.Store().bulk_load``. Each load runs in a fresh ``python -c`` child, so
  its peak resident memory is its own (``VmHWM`` from ``/proc/self/status``, where Linux has it:
  ``ru_maxrss`` of a child also counts the parent's pages at fork time, so it is the fallback only);
  "data" is that peak less the child's peak after its imports.
* five queries through wbgraph (``GraphStore.query``, which converts rows to rdflib terms), straight to
  pyoxigraph (``use_default_graph_as_union=True``, each value of each solution read once, nothing
  converted) and through
  rdflib's SPARQL engine. Both baselines hold the same triples as the wbgraph store (the file, the
  ontology and the derived edges, which the path query needs). rdflib runs each query in a forked
  child with a time budget and is reported as ">timeout" or "crash" rather than failing the run.
* the on-disk store (``--store-path``): the first load, the first reopen, later reopens.
* the projection (``project_network``), betweenness and PageRank on it via wbgraph against pure
  networkx (exact betweenness when networkx would take under --exact-budget seconds, else timed on
  --sample seeded sources and extrapolated linearly, as the row says), and writing the HTML page.

At the largest size, every query of the library runs on the curated graph plus the synthetic file, through
wbgraph (``GraphStore.query``) and straight to pyoxigraph, with its default parameters and with the slowest of
up to --tries parameter sets read from the data (busiest actors, far-apart pairs, widest periods: see
library_sweep.py), each run in a child with a --query-timeout budget; then the projection against the query
that reads its edges (skip all this with --no-library).

Ratios are measured in this run: "baseline / wbgraph" (above 1: wbgraph is faster or smaller) and
"wbgraph / pyoxigraph" (the cost of wbgraph's layer over bare Oxigraph).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
import pyoxigraph as ox
import rdflib
import rustworkx  # noqa: F401 (imported here, so that no timing below includes the import)

from wbgraph.analysis.centrality import betweenness, pagerank, simple_digraph
from wbgraph.namespaces import PREFIXES
from wbgraph.network import project_network
from wbgraph.store import load_graph
from wbgraph.synth import write_synthetic
from wbgraph.viz.html import build_network, render_page

from library_sweep import bench_library, bench_projection

_CHILD = """
import json, resource, sys, time


def peak_kb():
    # VmHWM is this process's own high-water mark; ru_maxrss also counts the parent's pages at fork
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


{imports}
path = sys.argv[1]
before = peak_kb()
start = time.perf_counter()
{load}
seconds = time.perf_counter() - start
peak = peak_kb()
print(json.dumps({{"seconds": seconds, "peak_kb": peak, "imports_kb": before, "triples": triples}}))
"""

LOADERS = {
    "wbgraph": ("from wbgraph.store import load_graph",
                "store = load_graph([path], curated=False)\ntriples = len(store)"),
    "pyoxigraph": ("import pyoxigraph as ox",
                   "store = ox.Store()\n"
                   "store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)\n"
                   "triples = len(store)"),
    "rdflib": ("import rdflib", "graph = rdflib.Graph()\ngraph.parse(path, format='nt')\ntriples = len(graph)"),
    # the on-disk store (--store-path): loaded by the first run, reopened by the next ones (as the CLI does)
    "disk": ("from wbgraph.store import load_graph",
             "store = load_graph([path], curated=False, path=sys.argv[2])\n"
             "triples = int(store.query('SELECT (COUNT(*) AS ?n) WHERE { ?c a wb:Claim }').rows[0][0])"),
}

PREFIX_LINES = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"


def queries(hub: str) -> dict[str, str]:
    """The five representative queries; ``hub`` is the actor with the most influence claims."""
    return {
        "lookup: one actor's label": f"SELECT ?label WHERE {{ <{hub}> rdfs:label ?label }}",
        "aggregate: count per class (as wbgraph stats)": """
            SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class""",
        "path: influence reach of the hub": f"""
            SELECT DISTINCT ?b WHERE {{ <{hub}> (wb:exertsInfluenceOn|wb:actsThroughProxy|wb:supports)+ ?b }}""",
        "join: 3-hop claim chains": """
            SELECT ?c1 ?c2 ?c3 WHERE {
              ?c1 rdf:predicate wb:actsThroughProxy ; rdf:object ?x .
              ?c2 rdf:subject ?x ; rdf:predicate wb:exertsInfluenceOn ; rdf:object ?y .
              ?c3 rdf:subject ?y ; rdf:predicate wb:facesThreat }""",
        "filter: claims by confidence (as claims-by-confidence)": """
            SELECT ?s ?p ?o ?source ?start ?c WHERE {
              ?c a wb:Claim ; wb:confidence wb:stated ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                 prov:wasDerivedFrom ?source ; wb:lineStart ?start }""",
    }


# -- helpers ---------------------------------------------------------------------------------------

def timed(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def timed_pair(first, second, repeat: int, budget: float = 0.5) -> tuple[float, object, float, object]:
    """Median times of two functions run by turns (so that both meet the same load on the machine), at
    least ``repeat`` times each and until ``budget`` seconds are spent."""
    times: tuple[list, list] = ([], [])
    results = [None, None]
    while len(times[0]) < repeat or sum(times[0]) + sum(times[1]) < budget:
        for i, func in enumerate((first, second)):
            start = time.perf_counter()
            results[i] = func()
            times[i].append(time.perf_counter() - start)
    return statistics.median(times[0]), results[0], statistics.median(times[1]), results[1]


def child_load(kind: str, path: Path, repeat: int, timeout: float, *extra: str) -> dict | str:
    imports, load = LOADERS[kind]
    code = _CHILD.format(imports=imports, load=load)
    runs = []
    for _ in range(repeat):
        try:
            done = subprocess.run([sys.executable, "-c", code, str(path), *extra], capture_output=True, text=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return ">timeout"
        if done.returncode != 0:
            return "crash"
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mb": statistics.median(r["peak_kb"] for r in runs) / 1024,
        "data_mb": statistics.median(r["peak_kb"] - r["imports_kb"] for r in runs) / 1024,
        "triples": runs[0]["triples"],
    }


def _rdflib_worker(graph, text: str, repeat: int, conn) -> None:
    sys.setrecursionlimit(10_000)
    graph.query("ASK { ?s ?p ?o }")  # rdflib builds its SPARQL parser on first use: not part of the query
    for _ in range(repeat):
        try:
            start = time.perf_counter()
            rows = sum(1 for _ in graph.query(text))
            conn.send(("ok", time.perf_counter() - start, rows))
        except BaseException as err:  # RecursionError, MemoryError, rdflib's own errors
            conn.send(("crash", type(err).__name__, 0))
            return


def rdflib_query(graph, text: str, repeat: int, timeout: float) -> tuple[str | float, int | None]:
    """Median time and row count of an rdflib query in a forked child, or '>timeout' / 'crash'."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_rdflib_worker, args=(graph, text, repeat, child))
    process.start()
    child.close()
    times, rows, outcome = [], None, None
    for _ in range(repeat):
        if not parent.poll(timeout):
            outcome = f">{timeout:g} s timeout"
            break
        try:
            status, value, count = parent.recv()
        except EOFError:
            outcome = "crash (child died)"
            break
        if status != "ok":
            outcome = f"crash ({value})"
            break
        times.append(value)
        rows = count
    process.kill()
    process.join()
    if outcome and not times:
        return outcome, None
    return statistics.median(times), rows


def ox_rows(store: ox.Store, text: str) -> int:
    """Rows of a query sent straight to pyoxigraph, each value read once (as any use of a result does)."""
    result = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    return sum(1 for solution in result if tuple(solution) is not None)


def write_extra(store, file_graph: str, path: Path) -> int:
    """Write the triples the wbgraph store holds beyond the file (ontology, derived edges) as N-Triples."""
    rows = store.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != ?file) }",
                       {"file": rdflib.URIRef(file_graph)}).rows
    with path.open("w", encoding="utf-8") as out:
        for s, p, o in rows:
            out.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
    return len(rows)


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(f"{name} {version(name)}" for name in
                         ("wbgraph", "pyoxigraph", "rdflib", "networkx", "rustworkx", "pyvis"))
    return (f"# machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} cores, {memory:.1f} GiB RAM\n"
            f"# Python {platform.python_version()}; {versions}")


def fmt(value, unit: str = "s") -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value * 1000:.1f}"
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def ratio(num, den) -> str:
    if isinstance(num, (int, float)) and isinstance(den, (int, float)) and den > 0:
        return f"{num / den:.1f}x"
    if isinstance(num, str) and num.startswith(">") and isinstance(den, (int, float)):
        return f">{float(num[1:].split()[0]) / den:.0f}x"
    return "—"


def row(size, measure, wb, ox_value, base, note="", unit="s") -> None:
    print(f"| {size} | {measure} | {fmt(wb, unit)} | {fmt(ox_value, unit)} | {fmt(base, unit)} | "
          f"{ratio(base, wb)} | {ratio(wb, ox_value)} | {note} |", flush=True)


# -- one size --------------------------------------------------------------------------------------

def bench_size(size: int, folder: Path, args) -> None:
    start = time.perf_counter()
    path = write_synthetic(folder / f"synth-{size}.nt", size, seed=args.seed)
    row(size, "generate N-Triples (s)", time.perf_counter() - start, None, None,
        f"{path.stat().st_size / 2**20:.1f} MB, seed {args.seed}")

    loads = {kind: child_load(kind, path, args.repeat, args.load_timeout) for kind in LOADERS if kind != "disk"}
    get = lambda kind, key: loads[kind][key] if isinstance(loads[kind], dict) else loads[kind]  # noqa: E731
    note = f"median of {args.repeat} fresh children; wbgraph holds {get('wbgraph', 'triples')} triples " \
           "(file + ontology + derived edges)"
    row(size, "load (s)", get("wbgraph", "seconds"), get("pyoxigraph", "seconds"), get("rdflib", "seconds"), note)
    row(size, "load peak RSS (MB)", get("wbgraph", "peak_mb"), get("pyoxigraph", "peak_mb"), get("rdflib", "peak_mb"),
        "whole child process")
    row(size, "load data RSS (MB)", get("wbgraph", "data_mb"), get("pyoxigraph", "data_mb"), get("rdflib", "data_mb"),
        "peak less the peak after imports")

    disk = folder / f"store-{size}"
    first = child_load("disk", path, 1, args.load_timeout, str(disk))
    reopen = child_load("disk", path, 1, args.load_timeout, str(disk))
    again = child_load("disk", path, args.repeat, args.load_timeout, str(disk))
    for label, run, note in (("load into the on-disk store", first, "one run; bulk loader above 50 MB"),
                             ("first reopen of the on-disk store", reopen, "open, check the files, count claims"),
                             ("later reopens", again, f"median of {args.repeat}")):
        seconds = run["seconds"] if isinstance(run, dict) else run
        row(size, f"{label} (s)", seconds, None, None, note)
    shutil.rmtree(disk, ignore_errors=True)

    store = load_graph([path], curated=False)
    extra = folder / f"extra-{size}.nt"
    write_extra(store, path.resolve().as_uri(), extra)
    raw = ox.Store()
    graph = rdflib.Graph()
    for file in (path, extra):
        raw.bulk_load(path=str(file), format=ox.RdfFormat.N_TRIPLES)
        graph.parse(str(file), format="nt")
    hub = str(store.query("""
        SELECT ?s (COUNT(?c) AS ?n) WHERE { ?c rdf:subject ?s ; rdf:predicate wb:exertsInfluenceOn }
        GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 1""").rows[0][0])
    for name, text in queries(hub).items():
        text = PREFIX_LINES + text
        wb_time, wb_result, ox_time, ox_count = timed_pair(lambda: store.query(text),  # noqa: B023
                                                           lambda: ox_rows(raw, text), args.repeat)  # noqa: B023
        rd_time, rd_count = rdflib_query(graph, text, args.repeat, args.timeout)
        counts = {len(wb_result.rows), ox_count} | ({rd_count} if rd_count is not None else set())
        same = f"{len(wb_result.rows)} rows"
        if len(counts) > 1:
            same += f" (pyoxigraph {ox_count}, rdflib {rd_count})"
        row(size, f"query {name} (ms)", wb_time, ox_time, rd_time,
            f"{same}; baseline rdflib; median of {args.repeat} runs (wbgraph and pyoxigraph by turns, and at least 0.5 s)",
            unit="ms")
    del graph, raw

    project_time, network = timed(lambda: project_network(store), 1)
    row(size, "project_network (s)", project_time, None, None,
        f"{network.number_of_nodes()} nodes, {network.number_of_edges()} edges")
    bench_projection(size, store, args, row)
    simple = simple_digraph(network)
    n = simple.number_of_nodes()
    wb_pr, _ = timed(lambda: pagerank(simple), args.repeat)
    nx_pr, _ = timed(lambda: nx.pagerank(simple, alpha=0.85, weight="weight"), args.repeat)
    row(size, "PageRank (s)", wb_pr, None, nx_pr, f"baseline networkx's default (on SciPy), median of {args.repeat}")
    py_pr, _ = timed(lambda: _pagerank_python(simple, alpha=0.85, weight="weight"), args.repeat)
    row(size, "PageRank, pure-Python baseline (s)", wb_pr, None, py_pr,
        f"baseline networkx's pure-Python _pagerank_python, median of {args.repeat}")
    wb_bc, _ = timed(lambda: betweenness(simple, backend="auto"), 1)
    k = min(args.sample, n)
    sample_time, _ = timed(lambda: nx.betweenness_centrality(simple, k=k, seed=1), 1)
    estimate = sample_time * n / k
    if estimate <= args.exact_budget:
        nx_bc, _ = timed(lambda: nx.betweenness_centrality(simple), 1)
        note = "baseline networkx, exact, one run each"
    else:
        nx_bc = estimate
        note = f"baseline networkx extrapolated from k={k} sampled sources ({sample_time:.1f} s x {n}/{k})"
    row(size, "betweenness (s)", wb_bc, None, nx_bc, note)
    html_time, page = timed(lambda: render_page(build_network(network)), 1)
    start = time.perf_counter()
    (folder / f"page-{size}.html").write_text(page, encoding="utf-8")
    html_time += time.perf_counter() - start
    row(size, "HTML page (s)", html_time, None, None,
        f"build_network + render_page + write, {len(page) / 2**20:.1f} MB")
    for file in (path, extra, folder / f"page-{size}.html"):
        file.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--timeout", type=float, default=120, help="seconds per rdflib query run")
    parser.add_argument("--load-timeout", type=float, default=3600, help="seconds per load child")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--exact-budget", type=float, default=120,
                        help="run exact networkx betweenness when it is expected to take fewer seconds")
    parser.add_argument("--sample", type=int, default=100, help="sampled sources for extrapolated betweenness")
    parser.add_argument("--no-library", action="store_true",
                        help="skip running every library query at the largest size")
    parser.add_argument("--tries", type=int, default=8, help="parameter sets tried per library query")
    parser.add_argument("--query-timeout", type=float, default=60, help="seconds per library query run")
    parser.add_argument("--queries", nargs="+", metavar="NAME",
                        help="run only the library queries whose name contains one of these (default: all)")
    parser.add_argument("--library-file", type=Path, help=argparse.SUPPRESS)  # the child that runs the library
    args = parser.parse_args()
    if args.library_file:
        bench_library(max(args.sizes), args.library_file, args, row)
        return
    print(machine())
    print("| triples | measure | wbgraph | pyoxigraph | baseline | baseline / wbgraph | wbgraph / pyoxigraph | note |")
    print("|---:|---|---:|---:|---:|---:|---:|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="wbgraph-bench-") as folder:
        for size in args.sizes:
            bench_size(size, Path(folder), args)
        if not args.no_library:
            # in a fresh process: the objects the runs above leave behind would slow the small queries
            # through the garbage collector, which is not what a user's process sees
            size = max(args.sizes)
            path = write_synthetic(Path(folder) / f"synth-{size}.nt", size, seed=args.seed)
            subprocess.run([sys.executable, __file__, "--library-file", str(path), "--sizes", str(size),
                            "--repeat", str(args.repeat), "--tries", str(args.tries),
                            "--query-timeout", str(args.query_timeout),
                            *(["--queries", *args.queries] if args.queries else [])], check=True)


if __name__ == "__main__":
    main()
