"""Benchmark the alignment clusters: exact solver on random signed graphs, heuristic on planted camps.

Usage:
  python scripts/bench_align.py exact 50 100 200        # random graphs, one line per size
  python scripts/bench_align.py heuristic 10000 --degree 40  # planted camps, ARI against the truth
  python scripts/bench_align.py events 10000 --noise 0.1     # issue 6: 1M events on 300k pairs

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
    p.add_argument("mode", choices=["exact", "heuristic", "events"])
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
    args = p.parse_args()
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
