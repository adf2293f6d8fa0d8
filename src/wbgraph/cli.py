"""The ``wbgraph`` command line: a thin layer of click commands over the library."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import update_wrapper
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import WbgraphError
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
graph_stats = lazy("wbgraph.stats", "graph_stats")
stats_markdown = lazy("wbgraph.stats", "stats_markdown")
load_graph = lazy("wbgraph.store", "load_graph")
open_store = lazy("wbgraph.store", "open_store")
write_synthetic = lazy("wbgraph.synth", "write_synthetic")
format_result = lazy("wbgraph.tables", "format_result")
text_table = lazy("wbgraph.tables", "text_table")
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

    def load(self) -> GraphStore:
        """The store every command works on: a remote endpoint as it is (fill it with ``wbgraph push``),
        or the ontology, the curated graph (unless turned off) and the extra files loaded into the
        embedded store (on disk with --store-path, where files already loaded are not loaded again)."""
        if self.endpoint:
            return open_store(endpoint=self.endpoint, update_endpoint=self.update_endpoint, timeout=self.timeout)
        return load_graph(self.extra, curated=self.curated, backend=self.backend, path=self.store_path,
                          progress=_progress_bar)


@contextmanager
def _progress_bar(path: Path):
    """A progress bar on standard error for files of more than a few megabytes."""
    size = path.stat().st_size if path.exists() else 0
    if size < PROGRESS_ABOVE:
        yield None
        return
    with click.progressbar(length=size, label=f"loading {path.name}", file=sys.stderr) as bar:
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
@click.pass_context
def main(ctx: click.Context, backend: str, extra: tuple[Path, ...], no_curated: bool, store_path: Path | None,
         endpoint: str | None, update_endpoint: str | None, timeout: float) -> None:
    """wbgraph: a sourced knowledge graph of Western Balkans security.

    Every relation is a claim with its source document, line range, confidence and dates. Credentials
    for a remote endpoint come from WBGRAPH_ENDPOINT_USER and WBGRAPH_ENDPOINT_PASSWORD.
    """
    if store_path is not None and endpoint is not None:
        raise click.UsageError("give --store-path or --endpoint, not both")
    ctx.obj = Settings(backend=backend, extra=expand_paths(extra), curated=not no_curated, store_path=store_path,
                       endpoint=endpoint, update_endpoint=update_endpoint, timeout=timeout)


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
        click.echo(f"{result['triples']} triples, {result['derived edges']} derived edges")
        width = max(len(k) for k in result["groups"])
        for name, n in result["groups"].items():
            click.echo(f"  {name:<{width}}  {n:>5}")
        click.echo("claims per source:")
        for row in result["claims per source"]:
            click.echo(f"  {row['source']:<12} {row['claims']:>5}  {row['label']}")
        click.echo("claims per confidence:")
        for level, n in result["claims per confidence"].items():
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
@click.pass_obj
@_reports_errors
def query(settings: Settings, name: str | None, params: tuple[str, ...], query_file: Path | None,
          expression: str | None, fmt: str, as_of: str | None, between) -> None:
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
    result = run_query(store, target, _parse_params(params))
    click.echo(format_result(store, result, fmt))


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
        params = " ".join(f"-p {p.name}={p.default!s}" if p.default is not None else f"-p {p.name}=..."
                          for p in q.parameters)
        if fmt == "markdown":
            shown = f"`{params}`" if params else "-"
            click.echo(f"| `{q.name}` | {q.summary} | {shown} |")
        else:
            click.echo(f"{q.name}\n    {q.summary}" + (f"\n    {params}" if params else ""))


def _network_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options that filter the projected network: confidence and time."""
    command = click.option("--between", nargs=2, metavar="START END", default=None,
                           help="Keep claims valid at some time between two dates.")(command)
    command = click.option("--as-of", metavar="DATE", default=None,
                           help="Keep claims valid at this date (claims without dates are kept).")(command)
    command = click.option("--min-confidence", type=click.Choice(["implied", "alleged", "stated"]),
                           default="implied", show_default=True, help="Leave out claims less firm than this.")(command)
    return command


def _project(settings: Settings, store: GraphStore, min_confidence: str, as_of: str | None,
             between: tuple[str, str] | None, predicates: tuple[str, ...] | None = None):
    options = NetworkOptions(predicates=predicates, min_confidence=min_confidence, as_of=as_of,
                             between=tuple(between) if between else None)
    graph = project_network(store, options)
    if graph.number_of_edges() == 0:
        raise WbgraphError("no relation is left after the filters", hint="loosen --min-confidence or the dates")
    return graph


def _in_period(store: GraphStore, as_of: str | None, between) -> GraphStore:
    """The store itself, or a copy without the claims that do not hold at --as-of / in --between."""
    window = check_period(as_of, tuple(between) if between else None)
    return store if window is None else restrict_to_period(store, *window)


