"""The queries issue 15 found missing: who works with an organisation, who is present in a country,
what one document says about one actor, what two documents say differently, and who wrote or spoke."""

from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.queries import run_query


def records(store, name, **params):
    return [{k: "" if v is None else str(v) for k, v in row.items()} for row in run_query(store, name, params).records()]


def test_works_with_covers_agreements_and_keeps_denials(curated_store):
    rows = records(curated_store, "works-with", organisation="FPA")
    parties = {r["subject"].rsplit("/", 1)[-1]: r["negated"] for r in rows}
    assert parties["albania"] == "False" and parties["kosovo"] == "True"


def test_works_with_keeps_each_claim_the_right_way_round(curated_store):
    rows = records(curated_store, "works-with", organisation="NATO")
    eu = [r for r in rows if r["predicate"].endswith("cooperatesWith") and "european-union" in r["partner"]]
    assert eu and all(r["subject"].endswith("european-union") and r["object"].endswith("nato") for r in eu)


def test_organisation_members_finds_the_parties_to_an_agreement(curated_store):
    rows = records(curated_store, "organisation-members", organisation="FPA")
    assert {r["actor"].rsplit("/", 1)[-1] for r in rows} >= {"albania", "serbia", "european-union"}


def test_an_empty_answer_says_what_the_thing_is_and_which_relations_it_has():
    result = CliRunner().invoke(main, ["query", "memberships", "-p", "actor=FPA"])
    assert result.exit_code == 0
    assert "(agreement): its claims are partyTo as object" in result.output


def test_presence_goes_beyond_operates_in(curated_store):
    rows = records(curated_store, "presence-in-country", country="Bosnia and Herzegovina")
    predicates = {r["predicate"].rsplit("#", 1)[-1] for r in rows}
    assert "operatesIn" in predicates and predicates - {"operatesIn"}
    assert any(r["present"].endswith("eufor-althea") and r["mandate"] for r in rows)


def test_one_document_about_one_actor_with_summaries(curated_store):
    rows = records(curated_store, "document-actor-claims", source="002", actor="Russia")
    aligned = [r for r in rows if r["predicate"].endswith("alignedWith")]
    assert aligned and aligned[0]["object"].endswith("china") and aligned[0]["lines"] == "9-9"
    assert all(r["in_our_words"] for r in rows)


def test_two_documents_differ_on_russia_and_china(curated_store):
    rows = records(curated_store, "document-differences", a="001", b="002")
    russia_china = {r["predicate"].rsplit("#", 1)[-1]: r for r in rows
                    if r["subject"].endswith("russia") and r["object"].endswith("china")}
    # 001 denies that the two coordinate; 002 says nothing of coordination
    coordination = russia_china["coordinatesWith"]
    assert "denies (stated" in coordination["in_a"] and "asserts" not in coordination["in_a"]
    assert "doc-001" in coordination["in_a"]  # each stance names its document
    assert coordination["in_b"] == "" and coordination["only_denied"].lower() == "true"
    # both say the two are aligned, so that is no difference
    assert "alignedWith" not in russia_china
    nato = [r for r in rows if r["subject"].endswith("russia") and r["object"].endswith("nato")]
    assert nato[0]["in_a"] == "" and "lines 9-9" in nato[0]["in_b"]


def test_authors_and_speakers_are_people(curated_store):
    authors = records(curated_store, "document-people", source="004")
    assert {r["person"].rsplit("/", 1)[-1] for r in authors} == {"ana-krstinovska", "alessandro-marrone"}
    speakers = records(curated_store, "document-people", source="001")
    assert any(r["person"].endswith("majlinda-bregu") and r["role"] == "named in the document" for r in speakers)


def test_recommendations_about_an_instrument_include_those_addressed_elsewhere(curated_store):
    rows = records(curated_store, "recommendations-about", about="Western Balkans")
    concerns = " | ".join(r["concerns"] for r in rows)
    for instrument in ("Coordinated Annual Review on Defence", "European Peace Facility",
                       "European Defence Industry Programme", "Permanent Structured Cooperation"):
        assert instrument in concerns
    assert {r["source"].rsplit("/", 1)[-1] for r in rows} >= {"doc-003", "doc-004"}


def test_recommendations_by_source_lists_one_document_in_order(curated_store):
    rows = records(curated_store, "recommendations-by-source", source="004")
    assert {r["source"].rsplit("/", 1)[-1] for r in rows} == {"doc-004"}
    assert any(r["label"].startswith("Transparency and governance") for r in rows)
    starts = [int(r["lines"].split("-")[0]) for r in rows]
    assert starts == sorted(starts)


def test_economies_outside_an_organisation_cite_where_its_members_are_listed(curated_store):
    rows = records(curated_store, "economies-outside", organisation="Regional Anti-Corruption Initiative")
    assert [r["economy"].rsplit("/", 1)[-1] for r in rows] == ["kosovo"]
    assert rows[0]["members_listed"] == "9" and "doc-001 lines 1331-1333" in rows[0]["member_sources"]


def test_swot_and_claims_by_source_name_their_source(curated_store):
    assert {r["source"].rsplit("/", 1)[-1] for r in records(curated_store, "swot")} == {"doc-001"}
    assert {r["source"].rsplit("/", 1)[-1] for r in records(curated_store, "claims-by-source", source="002")} == {"doc-002"}


def test_mission_list_says_who_runs_each_mission_and_on_whose_word(curated_store):
    rows = {r["mission"].rsplit("/", 1)[-1]: r for r in records(curated_store, "mission-list")}
    assert rows["eulex-kosovo"]["established_by"] == "European Union" and "doc-003" in rows["eulex-kosovo"]["sources"]
    assert rows["kfor"]["established_by"] == "NATO" and "doc-002 lines 3-3" in rows["kfor"]["sources"]
