"""Betweenness of every actor on the arc graph: exact, or estimated from sampled shortest paths.

The graph is the one ``centrality`` builds: ``n`` actors and the distinct arcs ``u → v`` (an undirected
event gives both arcs), hop counts, self-loops ignored. The value of actor ``v`` is

    B(v) / ((n - 1)(n - 2)),   B(v) = sum over ordered pairs s != v != t of sigma_st(v) / sigma_st

(networkx's normalisation for directed graphs; sigma_st counts shortest s → t paths, sigma_st(v) those
through v).

* **Exact**: Brandes' algorithm (python-igraph). Its sum runs over source actors, so the sources are
  split into chunks computed by worker processes forked from this one (the graph is shared
  copy-on-write; igraph holds the GIL, so threads would not help) and the chunk sums are added in
  chunk order: the result does not depend on the number of workers beyond rounding.
* **Estimate**: Riondato–Kornaropoulos sampling (Data Min. Knowl. Disc. 30, 2016): ``r`` ordered pairs
  ``s != t`` drawn uniformly, one shortest path between them drawn uniformly (balanced bidirectional
  breadth-first search), each inner actor of the path credited ``1/r``. With

      r = ceil(c / eps_rk^2 * (floor(log2(VD - 2)) + 1 + ln(1/delta))),   c = 0.5,

  where VD bounds the number of actors on any shortest path, every actor's estimate of
  ``b(v) = B(v) / (n(n-1))`` is within ``eps_rk`` of the truth, all actors at once, with probability at
  least ``1 - delta``. Our value is ``b(v) * n / (n - 2)``, so sampling with ``eps_rk = eps (n-2)/n``
  bounds our normalised value within ``±eps``. Seeded: the same graph, bound and seed give the same
  numbers whatever the number of workers.

``method="auto"`` computes exactly up to ``EXACT_LIMIT`` and estimates above it.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import threading
from dataclasses import dataclass

import numpy as np

from graph.errors import ActorgraphError
from graph.progress import SILENT

METHODS = ("auto", "exact", "estimate")

#: ``auto`` estimates when actors x (actors + arcs) exceeds this. Brandes' algorithm costs one
#: breadth-first search per actor; on this 2-core machine the benchmark graph (10,000 actors, 1.17M
#: arcs: 1.2e10) takes about a minute single-threaded, so 1e11 is about five minutes on both cores.
EXACT_LIMIT = 1e11
#: Above this many actors, exact sources are split into chunks (progress, and processes).
SPLIT_AT = 2000
_EXACT_CHUNKS = 50
_SAMPLES_PER_CHUNK = 2000
_RK_CONSTANT = 0.5  # Riondato–Kornaropoulos' universal constant c, as they recommend


@dataclass(frozen=True)
class BetweennessSettings:
    """How to compute betweenness: ``method`` (``auto``, ``exact``, ``estimate``), the estimate's bound
    (``epsilon`` in normalised units, ``delta``), its ``seed``, and ``workers`` (default: every CPU)."""

    method: str = "auto"
    epsilon: float = 0.01
    delta: float = 0.1
    seed: int = 0
    workers: int | None = None


@dataclass(frozen=True)
class Betweenness:
    """Each actor's betweenness and how it was obtained.

    ``epsilon`` (in the normalised units of ``values``) and ``delta`` are set when ``estimated``:
    every value is within ``±epsilon`` of the exact one, all at once, with probability ``1 - delta``.
    """

    values: np.ndarray
    estimated: bool = False
    epsilon: float | None = None
    delta: float | None = None
    samples: int = 0
    seed: int | None = None

    def describe(self) -> str:
        """``exact``, or ``estimated (±0.01 with probability 0.9)``."""
        if not self.estimated:
            return "exact"
        return f"estimated (±{self.epsilon:g} with probability {1 - self.delta:g})"

    def summary(self) -> dict:
        """How the values were obtained, without them (for reports)."""
        if not self.estimated:
            return {"method": "exact"}
        return {"method": "estimate", "epsilon": self.epsilon, "delta": self.delta, "samples": self.samples,
                "seed": self.seed}


def betweenness(n: int, arcs, settings: BetweennessSettings = BetweennessSettings(),
                progress=SILENT) -> Betweenness:
    """Betweenness of actors ``0..n-1`` over ``arcs`` (an ``(m, 2)`` array of distinct ``u → v``, no loops).

    ``settings.method`` ``auto`` computes exactly while ``n * (n + m) <= EXACT_LIMIT`` and estimates
    above; raises ``ActorgraphError`` for an unknown method or a bound outside (0, 1).
    """
    s = settings
    if s.method not in METHODS:
        raise ActorgraphError(f"unknown betweenness method '{s.method}'; use one of {', '.join(METHODS)}")
    if not (0 < s.epsilon < 1 and 0 < s.delta < 1):
        raise ActorgraphError("the betweenness bound needs 0 < epsilon < 1 and 0 < delta < 1")
    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    method = s.method
    if method == "auto":
        method = "estimate" if n * (n + len(arcs)) > EXACT_LIMIT else "exact"
    if method == "exact":
        return Betweenness(exact_betweenness(n, arcs, s.workers, progress))
    values, samples = estimate_betweenness(n, arcs, s.epsilon, s.delta, s.seed, s.workers, progress)
    return Betweenness(values, True, s.epsilon, s.delta, samples, s.seed)


def default_workers() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# --- shared with forked workers -------------------------------------------------------------------

_SHARED: dict = {}  # what the worker functions read; set before forking, inherited copy-on-write
_SHARING = threading.Lock()  # one computation at a time fills _SHARED (serve computes in a thread)


@contextlib.contextmanager
def _shared(**values):
    """``_SHARED`` holds ``values`` inside the block (one block at a time)."""
    with _SHARING:
        _SHARED.update(values)
        try:
            yield
        finally:
            _SHARED.clear()


def _map_chunks(function, chunks: list, workers: int | None, done) -> list:
    """``[function(c) for c in chunks]``, in worker processes forked from this one when that helps.

    ``done(i)`` is called in the parent as the result of ``chunks[i]`` arrives (in chunk order). Fork
    is the only start method that shares ``_SHARED`` without copying it, and the only one that does
    not re-run the caller's ``__main__``; where it is missing (Windows) the chunks run here, in turn.
    """
    workers = min(workers or default_workers(), len(chunks))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for i, chunk in enumerate(chunks):
            results.append(function(chunk))
            done(i)
        return results
    results = []
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for i, result in enumerate(pool.imap(function, chunks)):
            results.append(result)
            done(i)
    return results


# --- exact ----------------------------------------------------------------------------------------

def _brandes_chunk(sources) -> np.ndarray:
    g = _SHARED["graph"]
    return np.asarray(g.betweenness(directed=True, sources=None if sources is None else sources.tolist()),
                      dtype=float)


def exact_betweenness(n: int, arcs, workers: int | None = None, progress=SILENT) -> np.ndarray:
    """Exact normalised betweenness (Brandes), sources split over ``workers`` processes."""
    import igraph as ig  # imported here: keeps CLI start-up fast

    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    if n < 3 or not len(arcs):
        return np.zeros(n)
    # python-igraph reads a list of tuples built from two flat lists 3-5x faster than a numpy array.
    g = ig.Graph(n=n, edges=list(zip(arcs[:, 0].tolist(), arcs[:, 1].tolist())), directed=True)
    with _shared(graph=g):
        if n <= SPLIT_AT:
            raw = _brandes_chunk(None)
        else:
            chunks = np.array_split(np.arange(n), _EXACT_CHUNKS)
            raw = np.zeros(n)
            with progress.task("betweenness", total=n, unit="source") as bar:
                for part in _map_chunks(_brandes_chunk, chunks, workers, lambda i: bar.update(len(chunks[i]))):
                    raw += part  # in chunk order: the same sum whatever the number of workers
    return raw / ((n - 1) * (n - 2))


# --- estimate -------------------------------------------------------------------------------------

def vertex_diameter_bound(n: int, arcs) -> int:
    """An upper bound on the number of actors on any shortest path (the vertex diameter, VD).

    A shortest path crosses the strongly connected components in the order of the condensation (it
    cannot come back into a component it left), and inside component C it visits at most
    ``ecc_in(r) + ecc_out(r) + 1`` actors for any root r in C (d(u, v) <= d(u, r) + d(r, v)). The
    bound is the heaviest path through the condensation with those weights, capped at ``n``.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    if not len(arcs):
        return min(n, 1)
    src, dst = arcs[:, 0], arcs[:, 1]
    ncomp, comp = connected_components(coo_matrix((np.ones(len(arcs)), (src, dst)), shape=(n, n)),
                                       directed=True, connection="strong")
    inside = comp[src] == comp[dst]
    # One breadth-first search from a root of every component at once, along arcs inside components
    # only (so each search stays in its own component), forward and backward.
    roots = np.full(ncomp, -1)
    roots[comp] = np.arange(n)
    eccentricity = np.zeros(ncomp, dtype=np.int64)
    for tail, head in ((src[inside], dst[inside]), (dst[inside], src[inside])):
        depth = _bfs_depths(n, _csr(n, tail, head), roots)
        np.maximum.at(eccentricity, comp, depth)
    weight = np.minimum(np.bincount(comp, minlength=ncomp), eccentricity + 1)
    return int(min(n, _heaviest_path(ncomp, comp[src[~inside]], comp[dst[~inside]], weight)))


