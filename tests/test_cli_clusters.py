"""``actorgraph clusters`` end to end on small data sets, and the realignment on the bundled data."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BUNDLED, write_dataset

NODES = """\
id,label,kind,affiliation
ru,Russia,state,
putin,Vladimir Putin,official,ru
am,Armenia,state,
az,Azerbaijan,state,
tr,Turkey,state,
ua,Ukraine,state,
kz,Kazakhstan,state,
"""
# Before 2025: az with ru. From 2025: az with tr and ua, against ru. kz has only a neutral event.
EDGES = """\
source,target,type,date,weight,note,citation
ru,am,support,2024-03,,,
ru,az,support,2024-05,,,
putin,az,meeting,2024-06,,,
tr,ua,support,2024-02,,,
ru,ua,arrest,2024-08,,,
az,tr,support,2025-06,,,
az,ua,meeting,2025-06-20,,,
ru,az,arrest,2025-06-30,,,
az,ru,accusation,2025-07,,,
tr,ru,accusation,2025-07,-1,,
kz,ru,appointment,2025-07,,,
"""


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "d", NODES, EDGES)


def test_json_is_one_object_with_the_promised_fields(run, data):
    result = run("clusters", "--data", data, "--since", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    # 2025 ties: az-tr +3, az-ua +1, az-ru -5-2 = -7, tr-ru -1, and putin's affiliation to ru +10 (a
    # standing tie, in every window); by hand the camps are {az, tr, ua} and {putin, ru}. Each bloc is
    # named after its member with the most cooperation inside: az (3 + 1); ru and putin tie at 10, and
    # ru has more ties overall.
    assert out["method"] == "exact"
    assert out["clusters"] == [{"id": 1, "name": "Azerbaijan's bloc", "members": ["az", "tr", "ua"]},
                               {"id": 2, "name": "Russia's bloc", "members": ["putin", "ru"]}]
    assert out["apart"] == [] and out["tolerance"] == 0.01 and out["free_frustration"] == 0
    assert out["frustration"] == 0 and out["frustration_share"] == 0 and out["lower_bound"] == 0
    assert out["unaligned"] == ["am", "kz"]
    assert out["frustrated_ties"] == []
    assert out["triangle_balance"] == 1.0  # az-tr-ru: + - - is balanced
    assert out["support"]["ru"] == [{"other": "putin", "weight": 10.0}, {"other": "az", "weight": -7.0},
                                    {"other": "tr", "weight": -1.0}]
    # Without the affiliation tie putin has no 2025 tie, and ru is held only by hostility: apart.
    out = json.loads(run("clusters", "--data", data, "--since", "2025", "--format", "json",
                         "--affiliation-weight", "0").output)
    assert out["clusters"] == [{"id": 1, "name": "Azerbaijan's bloc", "members": ["az", "tr", "ua"]}]
    assert out["apart"] == ["ru"] and out["unaligned"] == ["am", "kz", "putin"]


def test_table_lists_method_frustration_clusters_and_frustrated_ties(run, data):
    result = run("clusters", "--data", data, "--level", "state", "--clusters", "2")
    assert result.exit_code == 0
    text = result.output
    # all years, state level: ru-az +3 (support) +1 (putin meeting) -5 (arrest) -2 (accusation) = -3
    assert "method: exact (proven optimal)" in text
    assert "frustration: " in text and "triangle balance:" in text
    assert "Azerbaijan" in text and "unaligned" in text and "Kazakhstan" in text
    assert "frustrated ties, largest first" in text


def test_whole_period_camps(run, data):
    # All years, actor level: ru-am +3, ru-az +3-5-2 = -4, putin-az +1, tr-ua +3, ru-ua -5, az-tr +3,
    # az-ua +1, tr-ru -1. Without affiliation {az, putin, tr, ua} against {am, ru} frustrates nothing;
    # with putin's affiliation to ru (+10) putin stands with ru and his meeting with az (+1) crosses.
    out = json.loads(run("clusters", "--data", data, "--format", "json", "--affiliation-weight", "0").output)
    assert [c["members"] for c in out["clusters"]] == [["az", "putin", "tr", "ua"], ["am", "ru"]]
    assert out["frustration"] == 0
    out = json.loads(run("clusters", "--data", data, "--format", "json").output)
    assert [c["members"] for c in out["clusters"]] == [["am", "putin", "ru"], ["az", "tr", "ua"]]
    assert out["frustrated_ties"] == [{"source": "az", "target": "putin", "weight": 1.0}]


def test_frustrated_ties_are_reported(run, tmp_path):
    # x-y +3, y-z +3, x-z -2: keeping the triangle costs 2, any split costs at least 3.
    data = write_dataset(tmp_path / "t", "id,label,kind\nx,X,state\ny,Y,state\nz,Z,state\n",
                         "source,target,type\nx,y,support\ny,z,support\nx,z,accusation\n")
    out = json.loads(run("clusters", "--data", data, "--format", "json").output)
    assert out["frustration"] == 2 and out["frustration_share"] == pytest.approx(2 / 8)
    assert out["frustrated_ties"] == [{"source": "x", "target": "z", "weight": -2.0}]
    assert out["triangle_balance"] == 0.0
    table = run("clusters", "--data", data).output
    assert "frustration: 2 of 8 total |tie| (25.0%)" in table
    assert "hostile inside Y's bloc" in table  # y holds the most cooperation (3 + 3)


def test_csv_and_markdown_and_output_file(run, data, tmp_path):
    csv_text = run("clusters", "--data", data, "--format", "csv").output
    lines = csv_text.splitlines()
    assert lines[0] == "id,label,cluster,bloc,held_by"
    assert any(line.startswith("kz,Kazakhstan,,") for line in lines)
    md = run("clusters", "--data", data, "--format", "markdown").output
    assert "| cluster" in md and "|---" in md.replace(" ", "").replace(":", "")
    target = tmp_path / "out" / "c.json"
    result = run("clusters", "--data", data, "--format", "json", "-o", target)
    assert result.exit_code == 0 and json.loads(target.read_text())["method"] == "exact"


def test_compare_shows_azerbaijan_leaving_russia(run, data):
    result = run("clusters", "--data", data, "--compare", ":2024-12", "2025-06:", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    before, after = out["before"], out["after"]
    home = lambda part, x: next(c["id"] for c in part["clusters"] if x in c["members"])  # noqa: E731
    assert home(before, "az") == home(before, "ru")
    assert home(after, "az") != home(after, "ru")
    assert ["az", "ru"] in out["parted"]
    assert out["windows"] == [{"since": None, "until": "2024-12"}, {"since": "2025-06", "until": None}]
    table = run("clusters", "--data", data, "--compare", ":2024-12", "2025-06:").output
    assert "before: ... to 2024-12" in table and "moved:" in table and "parted" in table


@pytest.mark.parametrize("args, message", [
    (["--compare", "2024", "2025:"], "must be SINCE:UNTIL"),
    (["--compare", ":2024", "2025:", "--since", "2020"], "drop --since/--until"),
    (["--clusters", "0"], "--clusters"),
    (["--time-limit", "0"], "--time-limit"),
    (["--types", "hug"], "unknown type 'hug'"),
    (["--since", "2025-13"], "2025-13"),
])
def test_bad_input_is_one_line_and_non_zero(run, data, args, message):
    result = run("clusters", "--data", data, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_help_has_an_example(run):
    result = run("clusters", "--help")
    assert result.exit_code == 0 and "Example:" in result.output and "--compare" in result.output


def test_bundled_data_shows_azerbaijan_moving_away_from_russia(run):
    result = run("clusters", "--data", BUNDLED, "--compare", ":2024-11", "2025-06:2025-07", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    home = lambda part, x: next((c["id"] for c in part["clusters"] if x in c["members"]), None)  # noqa: E731
    assert home(out["before"], "azerbaijan") == home(out["before"], "russia") is not None
    assert home(out["after"], "azerbaijan") != home(out["after"], "russia")
    assert ["azerbaijan", "russia"] in out["parted"]
