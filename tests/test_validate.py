"""`actorgraph validate`: every rule of the SPEC's Data section, one fixture file per failure mode.

Each invalid case is the valid fixture folder with one file replaced by
``tests/fixtures/invalid/<case>__<file>``; the expected message and line were worked out by reading
the fixture.
"""

from __future__ import annotations

import shutil

import pytest

from graph.errors import DataError
from graph.store.dataset import load_dataset
from tests.conftest import FIXTURES

VALID = FIXTURES / "valid"


def dataset_with(tmp_path, replacement):
    """Copy the valid fixture folder and overwrite one file with a fixture from invalid/ or accepted/."""
    folder = shutil.copytree(VALID, tmp_path / "data")
    case, _, filename = replacement.name.partition("__")
    shutil.copyfile(replacement, folder / filename)
    return folder


INVALID = [
    # (fixture, file:line it must name, words the message must contain)
    ("empty__nodes.csv", "nodes.csv", "file is empty"),
    ("missing_column__nodes.csv", "nodes.csv:1", "missing required column 'kind'"),
    ("missing_value__nodes.csv", "nodes.csv:3", "missing value for required column 'label'"),
    ("duplicate_id__nodes.csv", "nodes.csv:7", "duplicate id 'russia' (first defined on line 2)"),
    ("unknown_node__edges.csv", "edges.csv:4", "unknown target node 'azerbaijn' (did you mean 'azerbaijan'?)"),
    ("unknown_type__edges.csv", "edges.csv:2", "unknown type 'arest' (did you mean 'arrest'?)"),
    ("malformed_date__edges.csv", "edges.csv:2", "bad date '2025/07/01'"),
    ("impossible_date__edges.csv", "edges.csv:2", "bad date '2025-02-30'"),
    ("weight_not_number__edges.csv", "edges.csv:2", "weight 'heavy' is not a number"),
    ("weight_out_of_range__edges.csv", "edges.csv:2", "weight -12 is outside -10..10"),
    ("weight_out_of_range__edge_types.csv", "edge_types.csv:3", "weight -60 is outside -10..10"),
    ("sign__edges.csv", "edges.csv:2", "contradicts polarity 'hostile'"),
    ("affiliation_unknown__nodes.csv", "nodes.csv:4", "affiliation 'rusia' is not a known id (did you mean 'russia'?)"),
    ("affiliation_circular__nodes.csv", "nodes.csv:", "affiliation loop"),
    ("polarity__edge_types.csv", "edge_types.csv:2", "polarity 'hostle' is not one of hostile, cooperative, neutral "
                                                     "(did you mean 'hostile'?)"),
    ("directed__edge_types.csv", "edge_types.csv:2", "directed value 'yes' is not one of true, false"),
    ("ragged__edges.csv", "edges.csv:2", "row has 8 fields but the header has 7"),
    ("unclosed_quote__edges.csv", "edges.csv:3", "unclosed quote"),
    ("bad_utf8__nodes.csv", "nodes.csv:6", "invalid UTF-8"),
    ("reserved_column__edges.csv", "edges.csv:1", "column name 'start' is reserved for a computed value"),
    ("bad_id__nodes.csv", "nodes.csv:7", "id 'a,b' contains a comma or a control character"),
]


@pytest.mark.parametrize("fixture, where, words", INVALID, ids=[c[0].split("__")[0] for c in INVALID])
def test_invalid_case_is_reported_with_file_and_line(tmp_path, fixture, where, words):
    folder = dataset_with(tmp_path, FIXTURES / "invalid" / fixture)
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    lines = [str(p) for p in info.value.problems]
    prefix = where if where.endswith(":") else where + ":"  # 'nodes.csv:3' must not match line 30
    assert any(line.split(f"{folder}/")[1].startswith(prefix) and words in line for line in lines), lines


def test_ragged_row_reports_every_short_and_long_row(tmp_path):
    folder = dataset_with(tmp_path, FIXTURES / "invalid" / "ragged__edges.csv")
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    lines = [str(p) for p in info.value.problems]
    assert any("edges.csv:3: row has 4 fields but the header has 7" in line for line in lines), lines


def test_affiliation_loop_names_every_member(tmp_path):
    folder = dataset_with(tmp_path, FIXTURES / "invalid" / "affiliation_circular__nodes.csv")
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    (loop,) = [p.message for p in info.value.problems if "loop" in p.message]
    for member in ("russia", "sputnik_az", "putin"):
        assert member in loop
    assert "azerbaijan" not in loop and "aliyev" not in loop


def test_self_affiliation_is_a_loop(tmp_path):
    folder = shutil.copytree(VALID, tmp_path / "data")
    text = (folder / "nodes.csv").read_text().replace("aliyev,Ilham Aliyev,official,azerbaijan",
                                                       "aliyev,Ilham Aliyev,official,aliyev")
    (folder / "nodes.csv").write_text(text)
    with pytest.raises(DataError, match="1 problem") as info:
        load_dataset(folder)
    assert "affiliation loop aliyev -> aliyev" in str(info.value.problems[0])


