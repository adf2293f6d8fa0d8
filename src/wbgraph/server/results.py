"""Query results as a table people read: one column per variable, IRIs shown by their label and linked
to their page, ontology terms (``wb:alleged``) as words, and the ``*_label`` columns a query returns
beside an IRI folded into it rather than repeated."""

from __future__ import annotations

import re

from rdflib import URIRef

from ..lookup import english_labels
from ..namespaces import WB_IRI, shorten
from ..store import GraphStore, QueryResult
from .entities import entity_url, readable_kind

__all__ = ["readable_table"]


def _words(local: str) -> str:
    """An ontology term's local name as words: ``memberOf`` -> "member of", ``ExternalPower`` -> "External power"."""
    return readable_kind(local) if local[:1].isupper() else re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def _cell(text: str, url: str | None = None, title: str | None = None) -> dict:
    return {"text": text, "url": url, "title": title}


def _label_of(name: str, variables: list[str]) -> str | None:
    for candidate in (f"{name}_label", f"{name}Label", f"{name}_name"):
        if candidate in variables:
            return candidate
    return None


def readable_table(store: GraphStore, result: QueryResult) -> tuple[list[str], list[list[dict]]]:
    """Header and rows of cells (``text``, and ``url`` and ``title`` for an IRI) for an HTML table.

    >>> from wbgraph.store import load_graph
    >>> store = load_graph()
    >>> r = store.query("SELECT ?x ?x_label ?c WHERE { VALUES (?x ?c) { (wbr:kosovo wb:alleged) } "
    ...                 "?x rdfs:label ?x_label FILTER(LANG(?x_label) = 'en') }")
    >>> header, rows = readable_table(store, r)
    >>> header, [(c["text"], c.get("url")) for c in rows[0]]
    (['x', 'c'], [('Kosovo', '/id/kosovo'), ('alleged', None)])
    """
    if result.kind == "ASK":
        return ["answer"], [[_cell("yes" if result.answer else "no")]]
    if result.kind == "CONSTRUCT":
        variables = ["subject", "predicate", "object"]
        raw = sorted(result.graph, key=lambda t: tuple(str(x) for x in t))
    else:
        variables = list(result.vars)
        raw = result.rows
    folded = {_label_of(v, variables) for v in variables} - {None}
    keep = [(i, v) for i, v in enumerate(variables) if v not in folded]
    index = {v: i for i, v in enumerate(variables)}
    labels = english_labels(store, {str(t) for row in raw for t in row if isinstance(t, URIRef)})
    rows = []
    for row in raw:
        cells = []
        for i, name in keep:
            term = row[i]
            given = _label_of(name, variables)
            if term is None:
                cells.append(_cell(""))
            elif isinstance(term, URIRef):
                iri = str(term)
                label = (str(row[index[given]]) if given and row[index[given]] is not None else None) or labels.get(iri)
                if iri.startswith(WB_IRI):
                    cells.append(_cell(label or _words(iri[len(WB_IRI):]), title=shorten(iri)))
                else:
                    cells.append(_cell(label or shorten(iri), entity_url(iri), shorten(iri)))
            else:
                cells.append(_cell(str(term)))
        rows.append(cells)
    return [v for _, v in keep], rows
