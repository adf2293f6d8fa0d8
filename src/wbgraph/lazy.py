"""Names whose module is imported on first use, so that ``wbgraph --help`` and ``--version`` start fast.

The command line needs every command's library function by name, but any one command uses few of them;
importing all of them (networkx, rdflib, pydantic, matplotlib...) up front cost more than the command
itself for the quick ones.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["lazy"]


class _Lazy:
    """Stands for ``module.name`` and imports it when first called or looked into."""

    __slots__ = ("_module", "_name", "_target")

    def __init__(self, module: str, name: str) -> None:
        self._module, self._name, self._target = module, name, None

    def resolve(self) -> Any:
        """The object itself (imported now if it was not yet)."""
        if self._target is None:
            self._target = getattr(importlib.import_module(self._module), self._name)
        return self._target

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.resolve(), attr)

    def __repr__(self) -> str:
        return f"<lazy {self._module}.{self._name}>"


def lazy(module: str, name: str) -> Any:
    """A stand-in for ``from module import name`` that imports ``module`` only when first used.

    >>> dumps = lazy("json", "dumps")
    >>> dumps
    <lazy json.dumps>
    >>> dumps([1])
    '[1]'
    """
    return _Lazy(module, name)
