"""Exports: the RDF dataset (Turtle, N-Triples, JSON-LD), the network (GEXF, GraphML, CSV, Cytoscape.js)
and a STIX 2.1 bundle.

>>> sorted(EXPORT_FORMATS)
['csv', 'cytoscape', 'gexf', 'graphml', 'jsonld', 'nt', 'stix', 'ttl']
"""

from .registry import EXPORT_FORMATS, ExportFormat, export, export_paths, find_format, guess_format

__all__ = ["EXPORT_FORMATS", "ExportFormat", "export", "export_paths", "find_format", "guess_format"]
