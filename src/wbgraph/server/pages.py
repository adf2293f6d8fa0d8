"""The HTML pages: search, entity pages (with content negotiation), sources, paths, the query library
and the interactive network. Every page is rendered by Jinja2 with autoescaping."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from ..brief import build_brief
from ..brief_page import brief_fragment, brief_markdown
from ..errors import NotFoundError, QueryError, WbgraphError
from ..lookup import resolve_entity
from ..analysis.reasons import find_paths as _find_paths
from ..namespaces import WB_IRI, WBR_IRI, shorten
from ..network import CONFIDENCE_RANK, NetworkOptions
from ..queries import find_query, list_queries, run_query
from ..store import QueryResult
from ..tables import format_result
from .entities import describe_entity, entity_graph, entity_url, search_names, source_page, source_url, suggest
from .protocol import GRAPH_TYPES, NotAcceptable, negotiate, serialize_result
from .results import readable_table

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_ENTITY_TYPES = {"text/html": "html", **GRAPH_TYPES}
_FORMAT_PARAM = {"turtle": "text/turtle", "ttl": "text/turtle", "jsonld": "application/ld+json",
                 "json-ld": "application/ld+json", "nt": "application/n-triples"}
_RESERVED = {"run", "format"}


def _ctx(request: Request):
    return request.app.state.wb


@router.get("/")
async def home(request: Request) -> HTMLResponse:
    ctx = _ctx(request)
    queries = await ctx.runner.call(list_queries)
    return ctx.render("index.html", query_count=len(queries), q="")


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)  # no icon, and no 404 in the browser's console


@router.get("/search")
async def search(request: Request, q: str = "") -> HTMLResponse:
    ctx = _ctx(request)
    hits = await ctx.runner.call(search_names, ctx.store, q[:200], 50) if q.strip() else []
    return ctx.render("search.html", q=q, hits=hits)


async def _entity(request: Request, iri: str) -> Response:
    ctx = _ctx(request)
    try:
        media = _FORMAT_PARAM.get(request.query_params.get("format", "")) or negotiate(
            request.headers.get("accept"), _ENTITY_TYPES)
    except NotAcceptable as err:
        return Response(str(err) + "\n", status_code=406, media_type="text/plain")
    entity = await ctx.runner.call(describe_entity, ctx.store, iri)
    if entity is None:
        guess = iri[len(WBR_IRI):] if iri.startswith(WBR_IRI) else iri.rstrip("/").rsplit("/", 1)[-1]
        guess = re.sub(r"[-_#]+", " ", guess).strip()
        hits = await ctx.runner.call(suggest, ctx.store, guess) if guess else []
        return ctx.render("not_found.html", status_code=404, iri=iri, guess=guess, hits=hits)
    if media != "text/html":
        graph = await ctx.runner.call(entity_graph, ctx.store, iri)
        body = await ctx.runner.call(serialize_result, QueryResult("CONSTRUCT", graph=graph), media)
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    in_network = iri in ctx.network()
    frame = "/network?" + urlencode({"focus": iri, "depth": 1}) if in_network else None
    response = ctx.render("entity.html", e=entity, frame=frame)
    response.headers["Vary"] = "Accept"
    return response


@router.get("/id/{slug:path}")
async def entity_by_slug(request: Request, slug: str) -> Response:
    return await _entity(request, WBR_IRI + slug)


@router.get("/entity")
async def entity_by_iri(request: Request, iri: str = "") -> Response:
    if not iri.strip():
        return _ctx(request).render("not_found.html", status_code=404, iri="", guess="", hits=[])
    return await _entity(request, iri.strip())


@router.get("/brief")
async def brief_page(request: Request, iri: str = "", format: str = "html") -> Response:
    """The same one-page brief as ``wbgraph brief``: HTML in the site's frame, or Markdown."""
    ctx = _ctx(request)
    entity = await ctx.runner.call(describe_entity, ctx.store, iri.strip()) if iri.strip() else None
    if entity is None:
        return ctx.render("not_found.html", status_code=404, iri=iri, guess="", hits=[])
    brief = await ctx.runner.call(build_brief, ctx.store, iri.strip())
    if format == "markdown":
        return Response(brief_markdown(brief), media_type="text/markdown; charset=utf-8")
    return ctx.render("brief.html", iri=brief.iri, label=brief.label, fragment=brief_fragment(brief))


