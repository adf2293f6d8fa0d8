"""--as-of and --between work alike on queries, paths, analysis, pictures and exports."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from wbgraph.cli import main
from wbgraph.errors import WbgraphError
from wbgraph.period import check_period, restrict_to_period
from wbgraph.store import load_graph

from .conftest import MINI

LK = "https://example.org/lake/"


def run(*args):
    return CliRunner().invoke(main, ["--no-curated", "--with", str(MINI), *map(str, args)])


def members(*extra):
    out = run("query", "organisation-members", "-p", "organisation=Union of Lakes", "--format", "json", *extra)
    assert out.exit_code == 0, out.output
    return sorted(row["actor_label"] for row in json.loads(out.output)["rows"])


def test_query_as_of_and_between():
    assert members() == ["Freedonia", "Grand Fenwick", "Sylvania"]
    assert members("--as-of", "2010") == ["Grand Fenwick"]  # Sylvania joined 2015, Freedonia candidate 2019
    assert members("--between", "2014", "2016") == ["Grand Fenwick", "Sylvania"]


def test_restricted_store_leaves_the_original_alone():
    store = load_graph([MINI], curated=False)
    before = len(store)
    then = restrict_to_period(store, "2010", "2010")
    assert len(store) == before
    ask = "ASK { GRAPH <urn:wbgraph:derived> { ?s wb:candidateFor ?o } }"
    assert store.query(ask).answer and not then.query(ask).answer


def test_exports_and_network_commands_take_the_period(tmp_path):
    assert run("export", "--as-of", "2010", "-o", tmp_path / "then.nt").exit_code == 0
    graph = Graph().parse(tmp_path / "then.nt")
    assert (URIRef(LK + "claim-08-a"), None, None) not in graph
    assert (URIRef(LK + "claim-10-a"), None, None) in graph
    out = run("reach", "Lakeguard", "--as-of", "2000", "--format", "json")
    assert out.exit_code == 0  # Lakeguard's dated claims start in 2004; its undated ones stay
    assert run("viz", "--between", "2004", "2005", "-o", tmp_path / "p.html").exit_code == 0


def test_bad_periods():
    with pytest.raises(WbgraphError, match="runs backwards"):
        check_period(between=("2020", "2010"))
    with pytest.raises(WbgraphError, match="not both"):
        check_period("2020", ("2010", "2011"))
    out = run("query", "proxies", "--between", "2020", "2019-13")
    assert out.exit_code == 1 and "not a valid date" in out.output
