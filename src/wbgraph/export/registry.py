"""Export formats looked up by name, and :func:`export`, which writes one of them to disk.

A format's writer turns its input into file contents: the whole RDF dataset (``store.to_graph()``) for
``ttl``, ``nt`` and ``jsonld``, the projected network for the rest. The module that holds a writer is
imported only when that format is written. Outputs are checked before any work is done and written
through :func:`wbgraph.outputs.write_atomic`, so a failure leaves no half-written file behind.
"""

from __future__ import annotations

import difflib
import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError, WbgraphError
from ..outputs import write_atomic

if TYPE_CHECKING:
    import networkx as nx

    from ..store import GraphStore

__all__ = ["EXPORT_FORMATS", "ExportFormat", "export", "export_paths", "find_format", "guess_format"]

#: The file name used when the output path is an existing folder.
DEFAULT_STEM = "wbgraph"

_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "cyjs": "cytoscape"}
#: Extensions that name a format other than by its own suffix.
_SUFFIX_ALIASES = {".json": "stix"}


def _lazy(module: str, function: str) -> Callable:
    """A writer that imports ``module`` (relative to this package) the first time it runs."""

    def writer(*args, **kwargs):
        return getattr(importlib.import_module(module, __package__), function)(*args, **kwargs)

    writer.__name__ = writer.__qualname__ = function
    writer.__doc__ = f"Lazily imported ``{module.lstrip('.')}.{function}``."
    return writer


@dataclass(frozen=True)
class ExportFormat:
    """One export format.

    ``writer`` returns the file's text or bytes, or ``{part: contents}`` for a format written as several
    files (``<stem>-<part><suffix>``). ``input`` says what it is given: ``"rdf"`` (an rdflib Graph of the
    whole dataset), ``"network"`` (the projected MultiDiGraph and the node measures) or ``"store"`` (the
    store itself, with the filters given to :func:`export` as keyword arguments).
    """

    name: str
    description: str
    suffix: str
    writer: Callable
    input: str = "network"
    parts: tuple[str, ...] = ()


EXPORT_FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("ttl", "Turtle: the whole dataset (ontology, data, derived edges), stable and prefixed",
                     ".ttl", _lazy(".rdf", "turtle_text"), input="rdf"),
        ExportFormat("nt", "N-Triples: the whole dataset, one sorted triple per line", ".nt",
                     _lazy(".rdf", "ntriples_text"), input="rdf"),
        ExportFormat("jsonld", "JSON-LD: the whole dataset with an @context of the project's prefixes",
                     ".jsonld", _lazy(".rdf", "jsonld_text"), input="rdf"),
        ExportFormat("gexf", "GEXF for Gephi: the network with measures and a timeline from claim dates",
                     ".gexf", _lazy(".network_formats", "gexf_bytes")),
        ExportFormat("graphml", "GraphML (yEd, Gephi, Cytoscape, igraph): the network with measures",
                     ".graphml", _lazy(".network_formats", "graphml_bytes")),
        ExportFormat("csv", "CSV: <stem>-nodes.csv (nodes, measures), <stem>-edges.csv (one row per claim behind "
                     "an edge) and <stem>-claims.csv (every claim in the columns `wbgraph ingest` reads; with a "
                     "filter or --focus, the claims behind the edges written)",
                     ".csv", _lazy(".network_formats", "csv_tables"), parts=("nodes", "edges", "claims")),
        ExportFormat("cytoscape", "Cytoscape.js JSON (.cyjs): nodes and edges with measures and sources",
                     ".cyjs", _lazy(".network_formats", "cytoscape_json")),
        ExportFormat("stix", "STIX 2.1 bundle (OpenCTI, MISP): actors, DISARM attack patterns, one relationship "
                     "per claim with its sources", ".stix.json", _lazy(".stix", "stix_text"), input="store"),
    )
}


def find_format(name: str) -> ExportFormat:
    """The format called ``name`` (case and a leading dot do not matter; ``turtle``, ``json-ld`` also work).

    >>> find_format(".GEXF").suffix
    '.gexf'
    >>> find_format("gefx")
    Traceback (most recent call last):
    ...
    wbgraph.errors.WbgraphError: unknown export format 'gefx'. did you mean gexf? known formats: ttl, nt, jsonld, gexf, graphml, csv, cytoscape, stix
    """
    key = str(name).strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key in EXPORT_FORMATS:
        return EXPORT_FORMATS[key]
    close = difflib.get_close_matches(key, [*EXPORT_FORMATS, *_ALIASES], n=1)
    guess = f"did you mean {_ALIASES.get(close[0], close[0])}? " if close else ""
    raise WbgraphError(f"unknown export format '{name}'", hint=f"{guess}known formats: {', '.join(EXPORT_FORMATS)}")


