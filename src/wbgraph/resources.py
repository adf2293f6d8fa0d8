"""Where the ontology, curated graph and query library live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir", "ontology_files", "graph_files", "queries_dir", "shapes_file"]

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``ontology``, ``graph`` or ``queries``.

    A wheel ships them under ``wbgraph/data/``; in a source checkout (or an editable install) they
    stand at the top of the repository.

    >>> data_dir("ontology").name
    'ontology'
    """
    for candidate in (_PACKAGE / "data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"wbgraph's {name}/ folder is missing from the installation")


def ontology_files() -> list[Path]:
    """The ontology and its concept schemes (every Turtle file in ``ontology/`` but the shapes)."""
    return sorted(p for p in data_dir("ontology").glob("*.ttl") if p.name != "shapes.ttl")


def shapes_file() -> Path:
    """The SHACL shapes."""
    return data_dir("ontology") / "shapes.ttl"


def graph_files() -> list[Path]:
    """The curated graph, one Turtle file per topic, in a stable order.

    >>> any(p.name == "actors.ttl" for p in graph_files())
    True
    """
    return sorted(data_dir("graph").glob("*.ttl"))


def queries_dir() -> Path:
    """The SPARQL query library."""
    return data_dir("queries")
