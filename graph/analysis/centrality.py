"""Centrality of every actor in a view: event counts, hostility and cooperation, network positions.

Events are aggregated once with numpy (never one Python step per event) into

* arcs ``u → v`` weighted by event count, where a directed event gives its own arc and an undirected
  event gives both ``u → v`` and ``v → u``;
* undirected pairs ``{u, v}`` weighted by the number of events between them in either direction.

Betweenness is computed in ``graph.analysis.betweenness`` (exact, or estimated with a stated bound on large
graphs), PageRank (power iteration) and eigenvector centrality by scipy, on that aggregated graph; all three
equal networkx's definitions (the tests check them against networkx).
Self-loops (an actor acting on itself) count in the event counts but not in the network metrics. See
``METRICS`` for each definition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graph.analysis.betweenness import BetweennessSettings, betweenness
from graph.errors import ActorgraphError
from graph.progress import SILENT
from graph.store.dataset import suggest

#: Every metric, in report order, with its one-line definition (used in --help and the README).
METRICS: dict[str, str] = {
    "degree": "events the actor takes part in (as source or target, any type)",
    "in_degree": "events aimed at the actor, plus undirected events it takes part in",
    "out_degree": "events the actor carries out, plus undirected events it takes part in",
    "hostility_sent": "summed |weight| of hostile events it carries out (undirected: takes part in)",
    "hostility_received": "summed |weight| of hostile events aimed at it (undirected: takes part in)",
    "cooperation_sent": "summed |weight| of cooperative events it carries out (undirected: takes part in)",
    "cooperation_received": "summed |weight| of cooperative events aimed at it (undirected: takes part in)",
    "betweenness": "share of shortest event chains between other actors that pass through it (hop count; "
                   "directed events one way, undirected both; normalised by (n-1)(n-2) as networkx does)",
    "pagerank": "PageRank, alpha 0.85, arcs weighted by event count, undirected events both ways; "
                "actors with no outgoing arc spread their rank evenly (as networkx)",
    "eigenvector": "leading eigenvector of the undirected actor graph weighted by event count, unit "
                   "Euclidean norm (as networkx); actors outside the most central component score 0",
}

#: Metrics a report shows when none are asked for.
DEFAULT_METRICS = ("degree", "hostility_received", "cooperation_received", "betweenness", "pagerank")

_COUNTS = ("degree", "in_degree", "out_degree")
_SUMS = {
    "hostility_sent": ("hostile", "sent"),
    "hostility_received": ("hostile", "received"),
    "cooperation_sent": ("cooperative", "sent"),
    "cooperation_received": ("cooperative", "received"),
}
_DENSE = 64  # components up to this size are solved with a dense eigensolver
_TIE = 1e-9  # relative gap under which two components' leading eigenvalues count as equal


def check_metrics(metrics) -> list[str]:
    """Expand ``all``, keep the order given, drop repeats; raise ``ActorgraphError`` for unknown names."""
    chosen: list[str] = []
    for name in metrics:
        names = list(METRICS) if name == "all" else [name]
        for n in names:
            if n not in METRICS:
                raise ActorgraphError(f"unknown metric '{n}'{suggest(n, list(METRICS))}; "
                                      f"use one of {', '.join(METRICS)} or all")
            if n not in chosen:
                chosen.append(n)
    return chosen


#: Each count and sum as terms of ``Pairs.actor_totals``: (the end a pair row adds to, which rows).
#: An undirected event counts for both endpoints in both directions; a self-loop once.
_TERMS = {
    "degree": (("source", "all"), ("target", "not_loop")),
    "in_degree": (("target", "directed"), ("source", "undirected"), ("target", "undirected_not_loop")),
    "out_degree": (("source", "directed"), ("source", "undirected"), ("target", "undirected_not_loop")),
    "sent": (("source", "all"), ("target", "undirected_not_loop")),
    "received": (("target", "all"), ("source", "undirected_not_loop")),
}


def _counts(pairs, name: str) -> np.ndarray:
    """Event counts per actor from the pair table (``events`` per row); self-loops count once."""
    return pairs.actor_totals("events", _TERMS[name])


def _weight_sums(pairs, name: str) -> np.ndarray:
    """Summed |weight| of hostile or cooperative events an actor sends or receives (undirected: both)."""
    wanted, side = _SUMS[name]
    return pairs.actor_totals(wanted, _TERMS[side], absolute=True)  # the pair table splits weight by sign


def _pagerank(n: int, arcs: np.ndarray, arc_w: np.ndarray, alpha: float = 0.85, tol: float = 1e-12,
              max_iter: int = 10_000) -> np.ndarray:
    """PageRank by power iteration on a sparse matrix, as networkx's ``pagerank`` defines it: arcs
    weighted by event count, dangling actors' rank spread uniformly, uniform teleport.

    Written with scipy rather than called from igraph: igraph's ARPACK solver starts from a random
    vector, fails with a LAPACK error on about one start in 150, and once aborted the whole process
    when called from ``serve``'s watcher thread; its PRPACK solver's OpenMP threads collapse when the
    CPU is shared (STYLE.md). A power iteration is deterministic, thread-safe and, at a million
    arcs, a few hundred sparse products (well under a second).
    """
    from scipy.sparse import csr_matrix

    if n == 0:
        return np.zeros(0)
    arcs = np.asarray(arcs).reshape(-1, 2)
    u, v = arcs[:, 0], arcs[:, 1]
    w = np.asarray(arc_w, dtype=float)
    out = np.bincount(u, weights=w, minlength=n) if len(w) else np.zeros(n)
    dangling = out == 0
    scale = np.divide(1.0, out, out=np.zeros(n), where=~dangling)
    # Row-stochastic transition matrix P built straight from arcs sorted by source (no COO copies at
    # tens of millions of arcs); x @ P is then P.T @ x. Unsorted arcs go through COO.
    data = w * scale[u]
    if len(u) and np.all(u[1:] >= u[:-1]):
        indptr = np.concatenate([[0], np.cumsum(np.bincount(u, minlength=n))])
        index = np.int32 if len(u) < 2**31 and n < 2**31 else np.int64
        p = csr_matrix((data, v.astype(index, copy=False), indptr.astype(index)), shape=(n, n))
    else:
        p = csr_matrix((data, (u, v)), shape=(n, n))
    m = p.T
    del data
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        x = alpha * (m @ x + x[dangling].sum() / n) + (1.0 - alpha) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    return x / x.sum()


def _leading(size: int, u, v, w) -> tuple[float, np.ndarray]:
    """Leading eigenvalue and unit-norm non-negative eigenvector of a connected weighted graph
    given as local edge arrays ``u, v`` (0..size-1, each pair once) with weights ``w``."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import LinearOperator, eigsh
    if size == 2:  # the commonest small component: one pair
        return float(w[0]), np.full(2, np.sqrt(0.5))
    # Each pair stored once (``upper``); the symmetric matrix is upper + upper.T, applied as an operator
    # so that tens of millions of pairs are never stored twice.
    upper = csr_matrix((np.asarray(w, dtype=float), (u, v)), shape=(size, size))
    if size <= _DENSE:
        dense = upper.toarray()
        values, vectors = np.linalg.eigh(dense + dense.T)
        value, vec = values[-1], vectors[:, -1]
    else:
        lower = upper.T
        a = LinearOperator((size, size), matvec=lambda x: upper @ x + lower @ x, dtype=float)
        # Started from all ones (positive, so never orthogonal to the Perron vector): deterministic.
        values, vectors = eigsh(a, k=1, which="LA", v0=np.ones(size), tol=0)
        value, vec = values[0], vectors[:, 0]
    vec = np.abs(vec)
    return float(value), vec / np.linalg.norm(vec)


