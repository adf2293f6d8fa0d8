"""Real SPARQL servers for integration tests: Oxigraph server and Virtuoso, each on 127.0.0.1 and a free port.

Each fixture starts its server in a temporary folder, waits (at most a minute) until the server answers a
query, yields a :class:`Server`, then stops it (terminate, then kill) and removes the folder. Nothing
listens beyond the loopback address. A missing server binary fails the test under CI (environment
variable CI set) and skips it on a developer machine, like the browser tests.

``fake_endpoint`` serves a canned HTTP answer (an error page, a slow reply) on loopback in a thread.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import UNDER_CI

STARTUP_SECONDS = 60
STOP_SECONDS = 20
LOOPBACK = "127.0.0.1"


@dataclass
class Server:
    """A running SPARQL server: its query and update URLs, and the log to show when it misbehaves."""

    name: str
    query_url: str
    update_url: str
    log: Path
    process: subprocess.Popen = field(repr=False)

    @property
    def cli_args(self) -> list[str]:
        """The global options that point ``wbgraph`` at this server."""
        return ["--endpoint", self.query_url, "--update-endpoint", self.update_url]

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).

    >>> 0 < free_port() < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def require_executable(candidates: list[str | Path], install_hint: str) -> str:
    """The first candidate that exists (a path, or a name on PATH); fail under CI, skip locally."""
    for candidate in candidates:
        found = shutil.which(str(candidate))
        if found:
            return found
    names = ", ".join(str(c) for c in candidates)
    if UNDER_CI:
        pytest.fail(f"none of {names} found: {install_hint}")
    pytest.skip(f"none of {names} found ({install_hint}); under CI this fails")


def _answers(query_url: str) -> bool:
    data = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    request = urllib.request.Request(query_url, data=data, method="POST",
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_until_answers(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server.name} exited with status {server.process.returncode} while starting:\n"
                        f"{server.log_tail()}")
        if _answers(server.query_url):
            return
        time.sleep(0.3)
    pytest.fail(f"{server.name} did not answer at {server.query_url} within {STARTUP_SECONDS} s:\n"
                f"{server.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_SECONDS)


@contextmanager
def _running(name: str, command: list[str], folder: Path, query_url: str, update_url: str) -> Iterator[Server]:
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=folder, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT)
    server = Server(name, query_url, update_url, log, process)
    try:
        _wait_until_answers(server)
        yield server
    finally:
        _stop(process)


@contextmanager
def oxigraph_running() -> Iterator[Server]:
    """Oxigraph server (the ``oxigraph`` executable of the PyPI package) with the union default graph."""
    executable = require_executable(
        [Path(sys.executable).parent / "oxigraph", "oxigraph"],
        "install the test extra (pip install -e '.[test]'), which brings the PyPI package oxigraph")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="wbgraph-oxigraph-") as tmp:
        folder = Path(tmp)
        command = [executable, "serve", "--location", str(folder / "data"), "--bind", f"{LOOPBACK}:{port}",
                   "--union-default-graph"]
        base = f"http://{LOOPBACK}:{port}"
        with _running("Oxigraph server", command, folder, f"{base}/query", f"{base}/update") as server:
            yield server


_VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort         = {host}:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = {dir}
; 8 KiB pages: about 80 MB of buffers, plenty for a test graph on a shared machine
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
MaxQueryMem        = 256M
ThreadsPerQuery    = 2
CheckpointInterval = 0

[HTTPServer]
ServerPort           = {host}:{http_port}
ServerRoot           = {dir}
ServerThreads        = 4
MaxClientConnections = 4

[SPARQL]
; the packaged default (10000) cuts result sets short without an error
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 0
"""


@contextmanager
def virtuoso_running() -> Iterator[Server]:
    """Debian's Virtuoso (``virtuoso-t``) on a fresh database whose SPARQL endpoint accepts updates."""
    hint = "apt-get install virtuoso-opensource (Debian's Virtuoso: virtuoso-t and isql-vt)"
    executable = require_executable(["virtuoso-t"], hint)
    isql = require_executable(["isql-vt", "isql"], hint)
    http_port, sql_port = free_port(), free_port()
    while sql_port == http_port:
        sql_port = free_port()
    with tempfile.TemporaryDirectory(prefix="wbgraph-virtuoso-") as tmp:
        folder = Path(tmp)
        ini = folder / "virtuoso.ini"
        ini.write_text(_VIRTUOSO_INI.format(dir=folder, host=LOOPBACK, sql_port=sql_port, http_port=http_port))
        url = f"http://{LOOPBACK}:{http_port}/sparql"
        command = [executable, "+foreground", "+configfile", str(ini)]
        with _running("Virtuoso", command, folder, url, url) as server:
            # a fresh database has the account dba/dba; the anonymous endpoint user may only read
            grant = subprocess.run([isql, f"{LOOPBACK}:{sql_port}", "dba", "dba",
                                    'exec=grant SPARQL_UPDATE to "SPARQL";'],
                                   capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
            if grant.returncode != 0 or "Error" in grant.stdout + grant.stderr:
                pytest.fail(f"cannot let the SPARQL user update Virtuoso:\n{grant.stdout}\n{grant.stderr}")
            yield server


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[Server]:
    with oxigraph_running() as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server() -> Iterator[Server]:
    with virtuoso_running() as server:
        yield server


@contextmanager
def fake_endpoint(status: int, content_type: str, body: str, delay: float = 0.0) -> Iterator[str]:
    """A loopback HTTP server that answers every request with ``status``, ``content_type`` and ``body``
    after ``delay`` seconds; yields its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            time.sleep(delay)
            payload = body.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up waiting
                pass

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{httpd.server_address[1]}/sparql"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