def test_missing_file(tmp_path):
    folder = shutil.copytree(VALID, tmp_path / "data")
    (folder / "edges.csv").unlink()
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    assert [str(p) for p in info.value.problems] == [
        f"{folder}/edges.csv: file not found; create it with the header row "
        "'source,target,type,date,weight,note,citation'"]


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    folder = shutil.copytree(VALID, tmp_path / "data")
    (folder / "edges.csv").write_text(
        "source,target,type,date,weight,note,citation\n"
        "putn,aliyev,call,2024-13,,,\n"
        "putin,aliyev,cal,2024,x,,\n"
        "russia,azerbaijan,arrest,2025-07,11,,\n")
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    got = {(p.line, p.message.split(" '")[0].split(" (")[0]) for p in info.value.problems}
    assert got == {(2, "unknown source node"), (2, "bad date"), (3, "unknown type"),
                   (3, "weight"), (4, "weight 11 is outside -10..10")}


def test_line_numbers_count_physical_lines_inside_quoted_newlines(tmp_path):
    folder = shutil.copytree(VALID, tmp_path / "data")
    (folder / "edges.csv").write_text(
        "source,target,type,date,weight,note,citation\n"
        '\n'
        'putin,aliyev,call,2024,,"a note\nover three\nlines",\n'
        "putin,aliyev,cal,2024,,,\n")
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    assert [p.line for p in info.value.problems] == [6]


ACCEPTED = ["bom__nodes.csv", "crlf__edges.csv", "extra_columns__edges.csv", "markup__nodes.csv",
            "partial_dates__edges.csv"]


@pytest.mark.parametrize("fixture", ACCEPTED, ids=[c.split("__")[0] for c in ACCEPTED])
def test_accepted_variants_are_valid(tmp_path, fixture):
    folder = dataset_with(tmp_path, FIXTURES / "accepted" / fixture)
    ds = load_dataset(folder)
    assert list(ds.nodes.index) == ["russia", "azerbaijan", "putin", "aliyev", "sputnik_az"]
    assert ds.edges["source"].tolist()[:2] == ["azerbaijan", "putin"]


def test_crlf_line_ends_leave_no_carriage_return_in_values(tmp_path):
    ds = load_dataset(dataset_with(tmp_path, FIXTURES / "accepted" / "crlf__edges.csv"))
    assert ds.edges["citation"].tolist() == ["https://example.org/a", "Article (2025)", ""]
    assert ds.edges["note"].tolist()[0] == "Police raided the Baku offices, arresting staff."


def test_extra_columns_are_kept(tmp_path):
    ds = load_dataset(dataset_with(tmp_path, FIXTURES / "accepted" / "extra_columns__edges.csv"))
    assert ds.extra_columns["edges.csv"] == ["confidence", "coder"]
    assert list(ds.edges["confidence"]) == ["high", "low"]


def test_markup_is_kept_verbatim(tmp_path):
    ds = load_dataset(dataset_with(tmp_path, FIXTURES / "accepted" / "markup__nodes.csv"))
    assert ds.nodes.loc["russia", "label"] == "<b>Russia</b>"
    assert ds.nodes.loc["russia", "description"] == "</script><script>alert(1)</script>"
    assert ds.nodes.loc["azerbaijan", "label"] == 'Azerbaijan & "friends"'


def test_partial_dates_become_day_spans(tmp_path):
    ds = load_dataset(dataset_with(tmp_path, FIXTURES / "accepted" / "partial_dates__edges.csv"))
    spans = [(str(s.date()) if s == s else None, str(e.date()) if e == e else None)
             for s, e in zip(ds.edges["start"], ds.edges["end"])]
    assert spans == [("2025-01-01", "2025-12-31"), ("2024-12-01", "2024-12-31"), (None, None),
                     ("2024-02-29", "2024-02-29")]


def test_weights_resolve_to_override_else_type_default():
    ds = load_dataset(VALID)
    assert list(ds.edges["weight"]) == [-6.0, 2.0, -7.0]
    assert list(ds.edges["polarity"]) == ["hostile", "cooperative", "hostile"]
    assert list(ds.edges["directed"]) == [True, False, True]
    assert list(ds.edges["line"]) == [2, 3, 4]


def test_cli_prints_summary_on_valid_data(run):
    result = run("validate", "--data", VALID)
    assert result.exit_code == 0, result.output
    assert "actors: 5 (1 media, 2 official, 2 state)" in result.stdout
    assert "events: 3 (1 cooperative, 2 hostile)" in result.stdout
    assert "dates:  2024 to 2025-07\n" in result.stdout


def test_cli_reports_problems_one_per_line_without_traceback(tmp_path, run):
    folder = dataset_with(tmp_path, FIXTURES / "invalid" / "unknown_type__edges.csv")
    result = run("validate", "--data", folder)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"{folder}/edges.csv:2: unknown type 'arest' (did you mean 'arrest'?); add it to " \
                       "edge_types.csv or use a known type"
    assert lines[-1] == "Error: 1 problem in the data; nothing was written"
    assert "Traceback" not in result.output


def test_missing_data_folder_is_three_missing_files(tmp_path, run):
    result = run("validate", "--data", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.stderr.count("file not found") == 3


def test_data_folder_from_environment(run, monkeypatch):
    monkeypatch.setenv("ACTORGRAPH_DATA", str(VALID))
    assert run("validate").exit_code == 0
