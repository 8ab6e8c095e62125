"""Heuristic correlation clustering for signed graphs too large (or too slow) to solve exactly.

Minimising frustration is the same as maximising ``S``, the summed signed tie inside clusters (the
frustration is the total cooperative weight minus ``S``). Each restart starts from a different
partition, improves it, and the best ``S`` wins:

- starts: igraph's Leiden algorithm with the CPM quality at resolution 0 (whose quality is exactly
  ``S``; it moves nodes, refines and aggregates), each restart with its own seeded random generator,
  and a signed spectral start (nodes grouped by the sign pattern of the leading eigenvectors of the
  signed adjacency matrix);
- improvement: vectorised node moves (every node computes its best cluster from one sparse product;
  an independent set of improving nodes moves at once, so every round strictly raises ``S``), then
  greedy merging of cluster pairs joined by positive total weight, repeated until nothing improves;
- a cap of K clusters is met by greedily merging the pair with the largest joining weight, then node
  moves restricted to the K clusters (starts that already have at most K clusters go straight there);
- finally an iterated local search from the best partition: move a random 5% of the nodes, polish,
  keep the result when it is better (more rounds on smaller graphs).

Big graphs (more than ``_BIG`` nonzeros) get a lighter search: two Leiden restarts instead of four,
each Leiden run stops at the first iteration that leaves the partition unchanged (at most eight), and
Leiden, not node moves alone, polishes the spectral start (node moves move an independent set per
round, which takes many rounds on a dense graph).

Everything is seeded, so the same input and seed give the same partition.
"""

from __future__ import annotations

import random

import igraph
import numpy as np
from scipy.sparse import csr_matrix, issparse, triu
from scipy.sparse.linalg import ArpackNoConvergence, eigsh

_TOL = 1e-9
_MAX_ROUNDS = 300
# Leiden iterations per call: "until stable" (-1) can cycle forever when weights are negative.
_LEIDEN_ITERATIONS = 8
# Graphs with more nonzeros than this (each tie counted both ways) get the lighter search.
_BIG = 200_000
# local_moves works on a dense node x cluster table when it has at most this many cells.
_DENSE_CELLS = 4_000_000


def score(a: csr_matrix, labels: np.ndarray) -> float:
    """``S``: the summed signed tie inside clusters (each pair once)."""
    rows = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
    same = labels[rows] == labels[a.indices]
    return float(a.data[same].sum() / 2.0)


def _compact(labels: np.ndarray) -> np.ndarray:
    return np.unique(labels, return_inverse=True)[1].astype(np.int64)


def _row_reduce(values: np.ndarray, indptr: np.ndarray, fill: float, op) -> np.ndarray:
    out = np.full(len(indptr) - 1, fill, dtype=float)
    nonempty = np.flatnonzero(np.diff(indptr) > 0)
    if len(nonempty) and len(values):
        out[nonempty] = op.reduceat(values, indptr[nonempty])
    return out


def _best_other(a: csr_matrix, labels: np.ndarray, c: int) -> tuple[np.ndarray, np.ndarray]:
    """For each node, the largest total tie to another cluster it has a nonzero tie to (-inf: none)
    and that cluster (the smallest label among the largest, within the tolerance; inf: none)."""
    n = a.shape[0]
    if n * c <= _DENSE_CELLS:  # few clusters: a dense n x c product is faster than a sparse one
        onehot = np.zeros((n, c))
        onehot[np.arange(n), labels] = 1.0
        m = a @ onehot  # summed in the same order as the sparse product, so the same floats
        other = m != 0  # the sparse product keeps exactly the nonzero sums
        other[np.arange(n), labels] = False
        vals = np.where(other, m, -np.inf)
        best = vals.max(axis=1)
        is_best = other & (vals >= best[:, None] - _TOL)
        target = np.where(is_best.any(axis=1), is_best.argmax(axis=1), np.inf)
        return best, target
    z = csr_matrix((np.ones(n), (np.arange(n), labels)), shape=(n, c))
    m = (a @ z).tocsr()
    m.sum_duplicates()
    m_rows = np.repeat(np.arange(n), np.diff(m.indptr))
    # best other cluster: largest weight, then smallest label
    other = m.indices != labels[m_rows]
    vals = np.where(other, m.data, -np.inf)
    best = _row_reduce(vals, m.indptr, -np.inf, np.maximum)
    is_best = other & (vals >= best[m_rows] - _TOL)
    target = _row_reduce(np.where(is_best, m.indices.astype(float), np.inf), m.indptr, np.inf, np.minimum)
    return best, target


