"""wbgraph: a sourced knowledge graph of Western Balkans security.

The public API is short on purpose; everything here is documented in README.md. Names are imported
on first use, so that ``import wbgraph`` (and the command line's start-up) stays fast.
"""

import sys as _sys
from importlib import import_module as _import_module
from types import ModuleType as _ModuleType

from ._version import __version__
from .errors import WbgraphError

_HOMES = {
    "Actor": "models",
    "Claim": "models",
    "Event": "models",
    "GraphStore": "store",
    "Indicator": "models",
    "Issue": "validate",
    "Recommendation": "models",
    "Report": "validate",
    "Source": "models",
    "load_graph": "store",
    "open_store": "store",
}


def __getattr__(name: str):
    if name in _HOMES:
        value = getattr(_import_module(f".{_HOMES[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'wbgraph' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(_ModuleType):
    """``wbgraph.validate`` is the function, also after the module of the same name was imported
    (importing a submodule sets the package attribute of its name)."""

    @property
    def validate(self):
        from .validate import validate

        return validate

    @validate.setter
    def validate(self, value) -> None:
        pass


_sys.modules[__name__].__class__ = _Package


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