def _split_list(text: str | None) -> tuple[str, ...] | None:
    return tuple(x.strip() for x in text.split(",") if x.strip()) if text else None


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

    FROM and TO are labels, alternate names, prefixed names or IRIs.

    Example: wbgraph path Russia "Bosnia and Herzegovina" --max-hops 3
    """
    store = settings.load()
    start, end = resolve_entity(store, source), resolve_entity(store, target)
    graph = _project(settings, store, min_confidence, as_of, between)
    found = influence_paths(graph, str(start), str(end), max_hops=max_hops, k=k, via=_split_list(via))
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    if fmt == "json":
        click.echo(json.dumps({"from": str(start), "to": str(end), "paths": [p.to_dict(labels) for p in found]},
                              indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo(f"no path: nothing links {labels[str(start)]} to {labels[str(end)]} within {max_hops} hop(s) "
                   "along influence relations")
        return
    click.echo(format_paths(found, labels, markdown=fmt == "markdown"))


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
    graph = _project(settings, store, min_confidence, as_of, between)
    rows = reach(graph, str(start), max_hops=max_hops, via=_split_list(via))
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
    click.echo(format_reach(rows, labels, markdown=fmt == "markdown"))
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
              help="auto: physics up to 1000 actors, positions computed in Python above.")
@click.option("--title", default="wbgraph: Western Balkans security actors", show_default=True)
@_network_options
@click.pass_obj
@_reports_errors
def viz(settings: Settings, out_path: Path, focus: str | None, depth: int, query_ref: str | None,
        params: tuple[str, ...], color_by: str, size_by: str, layout: str, title: str, min_confidence: str,
        as_of: str | None, between) -> None:
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
        network_options=NetworkOptions(min_confidence=min_confidence, as_of=as_of,
                                       between=tuple(between) if between else None),
        options=VizOptions(title=title, color_by=color_by, size_by=size_by, layout=layout),
    )
    page.save(out_path)
    click.echo(f"wrote {out_path} ({page.graph.number_of_nodes()} actors, {page.graph.number_of_edges()} relations)")


@main.command()
@click.option("-o", "--output", "out_path", type=click.Path(path_type=Path), required=True,
              help="The picture to write: a .png or .svg file.")
@click.option("--focus", help="Draw only this actor's neighbourhood.")
@click.option("--depth", type=int, default=1, show_default=True)
@click.option("--labels", type=int, default=25, show_default=True, help="Label this many of the most central actors.")
@click.option("--title", default="wbgraph: Western Balkans security actors", show_default=True)
@_network_options
@click.pass_obj
@_reports_errors
def image(settings: Settings, out_path: Path, focus: str | None, depth: int, labels: int, title: str,
          min_confidence: str, as_of: str | None, between) -> None:
    """Draw the network as a static PNG or SVG picture for papers.

    Example: wbgraph image -o network.svg --labels 30
    """
    store = settings.load()
    graph = _project(settings, store, min_confidence, as_of, between)
    if focus:
        graph = ego_network(graph, str(resolve_entity(store, focus)), depth)
    draw_image(graph, out_path, title=title, labels=labels)
    click.echo(f"wrote {out_path}")


@main.command(name="export")
@click.option("--format", "fmt", default=None,
              help="ttl, nt, jsonld, gexf, graphml, csv or cytoscape (default: from the file extension).")
@click.option("-o", "--output", "out_path", type=click.Path(path_type=Path), required=True,
              help="File to write (for csv: a stem; <stem>-nodes.csv and <stem>-edges.csv are written).")
@_network_options
@click.pass_obj
@_reports_errors
def export_command(settings: Settings, fmt: str | None, out_path: Path, min_confidence: str, as_of: str | None,
                   between) -> None:
    """Export the RDF dataset or the network (with its measures as node attributes) for other tools.

    Example: wbgraph export --format gexf -o wbgraph.gexf
    """
    chosen = find_format(fmt or guess_format(out_path) or "")
    store = settings.load()
    if chosen.input == "rdf":
        store = _in_period(store, as_of, between)
    graph = measures = None
    if chosen.input == "network":
        graph = _project(settings, store, min_confidence, as_of, between)
        measures = node_measures(graph)
    for path in export(store, chosen.name, out_path, graph=graph, measures=measures):
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
@click.pass_obj
@_reports_errors
def serve(settings: Settings, host: str, port: int, query_timeout: float, row_limit: int, cors: bool,
          sources: Path | None) -> None:
    """Serve the graph on the web: SPARQL endpoint, entity pages, path finder, query library, network.

    Example: wbgraph serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    from .server import serve as run_server

    run_server(settings.load(), host=host, port=port, query_timeout=query_timeout, row_limit=row_limit,
               cors=cors, sources=sources)
