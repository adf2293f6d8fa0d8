"""DISARM Red Framework techniques and the reviewed mapping from wbgraph's concepts to them.

The technique list is read, offline, from the DISARM clusters of the MISP galaxy that the
``pymispgalaxies`` package ships (CC0 or BSD-2-Clause as published by MISP; the DISARM framework itself
is CC BY-SA 4.0 by the DISARM Foundation: see docs/disarm.md). The mapping is data in
``ontology/disarm.ttl``: one ``wb:DisarmMapping`` per row with the concept, the technique identifier
(none when DISARM has no counterpart) and the rationale.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import WbgraphError

__all__ = ["DISARM_SOURCE", "Technique", "concept_techniques", "disarm_techniques", "technique"]

#: Where the technique list comes from, for attribution in exports.
DISARM_SOURCE = "DISARM Red Framework (DISARM Foundation, CC BY-SA 4.0), via the MISP galaxy in pymispgalaxies"

_CLUSTER = ("data", "misp-galaxy", "clusters", "disarm-techniques.json")

_MAPPING = """
SELECT ?concept ?technique WHERE {
  ?row a wb:DisarmMapping ; wb:mappedConcept ?concept ; wb:disarmTechnique ?technique .
}
ORDER BY ?concept ?technique
"""


@dataclass(frozen=True)
class Technique:
    """One DISARM technique: its identifier, name, tactic and reference page."""

    id: str
    name: str
    tactic: str
    url: str
    uuid: str

    @property
    def title(self) -> str:
        """``"T0023 Distort Facts"``: how pages and tables show it."""
        return f"{self.id} {self.name}"


@lru_cache(maxsize=1)
def disarm_techniques() -> dict[str, Technique]:
    """Every DISARM technique by identifier, from the copy that pymispgalaxies installs.

    >>> disarm_techniques()["T0023"].name
    'Distort Facts'
    """
    # Find the package's folder without importing it: its import pulls in jsonschema and compiles
    # dozens of grammars (about 2.5 s), and only its data file is needed here.
    spec = importlib.util.find_spec("pymispgalaxies")
    if spec is None or not spec.submodule_search_locations:
        raise WbgraphError("the DISARM technique list needs the pymispgalaxies package",
                           hint="pip install pymispgalaxies (a dependency of wbgraph)")
    cluster = Path(next(iter(spec.submodule_search_locations))).joinpath(*_CLUSTER)
    data = json.loads(cluster.read_text(encoding="utf-8"))
    found = {}
    for value in data["values"]:
        meta = value.get("meta", {})
        ident = meta.get("external_id")
        if not ident:
            continue
        tactic = ", ".join(k.split(":", 1)[-1] for k in meta.get("kill_chain", []))
        refs = meta.get("refs") or [""]
        found[ident] = Technique(ident, value["value"], tactic, refs[0], value["uuid"])
    return found


def technique(ident: str) -> Technique:
    """The technique ``ident`` (``"T0023"``), or a clear error naming what to do.

    >>> technique("T0110").title
    'T0110 Formal Diplomatic Channels'
    >>> technique("T9999")
    Traceback (most recent call last):
    ...
    wbgraph.errors.WbgraphError: unknown DISARM technique 'T9999'. use an identifier of the DISARM Red Framework, such as T0023
    """
    known = disarm_techniques()
    if ident not in known:
        raise WbgraphError(f"unknown DISARM technique '{ident}'",
                           hint="use an identifier of the DISARM Red Framework, such as T0023")
    return known[ident]


def concept_techniques(store) -> dict[str, list[str]]:
    """``{concept IRI: [technique id, ...]}`` from the mapping rows loaded in ``store``.

    >>> from wbgraph.store import load_graph
    >>> concept_techniques(load_graph(curated=False))["https://w3id.org/wbgraph/id/mech-deepfakes"]
    ['T0086.002', 'T0087.001']
    """
    key = "disarm:concept-techniques"
    if key not in store.cache:
        mapping: dict[str, list[str]] = {}
        for concept, ident in store.query_text(_MAPPING):
            mapping.setdefault(concept, []).append(ident)
        store.cache[key] = mapping
    return {k: list(v) for k, v in store.cache[key].items()}
