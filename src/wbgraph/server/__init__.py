"""``wbgraph serve``: the graph on the web, offline and read-only.

A SPARQL 1.1 Protocol endpoint (``/sparql``), a page for every entity (``/id/<slug>``, also as Turtle or
JSON-LD), source pages with line ranges, a path finder, the query library with CSV downloads, the
interactive network, and a JSON API described at ``/openapi.json``. Nothing is loaded from elsewhere.
"""

__all__ = ["create_app", "serve"]


def __getattr__(name: str):
    """``create_app`` and ``serve`` are imported on first use, so that the parts the command line reads
    without serving (entity search, for one) do not load the web framework."""
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
