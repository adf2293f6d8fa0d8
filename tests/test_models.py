import pytest
from pydantic import ValidationError
from rdflib import RDF, RDFS, Graph, URIRef

from wbgraph.models import MODELS, Claim, Indicator, from_rdf, to_rdf
from wbgraph.namespaces import WB_IRI
from wbgraph.resources import data_dir
from wbgraph.vocab import WB

ONTOLOGY = Graph().parse(data_dir("ontology") / "wbgraph.ttl")


def _predicates(model):
    return {f.json_schema_extra["predicate"] for f in model.model_fields.values() if f.json_schema_extra}


def test_every_wb_property_a_model_uses_is_in_the_ontology():
    for model in MODELS:
        for predicate in _predicates(model):
            if str(predicate).startswith(WB_IRI):
                assert (predicate, RDF.type, None) in ONTOLOGY, f"{model.__name__} uses undeclared {predicate}"


def test_every_ontology_property_of_a_modelled_class_has_a_field():
    # The other direction: a property whose domain is a modelled class must be reachable from Python.
    modelled = {m.rdf_class for m in MODELS}
    covered = set().union(*(_predicates(m) for m in MODELS))
    for prop, _, domain in ONTOLOGY.triples((None, RDFS.domain, None)):
        relation = WB.relation in set(ONTOLOGY.transitive_objects(prop, RDFS.subPropertyOf))  # a claim predicate
        if domain in modelled and not relation and prop != WB.isProxyOf:
            assert prop in covered, f"{prop} (domain {domain}) has no model field"


def test_claim_round_trips_through_rdf():
    claim = Claim(
        iri="urn:c", subject="urn:a", predicate=str(WB.exertsInfluenceOn), object="urn:b", confidence="implied",
        source="urn:doc", line_start=10, line_end=12, mechanisms=["urn:m1", "urn:m2"], valid_from="2014-03",
        negated=True, comment="a note",
    )
    graph = to_rdf(claim)
    assert (URIRef("urn:c"), WB.confidence, WB.implied) in graph
    assert from_rdf(Claim, graph, "urn:c") == claim


@pytest.mark.parametrize(
    "change, message",
    [
        ({"valid_from": "2023-13-45"}, "not a valid date"),
        ({"line_start": 9, "line_end": 3}, "runs backwards"),
        ({"confidence": "rumoured"}, "stated"),
        ({"line_start": None, "line_end": None}, "needs a locator"),
        ({"valid_from": "2020", "valid_until": "2019"}, "before valid_from"),
    ],
)
def test_bad_claims_are_rejected_with_a_reason(change, message):
    data = dict(iri="urn:c", subject="urn:a", predicate="urn:p", object="urn:b", confidence="stated",
                source="urn:doc", line_start=1, line_end=2) | change
    with pytest.raises(ValidationError, match=message):
        Claim(**data)


def test_indicator_reads_from_the_fictional_graph():
    from .conftest import MINI

    g = Graph().parse(MINI)
    ind = from_rdf(Indicator, g, "https://example.org/lake/ind-17-a")
    assert (ind.value, ind.unit, ind.year) == (41.5, "percent", "2023")
