"""The exact solver against brute force over every set partition, and hand-worked examples."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from graph.analysis.alignment.blocs import alignment_clusters
from graph.errors import ActorgraphError


def partitions(items):
    """Every set partition of ``items`` (Bell(n) of them)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for p in partitions(rest):
        for i in range(len(p)):
            yield p[:i] + [[first] + p[i]] + p[i + 1:]
        yield [[first]] + p


def brute_force(g: nx.Graph, k: int | None) -> float:
    best = float("inf")
    for p in partitions(list(g.nodes)):
        if k is not None and len(p) > k:
            continue
        where = {x: i for i, block in enumerate(p) for x in block}
        cost = sum(abs(w) for a, b, w in g.edges(data="weight") if w and (w < 0) == (where[a] == where[b]))
        best = min(best, cost)
    return best


def random_graph(rng: random.Random, n: int) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(f"n{i}" for i in range(n))
    for a, b in itertools.combinations(range(n), 2):
        if rng.random() < 0.6:
            g.add_edge(f"n{a}", f"n{b}", weight=rng.choice([-3, -2, -1, -0.5, 0, 1, 2, 3]))
    return g


def home(al, actor):
    """The actor's bloc, or a place of its own when it stands apart."""
    return al.cluster_of.get(actor, ("apart", actor))


def frustration_of(g, al):
    return sum(abs(w) for a, b, w in g.edges(data="weight")
               if w and (w < 0) == (home(al, a) == home(al, b)))


def blocs_used(al):
    return len(al.clusters) + len(al.apart)


@pytest.mark.parametrize("trial", range(40))
@pytest.mark.parametrize("k", [None, 2, 3, 4])
def test_exact_matches_brute_force(trial, k):
    rng = random.Random(trial)
    g = random_graph(rng, rng.randint(3, 8))
    al = alignment_clusters(g, max_clusters=k)
    assert al.method == "exact"
    assert al.frustration == pytest.approx(brute_force(g, k))
    assert al.lower_bound == pytest.approx(al.frustration)
    assert frustration_of(g, al) == pytest.approx(al.frustration)  # the reported number is the partition's
    if k is not None:
        assert blocs_used(al) <= k
    assert all(len(c) >= 2 for c in al.clusters) and not set(al.apart) & set(al.cluster_of)


def test_balanced_graph_has_zero_frustration_and_its_camps():
    camps = [["a1", "a2", "a3", "a4"], ["b1", "b2", "b3"], ["c1", "c2", "c3"]]
    g = nx.Graph()
    for i, x in enumerate(sum(camps, [])):
        for y in sum(camps, [])[i + 1:]:
            same = any(x in c and y in c for c in camps)
            g.add_edge(x, y, weight=2.0 if same else -1.0)
    al = alignment_clusters(g)
    assert (al.method, al.frustration, al.frustration_share) == ("exact", 0.0, 0.0)
    assert al.clusters == camps  # largest first, then by members
    assert al.frustrated_ties == []
    # 10 actors make C(10,3) = 120 triangles; the 4*3*3 = 36 with one actor from each camp are all
    # hostile (product of signs negative: weakly but not strictly balanced).
    assert (al.triangles, al.balanced_triangles) == (120, 84)
    assert al.triangle_balance == pytest.approx(84 / 120)


def test_hand_worked_with_zero_ties_and_unaligned():
    # a-b +3, b-c +2, a-c -1: keeping the triangle costs 1, any split costs at least 2.
    # c-d -4 puts d apart; e-f tie sums to zero: both unaligned; g has no tie at all.
    g = nx.Graph()
    g.add_nodes_from("abcdefg")
    g.add_weighted_edges_from([("a", "b", 3), ("b", "c", 2), ("a", "c", -1), ("c", "d", -4), ("e", "f", 0)])
    al = alignment_clusters(g)
    assert al.clusters == [["a", "b", "c"]] and al.apart == ["d"]  # d is held only by hostility
    assert al.cluster_of == {"a": 1, "b": 1, "c": 1}
    assert al.unaligned == ["e", "f", "g"]
    assert al.frustration == 1.0
    assert al.frustration_share == pytest.approx(1 / 10)
    assert al.frustrated_ties == [("a", "c", -1.0)]
    assert al.support["c"] == [("d", -4.0), ("b", 2.0)]
    assert al.support["a"] == [("b", 3.0)]


