"""CSV reports are safe to open in a spreadsheet (CSV injection, OWASP), and the data is never altered.

The hostile fixture (tests/fixtures/formula) holds labels, notes and citations that Excel or
LibreOffice would run as formulas. Every report's CSV must neutralise them ('=..., '@..., '+..., '-...)
while real numbers, negative weights included, stay numbers. The end-to-end check opens the reports
with a real spreadsheet engine: Debian's LibreOffice Calc, headless, with formula evaluation on,
converts them to flat ODS, and we read what it computed. A control file written without
neutralising must come out with live formulas, which proves the engine evaluates in that mode.
These tests never skip: without LibreOffice they fail saying what to install.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from graph.store.formula_safe import (FORMULA_START, is_number, neutralise, read_spreadsheet_csv, restore,
                                      spreadsheet_csv)
from tests.conftest import FIXTURES

HOSTILE = FIXTURES / "formula"
SOFFICE = os.environ.get("ACTORGRAPH_SOFFICE", "/usr/bin/soffice")
REPORTS = {  # name -> command line of a report with --format csv
    "centrality": ["centrality", "--metric", "all"],
    "show": ["show", "hyper"],
    "show_semi": ["show", "semi"],
    "clusters": ["clusters"],
    "compare": ["clusters", "--compare", ":2025-01", "2025-02:"],
    "timeline": ["timeline"],
    "path": ["path", "hyper", "minus"],
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def live(cell: str) -> bool:
    """A cell a spreadsheet would evaluate: text starting like a formula that is not a plain number."""
    return cell.startswith(FORMULA_START) and not is_number(cell)


# -- the cell rules ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("+cmd", "'+cmd"),
    ("-2+3", "'-2+3"),
    ("\t=1+1", "'\t'=1+1"),
    ("\r=1+1", "'\r'=1+1"),
    ("-", "'-"),
    ("-2.5", "-2.5"),
    ("+3", "+3"),
    ("-1e-05", "-1e-05"),
    (".5", ".5"),
    ("-\u0663", "'-\u0663"),  # an Arabic-Indic digit is not a number to a spreadsheet
    ("Plain Actor", "Plain Actor"),
    ("a=1+1", "a=1+1"),
    ("", ""),
    ("Semi;=1+1", "Semi;'=1+1"),  # a spreadsheet splitting on ';' would start a cell at '='
    ("tab\t@x\n+y", "tab\t'@x\n'+y"),
    ("x;-2.5", "x;'-2.5"),
    ("'=1", "''=1"),  # a quote typed by someone is kept: restore gives it back
    ("'plain", "'plain"),
])
def test_neutralise_prefixes_formula_like_text_only(text, expected):
    assert neutralise(text) == expected
    assert restore(neutralise(text)) == text


def test_spreadsheet_csv_quotes_separators_of_other_locales():
    text = spreadsheet_csv(["label", "weight"], [["Semi;=1+1", "-2.5"], ["tab\t=1", "3"], ["=1", ""]])
    assert text == 'label,weight\n"Semi;\'=1+1",-2.5\n"tab\t\'=1",3\n\'=1,\n'


CELLS = st.text(alphabet=st.sampled_from("=+-@;\t\r\n'\",.e1 a\u0663"), max_size=10) | st.text(max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=2, max_size=2), max_size=5))
def test_no_separator_makes_a_live_cell_and_everything_reads_back(rows):
    """Whatever the cells, a spreadsheet splitting on ',', ';' or tabs sees no live cell, and
    reading the sheet back (restore) gives the cells exactly."""
    text = spreadsheet_csv(["a", "b"], [["id", *row] for row in rows])  # reports begin rows with an id
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            assert not any(live(cell) for cell in row), (delimiter, row)
    assert read_spreadsheet_csv(text) == [["a", "b"], *[["id", *row] for row in rows]]


def test_long_hostile_cells_are_handled_in_one_pass():
    """No recursion (a deep one would raise) and nothing quadratic: 100,000 quotes or breaks is just a
    long cell (about a second in all here, where a quadratic pass would take hours)."""
    for text in ("'" * 100_000 + "=1", ";=" * 50_000, "\t" * 100_000):
        assert restore(neutralise(text)) == text


# -- the reports ------------------------------------------------------------------------------------
def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Each report of the hostile fixture as CSV files in one folder (the data files untouched)."""
    from click.testing import CliRunner

    from graph.cli import cli

    folder = tmp_path_factory.mktemp("reports")
    before = _digest(HOSTILE)
    for name, args in REPORTS.items():
        result = CliRunner().invoke(cli, [*args, "--data", str(HOSTILE), "--format", "csv",
                                          "-o", str(folder / f"{name}.csv")], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert _digest(HOSTILE) == before, "writing a report changed a data file"
    return folder


@pytest.mark.parametrize("name", REPORTS)
def test_reports_have_no_live_cell_and_keep_numbers(reports, name):
    rows = list(csv.reader(io.StringIO((reports / f"{name}.csv").read_text(encoding="utf-8"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if live(c)]
    if name in ("show", "centrality", "path", "clusters"):
        assert any(c.startswith(("'=", "'@", "'+", "'-")) for c in cells), "the fixture's hostile text is there"


def test_negative_weights_and_note_numbers_stay_numbers(reports):
    rows = list(csv.DictReader(io.StringIO((reports / "show.csv").read_text(encoding="utf-8"), newline="")))
    assert [r["weight"] for r in rows] == ["-2.5", "3", "0.5", "-5"]
    assert rows[-1]["note"] == "-1"  # a note that is a number is a number: nothing to neutralise
    assert rows[0]["note"] == '\'=HYPERLINK("http://x","click")'
    assert [restore(r["counterpart_label"]) for r in rows][:2] == ["@SUM(1+1)", "@SUM(1+1)"]


def test_edits_write_the_data_verbatim(tmp_path, run):
    """The data files are data, not reports: a formula-like label is written as typed."""
    data = Path(shutil.copytree(HOSTILE, tmp_path / "data"))
    label = '=HYPERLINK("http://y","go")'
    result = run("node", "add", "evil", "--label", label, "--kind", "state", "--description", "-2+3",
                 "--data", data)
    assert result.exit_code == 0, result.output
    assert b'evil,"=HYPERLINK(""http://y"",""go"")",state,,,-2+3\r\n' in (data / "nodes.csv").read_bytes()
    from graph.store.dataset import load_dataset

    assert load_dataset(data).nodes.at["evil", "label"] == label


# -- a real spreadsheet engine ----------------------------------------------------------------------
NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
#: LibreOffice's CSV import options: separator, quote ("), UTF-8, from line 1, ... token 13 = evaluate
#: formulas (off by default in Calc; Excel always evaluates, so the test turns it on).
CSV_FILTER = "CSV:{sep},34,76,1,,0,false,true,false,false,false,-1,true"


def calc(files: list[Path], outdir: Path, separator: str) -> dict[str, list[list[tuple]]]:
    """Open CSV files in LibreOffice Calc (headless) and return, per file, each row's cells as
    ``(value_type, formula, value, text)``, read from the flat ODS Calc saved."""
    if not Path(SOFFICE).exists():
        pytest.fail(f"LibreOffice not found at {SOFFICE}: install Debian's libreoffice-calc-nogui "
                    "(scripts/setup-env --test does) or set ACTORGRAPH_SOFFICE", pytrace=False)
    profile = outdir / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    f"--infilter={CSV_FILTER.format(sep=ord(separator))}", "--convert-to", "fods",
                    "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=180)
    sheets = {}
    for f in files:
        tree = ET.parse(outdir / f"{f.stem}.fods")
        rows = []
        for row in tree.iter(f"{{{NS['table']}}}table-row"):
            cells = []
            for c in row.findall("table:table-cell", NS):
                repeat = int(c.get(f"{{{NS['table']}}}number-columns-repeated", "1"))
                cell = (c.get(f"{{{NS['office']}}}value-type"), c.get(f"{{{NS['table']}}}formula"),
                        c.get(f"{{{NS['office']}}}value"), "\n".join(p.strip() for p in c.itertext() if p.strip()))
                cells += [cell] * min(repeat, 50)
            rows.append(cells)
        sheets[f.stem] = rows
    return sheets


@pytest.fixture(scope="module")
def control(tmp_path_factory) -> Path:
    """The show report's cells written WITHOUT neutralising: a spreadsheet must find formulas here."""
    folder = tmp_path_factory.mktemp("control")
    from click.testing import CliRunner

    from graph.cli import cli

    result = CliRunner().invoke(cli, ["show", "hyper", "--data", str(HOSTILE), "--format", "json"])
    import json

    events = json.loads(result.stdout)["events"]
    path = folder / "control.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["note", "citation", "weight"])
        w.writerows([[e["note"], e["citation"], e["weight"]] for e in events])
    return path


def test_libreoffice_computes_text_and_numbers_not_formulas(reports, control, tmp_path):
    files = [reports / f"{name}.csv" for name in REPORTS]
    sheets = calc(files + [control], tmp_path, ",")
    assert any(formula for row in sheets["control"] for _, formula, _, _ in row), (
        "control: Calc did not evaluate a raw =HYPERLINK, so this test could not see an injection")
    for f in files:
        written = list(csv.reader(io.StringIO(f.read_text(encoding="utf-8"), newline="")))
        got = sheets[f.stem]
        for r, row in enumerate(written):
            for c, cell in enumerate(row):
                value_type, formula, value, text = got[r][c]
                assert formula is None, (f.name, r, c, cell, formula)
                if cell and is_number(cell):
                    assert value_type == "float" and float(value) == pytest.approx(float(cell)), (f.name, cell)
                elif cell.startswith("'"):
                    assert value_type == "string" and squash(text) == squash(cell), (f.name, cell, text)
    weights = [row[3] for row in sheets["show"][1:5]]
    assert [(t, float(v)) for t, _, v, _ in weights] == [("float", -2.5), ("float", 3), ("float", 0.5), ("float", -5)]


@pytest.mark.parametrize("separator", [";", "\t"])
def test_libreoffice_in_other_locales_finds_no_formula(reports, tmp_path, separator):
    """A spreadsheet that splits on ';' or tabs (other locales) must not find a live cell either."""
    files = [reports / f"{name}.csv" for name in ("show_semi", "centrality", "clusters", "path")]
    for name, rows in calc(files, tmp_path, separator).items():
        assert not [cell for row in rows for cell in row if cell[1]], name
