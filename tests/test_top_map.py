"""A map (and export) of the top N actors of a view whose events stay with an engine.

The views here are store-like: ``memory_engine_data`` keeps the events behind the engine boundary, so
``view.events`` is None and every answer comes through ``Engine.pairs/edges/latest``. Expected values
are computed independently: degree by counting rows in Python, PageRank with networkx, edge sums and
latest events by looping over the events of the in-memory view.
"""

from __future__ import annotations

import random
from collections import defaultdict

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.analysis.alignment.of_view import BlocSettings
from graph.analysis.top import sub_pairs, top_graph
from graph.errors import ActorgraphError
from graph.explorer.page import Analysis, HtmlOptions, script_json
from graph.explorer.top_map import EMBED_BYTES, EMBED_EDGES, EMBED_PER_EDGE, top_payload
from graph.store.dataset import load_dataset
from graph.view.edges import latest_events
from graph.view.engines.memory import memory_engine_data
from graph.view.pairs import events_pair_table
from graph.view.select import Filters, select
from tests.conftest import DEFAULT_TYPES, write_dataset

KINDS = ("state", "official", "media", "group")
#: Blocs solved briefly: these tests check what is drawn, not the blocs (their own tests do).
QUICK = BlocSettings(time_limit=1.0)
DATES = ("", "2024", "2024-03", "2024-03-05", "2024-11-20", "2025-01", "2025-02-14", "2025-06-30")


def random_folder(folder, actors: int = 40, events: int = 700, seed: int = 1):
    """A seeded data set: actors of several kinds (some affiliated), events of every type and date form."""
    rng = random.Random(seed)
    ids = [f"a{i:02d}" for i in range(actors)]
    nodes = ["id,label,kind,affiliation"]
    for i, a in enumerate(ids):
        parent = ids[rng.randrange(i)] if i > 3 and rng.random() < 0.3 else ""
        nodes.append(f"{a},Actor {i},{KINDS[i % len(KINDS)]},{parent}")
    types = [line.split(",")[0] for line in DEFAULT_TYPES.strip().splitlines()[1:]]
    edges = ["source,target,type,date,weight,note,citation"]
    hubs = ids[:8]
    for k in range(events):
        s = rng.choice(hubs) if rng.random() < 0.5 else rng.choice(ids)
        t = rng.choice(ids)
        typ = rng.choice(types)
        weight = ""
        if typ == "arrest" and rng.random() < 0.2:
            weight = "-7"
        edges.append(f"{s},{t},{typ},{rng.choice(DATES)},{weight},event {k},https://example.org/{k}")
    return write_dataset(folder, "\n".join(nodes) + "\n", "\n".join(edges) + "\n")


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return load_dataset(random_folder(tmp_path_factory.mktemp("top")))


FILTERS = [Filters(), Filters(since="2024-06", until="2025-03"), Filters(level="state"),
           Filters(half_life=90.0, types=("arrest", "support", "appointment")), Filters(kinds=("state", "official"))]


def brute_degree(events: pd.DataFrame) -> dict[str, int]:
    count: dict[str, int] = defaultdict(int)
    for s, t in zip(events["source"], events["target"]):
        count[s] += 1
        if t != s:
            count[t] += 1
    return count


def brute_pagerank(view) -> dict[str, float]:
    g = nx.DiGraph()
    g.add_nodes_from(view.nodes.index)
    for s, t, directed in zip(view.events["source"], view.events["target"], view.events["directed"]):
        if s == t:
            continue
        for u, v in ([(s, t)] if directed else [(s, t), (t, s)]):
            w = g.edges[u, v]["weight"] + 1 if g.has_edge(u, v) else 1
            g.add_edge(u, v, weight=w)
    return nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)


def expected_top(score: dict[str, float], degree: dict[str, int], n: int) -> list[str]:
    active = [a for a in score if degree.get(a, 0) > 0]
    return sorted(active, key=lambda a: (-round(score[a], 9), a))[:n]


@pytest.mark.parametrize("filters", FILTERS, ids=["all", "window", "state", "decay-types", "kinds"])
@pytest.mark.parametrize("by", ["degree", "pagerank"])
def test_top_actors_are_the_highest_of_the_whole_selection(ds, filters, by):
    memory = select(ds, filters)
    store = select(memory_engine_data(ds), filters)
    assert store.events is None
    degree = brute_degree(memory.events)
    score = {a: float(degree.get(a, 0)) for a in memory.nodes.index} if by == "degree" else brute_pagerank(memory)
    top = top_graph(store, 12, by)
    assert list(top.ids) == expected_top(score, degree, 12)
    assert top.actors == len(memory.nodes)
    assert top.events == len(memory.events)


def brute_edges(events: pd.DataFrame, ids) -> dict:
    position = {a: i for i, a in enumerate(ids)}
    sums: dict = {}
    for row in events.itertuples(index=False):
        if row.source not in position or row.target not in position:
            continue
        s, t = position[row.source], position[row.target]
        if not row.directed:
            s, t = min(s, t), max(s, t)
        key = (s, t, bool(row.directed), row.polarity)
        n, w, m, first, last = sums.get(key, (0, 0.0, 0.0, None, None))
        if pd.notna(row.start):
            first = row.start if first is None else min(first, row.start)
            last = row.end if last is None else max(last, row.end)
        sums[key] = (n + 1, w + row.weight, m + abs(row.weight), first, last)
    return sums


