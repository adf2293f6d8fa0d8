"""A SPARQL 1.1 Protocol client for remote endpoints (Oxigraph server, Virtuoso, Fuseki, GraphDB, ...).

Queries go out as HTTP POST (form-encoded) and come back as SPARQL JSON results (SELECT, ASK) or
N-Triples (CONSTRUCT, DESCRIBE), parsed by rdflib. Updates go to the update endpoint. Every failure
becomes a :class:`wbgraph.errors.WbgraphError` that says what happened and what to do.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import Graph
from rdflib.query import Result

from .errors import WbgraphError

__all__ = ["SparqlClient", "client_from_environment"]

_USER_AGENT = "wbgraph (SPARQL 1.1 Protocol client)"


@dataclass
class SparqlClient:
    """Where a SPARQL server listens, how to log in, and how long to wait.

    >>> client = SparqlClient("http://127.0.0.1:7878/query")
    >>> client.update_url
    'http://127.0.0.1:7878/query'
    """

    query_url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0

    def __post_init__(self) -> None:
        for url in (self.query_url, self.update_url):
            if url is not None and urllib.parse.urlparse(url).scheme not in ("http", "https"):
                raise WbgraphError(f"'{url}' is not an http(s) address of a SPARQL endpoint",
                                   hint="give for example --endpoint http://127.0.0.1:7878/query")
        if self.update_url is None:
            self.update_url = self.query_url

    def _request(self, url: str, form: dict[str, str], accept: str) -> tuple[bytes, str]:
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(url, data=data, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        request.add_header("Accept", accept)
        request.add_header("User-Agent", _USER_AGENT)
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            body = err.read(600).decode("utf-8", "replace").strip()
            hint = "check the credentials (WBGRAPH_ENDPOINT_USER, WBGRAPH_ENDPOINT_PASSWORD)" if err.code in (
                401, 403) else "see the server's message"
            raise WbgraphError(f"the SPARQL endpoint {url} answered {err.code} {err.reason}: "
                               f"{' '.join(body.split())[:300]}", hint=hint) from None
        except (socket.timeout, TimeoutError):
            raise WbgraphError(f"the SPARQL endpoint {url} did not answer within {self.timeout:g} s",
                               hint="raise --timeout or simplify the query") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise WbgraphError(f"the SPARQL endpoint {url} did not answer within {self.timeout:g} s",
                                   hint="raise --timeout or simplify the query") from None
            raise WbgraphError(f"cannot reach the SPARQL endpoint {url}: {reason}",
                               hint="is the server running? check --endpoint") from None
        except (ConnectionError, OSError) as err:
            raise WbgraphError(f"cannot reach the SPARQL endpoint {url}: {err}",
                               hint="is the server running? check --endpoint") from None

    def query(self, sparql: str, kind: str) -> Result | Graph:
        """Send a query; ``kind`` is SELECT, ASK or CONSTRUCT (DESCRIBE counts as CONSTRUCT)."""
        if kind in ("SELECT", "ASK"):
            body, ctype = self._request(self.query_url, {"query": sparql},
                                        "application/sparql-results+json")
            if "json" not in ctype:
                raise WbgraphError(f"the SPARQL endpoint {self.query_url} answered with '{ctype or 'no type'}', "
                                   "not SPARQL results", hint="check that --endpoint is a SPARQL query endpoint")
            try:
                result = Result.parse(io.BytesIO(body), format="json")
            except Exception as err:
                raise WbgraphError(f"the SPARQL endpoint {self.query_url} sent results that do not parse: {err}") \
                    from None
            return _ask_answer(result) if kind == "ASK" and result.type == "SELECT" else result
        body, ctype = self._request(self.query_url, {"query": sparql}, "application/n-triples, text/turtle;q=0.9")
        graph = Graph()
        fmt = "turtle" if "turtle" in ctype else "nt"
        try:
            graph.parse(data=body.decode("utf-8"), format=fmt)
        except Exception as err:
            raise WbgraphError(f"the SPARQL endpoint {self.query_url} sent RDF that does not parse: {err}") from None
        return graph

    def update(self, sparql: str) -> None:
        """Send a SPARQL update."""
        self._request(self.update_url, {"update": sparql}, "*/*")


def _ask_answer(result: Result) -> Result:
    """The boolean of an ASK that came back as rows: Virtuoso 7 answers ASK with one variable,
    ``__ASK_RETVAL``, and a row holding 1 when true or no row when false."""
    answer = Result("ASK")
    answer.askAnswer = any(row[0] is not None and bool(row[0].toPython()) for row in result)
    return answer


def client_from_environment(endpoint: str, update_endpoint: str | None = None, timeout: float = 60.0) -> SparqlClient:
    """A client whose credentials come from WBGRAPH_ENDPOINT_USER and WBGRAPH_ENDPOINT_PASSWORD."""
    return SparqlClient(endpoint, update_endpoint, os.environ.get("WBGRAPH_ENDPOINT_USER"),
                        os.environ.get("WBGRAPH_ENDPOINT_PASSWORD"), timeout)
