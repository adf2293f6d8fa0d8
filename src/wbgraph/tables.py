"""Formatting query results as tables (text, CSV, TSV, JSON, Markdown), with labels next to IRIs."""

from __future__ import annotations

import json
import re
import shutil
import textwrap

from rdflib import URIRef
from rdflib.term import Node

from .lookup import english_labels
from .namespaces import shorten
from .outputs import csv_text
from .store import GraphStore, QueryResult

__all__ = ["FORMATS", "display_table", "format_result", "labelled_table", "record_table", "terminal_width", "text_table",
           "tree_text", "wrap_text"]

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


def display_table(store: GraphStore, result: QueryResult, *, iris: bool = False,
                  lang: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and rows for reading: IRIs replaced by their labels (unless ``iris``), columns that
    repeat another column or hold only IRIs without a label (claims) left out, each row shown once.

    >>> from wbgraph.store import load_graph
    >>> store = load_graph()
    >>> display_table(store, store.query("SELECT ?x ?label WHERE { VALUES ?x { wbr:kosovo wbr:kosovo } "
    ...                                  "?x rdfs:label ?label FILTER(LANG(?label) = 'en') }"))
    (['x'], [['Kosovo']])
    """
    header, rows = labelled_table(store, result, lang)
    if iris or result.kind != "SELECT":
        return header, _unique(rows)
    labelled = {f"{name}_label" for name in result.vars} & set(header)
    keep = []
    for i, name in enumerate(header):
        if name in labelled:
            continue
        if f"{name}_label" in labelled:
            j = header.index(f"{name}_label")
            rows = [r[:i] + [r[j] or r[i]] + r[i + 1:] for r in rows]
        keep.append(i)
    labels = english_labels(store, {str(t) for row in result.rows for t in row if isinstance(t, URIRef)})
    bare = {name for j, name in enumerate(result.vars)
            if any(row[j] is not None for row in result.rows)
            and all(row[j] is None or (isinstance(row[j], URIRef) and str(row[j]) not in labels) for row in result.rows)}
    kept: list[int] = []
    for i in keep:
        values = [r[i] for r in rows]
        repeats = any(values == [r[k] for r in rows] for k in kept) and rows
        if header[i] not in bare and not repeats:
            kept.append(i)
    if not kept:
        kept = keep
    return [header[i] for i in kept], _unique([[r[i] for i in kept] for r in rows])


def _unique(rows: list[list[str]]) -> list[list[str]]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for row in rows:
        if tuple(row) not in seen:
            seen.add(tuple(row))
            out.append(row)
    return out


def format_result(store: GraphStore, result: QueryResult, fmt: str = "table", *, iris: bool = False,
                  tree: dict | None = None, width: int | None = None, lang: str | None = None) -> str:
    """The result as text in one of :data:`FORMATS`.

    CSV, TSV and JSON keep every value and IRI. The text table and Markdown show labels instead of IRIs
    (both with ``iris``), never repeat a row, and the text table wraps to ``width`` (the terminal's by
    default). ``tree`` (``{"node": column, "parent": column}``, from a query header) prints a
    hierarchy as an indented tree instead of a table. Labels are in ``lang`` where the graph has them.
    """
    if fmt in ("json", "csv", "tsv"):
        header, rows = labelled_table(store, result, lang)
        if fmt == "json":
            payload = {"columns": header, "rows": [dict(zip(header, r)) for r in rows]}
            return json.dumps(payload, indent=2, ensure_ascii=False)
        return csv_text(header, rows, delimiter="," if fmt == "csv" else "\t").rstrip("\n")
    if tree and fmt == "table" and result.kind == "SELECT":
        return tree_text(store, result, tree["node"], tree["parent"])
    header, rows = display_table(store, result, iris=iris, lang=lang)
    if fmt == "markdown":
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
        return "\n".join(lines)
    return text_table(header, rows, width=width) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"


def wrap_text(text: str, width: int | None = None) -> str:
    """Each line longer than ``width`` (the terminal's by default) wrapped under its own indent (and
    under the text after a Markdown bullet); words are never cut, so an IRI longer than a line stays whole.

    >>> print(wrap_text("  1. Russia -[exerts influence on]-> Western Balkans", width=30))
      1. Russia -[exerts influence
         on]-> Western Balkans
    """
    width = width or terminal_width()
    out = []
    for line in text.split("\n"):
        if len(line) <= width or line.startswith("#"):  # a Markdown heading must stay one line
            out.append(line)
            continue
        body = line.lstrip(" ")
        indent = " " * (len(line) - len(body))
        marker = re.match(r"(?:[-*]|\d+\.) ", body)
        hanging = indent + " " * (len(marker.group(0)) if marker else 2)
        out += textwrap.wrap(body, width, initial_indent=indent, subsequent_indent=hanging,
                             break_long_words=False, break_on_hyphens=False)
    return "\n".join(out)


def terminal_width() -> int:
    """Columns of the terminal ($COLUMNS first; 100 when there is no terminal)."""
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def text_table(header: list[str], rows: list[list[str]], *, width: int | None = None) -> str:
    """Columns padded to their widest cell; when the table is wider than ``width`` (the terminal's by
    default), the widest columns are narrowed and their cells wrapped onto more lines, never cut.

    >>> print(text_table(["a", "bb"], [["x", "yyy"]]))
    a  bb
    -  ---
    x  yyy
    >>> print(text_table(["name", "note"], [["Kosovo", "an economy of the region"]], width=24))
    name    note
    ------  ----------------
    Kosovo  an economy of
            the region
    """
    width = width or terminal_width()
    rows = [[c.replace("\n", " ") for c in r] for r in rows]
    if not rows:  # no rows: the column names as one wrapped line, not a header cut into fragments
        return "\n".join(textwrap.wrap("columns: " + ", ".join(header), width, subsequent_indent="  ",
                                        break_on_hyphens=False, break_long_words=False))
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    room = width - 2 * (len(header) - 1)
    longest_word = [max([len(h)] + [len(word) for r in rows for word in r[i].split()]) for i, h in enumerate(header)]
    # narrow the widest columns first, down to their longest word (at most 24 characters)
    floor = [min(w, max(lw, 6), 24) for w, lw in zip(widths, longest_word)]
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: (widths[i] - floor[i], widths[i]))
        if widths[widest] <= floor[widest]:
            break
        widths[widest] -= 1
    if sum(widths) > room:  # too many columns to share one line without cutting words: one block per row
        return record_table(header, rows, width=width)
    wrapped_rows = [[textwrap.wrap(c, w, break_on_hyphens=False) or [""] for c, w in zip(row, widths)]
                    for row in rows]
    tall = any(len(c) > 1 for row in wrapped_rows for c in row)
    head = [textwrap.wrap(h, w) or [""] for h, w in zip(header, widths)]
    lines = ["  ".join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(head, widths)).rstrip()
             for k in range(max(len(c) for c in head))]
    lines.append("  ".join("-" * w for w in widths))
    for n, wrapped in enumerate(wrapped_rows):
        if tall and n:
            lines.append("")
        for k in range(max(len(c) for c in wrapped)):
            lines.append("  ".join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(wrapped, widths)).rstrip())
    return "\n".join(lines)


def record_table(header: list[str], rows: list[list[str]], *, width: int | None = None) -> str:
    """One block per row, a line per column ("name  value", the value wrapped under itself), for tables
    with more columns than the terminal can show side by side (as psql's expanded display).

    >>> print(record_table(["subject", "note"], [["Kosovo", "an economy of the region"]], width=24))
    -- row 1 ---------------
    subject  Kosovo
    note     an economy of the
             region
    """
    width = width or terminal_width()
    name_width = max(len(h) for h in header)
    room = max(20, width - name_width - 2)
    lines = []
    for number, row in enumerate(rows, 1):
        lines.append(f"-- row {number} ".ljust(width, "-"))
        for name, cell in zip(header, row):
            if not cell:
                continue
            wrapped = textwrap.wrap(cell, room, break_on_hyphens=False) or [""]
            lines.append(f"{name.ljust(name_width)}  {wrapped[0]}")
            lines += [" " * (name_width + 2) + more for more in wrapped[1:]]
    return "\n".join(lines)


def tree_text(store: GraphStore, result: QueryResult, node: str, parent: str) -> str:
    """A hierarchy (one row per node and parent) as an indented tree of labels; other columns follow
    each label in brackets. A node with two parents appears under both.

    >>> from wbgraph.store import load_graph
    >>> store = load_graph()
    >>> result = store.query("SELECT ?t ?b WHERE { VALUES (?t ?b) { (wbr:threat-trafficking UNDEF) "
    ...                      "(wbr:threat-arms-trafficking wbr:threat-trafficking) } }")
    >>> print(tree_text(store, result, "t", "b"))
    trafficking
    └─ arms trafficking
    (2 in the tree)
    """
    header, rows = labelled_table(store, result)
    col, up = header.index(node), header.index(parent)
    label_col = header.index(f"{node}_label") if f"{node}_label" in header else col
    skip = {col, up, label_col} | {i for i, h in enumerate(header) if h in (f"{parent}_label", "label")}
    extra = [i for i in range(len(header)) if i not in skip]
    names: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    for r in rows:
        names[r[col]] = r[label_col] + "".join(f" [{header[i]}: {r[i]}]" for i in extra if r[i])
    for r in _unique([[r[col], r[up]] for r in rows]):
        children.setdefault(r[1] if r[1] in names else "", []).append(r[0])
    out: list[str] = []

    def walk(key: str, prefix: str, seen: frozenset) -> None:
        kids = sorted(children.get(key, []), key=lambda k: names[k].casefold())
        for n, kid in enumerate(kids):
            last = n == len(kids) - 1
            out.append(prefix + ("└─ " if last else "├─ ") + names[kid])
            if kid not in seen:
                walk(kid, prefix + ("   " if last else "│  "), seen | {kid})

    for root in sorted(children.get("", []), key=lambda k: names[k].casefold()):
        out.append(names[root])
        walk(root, "", frozenset({root}))
    return "\n".join(out) + f"\n({len(names)} in the tree)"
