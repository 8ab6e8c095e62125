"""PageRank is deterministic and safe from several threads at once (``serve`` recomputes in a watcher
thread while another request may compute), and equals networkx's on the bundled data."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import pytest

from graph.analysis.centrality import centrality_table
from graph.store.dataset import load_dataset
from graph.view.select import Filters, event_graph, select


def reference(view) -> dict:
    """networkx's PageRank on arcs weighted by their number of events (an undirected event gives both
    arcs), as graph/analysis/centrality.py defines it."""
    g = nx.DiGraph()
    g.add_nodes_from(view.nodes.index)
    for u, v, data in event_graph(view).edges(data=True):
        if u == v:
            continue
        for a, b in ((u, v),) if data["directed"] else ((u, v), (v, u)):
            g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    return nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12)


@pytest.mark.parametrize("level", ["actor", "state"])
def test_pagerank_from_many_threads_is_identical_and_right(data_copy, level):
    view = select(load_dataset(data_copy), Filters(level=level))
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(lambda _: centrality_table(view, ["pagerank"])["pagerank"].to_dict(), range(40)))
    assert all(run == runs[0] for run in runs)  # bit for bit: no random start
    assert runs[0] == pytest.approx(reference(view), abs=1e-6)
