"""Editing keeps bytes: untouched records, quoting, line endings, BOM, column order, extra columns.

The fixture folders in tests/fixtures/edit/ hold the odd cases; expected bytes are written out by hand.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES

EDIT = FIXTURES / "edit"
KINDS = ["odd_quoting", "crlf", "bom", "extra_columns"]
BOM = b"\xef\xbb\xbf"


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture
def fixture(tmp_path):
    def copy(name):
        return shutil.copytree(EDIT / name, tmp_path / name)
    return copy


def ok(result):
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("name", KINDS)
def test_edge_add_then_rm_restores_bytes(run, fixture, name):
    folder = fixture(name)
    before = snapshot(folder)
    ok(run("edge", "add", "russia", "azerbaijan", "support", "--date", "2024", "--data", folder))
    assert snapshot(folder)["edges.csv"] != before["edges.csv"]
    ok(run("edge", "rm", "russia", "azerbaijan", "support", "--data", folder))
    assert snapshot(folder) == before


@pytest.mark.parametrize("name", KINDS)
def test_rename_and_back_restores_bytes(run, fixture, name):
    folder = fixture(name)
    before = snapshot(folder)
    ok(run("node", "rename", "russia", "rf", "--data", folder))
    after = snapshot(folder)
    assert b"russia" not in after["edges.csv"] and b"russia," not in after["nodes.csv"]
    ok(run("node", "rename", "rf", "russia", "--data", folder))
    assert snapshot(folder) == before


@pytest.mark.parametrize("name", KINDS)
def test_node_add_rm_and_type_add_rm_restore_bytes(run, fixture, name):
    folder = fixture(name)
    before = snapshot(folder)
    ok(run("node", "add", "lavrov", "--label", 'Sergey "Lavrov", FM', "--kind", "official", "--data", folder))
    ok(run("type", "add", "summons", "--polarity", "hostile", "--weight", "-1", "--directed", "true",
           "--data", folder))
    ok(run("edge", "add", "lavrov", "azerbaijan", "summons", "--data", folder))
    ok(run("node", "rm", "lavrov", "--cascade", "--data", folder))
    ok(run("type", "rm", "summons", "--data", folder))
    assert snapshot(folder) == before


@pytest.mark.parametrize("name", KINDS)
def test_set_and_set_back_restores_bytes(run, fixture, name):
    folder = fixture(name)
    before = snapshot(folder)
    ok(run("node", "set", "putin", "--label", "V. Putin, president", "--data", folder))
    label = {"odd_quoting": "Vladimir Putin", "crlf": "Putin", "bom": "Путин", "extra_columns": "Putin"}[name]
    ok(run("node", "set", "putin", "--label", label, "--data", folder))
    assert snapshot(folder) == before


def test_edge_add_appends_exact_record_keeping_missing_final_newline(run, fixture):
    folder = fixture("odd_quoting")
    before = snapshot(folder)
    ok(run("edge", "add", "russia", "azerbaijan", "support", "--date", "2024", "--note", "a, b",
           "--data", folder))
    after = snapshot(folder)
    # the file had no final newline: the new record is joined by one and again has none
    assert after["edges.csv"] == before["edges.csv"] + b'\nrussia,azerbaijan,support,2024,,"a, b",'
    assert after["nodes.csv"] == before["nodes.csv"]


def test_edge_add_uses_crlf_of_the_file(run, fixture):
    folder = fixture("crlf")
    before = snapshot(folder)
    ok(run("edge", "add", "russia", "azerbaijan", "support", "--note", 'two\nlines "q"', "--data", folder))
    assert snapshot(folder)["edges.csv"] == before["edges.csv"] + b'russia,azerbaijan,support,,,"two\nlines ""q""",\r\n'


