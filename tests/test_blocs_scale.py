"""The blocs at scale: tie arrays instead of tuples, capped report lists, the lean search, the model's
affiliation ties merged by binary search. Each checked against a reference written here."""

from __future__ import annotations

import json
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import graph.analysis.alignment.blocs as blocs_module
import graph.analysis.alignment.lean as lean
import graph.cli.clusters as clusters_cli
from graph.analysis.alignment.blocs import alignment_clusters, compare
from graph.analysis.alignment.of_view import BlocSettings, model_ties
from tests.conftest import BUNDLED
from tests.test_align_heuristic import adjusted_rand, frustration, planted


def random_graph(seed: int, n: int = 25, p: float = 0.4) -> nx.Graph:
    rng = np.random.default_rng(seed)
    g = nx.Graph()
    g.add_nodes_from(f"n{i:02d}" for i in range(n))
    for i in range(n):
        for j in range(i + 1, n):
            if rng.random() < p:
                g.add_edge(f"n{i:02d}", f"n{j:02d}", weight=float(rng.choice([-3, -1, -0.5, 1, 2, 2, 4])))
    return g


def reference_lists(g: nx.Graph, al):
    """Frustrated ties and support lists by a walk over the edges: together = same bloc."""
    together = lambda x, y: al.cluster_of.get(x, -1) == al.cluster_of.get(y, -2)  # noqa: E731
    frustrated, support = [], {a: [] for a in list(al.cluster_of) + al.apart}
    for x, y, w in g.edges(data="weight"):
        x, y = min(x, y), max(x, y)
        if (w < 0) == together(x, y):
            frustrated.append((x, y, w))
        else:
            support[x].append((y, w))
            support[y].append((x, w))
    frustrated.sort(key=lambda t: (-abs(t[2]), t[0], t[1]))
    return frustrated, {a: sorted(ties, key=lambda t: (-abs(t[1]), t[0])) for a, ties in support.items()}


@pytest.mark.parametrize("seed", range(4))
def test_limited_lists_are_the_heads_of_the_full_ones(seed):
    g = random_graph(seed)
    al = alignment_clusters(g, max_clusters=2, time_limit=20)
    frustrated, support = reference_lists(g, al)
    assert al.frustrated_ties == frustrated
    assert al.frustrated_count == len(frustrated)
    assert al.support == support
    for limit in (0, 1, 3, 7, len(frustrated) + 5):
        assert al.frustrated(limit) == frustrated[:limit]
    for limit in (1, 2, 5):
        table = al.support_table(limit)
        assert table == {a: (ties[:limit], len(ties)) for a, ties in support.items()}
    assert al.ties == sorted((min(x, y), max(x, y), w) for x, y, w in g.edges(data="weight"))


def test_report_lists_are_capped_with_a_count_of_the_rest(monkeypatch):
    g = random_graph(7, n=20, p=0.6)
    al = alignment_clusters(g, max_clusters=2, time_limit=20)
    al.names = ["one", "two"][:len(al.clusters)]
    frustrated, support = reference_lists(g, al)
    assert len(frustrated) > 3
    full = clusters_cli._as_json(al)
    assert "frustrated_ties_not_listed" not in full and "support_not_listed" not in full
    monkeypatch.setattr(clusters_cli, "FRUSTRATED_SHOWN", 3)
    monkeypatch.setattr(clusters_cli, "SUPPORT_SHOWN", 2)
    out = clusters_cli._as_json(al)
    assert out["frustrated_ties"] == full["frustrated_ties"][:3]
    assert out["frustrated_ties_not_listed"] == len(frustrated) - 3
    assert out["support"] == {a: ties[:2] for a, ties in full["support"].items()}
    assert out["support_not_listed"] == {a: len(t) - 2 for a, t in support.items() if len(t) > 2}
    labels = {a: a for a in g}
    text = clusters_cli._text(al, labels, "text", True)
    assert f"... and {len(frustrated) - 3:,} more frustrated ties" in text
    busiest = max(support, key=lambda a: len(support[a]))
    assert f"+{len(support[busiest]) - 2} more" in text


