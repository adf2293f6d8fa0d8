"""STIX 2.1: the curated graph as a bundle that the OASIS validator accepts in strict mode and the stix2
library reads, bundles read back by `wbgraph ingest` (our own and an OpenCTI-shaped one), and DISARM."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from wbgraph.cli import main
from wbgraph.disarm import concept_techniques, disarm_techniques
from wbgraph.export import export
from wbgraph.export.stix import CONFIDENCE_SCORE, CURATORS, stix_bundle, stix_id
from wbgraph.ingest import ingest
from wbgraph.ingest.stix import confidence_level
from wbgraph.namespaces import WB_IRI, WBR_IRI
from wbgraph.store import load_graph

DATA = Path(__file__).resolve().parent / "data" / "stix"
OPENCTI = DATA / "opencti-sample.json"


@pytest.fixture(scope="module")
def bundle(curated_store):
    return stix_bundle(curated_store)


def _of(bundle: dict, kind: str) -> list[dict]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def _ref(obj: dict, source_name: str) -> str | None:
    return next((r["external_id"] for r in obj.get("external_references", []) if r["source_name"] == source_name),
                None)


def test_curated_bundle_passes_the_oasis_validator_in_strict_mode(bundle, tmp_path):
    from stix2validator import ValidationOptions, validate_file

    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    results = validate_file(str(path), ValidationOptions(strict=True, version="2.1"))
    errors = [str(e) for o in results.object_results for e in o.errors]
    assert results.is_valid, errors[:10]


def test_bundle_reads_back_with_the_stix2_library(bundle):
    import stix2

    parsed = stix2.parse(json.dumps(bundle), allow_custom=False)
    kinds = {o.type for o in parsed.objects}
    assert {"identity", "threat-actor", "intrusion-set", "location", "attack-pattern", "relationship",
            "marking-definition"} <= kinds
    claim = next(o for o in parsed.objects if o.type == "relationship"
                 and _ref(json.loads(o.serialize()), "wbgraph") == WBR_IRI + "claim-001-0718-a")
    assert claim.confidence == CONFIDENCE_SCORE["alleged"]
    source = [r for r in claim.external_references if r.get("external_id") == WBR_IRI + "doc-001"]
    assert source and source[0].description == "lines 718-720; source reliability F"
    assert claim.created_by_ref == stix_id("identity", CURATORS)


def test_every_claim_of_the_curated_graph_is_in_the_bundle_with_its_ends_source_and_lines(bundle, curated_store):
    rows = curated_store.query_text(
        "SELECT ?c ?s ?p ?o ?neg ?src ?start ?end WHERE { ?c a wb:Claim ; rdf:subject ?s ; rdf:predicate ?p ; "
        "rdf:object ?o ; prov:wasDerivedFrom ?src OPTIONAL { ?c wb:lineStart ?start ; wb:lineEnd ?end } "
        "OPTIONAL { ?c wb:negated ?neg } }")
    by_id = {o["id"]: o for o in bundle["objects"]}
    exported = {_ref(o, "wbgraph"): o for o in bundle["objects"] if o["type"] in ("relationship", "note")}
    assert len(rows) > 1000
    for claim, subject, predicate, obj, negated, source, start, end in rows:
        found = exported.get(claim)
        assert found is not None, f"{claim} is not in the bundle"
        assert found["type"] == ("note" if negated == "true" else "relationship"), claim  # denials never relate
        ends = found["object_refs"] if found["type"] == "note" else [found["source_ref"], found["target_ref"]]
        assert [_ref(by_id[e], "wbgraph") for e in ends] == [subject, obj], claim
        assert _ref(found, "wbgraph predicate") == predicate
        cited = [r for r in found["external_references"] if r["external_id"] == source]
        assert cited and (start is None or cited[0]["description"].startswith(f"lines {start}-{end};")), claim
    assert _of(bundle, "note")[0]["abstract"].startswith("Denied: ")


def test_events_are_groupings_and_agreements_policies_and_works_reports_of_their_claims(bundle):
    by_iri = {_ref(o, "wbgraph"): o for o in bundle["objects"] if _ref(o, "wbgraph")}
    dayton = by_iri[WBR_IRI + "agreement-dayton-peace-agreement"]
    assert dayton["type"] == "report" and dayton["name"] == "Dayton Peace Agreement"
    claims_about = [o for o in _of(bundle, "relationship") if dayton["id"] in (o["source_ref"], o["target_ref"])]
    assert claims_about and {o["id"] for o in claims_about} <= set(dayton["object_refs"])
    assert {o["source_ref"] for o in claims_about} - {dayton["id"]} <= set(dayton["object_refs"])  # the parties
    groupings = _of(bundle, "grouping")
    assert groupings and all(g["context"] == "unspecified" and g["object_refs"] for g in groupings)
    assert "class: Event" in {r.get("description") for g in groupings for r in g["external_references"]}
    # a source document is a report of every claim that rests on it
    synopsis = by_iri[WBR_IRI + "doc-001"]
    resting = [o for o in _of(bundle, "relationship") if any(r["external_id"] == WBR_IRI + "doc-001"
                                                              for r in o.get("external_references", []))]
    assert synopsis["type"] == "report" and len(resting) > 800
    assert {o["id"] for o in resting} <= set(synopsis["object_refs"])
    # a cited work is an external reference of the claims that rest on it, and a report of them
    work = WBR_IRI + "work-001-undp-human-security"
    rel = next(o for o in _of(bundle, "relationship") if _ref(o, "wbgraph") == WBR_IRI + "claim-001-1810-a")
    assert work in {r["external_id"] for r in rel["external_references"]}
    assert rel["id"] in by_iri[work]["object_refs"]


def test_ids_come_from_iris_so_a_reexport_updates_rather_than_duplicates(curated_store, bundle):
    stated = stix_bundle(curated_store, min_confidence="stated")
    serbia = stix_id("identity", WBR_IRI + "serbia")
    assert serbia in {o["id"] for o in stated["objects"]} and serbia in {o["id"] for o in bundle["objects"]}
    same = {o["id"]: o for o in bundle["objects"]}
    assert all(same[o["id"]] == o for o in stated["objects"] if o["type"] not in ("report", "grouping"))
    for container in (o for o in stated["objects"] if o["type"] in ("report", "grouping")):  # fewer claims in it
        whole = same[container["id"]]
        assert set(container["object_refs"]) <= set(whole["object_refs"])
        assert {**container, "object_refs": []} == {**whole, "object_refs": []}
    assert stix_bundle(curated_store) == bundle


def test_min_confidence_and_focus_filter_the_relationships(curated_store, bundle):
    stated = stix_bundle(curated_store, min_confidence="stated")
    scores = {o["confidence"] for o in _of(stated, "relationship") if "confidence" in o}
    assert scores == {CONFIDENCE_SCORE["stated"]}
    assert len(_of(stated, "relationship")) < len(_of(bundle, "relationship"))
    focus = WBR_IRI + "kosovo"
    around = stix_bundle(curated_store, focus=focus, depth=1)
    kosovo = stix_id("identity", focus)
    claims = [o for o in _of(around, "relationship") if _ref(o, "wbgraph")]
    assert claims and all(kosovo in (o["source_ref"], o["target_ref"]) or _touches(o, around, kosovo) for o in claims)


def _touches(rel: dict, bundle: dict, node: str) -> bool:
    """Both ends of ``rel`` are neighbours of ``node`` in ``bundle`` (depth 1 keeps claims among them)."""
    pairs = [(o["source_ref"], o["target_ref"]) for o in _of(bundle, "relationship")]
    pairs += [tuple(o["object_refs"]) for o in _of(bundle, "note")]  # a denial makes neighbours too
    near = {node} | {b for a, b in pairs if a == node} | {a for a, b in pairs if b == node}
    return rel["source_ref"] in near and rel["target_ref"] in near


def test_states_are_also_locations_and_kosovo_is_its_own(bundle):
    locations = {o["name"]: o for o in _of(bundle, "location")}
    assert locations["Serbia"]["country"] == "RS"
    assert locations["Kosovo"]["region"] == "southern-europe" and "country" not in locations["Kosovo"]


def test_mechanisms_carry_their_disarm_ids(bundle):
    deepfakes = next(o for o in _of(bundle, "attack-pattern") if _ref(o, "wbgraph") == WBR_IRI + "mech-deepfakes")
    ids = {r["external_id"] for r in deepfakes["external_references"] if r["source_name"] == "DISARM"}
    assert ids == {"T0086.002", "T0087.001"}


def test_exported_bundle_imported_back_gives_the_same_actors_and_relations(curated_store, bundle, tmp_path):
    # the concepts (mechanisms, threats, vulnerabilities) are vocabulary the import refers to, not creates
    # and so are the events, policies, agreements and sources that reports and groupings stand for
    concepts = Graph()
    graph = curated_store.to_graph(include_derived=False)
    for (concept,) in curated_store.query("SELECT DISTINCT ?c WHERE { ?c a/rdfs:subClassOf* ?top "
                                          "VALUES ?top { skos:Concept wb:Event wb:Policy wb:Agreement wb:Source } "
                                          "FILTER(STRSTARTS(STR(?c), STR(wbr:))) }").rows:
        for triple in graph.triples((concept, None, None)):
            concepts.add(triple)
    concepts.serialize(tmp_path / "concepts.ttl", format="turtle")
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    result = ingest(load_graph([tmp_path / "concepts.ttl"], curated=False), path, into=tmp_path / "back.ttl")
    assert result.ok, result.to_text()[-2000:]
    back = Graph().parse(tmp_path / "back.ttl")

    def relations(g: Graph, claims) -> set:
        return {(g.value(c, RDF.subject), g.value(c, RDF.predicate), g.value(c, RDF.object),
                 g.value(c, URIRef(WB_IRI + "negated"))) for c in claims}

    exported = {URIRef(_ref(o, "wbgraph")) for o in bundle["objects"] if o["type"] in ("relationship", "note")
                and _ref(o, "wbgraph predicate")}
    assert relations(back, back.subjects(RDF.type, URIRef(WB_IRI + "Claim"))) == relations(graph, exported)
    assert len(exported) == len(set(graph.subjects(RDF.type, URIRef(WB_IRI + "Claim"))))  # every claim
    actors = {URIRef(_ref(o, "wbgraph")) for o in bundle["objects"]
              if o["type"] in ("identity", "threat-actor", "intrusion-set") and _ref(o, "wbgraph")} - {
        URIRef(CURATORS)}
    assert len(actors) > 100
    for actor in actors:
        assert set(back.objects(actor, RDF.type)) == set(graph.objects(actor, RDF.type)), actor
        assert back.value(actor, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None


def test_an_opencti_shaped_bundle_imports_with_the_bundle_as_source(curated_store, tmp_path):
    result = ingest(curated_store, OPENCTI, into=tmp_path / "opencti.ttl")
    assert result.ok, result.to_text()
    text = result.to_text()
    assert "1 indicator, 1 report" in text  # unknown types are reported
    assert "related-to" in text  # and so is a relationship no predicate fits
    overlay = Graph().parse(tmp_path / "opencti.ttl")
    heron = URIRef(WBR_IRI + "grey-heron-network")
    assert (heron, RDF.type, URIRef(WB_IRI + "CriminalNetwork")) in overlay
    claims = {(overlay.value(c, RDF.subject), overlay.value(c, RDF.predicate), overlay.value(c, RDF.object)):
              overlay.value(c, URIRef(WB_IRI + "confidence"))
              for c in overlay.subjects(RDF.type, URIRef(WB_IRI + "Claim"))}
    assert claims[(heron, URIRef(WB_IRI + "operatesIn"), URIRef(WBR_IRI + "serbia"))] == URIRef(WB_IRI + "alleged")
    assert claims[(heron, URIRef(WB_IRI + "targets"), URIRef(WBR_IRI + "port-authority-of-lakeside"))] == URIRef(
        WB_IRI + "stated")
    confirmed = [c for c in overlay.subjects(RDF.type, URIRef(WB_IRI + "Claim"))
                 if overlay.value(c, RDF.predicate) == URIRef(WB_IRI + "targets")]
    assert [int(overlay.value(c, URIRef(WB_IRI + "credibility"))) for c in confirmed] == [1]  # confidence 80
    # the DISARM id of an attack pattern finds the one mechanism mapped to it
    assert (URIRef(WBR_IRI + "static-marsh"), URIRef(WB_IRI + "usesMechanism"),
            URIRef(WBR_IRI + "mech-disinformation")) in claims
    sources = set(overlay.objects(None, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert sources == {URIRef(WBR_IRI + "stix-opencti-sample")}


def test_a_bad_bundle_writes_nothing_and_says_where(curated_store, tmp_path):
    data = json.loads(OPENCTI.read_text(encoding="utf-8"))
    for obj in data["objects"]:
        if obj["type"] == "intrusion-set":
            del obj["name"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=1), encoding="utf-8")
    result = ingest(curated_store, bad, into=tmp_path / "bad.ttl")
    assert not result.ok and not (tmp_path / "bad.ttl").exists()
    assert any(p.line and p.severity == "error" for p in result.problems)


def test_confidence_scores_map_back_to_the_levels_they_came_from():
    assert {level: confidence_level(score) for level, score in CONFIDENCE_SCORE.items()} == {
        level: level for level in CONFIDENCE_SCORE}


def test_cli_exports_a_filtered_bundle_and_ingests_it(tmp_path):
    runner = CliRunner()
    out = tmp_path / "rs.json"
    result = runner.invoke(main, ["export", "--format", "stix", "-o", str(out), "--focus", "Republika Srpska",
                                  "--min-confidence", "alleged", "--as-of", "2023"])
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert any(o.get("name") == "Republika Srpska" for o in bundle["objects"])
    refused = runner.invoke(main, ["export", "--format", "ttl", "-o", str(tmp_path / "x.ttl"), "--focus", "Serbia"])
    assert refused.exit_code == 2 and "writes the whole dataset" in refused.output
    again = runner.invoke(main, ["ingest", str(out), "--into", str(tmp_path / "rs.ttl")])
    # the curated graph already holds these actors and claims: nothing is added twice
    assert again.exit_code == 0 and "claim(s) left out: the graph already holds them" in again.output
    overlay = Graph().parse(tmp_path / "rs.ttl")
    assert not set(overlay.subjects(RDF.type, URIRef(WB_IRI + "Claim")))
    assert {str(s) for s in overlay.subjects(RDF.type, None)} == {WBR_IRI + "stix-rs"}


# -- DISARM ------------------------------------------------------------------------------------------


def test_disarm_mapping_covers_every_mechanism_with_a_rationale_and_known_ids(curated_store):
    rows = curated_store.query_text(
        "SELECT ?concept ?technique ?why WHERE { ?row a wb:DisarmMapping ; wb:mappedConcept ?concept ; "
        "rdfs:comment ?why OPTIONAL { ?row wb:disarmTechnique ?technique } }")
    mechanisms = {m for (m,) in curated_store.query_text("SELECT ?m WHERE { ?m a wb:Mechanism }")}
    assert mechanisms <= {concept for concept, _, _ in rows}  # each mapped, or recorded as having none
    assert all(why.strip() for _, _, why in rows)
    known = disarm_techniques()
    assert {t for _, t, _ in rows if t} <= set(known)
    assert concept_techniques(curated_store)[WBR_IRI + "mech-diplomatic-engagement"] == ["T0110"]


def test_actor_techniques_query_rows_are_claims_qualified_by_a_mapped_concept(curated_store):
    from wbgraph.queries import run_query

    rows = run_query(curated_store, "actor-techniques", {"actor": "Russia"}).dicts()
    assert rows, "Russia has DISARM techniques in the curated graph"
    mapping = concept_techniques(curated_store)
    graph = curated_store.to_graph(include_derived=False)
    for row in rows:
        claim = URIRef(str(row["claim"]))
        assert (graph.value(claim, RDF.subject), graph.value(claim, RDF.predicate), graph.value(claim, RDF.object)) \
            == (URIRef(str(row["actor"])), URIRef(str(row["predicate"])), URIRef(str(row["object"])))
        assert str(row["technique"]) in mapping[str(row["concept"])]
    assert {"T0101", "T0003", "T0110"} <= {str(r["technique"]) for r in rows}
