"""The region's languages: every economy is found by its name in each language and either Serbian
script, Kosovo is its own entity in all of them, and --lang puts those labels in tables and on the page."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import RDFS

from wbgraph.cli import main
from wbgraph.languages import (LANGUAGES, _existing_labels, localised_labels, pycountry_labels_path,
                               pycountry_labels_turtle, to_cyrillic, to_latin)
from wbgraph.lookup import resolve_entity

WBR = "https://w3id.org/wbgraph/id/"
ECONOMIES = ["albania", "bosnia-and-herzegovina", "kosovo", "montenegro", "north-macedonia", "serbia"]
REGIONAL = [tag for tag in LANGUAGES if tag != "en"]


def _tagged_labels(store, iri: str, tag: str) -> set[str]:
    wanted = {"sr-Cyrl": {"sr-cyrl", "sr"}}.get(tag, {tag.lower()})
    return {str(o) for o in store.to_graph(include_derived=False).objects(URIRef(iri), RDFS.label)
            if o.language and o.language.lower() in wanted}


@pytest.mark.parametrize("tag", REGIONAL)
@pytest.mark.parametrize("economy", ECONOMIES)
def test_each_economy_has_a_label_in_each_language_and_resolves_from_it(curated_store, economy, tag):
    iri = WBR + economy
    labels = _tagged_labels(curated_store, iri, tag)
    assert labels, f"no {tag} label for {economy}"
    for label in labels:
        assert str(resolve_entity(curated_store, label)) == iri
        assert str(resolve_entity(curated_store, label.upper())) == iri
        if tag in ("sr-Cyrl", "sr-Latn", "bs", "hr", "cnr"):  # typed in the other script, it still resolves
            assert str(resolve_entity(curated_store, to_latin(label))) == iri
            assert str(resolve_entity(curated_store, to_cyrillic(to_latin(label)))) == iri


def test_kosovo_is_its_own_entity_in_every_language(curated_store):
    for tag in LANGUAGES:
        label = localised_labels(curated_store, tag)[WBR + "kosovo"]
        assert label in ("Kosovo", "Kosova", "Косово"), (tag, label)
        assert str(resolve_entity(curated_store, label)) == WBR + "kosovo"
    assert localised_labels(curated_store, "sr-Cyrl")[WBR + "serbia"] == "Србија"


def test_labels_fall_back_to_english(curated_store):
    labels = localised_labels(curated_store, "sq")
    assert labels[WBR + "nato"] == "NATO" and labels[WBR + "european-union"] == "Bashkimi Evropian"
    assert labels[WBR + "kfor"] == "KFOR"  # no Albanian label: the English one


def test_lang_sr_cyrl_shows_cyrillic_labels_in_a_table_and_on_the_page(tmp_path):
    runner = CliRunner()
    table = runner.invoke(main, ["--lang", "sr-Cyrl", "query", "actor-profile", "-p", "actor=Kosovo"])
    assert table.exit_code == 0, table.output
    assert "Косово" in table.output.splitlines()[2]  # the actor_label column of the row
    english = runner.invoke(main, ["query", "actor-profile", "-p", "actor=Косово"])
    assert english.exit_code == 0 and "Косово" not in english.output  # resolved, but shown in English
    page = tmp_path / "page.html"
    result = runner.invoke(main, ["--lang", "sr-Cyrl", "viz", "--focus", "Србија", "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert '"label":"Србија"' in html and '"label":"Косово"' in html and '"label":"Serbia"' not in html


def test_an_unknown_language_is_refused_with_the_list():
    result = CliRunner().invoke(main, ["--lang", "de", "stats"])
    assert result.exit_code == 2 and "sr-Cyrl" in result.output


def test_generated_labels_match_the_packaged_translations():
    assert pycountry_labels_path().read_text(encoding="utf-8") == pycountry_labels_turtle(_existing_labels()), (
        "graph/labels-pycountry.ttl is stale: run python -m wbgraph.languages")


def test_every_curated_label_in_the_regions_languages_is_marked_as_not_yet_reviewed():
    from rdflib import Graph, Literal
    from rdflib.namespace import SKOS

    from wbgraph.resources import data_dir
    from wbgraph.vocab import WB

    packaged = Graph().parse(pycountry_labels_path())
    curated_files = Graph()
    for path in sorted(data_dir("graph").glob("*.ttl")):
        if path != pycountry_labels_path():
            curated_files.parse(path)
    curated = {(s, o) for p in (RDFS.label, SKOS.altLabel) for s, o in curated_files.subject_objects(p)
               if isinstance(o, Literal) and o.language and not o.language.lower().startswith("en")
               and (s, p, o) not in packaged}
    marked = set(curated_files.subject_objects(WB.unreviewedLabel))
    assert len(curated) > 80
    assert curated - marked == set(), "curated names without a wb:unreviewedLabel mark (graph/labels-curated.ttl)"
    assert marked - curated == set(), "marks on names that are not curated labels of that entity"
    assert not set(packaged.subject_objects(WB.unreviewedLabel))  # packaged names are never marked