@pytest.mark.parametrize("filters", FILTERS, ids=["all", "window", "state", "decay-types", "kinds"])
def test_edges_are_the_sums_of_their_events(ds, filters):
    memory = select(ds, filters)
    store = select(memory_engine_data(ds), filters)
    top = top_graph(store, 10, "degree")
    expected = brute_edges(memory.events, list(top.ids))
    got = {}
    for row in top.edges.itertuples(index=False):
        got[(row.source, row.target, bool(row.directed), row.polarity)] = (
            row.events, row.weight, row.magnitude, None if pd.isna(row.first) else row.first,
            None if pd.isna(row.last) else row.last)
    assert set(got) == set(expected)
    for key, (n, w, m, first, last) in expected.items():
        assert got[key][0] == n
        assert got[key][1] == pytest.approx(w, rel=1e-9, abs=1e-9)
        assert got[key][2] == pytest.approx(m, rel=1e-9, abs=1e-9)
        assert (got[key][3], got[key][4]) == (first, last)
    # The same code path on the in-memory view gives the same table.
    assert top_graph(memory, 10, "degree").edges.equals(top.edges)


def test_latest_events_are_the_newest_of_each_pair(ds):
    memory = select(ds, Filters())
    store = select(memory_engine_data(ds), Filters())
    pairs = [("a00", "a01"), ("a03", "a02"), ("a05", "a07")]
    got = latest_events(store, pairs, 3, polarity="hostile")
    ev = memory.events[memory.events["polarity"] == "hostile"]
    expected = []
    for a, b in sorted(tuple(sorted(p)) for p in pairs):
        rows = [r for r in ev.itertuples(index=False) if {r.source, r.target} == {a, b}]
        dated = sorted((r for r in rows if pd.notna(r.start)),
                       key=lambda r: (-r.start.value, -r.end.value, r.source, r.target, r.type, r.note))
        undated = sorted((r for r in rows if pd.isna(r.start)), key=lambda r: (r.source, r.target, r.type, r.note))
        expected += [r.note for r in (dated + undated)[:3]]
    assert list(got["note"]) == expected
    assert list(latest_events(memory, pairs, 3, polarity="hostile")["note"]) == expected


def test_sub_pairs_keeps_the_ties_among_the_chosen(ds):
    memory = select(ds, Filters())
    top = top_graph(memory, 9, "degree")
    ids = list(top.ids)
    ev = memory.events[memory.events["source"].isin(ids) & memory.events["target"].isin(ids)]
    expected = events_pair_table(pd.Index(ids), ev).table
    got = sub_pairs(top.pairs, ids).table
    key = ["source", "target", "directed"]
    pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True),
                                  expected.sort_values(key).reset_index(drop=True), check_dtype=False)


def test_top_checks_its_arguments(ds):
    view = select(memory_engine_data(ds), Filters())
    with pytest.raises(ActorgraphError, match="--top must be"):
        top_graph(view, 0)
    with pytest.raises(ActorgraphError, match="unknown metric"):
        top_graph(view, 5, "pagerankk")


def test_payload_of_a_store_view(ds):
    view = select(memory_engine_data(ds), Filters())
    options = HtmlOptions(top=12, top_by="degree", blocs=QUICK)
    data = top_payload(ds, view, options)
    top = top_graph(view, 12, "degree")
    assert data["nodes"]["id"] == list(top.ids)
    assert data["top"]["of"] == len(ds.nodes) and data["top"]["events"] == len(ds.edges)
    assert data["edges"]["n"] == [int(n) for n in top.edges["events"]]
    assert sum(data["edges"]["n"]) == data["top"]["edgeEvents"]
    # Ranks are ranks in the whole selection: the first actor is rank 1 of all of them.
    degree_row = [m["k"] for m in data["metrics"]].index("degree")
    assert data["nodes"]["r"][degree_row][0] == 1
    # Every embedded event belongs to the edge it is filed under, and is one of that pair's latest.
    E, A = data["events"], data["edges"]
    assert len(E["s"]) > 0
    for e, g in enumerate(E["g"]):
        assert {E["s"][e], E["t"][e]} == {A["s"][g], A["t"][g]}
        assert data["types"]["p"][E["y"][e]] == A["p"][g]
    per_edge = pd.Series(E["g"]).value_counts()
    assert per_edge.max() <= EMBED_PER_EDGE


def test_payload_size_is_bounded_on_a_large_store(tmp_path):
    """20,000 actors and 1,000,000 events (the benchmark generator): the page carries the top 300."""
    from tests.test_bench_generator import bench

    folder = tmp_path / "big"
    bench.generate(folder, 20_000, 1_000_000, seed=3)
    ds = load_dataset(folder)
    view = select(memory_engine_data(ds), Filters())
    options = HtmlOptions(top=300, layout="physics")
    top = top_graph(view, 300, "degree", ["pagerank"])
    # Blocs of 20,000 actors take minutes and add one number per actor: left out of this test.
    analysis = Analysis(top.table.loc[top.ids], [0] * 300, "none", None, [])
    data = top_payload(ds, view, options, top, analysis)
    size = len(script_json(data).encode("utf-8"))
    edges, events = len(data["edges"]["s"]), len(data["events"]["s"])
    assert len(data["nodes"]["id"]) == 300 and data["top"]["of"] == 20_000 and data["top"]["events"] == 1_000_000
    assert events <= EMBED_EDGES * EMBED_PER_EDGE
    text = sum(len(n) + len(c) + len(d) + 40 for n, c, d in zip(data["events"]["n"], data["events"]["c"],
                                                                data["events"]["d"]))
    assert text <= EMBED_BYTES
    # The stated budget: ~60 bytes per edge, ~0.3 kB per actor, the embedded events, 20 kB of settings.
    assert edges <= 3 * 300 * 299
    assert size <= 60 * edges + 300 * 300 + 2 * EMBED_BYTES + 20_000, (size, edges, events)
    assert data["top"]["edgeEvents"] == sum(data["edges"]["n"])
