"""``actorgraph import gdelt|icews ... --store parquet``: real samples streamed into an event store."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

from graph.interop.store_import import import_to_store
from graph.store.dataset import load_dataset
from graph.store.event_store import event_files, is_store, load_store_dataset

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
GDELT = SAMPLES / "gdelt_sample.tsv"
ICEWS = SAMPLES / "icews_sample.tab"
FIX = Path(__file__).parent / "fixtures"


def same_data(store: Path, folder: Path) -> None:
    """The store holds exactly the CSV folder's actors, types and events (events compared by event_id)."""
    a, b = load_store_dataset(store), load_dataset(folder)
    for name in ("nodes.csv", "edge_types.csv"):
        assert (store / name).read_bytes() == (folder / name).read_bytes()
    key = ["event_id"]
    ea = a.edges.drop(columns="line").sort_values(key).reset_index(drop=True)
    eb = b.edges.drop(columns="line").sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ea, eb)


def test_real_samples_into_a_store_equal_the_csv_import(tmp_path, run):
    store, folder = tmp_path / "store", tmp_path / "csv"
    for source, sample in (("gdelt", GDELT), ("icews", ICEWS)):
        merge = ["--merge"] if source == "icews" else []
        result = run("import", source, sample, "--store", "parquet", "--out", store, "--batch-rows", "400", *merge)
        assert result.exit_code == 0, result.output
        assert run("import", source, sample, "--out", folder, *merge).exit_code == 0
    assert is_store(store) and not (store / "edges.csv").exists()
    assert len(event_files(store)) >= 3
    same_data(store, folder)
    ds = load_store_dataset(store)  # validates with the CSV rules
    assert len(ds.edges) == 1521 + 3705 and ds.edges["event_id"].is_unique
    assert result.exit_code == 0 and run("validate", "--data", folder).exit_code == 0


def test_merge_skips_events_already_in_the_store(tmp_path, run):
    store = tmp_path / "s"
    assert run("import", "gdelt", FIX / "gdelt" / "part1.export.tsv", "--store", "parquet", "--out", store).exit_code == 0
    before = {p: p.read_bytes() for p in event_files(store)}
    nodes = (store / "nodes.csv").read_bytes()
    result = run("import", "gdelt", FIX / "gdelt" / "part1.export.tsv", "--store", "parquet", "--out", store, "--merge")
    assert result.exit_code == 0, result.output
    assert "added 0 actors, 0 events, 0 types" in result.stdout and "events already present" in result.stdout
    assert {p: p.read_bytes() for p in event_files(store)} == before and (store / "nodes.csv").read_bytes() == nodes
    # part2 overlaps part1: the merged store equals the CSV import of both
    result = run("import", "gdelt", FIX / "gdelt" / "part2.export.tsv", "--store", "parquet", "--out", store, "--merge")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "c"
    run("import", "gdelt", FIX / "gdelt" / "part1.export.tsv", "--out", folder)
    run("import", "gdelt", FIX / "gdelt" / "part2.export.tsv", "--out", folder, "--merge")
    same_data(store, folder)
    assert not [p for p in store.iterdir() if p.name.endswith(".actorgraph-tmp")]


def test_merge_into_a_converted_hand_made_store_adds_the_event_id_column(tmp_path, run):
    from graph.store.convert import convert
    from tests.conftest import BUNDLED

    convert(BUNDLED, tmp_path / "s", to="parquet")
    result = run("import", "icews", FIX / "icews" / "part1.tab", "--store", "parquet", "--out", tmp_path / "s",
                 "--merge")
    assert result.exit_code == 0, result.output
    ds = load_store_dataset(tmp_path / "s")
    old = load_dataset(BUNDLED)
    assert "event_id" in ds.edges.columns
    assert (ds.edges["event_id"] == "").sum() == len(old.edges)  # the hand-made events, kept with an empty id
    assert set(old.nodes.index) < set(ds.nodes.index)


def _gdelt_copies(folder: Path, n: int) -> list[Path]:
    """n GDELT files: the real sample with GLOBALEVENTIDs shifted so every copy holds new events."""
    lines = GDELT.read_text(encoding="utf-8").splitlines(keepends=True)
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"2015021{i:03d}.export.CSV"
        path.write_text("".join(str(int(l.split("\t", 1)[0]) + i * 10_000_000) + "\t" + l.split("\t", 1)[1]
                                for l in lines), encoding="utf-8")
        paths.append(path)
    return paths


def _import_peak(tmp_path: Path, paths: list[Path], name: str) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    result = import_to_store("gdelt", paths, tmp_path / name, batch_rows=1000)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, result.report.events_added


def test_many_files_stream_with_bounded_memory(tmp_path):
    paths = _gdelt_copies(tmp_path / "in", 12)
    few, few_events = _import_peak(tmp_path, paths[:3], "few")
    many, many_events = _import_peak(tmp_path, paths, "many")
    assert many_events == 4 * few_events == 12 * 1521
    # 4x the events; what grows is the set of event ids seen (8 bytes an id, plus sorting room), never
    # the events themselves (a row of this sample takes over 1,000 bytes in pandas).
    per_event = (many - few) / (many_events - few_events)
    assert per_event < 40, (few, many, per_event)
    ds = load_store_dataset(tmp_path / "many")
    assert ds.edges["event_id"].is_unique and len(ds.edges) == many_events


def test_a_csv_folder_and_a_store_are_not_mixed(tmp_path, run, data_copy):
    result = run("import", "gdelt", FIX / "gdelt" / "part1.export.tsv", "--store", "parquet", "--out", data_copy,
                 "--merge")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: {data_copy} is a CSV data folder, not an event store: drop --store parquet to merge into its "
        f"CSV files, or convert it first (actorgraph convert --data {data_copy} --to parquet --out NEWDIR)")
    store = tmp_path / "s"
    run("import", "gdelt", FIX / "gdelt" / "part1.export.tsv", "--store", "parquet", "--out", store)
    before = sorted(p.name for p in store.rglob("*"))
    result = run("import", "gdelt", FIX / "gdelt" / "part2.export.tsv", "--out", store, "--merge")
    assert result.exit_code == 1
    assert f"Error: {store} is an event store (its events are Parquet files): add --store parquet" in result.stderr
    assert sorted(p.name for p in store.rglob("*")) == before and not (store / "edges.csv").exists()


def test_a_new_store_is_refused_in_a_non_empty_folder(tmp_path, run):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("keep")
    result = run("import", "icews", FIX / "icews" / "part1.tab", "--store", "parquet", "--out", tmp_path / "x")
    assert result.exit_code == 1 and "is not empty; add --merge" in result.stderr
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["notes.txt"]
