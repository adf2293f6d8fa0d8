"""The interactive page: a pyvis network in one self-contained HTML file that works offline.

pyvis builds the vis-network data and options; wbgraph renders them into its own page, with the
vis-network library, the page script and styles inlined, and a Content-Security-Policy that forbids
any request leaving the file. Data travels as JSON in a ``<script type="application/json">`` block
and is shown with ``textContent``, so a label such as ``<script>`` is displayed, never run.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import networkx as nx

from ..errors import WbgraphError
from ..namespaces import shorten
from .layout import layout_positions
from .style import CLASS_GROUPS, CLASS_SHAPES, PALETTE, class_group, edge_style

__all__ = ["STATIC_ABOVE", "VizOptions", "build_network", "ego_network", "render_page", "write_page"]

#: Above this many actors the page opens on an overview: communities laid out as groups, listed in a
#: legend that zooms to each, with their biggest actors labelled first; the page draws the network itself
#: (fastdraw.js: batched, in slices, the last picture moved while panning and zooming).
STATIC_ABOVE = 1000
SIZE_MEASURES = ("degree", "betweenness", "pagerank")
COLOR_MODES = ("class", "community")


@dataclass(frozen=True)
class VizOptions:
    """How to draw: title, colouring, sizing and layout."""

    title: str = "wbgraph: Western Balkans security actors"
    color_by: str = "class"
    size_by: str = "degree"
    layout: str = "auto"
    seed: int = 42


def ego_network(graph: nx.MultiDiGraph, focus: str, depth: int = 1) -> nx.MultiDiGraph:
    """The actors within ``depth`` relations of ``focus`` (either direction) and the relations among them.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(ego_network(g, "b", 1))
    ['a', 'b', 'c']
    """
    if focus not in graph:
        raise WbgraphError(f"{shorten(focus)} has no relation in the network that passes the filters",
                           node=shorten(focus), hint="loosen --min-confidence or the dates")
    if not 1 <= depth <= 6:
        raise WbgraphError(f"--depth must be between 1 and 6, got {depth}")
    keep = set(nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), focus, cutoff=depth))
    return graph.subgraph(keep).copy()


def _sizes(graph: nx.MultiDiGraph, measure: str, measures: dict | None) -> dict[str, float]:
    if measure not in SIZE_MEASURES:
        raise WbgraphError(f"unknown --size-by '{measure}'", hint=f"use one of {', '.join(SIZE_MEASURES)}")
    if measure == "degree":
        values = dict(graph.degree())
    elif measures and all(measure in measures.get(n, {}) for n in graph):
        values = {n: measures[n][measure] for n in graph}
    else:
        from ..analysis.centrality import betweenness, pagerank, simple_digraph

        simple = simple_digraph(graph)
        values = betweenness(simple) if measure == "betweenness" else pagerank(simple)
    top = max(values.values(), default=0) or 1
    return {n: 10 + 30 * math.sqrt(values.get(n, 0) / top) for n in graph}


def _compact(record: dict) -> dict:
    """Drop empty values: the page treats a missing key as empty, and large pages stay smaller."""
    return {k: v for k, v in record.items() if v not in ("", [], {}, None)}


class _NodeIds(list):
    """pyvis's list of node ids, with constant-time ``in``: pyvis checks it on every ``add_node`` and
    twice on every ``add_edge``, and only ever appends to it."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set = set()

    def append(self, node_id) -> None:
        super().append(node_id)
        self._seen.add(node_id)

    def __contains__(self, node_id) -> bool:
        return node_id in self._seen


