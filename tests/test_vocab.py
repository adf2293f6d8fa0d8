import pytest

from wbgraph.vocab import WB
from wbgraph.vocabgen import ontology_terms, render_vocab, vocab_path


def test_vocab_module_matches_the_ontology():
    # Fails when ontology/wbgraph.ttl changed and `python -m wbgraph.vocabgen` was not run.
    assert vocab_path().read_text(encoding="utf-8") == render_vocab()


def test_a_misspelt_term_fails_at_use():
    with pytest.raises(AttributeError, match="Clam"):
        WB.Clam  # noqa: B018


def test_every_term_has_label_and_comment():
    from rdflib import RDFS, Graph

    from wbgraph.resources import data_dir

    g = Graph().parse(data_dir("ontology") / "wbgraph.ttl")
    missing = [name for name in ontology_terms() if (WB[name], RDFS.comment, None) not in g]
    assert not missing, f"terms without rdfs:comment: {missing}"
    assert all(label for label in ontology_terms().values())
