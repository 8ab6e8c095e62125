"""Triangle balance: the share of triangles of signed ties whose sign product is positive.

Counted exactly by sparse products while that is cheap; past ``EXACT_WORK`` (the number of entries
the products would compute: 5.7e10 on a 20,000-actor graph with 40 million ties, most of an hour)
it is estimated from ``SAMPLED_TIES`` ties drawn uniformly at random.

The estimate. Every triangle has three ties, so with ``t_e`` the triangles through tie e and ``b_e``
the balanced ones, T = sum(t_e) / 3 and B = sum(b_e) / 3 over the m ties. For K ties drawn uniformly
with replacement, m/(3K) sum(t_e) and m/(3K) sum(b_e) are unbiased estimates of T and B, and the
balanced share B/T is estimated by the ratio sum(b_e) / sum(t_e). Its 95% interval is the ratio
estimator's normal interval (Cochran 1977, ch. 6): half-width 1.96 * s / (mean(t_e) * sqrt(K)), s the
sample standard deviation of b_e - ratio * t_e; with K in the tens of thousands the central limit
theorem makes it accurate (tests/test_triangle_estimate.py checks its coverage against exact counts).
A tie's triangles are its two ends' common neighbours, found by marking one end's neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

#: Above this many entries of the sparse products, triangles are estimated. The exact count on
#: scripts/bench's 10,000-actor graph (819,148 ties) computes 6.6e7 of them in 2.6 s on a busy 2-core
#: machine, so the limit means at most about 12 s there, run beside the solver.
EXACT_WORK = 300_000_000
#: Ties drawn for the estimate.
SAMPLED_TIES = 20_000
_Z95 = 1.959963984540054
_CHUNK = 4_000_000


@dataclass(frozen=True)
class TriangleBalance:
    """``triangles`` and ``balanced`` (exact, or rounded estimates when ``sampled`` ties > 0);
    ``share`` the balanced share (None without triangles) and ``margin`` its 95% half-width (0 when exact)."""

    triangles: int
    balanced: int
    share: float | None
    margin: float = 0.0
    sampled: int = 0


def _rank(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Each actor's rank by degree (fewest ties first, then position)."""
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    return rank


def product_work(n: int, u: np.ndarray, v: np.ndarray) -> int:
    """Entries the exact count's sparse products compute: over ties a -> b oriented by rank, the
    out-degree of b."""
    if not len(u):
        return 0
    rank = _rank(n, u, v)
    out = np.zeros(n, dtype=np.int64)
    for i in range(0, len(u), _CHUNK):  # chunks: no tie-sized temporaries on big graphs
        a, b = u[i:i + _CHUNK], v[i:i + _CHUNK]
        out += np.bincount(np.where(rank[a] < rank[b], a, b), minlength=n)
    return sum(int(out[np.where(rank[a] < rank[b], b, a)].sum(dtype=np.int64))
               for a, b in ((u[i:i + _CHUNK], v[i:i + _CHUNK]) for i in range(0, len(u), _CHUNK)))


def triangle_counts(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[int, int]:
    """``(triangles, balanced)`` over triangles whose three ties are nonzero.

    With L the sign matrix with each tie oriented from its lower-ranked end to its higher-ranked
    one, every triangle a < b < c (by rank) appears once in sum(|L| * (|L| @ |L|)), and
    sum(L * (L @ L)) is balanced minus unbalanced. Ranking by degree (fewest ties first) keeps every
    row of L short, so the products stay small even when a few actors have thousands of ties.
    Summed row block by row block to bound memory.
    """
    if not len(u):
        return 0, 0
    rank = _rank(n, u, v)
    low = rank[u] < rank[v]
    s = csr_matrix((np.sign(w).astype(np.float32), (np.where(low, u, v), np.where(low, v, u))), shape=(n, n))
    pattern = abs(s)
    total = signed = 0.0
    out = np.diff(s.indptr)
    # entries of one row of the product: the out-degrees of the row's out-neighbours
    reach = np.bincount(np.repeat(np.arange(n), out), weights=out[s.indices], minlength=n)
    bounds = np.searchsorted(np.cumsum(reach), np.arange(0, int(reach.sum()) + 1, 8_000_000)[1:], side="right")
    for start, stop in zip(np.r_[0, bounds], np.r_[bounds, n]):
        if stop > start:
            block = slice(int(start), int(stop))
            total += float(pattern[block].multiply(pattern[block] @ pattern).sum(dtype=np.float64))
            signed += float(s[block].multiply(s[block] @ s).sum(dtype=np.float64))
    return int(round(total)), int(round((total + signed) / 2))


def triangle_balance(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int = 0,
                     exact_work: int = EXACT_WORK, samples: int = SAMPLED_TIES) -> TriangleBalance:
    """The triangle balance of the ties ``u < v`` (sorted by (u, v)) with nonzero weights ``w``:
    exact when the sparse products compute at most ``exact_work`` entries, else estimated from
    ``samples`` ties drawn with the seeded generator."""
    if len(u) and product_work(n, u, v) > exact_work:
        return estimate_triangle_balance(n, u, v, w, samples, seed)
    total, balanced = triangle_counts(n, u, v, w)
    return TriangleBalance(total, balanced, balanced / total if total else None)


def estimate_triangle_balance(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, samples: int,
                              seed: int = 0) -> TriangleBalance:
    """Triangles and the balanced share estimated from ``samples`` ties drawn uniformly with
    replacement (see the module's docstring for the estimators and the 95% interval)."""
    m = len(u)
    sign = np.sign(w).astype(np.int8)
    indptr = np.zeros(n + 1, dtype=v.dtype if m < 2 ** 31 else np.int64)  # v's dtype: scipy keeps v uncopied
    indptr[1:] = np.cumsum(np.bincount(u, minlength=n))
    above = csr_matrix((sign, v, indptr), shape=(n, n))  # row x: ties (x, y > x); shares v and the signs
    below = above.tocsc()  # column x: ties (y < x, x)
    mark = np.zeros(n, dtype=np.int8)

    def neighbours(x):
        lo, hi = above.indptr[x], above.indptr[x + 1]
        blo, bhi = below.indptr[x], below.indptr[x + 1]
        return (np.concatenate([above.indices[lo:hi], below.indices[blo:bhi]]),
                np.concatenate([above.data[lo:hi], below.data[blo:bhi]]))

    picked = np.random.default_rng(seed).integers(0, m, samples)
    t = np.zeros(samples)
    b = np.zeros(samples)
    for k, e in enumerate(picked.tolist()):
        a_nb, a_sign = neighbours(int(u[e]))
        b_nb, b_sign = neighbours(int(v[e]))
        mark[a_nb] = a_sign
        product = mark[b_nb].astype(np.int64) * b_sign * int(sign[e])
        mark[a_nb] = 0
        t[k] = np.count_nonzero(product)
        b[k] = np.count_nonzero(product > 0)
    scale = m / (3.0 * samples)
    triangles, balanced = int(round(scale * t.sum())), int(round(scale * b.sum()))
    if not t.sum():
        return TriangleBalance(triangles, balanced, None, 0.0, samples)
    share = float(b.sum() / t.sum())
    spread = float(np.std(b - share * t, ddof=1)) if samples > 1 else 0.0
    margin = float(_Z95 * spread / (float(t.mean()) * np.sqrt(samples)))
    return TriangleBalance(triangles, balanced, share, margin, samples)
