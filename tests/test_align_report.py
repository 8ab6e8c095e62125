"""What an alignment reports besides the partition: triangle balance, ties, support; and realignment."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis.alignment.blocs import alignment_clusters, compare, triangle_counts


def graph(ties, extra=()):
    g = nx.Graph()
    g.add_nodes_from(extra)
    g.add_weighted_edges_from(ties)
    return g


def test_triangle_balance_hand_worked():
    # Triangles with three nonzero ties, by the signs of their ties (balanced: product positive);
    # cde has a zero tie, so it does not count.
    g = graph([("a", "b", 1), ("b", "c", 2), ("a", "c", 1),   # abc: + + +        balanced
               ("a", "d", -1), ("b", "d", -3),                # abd: + - -        balanced
               ("c", "d", 1),                                 # acd: + - +  (ac+, ad-, cd+) unbalanced
                                                              # bcd: + - +  (bc+, bd-, cd+) unbalanced
               ("c", "e", -1), ("d", "e", 0)])                # cde: zero tie, not counted
    al = alignment_clusters(g)
    assert (al.triangles, al.balanced_triangles) == (4, 2)
    assert al.triangle_balance == pytest.approx(0.5)


def test_triangle_counts_against_networkx_enumeration():
    g = nx.gnp_random_graph(40, 0.3, seed=7)
    for i, (a, b) in enumerate(g.edges):
        g.edges[a, b]["weight"] = (-1) ** (i % 3 == 0) * (1 + i % 4)
    total = balanced = 0
    for clique in nx.enumerate_all_cliques(g):
        if len(clique) == 3:
            x, y, z = clique
            total += 1
            balanced += g.edges[x, y]["weight"] * g.edges[y, z]["weight"] * g.edges[x, z]["weight"] > 0
        elif len(clique) > 3:
            break
    import numpy as np

    u, v = np.array([min(e) for e in g.edges]), np.array([max(e) for e in g.edges])
    w = np.array([g.edges[e]["weight"] for e in g.edges], dtype=float)
    assert triangle_counts(40, u, v, w) == (total, balanced)


def test_no_triangles_gives_none():
    al = alignment_clusters(graph([("a", "b", 1), ("b", "c", -1)]))
    assert al.triangle_balance is None
    assert al.triangles == 0


def test_frustrated_ties_largest_first_and_support_strongest_first():
    # Camp {a, b, c} against d; a-b hostile inside (frustrated), c-d cooperative across (frustrated).
    g = graph([("a", "c", 5), ("b", "c", 5), ("a", "b", -1), ("a", "d", -4), ("b", "d", -4), ("c", "d", 2)])
    al = alignment_clusters(g)
    assert al.clusters == [["a", "b", "c"]] and al.apart == ["d"]
    assert al.frustration == 3.0
    assert al.frustrated_ties == [("c", "d", 2.0), ("a", "b", -1.0)]
    assert al.support["d"] == [("a", -4.0), ("b", -4.0)]
    assert al.support["c"] == [("a", 5.0), ("b", 5.0)]
    assert al.frustration_share == pytest.approx(3 / 21)


def test_clusters_numbered_largest_first_then_by_members():
    g = graph([("x", "y", 1), ("p", "q", 1), ("q", "r", 1), ("a", "b", 1), ("b", "y", -1)])
    al = alignment_clusters(g)
    assert al.clusters == [["p", "q", "r"], ["a", "b"], ["x", "y"]]
    assert al.cluster_of["a"] == 2 and al.cluster_of["y"] == 3


def test_compare_matches_clusters_and_lists_movers():
    before = alignment_clusters(graph([("az", "ru", 5), ("ru", "am", 3), ("tr", "ua", 4), ("az", "ua", -2),
                                       ("ru", "ua", -6)], extra=["us"]))
    after = alignment_clusters(graph([("az", "tr", 5), ("az", "ua", 3), ("ru", "am", 3), ("az", "ru", -6),
                                      ("us", "az", 2)]))
    r = compare(before, after)
    # before: {am, az, ru} (1), {tr, ua} (2); after: {az, tr, ua, us} (1), {am, ru} (2).
    assert before.clusters == [["am", "az", "ru"], ["tr", "ua"]]
    assert after.clusters == [["az", "tr", "ua", "us"], ["am", "ru"]]
    # overlaps: (1,1)=1 [az], (1,2)=2 [am, ru], (2,1)=2 [tr, ua]: best matching 1->2, 2->1
    assert sorted(r.matches) == [(1, 2, 2), (2, 1, 2)]
    assert r.moved == [("az", 1, 1)]
    assert r.appeared == ["us"] and r.disappeared == []
    assert ("az", "ru") in r.parted and ("az", "ua") in r.joined


def test_compare_counts_standing_apart_as_aligned_and_leaving_a_bloc_as_a_move():
    # before: {az, ru, tr} one bloc; ua is held only by hostility (apart).
    # after: ru is held only by hostility (apart); ua joined az and tr.
    before = alignment_clusters(graph([("az", "ru", 5), ("az", "tr", 4), ("ru", "tr", 1), ("ru", "ua", -3)]))
    after = alignment_clusters(graph([("az", "tr", 4), ("az", "ua", 3), ("az", "ru", -6), ("ru", "ua", -2)]))
    assert before.clusters == [["az", "ru", "tr"]] and before.apart == ["ua"]
    assert after.clusters == [["az", "tr", "ua"]] and after.apart == ["ru"]
    r = compare(before, after)
    assert r.matches == [(1, 1, 2)]
    assert r.moved == [("ru", 1, None), ("ua", None, 1)]  # standing apart is aligned: no appear/disappear
    assert r.appeared == [] and r.disappeared == []
    assert r.parted == [("az", "ru"), ("ru", "tr")] and r.joined == [("az", "ua")]
