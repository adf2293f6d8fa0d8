"""What an entity page shows: names, classes, description, the claims in and out grouped by predicate
(with confidence, dates and sources), other statements, and the entity's RDF description."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, field
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef

from ..grading import CONFIDENCE_CREDIBILITY, claim_credibility, source_reliability
from ..lookup import english_labels, entity_labels, fold_name, readable_kind
from ..namespaces import DERIVED_GRAPH, PREFIXES, WBR_IRI, shorten
from ..store import GraphStore

__all__ = ["Entity", "describe_entity", "entity_graph", "entity_url", "search_names", "source_page", "suggest"]

_CORE = """
SELECT ?p ?o WHERE { GRAPH ?g { ?x ?p ?o } FILTER(?g != <%s>) }
""" % DERIVED_GRAPH

_CLAIMS = """
SELECT ?claim ?dir ?s ?p ?o ?conf ?negated ?source ?start ?end ?locator ?from ?until ?comment ?reported
       (GROUP_CONCAT(DISTINCT ?mech; separator="\\u001f") AS ?mechs) WHERE {
  { ?claim rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?o . BIND(?x AS ?s) BIND("out" AS ?dir) }
  UNION
  { ?claim rdf:object ?x ; rdf:predicate ?p ; rdf:subject ?s . BIND(?x AS ?o) BIND("in" AS ?dir) }
  UNION
  { ?claim wb:mechanism|wb:threat|wb:sector|wb:target ?x ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    BIND("about" AS ?dir) }
  ?claim a wb:Claim .
  OPTIONAL { ?claim wb:confidence ?conf }
  OPTIONAL { ?claim wb:negated ?negated }
  OPTIONAL { ?claim prov:wasDerivedFrom ?source }
  OPTIONAL { ?claim wb:lineStart ?start ; wb:lineEnd ?end }
  OPTIONAL { ?claim wb:locator ?locator }
  OPTIONAL { ?claim wb:validFrom ?from }
  OPTIONAL { ?claim wb:validUntil ?until }
  OPTIONAL { ?claim rdfs:comment ?comment }
  OPTIONAL { ?claim wb:reportedOn ?reported }
  OPTIONAL { ?claim wb:mechanism ?m0 }
  BIND(COALESCE(STR(?m0), "") AS ?mech)
}
GROUP BY ?claim ?dir ?s ?p ?o ?conf ?negated ?source ?start ?end ?locator ?from ?until ?comment ?reported
"""

_DESCRIBE = """
CONSTRUCT { ?x ?p ?o . ?claim ?cp ?co . }
WHERE {
  { GRAPH ?g { ?x ?p ?o } FILTER(?g != <%s>) }
  UNION
  { ?claim rdf:subject|rdf:object ?x . ?claim a wb:Claim ; ?cp ?co . }
}
""" % DERIVED_GRAPH

_KINDS = "SELECT ?x ?c WHERE { ?x a ?c FILTER(STRSTARTS(STR(?c), STR(wb:))) }"
_SHOWN = {PREFIXES["rdfs"] + "label", PREFIXES["rdfs"] + "comment", PREFIXES["skos"] + "altLabel",
          PREFIXES["skos"] + "prefLabel", PREFIXES["rdf"] + "type"}


def entity_url(iri: str) -> str:
    """Where the server shows an IRI: ``/id/<slug>`` for the graph's individuals, ``/entity?iri=`` otherwise.

    >>> entity_url("https://w3id.org/wbgraph/id/serbia"), entity_url("https://example.org/a b")
    ('/id/serbia', '/entity?iri=https%3A//example.org/a%20b')
    """
    if iri.startswith(WBR_IRI) and "/" not in iri[len(WBR_IRI):] and iri != WBR_IRI:
        return "/id/" + quote(iri[len(WBR_IRI):])
    return "/entity?iri=" + quote(iri)


def source_url(iri: str, start=None, end=None) -> str:
    """The source page of a document, at a line range when one is given."""
    base = ("/source/" + quote(iri[len(WBR_IRI):]) if iri.startswith(WBR_IRI) else "/source?iri=" + quote(iri))
    if start is None:
        return base
    return f"{base}{'&' if '?' in base else '?'}lines={int(start)}-{int(end)}#L{int(start)}"


def kinds(store: GraphStore) -> dict[str, str]:
    """One wbgraph class (local name) per IRI, the most specific one when several are given."""
    if "server:kinds" not in store.cache:
        found: dict[str, set[str]] = defaultdict(set)
        for x, cls in store.query(_KINDS).rows:
            found[str(x)].add(str(cls).rsplit("#", 1)[-1])
        sup = defaultdict(set)
        for sub, top in store.query("SELECT ?a ?b WHERE { ?a rdfs:subClassOf+ ?b }").rows:
            sup[str(sub).rsplit("#", 1)[-1]].add(str(top).rsplit("#", 1)[-1])
        out = {}
        for x, classes in found.items():
            specific = sorted(c for c in classes if not any(c in sup[o] for o in classes if o != c))
            out[x] = (specific or sorted(classes))[0]
        store.cache["server:kinds"] = out
    return store.cache["server:kinds"]


def actor_kinds(store: GraphStore) -> set[str]:
    """The local names of wb:Actor and all its subclasses."""
    if "server:actor-kinds" not in store.cache:
        rows = store.query_text("SELECT ?c WHERE { ?c rdfs:subClassOf* wb:Actor }")
        store.cache["server:actor-kinds"] = {c.rsplit("#", 1)[-1] for (c,) in rows} | {"Actor"}
    return store.cache["server:actor-kinds"]


def _starts_a_word(wanted: str, name: str) -> bool:
    return name.startswith(wanted) or any(name[i:].startswith(wanted) for i in range(1, len(name))
                                          if not name[i - 1].isalnum())


def search_names(store: GraphStore, text: str, limit: int = 10, *, word_start: bool = False,
                 actors_only: bool = False, among: Container[str] | None = None) -> list[dict]:
    """Entities whose label or alternate name contains ``text`` (any case, any accents), best first:
    whole-name matches, then names that start with the text, then the rest, shortest label first.
    ``word_start`` keeps only names where the text starts a word ("Rus" finds Russia, not Brussels);
    ``actors_only`` keeps only actors (no documents, claims or concepts); ``among`` keeps only these IRIs
    (for example the nodes a path can run through).

    >>> from wbgraph.store import load_graph
    >>> [hit["label"] for hit in search_names(load_graph(), "fyrom")]
    ['North Macedonia']
    """
    wanted = fold_name(text)
    if not wanted:
        return []
    best: dict[str, tuple] = {}
    allowed = actor_kinds(store) if actors_only else None
    kind_of = kinds(store)
    for name, owners in entity_labels(store).items():
        if wanted not in name or (word_start and not _starts_a_word(wanted, name)):
            continue
        rank = 0 if name == wanted else 1 if name.startswith(wanted) else 2
        for iri, label in owners.items():
            if allowed is not None and kind_of.get(iri, "") not in allowed:
                continue
            if among is not None and iri not in among:
                continue
            key = (rank, len(label), label, iri)
            if iri not in best or key < best[iri][0]:
                best[iri] = (key, name)
    hits = sorted(best.items(), key=lambda item: item[1][0])[:limit]
    kind = kinds(store)
    out = []
    for iri, ((_, _, label, _), name) in hits:
        out.append({"iri": iri, "label": label, "matched": "" if name == fold_name(label) else name,
                    "kind": kind.get(iri, ""), "url": entity_url(iri)})
    return out


def suggest(store: GraphStore, text: str, limit: int = 8) -> list[dict]:
    """Suggestions for a name that matched nothing: names that contain it, then names that look like it."""
    hits = search_names(store, text, limit)
    if len(hits) < limit:
        names = entity_labels(store)
        seen = {h["iri"] for h in hits}
        for name in difflib.get_close_matches(fold_name(text), list(names), n=limit, cutoff=0.5):
            for iri, label in names[name].items():
                if iri not in seen and len(hits) < limit:
                    seen.add(iri)
                    hits.append({"iri": iri, "label": label, "matched": "", "kind": kinds(store).get(iri, ""),
                                 "url": entity_url(iri)})
    return hits


@dataclass
class Entity:
    """Everything the entity page shows about one IRI."""

    iri: str
    label: str
    kind: str
    classes: list[dict] = field(default_factory=list)
    description: str = ""
    names: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)

    @property
    def short(self) -> str:
        """The IRI as a prefixed name when possible."""
        return shorten(self.iri)


def _term(store: GraphStore, term) -> dict:
    """A term ready for a template: text, and a link when it is an IRI."""
    if isinstance(term, URIRef):
        iri = str(term)
        return {"text": english_labels(store).get(iri, shorten(iri)), "url": entity_url(iri), "iri": iri}
    if isinstance(term, Literal):
        return {"text": str(term), "url": None, "lang": term.language or ""}
    return {"text": str(term), "url": None}


def describe_entity(store: GraphStore, iri: str) -> Entity | None:
    """The entity page's content, or None when the graph says nothing with ``iri`` as subject or object.

    >>> from wbgraph.store import load_graph
    >>> e = describe_entity(load_graph(), "https://w3id.org/wbgraph/id/russia")
    >>> e.label, e.kind, any(g["direction"] == "out" for g in e.groups)
    ('Russia', 'ExternalPower', True)
    """
    node = URIRef(iri)
    core = store.query(_CORE, {"x": node}).rows
    claims = store.query(_CLAIMS, {"x": node}).rows
    if not core and not claims and not store.query("ASK { ?s ?p ?x }", {"x": node}).answer:
        return None
    label_map = english_labels(store)
    entity = Entity(iri=iri, label=label_map.get(iri, shorten(iri)), kind=kinds(store).get(iri, ""))
    rdfs, skos = PREFIXES["rdfs"], PREFIXES["skos"]
    for p, o in sorted(core, key=lambda r: (str(r[0]), str(r[1]))):
        p = str(p)
        if p == PREFIXES["rdf"] + "type":
            entity.classes.append(_term(store, o))
        elif p == rdfs + "comment" and isinstance(o, Literal) and o.language in (None, "en"):
            entity.description = entity.description or str(o)
        elif p in (rdfs + "label", skos + "altLabel", skos + "prefLabel"):
            if str(o) != entity.label:
                entity.names.append({"text": str(o), "lang": getattr(o, "language", None) or "",
                                     "kind": "alternate name" if p.endswith("altLabel") else "label"})
        elif p not in _SHOWN:
            entity.statements.append({"predicate": _term(store, URIRef(p)), "object": _term(store, o)})
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    reliability, credibility = source_reliability(store), claim_credibility(store)
    for (claim, direction, s, p, o, conf, negated, source, start, end, locator, vfrom, vuntil, comment, reported,
         mechs) in claims:
        direction = str(direction)  # an rdflib Literal, which never equals a plain str
        other = o if direction == "out" else s
        source_iri = str(source) if source is not None else ""
        level = str(conf).rsplit("#", 1)[-1] if conf is not None else ""
        grade = f"{reliability.get(source_iri, 'F')}{credibility.get(str(claim), CONFIDENCE_CREDIBILITY.get(level, 6))}"
        groups[(str(direction), str(p))].append({
            "claim": _term(store, claim),
            "claim_short": shorten(str(claim)),
            "subject": _term(store, s),
            "object": _term(store, o),
            "other": _term(store, other),
            "confidence": str(conf).rsplit("#", 1)[-1] if conf is not None else "",
            "negated": bool(negated is not None and negated.toPython() is True),
            "from": str(vfrom) if vfrom is not None else "",
            "until": str(vuntil) if vuntil is not None else "",
            "reported": str(reported) if reported is not None else "",
            "comment": str(comment) if comment is not None else "",
            "mechanisms": sorted(label_map.get(m, shorten(m)) for m in str(mechs or "").split("\u001f") if m),
            "source": {"text": label_map.get(source_iri, shorten(source_iri)) if source_iri else "",
                       "url": source_url(source_iri, start, end) if source_iri else None,
                       "lines": f"{start}-{end}" if start is not None else (str(locator) if locator else "")},
            "grade": grade,  # source reliability and credibility (docs/grading.md)
        })
    order = {"out": 0, "in": 1, "about": 2}
    for (direction, p), rows in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], label_map.get(kv[0][1], kv[0][1]))):
        rows.sort(key=lambda r: (r["other"]["text"], r["claim_short"]))
        entity.groups.append({"direction": direction, "predicate": _term(store, URIRef(p)), "claims": rows})
    return entity


_SOURCE_CLAIMS = """
SELECT ?claim ?s ?p ?o ?conf ?negated ?start ?end ?locator ?comment WHERE {
  ?claim a wb:Claim ; prov:wasDerivedFrom ?doc ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?claim wb:confidence ?conf }
  OPTIONAL { ?claim wb:negated ?negated }
  OPTIONAL { ?claim wb:lineStart ?start ; wb:lineEnd ?end }
  OPTIONAL { ?claim wb:locator ?locator }
  OPTIONAL { ?claim rdfs:comment ?comment }
}
ORDER BY ?start ?claim
"""


def source_page(store: GraphStore, iri: str, lines: tuple[int, int] | None = None) -> dict | None:
    """A source's metadata and the claims taken from it, those within ``lines`` marked."""
    entity = describe_entity(store, iri)
    if entity is None:
        return None
    claims = []
    for claim, s, p, o, conf, negated, start, end, locator, comment in store.query(
            _SOURCE_CLAIMS, {"doc": URIRef(iri)}).rows:
        first, last = (int(start), int(end)) if start is not None else (None, None)
        hit = bool(lines and first is not None and first <= lines[1] and last >= lines[0])
        claims.append({"claim": _term(store, claim), "claim_short": shorten(str(claim)),
                       "subject": _term(store, s), "predicate": _term(store, p), "object": _term(store, o),
                       "confidence": str(conf).rsplit("#", 1)[-1] if conf is not None else "",
                       "negated": bool(negated is not None and negated.toPython() is True),
                       "lines": f"{first}-{last}" if first is not None else (str(locator) if locator else ""),
                       "start": first, "hit": hit, "comment": str(comment) if comment is not None else ""})
    file_name = next((s["object"]["text"] for s in entity.statements
                      if s["predicate"].get("iri", "").endswith("#fileName")), "")
    return {"entity": entity, "claims": claims, "file_name": file_name}


def entity_graph(store: GraphStore, iri: str) -> Graph:
    """The entity's own statements and every claim with it as subject or object, as an rdflib Graph."""
    graph = store.query(_DESCRIBE, {"x": URIRef(iri)}).graph
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=False)
    return graph
