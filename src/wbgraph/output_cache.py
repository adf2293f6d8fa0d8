"""The files a build step wrote, remembered so that a build of unchanged data copies them instead of
computing them again.

A step's files are remembered under a key made of everything they are computed from: the validation
key of the input files (package version, ontology, shapes and the content of every file, see
:mod:`wbgraph.validation_cache`), the content of the package's own code and templates, the versions of
the libraries that draw and serialise, the step's name and the output settings (``--raw-csv``). Any
change gives another key, and the step runs again. Each remembered file is checked against its SHA-256
before it is used; a cache entry that is incomplete or altered is ignored.

Entries live in ``builds/`` inside the validation cache folder (``$WBGRAPH_CACHE``; ``off`` turns
both off). Only the :data:`KEEP` most recently used entries are kept, and a step whose files pass
:data:`MAX_BYTES` is not remembered (copying and hashing them would cost about as much as a large
build saves, and the cache would hold a second copy of every large export).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from .validation_cache import cache_dir

__all__ = ["KEEP", "MAX_BYTES", "code_digest", "remembered", "restore", "save", "step_key"]

#: How many remembered step outputs are kept (a build of the curated graph makes four).
KEEP = 16
#: The most bytes one step's files may take to be remembered.
MAX_BYTES = 256 * 1024 * 1024
#: Libraries whose version can change the bytes a step writes.
_LIBRARIES = ("igraph", "matplotlib", "networkx", "numpy", "pycountry", "pydantic", "pyoxigraph", "pyvis", "rdflib",
              "rustworkx", "scipy")
_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the package's code, templates and query library, and of the libraries' versions.

    >>> len(code_digest())
    64
    """
    from importlib.metadata import PackageNotFoundError, version

    from .resources import queries_dir

    sha = hashlib.sha256()
    for folder in (_PACKAGE, queries_dir()):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            sha.update(f"{name} {version(name)}\n".encode())
        except PackageNotFoundError:
            sha.update(f"{name} -\n".encode())
    return sha.hexdigest()


def step_key(data_key: str, step: str, settings: str = "") -> str:
    """The key of one step's files for the data under ``data_key`` (a validation key).

    >>> step_key("0" * 64, "write pictures") == step_key("0" * 64, "write exports")
    False
    """
    sha = hashlib.sha256(f"{data_key}\n{code_digest()}\n{step}\n{settings}".encode())
    return sha.hexdigest()


def _folder(key: str) -> Path | None:
    base = cache_dir()
    return None if base is None else base / "builds" / key


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def remembered(key: str) -> bool:
    """Whether files were remembered under ``key`` (:func:`restore` still checks them)."""
    folder = _folder(key)
    return folder is not None and (folder / "manifest.json").is_file()


def restore(key: str, stage: Path) -> list[str] | None:
    """Copy the files remembered under ``key`` into ``stage`` and return their names, or None (and copy
    nothing that stays) when there is no complete, unaltered entry."""
    folder = _folder(key)
    if folder is None:
        return None
    copied: list[Path] = []
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        files = manifest["files"]
        if any(_sha256(folder / name) != digest for name, digest in files.items()):
            return None
        for name in files:
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / name, target)
            copied.append(target)
        os.utime(folder)  # most recently used: kept longest
        return list(manifest["names"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        for target in copied:
            target.unlink(missing_ok=True)
        return None


def save(key: str, stage: Path, names: list[str]) -> None:
    """Remember the files ``names`` (relative to ``stage``) under ``key``. A cache that cannot be
    written is not used; the build goes on."""
    folder = _folder(key)
    if folder is None:
        return
    try:
        if sum((stage / name).stat().st_size for name in names) > MAX_BYTES:
            return
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
        try:
            files = {}
            for name in names:
                target = temporary / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(stage / name, target)
                files[name] = _sha256(target)
            (temporary / "manifest.json").write_text(json.dumps({"names": names, "files": files}), encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(temporary, folder)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
        _prune(folder.parent)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is not used, the build goes on
        return


def _prune(builds: Path) -> None:
    now = time.time()
    entries = []
    for path in builds.iterdir():
        if path.name.startswith(".new-"):
            if now - path.stat().st_mtime > 3600:  # left by a process that was killed while saving
                shutil.rmtree(path, ignore_errors=True)
        elif path.is_dir():
            entries.append(path)
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
