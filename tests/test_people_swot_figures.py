"""People are actors with roles, the SWOT of 001 is typed, and figures keep their bound."""

from __future__ import annotations

import json
from collections import Counter

from click.testing import CliRunner

from wbgraph.cli import main


def rows(*args):
    out = CliRunner().invoke(main, ["query", *args, "--format", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)["rows"]  # a note about a default parameter goes to stderr


def test_who_wrote_the_report_of_004():
    authors = [r for r in rows("people") if r["predicate"] == "wb:authorOf" and r["target"] == "wbr:doc-004"]
    assert sorted(r["person_label"] for r in authors) == ["Alessandro Marrone", "Ana Krstinovska"]
    posts = {(r["person_label"], r["target_label"], r.get("role")) for r in rows("people")
             if r["predicate"] == "wb:affiliatedWith" and r["person"] == "wbr:alessandro-marrone"}
    assert ("Alessandro Marrone", "Istituto Affari Internazionali",
            "Head of the Defence, Security and Space Programme") in posts


def test_who_spoke_on_the_extremism_panel():
    found = rows("event-speakers", "-p", "event=Thematic Panel 3")
    moderators = [r["person_label"] for r in found if r["predicate"] == "wb:moderatorOf"]
    assert moderators == ["Adrian Shtuni"]
    speakers = {r["person_label"]: r["posts"] for r in found if r["predicate"] == "wb:speakerAt"}
    assert len(speakers) == 7
    assert "Ministry of Interior of Montenegro" in speakers["Slobodan Kovacevic"]


def test_authors_of_cited_works_are_people_not_text(curated_store):
    # every personal creator of a cited work is also a wb:Person who is the author of that work
    missing = curated_store.query("""
        SELECT ?work ?name WHERE {
          ?work a wb:CitedWork ; dcterms:creator ?name .
          FILTER(isLiteral(?name) && !CONTAINS(?name, "Centre") && !CONTAINS(?name, "Think")
                 && !CONTAINS(?name, "Operations"))
          FILTER NOT EXISTS {
            ?claim rdf:subject ?person ; rdf:predicate wb:authorOf ; rdf:object ?work .
            ?person a wb:Person ; rdfs:label|skos:altLabel ?label .
            FILTER(STR(?label) = REPLACE(STR(?name), " \\\\(ed\\\\.\\\\)$", "") || STR(?label) = STR(?name))
          }
        }""").rows
    assert not missing, missing[:5]


def test_people_appear_in_the_actor_network():
    out = CliRunner().invoke(main, ["query", "actor-claims", "-p", "actor=Majlinda Bregu", "--format", "json"])
    assert out.exit_code == 0, out.output
    predicates = {r["predicate"] for r in json.loads(out.output)["rows"]}
    assert {"wb:holdsOfficeIn", "wb:speakerAt"} <= predicates


def test_the_swot_of_001_has_four_typed_quadrants():
    found = rows("swot")
    assert Counter(r["category"] for r in found) == {"strength": 4, "weakness": 3, "opportunity": 4, "threat": 4}
    assert [r["category"] for r in found] == sorted(
        (r["category"] for r in found), key=["strength", "weakness", "opportunity", "threat"].index)
    by_label = {r["statement_label"]: r for r in found}
    assert by_label["Perceived slow progress"]["topics"] == "stalled EU enlargement"
    assert by_label["Time constraints"]["about"] == "8th Regional Security Coordination Conference"
    assert all(2086 <= int(r["lines"].split("-")[0]) <= int(r["lines"].split("-")[1]) <= 2185 for r in found)


def test_figures_keep_their_bound():
    bounded = {r["indicator"]: r for r in rows("bounded-figures")}
    assert bounded["wbr:ind-001-1569-a"]["bound"] == "more than"  # "More than 60% ... rank organised crime"
    assert bounded["wbr:ind-001-1584-a"]["symbol"] == ">" and float(bounded["wbr:ind-001-1584-a"]["value"]) == 6000
    assert bounded["wbr:ind-001-1847-a"]["bound"] == "approximately"
    every = rows("indicators-by-year", "-p", "year=2023")
    assert {r["bound"] for r in every} == {"exactly", "more than", "approximately"}
    assert not [r for r in every if "bound" in r["unit"] or "than" in r["unit"]]


def test_a_person_has_an_entity_page_with_posts_and_report_dates(curated_store):
    from starlette.testclient import TestClient

    from wbgraph.server import create_app

    page = TestClient(create_app(curated_store), base_url="http://127.0.0.1").get("/id/majlinda-bregu").text
    assert "holds office in" in page and "Regional Cooperation Council" in page
    assert "speaker at" in page
    assert "reported 2024" in page  # her post, as the report gives it
    assert "reported 2023-11-14" in page  # what she said at the opening of the conference
