"""Centrality: hand-worked graphs, and networkx as an independent second implementation."""

from __future__ import annotations

import random

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.errors import ActorgraphError
from graph.analysis.centrality import DEFAULT_METRICS, METRICS, centrality_table, ranked, ranks
from graph.view.select import Filters, View, select
from graph.store.dataset import load_dataset
from tests.conftest import write_dataset

TOL = 1e-6


def make_view(actors, events) -> View:
    """A view straight from ``events`` = [(source, target, directed, polarity, weight), ...]."""
    nodes = pd.DataFrame({"id": actors, "label": [a.upper() for a in actors], "kind": "state"}, index=actors)
    ev = pd.DataFrame(events, columns=["source", "target", "directed", "polarity", "weight"])
    ev["directed"] = ev["directed"].astype(bool)
    ev["weight"] = ev["weight"].astype(float)
    return View(nodes, ev, pd.DataFrame(), Filters())


def random_events(seed, n_actors=25, n_events=70, isolated=3, mix=True):
    rng = random.Random(seed)
    actors = [f"x{i:02d}" for i in range(n_actors)]
    active = actors[: n_actors - isolated]
    events = []
    for _ in range(n_events):
        s, t = rng.sample(active, 2)
        directed = rng.random() < 0.6 if mix else True
        polarity = rng.choice(["hostile", "cooperative", "neutral"])
        weight = {"hostile": -rng.randint(1, 10), "cooperative": rng.randint(1, 10), "neutral": 0}[polarity]
        events.append((s, t, directed, polarity, weight))
    return actors, events


# --- the reference definitions, written independently with networkx ---

def nx_arcs(actors, events) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(actors)
    for s, t, directed, *_ in events:
        if s == t:
            continue
        for u, v in ([(s, t)] if directed else [(s, t), (t, s)]):
            w = g.get_edge_data(u, v, {"weight": 0})["weight"]
            g.add_edge(u, v, weight=w + 1)
    return g


def nx_pairs(actors, events) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(actors)
    for s, t, *_ in events:
        if s != t:
            g.add_edge(s, t, weight=g.get_edge_data(s, t, {"weight": 0})["weight"] + 1)
    return g


def assert_close(series: pd.Series, expected: dict):
    for actor, value in expected.items():
        assert series[actor] == pytest.approx(value, abs=TOL), actor


# --- hand-worked ---

HAND_NODES = """\
id,label,kind
a,A,state
b,B,state
c,C,official
d,D,media
e,E,group
"""
# arrest -5 directed, accusation -2 directed, support +3 undirected, appointment neutral directed.
HAND_EDGES = """\
source,target,type,date,weight
a,b,arrest,2025-01-05,
a,b,accusation,2025-02,
b,c,support,2025-03-01,
c,a,accusation,2025-03-02,-4
d,c,appointment,2025,
a,a,accusation,2025-04-01,
"""


@pytest.fixture
def hand(tmp_path):
    folder = write_dataset(tmp_path / "d", HAND_NODES, HAND_EDGES)
    return select(load_dataset(folder))


def test_counts_and_sums_hand_worked(hand):
    t = centrality_table(hand, ["all"])
    assert list(t.index) == ["a", "b", "c", "d", "e"]  # the isolated actor e is kept
    assert list(t.columns) == ["label", "kind", *METRICS]
    # a: arrest, accusation, accusation from c, its own self-accusation.
    assert t["degree"].to_dict() == {"a": 4, "b": 3, "c": 3, "d": 1, "e": 0}
    # in: a gets c's accusation + self-loop; b two arrivals + the undirected support; c the appointment
    # and the support.
    assert t["in_degree"].to_dict() == {"a": 2, "b": 3, "c": 2, "d": 0, "e": 0}
    assert t["out_degree"].to_dict() == {"a": 3, "b": 1, "c": 2, "d": 1, "e": 0}
    # a sends 5 + 2 + 2 (self); c sends the overridden 4.
    assert t["hostility_sent"].to_dict() == {"a": 9, "b": 0, "c": 4, "d": 0, "e": 0}
    assert t["hostility_received"].to_dict() == {"a": 6, "b": 7, "c": 0, "d": 0, "e": 0}
    # the undirected support (3) is sent and received by both b and c.
    assert t["cooperation_sent"].to_dict() == {"a": 0, "b": 3, "c": 3, "d": 0, "e": 0}
    assert t["cooperation_received"].to_dict() == {"a": 0, "b": 3, "c": 3, "d": 0, "e": 0}