def _line_range(text: str | None) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*(\d{1,7})\s*(?:-\s*(\d{1,7}))?\s*", text or "")
    if not match:
        return None
    first = int(match.group(1))
    return first, max(first, int(match.group(2) or first))


async def _source(request: Request, iri: str, lines: str | None) -> Response:
    ctx = _ctx(request)
    wanted = _line_range(lines)
    page = await ctx.runner.call(source_page, ctx.store, iri, wanted)
    if page is None:
        hits = await ctx.runner.call(suggest, ctx.store, iri.rsplit("/", 1)[-1].replace("-", " "))
        return ctx.render("not_found.html", status_code=404, iri=iri, guess="", hits=hits)
    text = ctx.source_lines(page["file_name"])
    return ctx.render("source.html", page=page, e=page["entity"], lines=wanted, text=text,
                      sources_known=ctx.sources is not None)


@router.get("/source/{slug:path}")
async def source_by_slug(request: Request, slug: str, lines: str | None = None) -> Response:
    return await _source(request, WBR_IRI + slug, lines)


@router.get("/source")
async def source_by_iri(request: Request, iri: str = "", lines: str | None = None) -> Response:
    return await _source(request, iri.strip(), lines)


def find_paths(ctx, source: str, target: str, hops: int, k: int, min_confidence: str) -> dict:
    """Resolve two names and list the influence paths between them (actors, threats, agreements or
    events, as on the command line), or the reason there are none, ready for the page or the API."""
    if min_confidence not in CONFIDENCE_RANK:
        raise WbgraphError(f"unknown confidence level '{min_confidence}'", hint="use stated, alleged or implied")
    if not 1 <= hops <= 6 or not 1 <= k <= 100:
        raise WbgraphError("hops must lie between 1 and 6 and k between 1 and 100")
    start, end = resolve_entity(ctx.store, source), resolve_entity(ctx.store, target)
    answer = _find_paths(ctx.store, str(start), str(end), options=NetworkOptions(min_confidence=min_confidence),
                         max_hops=hops, k=k, graph=ctx.network(min_confidence, concepts=True))
    found, labels = answer.paths, answer.labels
    reason = answer.reason and _in_page_words(answer.reason)

    def node(iri: str) -> dict:
        return {"iri": iri, "label": labels.get(iri, shorten(iri)), "url": entity_url(iri)}

    def claim(c: dict) -> dict:
        first, _, last = c["lines"].partition("-")
        ranged = first.isdigit() and last.isdigit()
        return {"confidence": c["confidence"], "claim": shorten(c["claim"]), "claim_url": entity_url(c["claim"]),
                "comment": c.get("comment", ""),
                "source": c["source_label"] or shorten(c["source"]), "lines": c["lines"],
                "source_url": (source_url(c["source"], first, last) if ranged else source_url(c["source"]))
                if c["source"] else None}

    view = [{"nodes": [node(n) for n in p.nodes], "weight": p.weight,
             "hops": [{"source": node(h.source), "target": node(h.target),
                       "edges": [{"label": e["label"], "predicate": WB_IRI + e["predicate"], "mechanisms": e.get("mechanisms", []),
                                  "claims": [claim(c) for c in e.get("claims", [])]} for e in h.edges]}
                      for h in p.hops]} for p in found]
    return {"from": node(str(start)), "to": node(str(end)), "found": view, "reason": reason,
            "paths": [p.to_dict(labels) for p in found]}


def _in_page_words(reason: str) -> str:
    """A reason written for the command line, in the words of the path form.

    >>> _in_page_words("the shortest path from A to B has 4 hops; raise --max-hops to 4")
    'the shortest path from A to B has 4 hops; raise "hops at most" to 4'
    """
    reason = re.sub(r"--min-confidence (\w+)", r'"confidence at least \1"', reason)
    reason = reason.replace("--max-hops", '"hops at most"')
    reason = re.sub(r"\(try `wbgraph brief \"([^\"]*)\"`\)", r"(the page of \1 offers a brief)", reason)
    return re.sub(r"`wbgraph brief \"([^\"]*)\"` shows", r"the brief on the page of \1 shows", reason)