def test_two_clusters_cap_is_the_frustration_index():
    # An all-hostile triangle is balanced with three clusters but not with two: one tie must be kept.
    g = nx.Graph()
    g.add_weighted_edges_from([("x", "y", -1), ("y", "z", -2), ("x", "z", -3)])
    assert alignment_clusters(g).frustration == 0.0
    two = alignment_clusters(g, max_clusters=2)
    assert two.frustration == 1.0 and two.frustrated_ties == [("x", "y", -1.0)]
    assert two.clusters == [["x", "y"]] and two.apart == ["z"]
    assert alignment_clusters(g, max_clusters=1).frustration == 6.0


def test_separate_components_are_pooled_only_under_a_cap():
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 1), ("c", "d", 1), ("e", "f", 1)])
    assert len(alignment_clusters(g).clusters) == 3
    capped = alignment_clusters(g, max_clusters=2)
    assert blocs_used(capped) == 2 and capped.frustration == 0.0


def test_deterministic_and_independent_of_insertion_order():
    rng = random.Random(5)
    g = random_graph(rng, 8)
    h = nx.Graph()
    h.add_nodes_from(reversed(list(g.nodes)))
    h.add_edges_from(reversed(list(g.edges(data=True))))
    assert alignment_clusters(g).clusters == alignment_clusters(h).clusters


def test_empty_graph_and_bad_arguments():
    al = alignment_clusters(nx.Graph())
    assert (al.clusters, al.apart, al.unaligned, al.frustration, al.triangle_balance) == ([], [], [], 0.0, None)
    with pytest.raises(ActorgraphError, match="at least 1"):
        alignment_clusters(nx.Graph(), max_clusters=0)
    with pytest.raises(ActorgraphError, match="time-limit"):
        alignment_clusters(nx.Graph(), time_limit=0)


def test_a_timeout_before_any_integer_solution_keeps_the_relaxations_bound(monkeypatch):
    # Triangle +1, +1, -1 (hand-worked): any partition frustrates one tie, so the optimum is 1; the
    # linear relaxation with the cycle inequality x3 <= x1 + x2 also gives 1. With the integer solver
    # "out of time" (no solution at all) the bound must survive.
    import time

    import numpy as np

    from graph.analysis.alignment import exact as align_exact

    monkeypatch.setattr(align_exact, "_milp", lambda *args, **kwargs: None)
    u, v, w = np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([1.0, 1.0, -1.0])
    result = align_exact.solve_free(3, u, v, w, time.monotonic() + 30)
    assert result.labels is None and not result.optimal
    assert result.bound == pytest.approx(1.0)


def best_by_count(g: nx.Graph) -> dict[int, float]:
    """The least frustration with exactly c clusters, for every c (brute force)."""
    best: dict[int, float] = {}
    for p in partitions(list(g.nodes)):
        where = {x: i for i, block in enumerate(p) for x in block}
        cost = sum(abs(w) for a, b, w in g.edges(data="weight") if w and (w < 0) == (where[a] == where[b]))
        best[len(p)] = min(best.get(len(p), float("inf")), cost)
    return best


def connected_random_graph(rng: random.Random, n: int) -> nx.Graph:
    g = random_graph(rng, n)
    g.remove_edges_from([(a, b) for a, b, w in g.edges(data="weight") if not w])
    for a, b in zip(list(g.nodes)[:-1], list(g.nodes)[1:]):  # a path keeps it in one part
        if not g.has_edge(a, b):
            g.add_edge(a, b, weight=rng.choice([-2, -1, 1, 2]))
    return g


