"""Finding an entity from what a person types: a label, an alternate name, a prefixed name or an IRI."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from rdflib import URIRef

from .bindings import values_block
from .errors import NotFoundError
from .namespaces import shorten
from .store import GraphStore, term_from_prefixed

__all__ = ["english_labels", "entity_labels", "fold_name", "label_of", "resolve_entity"]

_NAMES = """
SELECT ?x ?name ?label WHERE {
  ?x rdfs:label|skos:altLabel|skos:prefLabel ?name .
  FILTER(isIRI(?x))
  OPTIONAL { ?x rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
}
"""


def fold_name(text: str) -> str:
    """Case-, accent- and script-insensitive form of a name: "Türkiye" and "turkiye" match, and so do
    Serbian Cyrillic and Latin ("Црна Гора" and "Crna Gora").

    >>> fold_name("Црна Гора") == fold_name("Crna Gora") == fold_name("CRNA GORA")
    True
    """
    from .languages import to_latin

    text = unicodedata.normalize("NFKD", to_latin(text))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()


_ENGLISH = 'SELECT ?x ?l WHERE { ?x rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) }'


def english_labels(store: GraphStore, iris: Iterable[str] | None = None) -> dict[str, str]:
    """English labels: of every IRI (read once per state of the store and cached in ``store.cache``),
    or of the given ``iris`` only.

    With ``iris`` and no cached index, only those labels are read (a VALUES query per 1,000 IRIs), so
    labelling a small result stays cheap on a store of millions of triples.

    >>> from wbgraph.store import load_graph
    >>> english_labels(load_graph(), ["https://w3id.org/wbgraph/id/china", "urn:nothing"])
    {'https://w3id.org/wbgraph/id/china': 'China'}
    """
    if "english labels" in store.cache:
        every = store.cache["english labels"]
        return every if iris is None else {iri: every[iri] for iri in iris if iri in every}
    if iris is None:
        store.cache["english labels"] = {str(x): str(label) for x, label in store.query(_ENGLISH).rows}
        return store.cache["english labels"]
    wanted = sorted(set(iris))
    labels: dict[str, str] = {}
    for start in range(0, len(wanted), 1000):
        block = values_block("x", (URIRef(iri) for iri in wanted[start:start + 1000]))
        query = _ENGLISH.replace("WHERE {", "WHERE { " + block, 1)
        labels.update((str(x), str(label)) for x, label in store.query(query).rows)
    return labels


def entity_labels(store: GraphStore) -> dict[str, dict[str, str]]:
    """Every name in the graph, folded, mapped to the IRIs that carry it and their English labels."""
    if "names" in store.cache:
        return store.cache["names"]
    names: dict[str, dict[str, str]] = {}
    for node, name, label in store.query(_NAMES).rows:
        names.setdefault(fold_name(str(name)), {})[str(node)] = str(label) if label is not None else str(name)
    store.cache["names"] = names
    return names


def label_of(store: GraphStore, iri: str) -> str:
    """The English label of an IRI, or its short form.

    >>> from wbgraph.store import load_graph
    >>> label_of(load_graph(), "https://w3id.org/wbgraph/id/china")
    'China'
    """
    res = store.query(
        'SELECT ?l WHERE { ?x rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) } LIMIT 1', {"x": URIRef(iri)}
    )
    return str(res.rows[0][0]) if res.rows else shorten(iri)


def resolve_entity(store: GraphStore, text: str, *, within: set[str] | None = None) -> URIRef:
    """The IRI that ``text`` names: an English label or alternate name (any case, any accents), a
    prefixed name such as ``wbr:serbia``, or a full IRI.

    ``within`` limits the candidates (for example to actors). An ambiguous name lists the candidates;
    an unknown one suggests the closest names.

    >>> from wbgraph.store import load_graph
    >>> store = load_graph()
    >>> resolve_entity(store, "KSA")
    rdflib.term.URIRef('https://w3id.org/wbgraph/id/saudi-arabia')
    >>> resolve_entity(store, "wbr:serbia") == resolve_entity(store, "Србија")
    True
    """
    text = text.strip()
    if not text:
        raise NotFoundError("an empty name matches nothing", hint="give a label, a prefixed name or an IRI")
    if text.startswith("<") or text.startswith("http://") or text.startswith("https://") or (
        ":" in text and " " not in text and text.split(":", 1)[0].isidentifier()
    ):
        iri = term_from_prefixed(text)
        if store.query("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", {"x": iri}).answer:
            if within is None or str(iri) in within:
                return iri
        raise NotFoundError(f"'{text}' is not in the graph", node=text, hint="check the IRI or use a label")
    names = entity_labels(store)
    matches = names.get(fold_name(text), {})
    if within is not None:
        matches = {iri: lab for iri, lab in matches.items() if iri in within}
    if len(matches) == 1:
        return URIRef(next(iter(matches)))
    if len(matches) > 1:
        listed = "; ".join(f"{lab} ({shorten(iri)})" for iri, lab in sorted(matches.items()))
        raise NotFoundError(f"'{text}' is ambiguous: it names {listed}", node=text,
                            hint="use one of the prefixed names")
    pool = names if within is None else {k: v for k, v in names.items() if set(v) & within}
    close = difflib.get_close_matches(fold_name(text), list(pool), n=5, cutoff=0.6)
    suggestions = sorted({lab for key in close for lab in pool[key].values()})
    hint = f"did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else (
        "`wbgraph query actor-list` lists the actors")
    raise NotFoundError(f"nothing in the graph is called '{text}'", node=text, hint=hint)
