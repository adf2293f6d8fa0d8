"""A static picture of the network for papers: PNG or SVG with matplotlib, labels for the most central
actors and a legend of classes."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx

from ..errors import OutputError, WbgraphError
from .style import class_group, edge_style

__all__ = ["IMAGE_FORMATS", "draw_image"]

IMAGE_FORMATS = ("png", "svg")
#: The most actors one picture shows (see :func:`draw_image`).
MAX_ACTORS = 500
#: Edges are drawn as arrows up to this many, as plain lines above.
ARROWS_UP_TO = 1000


def _layout(graph: nx.Graph, seed: int) -> dict:
    """The largest component spread out in the middle; smaller ones in a row underneath."""
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    if not components:
        return {}
    giant = graph.subgraph(components[0])
    if len(giant) > 300:
        pos = nx.spring_layout(giant, seed=seed, k=2.5 / math.sqrt(len(giant)), iterations=200)
    else:
        pos = nx.kamada_kawai_layout(giant, pos=nx.spring_layout(giant, seed=seed))
    rest = components[1:]
    for i, comp in enumerate(rest):
        sub = nx.spring_layout(graph.subgraph(comp), seed=seed, scale=0.06) if len(comp) > 1 else {min(comp): (0, 0)}
        x = -1.0 + 2.0 * (i + 0.5) / max(len(rest), 1)
        for node, (dx, dy) in sub.items():
            pos[node] = (x + dx, -1.25 + dy)
    return pos


def _most_central(graph: nx.MultiDiGraph, centrality: dict, count: int) -> list:
    """Up to ``count`` nodes: external powers and economies first, then by centrality (ties by name)."""
    def key(v):
        classes = set(graph.nodes[v].get("classes", ()))
        return (not {"WesternBalkanEconomy", "ExternalPower"} & classes, -centrality.get(v, 0), str(v))
    return sorted(graph, key=key)[:count]


def draw_image(
    graph: nx.MultiDiGraph,
    *paths: str | Path,
    title: str = "wbgraph: Western Balkans security actors",
    labels: int = 25,
    seed: int = 42,
    size_by: str = "pagerank",
    max_actors: int = MAX_ACTORS,
) -> list[Path]:
    """Draw ``graph`` to each of ``paths`` (.png or .svg), labelling the ``labels`` most central actors.

    A network of more than ``max_actors`` actors is drawn as its ``max_actors`` most central ones
    (external powers and Western Balkan economies first), as the picture's footer says: more would
    not be readable on a page, and the layout's cost grows with the square of the actors drawn.
    The layout and figure are made once for all paths. Each file is written to a temporary name and
    renamed, so a failure leaves nothing behind.
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from ..analysis.centrality import pagerank, simple_digraph
    from ..outputs import write_atomic

    paths = [Path(p) for p in paths]
    for path in paths:
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in IMAGE_FORMATS:
            raise OutputError(f"cannot draw a '.{fmt}' picture", file=path, hint="name a .png or .svg file")
        if not path.parent.is_dir():
            raise OutputError("the directory does not exist", file=path.parent,
                              hint="create it first or choose another path")
    if graph.number_of_nodes() == 0:
        raise WbgraphError("there is nothing to draw: the network is empty after the filters")
    simple = simple_digraph(graph)
    centrality = pagerank(simple) if size_by == "pagerank" else {n: d for n, d in simple.degree()}
    top = max(centrality.values()) or 1
    n = graph.number_of_nodes()
    if n > max_actors:
        graph = graph.subgraph(_most_central(graph, centrality, max_actors))
        simple = simple.subgraph(graph.nodes)
    undirected = nx.Graph(simple.to_undirected())
    pos = _layout(undirected, seed)

    fig, ax = plt.subplots(figsize=(16, 11), dpi=150)
    ax.set_axis_off()
    ax.set_title(title, fontsize=15)
    groups = {node: class_group(data.get("classes", ())) for node, data in graph.nodes(data=True)}
    if graph.number_of_edges() <= ARROWS_UP_TO:
        for u, v, key in graph.edges(keys=True):
            _, colour, dashed = edge_style(key)
            (x1, y1), (x2, y2) = pos[u], pos[v]
            ax.annotate("", xy=(x2, y2), xytext=(x1, y1), zorder=1,
                        arrowprops={"arrowstyle": "-|>", "color": colour, "alpha": 0.45, "lw": 0.8,
                                    "linestyle": "--" if dashed else "-", "shrinkA": 4, "shrinkB": 6})
    else:  # one artist per edge style: an arrow each would cost seconds per thousand edges
        from matplotlib.collections import LineCollection

        styles: dict[tuple[str, bool], list] = {}
        for u, v, key in graph.edges(keys=True):
            _, colour, dashed = edge_style(key)
            styles.setdefault((colour, dashed), []).append((pos[u], pos[v]))
        for (colour, dashed), segments in sorted(styles.items()):
            ax.add_collection(LineCollection(segments, colors=colour, alpha=0.3, linewidths=0.5,
                                             linestyles="--" if dashed else "-", zorder=1))
    nodes = list(graph)
    ax.scatter([pos[v][0] for v in nodes], [pos[v][1] for v in nodes],
               s=[30 + 600 * math.sqrt(centrality.get(v, 0) / top) for v in nodes],
               c=[groups[v][1] for v in nodes], edgecolors="white", linewidths=0.6, zorder=2)
    always = {v for v in nodes if {"WesternBalkanEconomy", "ExternalPower"} & set(graph.nodes[v].get("classes", ()))}
    for v in sorted(set(sorted(nodes, key=lambda v: -centrality.get(v, 0))[:labels]) | always):
        ax.annotate(graph.nodes[v].get("label", v), pos[v], fontsize=8, zorder=3, ha="center", va="bottom",
                    xytext=(0, 6), textcoords="offset points",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    present = sorted({groups[v] for v in nodes})
    handles = [Line2D([0], [0], marker="o", color="w", markerfacecolor=c, markersize=9, label=name)
               for name, c in present]
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True, title="Actor classes")
    shown = (f"{n} actors, {graph.number_of_edges()} relations" if n == len(nodes) else
             f"the {len(nodes)} most central of {n} actors, {graph.number_of_edges()} relations among them")
    fig.text(0.99, 0.01, f"{shown}; node size: {size_by}",
             ha="right", fontsize=8, color="#555")
    written = []
    for path in paths:
        fmt = path.suffix.lower().lstrip(".")
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None)
        written.append(write_atomic(path, buffer.getvalue()))
    plt.close(fig)
    return written
