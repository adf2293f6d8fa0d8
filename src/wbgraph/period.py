"""Time: which claims hold at a date or during a period, and a store restricted to them.

A claim holds from ``wb:validFrom`` to ``wb:validUntil``; a year stands for the whole year and a month
for the whole month. Claims without dates are kept by every filter: the documents rarely date a
relation, and dropping them would empty the graph.
"""

from __future__ import annotations

from .bindings import values_block
from .errors import WbgraphError
from .models import check_date

__all__ = ["check_period", "date_bounds", "in_window", "known_by", "restrict_to_known", "restrict_to_period"]

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


_REPORTED = "SELECT ?claim ?reported WHERE { ?claim a wb:Claim ; wb:reportedOn ?reported }"


def known_by(reported_on: str | None, date: str) -> bool:
    """Whether a claim reported on ``reported_on`` was known by ``date`` (a claim whose report date is
    unknown counts as known, as undated claims do for validity).

    >>> known_by("2024", "2023-12-31"), known_by("2018-09", "2018"), known_by(None, "1990")
    (False, True, True)
    """
    return reported_on is None or date_bounds(reported_on)[0] <= date_bounds(date)[1]


def _without(store, claims: list[str]):
    from rdflib import URIRef

    copy = store.copy()
    drop = [URIRef(c) for c in claims]
    for start_at in range(0, len(drop), 500):
        values = values_block("c", drop[start_at:start_at + 500])
        copy.update(f"DELETE {{ GRAPH ?g {{ ?c ?p ?o }} }} WHERE {{ {values} GRAPH ?g {{ ?c ?p ?o }} }}")
    copy.derive_edges()
    return copy


def restrict_to_known(store, date: str):
    """A copy of the store without the claims reported after ``date`` (``wb:reportedOn``), with the direct
    edges derived again: the graph as its sources had described it by then.

    >>> from wbgraph.store import load_graph
    >>> then = restrict_to_known(load_graph(), "2019")
    >>> then.query("ASK { ?c wb:reportedOn ?d FILTER(STR(?d) >= '2020') }").answer
    False
    """
    try:
        date = check_date(date)
    except ValueError as err:
        raise WbgraphError(str(err)) from None
    later = [str(c) for c, reported in store.query(_REPORTED).rows if not known_by(str(reported), date)]
    return _without(store, later)


def restrict_to_period(store, start: str, end: str):
    """A copy of the store (embedded Oxigraph) without the claims that do not hold in [start, end],
    and with the direct edges derived again, so every query sees the graph as it was then."""
    dates: dict[str, list] = {}
    for claim, valid_from, valid_until in store.query(_DATED).rows:
        entry = dates.setdefault(str(claim), [None, None])
        if valid_from is not None:
            entry[0] = str(valid_from)
        if valid_until is not None:
            entry[1] = str(valid_until)
    return _without(store, [c for c, (f, u) in dates.items() if not in_window(f, u, start, end)])
