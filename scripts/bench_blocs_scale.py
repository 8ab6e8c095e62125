#!/usr/bin/env python3
"""Benchmark the alignment blocs at GDELT scale: everything ``actorgraph clusters`` does after the pair table.

Generates the signed ties of a store shaped like ``scripts/bench --store``'s (20,000 actors, 100
million events: four planted camps, heavy-tailed activity, 10% of events flipped in sign, 5% neutral)
without writing the events: for each pair it draws the number of events the store's generator would
give it (Poisson, with the generator's rates: Pareto(1.5) activity, half the targets drawn from the
source's camp), how many are signed and how many cooperative, and their summed weight (the event
types' weights; one event's weight drawn exactly, a sum of several by its mean and variance). Rows
are drawn a block at a time into preallocated arrays, so the generator needs little more than its
output: ``(ids, u, v, weight, events)`` as ``Pairs.signed_arrays()`` gives them (int32 positions).

Then, in this process, as ``actorgraph clusters`` does: ``blocs_of_view`` (model ties with the
affiliation ties, the blocs, their names) and the text and JSON reports. Reported: seconds per step,
the step's peak RSS (``peak_MB``: VmHWM, reset after generating, so it counts the generated ties the
step is handed but not the generator's temporaries), the number of ties, blocs, frustrated ties, the triangle balance,
and the adjusted Rand index of the blocs against the planted camps (actors outside every bloc count
as a cluster of their own).

Example:
  scripts/bench_blocs_scale.py                                # 20,000 actors, 100,000,000 events
  scripts/bench_blocs_scale.py --actors 10000 --events 1000000
"""

if __name__ == "__main__":  # started as a script (its folder is on sys.path): use the project's .venv
    from _venv import use_project_venv

    use_project_venv()

import argparse
import gc
import importlib.machinery
import importlib.util
import json
import os
import resource
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# One event's weight by polarity: (values, shares), as scripts/bench's TYPES; a fifth of events scale
# their type's weight by U(0.5, 1.5).
COOPERATIVE = (np.array([1.0, 3.4, 3.5, 8.0, 7.0, 5.0]), np.array([0.3, 0.2, 0.2, 0.1, 0.1, 0.1]))
HOSTILE = (np.array([-2.0, -2.4, -4.4, -4.0, -8.0, -5.0, -9.0]), np.array([0.35, 0.15, 0.15, 0.1, 0.1, 0.1, 0.05]))


def _moments(values, shares):
    mean = float(values @ shares)
    second = float((values ** 2) @ shares) * (0.8 + 0.2 * (1 + 1 / 12))  # E[s^2] = 1 + 1/12 for s ~ U(0.5, 1.5)
    return mean, second - mean ** 2


