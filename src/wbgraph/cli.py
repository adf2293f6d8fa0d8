"""The ``wbgraph`` command line: a thin layer of click commands over the library."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys
import warnings
from contextlib import contextmanager
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import update_wrapper, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import NotFoundError, WbgraphError
from .lazy import lazy

# The library is imported by the command that uses it, not at start-up (see wbgraph.lazy); the choices
# below are the library's own (a test keeps them equal), spelt out so that --help needs no import.
BACKENDS = ("oxigraph", "memory", "remote")
FORMATS = ("table", "csv", "tsv", "json", "markdown")
TEMPLATES = tuple(f"{kind}.{fmt}" for kind in ("actors", "sources", "claims") for fmt in ("csv", "yaml", "json"))

run_build = lazy("wbgraph.build", "build")
influence_paths = lazy("wbgraph.analysis", "influence_paths")
reach = lazy("wbgraph.analysis", "reach")
write_analysis = lazy("wbgraph.analysis", "write_analysis")
format_paths = lazy("wbgraph.analysis.text", "format_paths")
format_reach = lazy("wbgraph.analysis.text", "format_reach")
_wrap_text = lazy("wbgraph.tables", "wrap_text")


def wrap_text(text: str) -> str:
    """Text for a person at a terminal wrapped to its width; piped or redirected output (and so every
    file, grep and test) keeps one line per statement, unless $COLUMNS asks for a width."""
    if sys.stdout.isatty() or sys.stderr.isatty() or os.environ.get("COLUMNS"):
        return _wrap_text(text)
    return text
node_measures = lazy("wbgraph.analysis.report", "node_measures")
diff_graphs = lazy("wbgraph.diff", "diff_graphs")
ingest = lazy("wbgraph.ingest", "ingest")
template = lazy("wbgraph.ingest", "template")
export = lazy("wbgraph.export", "export")
find_format = lazy("wbgraph.export", "find_format")
guess_format = lazy("wbgraph.export", "guess_format")
resolve_entity = lazy("wbgraph.lookup", "resolve_entity")
NetworkOptions = lazy("wbgraph.network", "NetworkOptions")
project_network = lazy("wbgraph.network", "project_network")
check_period = lazy("wbgraph.period", "check_period")
restrict_to_period = lazy("wbgraph.period", "restrict_to_period")
Query = lazy("wbgraph.queries", "Query")
find_query = lazy("wbgraph.queries", "find_query")
list_queries = lazy("wbgraph.queries", "list_queries")
parse_query_file = lazy("wbgraph.queries", "parse_query_file")
run_query = lazy("wbgraph.queries", "run_query")
defaults_used = lazy("wbgraph.queries", "defaults_used")
graph_stats = lazy("wbgraph.stats", "graph_stats")
stats_markdown = lazy("wbgraph.stats", "stats_markdown")
load_graph = lazy("wbgraph.store", "load_graph")
open_store = lazy("wbgraph.store", "open_store")
write_synthetic = lazy("wbgraph.synth", "write_synthetic")
format_result = lazy("wbgraph.tables", "format_result")
text_table = lazy("wbgraph.tables", "text_table")
shorten = lazy("wbgraph.namespaces", "shorten")
readable_kind = lazy("wbgraph.lookup", "readable_kind")
VizOptions = lazy("wbgraph.viz", "VizOptions")
ego_network = lazy("wbgraph.viz", "ego_network")
interactive = lazy("wbgraph.viz", "interactive")
draw_image = lazy("wbgraph.viz.image", "draw_image")
graph_files = lazy("wbgraph.resources", "graph_files")
ontology_files = lazy("wbgraph.resources", "ontology_files")
expand_paths = lazy("wbgraph.validate", "expand_paths")
run_validate = lazy("wbgraph.validate", "validate")
csv_text = lazy("wbgraph.outputs", "csv_text")
staged_dir = lazy("wbgraph.outputs", "staged_dir")

build_brief = lazy("wbgraph.brief", "build_brief")
render_brief = lazy("wbgraph.brief_page", "render_brief")
find_paths = lazy("wbgraph.analysis.reasons", "find_paths")
why_missing = lazy("wbgraph.analysis.reasons", "why_missing")
QueryLimits = lazy("wbgraph.guard", "QueryLimits")
extract = lazy("wbgraph.extract", "extract")
write_review = lazy("wbgraph.extract", "write_review")
check_language = lazy("wbgraph.languages", "check_language")
plain_csv = lazy("wbgraph.outputs", "raw_csv")
write_atomic = lazy("wbgraph.outputs", "write_atomic")
restrict_to_known = lazy("wbgraph.period", "restrict_to_known")
explain_empty = lazy("wbgraph.queries", "explain_empty")

if TYPE_CHECKING:
    from .store import GraphStore

__all__ = ["main"]


@dataclass
class Settings:
    """Options shared by every command (``ctx.obj``)."""

    backend: str = "oxigraph"
    extra: list[Path] = field(default_factory=list)
    curated: bool = True
    store_path: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    timeout: float = 60.0
    allow_service: tuple[str, ...] = ()
    known_by: str | None = None
    lang: str = "en"

    def load(self) -> GraphStore:
        """The store every command works on: a remote endpoint as it is (fill it with ``wbgraph push``),
        or the ontology, the curated graph (unless turned off) and the extra files loaded into the
        embedded store (on disk with --store-path, where files already loaded are not loaded again)."""
        if self.endpoint:
            store = open_store(endpoint=self.endpoint, update_endpoint=self.update_endpoint, timeout=self.timeout)
        else:
            from .diskstore import StoreChangeWarning  # a class for the filter: imported for real, here

            with warnings.catch_warnings(record=True) as notes:
                warnings.simplefilter("always", StoreChangeWarning)
                store = load_graph(self.extra, curated=self.curated, backend=self.backend, path=self.store_path,
                                   progress=_progress_bar)
            for note in notes:
                click.echo(f"warning: {note.message}", err=True)
        store.limits = QueryLimits(allow_service=self.allow_service)
        return store


@contextmanager
def _progress_bar(path: Path, verb: str = "loading"):
    """A progress bar on standard error for files of more than a few megabytes."""
    size = path.stat().st_size if path.exists() else 0
    if size < PROGRESS_ABOVE:
        yield None
        return
    with click.progressbar(length=size, label=f"{verb} {path.name}", file=sys.stderr) as bar:
        yield bar.update


PROGRESS_ABOVE = 5_000_000


def _reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn wbgraph's own errors into a clear message and exit status 1."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except WbgraphError as err:
            raise click.ClickException(str(err)) from None

    return update_wrapper(wrapper, command)


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from . import __version__

        click.echo(f"wbgraph, version {__version__}")
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default="oxigraph",
    envvar="WBGRAPH_BACKEND",
    show_default=True,
    help="Store: embedded Oxigraph, or rdflib's memory store.",
)
@click.option(
    "--with",
    "extra",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra RDF file or folder loaded with the curated graph (repeatable).",
)
@click.option("--no-curated", is_flag=True, help="Leave out the curated graph (ontology and --with files only).")
@click.option("--store-path", type=click.Path(path_type=Path), envvar="WBGRAPH_STORE_PATH",
              help="Keep the embedded Oxigraph store on disk in this folder: loaded once, reopened at once.")
@click.option("--endpoint", envvar="WBGRAPH_ENDPOINT",
              help="Work against a remote SPARQL 1.1 endpoint (query URL); fill it with `wbgraph push`.")
@click.option("--update-endpoint", envvar="WBGRAPH_UPDATE_ENDPOINT",
              help="The endpoint's update URL when it differs from --endpoint.")
@click.option("--timeout", type=float, default=60.0, show_default=True, envvar="WBGRAPH_TIMEOUT",
              help="Seconds to wait for a remote endpoint.")
@click.option("--allow-service", multiple=True, metavar="URL",
              help="Let queries call this SPARQL endpoint with SERVICE <URL> (repeatable); by default SERVICE is refused.")
@click.option("--raw-csv", is_flag=True,
              help="Write CSV cells as they are, for programs: by default a cell beginning with = + - @ is "
                   "prefixed with ' so that a spreadsheet shows it as text instead of running it.")
@click.option("--lang", default="en", show_default=True, envvar="WBGRAPH_LANG",
              help="Language of labels in tables, the page and pictures: en, sr-Cyrl, sr-Latn, sq, mk, bs, hr or "
                   "cnr (English where the graph has no label in it).")
@click.pass_context
def main(ctx: click.Context, backend: str, extra: tuple[Path, ...], no_curated: bool, store_path: Path | None,
         endpoint: str | None, update_endpoint: str | None, timeout: float, allow_service: tuple[str, ...],
         raw_csv: bool, lang: str) -> None:
    """wbgraph: a sourced knowledge graph of Western Balkans security.

    Every relation is a claim with its source document, line range, confidence and dates. Credentials
    for a remote endpoint come from WBGRAPH_ENDPOINT_USER and WBGRAPH_ENDPOINT_PASSWORD.
    """
    if store_path is not None and endpoint is not None:
        raise click.UsageError("give --store-path or --endpoint, not both")
    try:
        lang = check_language(lang)
    except WbgraphError as err:
        raise click.BadParameter(str(err), param_hint="--lang") from None
    if raw_csv:
        ctx.with_resource(plain_csv())
    ctx.obj = Settings(backend=backend, extra=expand_paths(extra), curated=not no_curated, store_path=store_path,
                       endpoint=endpoint, update_endpoint=update_endpoint, timeout=timeout,
                       allow_service=allow_service, lang=lang)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
@_reports_errors
def validate(settings: Settings, paths: tuple[Path, ...], fmt: str) -> None:
    """Check syntax, SHACL shapes and model rules.

    With no PATHS, checks the curated graph. With PATHS (files or folders), checks those against the
    ontology; add --with to load files they refer to. Exit status 1 on any error.

    Example: wbgraph validate my-claims.ttl
    """
    targets = list(settings.extra) + list(paths)
    curated = settings.curated and (not paths)
    report = run_validate(targets, curated=curated, backend=settings.backend)
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    if not report.ok:
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.pass_obj
@_reports_errors
def stats(settings: Settings, fmt: str) -> None:
    """Counts per class, claims per source and per confidence level.

    Example: wbgraph stats --format markdown
    """
    result = graph_stats(settings.load())
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(stats_markdown(result))
    else:
        click.echo(wrap_text(f"{result['triples']} triples in the store (the ontology, the data files and what "
                             f"loading derives from them, {result['derived edges']} derived edges among it); "
                             "`wbgraph validate` counts the files without what is derived"))
        width = max(len(k) for k in result["groups"])
        for name, n in result["groups"].items():
            click.echo(f"  {name:<{width}}  {n:>5}")
        click.echo("claims per source:")
        for row in result["claims per source"]:
            click.echo(f"  {row['source']:<12} {row['claims']:>5}  {row['label']}")
        click.echo("claims per confidence:")
        for level, n in {k.removeprefix("wb:"): v for k, v in result["claims per confidence"].items()}.items():
            click.echo(f"  {level:<12} {n:>5}")


@main.command()
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("wbgraph-out"),
    show_default=True,
    help="Folder for every output.",
)
@click.option("--profile", is_flag=True, help="Print each step's time and peak memory (on standard error).")
@click.pass_obj
@_reports_errors
def build(settings: Settings, out_dir: Path, profile: bool) -> None:
    """Load, validate and write every output into one folder.

    Nothing is written when the data does not validate. With --store-path the on-disk store is filled
    once and reused; with --endpoint the build validates and writes what the endpoint holds.

    Example: wbgraph build -o out/
    """
    remote = open_store(endpoint=settings.endpoint, update_endpoint=settings.update_endpoint,
                        timeout=settings.timeout) if settings.endpoint else None
    result = run_build(out_dir, settings.extra, curated=settings.curated, backend=settings.backend,
                       store_path=settings.store_path, store=remote, profile=profile)
    if result.profile is not None:
        click.echo(result.profile.to_text(), err=True)
    if not result.ok:
        click.echo(result.report.to_text(), err=True)
        raise click.ClickException(f"the graph does not validate; nothing was written to {out_dir}")
    click.echo(result.report.to_text().splitlines()[-1])
    for path in result.written:
        click.echo(f"wrote {path}")


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="-p")
        params[name.strip()] = value
    return params


@main.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter (repeatable).")
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path), help="Run the query in this .rq file.")
@click.option("-e", "--expression", help="Run this SPARQL text.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--as-of", metavar="DATE", default=None, help="Query the graph as it was at this date.")
@click.option("--between", nargs=2, metavar="START END", default=None,
              help="Query only claims valid at some time in this period.")
@click.option("--known-by", metavar="DATE", default=None,
              help="Query only claims reported on or before this date (what the sources had said by then).")
@click.option("--iris", is_flag=True, help="Show IRI columns beside the labels in table and Markdown output.")
@click.pass_obj
@_reports_errors
def query(settings: Settings, name: str | None, params: tuple[str, ...], query_file: Path | None,
          expression: str | None, fmt: str, as_of: str | None, between, known_by: str | None, iris: bool) -> None:
    """Run a library query by NAME, a query file, or SPARQL text. Read-only.

    Actors and concepts can be given by label or alternate name ("Russia", "KSA"), prefixed name
    (wbr:russia) or IRI.

    Example: wbgraph query influence-paths -p from=Russia -p "to=Bosnia and Herzegovina"
    """
    chosen = [x for x in (name, query_file, expression) if x]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of NAME, --file or --expression (-e)")
    if query_file is not None:
        if not query_file.is_file():
            raise WbgraphError("query file does not exist", file=query_file, hint="check the path")
        target = parse_query_file(query_file)
    elif expression is not None:
        target = Query(name="(expression)", text=expression, summary="")
    else:
        target = find_query(name)
    store = _in_period(settings.load(), as_of, between)
    if known_by:
        store = restrict_to_known(store, known_by)
    given = _parse_params(params)
    result = run_query(store, target, given)
    defaulted = [p for p in defaults_used(target, given) if p.type == "iri"]
    if defaulted:  # an example entity stands in for one the user did not name: say so, or it reads as an answer
        shown = ", ".join(f"{p.name} = {p.default}" for p in defaulted)
        flags = " ".join(f"-p {p.name}=NAME" for p in defaulted)
        click.echo(wrap_text(f"note: no {' or '.join(p.name for p in defaulted)} given, so this shows the example "
                             f"({shown}); add {flags} for another"), err=True)
    click.echo(format_result(store, result, fmt, iris=iris, tree=None if iris else target.tree, lang=settings.lang))
    if result.kind == "SELECT" and not result.rows and target.parameters and fmt == "table":
        click.echo(wrap_text("nothing found. " + explain_empty(store, target, given)), err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@_reports_errors
def queries(fmt: str) -> None:
    """List the query library: every query with its summary and parameters.

    Example: wbgraph queries --format markdown
    """
    items = list_queries()
    if fmt == "json":
        click.echo(json.dumps([
            {"name": q.name, "summary": q.summary, "tags": list(q.tags),
             "parameters": [vars(p) for p in q.parameters]} for q in items
        ], indent=2, ensure_ascii=False))
        return
    if fmt == "markdown":
        click.echo("| query | what it answers | parameters (defaults) |\n|---|---|---|")
    for q in items:
        params = " ".join("-p " + shlex.quote(f"{p.name}={p.default!s}") if p.default is not None
                          else f"-p {p.name}=..." for p in q.parameters)
        if fmt == "markdown":
            shown = f"`{params}`" if params else "-"
            click.echo(f"| `{q.name}` | {q.summary} | {shown} |")
        else:
            click.echo(wrap_text(f"{q.name}\n    {q.summary}" + (f"\n    {params}" if params else "")))


def _network_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options that filter the projected network: confidence, source grading and time.

    The grading options reach :func:`_project` through the click context (:func:`_grading`), so that
    the commands' own signatures need not list them.
    """

    inner = command

    @wraps(inner)
    def graded(*args: Any, min_reliability: str, min_credibility: int, **kwargs: Any) -> Any:
        click.get_current_context().meta[_GRADING] = {"min_reliability": min_reliability,
                                                      "min_credibility": min_credibility}
        return inner(*args, **kwargs)

    command = click.option("--min-credibility", type=click.IntRange(1, 6), default=6, show_default=True,
                           help="Leave out claims less credible than this (1 confirmed ... 6 cannot be judged; "
                                "claims without one: stated 2, alleged 3, implied 4).")(graded)
    command = click.option("--min-reliability", type=click.Choice(list("ABCDEF"), case_sensitive=False),
                           default="F", show_default=True,
                           help="Leave out claims from sources less reliable than this (A completely reliable "
                                "... F cannot be judged, which ungraded sources are).")(command)
    command = click.option("--between", nargs=2, metavar="START END", default=None,
                           help="Keep claims valid at some time between two dates.")(command)
    command = click.option("--as-of", metavar="DATE", default=None,
                           help="Keep claims valid at this date (claims without dates are kept).")(command)
    command = click.option("--min-confidence", type=click.Choice(["implied", "alleged", "stated"]),
                           default="implied", show_default=True, help="Leave out claims less firm than this.")(command)
    command = click.option("--known-by", metavar="DATE", default=None, expose_value=False, callback=_remember_known_by,
                           help="Keep claims reported on or before this date (what the sources had said by then).")(command)
    return command


