"""``wbgraph serve``: the graph on the web, offline and read-only.

A SPARQL 1.1 Protocol endpoint (``/sparql``), a page for every entity (``/id/<slug>``, also as Turtle or
JSON-LD), source pages with line ranges, a path finder, the query library with CSV downloads, the
interactive network, and a JSON API described at ``/openapi.json``. Nothing is loaded from elsewhere.
"""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
