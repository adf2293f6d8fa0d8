"""The review of symmetric and contested claims (docs/curation.md) holds for the curated graph.

Two promises: no document both asserts and denies one relation for the same dates (for a symmetric
predicate, A-B and B-A are one relation), and every claim named in the review's tables is in the
graph with the confidence the table gives it, or is absent where the table says it was removed.
"""

from __future__ import annotations

import re

from wbgraph.namespaces import shorten

from .conftest import REPO

CLAIMS = """
SELECT ?claim ?s ?p ?o ?confidence ?negated ?doc ?symmetric ?from ?until WHERE {
  ?claim a wb:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         wb:confidence ?confidence ; prov:wasDerivedFrom ?doc .
  OPTIONAL { ?claim wb:negated ?n }
  OPTIONAL { ?claim wb:validFrom ?from }
  OPTIONAL { ?claim wb:validUntil ?until }
  BIND(COALESCE(?n, false) AS ?negated)
  BIND(EXISTS { ?p a owl:SymmetricProperty } AS ?symmetric)
}
"""

SECTION = "## Review of symmetric and contested claims"
CLAIM_ID = re.compile(r"claim-(\d{3})-(\d{4})-([a-z])")


def _claims(store) -> dict[str, tuple]:
    return {str(row[0]).rsplit("/", 1)[-1]: row[1:] for row in store.query(CLAIMS).rows}


def _review_rows() -> list[tuple[list[str], str]]:
    """(claim ids, decision) for every table row of the review section, shorthand ids expanded."""
    text = (REPO / "docs" / "curation.md").read_text(encoding="utf-8")
    assert SECTION in text, f"docs/curation.md lacks the section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not cells[0].startswith("`claim-"):
            continue
        rows.append((_expand(cells[0]), cells[3]))
    return rows


def _expand(cell: str) -> list[str]:
    """`claim-001-0717-c` … `-f`, `claim-001-0718-a` -> every claim id the cell names, in order."""
    ids: list[str] = []
    doc = line = None
    tokens = re.findall(r"`([^`]+)`|(…)", cell)
    pending_range = False
    for token, ellipsis in tokens:
        if ellipsis:
            pending_range = True
            continue
        full = CLAIM_ID.fullmatch(token)
        if full:
            doc, line, letter = full.groups()
        else:
            parts = token.lstrip("-").split("-")
            line, letter = (parts[0], parts[1]) if len(parts) == 2 else (line, parts[0])
        if pending_range:
            first = ids[-1][-1]
            ids += [f"claim-{doc}-{line}-{chr(c)}" for c in range(ord(first) + 1, ord(letter))]
            pending_range = False
        ids.append(f"claim-{doc}-{line}-{letter}")
    return ids


def test_no_document_asserts_and_denies_one_relation(curated_store):
    seen: dict[tuple, dict[bool, str]] = {}
    for claim, row in _claims(curated_store).items():
        s, p, o, _, negated, doc, symmetric, valid_from, valid_until = row
        ends = tuple(sorted((str(s), str(o)))) if symmetric.toPython() else (str(s), str(o))
        key = (str(doc), str(p), ends, str(valid_from), str(valid_until))
        seen.setdefault(key, {})[bool(negated.toPython())] = claim
    both = {key: sides for key, sides in seen.items() if len(sides) == 2}
    assert not both, "a document asserts and denies one relation: " + "; ".join(
        f"{sides[False]} vs {sides[True]}" for sides in both.values()
    )


def test_review_tables_match_the_graph(curated_store):
    claims = _claims(curated_store)
    rows = _review_rows()
    assert len(rows) >= 31, "the review tables should list every symmetric claim reviewed"
    problems = []
    for ids, decision in rows:
        for claim in ids:
            if decision.startswith("removed"):
                if claim in claims:
                    problems.append(f"{claim} is marked removed but is still in graph/")
                continue
            if claim not in claims:
                problems.append(f"{claim} ({decision}) is not in graph/")
                continue
            changed = re.search(r"→ (stated|alleged|implied)", decision)
            kept = re.fullmatch(r"supported as is \((stated|alleged|implied)\)", decision)
            expected = (changed or kept).group(1) if (changed or kept) else None
            actual = shorten(str(claims[claim][3])).removeprefix("wb:")
            if expected and actual != expected:
                problems.append(f"{claim}: the review says {expected}, graph/ says {actual}")
    assert not problems, "\n".join(problems)


def test_shorthand_claim_ids_expand():
    assert _expand("`claim-001-0717-c` … `-f`, `claim-001-0718-a`") == [
        "claim-001-0717-c", "claim-001-0717-d", "claim-001-0717-e", "claim-001-0717-f", "claim-001-0718-a",
    ]
    assert _expand("`claim-001-0719-a`, `-0719-b`, `-0720-a`") == [
        "claim-001-0719-a", "claim-001-0719-b", "claim-001-0720-a",
    ]