def _remember_known_by(ctx: click.Context, _param, value: str | None) -> None:
    if value:
        ctx.ensure_object(Settings).known_by = value


_GRADING = "wbgraph.grading"


def _grading() -> dict[str, Any]:
    """The --min-reliability and --min-credibility of the running command."""
    return dict(click.get_current_context().meta.get(_GRADING, {}))


def _options(settings: Settings, min_confidence: str, as_of: str | None, between, **more):
    """The network filters of the running command: its own options and the global ones."""
    return NetworkOptions(min_confidence=min_confidence, as_of=as_of, between=tuple(between) if between else None,
                          known_by=settings.known_by, lang=settings.lang, **_grading(), **more)


def _project(settings: Settings, store: GraphStore, min_confidence: str, as_of: str | None,
             between: tuple[str, str] | None, predicates: tuple[str, ...] | None = None, concepts: bool = False):
    options = _options(settings, min_confidence, as_of, between, predicates=predicates, concepts=concepts)
    graph = project_network(store, options)
    if graph.number_of_edges() == 0:
        raise WbgraphError("no relation is left after the filters",
                           hint="loosen --min-confidence, --min-reliability, --min-credibility or the dates")
    return graph


def _in_period(store: GraphStore, as_of: str | None, between) -> GraphStore:
    """The store itself, or a copy without the claims that do not hold at --as-of / in --between."""
    window = check_period(as_of, tuple(between) if between else None)
    return store if window is None else restrict_to_period(store, *window)


