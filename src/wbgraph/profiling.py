"""Time and peak memory of each step of a long job, for ``wbgraph build --profile`` and the benchmark.

Peak memory is the process's resident set (all of it: Python objects and Oxigraph's own), sampled every
few milliseconds while a step runs; where ``/proc`` is missing (not Linux) it is the process's peak so
far (``ru_maxrss``), which never goes down between steps.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

__all__ = ["Profile", "StepTime", "steps_of"]

_INTERVAL = 0.005


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass
class StepTime:
    """One step: its name, wall-clock seconds and the peak resident memory while it ran (bytes)."""

    step: str
    seconds: float
    peak_bytes: int
    #: True when the step ran in a child process, at the same time as the other steps.
    parallel: bool = False


@dataclass
class Profile:
    """The steps of a job, in order.

    >>> profile = Profile()
    >>> with profile.step("sleep"):
    ...     _ = sum(range(1000))
    >>> [s.step for s in profile.steps], profile.steps[0].peak_bytes > 0
    (['sleep'], True)
    >>> print(profile.to_text().splitlines()[0])
    step                      seconds  peak MB
    """

    steps: list[StepTime] = field(default_factory=list)
    #: Wall-clock seconds of the whole job (set by the job; when steps ran in parallel, their sum is more).
    wall_seconds: float | None = None
    started: float = field(default_factory=time.perf_counter, repr=False)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the body and sample the memory while it runs."""
        peak = [_rss_bytes()]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(_INTERVAL):
                peak[0] = max(peak[0], _rss_bytes())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - start
            done.set()
            sampler.join()
            self.steps.append(StepTime(name, seconds, max(peak[0], _rss_bytes())))

    @property
    def total_seconds(self) -> float:
        """The sum of the steps' times."""
        return sum(s.seconds for s in self.steps)

    def to_dicts(self) -> list[dict]:
        """JSON-ready rows."""
        return [{"step": s.step, "seconds": round(s.seconds, 4), "peak_mb": round(s.peak_bytes / 1e6, 1),
                 "parallel": s.parallel} for s in self.steps]

    def to_text(self) -> str:
        """A table for people: one row per step, then the total."""
        rows = [f"{'step':<24} {'seconds':>8} {'peak MB':>8}"]
        rows += [f"{s.step + (' *' if s.parallel else ''):<24} {s.seconds:>8.2f} {s.peak_bytes / 1e6:>8.0f}"
                 for s in self.steps]
        peak = max((s.peak_bytes for s in self.steps), default=0)
        rows.append(f"{'total':<24} {self.total_seconds:>8.2f} {peak / 1e6:>8.0f}")
        if any(s.parallel for s in self.steps) and self.wall_seconds is not None:
            rows.append(f"{'wall clock':<24} {self.wall_seconds:>8.2f} {peak / 1e6:>8.0f}")
            rows.append("* ran in a child process, at the same time as the other steps; peak MB is the child's")
        return "\n".join(rows)


def steps_of(profile: Profile | None):
    """``profile.step``, or a step that times nothing when there is no profile.

    >>> with steps_of(None)("load"):
    ...     pass
    """
    return profile.step if profile is not None else (lambda name: nullcontext())
