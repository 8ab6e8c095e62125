"""``actorgraph import icews``: ICEWS rows become valid actors, events and CAMEO types (Parus scale)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graph.interop.importers import icews_kind, slugify
from graph.store.dataset import load_dataset

FIX = Path(__file__).parent / "fixtures" / "icews"
PART1, PART2, MISSING = FIX / "part1.tab", FIX / "part2.tab", FIX / "missing_actor.tab"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


def table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)


@pytest.fixture
def imported(tmp_path, run):
    out = tmp_path / "i"
    result = run("import", "icews", PART1, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def test_every_row_becomes_one_event(imported):
    ds = load_dataset(imported)
    rows = table(PART1)
    assert sorted(ds.edges["event_id"]) == sorted("icews:" + rows["Event ID"])


def test_a_row_maps_field_by_field(imported):
    ds = load_dataset(imported)
    # 32891180: Police (India) arrests Children (India), CAMEO 173, intensity -5, 2018-06-01.
    e = ds.edges[ds.edges["event_id"] == "icews:32891180"].iloc[0]
    assert (e["source"], e["target"], e["type"], e["date"], e["weight"]) == \
        ("police_india", "children_india", "cameo_173", "2018-06-01", -5.0)
    assert e["polarity"] == "hostile"
    assert e["citation"].startswith("ICEWS story ")
    t = ds.types.loc["cameo_173"]
    assert (t["label"], t["weight"], t["weight_scale"]) == ("Arrest, detain, or charge with legal action", -5.0, "parus")


def test_types_use_the_parus_scale(tmp_path, run):
    # CAMEO 016 (deny responsibility) is -2 on GDELT's Goldstein scale and -5 on the Parus scale.
    out = tmp_path / "p"
    src = table(MISSING).iloc[:1].assign(**{"CAMEO Code": "016", "Intensity": "-5"})
    path = tmp_path / "deny.tab"
    src.to_csv(path, sep="\t", index=False)
    assert run("import", "icews", path, "--out", out).exit_code == 0
    assert load_dataset(out).types.loc["cameo_016", "weight"] == -5.0


def test_actor_kinds_and_affiliations(imported):
    nodes = load_dataset(imported).nodes
    assert nodes.loc["japan", "kind"] == "state"
    assert nodes.loc["russia", "kind"] == "state"  # ICEWS names it Russia, its country Russian Federation
    assert nodes.loc["police_india", "kind"] == "institution"
    assert nodes.loc["police_india", "affiliation"] == "india"
    assert nodes.loc["citizen_india", "kind"] == "group"
    assert nodes.loc["media_personnel_united_kingdom", "kind"] == "media"
    assert nodes.loc["vladimir_putin", "kind"] == "official"
    assert nodes.loc["vladimir_putin", "affiliation"] == "russia"
    assert nodes.loc["toyota", "kind"] in ("group", "person")
    assert nodes.loc["police_india", "description"] == "ICEWS actor; country: India; sectors: Government, Police."


@pytest.mark.parametrize("name,sectors,country,kind", [
    ("Italy", "NA", "Italy", "state"),
    ("Russia", "", "Russian Federation", "state"),
    ("Police (Italy)", "Police,Government", "Italy", "institution"),
    ("Protester (Italy)", "Protestors / Popular Opposition / Mobs,Dissident", "Italy", "group"),
    ("Media Personnel (Italy)", "Media,Social", "Italy", "media"),
    ("Giuseppe Conte", "Executive,Government", "Italy", "official"),
    ("Andrew Yang", "NA", "Taiwan", "person"),
    ("Democratic Party", "Parties,(National) Major Party", "United States", "group"),
    ("Ministry of Defense", "Government,Military", "Italy", "institution"),
])
def test_icews_kind_heuristics(name, sectors, country, kind):
    assert icews_kind(name, sectors, country, {"Russia"}) == kind


def test_slugify_makes_ascii_ids():
    assert slugify("Recep Tayyip Erdoğan") == "recep_tayyip_erdogan"
    assert slugify("Police (Italy)") == "police_italy"
    assert slugify("!!!") == "actor"


def test_rows_without_both_actors_are_counted(tmp_path, run):
    result = run("import", "icews", MISSING, "--out", tmp_path / "m")
    assert result.exit_code == 0
    assert "skipped 2 events without both actors" in result.stderr
    ds = load_dataset(tmp_path / "m")
    assert list(ds.edges["event_id"]) == ["icews:900000001"]


def test_merge_never_duplicates(imported, run):
    result = run("import", "icews", PART2, "--out", imported, "--merge")
    assert result.exit_code == 0, result.output
    ds = load_dataset(imported)
    expected = set("icews:" + table(PART1)["Event ID"]) | set("icews:" + table(PART2)["Event ID"])
    assert set(ds.edges["event_id"]) == expected and ds.edges["event_id"].is_unique
    names = set(table(PART1)["Source Name"]) | set(table(PART1)["Target Name"]) | \
        set(table(PART2)["Source Name"]) | set(table(PART2)["Target Name"])
    keys = set(ds.nodes["import_key"])
    assert {"icews:" + n for n in names} <= keys and ds.nodes["import_key"].is_unique


def test_gdelt_and_icews_merge_into_one_folder(imported, run):
    gdelt = Path(__file__).parent / "fixtures" / "gdelt" / "part1.export.tsv"
    result = run("import", "gdelt", gdelt, "--out", imported, "--merge")
    assert result.exit_code == 0, result.output
    ds = load_dataset(imported)
    assert ds.edges["event_id"].str.startswith("gdelt:").any() and ds.edges["event_id"].str.startswith("icews:").any()


def test_missing_columns_are_a_one_line_error(tmp_path, run):
    bad = tmp_path / "x.tab"
    bad.write_text("Event ID\tSource Name\n1\tA\n")
    result = run("import", "icews", bad, "--out", tmp_path / "o")
    assert result.exit_code == 1
    assert "missing ICEWS columns" in result.stderr and "Traceback" not in result.output


def test_full_sample_imports_validates_and_analyses(tmp_path, run):
    out = tmp_path / "icews"
    result = run("import", "icews", SAMPLES / "icews_sample.tab", "--out", out)
    assert result.exit_code == 0, result.output
    rows = table(SAMPLES / "icews_sample.tab")
    ds = load_dataset(out)
    assert len(ds.edges) == len(rows) == 3705
    assert (ds.edges["weight"].to_numpy() == rows["Intensity"].astype(float).to_numpy()).all()
    for command in (["validate"], ["centrality", "--metric", "all", "--top", "5"], ["clusters"]):
        r = run(*command, "--data", out)
        assert r.exit_code == 0, (command, r.output)


def test_an_input_without_any_usable_event_writes_nothing(tmp_path, run):
    header_only = tmp_path / "header.tab"
    header_only.write_text(PART1.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = run("import", "icews", header_only, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "no event in the input names both actors; nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_merge_waits_for_the_edit_lock_and_writes_nothing_while_it_is_held(tmp_path, run):
    from graph.interop.importers import read_icews, write_import
    from graph.store.safe_write import LockTimeout, locked

    out = tmp_path / "data"
    assert run("import", "icews", PART1, "--out", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    with locked(out):
        with pytest.raises(LockTimeout, match="locked by another actorgraph process"):
            write_import(read_icews([PART2]), out, merge=True, lock_timeout=0.2)
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before
    assert write_import(read_icews([PART2]), out, merge=True).events_added > 0
