"""Steps run in a forked child: the value or the error comes back, a killed child is reported, and a
cancelled one is gone."""

from __future__ import annotations

import os
import signal
import time

import pytest

from wbgraph import forked
from wbgraph.errors import WbgraphError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork does not exist on this platform")


@pytest.mark.parametrize("fork", [True, False])
def test_the_value_and_the_error_come_back_as_in_this_process(fork):
    assert (forked.start(os.getpid, fork=fork).result() != os.getpid()) == fork  # ran in a child, or here

    def broken():
        raise WbgraphError("the step failed", file="a.ttl", line=3, hint="fix line 3")

    with pytest.raises(WbgraphError) as caught:
        forked.start(broken, fork=fork).result()
    assert (caught.value.file, caught.value.line, caught.value.hint) == ("a.ttl", 3, "fix line 3")


def test_a_child_killed_outright_is_reported_with_what_to_do():
    job = forked.start(lambda: time.sleep(30), fork=True)
    os.kill(job.pid, signal.SIGKILL)
    with pytest.raises(WbgraphError, match="killed by signal 9") as caught:
        job.result()
    assert "WBGRAPH_PARALLEL=off" in caught.value.hint


def test_a_cancelled_child_is_gone():
    job = forked.start(lambda: time.sleep(30), fork=True)
    pid = job.pid
    job.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


def test_no_fork_where_threads_run(monkeypatch):
    monkeypatch.delenv("WBGRAPH_PARALLEL", raising=False)
    import threading

    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not forked.can_fork()
        assert forked.start(os.getpid).result() == os.getpid()  # run here, not in a child
    finally:
        stop.set()
        worker.join()
    monkeypatch.setenv("WBGRAPH_PARALLEL", "off")
    assert not forked.can_fork()
