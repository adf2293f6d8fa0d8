"""``build`` honours the store settings (--store-path, --endpoint) and never leaves a staging folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import wbgraph
from wbgraph import build as build_module
from wbgraph.cli import main
from wbgraph.store import GraphStore
from wbgraph.synth import write_synthetic

from .conftest import INVALID, MINI

LK = "https://example.org/lake/"
SERBIA = "https://w3id.org/wbgraph/id/serbia"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".wbgraph-stage-*"))


def economies(out: Path) -> set[str]:
    return {row["economy"] for row in json.loads((out / "analysis" / "exposure.json").read_text())}


def test_build_with_store_path_reuses_the_store(tmp_path, monkeypatch):
    store = tmp_path / "store"
    first = run("--no-curated", "--with", MINI, "--store-path", store, "build", "-o", tmp_path / "a")
    assert first.exit_code == 0, first.output
    assert any(store.iterdir())  # the data went to disk

    loads = []
    original = GraphStore.load
    monkeypatch.setattr(GraphStore, "load", lambda self, path, **kw: loads.append(path) or original(self, path, **kw))
    second = run("--no-curated", "--with", MINI, "--store-path", store, "build", "-o", tmp_path / "b")
    assert second.exit_code == 0, second.output
    assert loads == []  # nothing parsed again
    for name in ("stats.json", "analysis/exposure.json", "export/wbgraph-edges.csv"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()
    assert economies(tmp_path / "b") == {LK + "freedonia", LK + "sylvania"}


def test_build_with_store_path_reports_a_bad_file(tmp_path):
    result = run("--no-curated", "--with", MINI, "--with", INVALID / "no-locator.ttl", "--store-path",
                 tmp_path / "store", "build", "-o", tmp_path / "out")
    assert result.exit_code == 1 and "nothing was written" in result.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("parallel", ["off", "on"])
def test_a_failed_build_leaves_no_staging_folder(tmp_path, monkeypatch, parallel):
    monkeypatch.setenv("WBGRAPH_PARALLEL", parallel)

    def broken(inputs, stage):
        (stage / "half.txt").write_text("half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "BUILD_STEPS", [*build_module.BUILD_STEPS[:2], broken])
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="disk full"):
        build_module.build(out, [MINI], curated=False)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("parallel", ["off", "on"])
def test_a_step_that_fails_on_invalid_data_reports_the_data_errors(tmp_path, monkeypatch, parallel):
    """Validation runs beside the outputs: when a step breaks on data that does not validate, the user
    gets the data's errors, as when validation ran first."""
    monkeypatch.setenv("WBGRAPH_PARALLEL", parallel)
    monkeypatch.setenv("WBGRAPH_CACHE", "off")

    def broken(inputs, stage):
        raise RuntimeError("a step tripped over the bad data")

    monkeypatch.setattr(build_module, "BUILD_STEPS", [*build_module.BUILD_STEPS[:2], broken])
    out = tmp_path / "out"
    result = build_module.build(out, [MINI, INVALID / "no-locator.ttl"], curated=False)
    assert not result.ok and result.written == []
    assert any(i.file and i.file.endswith("no-locator.ttl") for i in result.report.errors)
    assert not out.exists()


@pytest.mark.parametrize("bad", ["no-locator.ttl", "bad-date.ttl", "unknown-term.ttl"])
def test_validation_beside_the_outputs_reports_what_validation_first_reports(tmp_path, monkeypatch, bad):
    monkeypatch.setenv("WBGRAPH_CACHE", "off")
    reports = {}
    for parallel in ("off", "on"):
        monkeypatch.setenv("WBGRAPH_PARALLEL", parallel)
        result = run("--no-curated", "--with", MINI, "--with", INVALID / bad, "build", "-o", tmp_path / parallel)
        assert result.exit_code == 1 and "nothing was written" in result.output, result.output
        assert not (tmp_path / parallel).exists()
        reports[parallel] = result.output.replace(str(tmp_path / parallel), "OUT")
    assert reports["on"] == reports["off"]


def test_the_build_writes_the_same_files_with_steps_in_parallel_or_in_turn(tmp_path, monkeypatch, slow_data):
    monkeypatch.setenv("WBGRAPH_CACHE", "off")
    files = {}
    for parallel in ("off", "on"):
        monkeypatch.setenv("WBGRAPH_PARALLEL", parallel)
        result = build_module.build(tmp_path / parallel, [MINI, slow_data], curated=False, profile=True)
        assert result.ok
        assert any(s.parallel for s in result.profile.steps) == (parallel == "on")
        files[parallel] = {p.relative_to(tmp_path / parallel).as_posix(): p.read_bytes() for p in result.written}
    assert {"network.html", "network.png", "network.svg", "validation.json"} <= set(files["on"])
    assert files["on"].keys() == files["off"].keys()
    assert [name for name in files["on"] if files["on"][name] != files["off"][name]] == []


