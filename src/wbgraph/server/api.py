"""The JSON API (described at /openapi.json): search, influence paths and the query library."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..errors import NotFoundError, QueryError, WbgraphError
from ..queries import find_query, list_queries
from ..tables import labelled_table
from .entities import search_names
from .pages import _run_library_query, find_paths
from .runner import Busy, QueryTimeout

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["API"])


class Hit(BaseModel):
    """One entity whose name matches the search."""

    iri: str
    label: str
    matched: str
    kind: str
    url: str


class Problem(BaseModel):
    """What went wrong, and what to do."""

    error: str
    hint: str | None = None


class Paths(BaseModel):
    """Influence paths with the claims and sources of every hop."""

    from_: str = Field(serialization_alias="from")
    to: str
    paths: list[dict[str, Any]]
    reason: str | None = Field(None, description="why there is no path, when there is none")


class Parameter(BaseModel):
    name: str
    type: str
    default: Any = None
    help: str = ""


class QueryInfo(BaseModel):
    """A query of the library."""

    name: str
    summary: str
    parameters: list[Parameter]
    url: str


class Table(BaseModel):
    """A query's results as a table, with a label column beside each column of IRIs."""

    query: str
    columns: list[str]
    rows: list[list[str]]
    truncated: bool


_ERRORS = {400: {"model": Problem}, 404: {"model": Problem}, 503: {"model": Problem}}


def problem(err: Exception) -> JSONResponse:
    """A wbgraph error as a JSON response with a fitting status."""
    status = 503 if isinstance(err, (QueryTimeout, Busy)) else 404 if isinstance(err, NotFoundError) else 400
    return JSONResponse({"error": getattr(err, "message", str(err)), "hint": getattr(err, "hint", None)},
                        status_code=status)


@router.get("/search", response_model=list[Hit], responses=_ERRORS, summary="Find entities by name")
async def api_search(request: Request, q: str = Query("", max_length=200, description="part of a label or alternate name"),
                     limit: int = Query(10, ge=1, le=50),
                     word_start: bool = Query(False, description="only names where q starts a word"),
                     only: str = Query("", pattern="^(|actors|paths)$",
                                       description="'actors': only actors; 'paths': only what a path can join "
                                                   "(actors, threats, agreements, events)")):
    """Entities whose label or alternate name contains ``q`` (any case, any accents), best matches first."""
    ctx = request.app.state.wb
    try:
        among = ctx.network(concepts=True) if only == "paths" else None
        return await ctx.runner.call(search_names, ctx.store, q, limit, word_start=word_start,
                                     actors_only=only == "actors", among=among)
    except WbgraphError as err:
        return problem(err)


@router.get("/paths", response_model=Paths, responses=_ERRORS,
            summary="Influence paths between two actors, threats, agreements or events")
async def api_paths(
    request: Request,
    from_: str = Query(..., alias="from", min_length=1, max_length=200, description="label, alternate name or IRI"),
    to: str = Query(..., min_length=1, max_length=200, description="label, alternate name or IRI"),
    hops: int = Query(3, ge=1, le=6, description="longest path"),
    k: int = Query(5, ge=1, le=100, description="how many paths"),
    min_confidence: str = Query("implied", pattern="^(stated|alleged|implied)$"),
):
    """The k shortest influence paths, with the predicate, mechanisms, confidence and sources of every hop."""
    ctx = request.app.state.wb
    try:
        found = await ctx.runner.call(find_paths, ctx, from_, to, hops, k, min_confidence)
    except WbgraphError as err:
        return problem(err)
    return Paths(from_=found["from"]["iri"], to=found["to"]["iri"], paths=found["paths"], reason=found["reason"])


@router.get("/queries", response_model=list[QueryInfo], summary="The query library")
async def api_queries(request: Request):
    """Every library query with its summary and parameters."""
    ctx = request.app.state.wb
    queries = await ctx.runner.call(list_queries)
    return [{"name": q.name, "summary": q.summary, "url": f"/api/queries/{q.name}",
             "parameters": [{"name": p.name, "type": p.type, "default": p.default, "help": p.help}
                            for p in q.parameters]} for q in queries]


@router.get("/queries/{name:path}", response_model=Table, responses=_ERRORS, summary="Run a library query")
async def api_query(request: Request, name: str):
    """Run a library query; its parameters come as query-string arguments (``?actor=Russia``)."""
    ctx = request.app.state.wb
    try:
        query = await ctx.runner.call(find_query, name)
        given = {p.name: request.query_params[p.name] for p in query.parameters
                 if request.query_params.get(p.name, "").strip()}
        query, result, truncated = await ctx.runner.call(_run_library_query, ctx, query.name, given)
        header, rows = await ctx.runner.call(labelled_table, ctx.store, result)
    except QueryError as err:
        if str(err.message).startswith("no query called"):
            return problem(NotFoundError(err.message, hint=err.hint))
        return problem(err)
    except WbgraphError as err:
        return problem(err)
    return {"query": query.name, "columns": header, "rows": rows, "truncated": truncated}
