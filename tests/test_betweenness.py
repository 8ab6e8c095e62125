"""Betweenness: exact over forked workers against networkx; the estimate's bound, bias and seeding."""

from __future__ import annotations

import io
import json
import math

import networkx as nx
import numpy as np
import pytest

import graph.analysis.betweenness as bt
from graph.analysis.betweenness import (BetweennessSettings, betweenness, estimate_betweenness, exact_betweenness,
                                        sample_size, vertex_diameter_bound)
from graph.errors import ActorgraphError
from graph.progress import Progress
from tests.conftest import write_dataset


def random_digraph(n, p, seed):
    g = nx.gnp_random_graph(n, p, directed=True, seed=seed)
    return g, np.array(list(g.edges()), dtype=np.int64).reshape(-1, 2)


def nx_values(g) -> np.ndarray:
    ref = nx.betweenness_centrality(g, normalized=True)  # (n-1)(n-2) for directed graphs
    return np.array([ref[v] for v in range(g.number_of_nodes())])


# --- exact ---

def test_exact_split_over_two_processes_equals_networkx():
    # Above SPLIT_AT actors the sources are cut into chunks computed by forked workers; Brandes' sum
    # over sources makes the total exact. A sparse graph keeps networkx's pure-Python run short.
    n = bt.SPLIT_AT + 100
    g, arcs = random_digraph(n, 1.6 / n, seed=7)
    stream = io.StringIO()
    split = exact_betweenness(n, arcs, workers=2, progress=Progress(enabled=True, delay=0, stream=stream))
    assert np.allclose(split, nx_values(g), rtol=1e-9, atol=1e-12)
    assert split.max() > 0
    assert "betweenness:" in stream.getvalue() and f"/{n / 1000:.2f}k" in stream.getvalue()
    # The chunk sums are added in chunk order: one worker gives the very same numbers.
    assert np.array_equal(split, exact_betweenness(n, arcs, workers=1))


@pytest.mark.parametrize("seed", range(3))
def test_exact_split_on_denser_graphs_equals_networkx(monkeypatch, seed):
    monkeypatch.setattr(bt, "SPLIT_AT", 10)  # split small graphs, so networkx can check dense ones quickly
    g, arcs = random_digraph(150, 0.04 + 0.02 * seed, seed)
    assert np.allclose(exact_betweenness(150, arcs, workers=2), nx_values(g), rtol=1e-9, atol=1e-12)


# --- the estimate ---

def test_sample_size_is_riondato_kornaropoulos():
    # VD 10: floor(log2 8) + 1 = 4; 0.5 / 0.01^2 * (4 + ln 10) = 31,512.9...
    assert sample_size(10, 0.01, 0.1) == math.ceil(5000 * (4 + math.log(10)))
    assert sample_size(3, 0.05, 0.5) == math.ceil(200 * (1 + math.log(2)))
    assert sample_size(2, 0.01, 0.1) == 0  # no shortest path has an inner actor


@pytest.mark.parametrize("seed", range(8))
def test_vertex_diameter_bound_holds(seed):
    g, arcs = random_digraph(70, [0.02, 0.04, 0.08][seed % 3], seed)
    lengths = dict(nx.all_pairs_shortest_path_length(g))
    vd = max(d for row in lengths.values() for d in row.values()) + 1
    assert vd <= vertex_diameter_bound(70, arcs) <= 70


def test_vertex_diameter_bound_of_a_directed_path_and_a_cycle():
    path = np.array([[i, i + 1] for i in range(9)])
    assert vertex_diameter_bound(10, path) == 10
    cycle = np.array([[i, (i + 1) % 8] for i in range(8)])
    assert vertex_diameter_bound(8, cycle) == 8  # capped by the component's size


def test_paths_are_drawn_uniformly():
    # s→a→c→t, s→a→d→t, s→b→d→t: a lies on 2/3 of the shortest paths, b 1/3, c 1/3, d 2/3.
    s, a, b, c, d, t = range(6)
    arcs = np.array([[s, a], [s, b], [a, c], [a, d], [b, d], [c, t], [d, t]])
    csr_out, csr_in = bt._csr(6, arcs[:, 0], arcs[:, 1]), bt._csr(6, arcs[:, 1], arcs[:, 0])
    state = (np.full(6, -1), np.full(6, -1), np.zeros(6), np.zeros(6))
    rng = np.random.default_rng(1)
    counts = np.zeros(6)
    draws = 6000
    for _ in range(draws):
        inner = bt._sample_path(s, t, csr_out, csr_in, state, rng)
        assert len(inner) == 2
        counts[inner] += 1
    assert np.allclose(counts[[a, b, c, d]] / draws, [2 / 3, 1 / 3, 1 / 3, 2 / 3], atol=0.025)
    assert bt._sample_path(t, s, csr_out, csr_in, state, rng) == []  # unreachable


GRAPHS = [(60, 0.05), (80, 0.04), (50, 0.10), (90, 0.03)]


