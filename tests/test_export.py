"""``actorgraph export``: GEXF, GraphML and node-link JSON read back with networkx's own readers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from tests.conftest import write_dataset

NODES = """\
id,label,kind,affiliation,aliases,description
a,Alpha,state,,,
b,Beta,state,,,
c,Gamma,media,,,
d,Delta,group,,,
e,Epsilon,person,a,,"quiet, unaligned"
"""
# Two camps: a+b cooperate, c+d cooperate, hostility across; e only has a neutral event.
EDGES = """\
source,target,type,date,weight,note,citation
a,b,support,2025-07,,Alpha backs Beta,https://example.org/1
c,d,meeting,2025-06-01,,,
a,c,arrest,2025-07-10,-6,"Alpha arrests Gamma's staff",https://example.org/2
d,b,accusation,2024,,,
b,c,accusation,,,standing feud,
a,e,appointment,2025-01-02,,,
"""
EVENTS = 6


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", NODES, EDGES)


def export(run, data, tmp_path, fmt, *extra):
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--data", data, "--format", fmt, "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return out


def check_nodes(g):
    assert set(g.nodes) == {"a", "b", "c", "d", "e"}
    assert g.nodes["c"]["kind"] == "media" and g.nodes["e"]["affiliation"] == "a"
    assert g.nodes["e"]["description"] == "quiet, unaligned"
    cl = {n: int(g.nodes[n]["cluster"]) for n in g.nodes}
    assert cl["a"] == cl["b"] != cl["c"] == cl["d"]
    assert {cl["a"], cl["c"]} == {1, 2}
    assert cl["e"] == cl["a"]  # no signed event, but its affiliation ties it to a
    assert g.nodes["e"]["bloc"] == g.nodes["a"]["bloc"] != ""


def test_graphml_round_trip(run, data, tmp_path):
    g = nx.read_graphml(export(run, data, tmp_path, "graphml"), force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    check_nodes(g)
    assert g.nodes["a"]["label"] == "Alpha"
    assert g.number_of_edges() == EVENTS
    arrest = [d for _, _, d in g.edges("a", data=True) if d["type"] == "arrest"][0]
    assert (arrest["polarity"], arrest["weight"], arrest["date"], arrest["directed"]) == ("hostile", -6.0, "2025-07-10", True)
    assert arrest["note"] == "Alpha arrests Gamma's staff" and arrest["citation"] == "https://example.org/2"
    assert (arrest["start"], arrest["end"]) == ("2025-07-10", "2025-07-10")
    support = [d for _, _, d in g.edges("a", data=True) if d["type"] == "support"][0]
    assert (support["weight"], support["directed"], support["start"], support["end"]) == (3.0, False, "2025-07-01", "2025-07-31")
    feud = [d for u, v, d in g.edges(data=True) if d["note"] == "standing feud"][0]
    assert "start" not in feud and feud["date"] == ""


def test_json_node_link_round_trip(run, data, tmp_path):
    out = export(run, data, tmp_path, "json")
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert {"nodes", "links"} <= set(raw)
    g = nx.node_link_graph(raw, edges="links")
    check_nodes(g)
    assert g.nodes["a"]["label"] == "Alpha"
    assert g.number_of_edges() == EVENTS
    types = sorted(d["type"] for _, _, d in g.edges(data=True))
    assert types == ["accusation", "accusation", "appointment", "arrest", "meeting", "support"]


def test_gexf_round_trip_and_dynamic_spells(run, data, tmp_path):
    out = export(run, data, tmp_path, "gexf")
    g = nx.read_gexf(out)
    check_nodes(g)
    assert g.nodes["a"]["label"] == "Alpha"
    # support and meeting are undirected ("mutual" in GEXF): networkx reads each as two arcs.
    assert g.number_of_edges() == EVENTS + 2
    arrest = [d for _, _, d in g.edges("a", data=True) if d["event_type"] == "arrest"][0]
    assert (arrest["polarity"], arrest["weight"], arrest["date"]) == ("hostile", -6.0, "2025-07-10")
    assert (arrest["start"], arrest["end"]) == ("2025-07-10", "2025-07-10")
    accusation = [d for u, v, d in g.edges(data=True) if d["event_type"] == "accusation" and d["date"] == "2024"][0]
    assert (accusation["start"], accusation["end"]) == ("2024-01-01", "2024-12-31")

    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.parse(out).getroot()
    graph = root.find("g:graph", ns)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    edges = graph.findall("g:edges/g:edge", ns)
    assert len(edges) == EVENTS
    dated = [e for e in edges if e.get("start")]
    assert len(dated) == EVENTS - 1  # the undated standing feud has no spell: always present
    assert sorted(e.get("type") for e in edges) == ["directed"] * 4 + ["mutual"] * 2


def test_filters_apply(run, data, tmp_path):
    g = nx.read_graphml(export(run, data, tmp_path, "graphml", "--since", "2025-06", "--no-clusters"))
    # Inside the window: a-b support, c-d meeting, a-c arrest; the undated feud always counts.
    assert sorted(d["type"] for _, _, d in g.edges(data=True)) == ["accusation", "arrest", "meeting", "support"]
    assert {int(c) for _, c in g.nodes(data="cluster")} == {0}


def test_state_level_rolls_up(run, data, tmp_path):
    g = nx.node_link_graph(json.loads(export(run, data, tmp_path, "json", "--level", "state").read_text()),
                           edges="links")
    assert "e" not in g  # rolled up into its affiliation a


def test_bad_output_and_invalid_data(run, data, tmp_path):
    result = run("export", "--data", data, "--format", "gexf", "-o", tmp_path)
    assert result.exit_code != 0 and "Traceback" not in result.output
    (data / "edges.csv").write_text("source,target,type\na,zz,arrest\n")
    out = tmp_path / "x.gexf"
    result = run("export", "--data", data, "--format", "gexf", "-o", out)
    assert result.exit_code == 1 and "unknown target node 'zz'" in result.stderr
    assert not out.exists()