def test_edge_add_keeps_bom_and_column_order(run, fixture):
    folder = fixture("bom")
    before = snapshot(folder)
    ok(run("edge", "add", "russia", "azerbaijan", "arrest", "--date", "2025-01-02", "--data", folder))
    after = snapshot(folder)["edges.csv"]
    assert after.startswith(BOM)
    assert after == before["edges.csv"] + b"russia,azerbaijan,arrest,2025-01-02\n"

    folder = fixture("extra_columns")
    before = snapshot(folder)
    ok(run("edge", "add", "russia", "azerbaijan", "support", "--date", "2024", "--note", "x",
           "--column", "confidence=medium", "--data", folder))
    assert snapshot(folder)["edges.csv"] == before["edges.csv"] + b"2024,russia,support,azerbaijan,medium,x\n"


def test_rename_rewrites_only_the_fields_that_point_at_the_id(run, fixture):
    folder = fixture("odd_quoting")
    ok(run("node", "rename", "russia", "rf", "--data", folder))
    after = snapshot(folder)
    assert after["nodes.csv"] == (
        b'id,label,kind,affiliation,aliases,description\n'
        b'"rf","Russia",state,,"Moscow;Kremlin",""\n'
        b' azerbaijan ,Azerbaijan,state,,Baku,"A state ""pivoting"" away,\nwith a line break"\n'
        b'\n'
        b'putin,Vladimir Putin,official, rf ,,\n'
        b'kremlin,"Kremlin",institution,"rf",,"says ""no"""')
    assert after["edges.csv"] == (
        b'source,target,type,date,weight,note,citation\n'
        b'"putin","azerbaijan",accusation,2025-07,,"Said, ""they lied""\nand more",\n'
        b'rf, azerbaijan ,arrest,2025-06-30,-6,,"https://example.org/a?x=1,2"\n'
        b'\n'
        b'kremlin,azerbaijan,accusation,,,plain note,')


def test_set_changes_one_field_and_quotes_only_when_needed(run, fixture):
    folder = fixture("odd_quoting")
    before = snapshot(folder)["nodes.csv"]
    ok(run("node", "set", "putin", "--label", "Putin, V.", "--description", 'said "no"', "--data", folder))
    assert snapshot(folder)["nodes.csv"] == before.replace(
        b"putin,Vladimir Putin,official, russia ,,\n", b'putin,"Putin, V.",official, russia ,,"said ""no"""\n')


def test_set_extra_column(run, fixture):
    folder = fixture("extra_columns")
    before = snapshot(folder)
    ok(run("node", "set", "azerbaijan", "--column", "wikidata=Q227x", "--data", folder))
    assert snapshot(folder)["nodes.csv"] == before["nodes.csv"].replace(b"AZ,,Q227\n", b"AZ,,Q227x\n")
    assert snapshot(folder)["edges.csv"] == before["edges.csv"]


def test_cascade_removes_edges_and_clears_affiliations(run, fixture):
    folder = fixture("crlf")
    result = ok(run("node", "rm", "russia", "--cascade", "--data", folder))
    assert "removed 1 edge" in result.output and "cleared the affiliation of putin" in result.output
    after = snapshot(folder)
    assert after["nodes.csv"] == (b'id,label,kind,affiliation,aliases,description\r\n'
                                  b'azerbaijan,Azerbaijan,state,,,"two\nlines"\r\n'
                                  b'putin,Putin,official,,,\r\n')
    assert after["edges.csv"] == (b'source,target,type,date,weight,note,citation\r\n'
                                  b'putin,azerbaijan,accusation,2025-07,,"note with\r\nCRLF inside",\r\n')


def test_removing_the_last_row_of_a_file_without_final_newline(run, fixture):
    folder = fixture("odd_quoting")
    before = snapshot(folder)["edges.csv"]
    ok(run("edge", "rm", "kremlin", "azerbaijan", "accusation", "--data", folder))
    # the record before it (a blank line) loses its terminator: the file still ends without one
    assert snapshot(folder)["edges.csv"] == before.removesuffix(b"\nkremlin,azerbaijan,accusation,,,plain note,")


def test_clearing_a_spaced_affiliation_leaves_an_empty_field(run, fixture):
    folder = fixture("odd_quoting")
    before = snapshot(folder)["nodes.csv"]
    ok(run("node", "set", "putin", "--affiliation", "", "--data", folder))
    assert snapshot(folder)["nodes.csv"] == before.replace(b"official, russia ,,", b"official,,,")
