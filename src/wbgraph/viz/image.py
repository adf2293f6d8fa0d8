"""A static picture of the network for papers and slides: PNG, SVG (with real, editable ``<text>``) or
PDF, drawn with matplotlib at the size it will be printed.

Presets give the printed width (one or two journal columns, a 16:9 slide); labels are set at a fixed
size in points at that width and placed by importance without overlapping one another; the legends of
classes and relation types sit outside the drawing, and the drawing fills the figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ..errors import OutputError, WbgraphError
from .layout import layout_positions
from .style import MARKERS, CLASS_SHAPES, class_group, edge_style

__all__ = ["IMAGE_FORMATS", "PRESETS", "Preset", "draw_image", "network_figure"]

IMAGE_FORMATS = ("png", "svg", "pdf")
#: The most actors one picture shows (see :func:`network_figure`).
MAX_ACTORS = 500


@dataclass(frozen=True)
class Preset:
    """A printed size: figure width and drawing height in inches, label and legend size in points, and
    where the legends go (under the drawing, or to the right of ``right``, a fraction of the width)."""

    width: float
    height: float
    label_pt: float
    legend_pt: float
    legend_columns: int
    title: bool
    legend_right: bool = False
    right: float = 1.0
    wrap: int = 0


PRESETS: dict[str, Preset] = {
    "column": Preset(3.3, 3.3, 7.0, 7.0, 2, False, wrap=21),
    "two-column": Preset(6.9, 5.0, 7.5, 7.0, 4, False),
    "slide": Preset(13.333, 7.5, 12.0, 9.0, 2, True, legend_right=True, right=0.64),
}


def _check_paths(paths: list[Path]) -> None:
    for path in paths:
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in IMAGE_FORMATS:
            raise OutputError(f"cannot draw a '.{fmt}' picture", file=path, hint="name a .png, .svg or .pdf file")
        if not path.parent.is_dir():
            raise OutputError("the directory does not exist", file=path.parent,
                              hint="create it first or choose another path")


def _place_labels(ax, renderer, pos, order, names, size_pt, node_extents) -> list:
    """Label the actors in ``order`` (most important first) under their marker, skipping any label that
    would overlap one already placed or leave the drawing; returns the placed text artists."""
    placed, boxes = [], []
    frame = ax.figure.bbox  # labels may reach past the axes, never past the figure (legends are outside it)
    for node in order:
        text = ax.annotate(names[node], pos[node], xytext=(0, -node_extents[node] - 1), textcoords="offset points",
                           ha="center", va="top", fontsize=size_pt, zorder=4,
                           # a pale box rather than a stroked halo: path effects would turn SVG text into paths
                           bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.8})
        box = text.get_window_extent(renderer).expanded(1.04, 1.08)
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        if not inside or any(box.overlaps(other) for other in boxes):
            text.remove()
            continue
        boxes.append(box)
        placed.append(text)
    return placed


def _legends(fig, renderer, spec: Preset, blocks: list, note: str) -> list:
    """Legends stacked outside the drawing (under it, or to its right for a slide), each with as many
    columns as fit the space; then a one-line note. Returns the artists, for the tight bounding box."""
    to_figure = fig.transFigure.inverted()
    x, top = (spec.right + 0.01, 0.92) if spec.legend_right else (0.0, -0.01)
    room = (1.0 - x) * spec.width if spec.legend_right else spec.width
    artists = []
    for title, handles, handle_length in blocks:
        handles = [_wrapped(h, spec.wrap) for h in handles]
        for columns in range(spec.legend_columns, 0, -1):
            legend = fig.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(x, top),
                                ncols=columns, fontsize=spec.legend_pt, title_fontsize=spec.legend_pt + 0.5,
                                frameon=False, alignment="left", handlelength=handle_length, columnspacing=1.0,
                                borderaxespad=0.0, borderpad=0.0)
            box = legend.get_window_extent(renderer)
            if box.width / fig.dpi <= room or columns == 1:
                break
            legend.remove()
        artists.append(legend)
        top = box.transformed(to_figure).y0 - 0.02 * (spec.height / spec.width if spec.legend_right else 1)
    artists.append(fig.text(x, top, note, ha="left", va="top", fontsize=max(7.0, spec.legend_pt - 0.5),
                             color="#444"))
    return artists


def _wrapped(handle, width: int):
    """The legend handle with its label broken into lines of at most ``width`` characters (0: as is)."""
    import textwrap

    if width:
        handle.set_label(textwrap.fill(handle.get_label(), width))
    return handle


def _dashes(pattern: tuple[int, ...]):
    """The page's dash pattern (pixels at width 1) as a matplotlib line style (scaled by line width)."""
    return (0, tuple(v / 2.5 for v in pattern)) if pattern else "-"