def test_lean_search_finds_planted_camps_like_the_full_heuristic():
    g, truth = planted(4, 40, 0.4, 0.1, seed=3)
    nodes = sorted(g)
    index = {a: i for i, a in enumerate(nodes)}
    ties = sorted((min(index[x], index[y]), max(index[x], index[y]), w) for x, y, w in g.edges(data="weight"))
    u, v, w = (np.array(c) for c in zip(*ties))
    lean_labels = lean.lean_heuristic(len(nodes), u.astype(np.int32), v.astype(np.int32), w.astype(float), seed=0)
    full_labels = lean.heuristic_of_ties(len(nodes), u, v, w.astype(float), seed=0)
    assert adjusted_rand(lean_labels.tolist(), [truth[a] for a in nodes]) == 1.0
    as_dict = lambda labels: dict(zip(nodes, labels.tolist()))  # noqa: E731
    assert frustration(g, as_dict(lean_labels)) == frustration(g, as_dict(full_labels))
    capped = lean.lean_heuristic(len(nodes), u, v, w.astype(float), k_max=2, seed=0)
    assert len(np.unique(capped)) == 2


def test_alignment_takes_the_lean_search_past_its_size(monkeypatch):
    g, truth = planted(3, 30, 0.5, 0.05, seed=4)
    monkeypatch.setattr(lean, "LEAN_TIES", 10)
    called = []
    original = lean.lean_heuristic
    monkeypatch.setattr(lean, "lean_heuristic", lambda *a, **k: called.append(1) or original(*a, **k))
    monkeypatch.setattr(blocs_module, "EXACT_MAX_NODES", 5)  # the heuristic, not the exact solver
    al = alignment_clusters(g)
    assert called and al.method in ("heuristic", "exact")
    assert sorted(map(sorted, al.clusters)) == sorted(sorted(a for a in truth if truth[a] == c) for c in range(3))


def test_compare_lists_the_pairs_parted_and_joined_by_the_pair_rule():
    before = alignment_clusters(random_graph(11, n=18), max_clusters=2, time_limit=20)
    after = alignment_clusters(random_graph(12, n=18), max_clusters=3, time_limit=20)
    r = compare(before, after)
    aligned = (set(before.cluster_of) | set(before.apart)) & (set(after.cluster_of) | set(after.apart))
    pairs = sorted({(x, y) for x, y, _ in before.ties} | {(x, y) for x, y, _ in after.ties}, key=str)
    both = [(x, y) for x, y in pairs if {x, y} <= aligned]
    together = lambda al, x, y: al.cluster_of.get(x, -1) == al.cluster_of.get(y, -2)  # noqa: E731
    assert r.parted == [(x, y) for x, y in both if together(before, x, y) and not together(after, x, y)]
    assert r.joined == [(x, y) for x, y in both if together(after, x, y) and not together(before, x, y)]
    assert r.parted or r.joined


@pytest.mark.parametrize("seed", range(40))
def test_model_ties_equal_a_unique_over_all_ties(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    a, b = rng.integers(0, n, n * n // 3), rng.integers(0, n, n * n // 3)
    key = np.unique(np.minimum(a, b)[a != b] * n + np.maximum(a, b)[a != b])
    u, v = key // n, key % n
    w = rng.choice([-1.0, 0.0, 0.5, 2.0, -10.0], size=len(key))
    ids = np.array([f"x{i:02d}" for i in range(n)], dtype=object)
    parent = np.where(rng.random(n) < 0.4, ids[rng.integers(0, n, n)], "")
    view = SimpleNamespace(filters=SimpleNamespace(level="actor"),
                           nodes=pd.DataFrame({"affiliation": parent}, index=pd.Index(ids)))
    pairs = SimpleNamespace(signed_arrays=lambda: (ids, u, v, w, np.ones(len(u), dtype=int)))
    nodes, gu, gv, gw = model_ties(view, BlocSettings(affiliation_weight=10.0), pairs)
    # reference: every tie, events and affiliations, summed per pair by a dictionary
    total: dict[tuple[int, int], float] = {}
    for x, y, t in zip(u.tolist(), v.tolist(), w.tolist()):
        total[x, y] = total.get((x, y), 0.0) + t
    for i, p in enumerate(parent):
        if p and p != ids[i]:
            j = int(np.flatnonzero(ids == p)[0])
            pair = (min(i, j), max(i, j))
            total[pair] = total.get(pair, 0.0) + 10.0
    expected = sorted((x, y, t) for (x, y), t in total.items() if t != 0)
    assert nodes == ids.tolist()
    assert list(zip(gu.tolist(), gv.tolist(), gw.tolist())) == expected
    assert gu.dtype == np.int32 and gv.dtype == np.int32


def test_small_reports_have_no_fields_for_big_graphs(run):
    out = json.loads(run("clusters", "--data", BUNDLED, "--format", "json").output)
    for key in ("frustrated_ties_not_listed", "support_not_listed", "triangle_balance_margin",
                "triangle_sampled_ties"):
        assert key not in out
