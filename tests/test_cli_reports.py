"""The centrality, timeline, show and path commands through the CLI: formats, errors, files."""

from __future__ import annotations

import csv
import io
import json

import pytest

from graph.analysis.centrality import METRICS
from tests.conftest import BUNDLED, write_dataset

NODES = """\
id,label,kind,affiliation
a,Alpha,state,
b,Beta,state,
c,Gamma,official,a
d,Delta,media,
"""
EDGES = """\
source,target,type,date,weight,note,citation
a,b,arrest,2025-01-10,,a arrests b,https://example.org/x
b,a,accusation,2025-01-20,-3,b accuses a,
a,b,support,2025-03-05,,a and b agree,
c,b,meeting,2025-03,,c meets b,
b,d,meeting,,,standing tie,
"""


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "d", NODES, EDGES)


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def fails(result, *phrases):
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    for phrase in phrases:
        assert phrase in lines[0]


@pytest.mark.parametrize("command", ["centrality", "timeline", "show", "path"])
def test_help_has_example(run, command):
    text = ok(run(command, "--help")).output
    assert "Example:" in text and "--data" in text


def test_centrality_help_defines_every_metric(run):
    text = ok(run("centrality", "--help")).output
    for name in METRICS:
        assert name in text


def test_centrality_json(run, data):
    rows = json.loads(ok(run("centrality", "--data", data, "--format", "json")).stdout)
    # Degree: a 3 (arrest, accusation, support), b 5, c 1, d 1; sorted by degree, ties by id.
    assert [r["id"] for r in rows] == ["b", "a", "c", "d"]
    assert list(rows[0]) == ["id", "label", "kind", "degree", "hostility_received", "cooperation_received",
                             "betweenness", "pagerank"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["b"]["hostility_received"] == 5 and by_id["a"]["hostility_received"] == 3
    # The support with a (3) and the undirected meetings with c and d (1 each) are all received by b.
    assert by_id["b"]["cooperation_received"] == 3 + 1 + 1
    # Every arc touches b, both ways (a star): all 6 ordered pairs of the other three actors, out of
    # (n-1)(n-2) = 6, pass through b.
    assert by_id["b"]["betweenness"] == pytest.approx(1.0)
    assert by_id["a"]["betweenness"] == 0
    assert sum(r["pagerank"] for r in rows) == pytest.approx(1)


def test_centrality_metric_all_top_and_sort(run, data):
    rows = json.loads(ok(run("centrality", "--data", data, "--metric", "all", "--top", "2",
                             "--sort", "hostility_sent", "--format", "json")).stdout)
    assert [r["id"] for r in rows] == ["a", "b"]  # a sent 5, b sent 3
    assert set(METRICS) <= set(rows[0])
    rows = json.loads(ok(run("centrality", "--data", data, "--metric", "degree,out_degree", "--sort", "pagerank",
                             "--format", "json")).stdout)
    assert list(rows[0])[3:] == ["degree", "out_degree", "pagerank"]  # the sort metric is added


def test_centrality_filters(run, data):
    rows = json.loads(ok(run("centrality", "--data", data, "--metric", "degree", "--since", "2025-03",
                             "--format", "json")).stdout)
    assert {r["id"]: r["degree"] for r in rows} == {"a": 1, "b": 3, "c": 1, "d": 1}
    rows = json.loads(ok(run("centrality", "--data", data, "--metric", "degree", "--level", "state",
                             "--format", "json")).stdout)
    assert {r["id"]: r["degree"] for r in rows} == {"a": 4, "b": 5, "d": 1}  # c rolled up into a


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_centrality_formats(run, data, fmt):
    text = ok(run("centrality", "--data", data, "--format", fmt, "--metric", "degree")).stdout
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows[0] == {"id": "b", "label": "Beta", "kind": "state", "degree": "5"}
    elif fmt == "markdown":
        assert text.startswith("| id ") and "| b " in text
    else:
        assert text.splitlines()[0].split() == ["id", "label", "kind", "degree"]


def test_centrality_output_file(run, data, tmp_path):
    out = tmp_path / "r" / "c.json"
    result = ok(run("centrality", "--data", data, "--format", "json", "-o", out))
    assert result.stdout == "" and f"wrote {out}" in result.stderr
    assert len(json.loads(out.read_text())) == 4


def test_centrality_errors(run, data):
    fails(run("centrality", "--data", data, "--metric", "pagernk"), "unknown metric 'pagernk'",
          "did you mean 'pagerank'")
    fails(run("centrality", "--data", data, "--sort", "betweeness"), "did you mean 'betweenness'")
    fails(run("centrality", "--data", data, "--since", "2025-13"), "--since")


def test_timeline_json_and_plot(run, data, tmp_path):
    png = tmp_path / "p" / "t.png"
    result = ok(run("timeline", "--data", data, "--pair", "a", "b", "--plot", png, "--format", "json"))
    rows = {r["period"]: r for r in json.loads(result.stdout)}
    assert list(rows) == ["2025-01", "2025-02", "2025-03"]
    assert rows["2025-01"]["hostile"] == 8 and rows["2025-01"]["hostile_events"] == 2
    assert rows["2025-03"]["cooperative"] == 3 and rows["2025-03"]["net"] == 3
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"wrote {png}" in result.stderr


def test_timeline_notes_undated_and_table(run, data):
    result = ok(run("timeline", "--data", data))
    assert "1 undated event" in result.stderr
    assert result.stdout.splitlines()[0].split()[:4] == ["period", "hostile", "cooperative", "net"]


def test_timeline_empty_selection(run, data, tmp_path):
    png = tmp_path / "none.png"
    result = ok(run("timeline", "--data", data, "--since", "2030", "--plot", png, "--format", "json"))
    assert json.loads(result.stdout) == [] and not png.exists()
    assert "no dated events in this selection; no plot written" in result.stderr


def test_timeline_errors(run, data):
    fails(run("timeline", "--data", data, "--pair", "a", "zz"), "unknown actor 'zz'")
    result = run("timeline", "--data", data, "--freq", "day")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_show(run, data):
    text = ok(run("show", "b", "--data", data)).stdout
    assert "Beta (b), state" in text
    assert "1 of 4" in text  # b ranks first by degree
    assert text.index("b accuses a") > text.index("standing tie")  # undated first
    p = json.loads(ok(run("show", "c", "--data", data, "--format", "json")).stdout)
    assert p["affiliation"] == "a" and [e["counterpart"] for e in p["events"]] == ["b"]
    assert p["centrality"]["degree"] == {"value": 1.0, "rank": 3}
    rows = list(csv.DictReader(io.StringIO(ok(run("show", "a", "--data", data, "--format", "csv")).stdout)))
    assert [r["type"] for r in rows] == ["arrest", "accusation", "support"]
    fails(run("show", "bb", "--data", data), "unknown actor 'bb'", "did you mean 'b'")


def test_path(run, data):
    chains = json.loads(ok(run("path", "a", "d", "--data", data, "--format", "json")).stdout)
    assert [c["actors"] for c in chains] == [["a", "b", "d"]]
    assert [e["type"] for e in chains[0]["steps"][0]["events"]] == ["arrest", "accusation", "support"]
    table = ok(run("path", "c", "d", "--data", data)).stdout
    assert "c meets b" in table and "standing tie" in table
    result = ok(run("path", "a", "d", "--data", data, "--types", "arrest", "--format", "json"))
    assert json.loads(result.stdout) == [] and "no chain of events links a and d" in result.stderr
    fails(run("path", "a", "dd", "--data", data), "did you mean 'd'")


def test_bundled_reports(run):
    rows = json.loads(ok(run("centrality", "--data", BUNDLED, "--metric", "all", "--format", "json")).stdout)
    assert {rows[0]["id"], rows[1]["id"]} == {"azerbaijan", "russia"}  # the two states at the centre
    p = json.loads(ok(run("show", "azerbaijan", "--data", BUNDLED, "--format", "json")).stdout)
    assert any(e["counterpart"] == "russia" and e["polarity"] == "hostile" for e in p["events"])
    assert all(e["citation"] for e in p["events"])
    assert json.loads(ok(run("path", "usa", "russia", "--data", BUNDLED, "--format", "json")).stdout)


def test_empty_metric_list_falls_back_to_the_default_metrics(run):
    from graph.analysis.centrality import DEFAULT_METRICS
    from tests.conftest import BUNDLED

    result = run("centrality", "--data", BUNDLED, "--metric", ",", "--top", "1", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == ",".join(["id", "label", "kind", *DEFAULT_METRICS])