def _split_list(text: str | None) -> tuple[str, ...] | None:
    return tuple(x.strip() for x in text.split(",") if x.strip()) if text else None


@main.command(name="brief")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
@click.option("-o", "--output", "out_path", type=click.Path(path_type=Path), default=None,
              help="Write to this file instead of the screen.")
@click.pass_obj
@_reports_errors
def brief_command(settings: Settings, name: str, fmt: str, out_path: Path | None) -> None:
    """A one-page brief on an actor, an economy, a threat or a document: what it is, what it does to
    whom, what others do to it, threats, figures, events, recommendations and where sources disagree.
    Every line carries its sources and lines.

    Example: wbgraph brief Serbia --format html -o serbia.html
    """
    store = settings.load()
    text = render_brief(build_brief(store, resolve_entity(store, name)), fmt)
    if out_path is None:  # a file keeps one line per paragraph; the terminal gets lines that fit
        click.echo(wrap_text(text) if fmt == "markdown" else text, nl=False)
    else:
        click.echo(f"wrote {write_atomic(out_path, text)}")


@main.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-hops", type=int, default=3, show_default=True, help="Longest path (1 to 6).")
@click.option("--k", "k", type=int, default=5, show_default=True, help="How many paths (1 to 100).")
@click.option("--via", help="Only these relations, comma-separated (e.g. actsThroughProxy,exertsInfluenceOn).")
@_network_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.pass_obj
@_reports_errors
def path(settings: Settings, source: str, target: str, max_hops: int, k: int, via: str | None,
         min_confidence: str, as_of: str | None, between, fmt: str) -> None:
    """The k shortest influence paths from FROM to TO, with the sources of every hop.

    FROM and TO are actors, threats, agreements or events, by label, alternate name, prefixed name or
    IRI. Threats and other concepts only end a path. When there is no path, the reason is given.

    Example: wbgraph path Russia "Bosnia and Herzegovina" --max-hops 3
    """
    store = settings.load()
    start, end = resolve_entity(store, source), resolve_entity(store, target)
    options = _options(settings, min_confidence, as_of, between)
    answer = find_paths(store, str(start), str(end), options=options, max_hops=max_hops, k=k, via=_split_list(via))
    if fmt == "json":
        click.echo(json.dumps({"from": str(start), "to": str(end), "reason": answer.reason,
                               "paths": [p.to_dict(answer.labels) for p in answer.paths]}, indent=2, ensure_ascii=False))
        return
    if not answer.paths:
        click.echo(wrap_text(f"no path: {answer.reason}"))
        return
    click.echo(wrap_text(format_paths(answer.paths, answer.labels, markdown=fmt == "markdown")))


