"""Every claim as one CSV row, in the columns that ``wbgraph ingest`` reads, so the file can be edited
and ingested back. Unlike the network's edge table it keeps negated claims and claims whose object is
a concept, and every qualifier."""

from __future__ import annotations

from collections.abc import Container

from ..ingest.columns import FIELDS
from ..models import Claim, from_rdf
from ..namespaces import WB_IRI, shorten
from ..outputs import csv_text

__all__ = ["CLAIM_COLUMNS", "claim_records", "claims_table"]

CLAIM_COLUMNS = tuple(field.name for field in FIELDS["claims"])

_CLAIMS = "SELECT DISTINCT ?claim WHERE { ?claim a wb:Claim } ORDER BY ?claim"
_SEPARATOR = "; "


def _cell(name: str, value) -> str:
    if value is None or value == [] or value is False:
        return "" if name != "negated" else "false"
    if value is True:
        return "true"
    if isinstance(value, list):
        return _SEPARATOR.join(_cell(name, v) for v in value)
    text = str(value)
    if name == "predicate" and text.startswith(WB_IRI):
        return text[len(WB_IRI):]
    return shorten(text) if text.startswith(("http://", "https://", "urn:")) else text


def claim_records(store) -> list[Claim]:
    """Every claim of ``store`` as a model, sorted by IRI; read once per version of the data and shared
    by the exports (do not change them).

    >>> from wbgraph.store import load_graph
    >>> store = load_graph()
    >>> claim_records(store)[0].confidence in ("stated", "alleged", "implied"), claim_records(store) is claim_records(store)
    (True, True)
    """
    if "export:claims" not in store.cache:
        graph = store.to_graph()  # the copy the RDF exports share; its derived edges never start at a claim
        store.cache["export:claims"] = [from_rdf(Claim, graph, claim) for (claim,) in store.query(_CLAIMS).rows]
    return store.cache["export:claims"]


def claims_table(store, only: Container[str] | None = None) -> str:
    """The claims of ``store`` as CSV text with a header row (columns: :data:`CLAIM_COLUMNS`); with
    ``only``, just the claims whose IRIs it holds.

    >>> from wbgraph.store import load_graph
    >>> table = claims_table(load_graph())
    >>> table.splitlines()[0].split(",")[:5]
    ['id', 'subject', 'predicate', 'object', 'confidence']
    """
    rows = []
    for claim in claim_records(store):
        if only is not None and str(claim.iri) not in only:
            continue
        record = claim.model_dump()
        record["id"] = record.pop("iri")
        rows.append([_cell(name, record.get(name)) for name in CLAIM_COLUMNS])
    return csv_text(CLAIM_COLUMNS, rows)
