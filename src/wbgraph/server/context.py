"""What every route of the server shares: the store, the query runner, the templates and the caches."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from collections import OrderedDict
from importlib.resources import files
from pathlib import Path

import jinja2
import networkx as nx
from starlette.responses import HTMLResponse

from ..namespaces import shorten
from ..network import NetworkOptions, project_network
from ..store import GraphStore
from ..viz import InteractivePage, VizOptions, build_network, ego_network
from .entities import entity_url, readable_kind, source_url
from .runner import QueryRunner
from .workers import Admission, WorkerPool

__all__ = ["PAGE_CSP", "ServerContext", "vis_csp"]

#: The policy of the server's own pages: scripts and styles only as files from this server.
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def vis_csp(page: str) -> str:
    """The policy of an interactive network page: only its own inline scripts (by hash) may run, nothing
    may be fetched, and the page runs sandboxed (an opaque origin, no access to the server's pages)."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in _INLINE_SCRIPT.findall(page))
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; font-src data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-scripts")


class ServerContext:
    """The store and everything derived from it that the routes share (caches are filled on first use)."""

    def __init__(self, store: GraphStore, *, query_timeout: float, row_limit: int,
                 sources: str | Path | None = None, workers: int = 2, max_queries: int = 8,
                 queries_per_client: int = 4, workers_per_client: int | None = None) -> None:
        self.store = store
        self.runner = QueryRunner(store, timeout=query_timeout, row_limit=row_limit)
        #: /sparql queries run in killable worker processes on the embedded store (threads elsewhere)
        self.pool = (WorkerPool(store, size=workers, timeout=query_timeout, row_limit=row_limit,
                                per_client=workers_per_client)
                     if store.oxigraph is not None and workers > 0 else None)
        self.admission = Admission(total=max_queries, per_client=queries_per_client)
        self.row_limit = row_limit
        self.sources = Path(sources) if sources else None
        self._lock = threading.Lock()
        self._networks: dict[tuple[str, bool], nx.MultiDiGraph] = {}
        self._pages: OrderedDict[tuple, tuple[str, str]] = OrderedDict()
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(files("wbgraph.server").joinpath("templates"))),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.templates.globals.update(entity_url=entity_url, source_url=source_url, shorten=shorten)
        self.templates.filters["readable"] = readable_kind

    def render(self, name: str, status_code: int = 200, **values) -> HTMLResponse:
        """A template rendered into an HTML response."""
        return HTMLResponse(self.templates.get_template(name).render(**values), status_code=status_code)

    def network(self, min_confidence: str = "implied", *, concepts: bool = False) -> nx.MultiDiGraph:
        """The projected actor network at one confidence level (computed once); with ``concepts``, the
        threats, agreements and events that claims name are nodes too (the network paths run in)."""
        key = (min_confidence, concepts)
        with self._lock:
            cached = self._networks.get(key)
        if cached is None:
            cached = project_network(self.store, NetworkOptions(min_confidence=min_confidence, concepts=concepts))
            with self._lock:
                self._networks[key] = cached
        return cached

    def network_page(self, focus: str | None = None, depth: int = 1, min_confidence: str = "implied") -> tuple[str, str]:
        """The interactive page (HTML and its Content-Security-Policy) for the network or a neighbourhood."""
        key = (focus, depth, min_confidence)
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
        graph = self.network(min_confidence)
        subtitle = ""
        if focus is not None:
            graph = ego_network(graph, focus, depth)
            subtitle = f"within {depth} relation(s) of {graph.nodes[focus]['label']}"
        stats = f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} relations"
        options = VizOptions()
        page = InteractivePage(build_network(graph, options), graph, options,
                               subtitle=f"{subtitle} ({stats})" if subtitle else stats).html
        value = (page, vis_csp(page))
        with self._lock:
            self._pages[key] = value
            while len(self._pages) > 32:
                self._pages.popitem(last=False)
        return value

    def source_lines(self, file_name: str) -> list[str] | None:
        """The lines of a source document, when the server was given the folder of documents."""
        if not self.sources or not file_name or "/" in file_name or "\\" in file_name:
            return None
        path = self.sources / file_name
        try:
            return path.read_text(encoding="utf-8", errors="replace").split("\n")
        except OSError:
            return None
