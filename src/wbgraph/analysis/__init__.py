"""Network analysis over the projected actor network: functions over networkx graphs."""

from .centrality import centrality_table, simple_digraph
from .communities import detect_communities
from .exposure import exposure_table
from .paths import Hop, InfluencePath, influence_paths, reach
from .report import analyse, write_analysis

__all__ = [
    "analyse",
    "Hop",
    "InfluencePath",
    "centrality_table",
    "detect_communities",
    "exposure_table",
    "influence_paths",
    "reach",
    "simple_digraph",
    "write_analysis",
]