def _bench_module():
    loader = importlib.machinery.SourceFileLoader("actorgraph_bench", str(ROOT / "scripts" / "bench"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def actors_of(actors: int, camps: int, seed: int):
    """``(nodes, camp, activity share)`` exactly as scripts/bench's generator draws them for ``seed``."""
    nodes, _, camp, _ = _bench_module().synthetic_crisis(actors, 0, camps, seed=seed)
    rng = np.random.default_rng(seed)  # replay its draws up to the activity
    rng.integers(0, camps, actors)
    kinds = rng.choice(["state", "official", "institution", "media", "group", "person"], size=actors,
                       p=[0.03, 0.25, 0.2, 0.1, 0.22, 0.2])
    kinds[:camps] = "state"
    states = np.flatnonzero(kinds == "state")
    officials = np.flatnonzero(np.isin(kinds, ["official", "institution"]))
    for c in range(camps):
        members = officials[camp[officials] == c]
        rng.choice(states[camp[states] == c], size=len(members))
    activity = rng.pareto(1.5, actors) + 1.0
    return nodes, camp, activity / activity.sum()


def signed_ties(camp: np.ndarray, p: np.ndarray, events: int, flip: float = 0.10, neutral: float = 0.05,
                same_camp: float = 0.5, seed: int = 1, block: int = 200):
    """``(u, v, weight, signed events)`` of every pair with a signed event, u < v, sorted by (u, v)."""
    n = len(p)
    in_camp = np.bincount(camp, weights=p)
    coop, host = _moments(*COOPERATIVE), _moments(*HOSTILE)

    def rates(lo, hi):  # expected events between rows lo..hi-1 and every column (both directions)
        same = camp[lo:hi, None] == camp[None, :]
        out = p[lo:hi, None] * p[None, :] * ((1 - same_camp) + same_camp * same / in_camp[camp[lo:hi], None])
        back = p[lo:hi, None] * p[None, :] * ((1 - same_camp) + same_camp * same / in_camp[None, camp])
        return events * (out + back), same

    capacity = 0.0
    for lo in range(0, n, block):
        lam, _ = rates(lo, min(n, lo + block))
        capacity += float(np.triu(-np.expm1(-lam * (1 - neutral)), k=lo + 1).sum())
    capacity = int(capacity + 8 * capacity ** 0.5 + 1000)
    u = np.empty(capacity, dtype=np.int32)
    v = np.empty(capacity, dtype=np.int32)
    weight = np.empty(capacity, dtype=np.float64)
    count = np.empty(capacity, dtype=np.int32)
    filled = 0
    for k, lo in enumerate(range(0, n, block)):
        rng = np.random.default_rng([seed, k])
        hi = min(n, lo + block)
        lam, same = rates(lo, hi)
        upper = np.arange(n)[None, :] > np.arange(lo, hi)[:, None]
        signed = rng.poisson(np.where(upper, lam * (1 - neutral), 0.0))
        rows, cols = np.nonzero(signed)
        k_all = signed[rows, cols]
        friendly = np.where(same[rows, cols], 1 - flip, flip)
        k_pos = rng.binomial(k_all, friendly)
        k_neg = k_all - k_pos
        w = coop[0] * k_pos + host[0] * k_neg + rng.standard_normal(len(k_all)) * np.sqrt(
            coop[1] * k_pos + host[1] * k_neg)
        one = k_all == 1  # a single event: its type's weight exactly
        pos = one & (k_pos == 1)
        w[pos] = rng.choice(*COOPERATIVE[:1], size=int(pos.sum()), p=COOPERATIVE[1])
        neg = one & (k_neg == 1)
        w[neg] = rng.choice(*HOSTILE[:1], size=int(neg.sum()), p=HOSTILE[1])
        w = np.round(w, 1)
        m = len(rows)
        if filled + m > capacity:
            raise RuntimeError("more ties than the capacity drawn for them")
        u[filled:filled + m] = rows + lo
        v[filled:filled + m] = cols
        weight[filled:filled + m] = w
        count[filled:filled + m] = k_all
        filled += m
        del lam, same, upper, signed, rows, cols, k_all, k_pos, k_neg, w
    return u[:filled], v[:filled], weight[:filled], count[:filled]  # views: no copy of 40 million ties


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index of two integer labelings (Hubert & Arabie 1985)."""
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    table = np.bincount(a * (b.max() + 1) + b).astype(float)
    pairs = lambda x: float((x * (x - 1) / 2).sum())  # noqa: E731
    both = pairs(table)
    rows, cols = pairs(np.bincount(a).astype(float)), pairs(np.bincount(b).astype(float))
    expected = rows * cols / pairs(np.array([len(a)], dtype=float))
    top = (rows + cols) / 2
    return 1.0 if top == expected else (both - expected) / (top - expected)


def peak_mb() -> float:
    """The process's peak RSS (MB) since it started, or since ``reset_peak``."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Start the peak RSS afresh (Linux: /proc/self/clear_refs); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class _Pairs:
    """Stands for the engine's pair table: ``signed_arrays()`` hands over freshly made arrays, held by
    nobody else (as the engine's are)."""

    def __init__(self, make):
        self.make = make

    def signed_arrays(self):
        arrays, self.make = self.make(), None
        return arrays


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument("--camps", type=int, default=4)
    parser.add_argument("--flip", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view
    from graph.cli.clusters import _as_json, _dumps, _text

    nodes, camp, p = actors_of(args.actors, args.camps, args.seed)
    figures = {"actors": args.actors, "events": args.events}
    t = time.perf_counter()
    u, v, w, count = signed_ties(camp, p, args.events, args.flip, seed=args.seed)
    figures.update(generate_seconds=round(time.perf_counter() - t, 1), ties=len(u),
                   generate_peak_MB=round(peak_mb()))
    ids = np.asarray(nodes["id"].to_numpy(), dtype=object)
    arrays = [ids, u, v, w, count]
    del u, v, w, count

    def hand_over():
        out = tuple(arrays)
        arrays.clear()
        return out

    gc.collect()
    figures["held_before_blocs_MB"] = round(int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0])
                                            / 1024) if Path("/proc/self/status").exists() else None
    figures["peak_reset"] = reset_peak()  # the step's peak below: from here, the ties already held
    view = SimpleNamespace(filters=SimpleNamespace(level="actor"), nodes=nodes.set_index("id", drop=False))
    t = time.perf_counter()
    al = blocs_of_view(view, BlocSettings(), pairs=_Pairs(hand_over))
    figures["blocs_seconds"] = round(time.perf_counter() - t, 1)
    labels = dict(zip(nodes["id"], nodes["label"]))
    t = time.perf_counter()
    text = _text(al, labels, "text", False)
    report = _dumps(_as_json(al), len(al.cluster_of) + len(al.unaligned))
    figures["report_seconds"] = round(time.perf_counter() - t, 1)
    figures["report_MB"] = round((len(text) + len(report)) / 1e6, 1)
    found = np.arange(len(ids)) + len(al.clusters) + 1  # outside every bloc: a cluster of one
    position = {a: i for i, a in enumerate(ids)}
    for k, members in enumerate(al.clusters, 1):
        found[[position[a] for a in members]] = k
    figures.update(method=al.method, blocs=len(al.clusters), frustrated=al.frustrated_count,
                   frustration_share=round(al.frustration_share, 4),
                   triangle_balance=al.triangle_balance, triangle_sampled_ties=al.triangle_samples,
                   triangle_margin=al.triangle_margin,
                   ARI=round(adjusted_rand_index(found, camp), 4), peak_MB=round(peak_mb()),
                   load=" ".join(f"{x:.1f}" for x in os.getloadavg()))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
        print("\n".join(text.splitlines()[:6]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
