"""SPARQL from the web evaluated in worker processes that can be killed: a crash or a runaway query
takes down one worker, never the server.

Each worker is a fresh Python process (``sparql_worker.py``) with its own copy of the data: the on-disk store
opened read-only, or, for a store in memory, a dump of it written once to a temporary folder. A
worker evaluates one query at a time and sends back at most ``row_limit`` rows as Oxigraph terms.
When a query runs past the time limit its worker is killed (the work truly stops) and a new one is
started for the next query. :class:`Admission` caps the queries running at once, overall and per
client, so that a few slow queries cannot hold every worker.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import subprocess
import sys
import shutil
import tempfile
import threading
import time
import weakref
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import QueryError
from ..namespaces import PREFIXES
from ..outputs import process_alive
from ..store import GraphStore, QueryResult, _query_syntax_error, to_rdflib_term
from .runner import Busy, Limited, QueryTimeout

__all__ = ["Admission", "WorkerPool"]

_SCRIPT = Path(__file__).with_name("sparql_worker.py")
_DUMP_PREFIX = "wbgraph-workers-"


def remove_orphan_dumps(folder: str | None = None) -> list[Path]:
    """Remove the data dumps that servers killed before they could clean up left in the temporary folder.

    A dump's folder is named after the server's process id; those of processes that no longer exist go.

    >>> import tempfile
    >>> leftover = Path(tempfile.mkdtemp(prefix=f"{_DUMP_PREFIX}999999999-"))
    >>> leftover in remove_orphan_dumps(str(leftover.parent)) and not leftover.exists()
    True
    """
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(_DUMP_PREFIX + "*-*"):
        pid = path.name[len(_DUMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class Admission:
    """Counts the queries running, overall and per client, and refuses one more with :class:`Busy`.

    >>> gate = Admission(total=2, per_client=1)
    >>> with gate.admit("10.0.0.1"):
    ...     with gate.admit("10.0.0.1"):
    ...         pass
    Traceback (most recent call last):
    ...
    wbgraph.server.runner.Busy: the server is busy: this client already runs 1 query (the most one client may run at once). wait for your other queries to finish
    """

    def __init__(self, total: int, per_client: int, retry_after: int = 5) -> None:
        self.total, self.per_client, self.retry_after = total, per_client, retry_after
        self._running: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def admit(self, client: str):
        with self._lock:
            if self._running[client] >= self.per_client:
                raise Busy(f"the server is busy: this client already runs {self._running[client]} "
                           f"quer{'y' if self._running[client] == 1 else 'ies'} (the most one client may run "
                           "at once)", hint="wait for your other queries to finish")
            if sum(self._running.values()) >= self.total:
                raise Busy(f"the server is busy: {self.total} queries are running, the most it runs at once",
                           hint=f"try again in {self.retry_after} s")
            self._running[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]


class _Worker:
    """One worker: ``sparql_worker.py`` run as a script (so it imports only pyoxigraph), at a lower CPU
    priority than the server, talking over a socket pair."""

    def __init__(self, source: tuple[str, str]) -> None:
        self.conn, child = multiprocessing.Pipe()
        fd = child.fileno()
        self.process = subprocess.Popen(
            [sys.executable, "-P", str(_SCRIPT), str(fd)], pass_fds=(fd,), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, close_fds=True)
        child.close()
        try:
            self.conn.send((source, PREFIXES))
            status, detail = self.conn.recv()
        except (EOFError, OSError) as err:
            status, detail = "failed", f"it stopped ({err or 'no answer'})"
        if status != "ready":
            self.kill()
            raise Busy(f"a query worker could not start: {detail}", hint="try again in a moment")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        self.conn.close()


class WorkerPool:
    """Runs read-only SPARQL over an embedded Oxigraph store in up to ``size`` killable worker processes.

    Workers start with the first query (the others in the background); a killed worker is replaced in
    the background; :meth:`close` stops them all. One client holds at most ``per_client`` workers.
    """

    def __init__(self, store: GraphStore, *, size: int, timeout: float, row_limit: int,
                 per_client: int | None = None) -> None:
        if store.oxigraph is None:
            raise ValueError("worker processes need the embedded Oxigraph store")
        self.store, self.size, self.timeout, self.row_limit = store, size, timeout, row_limit
        #: workers one client may hold at once (all by default); fewer keep some free for other clients
        self.per_client = per_client or size
        self._held: Counter[str] = Counter()
        self._idle: list[_Worker] = []
        self._count = 0  # idle, busy and starting
        self._starting = 0
        self._threads = ThreadPoolExecutor(max_workers=2 * size + 8, thread_name_prefix="wbgraph-sparql")
        self._ready = threading.Condition()
        self._source: tuple[str, str] | None = None
        self._folder: str | None = None
        self._closed = False

    def _data_source(self) -> tuple[str, str]:
        with self._ready:
            if self._source is None:
                if self.store.path is not None:
                    self.store.oxigraph.flush()
                    self._source = ("read-only", str(self.store.path))
                else:
                    remove_orphan_dumps()
                    self._folder = tempfile.mkdtemp(prefix=f"{_DUMP_PREFIX}{os.getpid()}-")
                    weakref.finalize(self, shutil.rmtree, self._folder, True)  # also when close() is never called
                    dump = Path(self._folder) / "data.nq"
                    self.store.oxigraph.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
                    self._source = ("dump", str(dump))
            return self._source

    def _start_one(self) -> _Worker:
        """Start a worker for a place already counted in ``_count``; give the place back on failure."""
        with self._ready:
            self._starting += 1
        try:
            return _Worker(self._data_source())
        except Exception:
            with self._ready:
                self._count -= 1
                self._ready.notify_all()
            raise
        finally:
            with self._ready:
                self._starting -= 1
                self._ready.notify_all()

    def _refill(self) -> None:
        while True:
            with self._ready:
                if self._closed or self._count >= self.size:
                    return
                self._count += 1
            try:
                worker = self._start_one()
            except Exception:
                return
            with self._ready:
                self._idle.append(worker)
                self._ready.notify()

    def _take(self, wait: float, client: str) -> _Worker:
        deadline = time.monotonic() + wait
        with self._ready:
            while not ((self._idle or self._count < self.size) and self._held[client] < self.per_client):
                remaining = deadline - time.monotonic()
                if remaining <= 0 and not self._starting:  # a worker that is starting is worth waiting for
                    raise Busy(f"the server is busy: no query worker came free for {wait:g} s",
                               hint="try again in a moment")
                self._ready.wait(max(remaining, 0.1))
            self._held[client] += 1
            if self._idle:
                return self._idle.pop()
            self._count += 1
        threading.Thread(target=self._refill, daemon=True, name="wbgraph-worker-start").start()
        try:
            return self._start_one()
        except BaseException:
            self._release(client)
            raise

    def _release(self, client: str) -> None:
        with self._ready:
            self._held[client] -= 1
            if not self._held[client]:
                del self._held[client]
            self._ready.notify_all()

    def _give_back(self, worker: _Worker, client: str) -> None:
        with self._ready:
            self._idle.append(worker)
        self._release(client)

    def _discard(self, worker: _Worker, client: str) -> None:
        worker.kill()
        with self._ready:
            self._count -= 1
        self._release(client)
        threading.Thread(target=self._refill, daemon=True, name="wbgraph-worker-start").start()

    async def run(self, sparql: str, client: str = "") -> Limited:
        """Evaluate one query in a worker; raise :class:`QueryError`, :class:`QueryTimeout` or :class:`Busy`.

        One ``client`` holds at most ``per_client`` workers at once; its other queries wait.
        """
        loop = asyncio.get_running_loop()
        taking = loop.run_in_executor(self._threads, self._take, self.timeout, client)
        try:
            worker = await asyncio.shield(taking)
        except asyncio.CancelledError:  # the request went away: hand the worker back once it is taken
            taking.add_done_callback(lambda done: done.exception() is None and self._give_back(done.result(), client))
            raise

        def exchange():
            worker.conn.send((sparql, self.row_limit))
            return worker.conn.recv()

        try:
            status, value = await asyncio.wait_for(loop.run_in_executor(self._threads, exchange), self.timeout)
        except TimeoutError:
            await asyncio.to_thread(self._discard, worker, client)
            raise QueryTimeout(f"the query took longer than the server's limit of {self.timeout:g} s and was "
                               "stopped", hint="narrow it down (a LIMIT, fewer variables, a more specific "
                               "pattern)") from None
        except (EOFError, OSError):
            await asyncio.to_thread(self._discard, worker, client)
            raise QueryError("the query stopped the evaluator before it could answer",
                             hint="simplify the query; the server itself is unaffected") from None
        except BaseException:  # cancelled while the worker works: it cannot be trusted to be idle
            threading.Thread(target=self._discard, args=(worker, client), daemon=True).start()
            raise
        self._give_back(worker, client)
        if status == "syntax":
            message, line, column = value
            error = SyntaxError(message)
            error.lineno, error.offset = line, column
            raise _query_syntax_error(error)
        if status == "error":
            raise QueryError(f"query failed: {value}")
        return _to_limited(value, self.row_limit)

    def close(self) -> None:
        """Stop every worker and remove the temporary dump."""
        with self._ready:
            self._closed = True
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.kill()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def _to_limited(value, limit: int) -> Limited:
    kind, data, truncated = value
    if kind == "ASK":
        return Limited(QueryResult("ASK", answer=data), False, limit)
    if kind == "SELECT":
        names, rows = data
        return Limited(QueryResult("SELECT", vars=names, rows=[tuple(map(to_rdflib_term, row)) for row in rows]),
                       truncated, limit)
    graph = Graph()
    for triple in data:
        graph.add(tuple(map(to_rdflib_term, triple)))
    return Limited(QueryResult("CONSTRUCT", graph=graph), truncated, limit)
