"""The library sweep of ``bench_scale.py``: every library query with its default parameters and with the
parameters that make it work hardest, and the projection against the query that reads its edges.

Each run happens in a forked child with a time budget (``--query-timeout``), so that a query that takes
minutes is reported as ">N s" instead of stalling the sweep.

For each parameter of a library query, a handful of values read from the loaded data: the default, and
for an IRI the busiest entity of each kind a query may take (the actor in most claims as subject and
as object, the source behind most claims, the concept, organisation and event named most often); for a
pair of IRIs (``from``/``to``, ``a``/``b``) also the two busiest actors either way round and a
far-apart pair (the busiest actor and an actor it cannot reach, so that a path search explores all it
reaches); for a confidence each level; for a date the widest period; for text a one-letter search.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from itertools import islice, product

from rdflib import XSD, Literal, URIRef

from wbgraph.bindings import bind_values
from wbgraph.lateral import planned
from wbgraph.namespaces import PREFIXES
from wbgraph.network import _CLAIMS, project_network
from wbgraph.queries import Query, bind_parameters, list_queries
from wbgraph.store import load_graph

PREFIX_LINES = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"

# one query per kind of entity: the busiest ones first
_BUSIEST = {
    "subject": "SELECT ?x (COUNT(?c) AS ?n) WHERE { ?c a wb:Claim ; rdf:subject ?x } "
               "GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 2",
    "object": "SELECT ?x (COUNT(?c) AS ?n) WHERE { ?c a wb:Claim ; rdf:object ?x FILTER(isIRI(?x)) } "
              "GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 2",
    "source": "SELECT ?x (COUNT(?c) AS ?n) WHERE { ?c prov:wasDerivedFrom ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 2",
    "concept": "SELECT ?x (COUNT(?c) AS ?n) WHERE { ?c wb:mechanism|wb:threat|wb:sector ?x } "
               "GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "organisation": "SELECT ?x (COUNT(?m) AS ?n) WHERE { ?m wb:memberOf ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "event": "SELECT ?x (COUNT(?m) AS ?n) WHERE { ?x a wb:Event ; ?p ?m } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
}
# an actor the busiest subject cannot reach along any relation (a path search from it finds nothing)
_FAR = """
SELECT ?x WHERE {
  ?c a wb:Claim ; rdf:predicate wb:exertsInfluenceOn ; rdf:object ?x .
  FILTER(?x != ?hub)
  FILTER NOT EXISTS { ?hub (wb:exertsInfluenceOn|wb:actsThroughProxy|wb:supports|wb:targets|wb:undermines)+ ?x }
} LIMIT 1"""
PAIRS = ({"from", "to"}, {"a", "b"})


def busiest(store) -> dict[str, list[URIRef]]:
    """The busiest entities of each kind in ``store``, and ``far``: an actor the busiest subject cannot reach."""
    found = {kind: [row[0] for row in store.query(text).rows] for kind, text in _BUSIEST.items()}
    hub = found["subject"][0]
    found["far"] = [row[0] for row in store.query(_FAR, {"hub": hub}).rows]
    return found


def _one(param, default, found) -> list:
    if param.type == "iri":
        values = [default, *(found[kind][0] for kind in ("subject", "object", "source", "concept", "organisation",
                                                          "event")),
                  *found["subject"][1:], *found["object"][1:], *found["source"][1:]]
    elif param.type == "confidence":
        values = [default, *(URIRef("https://w3id.org/wbgraph/ontology#" + c) for c in ("stated", "alleged", "implied"))]
    elif param.type == "date":
        values = [default, Literal("1000-01-01", datatype=XSD.date), Literal("2999-12-31", datatype=XSD.date)]
    elif param.type == "string":
        values = [default, Literal("a"), Literal("e")]
    else:
        values = [default]
    return list(dict.fromkeys(values))


def candidates(query: Query, defaults: dict, found: dict, limit: int = 8) -> list[dict]:
    """Up to ``limit`` bindings of ``query``'s parameters to try, the defaults first.

    A pair of IRI parameters takes the default pair, the two busiest subjects and objects either way
    round, and the far-apart pair; a period (``start``/``end``) takes its widest span; any other
    parameter takes each of its values in turn, the others at their defaults.
    """
    names = [p.name for p in query.parameters]
    tries = [dict(defaults)]
    pair = next((p for p in PAIRS if p <= set(names)), None)
    if pair:
        first, second = sorted(pair, key=names.index)
        hubs = list(dict.fromkeys([*found["subject"], *found["object"]]))
        for x, y in [*((found["subject"][0], f) for f in found["far"]), *product(hubs, hubs)]:
            if x != y:
                tries.append({**defaults, first: x, second: y})
        tries += [{**defaults, first: found["source"][0], second: found["source"][-1]}]
    if {"start", "end"} <= set(names):
        tries.append({**defaults, "start": Literal("1000-01-01", datatype=XSD.date),
                      "end": Literal("2999-12-31", datatype=XSD.date)})
    for param in query.parameters:
        if pair and param.name in pair or param.name in ("start", "end") and len(names) > 1:
            continue
        tries += [{**defaults, param.name: value} for value in _one(param, defaults[param.name], found)[1:]]
    unique = list({tuple(sorted((k, str(v)) for k, v in t.items())): t for t in tries}.values())
    return list(islice(unique, limit))


def describe(binding: dict, defaults: dict) -> str:
    """The parameters of ``binding`` that differ from the defaults, shortened for a table cell."""
    changed = [f"{k}={str(v).rsplit('/', 1)[-1].rsplit('#', 1)[-1]}" for k, v in binding.items() if v != defaults[k]]
    return ", ".join(changed) or "defaults"


# -- running with a time budget ----------------------------------------------------------------------

def _worker(func, conn) -> None:
    try:
        conn.send(("ok", func()))
    except BaseException as err:  # a query error, MemoryError: reported, not raised
        conn.send(("error", f"{type(err).__name__}: {err}"[:200]))


def in_child(func, timeout: float):
    """``func()`` in a forked child (the store is shared copy-on-write), or ``">N s"`` when it takes
    longer than ``timeout`` seconds, or ``"error: ..."``."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(func, child))
    process.start()
    child.close()
    outcome = f">{timeout:g} s"
    if parent.poll(timeout):
        try:
            status, value = parent.recv()
            outcome = value if status == "ok" else f"error: {value}"
        except EOFError:
            outcome = "error: the child died"
    process.kill()
    process.join()
    return outcome