def guess_format(path: str | Path) -> str | None:
    """The format a file name asks for by its extension, or None.

    >>> guess_format("out/network.gexf"), guess_format("bundle.json"), guess_format("notes.txt")
    ('gexf', 'stix', None)
    """
    name = Path(path).name.lower()
    names = [fmt.name for fmt in EXPORT_FORMATS.values() if name.endswith(fmt.suffix)]
    return names[0] if names else _SUFFIX_ALIASES.get(Path(path).suffix.lower())


def export_paths(fmt: str | ExportFormat, path: str | Path) -> list[Path]:
    """The files that exporting ``fmt`` to ``path`` writes.

    ``path`` is a file name, or an existing folder (the files are then called ``wbgraph...``). For a
    format of several files it is a stem: ``out/net`` or ``out/net.csv`` give ``out/net-nodes.csv`` and
    ``out/net-edges.csv``.

    >>> [str(p) for p in export_paths("csv", "out/net.csv")]
    ['out/net-nodes.csv', 'out/net-edges.csv', 'out/net-claims.csv']
    >>> [str(p) for p in export_paths("gexf", "out/net.gexf")]
    ['out/net.gexf']
    """
    fmt = fmt if isinstance(fmt, ExportFormat) else find_format(fmt)
    path = Path(path)
    if path.is_dir():
        path = path / f"{DEFAULT_STEM}{fmt.suffix}"
    if not fmt.parts:
        return [path]
    stem = path.with_suffix("") if path.suffix.lower() == fmt.suffix else path
    return [stem.with_name(f"{stem.name}-{part}{fmt.suffix}") for part in fmt.parts]


def _check_writable(paths: list[Path]) -> None:
    for target in paths:
        folder = target.parent
        if not folder.exists():
            raise OutputError("the folder does not exist", file=folder, hint="create it first or choose another path")
        if not folder.is_dir():
            raise OutputError("is not a folder", file=folder, hint="choose another output path")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError("the folder is not writable", file=folder, hint="choose a folder you can write to")
        if target.is_dir():
            raise OutputError("is a folder, not a file", file=target, hint="choose another file name")


def _rdf_input(store: GraphStore):
    """The dataset made stable for writing, once per data version of ``store`` (shared by the RDF formats)."""
    from .rdf import prepared

    if "export:prepared" not in store.cache:
        store.cache["export:prepared"] = prepared(store.to_graph())
    return store.cache["export:prepared"]


def export(
    store: GraphStore,
    fmt: str,
    path: str | Path,
    *,
    graph: nx.MultiDiGraph | None = None,
    measures: Mapping[str, Mapping[str, object]] | None = None,
    options: Mapping[str, object] | None = None,
    filtered: bool = False,
) -> list[Path]:
    """Write ``store`` (RDF formats) or its network (the others) as ``fmt`` to ``path``; return the files.

    ``graph`` is a network already projected (by default ``project_network(store)``); ``measures``,
    ``{node: {measure: value}}``, travel as node attributes in the network formats. ``options`` go to
    the writer of a format that reads the store (``stix``: ``min_confidence``, ``focus``, ``depth``).
    ``filtered`` says that ``graph`` is a selection (a neighbourhood, a confidence or a period): the
    claims table then holds only the claims behind its edges, not every claim of the store.

    >>> import tempfile
    >>> from wbgraph.store import load_graph
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in export(load_graph(curated=False), "csv", folder / "empty")]
    ['empty-nodes.csv', 'empty-edges.csv', 'empty-claims.csv']
    """
    spec = find_format(fmt)
    targets = export_paths(spec, path)
    _check_writable(targets)
    if spec.input == "rdf":
        contents = spec.writer(_rdf_input(store))
    elif spec.input == "store":
        contents = spec.writer(store, **(options or {}))
    else:
        if graph is None:
            from ..network import project_network

            graph = project_network(store)
        contents = spec.writer(graph, measures)
        if "claims" in spec.parts:
            from .claims_table import claims_table

            only = ({c["claim"] for _, _, d in graph.edges(data=True) for c in d.get("claims", [])}
                    if filtered else None)
            contents = {**contents, "claims": claims_table(store, only)}
    parts = [contents[part] for part in spec.parts] if spec.parts else [contents]
    written = []
    for target, data in zip(targets, parts, strict=True):
        try:
            written.append(write_atomic(target, data))
        except OSError as err:
            raise OutputError(f"cannot write: {err.strerror or err}", file=target) from None
    return written
