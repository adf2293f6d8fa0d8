"""Influence paths written out for people, with the source of every hop."""

from __future__ import annotations

from ..namespaces import shorten
from .paths import InfluencePath

__all__ = ["format_paths"]


def format_paths(paths: list[InfluencePath], labels: dict[str, str], *, markdown: bool = False) -> str:
    """Each path on a line, then each hop with its relations, mechanisms and sources (with their grade:
    source reliability and claim credibility, see :mod:`wbgraph.grading`).

    >>> from wbgraph.analysis.paths import Hop
    >>> hop = Hop("a", "b", [{"predicate": "supports", "label": "supports", "confidence": "stated",
    ...     "weight": 1.0, "mechanisms": ["loans"], "claims": [{"claim": "urn:c1", "source": "urn:doc",
    ...     "source_label": "Report", "lines": "3-4", "confidence": "stated", "reliability": "B",
    ...     "credibility": 2}]}])
    >>> print(format_paths([InfluencePath(["a", "b"], [hop])], {"a": "A", "b": "B"}))
    Path 1 (1 hop, weight 1.0): A -> B
      1. A -[supports]-> B   mechanisms: loans
           stated, graded B2   Report, lines 3-4   (urn:c1)
    """
    out = []
    for number, path in enumerate(paths, 1):
        names = " -> ".join(labels.get(n, shorten(n)) for n in path.nodes)
        hops = len(path.hops)
        head = f"Path {number} ({hops} hop{'s' if hops != 1 else ''}, weight {round(path.weight, 3)}): {names}"
        out.append(f"### {head}" if markdown else head)
        for i, hop in enumerate(path.hops, 1):
            for edge in hop.edges:
                mech = f"   mechanisms: {', '.join(edge['mechanisms'])}" if edge.get("mechanisms") else ""
                line = (f"{i}. {labels.get(hop.source, shorten(hop.source))} -[{edge.get('label', edge['predicate'])}]-> "
                        f"{labels.get(hop.target, shorten(hop.target))}{mech}")
                out.append(f"- {line}" if markdown else f"  {line}")
                for claim in edge.get("claims", []):
                    source = claim["source_label"] or shorten(claim["source"])
                    grade = (f", graded {claim['reliability']}{claim['credibility']}"
                             if claim.get("reliability") and claim.get("credibility") else "")
                    text = (f"{claim['confidence']}{grade}   {source}, lines {claim['lines']}   "
                            f"({shorten(claim['claim'])})")
                    out.append(f"    - {text}" if markdown else f"       {text}")
        if markdown:
            out.append("")
    return "\n".join(out).rstrip("\n")
