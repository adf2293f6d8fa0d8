"""`wbgraph serve` as a hostile or careless user meets it: nothing a request holds can crash it, hang it,
make it reach out, or get a 500; the command line refuses the same inputs with a clear error."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from wbgraph.cli import main

from .server_fixtures import LOOPBACK, free_port

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
NESTED = {
    "3000 nested groups": "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000,
    "2500 nested groups": "SELECT * WHERE " + "{" * 2500 + "}" * 2500,
    "3000 nested OPTIONALs": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3000 + "}" * 3001,
    "5000 parentheses": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ") }",
}
PAGES = ["/", "/search?q=Serbia", "/id/russia", "/queries", "/queries/actor-profile?actor=Russia&run=1",
         "/api/queries/actor-profile?actor=Russia", "/api/search?q=KSA", "/paths?from=Russia&to=Serbia",
         "/network?focus=Serbia"]


@pytest.fixture(scope="module")
def server():
    """`wbgraph serve` in its own process, so that a crash shows as a failed test rather than a dead run."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from wbgraph.cli import main; main()", "serve", "--port", str(port),
         "--query-timeout", "3", "--workers", "2", "--max-queries", "8", "--queries-per-client", "4"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(url + "/", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("wbgraph serve did not start: " + process.stderr.read().decode()[-2000:])
        time.sleep(0.3)
    yield url, process
    process.terminate()
    process.wait(timeout=30)


def alive(server) -> bool:
    url, process = server
    ok = httpx.get(url + "/sparql", params={"query": "ASK { wbr:serbia ?p ?o }"}, timeout=60)
    return process.poll() is None and ok.status_code == 200 and ok.json()["boolean"] is True


@pytest.mark.parametrize("name", list(NESTED))
def test_deeply_nested_query_is_refused_and_the_server_lives(server, name):
    url, _ = server
    query = NESTED[name]
    if len(query) < 20_000:
        response = httpx.get(url + "/sparql", params={"query": query}, timeout=60)
    else:  # too long for a URL
        response = httpx.post(url + "/sparql", content=query, headers={"Content-Type": "application/sparql-query"},
                              timeout=60)
    assert response.status_code == 400
    assert "levels deep" in response.text and "at most 64" in response.text
    assert alive(server)


def test_an_img_tag_from_another_page_cannot_crash_it(server):
    url, _ = server
    response = httpx.get(url + "/sparql", params={"query": NESTED["3000 nested groups"]},
                         headers={"Accept": "image/avif,image/webp,*/*", "Referer": "http://evil.example/"},
                         timeout=60)
    assert response.status_code == 400 and alive(server)


def test_service_is_refused_and_no_request_leaves(server):
    url, _ = server
    listener = socket.socket()
    listener.bind((LOOPBACK, 0))
    listener.listen(5)
    listener.settimeout(0.1)
    port = listener.getsockname()[1]
    try:
        for target in (f"<http://{LOOPBACK}:{port}/sparql>", "SILENT <http://127.0.0.1:9/x>", "?endpoint"):
            query = f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}"
            response = httpx.get(url + "/sparql", params={"query": query}, timeout=60)
            assert response.status_code == 400, response.text
            assert "SERVICE" in response.text and "refused" in response.text
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody called
    finally:
        listener.close()


def test_host_header_of_another_name_is_refused(server):
    url, _ = server
    evil = httpx.get(url + "/", headers={"Host": "rebind.evil.example"}, timeout=30)
    assert evil.status_code == 421 and "rebind.evil.example" in evil.text
    assert httpx.get(url + "/", headers={"Host": f"localhost:{url.rsplit(':', 1)[1]}"}, timeout=30).status_code == 200


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found |= {int(x) for x in text.split()}
    return found


