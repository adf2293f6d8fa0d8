"""Pictures of the network: the offline interactive page (pyvis) and static images (matplotlib)."""

from __future__ import annotations

import html as _html
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ..errors import WbgraphError
from ..network import NetworkOptions, project_network
from ..store import GraphStore
from .html import STATIC_ABOVE, VizOptions, build_network, ego_network, render_page, write_page

__all__ = ["InteractivePage", "STATIC_ABOVE", "VizOptions", "build_network", "ego_network", "interactive",
           "query_subgraph", "render_page", "write_page"]


@dataclass
class InteractivePage:
    """A built page: the pyvis Network, the projected graph and the HTML; shows itself in Jupyter."""

    network: object
    graph: nx.MultiDiGraph
    options: VizOptions
    subtitle: str = ""
    focus: str = ""

    @property
    def html(self) -> str:
        """The self-contained page."""
        return render_page(self.network, self.options, subtitle=self.subtitle, focus=self.focus)

    def save(self, path: str | Path) -> Path:
        """Write the page atomically to ``path``."""
        return write_page(self.network, path, self.options, subtitle=self.subtitle, focus=self.focus)

    def _repr_html_(self) -> str:
        # An iframe with the page inline: nothing is written next to the notebook.
        return (f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" style="width:100%;height:640px;'
                'border:1px solid #ddd" sandbox="allow-scripts"></iframe>')


def query_subgraph(store: GraphStore, graph: nx.MultiDiGraph, query, params: dict | None = None) -> nx.MultiDiGraph:
    """The actors that a query's results name, and the relations among them."""
    from ..queries import run_query

    result = run_query(store, query, params or {})
    if result.kind == "CONSTRUCT":
        names = {str(t) for triple in result.graph for t in (triple[0], triple[2])}
    elif result.kind == "SELECT":
        names = {str(t) for row in result.rows for t in row if t is not None}
    else:
        names = set()
    keep = [n for n in graph if n in names]
    if not keep:
        raise WbgraphError("the query returned no actor of the network to draw",
                           hint="draw a query whose results name actors (IRIs)")
    return graph.subgraph(keep).copy()


def interactive(
    store: GraphStore,
    *,
    focus: str | None = None,
    depth: int = 1,
    query=None,
    query_params: dict | None = None,
    network_options: NetworkOptions | None = None,
    options: VizOptions | None = None,
    measures: dict | None = None,
    graph: nx.MultiDiGraph | None = None,
    sources: str | Path | None = None,
) -> InteractivePage:
    """Build the interactive page for the whole network, an actor's neighbourhood or a query's result.

    ``graph`` is a network the caller has projected already (``network_options`` then do not apply).
    ``sources`` is the folder of source documents: the edge panel then shows the cited lines.

    >>> from wbgraph.store import load_graph
    >>> page = interactive(load_graph(), focus="https://w3id.org/wbgraph/id/kosovo")
    >>> page.html.startswith("<!DOCTYPE html>") and "cdn" not in page.html.split("<script>")[0]
    True
    """
    options = options or VizOptions()
    if graph is None:
        graph = project_network(store, network_options or NetworkOptions())
    subtitle = ""
    if focus is not None:
        graph = ego_network(graph, str(focus), depth)
        subtitle = f"within {depth} relation(s) of {graph.nodes[str(focus)]['label']}"
    if query is not None:
        graph = query_subgraph(store, graph, query, query_params)
        subtitle = f"actors named by the query {getattr(query, 'name', query)}"
    if graph.number_of_nodes() == 0:
        raise WbgraphError("there is nothing to draw: the network is empty after the filters",
                           hint="loosen --min-confidence or the dates, or load some data")
    from .excerpts import attach_excerpts, attach_reported_dates

    attach_reported_dates(graph, store)
    if sources is not None:
        attach_excerpts(graph, store, sources)
    net = build_network(graph, options, measures=measures)
    stats = f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} relations"
    return InteractivePage(net, graph, options, subtitle=f"{subtitle} ({stats})" if subtitle else stats,
                           focus=str(focus) if focus is not None else "")
