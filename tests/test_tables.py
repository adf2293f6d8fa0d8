"""Readable output (issue 15): tables that fit the terminal, labels instead of IRIs, no repeated rows,
trees for hierarchies, full values in CSV and JSON, and SPARQL errors in plain words."""

import csv
import io
import json

from click.testing import CliRunner

from wbgraph.cli import main


def run(*args, columns=80):
    return CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": str(columns)}, catch_exceptions=False)


def table_lines(output):
    return [line for line in output.splitlines() if line and not line.startswith("(")]


def test_text_tables_fit_the_terminal_and_wrap_instead_of_cutting():
    result = run("query", "edge-evidence", "-p", "a=Russia", "-p", "b=Bosnia and Herzegovina", columns=80)
    assert result.exit_code == 0
    assert max(len(line) for line in result.output.splitlines()) <= 80
    assert "…" not in result.output


def test_tables_show_labels_not_iris_unless_asked():
    plain = run("query", "missions-in-country", "-p", "country=Kosovo", columns=200).output
    assert "wbr:" not in plain and "EULEX" in plain
    header = plain.splitlines()[0].split()
    assert not any(name.endswith("_label") for name in header)
    with_iris = run("query", "missions-in-country", "-p", "country=Kosovo", "--iris", columns=400).output
    assert "wbr:" in with_iris


def test_csv_and_json_keep_iris_and_full_values():
    out = run("query", "missions-in-country", "-p", "country=Kosovo", "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert any(value.startswith("wbr:") for row in rows for value in row.values())
    payload = json.loads(run("query", "actor-profile", "-p", "actor=Kosovo", "--format", "json").output)
    assert "…" not in json.dumps(payload, ensure_ascii=False)


def test_indicators_by_topic_prints_each_indicator_once():
    out = run("query", "indicators-by-topic", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    indicators = [r["indicator"] for r in rows]
    assert indicators and len(indicators) == len(set(indicators))
    assassinations = [r for r in rows if r["value"] == "131"]
    assert [sorted(r["refers_to"].split(", ")) for r in assassinations] == [["Montenegro", "Serbia"]]


def test_actor_profile_is_one_row_with_the_most_specific_class():
    rows = json.loads(run("query", "actor-profile", "-p", "actor=Kosovo", "--format", "json").output)["rows"]
    assert len(rows) == 1
    assert rows[0]["classes"] == "Western Balkan economy"


def test_threat_hierarchy_prints_as_a_tree():
    out = run("query", "threat-hierarchy", columns=100).output
    lines = out.splitlines()
    parent = next(i for i, line in enumerate(lines) if line.startswith("hybrid threats"))
    assert lines[parent + 1].startswith(("├─ ", "└─ "))
    assert any(line.startswith("│  ├─ ") or line.startswith("│  └─ ") for line in lines)


def test_unknown_prefix_is_named_plainly():
    result = CliRunner().invoke(main, ["query", "-e", "SELECT ?x WHERE { ?x foo:bar ?y }"])
    assert result.exit_code != 0
    assert "unknown prefix 'foo:'" in result.output and "PREFIX foo:" in result.output
    assert "\\u{" not in result.output
