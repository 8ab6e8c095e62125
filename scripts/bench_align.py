"""Benchmark the alignment clusters: exact solver on random signed graphs, heuristic on planted camps.

Usage:
  python scripts/bench_align.py exact 50 100 200        # random graphs, one line per size
  python scripts/bench_align.py heuristic 10000 --degree 40  # planted camps, ARI against the truth
  python scripts/bench_align.py events 10000 --noise 0.1     # issue 6: 1M events on 300k pairs
  python scripts/bench_align.py interstate 150 --seeds 5 --clusters 3   # issue 9: K >= 3, new vs old program
  python scripts/bench_align.py interstate 150 --clusters 3 --skip-previous --against HEAD  # exact.py now vs HEAD

Interstate networks (``realistic``): shaped like the Correlates of War networks of about 150 states
and 1,200 signed ties: 2-4 camps of unequal size whose members sign multilateral treaties (cliques of
cooperative ties, levels 1-3), disputes (hostility 1-5; --hostile-share of the ties, default 0.3)
between states of heavy-tailed propensity,
mostly across camps, 12% of states in no camp (disputes only), and 5% of ties with the unexpected
sign. By default a dispute's two states are drawn by propensity alone, so a state in no camp fights
members of every camp and three blocs can cost tens of units more than the free optimum. With
--rivals each state (in a camp or not) has one rival camp and 95% of its disputes are with that
camp's members, as in a bipolar system; with --max-camps 3 this gives what the issue reports of the
real data (three blocs cost at most 3 units more than the free optimum, often nothing).

Each line times the free optimum, the capped program now used (assignment with triangle inequalities,
degree symmetry breaking, the free bound and the heuristic's partition to beat) and the previous one
(plain assignment, index symmetry breaking), each with --time-limit; --against REV also times
exact.py as it was at a git revision on the same graphs (--skip-previous drops the previous one).

Random graphs: each pair tied with probability ``--density`` (default 0.1), actors in 4 hidden camps;
a tie is cooperative inside a camp and hostile across, its sign flipped with probability ``--noise``
(default 0.15), its size 1-5. Planted graphs: ``--degree`` ties per actor on average.
"""

if __name__ == "__main__":  # started as a script (its folder is on sys.path): use the project's .venv
    from _venv import use_project_venv

    use_project_venv()

import argparse
import time

import networkx as nx
import numpy as np

from graph.analysis.alignment.blocs import alignment_clusters


def planted(n: int, camps: int, density: float, noise: float, seed: int):
    """A signed graph with ``camps`` hidden camps and the camp of every actor."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, camps, n)
    iu, ju = np.triu_indices(n, 1) if n <= 3000 else (None, None)
    if iu is None:  # sample pairs directly for big graphs
        m = int(density * n * (n - 1) / 2)
        iu = rng.integers(0, n, m)
        ju = rng.integers(0, n, m)
        keep = iu < ju
        pairs = np.unique(np.column_stack([iu[keep], ju[keep]]), axis=0)
        iu, ju = pairs[:, 0], pairs[:, 1]
    else:
        keep = rng.random(len(iu)) < density
        iu, ju = iu[keep], ju[keep]
    sign = np.where(truth[iu] == truth[ju], 1.0, -1.0)
    sign[rng.random(len(sign)) < noise] *= -1
    weight = sign * rng.integers(1, 6, len(sign))
    g = nx.Graph()
    g.add_nodes_from(f"a{i:05d}" for i in range(n))
    g.add_weighted_edges_from((f"a{i:05d}", f"a{j:05d}", float(x)) for i, j, x in zip(iu, ju, weight))
    return g, {f"a{i:05d}": int(t) for i, t in enumerate(truth)}


def planted_events(n: int, camps: int, pairs: int, events: int, noise: float, seed: int):
    """Issue 6's model: ``events`` events spread over ``pairs`` random actor pairs, each cooperative
    inside a camp and hostile across (size 1-5), with a share ``noise`` of events sign-flipped; a pair's
    tie is the sum of its events."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    truth = rng.integers(0, camps, n)
    a = rng.integers(0, n, pairs)
    b = rng.integers(0, n, pairs)
    keep = a != b
    a, b = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    pick = rng.integers(0, len(a), events)
    u, v = a[pick], b[pick]
    sign = np.where(truth[u] == truth[v], 1.0, -1.0)
    sign[rng.random(events) < noise] *= -1
    ties = (pd.DataFrame({"u": u, "v": v, "w": sign * rng.integers(1, 6, events)})
            .groupby(["u", "v"])["w"].sum().reset_index())
    g = nx.Graph()
    g.add_nodes_from(f"a{i:05d}" for i in range(n))
    g.add_weighted_edges_from((f"a{i:05d}", f"a{j:05d}", float(x)) for i, j, x in ties.itertuples(index=False))
    return g, {f"a{i:05d}": int(t) for i, t in enumerate(truth)}


