"""Exact correlation clustering of one connected signed graph by integer programming (scipy ``milp``).

Nodes are ``0..n-1``; ties are arrays ``u, v, w`` (every ``w`` nonzero). A partition is described by
one binary per tie, ``x_e = 1`` when its ends are in different clusters, so the frustration is
``sum(w_e * x_e) + sum(|w_e| for w_e < 0)``: a cooperative tie costs ``w`` when cut, a hostile one
costs ``|w|`` when kept.

Free number of clusters (the multicut formulation): a 0/1 labelling of the ties comes from a partition
exactly when no cycle has exactly one cut tie, i.e. ``x_e <= sum(x_f for f in P)`` for every tie
``e = uv`` and every path ``P`` from u to v. There are exponentially many such cycle inequalities, so
they are added lazily: first in rounds on the LP relaxation (shortest paths with lengths ``x``), then
on integer solutions (a cut tie whose ends are joined by uncut ties). When an integer optimum of the
relaxed program violates none of them it is optimal for the full problem, and every solver bound on a
relaxation is a valid lower bound.

At most K clusters: K = 2 is the frustration index, a minimum-weight set of ties covering every
negative cycle (a cycle with an odd number of hostile ties), again with cycles added lazily. K >= 3
first tries the free optimum (if it has at most K clusters it is optimal for the cap too) and
otherwise solves an assignment program (``_solve_assignment``: triangle inequalities, symmetry
broken by degree), floored by the free optimum's bound and asked to beat the heuristic's partition.

Leaves are stripped first, down to the 2-core, and put back where their one tie is satisfied.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

_TOL = 1e-6
_LP_ROUNDS = 30
_CUTS_PER_ROUND = 4000


def _optimize():
    """scipy.optimize, imported when the solver first runs: big parts never need it, and importing it
    is a noticeable share of a command's start-up."""
    import scipy.optimize

    return scipy.optimize


@dataclass
class ExactResult:
    """Labels ``0..k-1`` per node, the frustration found, the best proven lower bound, and whether the
    labels are proven optimal."""

    labels: np.ndarray | None  # None: the deadline came before any solution (the bound still holds)
    frustration: float
    bound: float
    optimal: bool
    infeasible: bool = False  # the program had no solution (under a ceiling: nothing beats it)


def frustration_of(labels: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> float:
    """Total |w| of hostile ties inside clusters plus cooperative ties between clusters."""
    same = labels[u] == labels[v]
    return float(np.abs(w[(same & (w < 0)) | (~same & (w > 0))]).sum())


def _remaining(deadline: float) -> float:
    return max(deadline - time.monotonic(), 0.0)


def _milp(c, constraints, integrality, lo, hi, deadline):
    """Run milp within the deadline; ``None`` when no time is left."""
    left = _remaining(deadline)
    if left <= 0.05:
        return None
    opt = _optimize()
    return opt.milp(c, integrality=integrality, bounds=opt.Bounds(lo, hi), constraints=constraints,
                    options={"time_limit": left, "disp": False, "mip_rel_gap": 0.0})


class _Cycles:
    """Cycle inequalities ``x_e - sum(x_f, f in path) <= 0`` collected as sparse rows."""

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray):
        self.m = len(u)
        self.index = {}
        for e, (a, b) in enumerate(zip(u.tolist(), v.tolist())):
            self.index[(a, b)] = e
            self.index[(b, a)] = e
        self.rows, self.cols, self.vals = [], [], []
        self.count = 0
        self.seen = set()

    def add(self, e: int, path: list[int]) -> bool:
        ties = tuple(sorted(self.index[(a, b)] for a, b in zip(path, path[1:])))
        key = (e, ties)
        if key in self.seen or e in ties:
            return False
        self.seen.add(key)
        self.rows += [self.count] * (len(ties) + 1)
        self.cols += [e, *ties]
        self.vals += [1.0] + [-1.0] * len(ties)
        self.count += 1
        return True

    def constraint(self):
        if not self.count:
            return []
        a = csr_matrix((self.vals, (self.rows, self.cols)), shape=(self.count, self.m))
        return [_optimize().LinearConstraint(a, -np.inf, 0.0)]