@router.get("/paths")
async def paths(request: Request) -> HTMLResponse:
    ctx = _ctx(request)
    params = request.query_params
    form = {"from": params.get("from", ""), "to": params.get("to", ""), "hops": params.get("hops", "3"),
            "k": params.get("k", "5"), "min_confidence": params.get("min_confidence", "implied")}
    result, error = None, None
    if form["from"].strip() and form["to"].strip():
        try:
            hops, k = int(form["hops"]), int(form["k"])
        except ValueError:
            error = WbgraphError("hops and k must be whole numbers")
        else:
            try:
                result = await ctx.runner.call(find_paths, ctx, form["from"], form["to"], hops, k,
                                               form["min_confidence"])
            except WbgraphError as err:
                error = err
    status = 200 if error is None else 404 if isinstance(error, NotFoundError) else 400
    return ctx.render("paths.html", status_code=status, form=form, result=result, error=error)


@router.get("/queries")
async def queries(request: Request) -> HTMLResponse:
    ctx = _ctx(request)
    return ctx.render("queries.html", queries=await ctx.runner.call(list_queries))


def _run_library_query(ctx, name: str, given: dict[str, str]):
    query = find_query(name)
    result = run_query(ctx.store, query, given)
    truncated = result.kind == "SELECT" and len(result.rows) > ctx.row_limit
    if truncated:
        result = QueryResult("SELECT", vars=result.vars, rows=result.rows[:ctx.row_limit])
    return query, result, truncated


@router.get("/queries/{name:path}")
async def query_page(request: Request, name: str) -> Response:
    ctx = _ctx(request)
    try:
        query = await ctx.runner.call(find_query, name)
    except QueryError as err:
        return ctx.render("not_found.html", status_code=404, iri=name, guess="", hits=[], message=str(err))
    params = request.query_params
    given = {p.name: params[p.name] for p in query.parameters if params.get(p.name, "").strip()}
    values = {p.name: params.get(p.name, "" if p.default is None else str(p.default)) for p in query.parameters}
    if "run" not in params and params.get("format") != "csv":
        return ctx.render("query.html", query=query, values=values, header=None, rows=None, error=None,
                          csv_url=None, truncated=False)
    try:
        query, result, truncated = await ctx.runner.call(_run_library_query, ctx, query.name, given)
    except WbgraphError as err:
        return ctx.render("query.html", status_code=400, query=query, values=values, header=None, rows=None,
                          error=err, csv_url=None, truncated=False)
    if params.get("format") == "csv":
        text = await ctx.runner.call(format_result, ctx.store, result, "csv")
        filename = query.name.rsplit("/", 1)[-1] + ".csv"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        if truncated:
            headers["X-Truncated"] = f"true; only the first {ctx.row_limit} rows were sent"
        return Response(text + "\n", media_type="text/csv; charset=utf-8", headers=headers)
    header, rows = await ctx.runner.call(readable_table, ctx.store, result)
    csv_url = f"/queries/{query.name}?" + urlencode({**given, "format": "csv"})
    return ctx.render("query.html", query=query, values=values, header=header, rows=rows, error=None,
                      csv_url=csv_url, truncated=truncated)


@router.get("/network")
async def network(request: Request, focus: str | None = None, depth: int = 1,
                  min_confidence: str = "implied") -> Response:
    ctx = _ctx(request)
    if min_confidence not in CONFIDENCE_RANK:
        min_confidence = "implied"
    try:
        if focus:
            focus = str(await ctx.runner.call(resolve_entity, ctx.store, focus))
        page, policy = await ctx.runner.call(ctx.network_page, focus or None, max(1, min(depth, 3)), min_confidence)
    except WbgraphError as err:
        return ctx.render("error.html", status_code=404 if isinstance(err, NotFoundError) else 400, error=err)
    return HTMLResponse(page, headers={"Content-Security-Policy": policy})
