"""Parameters bound into every branch of a top-level UNION on Oxigraph: the same rows as one block."""

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


def test_each_union_branch_but_a_subquery_gets_the_values():
    text = bind_values(UNION, {"x": URIRef(LK + "ruritania")}, branches=True)
    block = f"VALUES (?x) {{ (<{LK}ruritania>) }}"
    assert text.count(block) == 4  # the pattern, and three branches: not the subquery, not OPTIONAL
    assert f"{{ {block} SELECT" not in text
    assert f"OPTIONAL {{ {block}" not in text


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
