"""Which files validated before, so that a command does not check again what has not changed.

A validation is remembered under a key made of the package version, the content of the ontology and
the shapes, and the path and content of every file checked, in order; any change gives another key,
so the files are checked again. Each file adds to the key of the files before it, so a run with the
curated graph and an overlay finds the curated graph's earlier result and checks only the overlay.

The results live in ``$WBGRAPH_CACHE`` (``off`` turns the cache off), else ``$XDG_CACHE_HOME/wbgraph``
or ``~/.cache/wbgraph``. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from ._version import __version__
from .resources import ontology_files, shapes_file

__all__ = ["cache_dir", "prefix_keys", "recall", "remember"]

_CHUNK = 1 << 20


def cache_dir() -> Path | None:
    """The folder of remembered validations, or None when the cache is turned off.

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"WBGRAPH_CACHE": "off"}):
    ...     cache_dir() is None
    True
    """
    chosen = os.environ.get("WBGRAPH_CACHE")
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wbgraph"


def _digest(path: Path) -> bytes:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
    return sha.digest()


def prefix_keys(files: Sequence[Path]) -> list[str]:
    """``keys[k]`` names the validation of the first ``k`` files (``keys[0]``: the ontology alone).

    >>> keys = prefix_keys([])
    >>> len(keys), len(keys[0])
    (1, 64)
    """
    sha = hashlib.sha256(f"wbgraph {__version__}\n".encode())
    for path in [*ontology_files(), shapes_file()]:
        sha.update(path.name.encode() + b"\0" + _digest(path))
    keys = [sha.hexdigest()]
    for path in files:
        sha = hashlib.sha256(keys[-1].encode())
        sha.update(str(Path(path).resolve()).encode() + b"\0" + _digest(Path(path)))
        keys.append(sha.hexdigest())
    return keys


def recall(key: str) -> list[dict] | None:
    """The issues (warnings) of an earlier validation without errors under ``key``, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))["issues"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(key: str, issues: list[dict]) -> None:
    """Record that the files under ``key`` validated without errors, with these warnings."""
    from .outputs import write_atomic

    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{key}.json", json.dumps({"version": __version__, "issues": issues}))
    except Exception:  # noqa: BLE001 - a cache that cannot be written is not used, the run goes on
        return
