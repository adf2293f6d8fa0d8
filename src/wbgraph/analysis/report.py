"""Every measure as CSV and JSON, and a Markdown report for people."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..namespaces import shorten
from ..outputs import csv_text
from .centrality import centrality_table
from .communities import detect_communities
from .exposure import exposure_table

__all__ = ["MEASURES", "analyse", "node_measures", "write_analysis"]

MEASURES = ("in_degree", "out_degree", "betweenness", "closeness", "pagerank", "eigenvector", "k_core", "brokerage")
TOP = 10


def analyse(graph: nx.MultiDiGraph, *, seed: int = 42, max_hops: int = 3) -> dict:
    """Centrality, communities and exposure of a projected network, as plain data."""
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "centrality": centrality_table(graph, seed=seed),
        "communities": detect_communities(graph, seed=seed),
        "exposure": exposure_table(graph, max_hops=max_hops),
    }


def _fmt(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def write_analysis(graph: nx.MultiDiGraph, directory: Path, *, seed: int = 42, max_hops: int = 3,
                   result: dict | None = None) -> list[str]:
    """Write centrality, communities and exposure (CSV and JSON) and ``analysis.md`` into ``directory``.

    ``result`` is :func:`analyse`'s output when the caller has it already.
    """
    result = result or analyse(graph, seed=seed, max_hops=max_hops)
    label = {n: d.get("label", shorten(n)) for n, d in graph.nodes(data=True)}
    kind = {n: d.get("kind", "") for n, d in graph.nodes(data=True)}
    membership = result["communities"]["membership"]
    table = result["centrality"]
    nodes = sorted(table, key=lambda n: (label[n].casefold(), n))
    rows = [[shorten(n), label[n], kind[n], membership.get(n, "")] + [_fmt(table[n][m]) for m in MEASURES]
            for n in nodes]
    files = {
        "centrality.csv": csv_text(["iri", "label", "kind", "community", *MEASURES], rows),
        "centrality.json": json.dumps(
            [{"iri": n, "label": label[n], "kind": kind[n], "community": membership.get(n),
              **{m: table[n][m] for m in MEASURES}} for n in nodes], indent=2, ensure_ascii=False),
        "communities.csv": csv_text(["community", "iri", "label", "kind"], [
            [i, shorten(n), label[n], kind[n]] for i, group in enumerate(result["communities"]["communities"])
            for n in group]),
        "communities.json": json.dumps({
            "modularity": result["communities"]["modularity"],
            "communities": [[{"iri": n, "label": label[n]} for n in g] for g in result["communities"]["communities"]],
        }, indent=2, ensure_ascii=False),
        "exposure.csv": csv_text(
            ["economy", "label", "powers", "independent_paths", "score", "mechanisms", "power_names",
             "powers_via_region"],
            [[shorten(r["economy"]), r["label"], r["powers"], r["independent_paths"], r["score"],
              "; ".join(r["mechanisms"]), "; ".join(r["power_names"]), r["powers_via_region"]]
             for r in result["exposure"]]),
        "exposure.json": json.dumps(result["exposure"], indent=2, ensure_ascii=False),
        "analysis.md": report_markdown(result, label, kind, max_hops=max_hops),
    }
    for name, text in files.items():
        (directory / name).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return list(files)


def report_markdown(result: dict, label: dict, kind: dict, *, max_hops: int = 3) -> str:
    """The analysis for people: top actors per measure, communities, exposure and method notes."""
    table = result["centrality"]
    out = [
        "# Network analysis",
        "",
        f"The actor network has {result['nodes']} actors and {result['edges']} relations (one edge per "
        "subject, predicate and object, from every claim that is not negated).",
        "",
        "## Top actors per measure",
    ]
    for measure in MEASURES:
        top = sorted(table, key=lambda n: (-table[n][measure], label[n].casefold()))[:TOP]
        top = [n for n in top if table[n][measure] > 0]
        if not top:
            continue
        out += ["", f"### {measure.replace('_', ' ')}", "", "| rank | actor | kind | value |", "|---:|---|---|---:|"]
        out += [f"| {i} | {label[n]} | {kind[n]} | {_fmt(table[n][measure])} |" for i, n in enumerate(top, 1)]
    comm = result["communities"]
    out += ["", "## Communities", "",
            f"Louvain (seed 42) finds {len(comm['communities'])} communities, modularity "
            f"{comm['modularity']:.3f}. The largest:", ""]
    for i, group in enumerate(comm["communities"][:8]):
        names = ", ".join(label[n] for n in sorted(group, key=lambda n: -table[n]["pagerank"])[:8])
        more = f" and {len(group) - 8} more" if len(group) > 8 else ""
        out.append(f"- **{i}** ({len(group)} actors): {names}{more}")
    out += ["", "## Exposure of the Western Balkan economies", "",
            f"Paths of at most {max_hops} hops from each external power; see docs/methods.md.", "",
            "| economy | powers | independent paths | score | mechanisms on those paths | powers reaching the region as a whole |",
            "|---|---:|---:|---:|---|---:|"]
    for row in result["exposure"]:
        out.append(f"| {row['label']} | {row['powers']} ({', '.join(row['power_names']) or '-'}) | "
                   f"{row['independent_paths']} | {row['score']} | {', '.join(row['mechanisms']) or '-'} | "
                   f"{row['powers_via_region']} |")
    out += ["", "## Method notes", "",
            "- Degree counts relations (parallel relations between two actors count once per predicate).",
            "- Betweenness and closeness use hop counts on the network with parallel edges merged; betweenness "
            "is normalised.",
            "- PageRank (damping 0.85) and eigenvector centrality are weighted by confidence: stated 1.0, "
            "alleged 0.6, implied 0.4 (the firmest claim behind an edge).",
            "- Brokerage counts the shortest paths from external powers to Western Balkan economies that "
            "pass through an actor.",
            "- Communities: Louvain on the undirected, confidence-weighted network, seed 42.",
            "- Exposure: see docs/methods.md for the rules and a worked example."]
    return "\n".join(out) + "\n"


def node_measures(graph: nx.MultiDiGraph, *, seed: int = 42, result: dict | None = None) -> dict[str, dict[str, float]]:
    """Every centrality measure and the community of each node, for exports.

    ``result`` is :func:`analyse`'s output when the caller has it already.
    """
    table = result["centrality"] if result else centrality_table(graph, seed=seed)
    membership = (result["communities"] if result else detect_communities(graph, seed=seed))["membership"]
    return {node: {**values, "community": membership.get(node, -1)} for node, values in table.items()}
