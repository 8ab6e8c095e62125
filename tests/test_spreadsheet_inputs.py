"""Data files saved from a spreadsheet: a clean load where that is unambiguous, else one line per file.

Fixtures: tests/fixtures/spreadsheet/<case>__<file> (its README says how each was made: the
LibreOffice ones by LibreOffice Calc itself). Each replaces one file of tests/fixtures/valid.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.errors import DataError
from graph.store.dataset import _parse_exact, _parse_fast, load_dataset
from tests.conftest import FIXTURES

VALID = FIXTURES / "valid"
SPREADSHEET = FIXTURES / "spreadsheet"
SAVE_AS = '"CSV UTF-8 (Comma delimited)"'

REFUSED = [  # fixture, line of the message, words it must hold
    ("semicolon__edges.csv", 1, "separated by semicolons (';'), not commas"),
    ("tab__edges.csv", 1, "separated by tabs, not commas"),
    ("unicode_text__edges.csv", 1, 'UTF-16 text (a spreadsheet\'s "Unicode Text")'),
    ("windows1252__nodes.csv", 3, "invalid UTF-8 (byte 0xe9, 'é' in Windows-1252"),
    ("excel_semicolon_windows1252__nodes.csv", 3, "'é' in Windows-1252: a spreadsheet's legacy \"CSV\" format), "
                                                  "and fields separated by semicolons"),
]


def folder_with(tmp_path: Path, *fixtures: Path) -> Path:
    """A copy of the valid folder with some files replaced by fixtures (``<case>__<file>``)."""
    folder = Path(shutil.copytree(VALID, tmp_path / "data"))
    for fixture in fixtures:
        shutil.copyfile(fixture, folder / fixture.name.split("__")[1])
    return folder


def problems(folder: Path) -> list[str]:
    """The problem lines loading ``folder`` reports (it must be invalid)."""
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("fixture, line, words", REFUSED, ids=[r[0].split("__")[0] for r in REFUSED])
def test_spreadsheet_formats_get_one_line_saying_what_to_choose(tmp_path, fixture, line, words):
    folder = folder_with(tmp_path, SPREADSHEET / fixture)
    (problem,) = problems(folder)  # one line, not one per row
    name = fixture.split("__")[1]
    assert problem.startswith(f"{folder / name}:{line}: ")
    assert words in problem and SAVE_AS in problem and "\n" not in problem


@pytest.mark.parametrize("fixture", [r[0] for r in REFUSED])
def test_cli_validate_prints_that_line_and_edits_refuse_with_it(tmp_path, run, fixture):
    folder = folder_with(tmp_path, SPREADSHEET / fixture)
    before = {p.name: p.read_bytes() for p in folder.glob("*.csv")}
    result = run("validate", "--data", folder)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and SAVE_AS in lines[0] and lines[1] == "Error: 1 problem in the data; nothing was written"
    for edit in (["node", "add", "lavrov", "--label", "Sergey Lavrov", "--kind", "official"],
                 ["edge", "add", "russia", "azerbaijan", "call", "--date", "2025-08"],
                 ["node", "set", "russia", "--description", "changed"]):
        result = run(*edit, "--data", folder)
        assert result.exit_code == 1 and result.stderr.splitlines()[0] == lines[0], result.output
    assert {p.name: p.read_bytes() for p in folder.glob("*.csv")} == before, "an edit touched a refused file"


def test_three_spreadsheet_files_give_three_lines(tmp_path):
    folder = folder_with(tmp_path, SPREADSHEET / "semicolon__edges.csv",
                         SPREADSHEET / "excel_semicolon_windows1252__nodes.csv")
    (folder / "edge_types.csv").write_bytes((VALID / "edge_types.csv").read_bytes().replace(b",", b";"))
    assert sorted(p.split(":")[0].rsplit("/", 1)[1] for p in problems(folder)) == [
        "edge_types.csv", "edges.csv", "nodes.csv"]


def _columns(frame):
    return frame.drop(columns="line").reset_index(drop=True)


@pytest.mark.parametrize("fixture", ["trailing_column__edges.csv", "blank_rows__edges.csv"])
def test_trailing_empty_column_and_blank_rows_load_as_the_original(tmp_path, fixture):
    ds = load_dataset(folder_with(tmp_path, SPREADSHEET / fixture))
    valid = load_dataset(VALID)
    assert list(ds.edges.columns) == list(valid.edges.columns)
    assert _columns(ds.edges).equals(_columns(valid.edges))
    assert ds.edges["line"].tolist() == [2, 3, 4] and ds.extra_columns["edges.csv"] == []


def test_both_at_once_with_accents(tmp_path):
    ds = load_dataset(folder_with(tmp_path, SPREADSHEET / "trailing_column_blank_rows__nodes.csv"))
    assert ds.nodes.at["azerbaijan", "description"] == "République d’Azerbaïdjan, « Bakou »."
    assert len(ds.nodes) == 5 and "" not in ds.nodes.columns


def test_a_value_under_the_unnamed_column_is_reported_on_its_line(tmp_path):
    folder = folder_with(tmp_path, FIXTURES / "invalid" / "unnamed_column_value__edges.csv")
    assert problems(folder) == [
        f"{folder / 'edges.csv'}:3: value 'staff arrested' in a column with no name in the header; "
        "name the column or remove the value"]


def test_a_short_row_is_still_ragged_without_an_unnamed_column(tmp_path):
    folder = folder_with(tmp_path)
    (folder / "edges.csv").write_text("source,target,type,date\nrussia,azerbaijan,arrest\n,,,\n")
    assert [p.split("edges.csv")[1] for p in problems(folder)] == [
        ":2: row has 3 fields but the header has 4; quote fields that contain commas"]


@pytest.mark.parametrize("text", [
    "a,b,c\r\n1,2,3\r\n,,\r\n,,\r\n",
    'a,b,c\n1,2,3\n"","",""\n4,5,6\n,,\n',
    "a,b,c,\n1,2,3,\n4,5,6,\n,,,\n",
])
def test_fast_path_equals_exact_path_on_spreadsheet_rows(text):
    fast = _parse_fast(text.encode("utf-8"))
    exact = _parse_exact("edges.csv", text, [])
    assert fast is not None
    assert fast[0] == exact[0] and list(fast[2]) == list(exact[2])
    assert [list(c) for c in fast[1]] == [list(c) for c in exact[1]]


def test_edits_keep_a_spreadsheet_files_shape(tmp_path, run):
    """Edits on a cleanly loaded spreadsheet file: the new row goes after the last data row (above the
    blank rows), in the file's own style (CRLF, trailing empty field); every other byte is kept."""
    folder = folder_with(tmp_path, SPREADSHEET / "trailing_column_blank_rows__nodes.csv")
    before = (folder / "nodes.csv").read_bytes()
    result = run("node", "add", "lavrov", "--label", "Sergey Lavrov", "--kind", "official",
                 "--affiliation", "russia", "--data", folder)
    assert result.exit_code == 0, result.output
    after = (folder / "nodes.csv").read_bytes()
    blank = b",,,,,,\r\n,,,,,,\r\n"
    assert before.endswith(blank)
    assert after == before[:-len(blank)] + b"lavrov,Sergey Lavrov,official,russia,,,\r\n" + blank
    assert load_dataset(folder).nodes.at["lavrov", "line"] == 7
