"""A query's plan header: OPTIONALs read per row on Oxigraph give the same rows as the query as written."""

from __future__ import annotations

import pytest

import wbgraph.store as store_module
from wbgraph.errors import QueryError
from wbgraph.lateral import lateral_optionals
from wbgraph.queries import bind_parameters, list_queries, parse_query_file
from wbgraph.store import load_graph

from .conftest import MINI

PLANNED = [q for q in list_queries() if "#+ plan: lateral-optionals" in q.text]


def test_some_library_queries_ask_for_the_plan():
    assert PLANNED, "no library query uses the plan header: drop wbgraph.lateral or this test"


@pytest.fixture(scope="module")
def stores(curated_store):
    contradictions = load_graph(["tests/data/faithful/contradictions.ttl", MINI])
    return {"curated": curated_store, "mini": load_graph([MINI], curated=False), "contradictions": contradictions}


@pytest.mark.parametrize("query", PLANNED, ids=lambda q: q.name)
def test_a_planned_query_gives_the_rows_of_the_query_as_written(query, stores, curated_store, monkeypatch):
    bindings = bind_parameters(curated_store, query, {}) if query.parameters else {}
    for name, store in stores.items():
        planned = store.query(query.text, bindings).rows
        with monkeypatch.context() as patch:
            patch.setattr(store_module, "planned", lambda text: text)
            as_written = store.query(query.text, bindings).rows
        assert planned == as_written, name


def test_the_store_sends_the_planned_text_to_oxigraph(monkeypatch):
    store = load_graph([MINI], curated=False)
    sent = []
    real = store_module.planned
    monkeypatch.setattr(store_module, "planned", lambda text: sent.append(real(text)) or sent[-1])
    text = ("#+ plan: lateral-optionals\nSELECT ?c ?note WHERE { ?c a wb:Claim ; rdf:subject ?s "
            "OPTIONAL { ?c rdfs:comment ?note } } ORDER BY ?c")
    plain = text.replace("#+ plan: lateral-optionals\n", "")
    assert store.query(text).rows == store.query(plain).rows
    assert "LATERAL { OPTIONAL { ?c rdfs:comment ?note } }" in sent[0] and "LATERAL" not in sent[1]
    assert lateral_optionals(plain) in sent[0]


def test_a_syntax_error_points_into_the_text_as_written():
    store = load_graph([MINI], curated=False)
    text = "#+ plan: lateral-optionals\nSELECT * WHERE { ?c a wb:Claim OPTIONAL { ?c rdfs:comment ?x } ?c ?? }"
    with pytest.raises(QueryError) as caught:
        store.query(text)
    message = str(caught.value)
    assert "line 2" in message and "column 71" in message  # the column of "??" as written
    assert "{ ?c rdfs:comment ?x } ?c ??" in message and "LATERAL {" not in message


def test_an_unknown_plan_is_refused_with_the_file(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("#+ summary: x\n#+ plan: fastest\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError) as caught:
        parse_query_file(path)
    assert "fastest" in str(caught.value) and "lateral-optionals" in str(caught.value) and "q.rq" in str(caught.value)
