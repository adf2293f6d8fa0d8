"""Load test of ``wbgraph serve``: N concurrent clients for T seconds running library queries via /sparql.

Loopback only: the server runs in this process on 127.0.0.1 and a free port. The run stops by itself
after ``--seconds`` or ``--max-requests``, whichever comes first. Prints throughput, p50 and p99 latency
and the number of errors, and the ratio of p50 under load to a single client's p50 measured in the
same run (the baseline). Target on the curated graph: no errors, p99 under a second.

    python bench/bench_serve.py --clients 8 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
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


async def client_loop(url: str, texts, stop_at: float, budget: list[int], latencies: list[float],
                      errors: list[str], offset: int) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        i = offset
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            name, text = texts[i % len(texts)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.post(url + "/sparql", data={"query": text},
                                             headers={"Accept": "application/sparql-results+json"})
                if response.status_code != 200:
                    errors.append(f"{name}: {response.status_code} {response.text[:120]}")
            except httpx.HTTPError as err:
                errors.append(f"{name}: {err!r}")
            latencies.append(time.perf_counter() - started)


async def load(url: str, texts, clients: int, seconds: float, max_requests: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    budget = [max_requests]
    started = time.monotonic()
    await asyncio.gather(*(client_loop(url, texts, started + seconds, budget, latencies, errors, k * 7)
                           for k in range(clients)))
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {"requests": len(latencies), "seconds": elapsed, "throughput": len(latencies) / elapsed,
            "p50": statistics.median(ordered),
            "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=20000)
    args = parser.parse_args()
    store = load_graph()
    texts = library_texts(store)
    with running(create_app(store)) as url:
        baseline = asyncio.run(load(url, texts, 1, min(3.0, args.seconds), args.max_requests))
        result = asyncio.run(load(url, texts, args.clients, args.seconds, args.max_requests))
    print(f"{len(texts)} library queries over /sparql on the curated graph ({len(store)} triples)")
    for label, r in (("1 client (baseline)", baseline), (f"{args.clients} clients", result)):
        print(f"{label:>20}: {r['requests']:6d} requests in {r['seconds']:.1f} s, {r['throughput']:7.1f} req/s, "
              f"p50 {r['p50'] * 1000:7.1f} ms, p99 {r['p99'] * 1000:7.1f} ms, errors {len(r['errors'])}")
    print(f"p50 under load / baseline p50: {result['p50'] / baseline['p50']:.2f}")
    for line in (baseline["errors"] + result["errors"])[:5]:
        print("  error:", line)
    ok = not baseline["errors"] and not result["errors"] and result["p99"] < 1.0
    print("target (no errors, p99 < 1 s):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
