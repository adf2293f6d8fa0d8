"""Paths and reach between anything the graph names (issue 15): threats, agreements and events may end a
path but never stand in its middle, and when there is no path the reason is given."""

import json

from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.lookup import entity_kinds
from wbgraph.store import load_graph

WBR = "https://w3id.org/wbgraph/id/"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def paths_json(*args):
    result = run("path", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_power_reaches_a_threat_directly_and_through_a_proxy():
    answer = paths_json("Russia", "foreign terrorist fighters")
    chains = [[n["label"] for n in p["nodes"]] for p in answer["paths"]]
    assert ["Russia", "foreign terrorist fighters"] in chains
    assert ["Russia", "right-wing extremist groups", "foreign terrorist fighters"] in chains


def test_an_entity_reaches_an_agreement_with_the_claim_behind_it():
    answer = paths_json("Republika Srpska", "Dayton Agreement")
    hop = answer["paths"][0]["hops"][0]
    assert (hop["from"], hop["to"]) == ("Republika Srpska", "Dayton Peace Agreement")
    assert hop["relations"][0]["predicate"] == "undermines"
    assert hop["relations"][0]["sources"][0]["lines"] == "5-5"


def test_concepts_never_stand_in_the_middle_of_a_path():
    kinds = entity_kinds(load_graph())
    for target in ("foreign terrorist fighters", "Bosnia and Herzegovina", "organised crime"):
        for path in paths_json("Russia", target, "--max-hops", "4", "--k", "20")["paths"]:
            middle = [n["iri"] for n in path["nodes"][1:-1]]
            assert all(kinds.get(n) == "actor" for n in middle), middle


def test_no_path_names_the_filter_that_removed_it():
    result = run("path", "Russia", "Bosnia and Herzegovina", "--max-hops", "1", "--min-confidence", "stated")
    assert result.exit_code == 0
    assert "--min-confidence stated removed them" in result.output
    assert "loosen --min-confidence, --via or the date filter" not in result.output


def test_no_path_says_when_there_is_no_relation_at_all():
    result = run("path", "Russia", "Club de Berne")
    assert "Club de Berne (actor) has no relation in the graph at all" in result.output


def test_no_path_says_when_paths_are_longer_than_max_hops():
    answer = paths_json("Russia", "right-wing extremism", "--max-hops", "1")
    assert answer["paths"] == [] and "has 2 hops; raise --max-hops to 2" in answer["reason"]


def test_no_path_says_when_via_leaves_the_paths_out():
    answer = paths_json("Russia", "Bosnia and Herzegovina", "--max-hops", "1", "--via", "actsThroughProxy")
    assert answer["paths"] == [] and "not along --via actsThroughProxy" in answer["reason"]


def test_reach_lists_the_threats_an_actor_reaches():
    result = run("reach", "Russia", "--max-hops", "1", "--format", "json")
    reached = {r["label"]: r for r in json.loads(result.output)}
    assert reached["foreign terrorist fighters"]["predicates"] == ["facilitatesThreat"]
    assert "tailored disinformation" not in reached  # a mechanism is a qualifier, not a place reached


def test_reach_says_why_an_actor_has_nothing_to_reach():
    result = run("reach", "Club de Berne")
    assert result.exit_code == 1
    assert "has no relation in the graph at all" in result.output
    assert "loosen" not in result.output


# Every filter a network command offers, each strict enough to remove some path of the curated graph.
FILTERS = {"--min-confidence": ("stated", {"min_confidence": "stated"}), "--known-by": ("2019", {"known_by": "2019"}),
           "--as-of": ("1990", {"as_of": "1990"}), "--min-reliability": ("A", {"min_reliability": "A"}),
           "--min-credibility": ("1", {"min_credibility": 1})}
PAIRS = [("russia", "bosnia-and-herzegovina"), ("russia", "threat-foreign-terrorist-fighters"),
         ("republika-srpska", "agreement-dayton-peace-agreement"), ("china", "western-balkans"),
         ("russia", "kosovo")]


def test_a_no_path_reason_is_true_whichever_filter_removed_the_paths():
    """Whatever filter (or filters) removed the paths, the reason names a filter whose removal brings a path
    back, or a --max-hops larger than the one given that finds one; never a fix that cannot help."""
    import re

    from dataclasses import replace

    from wbgraph.analysis.reasons import find_paths
    from wbgraph.network import NetworkOptions, project_network

    store = load_graph()
    checked = 0
    for names in [[f] for f in FILTERS] + [list(FILTERS)]:
        options = NetworkOptions(**{k: v for f in names for k, v in FILTERS[f][1].items()})
        for a, b in PAIRS:
            for hops in (1, 3):
                answer = find_paths(store, WBR + a, WBR + b, options=options, max_hops=hops)
                if answer.paths:
                    continue
                checked += 1
                reason = answer.reason
                raised = re.search(r"raise --max-hops to (\d+)", reason)
                if raised:
                    assert int(raised.group(1)) > hops, reason
                    assert find_paths(store, WBR + a, WBR + b, options=options, max_hops=int(raised.group(1))).paths
                    continue
                named = [f for f in FILTERS if f in reason]
                looser = NetworkOptions(concepts=True,
                                        **{k: v for f in names if f not in named for k, v in FILTERS[f][1].items()})
                if "has relations, but" in reason:  # about one end: the filters named remove all its relations
                    end = WBR + (a if reason.startswith(answer.labels[WBR + a]) else b)
                    assert named and end not in project_network(store, replace(options, concepts=True)), reason
                    assert end in project_network(store, looser), reason
                elif "removed" in reason:  # about the paths: without the filters named, there is one
                    assert named and find_paths(store, WBR + a, WBR + b, options=looser, max_hops=hops).paths, reason
                else:  # no path even without filters
                    assert not named and not find_paths(store, WBR + a, WBR + b, max_hops=hops).paths, reason
    assert checked >= 10  # the filters above do remove paths, so the reasons are exercised


def test_reach_that_finds_nothing_says_why():
    threat = run("reach", "organised crime")
    assert threat.exit_code == 0 and "organised crime is not an actor" in threat.output
    assert "(0 reached)" not in threat.output
