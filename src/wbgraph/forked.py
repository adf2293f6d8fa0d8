"""Run a step in a forked child process while the parent goes on, and take back its result.

The build uses this for steps that need nothing from each other: validation, the pictures and the
exports each take one or two seconds of CPU on the curated graph, so on a machine with two cores
they finish in the time of the longest instead of the sum. A fork shares the loaded store and the
projected network with the child at no cost (copy on write); only the result comes back, pickled.

A fork is used only where it is safe: on a platform with ``os.fork``, with more than one CPU, and in a
process with a single thread (a thread holding a lock at the moment of the fork would leave that lock
held forever in the child). Elsewhere :func:`start` runs the step at once in this process, so callers
need no second code path. ``WBGRAPH_PARALLEL=off`` turns forking off; ``WBGRAPH_PARALLEL=on`` forks
wherever ``os.fork`` exists, whatever the number of CPUs and threads (for tests of the forked path).

A child dies with its parent (Linux's parent-death signal), so a build killed outright leaves no
process behind that could still write into its staging folder.

>>> job = start(lambda: 6 * 7)
>>> job.result()
42
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

from .errors import WbgraphError

__all__ = ["Job", "can_fork", "start"]

T = TypeVar("T")


def can_fork() -> bool:
    """Whether :func:`start` will run a step in a child process here.

    >>> isinstance(can_fork(), bool)
    True
    """
    setting = os.environ.get("WBGRAPH_PARALLEL", "").lower()
    if not hasattr(os, "fork") or setting in {"off", "0", "no"}:
        return False
    return setting in {"on", "1", "yes"} or ((os.cpu_count() or 1) > 1 and _one_thread())


def _one_thread() -> bool:
    """Whether this process runs a single Python thread.

    Native threads are not counted: the one native pool a build has, OpenBLAS's (started by importing
    numpy), stops itself around a fork with ``pthread_atfork`` handlers, and an in-memory Oxigraph store
    starts no threads (measured: one Python thread and OpenBLAS's after loading 200,000 triples).
    """
    return threading.active_count() == 1


class Job(Generic[T]):
    """A step started by :func:`start`: :meth:`result` waits for it, :meth:`cancel` stops it."""

    def __init__(self, func: Callable[[], T], fork: bool) -> None:
        self.pid: int | None = None
        self._value: tuple | None = None
        if not fork:
            try:
                self._value = ("ok", func())
            except Exception as err:  # kept for result(), as a child's error is
                self._value = ("error", err, None)
            return
        parent = os.getpid()
        read, write = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        pid = os.fork()
        if pid == 0:  # the child: run, send the result, and leave without running the parent's clean-ups
            os.close(read)
            _die_with(parent)
            _send(write, func)
            os._exit(0)
        os.close(write)
        self.pid, self._read = pid, read

    def result(self) -> T:
        """Wait for the step and return its value, or raise its error here."""
        if self._value is None:
            with os.fdopen(self._read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            if not data:
                error = WbgraphError(f"a build step's process ended without a result ({_how_it_ended(status)})",
                                     hint="run the command again; if it fails again, run it with WBGRAPH_PARALLEL=off")
                self._value = ("error", error)
            else:
                kind, value, *text = pickle.loads(data)
                if kind == "error" and text and text[0] is not None:
                    value.add_note(f"in the build step's child process:\n{text[0]}")
                self._value = (kind, value)
        kind, value = self._value[:2]
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child if it still runs (a no-op once :meth:`result` returned)."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self._read)
        self.pid = None


def start(func: Callable[[], T], *, fork: bool | None = None) -> Job[T]:
    """Start ``func`` in a child process when :func:`can_fork` (or ``fork``) says so, else run it now."""
    return Job(func, can_fork() if fork is None else fork)


def _send(write: int, func: Callable[[], object]) -> None:
    try:
        value: tuple = ("ok", func())
    except BaseException as err:  # noqa: BLE001 - whatever it is, the parent raises it
        value = ("error", err, traceback.format_exc())
    try:
        data = pickle.dumps(value)
    except Exception:  # an unpicklable value or error: send its text
        message = value[2] if value[0] == "error" else "the step's result could not be sent back"
        data = pickle.dumps(("error", RuntimeError(message), None))
    with os.fdopen(write, "wb") as pipe:
        pipe.write(data)


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (elsewhere, nothing)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _how_it_ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
