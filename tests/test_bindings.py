"""Parameters bound into every branch of a top-level UNION, and inside subqueries, on Oxigraph: the same rows as one block."""

from __future__ import annotations

from rdflib import URIRef

from wbgraph.bindings import bind_values
from wbgraph.store import load_graph

from .conftest import MINI

LK = "https://example.org/lake/"
UNION = """
SELECT ?x ?how WHERE {
  # a comment with { braces } and the word UNION
  { ?x rdfs:label ?l FILTER(CONTAINS(STR(?l), "}{")) BIND("label" AS ?how) }
  UNION
  { ?x rdfs:label "a } b {"@en . BIND("odd" AS ?how) }
  UNION
  { SELECT ?x ?how WHERE { ?x a ?c BIND("class" AS ?how) } }
  UNION
  { ?claim rdf:subject ?x BIND("claim" AS ?how) }
  OPTIONAL { ?x rdfs:comment ?comment }
}"""


def test_each_union_branch_gets_the_values_and_a_subquery_inside():
    text = bind_values(UNION, {"x": URIRef(LK + "ruritania")}, branches=True)
    block = f"VALUES (?x) {{ (<{LK}ruritania>) }}"
    assert text.count(block) == 5  # the pattern, three branches, inside the subquery; not OPTIONAL
    assert f"{{ {block} SELECT" not in text
    assert f"WHERE {{ {block} ?x a ?c" in text
    assert f"OPTIONAL {{ {block}" not in text


# Subqueries that may take a parameter's values inside (marked `yes`) and those that may not, where
# values inside would change the rows or the variable inside is another one (`no`)
SUBQUERIES = """
SELECT ?x ?c ?y ?l ?lim ?n ?k WHERE {
  { SELECT ?x ?c WHERE { #yes
      ?x a ?c } }
  { SELECT DISTINCT ?y WHERE { #no: ?x is not projected, so the ?x inside is another variable
      ?x rdf:subject ?y } }
  OPTIONAL { SELECT ?x ?l WHERE { #no: under OPTIONAL
      ?x rdfs:label ?l } }
  MINUS { SELECT ?x WHERE { #no: under MINUS
      ?x a wb:CriminalNetwork } }
  FILTER NOT EXISTS { SELECT ?x WHERE { #no: under NOT EXISTS
      ?x a wb:Mission } }
  { { SELECT ?x ?lim WHERE { #no: LIMIT would pick another row when fewer come in
      ?x a ?any BIND(1 AS ?lim) } ORDER BY ?x LIMIT 1 } UNION { BIND(0 AS ?lim) } }
  { SELECT ?x (COUNT(?c2) AS ?n) WHERE { #yes: grouped by ?x
      ?x a ?c2 } GROUP BY ?x }
  { SELECT (COUNT(?x) AS ?k) WHERE { #no: counted, not projected
      ?x a ?c3 } }
  { SELECT * WHERE { #yes
      { SELECT ?x WHERE { #yes: the subquery around it projects ?x too
          ?x rdfs:comment ?comment } } } }
}"""


def test_a_subquery_gets_the_values_only_where_the_rows_stay_the_same():
    text = bind_values(SUBQUERIES, {"x": URIRef(LK + "ruritania")}, branches=True)
    block = f"VALUES (?x) {{ (<{LK}ruritania>) }}"
    for line in text.splitlines():
        if "#yes" in line or "#no" in line:
            assert (block in line) == ("#yes" in line), line
    assert text.count(block) == 1 + SUBQUERIES.count("#yes")
    assert bind_values(SUBQUERIES, {"x": URIRef(LK + "ruritania")}).count("VALUES") == 1


def test_a_hash_inside_an_iri_is_not_a_comment():
    # `#label>` is part of the IRI: the OPTIONAL after it on the same line still keeps the values out
    text = ("SELECT ?x ?l WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?n OPTIONAL { SELECT ?x ?l "
            "WHERE { ?x rdfs:comment ?l } } }")
    assert bind_values(text, {"x": URIRef(LK + "ruritania")}, branches=True).count("VALUES") == 1


def test_values_inside_subqueries_give_the_same_rows():
    store = load_graph([MINI], curated=False)
    subjects = {row[0] for row in store.query("SELECT DISTINCT ?s WHERE { ?c rdf:subject ?s }").rows}
    for name in ("ruritania", "freedonia", "order-of-the-lamp", "blue-hand"):
        bindings = {"x": URIRef(LK + name)}
        at_top = SUBQUERIES.replace("WHERE {", f"WHERE {{ VALUES (?x) {{ (<{LK}{name}>) }}", 1)
        rows = sorted(store.query(SUBQUERIES, bindings).rows)
        assert rows == sorted(store.query(at_top).rows), name
        if name == "blue-hand":  # a criminal network: taken away by MINUS
            assert rows == []
        else:
            assert {row[2] for row in rows} == subjects and {int(row[4]) for row in rows} == {0}, name


def test_rows_are_the_same_as_with_one_block():
    store = load_graph([MINI], curated=False)
    memory = load_graph([MINI], curated=False, backend="memory")
    bindings = {"x": URIRef(LK + "ruritania")}
    pushed = sorted(store.query(UNION, bindings).rows)  # Oxigraph: a block in each branch
    assert pushed == sorted(memory.query(UNION, bindings).rows)  # rdflib: one block
    at_top = UNION.replace("WHERE {", "WHERE { VALUES (?x) { (<%sruritania>) }" % LK, 1)
    assert pushed == sorted(store.query(at_top).rows)
    assert bind_values(UNION, bindings).count("VALUES") == 1  # what rdflib and remote servers get
    assert {str(how) for _, how in pushed} == {"class", "claim"}