def test_betweenness_hand_worked(hand):
    # Arcs: a→b, b→c, c→b (undirected support), c→a, d→c; the self-loop is ignored.
    # Shortest paths through b: a→c (a→b→c). Through c: b→a, d→a, d→b. n = 5, normalised by 4·3.
    t = centrality_table(hand, ["betweenness"])
    assert_close(t["betweenness"], {"a": 0, "b": 1 / 12, "c": 3 / 12, "d": 0, "e": 0})


def test_pagerank_hand_worked():
    # One arrest a→b; b has no outgoing arc, so its rank is spread evenly:
    # x_a = 0.15/2 + 0.85·x_b/2 and x_a + x_b = 1  →  x_a = 0.5 / 1.425.
    t = centrality_table(make_view(["a", "b"], [("a", "b", True, "hostile", -5)]), ["pagerank"])
    assert_close(t["pagerank"], {"a": 0.5 / 1.425, "b": 1 - 0.5 / 1.425})


def test_pagerank_counts_events_as_arc_weight():
    # a→b twice, a→c once, b and c point back to a: x_b = 0.05 + 0.85·(2/3)x_a, x_c = 0.05 + 0.85·(1/3)x_a,
    # x_a = 0.05 + 0.85(x_b + x_c) → x_a = 0.05 + 0.85(0.1 + 0.85 x_a) → x_a = 0.135 / (1 - 0.7225).
    ev = [("a", "b", True, "hostile", -1), ("a", "b", True, "hostile", -1), ("a", "c", True, "hostile", -1),
          ("b", "a", True, "hostile", -1), ("c", "a", True, "hostile", -1)]
    xa = 0.135 / 0.2775
    t = centrality_table(make_view(["a", "b", "c"], ev), ["pagerank"])
    assert_close(t["pagerank"], {"a": xa, "b": 0.05 + 0.85 * 2 / 3 * xa, "c": 0.05 + 0.85 / 3 * xa})


def test_eigenvector_hand_worked():
    # Path a-b-c with 1 event on a-b and 2 on b-c: λx_a = x_b, λx_b = x_a + 2x_c, λx_c = 2x_b
    # → λ² = 5, x ∝ (1, √5, 2), norm √10. The separate pair d-e has eigenvalue 1 < √5, so it scores 0.
    ev = [("a", "b", True, "hostile", -1), ("c", "b", False, "cooperative", 1), ("b", "c", True, "hostile", -2),
          ("d", "e", True, "neutral", 0)]
    t = centrality_table(make_view(list("abcdef"), ev), ["eigenvector"])
    r = np.sqrt(10)
    assert_close(t["eigenvector"], {"a": 1 / r, "b": np.sqrt(5) / r, "c": 2 / r, "d": 0, "e": 0, "f": 0})


def test_eigenvector_equal_components_share():
    # Two separate pairs with equal eigenvalue 1: networkx's power iteration from all ones gives 1/2 each.
    ev = [("a", "b", True, "hostile", -1), ("c", "d", False, "cooperative", 2)]
    t = centrality_table(make_view(list("abcde"), ev), ["eigenvector"])
    assert_close(t["eigenvector"], {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5, "e": 0})
    ref = nx.eigenvector_centrality(nx_pairs(list("abcde"), ev), weight="weight", tol=1e-13, max_iter=10000)
    assert_close(t["eigenvector"], ref)


