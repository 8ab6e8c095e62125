"""node / edge / type commands: what they change, what they print, and what they refuse."""

from __future__ import annotations

import pytest

from graph.store.safe_write import LOCK_FILE, locked
from graph.store.dataset import load_dataset
from tests.conftest import write_dataset

NODES = """\
id,label,kind,affiliation,aliases,description
russia,Russia,state,,Moscow;Kremlin,
azerbaijan,Azerbaijan,state,,Baku,
putin,Vladimir Putin,official,russia,,
sputnik_az,Sputnik Azerbaijan,media,russia,,
"""
EDGES = """\
source,target,type,date,weight,note,citation
putin,azerbaijan,accusation,2025-07,,accused Baku,https://example.org/1
azerbaijan,sputnik_az,arrest,2025-06-30,,raided the office,https://example.org/2
azerbaijan,sputnik_az,arrest,2025-07-01,,second raid,
russia,azerbaijan,meeting,2024,,,
"""


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", NODES, EDGES)


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def refused(result, *words):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in message, message
    return message


def test_node_add_appends_a_row_and_says_where(run, data):
    result = run("node", "add", "lavrov", "--label", "Sergey Lavrov", "--kind", "Official",
                 "--affiliation", "russia", "--aliases", "FM Lavrov", "--data", data)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "nodes.csv:6: added node 'lavrov'"
    assert result.stdout == ""
    text = (data / "nodes.csv").read_text()
    assert text == NODES + "lavrov,Sergey Lavrov,official,russia,FM Lavrov,\n"
    assert load_dataset(data).nodes.loc["lavrov", "affiliation"] == "russia"


@pytest.mark.parametrize("args, words", [
    (["node", "add", "russia", "--label", "R", "--kind", "state"], ["'russia' already exists", "line 2"]),
    (["node", "add", "x", "--label", "X", "--kind", "state", "--affiliation", "rusia"],
     ["unknown affiliation 'rusia'", "did you mean 'russia'"]),
    (["node", "add", "x", "--label", "X", "--kind", "state", "--column", "colour=red"],
     ["no column 'colour'", "add it to the header"]),
    (["node", "set", "putn", "--label", "P"], ["unknown node 'putn'", "did you mean 'putin'"]),
    (["node", "set", "putin", "--column", "id=p"], ["node rename"]),
    (["node", "set", "putin", "--label", "P", "--column", "label=Q"], ["'label' has its own option"]),
    (["edge", "add", "russia", "azerbaijan", "arrest", "--column", "source=putin"], ["'source' has its own"]),
    (["node", "set", "putin"], ["nothing to set"]),
    (["node", "rename", "putin", "russia"], ["'russia' already exists"]),
    (["node", "rm", "putin"], ["still used by 1 edge", "edges.csv line 2", "--cascade"]),
    (["node", "rm", "russia"], ["1 edge (edges.csv line 5)", "2 affiliations (nodes.csv lines 4, 5)"]),
    (["edge", "add", "russia", "azerbaijn", "arrest"], ["unknown target node 'azerbaijn'",
                                                        "did you mean 'azerbaijan'"]),
    (["edge", "add", "russia", "azerbaijan", "arest"], ["unknown type 'arest'", "did you mean 'arrest'"]),
    (["edge", "add", "russia", "azerbaijan", "arrest", "--date", "2025-02-30"], ["bad date", "2025-02-30"]),
    (["edge", "add", "russia", "azerbaijan", "arrest", "--date", "July 2025"], ["bad date"]),
    (["edge", "rm", "azerbaijan", "sputnik_az", "arrest"], ["2 edges match", "line 3", "line 4", "--all"]),
    (["edge", "rm", "sputnik_az", "azerbaijan", "arrest"], ["no edge sputnik_az -> azerbaijan"]),
    (["edge", "rm", "azerbaijan", "sputnik_az", "arrest", "--line", "2"], ["no edge", "on line 2"]),
    (["type", "add", "arrest", "--polarity", "hostile", "--weight", "-1", "--directed", "true"],
     ["'arrest' already exists"]),
    (["type", "rm", "arrest"], ["still used by 2 edges", "edges.csv lines 3, 4"]),
    (["type", "set", "arestt", "--weight", "-1"], ["unknown type 'arestt'", "did you mean 'arrest'"]),
])
def test_refusals_write_nothing(run, data, args, words):
    before = files(data)
    refused(run(*args, "--data", data), *words)
    assert files(data) == before


