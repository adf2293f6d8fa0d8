"""Source grading on the NATO/Admiralty scale: reliability A-F of sources, credibility 1-6 of claims.

A source's reliability is its own ``wb:reliability``, else that of its publisher (``dcterms:publisher``),
else F ("reliability cannot be judged"): the curated graph grades no source, since the documents do not
grade themselves. A claim's credibility is its own ``wb:credibility``, else derived from its confidence by
:data:`CONFIDENCE_CREDIBILITY`. The STIX export's ``confidence`` is :data:`CREDIBILITY_SCORE` of that
credibility, so the two scales always agree (docs/grading.md).
"""

from __future__ import annotations

from .errors import WbgraphError

__all__ = [
    "CONFIDENCE_CREDIBILITY",
    "CREDIBILITY",
    "CREDIBILITY_SCORE",
    "RELIABILITY",
    "check_grading",
    "claim_credibility",
    "passes_grading",
    "source_reliability",
]

#: Source reliability, best first.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}

#: Information credibility, best first.
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}

#: The credibility of a claim that has none of its own: a source stating something in its own voice
#: makes it probably true, an allegation possibly true, an inference doubtful.
CONFIDENCE_CREDIBILITY = {"stated": 2, "alleged": 3, "implied": 4}

#: STIX 2.1 ``confidence`` of each credibility (appendix A, Admiralty credibility); 6 has none.
CREDIBILITY_SCORE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}

_SOURCES = """
SELECT ?source ?own ?publisher WHERE {
  ?source a ?class . ?class rdfs:subClassOf* wb:Source .
  OPTIONAL { ?source wb:reliability ?own }
  OPTIONAL { ?source dcterms:publisher/wb:reliability ?publisher }
}
"""
_CLAIMS = "SELECT ?claim ?credibility WHERE { ?claim wb:credibility ?credibility }"


def check_grading(min_reliability: str = "F", min_credibility: int = 6) -> None:
    """Refuse a grade that is not on the scales, with what to write instead.

    >>> check_grading("C", 3)
    >>> check_grading("G", 3)
    Traceback (most recent call last):
    ...
    wbgraph.errors.WbgraphError: unknown reliability 'G'. use A (completely reliable) to F (reliability cannot be judged)
    """
    if min_reliability not in RELIABILITY:
        raise WbgraphError(f"unknown reliability '{min_reliability}'",
                           hint="use A (completely reliable) to F (reliability cannot be judged)")
    if min_credibility not in CREDIBILITY:
        raise WbgraphError(f"unknown credibility '{min_credibility}'",
                           hint="use 1 (confirmed by other sources) to 6 (truth cannot be judged)")


def source_reliability(store) -> dict[str, str]:
    """``{source IRI: reliability}`` for every source of ``store`` (F where nothing grades it).

    >>> from wbgraph.store import load_graph
    >>> source_reliability(load_graph())["https://w3id.org/wbgraph/id/doc-001"]
    'F'
    """
    key = "grading:sources"
    if key not in store.cache:
        graded: dict[str, str] = {}
        for source, own, publisher in store.query_text(_SOURCES):
            found = own or publisher
            grade = found.strip().upper() if found and found.strip().upper() in RELIABILITY else "F"
            graded[source] = min(graded.get(source, "F"), grade)
        store.cache[key] = graded
    return dict(store.cache[key])


def claim_credibility(store) -> dict[str, int]:
    """``{claim IRI: credibility}`` for the claims that carry their own; others follow their confidence.

    >>> from wbgraph.store import load_graph
    >>> claim_credibility(load_graph(curated=False))
    {}
    """
    key = "grading:claims"
    if key not in store.cache:
        graded = {}
        for claim, value in store.query_text(_CLAIMS):
            if value and value.strip().isdigit() and int(value) in CREDIBILITY:
                graded[claim] = int(value)
        store.cache[key] = graded
    return dict(store.cache[key])


def passes_grading(reliability: str, credibility: int, min_reliability: str = "F", min_credibility: int = 6) -> bool:
    """True when a claim's source is at least ``min_reliability`` and the claim at least ``min_credibility``.

    >>> passes_grading("B", 2, "C", 3), passes_grading("F", 2, "C", 6), passes_grading("A", 4, "F", 3)
    (True, False, False)
    """
    return reliability <= min_reliability and credibility <= min_credibility