@main.command(name="search")
@click.argument("text")
@click.option("--limit", type=int, default=20, show_default=True, help="How many names to list.")
@click.option("--actors", "actors_only", is_flag=True, help="Only actors (no concepts, documents or claims).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.pass_obj
@_reports_errors
def search_command(settings: Settings, text: str, limit: int, actors_only: bool, fmt: str) -> None:
    """Find entities by part of a name, in any language and script the graph holds: whole-name matches
    first, then names that start with TEXT, then names that contain it, each with its kind.

    Example: wbgraph search saudi
    """
    from .server.entities import search_names

    store = settings.load()
    hits = search_names(store, text, limit, actors_only=actors_only)
    if fmt == "json":
        click.echo(json.dumps(hits, indent=2, ensure_ascii=False))
        return
    rows = [[h["label"], readable_kind(h["kind"]), h["matched"], shorten(h["iri"])] for h in hits]
    header = ["name", "kind", "matched", "iri"]
    if fmt == "csv":
        click.echo(csv_text(header, rows), nl=False)
        return
    if not rows:
        raise NotFoundError(f"no name in the graph contains '{text}'",
                            hint="try fewer letters or another language's name; `wbgraph sources` lists the documents")
    click.echo(text_table(header, rows) + f"\n({len(rows)} name{'s' if len(rows) != 1 else ''})")


@main.command(name="sources")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
@_reports_errors
def sources_command(settings: Settings, fmt: str) -> None:
    """The source documents, cited works and surveys, with how many claims rest on each (the library
    query `sources`); name a document in other commands by its short id ("002") or file name.

    Example: wbgraph sources --format csv
    """
    store = settings.load()
    click.echo(format_result(store, run_query(store, "sources"), fmt, lang=settings.lang))


@main.command(name="reach")
@click.argument("actor")
@click.option("--max-hops", type=int, default=3, show_default=True, help="How far to look (1 to 6).")
@click.option("--via", help="Only these relations, comma-separated.")
@_network_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "markdown"]), default="text",
              show_default=True)
