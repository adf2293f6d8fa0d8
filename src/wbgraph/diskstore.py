"""Keeping an on-disk store consistent with its files, whatever happened to the last run.

Beside Oxigraph's own files, the store folder holds ``wbgraph-files.json``: every loaded file with its
size, modification time and SHA-256, and whether the derived edges are up to date ("state"). A run
that changes the store first marks it ``dirty`` and marks it ``clean`` only once the edges are derived
again, so a run killed half-way (or stopped by a bad file) is repaired by the next one. A file that
changed since it was loaded is loaded again; a file that no longer exists is removed from the store
(with a warning); a file graph without a record (a load that was cut short) is dropped and reloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox

from .namespaces import DERIVED_GRAPH

__all__ = ["MANIFEST", "FileRecord", "Manifest", "StoreChangeWarning", "file_record", "sync_disk_store", "wanted_graph"]

MANIFEST = "wbgraph-files.json"
_TEMP_PREFIX = ".wbgraph-files-"


@dataclass(frozen=True)
class FileRecord:
    """What a loaded file was: its size, modification time (ns) and SHA-256."""

    size: int
    mtime_ns: int
    sha256: str


def file_record(path: Path) -> FileRecord:
    """The record of a file as it is now.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.ttl"
    >>> _ = f.write_text("")
    >>> file_record(f).sha256[:12]
    'e3b0c44298fc'
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    stat = path.stat()
    return FileRecord(stat.st_size, stat.st_mtime_ns, digest.hexdigest())


class Manifest:
    """The record of an on-disk store's files (``graph IRI -> FileRecord``) and its state."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self.files: dict[str, FileRecord] = {}
        self.state = "missing"
        self.touched = False  # a record whose file was touched but not changed was brought up to date
        for orphan in folder.glob(_TEMP_PREFIX + "*"):  # left behind by a run killed while writing
            orphan.unlink(missing_ok=True)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.files = {graph: FileRecord(**record) for graph, record in data["files"].items()}
            self.state = data["state"]
        except (OSError, ValueError, KeyError, TypeError):
            self.files, self.state = {}, "missing"

    def save(self, state: str) -> None:
        """Write the manifest atomically (a temporary file, flushed to disk, then renamed)."""
        self.state = state
        data = {"state": state, "files": {g: vars(r) for g, r in sorted(self.files.items())}}
        handle, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=self.path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, self.path)

    def unchanged(self, graph: str, path: Path) -> bool:
        """Whether ``path`` is what was loaded into ``graph`` (size and time first; the hash if they differ)."""
        record = self.files.get(graph)
        if record is None or not path.is_file():
            return False
        stat = path.stat()
        if (stat.st_size, stat.st_mtime_ns) == (record.size, record.mtime_ns):
            return True
        if stat.st_size != record.size:
            return False
        now = file_record(path)
        if now.sha256 != record.sha256:
            return False
        self.files[graph] = now  # touched, not changed: remember the new time, so the hash is not read again
        self.touched = True
        return True


class StoreChangeWarning(UserWarning):
    """A file recorded in an on-disk store no longer exists, so its triples were removed from the store."""


def file_graphs(store: ox.Store) -> set[str]:
    """The ``file:`` graph names of an Oxigraph store (its own list: no scan of the quads)."""
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith("file:")}


def _path_of(graph: str) -> Path:
    return Path(unquote(urlparse(graph).path))


def sync_disk_store(store, files: list[Path], *, reuse: bool = True, progress=None) -> None:
    """Bring the on-disk ``store`` (a :class:`~wbgraph.store.GraphStore`) in line with ``files`` and its
    own record, then derive the edges if anything changed. See the module's docstring for the rules.

    Files named in ``files`` must exist. Files loaded by an earlier run and not named now stay in the
    store while they are unchanged; a changed one is loaded again; a missing one is removed and
    reported with a :class:`StoreChangeWarning`.
    """
    from .store import rdf_format  # store calls this module lazily; no import cycle at load time

    engine: ox.Store = store.oxigraph
    manifest = Manifest(store.path)
    present = file_graphs(engine)
    wanted = {wanted_graph(f): Path(f) for f in files}
    for file in wanted.values():  # the usual clear errors, before anything changes
        if not file.is_file():
            store.load(file)
        rdf_format(file)
    keep, to_load, to_drop = [], [], set()
    for graph, file in wanted.items():
        if reuse and graph in present and manifest.unchanged(graph, file):
            keep.append(file)
        else:
            to_load.append(file)
            if graph in present:
                to_drop.add(graph)
    gone = []
    for graph in sorted(present - set(wanted)):
        file = _path_of(graph)
        if manifest.unchanged(graph, file):
            keep.append(file)
        elif file.is_file():
            to_load.append(file)
            to_drop.add(graph)
        else:
            gone.append(graph)
            to_drop.add(graph)
    has_edges = any(True for _ in engine.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH)))
    store.files.extend(keep)
    if manifest.state == "clean" and not to_load and not to_drop and has_edges:
        if manifest.touched:
            manifest.save("clean")
        return
    manifest.save("dirty")
    try:
        for graph in sorted(to_drop):
            engine.remove_graph(ox.NamedNode(graph))
            manifest.files.pop(graph, None)
        for graph in gone:
            warnings.warn(f"{_path_of(graph)} no longer exists: its triples were removed from the store at "
                          f"{store.path}", StoreChangeWarning, stacklevel=2)
        manifest.files = {g: r for g, r in manifest.files.items() if g in present}
        for file in to_load:
            record = file_record(file)
            if progress is None:
                store.load(file)
            else:
                with progress(Path(file)) as report:
                    store.load(file, progress=report)
            manifest.files[wanted_graph(file)] = record
            manifest.save("dirty")
    finally:
        store.derive_edges()
        engine.flush()
        manifest.save("clean")


def wanted_graph(path: Path) -> str:
    """The name of the graph a file is loaded into.

    >>> wanted_graph(Path("/data/a b.ttl"))
    'file:///data/a%20b.ttl'
    """
    return Path(path).resolve().as_uri()
