"""scripts/bench --store (scripts/bench_store.py): the event store it writes, its measuring helpers and a
tiny run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from graph.store.dataset import load_dataset
from graph.view.engines import close_data, open_data
from graph.view.pairs import pair_table
from graph.view.select import select

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))
import bench_store  # noqa: E402  (a script's module, found through scripts/)

bench = bench_store.bench
SETTINGS = dict(actors=60, events=3000, camps=4, flip=0.1, seed=5, chunk=1000)  # three batches


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench-store")
    made = bench_store.write_store(root / "store", **SETTINGS)
    camp = bench.generate(root / "csv", **SETTINGS)
    return root / "store", root / "csv", made, camp


def store_rows(store: Path) -> pd.DataFrame:
    frames = []
    for path in sorted((store / "events").rglob("*.parquet")):
        table = pq.read_table(path)
        assert all(str(t) == "string" for t in table.schema.types), path  # the layout: strings only
        frame = table.to_pandas()
        frame["file"] = path.relative_to(store / "events").parent.as_posix()
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_same_seed_gives_the_csv_generators_events(written):
    store, csv, made, camp = written
    for name in ("nodes.csv", "edge_types.csv"):
        assert (store / name).read_bytes() == (csv / name).read_bytes()
    edges = pd.read_csv(csv / "edges.csv", dtype=str, keep_default_na=False)
    rows = store_rows(store)
    assert list(rows.columns[:-1]) == list(edges.columns)
    assert len(rows) == len(edges) == SETTINGS["events"]
    # Every row's citation is unique (its row number): the same rows, whatever file holds them.
    by_citation = rows.drop(columns="file").sort_values("citation").reset_index(drop=True)
    pd.testing.assert_frame_equal(by_citation, edges.sort_values("citation").reset_index(drop=True))
    assert np.array_equal(made["camp"], camp)


def test_rows_sit_in_the_partition_of_their_date(written):
    rows = store_rows(written[0])
    expected = [f"year={d[:4] or 0}/month={d[5:7] or 0}" for d in rows["date"]]
    assert rows["file"].tolist() == expected
    assert {"year=0/month=0"} < set(expected)  # undated events go under year=0/month=0
    assert any(e.endswith("/month=0") and not e.startswith("year=0") for e in expected)  # year-only dates
    assert written[2]["files"] == len(set(expected))


def test_the_store_reads_as_the_csv_folder(written):
    store, csv, _, _ = written
    assert subprocess.run([sys.executable, "-m", "graph", "validate", "--data", str(store)],
                          capture_output=True, text=True).returncode == 0
    data = open_data(store, "duckdb")
    try:
        got = pair_table(select(data)).table
    finally:
        close_data(data)
    want = pair_table(select(load_dataset(csv))).table
    key = ["source", "target", "directed"]
    got, want = got.sort_values(key).reset_index(drop=True), want.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got[key + ["events", "signed_events"]], want[key + ["events", "signed_events"]],
                                  check_dtype=False)
    assert np.allclose(got[["weight", "hostile", "cooperative"]], want[["weight", "hostile", "cooperative"]],
                       rtol=1e-9, atol=1e-9)


def test_batches_are_seeded_each_on_its_own(tmp_path):
    a = bench.generate(tmp_path / "a", actors=40, events=2500, seed=9, chunk=1000)
    b = bench.generate(tmp_path / "b", actors=40, events=2500, seed=9, chunk=1000)
    assert np.array_equal(a, b)
    assert (tmp_path / "a" / "edges.csv").read_bytes() == (tmp_path / "b" / "edges.csv").read_bytes()
    edges = pd.read_csv(tmp_path / "a" / "edges.csv", dtype=str, keep_default_na=False)
    assert edges["citation"].tolist() == [f"https://example.org/news/{i}" for i in range(2500)]
    # Batches differ from one another (each its own stream), not the first batch repeated.
    assert not edges.iloc[:1000, :2].reset_index(drop=True).equals(edges.iloc[1000:2000, :2].reset_index(drop=True))


def test_linear_extrapolation_hand_worked():
    # Collinear points: 300 MB + 700 MB per million events; 20 GiB = 20,480 MB at (20480 - 300) / 700 M.
    a, b = bench_store.linear_fit([1_000_000, 2_000_000, 4_000_000], [1000, 1700, 3100])
    assert a == pytest.approx(300) and b * 1e6 == pytest.approx(700)
    assert bench_store.size_within(20_480, a, b) == pytest.approx(20_180 / 700 * 1e6)
    assert bench_store.size_within(20_480, 500, 0.0) == float("inf")


def test_tree_peak_counts_children_together():
    # The parent holds 120 MB while its child holds 150 MB: the tree's peak is their sum, which the
    # largest single process's peak (what getrusage gives) would miss.
    child = "import time; b = b'x' * (150 * 2**20); time.sleep(2)"
    parent = f"import subprocess, sys; a = b'y' * (120 * 2**20); subprocess.run([sys.executable, '-c', {child!r}])"
    got = bench_store.measure_tree([sys.executable, "-c", parent])
    assert got["rc"] == 0 and got["peak_mb"] > 270


def test_a_tree_past_the_cap_is_killed():
    got = bench_store.measure_tree([sys.executable, "-c", "import time; b = b'x' * (300 * 2**20); time.sleep(20)"],
                                   cap_mb=150)
    assert got["killed"] and got["rc"] == -9 and got["wall"] < 15 and "killed" in got["err"]


def test_tiny_run(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPTS / "bench"), "--store", "--events", "3000", "--actors", "80",
                             "--only", "validate", "--only", "timeline", "--only", "aggregation", "--only", "pandas",
                             "--pandas-sizes", "1000,2000", "--keep", str(tmp_path / "store"), "--json"],
                            capture_output=True, text=True, timeout=600)
    rows = json.loads(result.stdout)
    by = {r["command"]: r for r in rows}
    assert by["write the store"]["files"] > 10
    for name in ("actorgraph validate", "actorgraph timeline"):
        assert by[name]["exit"] == 0 and by[name]["pass"] == "yes" and by[name]["peak_MB"] > 10
    aggregation = by["pair table, DuckDB engine vs bare DuckDB GROUP BY"]
    assert aggregation["exit"] == 0, result.stderr  # the engine and the floor found the same pairs and events
    ratio = aggregation["seconds"] / aggregation["floor_seconds"]
    assert aggregation["ratio"] == pytest.approx(ratio, rel=0.1, abs=0.05)
    pandas_rows = [r for r in rows if r["section"] == "pandas"]
    assert len(pandas_rows) == 2 * 4 + 1 and all(r["exit"] == 0 for r in pandas_rows)
    assert "EXTRAPOLATED" in pandas_rows[-1]["note"] and "1000" not in pandas_rows[-1]["value"]
    # Kept: a second run reuses the store instead of writing it again.
    again = subprocess.run([sys.executable, str(SCRIPTS / "bench"), "--store", "--events", "3000", "--actors", "80",
                            "--only", "validate", "--keep", str(tmp_path / "store"), "--json"],
                           capture_output=True, text=True, timeout=600)
    assert json.loads(again.stdout)[0]["command"].startswith("store written earlier")
