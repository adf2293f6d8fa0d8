"""Cold validation of the curated graph, and of a user's overlay, against the old way in the same run.

Run: python bench/bench_validate.py [--repeat 7] [--baseline de1400e] [--overlay tests/data/invalid/no-source.ttl]

"The old way" is the package's source at the --baseline revision (default: the last commit before
validation ran on pyshacl-turbo, where pyshacl checked a full rdflib copy), taken out of git into a
temporary folder and run by the same Python. Each run is a fresh process, by turns (old, new), so both
meet the same load on the machine:

* **whole command**: ``wbgraph validate`` from start to exit with the cache off, and
  ``wbgraph --with OVERLAY validate`` cold (cache off) and warm (the curated graph remembered, the
  overlay not); wall-clock and CPU seconds, best and median.
* **validate step**: ``validate_files`` on the curated graph in a child process with the cache off,
  the time of its "validate" step alone (loading and deriving the edges are timed apart).

Ratios are old / new medians (above 1: the new way is faster). The CPU column is the steadier figure
on a shared machine; ``uptime``'s load average is printed at the start and at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_STEP = """
import json
from wbgraph.profiling import Profile
from wbgraph.resources import graph_files
from wbgraph.validate import validate_files
profile = Profile()
report, _ = validate_files(list(graph_files()), profile=profile)
assert report.ok, report.to_text()
print(json.dumps(profile.to_dicts()))
"""


def baseline_src(revision: str, folder: Path) -> Path:
    """The package's source at ``revision``, exported from git into ``folder`` with the data it reads
    (the ontology, the curated graph and the queries of that revision)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "src", "ontology", "graph", "queries"],
                             capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "src"


def _env(src: Path, cache: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(src), "WBGRAPH_CACHE": cache}


def timed(src: Path, args: list[str], cache: str) -> tuple[float, float]:
    """(wall, CPU) seconds of ``wbgraph ARGS`` run from ``src`` in a fresh process."""
    command = [sys.executable, "-c", "from wbgraph.cli import main; main()", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=_env(src, cache), cwd=REPO, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: the overlay does not validate, as expected
        sys.exit(f"wbgraph {' '.join(args)} failed from {src}:\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def step_seconds(src: Path) -> float:
    """Seconds of the "validate" step of the curated graph, cache off, in a fresh process."""
    done = subprocess.run([sys.executable, "-c", _STEP], env=_env(src, "off"), cwd=REPO,
                          capture_output=True, text=True, check=True)
    return next(s["seconds"] for s in json.loads(done.stdout.strip().splitlines()[-1]) if s["step"] == "validate")


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--baseline", default="de1400e", help="git revision of the old way")
    parser.add_argument("--overlay", default=str(REPO / "tests/data/invalid/no-source.ttl"),
                        help="a user's file checked beside the curated graph")
    args = parser.parse_args()
    print(f"# {_uptime()}")
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        folder = Path(tmp)
        sources = {"old": baseline_src(args.baseline, folder), "new": REPO / "src"}
        rows: dict[str, dict[str, list]] = {}
        for run in range(args.repeat):
            for way, src in sources.items():
                warm = folder / f"cache-{way}-{run}"
                timed(src, ["validate"], str(warm))  # remembers the curated graph
                for state, command, cache in (
                    ("wbgraph validate, cold", ["validate"], "off"),
                    ("wbgraph --with OVERLAY validate, cold", ["--with", args.overlay, "validate"], "off"),
                    ("wbgraph --with OVERLAY validate, curated remembered", ["--with", args.overlay, "validate"],
                     str(warm)),
                ):
                    rows.setdefault(state, {}).setdefault(way, []).append(timed(src, command, cache))
                step = step_seconds(src)
                rows.setdefault("validate step of the curated graph, cold", {}).setdefault(way, []).append((step, step))
        print(f"# {_uptime()}")
        print(f"# {args.repeat} runs of each, by turns; old = {args.baseline}; overlay = {Path(args.overlay).name}")
        print("| measure | new best s | new median s | new median CPU s | old best s | old median s "
              "| old median CPU s | old / new (median wall) | old / new (median CPU) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for state, ways in rows.items():
            cells = []
            for way in ("new", "old"):
                walls, cpus = [w for w, _ in ways[way]], [c for _, c in ways[way]]
                cells.append((min(walls), statistics.median(walls), statistics.median(cpus)))
            (nb, nm, nc), (ob, om, oc) = cells
            cpu = "—" if state.startswith("validate step") else f"{nc:.2f}"
            old_cpu = "—" if state.startswith("validate step") else f"{oc:.2f}"
            cpu_ratio = "—" if state.startswith("validate step") else f"{oc / nc:.1f}x"
            print(f"| {state} | {nb:.2f} | {nm:.2f} | {cpu} | {ob:.2f} | {om:.2f} | {old_cpu} | {om / nm:.1f}x | {cpu_ratio} |")


if __name__ == "__main__":
    main()
