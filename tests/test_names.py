"""Names resolve as people type them (issue 15): partial names, initials, sources by file name or
short id, suggestions with their kind, and ambiguity across kinds reported rather than hidden."""

import pytest

from wbgraph.errors import NotFoundError
from wbgraph.lookup import resolve_entity, suggest_names

WBR = "https://w3id.org/wbgraph/id/"


@pytest.mark.parametrize("typed, expected", [
    ("Saudi", "saudi-arabia"),
    ("Emirates", "united-arab-emirates"),
    ("Dayton", "agreement-dayton-peace-agreement"),
    ("Bosnia", "bosnia-and-herzegovina"),
    ("Bosnia Herzegovina", "bosnia-and-herzegovina"),  # "and" left out; its ministries have words to spare
    ("north macedonia", "north-macedonia"),
    ("002", "doc-002"),
    ("doc-3", "doc-003"),
    ("002_a52496ff04537dbf.txt", "doc-002"),
    ("Security Synopsis", "doc-001"),
    ("Overlooked Allies", "doc-004"),
    ("Србија", "serbia"),
    ("turkey", "turkiye"),
    ("Russia", "russia"),
])
def test_names_resolve_as_typed(curated_store, typed, expected):
    assert str(resolve_entity(curated_store, typed)) == WBR + expected


def test_an_abbreviation_of_two_kinds_is_ambiguous_with_both_named(curated_store):
    with pytest.raises(NotFoundError) as err:
        resolve_entity(curated_store, "TOC")
    message = str(err.value)
    assert "ambiguous" in message
    assert "organised crime (threat" in message and "transnational organised crime networks (actor" in message


def test_initials_name_the_conference_series(curated_store):
    assert str(resolve_entity(curated_store, "RSCC")) == WBR + "regional-security-coordination-conference"


def test_suggestions_are_related_and_show_their_kind(curated_store):
    with pytest.raises(NotFoundError) as err:
        resolve_entity(curated_store, "Daton")
    hint = err.value.hint
    assert "'Dayton Peace Agreement' (agreement)" in hint
    assert "NATO" not in hint and "education" not in hint
    assert suggest_names(curated_store, "Rusia", limit=1)[0][:2] == ("Russia", "actor")
