"""The main job: load, validate and write everything wbgraph produces into one folder."""

from __future__ import annotations

import json
import time
from contextlib import suppress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path

from .analysis import analyse, write_analysis
from .analysis.report import node_measures
from .forked import Job, can_fork, start
from .network import project_network
from .output_cache import remembered, restore, save, step_key
from .outputs import ESCAPE_FORMULAS, check_output_dir, staged_dir
from .profiling import Profile, steps_of
from .resources import graph_files
from .stats import graph_stats, stats_markdown
from .store import GraphStore, open_store
from .validate import Report, check_files, expand_paths, validate_files, validate_loaded
from .validation_cache import cache_dir, prefix_keys

__all__ = ["BUILD_STEPS", "BuildInputs", "BuildResult", "build"]


@dataclass
class BuildResult:
    """What a build did: the validation report and the files it wrote (none when validation failed)."""

    report: Report
    out_dir: Path
    written: list[Path] = field(default_factory=list)
    #: Each step's time and peak memory, when the build was asked to profile itself.
    profile: Profile | None = None

    @property
    def ok(self) -> bool:
        """True when the data validated and the outputs were written."""
        return self.report.ok


@dataclass
class BuildInputs:
    """What the build steps share: the store, the report, and the network and its analysis, each
    computed once, on first use."""

    store: GraphStore
    report: Report

    @cached_property
    def graph(self):
        """The projected network."""
        return project_network(self.store)

    @cached_property
    def analysis(self) -> dict:
        """Centrality, communities and exposure of :attr:`graph`."""
        return analyse(self.graph)


def _write_validation(inputs: BuildInputs, stage: Path) -> list[str]:
    (stage / "validation.json").write_text(inputs.report.to_json() + "\n", encoding="utf-8")
    (stage / "validation.txt").write_text(inputs.report.to_text() + "\n", encoding="utf-8")
    return ["validation.json", "validation.txt"]