@click.pass_obj
@_reports_errors
def reach_command(settings: Settings, actor: str, max_hops: int, via: str | None, min_confidence: str,
                  as_of: str | None, between, fmt: str) -> None:
    """What ACTOR reaches along influence relations, nearest first: the relations that reach each
    actor, their mechanisms and the sources of every claim (CSV: one row per claim).

    Example: wbgraph reach China --max-hops 2
    """
    store = settings.load()
    start = resolve_entity(store, actor)
    graph = _project(settings, store, min_confidence, as_of, between, concepts=True)
    if str(start) not in graph:
        options = _options(settings, min_confidence, as_of, between)
        raise WbgraphError(f"{actor} has no relation in the network that passes the filters: "
                           + why_missing(store, str(start), options, actor))
    rows = reach(graph, str(start), max_hops=max_hops, via=_split_list(via))
    if not rows and fmt in ("text", "markdown"):
        label = graph.nodes[str(start)].get("label", actor)
        if graph.nodes[str(start)].get("group") != "actor":
            why = (f"{label} is not an actor: reach follows what an actor does to others. "
                   f"`wbgraph brief \"{label}\"` lists who poses, faces and counters it")
        else:
            why = (f"none of {label}'s relations carries influence on to another actor or a threat"
                   + (f" along --via {via}" if via else "") + f"; `wbgraph brief \"{label}\"` lists them all")
        click.echo(wrap_text(f"nothing reached: {why}"))
        return
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    if fmt == "csv":
        header = ["hops", "subject", "subject_label", "predicate", "object", "object_label", "mechanisms",
                  "confidence", "source", "source_label", "lines", "in_our_words", "claim"]
        table = [[r["hops"], e["source"], labels.get(e["source"], ""), e["predicate"], r["node"], r["label"],
                  "; ".join(e["mechanisms"]), c["confidence"], c["source"], c["source_label"], c["lines"],
                  c.get("comment", ""), c["claim"]]
                 for r in rows for e in r["relations"] for c in e["claims"]]
        click.echo(csv_text(header, table).rstrip("\n"))
        return
    click.echo(wrap_text(format_reach(rows, labels, markdown=fmt == "markdown")))
    click.echo(f"({len(rows)} reached)")