def local_moves(a: csr_matrix, labels: np.ndarray, k_max: int | None, rng: np.random.Generator) -> np.ndarray:
    """Move nodes to their best cluster until no single move raises ``S``."""
    n = a.shape[0]
    labels = _compact(labels)
    rows = np.repeat(np.arange(n), np.diff(a.indptr))
    for _ in range(_MAX_ROUNDS):
        c = int(labels.max()) + 1
        same = labels[rows] == labels[a.indices]
        current = np.bincount(rows, weights=a.data * same, minlength=n)
        best, target = _best_other(a, labels, c)
        # leaving for a cluster of one (value 0) when the cap allows another cluster
        can_open = k_max is None or c < k_max
        if can_open:
            alone = best < 0.0
            best = np.where(alone, 0.0, best)
            target = np.where(alone, -1.0, target)
        gain = best - current
        cand = (gain > 1e-9) & np.isfinite(best)
        if can_open and k_max is not None:
            opening = np.flatnonzero(cand & (target < 0))
            if len(opening) > k_max - c:
                drop = opening[np.argsort(-gain[opening], kind="stable")][k_max - c:]
                cand[drop] = False
        if not cand.any():
            break
        priority = np.where(cand, gain + rng.random(n) * 1e-12, -np.inf)
        neighbour = _row_reduce(priority[a.indices], a.indptr, -np.inf, np.maximum)
        chosen = np.flatnonzero(cand & (priority > neighbour))
        new = target[chosen].astype(np.int64)
        opened = new < 0
        new[opened] = c + np.arange(int(opened.sum()))
        labels = labels.copy()
        labels[chosen] = new
        labels = _compact(labels)
    return labels


def _cluster_weights(a: csr_matrix, labels: np.ndarray) -> np.ndarray:
    c = int(labels.max()) + 1
    z = csr_matrix((np.ones(len(labels)), (np.arange(len(labels)), labels)), shape=(len(labels), c))
    return (z.T @ a @ z).toarray()


def merge(a: csr_matrix, labels: np.ndarray, k_max: int | None) -> np.ndarray:
    """Greedily merge the cluster pair with the largest joining weight while it is positive, and
    beyond that (whatever its sign) until at most ``k_max`` clusters remain."""
    labels = _compact(labels)
    return _merge_table(_cluster_weights(a, labels), labels, k_max)


def _merge_table(w: np.ndarray, labels: np.ndarray, k_max: int | None) -> np.ndarray:
    """``merge`` on the cluster x cluster table of summed ties ``w`` (changed in place) of the
    compact ``labels``."""
    alive = np.ones(len(w), dtype=bool)
    parent = np.arange(len(w))
    np.fill_diagonal(w, -np.inf)
    while alive.sum() > 1:
        i, j = np.unravel_index(int(np.argmax(w)), w.shape)
        if w[i, j] <= _TOL and (k_max is None or alive.sum() <= k_max):
            break
        i, j = min(i, j), max(i, j)
        w[i, :] += w[j, :]
        w[:, i] += w[:, j]
        w[i, i] = -np.inf
        w[j, :] = -np.inf
        w[:, j] = -np.inf
        alive[j] = False
        parent[parent == j] = i
    return _compact(parent[labels])


class _Leiden:
    """igraph's Leiden (CPM, resolution 0) on one fixed graph, built once.

    ``settle``: run the iterations one call at a time (the same random stream, so the same result
    as one call) and stop at the first that leaves the partition unchanged, instead of always
    running all of them (used on big graphs, where each iteration is a pass over every tie)."""

    def __init__(self, a: csr_matrix | None, settle: bool = False):
        self.settle = settle
        if a is not None:
            upper = triu(a, k=1).tocoo()
            # a list of pairs: igraph reads it faster than a numpy array
            self.graph = igraph.Graph(n=a.shape[0], edges=list(zip(upper.row.tolist(), upper.col.tolist())))
            self.weights = upper.data  # igraph reads the array as fast as a list, at a quarter of its memory

    @classmethod
    def of_ties(cls, n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, settle: bool = True) -> _Leiden:
        """Leiden on the ties ``(u, v, w)``, the graph built half a million ties at a time (a list of
        pairs per chunk: as fast as one list, a fraction of its memory)."""
        leiden = cls(None, settle)
        leiden.graph = igraph.Graph(n=n)
        for lo in range(0, len(u), 500_000):
            leiden.graph.add_edges(list(zip(u[lo:lo + 500_000].tolist(), v[lo:lo + 500_000].tolist())))
        leiden.weights = w
        return leiden

    def __call__(self, seed: int, initial: np.ndarray | None = None) -> np.ndarray:
        igraph.set_random_number_generator(random.Random(seed))
        membership = None if initial is None else initial.tolist()
        try:
            for _ in range(_LEIDEN_ITERATIONS if self.settle else 1):
                before = membership
                membership = self.graph.community_leiden(
                    objective_function="CPM", weights=self.weights, resolution=0,
                    n_iterations=1 if self.settle else _LEIDEN_ITERATIONS, initial_membership=membership).membership
                if membership == before:
                    break
        finally:
            igraph.set_random_number_generator(random)
        return np.asarray(membership, dtype=np.int64)