def parallel_curves(edges: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], dict | bool]:
    """The vis-network ``smooth`` option of each edge, so that parallel relations are drawn apart.

    Relations between the same two actors (either direction) are fanned out: an odd count keeps one
    straight in the middle, the others bend alternately to either side, each pair further out. The
    side is fixed in the pair's sorted order, so a relation and its reverse never share a curve.

    >>> curves = parallel_curves([("a", "b", "p"), ("a", "b", "q"), ("b", "a", "r"), ("a", "c", "p")])
    >>> curves[("a", "c", "p")], curves[("a", "b", "p")], curves[("a", "b", "q")]
    (False, False, {'enabled': True, 'type': 'curvedCW', 'roundness': 0.25})
    >>> curves[("b", "a", "r")]  # clockwise from b to a: the other side of a to b
    {'enabled': True, 'type': 'curvedCW', 'roundness': 0.25}
    """
    bundles: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for edge in sorted(edges):
        bundles.setdefault(tuple(sorted(edge[:2])), []).append(edge)
    out: dict[tuple[str, str, str], dict | bool] = {}
    for (first, _), bundle in bundles.items():
        offset = len(bundle) % 2
        for i, edge in enumerate(bundle):
            if offset and i == 0:
                out[edge] = False
                continue
            rank = i - offset
            clockwise = (rank % 2 == 0) == (edge[0] == first)
            out[edge] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                         "roundness": round(0.25 * (rank // 2 + 1), 2)}
    return out


def build_network(graph: nx.MultiDiGraph, options: VizOptions | None = None, *, measures: dict | None = None):
    """A pyvis Network of the projected graph, with everything the page needs on its nodes and edges.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("urn:a", label="A <b>", classes=["Actor", "ExternalPower"], kind="ExternalPower")
    >>> g.add_node("urn:b", label="B", classes=["Actor", "WesternBalkanEconomy"], kind="WesternBalkanEconomy")
    >>> _ = g.add_edge("urn:a", "urn:b", key="targets", predicate="targets", label="targets",
    ...                confidence="stated", weight=1.0, claims=[])
    >>> net = build_network(g)
    >>> [n["label"] for n in net.nodes], net.edges[0]["predicate"]
    (['A <b>', 'B'], 'targets')
    """
    from pyvis.network import Network

    options = options or VizOptions()
    if options.color_by not in COLOR_MODES:
        raise WbgraphError(f"unknown --color-by '{options.color_by}'", hint="use class or community")
    if options.layout not in ("auto", "physics", "static"):
        raise WbgraphError(f"unknown --layout '{options.layout}'", hint="use physics or static")
    static = options.layout in ("static", "auto")
    sizes = _sizes(graph, options.size_by, measures)
    positions = layout_positions(graph, sizes, options.seed) if static else {}
    communities = {}
    if options.color_by == "community" or measures or graph.number_of_nodes() > STATIC_ABOVE:
        if measures and all("community" in measures.get(n, {}) for n in graph):
            communities = {n: measures[n]["community"] for n in graph}
        else:
            from ..analysis.communities import detect_communities

            communities = detect_communities(graph, seed=options.seed)["membership"]
    net = Network(directed=True, height="100%", width="100%", cdn_resources="remote")
    net.node_ids = _NodeIds()  # pyvis looks ids up in a list: quadratic, 24 of 36 s for 16,000 actors
    for node, data in sorted(graph.nodes(data=True)):
        group, colour = class_group(data.get("classes", ()))
        community = communities.get(node)
        if options.color_by == "community" and community is not None:
            colour = PALETTE[community % len(PALETTE)]
        extra = {"x": positions[node][0], "y": positions[node][1], "physics": False} if static else {}
        attrs = dict(
            label=data.get("label", shorten(node)),
            color=colour,
            size=round(sizes[node], 2),
            shape=CLASS_SHAPES.get(group, "dot"),
            iri=node,
            short=shorten(node),
            kind=data.get("kind", ""),
            group_name=group,
            classes=[c for c in data.get("classes", []) if c != "Actor"],
            description=data.get("description", ""),
            alt_labels=data.get("alt_labels", []),
            threats=data.get("threats", []),
            community=community,
            measures={k: round(v, 6) for k, v in (measures or {}).get(node, {}).items() if k != "community"},
            **extra,
        )
        net.add_node(node, **_compact(attrs))
    large = graph.number_of_nodes() > STATIC_ABOVE
    curves = parallel_curves([(u, v, k) for u, v, k in graph.edges(keys=True)]) if not large else {}
    for index, (u, v, key, data) in enumerate(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])):
        group, colour, pattern = edge_style(key)
        claims = data.get("claims", [])
        attrs = dict(
            id=f"e{index}",
            label=data.get("label", key),
            predicate=key,
            predicate_group=group,
            color=colour,
            # Above STATIC_ABOVE actors, plain lines: dashes and arrowheads cost a redraw 4 times as long.
            dashes=list(pattern) if pattern and not large else False,
            width=1 + 2 * data.get("weight", 1.0) if not large else 0.5 + data.get("weight", 1.0),
            arrows="to" if not large else "",
            smooth=curves[(u, v, key)] if not large else False,
            pattern=list(pattern),
            mechanisms=data.get("mechanisms", []),
            sectors=data.get("sectors", []),
            threats=data.get("threats", []),
            disarm=[_technique_title(t) for t in data.get("disarm", [])],
            confidence=data.get("confidence", ""),
            valid_from=data.get("valid_from", ""),
            valid_until=data.get("valid_until", ""),
            first_reported=data.get("first_reported", ""),
            claims=[_compact({k: c.get(k, "") for k in ("claim", "source", "source_label", "lines", "confidence",
                                                          "reliability", "credibility", "valid_from", "valid_until",
                                                          "reported_on", "comment", "excerpt", "reported")})
                    for c in claims],
        )
        net.add_edge(u, v, **_compact(attrs))
    net.toggle_physics(not static)
    net.static = static
    return net


