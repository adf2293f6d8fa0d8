"""Colours, shapes and edge styles shared by the interactive page and the static picture."""

from __future__ import annotations

__all__ = ["CLASS_GROUPS", "EDGE_STYLES", "class_group", "edge_style", "PALETTE"]

# Legend groups, most specific first: the first whose classes a node has gives its colour.
CLASS_GROUPS: list[tuple[str, tuple[str, ...], str]] = [
    ("Western Balkan economy", ("WesternBalkanEconomy",), "#d62728"),
    ("External power", ("ExternalPower",), "#7b2cbf"),
    ("Sub-state entity", ("SubStateEntity",), "#ff7f0e"),
    ("Mission or operation", ("Mission",), "#2ca02c"),
    ("International organisation", ("InternationalOrganisation",), "#1f77b4"),
    ("Regional organisation or initiative", ("RegionalOrganisation", "RegionalInitiative"), "#17becf"),
    ("Agency, institution or instrument", ("Agency", "StateInstitution", "Instrument"), "#8fb3d9"),
    ("Criminal network", ("CriminalNetwork",), "#5c3a21"),
    ("Extremist or terrorist group", ("ExtremistGroup", "TerroristGroup"), "#111111"),
    ("Cyber actor", ("CyberActor",), "#e377c2"),
    ("Political actor", ("PoliticalActor", "NonStateActor"), "#bcbd22"),
    ("State", ("State", "EUMemberState"), "#9467bd"),
    ("Civil society, media, company, religion",
     ("CivilSocietyOrganisation", "MediaOutlet", "Company", "ReligiousOrganisation"), "#98df8a"),
    ("Region or group", ("Region", "ActorGroup"), "#c7c7c7"),
    ("Person or office", ("Person",), "#f7b6d2"),
    ("Threat, mechanism or other concept", ("ThreatVector", "Mechanism", "Sector", "Vulnerability"), "#ffbb78"),
]
OTHER = ("Other", "#aaaaaa")

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94"]

# predicate -> (legend group, colour, dashed)
EDGE_STYLES: dict[str, tuple[str, str, bool]] = {
    "exertsInfluenceOn": ("influence", "#c0392b", False),
    "actsThroughProxy": ("influence", "#8e44ad", False),
    "supports": ("influence", "#e67e22", False),
    "targets": ("hostile", "#7f0000", True),
    "undermines": ("hostile", "#7f0000", True),
    "exploitsVulnerability": ("hostile", "#7f0000", True),
    "memberOf": ("membership", "#2c7fb8", False),
    "candidateFor": ("membership", "#2c7fb8", True),
    "seeksMembershipOf": ("membership", "#2c7fb8", True),
    "partnerOf": ("cooperation", "#41ab5d", False),
    "cooperatesWith": ("cooperation", "#41ab5d", False),
    "coordinatesWith": ("cooperation", "#41ab5d", True),
    "alignedWith": ("cooperation", "#41ab5d", True),
    "operatesIn": ("presence", "#238b45", False),
    "hosts": ("presence", "#238b45", True),
    "contributesTo": ("presence", "#66c2a4", False),
    "establishedBy": ("structure", "#636363", False),
    "partOf": ("structure", "#636363", True),
    "inDisputeWith": ("dispute", "#ff00aa", True),
}
DEFAULT_EDGE = ("other", "#999999", False)


def class_group(classes: list[str] | set[str]) -> tuple[str, str]:
    """The legend group and colour of a node with these classes.

    >>> class_group(["Actor", "State", "WesternBalkanEconomy"])
    ('Western Balkan economy', '#d62728')
    """
    present = set(classes)
    for name, members, colour in CLASS_GROUPS:
        if present & set(members):
            return name, colour
    return OTHER


def edge_style(predicate: str) -> tuple[str, str, bool]:
    """Legend group, colour and dashing of an edge.

    >>> edge_style("targets")
    ('hostile', '#7f0000', True)
    """
    return EDGE_STYLES.get(predicate, DEFAULT_EDGE)