def timed_pair(first, second, repeat: int, budget: float = 0.5) -> tuple[float, int, float]:
    """Median times of two functions run by turns (both meet the same load), at least ``repeat`` times
    each and until ``budget`` seconds are spent; and the row count of the first."""
    times: tuple[list, list] = ([], [])
    rows = 0
    while len(times[0]) < repeat or sum(times[0]) + sum(times[1]) < budget:
        for i, func in enumerate((first, second)):
            start = time.perf_counter()
            result = func()
            times[i].append(time.perf_counter() - start)
            if i == 0:
                rows = len(result.rows)
    return statistics.median(times[0]), rows, statistics.median(times[1])


def ox_rows(store, text: str) -> int:
    """Rows of a query sent straight to pyoxigraph, each value read once (as any use of a result does)."""
    result = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    return sum(1 for solution in result if tuple(solution) is not None)


def _once(store, query: Query, bindings: dict):
    def run():
        start = time.perf_counter()
        rows = len(store.query(query.text, bindings).rows)
        return time.perf_counter() - start, rows
    return run


def _pair(store, query: Query, bindings: dict, repeat: int):
    # the text wbgraph sends to Oxigraph: the values also in each branch of a top-level UNION, and the
    # OPTIONALs as the query's plan header asks (wbgraph.lateral)
    text = PREFIX_LINES + planned(bind_values(query.text, bindings, branches=True) if bindings else query.text)
    return lambda: timed_pair(lambda: store.query(query.text, bindings), lambda: ox_rows(store.oxigraph, text), repeat)


def _measure(store, query: Query, bindings: dict, args):
    """One run within ``args.query_timeout`` seconds, then the timed pair against pyoxigraph with room for
    all its runs; or the text of the first budget exceeded."""
    once = in_child(_once(store, query, bindings), args.query_timeout)
    if isinstance(once, str):
        return once
    return in_child(_pair(store, query, bindings, args.repeat), 4 * args.repeat * args.query_timeout)


# -- the sweep ---------------------------------------------------------------------------------------

def _fmt(value) -> str:
    return value if isinstance(value, str) else f"{value * 1000:.1f} ms"


