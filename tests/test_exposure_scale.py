"""Exposure in one walk per power gives the numbers of the former per-pair search (kept here as the
reference), on the curated graph, the fictional graph and synthetic graphs."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from wbgraph.analysis import exposure_table
from wbgraph.analysis.exposure import REGION, independent_paths
from wbgraph.analysis.paths import enumerate_paths
from wbgraph.network import project_network
from wbgraph.store import load_graph
from wbgraph.synth import write_synthetic

from .conftest import DATA, MINI


def reference_exposure(graph: nx.MultiDiGraph, *, max_hops: int = 3, region: str = REGION) -> list[dict]:
    """The exposure table as computed before issue 18: one path search on a copy of the network per
    (power, economy) pair."""
    def paths(power, target):
        return enumerate_paths(graph, power, target, max_hops=max_hops, limit=1000)

    labels = {n: d.get("label", n) for n, d in graph.nodes(data=True)}
    powers = sorted(n for n, d in graph.nodes(data=True) if "ExternalPower" in d.get("classes", ()))
    economies = sorted(n for n, d in graph.nodes(data=True) if "WesternBalkanEconomy" in d.get("classes", ()))
    region_powers = sorted(labels[p] for p in powers if paths(p, region))
    rows = []
    for economy in economies:
        reached, mechanisms, count, score, by_power = [], set(), 0, 0.0, {}
        for power in powers:
            if power == economy:
                continue
            chosen = independent_paths(paths(power, economy))
            if not chosen:
                continue
            reached.append(labels[power])
            count += len(chosen)
            score += sum(p.weight for p in chosen)
            by_power[labels[power]] = len(chosen)
            for path in chosen:
                for hop in path.hops:
                    for edge in hop.edges:
                        mechanisms.update(edge.get("mechanisms", []))
        rows.append({"economy": economy, "label": labels[economy], "powers": len(reached),
                     "power_names": sorted(reached), "independent_paths": count, "score": round(score, 4),
                     "mechanisms": sorted(mechanisms), "powers_via_region": len(region_powers),
                     "region_power_names": region_powers, "paths_by_power": dict(sorted(by_power.items()))})
    return sorted(rows, key=lambda r: (-r["score"], -r["powers"], r["label"]))


def test_curated_exposure_is_todays(curated_store):
    graph = project_network(curated_store)
    rows = exposure_table(graph)
    assert rows == reference_exposure(graph)
    assert sum(r["independent_paths"] for r in rows) > 0 and rows[0]["powers"] > 0


@pytest.mark.parametrize("max_hops", [2, 3, 4])
def test_curated_exposure_is_todays_at_every_depth(curated_store, max_hops):
    graph = project_network(curated_store, min_confidence="alleged")
    assert exposure_table(graph, max_hops=max_hops) == reference_exposure(graph, max_hops=max_hops)


def test_fictional_exposure_is_todays():
    graph = project_network(load_graph([MINI], curated=False))
    assert exposure_table(graph) == reference_exposure(graph)


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_exposure_is_todays(tmp_path, seed):
    path = write_synthetic(tmp_path / "synth.nt", 12000, seed)
    graph = project_network(load_graph([path], curated=False))
    rows = exposure_table(graph)
    assert rows == reference_exposure(graph)
    assert sum(r["independent_paths"] for r in rows) > 10


def test_synthetic_exposure_snapshot(tmp_path):
    """Values captured with the per-pair search before it was replaced (synthetic graph, seed 1)."""
    path = write_synthetic(tmp_path / "synth.nt", 10000, 1)
    rows = exposure_table(project_network(load_graph([path], curated=False)))
    expected = json.loads((DATA / "exposure-synth-10k-seed1.json").read_text(encoding="utf-8"))
    assert [[r["economy"], r["powers"], r["independent_paths"], r["score"], r["mechanisms"]] for r in rows] == expected