@main.command()
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("wbgraph-out/analysis"),
              show_default=True, help="Folder for the measures and the report.")
@click.option("--max-hops", type=int, default=3, show_default=True, help="Longest path counted for exposure.")
@_network_options
@click.pass_obj
@_reports_errors
def analyze(settings: Settings, out_dir: Path, max_hops: int, min_confidence: str, as_of: str | None,
            between) -> None:
    """Centrality, communities and exposure as CSV and JSON, with a Markdown report.

    Example: wbgraph analyze -o out/analysis
    """
    graph = _project(settings, settings.load(), min_confidence, as_of, between)
    with staged_dir(out_dir) as stage:
        names = write_analysis(graph, stage, max_hops=max_hops)
    for name in names:
        click.echo(f"wrote {out_dir / name}")


@main.command()
@click.option("-o", "--output", "out_path", type=click.Path(path_type=Path), default=Path("wbgraph.html"),
              show_default=True, help="The HTML file to write.")
@click.option("--focus", help="Draw only this actor's neighbourhood (label, alternate name or IRI).")
@click.option("--depth", type=int, default=1, show_default=True, help="How many relations away from --focus.")
@click.option("--query", "query_ref", help="Draw the actors named by a library query (name) or a .rq file.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Parameter of --query.")
@click.option("--color-by", type=click.Choice(["class", "community"]), default="class", show_default=True)
@click.option("--size-by", type=click.Choice(["degree", "betweenness", "pagerank"]), default="degree",
              show_default=True)
@click.option("--layout", type=click.Choice(["auto", "physics", "static"]), default="auto", show_default=True,
              help="auto and static: seeded positions computed in Python (the same on every open); physics: "
                   "vis-network's simulation in the browser.")
@click.option("--title", default="wbgraph: Western Balkans security actors", show_default=True)
@click.option("--sources", type=click.Path(exists=True, file_okay=False, path_type=Path), envvar="WBGRAPH_SOURCES",
              help="Folder of the source documents: the page then shows the cited lines of each claim.")
@_network_options
@click.pass_obj
@_reports_errors
def viz(settings: Settings, out_path: Path, focus: str | None, depth: int, query_ref: str | None,
        params: tuple[str, ...], color_by: str, size_by: str, layout: str, title: str, sources: Path | None,
        min_confidence: str, as_of: str | None, between) -> None:
    """Write the interactive network as one self-contained HTML file that works offline.

    Example: wbgraph viz --focus "Republika Srpska" --depth 2 -o rs.html
    """
    store = settings.load()
    query = None
    if query_ref:
        query = parse_query_file(Path(query_ref)) if query_ref.endswith(".rq") else find_query(query_ref)
    page = interactive(
        store,
        focus=str(resolve_entity(store, focus)) if focus else None,
        depth=depth,
        query=query,
        query_params=_parse_params(params),
        network_options=_options(settings, min_confidence, as_of, between),
        options=VizOptions(title=title, color_by=color_by, size_by=size_by, layout=layout),
        sources=sources,
    )
    page.save(out_path)
    click.echo(f"wrote {out_path} ({page.graph.number_of_nodes()} actors, {page.graph.number_of_edges()} relations)")


@main.command()
@click.option("-o", "--output", "out_path", type=click.Path(path_type=Path), required=True,
              help="The picture to write: a .png, .svg or .pdf file.")
@click.option("--focus", help="Draw only this actor's neighbourhood.")
@click.option("--depth", type=int, default=1, show_default=True)
@click.option("--labels", type=int, default=25, show_default=True, help="Label this many of the most central actors.")
@click.option("--title", default="wbgraph: Western Balkans security actors", show_default=True)
@click.option("--preset", type=click.Choice(["column", "two-column", "slide"]), default="two-column", show_default=True,
              help="Printed size: one journal column (3.3 in), two columns (6.9 in) or a 16:9 slide.")
