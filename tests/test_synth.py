import statistics
from collections import Counter

import pyoxigraph as ox
import pytest

from wbgraph.errors import WbgraphError
from wbgraph.network import project_network
from wbgraph.store import load_graph
from wbgraph.synth import SYNTH_IRI, synthesize, write_synthetic
from wbgraph.validate import validate

WB = "https://w3id.org/wbgraph/ontology#"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return write_synthetic(tmp_path_factory.mktemp("synth") / "small.nt", 3000, seed=5)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    first = write_synthetic(tmp_path / "a.nt", 5000, seed=1).read_bytes()
    again = write_synthetic(tmp_path / "b.nt", 5000, seed=1).read_bytes()
    other = write_synthetic(tmp_path / "c.nt", 5000, seed=2).read_bytes()
    assert first == again
    assert first != other


@pytest.mark.parametrize("size", [1000, 3000, 12_345, 50_000])
def test_the_file_has_the_triples_asked_for(tmp_path, size):
    path = write_synthetic(tmp_path / "g.nt", size, seed=3)
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == size
    assert len(set(triples)) == size


def test_turtle_holds_the_same_graph_as_n_triples(tmp_path):
    nt = set(ox.parse(path=str(write_synthetic(tmp_path / "g.nt", 4000, seed=9))))
    ttl = set(ox.parse(path=str(write_synthetic(tmp_path / "g.ttl", 4000, seed=9))))
    assert nt == ttl


def test_every_synthetic_node_lies_under_its_own_base(small):
    for triple in ox.parse(path=str(small)):
        assert triple.subject.value.startswith(SYNTH_IRI)


def test_a_small_synthetic_graph_is_valid(small):
    report = validate([small], curated=False)
    assert report.ok, report.to_text()
    assert report.errors == []


def test_the_graph_is_mostly_claims_with_the_curated_mix_of_confidence():
    lines = list(synthesize(100_000, seed=0))
    subjects = Counter(line.split(" ", 1)[0] for line in lines)
    claims = [line.split()[2] for line in lines if f"<{WB}confidence>" in line]
    claim_triples = sum(n for s, n in subjects.items() if "/synth/claim-" in s)
    assert claim_triples > 0.75 * len(lines)
    share = Counter(c.rsplit("#", 1)[1].rstrip(">") for c in claims)
    assert abs(share["stated"] / len(claims) - 0.75) < 0.03
    assert abs(share["alleged"] / len(claims) - 0.17) < 0.03
    assert abs(share["implied"] / len(claims) - 0.08) < 0.03
    assert 0 < sum(f"<{WB}negated>" in line for line in lines) < 0.02 * len(claims)


def test_a_few_hub_actors_take_many_claims(small):
    network = project_network(load_graph([small], curated=False))
    degrees = sorted(d for _, d in network.degree())
    assert network.number_of_nodes() > 30
    assert degrees[-1] >= 5 * statistics.median(degrees)


@pytest.mark.parametrize("size", [0, -5, 999, 2.5, True])
def test_a_size_that_cannot_be_made_is_refused(tmp_path, size):
    with pytest.raises(WbgraphError, match="synthetic graph"):
        write_synthetic(tmp_path / "g.nt", size)
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_extension_is_refused(tmp_path):
    with pytest.raises(WbgraphError, match=r"\.csv.*\.nt, \.ttl"):
        write_synthetic(tmp_path / "g.csv", 3000)
    assert list(tmp_path.iterdir()) == []
