from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from wbgraph.errors import InputFileError, SyntaxProblem
from wbgraph.namespaces import DERIVED_GRAPH
from wbgraph.store import load_graph, open_store

from .conftest import INVALID, MINI

LK = "https://example.org/lake/"


def edges(store, s, o):
    res = store.query(
        "SELECT ?p WHERE { GRAPH <%s> { ?s ?p ?o } } ORDER BY ?p" % DERIVED_GRAPH,
        {"s": URIRef(LK + s), "o": URIRef(LK + o)},
    )
    return [str(row[0]).split("#")[-1] for row in res.rows]


def test_direct_edges_are_derived_from_claims(mini_store):
    assert edges(mini_store, "ruritania", "order-of-the-lamp") == ["actsThroughProxy"]
    assert edges(mini_store, "order-of-the-lamp", "ruritania") == ["isProxyOf"]
    assert edges(mini_store, "order-of-the-lamp", "freedonia") == ["exertsInfluenceOn"]


def test_a_negated_claim_gives_no_edge_but_the_other_claim_does(mini_store):
    # line 13 says they coordinate (alleged); line 14 says they do not (negated): one edge, two claims
    assert edges(mini_store, "ruritania", "grand-fenwick") == ["coordinatesWith"]
    claims = mini_store.query(
        "SELECT ?c WHERE { ?c rdf:subject ?s ; rdf:predicate wb:coordinatesWith }", {"s": URIRef(LK + "ruritania")}
    )
    assert len(claims.rows) == 2


def test_both_backends_give_the_same_answers():
    query = "SELECT ?s ?p ?o WHERE { GRAPH <%s> { ?s ?p ?o } } ORDER BY ?s ?p ?o" % DERIVED_GRAPH
    results = [load_graph([MINI], curated=False, backend=b).query(query).rows for b in ("oxigraph", "memory")]
    assert results[0] == results[1]
    assert len(results[0]) == 17


def test_text_rows_are_the_same_on_both_backends():
    query = """SELECT ?x ?label ?date ?none WHERE {
      ?x rdfs:label ?label FILTER(LANG(?label) = "en") OPTIONAL { ?x wb:validFrom ?date } OPTIONAL { ?x wb:nothing ?none }
    } ORDER BY ?x ?label"""
    rows = {backend: load_graph([MINI], curated=False, backend=backend).query_text(query)
            for backend in ("oxigraph", "memory")}
    assert rows["oxigraph"] == rows["memory"]
    assert all(isinstance(v, str) for row in rows["oxigraph"] for v in row[:2])
    assert ("https://example.org/lake/ruritania", "Ruritania", None, None) in rows["oxigraph"]


def test_every_triple_remembers_its_file(mini_store):
    names = mini_store.graph_names(URIRef(LK + "claim-03-a"))
    assert names == [MINI.resolve().as_uri()]


def test_a_crafted_parameter_value_only_matches_nothing(mini_store):
    evil = Literal('Freedonia"@en } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("')
    res = mini_store.query("SELECT ?s WHERE { ?s rdfs:label ?label }", {"label": evil})
    assert res.rows == []
    assert len(mini_store.query("SELECT * WHERE { ?s ?p ?o }").rows) == len(mini_store)


def test_missing_file_is_reported():
    with pytest.raises(InputFileError, match="does not exist") as err:
        open_store().load(Path("no/such/file.ttl"))
    assert err.value.file.endswith("file.ttl")


def test_unknown_format_is_reported(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    with pytest.raises(InputFileError, match="unknown RDF format"):
        open_store().load(path)


def test_syntax_error_names_the_line_and_leaves_the_store_as_it_was():
    store = open_store()
    store.load(MINI)
    before = len(store)
    with pytest.raises(SyntaxProblem) as err:
        store.load(INVALID / "malformed.ttl")
    assert err.value.line == 9
    assert len(store) == before


def test_every_text_of_the_curated_graph_comes_back_as_rdflib_would_build_it(curated_store):
    # query results build their rdflib Literals without rdflib's constructor (store._text_literal):
    # each one must be the literal rdflib builds, in every way a caller can look at it
    import pyoxigraph as ox

    from wbgraph.store import _convert

    texts = [q.object for q in curated_store.oxigraph.quads_for_pattern(None, None, None)
             if isinstance(q.object, ox.Literal) and (q.object.language or q.object.datatype.value.endswith("#string"))]
    texts += [ox.Literal(""), ox.Literal("  spaced  "), ox.Literal("Србија", language="sr-cyrl"), ox.Literal("x", language="en-gb")]
    assert len(texts) > 1000
    for term in texts:
        ours = _convert(term)
        theirs = Literal(term.value, lang=term.language or None)
        assert (ours, hash(ours), ours.value, ours.language, ours.datatype, ours.ill_typed, ours.n3(), repr(ours)) == \
            (theirs, hash(theirs), theirs.value, theirs.language, theirs.datatype, theirs.ill_typed, theirs.n3(), repr(theirs))
        assert ours.eq(theirs) and not ours.eq(Literal(term.value + "x"))
