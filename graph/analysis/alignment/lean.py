"""The heuristic on tie arrays, and a memory-lean search for graphs of tens of millions of ties.

``heuristic_of_ties`` takes the ties as ``u < v`` arrays sorted by (u, v). Up to ``LEAN_TIES`` ties it
builds the symmetric matrix and runs ``graph.analysis.alignment.heuristic`` (Leiden restarts, node
moves, merging, spectral start, iterated local search). Past that the symmetric matrix (twice the
ties), igraph's copy of the graph (four 64-bit integers per tie, plus the neighbour lists Leiden
builds) and the per-tie temporaries of the node moves would take several GB, so the lean search works
on the ties themselves:

- the ties are read as an upper-triangular csr matrix U that shares their arrays; A @ Z is
  U @ Z + U.T @ Z (U.T is a csc view of the same arrays), so no symmetric copy is made;
- starts: Leiden (igraph, CPM at resolution 0, as the heuristic) on a uniform sample of
  ``SAMPLED_TIES`` ties, two seeds; and the signed spectral start on the whole graph (eigsh through
  the products above);
- each start is polished on the whole graph: node moves from the dense node x cluster table A @ Z
  (all improving nodes move at once when that raises ``S``, else the better half of them, ..., else the
  single best, which always raises it), and greedy merging of clusters joined by positive weight,
  repeated until neither improves; a cap of K clusters is met by merging, then node moves within the K;
- the start whose polished partition has the largest ``S`` wins (no iterated local search).

Every step is seeded, so the same ties and seed give the same partition.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import LinearOperator

from graph.analysis.alignment.heuristic import _compact, _Leiden, _merge_table, _spectral, heuristic

#: Above this many ties the lean search runs; scripts/bench's 10,000-actor graph (819,148 ties) stays
#: on the full heuristic. Measured on generated camps: the same partitions on 1.1 and 1.5 million
#: ties, a slightly lower frustration on a near-random 0.65-million-tie graph, and at 4.2 million ties
#: the full heuristic peaks at 1.3 GB where the lean search needs 0.6 GB at 5.4 million.
LEAN_TIES = 2_000_000
#: Ties Leiden sees in the lean search (about a hundred per actor on a 20,000-actor graph).
SAMPLED_TIES = 2_000_000
#: Ties read per step by the chunked passes.
CHUNK = 4_000_000
_TOL = 1e-9
_ROUNDS = 200


def tie_chunks(m: int, size: int | None = CHUNK):
    """Slices covering ``range(m)`` ``size`` at a time (one slice when ``size`` is None)."""
    step = max(m, 1) if size is None else size
    return [slice(i, min(i + step, m)) for i in range(0, m, step)]


def heuristic_of_ties(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, k_max: int | None = None,
                      seed: int = 0) -> np.ndarray:
    """Labels ``0..k-1`` of the best partition found for ``n`` actors and the ties ``u < v`` (sorted by
    (u, v), nonzero weights ``w``)."""
    if len(u) <= LEAN_TIES:
        upper = _upper(n, u, v, w)
        return heuristic(upper + upper.T.tocsr(), k_max, seed=seed)
    return lean_heuristic(n, u, v, w, k_max, seed)


def _upper(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> csr_matrix:
    """The ties as an upper-triangular csr matrix of ``w`` (any type) sharing ``v`` and ``w`` (when their types allow)."""
    dtype = np.int32 if len(u) < 2 ** 31 and n < 2 ** 31 else np.int64
    indptr = np.zeros(n + 1, dtype=dtype)
    indptr[1:] = np.cumsum(np.bincount(u, minlength=n))
    return csr_matrix((w, v.astype(dtype, copy=False), indptr), shape=(n, n))


class _Ties:
    """The symmetric signed matrix A of the ties, through U and its transpose (shared arrays)."""

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray):
        self.n, self.u, self.v, self.w = n, u, v, w
        self.upper = _upper(n, u, v, w)
        self.lower = self.upper.T  # csc: the same arrays

    def product(self, z: np.ndarray) -> np.ndarray:
        return self.upper @ z + self.lower @ z

    def table(self, labels: np.ndarray) -> np.ndarray:
        """A @ Z: each node's total tie to each cluster (dense n x c)."""
        c = int(labels.max()) + 1
        z = np.zeros((self.n, c))
        z[np.arange(self.n), labels] = 1.0
        return self.product(z)


