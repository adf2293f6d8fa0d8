"""Load test of ``wbgraph serve``: pages, library queries and /sparql, with runaway queries in the background.

Loopback only: the server runs in this process on 127.0.0.1 and a free port (its SPARQL workers are
processes of their own). The run stops by itself after ``--seconds`` or ``--max-requests``, whichever
comes first. First a baseline: one client running the mix alone. Then ``--clients`` clients run the
same mix (pages, library queries through the pages and the JSON API, library queries through /sparql)
while ``--runaway`` clients send a query that never ends, again and again, from another loopback
address (127.0.0.2), so they meet the per-client cap. For each kind of request: throughput, p50 and
p99 latency and errors; the ratio of p50 under load to the baseline p50. Target: no errors on pages
and library queries. /sparql answers 503 (with Retry-After) while the runaway queries hold its
workers: those are counted apart, as "busy", not as errors.

    python bench/bench_serve.py --clients 4 --seconds 20 --runaway 4
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import httpx  # noqa: E402

from server_fixtures import running  # noqa: E402
from wbgraph.queries import bind_parameters, list_queries  # noqa: E402
from wbgraph.bindings import bind_values  # noqa: E402
from wbgraph.server import create_app  # noqa: E402
from wbgraph.store import load_graph  # noqa: E402


def library_texts(store) -> list[tuple[str, str]]:
    """Every library query as self-contained SPARQL text, its default parameters bound as VALUES."""
    out = []
    for query in list_queries():
        given = {p.name: p.default for p in query.parameters if p.default is not None}
        if len(given) < len(query.parameters):
            continue
        bindings = bind_parameters(store, query, given) if query.parameters else {}
        out.append((query.name, bind_values(query.text, bindings) if bindings else query.text))
    return out


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
PAGES = ["/", "/search?q=Serbia", "/id/russia", "/id/north-macedonia", "/queries", "/paths?from=Russia&to=Serbia",
         "/network?focus=Serbia", "/api/search?q=KSA", "/source/doc-001?lines=718-720"]


def request_mix(texts) -> list[tuple[str, str, dict | None]]:
    """(kind, path, form) triples: every page, every library query through a page, the API and /sparql."""
    mix = [("page", path, None) for path in PAGES]
    for name, text in texts:
        mix.append(("library", f"/queries/{name}?run=1", None))
        mix.append(("library", f"/api/queries/{name}", None))
        mix.append(("sparql", "/sparql", {"query": text}))
    return mix


def _new_stats() -> dict:
    return {"latencies": [], "errors": [], "busy": 0}


async def client_loop(url: str, mix, stop_at: float, budget: list[int], stats: dict, offset: int) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        i = offset
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            kind, path, form = mix[i % len(mix)]
            i += 1
            started = time.perf_counter()
            try:
                if form is None:
                    response = await client.get(url + path)
                else:
                    response = await client.post(url + path, data=form,
                                                 headers={"Accept": "application/sparql-results+json"})
                if kind == "sparql" and response.status_code == 503 and "Retry-After" in response.headers:
                    stats[kind]["busy"] += 1
                elif response.status_code != 200:
                    stats[kind]["errors"].append(f"{path[:60]}: {response.status_code} {response.text[:120]}")
            except httpx.HTTPError as err:
                stats[kind]["errors"].append(f"{path[:60]}: {err!r}")
            stats[kind]["latencies"].append(time.perf_counter() - started)


async def runaway_loop(url: str, stop_at: float, outcomes: Counter) -> None:
    """Send a query that never ends, again and again, from 127.0.0.2 (another client for the server)."""
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(timeout=120, transport=transport) as client:
        while time.monotonic() < stop_at:
            try:
                response = await client.post(url + "/sparql", data={"query": RUNAWAY})
                outcomes["stopped" if "was stopped" in response.text else
                         "busy" if response.status_code == 503 else str(response.status_code)] += 1
                if response.status_code == 503 and "Retry-After" in response.headers:
                    await asyncio.sleep(min(1.0, max(0.0, stop_at - time.monotonic())))
            except httpx.HTTPError as err:
                outcomes[type(err).__name__] += 1


async def load(url: str, mix, clients: int, seconds: float, max_requests: int, runaway: int = 0) -> dict:
    stats = {kind: _new_stats() for kind in ("page", "library", "sparql")}
    outcomes: Counter = Counter()
    budget = [max_requests]
    started = time.monotonic()
    stop_at = started + seconds
    runaways = [asyncio.create_task(runaway_loop(url, stop_at, outcomes)) for _ in range(runaway)]
    if runaway:
        await asyncio.sleep(0.5)  # let them take the workers first
    await asyncio.gather(*(client_loop(url, mix, stop_at, budget, stats, k * 7) for k in range(clients)))
    elapsed = time.monotonic() - started
    await asyncio.gather(*runaways)
    summary = {"seconds": elapsed, "runaway": dict(outcomes)}
    for kind, data in stats.items():
        ordered = sorted(data["latencies"])
        summary[kind] = {
            "requests": len(ordered), "throughput": len(ordered) / elapsed, "errors": data["errors"],
            "busy": data["busy"],
            "p50": statistics.median(ordered) if ordered else float("nan"),
            "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")}
    return summary


def report(label: str, result: dict) -> None:
    print(f"{label} ({result['seconds']:.1f} s):")
    for kind in ("page", "library", "sparql"):
        r = result[kind]
        print(f"  {kind:>8}: {r['requests']:6d} requests, {r['throughput']:7.1f} req/s, p50 {r['p50'] * 1000:7.1f} ms, "
              f"p99 {r['p99'] * 1000:7.1f} ms, errors {len(r['errors'])}, busy (503 + Retry-After) {r['busy']}")
    if result["runaway"]:
        print(f"  runaway queries: {result['runaway']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--runaway", type=int, default=4, help="clients sending never-ending queries meanwhile")
    parser.add_argument("--query-timeout", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workers-per-client", type=int, default=None,
                        help="most workers one address holds (default: all)")
    args = parser.parse_args()
    store = load_graph()
    texts = library_texts(store)
    mix = request_mix(texts)
    app = create_app(store, query_timeout=args.query_timeout, workers=args.workers,
                     workers_per_client=args.workers_per_client)
    with running(app) as url:
        asyncio.run(load(url, mix, 1, 60.0, len(mix)))  # warm-up: every request once (caches, pages, workers)
        baseline = asyncio.run(load(url, mix, 1, min(5.0, args.seconds), args.max_requests))
        result = asyncio.run(load(url, mix, args.clients, args.seconds, args.max_requests, args.runaway))
        app.state.wb.pool.close()
    print(f"{len(PAGES)} pages and {len(texts)} library queries (page, API, /sparql) on the curated graph "
          f"({len(store)} triples); query timeout {args.query_timeout:g} s, {args.workers} SPARQL workers, "
          f"at most {args.workers_per_client or args.workers} per client")
    report("1 client, nothing else running (baseline)", baseline)
    report(f"{args.clients} clients with {args.runaway} runaway queries in the background", result)
    for kind in ("page", "library"):
        print(f"{kind} p50 under load / baseline p50: {result[kind]['p50'] / baseline[kind]['p50']:.2f}")
    errors = [e for kind in ("page", "library") for e in baseline[kind]["errors"] + result[kind]["errors"]]
    for line in (errors + result["sparql"]["errors"])[:8]:
        print("  error:", line)
    ok = not errors
    print("target (no errors on pages and library queries):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
