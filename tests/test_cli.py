import json
import re

import click
import pytest
from click.testing import CliRunner

from wbgraph.cli import main

from .conftest import INVALID, MINI, REPO


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and "wbgraph, version" in result.output


def all_commands(group=main, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(path):
    result = run(*path, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"wbgraph( --?[\w-]+(?: \S+)?)* " + " ".join(path) + r"\b", readme), f"README lacks `wbgraph {' '.join(path)}`"


def test_validate_clean_file_exits_0():
    result = run("validate", MINI)
    assert result.exit_code == 0
    assert "valid: 1 file(s)" in result.output


def test_validate_curated_graph_exits_0():
    result = run("validate")
    assert result.exit_code == 0, result.output


def test_validate_bad_file_exits_1_with_location():
    result = run("validate", MINI, INVALID / "bad-date.ttl")
    assert result.exit_code == 1
    assert "bad-date.ttl:8" in result.output and "not a valid date" in result.output


def test_validate_json():
    result = run("validate", "--format", "json", MINI, INVALID / "no-source.ttl")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False and data["issues"][0]["file"].endswith("no-source.ttl")


def test_missing_file_exits_1():
    result = run("validate", "no-such-file.ttl")
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_stats_counts_the_fictional_graph():
    result = run("--no-curated", "--with", MINI, "stats", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["groups"]["claims"] == 17
    assert data["claims per confidence"] == {"wb:stated": 14, "wb:alleged": 2, "wb:implied": 1}
    assert data["derived edges"] == 17


def test_stats_of_curated_graph_lists_the_six_economies():
    result = run("stats")
    assert result.exit_code == 0
    assert re.search(r"Western Balkan economies\s+6", result.output)


def test_build_writes_every_output(tmp_path):
    out = tmp_path / "out"
    result = run("--no-curated", "--with", MINI, "build", "-o", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == ["analysis/analysis.md", "analysis/centrality.csv", "analysis/centrality.json",
                     "analysis/communities.csv", "analysis/communities.json", "analysis/exposure.csv",
                     "analysis/exposure.json", "export/wbgraph-claims.csv", "export/wbgraph-edges.csv",
                     "export/wbgraph-nodes.csv",
                     "export/wbgraph.cyjs", "export/wbgraph.gexf", "export/wbgraph.graphml",
                     "export/wbgraph.jsonld", "export/wbgraph.nt", "export/wbgraph.stix.json", "export/wbgraph.ttl", "network.html",
                     "network.png", "network.svg", "stats.json", "stats.md", "validation.json", "validation.txt"]
    assert json.loads((out / "validation.json").read_text())["ok"] is True


def test_build_with_invalid_data_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = run("--no-curated", "--with", MINI, "--with", INVALID / "no-locator.ttl", "build", "-o", out)
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_build_into_a_file_path_is_refused(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("keep me")
    result = run("--no-curated", "--with", MINI, "build", "-o", target)
    assert result.exit_code == 1 and "not a directory" in result.output
    assert target.read_text() == "keep me"


def test_memory_backend_gives_the_same_stats():
    a = json.loads(run("--no-curated", "--with", MINI, "stats", "--format", "json").output)
    b = json.loads(run("--backend", "memory", "--no-curated", "--with", MINI, "stats", "--format", "json").output)
    assert a["groups"] == b["groups"]


def test_export_command_writes_each_format(tmp_path):
    import networkx as nx
    from rdflib import Graph
    from rdflib.compare import isomorphic

    base = ["--no-curated", "--with", MINI]
    assert run(*base, "export", "--format", "gexf", "-o", tmp_path / "n.gexf").exit_code == 0
    read = nx.read_gexf(tmp_path / "n.gexf")
    assert read.number_of_nodes() == 8
    assert "pagerank" in next(iter(read.nodes(data=True)))[1]  # measures travel as node attributes
    assert run(*base, "export", "-o", tmp_path / "all.ttl").exit_code == 0  # format from the extension
    assert len(Graph().parse(tmp_path / "all.ttl")) > 500
    out = run(*base, "export", "--format", "csv", "-o", tmp_path / "net")
    assert out.exit_code == 0 and (tmp_path / "net-edges.csv").exists() and (tmp_path / "net-nodes.csv").exists()
    a, b = Graph().parse(tmp_path / "all.ttl"), Graph()
    assert run(*base, "export", "--format", "nt", "-o", tmp_path / "all.nt").exit_code == 0
    b.parse(tmp_path / "all.nt")
    assert isomorphic(a, b)


def test_export_unknown_format_and_bad_path(tmp_path):
    out = run("--no-curated", "--with", MINI, "export", "--format", "gefx", "-o", tmp_path / "x")
    assert out.exit_code == 1 and "did you mean gexf" in out.output
    out = run("--no-curated", "--with", MINI, "export", "--format", "ttl", "-o", tmp_path / "no" / "x.ttl")
    assert out.exit_code == 1 and list(tmp_path.iterdir()) == []


def test_synth_command(tmp_path):
    out = run("synth", "--triples", "2000", "--seed", "1", "-o", tmp_path / "s.nt")
    assert out.exit_code == 0
    assert len((tmp_path / "s.nt").read_text().splitlines()) == 2000
    bad = run("synth", "--triples", "2000", "-o", tmp_path / "s.csv")
    assert bad.exit_code == 1 and not (tmp_path / "s.csv").exists()


def test_a_query_run_on_its_example_entity_says_so():
    """Without -p, a query about one country shows its example country's rows; the user is told, or a
    forgotten -p would read as an answer about the country they meant."""
    defaulted = CliRunner().invoke(main, ["query", "influence-on-country", "--format", "csv"])
    named = CliRunner().invoke(main, ["query", "influence-on-country", "-p", "country=Kosovo", "--format", "csv"])
    assert "no country given, so this shows the example (country = Bosnia and Herzegovina)" in defaulted.stderr
    assert "-p country=NAME" in defaulted.stderr
    assert "example" not in named.stderr
    assert "example" not in defaulted.stdout  # the data stay clean for a pipe


def test_a_period_that_ends_before_it_starts_is_refused():
    result = CliRunner().invoke(main, ["query", "claims-in-period", "-p", "start=2024", "-p", "end=2014"])
    assert result.exit_code == 1
    assert "ends (2014) before it starts (2024)" in result.output and not result.stdout.count("\n") > 2


def test_the_query_list_gives_examples_that_paste_into_a_shell():
    import shlex

    listing = run("queries").output
    lines = [line.strip() for line in listing.splitlines() if line.strip().startswith("-p ")]
    assert any("Bosnia and Herzegovina" in line for line in lines)
    for line in lines:
        words = shlex.split(line)
        assert all(w == "-p" or "=" in w for w in words), line  # each value stays one word


def test_search_and_sources_are_commands_of_their_own():
    found = run("search", "saudi")
    assert found.exit_code == 0 and "Saudi Arabia" in found.output and "External power" in found.output
    assert "Serbia" in run("search", "Србија").output  # another script
    missing = run("search", "xyzzy")
    assert missing.exit_code == 1 and "wbgraph sources" in missing.output
    listing = run("sources", "--format", "csv").output
    assert all(f"wbr:doc-00{n}" in listing for n in range(5))