def network_figure(
    graph: nx.MultiDiGraph,
    *,
    title: str = "wbgraph: Western Balkans security actors",
    labels: int = 25,
    seed: int = 42,
    size_by: str = "pagerank",
    preset: str = "two-column",
    max_actors: int = MAX_ACTORS,
):
    """The matplotlib figure of ``graph`` at the printed size of ``preset``; its ``wbgraph_labels`` are
    the actor labels placed (none overlapping another) and ``wbgraph_extra`` the legends and notes.

    Up to ``labels`` of the most central actors are labelled (Western Balkan economies and external
    powers first), as many as fit without overlapping. A network of more than ``max_actors`` actors is
    drawn as its ``max_actors`` most central ones (economies and external powers first), as the note
    under the picture says: more would not be readable on a page, and the layout's cost grows faster
    than the actors drawn.

    >>> fig = network_figure(nx.MultiDiGraph([("a", "b", "supports")]), preset="column")
    >>> float(fig.get_figwidth()), sorted(t.get_text() for t in fig.wbgraph_labels)
    (3.3, ['a', 'b'])
    >>> min(t.get_fontsize() for t in fig.wbgraph_labels)
    7.0
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from ..analysis.centrality import pagerank, simple_digraph

    if preset not in PRESETS:
        raise WbgraphError(f"unknown --preset '{preset}'", hint=f"use one of {', '.join(PRESETS)}")
    spec = PRESETS[preset]
    if graph.number_of_nodes() == 0:
        raise WbgraphError("there is nothing to draw: the network is empty after the filters")
    simple = simple_digraph(graph)
    centrality = pagerank(simple) if size_by == "pagerank" else {n: d for n, d in simple.degree()}
    top = max(centrality.values()) or 1
    total = graph.number_of_nodes()
    if total > max_actors:
        def rank(v):
            classes = set(graph.nodes[v].get("classes", ()))
            return not {"WesternBalkanEconomy", "ExternalPower"} & classes, -centrality.get(v, 0), str(v)

        graph = graph.subgraph(sorted(graph, key=rank)[:max_actors])
    pos = layout_positions(graph, {v: 8 + 22 * math.sqrt(centrality.get(v, 0) / top) for v in graph}, seed)
    pos = {v: (x, -y) for v, (x, y) in pos.items()}  # the page's y axis points down
    nodes = sorted(graph)
    groups = {node: class_group(graph.nodes[node].get("classes", ())) for node in nodes}

    matplotlib.rcParams.update({"svg.fonttype": "none", "pdf.fonttype": 42, "font.family": "DejaVu Sans"})
    fig, ax = plt.subplots(figsize=(spec.width, spec.height), dpi=300)
    fig.subplots_adjust(left=0.005, right=spec.right - 0.005, top=0.92 if spec.title else 0.995, bottom=0.005)
    ax.set_axis_off()
    scale = spec.width * spec.right / 6.9
    marker_pt = {v: (2.5 + 9 * math.sqrt(centrality.get(v, 0) / top)) * max(scale, 0.6) for v in nodes}
    for (name, colour) in sorted(set(groups.values())):
        members = [v for v in nodes if groups[v] == (name, colour)]
        ax.scatter([pos[v][0] for v in members], [pos[v][1] for v in members],
                   s=[marker_pt[v] ** 2 for v in members], c=colour, marker=MARKERS[CLASS_SHAPES.get(name, "dot")],
                   edgecolors="white", linewidths=0.4, zorder=2)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    pad_x, pad_y = 0.04 * ((max(xs) - min(xs)) or 1), 0.06 * ((max(ys) - min(ys)) or 1)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    _draw_arrows(ax, graph, pos, marker_pt, scale)
    renderer = fig.canvas.get_renderer()
    first = {v for v in nodes if {"WesternBalkanEconomy", "ExternalPower"} & set(graph.nodes[v].get("classes", ()))}
    central = set(sorted(nodes, key=lambda v: (-centrality.get(v, 0), v))[:max(labels, 0)])
    order = sorted(first | central, key=lambda v: (v not in first, -centrality.get(v, 0), v))
    names = {v: str(graph.nodes[v].get("label", v)) for v in nodes}
    fig.wbgraph_labels = _place_labels(ax, renderer, pos, order, names, spec.label_pt,
                                       {v: marker_pt[v] / 2 for v in nodes})

    present = sorted(set(groups.values()))
    class_handles = [Line2D([0], [0], marker=MARKERS[CLASS_SHAPES.get(name, "dot")], color="w", markerfacecolor=c,
                            markeredgecolor="white", markersize=spec.legend_pt, label=name) for name, c in present]
    relation_names = sorted({(graph.edges[e].get("label", e[2]), e[2]) for e in graph.edges(keys=True)})
    relation_handles = []
    for label, key in relation_names:
        _, colour, pattern = edge_style(key)
        relation_handles.append(Line2D([0], [0], color=colour, lw=1.2, linestyle=_dashes(pattern), label=label))
    shown = (f"{total} actors, {graph.number_of_edges()} relations" if graph.number_of_nodes() == total else
             f"the {graph.number_of_nodes()} most central of {total} actors, {graph.number_of_edges()} relations "
             "among them")
    note = f"{shown}; node size: {size_by}"
    extra = _legends(fig, renderer, spec, [("Actor classes", class_handles, 1.0), ("Relations", relation_handles, 3.2)],
                     note)
    if spec.title:
        extra.append(fig.suptitle(title, x=0.005, y=0.99, ha="left", va="top", fontsize=spec.label_pt + 4))
    fig.wbgraph_extra = extra
    fig.wbgraph_preset = spec
    return fig


def _draw_arrows(ax, graph: nx.MultiDiGraph, pos: dict, marker_pt: dict, scale: float) -> None:
    """One straight arrow per relation, from the rim of its source's marker to the rim of its target's.

    The ends are cut back here, once, in data units (the axes' limits are set, so the cut is the same at
    every resolution): matplotlib's own ``shrinkA``/``shrinkB`` clips each arrow's path against circles
    at every draw (a third of the picture's time, three draws per build).
    """
    import matplotlib
    from matplotlib.patches import FancyArrowPatch

    to_display = ax.transData.transform
    to_data = ax.transData.inverted().transform
    pixels_per_pt = ax.figure.dpi / 72
    for u, v, key in sorted(graph.edges(keys=True)):
        (ax_, ay), (bx, by) = to_display([pos[u], pos[v]])
        length = math.hypot(bx - ax_, by - ay)
        cut_a, cut_b = marker_pt[u] / 2 * pixels_per_pt, (marker_pt[v] / 2 + 0.5) * pixels_per_pt
        if length <= cut_a + cut_b:  # the markers touch: nothing to draw between them
            continue
        dx, dy = (bx - ax_) / length, (by - ay) / length
        start, end = to_data([(ax_ + dx * cut_a, ay + dy * cut_a), (bx - dx * cut_b, by - dy * cut_b)])
        _, colour, pattern = edge_style(key)
        ax.add_patch(FancyArrowPatch(tuple(start), tuple(end), arrowstyle="-|>,head_length=0.25,head_width=0.12",
                                     mutation_scale=matplotlib.rcParams["font.size"], color=colour, alpha=0.55,
                                     lw=0.5 * max(scale, 0.7), linestyle=_dashes(pattern), shrinkA=0, shrinkB=0,
                                     zorder=1))


def _tight_bbox(fig, pad_inches: float):
    """The figure's drawing and legends plus a margin, in inches (what ``bbox_inches="tight"`` computes)."""
    renderer = fig.canvas.get_renderer()
    with renderer._draw_disabled():
        fig.draw(renderer)
    return fig.get_tightbbox(renderer, bbox_extra_artists=fig.wbgraph_extra).padded(pad_inches)


def draw_image(graph: nx.MultiDiGraph, *paths: str | Path, preset: str = "two-column", **options) -> list[Path]:
    """Draw ``graph`` to each of ``paths`` (.png, .svg with editable text, or .pdf) at the printed size of
    ``preset`` (``column``, ``two-column``, ``slide``); ``options`` go to :func:`network_figure`.

    The figure is made once for all paths; each file is written to a temporary name and renamed, so a
    failure leaves nothing behind.

    >>> import tempfile
    >>> g = nx.MultiDiGraph([("a", "b", "supports")])
    >>> folder = tempfile.mkdtemp()
    >>> [p.suffix for p in draw_image(g, f"{folder}/n.svg", f"{folder}/n.pdf", preset="column")]
    ['.svg', '.pdf']
    """
    import io

    import matplotlib.pyplot as plt

    from ..outputs import write_atomic

    paths = [Path(p) for p in paths]
    _check_paths(paths)
    fig = network_figure(graph, preset=preset, **options)
    # A slide keeps its 16:9 page; a figure for a paper is cut to its drawing and legends. The cut is
    # measured once: matplotlib's "tight" would lay the whole figure out again for every file.
    bbox = None if fig.wbgraph_preset.legend_right else _tight_bbox(fig, pad_inches=0.02)
    written = []
    for path in paths:
        fmt = path.suffix.lower().lstrip(".")
        buffer = io.BytesIO()
        # A fixed salt for the SVG's element ids (random by default): the same network gives the same file.
        with plt.rc_context({"svg.hashsalt": "wbgraph"}):
            fig.savefig(buffer, format=fmt, bbox_inches=bbox, bbox_extra_artists=fig.wbgraph_extra,
                        metadata={"Date": None} if fmt == "svg" else ({"CreationDate": None} if fmt == "pdf" else None))
        written.append(write_atomic(path, buffer.getvalue()))
    plt.close(fig)
    return written