def _path(pred: np.ndarray, source: int, target: int) -> list[int]:
    path = [target]
    while path[-1] != source:
        path.append(int(pred[path[-1]]))
    return path[::-1]


def _separate_fractional(n, u, v, x, cycles: _Cycles) -> int:
    """Add cycle inequalities violated by the fractional ``x`` (shortest paths with lengths x)."""
    lengths = csr_matrix((np.concatenate([x, x]) + 1e-9, (np.concatenate([u, v]), np.concatenate([v, u]))),
                         shape=(n, n))
    cand = np.flatnonzero(x > _TOL)
    if not len(cand):
        return 0
    sources = np.unique(u[cand])
    dist, pred = dijkstra(lengths, directed=False, indices=sources, return_predecessors=True)
    row = {s: i for i, s in enumerate(sources.tolist())}
    violation = x[cand] - dist[[row[s] for s in u[cand].tolist()], v[cand]]
    added = 0
    for j in np.argsort(-violation, kind="stable"):
        if violation[j] <= 1e-5 or added >= _CUTS_PER_ROUND:
            break
        e = int(cand[j])
        added += cycles.add(e, _path(pred[row[int(u[e])]], int(u[e]), int(v[e])))
    return added


def _separate_integer(n, u, v, x, cycles: _Cycles) -> int:
    """Add a cycle inequality for every cut tie whose ends are joined by uncut ties."""
    keep = x < 0.5
    graph = csr_matrix((np.ones(int(keep.sum())), (u[keep], v[keep])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    bad = np.flatnonzero(~keep & (comp[u] == comp[v]))
    if not len(bad):
        return 0
    sources = np.unique(u[bad])
    _, pred = dijkstra(graph, directed=False, unweighted=True, indices=sources, return_predecessors=True)
    row = {s: i for i, s in enumerate(sources.tolist())}
    added = 0
    for e in bad.tolist():
        added += cycles.add(e, _path(pred[row[int(u[e])]], int(u[e]), int(v[e])))
    return added


def _labels_from_cuts(n, u, v, x) -> np.ndarray:
    keep = x < 0.5
    graph = coo_matrix((np.ones(int(keep.sum())), (u[keep], v[keep])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def solve_free(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, deadline: float) -> ExactResult:
    """Minimum-frustration partition with any number of clusters. ``optimal`` is False when the deadline
    stopped the search; ``labels`` is None when it came before any solution, and ``bound`` keeps the
    best lower bound proven so far (each linear relaxation's optimum is one)."""
    m = len(w)
    const = float(-w[w < 0].sum())
    cycles = _Cycles(n, u, v)
    lo, hi = np.zeros(m), np.ones(m)
    bound = -np.inf
    for _ in range(_LP_ROUNDS):
        if _remaining(deadline) <= 0.05:
            break
        a = cycles.constraint()
        res = _optimize().linprog(w, A_ub=a[0].A if a else None, b_ub=np.zeros(cycles.count) if a else None,
                      bounds=(0, 1), method="highs",
                      options={"time_limit": _remaining(deadline)})
        if res.status == 0:
            bound = max(bound, res.fun + const)  # a relaxation's optimum bounds the frustration below
        if res.status != 0 or not _separate_fractional(n, u, v, res.x, cycles):
            break
    while True:
        res = _milp(w, cycles.constraint(), np.ones(m), lo, hi, deadline)
        if res is None or res.x is None:
            dual = getattr(res, "mip_dual_bound", None) if res is not None else None
            if dual is not None and np.isfinite(dual):
                bound = max(bound, dual + const)
            return ExactResult(None, math.inf, max(bound, 0.0), False)
        x = np.round(res.x)
        if res.status == 0:
            bound = max(bound, res.fun + const)
        elif getattr(res, "mip_dual_bound", None) is not None and np.isfinite(res.mip_dual_bound):
            bound = max(bound, res.mip_dual_bound + const)
        if res.status == 0 and not _separate_integer(n, u, v, x, cycles):
            labels = _labels_from_cuts(n, u, v, x)
            return ExactResult(labels, frustration_of(labels, u, v, w), bound, True)
        if res.status != 0:
            # Out of time: the cuts may not describe a partition; read clusters off the uncut ties.
            labels = _labels_from_cuts(n, u, v, x)
            return ExactResult(labels, frustration_of(labels, u, v, w), max(bound, 0.0), False)
        if _remaining(deadline) <= 0.05:
            labels = _labels_from_cuts(n, u, v, x)
            return ExactResult(labels, frustration_of(labels, u, v, w), max(bound, 0.0), False)


def _two_sides(n, u, v, w, keep) -> tuple[np.ndarray, np.ndarray]:
    """Sides (0/1) from a BFS over the ties in ``keep`` (cooperative: same side, hostile: other side),
    and the BFS parent of every node (-1 at roots)."""
    sign = np.where(w > 0, 0, 1)
    adj = [[] for _ in range(n)]
    for e in np.flatnonzero(keep).tolist():
        adj[u[e]].append((v[e], e))
        adj[v[e]].append((u[e], e))
    side = np.full(n, -1, dtype=np.int64)
    parent = np.full(n, -1, dtype=np.int64)
    depth = np.zeros(n, dtype=np.int64)
    for root in range(n):
        if side[root] >= 0:
            continue
        side[root] = 0
        queue = [root]
        for node in queue:
            for other, e in adj[node]:
                if side[other] < 0:
                    side[other] = side[node] ^ sign[e]
                    parent[other] = node
                    depth[other] = depth[node] + 1
                    queue.append(other)
    return side, parent, depth


def _tree_cycle(a: int, b: int, parent, depth) -> list[int]:
    """Nodes of the tree path from a to b (through their lowest common ancestor)."""
    left, right = [a], [b]
    while depth[left[-1]] > depth[right[-1]]:
        left.append(int(parent[left[-1]]))
    while depth[right[-1]] > depth[left[-1]]:
        right.append(int(parent[right[-1]]))
    while left[-1] != right[-1]:
        left.append(int(parent[left[-1]]))
        right.append(int(parent[right[-1]]))
    return left + right[-2::-1]


class _Covers:
    """Negative-cycle covers ``sum(f_e, e in C) >= 1`` as sparse rows."""

    def __init__(self, cycles: _Cycles):
        self.index = cycles.index
        self.m = cycles.m
        self.rows, self.cols = [], []
        self.count = 0
        self.seen = set()

    def add(self, path: list[int]) -> bool:
        ties = tuple(sorted({self.index[(a, b)] for a, b in zip(path, path[1:])}))
        if ties in self.seen:
            return False
        self.seen.add(ties)
        self.rows += [self.count] * len(ties)
        self.cols += list(ties)
        self.count += 1
        return True

    def constraint(self):
        if not self.count:
            return []
        a = csr_matrix((np.ones(len(self.rows)), (self.rows, self.cols)), shape=(self.count, self.m))
        return [_optimize().LinearConstraint(a, 1.0, np.inf)]


def _separate_covers_fractional(n, u, v, w, f, covers: _Covers) -> int:
    """Negative closed walks shorter than 1 under lengths ``f``: shortest paths from (a, even) to
    (a, odd) in the graph of node-parity pairs."""
    neg = w < 0
    src = np.concatenate([u, v, u + n, v + n])
    dst = np.concatenate([np.where(neg, v + n, v), np.where(neg, u + n, u), np.where(neg, v, v + n),
                          np.where(neg, u, u + n)])
    lengths = np.concatenate([f, f, f, f]) + 1e-9
    graph = csr_matrix((lengths, (src, dst)), shape=(2 * n, 2 * n))
    dist, pred = dijkstra(graph, directed=False, indices=np.arange(n), return_predecessors=True)
    gap = dist[np.arange(n), np.arange(n) + n]
    added = 0
    for a in np.argsort(gap, kind="stable").tolist():
        if gap[a] >= 1 - 1e-5 or added >= _CUTS_PER_ROUND:
            break
        walk = [x % n for x in _path(pred[a], a, a + n)]
        added += covers.add(walk)
    return added


def _solve_two(n, u, v, w, deadline) -> ExactResult | None:
    """At most two clusters: the frustration index as a minimum-weight cover of the negative cycles
    (a set of ties whose removal leaves the graph balanced; Harary 1959), cycles added lazily."""
    m = len(w)
    covers = _Covers(_Cycles(n, u, v))
    cost = np.abs(w)
    for _ in range(_LP_ROUNDS):
        if _remaining(deadline) <= 0.05:
            break
        a = covers.constraint()
        res = _optimize().linprog(cost, A_ub=-a[0].A if a else None, b_ub=-np.ones(covers.count) if a else None,
                      bounds=(0, 1), method="highs", options={"time_limit": _remaining(deadline)})
        if res.status != 0 or not _separate_covers_fractional(n, u, v, w, res.x, covers):
            break
    bound = 0.0
    while True:
        res = _milp(cost, covers.constraint(), np.ones(m), np.zeros(m), np.ones(m), deadline)
        if res is None or res.x is None:
            return None
        f = np.round(res.x)
        if res.status == 0:
            bound = max(bound, res.fun)
        elif getattr(res, "mip_dual_bound", None) is not None and np.isfinite(res.mip_dual_bound):
            bound = max(bound, res.mip_dual_bound)
        side, parent, depth = _two_sides(n, u, v, w, f < 0.5)
        broken = np.flatnonzero((f < 0.5) & ((side[u] != side[v]) != (w < 0)))
        added = 0
        for e in broken.tolist():
            added += covers.add(_tree_cycle(int(u[e]), int(v[e]), parent, depth) + [int(u[e])])
        if res.status == 0 and not added:
            return ExactResult(side, frustration_of(side, u, v, w), bound, True)
        if res.status != 0 or _remaining(deadline) <= 0.05:
            return ExactResult(side, frustration_of(side, u, v, w), bound, False)


def _triangles(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``(h, a, b)`` tie indices of every triangle with exactly one hostile tie ``h`` (``a``, ``b``
    cooperative). Every partition satisfies ``x_h <= x_a + x_b``: when both cooperative ties are kept,
    all three actors share a cluster, so the hostile tie is kept too."""
    coop = [dict() for _ in range(n)]
    for e in np.flatnonzero(w > 0).tolist():
        coop[u[e]][int(v[e])] = e
        coop[v[e]][int(u[e])] = e
    found = []
    for h in np.flatnonzero(w < 0).tolist():
        left, right = coop[u[h]], coop[v[h]]
        if len(left) > len(right):
            left, right = right, left
        found += [(h, e, right[c]) for c, e in left.items() if c in right]
    return np.asarray(found, dtype=np.int64).reshape(-1, 3)


def _solve_assignment(n, u, v, w, k, deadline, floor: float = 0.0, ceiling: float = math.inf) -> ExactResult | None:
    """At most k clusters as an assignment program: a binary ``z[i, c]`` per node and cluster, a tie
    variable ``x_e`` in [0, 1] (1: ends apart), and

    - each node in exactly one cluster;
    - a cooperative tie is cut when its ends differ (``x_e >= z[a, c] - z[b, c]``, both ways, each c);
      a hostile tie is kept when its ends share a cluster (``x_e <= 2 - z[a, c] - z[b, c]``);
    - ``x_h <= x_a + x_b`` for every triangle with one hostile tie h (valid for every partition, so
      it only tightens the linear relaxation);
    - symmetry broken by degree: the node of rank r (most ties first) may use clusters 0..min(r, k-1),
      which every partition satisfies once its clusters are numbered in order of first appearance;
    - with integer weights, the tie variables integer too (so the objective is, and bounds round up).

    With ``z`` integral the first two families force ``x`` to the partition's cuts (a cooperative tie
    costs at least its cut, a hostile tie can only be credited when cut), so the program's optimum is
    the minimum frustration over partitions with at most k clusters, proven by the solver. ``floor``
    is a known lower bound on the frustration (the free optimum's), added as a valid cut; ``ceiling``
    asks only for partitions at most that frustrated (``infeasible`` in the result: there is none)."""
    m = len(w)
    const = float(-w[w < 0].sum())
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    strength = np.bincount(u, np.abs(w), n) + np.bincount(v, np.abs(w), n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), -strength, -degree))] = np.arange(n)
    width = np.minimum(rank + 1, k)  # clusters each node may use
    first = np.concatenate([[0], np.cumsum(width)[:-1]])
    nz = int(width.sum())
    zi = lambda i, c: first[i] + c if c < width[i] else -1  # noqa: E731
    rows, cols, vals, lb, ub = [], [], [], [], []

    def row(coefs, lo, hi):
        r = len(lb)
        for col, val in coefs:
            rows.append(r)
            cols.append(col)
            vals.append(val)
        lb.append(lo)
        ub.append(hi)

    for i in range(n):
        row([(first[i] + c, 1.0) for c in range(width[i])], 1.0, 1.0)
    for e, (a, b, we) in enumerate(zip(u.tolist(), v.tolist(), w.tolist())):
        for c in range(min(k, max(width[a], width[b]))):
            za, zb = zi(a, c), zi(b, c)
            if we > 0:
                for p, q in ((za, zb), (zb, za)):
                    if p >= 0:
                        row([(p, 1.0), (nz + e, -1.0)] + ([(q, -1.0)] if q >= 0 else []), -np.inf, 0.0)
            elif za >= 0 and zb >= 0:
                row([(nz + e, 1.0), (za, 1.0), (zb, 1.0)], -np.inf, 2.0)
    for h, a, b in _triangles(n, u, v, w).tolist():
        row([(nz + h, 1.0), (nz + a, -1.0), (nz + b, -1.0)], -np.inf, 0.0)
    if floor > 0 or ceiling < math.inf:
        row([(nz + e, we) for e, we in enumerate(w.tolist())], floor - const - _TOL if floor > 0 else -np.inf,
            ceiling - const + _TOL)
    a_mat = csr_matrix((vals, (rows, cols)), shape=(len(lb), nz + m))
    c_vec = np.concatenate([np.zeros(nz), w])
    # With integer weights, integer tie variables make the objective integral, which HiGHS uses to
    # round its bound up (a bound of 113.002 then proves 114); at integral z they are 0/1 anyway.
    integral = bool(np.all(w == np.round(w)))
    integrality = np.concatenate([np.ones(nz), np.full(m, 1.0 if integral else 0.0)])
    res = _milp(c_vec, [_optimize().LinearConstraint(a_mat, lb, ub)], integrality, np.zeros(nz + m), np.ones(nz + m),
                deadline)
    if res is not None and res.status == 2:
        return ExactResult(None, math.inf, ceiling, True, infeasible=True)
    if res is None or res.x is None:
        return None
    labels = np.zeros(n, dtype=int)
    for i in range(n):
        labels[i] = int(np.argmax(res.x[first[i]:first[i] + width[i]]))
    optimal = res.status == 0
    bound = res.fun + const if optimal else max(float(getattr(res, "mip_dual_bound", 0.0) or 0.0) + const, 0.0)
    if integral and not optimal:
        bound = math.ceil(bound - 1e-6)
    return ExactResult(labels, frustration_of(labels, u, v, w), bound, optimal)


def _peel(n: int, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """Strip leaves repeatedly (down to the 2-core): the mask of the nodes left, and ``(leaf, other
    end, tie)`` in the order the leaves were stripped (``other end`` -1 for a tree's last node)."""
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    ties = [[] for _ in range(n)]
    for e, (a, b) in enumerate(zip(u.tolist(), v.tolist())):
        ties[a].append((b, e))
        ties[b].append((a, e))
    alive = np.ones(n, dtype=bool)
    order = []
    stack = np.flatnonzero(degree <= 1).tolist()
    while stack:
        leaf = stack.pop()
        if not alive[leaf]:
            continue
        alive[leaf] = False
        other = [(b, e) for b, e in ties[leaf] if alive[b]]
        if not other:
            order.append((leaf, -1, -1))
            continue
        b, e = other[0]
        order.append((leaf, b, e))
        degree[b] -= 1
        if degree[b] <= 1:
            stack.append(b)
    return alive, order


def _attach(labels: np.ndarray, order, w: np.ndarray, k: int | None) -> np.ndarray:
    """Put the stripped leaves back, each where its one tie is satisfied: with the other end when
    cooperative, elsewhere when hostile (the lowest other cluster, or a new one while the cap allows)."""
    labels = labels.copy()
    for leaf, other, e in reversed(order):
        used = int(labels.max()) + 1 if (labels >= 0).any() else 0
        if other < 0:
            labels[leaf] = used
        elif w[e] > 0:
            labels[leaf] = labels[other]
        else:
            elsewhere = [c for c in range(used) if c != labels[other]]
            labels[leaf] = elsewhere[0] if elsewhere and k is not None else used
    return labels


def solve(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, k: int | None, deadline: float,
          floor: float | None = None) -> ExactResult | None:
    """Exact clustering of one connected component with at most ``k`` clusters (``None``: free).

    ``floor``: the free optimum's proven bound when the caller has it (for k >= 3 it then need not be
    solved again; the caller has checked that the free optimum has more than k clusters). Leaves are
    stripped first (a tie to a leaf is always satisfied, whatever the rest does, once two
    clusters are allowed) and put back after the core is solved."""
    if n == 1 or k == 1:
        labels = np.zeros(n, dtype=int)
        f = frustration_of(labels, u, v, w)
        return ExactResult(labels, f, f, True)
    core, order = _peel(n, u, v)
    if order:
        idx = np.flatnonzero(core)
        local = np.full(n, -1, dtype=np.int64)
        local[idx] = np.arange(len(idx))
        keep = core[u] & core[v]
        labels = np.full(n, -1, dtype=np.int64)
        if len(idx):
            result = solve(len(idx), local[u[keep]], local[v[keep]], w[keep], k, deadline, floor)
            if result is None or result.labels is None:
                return result
            labels[idx] = result.labels
        else:
            result = ExactResult(None, 0.0, 0.0, True)
        labels = _attach(labels, order, w, k)
        return ExactResult(labels, result.frustration, result.bound, result.optimal)
    # Perfectly balanced parts need no solver: frustration 0 is optimal.
    if k == 2:
        side = _two_sides(n, u, v, w, np.ones(len(w), dtype=bool))[0]
        if frustration_of(side, u, v, w) == 0:
            return ExactResult(side, 0.0, 0.0, True)
    else:
        camps = _labels_from_cuts(n, u, v, (w < 0).astype(float))
        if frustration_of(camps, u, v, w) == 0 and (k is None or camps.max() + 1 <= k):
            return ExactResult(camps, 0.0, 0.0, True)
    if k == 2:
        return _solve_two(n, u, v, w, deadline)
    if floor is None or k is None:
        free = solve_free(n, u, v, w, deadline)
        if k is None or (free.optimal and len(np.unique(free.labels)) <= k):
            return free
        floor = free.bound
    return _solve_capped(n, u, v, w, k, deadline, floor)


def _solve_capped(n, u, v, w, k, deadline, floor: float) -> ExactResult | None:
    """At most k >= 3 clusters: the assignment program, given the free optimum's bound as a floor and
    the heuristic's partition as the one to beat. When no partition beats it (the program is
    infeasible), the heuristic's partition is proven optimal."""
    from graph.analysis.alignment.heuristic import heuristic

    a = csr_matrix((np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(n, n))
    start = heuristic(a, k, seed=0, restarts=2)
    best = frustration_of(start, u, v, w)
    floor = max(floor, 0.0)
    if np.all(w == np.round(w)):
        floor = math.ceil(floor - 1e-6)
    if best <= floor + _TOL:
        return ExactResult(start, best, best, True)
    better = best - (1.0 if np.all(w == np.round(w)) else 1e-6)
    capped = _solve_assignment(n, u, v, w, k, deadline, floor=floor, ceiling=better)
    if capped is None:  # out of time before any answer
        return ExactResult(start, best, floor, False)
    if capped.infeasible:
        return ExactResult(start, best, best, True)
    if capped.labels is None or capped.frustration > best:
        return ExactResult(start, best, max(floor, capped.bound), False)
    capped.bound = max(capped.bound, floor)
    if capped.bound >= capped.frustration - _TOL:
        capped.optimal = True
    return capped
