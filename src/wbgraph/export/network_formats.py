"""The projected network for other tools: GEXF (Gephi, with its timeline), GraphML, CSV and Cytoscape.js.

Every function takes the MultiDiGraph of :func:`wbgraph.network.project_network` and, optionally,
``measures``: ``{node: {measure: value}}`` (centrality, community) that travel as node attributes.
GEXF and GraphML hold only numbers and text, so lists are joined with ``"; "`` and the claims behind
an edge are summarised as ``sources`` ("document, lines 3-4; ..."). Nodes and edges are written in
sorted order, so the same network always gives the same bytes.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import math
import numbers
import re
from collections.abc import Iterable, Mapping

import networkx as nx

from ..namespaces import shorten
from ..outputs import csv_text

__all__ = [
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "csv_tables",
    "cytoscape_elements",
    "cytoscape_json",
    "edge_id",
    "flat_network",
    "gexf_bytes",
    "gexf_date",
    "graphml_bytes",
    "source_summary",
]

Measures = Mapping[str, Mapping[str, object]]

SEPARATOR = "; "
NODE_COLUMNS = ("iri", "label", "kind", "classes", "description", "alt_labels")
EDGE_COLUMNS = (
    "source_iri", "source_label", "target_iri", "target_label", "predicate", "mechanisms", "sectors",
    "confidence", "valid_from", "valid_until", "claim", "claim_source", "claim_source_label", "lines", "comment",
)

_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_LINES = re.compile(r"(\d+)(?:-(\d+))?")


def edge_id(source: str, key: str, target: str) -> str:
    """A stable identifier for an edge, the same in every format and every run.

    >>> edge_id("urn:a", "supports", "urn:b")
    'urn:a|supports|urn:b'
    """
    return f"{source}|{key}|{target}"


def gexf_date(text: str, *, end: bool = False) -> str | None:
    """An xsd year, year-month or date as the day GEXF's ``date`` timeformat expects.

    A start is the first day of the period, an end its last day; anything else gives None.

    >>> gexf_date("2014"), gexf_date("2014", end=True), gexf_date("2016-02", end=True)
    ('2014-01-01', '2014-12-31', '2016-02-29')
    >>> gexf_date("2019-05-03T10:00:00"), gexf_date("soon")
    ('2019-05-03', None)
    """
    match = _DATE.match(str(text))
    if not match:
        return None
    year, month, day = match.groups()
    if month is None:
        return f"{year}-12-31" if end else f"{year}-01-01"
    if not 1 <= int(month) <= 12:
        return None
    if day is None:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-{last:02d}" if end else f"{year}-{month}-01"
    return f"{year}-{month}-{day}"


def _lines(text: str) -> str:
    match = _LINES.fullmatch(text)
    if not match:
        return text
    first, last = match.groups()
    return f"line {first}" if last in (None, first) else f"lines {first}-{last}"


def source_summary(claims: Iterable[Mapping]) -> list[str]:
    """Where the claims behind an edge come from, one entry per source and place, in claim order.

    >>> source_summary([{"source": "urn:doc", "source_label": "Report", "lines": "3-3"},
    ...                 {"source": "urn:doc", "source_label": "Report", "lines": "3-3"},
    ...                 {"source": "urn:doc", "source_label": "Report", "lines": "5-7"}])
    ['Report, line 3', 'Report, lines 5-7']
    """
    out: list[str] = []
    for claim in claims:
        name = claim.get("source_label") or shorten(str(claim.get("source") or ""))
        lines = _lines(str(claim.get("lines") or ""))
        text = ", ".join(part for part in (name, lines) if part)
        if text and text not in out:
            out.append(text)
    return out


def _json_value(value: object) -> object:
    """A value JSON can hold: lists stay lists, non-finite numbers become null."""
    if isinstance(value, str | bool) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, set | frozenset):
        value = sorted(value, key=str)
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    return str(value)


def _scalar(value: object) -> object:
    """A value GEXF and GraphML can hold (number, text), or None to leave the attribute out: lists are
    joined, nested lists and mappings are left out."""
    value = _json_value(value)
    if isinstance(value, list):
        if any(isinstance(item, dict | list) for item in value):
            return None
        return SEPARATOR.join(str(item) for item in value)
    return None if isinstance(value, dict) else value


def _sorted_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, dict]]:
    return sorted(((str(u), str(v), str(k), d) for u, v, k, d in graph.edges(keys=True, data=True)),
                  key=lambda e: (e[0], e[2], e[1]))


def _measure_names(measures: Measures | None) -> list[str]:
    names: dict[str, None] = {}
    for values in (measures or {}).values():
        names.update(dict.fromkeys(str(name) for name in values))
    return list(names)


def flat_network(graph: nx.MultiDiGraph, measures: Measures | None = None) -> nx.MultiDiGraph:
    """A sorted copy whose attributes are numbers or text only, with the measures on the nodes.

    Edges lose ``claims`` and gain ``sources`` (see :func:`source_summary`) and ``claim_count``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("urn:a", "urn:b", key="supports", mechanisms=["loans", "media"],
    ...            claims=[{"source_label": "Report", "lines": "4-4"}])
    'supports'
    >>> flat = flat_network(g, {"urn:a": {"pagerank": 0.5}})
    >>> flat.nodes["urn:a"]
    {'pagerank': 0.5}
    >>> flat.edges["urn:a", "urn:b", "supports"]
    {'mechanisms': 'loans; media', 'predicate': 'supports', 'sources': 'Report, line 4', 'claim_count': 1}
    """
    flat = nx.MultiDiGraph()
    measures = measures or {}
    for node in sorted(graph.nodes, key=str):
        attrs = {**graph.nodes[node], **measures.get(str(node), {})}
        flat.add_node(str(node), **{k: v for k, v in ((str(k), _scalar(v)) for k, v in attrs.items())
                                    if v is not None})
    for u, v, key, data in _sorted_edges(graph):
        attrs = {k: s for k, s in ((str(k), _scalar(x)) for k, x in data.items() if k != "claims")
                 if s is not None}
        attrs.setdefault("predicate", key)
        claims = data.get("claims") or []
        if claims:
            attrs["sources"] = SEPARATOR.join(source_summary(claims))
            attrs["claim_count"] = len(claims)
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def gexf_bytes(graph: nx.MultiDiGraph, measures: Measures | None = None) -> bytes:
    """GEXF 1.2 for Gephi. Edges with dates get ``start``/``end`` days, which turns on Gephi's timeline.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("urn:a", "urn:b", key="memberOf", valid_from="2015")
    'memberOf'
    >>> back = nx.read_gexf(io.BytesIO(gexf_bytes(g)))
    >>> back.edges["urn:a", "urn:b"]["start"]
    '2015-01-01'
    """
    from networkx.readwrite.gexf import GEXFWriter

    flat = flat_network(graph, measures)
    for u, v, key, data in flat.edges(keys=True, data=True):
        data["id"] = edge_id(u, key, v)
        start = gexf_date(data.get("valid_from", "") or "")
        end = gexf_date(data.get("valid_until", "") or "", end=True)
        if start:
            data["start"] = start
        if end:
            data["end"] = end
    flat.graph["name"] = "wbgraph"
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(flat)
    # Gephi merges edges of one kind between the same two nodes (summing their weights): the
    # predicate as the edge's kind keeps parallel relations apart, each with its own label.
    kinds = {data["id"]: key for _, _, key, data in flat.edges(keys=True, data=True)}
    for element in writer.xml.iter("edge"):
        element.set("kind", kinds[element.get("id")])
    meta = writer.xml.find("meta")
    if meta is not None:  # the writer stamps today's date, which would make every run differ
        meta.attrib.pop("lastmodifieddate", None)
        meta.find("creator").text = "wbgraph"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def graphml_bytes(graph: nx.MultiDiGraph, measures: Measures | None = None) -> bytes:
    """GraphML (yEd, Gephi, Cytoscape, igraph), each edge identified by :func:`edge_id`.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("urn:a", "urn:b", key="supports", weight=0.6)
    'supports'
    >>> back = nx.read_graphml(io.BytesIO(graphml_bytes(g)), force_multigraph=True)
    >>> back.edges["urn:a", "urn:b", "urn:a|supports|urn:b"]
    {'weight': 0.6, 'predicate': 'supports', 'edge_id': 'urn:a|supports|urn:b'}
    """
    flat = flat_network(graph, measures)
    keyed = nx.MultiDiGraph()
    keyed.add_nodes_from(flat.nodes(data=True))
    # the id also as an attribute: igraph, for one, numbers edges itself and drops GraphML's edge ids
    keyed.add_edges_from((u, v, edge_id(u, key, v), {**data, "edge_id": edge_id(u, key, v)})
                         for u, v, key, data in flat.edges(keys=True, data=True))
    buffer = io.BytesIO()
    nx.write_graphml_xml(keyed, buffer, encoding="utf-8", prettyprint=True, infer_numeric_types=True)
    return buffer.getvalue()


def _cell(value: object) -> object:
    value = _scalar(value)
    return "" if value is None else value


def _claim_rows(graph: nx.MultiDiGraph, u: str, v: str, key: str, data: Mapping) -> list[list[object]]:
    """The CSV rows of one edge: one per claim (or one from the edge itself when it has no claims)."""
    ends = [u, _cell(graph.nodes[u].get("label")), v, _cell(graph.nodes[v].get("label")), data.get("predicate", key)]
    rows = []
    for claim in data.get("claims") or [{}]:
        qualifiers = [_cell(claim.get(name, data.get(name)))
                      for name in ("mechanisms", "sectors", "confidence", "valid_from", "valid_until")]
        provenance = [_cell(claim.get(name)) for name in ("claim", "source", "source_label", "lines", "comment")]
        rows.append([*ends, *qualifiers, *provenance])
    return rows


def csv_tables(graph: nx.MultiDiGraph, measures: Measures | None = None) -> dict[str, str]:
    """Two CSV tables: ``nodes`` (one row per node, measures last) and ``edges`` (one row per claim).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("urn:a", label="A, the first")
    >>> g.add_edge("urn:a", "urn:b", key="supports", confidence="stated",
    ...            claims=[{"claim": "urn:c1", "confidence": "stated"}, {"claim": "urn:c2", "confidence": "alleged"}])
    'supports'
    >>> tables = csv_tables(g)
    >>> print(tables["nodes"], end="")
    iri,label,kind,classes,description,alt_labels
    urn:a,"A, the first",,,,
    urn:b,,,,,
    >>> [(row["claim"], row["confidence"]) for row in csv.DictReader(io.StringIO(tables["edges"]))]
    [('urn:c1', 'stated'), ('urn:c2', 'alleged')]
    """
    names = [n for n in _measure_names(measures) if n not in NODE_COLUMNS]
    measures = measures or {}
    nodes = []
    for node in sorted(graph.nodes, key=str):
        data, values = graph.nodes[node], measures.get(str(node), {})
        nodes.append([str(node), *(_cell(data.get(c)) for c in NODE_COLUMNS[1:]), *(_cell(values.get(n)) for n in names)])
    edges = [row for u, v, key, data in _sorted_edges(graph) for row in _claim_rows(graph, u, v, key, data)]
    return {"nodes": csv_text([*NODE_COLUMNS, *names], nodes), "edges": csv_text(EDGE_COLUMNS, edges)}


def cytoscape_elements(graph: nx.MultiDiGraph, measures: Measures | None = None) -> dict:
    """The network as Cytoscape.js elements, in the ``.cyjs`` layout that Cytoscape desktop also reads.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("urn:a", "urn:b", key="supports")
    'supports'
    >>> cytoscape_elements(g, {"urn:a": {"community": 0}})["elements"]["nodes"]
    [{'data': {'community': 0, 'id': 'urn:a'}}, {'data': {'id': 'urn:b'}}]
    """
    measures = measures or {}
    nodes = [{"data": {**{k: _json_value(v) for k, v in {**graph.nodes[n], **measures.get(str(n), {})}.items()},
                       "id": str(n)}}
             for n in sorted(graph.nodes, key=str)]
    edges = []
    for u, v, key, data in _sorted_edges(graph):
        attrs = {k: _json_value(x) for k, x in data.items() if k != "claims"}
        attrs.setdefault("predicate", key)
        attrs["sources"] = source_summary(data.get("claims") or [])
        edges.append({"data": {**attrs, "id": edge_id(u, key, v), "source": u, "target": v}})
    return {
        "format_version": "1.0",
        "generated_by": "wbgraph",
        "target_cytoscapejs_version": "~2.1",
        "data": {"name": "wbgraph"},
        "elements": {"nodes": nodes, "edges": edges},
    }


def cytoscape_json(graph: nx.MultiDiGraph, measures: Measures | None = None) -> str:
    """Cytoscape.js JSON: ``{"elements": {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}}``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("urn:a", "urn:b", key="supports", mechanisms=["loans"])
    'supports'
    >>> json.loads(cytoscape_json(g))["elements"]["edges"][0]["data"]
    {'mechanisms': ['loans'], 'predicate': 'supports', 'sources': [], 'id': 'urn:a|supports|urn:b', 'source': 'urn:a', 'target': 'urn:b'}
    """
    return json.dumps(cytoscape_elements(graph, measures), indent=2, ensure_ascii=False) + "\n"