def realistic(n: int = 150, ties: int = 1200, seed: int = 0, noise: float = 0.05, loner_share: float = 0.12,
              hostile_share: float = 0.3, max_camps: int = 4, rivals: bool = False):
    """An interstate-like signed network (see the module's docstring): ``(u, v, w, truth)`` with
    ``u < v`` node positions, integer weights and each state's camp (-1: in none)."""
    rng = np.random.default_rng(seed)
    camps = int(rng.integers(2, max_camps + 1))
    shares = np.sort(rng.dirichlet(np.full(camps, 2.0)))[::-1]
    loners = int(round(loner_share * n))
    truth = np.concatenate([rng.choice(camps, n - loners, p=shares), np.full(loners, -1)])
    rng.shuffle(truth)
    coop, hostile = {}, {}
    count = np.zeros(n, dtype=int)
    while len(coop) < int(ties * (1 - hostile_share)):  # treaties: a clique over part of one camp
        members = np.flatnonzero(truth == rng.integers(camps))
        if len(members) < 2:
            continue
        size = min(len(members), 20, 2 + int(rng.pareto(1.2) * 3))
        fresh = 1.0 + 20.0 * (count[members] == 0)  # states in no treaty yet join first
        chosen = rng.choice(members, size, replace=False, p=fresh / fresh.sum())
        count[chosen] += 1
        level = int(rng.integers(1, 4))
        for i in range(size):
            for j in range(i + 1, size):
                key = (int(min(chosen[i], chosen[j])), int(max(chosen[i], chosen[j])))
                coop[key] = max(coop.get(key, 0), level)
    propensity = rng.pareto(1.5, n) + 0.5
    propensity /= propensity.sum()
    pairs = set(coop)
    if rivals:  # one rival camp per state, never its own
        rival = (truth + rng.integers(1, camps, n)) % camps
        rival[truth < 0] = rng.integers(0, camps, int((truth < 0).sum()))
    while len(pairs) < ties:  # disputes, mostly across camps
        a, b = (int(x) for x in rng.choice(n, 2, p=propensity))
        if rivals and rng.random() > noise:  # b: a member of a's rival camp instead
            foes = np.flatnonzero(truth == rival[a])
            if not len(foes):
                continue
            b = int(rng.choice(foes, p=propensity[foes] / propensity[foes].sum()))
        if a == b or (truth[a] == truth[b] >= 0 and rng.random() > noise):
            continue
        key = (min(a, b), max(a, b))
        hostile[key] = max(hostile.get(key, 0), int(rng.integers(1, 6)))
        pairs.add(key)
    keys = sorted(pairs)
    u = np.array([k[0] for k in keys])
    v = np.array([k[1] for k in keys])
    w = np.array([coop.get(k, 0) - hostile.get(k, 0) for k in keys], dtype=float)
    flip = rng.random(len(w)) < noise
    w[flip] = -np.sign(w[flip]) * rng.integers(1, 3, int(flip.sum()))
    keep = w != 0
    return u[keep], v[keep], w[keep], truth


