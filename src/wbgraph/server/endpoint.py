"""The SPARQL 1.1 Protocol endpoint at ``/sparql``: read-only, with a time limit and a row limit."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from starlette.responses import PlainTextResponse, Response

from ..errors import QueryError
from ..guard import check_query
from ..queries import check_read_only
from .protocol import BOOLEAN_TYPES, GRAPH_TYPES, SOLUTION_TYPES, NotAcceptable, negotiate, serialize_result
from .runner import Busy, QueryTimeout

__all__ = ["router"]

router = APIRouter()

_SPARQL_RESPONSES = {
    200: {"description": "Query results: SPARQL JSON, XML, CSV or TSV (SELECT, ASK); Turtle, N-Triples or "
                         "JSON-LD (CONSTRUCT, DESCRIBE), as the Accept header asks",
          "content": {m: {} for m in [*SOLUTION_TYPES, *GRAPH_TYPES]}},
    400: {"description": "Malformed query (with line and column), or a request that is not a query",
          "content": {"text/plain": {}}},
    403: {"description": "An update: the endpoint is read-only", "content": {"text/plain": {}}},
    406: {"description": "No acceptable result format", "content": {"text/plain": {}}},
    503: {"description": "The query took longer than the time limit and was stopped, or the server runs as "
                         "many queries as it allows (then with Retry-After)",
          "content": {"text/plain": {}}},
}


def _problem(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip(".") + ".\n", status_code=status)


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept


#: ``format=`` on a GET: a download in one of these (overriding the Accept header), or ``html``: a page;
#: any other value leaves the Accept header in charge.
DOWNLOADS = {"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/sparql-results+json",
             "xml": "application/sparql-results+xml", "ttl": "text/turtle", "nt": "application/n-triples",
             "jsonld": "application/ld+json"}


async def _html_results(request: Request, sparql: str) -> Response:
    """The SPARQL form with the query's results as a readable table and download links (CSP-safe: no
    script, plain links)."""
    from urllib.parse import urlencode

    from .results import readable_table

    ctx = request.app.state.wb
    values = {"row_limit": ctx.row_limit, "timeout": ctx.runner.timeout, "query": sparql, "error": None,
              "header": None, "rows": None, "truncated": False, "kind": "", "downloads": []}
    try:
        check_read_only(sparql)
        limited = await ctx.runner.run(sparql)
    except QueryError as err:
        return ctx.render("sparql.html", status_code=400, **{**values, "error": str(err)})
    except (QueryTimeout, Busy) as err:
        return ctx.render("sparql.html", status_code=503, **{**values, "error": str(err)})
    result = limited.result
    header, rows = await ctx.runner.call(readable_table, ctx.store, result)
    kinds = ["ttl", "nt", "jsonld"] if result.kind == "CONSTRUCT" else ["json", "xml"] if result.kind == "ASK" \
        else ["csv", "json", "tsv"]
    downloads = [(k.upper(), "/sparql?" + urlencode({"query": sparql, "format": k})) for k in kinds]
    return ctx.render("sparql.html", **{**values, "header": header, "rows": rows, "truncated": limited.truncated,
                                        "kind": result.kind, "downloads": downloads})


async def _answer(request: Request, sparql: str | None, *, update: str | None = None,
                  dataset: bool = False, fmt: str | None = None) -> Response:
    ctx = request.app.state.wb
    if update is not None:
        return _problem(403, "refused: this endpoint is read-only and takes no SPARQL updates; "
                             "send SELECT, ASK, CONSTRUCT or DESCRIBE as 'query'")
    if dataset:
        return _problem(400, "default-graph-uri and named-graph-uri are not supported: every query runs over "
                             "the union of the graph's named graphs")
    if sparql is None or not sparql.strip():
        if request.method == "GET" and (_wants_html(request) or fmt == "html"):
            return ctx.render("sparql.html", row_limit=ctx.row_limit, timeout=ctx.runner.timeout, query=None,
                              error=None, header=None, rows=None, truncated=False, kind="", downloads=[])
        return _problem(400, "give a SPARQL query: GET /sparql?query=..., or POST it form-encoded as 'query' "
                             "or as application/sparql-query")
    if fmt == "html":
        return await _html_results(request, sparql)
    accept = DOWNLOADS.get(fmt or "", request.headers.get("accept"))
    try:
        negotiate(accept, {**SOLUTION_TYPES, **GRAPH_TYPES})
    except NotAcceptable as err:
        return _problem(406, str(err))
    try:
        check_query(sparql, ctx.store.limits)
    except QueryError as err:
        return _problem(400, str(err))
    try:
        check_read_only(sparql)
    except QueryError as err:
        return _problem(403, f"{err}; this endpoint is read-only")
    client = request.client.host if request.client else "unknown"
    try:
        with ctx.admission.admit(client):
            limited = await (ctx.pool.run(sparql, client) if ctx.pool is not None else ctx.runner.run(sparql))
    except QueryError as err:
        return _problem(400, str(err))
    except Busy as err:
        response = _problem(503, str(err))
        response.headers["Retry-After"] = str(err.retry_after)
        return response
    except QueryTimeout as err:
        return _problem(503, str(err))
    result = limited.result
    offered = GRAPH_TYPES if result.kind == "CONSTRUCT" else BOOLEAN_TYPES if result.kind == "ASK" else SOLUTION_TYPES
    try:
        media = negotiate(accept, offered)
    except NotAcceptable as err:
        return _problem(406, str(err))
    body = await ctx.runner.call(serialize_result, result, media)
    headers = {"Vary": "Accept", "X-Row-Limit": str(limited.limit)}
    if limited.truncated:
        unit = "triples" if result.kind == "CONSTRUCT" else "rows"
        headers["X-Truncated"] = f"true; only the first {limited.limit} {unit} were sent"
    if fmt in DOWNLOADS:
        headers["Content-Disposition"] = f'attachment; filename="results.{fmt}"'
    charset = "; charset=utf-8" if not media.endswith("+xml") and media != "application/xml" else ""
    return Response(body, media_type=media + charset, headers=headers)


@router.get("/sparql", tags=["SPARQL"], summary="SPARQL 1.1 query (GET)", responses=_SPARQL_RESPONSES,
            response_class=Response)
async def sparql_get(
    request: Request,
    query: str | None = Query(None, description="A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE). "
                                                 "The prefixes wb:, wbr:, rdf:, rdfs:, skos:, prov: ... are predeclared."),
) -> Response:
    """Run a read-only SPARQL query over the whole graph. With no query and a browser's Accept header,
    a small form."""
    params = request.query_params
    fmt = params.get("format")  # clients such as SPARQLWrapper send their own values: those defer to Accept
    return await _answer(request, query, update=params.get("update"),
                         dataset="default-graph-uri" in params or "named-graph-uri" in params, fmt=fmt)


@router.post("/sparql", include_in_schema=False)
async def sparql_post(request: Request) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    params = request.query_params
    dataset = "default-graph-uri" in params or "named-graph-uri" in params
    if media == "application/sparql-query":
        return await _answer(request, body.decode("utf-8", errors="replace"), dataset=dataset)
    if media == "application/sparql-update":
        return await _answer(request, None, update=body.decode("utf-8", errors="replace"))
    if media == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        query = form.get("query", [None])[0]
        update = form.get("update", [None])[0]
        dataset = dataset or "default-graph-uri" in form or "named-graph-uri" in form
        return await _answer(request, query, update=update, dataset=dataset)
    return _problem(415, f"cannot read a body of type {media or '(none)'!r}: send application/sparql-query or "
                         "a form (application/x-www-form-urlencoded) with 'query'")
