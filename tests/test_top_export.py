"""``export --top N`` (the aggregated graph of the top N actors) and ``html --top N`` on a CSV folder,
and the aggregated export of a store-like view (events behind the engine boundary)."""

from __future__ import annotations

import json
import re
from html import unescape

import networkx as nx
import pandas as pd
import pytest

from graph.analysis.top import top_graph
from graph.interop.export import aggregated_graph, write_export
from graph.store.dataset import load_dataset
from graph.view.engines.memory import memory_engine_data
from graph.view.select import Filters, select
from tests.test_top_map import brute_degree, brute_edges, random_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return random_folder(tmp_path_factory.mktemp("export") / "data")


def _expected_graph(folder, n):
    """Top ``n`` by degree and the brute-force sums of their edges, from the in-memory events."""
    memory = select(load_dataset(folder), Filters())
    degree = brute_degree(memory.events)
    ids = sorted((a for a in memory.nodes.index if degree.get(a, 0) > 0), key=lambda a: (-degree[a], a))[:n]
    return ids, brute_edges(memory.events, ids)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_aggregated_export_of_a_store_view(folder, tmp_path, fmt):
    ds = load_dataset(folder)
    view = select(memory_engine_data(ds), Filters())
    top = top_graph(view, 8, "degree")
    g = aggregated_graph(view, top, {"a00": 1}, {"a00": "Actor 0's bloc"})
    path = write_export(g, fmt, tmp_path / f"top.{fmt}")
    ids, sums = _expected_graph(folder, 8)
    if fmt == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        nodes = [n["id"] for n in data["nodes"]]
        links = [(l["source"], l["target"], l["directed"], l["polarity"], l["events"], l["weight"], l["first"])
                 for l in data["links"]]
    else:
        back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        nodes = list(back.nodes)
        links = []
        for u, v, d in back.edges(data=True):
            if fmt == "gexf" and d.get("type") == "mutual" and u > v:
                continue  # networkx reads a GEXF mutual edge back as two arcs
            links.append((u, v, d["directed"], d["polarity"], d["events"], d["weight"], d["first"]))
    assert nodes == ids
    position = {a: i for i, a in enumerate(ids)}
    got = {}
    for u, v, directed, polarity, n, w, first in links:
        s, t = position[u], position[v]
        if not directed:
            s, t = min(s, t), max(s, t)
        got[(s, t, bool(directed), polarity)] = (int(n), float(w), first)
    assert set(got) == set(sums)
    for key, (n, w, _, first, _) in sums.items():
        assert got[key][0] == n
        assert got[key][1] == pytest.approx(w, abs=1e-9)
        assert got[key][2] == ("" if first is None else first.strftime("%Y-%m-%d"))
    if fmt == "json":
        attrs = {n["id"]: n for n in data["nodes"]}
        assert attrs[ids[0]]["rank"] == 1 and attrs[ids[0]]["degree"] == float(brute_degree(
            select(ds, Filters()).events)[ids[0]])
        assert attrs["a00"]["cluster"] == 1 and attrs["a00"]["bloc"] == "Actor 0's bloc"


def test_export_top_on_a_csv_folder(run, folder, tmp_path):
    out = tmp_path / "top.json"
    result = run("export", "--data", folder, "--format", "json", "--top", "6", "--time-limit", "1", "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    ids, sums = _expected_graph(folder, 6)
    assert [n["id"] for n in data["nodes"]] == ids
    assert sum(link["events"] for link in data["links"]) == sum(v[0] for v in sums.values())
    assert "the top 6 of 40 actors by degree" in result.output
    # Without --top, a CSV folder still exports one edge per event.
    run("export", "--data", folder, "--format", "json", "--no-clusters", "-o", out)
    assert len(json.loads(out.read_text(encoding="utf-8"))["links"]) == len(load_dataset(folder).edges)


def test_html_top_on_a_csv_folder(run, folder, tmp_path):
    out = tmp_path / "top.html"
    result = run("html", "--data", folder, "--top", "7", "--top-by", "pagerank", "--time-limit", "1", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="ag-data">(.*?)</script>', text, re.S).group(1)
    data = json.loads(unescape(raw)) if raw.startswith("{&") else json.loads(raw)
    assert data["top"]["by"] == "pagerank" and len(data["nodes"]["id"]) == 7
    centrality = run("centrality", "--data", folder, "--metric", "pagerank", "--sort", "pagerank", "--top", "7",
                     "--format", "json")
    assert [row["id"] for row in json.loads(centrality.output)] == data["nodes"]["id"]


@pytest.mark.parametrize("bad, message", [(["--top", "0"], "0 is not in the range"),
                                          (["--top", "3", "--top-by", "pagerankk"], "unknown metric 'pagerankk'")])
def test_top_options_refuse_bad_values(run, folder, tmp_path, bad, message):
    result = run("html", "--data", folder, *bad, "-o", tmp_path / "x.html")
    assert result.exit_code != 0 and message in result.output
    assert not (tmp_path / "x.html").exists()
