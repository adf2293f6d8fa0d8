"""Time: which claims hold at a date or during a period, and a store restricted to them.

A claim holds from ``wb:validFrom`` to ``wb:validUntil``; a year stands for the whole year and a month
for the whole month. Claims without dates are kept by every filter: the documents rarely date a
relation, and dropping them would empty the graph.
"""

from __future__ import annotations

from .bindings import values_block
from .errors import WbgraphError
from .models import check_date

__all__ = ["check_period", "date_bounds", "in_window", "restrict_to_period"]

_DATED = """
SELECT ?claim ?from ?until WHERE {
  ?claim a wb:Claim .
  { ?claim wb:validFrom ?from } UNION { ?claim wb:validUntil ?until }
}
"""


def date_bounds(text: str) -> tuple[str, str]:
    """The first and last day that a date, month or year stands for, as ISO text.

    >>> date_bounds("2014"), date_bounds("2023-11")
    (('2014-01-01', '2014-12-31'), ('2023-11-01', '2023-11-31'))
    """
    text = str(text)
    if len(text) == 4:
        return f"{text}-01-01", f"{text}-12-31"
    if len(text) == 7:
        return f"{text}-01", f"{text}-31"
    return text[:10], text[:10]


def in_window(valid_from: str | None, valid_until: str | None, start: str, end: str) -> bool:
    """Whether a claim's validity overlaps [start, end]; claims without dates always do.

    >>> in_window("2019", None, "2015", "2016"), in_window("2004", None, "2005", "2005")
    (False, True)
    """
    if valid_from and date_bounds(valid_from)[0] > date_bounds(end)[1]:
        return False
    return not (valid_until and date_bounds(valid_until)[1] < date_bounds(start)[0])


def check_period(as_of: str | None = None, between: tuple[str, str] | None = None) -> tuple[str, str] | None:
    """The period (start, end) that ``--as-of`` or ``--between`` ask for, checked; None for no filter."""
    if as_of and between:
        raise WbgraphError("give --as-of or --between, not both")
    window = (as_of, as_of) if as_of else tuple(between) if between else None
    if window is None:
        return None
    try:
        window = (check_date(window[0]), check_date(window[1]))
    except ValueError as err:
        raise WbgraphError(str(err)) from None
    if date_bounds(window[0])[0] > date_bounds(window[1])[1]:
        raise WbgraphError(f"the period {window[0]} to {window[1]} runs backwards", hint="put the earlier date first")
    return window


def restrict_to_period(store, start: str, end: str):
    """A copy of the store (embedded Oxigraph) without the claims that do not hold in [start, end],
    and with the direct edges derived again, so every query sees the graph as it was then."""
    from rdflib import URIRef

    dates: dict[str, list] = {}
    for claim, valid_from, valid_until in store.query(_DATED).rows:
        entry = dates.setdefault(str(claim), [None, None])
        if valid_from is not None:
            entry[0] = str(valid_from)
        if valid_until is not None:
            entry[1] = str(valid_until)
    drop = [URIRef(c) for c, (f, u) in dates.items() if not in_window(f, u, start, end)]
    copy = store.copy()
    for start_at in range(0, len(drop), 500):
        values = values_block("c", drop[start_at:start_at + 500])
        copy.update(f"DELETE {{ GRAPH ?g {{ ?c ?p ?o }} }} WHERE {{ {values} GRAPH ?g {{ ?c ?p ?o }} }}")
    copy.derive_edges()
    return copy
