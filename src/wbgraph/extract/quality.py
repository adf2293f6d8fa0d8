"""How close the candidates of :func:`~wbgraph.extract.extract` come to the curated claims of the
same document: recall of the curated claims (same subject and object, lines within a tolerance) and
the share of candidates that match some curated claim."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from ..store import GraphStore

__all__ = ["Quality", "compare_with_claims"]

_CLAIMS = """
SELECT ?s ?o ?a ?b WHERE {
  ?c a wb:Claim ; rdf:subject ?s ; rdf:object ?o ; prov:wasDerivedFrom ?src ; wb:lineStart ?a .
  OPTIONAL { ?c wb:lineEnd ?b }
}
"""


@dataclass
class Quality:
    """Counts for one document: curated claims, those found, candidates, those matching."""

    source: str
    claims: int
    found: int
    candidates: int
    matching: int

    @property
    def recall(self) -> float:
        """Share of the curated claims that some candidate covers."""
        return self.found / self.claims if self.claims else 0.0

    @property
    def match_share(self) -> float:
        """Share of the candidates that match some curated claim."""
        return self.matching / self.candidates if self.candidates else 0.0


def _near(a: tuple[int, int], b: tuple[int, int], tolerance: int) -> bool:
    return a[0] - tolerance <= b[1] and b[0] - tolerance <= a[1]


def compare_with_claims(store: GraphStore, extraction, source: str, tolerance: int = 3) -> Quality:
    """Compare the candidates of ``extraction`` with the curated claims derived from ``source`` (an IRI).

    A curated claim counts as found when a candidate has the same subject and object and line ranges
    that overlap or lie within ``tolerance`` lines of each other; the predicate is not compared
    (candidates may leave it blank).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from wbgraph.store import load_graph
    >>> from wbgraph.extract import extract
    >>> store = load_graph()
    >>> copy = Path(tempfile.mkdtemp()) / "004.txt"
    >>> _ = copy.write_text("\\n" * 8 + "Serbia and Montenegro take part in EU missions.\\n")
    >>> quality = compare_with_claims(store, extract(store, copy), "https://w3id.org/wbgraph/id/doc-004")
    >>> quality.claims > 20, quality.candidates > 0
    (True, True)
    """
    claims = [(str(s), str(o), (int(a), int(b if b is not None else a)))
              for s, o, a, b in store.query(_CLAIMS, {"src": URIRef(source)}).rows]
    by_pair: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for s, o, lines in claims:
        by_pair.setdefault((s, o), []).append(lines)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    matching = 0
    for c in extraction.candidates:
        span = (c.sentence.line_start, c.sentence.line_end)
        spans.setdefault((c.subject, c.object), []).append(span)
        if any(_near(span, lines, tolerance) for lines in by_pair.get((c.subject, c.object), [])):
            matching += 1
    found = sum(1 for s, o, lines in claims if any(_near(span, lines, tolerance) for span in spans.get((s, o), [])))
    return Quality(source, len(claims), found, len(extraction.candidates), matching)
