"""A SPARQL worker process of ``wbgraph serve``, run as a script: ``python sparql_worker.py FD``.

It imports nothing but pyoxigraph (so it starts fast), lowers its own CPU priority (so that pages keep
answering while it works), opens its copy of the data, and answers one query at a time over the
socket ``FD``: ``(sparql, row_limit)`` in, ``(status, value)`` out. The server kills it when a query
runs past the time limit; it exits by itself when the server closes the socket or is gone.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from multiprocessing.connection import Connection

import pyoxigraph as ox


def _open_copy(source: tuple[str, str]) -> ox.Store:
    kind, where = source
    if kind == "read-only":
        return ox.Store.read_only(where)
    store = ox.Store()
    store.bulk_load(path=where, format=ox.RdfFormat.N_QUADS)
    return store


def _evaluate(store: ox.Store, sparql: str, limit: int, prefixes: dict[str, str]):
    result = store.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)
    if isinstance(result, ox.QueryBoolean):
        return "ASK", bool(result), False
    items, truncated = [], False
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        for solution in result:
            if len(items) == limit:
                truncated = True
                break
            items.append(tuple(solution[i] for i in range(len(names))))
        return "SELECT", (names, items), truncated
    for triple in result:
        if len(items) == limit:
            truncated = True
            break
        items.append((triple.subject, triple.predicate, triple.object))
    return "CONSTRUCT", items, truncated


def _serve_queries(conn: Connection) -> None:
    """The worker's loop: one query in, one answer out, until the server closes the socket."""
    try:
        source, prefixes = conn.recv()
        store = _open_copy(source)
    except Exception as err:  # reported to the server, which answers 503
        conn.send(("failed", f"{type(err).__name__}: {err}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            sparql, limit = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("ok", _evaluate(store, sparql, limit, prefixes))
        except SyntaxError as err:
            answer = ("syntax", (str(err.msg or err), err.lineno, err.offset))
        except (OSError, ValueError, RuntimeError) as err:
            answer = ("error", str(err))
        conn.send(answer)



def _exit_with_the_server(server: int) -> None:
    """Stop when the server is gone, even in the middle of a query (pyoxigraph releases the GIL)."""
    while os.getppid() == server:
        time.sleep(1)
    os._exit(1)


if __name__ == "__main__":
    try:
        os.nice(10)
    except OSError:
        pass
    threading.Thread(target=_exit_with_the_server, args=(os.getppid(),), daemon=True).start()
    _serve_queries(Connection(int(sys.argv[1])))
