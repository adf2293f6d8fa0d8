"""Running the SHACL shapes over a data graph: a compiled engine by default, pyshacl as the reference.

The default engine is pyshacl-turbo, which runs pyshacl's checks in compiled code behind pyshacl's own
API and report graph (the curated graph: about 0.3 s against about 2.5 s). pyshacl itself stays as the
reference: ``tests/test_shacl_engines.py`` checks that both give the same results on the curated graph
and on every invalid fixture, and ``bench/bench_validate.py`` times one against the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from rdflib import Graph

__all__ = ["ENGINES", "shacl_report"]

ENGINES = ("turbo", "pyshacl")


def shacl_report(data, shapes: Path, *, focus: list[str] | None = None, engine: str = "turbo") -> Graph:
    """The SHACL validation report graph of ``data`` against the shapes in the file ``shapes``.

    ``data`` is an rdflib Graph, or for ``"turbo"`` also a pyoxigraph Store (its default graph),
    which the compiled engine reads without going through rdflib.

    ``focus`` (IRIs) limits the top-level shapes to those nodes; nested shapes still see every value,
    as in a full run. ``engine`` is ``"turbo"`` (compiled, the default) or ``"pyshacl"`` (the
    reference).

    >>> from rdflib import Graph
    >>> from rdflib.namespace import SH
    >>> from wbgraph.resources import shapes_file
    >>> data = Graph().parse(data='''@prefix wb: <https://w3id.org/wbgraph/ontology#> .
    ...     <https://example.org/c> a wb:Claim .''', format="turtle")
    >>> def messages(report):
    ...     return sorted(str(report.value(r, SH.resultMessage)) for r in report.objects(None, SH.result))
    >>> messages(shacl_report(data, shapes_file()))[0]
    'has no locator: add wb:lineStart and wb:lineEnd (or wb:locator) saying where in the source it stands'
    >>> messages(shacl_report(data, shapes_file())) == messages(shacl_report(data, shapes_file(), engine="pyshacl"))
    True
    """
    options = dict(inference="none", advanced=True, allow_warnings=True, focus_nodes=focus or None)
    if engine == "turbo":
        from pyshacl_turbo import validate

        _, results, _ = validate(data, shacl_graph=Path(shapes), shacl_graph_format="turtle", **options)
        return results
    if engine == "pyshacl":
        from pyshacl import validate

        shapes_graph = Graph().parse(shapes, format="turtle")
        with _focus_on_targets_only() if focus else nullcontext():
            _, results, _ = validate(data, shacl_graph=shapes_graph, inplace=True,  # no rules: nothing added
                                     **options)
        return results
    raise ValueError(f"unknown SHACL engine {engine!r}: choose one of {', '.join(ENGINES)}")


@contextmanager
def _focus_on_targets_only() -> Iterator[None]:
    """Let pyshacl's ``focus_nodes`` choose the targets of the top-level shapes only.

    pyshacl 0.40 also filters the value nodes that a shape hands to a nested shape (``sh:node``,
    ``sh:qualifiedValueShape``) by that list, so a literal never reaches the nested shape: "exactly one
    English label" then fails for every focus node. Nested shapes must see every value, as in a full run.
    pyshacl-turbo applies ``focus_nodes`` to the targets only, as this patch does.
    """
    from pyshacl.shape import Shape

    original = Shape.validate

    def validate(self, executor, target_graph, focus=None, _evaluation_path=None):
        if focus is None or not executor.focus_nodes:
            return original(self, executor, target_graph, focus, _evaluation_path)
        chosen, executor.focus_nodes = executor.focus_nodes, None
        try:
            return original(self, executor, target_graph, focus, _evaluation_path)
        finally:
            executor.focus_nodes = chosen

    Shape.validate = validate
    try:
        yield
    finally:
        Shape.validate = original
