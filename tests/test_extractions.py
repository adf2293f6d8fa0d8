"""The extractions in docs/extractions agree with the graph, or say why not.

Every reading (the first pass in docs/extractions/ and each independent curator's in
docs/extractions/independent/): each extracted entity, relation, figure and date is either held by the
graph or carries a reason for being left out; a reason on an item that the graph now holds is stale and
must go.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("compare_extractions", REPO / "docs" / "extractions" / "compare.py")
compare_module = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(compare_module)

LINE_COUNTS = {"doc-000": 6, "doc-001": 2359, "doc-002": 11, "doc-003": 1334, "doc-004": 42}


@pytest.fixture(scope="module")
def rows(curated_store):
    return compare_module.compare(compare_module.load_extractions(), compare_module.GraphIndex(curated_store))


def test_every_document_has_an_extraction():
    first_pass = [r["doc"] for r in compare_module.load_extractions() if r["curator"] == compare_module.FIRST_PASS]
    assert sorted(first_pass) == sorted(LINE_COUNTS)


def test_independent_readings_name_their_curator():
    independent = compare_module.load_extractions(compare_module.HERE / "independent")
    assert independent, "no independent reading in docs/extractions/independent"
    for reading in independent:
        assert reading["curator"] != compare_module.FIRST_PASS, f"{reading['path']}: no '# Curator X:' comment at the top"


def test_extractions_are_well_formed():
    for reading in compare_module.load_extractions():
        doc, data = reading["doc"], reading["data"]
        assert data["document"] == doc
        for item in data.get("entities", []):
            assert item["kind"] in compare_module.KINDS, f"{doc}: {item['name']} has unknown kind {item['kind']}"
        for section in ("entities", "relations", "figures", "dates"):
            for item in data.get(section) or []:
                start, end = compare_module._span(item["lines"])
                assert 1 <= start <= end <= LINE_COUNTS[doc], f"{doc} {section}: lines {item['lines']} outside the file"


def test_every_difference_is_resolved_or_explained(rows):
    unexplained = [f"{r['doc']} ({r['curator']}) {r['kind']}: {r['item']} ({r['status']})"
                   for r in compare_module.differences(rows) if not r["left_out"]]
    assert not unexplained, "add these to the graph or give a left_out reason:\n" + "\n".join(unexplained)


def test_no_stale_reasons(rows):
    stale = [f"{r['doc']} ({r['curator']}): {r['item']}" for r in rows if r["left_out"] and r["status"] in ("held", "claim")]
    assert not stale, (f"held by the graph now, remove left_out (python docs/extractions/compare.py --drop-stale): "
                       f"{stale}")


def test_coverage_table_reports_every_document_and_curator(rows):
    table = compare_module.coverage_table(rows)
    for reading in compare_module.load_extractions():
        assert f"| {reading['doc']} | {reading['curator']} |" in table
        assert f"| all | {reading['curator']} |" in table
    assert "| all | all |" in table


REASON_KINDS = {"held differently", "outside the model", "too general", "curator's reading", "duplicate"}


def test_independent_reasons_name_their_kind():
    """Each reason in an independent reading starts with its kind, so curation.md can count them by kind."""
    odd = [f"{reading['doc']} ({reading['curator']}): {item.get('name') or item.get('subject') or item.get('what') or item.get('value')}"
           for reading in compare_module.load_extractions(compare_module.HERE / "independent")
           for section in ("entities", "relations", "figures", "dates")
           for item in reading["data"].get(section) or []
           if item.get("left_out") and compare_module.reason_kind(item["left_out"]) not in REASON_KINDS]
    assert not odd, f"start each reason with one of {sorted(REASON_KINDS)}: {odd[:10]}"


NODE_NAME = re.compile(r"(?<![/\w])(?:wbr:)?((?:claim|rec|ind|work|swot|event|policy|agreement)-\w[\w-]*\w)|(?<![/\w])wbr:(\w[\w-]*\w)")


def test_reasons_name_nodes_that_exist(curated_store):
    """A reason that points to a claim, recommendation or other node of the graph names one that exists."""
    nodes = {iri.rsplit("/", 1)[-1] for (iri,) in curated_store.query_text(
        "SELECT DISTINCT ?x WHERE { ?x ?p ?o FILTER(isIRI(?x)) }")}
    missing = []
    for reading in compare_module.load_extractions():
        for section in ("entities", "relations", "figures", "dates"):
            for item in reading["data"].get(section) or []:
                for a, b in NODE_NAME.findall(str(item.get("left_out") or "")):
                    if (a or b) not in nodes:
                        missing.append(f"{reading['doc']} ({reading['curator']}): {a or b}")
    assert not missing, f"reasons name nodes the graph does not have: {missing[:20]}"
