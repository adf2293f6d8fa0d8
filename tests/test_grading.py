"""Source grading: reliability A-F of sources (or their publishers), credibility 1-6 of claims, and the
--min-reliability / --min-credibility filters on every command that works on the network."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.errors import WbgraphError
from wbgraph.grading import CONFIDENCE_CREDIBILITY, CREDIBILITY_SCORE, claim_credibility, source_reliability
from wbgraph.export.stix import CONFIDENCE_SCORE, stix_bundle
from wbgraph.network import project_network
from wbgraph.store import load_graph

from .conftest import DATA, MINI

GRADED = DATA / "grading" / "graded.ttl"
LK = "https://example.org/lake/"
BASE = ["--no-curated", "--with", str(MINI), "--with", str(GRADED)]
#: the only claim from the tabloid's column (reliability E, through its publisher)
GOSSIP = (LK + "blue-hand", LK + "grand-fenwick", "exertsInfluenceOn")


@pytest.fixture(scope="module")
def graded():
    return load_graph([MINI, GRADED], curated=False)


def test_reliability_comes_from_the_source_or_its_publisher_and_credibility_from_the_claim(graded):
    reliability = source_reliability(graded)
    assert reliability[LK + "report"] == "B" and reliability[LK + "gossip"] == "E"
    assert claim_credibility(graded) == {LK + "claim-03-a": 1}
    edge = project_network(graded).edges[LK + "order-of-the-lamp", LK + "freedonia", "exertsInfluenceOn"]
    assert [(c["reliability"], c["credibility"]) for c in edge["claims"]] == [("B", 2)]  # stated -> 2


def test_filters_keep_only_what_is_graded_well_enough(graded):
    everything = project_network(graded)
    assert GOSSIP in everything.edges
    reliable = project_network(graded, min_reliability="D")
    assert GOSSIP not in reliable.edges and reliable.number_of_edges() == everything.number_of_edges() - 1
    confirmed = project_network(graded, min_credibility=1)
    assert list(confirmed.edges(keys=True)) == [(LK + "ruritania", LK + "order-of-the-lamp", "actsThroughProxy")]
    probable = project_network(graded, min_credibility=2)  # drops the alleged (3) and implied (4) claims
    assert all(c["credibility"] <= 2 for *_, d in probable.edges(data=True) for c in d["claims"])
    assert probable.number_of_edges() < everything.number_of_edges()
    with pytest.raises(WbgraphError, match="unknown reliability"):
        project_network(graded, min_reliability="G")


def test_the_stix_confidence_is_the_score_of_the_credibility(graded):
    assert CONFIDENCE_SCORE == {level: CREDIBILITY_SCORE[c] for level, c in CONFIDENCE_CREDIBILITY.items()}
    bundle = stix_bundle(graded)
    scores = {next(r["external_id"] for r in o["external_references"] if r["source_name"] == "wbgraph"): o.get(
        "confidence") for o in bundle["objects"] if o["type"] == "relationship"}
    assert scores[LK + "claim-03-a"] == 90  # its own credibility, 1, wins over "stated"
    assert scores[LK + "claim-04-a"] == 70
    filtered = stix_bundle(graded, min_reliability="D")
    assert LK + "claim-gossip-1" in json.dumps(bundle) and LK + "claim-gossip-1" not in json.dumps(filtered)


def _run(args: list[str]):
    return CliRunner().invoke(main, [*BASE, *args])


def _gexf_edges(path) -> int:
    return len(re.findall(r"<edge ", path.read_text(encoding="utf-8")))


# Every command that takes the network options, with what a user would see change when the tabloid's
# claim (the only one graded E) is left out.
COMMANDS = {
    "path": lambda tmp: (["path", "Blue Hand", "Grand Fenwick", "--max-hops", "1"],
                         lambda r: "Path 1" in r.output),
    "reach": lambda tmp: (["reach", "Blue Hand"], lambda r: "Grand Fenwick" in r.output),
    "analyze": lambda tmp: (["analyze", "-o", str(tmp)],
                            lambda r: "13 relations" in (tmp / "analysis.md").read_text(encoding="utf-8")),
    "viz": lambda tmp: (["viz", "-o", str(tmp / "page.html")],
                        lambda r: "Fictional gossip column" in (tmp / "page.html").read_text(encoding="utf-8")),
    "image": lambda tmp: (["image", "-o", str(tmp / "net.svg"), "--labels", "0"],
                          lambda r: (tmp / "net.svg").read_bytes()),
    "export": lambda tmp: (["export", "--format", "gexf", "-o", str(tmp / "net.gexf")],
                           lambda r: _gexf_edges(tmp / "net.gexf")),
    "export-stix": lambda tmp: (["export", "--format", "stix", "-o", str(tmp / "b.json")],
                                lambda r: "claim-gossip-1" in (tmp / "b.json").read_text(encoding="utf-8")),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("option", [["--min-reliability", "D"], ["--min-reliability", "d"]])
def test_min_reliability_works_on_every_network_command(name, option, tmp_path):
    seen = []
    for extra in ([], option):
        folder = tmp_path / ("filtered" if extra else "all")
        folder.mkdir()
        args, observe = COMMANDS[name](folder)
        result = _run(args + extra)
        seen.append(observe(result))
    assert seen[0] and seen[0] != seen[1]


# the implied claim (credibility 4) that the Order of the Lamp undermines the Union of Lakes
CREDIBILITY_VIEWS = {
    "reach": lambda tmp: (["reach", "Order of the Lamp"], lambda r: "Union of Lakes" in r.output),
    "export": COMMANDS["export"],
    "export-stix": lambda tmp: (["export", "--format", "stix", "-o", str(tmp / "b.json")],
                                lambda r: "claim-04-b" in (tmp / "b.json").read_text(encoding="utf-8")),
}


@pytest.mark.parametrize("name", sorted(CREDIBILITY_VIEWS))
def test_min_credibility_works_on_network_commands(name, tmp_path):
    seen = []
    for extra in ([], ["--min-credibility", "2"]):
        folder = tmp_path / ("filtered" if extra else "all")
        folder.mkdir()
        args, observe = CREDIBILITY_VIEWS[name](folder)
        seen.append(observe(_run(args + extra)))
    assert seen[0] and seen[0] != seen[1]


def test_every_network_command_documents_the_grading_options():
    for name in ("path", "reach", "analyze", "viz", "image", "export"):
        result = CliRunner().invoke(main, [name, "--help"])
        assert "--min-reliability" in result.output and "--min-credibility" in result.output, name


def test_bad_grades_are_refused_with_the_scale():
    result = _run(["reach", "Blue Hand", "--min-credibility", "7"])
    assert result.exit_code == 2 and "1<=x<=6" in result.output


def test_analysts_can_grade_in_their_own_files(tmp_path):
    from wbgraph.ingest import ingest

    data = tmp_path / "graded.yaml"
    data.write_text(
        "sources:\n"
        "  - {id: tip, class: [Document], label: Anonymous tip, file_name: tip.txt, line_count: 3, reliability: D}\n"
        "claims:\n"
        "  - {subject: Blue Hand, predicate: exertsInfluenceOn, object: Sylvania, confidence: stated,\n"
        "     source: Anonymous tip, line_start: 2, line_end: 2, credibility: 5}\n", encoding="utf-8")
    base = load_graph([MINI], curated=False)
    result = ingest(base, data, into=tmp_path / "graded.ttl")
    assert result.ok, result.to_text()
    store = load_graph([MINI, tmp_path / "graded.ttl"], curated=False)
    edge = project_network(store).edges[LK + "blue-hand", LK + "sylvania", "exertsInfluenceOn"]
    assert [(c["reliability"], c["credibility"]) for c in edge["claims"]] == [("D", 5)]
    assert (LK + "blue-hand", LK + "sylvania", "exertsInfluenceOn") not in project_network(store, min_credibility=4).edges
    bad = tmp_path / "bad.yaml"
    bad.write_text(data.read_text(encoding="utf-8").replace("reliability: D", "reliability: G"), encoding="utf-8")
    refused = ingest(base, bad, into=tmp_path / "bad.ttl")
    assert not refused.ok and not (tmp_path / "bad.ttl").exists()