def previous_capped(n, u, v, w, k, deadline):
    """The K >= 3 program before issue 9, for comparison: z[i, c] binaries with node i only in
    clusters 0..min(i, k-1), linking constraints only (no triangles, no bounds from elsewhere)."""
    from scipy.optimize import LinearConstraint

    from graph.analysis.alignment.exact import ExactResult, _milp, frustration_of

    const = float(-w[w < 0].sum())
    zi = {(i, c): None for i in range(n) for c in range(min(i + 1, k))}
    zi = {key: j for j, key in enumerate(zi)}
    nz = len(zi)
    rows, cols, vals, lb, ub = [], [], [], [], []

    def row(coefs, lo, hi):
        for col, val in coefs:
            rows.append(len(lb))
            cols.append(col)
            vals.append(val)
        lb.append(lo)
        ub.append(hi)

    for i in range(n):
        row([(zi[(i, c)], 1.0) for c in range(min(i + 1, k))], 1.0, 1.0)
    for e, (a, b, we) in enumerate(zip(u.tolist(), v.tolist(), w.tolist())):
        for c in range(k):
            za, zb = zi.get((a, c)), zi.get((b, c))
            if we > 0:
                for p, q in ((za, zb), (zb, za)):
                    if p is not None:
                        row([(p, 1.0), (nz + e, -1.0)] + ([(q, -1.0)] if q is not None else []), -np.inf, 0.0)
            elif za is not None and zb is not None:
                row([(nz + e, 1.0), (za, 1.0), (zb, 1.0)], -np.inf, 2.0)
    from scipy.sparse import csr_matrix

    a_mat = csr_matrix((vals, (rows, cols)), shape=(len(lb), nz + len(w)))
    res = _milp(np.concatenate([np.zeros(nz), w]), [LinearConstraint(a_mat, lb, ub)],
                np.concatenate([np.ones(nz), np.zeros(len(w))]), np.zeros(nz + len(w)), np.ones(nz + len(w)),
                deadline)
    if res is None or res.x is None:
        return None
    labels = np.zeros(n, dtype=int)
    for (i, c), j in zi.items():
        if res.x[j] > 0.5:
            labels[i] = c
    return ExactResult(labels, frustration_of(labels, u, v, w), 0.0, res.status == 0)


def exact_at(revision: str):
    """``graph/analysis/alignment/exact.py`` as it was at a git revision, loaded as a module (to time
    the solver before and after a change in one run, on the same graphs)."""
    import importlib.util
    import subprocess
    import sys
    from pathlib import Path

    if revision not in _EXACT_AT:
        source = subprocess.run(["git", "show", f"{revision}:graph/analysis/alignment/exact.py"],
                                cwd=Path(__file__).resolve().parent, capture_output=True, text=True,
                                check=True).stdout
        name = f"exact_at_{len(_EXACT_AT)}"
        module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader=None))
        sys.modules[name] = module  # dataclasses look their module up by name
        exec(compile(source, f"{revision}:exact.py", "exec"), module.__dict__)
        _EXACT_AT[revision] = module
    return _EXACT_AT[revision]


_EXACT_AT = {}