def test_four_runaway_queries_are_stopped_while_every_page_answers(server):
    url, process = server
    assert alive(server)  # the workers are up
    before = _children(process.pid)
    answers: list[httpx.Response] = []

    def runaway():
        answers.append(httpx.get(url + "/sparql", params={"query": RUNAWAY}, timeout=120))

    threads = [threading.Thread(target=runaway) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    while any(t.is_alive() for t in threads):
        for page in PAGES:
            response = httpx.get(url + page, timeout=60)
            assert response.status_code == 200, (page, response.status_code, response.text[:300])
    for thread in threads:
        thread.join()
    assert len(answers) == 4
    assert all(a.status_code == 503 for a in answers), [a.text for a in answers]
    stopped = [a for a in answers if "was stopped" in a.text]
    assert len(stopped) >= 2  # the two workers ran one each; a query left waiting for a worker is told to retry
    assert all("Retry-After" in a.headers for a in answers if a not in stopped)
    assert before - _children(process.pid), "the workers that ran the runaway queries still exist"
    assert alive(server)


def test_too_many_queries_from_one_client_get_503_with_retry_after(server):
    url, _ = server
    answers: list[httpx.Response] = []

    def runaway():
        answers.append(httpx.get(url + "/sparql", params={"query": RUNAWAY}, timeout=120))

    threads = [threading.Thread(target=runaway) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    busy = [a for a in answers if "busy" in a.text]
    assert len(busy) >= 2 and all(a.status_code == 503 and int(a.headers["Retry-After"]) > 0 for a in busy)
    assert "this client already runs 4 queries" in busy[0].text
    assert alive(server)


@pytest.mark.parametrize("path", [
    "/id/a b", "/id/%3Cx%3E", "/id/a%7Bb", "/entity?iri=foo", "/entity?iri=http://a%20b",
    "/entity?iri=%3Chttp://x%3E", "/api/paths?from=http://a%20b&to=Russia", "/paths?from=http://a%20b&to=Russia",
    "/network?focus=http://a%20b", "/queries/actor-profile?actor=http://a%20b&run=1",
    "/api/queries/actor-profile?actor=http://a%20b", "/source?iri=http://a%20b", "/source/a%20b"])
def test_malformed_iris_get_a_clear_4xx(server, path):
    url, _ = server
    response = httpx.get(url + path, timeout=60)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    if response.status_code == 400:
        assert "not a valid absolute IRI" in response.text
    assert alive(server)


@pytest.mark.parametrize("path", ["/", "/id/russia", "/queries", "/search?q=Serbia", "/api/queries",
                                  "/network", "/sparql?query=ASK%20%7B%7D"])
def test_head_works_wherever_get_does(server, path):
    url, _ = server
    get, head = httpx.get(url + path, timeout=60), httpx.head(url + path, timeout=60)
    assert get.status_code == head.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_sparql_workers_read_an_on_disk_store(tmp_path):
    from starlette.testclient import TestClient

    from wbgraph.server import create_app
    from wbgraph.store import load_graph

    from .conftest import MINI

    app = create_app(load_graph([MINI], curated=False, path=tmp_path / "store"), workers=1)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        answer = client.get("/sparql", params={"query": "ASK { <https://example.org/lake/ruritania> ?p ?o }"})
        assert answer.status_code == 200 and answer.json()["boolean"] is True


def test_a_busy_server_answers_pages_503_with_retry_after_not_500():
    from starlette.testclient import TestClient

    from wbgraph.server import create_app
    from wbgraph.store import load_graph

    from .conftest import MINI

    app = create_app(load_graph([MINI], curated=False), workers=1)
    app.state.wb.runner._stray = app.state.wb.runner.max_stray  # as when slow page work is still finishing
    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    for path in ("/", "/queries", "/api/queries", "/search?q=Ruritania"):
        response = client.get(path)
        assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0, path
        assert "busy" in response.text


def test_workers_per_client_keeps_a_worker_free_for_others():
    from wbgraph.server import create_app
    from wbgraph.store import load_graph

    from .server_fixtures import running

    app = create_app(load_graph(), query_timeout=3, workers=2, workers_per_client=1)
    with running(app) as url:
        assert httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=60).status_code == 200
        answers: list[httpx.Response] = []

        def runaway():
            transport = httpx.HTTPTransport(local_address="127.0.0.2")
            with httpx.Client(transport=transport, timeout=120) as other:
                answers.append(other.get(url + "/sparql", params={"query": RUNAWAY}))

        threads = [threading.Thread(target=runaway) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        quick = httpx.get(url + "/sparql", params={"query": "ASK { wbr:serbia ?p ?o }"}, timeout=60)
        still_running = any(t.is_alive() for t in threads)
        for thread in threads:
            thread.join()
        app.state.wb.pool.close()
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    assert still_running, "the runaway queries ended before the other client asked"
    assert all(a.status_code == 503 for a in answers)


# -- the command line refuses the same inputs with a clear error ------------------------------------

def cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("name", list(NESTED))
def test_cli_refuses_nested_queries(name):
    result = cli("--no-curated", "query", "-e", NESTED[name])
    assert result.exit_code == 1 and "levels deep" in result.output


def test_cli_refuses_service_unless_allowed():
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    result = cli("--no-curated", "query", "-e", query)
    assert result.exit_code == 1 and "SERVICE <http://127.0.0.1:9/sparql>" in result.output
    allowed = cli("--no-curated", "--allow-service", "http://127.0.0.1:9/sparql", "query", "-e", query)
    assert "is refused: queries make no requests" not in allowed.output


def test_service_hidden_behind_unicode_escapes_is_refused_too():
    # rdflib (the memory backend) expands \u escapes anywhere in a query before parsing it
    query = "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    result = cli("--backend", "memory", "--no-curated", "query", "-e", query)
    assert result.exit_code == 1 and "is refused: queries make no requests" in result.output


def test_cli_refuses_deep_jsonld_and_huge_terms(tmp_path):
    deep = tmp_path / "deep.jsonld"
    deep.write_text('{"@id": "http://a", "http://p": ' * 4000 + "1" + "}" * 4000)  # about 150 KB
    result = cli("--no-curated", "--with", deep, "stats")
    assert result.exit_code == 1 and "deep.jsonld:1:" in result.output and "levels deep" in result.output
    huge = tmp_path / "huge.nt"
    huge.write_text('<http://a> <http://b> "' + "x" * (17 * 1024 * 1024) + '" .\n')
    result = cli("--no-curated", "--with", huge, "stats")
    assert result.exit_code == 1 and "too long" in result.output


def test_cli_invalid_iri_is_a_clear_error():
    result = cli("path", "http://a b", "Russia")
    assert result.exit_code == 1 and "not a valid absolute IRI" in result.output


def test_ingest_refuses_a_yaml_alias_bomb(tmp_path):
    bomb = tmp_path / "claims.yaml"
    bomb.write_text('a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
                    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                    "claims:\n  - subject: *c\n")
    result = cli("--no-curated", "ingest", bomb, "--into", tmp_path / "out.ttl")
    assert result.exit_code == 1 and "alias *a repeats a list or mapping" in result.output
    assert not (tmp_path / "out.ttl").exists()


def test_ingest_refuses_an_oversized_csv_cell_and_deep_json(tmp_path):
    big = tmp_path / "claims.csv"
    big.write_text("subject,predicate,object,confidence,source,lines\n"
                   f"Russia,exertsInfluenceOn,{'x' * 200_000},stated,doc-001,1-2\n")
    result = cli("ingest", big, "--into", tmp_path / "out.ttl")
    assert result.exit_code == 1 and "claims.csv:2:" in result.output and "field limit" in result.output
    deep = tmp_path / "claims.json"
    deep.write_text('{"claims": ' + "[" * 5000 + "]" * 5000 + "}")
    result = cli("ingest", deep, "--into", tmp_path / "out.ttl")
    assert result.exit_code == 1 and "nested more than 64 levels deep" in result.output
    assert not (tmp_path / "out.ttl").exists()
