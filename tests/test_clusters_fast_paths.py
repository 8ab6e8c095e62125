"""The faster paths behind ``actorgraph clusters`` give what the plain computations give.

Each is checked against a reference written here independently: brute-force triangle counts, a
pandas groupby on actor ids for the signed ties, str.strip / Series.map for validation, a
dictionary walk over the ties for bloc names, the sparse product for the dense node-move table.
"""

from __future__ import annotations

import itertools
import random
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix

import graph.analysis.alignment.heuristic as heuristic_module
from graph.analysis.alignment.blocs import alignment_clusters, triangle_counts
from graph.analysis.alignment.heuristic import _best_other, heuristic, local_moves, score
from graph.analysis.alignment.of_view import bloc_names
from graph.store.dataset import _lookup, _stripped, load_dataset
from graph.view.pairs import Pairs
from graph.view.select import Filters, select
from tests.conftest import BUNDLED
from tests.test_align_heuristic import adjusted_rand, as_matrix, planted


def random_ties(rng: np.random.Generator, n: int, m: int, hubs: bool = False):
    """Distinct pairs u < v with signed weights; ``hubs`` makes a few actors take most ties."""
    p = rng.pareto(1.0, n) + 1 if hubs else np.ones(n)
    u = rng.choice(n, m, p=p / p.sum())
    v = rng.choice(n, m, p=p / p.sum())
    keep = u != v
    key = np.unique(np.minimum(u, v)[keep] * n + np.maximum(u, v)[keep])
    return key // n, key % n, rng.choice([-3.0, -1.0, -0.5, 1.0, 2.0], len(key))


