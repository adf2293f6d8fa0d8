"""What changed between two versions of the graph: actors and claims added, removed or changed.

Each side is a file, a folder of RDF files, a list of them, a :class:`~wbgraph.store.GraphStore` or an
rdflib Graph. Blank nodes (rare here) get canonical labels from :mod:`rdflib.compare` first, so two
files that differ only in how their blank nodes are named compare equal. Actors and claims are
matched by IRI and compared property by property; a claim that only changed its IRI is reported as
renamed; every other triple is summed up per subject under ``other``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.term import Node

from .models import Actor, Claim
from .namespaces import PREFIXES, shorten
from .resources import ontology_files
from .store import GraphStore, open_store
from .validate import expand_paths
from .vocab import WB

__all__ = ["Change", "GraphDiff", "Section", "as_graph", "diff_graphs"]

Version = str | Path | GraphStore | Graph | Iterable[str | Path]



def _field_names(model) -> dict[Node, str]:
    """Property -> field name of a model, so that changes read ``confidence``, not ``wb:confidence``."""
    names = {(f.json_schema_extra or {}).get("predicate"): name for name, f in model.model_fields.items()}
    names.pop(None, None)
    return names


_ACTOR_NAMES = _field_names(Actor)
_CLAIM_NAMES = {**_field_names(Claim), RDF.type: "classes"}


@dataclass(frozen=True)
class Change:
    """One entity: its IRI, a readable label and, when changed, ``{property: (removed, added)}``."""

    iri: str
    label: str
    changes: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        out: dict = {"iri": self.iri, "label": self.label}
        if self.changes:
            out["changes"] = {p: {"removed": r, "added": a} for p, (r, a) in self.changes.items()}
        return out


@dataclass
class Section:
    """The entities of one kind that were added, removed, changed or (claims) renamed."""

    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.renamed)

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {"added": [c.to_dict() for c in self.added], "removed": [c.to_dict() for c in self.removed],
                "changed": [c.to_dict() for c in self.changed],
                "renamed": [{"from": a, "to": b} for a, b in self.renamed]}


@dataclass
class GraphDiff:
    """The difference between version ``a`` and version ``b``."""

    actors: Section = field(default_factory=Section)
    claims: Section = field(default_factory=Section)
    other: Section = field(default_factory=Section)
    #: the two versions hold the same triples (up to blank-node names)
    identical: bool = False

    def to_dict(self) -> dict:
        """A JSON-ready form: ``{"identical", "actors", "claims", "other"}``."""
        return {"identical": self.identical, "actors": self.actors.to_dict(), "claims": self.claims.to_dict(),
                "other": self.other.to_dict()}

    def to_text(self) -> str:
        """The difference for a person: ``+`` added, ``-`` removed, ``~`` changed, ``>`` renamed."""
        if self.identical:
            return "no differences"
        lines = []
        for name in ("actors", "claims", "other"):
            section: Section = getattr(self, name)
            counts = f"{len(section.added)} added, {len(section.removed)} removed, {len(section.changed)} changed"
            if name == "claims":
                counts += f", {len(section.renamed)} renamed"
            lines.append(f"{name}: {counts}")
            lines += [f"  + {shorten(c.iri)}  {c.label}" for c in section.added]
            lines += [f"  - {shorten(c.iri)}  {c.label}" for c in section.removed]
            lines += [f"  > {shorten(a)} -> {shorten(b)}" for a, b in section.renamed]
            for change in section.changed:
                lines.append(f"  ~ {shorten(change.iri)}  {change.label}")
                for prop, (removed, added) in change.changes.items():
                    parts = [f"- {v}" for v in removed] + [f"+ {v}" for v in added]
                    lines.append(f"      {prop}: {'  '.join(parts)}")
        return "\n".join(lines)


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def as_graph(version: Version) -> Graph:
    """One version as an rdflib Graph: a file, a folder of RDF files, a list of them, a store or a Graph.

    >>> len(as_graph([])) == 0
    True
    """
    if isinstance(version, Graph):
        return version
    if isinstance(version, GraphStore):
        return version.to_graph(include_derived=False)
    paths = [version] if isinstance(version, str | Path) else list(version)
    store = open_store()
    for path in expand_paths(paths):
        store.load(path)
    return store.to_graph()


def _canonical(graph: Graph) -> Graph:
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        return to_canonical_graph(graph)
    return graph


def _show(term: Node) -> str:
    if isinstance(term, Literal):
        text = '"' + str(term).replace('"', '\\"') + '"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^{shorten(str(term.datatype))}" if term.datatype else text
    return shorten(str(term))


def _of_class(graph: Graph, top: URIRef, hierarchy: Graph) -> set[Node]:
    classes = set(hierarchy.transitive_subjects(RDFS.subClassOf, top))
    return {s for s, o in graph.subject_objects(RDF.type) if o in classes}


def _describe(graph: Graph, node: Node, names: dict[Node, str]) -> dict[str, set[Node]]:
    out: dict[str, set[Node]] = defaultdict(set)
    for p, o in graph.predicate_objects(node):
        out[names.get(p, shorten(str(p)))].add(o)
    return out


def _label(node: Node, *graphs: Graph) -> str:
    for graph in graphs:
        for label in graph.objects(node, RDFS.label):
            if isinstance(label, Literal) and label.language in (None, "en"):
                return str(label)
    return shorten(str(node))


def _claim_label(node: Node, graph: Graph, names: tuple[Graph, ...]) -> str:
    s, p, o = (graph.value(node, x) for x in (RDF.subject, RDF.predicate, RDF.object))
    conf = graph.value(node, WB.confidence)
    where = graph.value(node, URIRef(PREFIXES["prov"] + "wasDerivedFrom"))
    start, end = graph.value(node, WB.lineStart), graph.value(node, WB.lineEnd)
    text = " ".join(_label(x, *names) if x is not None else "?" for x in (s, p, o))
    detail = [shorten(str(conf)).removeprefix("wb:") if conf else None,
              f"{_label(where, *names)} {start}-{end}" if where is not None and start is not None else None]
    details = "; ".join(d for d in detail if d)
    return f"{text} ({details})" if details else text


def _compare(nodes_a: set[Node], nodes_b: set[Node], a: Graph, b: Graph, label,
             names: dict[Node, str] | None = None) -> Section:
    section = Section()
    for node in sorted(nodes_b - nodes_a):
        section.added.append(Change(str(node), label(node, b)))
    for node in sorted(nodes_a - nodes_b):
        section.removed.append(Change(str(node), label(node, a)))
    for node in sorted(nodes_a & nodes_b):
        old, new = _describe(a, node, names or {}), _describe(b, node, names or {})
        changes = {}
        for prop in sorted(set(old) | set(new)):
            removed, added = old.get(prop, set()) - new.get(prop, set()), new.get(prop, set()) - old.get(prop, set())
            if removed or added:
                changes[prop] = (sorted(map(_show, removed)), sorted(map(_show, added)))
        if changes:
            section.changed.append(Change(str(node), label(node, b), changes))
    return section


def _renames(section: Section, a: Graph, b: Graph) -> None:
    """Pair removed and added claims whose content (every property but the IRI) is the same."""
    def content(graph: Graph, iri: str) -> frozenset:
        return frozenset(graph.predicate_objects(URIRef(iri)))

    added = {content(b, c.iri): c for c in section.added}
    for old in list(section.removed):
        new = added.pop(content(a, old.iri), None)
        if new is not None:
            section.renamed.append((old.iri, new.iri))
            section.removed.remove(old)
            section.added.remove(new)


def diff_graphs(a: Version, b: Version) -> GraphDiff:
    """What changed from version ``a`` to version ``b``.

    >>> old = Graph().parse(data='@prefix wb: <https://w3id.org/wbgraph/ontology#> . '
    ...     '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . '
    ...     '<urn:x> a wb:State ; rdfs:label "Ruritania"@en .', format="turtle")
    >>> new = Graph().parse(data='@prefix wb: <https://w3id.org/wbgraph/ontology#> . '
    ...     '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . '
    ...     '<urn:x> a wb:State ; rdfs:label "Ruritanian Republic"@en .', format="turtle")
    >>> print(diff_graphs(old, new).to_text().splitlines()[2])
          label: - "Ruritania"@en  + "Ruritanian Republic"@en
    """
    a, b = _canonical(as_graph(a)), _canonical(as_graph(b))
    result = GraphDiff(identical=isomorphic(a, b))
    if result.identical:
        return result
    hierarchy = Graph()
    hierarchy += _ontology()
    for graph in (a, b):
        hierarchy += graph.triples((None, RDFS.subClassOf, None))
    names = (b, a, hierarchy)
    actors_a, actors_b = _of_class(a, WB.Actor, hierarchy), _of_class(b, WB.Actor, hierarchy)
    claims_a, claims_b = set(a.subjects(RDF.type, WB.Claim)), set(b.subjects(RDF.type, WB.Claim))
    result.actors = _compare(actors_a, actors_b, a, b, lambda n, g: _label(n, g), _ACTOR_NAMES)
    result.claims = _compare(claims_a, claims_b, a, b, lambda n, g: _claim_label(n, g, names),
                             _CLAIM_NAMES)
    _renames(result.claims, a, b)
    known = actors_a | actors_b | claims_a | claims_b
    rest_a, rest_b = set(a.subjects()) - known, set(b.subjects()) - known
    result.other = _compare(rest_a, rest_b, a, b, lambda n, g: _label(n, g))
    return result
