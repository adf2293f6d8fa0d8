"""Every centrality measure on synthetic networks: wbgraph's compiled graph against networkx's default.

Run: python bench/bench_analysis.py [--sizes 10000 100000] [--repeat 3] [--only closeness brokerage]

For each size, the network is read once into a compiled graph (``compile_graph``; its time is printed on
its own row), then each measure runs on it and networkx's default function runs on the networkx graph,
in this run, by turns; the ratio is networkx time / wbgraph time, and the largest difference between
the two results is printed beside it (``-`` where networkx ran on a sample). Where networkx would take
hours (betweenness, closeness and brokerage above --exact-limit nodes), it runs from a seeded sample of
--sample source nodes and its time is extrapolated linearly (time x sources / sample; for closeness per
stratum, see ``close``); the row says so. Eigenvector centrality is compared with networkx's default
``eigenvector_centrality`` and with ``eigenvector_centrality_numpy`` (see ``eigen``).
For brokerage, the sampled sources are also run on the compiled graph and the two results compared.

Brokerage (shortest paths from external powers to economies) costs one breadth-first search per power:
O(powers x (nodes + edges)). Here 1 % of the nodes play the powers and 0.5 % the economies, about the
shares of the synthetic graphs of ``wbgraph synth``.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time

import networkx as nx

from wbgraph.analysis.centrality import betweenness, closeness
from wbgraph.analysis.compiled import compile_graph


MEASURES = ("pagerank", "eigenvector", "k-core", "betweenness", "closeness", "brokerage")


def synthetic(n: int, seed: int = 7) -> nx.DiGraph:
    """A directed scale-free network shaped like an influence network (few hubs, many leaves)."""
    multi = nx.scale_free_graph(n, alpha=0.41, beta=0.54, gamma=0.05, seed=seed)
    graph = nx.DiGraph()
    graph.add_nodes_from(multi)
    for u, v in multi.edges():
        if u != v:
            graph.add_edge(u, v, weight=[1.0, 0.6, 0.4][(u + v) % 3])
    return graph


def timed(func, repeat: int):
    """Median seconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def largest_difference(a: dict, b: dict) -> float:
    return max((abs(a[k] - b[k]) for k in a), default=0.0)


def _compiled_in_full(graph: nx.DiGraph):
    """The compiled graph with every structure the measures use, built once as in a build."""
    compiled = compile_graph(graph)
    compiled.rustworkx, compiled.igraph, compiled.igraph_undirected
    return compiled


def _undirected(graph: nx.DiGraph) -> nx.Graph:
    undirected = graph.to_undirected()
    undirected.remove_edges_from(nx.selfloop_edges(undirected))
    return undirected


