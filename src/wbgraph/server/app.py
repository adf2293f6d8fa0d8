"""The web application: the ASGI app factory, its safety middleware, and :func:`serve`."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..errors import NotFoundError, WbgraphError
from ..store import GraphStore
from . import api, endpoint, pages
from .context import PAGE_CSP, ServerContext
from .runner import Busy, QueryTimeout

__all__ = ["LOOPBACK_NAMES", "create_app", "serve"]

#: The names under which a server on this machine is reached; any other Host header is refused.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


class HostCheck:
    """Refuse requests whose Host header names another server (DNS rebinding) with 421."""

    def __init__(self, app, hosts) -> None:
        self.app, self.hosts = app, {h.lower().strip("[]") for h in hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
        name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        if name in self.hosts:
            return await self.app(scope, receive, send)
        text = (f"refused: this server answers only for {', '.join(sorted(self.hosts))}, not for the Host "
                f"{host or '(none)'!r}. open it by one of those names, or start it with --allow-host NAME.\n").encode()
        await send({"type": "http.response.start", "status": 421,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(text)).encode())]})
        await send({"type": "http.response.body", "body": text})


class HeadAsGet:
    """Answer HEAD wherever GET is answered: the same status and headers, no body."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        return await self.app({**scope, "method": "GET"}, receive, headers_only)


class BodyLimit:
    """Refuse request bodies larger than ``max_body`` bytes with 413, declared or streamed."""

    def __init__(self, app, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return await self._refuse(send)
        chunks, size = [], 0
        more = scope["method"] in ("POST", "PUT", "PATCH")
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return await self._refuse(send)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    async def _refuse(self, send):
        text = f"request body too large: this server accepts at most {self.max_body} bytes.\n".encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(text)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": text})


class SecurityHeaders:
    """Add the page Content-Security-Policy (unless a route set its own) and other protective headers."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                            (b"cross-origin-opener-policy", b"same-origin")]
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def create_app(store: GraphStore, *, query_timeout: float = 30.0, row_limit: int = 10000, cors: bool = False,
               max_body: int = 1_000_000, sources: str | Path | None = None, workers: int = 2,
               max_queries: int = 8, queries_per_client: int = 4, workers_per_client: int | None = None,
               hosts: tuple[str, ...] = LOOPBACK_NAMES) -> FastAPI:
    """The ASGI application over a loaded store.

    ``query_timeout`` (seconds) and ``row_limit`` bound every query; ``cors`` lets pages from other
    origins call the SPARQL endpoint and the API; ``max_body`` bounds request bodies (bytes);
    ``sources`` is the folder of source documents, so that source pages can show the cited lines.
    SPARQL from ``/sparql`` runs in ``workers`` worker processes that are killed at the time limit;
    at most ``max_queries`` are admitted at once, ``queries_per_client`` from one address, and more
    are answered 503 with ``Retry-After``; one address holds at most ``workers_per_client`` workers
    (all by default; fewer keep workers free for others). Requests whose Host header is not one of
    ``hosts`` get 421.

    >>> from starlette.testclient import TestClient
    >>> from wbgraph.store import load_graph
    >>> client = TestClient(create_app(load_graph()), base_url="http://127.0.0.1")
    >>> client.get("/api/search", params={"q": "KSA"}).json()[0]["label"]
    'Saudi Arabia'
    """
    app = FastAPI(title="wbgraph", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="A sourced knowledge graph of Western Balkans security: a read-only SPARQL 1.1 "
                              "endpoint, entity pages and a JSON API for search, influence paths and the "
                              "query library.")
    app.state.wb = ServerContext(store, query_timeout=query_timeout, row_limit=row_limit, sources=sources,
                                 workers=workers, max_queries=max_queries, queries_per_client=queries_per_client,
                                 workers_per_client=workers_per_client)
    if app.state.wb.pool is not None:
        app.router.on_shutdown.append(app.state.wb.pool.close)
    app.include_router(endpoint.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(files("wbgraph.server").joinpath("static"))), name="static")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith(("/api/", "/sparql")):
            return JSONResponse({"error": exc.detail, "hint": None}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        ctx = request.app.state.wb
        return ctx.render("error.html", status_code=exc.status_code,
                          error={"message": f"{exc.status_code}: {exc.detail}", "hint": "start from the search page"})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        if request.url.path.startswith(("/api/", "/sparql")):
            return JSONResponse({"error": problems, "hint": "see /openapi.json"}, status_code=400)
        return request.app.state.wb.render("error.html", status_code=400,
                                           error={"message": problems, "hint": "check the address"})

    @app.exception_handler(WbgraphError)
    async def wbgraph_error(request: Request, exc: WbgraphError):
        status = 503 if isinstance(exc, (Busy, QueryTimeout)) else 404 if isinstance(exc, NotFoundError) else 400
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Busy) else None
        if request.url.path.startswith(("/api/", "/sparql")):
            return JSONResponse({"error": exc.message, "hint": exc.hint}, status_code=status, headers=headers)
        response = request.app.state.wb.render("error.html", status_code=status, error=exc)
        if headers:
            response.headers.update(headers)
        return response

    if cors:
        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                           allow_headers=["Accept", "Content-Type"], expose_headers=["X-Truncated", "X-Row-Limit"])
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_body=max_body)
    app.add_middleware(HeadAsGet)
    app.add_middleware(HostCheck, hosts=hosts)
    return app


def serve(store: GraphStore, host: str = "127.0.0.1", port: int = 8000, allow_hosts: tuple[str, ...] = (),
          **options) -> None:
    """Run the application with uvicorn until interrupted; ``options`` go to :func:`create_app`.

    The Host header must name ``host`` itself (unless it is a wildcard such as 0.0.0.0), a loopback
    name, or one of ``allow_hosts``.
    """
    import uvicorn

    own = () if host in ("0.0.0.0", "::", "") else (host,)
    app = create_app(store, hosts=(*LOOPBACK_NAMES, *own, *allow_hosts), **options)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