def _bfs_depths(n: int, csr, roots: np.ndarray) -> np.ndarray:
    """Hops from the nearest of ``roots`` along the CSR's arcs (-1: not reached)."""
    ptr, idx = csr
    depth = np.full(n, -1, dtype=np.int64)
    depth[roots] = 0
    front, level = roots, 0
    while len(front):
        level += 1
        _, head = _neighbours(ptr, idx, front)
        depth[head[depth[head] < 0]] = level
        front = np.flatnonzero(depth == level)  # a linear scan: cheaper than sorting a large frontier
    return depth


def _heaviest_path(k: int, tail: np.ndarray, head: np.ndarray, weight: np.ndarray) -> int:
    """Largest total ``weight`` of the nodes on a path of the DAG ``tail → head`` over nodes 0..k-1
    (Kahn's order, one level of sources at a time)."""
    pairs = np.unique(np.column_stack([tail, head]), axis=0) if len(tail) else np.zeros((0, 2), np.int64)
    ptr, idx = _csr(k, pairs[:, 0], pairs[:, 1])
    waiting = np.bincount(pairs[:, 1], minlength=k)
    best = weight.astype(np.int64).copy()  # heaviest path ending at each node
    front = np.flatnonzero(waiting == 0)
    while len(front):
        tails, heads = _neighbours(ptr, idx, front)
        reach = best[tails] + weight[heads]
        np.maximum.at(best, heads, reach)
        np.subtract.at(waiting, heads, 1)
        heads = np.unique(heads)
        front = heads[waiting[heads] == 0]
    return int(best.max())


