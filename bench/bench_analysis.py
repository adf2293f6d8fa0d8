"""Betweenness and PageRank on synthetic networks: wbgraph's measures against pure networkx.

Run: python bench/bench_analysis.py [--sizes 10000 100000] [--repeat 3]

Prints, for each size, the time of each implementation measured in this run and the ratio
(networkx time / wbgraph time). Exact networkx betweenness at 100k nodes takes hours, so at sizes above
--exact-limit networkx runs on a seeded sample of source nodes and its exact time is extrapolated
linearly (time x n / k); the row says so.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import networkx as nx

from wbgraph.analysis.centrality import betweenness, pagerank


def synthetic(n: int, seed: int = 7) -> nx.DiGraph:
    """A directed scale-free network shaped like an influence network (few hubs, many leaves)."""
    multi = nx.scale_free_graph(n, alpha=0.41, beta=0.54, gamma=0.05, seed=seed)
    graph = nx.DiGraph()
    graph.add_nodes_from(multi)
    for u, v in multi.edges():
        if u != v:
            graph.add_edge(u, v, weight=[1.0, 0.6, 0.4][(u + v) % 3])
    return graph


def timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--exact-limit", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()
    print(f"# machine: {platform.machine()}, Python {platform.python_version()}, networkx {nx.__version__}")
    print("| nodes | edges | measure | networkx (s) | wbgraph (s) | ratio | note |")
    print("|---:|---:|---|---:|---:|---:|---|")
    for n in args.sizes:
        graph = synthetic(n)
        m = graph.number_of_edges()
        nx_pr = timed(lambda: nx.pagerank(graph, weight="weight"), args.repeat)
        wb_pr = timed(lambda: pagerank(graph, weight="weight", backend="auto"), args.repeat)
        print(f"| {n} | {m} | PageRank | {nx_pr:.3f} | {wb_pr:.3f} | {nx_pr / wb_pr:.1f}x | median of {args.repeat} |")
        wb_bc = timed(lambda: betweenness(graph, backend="auto"), 1)
        if n <= args.exact_limit:
            nx_bc = timed(lambda: nx.betweenness_centrality(graph), 1)
            note = "exact, one run each"
        else:
            sample = timed(lambda: nx.betweenness_centrality(graph, k=args.sample, seed=1), 1)
            nx_bc = sample * n / args.sample
            note = f"networkx time extrapolated from k={args.sample} sampled sources ({sample:.1f} s)"
        print(f"| {n} | {m} | betweenness | {nx_bc:.2f} | {wb_bc:.2f} | {nx_bc / wb_bc:.1f}x | {note} |", flush=True)


if __name__ == "__main__":
    main()
