"""scripts/bench: the synthetic generator, the adjusted Rand index, and a tiny end-to-end run."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graph.store.dataset import load_dataset

BENCH = Path(__file__).resolve().parents[1] / "scripts" / "bench"


def load_bench():
    loader = importlib.machinery.SourceFileLoader("actorgraph_bench", str(BENCH))
    spec = importlib.util.spec_from_loader("actorgraph_bench", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


bench = load_bench()


def test_ari_hand_worked():
    # Contingency [[2,1,0],[0,1,2]]: sum C(nij,2)=2, rows 3+3=6, cols 1+1+1=3, C(6,2)=15;
    # expected 6*3/15=1.2, max (6+3)/2=4.5 -> ARI = (2-1.2)/(4.5-1.2) = 0.8/3.3.
    assert bench.adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(0.8 / 3.3)
    assert bench.adjusted_rand_index(list("aabbcc"), list("xxzzyy")) == pytest.approx(1.0)  # same partition
    # Independent labelings score about 0 (ARI is chance-corrected): all-in-one vs all-apart.
    assert bench.adjusted_rand_index([1] * 5, list(range(5))) == pytest.approx(0.0)


def test_generator_plants_camps_with_the_flip_share(tmp_path):
    camp = bench.generate(tmp_path, actors=300, events=20000, camps=4, flip=0.10, seed=3)
    ds = load_dataset(tmp_path)  # the generated data validates
    assert len(ds.nodes) == 300 and len(ds.edges) == 20000
    assert sorted(set(camp)) == [0, 1, 2, 3]
    c = dict(zip(ds.nodes.index, camp))
    ev = ds.edges[ds.edges["polarity"] != "neutral"]
    same = ev["source"].map(c) == ev["target"].map(c)
    hostile = ev["polarity"] == "hostile"
    wrong = (same & hostile) | (~same & ~hostile)
    assert 0.08 < wrong.mean() < 0.12  # ~10% flipped in sign
    # Heavy-tailed activity: the busiest 5% of actors take part in far more than 5% of events.
    activity = pd.concat([ds.edges["source"], ds.edges["target"]]).value_counts()
    assert activity.head(15).sum() / activity.sum() > 0.15
    # A mix of types, of date precisions and some undated events.
    assert ds.edges["type"].nunique() >= 10
    lengths = ds.edges["date"].str.len().value_counts()
    assert {0, 4, 7, 10} <= set(lengths.index)
    assert ds.edges["weight_override"].notna().mean() == pytest.approx(0.2, abs=0.02)


def test_generator_is_seeded(tmp_path):
    bench.generate(tmp_path / "a", actors=50, events=500, seed=7)
    bench.generate(tmp_path / "b", actors=50, events=500, seed=7)
    for name in ("nodes.csv", "edges.csv", "edge_types.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_clusters_ari_reads_the_clusters_report():
    camp = np.array([0, 0, 1, 1])
    report = '{"clusters": [{"id": 1, "members": ["a00000", "a00001"]}, {"id": 2, "members": ["a00002", "a00003"]}]}'
    assert bench.clusters_ari(report, camp) == pytest.approx(1.0)


def test_tiny_end_to_end(tmp_path):
    result = subprocess.run([sys.executable, str(BENCH), "--actors", "80", "--events", "3000", "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = {r["section"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"validate", "centrality", "clusters"}
    for section in ("validate", "centrality"):
        r = rows[section]
        assert r["exit"] == 0 and r["seconds"] > 0 and r["floor_seconds"] > 0 and r["peak_MB"] > 10
        assert r["ratio"] == pytest.approx(r["seconds"] / r["floor_seconds"], rel=0.05)
    assert 0 <= rows["clusters"]["ARI"] <= 1