@pytest.mark.parametrize("args, problem", [
    # each passes the command's own checks but leaves an invalid data set: validation stops it
    (["node", "set", "russia", "--affiliation", "putin"], "affiliation loop"),
    (["type", "add", "t", "--polarity", "hostile", "--weight", "2", "--directed", "true"], "contradicts polarity"),
    (["edge", "add", "russia", "azerbaijan", "arrest", "--weight", "4"], "contradicts polarity"),
    (["edge", "add", "russia", "azerbaijan", "arrest", "--weight", "lots"], "not a number"),
    (["type", "set", "arrest", "--weight", "-11"], "outside -10..10"),
    (["node", "set", "putin", "--label", ""], "missing value for required column 'label'"),
])
def test_a_change_that_breaks_validation_is_reported_and_not_written(run, data, args, problem):
    before = files(data)
    result = run(*args, "--data", data)
    assert result.exit_code == 1
    assert problem in result.stderr
    assert "nothing was written" in result.stderr
    assert files(data) == before


def test_broken_data_is_reported_not_edited(run, data):
    (data / "edges.csv").write_text(EDGES + "putin,nobody,arrest,,,,\n")
    before = files(data)
    result = run("edge", "add", "russia", "azerbaijan", "arrest", "--data", data)
    assert result.exit_code == 1
    assert "edges.csv:6: unknown target node 'nobody'" in result.stderr
    assert files(data) == before


def test_dry_run_prints_a_diff_and_writes_nothing(run, data):
    before = files(data)
    result = run("node", "rename", "putin", "putin_v", "--dry-run", "--data", data)
    assert result.exit_code == 0
    assert files(data) == before
    assert not (data / LOCK_FILE).exists()
    out = result.stdout
    assert "--- a/nodes.csv\n+++ b/nodes.csv\n" in out and "--- a/edges.csv\n+++ b/edges.csv\n" in out
    assert "-putin,Vladimir Putin,official,russia,,\n+putin_v,Vladimir Putin,official,russia,,\n" in out
    assert "-putin,azerbaijan,accusation,2025-07,,accused Baku,https://example.org/1\n" \
           "+putin_v,azerbaijan,accusation,2025-07,,accused Baku,https://example.org/1\n" in out
    assert "dry run, not written: renamed node 'putin' to 'putin_v'" in result.stderr


def test_rename_updates_edges_and_affiliations(run, data):
    result = run("node", "rename", "russia", "rf", "--data", data)
    assert result.exit_code == 0
    assert "updated 1 edge and 2 affiliations" in result.stderr
    ds = load_dataset(data)
    assert "russia" not in ds.nodes.index
    assert list(ds.nodes["affiliation"]) == ["", "", "rf", "rf"]
    assert list(ds.edges["source"]) == ["putin", "azerbaijan", "azerbaijan", "rf"]


def test_rm_cascade_says_how_many(run, data):
    result = run("node", "rm", "sputnik_az", "--cascade", "--data", data)
    assert result.exit_code == 0
    assert result.stderr.strip() == "nodes.csv:5: removed node 'sputnik_az'; removed 2 edges"
    ds = load_dataset(data)
    assert len(ds.edges) == 2 and "sputnik_az" not in ds.nodes.index


def test_rm_unused_node(run, data):
    run("node", "add", "lavrov", "--label", "L", "--kind", "official", "--data", data)
    assert run("node", "rm", "lavrov", "--data", data).exit_code == 0
    assert (data / "nodes.csv").read_text() == NODES