@_network_options
@click.pass_obj
@_reports_errors
def image(settings: Settings, out_path: Path, focus: str | None, depth: int, labels: int, title: str, preset: str,
          min_confidence: str, as_of: str | None, between) -> None:
    """Draw the network as a static PNG, SVG or PDF picture for papers and slides.

    Example: wbgraph image -o network.svg --preset column --labels 30
    """
    store = settings.load()
    graph = _project(settings, store, min_confidence, as_of, between)
    if focus:
        graph = ego_network(graph, str(resolve_entity(store, focus)), depth)
    draw_image(graph, out_path, title=title, labels=labels, preset=preset)
    click.echo(f"wrote {out_path}")


@main.command(name="export")
@click.option("--format", "fmt", default=None,
              help="ttl, nt, jsonld, gexf, graphml, csv, cytoscape or stix (default: from the file extension).")
@click.option("-o", "--output", "out_path", type=click.Path(path_type=Path), required=True,
              help="File to write (for csv: a stem; <stem>-nodes.csv and <stem>-edges.csv are written).")
@click.option("--focus", help="Only this actor's neighbourhood (label, alternate name or IRI); STIX and the "
                               "network formats (gexf, graphml, csv, cytoscape).")
@click.option("--depth", type=int, default=1, show_default=True, help="How many relations away from --focus.")
@_network_options
@click.pass_obj
@_reports_errors
def export_command(settings: Settings, fmt: str | None, out_path: Path, focus: str | None, depth: int,
                   min_confidence: str, as_of: str | None, between) -> None:
    """Export the RDF dataset, the network (with its measures as node attributes) or a STIX 2.1 bundle.

    Example: wbgraph export --format gexf -o wbgraph.gexf
    """
    chosen = find_format(fmt or guess_format(out_path) or "")
    if focus and chosen.input == "rdf":
        raise click.UsageError(f"--focus does not apply to --format {chosen.name}, which writes the whole dataset; "
                               "for a neighbourhood as data use --format gexf, graphml, csv, cytoscape or stix")
    store = settings.load()
    if chosen.input in ("rdf", "store"):
        store = _in_period(store, as_of, between)
    graph = measures = options = None
    if chosen.input == "network":
        graph = _project(settings, store, min_confidence, as_of, between)
        measures = node_measures(graph)  # measured in the whole network, also when a neighbourhood is written
        if focus:
            graph = ego_network(graph, str(resolve_entity(store, focus)), depth)
    if chosen.input == "store":
        options = {"min_confidence": min_confidence, "depth": depth, **_grading(),
                   "focus": str(resolve_entity(store, focus)) if focus else None}
    chosen_filters = dataclasses.replace(_options(settings, min_confidence, as_of, between), lang="en")
    filtered = bool(focus) or chosen_filters != NetworkOptions()
    for path in export(store, chosen.name, out_path, graph=graph, measures=measures, options=options,
                       filtered=filtered):
        click.echo(f"wrote {path}")


@main.command()
@click.pass_obj
@_reports_errors
def push(settings: Settings) -> None:
    """Load the ontology, the curated graph and --with files into the remote endpoint, then derive the
    direct edges there. Each file replaces its own named graph, so pushing again is safe.

    Example: wbgraph --endpoint http://127.0.0.1:7878/query --update-endpoint http://127.0.0.1:7878/update push
    """
    if not settings.endpoint:
        raise click.UsageError("push needs --endpoint (and --update-endpoint when updates go elsewhere)")
    store = open_store(endpoint=settings.endpoint, update_endpoint=settings.update_endpoint, timeout=settings.timeout)
    files = list(ontology_files()) + (list(graph_files()) if settings.curated else []) + list(settings.extra)
    total = 0
    with click.progressbar(files, label="pushing", item_show_func=lambda p: p.name if p else "",
                           file=sys.stderr) as bar:
        for path in bar:
            total += store.load(path)
    derived = store.derive_edges()
    click.echo(f"pushed {total} triples from {len(files)} file(s); {derived} derived edges")


@main.command(name="ingest")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--into", type=click.Path(path_type=Path), help="Overlay to write (default: FILE with .ttl).")
@click.option("--strict/--skip-invalid", default=True, show_default=True,
              help="Write nothing if any row fails, or write the valid rows and report the rest.")
@click.option("--encoding", help="Input encoding when not UTF-8 or UTF-16 with a BOM (e.g. latin-1, cp1250).")
@click.option("--kind", type=click.Choice(["actors", "sources", "claims"]),
              help="What a CSV holds, when its columns and name do not tell.")
@click.pass_obj
@_reports_errors
def ingest_command(settings: Settings, file: Path, into: Path | None, strict: bool, encoding: str | None,
                   kind: str | None) -> None:
    """Check a CSV, YAML or JSON file of actors, sources and claims and write it as a Turtle overlay.

    The curated graph/ folder is never written. Exit status 1 when any row was not written.

    Example: wbgraph ingest my-claims.csv --into my-claims.ttl
    """
    result = ingest(settings.load(), file, into=into, strict=strict, encoding=encoding, kind=kind)
    click.echo(result.to_text(), err=not result.ok)
    if not result.ok:
        sys.exit(1)


