"""Influence paths and reach written out for people, with the source of every hop."""

from __future__ import annotations

from ..lookup import readable_kind
from ..namespaces import shorten
from .paths import InfluencePath

__all__ = ["format_paths", "format_reach"]


def _relation_lines(number: str, source: str, edge: dict, target: str, *, markdown: bool) -> list[str]:
    """One relation ("A -[predicate]-> B") and every claim behind it, with its summary in our words."""
    mech = f"   mechanisms: {', '.join(edge['mechanisms'])}" if edge.get("mechanisms") else ""
    line = f"{number} {source} -[{edge.get('label', edge['predicate'])}]-> {target}{mech}".lstrip()
    out = [f"- {line}" if markdown else f"  {line}"]
    for claim in edge.get("claims", []):
        origin = claim["source_label"] or shorten(claim["source"])
        grade = (f", graded {claim['reliability']}{claim['credibility']}"
                 if claim.get("reliability") and claim.get("credibility") else "")
        text = f"{claim['confidence']}{grade}   {origin}, lines {claim['lines']}   ({shorten(claim['claim'])})"
        out.append(f"    - {text}" if markdown else f"       {text}")
        if claim.get("comment"):
            summary = f"in our words: {claim['comment']}"
            out.append(f"      {summary}" if markdown else f"         {summary}")
    return out


def format_paths(paths: list[InfluencePath], labels: dict[str, str], *, markdown: bool = False) -> str:
    """Each path on a line, then each hop with its relations, mechanisms and sources (with their grade:
    source reliability and claim credibility, see :mod:`wbgraph.grading`).

    >>> from wbgraph.analysis.paths import Hop
    >>> hop = Hop("a", "b", [{"predicate": "supports", "label": "supports", "confidence": "stated",
    ...     "weight": 1.0, "mechanisms": ["loans"], "claims": [{"claim": "urn:c1", "source": "urn:doc",
    ...     "source_label": "Report", "lines": "3-4", "confidence": "stated", "reliability": "B",
    ...     "credibility": 2, "comment": "A backs B."}]}])
    >>> print(format_paths([InfluencePath(["a", "b"], [hop])], {"a": "A", "b": "B"}))
    Path 1 (1 hop, weight 1.0): A -> B
      1. A -[supports]-> B   mechanisms: loans
           stated, graded B2   Report, lines 3-4   (urn:c1)
             in our words: A backs B.
    """
    out = []
    for number, path in enumerate(paths, 1):
        names = " -> ".join(labels.get(n, shorten(n)) for n in path.nodes)
        hops = len(path.hops)
        head = f"Path {number} ({hops} hop{'s' if hops != 1 else ''}, weight {round(path.weight, 3)}): {names}"
        out.append(f"### {head}" if markdown else head)
        for i, hop in enumerate(path.hops, 1):
            for edge in hop.edges:
                out += _relation_lines(f"{i}.", labels.get(hop.source, shorten(hop.source)), edge,
                                       labels.get(hop.target, shorten(hop.target)), markdown=markdown)
        if markdown:
            out.append("")
    return "\n".join(out).rstrip("\n")


def format_reach(rows: list[dict], labels: dict[str, str], *, markdown: bool = False) -> str:
    """Each reached actor, nearest first, with the relations that reach it and their sources.

    >>> rows = [{"node": "b", "label": "B", "kind": "State", "hops": 1, "relations": [{"source": "a",
    ...     "predicate": "targets", "label": "targets", "mechanisms": [], "claims": [{"claim": "urn:c1",
    ...     "source": "urn:doc", "source_label": "Report", "lines": "7-7", "confidence": "alleged"}]}]}]
    >>> print(format_reach(rows, {"a": "A", "b": "B"}))
    B (State), 1 hop
      A -[targets]-> B
           alleged   Report, lines 7-7   (urn:c1)
    """
    by_node = {row["node"]: row for row in rows}
    out = []
    for row in rows:
        hops = row["hops"]
        kind = readable_kind(row["kind"]) or "no class"
        head = f"{row['label']} ({kind}), {hops} hop{'s' if hops != 1 else ''}"
        if hops > 1:  # the way there, so that a far actor is not read as reached directly
            route, step = [row["label"]], row
            while step.get("via") in by_node:
                step = by_node[step["via"]]
                route.append(step["label"])
            route.append(labels.get(step.get("via", ""), shorten(step.get("via", ""))))
            head += ", route: " + " -> ".join(reversed(route))
        out.append(f"### {head}" if markdown else head)
        for edge in row["relations"]:
            out += _relation_lines("", labels.get(edge["source"], shorten(edge["source"])), edge,
                                   row["label"], markdown=markdown)
        if markdown:
            out.append("")
    return "\n".join(out).rstrip("\n")