def interstate(args) -> None:
    """One line per seed: free optimum, K-capped now, K-capped before (see the module's docstring)."""
    from graph.analysis.alignment.exact import solve

    k = args.clusters or 3
    for n in args.sizes:
        for seed in range(args.seeds):
            u, v, w, truth = realistic(n, args.ties, seed, hostile_share=args.hostile_share,
                                       max_camps=args.max_camps, rivals=args.rivals)
            t = time.perf_counter()
            free = solve(n, u, v, w, None, time.monotonic() + args.time_limit)
            t_free = time.perf_counter() - t
            t = time.perf_counter()
            now = solve(n, u, v, w, k, time.monotonic() + args.time_limit)
            t_now = time.perf_counter() - t
            line = (f"n={n} ties={len(w)} seed={seed} camps={truth.max() + 1} free={free.frustration:g} "
                    f"({len(np.unique(free.labels))} clusters, {t_free:.2f}s) K={k}: now {now.frustration:g} "
                    f"{'proven' if now.optimal else f'bound {now.bound:g}'} {t_now:.2f}s")
            if args.against:
                t = time.perf_counter()
                then = exact_at(args.against).solve(n, u, v, w, k, time.monotonic() + args.time_limit)
                t_then = time.perf_counter() - t
                line += (f" | {args.against}: {then.frustration:g} "
                         f"{'proven' if then.optimal else f'bound {then.bound:g}'} {t_then:.2f}s")
            if not args.skip_previous:
                t = time.perf_counter()
                before = previous_capped(n, u, v, w, k, time.monotonic() + args.time_limit)
                t_before = time.perf_counter() - t
                line += (f" | before {before.frustration:g} {'proven' if before.optimal else 'unproven'} "
                         f"{t_before:.2f}s" if before is not None else f" | before: no answer {t_before:.2f}s")
            print(line, flush=True)


def adjusted_rand(a: list, b: list) -> float:
    """Hubert & Arabie's adjusted Rand index of two labelings."""
    from collections import Counter
    comb = lambda x: x * (x - 1) / 2  # noqa: E731
    n = len(a)
    pairs = sum(comb(c) for c in Counter(zip(a, b)).values())
    sa = sum(comb(c) for c in Counter(a).values())
    sb = sum(comb(c) for c in Counter(b).values())
    expected = sa * sb / comb(n)
    top = (sa + sb) / 2
    return (pairs - expected) / (top - expected) if top != expected else 1.0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["exact", "heuristic", "events", "interstate"])
    p.add_argument("sizes", type=int, nargs="+")
    p.add_argument("--density", type=float, default=0.1)
    p.add_argument("--degree", type=float, default=40)
    p.add_argument("--noise", type=float, default=0.15)
    p.add_argument("--camps", type=int, default=4)
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--pairs", type=int, default=300_000)
    p.add_argument("--clusters", type=int, default=None)
    p.add_argument("--seeds", type=int, default=1)
    p.add_argument("--time-limit", type=float, default=60.0)
    p.add_argument("--ties", type=int, default=1200)
    p.add_argument("--hostile-share", type=float, default=0.3,
                   help="interstate: share of ties that are disputes (the rest: treaty ties)")
    p.add_argument("--max-camps", type=int, default=4, help="interstate: 2 to this many camps (default 4)")
    p.add_argument("--rivals", action="store_true",
                   help="interstate: each state's disputes go to members of one rival camp (95%%)")
    p.add_argument("--against", metavar="REV",
                   help="interstate: also time exact.py as it was at this git revision (e.g. HEAD)")
    p.add_argument("--skip-previous", action="store_true", help="interstate: do not run the previous program")
    args = p.parse_args()
    if args.mode == "interstate":
        interstate(args)
        return
    for n in args.sizes:
        for seed in range(args.seeds):
            if args.mode == "events":
                g, truth = planted_events(n, args.camps, args.pairs, args.events, args.noise, seed)
            else:
                density = args.density if args.mode == "exact" else args.degree / n
                g, truth = planted(n, args.camps, density, args.noise, seed)
            t = time.perf_counter()
            al = alignment_clusters(g, max_clusters=args.clusters, time_limit=args.time_limit)
            took = time.perf_counter() - t
            actors = sorted(al.cluster_of)
            ari = adjusted_rand([truth[x] for x in actors], [al.cluster_of[x] for x in actors])
            planted_f = sum(abs(x) for a, b, x in g.edges(data="weight") if (x < 0) == (truth[a] == truth[b]))
            print(f"n={n} ties={g.number_of_edges()} seed={seed} method={al.method} planted={planted_f:g} "
                  f"frustration={al.frustration:g} bound={al.lower_bound:g} clusters={len(al.clusters)} "
                  f"ARI={ari:.3f} seconds={took:.2f}", flush=True)


if __name__ == "__main__":
    main()