def test_eigenvector_tied_components_of_different_shape():
    # A triangle (t1-t3) and a star with 4 leaves both have leading eigenvalue 2. Unit Perron vectors:
    # triangle 1/√3 each (sum √3); star centre 1/√2, leaves 1/(2√2) (sum 3/√2). Weighted by their sums:
    # triangle 1, centre 1.5, leaves 0.75; norm √7.5.
    ev = [("t1", "t2", True, "hostile", -1), ("t2", "t3", True, "hostile", -1), ("t3", "t1", True, "hostile", -1)]
    ev += [("s0", f"s{i}", False, "cooperative", 1) for i in range(1, 5)]
    actors = ["t1", "t2", "t3", "s0", "s1", "s2", "s3", "s4"]
    t = centrality_table(make_view(actors, ev), ["eigenvector"])
    r = np.sqrt(7.5)
    expected = {"t1": 1 / r, "t2": 1 / r, "t3": 1 / r, "s0": 1.5 / r, **{f"s{i}": 0.75 / r for i in range(1, 5)}}
    assert_close(t["eigenvector"], expected)
    assert_close(t["eigenvector"], nx.eigenvector_centrality(nx_pairs(actors, ev), weight="weight", tol=1e-13,
                                                             max_iter=10000))


def test_no_events_scores_zero_without_raising():
    t = centrality_table(make_view(["a", "b", "c"], []), ["all"])
    assert (t[["degree", "betweenness", "eigenvector", "hostility_sent"]] == 0).all().all()
    assert_close(t["pagerank"], {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})


def test_empty_view():
    t = centrality_table(make_view([], []), ["all"])
    assert len(t) == 0 and "pagerank" in t.columns


# --- networkx as the second implementation ---

@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("mix", [True, False], ids=["mixed", "directed"])
def test_random_graphs_match_networkx(seed, mix):
    actors, events = random_events(seed, mix=mix, n_events=40 + 15 * seed)
    t = centrality_table(make_view(actors, events), ["all"])
    arcs = nx_arcs(actors, events)
    assert_close(t["betweenness"], nx.betweenness_centrality(arcs, normalized=True))
    assert_close(t["pagerank"], nx.pagerank(arcs, alpha=0.85, weight="weight", tol=1e-13, max_iter=10000))
    pairs = nx_pairs(actors, events)
    assert_close(t["eigenvector"], nx.eigenvector_centrality(pairs, weight="weight", tol=1e-13, max_iter=100000))
    multi = nx.MultiDiGraph()
    multi.add_nodes_from(actors)
    multi.add_edges_from((s, t_) for s, t_, *_ in events)
    assert t["degree"].to_dict() == dict(multi.degree())


def test_undirected_events_only_match_networkx_undirected():
    actors, events = random_events(11, n_events=60)
    events = [(s, t, False, p, w) for s, t, _, p, w in events]
    t = centrality_table(make_view(actors, events), ["all"])
    g = nx_pairs(actors, events)
    # With every event undirected, the arc graph is symmetric: networkx's undirected betweenness (pairs
    # counted once, normalised by (n-1)(n-2)/2) equals the directed one.
    assert_close(t["betweenness"], nx.betweenness_centrality(g, normalized=True))
    assert_close(t["pagerank"], nx.pagerank(g, weight="weight", tol=1e-13, max_iter=10000))
    assert (t["in_degree"] == t["out_degree"]).all() and (t["in_degree"] == t["degree"]).all()


def test_disconnected_graph_match_networkx():
    # Three components of different sizes plus isolated actors.
    rng = random.Random(5)
    actors = [f"n{i}" for i in range(30)]
    events = []
    for block in (actors[0:12], actors[12:20], actors[20:24]):
        for _ in range(len(block) * 2):
            s, t = rng.sample(block, 2)
            events.append((s, t, rng.random() < 0.5, "hostile", -1))
    t = centrality_table(make_view(actors, events), ["all"])
    assert_close(t["betweenness"], nx.betweenness_centrality(nx_arcs(actors, events), normalized=True))
    assert_close(t["pagerank"], nx.pagerank(nx_arcs(actors, events), weight="weight", tol=1e-13, max_iter=10000))
    ref = nx.eigenvector_centrality(nx_pairs(actors, events), weight="weight", tol=1e-13, max_iter=100000)
    assert_close(t["eigenvector"], ref)
    assert (t.loc[actors[24:], "eigenvector"] == 0).all()


