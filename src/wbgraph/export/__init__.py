"""Exports: the RDF dataset (Turtle, N-Triples, JSON-LD) and the network (GEXF, GraphML, CSV, Cytoscape.js).

>>> sorted(EXPORT_FORMATS)
['csv', 'cytoscape', 'gexf', 'graphml', 'jsonld', 'nt', 'ttl']
"""

from .registry import EXPORT_FORMATS, ExportFormat, export, export_paths, find_format, guess_format

__all__ = ["EXPORT_FORMATS", "ExportFormat", "export", "export_paths", "find_format", "guess_format"]
