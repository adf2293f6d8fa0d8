"""Colours, shapes and edge styles shared by the interactive page and the static picture."""

from __future__ import annotations

__all__ = ["CLASS_GROUPS", "CLASS_SHAPES", "EDGE_STYLES", "MARKERS", "PALETTE", "class_group", "edge_style"]

# Legend groups, most specific first: the first whose classes a node has gives its colour and shape.
# Colours from the Okabe-Ito and Paul Tol palettes (readable with the common colour-vision deficiencies);
# where two groups come close in colour, their shapes differ.
CLASS_GROUPS: list[tuple[str, tuple[str, ...], str]] = [
    ("Western Balkan economy", ("WesternBalkanEconomy",), "#D55E00"),
    ("External power", ("ExternalPower",), "#0072B2"),
    ("Sub-state entity", ("SubStateEntity",), "#E69F00"),
    ("Mission or operation", ("Mission",), "#009E73"),
    ("International organisation", ("InternationalOrganisation",), "#56B4E9"),
    ("Regional organisation or initiative", ("RegionalOrganisation", "RegionalInitiative"), "#CC79A7"),
    ("Agency, institution or instrument", ("Agency", "StateInstitution", "Instrument"), "#999933"),
    ("Criminal network", ("CriminalNetwork",), "#882255"),
    ("Extremist or terrorist group", ("ExtremistGroup", "TerroristGroup"), "#000000"),
    ("Cyber actor", ("CyberActor",), "#AA4499"),
    ("Political actor", ("PoliticalActor", "NonStateActor"), "#DDCC77"),
    ("State", ("State", "EUMemberState"), "#332288"),
    ("Civil society, media, company, religion",
     ("CivilSocietyOrganisation", "MediaOutlet", "Company", "ReligiousOrganisation"), "#117733"),
    ("Region or group", ("Region", "ActorGroup"), "#BBBBBB"),
    ("Person or office", ("Person",), "#EE99AA"),
    ("Threat, mechanism or other concept", ("ThreatVector", "Mechanism", "Sector", "Vulnerability"), "#44AA99"),
]
OTHER = ("Other", "#777777")

#: vis-network shape of each legend group (matplotlib markers in ``MARKERS``).
CLASS_SHAPES: dict[str, str] = {
    "Western Balkan economy": "dot", "External power": "diamond", "Sub-state entity": "triangle",
    "Mission or operation": "square", "International organisation": "hexagon",
    "Regional organisation or initiative": "hexagon", "Agency, institution or instrument": "square",
    "Criminal network": "triangleDown", "Extremist or terrorist group": "triangleDown", "Cyber actor": "star",
    "Political actor": "dot", "State": "dot", "Civil society, media, company, religion": "dot",
    "Region or group": "square", "Person or office": "dot", "Threat, mechanism or other concept": "triangle",
    "Other": "dot",
}
MARKERS = {"dot": "o", "diamond": "D", "triangle": "^", "square": "s", "hexagon": "h", "triangleDown": "v",
           "star": "*"}

# Community colours: Paul Tol's muted and light schemes, distinct from each other in order.
PALETTE = ["#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
           "#AA4499", "#EE8866", "#77AADD", "#BBCC33", "#FFAABB", "#99DDFF", "#44BB99", "#DDDDDD"]

SOLID: tuple[int, ...] = ()
DASHED = (10, 5)
DOTTED = (2, 4)
DASH_DOT = (12, 4, 2, 4)
# predicate -> (legend group, colour, dash pattern): each group one colour, each member its own pattern,
# so no two relation types share colour and pattern.
EDGE_STYLES: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "exertsInfluenceOn": ("influence", "#D55E00", SOLID),
    "actsThroughProxy": ("influence", "#D55E00", DASHED),
    "supports": ("influence", "#D55E00", DOTTED),
    "targets": ("hostile", "#222222", SOLID),
    "undermines": ("hostile", "#222222", DASHED),
    "exploitsVulnerability": ("hostile", "#222222", DOTTED),
    "memberOf": ("membership", "#0072B2", SOLID),
    "candidateFor": ("membership", "#0072B2", DASHED),
    "seeksMembershipOf": ("membership", "#0072B2", DOTTED),
    "partnerOf": ("cooperation", "#009E73", SOLID),
    "cooperatesWith": ("cooperation", "#009E73", DASHED),
    "coordinatesWith": ("cooperation", "#009E73", DOTTED),
    "alignedWith": ("cooperation", "#009E73", DASH_DOT),
    "operatesIn": ("presence", "#E69F00", SOLID),
    "hosts": ("presence", "#E69F00", DASHED),
    "contributesTo": ("presence", "#E69F00", DOTTED),
    "establishedBy": ("structure", "#888888", SOLID),
    "partOf": ("structure", "#888888", DASHED),
    "inDisputeWith": ("dispute", "#CC79A7", SOLID),
    "recognises": ("dispute", "#CC79A7", DASHED),
    "partyTo": ("structure", "#888888", DOTTED),
    "adopted": ("structure", "#888888", DASH_DOT),
    "involvedIn": ("presence", "#E69F00", DASH_DOT),
    "occurredIn": ("place", "#56B4E9", SOLID),
    "holdsOfficeIn": ("people", "#882255", SOLID),
    "affiliatedWith": ("people", "#882255", DASHED),
    "authorOf": ("people", "#882255", DOTTED),
    "speakerAt": ("people", "#882255", DASH_DOT),
    "moderatorOf": ("people", "#56B4E9", DASHED),
}
DEFAULT_EDGE = ("other", "#AAAAAA", DASH_DOT)


def class_group(classes: list[str] | set[str]) -> tuple[str, str]:
    """The legend group and colour of a node with these classes.

    >>> class_group(["Actor", "State", "WesternBalkanEconomy"])
    ('Western Balkan economy', '#D55E00')
    """
    present = set(classes)
    for name, members, colour in CLASS_GROUPS:
        if present & set(members):
            return name, colour
    return OTHER


def edge_style(predicate: str) -> tuple[str, str, tuple[int, ...]]:
    """Legend group, colour and dash pattern (empty: solid) of an edge.

    >>> edge_style("undermines")
    ('hostile', '#222222', (10, 5))
    """
    return EDGE_STYLES.get(predicate, DEFAULT_EDGE)
