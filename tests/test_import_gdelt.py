"""``actorgraph import gdelt``: GDELT 2.0 rows become valid actors, events and CAMEO types."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from graph.store.dataset import load_dataset

FIX = Path(__file__).parent / "fixtures" / "gdelt"
PART1 = FIX / "part1.export.tsv"
PART2 = FIX / "part2.export.tsv"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
COLUMNS = (SAMPLES / "gdelt_v2_columns.txt").read_text().split() if SAMPLES.exists() else None


def raw_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def both_actors(rows) -> list[list[str]]:
    return [r for r in rows if r[5] and r[15]]  # Actor1Code, Actor2Code


@pytest.fixture
def imported(tmp_path, run):
    out = tmp_path / "g"
    result = run("import", "gdelt", PART1, "--out", out)
    assert result.exit_code == 0, result.output
    return out, result


def test_every_event_with_both_actors_becomes_one_edge(imported):
    out, result = imported
    rows = raw_rows(PART1)
    ds = load_dataset(out)
    assert len(ds.edges) == len(both_actors(rows))
    assert sorted(ds.edges["event_id"]) == sorted("gdelt:" + r[0] for r in both_actors(rows))
    skipped = len(rows) - len(both_actors(rows))
    assert skipped > 0
    assert f"skipped {skipped} events without both actors" in result.stderr


def test_a_row_maps_field_by_field(imported):
    out, _ = imported
    ds = load_dataset(out)
    # 410412386: UKRAINE (UKR) accuses RUSSIA (RUS), CAMEO 112, Goldstein -2.0, SQLDATE 20140218.
    e = ds.edges[ds.edges["event_id"] == "gdelt:410412386"].iloc[0]
    assert (e["source"], e["target"], e["type"], e["date"]) == ("ukr", "rus", "cameo_112", "2014-02-18")
    assert e["weight"] == -2.0 and e["polarity"] == "hostile" and bool(e["directed"])
    assert e["citation"].startswith("http")
    assert "Ukraine" in e["note"] and "Russia" in e["note"] and "Accuse" in e["note"]
    t = ds.types.loc["cameo_112"]
    assert (t["label"], t["polarity"], t["weight"], t["cameo"], t["quad_class"]) == \
        ("Accuse, not specified below", "hostile", -2.0, "112", "3")
    # 410412361: police attack Turkey, CAMEO 190 (Goldstein -10).
    e = ds.edges[ds.edges["event_id"] == "gdelt:410412361"].iloc[0]
    assert (e["source"], e["target"], e["type"], e["weight"]) == ("cop", "tur", "cameo_190", -10.0)


def test_actor_kinds_labels_and_affiliations(imported):
    out, _ = imported
    nodes = load_dataset(out).nodes
    assert nodes.loc["rus", "kind"] == "state" and nodes.loc["rus", "label"] == "Russia (RUS)"
    assert nodes.loc["rusgov", "kind"] == "institution"
    assert nodes.loc["rusgov", "affiliation"] == "rus"
    assert nodes.loc["rusgov", "label"] == "Russia — government (RUSGOV)"
    assert nodes.loc["usajud", "affiliation"] == "usa"  # USA appears bare too: no second state node
    assert nodes.loc["usamed", "kind"] == "media" and nodes.loc["usamed", "affiliation"] == ""
    assert nodes.loc["afr", "kind"] == "region"
    assert nodes.loc["ethnic_ran", "kind"] == "group"  # GDELT's lowercase ethnic code 'ran'
    assert nodes.loc["govmil", "kind"] == "institution" and nodes.loc["govmil", "affiliation"] == ""
    assert nodes.loc["bus", "kind"] == "group"
    assert nodes["import_key"].is_unique and nodes.index.is_unique
    # No person or official: CAMEO actor codes never name individuals.
    assert not set(nodes["kind"]) & {"person", "official"}


def test_reimport_with_merge_changes_nothing(imported, run):
    out, _ = imported
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    result = run("import", "gdelt", PART1, "--out", out, "--merge")
    assert result.exit_code == 0
    assert "added 0 actors, 0 events, 0 types" in result.stdout
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before


def test_merge_adds_only_new_events_and_actors(imported, run):
    out, _ = imported
    first = load_dataset(out)
    old_edges = (out / "edges.csv").read_bytes()
    result = run("import", "gdelt", PART2, "--out", out, "--merge")
    assert result.exit_code == 0, result.output
    merged = load_dataset(out)
    expected = {"gdelt:" + r[0] for r in both_actors(raw_rows(PART1)) + both_actors(raw_rows(PART2))}
    assert set(merged.edges["event_id"]) == expected
    assert merged.edges["event_id"].is_unique
    assert merged.nodes["import_key"].is_unique
    codes = {r[i] for r in both_actors(raw_rows(PART1)) + both_actors(raw_rows(PART2)) for i in (5, 15)}
    assert {k for k in merged.nodes["import_key"]} >= {"gdelt:" + c for c in codes}
    # Rows already present kept byte for byte: the old edges file is a prefix of the new one.
    assert (out / "edges.csv").read_bytes().startswith(old_edges)
    assert len(merged.edges) > len(first.edges)


def test_merge_into_hand_made_folder_adds_columns_and_keeps_rows(tmp_path, run):
    from tests.conftest import write_dataset

    out = write_dataset(tmp_path / "d", "id,label,kind\nrus,Hand-made Russia,state\n",
                        "source,target,type\n", "type,polarity,weight,directed\nx,neutral,0,true\n")
    result = run("import", "gdelt", PART1, "--out", out, "--merge")
    assert result.exit_code == 0, result.output
    ds = load_dataset(out)
    assert ds.nodes.loc["rus", "label"] == "Hand-made Russia"  # kept, not overwritten
    assert ds.nodes.loc["rus_2", "import_key"] == "gdelt:RUS"  # the imported RUS gets a fresh id
    assert ds.nodes.loc["rusgov", "affiliation"] == "rus_2"
    assert "x" in ds.types.index


def test_refuses_non_empty_out_without_merge(imported, run):
    out, _ = imported
    result = run("import", "gdelt", PART2, "--out", out)
    assert result.exit_code == 1
    assert "not empty" in result.stderr and "--merge" in result.stderr
    assert "Traceback" not in result.output


def test_wrong_file_is_a_one_line_error(tmp_path, run):
    bad = tmp_path / "x.tsv"
    bad.write_text("a\tb\tc\n1\t2\t3\n")
    result = run("import", "gdelt", bad, "--out", tmp_path / "o")
    assert result.exit_code == 1
    assert "3 columns" in result.stderr and "61" in result.stderr
    assert not (tmp_path / "o").exists()


def test_full_sample_imports_validates_and_analyses(tmp_path, run):
    out = tmp_path / "gdelt"
    result = run("import", "gdelt", SAMPLES / "gdelt_sample.tsv", "--out", out)
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(SAMPLES / "gdelt_sample.tsv", sep="\t", header=None, names=COLUMNS, dtype=str,
                        keep_default_na=False, quoting=csv.QUOTE_NONE)
    with_both = frame[(frame["Actor1Code"] != "") & (frame["Actor2Code"] != "")]
    ds = load_dataset(out)
    assert len(ds.edges) == len(with_both) == 1521
    assert f"skipped {len(frame) - len(with_both)} events without both actors" in result.stderr
    assert set(ds.nodes["import_key"]) >= {"gdelt:" + c for c in set(with_both["Actor1Code"]) | set(with_both["Actor2Code"])}
    # GoldsteinScale kept per row (both are the same -10..10 scale).
    assert (ds.edges["weight"].to_numpy() == with_both["GoldsteinScale"].astype(float).to_numpy()).all()
    for command in (["validate"], ["centrality", "--metric", "all", "--top", "5"], ["clusters"]):
        r = run(*command, "--data", out)
        assert r.exit_code == 0, (command, r.output)


def test_zipped_export_reads_like_the_plain_file(tmp_path, run):
    import zipfile

    zipped = tmp_path / "20150218230000.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.write(PART1, "20150218230000.export.CSV")
    assert run("import", "gdelt", zipped, "--out", tmp_path / "z").exit_code == 0
    assert run("import", "gdelt", PART1, "--out", tmp_path / "p").exit_code == 0
    for name in ("nodes.csv", "edges.csv", "edge_types.csv"):
        assert (tmp_path / "z" / name).read_bytes() == (tmp_path / "p" / name).read_bytes()


def test_cameo_table_ships_with_the_package_and_scales_agree_in_sign():
    from graph.interop import cameo as cameo

    table = cameo.codes()
    assert len(table) == 311
    assert table["173"].name == "Arrest, detain, or charge with legal action"
    assert (table["016"].goldstein, table["016"].parus) == (-2.0, -5.0)
    # Polarity is taken from the sign, which must not depend on the scale.
    for code in table.values():
        assert (code.goldstein > 0) == (code.parus > 0) and (code.goldstein < 0) == (code.parus < 0), code
    assert table["012"].polarity == "hostile" and table["012"].quad_class == 1  # sign wins over quad class
    assert cameo.lookup("1729").code == "172"  # unknown sub-code: nearest listed parent
    assert cameo.lookup("99") is None


def test_a_bare_country_code_with_an_empty_country_field_is_one_state(tmp_path, run):
    # One event USA -> USAGOV where the USA actor's CountryCode column is empty: the importer must
    # not create a second 'usa' node for USAGOV's country.
    fixture = Path(__file__).parent / "fixtures" / "gdelt" / "bare_country_without_country_code.tsv"
    out = tmp_path / "g"
    result = run("import", "gdelt", fixture, "--out", out)
    assert result.exit_code == 0, result.output
    nodes = pd.read_csv(out / "nodes.csv", dtype=str, keep_default_na=False)
    assert sorted(zip(nodes["id"], nodes["kind"], nodes["affiliation"])) == [
        ("usa", "state", ""), ("usagov", "institution", "usa")]