def _write_stats(inputs: BuildInputs, stage: Path) -> list[str]:
    stats = graph_stats(inputs.store)
    (stage / "stats.json").write_text(json.dumps(stats, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (stage / "stats.md").write_text(stats_markdown(stats), encoding="utf-8")
    return ["stats.json", "stats.md"]


def _write_analysis(inputs: BuildInputs, stage: Path) -> list[str]:
    folder = stage / "analysis"
    folder.mkdir()
    return [f"analysis/{name}" for name in write_analysis(inputs.graph, folder, result=inputs.analysis)]


def _write_pictures(inputs: BuildInputs, stage: Path) -> list[str]:
    from .viz import interactive
    from .viz.image import draw_image

    if inputs.graph.number_of_nodes() == 0:
        return []
    interactive(inputs.store, graph=inputs.graph).save(stage / "network.html")
    draw_image(inputs.graph, stage / "network.png", stage / "network.svg")
    return ["network.html", "network.png", "network.svg"]


def _write_exports(inputs: BuildInputs, stage: Path) -> list[str]:
    from .export import EXPORT_FORMATS, export

    measures = node_measures(inputs.graph, result=inputs.analysis)
    folder = stage / "export"
    folder.mkdir()
    written = []
    for name, fmt in EXPORT_FORMATS.items():
        paths = export(inputs.store, name, folder / f"wbgraph{fmt.suffix}", graph=inputs.graph, measures=measures)
        written += [f"export/{p.name}" for p in paths]
    return written


#: The steps of a build, in order. Each writes its files into the staging folder and names them.
BUILD_STEPS: list[Callable[[BuildInputs, Path], list[str]]] = [
    _write_validation,
    _write_stats,
    _write_analysis,
    _write_pictures,
    _write_exports,
]


def build(
    out_dir: str | Path = "wbgraph-out",
    paths: Iterable[str | Path] = (),
    *,
    curated: bool = True,
    backend: str = "oxigraph",
    store_path: str | Path | None = None,
    store: GraphStore | None = None,
    profile: bool = False,
) -> BuildResult:
    """Load the ontology, the curated graph and ``paths``, validate them and write every output.

    With ``store_path``, the data go into that on-disk Oxigraph store, and files it already holds are
    not loaded again. With ``store`` (a remote endpoint, say), nothing is loaded: what the store holds
    is validated and written as it is. Nothing is written when the data does not validate; outputs
    appear all at once when it does. With ``profile``, :attr:`BuildResult.profile` has each step's
    time and peak memory.

    A step whose files depend only on the data is not run again for data it has already written: its
    files are copied from the output cache (:mod:`wbgraph.output_cache`), which any change to the
    files, the package or the libraries it uses invalidates. Builds from ``store_path`` or ``store``
    always run every step.

    Where a process can be forked (see :mod:`wbgraph.forked`), validation and the pictures run in child
    processes beside the other steps, and the outputs are dropped if validation finds an error: the
    files and the report are the same as when the steps run in turn.

    >>> import tempfile
    >>> result = build(tempfile.mkdtemp(), profile=True)
    >>> result.ok, {"validation.txt", "network.html", "wbgraph.gexf"} <= {p.name for p in result.written}
    (True, True)
    >>> {"load", "validate", "write exports"} <= {s.step for s in result.profile.steps}
    True
    """
    out_dir = Path(out_dir)
    check_output_dir(out_dir)
    timing = Profile() if profile else None
    step = steps_of(timing)
    files = None
    checking: Job | None = None
    if store is not None:
        with step("validate"):
            report = validate_loaded(store)
    else:
        files = (list(graph_files()) if curated else []) + expand_paths(paths)
        target = open_store(backend, path=store_path) if store_path is not None else None
        # An in-memory store can be shared with a forked child: validation then runs beside the outputs.
        beside = store_path is None and backend == "oxigraph" and can_fork()
        report, store = validate_files(files, backend=backend, store=target, reuse=target is not None,
                                       profile=timing, check=not beside)
        if beside and store is not None:
            checking = start(partial(_in_child, "validate", check_files, store, files, profile=profile))
    result = BuildResult(report=report, out_dir=out_dir, profile=timing)
    if store is None or (checking is None and not report.ok):
        return result
    # Only a store filled from the named files in this run holds exactly what their key describes.
    keys = _step_keys(files) if files is not None and store_path is None else {}
    existed = out_dir.exists()
    try:
        written = _write_outputs(out_dir, BuildInputs(store, report), keys, checking, timing)
    except _Invalid:
        written = {}
        if not existed:  # as when validation runs first: no folder appears for data that does not validate
            with suppress(OSError):
                out_dir.rmdir()
    finally:
        if checking is not None:  # stopped (Ctrl-C, say) before its result was taken
            checking.cancel()
    if timing is not None:
        timing.wall_seconds = time.perf_counter() - timing.started
    result.written = [out_dir / name for write in BUILD_STEPS for name in written.get(write, [])]
    return result


class _Invalid(Exception):
    """The data did not validate: the staged outputs are dropped."""


def _write_outputs(out_dir: Path, inputs: BuildInputs, keys: dict[Callable, str], checking: Job | None,
                   timing: Profile | None) -> dict[Callable, list[str]]:
    """Write every step's files into ``out_dir`` (all at once, through a staging folder) and return their
    names; raise :class:`_Invalid`, having written nothing, when ``checking`` finds errors.

    The pictures are drawn in a child process while this one writes the rest (see :mod:`wbgraph.forked`).
    """
    step = steps_of(timing)
    written: dict[Callable, list[str]] = {}
    jobs: dict[Callable, Job] = {}
    with staged_dir(out_dir) as stage:
        try:
            if any(remembered(key) for key in keys.values()):
                with step("cached outputs"):
                    for write, key in keys.items():
                        if (names := restore(key, stage)) is not None:
                            written[write] = names
            pending = [write for write in BUILD_STEPS if write not in written]
            if any(write in _USE_NETWORK for write in pending):
                with step("projection"):  # computed here, once, and shared with the children
                    inputs.graph
                with step("measures"):
                    inputs.analysis
            for write in pending:
                if write in _IN_CHILD and can_fork():
                    jobs[write] = start(partial(_in_child, _step_name(write), write, inputs, stage,
                                                profile=timing is not None))
            later = _NEED_REPORT if checking is not None else ()
            for write in pending:
                if write not in jobs and write not in later:
                    with step(_step_name(write)):
                        written[write] = write(inputs, stage)
            if checking is not None:
                _finish_check(inputs.report, checking, timing)
            for write in pending:
                if write in later:
                    with step(_step_name(write)):
                        written[write] = write(inputs, stage)
            for write, job in jobs.items():
                written[write] = _child_result(job, timing)
        except BaseException as err:
            for job in jobs.values():
                job.cancel()
            if checking is not None and checking.pid is not None and not isinstance(err, KeyboardInterrupt):
                # A step failed before validation ended: on data that does not validate, the user
                # needs the data's errors (raised as _Invalid), not the step's.
                _finish_check(inputs.report, checking, None)
            raise
    for write in written:
        if write in keys and write in pending:
            save(keys[write], out_dir, written[write])
    return written


def _in_child(name: str, func: Callable, *args, profile: bool):
    """Run one step (in a child process, usually) and return its value and its timing."""
    timing = Profile() if profile else None
    with steps_of(timing)(name):
        value = func(*args)
    return value, (timing.steps if timing is not None else [])


def _child_result(job: Job, timing: Profile | None):
    value, steps = job.result()
    if timing is not None:
        timing.steps += [replace(s, parallel=True) for s in steps]
    return value


def _finish_check(report: Report, checking: Job, timing: Profile | None) -> None:
    """Add what the validation found to ``report``; raise :class:`_Invalid` when it found errors."""
    report.issues.extend(_child_result(checking, timing))
    if not report.ok:
        raise _Invalid()


def _step_name(write: Callable) -> str:
    return write.__name__.removeprefix("_").replace("_", " ")


#: The steps that read the network (the others read only the store).
_USE_NETWORK = (_write_analysis, _write_pictures, _write_exports)
#: The steps drawn in a child process while the parent writes the others.
_IN_CHILD = (_write_pictures,)
#: The steps that wait for the validation's result.
_NEED_REPORT = (_write_validation,)


def _step_keys(files: list[Path]) -> dict[Callable, str]:
    """The output-cache key of each step whose files depend only on the data (see :mod:`wbgraph.output_cache`);
    none when the cache is off."""
    if cache_dir() is None:
        return {}
    data_key = prefix_keys(files)[-1]
    settings = "" if ESCAPE_FORMULAS.get() else "raw-csv"
    return {write: step_key(data_key, _step_name(write), settings) for write in BUILD_STEPS
            if write is not _write_validation}
