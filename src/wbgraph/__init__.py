"""wbgraph: a sourced knowledge graph of Western Balkans security.

The public API is short on purpose; everything here is documented in README.md.
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError, version as _version

from .errors import WbgraphError
from .models import Actor, Claim, Event, Indicator, Recommendation, Source
from .store import GraphStore, load_graph, open_store
from .validate import Issue, Report, validate

try:
    __version__ = _version("wbgraph")
except _PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0.0.0"

__all__ = [
    "Actor",
    "Claim",
    "Event",
    "GraphStore",
    "Indicator",
    "Issue",
    "Recommendation",
    "Report",
    "Source",
    "WbgraphError",
    "__version__",
    "load_graph",
    "open_store",
    "validate",
]