def test_edge_rm_with_date_line_and_all(run, data):
    assert run("edge", "rm", "azerbaijan", "sputnik_az", "arrest", "--date", "2025-07-01",
               "--data", data).exit_code == 0
    assert "second raid" not in (data / "edges.csv").read_text()
    run("edge", "add", "azerbaijan", "sputnik_az", "arrest", "--date", "2025-06-30", "--data", data)
    result = run("edge", "rm", "azerbaijan", "sputnik_az", "arrest", "--line", "5", "--data", data)
    assert result.exit_code == 0 and "edges.csv line 5" in result.stderr
    run("edge", "add", "azerbaijan", "sputnik_az", "arrest", "--data", data)
    result = run("edge", "rm", "azerbaijan", "sputnik_az", "arrest", "--all", "--data", data)
    assert result.exit_code == 0 and "removed 2 edges" in result.stderr and "lines 3, 5" in result.stderr
    assert "sputnik_az,arrest" not in (data / "edges.csv").read_text().replace("azerbaijan,", "")


def test_edge_add_all_columns(run, data):
    result = run("edge", "add", "putin", "azerbaijan", "arrest", "--date", "2025-07-02", "--weight", "-7",
                 "--note", 'said "stop", then left', "--citation", "https://example.org/x", "--data", data)
    assert result.exit_code == 0
    assert (data / "edges.csv").read_text().endswith(
        'putin,azerbaijan,arrest,2025-07-02,-7,"said ""stop"", then left",https://example.org/x\n')
    assert load_dataset(data).edges["weight"].iloc[-1] == -7.0


def test_type_add(run, data):
    result = run("type", "add", "summons", "--polarity", "Hostile", "--weight", "-1.5", "--directed", "true",
                 "--label", "Summons", "--data", data)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "edge_types.csv:7: added type 'summons'"
    assert (data / "edge_types.csv").read_text().endswith("summons,Summons,hostile,-1.5,true\n")
    assert load_dataset(data).types.loc["summons", "weight"] == -1.5


def test_type_add_refuses_missing_column_then_works_without_it(run, data):
    result = run("type", "add", "summons", "--polarity", "hostile", "--weight", "-1.5", "--directed", "true",
                 "--cameo", "1041", "--data", data)
    # the file has no cameo column: the value is refused, not dropped silently
    refused(result, "edge_types.csv has no column 'cameo'")
    assert run("type", "add", "summons", "--polarity", "hostile", "--weight", "-1.5", "--directed", "false",
               "--data", data).exit_code == 0
    assert run("type", "set", "summons", "--directed", "true", "--label", "Summons", "--data", data).exit_code == 0
    assert (data / "edge_types.csv").read_text().endswith("summons,Summons,hostile,-1.5,true\n")
    assert load_dataset(data).types.loc["summons", "directed"]
    assert run("type", "rm", "summons", "--data", data).exit_code == 0
    assert "summons" not in (data / "edge_types.csv").read_text()


def test_set_to_the_same_value_changes_nothing(run, data):
    before = files(data)
    result = run("node", "set", "putin", "--label", "Vladimir Putin", "--data", data)
    assert result.exit_code == 0 and "nothing changed" in result.stderr
    assert files(data) == before


def test_lock_held_too_long_is_a_clear_message(run, data):
    before = files(data)
    with locked(data, timeout=1):
        result = run("edge", "add", "russia", "azerbaijan", "arrest", "--lock-timeout", "0.2", "--data", data)
    message = refused(result, "data folder is locked by another actorgraph process", "try again")
    assert "waited 0.2 s" in message
    assert files(data) == before
    assert run("edge", "add", "russia", "azerbaijan", "arrest", "--data", data).exit_code == 0


def test_missing_folder(run, tmp_path):
    refused(run("node", "rm", "x", "--data", tmp_path / "nope"), "data folder", "not found")


def test_a_new_output_file_gets_the_usual_mode_not_the_temp_files_0600(tmp_path):
    import os

    from graph.store.safe_write import atomic_write

    umask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "map.html", b"x")
    finally:
        os.umask(umask)
    assert (tmp_path / "map.html").stat().st_mode & 0o777 == 0o644
