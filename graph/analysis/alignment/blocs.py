"""Alignment clusters: structural balance by correlation clustering, and realignment between periods.

A signed graph (``graph.view.select.signed_graph``) is split into clusters so that cooperation falls
inside clusters and hostility between them. The *frustration* of a partition is the total |tie| of
hostile ties inside clusters plus cooperative ties between clusters (Cartwright & Harary 1956; Davis
1967; Doreian & Mrvar 1996; with at most two clusters it is the frustration index / line index of
balance, Harary 1959, Aref et al. 2018). ``alignment_clusters`` minimises it exactly by integer
programming where it can (``graph.analysis.alignment.exact``) and heuristically otherwise (``graph.analysis.alignment.heuristic``).

Conventions: only ties with a nonzero weight count; actors without one are *unaligned* and are in no
cluster. With a free number of clusters, groups that no tie joins are not merged (nothing in the data
puts them together), so each cluster is connected by its ties. A cluster of one actor is not a bloc:
such actors *stand apart* (``Alignment.apart``) and ``clusters`` holds the blocs of two or more.

How many blocs. ``max_clusters`` caps them (at most K); otherwise ``tolerance`` None gives the free
optimum (any number of clusters), and a ``tolerance`` t gives, in each connected part, the fewest
clusters whose best partition frustrates at most t x (the part's total |tie|) more than the free
optimum; members left with no cooperative tie inside their cluster then stand apart (which never adds
frustration). The free optimum alone splits off every actor held only by hostility, which is why the
command line defaults to a small tolerance.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from graph.analysis.alignment.exact import ExactResult, frustration_of, solve
from graph.analysis.alignment.lean import _upper, heuristic_of_ties, tie_chunks
from graph.analysis.alignment.triangles import TriangleBalance, triangle_balance, triangle_counts  # noqa: F401
from graph.errors import ActorgraphError

#: Components larger than this go straight to the heuristic (the exact solver would not finish).
EXACT_MAX_NODES = 400
EXACT_MAX_TIES = 20000


def _no_ties() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass
class Alignment:
    """A partition of the aligned actors into clusters and what holds it together.

    ``clusters`` are largest first (ties broken by their sorted members), members sorted;
    ``cluster_of`` maps each aligned actor to its 1-based cluster id. ``lower_bound`` is the best proven
    lower bound on the frustration (equal to it when ``method == "exact"``). ``triangle_balance`` is the
    share of triangles whose three ties are nonzero that are balanced (product of signs positive),
    ``None`` when there are none; on big graphs it is estimated from ``triangle_samples`` sampled ties,
    within ``triangle_margin`` (95%), and ``triangles``/``balanced_triangles`` are estimates.

    The ties stay arrays (``nodes`` the actor ids sorted, ``tie_u < tie_v`` positions, ``tie_w``
    weights, ``labels`` each actor's partition label): ``frustrated(limit)``, ``support_table(limit)``
    and the counts read them without a Python object per tie. The list views ``frustrated_ties``
    (``(u, v, weight)``, largest |weight| first), ``support[actor]`` (``(other, weight)`` for the ties
    that hold the actor in its cluster: cooperative inside, hostile across; strongest first) and
    ``ties`` are built on first use, for small graphs.
    """

    method: str
    frustration: float
    frustration_share: float
    lower_bound: float
    total_weight: float
    clusters: list[list[str]]
    cluster_of: dict[str, int]
    unaligned: list[str]
    triangle_balance: float | None
    triangles: int = 0
    balanced_triangles: int = 0
    max_clusters: int | None = None
    solve_seconds: float = 0.0
    #: ``names[k - 1]`` is the display name of cluster k ("Azerbaijan's bloc"), after its most central
    #: member (``bloc_names``).
    names: list[str] = field(default_factory=list)
    #: Aligned actors that stand apart (a cluster of their own), reported separately from real blocs.
    apart: list[str] = field(default_factory=list)
    #: The rule for the number of blocs: the tolerance (share of total |tie|) over the free optimum,
    #: None for the free optimum itself or a cap; and the free optimum's frustration when computed.
    tolerance: float | None = None
    free_frustration: float | None = None
    triangle_margin: float = 0.0
    triangle_samples: int = 0
    nodes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object), repr=False, compare=False)
    tie_u: np.ndarray = field(default_factory=_no_ties, repr=False, compare=False)
    tie_v: np.ndarray = field(default_factory=_no_ties, repr=False, compare=False)
    tie_w: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False, compare=False)
    labels: np.ndarray = field(default_factory=_no_ties, repr=False, compare=False)

    def without_ties(self, **changes) -> Alignment:
        """A copy with ``changes`` and no ties (``compare`` then matches clusters only)."""
        return replace(self, **changes, nodes=np.zeros(0, dtype=object), tie_u=_no_ties(), tie_v=_no_ties(),
                       tie_w=np.zeros(0), labels=_no_ties())

    def _frustrated_mask(self, part: slice) -> np.ndarray:
        u, v, w = self.tie_u[part], self.tie_v[part], self.tie_w[part]
        return (w < 0) == (self.labels[u] == self.labels[v])

    @cached_property
    def _frustrated_index(self) -> np.ndarray:
        parts = [np.flatnonzero(self._frustrated_mask(part)) + part.start for part in tie_chunks(len(self.tie_u))]
        return np.concatenate(parts) if parts else _no_ties()

    @property
    def frustrated_count(self) -> int:
        """How many ties are frustrated."""
        return len(self._frustrated_index)

    def frustrated(self, limit: int | None = None) -> list[tuple[str, str, float]]:
        """The ``limit`` largest frustrated ties ``(u, v, weight)`` (all when None): largest |weight|
        first, ties broken by the ids."""
        bad = self._frustrated_index
        if limit is not None and limit <= 0:
            return []
        strength = np.abs(self.tie_w[bad])
        if limit is not None and limit < len(bad):  # only those at least as strong as the limit-th
            kth = np.partition(strength, len(bad) - limit)[len(bad) - limit]
            bad, strength = bad[strength >= kth], strength[strength >= kth]
        # ids are sorted, so index order is name order: sort by strength, then by the ids
        bad = bad[np.lexsort((self.tie_v[bad], self.tie_u[bad], -strength))][:limit]
        return list(zip(self.nodes[self.tie_u[bad]].tolist(), self.nodes[self.tie_v[bad]].tolist(),
                        self.tie_w[bad].tolist()))

    @cached_property
    def frustrated_ties(self) -> list[tuple[str, str, float]]:
        return self.frustrated()

    def support_table(self, limit: int | None = None) -> dict[str, tuple[list[tuple[str, float]], int]]:
        """For every aligned actor, its ``limit`` strongest supporting ties ``(other, weight)`` (all when
        None), strongest first (ties broken by the other's id), and how many it has.

        An actor's ties are its row of the upper-triangular tie matrix (ties to later actors, a slice
        of the sorted ties) and its column (ties from earlier actors, found through the transpose of
        the tie numbers), so each actor's few strongest are picked from its own ties only."""
        n, m = len(self.nodes), len(self.tie_u)
        good = np.ones(m, dtype=bool)
        for part in tie_chunks(m):
            good[part] = ~self._frustrated_mask(part)
        number_type = np.int32 if m < 2 ** 31 else np.int64
        rows = _upper(n, self.tie_u, self.tie_v, np.arange(m, dtype=number_type))
        columns = rows.tocsc()  # column x: the numbers of the ties (y < x, x)
        names, table = self.nodes.tolist(), {}
        for x in np.flatnonzero(self.labels >= 0).tolist():
            first, last = int(rows.indptr[x]), int(rows.indptr[x + 1])
            lo, hi = int(columns.indptr[x]), int(columns.indptr[x + 1])
            number = np.concatenate([np.arange(first, last), columns.data[lo:hi]])
            other = np.concatenate([self.tie_v[first:last], columns.indices[lo:hi]])
            keep = good[number]
            number, other = number[keep], other[keep]
            strength = np.abs(self.tie_w[number])
            if limit is not None and limit < len(number):  # only those at least as strong as the limit-th
                kth = np.partition(strength, len(number) - limit)[len(number) - limit] if limit > 0 else np.inf
                strong = strength >= kth
                number, other, strength = number[strong], other[strong], strength[strong]
            order = np.lexsort((other, -strength))[:limit]
            table[names[x]] = (list(zip([names[o] for o in other[order].tolist()], self.tie_w[number[order]].tolist())),
                               int(keep.sum()))
        return table

    @cached_property
    def support(self) -> dict[str, list[tuple[str, float]]]:
        return {a: ties for a, (ties, _) in self.support_table().items()}

    @cached_property
    def ties(self) -> list[tuple[str, str, float]]:
        return list(zip(self.nodes[self.tie_u].tolist(), self.nodes[self.tie_v].tolist(), self.tie_w.tolist()))


@dataclass
class Realignment:
    """Two alignments matched cluster to cluster.

    ``matches`` pairs cluster ids ``(before, after, shared members)`` chosen to maximise the total
    overlap (``None`` on the side of a cluster left unmatched). ``moved`` lists ``(actor, before,
    after)`` for actors aligned in both periods whose cluster after is not the match of their cluster
    before; ``appeared`` are aligned only after, ``disappeared`` only before.
    """

    before: Alignment
    after: Alignment
    matches: list[tuple[int | None, int | None, int]]
    moved: list[tuple[str, int | None, int | None]]
    appeared: list[str]
    disappeared: list[str]
    parted: list[tuple[str, str]] = field(default_factory=list)
    joined: list[tuple[str, str]] = field(default_factory=list)


def _signed_arrays(G: nx.Graph):
    nodes = sorted(G.nodes, key=str)
    index = {n: i for i, n in enumerate(nodes)}
    u, v, w = [], [], []
    for a, b, data in G.edges(data=True):
        weight = float(data.get("weight", 0.0) or 0.0)
        if a == b or weight == 0.0 or math.isnan(weight):
            continue
        i, j = index[a], index[b]
        u.append(min(i, j))
        v.append(max(i, j))
        w.append(weight)
    order = np.lexsort((np.asarray(v), np.asarray(u))) if u else np.zeros(0, dtype=int)
    return (nodes, np.asarray(u, dtype=np.int64)[order], np.asarray(v, dtype=np.int64)[order],
            np.asarray(w, dtype=float)[order])


def _components(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
    return connected_components(_upper(n, u, v, w), directed=False)[1]


def _group(keys: np.ndarray, items: np.ndarray) -> dict[int, np.ndarray]:
    """``items`` grouped by their ``keys`` (one key per item), order kept within each group."""
    if not len(items):
        return {}
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return dict(zip(keys[order][np.r_[0, cuts]].tolist(), np.split(items[order], cuts)))


def alignment_clusters(G: nx.Graph, max_clusters: int | None = None, time_limit: float = 60.0,
                       seed: int = 0, tolerance: float | None = None) -> Alignment:
    """Partition the actors of the signed graph ``G`` into clusters of minimum frustration.

    ``max_clusters`` caps the number of clusters (2 gives the frustration index); ``None`` leaves it
    free, or with ``tolerance`` (a share of the total |tie|) takes the fewest clusters within that
    tolerance of the free optimum (see the module's docstring). Each connected part of the signed ties is solved exactly by integer programming when small
    enough and time remains within ``time_limit`` seconds, else by the seeded heuristic; ``method`` is
    ``"exact"`` only when every part was proven optimal.

    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "b", 2), ("b", "c", -1), ("a", "c", 0.5), ("c", "d", 3)])
    >>> al = alignment_clusters(G)
    >>> al.method, al.frustration, al.clusters
    ('exact', 0.5, [['a', 'b'], ['c', 'd']])
    """
    nodes, u, v, w = _signed_arrays(G)
    return alignment_of_ties(nodes, u, v, w, max_clusters, time_limit, seed, tolerance)


def alignment_of_ties(nodes: list, u: np.ndarray, v: np.ndarray, w: np.ndarray, max_clusters: int | None = None,
                      time_limit: float = 60.0, seed: int = 0, tolerance: float | None = None) -> Alignment:
    """``alignment_clusters`` on arrays: actor ids ``nodes`` (sorted), ties ``u < v`` (positions in
    ``nodes``, sorted by (u, v), each pair once) with nonzero weights ``w``."""
    if max_clusters is not None and max_clusters < 1:
        raise ActorgraphError("--clusters must be at least 1")
    if not time_limit > 0:
        raise ActorgraphError("--time-limit must be a positive number of seconds")
    if tolerance is not None and not (0 <= tolerance < 1):
        raise ActorgraphError("--tolerance must be a share between 0 and 1 (a percentage below 100)")
    # The triangle count needs only the ties: it runs on another core while the parts are solved (its
    # sparse products release the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        counts = pool.submit(triangle_balance, len(nodes), u, v, w, seed)
        return _solved(nodes, u, v, w, max_clusters, time_limit, seed, tolerance, counts)


def _solved(nodes, u, v, w, max_clusters, time_limit, seed, tolerance, counts: Future) -> Alignment:
    fewest = tolerance is not None and max_clusters is None
    started = time.monotonic()
    deadline = started + time_limit
    n = len(nodes)
    aligned = np.zeros(n, dtype=bool)
    aligned[u] = True
    aligned[v] = True
    comp = _components(n, u, v, w)
    labels = np.full(n, -1, dtype=np.int64)
    exact = True
    bound = 0.0
    # Parts (connected components of the ties), smallest first so big parts get the remaining time;
    # nodes and ties grouped by part once, each node with its index inside its part. Only parts the
    # exact solver may take need their ties listed.
    aligned_ids = np.flatnonzero(aligned)
    members = _group(comp[aligned_ids], aligned_ids)
    small = np.zeros(int(comp.max()) + 1 if n else 0, dtype=bool)
    small[[c for c, group in members.items() if len(group) <= EXACT_MAX_NODES]] = True
    listed = np.concatenate([np.flatnonzero(small[comp[u[part]]]) + part.start for part in tie_chunks(len(u))]) \
        if len(u) else _no_ties()
    ties = _group(comp[u[listed]], listed)
    local = np.zeros(n, dtype=np.int64)
    for group in members.values():
        local[group] = np.arange(len(group))
    parts = sorted(((members[c], ties.get(c, _no_ties())) for c in members), key=lambda p: (len(p[0]), int(p[0][0])))
    leftover = []  # (node indices, tie indices, the solver's unproven incumbent or None)
    free_total = 0.0
    next_label = 0
    for part, sel in parts:
        result = None
        if small[comp[part[0]]] and len(sel) <= EXACT_MAX_TIES:
            result = solve(len(part), local[u[sel]], local[v[sel]], w[sel], max_clusters, deadline)
            if fewest and result is not None and result.optimal:
                free_total += result.frustration
                result = _fewest(len(part), local[u[sel]], local[v[sel]], w[sel], result, tolerance, deadline)
        if result is not None and (result.optimal or (fewest and result.labels is not None)):
            # In the fewest-blocs rule an unproven count still keeps its partition (the heuristic
            # would answer the free problem instead); the method then says heuristic.
            labels[part] = result.labels + next_label
            next_label += int(result.labels.max()) + 1
            bound += result.frustration if result.optimal else max(result.bound, 0.0)
            exact = exact and result.optimal
        else:
            exact = False
            if result is not None:
                part_bound = max(result.bound, 0.0)
                if np.all(w[sel] == np.round(w[sel])):  # integral ties: so is the frustration
                    part_bound = math.ceil(part_bound - 1e-6)
                bound += part_bound
            leftover.append((part, sel, result))
    if leftover:
        idx = np.concatenate([part for part, _, _ in leftover])
        if len(idx) == len(aligned_ids) and np.array_equal(idx, aligned_ids):
            # every part, in actor order: the ties as they are, ends renumbered among the aligned
            local = np.cumsum(aligned) - 1
            lu, lv, lw = (u, v, w) if len(idx) == n else (local[u].astype(u.dtype), local[v].astype(v.dtype), w)
        else:
            local = np.full(n, -1, dtype=np.int64)
            local[idx] = np.arange(len(idx))
            sel = local[u] >= 0
            a, b, lw = local[u[sel]], local[v[sel]], w[sel]
            lu, lv = np.minimum(a, b), np.maximum(a, b)
            order = np.lexsort((lv, lu))  # parts renumbered: sorted again by (u, v)
            lu, lv, lw = lu[order], lv[order], lw[order]
        labels[idx] = heuristic_of_ties(len(idx), lu, lv, lw, max_clusters, seed=seed) + next_label
        del lu, lv, lw
        next_label = int(labels.max()) + 1
        for part, sel, result in leftover:  # keep the solver's incumbent where it beats the heuristic
            if result is not None and result.frustration < frustration_of(labels, u[sel], v[sel], w[sel]) - 1e-9:
                labels[part] = result.labels + next_label
                next_label += int(result.labels.max()) + 1
    if max_clusters is not None:
        labels = _fit_cap(labels, comp, max_clusters)
    if fewest:
        labels = _stand_apart(labels, u, v, w)
    frustration = _frustration(labels, u, v, w) if len(w) else 0.0
    if not exact and not fewest and bound >= frustration - 1e-9:  # the heuristic met the solver's bound
        exact = True
    if exact:
        bound = frustration
    al = _report(nodes, u, v, w, labels, aligned, "exact" if exact else "heuristic", frustration,
                 min(bound, frustration), max_clusters, time.monotonic() - started, counts)
    al.tolerance = tolerance if fewest else None
    if fewest and exact:
        al.free_frustration = free_total
    elif max_clusters is None and tolerance is None and exact:
        al.free_frustration = frustration
    return al


def _fewest(n, u, v, w, free: ExactResult, tolerance: float, deadline: float) -> ExactResult:
    """The fewest clusters whose optimum is within ``tolerance`` x total |tie| of the free optimum
    ``free``. ``optimal`` holds when that count and its partition are both proven: every smaller count
    has a lower bound past the limit, and the partition is optimal for its count."""
    limit = free.frustration + tolerance * float(np.abs(w).sum()) + 1e-9
    count = int(free.labels.max()) + 1
    proven = True
    for k in range(1, count):
        result = solve(n, u, v, w, k, deadline, floor=free.bound)
        if result is None or result.labels is None:  # out of time: the free optimum, fewest unproven
            return ExactResult(free.labels, free.frustration, free.bound, False)
        if result.frustration <= limit:
            return ExactResult(result.labels, result.frustration, result.bound, proven and result.optimal)
        proven = proven and result.bound > limit
    return ExactResult(free.labels, free.frustration, free.bound, proven)


def _stand_apart(labels: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Members with no cooperative tie inside their cluster leave it for a cluster of their own,
    repeatedly (one leaving can strand another). Leaving keeps every cooperative tie it had across
    and unfrustrates its hostile ties inside, so the frustration never rises."""
    labels = labels.copy()
    while True:
        held = np.zeros(len(labels), dtype=bool)
        for part in tie_chunks(len(u)):
            a, b = u[part], v[part]
            inside = (w[part] > 0) & (labels[a] == labels[b]) & (labels[a] >= 0)
            held[a[inside]] = True
            held[b[inside]] = True
        sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0, dtype=int)
        loose = np.flatnonzero(~held & (labels >= 0))
        loose = loose[sizes[labels[loose]] > 1]
        if not len(loose):
            return labels
        labels[loose] = labels.max() + 1 + np.arange(len(loose))


def _fit_cap(labels: np.ndarray, comp: np.ndarray, k: int) -> np.ndarray:
    """Meet the cap by pooling clusters of different components: no tie joins different components,
    so pooling costs nothing. Clusters of one component keep distinct pools (a component never has
    more than k); pools are filled round-robin so as many of the k as possible are used."""
    out = labels.copy()
    if len(np.unique(labels[labels >= 0])) <= k:
        return out
    offset = 0
    for c in np.unique(comp[labels >= 0]):
        members = np.flatnonzero((comp == c) & (labels >= 0))
        ids, counts = np.unique(labels[members], return_counts=True)
        rank = {int(i): r for r, i in enumerate(ids[np.lexsort((ids, -counts))])}
        out[members] = [(min(rank[int(x)], k - 1) + offset) % k for x in labels[members]]
        offset += len(ids)
    return out


def _frustration(labels: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> float:
    """``frustration_of`` a chunk of ties at a time (the same float on up to one chunk)."""
    return sum(frustration_of(labels, u[part], v[part], w[part]) for part in tie_chunks(len(u)))


def _report(nodes, u, v, w, labels, aligned, method, frustration, bound, max_clusters, seconds,
            counts: Future) -> Alignment:
    """The Alignment of a partition; ``counts`` will hold the ``triangle_balance`` of the ties."""
    groups: dict[int, list[str]] = {}
    for i in np.flatnonzero(aligned):
        groups.setdefault(int(labels[i]), []).append(nodes[i])
    clusters = sorted((sorted(m, key=str) for m in groups.values() if len(m) > 1),
                      key=lambda m: (-len(m), [str(x) for x in m]))
    apart = sorted((m[0] for m in groups.values() if len(m) == 1), key=str)
    cluster_of = {a: k for k, members in enumerate(clusters, 1) for a in members}
    ids = np.empty(len(nodes), dtype=object)
    ids[:] = nodes
    total = sum(float(np.abs(w[part]).sum()) for part in tie_chunks(len(w)))
    balance: TriangleBalance = counts.result()
    return Alignment(
        method=method, frustration=frustration, frustration_share=frustration / total if total else 0.0,
        lower_bound=bound, total_weight=total, clusters=clusters, cluster_of=cluster_of,
        unaligned=[nodes[i] for i in np.flatnonzero(~aligned)], triangle_balance=balance.share,
        triangles=balance.triangles, balanced_triangles=balance.balanced, max_clusters=max_clusters,
        solve_seconds=seconds, apart=apart, triangle_margin=balance.margin, triangle_samples=balance.sampled,
        nodes=ids, tie_u=u, tie_v=v, tie_w=w, labels=labels)


def compare(a: Alignment, b: Alignment) -> Realignment:
    """Match the clusters of two alignments by maximum total overlap and list who moved."""
    overlap = np.zeros((len(a.clusters), len(b.clusters)), dtype=int)
    for actor, i in a.cluster_of.items():
        j = b.cluster_of.get(actor)
        if j is not None:
            overlap[i - 1, j - 1] += 1
    from scipy.optimize import linear_sum_assignment  # here: most runs never compare

    rows, cols = linear_sum_assignment(overlap, maximize=True) if overlap.size else ([], [])
    pair = {int(r) + 1: int(c) + 1 for r, c in zip(rows, cols) if overlap[r, c] > 0}
    matches = [(i, pair.get(i), int(overlap[i - 1, pair[i] - 1]) if i in pair else 0)
               for i in range(1, len(a.clusters) + 1)]
    matches += [(None, j, 0) for j in range(1, len(b.clusters) + 1) if j not in pair.values()]
    # Aligned actors are the bloc members and those standing apart (bloc None): leaving a bloc to stand
    # apart, or joining one from apart, is a move; standing apart in both windows is not.
    aligned_a, aligned_b = a.cluster_of.keys() | set(a.apart), b.cluster_of.keys() | set(b.apart)
    moved = sorted(((actor, a.cluster_of.get(actor), b.cluster_of.get(actor)) for actor in aligned_a & aligned_b
                    if (pair.get(a.cluster_of[actor]) if actor in a.cluster_of else None) != b.cluster_of.get(actor)),
                   key=lambda t: (t[1] is None, t[1] or 0, t[2] is None, t[2] or 0, str(t[0])))
    appeared = sorted(aligned_b - aligned_a, key=str)
    disappeared = sorted(aligned_a - aligned_b, key=str)
    parted, joined = _parted_joined(a, b, aligned_a & aligned_b)
    return Realignment(a, b, matches, moved, appeared, disappeared, parted, joined)


def _parted_joined(a: Alignment, b: Alignment, aligned: set) -> tuple[list, list]:
    """The pairs tied in either alignment, both ends aligned in both, that were together in one and
    not in the other: ``(parted, joined)``, each sorted by ``str`` of the pair. Worked on arrays over
    the union of the two actor lists, so only the pairs listed become Python objects."""
    ids = np.union1d(a.nodes, b.nodes) if len(a.nodes) or len(b.nodes) else np.zeros(0, dtype=object)
    if not len(ids):
        return [], []
    n = len(ids)
    keys = [np.searchsorted(ids, al.nodes)[al.tie_u].astype(np.int64) * n + np.searchsorted(ids, al.nodes)[al.tie_v]
            for al in (a, b)]
    pairs = np.union1d(*keys)
    x, y = pairs // n, pairs % n
    names = ids.tolist()
    both = np.array([name in aligned for name in names], dtype=bool)
    cluster_a = np.array([a.cluster_of.get(name, -1) for name in names])
    cluster_b = np.array([b.cluster_of.get(name, -1) for name in names])
    # together: both ends in the same cluster (an actor outside every cluster is with nobody)
    with_a = (cluster_a[x] == cluster_a[y]) & (cluster_a[x] >= 0)
    with_b = (cluster_b[x] == cluster_b[y]) & (cluster_b[x] >= 0)
    both = both[x] & both[y]
    listed = lambda mask: sorted(((names[i], names[j]) for i, j in zip(x[mask].tolist(), y[mask].tolist())),  # noqa: E731
                                 key=str)
    return listed(both & with_a & ~with_b), listed(both & with_b & ~with_a)