def sample_size(vertex_diameter: int, epsilon: float, delta: float) -> int:
    """Riondato–Kornaropoulos' number of sampled paths for an additive error ``epsilon`` on
    ``B(v) / (n(n-1))`` with probability ``1 - delta`` (0 when no shortest path has an inner actor)."""
    if vertex_diameter < 3:
        return 0
    bits = math.floor(math.log2(vertex_diameter - 2)) + 1
    return math.ceil(_RK_CONSTANT / epsilon ** 2 * (bits + math.log(1 / delta)))


def _csr(n: int, tail: np.ndarray, head: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour lists ``head[...]`` of each ``tail`` as (pointers, indices)."""
    order = np.argsort(tail, kind="stable")
    return np.searchsorted(tail[order], np.arange(n + 1)), head[order]


def _neighbours(ptr, idx, nodes):
    """Every arc out of ``nodes`` in a CSR: (the node it leaves, the node it reaches)."""
    starts, lens = ptr[nodes], ptr[nodes + 1] - ptr[nodes]
    total = int(lens.sum())
    offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
    return np.repeat(nodes, lens), idx[offsets]


def _walk_back(node, dist, sigma, ptr, idx, rng, path):
    """Append to ``path`` the actors of a uniformly drawn shortest path from ``node`` back to its
    search's root (root excluded): each step picks a neighbour one level closer, weighted by sigma."""
    while dist[node] > 0:
        path.append(node)
        nbr = idx[ptr[node]:ptr[node + 1]]
        nbr = nbr[dist[nbr] == dist[node] - 1]
        weights = np.cumsum(sigma[nbr])
        node = nbr[min(np.searchsorted(weights, rng.random() * weights[-1], side="right"), len(nbr) - 1)]


def _sample_path(s: int, t: int, out_csr, in_csr, state, rng) -> list[int]:
    """Inner actors of one shortest s → t path drawn uniformly (empty when t is unreachable).

    Balanced bidirectional search: the side whose frontier has fewer arcs to follow grows by one
    level. The first level at which the two sides touch holds every crossing arc x → y of a shortest
    path (x at distance a from s, y at distance b from t, a + b + 1 the distance); the arc is drawn
    with weight sigma_s(x) * sigma_t(y), then each half is walked back uniformly.
    """
    dist_f, dist_b, sig_f, sig_b = state
    dist_f[s], sig_f[s], dist_b[t], sig_b[t] = 0, 1.0, 0, 1.0
    front_f, front_b = np.array([s]), np.array([t])
    seen_f, seen_b = [front_f], [front_b]
    inner: list[int] = []
    (out_ptr, out_idx), (in_ptr, in_idx) = out_csr, in_csr
    while len(front_f) and len(front_b):
        cost_f = (out_ptr[front_f + 1] - out_ptr[front_f]).sum()
        cost_b = (in_ptr[front_b + 1] - in_ptr[front_b]).sum()
        forward = cost_f <= cost_b
        if forward:
            ptr, idx, front, dist, sig, other = out_ptr, out_idx, front_f, dist_f, sig_f, dist_b
        else:
            ptr, idx, front, dist, sig, other = in_ptr, in_idx, front_b, dist_b, sig_b, dist_f
        tail, head = _neighbours(ptr, idx, front)
        meet = other[head] >= 0
        if meet.any():
            x, y = tail[meet], head[meet]
            if not forward:
                x, y = y, x  # x on s's side, y on t's side: the arc x → y
            weights = np.cumsum(sig_f[x] * sig_b[y])
            k = min(np.searchsorted(weights, rng.random() * weights[-1], side="right"), len(x) - 1)
            _walk_back(x[k], dist_f, sig_f, in_ptr, in_idx, rng, inner)
            _walk_back(y[k], dist_b, sig_b, out_ptr, out_idx, rng, inner)
            break
        new = dist[head] < 0
        reached, which = np.unique(head[new], return_inverse=True)
        sig[reached] = np.bincount(which, weights=sig[tail[new]], minlength=len(reached))
        dist[reached] = dist[front[0]] + 1
        if forward:
            front_f = reached
            seen_f.append(reached)
        else:
            front_b = reached
            seen_b.append(reached)
    for seen, dist in ((seen_f, dist_f), (seen_b, dist_b)):
        dist[np.concatenate(seen)] = -1  # reset what this sample touched (sigma is rewritten on reach)
    return inner


def _sample_chunk(job) -> np.ndarray:
    """Credits of one chunk of samples: (number of samples, its seed sequence) -> counts per actor."""
    count, seed = job
    n, out_csr, in_csr = _SHARED["n"], _SHARED["out"], _SHARED["back"]
    rng = np.random.default_rng(seed)
    sources = rng.integers(n, size=count)
    targets = rng.integers(n - 1, size=count)
    targets += targets >= sources  # uniform over t != s
    state = (np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64), np.zeros(n), np.zeros(n))
    credits = np.zeros(n)
    for s, t in zip(sources.tolist(), targets.tolist()):
        inner = _sample_path(s, t, out_csr, in_csr, state, rng)
        credits[inner] += 1.0  # a path visits an actor once
    return credits


