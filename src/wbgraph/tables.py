"""Formatting query results as tables (text, CSV, TSV, JSON, Markdown), with labels next to IRIs."""

from __future__ import annotations

import json

from rdflib import URIRef
from rdflib.term import Node

from .lookup import english_labels
from .namespaces import shorten
from .outputs import csv_text
from .store import GraphStore, QueryResult

__all__ = ["FORMATS", "format_result", "labelled_table", "text_table"]

FORMATS = ("table", "csv", "tsv", "json", "markdown")

def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term))
    return str(term)


def labelled_table(store: GraphStore, result: QueryResult, lang: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text; each column holding IRIs gets a ``<name>_label`` column beside it
    unless the query already returns one. Labels are English, or in ``lang`` where the graph has one
    (:func:`wbgraph.languages.localised_labels`).

    >>> from wbgraph.store import load_graph
    >>> store = load_graph()
    >>> header, rows = labelled_table(store, store.query("SELECT ?x WHERE { VALUES ?x { wbr:kosovo } }"))
    >>> header, rows
    (['x', 'x_label'], [['wbr:kosovo', 'Kosovo']])
    """
    if result.kind == "ASK":
        return ["answer"], [["true" if result.answer else "false"]]
    if result.kind == "CONSTRUCT":
        rows = sorted([_cell(s), _cell(p), _cell(o)] for s, p, o in result.graph)
        return ["subject", "predicate", "object"], rows
    iris = {str(t) for row in result.rows for t in row if isinstance(t, URIRef)}
    if lang and lang != "en":
        from .languages import localised_labels

        labels = {iri: label for iri, label in localised_labels(store, lang).items() if iri in iris}
    else:
        labels = english_labels(store, iris)
    columns: list[tuple[str, int, bool]] = []
    for i, name in enumerate(result.vars):
        columns.append((name, i, False))
        has_iri = any(isinstance(row[i], URIRef) and str(row[i]) in labels for row in result.rows)
        if has_iri and f"{name}_label" not in result.vars and f"{name}Label" not in result.vars:
            columns.append((f"{name}_label", i, True))
    header = [name for name, _, _ in columns]
    rows = []
    for row in result.rows:
        out = []
        for _, i, is_label in columns:
            term = row[i]
            out.append(labels.get(str(term), "") if is_label and isinstance(term, URIRef) else _cell(term))
        rows.append(out)
    return header, rows


def format_result(store: GraphStore, result: QueryResult, fmt: str = "table", lang: str | None = None) -> str:
    """The result as text in one of :data:`FORMATS`, labels in ``lang`` where the graph has them."""
    header, rows = labelled_table(store, result, lang)
    if fmt == "json":
        payload = {"columns": header, "rows": [dict(zip(header, r)) for r in rows]}
        return json.dumps(payload, indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        return csv_text(header, rows, delimiter="," if fmt == "csv" else "\t").rstrip("\n")
    if fmt == "markdown":
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
        return "\n".join(lines)
    lines = [text_table(header, rows)]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def text_table(header: list[str], rows: list[list[str]], *, width: int = 60) -> str:
    """Columns padded to their widest cell (at most ``width``; longer cells end in "…").

    >>> print(text_table(["a", "bb"], [["x", "yyy"]]))
    a  bb
    -  ---
    x  yyy
    """
    widths = [min(width, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]

    def fit(text: str, size: int) -> str:
        text = text.replace("\n", " ")
        return text if len(text) <= size else text[: size - 1] + "…"

    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(fit(c, w).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)
