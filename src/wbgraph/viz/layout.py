"""Seeded positions for the interactive page: the same picture on every open, and still once drawn.

A spring layout (networkx for tiny graphs, rustworkx above 50 actors; communities laid out as groups
above 1,000 actors) is spread out from its dense core and then cleared of overlaps, so that every actor
has room for its disc and a label under it.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

__all__ = ["GROUPED_ABOVE", "layout_positions", "remove_overlaps"]

#: Above this many actors, communities are laid out as groups (the page's overview).
GROUPED_ABOVE = 1000


def _spring(graph: nx.Graph, seed: int) -> dict:
    """Seeded spring positions in [-1, 1]: networkx for tiny graphs, rustworkx (compiled) above 50 nodes."""
    n = graph.number_of_nodes()
    if n <= 2:
        return {v: (float(i), 0.0) for i, v in enumerate(graph)}
    if n <= 50:
        return nx.spring_layout(graph, seed=seed, k=1.5 / math.sqrt(n), iterations=100)
    import rustworkx as rx

    nodes = list(graph)
    index = {v: i for i, v in enumerate(nodes)}
    rgraph = rx.PyGraph()
    rgraph.add_nodes_from(nodes)
    rgraph.add_edges_from_no_data([(index[u], index[v]) for u, v in graph.edges()])
    raw = rx.spring_layout(rgraph, seed=seed, num_iter=50)
    xs, ys = [p[0] for p in raw.values()], [p[1] for p in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return {nodes[i]: ((raw[i][0] - min(xs)) * 2 / span - 1, (raw[i][1] - min(ys)) * 2 / span - 1) for i in raw}


def _raw_layout(simple: nx.Graph, seed: int) -> dict:
    """Positions in about [-1, 1]; above ``GROUPED_ABOVE`` actors communities (Louvain, seeded) are laid out as a
    spring graph of communities, each a spring layout of its own inside its disc (near linear cost)."""
    n = simple.number_of_nodes()
    if n <= GROUPED_ABOVE:
        return _spring(simple, seed)
    groups = [sorted(c) for c in nx.community.louvain_communities(simple, seed=seed)]
    groups.sort(key=lambda c: (-len(c), c[0]))
    member = {v: i for i, group in enumerate(groups) for v in group}
    meta = nx.Graph()
    meta.add_nodes_from(range(len(groups)))
    for u, v in simple.edges():
        if member[u] != member[v]:
            meta.add_edge(member[u], member[v])
    centres = _spring(meta, seed)
    out = {}
    for i, group in enumerate(groups):
        radius = 0.9 * math.sqrt(len(group) / n)
        inner = _spring(simple.subgraph(group), seed)
        cx, cy = centres[i]
        for v, (x, y) in inner.items():
            out[v] = (cx + radius * x, cy + radius * y)
    return out


def remove_overlaps(points: np.ndarray, radii: np.ndarray, gap: float = 30.0, rounds: int = 80) -> np.ndarray:
    """Push apart every two points closer than the sum of their radii plus ``gap``; returns new points.

    >>> out = remove_overlaps(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([10.0, 10.0]), gap=0)
    >>> bool(np.linalg.norm(out[0] - out[1]) >= 19.9)
    True
    """
    from scipy.spatial import cKDTree

    points = points.astype(float).copy()
    reach = 2 * float(radii.max()) + gap
    rng = np.random.default_rng(0)
    for _ in range(rounds):
        pairs = cKDTree(points).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = points[j] - points[i]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        need = radii[i] + radii[j] + gap
        close = dist < need
        if not close.any():
            break
        i, j, delta, dist, need = i[close], j[close], delta[close], dist[close], need[close]
        same = dist < 1e-6
        delta[same] = rng.normal(size=(int(same.sum()), 2))
        dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-6)
        push = (delta / dist[:, None]) * ((need - dist) / 2 * 1.05)[:, None]
        np.add.at(points, i, -push)
        np.add.at(points, j, push)
    return points


def _component_points(simple: nx.Graph, nodes: list, sizes: dict, seed: int, total: int) -> np.ndarray:
    """One connected component in canvas units, its dense core spread out and overlaps removed."""
    raw = _raw_layout(simple.subgraph(nodes), seed)
    points = np.array([raw[v] for v in nodes], dtype=float)
    points -= points.mean(axis=0)
    # Distances from the centre are compressed (r ** 0.7): the crowded middle of a spring layout
    # gets more room relative to its sparse rim.
    radius = np.hypot(points[:, 0], points[:, 1])
    top = radius.max() or 1.0
    factor = np.where(radius > 0, (radius / top) ** 0.7 * top / np.maximum(radius, 1e-12), 1.0)
    points *= factor[:, None]
    points *= (60 * math.sqrt(len(nodes)) + 40 * min(len(nodes) - 1, 5)) / (np.abs(points).max() or 1.0)
    return remove_overlaps(points, np.array([sizes.get(v, 10) for v in nodes], dtype=float))


def layout_positions(graph: nx.MultiDiGraph, sizes: dict[str, float], seed: int = 42) -> dict[str, tuple[float, float]]:
    """Seeded positions in canvas units, with room for each actor's disc (radius ``sizes``) and label.

    Connected components are laid out one by one: the largest in the middle, the others in rows under
    it, so that small islands do not leave the picture mostly empty.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> layout_positions(g, {"a": 10, "b": 10, "c": 10}) == layout_positions(g, {"a": 10, "b": 10, "c": 10})
    True
    """
    if graph.number_of_nodes() == 0:
        return {}
    simple = nx.Graph(graph.to_undirected(as_view=True))
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    placed: dict = {}
    giant = _component_points(simple, components[0], sizes, seed, graph.number_of_nodes())
    placed.update(zip(components[0], giant))
    left, right = giant[:, 0].min() - 40, giant[:, 0].max() + 40
    x, row_top, row_height = left, giant[:, 1].max() + 120, 0.0
    for nodes in components[1:]:
        points = _component_points(simple, nodes, sizes, seed, graph.number_of_nodes())
        pad = max(sizes.get(v, 10) for v in nodes) + 60
        low, high = points.min(axis=0) - pad, points.max(axis=0) + pad
        width, height = high - low
        if x + width > right and x > left:
            x, row_top, row_height = left, row_top + row_height, 0.0
        placed.update(zip(nodes, points - low + np.array([x, row_top])))
        x += width
        row_height = max(row_height, height)
    return {v: (round(float(placed[v][0]), 1), round(float(placed[v][1]), 1)) for v in graph}
