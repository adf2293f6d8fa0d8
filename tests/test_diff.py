"""Differences between two versions of the graph."""

from __future__ import annotations

import json

from rdflib import Graph

from wbgraph.diff import diff_graphs
from wbgraph.ingest import ingest
from wbgraph.store import load_graph

from .conftest import DATA, MINI

LK = "https://example.org/lake/"


def edited(tmp_path, *replacements):
    text = MINI.read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "mini-v2.ttl"
    path.write_text(text)
    return path


def test_same_file_has_no_differences(tmp_path):
    result = diff_graphs(MINI, MINI)
    assert result.identical and result.to_text() == "no differences"


def test_blank_node_names_do_not_matter():
    a = Graph().parse(data="<urn:x> <urn:p> [ <urn:q> 1 ] .", format="turtle")
    b = Graph().parse(data="<urn:x> <urn:p> _:other . _:other <urn:q> 1 .", format="turtle")
    assert diff_graphs(a, b).identical


def test_actor_changes_are_named_by_field(tmp_path):
    v2 = edited(tmp_path,
                ('rdfs:label "Sylvania"@en', 'rdfs:label "Sylvanian Republic"@en ; skos:altLabel "Sylvania"@en'),
                ("lk:blue-hand a wb:CriminalNetwork", "lk:blue-hand a wb:CriminalNetwork , wb:NonStateActor"),
                (' ;\n    rdfs:comment "Fictional trafficking network."@en .', " ."),
                ('lk:lake-region a wb:Region', 'lk:new-actor a wb:Company ; rdfs:label "New Co"@en .\n'
                                                'lk:lake-region a wb:Region'))
    result = diff_graphs(MINI, v2)
    changed = {c.iri: c.changes for c in result.actors.changed}
    assert changed[LK + "sylvania"] == {"alt_labels": ([], ['"Sylvania"@en']),
                                        "label": (['"Sylvania"@en'], ['"Sylvanian Republic"@en'])}
    assert changed[LK + "blue-hand"] == {"classes": ([], ["wb:NonStateActor"]),
                                         "description": (['"Fictional trafficking network."@en'], [])}
    assert [(c.iri, c.label) for c in result.actors.added] == [(LK + "new-actor", "New Co")]
    assert not result.actors.removed and not result.claims


def test_claims_added_removed_changed_and_renamed(tmp_path):
    v2 = edited(tmp_path,
                ("wb:confidence wb:implied ; prov:wasDerivedFrom lk:report ; wb:lineStart 4",
                 "wb:confidence wb:alleged ; prov:wasDerivedFrom lk:report ; wb:lineStart 4"),
                ("lk:claim-15-a a wb:Claim", "lk:claim-15-z a wb:Claim"),
                ("lk:claim-10-a a wb:Claim", "lk:claim-10-b a wb:Claim ; wb:validFrom \"2004\"^^xsd:gYear .\n"
                                             "lk:claim-10-a a wb:Claim"))
    result = diff_graphs(MINI, v2)
    assert [(c.iri, c.changes) for c in result.claims.changed] == [
        (LK + "claim-04-b", {"confidence": (["wb:implied"], ["wb:alleged"])})]
    assert result.claims.renamed == [(LK + "claim-15-a", LK + "claim-15-z")]
    assert [c.iri for c in result.claims.added] == [LK + "claim-10-b"]
    assert not result.claims.removed
    text = result.to_text()
    assert "~ https://example.org/lake/claim-04-b  Order of the Lamp undermines Union of Lakes" in text
    assert "confidence: - wb:implied  + wb:alleged" in text
    data = json.loads(json.dumps(result.to_dict()))
    assert data["claims"]["renamed"] == [{"from": LK + "claim-15-a", "to": LK + "claim-15-z"}]
    assert data["claims"]["changed"][0]["changes"]["confidence"] == {"removed": ["wb:implied"],
                                                                      "added": ["wb:alleged"]}


def test_removed_claims_and_other_entities(tmp_path):
    start = MINI.read_text().index("lk:claim-16-a a wb:Claim")
    end = MINI.read_text().index("lk:event-invasion a wb:Event")
    v2 = edited(tmp_path, (MINI.read_text()[start:end], ""), ("wb:lineCount 18", "wb:lineCount 19"))
    result = diff_graphs(MINI, v2)
    assert [c.iri for c in result.claims.removed] == [LK + "claim-16-a"]
    assert [(c.iri, c.changes) for c in result.other.changed] == [
        (LK + "report", {"wb:lineCount": (['"18"^^xsd:integer'], ['"19"^^xsd:integer'])})]


def test_stores_folders_and_an_ingested_overlay(tmp_path):
    (tmp_path / "notes").mkdir()
    overlay = ingest(load_graph([MINI], curated=False), DATA / "ingest" / "claims.yaml",
                     into=tmp_path / "notes" / "notes.ttl")
    before = load_graph([MINI], curated=False)
    after = load_graph([MINI, overlay.path], curated=False)
    result = diff_graphs(before, after)
    assert [c.label for c in result.actors.added] == ["Marsh Brotherhood"]
    assert len(result.claims.added) == 2 and not result.claims.removed and not result.actors.changed
    assert [c.iri for c in result.other.added] == ["https://w3id.org/wbgraph/id/field-notes"]
    by_folder = diff_graphs([], tmp_path / "notes")
    assert len(by_folder.claims.added) == 2
