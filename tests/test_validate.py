import json

import pytest

from wbgraph.validate import validate

from .conftest import INVALID, MINI


def test_the_fictional_graph_is_valid():
    report = validate([MINI])
    assert report.ok, report.to_text()
    assert report.issues == []


def test_the_curated_graph_is_valid():
    report = validate()
    assert report.ok, report.to_text()


@pytest.mark.parametrize(
    "name, line, node, words",
    [
        ("malformed.ttl", 9, None, "not valid Turtle"),
        ("unknown-term.ttl", 8, "somewhere", "unknown class wb:ExternalPowr"),
        ("no-source.ttl", 8, "claim-nosource", "has no source"),
        ("no-locator.ttl", 8, "claim-nolocator", "has no locator"),
        ("undescribed-object.ttl", 8, "claim-ghost", "atlantis"),
        ("bad-date.ttl", 8, "claim-baddate", "'2023-13-45' is not a valid date"),
        ("two-labels.ttl", 8, "ruritania", "exactly one English rdfs:label"),
    ],
)
def test_each_bad_input_is_reported_with_file_line_and_node(name, line, node, words):
    report = validate([MINI, INVALID / name])
    assert not report.ok
    first = report.errors[0]
    assert words in first.message
    assert first.file.endswith(name)
    assert first.line == line
    if node:
        assert first.node.endswith(node)


def test_a_typo_in_a_property_suggests_the_right_one():
    report = validate([MINI, INVALID / "unknown-term.ttl"])
    messages = [i.to_text() for i in report.errors]
    assert any("wb:exertsInfluence " in m and "did you mean wb:exertsInfluenceOn" in m for m in messages)


def test_a_missing_file_is_an_error():
    report = validate([INVALID / "does-not-exist.ttl"])
    assert not report.ok
    assert "does not exist" in report.errors[0].message


def test_json_report_is_machine_readable():
    data = json.loads(validate([MINI, INVALID / "bad-date.ttl"]).to_json())
    assert data["ok"] is False and data["errors"] == 1
    assert data["issues"][0]["line"] == 8
