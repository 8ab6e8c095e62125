"""The sampled triangle balance against the exact count, on graphs where both run."""

from __future__ import annotations

import numpy as np
import pytest

from graph.analysis.alignment.triangles import (estimate_triangle_balance, product_work, triangle_balance,
                                                triangle_counts)


def camps_graph(seed: int, n: int = 300, density: float = 0.15, flip: float = 0.2):
    """Signed ties among ``n`` actors in three camps: cooperative inside, hostile across, a share
    ``flip`` flipped; hubs (Pareto activity) make the triangles through a tie vary a lot."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 3, n)
    activity = rng.pareto(2.0, n) + 1
    p = np.minimum(1.0, density * np.outer(activity, activity) / activity.mean() ** 2)
    a, b = np.nonzero(np.triu(rng.random((n, n)) < p, k=1))
    sign = np.where(camp[a] == camp[b], 1.0, -1.0) * np.where(rng.random(len(a)) < flip, -1.0, 1.0)
    return n, a, b, sign * rng.choice([0.5, 1.0, 3.0], len(a))


def test_the_interval_covers_the_exact_share_as_often_as_stated():
    # 40 (graph, seed) runs with 95% intervals: more than 6 misses has probability 1.4% if the
    # intervals hold (binomial tail); the exact count is checked against brute force elsewhere.
    misses, runs = 0, 0
    for graph_seed in range(8):
        n, u, v, w = camps_graph(graph_seed, flip=[0.05, 0.2, 0.35, 0.5][graph_seed % 4])
        total, balanced = triangle_counts(n, u, v, w)
        for seed in range(5):
            est = estimate_triangle_balance(n, u, v, w, samples=2000, seed=100 * graph_seed + seed)
            assert 0 < est.margin < 0.05
            assert est.sampled == 2000
            misses += abs(est.share - balanced / total) > est.margin
            runs += 1
            # the counts are unbiased estimates: with 2,000 ties they land within a few percent
            assert est.triangles == pytest.approx(total, rel=0.1)
            assert est.balanced == pytest.approx(balanced, rel=0.1)
    assert runs == 40 and misses <= 6


def test_the_margin_shrinks_with_the_sample():
    n, u, v, w = camps_graph(3)
    small = estimate_triangle_balance(n, u, v, w, samples=500, seed=1)
    large = estimate_triangle_balance(n, u, v, w, samples=8000, seed=1)
    assert large.margin < small.margin / 2.5  # about 1/sqrt(16) = 1/4


def test_exact_below_the_work_limit_estimated_above():
    n, u, v, w = camps_graph(5, n=120)
    total, balanced = triangle_counts(n, u, v, w)
    exact = triangle_balance(n, u, v, w)
    assert (exact.triangles, exact.balanced, exact.share, exact.margin, exact.sampled) == \
        (total, balanced, balanced / total, 0.0, 0)
    sampled = triangle_balance(n, u, v, w, exact_work=product_work(n, u, v) - 1, samples=3000)
    assert sampled.sampled == 3000 and abs(sampled.share - balanced / total) < 0.05


def test_product_work_counts_the_oriented_two_paths_by_hand():
    # a star a-b, a-c, a-d plus b-c: degrees a 3, b 2, c 2, d 1; ranks d < b < c < a. Oriented
    # lower -> higher rank: b->a, c->a, d->a, b->c; out-degrees b 2, c 1, d 1, a 0.
    # Work: over the ties x->y, out(y): b->a 0, c->a 0, d->a 0, b->c 1.
    u, v = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 2])
    assert product_work(4, u, v) == 1


def test_a_triangle_free_graph_has_no_share():
    u, v = np.array([0, 1, 2]), np.array([1, 2, 3])  # a path
    est = estimate_triangle_balance(4, u, v, np.array([1.0, -1.0, 1.0]), samples=50)
    assert (est.triangles, est.share) == (0, None)
