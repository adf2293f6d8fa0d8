"""Running work off the event loop, with a time limit and a row limit.

The pages and the JSON API run the library's own functions here, each in a daemon thread of its own;
the request waits for it with :func:`asyncio.wait_for`. SPARQL from ``/sparql`` on the embedded store
runs in worker processes instead (:mod:`wbgraph.server.workers`), which are killed at the time limit;
:meth:`QueryRunner.run` serves the other backends (rdflib's memory store, a remote endpoint). There,
solutions are read one at a time, so a query that times out stops at its next row; what is computed
before the first row cannot be interrupted: the request is answered 503 at once and the thread finishes
in the background; while more than ``max_stray`` such threads are still running, new work is refused
with 503 instead of piling up.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ..errors import QueryError, WbgraphError
from ..namespaces import PREFIXES
from ..store import GraphStore, QueryResult, to_rdflib_term

__all__ = ["Busy", "Limited", "QueryRunner", "QueryTimeout"]


class QueryTimeout(WbgraphError):
    """A query that did not finish within the server's time limit."""


class Busy(WbgraphError):
    """Too many queries at once: answered 503 with a ``Retry-After`` of :attr:`retry_after` seconds."""

    retry_after = 5


@dataclass
class Limited:
    """A query result cut at the row limit: ``truncated`` says whether rows (or triples) were left out."""

    result: QueryResult
    truncated: bool = False
    limit: int = 0


@dataclass
class _Job:
    cancelled: threading.Event = field(default_factory=threading.Event)
    done: bool = False


class QueryRunner:
    """Runs read-only SPARQL against one store with a time limit (seconds) and a row limit.

    >>> from wbgraph.store import load_graph
    >>> runner = QueryRunner(load_graph(), timeout=10, row_limit=2)
    >>> limited = asyncio.run(runner.run("SELECT ?x WHERE { ?x a wb:WesternBalkanEconomy }"))
    >>> len(limited.result.rows), limited.truncated
    (2, True)
    """

    def __init__(self, store: GraphStore, *, timeout: float = 30.0, row_limit: int = 10000, max_stray: int = 4):
        self.store = store
        self.timeout = timeout
        self.row_limit = row_limit
        self.max_stray = max_stray
        self._stray = 0
        self._lock = threading.Lock()

    async def call(self, function, *args, **kwargs):
        """Run any blocking function in a thread under the time limit (used by pages and the JSON API)."""
        return await self._in_thread(lambda job: function(*args, **kwargs), "the request")

    async def run(self, sparql: str, bindings: dict[str, Node] | None = None) -> Limited:
        """Run one query; raise :class:`QueryError`, :class:`QueryTimeout` or :class:`Busy`."""
        return await self._in_thread(lambda job: self._execute(sparql, bindings, job), "the query")

    async def _in_thread(self, work, what: str):
        with self._lock:
            if self._stray >= self.max_stray:
                raise Busy(f"the server is busy: {self._stray} timed-out queries are still finishing",
                           hint="try again in a moment, or ask a narrower query")
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        job = _Job()

        def deliver(setter, value):
            if not future.done():
                setter(value)

        def hand_over(setter, value):
            if job.cancelled.is_set():
                return  # nobody waits any more; the loop may even be closed
            try:
                loop.call_soon_threadsafe(deliver, setter, value)
            except RuntimeError:  # the server stopped meanwhile
                pass

        def target():
            try:
                value = work(job)
            except BaseException as err:  # handed to the waiting request, whatever it is
                hand_over(future.set_exception, err)
            else:
                hand_over(future.set_result, value)
            finally:
                with self._lock:
                    job.done = True
                    if job.cancelled.is_set():
                        self._stray -= 1

        threading.Thread(target=target, name="wbgraph-query", daemon=True).start()
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            with self._lock:
                if not job.done:
                    job.cancelled.set()
                    self._stray += 1
            raise QueryTimeout(f"{what} took longer than the server's limit of {self.timeout:g} s and was cancelled",
                               hint="narrow it down (a LIMIT, fewer variables, a more specific pattern)") from None

    def _execute(self, sparql: str, bindings, job: _Job) -> Limited:
        limit = self.row_limit
        if self.store.backend == "oxigraph" and not bindings:
            return self._stream(sparql, job, limit)
        result = self.store.query(sparql, bindings)
        if result.kind == "SELECT" and len(result.rows) > limit:
            return Limited(QueryResult("SELECT", vars=result.vars, rows=result.rows[:limit]), True, limit)
        if result.kind == "CONSTRUCT" and len(result.graph) > limit:
            return Limited(_first_triples(result.graph, limit), True, limit)
        return Limited(result, False, limit)

    def _stream(self, sparql: str, job: _Job, limit: int) -> Limited:
        """Read an Oxigraph result row by row, stopping at the limit or when the request has gone."""
        # GraphStore.query reads every row before it returns; the server needs to stop early, so it
        # reads the embedded Oxigraph store itself. Oxigraph's result iterators must be dropped on
        # the thread that made them, hence the explicit ``del`` before leaving.
        engine = self.store.oxigraph
        try:
            solutions = engine.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
        except SyntaxError:
            self.store.query(sparql)  # raises the store's QueryError, with line and column
            raise QueryError("SPARQL syntax error", hint="fix the query text") from None
        except OSError as err:
            raise QueryError(f"query failed: {err}") from None
        if isinstance(solutions, ox.QueryBoolean):
            answer = bool(solutions)
            del solutions
            return Limited(QueryResult("ASK", answer=answer), False, limit)
        if isinstance(solutions, ox.QuerySolutions):
            names = [v.value for v in solutions.variables]
            rows, truncated, cancelled = _take(
                solutions, job, limit, lambda sol: tuple(to_rdflib_term(sol[i]) for i in range(len(names))))
            result = QueryResult("SELECT", vars=names, rows=rows)
        else:
            triples, truncated, cancelled = _take(
                solutions, job, limit,
                lambda t: (to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
            graph = Graph()
            for triple in triples:
                graph.add(triple)
            result = QueryResult("CONSTRUCT", graph=graph)
        del solutions
        if cancelled:
            raise QueryTimeout("cancelled")
        return Limited(result, truncated, limit)


def _take(items, job: _Job, limit: int, convert) -> tuple[list, bool, bool]:
    """Up to ``limit`` converted items, stopping early when the request has gone.

    Returns the items, whether the limit cut them short, and whether the job was cancelled. Each
    Oxigraph item is dropped here, on the thread that made it.
    """
    out: list = []
    for item in items:
        if job.cancelled.is_set():
            return out, False, True
        if len(out) == limit:
            return out, True, False
        out.append(convert(item))
    return out, False, False


def _first_triples(graph, limit: int) -> QueryResult:
    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    for i, triple in enumerate(sorted(graph)):
        if i == limit:
            break
        out.add(triple)
    return QueryResult("CONSTRUCT", graph=out)