@pytest.mark.parametrize("seed", range(6))
def test_triangle_counts_equal_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 40))
    u, v, w = random_ties(rng, n, int(rng.integers(0, n * n // 2)), hubs=seed % 2 == 0)
    sign = {(a, b): np.sign(x) for a, b, x in zip(u.tolist(), v.tolist(), w.tolist())}
    total = balanced = 0
    for a, b, c in itertools.combinations(range(n), 3):
        if (a, b) in sign and (b, c) in sign and (a, c) in sign:
            total += 1
            balanced += sign[a, b] * sign[b, c] * sign[a, c] > 0
    assert triangle_counts(n, u, v, w) == (total, balanced)


def test_signed_arrays_equal_a_groupby_on_ids():
    rng = np.random.default_rng(3)
    ids = pd.Index([f"x{i}" for i in rng.permutation(30)])  # view order is not id order
    k = 400
    table = pd.DataFrame({"source": rng.integers(0, 30, k), "target": rng.integers(0, 30, k),
                          "directed": rng.random(k) < 0.5, "events": 1,
                          "signed_events": rng.integers(0, 2, k), "weight": rng.choice([-2.5, 0.1, 0.2, -0.3, 4.0], k)})
    table["weight"] = table["weight"].where(table["signed_events"] > 0, 0.0)
    pairs = Pairs(ids, table, noise=1e-9)
    names = np.asarray(ids, dtype=object)
    t = table[(table["source"] != table["target"]) & (table["signed_events"] > 0)]
    a, b = names[t["source"]], names[t["target"]]
    reference = (pd.DataFrame({"u": np.minimum(a, b), "v": np.maximum(a, b), "weight": t["weight"].to_numpy(),
                               "events": t["signed_events"].to_numpy()})
                 .groupby(["u", "v"], sort=True)[["weight", "events"]].sum().reset_index())
    # a pair's sum is rounded to 12 significant digits (engines add its rows in other orders), noise to 0
    reference["weight"] = [float(f"{x:.12g}") for x in reference["weight"]]
    reference.loc[reference["weight"].abs() < 1e-9, "weight"] = 0.0
    sorted_ids, u, v, weight, events = pairs.signed_arrays()
    assert sorted_ids.tolist() == sorted(ids)
    assert sorted_ids[u].tolist() == reference["u"].tolist()
    assert sorted_ids[v].tolist() == reference["v"].tolist()
    assert weight.tolist() == reference["weight"].tolist()
    assert events.tolist() == reference["events"].tolist()
    pd.testing.assert_frame_equal(pairs.signed(), reference, check_dtype=False)


def test_strip_and_lookup_of_distinct_values_equal_the_plain_calls():
    values = pd.Series(np.array(["a", " a", "a\u3000", "\x1cb\x85", "b", "", " ", "a", "\tc\n", "c"] * 3,
                                dtype=object), dtype=object)
    assert _stripped(values).tolist() == values.str.strip().tolist()
    plain = pd.Series(np.array(["a", "b"] * 3, dtype=object), dtype=object)
    assert _stripped(plain) is plain  # nothing to strip: the column is kept as it is
    table = pd.Series(["hostile", "cooperative"], index=pd.Index(["a", "b"], dtype=object))
    for keys in (values, plain, values.iloc[:0]):
        got, want = _lookup(keys, table), keys.map(table)
        pd.testing.assert_series_equal(got, want)


def test_views_never_change_the_data_set():
    ds = load_dataset(BUNDLED)
    before = ds.edges.copy()
    for filters in (Filters(), Filters(level="state"), Filters(half_life=30.0)):
        view = select(ds, filters)
        view.events.loc[0, "note"] = "changed"
        view.events["source"] = "x"
    pd.testing.assert_frame_equal(ds.edges, before)


def test_bloc_names_from_tie_arrays_follow_the_rule_by_hand():
    # bloc {a, b, c}: cooperative inside a-b 2, a-c 1, b-c 2, so b has 4 inside, a 3, c 3;
    # bloc {d, e}: d-e 5 inside, d also has a hostile tie of -4 to a, so d leads on total |tie|
    nodes = ["a", "b", "c", "d", "e"]
    u, v, w = np.array([0, 0, 1, 0, 3]), np.array([1, 2, 2, 3, 4]), np.array([2.0, 1.0, 2.0, -4.0, 5.0])
    al = SimpleNamespace(clusters=[["a", "b", "c"], ["d", "e"]], cluster_of={"a": 1, "b": 1, "c": 1, "d": 2, "e": 2},
                         ties=list(zip([nodes[i] for i in u], [nodes[i] for i in v], w.tolist())))
    labels = pd.Series({"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"})
    assert bloc_names(al, labels, (nodes, u, v, w)) == ["B's bloc", "D's bloc"]
    assert bloc_names(al, labels) == ["B's bloc", "D's bloc"]  # read from al.ties


def test_dense_and_sparse_node_move_tables_agree(monkeypatch):
    rng = np.random.default_rng(5)
    for trial in range(8):
        n = int(rng.integers(5, 120))
        u, v, w = random_ties(rng, n, n * 4, hubs=trial % 2 == 0)
        a = csr_matrix((np.r_[w, w], (np.r_[u, v], np.r_[v, u])), shape=(n, n))
        labels = rng.integers(0, int(rng.integers(1, 9)), n)
        labels = np.unique(labels, return_inverse=True)[1]
        c = int(labels.max()) + 1
        monkeypatch.setattr(heuristic_module, "_DENSE_CELLS", 10**12)
        dense = _best_other(a, labels, c), local_moves(a, labels, None, np.random.default_rng(1))
        monkeypatch.setattr(heuristic_module, "_DENSE_CELLS", -1)
        sparse = _best_other(a, labels, c), local_moves(a, labels, None, np.random.default_rng(1))
        assert np.array_equal(dense[0][0], sparse[0][0]) and np.array_equal(dense[0][1], sparse[0][1])
        assert np.array_equal(dense[1], sparse[1])


def test_the_big_graph_search_recovers_planted_camps_deterministically(monkeypatch):
    """With the lighter search of big graphs forced on a small one (Leiden stops once settled, Leiden
    polishes the spectral start): planted camps found, the same partition for the same seed, caps met,
    never better than the proven optimum."""
    monkeypatch.setattr(heuristic_module, "_BIG", 0)
    g, truth = planted(4, 30, 0.3, 0.1, seed=2)
    nodes, a = as_matrix(g)
    labels = heuristic(a, seed=3)
    assert np.array_equal(labels, heuristic(a, seed=3))
    assert adjusted_rand([truth[x] for x in nodes], labels.tolist()) >= 0.9
    exact = alignment_clusters(g, time_limit=60)
    assert exact.method == "exact"
    assert -score(a, labels) + a.data[a.data > 0].sum() / 2 >= exact.frustration - 1e-9
    for seed in range(6):
        rng = random.Random(seed)
        small = nx.gnp_random_graph(12, 0.5, seed=seed)
        nx.set_edge_attributes(small, {e: rng.choice([-2, -1, 1, 3]) for e in small.edges}, "weight")
        ids, m = as_matrix(small)
        for k in (2, 3):
            capped = heuristic(m, k_max=k, seed=seed)
            assert capped.max() + 1 <= k
            best = alignment_clusters(small, max_clusters=k).frustration
            got = sum(abs(x) for p, q, x in small.edges(data="weight")
                      if x and (x < 0) == (capped[ids.index(p)] == capped[ids.index(q)]))
            assert got >= best - 1e-9