def _extract_progress(path: Path):
    """A progress bar on standard error while a large document is read."""
    return _progress_bar(path, "reading")


@main.command(name="extract")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Review CSV to write (default: FILE's name with -review.csv, beside it).")
@click.option("--columns", type=click.Choice(["auto", "1", "2"]), default="auto", show_default=True,
              help="A plain text made from a two-column page: 2 reads its interleaved columns apart.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of a text, Markdown or HTML file.")
@click.option("--force", is_flag=True, help="Replace review files that already hold accepted rows.")
@click.pass_obj
@_reports_errors
def extract_command(settings: Settings, file: Path, out_path: Path | None, columns: str, encoding: str,
                    force: bool) -> None:
    """Propose sourced claims from a new document (.txt, .md, .html, .docx, .pdf) for review.

    Writes REVIEW.csv (candidate claims: write yes in 'accept' to keep a row), REVIEW-actors.csv
    (names not in the graph) and REVIEW-source.csv (the document); then `wbgraph ingest REVIEW.csv`
    imports the accepted rows. Nothing is written when the document cannot be read.

    Example: wbgraph extract report.pdf -o report-review.csv
    """
    store = settings.load()
    found = extract(store, file, columns=columns, encoding=encoding, progress=_extract_progress)
    paths = write_review(store, found, out_path or file.with_name(f"{file.stem}-review.csv"), force=force)
    click.echo(found.to_text())
    click.echo("wrote " + ", ".join(str(p) for p in paths))


@main.command(name="template")
@click.argument("name", type=click.Choice(TEMPLATES))
@_reports_errors
def template_command(name: str) -> None:
    """Print an annotated template: claims.csv, actors.csv, sources.csv, claims.yaml, claims.json, ...

    Example: wbgraph template claims.csv > my-claims.csv
    """
    click.echo(template(name), nl=False)


@main.command(name="diff")
@click.argument("a", type=click.Path(exists=True, path_type=Path))
@click.argument("b", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_reports_errors
def diff_command(a: Path, b: Path, fmt: str) -> None:
    """Actors and claims added, removed or changed between two files or folders of RDF.

    Example: wbgraph diff old-graph/ graph/
    """
    result = diff_graphs(a, b)
    click.echo(result.to_text() if fmt == "text" else json.dumps(result.to_dict(), indent=2, ensure_ascii=False))


@main.command()
@click.option("--triples", type=int, required=True, help="How many triples (at least 1000).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same file.")
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write: .nt (fast) or .ttl.")
@_reports_errors
def synth(triples: int, seed: int, out_path: Path) -> None:
    """Write a synthetic graph shaped like the curated one (classes, claims, degree skew), for scale tests.

    Example: wbgraph synth --triples 1000000 --seed 1 -o synthetic-1m.nt
    """
    path = write_synthetic(out_path, triples, seed)
    click.echo(f"wrote {triples} triples to {path}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default keeps the server on this machine.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--query-timeout", type=float, default=30.0, show_default=True,
              help="Seconds before a query is cancelled and answered 503.")
@click.option("--row-limit", type=int, default=10000, show_default=True,
              help="Most rows (or triples) one query returns; the X-Truncated header says when rows were cut.")
@click.option("--cors", is_flag=True, help="Let web pages from other origins call /sparql and /api.")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), envvar="WBGRAPH_SOURCES",
              help="Folder of the source documents, so source pages show the cited lines.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Worker processes that evaluate /sparql queries (killed and replaced at the time limit).")
@click.option("--max-queries", type=click.IntRange(1), default=8, show_default=True,
              help="Most /sparql queries admitted at once; more are answered 503 with Retry-After.")
@click.option("--queries-per-client", type=click.IntRange(1), default=4, show_default=True,
              help="Most /sparql queries admitted at once from one client address.")
@click.option("--workers-per-client", type=click.IntRange(1, 64), default=None,
              help="Most workers one client address holds at once (default: all); fewer keep some free for others.")
@click.option("--allow-host", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (repeatable); loopback names always work.")
@click.pass_obj
@_reports_errors
def serve(settings: Settings, host: str, port: int, query_timeout: float, row_limit: int, cors: bool,
          sources: Path | None, workers: int, max_queries: int, queries_per_client: int,
          workers_per_client: int | None, allow_host: tuple[str, ...]) -> None:
    """Serve the graph on the web: SPARQL endpoint, entity pages, path finder, query library, network.

    Example: wbgraph serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    from .server import serve as run_server

    run_server(settings.load(), host=host, port=port, query_timeout=query_timeout, row_limit=row_limit,
               cors=cors, sources=sources, workers=workers, max_queries=max_queries,
               queries_per_client=queries_per_client, workers_per_client=workers_per_client,
               allow_hosts=allow_host)
