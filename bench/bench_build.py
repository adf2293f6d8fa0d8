"""The main job at any size: ``wbgraph build`` step by step, start-up, and the curated graph.

Run: python bench/bench_build.py [--sizes 10000 100000 1000000] [--seed 1] [--timeout 3600]

* **build at each size**: a synthetic graph (``wbgraph synth``, N-Triples) is built with
  ``build(curated=False, profile=True)`` in a fresh child process, with the validation cache off, so
  every step does its full work. Each step's time and peak resident memory are printed, and the growth
  exponent of each step is fitted over the sizes (least squares of log time against log triples: 1.0
  is linear). A build that exceeds --timeout is reported as such.
* **the curated graph**: ``wbgraph build`` as a user runs it, cold (cache off) and warm (a second run
  with the cache on), each step's time. The CPU time of each child is printed beside the wall-clock
  time: on a shared machine it is the steadier of the two.
* **the curated graph, whole command**: ``wbgraph build -o DIR`` in a fresh process, timed from start
  to exit (start-up included), --curated-repeat times in three states, by turns: everything cold
  (cache off); validation remembered but outputs not (a fresh cache filled by ``wbgraph validate``);
  and a rebuild of unchanged data (validation and outputs remembered). Best and median.
* **start-up**: ``wbgraph --version`` and ``--help`` against ``python -c "import click"`` (the
  baseline), run by turns, median of --repeat runs each.

Times are wall-clock on a shared machine: the exponent and the ratios are measured within one run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

_CHILD = """
import json, sys
from wbgraph.build import build
paths = sys.argv[2:]  # none: the curated graph alone
result = build(sys.argv[1], paths, curated=not paths, profile=True)
assert result.ok, result.report.to_text()
wall = {"step": "wall clock", "seconds": round(result.profile.wall_seconds, 4), "peak_mb": 0.0, "parallel": False}
print(json.dumps(result.profile.to_dicts() + [wall]))
"""


#: Rows about the whole build, not steps: left out of the sum of the steps.
_SUMMARY = ("wall clock", "process CPU (whole child)")


def _env(cache: str) -> dict:
    path = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return {**os.environ, "PYTHONPATH": path, "WBGRAPH_CACHE": cache}


def profiled_build(data: Path | None, out: Path, timeout: float, cache: str = "off") -> list[dict] | None:
    """Each step of one build of ``data`` (None: the curated graph) in a fresh process, or None when it
    took longer than ``timeout``."""
    args = [sys.executable, "-c", _CHILD, str(out)] + ([str(data)] if data is not None else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        done = subprocess.run(args, env=_env(cache), capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as err:
        raise SystemExit(f"the build failed:\n{err.stderr[-3000:]}") from None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    steps = json.loads(done.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return steps + [{"step": "process CPU (whole child)", "seconds": round(cpu, 2), "peak_mb": 0.0}]


def exponent(sizes: list[int], times: list[float]) -> float | None:
    """Slope of log(time) against log(size), least squares (None with fewer than two sizes)."""
    points = [(math.log(n), math.log(max(t, 1e-4))) for n, t in zip(sizes, times)]
    if len(points) < 2:
        return None
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def startup(repeat: int) -> dict[str, list[float]]:
    """Seconds of each start-up command, run by turns so that they meet the same load."""
    commands = {
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "wbgraph --version": [sys.executable, "-c", "from wbgraph.cli import main; main()", "--version"],
        "wbgraph --help": [sys.executable, "-c", "from wbgraph.cli import main; main()", "--help"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=_env("off"), stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - start)
    return times


def _timed(command: list[str], cache: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=_env(cache), stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_builds(folder: Path, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """``wbgraph build`` on the curated graph from start to exit: (wall, CPU) seconds of each run."""
    cli = [sys.executable, "-c", "from wbgraph.cli import main; main()"]
    states = {"cold (cache off)": [], "validation remembered, outputs not": [], "unchanged data (all remembered)": []}
    for run in range(repeat):
        out = str(folder / f"whole-{run}")
        cache = str(folder / f"whole-cache-{run}")
        states["cold (cache off)"].append(_timed([*cli, "build", "-o", out], "off"))
        subprocess.run([*cli, "validate"], env=_env(cache), stdout=subprocess.DEVNULL, check=True)
        states["validation remembered, outputs not"].append(_timed([*cli, "build", "-o", out], cache))
        states["unchanged data (all remembered)"].append(_timed([*cli, "build", "-o", out], cache))
    return states


def size_table(args, runs: dict) -> None:
    """Each step's time and peak memory at each size, and the fitted growth exponent."""
    done = [n for n in args.sizes if runs[n] is not None]
    steps = [s["step"] for s in runs[done[0]] if s["step"] not in _SUMMARY] if done else []
    parallel = {s["step"]: s.get("parallel") for n in done for s in runs[n]}
    print(f"## build at each size (seed {args.seed}, validation cache off)\n")
    print("| step | " + " | ".join(f"{n:,} s | {n:,} MB" for n in args.sizes) + " | exponent |")
    print("|---|" + "---:|---:|" * len(args.sizes) + "---:|")
    for name in [*steps, "total", *_SUMMARY]:
        cells, series = [], []
        for n in args.sizes:
            if runs[n] is None:
                cells.append(f">{args.timeout:.0f} | -")
                continue
            if name == "total":
                seconds = sum(s["seconds"] for s in runs[n] if s["step"] not in _SUMMARY)
                peak = max(s["peak_mb"] for s in runs[n])
            else:
                row = next(s for s in runs[n] if s["step"] == name)
                seconds, peak = row["seconds"], row["peak_mb"]
            series.append(seconds)
            cells.append(f"{seconds:.2f} | {peak:.0f}" if peak else f"{seconds:.2f} | -")
        fitted = exponent(done, series) if len(series) == len(done) else None
        name = f"{name} (in a child process, beside the others)" if parallel.get(name) else name
        print(f"| {name} | " + " | ".join(cells) + f" | {'-' if fitted is None else f'{fitted:.2f}'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000],
                        help="Synthetic sizes to build (none: only the curated graph and start-up).")
    parser.add_argument("--curated-repeat", type=int, default=3, help="Runs of each whole-command build.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600.0, help="Seconds one build may take.")
    parser.add_argument("--repeat", type=int, default=15, help="Runs of each start-up command.")
    args = parser.parse_args()
    sys.path.insert(0, str(SRC))
    from wbgraph.synth import write_synthetic

    with tempfile.TemporaryDirectory(prefix="wbgraph-bench-build-") as tmp:
        folder = Path(tmp)
        runs: dict[int, list[dict] | None] = {}
        for n in args.sizes:
            data = write_synthetic(folder / f"synth-{n}.nt", n, args.seed)
            runs[n] = profiled_build(data, folder / f"out-{n}", args.timeout)
            total = "timeout" if runs[n] is None else f"{runs[n][-1]['seconds']:.1f} s of CPU"
            print(f"built {n} triples: {total}", file=sys.stderr)
        cold = profiled_build(None, folder / "curated-cold", args.timeout)
        cache = str(folder / "cache")
        profiled_build(None, folder / "curated-warm-1", args.timeout, cache)
        warm = profiled_build(None, folder / "curated-warm-2", args.timeout, cache)
        commands = whole_builds(folder, args.curated_repeat)
    times = startup(args.repeat)

    if args.sizes:
        size_table(args, runs)
    print("\n## the curated graph (`wbgraph build`)\n")
    print("| run | wall-clock s | sum of steps s | of which validate | CPU s (whole process) |\n"
          "|---|---:|---:|---:|---:|")
    for label, profile in (("cold (cache off)", cold), ("warm (second run, cache on)", warm)):
        rows = {s["step"]: s["seconds"] for s in profile}
        total = sum(s["seconds"] for s in profile if s["step"] not in _SUMMARY)
        check = rows.get("validate", 0.0)
        print(f"| {label} | {rows['wall clock']:.2f} | {total:.2f} | {check:.2f} | "
              f"{rows['process CPU (whole child)']:.2f} |")

    print(f"\n## the curated graph, whole command (`wbgraph build -o DIR`, {args.curated_repeat} runs each, by turns)\n")
    print("| state | best wall s | median wall s | median CPU s |\n|---|---:|---:|---:|")
    for label, runs_ in commands.items():
        walls, cpus = [w for w, _ in runs_], [c for _, c in runs_]
        print(f"| {label} | {min(walls):.2f} | {statistics.median(walls):.2f} | {statistics.median(cpus):.2f} |")

    base = statistics.median(times["python -c 'import click'"])
    print(f"\n## start-up (median of {args.repeat}, by turns)\n")
    print("| command | median s | min s | / import click |\n|---|---:|---:|---:|")
    for name, values in times.items():
        print(f"| `{name}` | {statistics.median(values):.3f} | {min(values):.3f} | "
              f"{statistics.median(values) / base:.2f}x |")


if __name__ == "__main__":
    main()