def _eigenvector(n: int, pairs, pair_w) -> np.ndarray:
    """Eigenvector centrality of the whole undirected graph, as networkx's power iteration converges to.

    Each connected component has its own leading eigenvalue; components below the largest score 0.
    When several components share the largest eigenvalue, networkx's iteration (started from all ones)
    converges to the sum of their unit Perron vectors each weighted by its own sum; we return that,
    renormalised. A graph with no pairs scores 0 everywhere.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components
    result = np.zeros(n)
    if not len(pairs):
        return result
    pair_u, pair_v = pairs[:, 0], pairs[:, 1]
    _, membership = connected_components(csr_matrix((np.ones(len(pair_u), dtype=np.int8), (pair_u, pair_v)),
                                                    shape=(n, n)), directed=False)
    strength = np.bincount(pair_u, weights=pair_w, minlength=n) + np.bincount(pair_v, weights=pair_w, minlength=n)
    edge_comp = membership[pair_u]
    ncomp = membership.max() + 1
    # Perron bounds: heaviest edge <= leading eigenvalue <= largest weighted degree in the component.
    upper = np.zeros(ncomp)
    np.maximum.at(upper, membership, strength)
    lower = np.zeros(ncomp)
    np.maximum.at(lower, edge_comp, pair_w)
    node_order = np.argsort(membership, kind="stable")
    node_cut = np.searchsorted(membership[node_order], np.arange(ncomp + 1))
    local = np.zeros(n, dtype=np.int32 if n < 2**31 else np.int64)
    best, found = lower.max(), []
    for comp in np.argsort(-upper, kind="stable"):
        if upper[comp] == 0 or upper[comp] < best * (1 - _TIE):
            break
        members = node_order[node_cut[comp]:node_cut[comp + 1]]  # sorted: argsort is stable
        mine = slice(None) if len(members) == n else np.flatnonzero(edge_comp == comp)
        local[members] = np.arange(len(members))
        value, vec = _leading(len(members), local[pair_u[mine]], local[pair_v[mine]], pair_w[mine])
        found.append((value, members, vec))
        best = max(best, value)
    for value, members, vec in found:
        if value >= best * (1 - _TIE):
            result[members] = vec * vec.sum()
    return result / np.linalg.norm(result)


def centrality_table(view, metrics: list[str] | None = None, progress=SILENT, pairs=None,
                     betweenness_settings: BetweennessSettings = BetweennessSettings()) -> pd.DataFrame:
    """One row per actor of ``view`` (isolated ones included): ``label``, ``kind`` and each metric.

    ``metrics`` defaults to ``DEFAULT_METRICS``; names are checked (``all`` expands to every metric).
    Every metric reads the view's pair table (``pairs``, aggregated here when the caller has none), so
    a view whose events stay in an engine (a Parquet store) is ranked the same way. When betweenness
    is computed, ``table.attrs["betweenness"]`` says how (``Betweenness.summary``: exact, or estimated
    with its bound).
    """
    from graph.view.pairs import pair_table

    chosen = check_metrics(metrics) if metrics else list(DEFAULT_METRICS)
    n = len(view.nodes)
    if pairs is None:
        pairs = pair_table(view)
    table = pd.DataFrame({"label": view.nodes["label"].to_numpy(), "kind": view.nodes["kind"].to_numpy()},
                         index=view.nodes.index.copy())
    table.index.name = "id"
    values = {}
    # Arcs serve betweenness and PageRank, unordered pairs eigenvector centrality: each is fetched when
    # first needed and dropped after its last use (at GDELT scale each holds tens of millions of pairs).
    on_arcs = [m for m in ("betweenness", "pagerank") if m in chosen]
    if on_arcs:
        arcs, arc_w = pairs.arcs()
        for name in on_arcs:
            if name == "betweenness":
                result = betweenness(n, arcs, betweenness_settings, progress)
                values[name] = result.values
                table.attrs["betweenness"] = result.summary()
            else:
                values[name] = _pagerank(n, arcs, arc_w)
        del arcs, arc_w
    if "eigenvector" in chosen:
        pair_uv, pair_w = pairs.undirected()
        values["eigenvector"] = _eigenvector(n, pair_uv, pair_w)
        del pair_uv, pair_w
    for name in chosen:
        if name in _COUNTS:
            table[name] = np.rint(_counts(pairs, name)).astype(np.int64)
        elif name in _SUMS:
            table[name] = _weight_sums(pairs, name)
        else:
            table[name] = values[name]
    return table


def ranked(table: pd.DataFrame, sort: str, top: int | None = None) -> pd.DataFrame:
    """Rows sorted by ``sort`` (highest first, ties by id), cut to the first ``top``."""
    if sort not in table.columns or sort in ("label", "kind"):
        raise ActorgraphError(f"cannot sort by '{sort}'{suggest(sort, list(METRICS))}; "
                              "sort by one of the metrics in the report")
    if top is not None and top < 1:
        raise ActorgraphError("--top must be a positive number of actors")
    order = table.assign(_id=table.index).sort_values([sort, "_id"], ascending=[False, True], kind="stable")
    order = order.drop(columns="_id")
    return order.head(top) if top else order


def ranks(table: pd.DataFrame) -> pd.DataFrame:
    """Each metric column as a rank (1 = highest; tied actors share the best rank)."""
    metrics = [c for c in table.columns if c in METRICS]
    return table[metrics].rank(method="min", ascending=False).astype(np.int64)