@pytest.mark.parametrize("n,p", GRAPHS)
def test_estimate_within_epsilon_of_exact(n, p):
    # Every actor within ±epsilon (our normalisation) of networkx's exact value, over repeated seeds;
    # the bound may fail with probability delta per run, so allow what Binomial(runs, delta) allows.
    g, arcs = random_digraph(n, p, seed=n)
    exact = nx_values(g)
    epsilon, delta, runs = 0.04, 0.2, 10
    failures = 0
    worst = 0.0
    for seed in range(runs):
        estimate, samples = estimate_betweenness(n, arcs, epsilon, delta, seed, workers=1)
        error = np.abs(estimate - exact).max()
        worst = max(worst, error)
        failures += error > epsilon
    assert samples == sample_size(vertex_diameter_bound(n, arcs), epsilon * (n - 2) / n, delta)
    assert failures <= 5  # P(Binomial(10, 0.2) > 5) < 0.7 %; Riondato–Kornaropoulos is conservative
    assert worst > epsilon / 20  # the estimate is a real sample, not the exact value


def test_estimate_is_unbiased():
    # The mean of independent seeded estimates approaches the exact value: every actor's mean within
    # 5 standard errors (its sample spread over the seeds), and the worst mean error well under epsilon.
    n = 70
    g, arcs = random_digraph(n, 0.05, seed=3)
    exact = nx_values(g)
    runs = np.array([estimate_betweenness(n, arcs, 0.05, 0.1, seed, workers=1)[0] for seed in range(40)])
    mean, spread = runs.mean(axis=0), runs.std(axis=0, ddof=1)
    standard_error = spread / math.sqrt(len(runs))
    busy = exact > 0
    assert np.all(np.abs(mean - exact)[busy] <= 5 * standard_error[busy] + 1e-12)
    assert np.abs(mean - exact).max() < 0.01
    assert np.all(runs[:, ~busy] == 0)  # an actor on no shortest path is never credited


def test_estimate_is_seeded_and_independent_of_workers(monkeypatch):
    monkeypatch.setattr(bt, "_SAMPLES_PER_CHUNK", 300)  # several chunks to share out
    g, arcs = random_digraph(60, 0.06, seed=4)
    one, r1 = estimate_betweenness(60, arcs, 0.05, 0.1, seed=9, workers=1)
    two, r2 = estimate_betweenness(60, arcs, 0.05, 0.1, seed=9, workers=2)
    assert r1 == r2 > 300 and np.array_equal(one, two)
    other, _ = estimate_betweenness(60, arcs, 0.05, 0.1, seed=10, workers=1)
    assert not np.array_equal(one, other)


def test_auto_estimates_above_the_limit(monkeypatch):
    g, arcs = random_digraph(40, 0.08, seed=2)
    exact = betweenness(40, arcs)
    assert not exact.estimated and exact.describe() == "exact"
    assert np.allclose(exact.values, nx_values(g), atol=1e-12)
    monkeypatch.setattr(bt, "EXACT_LIMIT", 40 * (40 + len(arcs)) - 1)
    estimated = betweenness(40, arcs, BetweennessSettings(epsilon=0.05, delta=0.1))
    assert estimated.estimated and estimated.describe() == "estimated (±0.05 with probability 0.9)"
    assert estimated.summary() == {"method": "estimate", "epsilon": 0.05, "delta": 0.1,
                                   "samples": estimated.samples, "seed": 0}
    assert np.abs(estimated.values - exact.values).max() <= 0.05
    assert not betweenness(40, arcs, BetweennessSettings(method="exact")).estimated


def test_bad_settings():
    with pytest.raises(ActorgraphError, match="unknown betweenness method 'fast'"):
        betweenness(3, [[0, 1]], BetweennessSettings(method="fast"))
    with pytest.raises(ActorgraphError, match="0 < epsilon < 1"):
        betweenness(3, [[0, 1]], BetweennessSettings(epsilon=0))


# --- through the CLI ---

STAR_NODES = "id,label,kind\na,A,state\nb,B,state\nc,C,state\nd,D,state\n"
STAR_EDGES = "source,target,type,date,weight\na,b,support,2025-01,\nc,b,support,2025-01,\nd,b,support,2025-02,\n"


def test_cli_estimate_says_so(run, tmp_path):
    # A star of undirected events: every path between the leaves passes through b (exact value 1).
    data = write_dataset(tmp_path / "d", STAR_NODES, STAR_EDGES)
    result = run("centrality", "--data", data, "--metric", "betweenness", "--betweenness", "estimate",
                 "--epsilon", "0.05", "--delta", "0.2", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "betweenness: estimated (±0.05 with probability 0.8) from" in result.stderr
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert abs(rows["b"]["betweenness"] - 1) <= 0.05 and rows["a"]["betweenness"] == 0
    assert rows["b"]["betweenness_error"] == 0.05 and rows["b"]["betweenness_confidence"] == 0.8
    again = run("centrality", "--data", data, "--metric", "betweenness", "--betweenness", "estimate",
                "--epsilon", "0.05", "--delta", "0.2", "--format", "json")
    assert again.stdout == result.stdout  # seeded

    exact = run("centrality", "--data", data, "--metric", "betweenness", "--format", "csv")
    assert exact.exit_code == 0 and "estimated" not in exact.stderr
    assert "betweenness_error" not in exact.stdout


def test_cli_rejects_a_bound_outside_zero_one(run, tmp_path):
    data = write_dataset(tmp_path / "d", STAR_NODES, STAR_EDGES)
    result = run("centrality", "--data", data, "--epsilon", "1.5")
    assert result.exit_code == 2 and "--epsilon" in result.stderr