def estimate_betweenness(n: int, arcs, epsilon: float = 0.01, delta: float = 0.1, seed: int = 0,
                         workers: int | None = None, progress=SILENT) -> tuple[np.ndarray, int]:
    """Normalised betweenness within ``±epsilon`` of the exact value for every actor at once, with
    probability ``1 - delta`` (Riondato–Kornaropoulos); returns the values and the number of paths drawn."""
    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    if n < 3 or not len(arcs):
        return np.zeros(n), 0
    r = sample_size(vertex_diameter_bound(n, arcs), epsilon * (n - 2) / n, delta)
    if r == 0:
        return np.zeros(n), 0
    sizes = np.diff(np.append(np.arange(0, r, _SAMPLES_PER_CHUNK), r)).tolist()  # fixed chunks: seeded
    jobs = list(zip(sizes, np.random.SeedSequence(seed).spawn(len(sizes))))
    out_csr, in_csr = _csr(n, arcs[:, 0], arcs[:, 1]), _csr(n, arcs[:, 1], arcs[:, 0])
    with _shared(n=n, out=out_csr, back=in_csr), progress.task("betweenness (estimate)", total=r,
                                                                unit="path") as bar:
        credits = sum(_map_chunks(_sample_chunk, jobs, workers, lambda i: bar.update(sizes[i])), np.zeros(n))
    # credits / r estimates B(v) / (n(n-1)); times n(n-1) / ((n-1)(n-2)) = n / (n-2) in our units.
    return credits / r * n / (n - 2), r