def _build_process(data: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(wbgraph.__file__).resolve().parent.parent)}
    return subprocess.Popen([sys.executable, "-m", "wbgraph", "--no-curated", "--with", str(data), "build",
                             "-o", str(out)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for_stage(process: subprocess.Popen, out: Path) -> None:
    deadline = time.monotonic() + 300
    while not (out.is_dir() and leftovers(out)):
        assert process.poll() is None, "the build ended before it started writing"
        assert time.monotonic() < deadline, "no staging folder appeared"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def slow_data(tmp_path_factory) -> Path:
    """A graph big enough that a build takes a few seconds after validation."""
    return write_synthetic(tmp_path_factory.mktemp("synth") / "synth.nt", 8000, 3)


def test_a_build_stopped_by_sigterm_leaves_nothing(tmp_path, slow_data):
    out = tmp_path / "out"
    process = _build_process(slow_data, out)
    _wait_for_stage(process, out)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode != 0
    assert list(out.iterdir()) == [], err.decode()


def _processes_naming(text: str) -> list[int]:
    """The processes whose command line holds ``text`` (Linux's /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            pass
    return found


def test_a_stage_left_by_a_killed_build_is_removed_by_the_next(tmp_path, slow_data):
    out = tmp_path / "out"
    process = _build_process(slow_data, out)
    _wait_for_stage(process, out)
    process.kill()  # SIGKILL: no clean-up can run in the process itself
    process.wait(timeout=60)
    assert leftovers(out)
    if Path("/proc/self/cmdline").exists():  # the steps it ran in child processes died with it
        deadline = time.monotonic() + 10
        while _processes_naming(str(out)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _processes_naming(str(out)) == []
    result = run("--no-curated", "--with", MINI, "build", "-o", out)
    assert result.exit_code == 0, result.output
    assert leftovers(out) == [] and (out / "stats.json").is_file()


@pytest.mark.servers
def test_build_on_an_endpoint_writes_what_the_endpoint_holds(tmp_path):
    from .servers import oxigraph_running

    with oxigraph_running() as server:
        out = tmp_path / "out"
        pushed = run("--no-curated", "--with", MINI, *server.cli_args, "push")
        assert pushed.exit_code == 0, pushed.output
        result = run(*server.cli_args, "build", "-o", out)
        assert result.exit_code == 0, result.output
        assert economies(out) == {LK + "freedonia", LK + "sylvania"}  # not the curated graph's
        edges = (out / "export" / "wbgraph-edges.csv").read_text()
        assert LK + "order-of-the-lamp" in edges or "order-of-the-lamp" in edges
        assert SERBIA not in (out / "export" / "wbgraph.nt").read_text()
        validation = json.loads((out / "validation.json").read_text())
        assert validation["ok"] and [Path(f).name for f in validation["files"]] == ["mini.ttl"]


@pytest.mark.servers
def test_build_on_an_empty_endpoint_writes_no_curated_data(tmp_path):
    from .servers import oxigraph_running

    with oxigraph_running() as server:
        out = tmp_path / "out"
        result = run(*server.cli_args, "build", "-o", out)
        assert result.exit_code == 0, result.output
        assert json.loads((out / "stats.json").read_text())["triples"] == 0
        assert not (out / "network.html").exists()


def test_build_profile_prints_each_step(tmp_path, monkeypatch):
    monkeypatch.setenv("WBGRAPH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("WBGRAPH_PARALLEL", "off")

    def profiled_steps():
        result = CliRunner().invoke(main, ["--no-curated", "--with", str(MINI), "build", "--profile", "-o",
                                           str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        table = result.stderr.splitlines()
        assert table[0].split() == ["step", "seconds", "peak", "MB"]
        assert all(float(line.split()[-2]) >= 0 and float(line.split()[-1]) > 0 for line in table[1:])
        return [line.rsplit(None, 2)[0] for line in table[1:]]

    assert profiled_steps() == ["load", "derive edges", "validate", "projection", "measures", "write validation",
                                "write stats", "write analysis", "write pictures", "write exports", "total"]
    # the same data again: the outputs come from the cache, and the network is not projected
    assert profiled_steps() == ["load", "derive edges", "validate", "cached outputs", "write validation", "total"]


def test_build_profile_marks_the_steps_run_beside_the_others(tmp_path, monkeypatch):
    monkeypatch.setenv("WBGRAPH_CACHE", "off")
    monkeypatch.setenv("WBGRAPH_PARALLEL", "on")
    result = CliRunner().invoke(main, ["--no-curated", "--with", str(MINI), "build", "--profile", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    table = result.stderr.splitlines()
    rows = {line.rsplit(None, 2)[0]: line.split()[-2:] for line in table[1:-1]}
    assert {"validate *", "write pictures *", "write exports", "total", "wall clock"} <= set(rows)
    assert table[-1].startswith("* ran in a child process")
    # the wall clock is what a user waited; the steps beside each other add up to more
    assert 0 < float(rows["wall clock"][0]) <= float(rows["total"][0])