def _spectral(a, k: int, seed: int) -> np.ndarray:
    """Group nodes by the strongest signed coordinate among the leading eigenvectors of ``a`` (a
    sparse matrix or a LinearOperator)."""
    n = a.shape[0]
    k = max(1, min(k, n - 2))
    if n < 4:
        return np.zeros(n, dtype=np.int64)
    v0 = np.random.default_rng(seed).random(n)
    try:
        _, vecs = eigsh(a.astype(float) if issparse(a) else a, k=k, which="LA", v0=v0, maxiter=5000)
    except ArpackNoConvergence:  # the other starts still run
        return np.zeros(n, dtype=np.int64)
    vecs = vecs * np.where(vecs[np.abs(vecs).argmax(axis=0), np.arange(k)] < 0, -1.0, 1.0)
    j = np.abs(vecs).argmax(axis=1)
    return 2 * j + (vecs[np.arange(n), j] < 0)


def coarse_moves(a: csr_matrix, labels: np.ndarray, fine: np.ndarray, k_max: int | None,
                 rng: np.random.Generator) -> np.ndarray:
    """Move whole groups of a finer partition (each group of ``fine`` cut by ``labels``) between
    clusters, then polish node by node."""
    groups = _compact(fine * (int(labels.max()) + 1) + labels)
    g = int(groups.max()) + 1
    z = csr_matrix((np.ones(len(groups)), (np.arange(len(groups)), groups)), shape=(len(groups), g))
    coarse = (z.T @ a @ z).tocsr()
    coarse.setdiag(0)
    coarse.eliminate_zeros()
    start = np.zeros(g, dtype=np.int64)
    start[groups] = labels
    moved = local_moves(coarse, start, k_max, rng)
    return local_moves(a, moved[groups], k_max, rng)


def _kick(a: csr_matrix, labels: np.ndarray, k_max: int | None, rng: np.random.Generator,
          rounds: int, fine: np.ndarray, leiden: _Leiden) -> np.ndarray:
    """Iterated local search: move a random 5% of the nodes to random clusters, polish with node
    moves, keep the result when ``S`` rises."""
    best, best_score = labels, score(a, labels)
    for _ in range(rounds):
        c = int(best.max()) + 1
        trial = best.copy()
        picked = rng.random(len(trial)) < 0.05
        trial[picked] = rng.integers(0, max(c, 2) if k_max is None else min(max(c, 2), k_max), int(picked.sum()))
        if k_max is None:
            trial = merge(a, local_moves(a, leiden(int(rng.integers(1 << 30)), trial), None, rng), None)
        else:
            trial = coarse_moves(a, local_moves(a, trial, k_max, rng), fine, k_max, rng)
        s = score(a, trial)
        if s > best_score + _TOL:
            best, best_score = trial, s
    return best


def heuristic(a: csr_matrix, k_max: int | None = None, seed: int = 0, restarts: int = 4) -> np.ndarray:
    """Best partition found over the restarts (labels ``0..k-1``) of the symmetric signed matrix ``a``."""
    n = a.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    a = csr_matrix(a, dtype=float, copy=True)
    a.setdiag(0)
    a.eliminate_zeros()
    big = a.nnz > _BIG
    leiden = _Leiden(a, settle=big)
    if big:  # big graphs: fewer restarts, and Leiden stops once settled
        restarts = min(restarts, 2)
    starts = [lambda r=r: leiden(seed * 7919 + r) for r in range(restarts)]
    # Spectral starts; on big graphs Leiden polishes them (node moves alone take many rounds there).
    for k in [k_max or 4] + ([1] if k_max == 2 else []):
        starts.append(lambda k=k: leiden(seed * 7919 + restarts + k, _spectral(a, k, seed)) if big
                      else _spectral(a, k, seed))
    best, best_score, fine = None, -np.inf, None
    for i, start in enumerate(starts):
        rng = np.random.default_rng(seed * 104729 + i)
        labels = _compact(start())
        if k_max is not None and labels.max() + 1 <= k_max:
            labels = local_moves(a, labels, k_max, rng)
        else:
            for _ in range(20):
                before = score(a, labels)
                labels = merge(a, local_moves(a, labels, None, rng), None)
                if score(a, labels) <= before + _TOL:
                    break
            if fine is None or score(a, labels) > score(a, fine):
                fine = labels
            if k_max is not None and labels.max() + 1 > k_max:
                labels = local_moves(a, merge(a, labels, k_max), k_max, rng)
        if k_max is not None and fine is not None:
            labels = coarse_moves(a, labels, fine, k_max, rng)
        s = score(a, labels)
        if s > best_score + _TOL:
            best, best_score = labels, s
    if fine is None:
        fine = best
    rounds = int(min(200 if k_max else 60, 4 * n + 3, max(3, 2e6 / max(a.nnz, 1))))
    return _compact(_kick(a, best, k_max, np.random.default_rng(seed), rounds, fine, leiden))
