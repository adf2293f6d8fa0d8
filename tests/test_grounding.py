"""Every claim of the curated graph can be checked against its document.

For each claim: the cited document exists, the line range lies inside it, and those lines mention
the subject or the object by a label or alternate label (case-insensitive; a hyphen at a line end is
joined). At least 95% of claims must pass; the rest are listed below with the reason each is sound.
"""

from __future__ import annotations

import re

import pytest

from wbgraph.namespaces import shorten

# Claims whose lines name neither end by label, and why they are sound anyway.
EXPLAINED: dict[str, str] = {}

CLAIMS = """
SELECT ?claim ?s ?o ?file ?start ?end WHERE {
  ?claim a wb:Claim ; rdf:subject ?s ; rdf:object ?o ; prov:wasDerivedFrom ?doc ;
         wb:lineStart ?start ; wb:lineEnd ?end .
  ?doc wb:fileName ?file .
} ORDER BY ?claim
"""

NAMES = """
SELECT ?x ?name WHERE { ?x rdfs:label|skos:altLabel|skos:prefLabel ?name }
"""


def _normalise(text: str) -> str:
    text = re.sub(r"-\s*\n\s*", "", text)
    return re.sub(r"\s+", " ", text).casefold()


@pytest.mark.seeds
def test_claims_are_grounded_in_their_documents(curated_store, seeds):
    names: dict[str, set[str]] = {}
    for node, name in curated_store.query(NAMES).rows:
        names.setdefault(str(node), set()).add(_normalise(str(name)))
    documents: dict[str, list[str]] = {}
    rows = curated_store.query(CLAIMS).rows
    failures = []
    for claim, s, o, file, start, end in rows:
        file = str(file)
        if file not in documents:
            path = seeds / file
            assert path.is_file(), f"{shorten(str(claim))} cites {file}, which is not in {seeds}"
            lines = path.read_text(encoding="utf-8").split("\n")
            documents[file] = lines[:-1] if lines and lines[-1] == "" else lines
        lines = documents[file]
        start, end = int(start), int(end)
        assert 1 <= start <= end <= len(lines), f"{shorten(str(claim))}: lines {start}-{end} outside {file}"
        text = _normalise("\n".join(lines[start - 1 : end]))
        if not any(n and n in text for n in names.get(str(s), set()) | names.get(str(o), set())):
            failures.append(shorten(str(claim)))
    unexplained = [c for c in failures if c not in EXPLAINED]
    passed = len(rows) - len(failures)
    assert not rows or passed / len(rows) >= 0.95, f"only {passed}/{len(rows)} claims grounded"
    assert not unexplained, f"claims whose lines name neither end, without a reason: {unexplained}"
    stale = [c for c in EXPLAINED if c not in failures]
    assert not stale, f"listed as exceptions but grounded now (remove them): {stale}"