def bench_library(size: int, path, args, row) -> None:
    """Every library query through wbgraph (``GraphStore.query``) and straight to pyoxigraph (the same bound
    text, the same store, each value read), on the curated graph plus the synthetic file: with its default
    parameters, then with each of up to ``args.tries`` parameter sets, each run once, and the slowest of
    them timed again against pyoxigraph. ``row`` prints one table row."""
    curated = load_graph()  # the defaults name curated entities; some synthetic concepts share their labels
    store = load_graph([path])
    found = busiest(store)
    summary = []  # (name, default seconds or text, worst seconds or text, ratios)
    chosen = args.queries
    for query in list_queries():
        if chosen and not any(part in query.name for part in chosen):
            continue
        defaults = bind_parameters(curated, query, {})
        measured = _measure(store, query, defaults, args)
        ratios = []
        if isinstance(measured, tuple):
            wb_time, rows, ox_time = measured
            ratios.append(wb_time / ox_time)
            row(size, f"library {query.name} (ms)", wb_time, ox_time, None,
                f"{rows} rows; default parameters; median of at least {args.repeat} runs and 0.5 s", unit="ms")
        else:
            wb_time = measured
            row(size, f"library {query.name} (ms)", measured, None, None, "default parameters", unit="ms")
        worst, worst_time = None, wb_time
        if query.parameters and isinstance(wb_time, float):
            tries = candidates(query, defaults, found, args.tries)[1:]
            for binding in tries:
                once = in_child(_once(store, query, binding), args.query_timeout)
                seconds = once[0] if isinstance(once, tuple) else once
                if isinstance(seconds, str) or seconds > worst_time:
                    worst, worst_time = binding, seconds
                if isinstance(seconds, str):
                    break  # over the budget: nothing can be worse in this table
            if worst is not None and not isinstance(worst_time, str):
                measured = _measure(store, query, worst, args)
                if isinstance(measured, tuple):
                    worst_time, rows, ox_time = measured
                    ratios.append(worst_time / ox_time)
                    row(size, f"library {query.name}, worst parameters (ms)", worst_time, ox_time, None,
                        f"{rows} rows; {describe(worst, defaults)}: the slowest of {len(tries) + 1} parameter sets",
                        unit="ms")
                else:
                    worst_time = measured
            if worst is not None and isinstance(worst_time, str):
                row(size, f"library {query.name}, worst parameters (ms)", worst_time, None, None,
                    f"{describe(worst, defaults)}: the slowest of {len(tries) + 1} parameter sets", unit="ms")
        summary.append((query.name, wb_time, worst_time, ratios))
    seconds = lambda value: value if not isinstance(value, str) else float("inf")  # noqa: E731
    slow = [(name, d, w) for name, d, w, _ in summary if seconds(d) >= 1 or seconds(w) >= 1]
    ratios = [(r, name) for name, _, _, rs in summary for r in rs]
    within = sum(1 for r, _ in ratios if r <= 1.5)
    highest, highest_name = max(ratios)
    print(f"\n# library queries under 1 s at {size} triples, with default and worst parameters: "
          f"{len(summary) - len(slow)} of {len(summary)}", flush=True)
    for name, default, worst_ in slow:
        print(f"#   {name}: default {_fmt(default)}, worst {_fmt(worst_)}", flush=True)
    print(f"# runs within 1.5x of pyoxigraph: {within} of {len(ratios)}; highest {highest:.2f}x ({highest_name})",
          flush=True)
    bench_projection(size, store, args, row)


def bench_projection(size: int, store, args, row) -> None:
    """The projection (``project_network``) against the SPARQL query that reads its edges (the claims
    with their qualifiers, as plain strings: what the projection itself reads), by turns, in one run."""
    edges, project = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        count = len(store.query_text(_CLAIMS))
        edges.append(time.perf_counter() - start)
        start = time.perf_counter()
        network = project_network(store)
        project.append(time.perf_counter() - start)
    edge_time, project_time = statistics.median(edges), statistics.median(project)
    row(size, "edge query of the projection (s)", edge_time, None, None,
        f"{count} claim rows, read as plain strings; median of {args.repeat}")
    row(size, "project_network / its edge query", project_time, None, None,
        f"{project_time / edge_time:.2f}x (target at most 3x); {network.number_of_nodes()} nodes, "
        f"{network.number_of_edges()} edges; median of {args.repeat}")