def _technique_title(ident: str) -> str:
    from ..disarm import disarm_techniques

    found = disarm_techniques().get(ident)
    return found.title if found else ident


def _community_legend(nodes: list[dict]) -> list[dict]:
    """Each community with its colour, size and its three biggest actors, largest first."""
    members: dict[int, list[dict]] = {}
    for node in nodes:
        if node.get("community") is not None:
            members.setdefault(node["community"], []).append(node)
    legend = []
    for community, group in members.items():
        biggest = sorted(group, key=lambda n: (-n.get("size", 0), n["label"]))[:3]
        legend.append({"id": community, "colour": PALETTE[community % len(PALETTE)], "count": len(group),
                       "names": [n["label"] for n in biggest]})
    return sorted(legend, key=lambda c: (-c["count"], c["id"]))


def _json_for_script(data) -> str:
    """JSON that can sit inside a <script> element: no '<', '>', '&' or line separators left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _asset(name: str) -> str:
    return files("wbgraph.viz").joinpath(name).read_text(encoding="utf-8")


def _vis_library() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
    return ((lib / "vis-network.min.js").read_text(encoding="utf-8"),
            (lib / "vis-network.css").read_text(encoding="utf-8"))


def render_page(net, options: VizOptions | None = None, *, subtitle: str = "", focus: str = "") -> str:
    """The whole page as one string: pyvis data and options, vis-network, styles and script inlined.

    ``focus`` is the IRI of the actor a neighbourhood is drawn around: the page marks it and names it
    in the title.
    """
    options = options or VizOptions()
    nodes, edges, _heading, _height, _width, vis_options = net.get_network_data()
    if isinstance(vis_options, str):
        vis_options = json.loads(vis_options)
    vis_options.setdefault("interaction", {}).update({"hover": True, "tooltipDelay": 150})
    vis_options["edges"] = {**vis_options.get("edges", {}), "smooth": False, "font": {"size": 0}}
    # Labels are drawn by labels.js (fixed size on screen, halo, no overlaps), not by vis-network.
    vis_options["nodes"] = {**vis_options.get("nodes", {}), "font": {"size": 0}}
    large = len(nodes) > STATIC_ABOVE
    if large:  # drawing 30,000 edges on every frame of a drag or zoom is what makes large pages stutter;
        # no hover effects and no selection by vis-network either (each costs a whole redraw): the page
        # marks the selected actor itself and fades the rest after the panel has painted.
        vis_options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True, "hover": False,
                                           "selectable": False})
    if getattr(net, "static", False):
        vis_options["physics"] = {"enabled": False}
        vis_options["layout"] = {"improvedLayout": False}
    else:
        vis_options["physics"] = {"enabled": True, "solver": "forceAtlas2Based",
                                  "stabilization": {"iterations": 200}}
    payload = {
        "title": options.title,
        "subtitle": subtitle,
        "nodes": nodes,
        "edges": edges,
        "options": vis_options,
        "static": bool(getattr(net, "static", False)),
        "legend": {
            "classes": [{"name": name, "colour": colour, "shape": CLASS_SHAPES.get(name, "dot")}
                        for name, _, colour in CLASS_GROUPS],
            "edges": [list(item) for item in sorted({(e["label"], e["color"], tuple(e.get("pattern", ())))
                                                     for e in edges})],
            "communities": _community_legend(nodes),
        },
        "colorBy": options.color_by,
        "focus": focus,
        "large": large,
    }
    vis_js, vis_css = _vis_library()
    values = {
        "title": html.escape(options.title),
        "vis_css": vis_css,
        "page_css": _asset("page.css"),
        "vis_js": vis_js.replace("</script", "<\\/script"),
        "page_js": "\n".join(_asset(name) for name in ("labels.js", "legend.js", "fastdraw.js", "page.js")),
        "data": _json_for_script(payload),
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], _asset("page.html"))


def write_page(net, path: str | Path, options: VizOptions | None = None, *, subtitle: str = "",
               focus: str = "") -> Path:
    """Render the page and write it atomically."""
    from ..outputs import write_atomic

    return write_atomic(path, render_page(net, options, subtitle=subtitle, focus=focus))