def _score(m: np.ndarray, labels: np.ndarray) -> float:
    return float(m[np.arange(len(labels)), labels].sum() / 2.0)


def _moves(ties: _Ties, labels: np.ndarray, k_max: int | None) -> np.ndarray:
    """Node moves on the whole graph until no single move raises ``S`` (see the module's docstring)."""
    n = ties.n
    labels = _compact(labels)
    m = ties.table(labels)
    s = _score(m, labels)
    for _ in range(_ROUNDS):
        c = m.shape[1]
        current = m[np.arange(n), labels]
        other = np.where(m != 0, m, -np.inf)
        other[np.arange(n), labels] = -np.inf
        target = other.argmax(axis=1)
        best = other[np.arange(n), target]
        if k_max is None or c < k_max:  # a cluster of its own (worth 0) when the cap allows
            alone = best < 0.0
            best, target = np.where(alone, 0.0, best), np.where(alone, c, target)
        gain = best - current
        movers = np.flatnonzero(gain > 1e-9)
        if not len(movers):
            break
        movers = movers[np.argsort(-gain[movers], kind="stable")]
        take = len(movers)
        while True:
            trial = labels.copy()
            chosen = movers[:take]
            opening = target[chosen] == c
            trial[chosen] = target[chosen]
            if opening.any():  # each node leaving alone gets a cluster of its own
                trial[chosen[opening]] = c + np.arange(int(opening.sum()))
            if k_max is not None and len(np.unique(trial)) > k_max:
                take = max(1, take // 2)
                if take == 1 and len(np.unique(trial)) > k_max:
                    return labels
                continue
            trial = _compact(trial)
            table = ties.table(trial)
            score = _score(table, trial)
            if score > s + _TOL or take == 1:
                break
            take //= 2
        if score <= s + _TOL:
            break
        labels, m, s = trial, table, score
    return labels


def _merge(ties: _Ties, labels: np.ndarray, k_max: int | None) -> np.ndarray:
    labels = _compact(labels)
    m = ties.table(labels)
    c = m.shape[1]
    z = np.zeros((ties.n, c))
    z[np.arange(ties.n), labels] = 1.0
    return _merge_table(z.T @ m, labels, k_max)


def _polish(ties: _Ties, labels: np.ndarray, k_max: int | None) -> np.ndarray:
    labels = _compact(labels)
    if k_max is not None and labels.max() + 1 > k_max:
        labels = _merge(ties, labels, k_max)
    best = _score(ties.table(labels), labels)
    for _ in range(20):
        labels = _merge(ties, _moves(ties, labels, k_max), k_max)
        s = _score(ties.table(labels), labels)
        if s <= best + _TOL:
            break
        best = s
    return labels


def _sampled_leiden(ties: _Ties, seed: int) -> np.ndarray:
    """Leiden (CPM, resolution 0, stopping once settled) on a uniform sample of the ties."""
    m = len(ties.u)
    rng = np.random.default_rng([seed, 1])
    share = min(1.0, SAMPLED_TIES / m)
    picked = np.concatenate([np.flatnonzero(rng.random(part.stop - part.start) < share) + part.start
                             for part in tie_chunks(m)])
    return _Leiden.of_ties(ties.n, ties.u[picked], ties.v[picked], ties.w[picked])(seed)


def _spectral_start(ties: _Ties, k: int, seed: int) -> np.ndarray:
    operator = LinearOperator((ties.n, ties.n), matvec=lambda x: ties.product(np.asarray(x, dtype=float).ravel()),
                              dtype=float)
    return _spectral(operator, k, seed)


def lean_heuristic(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, k_max: int | None = None,
                   seed: int = 0) -> np.ndarray:
    """The lean search (module docstring): the best polished start, labels ``0..k-1``."""
    ties = _Ties(n, u, v, w)
    starts = [lambda r=r: _sampled_leiden(ties, seed * 7919 + r) for r in range(2)]
    starts.append(lambda: _spectral_start(ties, k_max or 4, seed))
    best, best_score = None, -np.inf
    for start in starts:
        labels = _polish(ties, start(), k_max)
        s = _score(ties.table(labels), labels)
        if s > best_score + _TOL:
            best, best_score = labels, s
    return _compact(best)