def _closeness_sample(graph: nx.DiGraph, nodes: list) -> None:
    """What networkx's closeness does for each node (a breadth-first search towards it), for ``nodes``."""
    reverse = graph.reverse(copy=False)
    for node in nodes:
        nx.single_source_shortest_path_length(reverse, node)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--exact-limit", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--only", nargs="+", choices=MEASURES, default=list(MEASURES), help="Measures to run.")
    args = parser.parse_args()
    print(f"# machine: {platform.machine()}, Python {platform.python_version()}, networkx {nx.__version__}")
    print("| nodes | edges | measure | networkx (s) | wbgraph (s) | ratio | largest difference | note |")
    print("|---:|---:|---|---:|---:|---:|---:|---|")
    for n in args.sizes:
        graph = synthetic(n)
        m = graph.number_of_edges()
        rng = random.Random(1)
        nodes = list(graph)
        powers = rng.sample(nodes, max(1, n // 100))
        economies = rng.sample([v for v in nodes if v not in set(powers)], max(1, n // 200))
        exact = n <= args.exact_limit
        median = f"median of {args.repeat}"

        def row(measure, nx_s, wb_s, diff, note):
            shown = "-" if diff is None else f"{diff:.1e}"
            print(f"| {n} | {m} | {measure} | {nx_s:.3f} | {wb_s:.3f} | {nx_s / wb_s:.1f}x | {shown} | {note} |",
                  flush=True)

        build, compiled = timed(lambda: _compiled_in_full(graph), args.repeat)
        print(f"| {n} | {m} | reading the network into a compiled graph (arrays, rustworkx, igraph) | - | "
              f"{build:.3f} | - | - | {median}, once for all measures |", flush=True)

        if "pagerank" in args.only:
            nx_s, expected = timed(lambda: nx.pagerank(graph, weight="weight"), args.repeat)
            wb_s, got = timed(lambda: compiled.pagerank(), args.repeat)
            row("PageRank", nx_s, wb_s, largest_difference(expected, got), median)

        undirected = _undirected(graph)
        if "eigenvector" in args.only:
            eigen(args, undirected, compiled, row)

        if "k-core" in args.only:
            nx_s, expected = timed(lambda: nx.core_number(undirected), args.repeat)
            wb_s, got = timed(lambda: compiled.core_number(), args.repeat)
            row("k-core", nx_s, wb_s, largest_difference(expected, got), median)

        if "betweenness" in args.only:
            between(args, graph, compiled, row, exact)
        if "closeness" in args.only:
            close(args, graph, compiled, row, exact, rng)
        if "brokerage" in args.only:
            brokerage(args, graph, compiled, row, exact, powers, economies)


def between(args, graph, compiled, row, exact: bool) -> None:
    n = graph.number_of_nodes()
    wb_s, got = timed(lambda: betweenness(graph, backend="compiled", _compiled=compiled), 1)
    if exact:
        nx_s, expected = timed(lambda: nx.betweenness_centrality(graph), 1)
        row("betweenness", nx_s, wb_s, largest_difference(expected, got), "exact, one run each")
    else:
        sample, _ = timed(lambda: nx.betweenness_centrality(graph, k=args.sample, seed=1), 1)
        row("betweenness", sample * n / args.sample, wb_s, None,
            f"networkx extrapolated from {args.sample} sampled sources ({sample:.1f} s); one run each")


def eigen(args, undirected: nx.Graph, compiled, row) -> None:
    """Against networkx's default ``eigenvector_centrality`` (power iteration on A + I, at most 100
    iterations): where it stops without converging, it is timed again with ``max_iter`` raised until it
    converges, and that time is the baseline. ``eigenvector_centrality_numpy`` (ARPACK, what wbgraph's
    networkx backend calls) gets its own row."""
    wb_s, got = timed(lambda: compiled.eigenvector(), args.repeat)
    note = "one run of networkx's default (pure Python)"
    start = time.perf_counter()
    try:
        expected = nx.eigenvector_centrality(undirected, weight="weight")
        nx_s = time.perf_counter() - start
    except nx.PowerIterationFailedConvergence:
        failed = time.perf_counter() - start
        nx_s, expected = timed(lambda: nx.eigenvector_centrality(undirected, weight="weight", max_iter=100_000), 1)
        note = (f"networkx's default failed to converge in its 100 iterations ({failed:.1f} s); timed with "
                "max_iter raised until it converges, one run; the difference is where networkx stops (mean change "
                "per node below 1e-6), see the next row for the exact eigenvector")
    row("eigenvector (against `eigenvector_centrality`)", nx_s, wb_s, largest_difference(expected, got),
        f"{note}; wbgraph median of {args.repeat}")
    nx_s, expected = timed(lambda: nx.eigenvector_centrality_numpy(undirected, weight="weight"), args.repeat)
    row("eigenvector (against `eigenvector_centrality_numpy`)", nx_s, wb_s, largest_difference(expected, got),
        f"median of {args.repeat}")


def close(args, graph, compiled, row, exact: bool, rng: random.Random) -> None:
    """Where networkx is not run in full, its time is extrapolated per stratum: nodes with no incoming
    edge (its search stops at once) and the others (a third of them are reached by most of the network
    here), ``--sample`` nodes of each, so the few expensive searches are represented in proportion."""
    n = graph.number_of_nodes()
    wb_s, got = timed(lambda: closeness(graph, backend="compiled", _compiled=compiled), 1)
    if exact:
        nx_s, expected = timed(lambda: nx.closeness_centrality(graph), 1)
        row("closeness", nx_s, wb_s, largest_difference(expected, got), "exact, one run each")
        return
    estimate, parts = 0.0, []
    for label, stratum in (("no incoming edge", [v for v in graph if graph.in_degree(v) == 0]),
                           ("with incoming edges", [v for v in graph if graph.in_degree(v) > 0])):
        chosen = rng.sample(stratum, min(args.sample, len(stratum)))
        sample, _ = timed(lambda: _closeness_sample(graph, chosen), 1)
        estimate += sample * len(stratum) / len(chosen)
        parts.append(f"{len(chosen)} of {len(stratum)} {label} ({sample:.2f} s)")
    row("closeness", estimate, wb_s, None,
        f"networkx extrapolated from its search towards sampled nodes: {'; '.join(parts)}; one run each")


def brokerage(args, graph, compiled, row, exact: bool, powers: list, economies: list) -> None:
    label = f"brokerage ({len(powers)} powers, {len(economies)} economies)"
    wb_s, got = timed(lambda: compiled.subset_betweenness(powers, economies), 1)
    if exact:
        nx_s, expected = timed(lambda: nx.betweenness_centrality_subset(graph, powers, economies,
                                                                        normalized=False), 1)
        row(label, nx_s, wb_s, largest_difference(expected, got), "exact, one run each")
    else:
        chosen = powers[:args.sample // 5]
        sample, expected = timed(lambda: nx.betweenness_centrality_subset(graph, chosen, economies,
                                                                          normalized=False), 1)
        diff = largest_difference(expected, compiled.subset_betweenness(chosen, economies))
        row(label, sample * len(powers) / len(chosen), wb_s, diff,
            f"networkx extrapolated from {len(chosen)} of the powers ({sample:.1f} s; the difference is on "
            "those); one run each")


if __name__ == "__main__":
    main()
