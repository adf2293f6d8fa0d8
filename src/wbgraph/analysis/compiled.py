"""A network converted once into arrays, and the centrality measures that run on it in compiled code.

:func:`compile_graph` reads a networkx graph once (nodes, edge ends and weights as NumPy arrays); each
measure then runs without touching Python objects per edge: PageRank on a SciPy sparse matrix (the same
iterations as networkx's own SciPy code, so the same numbers), eigenvector centrality by Lanczos iteration
on one, closeness by breadth-first searches run 512 at a time in NumPy, betweenness on rustworkx (in
parallel), the k-core numbers and brokerage (betweenness between two sets of nodes) on igraph. Each
structure is built on first use and kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np

__all__ = ["CompiledGraph", "compile_graph"]


@dataclass(eq=False)
class CompiledGraph:
    """A simple directed graph as arrays: ``nodes[i]`` is node ``i``; edge ``j`` runs from ``source[j]``
    to ``target[j]`` with ``weight[j]``."""

    nodes: list
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        """The number of nodes."""
        return len(self.nodes)

    def by_node(self, values) -> dict:
        """``{node: float}`` from one value per node index."""
        return dict(zip(self.nodes, map(float, values)))

    def matrix(self, weighted: bool = True):
        """The adjacency matrix (CSR), with weights or with ones."""
        import scipy.sparse as sparse

        key = ("matrix", weighted)
        if key not in self._cache:
            data = self.weight if weighted else np.ones(len(self.source))
            self._cache[key] = sparse.csr_array((data, (self.source, self.target)), shape=(self.n, self.n))
        return self._cache[key]

    @cached_property
    def undirected_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each unordered pair once, without self-loops, with the weight networkx's ``to_undirected``
        keeps (that of the pair's last edge in edge order)."""
        low, high = np.minimum(self.source, self.target), np.maximum(self.source, self.target)
        keep = low != high
        low, high, weight = low[keep], high[keep], self.weight[keep]
        pair = low.astype(np.int64) * self.n + high
        # the last occurrence of each pair wins, as networkx updates the edge data in order
        _, first_reversed = np.unique(pair[::-1], return_index=True)
        chosen = np.sort(len(pair) - 1 - first_reversed)
        return low[chosen], high[chosen], weight[chosen]

    @cached_property
    def rustworkx(self):
        """The graph as a rustworkx ``PyDiGraph`` whose edge payloads are the weights."""
        import rustworkx as rx

        graph = rx.PyDiGraph(multigraph=False)
        graph.add_nodes_from(range(self.n))
        graph.extend_from_weighted_edge_list(list(zip(self.source.tolist(), self.target.tolist(),
                                                      self.weight.tolist())))
        return graph

    @cached_property
    def igraph(self):
        """The graph as a directed igraph ``Graph``."""
        import igraph

        return igraph.Graph(n=self.n, edges=np.column_stack([self.source, self.target]), directed=True)

    @cached_property
    def igraph_undirected(self):
        """The undirected graph without self-loops, as an igraph ``Graph``."""
        import igraph

        low, high, _ = self.undirected_edges
        return igraph.Graph(n=self.n, edges=np.column_stack([low, high]), directed=False)

    def pagerank(self, *, alpha: float = 0.85, weighted: bool = True, tol: float = 1e-06,
                 max_iter: int = 100) -> dict:
        """PageRank as networkx computes it (power iteration, dangling nodes spread evenly).

        >>> g = compile_graph(nx.DiGraph([("a", "b"), ("c", "b")]))
        >>> max(g.pagerank().items(), key=lambda kv: kv[1])[0]
        'b'
        """
        import scipy.sparse as sparse

        n = self.n
        if n == 0:
            return {}
        matrix = self.matrix(weighted)
        out = np.asarray(matrix.sum(axis=1)).ravel()
        scale = np.zeros(n)
        scale[out != 0] = 1.0 / out[out != 0]
        matrix = sparse.dia_array((scale, 0), shape=(n, n)).tocsr() @ matrix
        uniform = np.repeat(1.0 / n, n)
        dangling = np.where(out == 0)[0]
        x = uniform
        for _ in range(max_iter):
            last = x
            x = alpha * (x @ matrix + x[dangling].sum() * uniform) + (1 - alpha) * uniform
            if np.absolute(x - last).sum() < n * tol:
                return self.by_node(x)
        raise nx.PowerIterationFailedConvergence(max_iter)

    def eigenvector(self, *, weighted: bool = True) -> dict:
        """Eigenvector centrality of the undirected graph, as networkx's ``eigenvector_centrality_numpy``
        (the leading eigenvector, unit length, positive), found by Lanczos iteration
        (:func:`wbgraph.analysis.lanczos.leading_eigenvector`).

        >>> g = compile_graph(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("a", "c")]))
        >>> round(g.eigenvector()["a"], 6) == round(g.eigenvector()["c"], 6)
        True
        """
        import scipy.sparse as sparse

        from .lanczos import leading_eigenvector

        low, high, weight = self.undirected_edges
        data = weight if weighted else np.ones(len(low))
        matrix = sparse.csr_array((np.concatenate([data, data]), (np.concatenate([low, high]),
                                                                    np.concatenate([high, low]))),
                                  shape=(self.n, self.n))
        degree = np.bincount(np.concatenate([low, high]), minlength=self.n)
        _, largest = leading_eigenvector(matrix, degree + 1.0)
        return self.by_node(largest / (np.sign(largest.sum()) * np.linalg.norm(largest)))

    def closeness(self) -> dict:
        """Closeness over hop counts towards each node, scaled by the share of nodes that reach it
        (Wasserman and Faust), as networkx's ``closeness_centrality``: breadth-first searches 512 at a
        time, one bit each (:func:`wbgraph.analysis.closeness.incoming_closeness`).

        >>> compile_graph(nx.DiGraph([("a", "b"), ("c", "b")])).closeness()["b"]
        1.0
        """
        from .closeness import incoming_closeness

        return self.by_node(incoming_closeness(self.n, self.source, self.target))

    def core_number(self) -> dict:
        """The k-core number of each node in the undirected graph (networkx's ``core_number``).

        >>> compile_graph(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])).core_number()["d"]
        1
        """
        return dict(zip(self.nodes, self.igraph_undirected.coreness()))

    def subset_betweenness(self, sources: list, targets: list) -> dict:
        """How often each node lies on the shortest paths (hop counts) from ``sources`` to ``targets``,
        not normalised: networkx's ``betweenness_centrality_subset`` in compiled code.

        >>> compile_graph(nx.DiGraph([("p", "x"), ("x", "e")])).subset_betweenness(["p"], ["e"])["x"]
        1.0
        """
        index = {node: i for i, node in enumerate(self.nodes)}
        chosen_sources = [index[s] for s in sources if s in index]
        chosen_targets = [index[t] for t in targets if t in index]
        if not chosen_sources or not chosen_targets:
            return {node: 0.0 for node in self.nodes}
        return self.by_node(self.igraph.betweenness(directed=True, sources=chosen_sources,
                                                    targets=chosen_targets))


def compile_graph(graph: nx.DiGraph, weight: str = "weight") -> CompiledGraph:
    """Read ``graph`` once into arrays (edge weights from ``weight``, 1.0 where missing).

    >>> g = compile_graph(nx.DiGraph([("a", "b", {"weight": 0.6})]))
    >>> g.nodes, g.source.tolist(), g.target.tolist(), g.weight.tolist()
    (['a', 'b'], [0], [1], [0.6])
    """
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    count = graph.number_of_edges()
    ends = np.fromiter((index[n] for edge in graph.edges() for n in edge), dtype=np.int64, count=2 * count)
    weights = np.fromiter((d.get(weight, 1.0) for _, _, d in graph.edges(data=True)), dtype=float, count=count)
    return CompiledGraph(nodes, ends[0::2].copy(), ends[1::2].copy(), weights)