@pytest.mark.parametrize("trial", range(30))
@pytest.mark.parametrize("tolerance", [0.0, 0.05, 0.2])
def test_fewest_blocs_within_tolerance_matches_brute_force(trial, tolerance):
    # The rule: the fewest clusters c whose best partition is within tolerance x total |tie| of the free
    # optimum; then members with no cooperative tie inside their cluster stand apart (never costlier).
    rng = random.Random(1000 + trial)
    g = connected_random_graph(rng, rng.randint(3, 8))
    best = best_by_count(g)
    free = min(best.values())
    total = sum(abs(w) for _, _, w in g.edges(data="weight"))
    fewest = min(c for c, f in best.items() if f <= free + tolerance * total + 1e-9)
    al = alignment_clusters(g, tolerance=tolerance)
    assert al.method == "exact"
    assert al.free_frustration == pytest.approx(free)
    assert frustration_of(g, al) == pytest.approx(al.frustration)
    assert free - 1e-9 <= al.frustration <= best[fewest] + 1e-9
    assert len(al.clusters) <= fewest
    for members in al.clusters:  # every bloc member has a cooperative tie inside its bloc
        for x in members:
            assert any(w > 0 and y in members for _, y, w in g.edges(x, data="weight"))


def test_actors_held_only_by_hostility_join_no_bloc():
    # Two camps {a, b, c} and {d, e}; h is hostile to a and to d and has no friend. The free optimum
    # is 0 with h alone; so is the fewest rule, with two blocs and h standing apart.
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 2), ("b", "c", 2), ("a", "c", 1), ("d", "e", 3), ("c", "d", -4),
                               ("h", "a", -1), ("h", "d", -1)])
    al = alignment_clusters(g, tolerance=0.01)
    assert al.clusters == [["a", "b", "c"], ["d", "e"]] and al.apart == ["h"] and al.frustration == 0


def test_leaves_are_peeled_and_put_back_where_their_tie_is_satisfied():
    # A triangle core with hanging trees: leaves must not change the optimum, for any cap.
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 1), ("b", "c", 1), ("a", "c", -1), ("c", "x", -2), ("x", "y", 3),
                               ("y", "z", -1), ("a", "p", 2)])
    for k in (None, 2, 3):
        al = alignment_clusters(g, max_clusters=k)
        assert al.frustration == 1.0 == brute_force(g, k) and frustration_of(g, al) == 1.0
        assert al.method == "exact" and (k is None or blocs_used(al) <= k)


@pytest.mark.parametrize("trial", range(25))
@pytest.mark.parametrize("k", [3, 4])
@pytest.mark.parametrize("integers", [False, True])
def test_assignment_program_alone_is_exact(trial, k, integers):
    # The K >= 3 program on its own (no heuristic start, no free bound): its proven optimum is the
    # brute-force optimum, so the triangle and cycle inequalities cut off no partition. With integer
    # weights the tie variables are integers too (another path through the program).
    import time

    import numpy as np

    from graph.analysis.alignment import exact as align_exact

    rng = random.Random(500 + trial)
    g = connected_random_graph(rng, rng.randint(4, 8))
    if integers:
        for a, b, x in list(g.edges(data="weight")):
            g[a][b]["weight"] = x if x == int(x) else 2 * x
    nodes = sorted(g.nodes)
    ties = [(nodes.index(a), nodes.index(b), w) for a, b, w in g.edges(data="weight")]
    u = np.array([min(a, b) for a, b, _ in ties])
    v = np.array([max(a, b) for a, b, _ in ties])
    w = np.array([float(x) for _, _, x in ties])
    result = align_exact._solve_assignment(len(nodes), u, v, w, k, time.monotonic() + 30)
    assert result.optimal and result.frustration == pytest.approx(brute_force(g, k))
    assert result.bound == pytest.approx(result.frustration)
    assert len(np.unique(result.labels)) <= k


def test_triangles_are_the_one_hostile_ones():
    import numpy as np

    from graph.analysis.alignment.exact import _triangles

    # 0-1 +, 1-2 +, 0-2 - (one hostile: listed); 2-3 -, 1-3 - (two hostile with 1-2: not listed)
    u, v, w = np.array([0, 1, 0, 2, 1]), np.array([1, 2, 2, 3, 3]), np.array([1.0, 1.0, -1.0, -1.0, -1.0])
    assert sorted(map(tuple, _triangles(4, u, v, w).tolist())) == [(2, 0, 1)] or \
        sorted(map(tuple, _triangles(4, u, v, w).tolist())) == [(2, 1, 0)]
