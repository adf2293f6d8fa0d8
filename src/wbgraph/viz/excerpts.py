"""The cited lines of the source documents, for the page's edge panel (``wbgraph viz --sources DIR``)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..errors import WbgraphError

__all__ = ["MAX_EXCERPT_LINES", "attach_excerpts", "attach_reported_dates"]

#: Longer citations are cut to their first lines, with a last line saying how many were left out.
MAX_EXCERPT_LINES = 12


def _line_range(text: str) -> tuple[int, int] | None:
    first, _, last = (text or "").partition("-")
    try:
        start = int(first)
        return start, int(last) if last else start
    except ValueError:
        return None


def attach_excerpts(graph: nx.MultiDiGraph, store, sources: str | Path) -> int:
    """Add to each claim of ``graph`` the ``excerpt`` of its source: the cited lines of the document file
    in ``sources`` (the folder of documents that ``wb:fileName`` names). Returns how many claims got one.

    >>> from wbgraph.store import load_graph
    >>> attach_excerpts(nx.MultiDiGraph(), load_graph(), ".")
    0
    """
    folder = Path(sources)
    if not folder.is_dir():
        raise WbgraphError(f"--sources {folder} is not a folder", file=str(folder),
                           hint="give the folder that holds the source documents (such as shared/seeds)")
    names = dict(store.query_text("SELECT ?s ?f WHERE { ?s wb:fileName ?f }"))
    texts: dict[str, list[str] | None] = {}
    count = 0
    for _, _, data in graph.edges(data=True):
        for claim in data.get("claims", []):
            name = names.get(claim.get("source", ""))
            span = _line_range(claim.get("lines", ""))
            if not name or span is None or "/" in name or "\\" in name:
                continue
            if name not in texts:
                path = folder / name
                texts[name] = path.read_text(encoding="utf-8", errors="replace").split("\n") if path.is_file() else None
            lines = texts[name]
            if not lines:
                continue
            start, end = max(span[0], 1), min(span[1], len(lines))
            # Blank lines carry nothing and some converted documents have one after every line.
            excerpt = [line.rstrip() for line in lines[start - 1:min(end, start - 1 + MAX_EXCERPT_LINES)]
                       if line.strip()]
            if end - start + 1 > MAX_EXCERPT_LINES:
                excerpt.append(f"[... {end - start + 1 - MAX_EXCERPT_LINES} more lines in {name}]")
            if excerpt:
                claim["excerpt"] = excerpt
                count += 1
    return count


def attach_reported_dates(graph: nx.MultiDiGraph, store) -> int:
    """Add to each claim of ``graph`` the date its source was published (``dcterms:date``) as ``reported``,
    for the page's time slider. Returns how many claims got one.

    >>> from wbgraph.store import load_graph
    >>> attach_reported_dates(nx.MultiDiGraph(), load_graph())
    0
    """
    dates = dict(store.query_text("SELECT ?s ?d WHERE { ?s dcterms:date ?d }"))
    count = 0
    for _, _, data in graph.edges(data=True):
        for claim in data.get("claims", []):
            if dates.get(claim.get("source", "")):
                claim["reported"] = dates[claim["source"]]
                count += 1
    return count