def test_sums_match_brute_force():
    actors, events = random_events(3, n_events=120)
    t = centrality_table(make_view(actors, events), ["all"])
    for actor in actors:
        sent = {"hostile": 0.0, "cooperative": 0.0}
        got = {"hostile": 0.0, "cooperative": 0.0}
        for s, tg, directed, polarity, w in events:
            if polarity == "neutral":
                continue
            if s == actor or (not directed and tg == actor):
                sent[polarity] += abs(w)
            if tg == actor or (not directed and s == actor):
                got[polarity] += abs(w)
        assert t.loc[actor, "hostility_sent"] == pytest.approx(sent["hostile"])
        assert t.loc[actor, "hostility_received"] == pytest.approx(got["hostile"])
        assert t.loc[actor, "cooperation_sent"] == pytest.approx(sent["cooperative"])
        assert t.loc[actor, "cooperation_received"] == pytest.approx(got["cooperative"])


def test_karate_club_against_networkx_and_igraph():
    # Zachary's karate club as undirected events: a real network with known structure.
    g = nx.karate_club_graph()
    actors = [f"k{i:02d}" for i in g.nodes]
    events = [(f"k{u:02d}", f"k{v:02d}", False, "cooperative", 1) for u, v in g.edges]
    t = centrality_table(make_view(actors, events), ["all"])
    expected_bt = nx.betweenness_centrality(g, normalized=True)
    assert_close(t["betweenness"], {f"k{i:02d}": v for i, v in expected_bt.items()})
    # The two leaders (0: instructor, 33: administrator) are the most central by betweenness.
    assert set(ranked(t, "betweenness", 2).index) == {"k00", "k33"}
    unweighted = nx.Graph(g.edges)  # karate_club_graph carries interaction weights; events count once here
    expected_pr = nx.pagerank(unweighted, tol=1e-13, max_iter=10000)
    assert_close(t["pagerank"], {f"k{i:02d}": v for i, v in expected_pr.items()})
    expected_ev = nx.eigenvector_centrality(unweighted, tol=1e-13, max_iter=10000)
    assert_close(t["eigenvector"], {f"k{i:02d}": v for i, v in expected_ev.items()})
    zachary = ig.Graph.Famous("Zachary")
    assert list(t["degree"]) == zachary.degree()


def test_les_miserables_weighted_against_networkx():
    # Co-appearance counts become that many undirected events between the two characters.
    g = nx.les_miserables_graph()
    names = sorted(g.nodes)
    events = [(u, v, False, "neutral", 0) for u, v, w in g.edges(data="weight") for _ in range(int(w))]
    t = centrality_table(make_view(names, events), ["betweenness", "pagerank", "eigenvector"])
    assert_close(t["betweenness"], nx.betweenness_centrality(g, normalized=True))
    assert_close(t["pagerank"], nx.pagerank(g, weight="weight", tol=1e-13, max_iter=10000))
    assert_close(t["eigenvector"], nx.eigenvector_centrality(g, weight="weight", tol=1e-13, max_iter=10000))


# --- selection, sorting, errors ---

def test_default_metrics_and_unknown_metric(hand):
    assert list(centrality_table(hand).columns) == ["label", "kind", *DEFAULT_METRICS]
    with pytest.raises(ActorgraphError, match="unknown metric 'pagernk'.*did you mean 'pagerank'"):
        centrality_table(hand, ["pagernk"])


def test_ranked_and_ranks(hand):
    t = centrality_table(hand, ["degree", "hostility_received"])
    # b and c tie on degree 3: the tie is broken by id.
    assert list(ranked(t, "degree").index) == ["a", "b", "c", "d", "e"]
    assert list(ranked(t, "hostility_received", top=2).index) == ["b", "a"]
    assert ranks(t)["degree"].to_dict() == {"a": 1, "b": 2, "c": 2, "d": 4, "e": 5}
    with pytest.raises(ActorgraphError, match="cannot sort by 'pagerank'"):
        ranked(t, "pagerank")


def test_filters_apply_before_metrics(tmp_path):
    folder = write_dataset(tmp_path / "d", HAND_NODES, HAND_EDGES)
    view = select(load_dataset(folder), Filters(until="2025-02"))
    t = centrality_table(view, ["degree", "hostility_received"])
    # Up to February: the arrest, the February accusation and the 2025 appointment (its year overlaps).
    assert t["degree"].to_dict() == {"a": 2, "b": 2, "c": 1, "d": 1, "e": 0}
    assert t.loc["b", "hostility_received"] == 7
