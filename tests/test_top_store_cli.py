"""End to end on a small Parquet store: ``actorgraph html --data STORE`` and ``export --data STORE``
draw the top actors and their aggregated edges through DuckDB, equal to the same events as a CSV folder
with ``--top``; ``serve`` refuses a store with one clear line."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from tests.stores import random_rows, write_csv, write_store

QUICK = ("--time-limit", "1")


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    base = tmp_path_factory.mktemp("twins")
    ordered = write_store(base / "store", random_rows(300, seed=5))
    write_csv(base / "csv", ordered)
    return base / "store", base / "csv"


def page_data(path) -> dict:
    raw = re.search(r'<script type="application/json" id="ag-data">(.*?)</script>',
                    path.read_text(encoding="utf-8"), re.S).group(1)
    return json.loads(unescape(raw))


def test_html_of_a_store_is_a_top_map(run, twins, tmp_path):
    store, csv = twins
    result = run("html", "--data", store, "-o", tmp_path / "store.html", *QUICK)
    assert result.exit_code == 0, result.output
    got = page_data(tmp_path / "store.html")
    assert got["top"] is not None and got["top"]["by"] == "degree"
    assert got["top"]["events"] == 300
    run("html", "--data", csv, "--top", "300", "-o", tmp_path / "csv.html", *QUICK)
    want = page_data(tmp_path / "csv.html")
    assert got["nodes"]["id"] == want["nodes"]["id"] and len(got["nodes"]["id"]) > 5
    for key in ("s", "t", "p", "d", "n", "a", "b"):
        assert got["edges"][key] == want["edges"][key]
    assert got["edges"]["w"] == pytest.approx(want["edges"]["w"], rel=1e-9)
    assert got["events"]["n"] == want["events"]["n"] and len(got["events"]["n"]) > 0
    assert got["events"]["g"] == want["events"]["g"]
    assert got["nodes"]["c"] == want["nodes"]["c"]
    # A CSV folder without --top still draws every event.
    run("html", "--data", csv, "-o", tmp_path / "full.html", *QUICK)
    full = page_data(tmp_path / "full.html")
    assert full["top"] is None and len(full["events"]["s"]) == 300


def test_html_top_by_and_period_slider_on_a_store(run, twins, tmp_path):
    store, _ = twins
    result = run("html", "--data", store, "--top", "5", "--top-by", "pagerank", "--every", "year",
                 "-o", tmp_path / "p.html", *QUICK)
    assert result.exit_code == 0, result.output
    data = page_data(tmp_path / "p.html")
    assert len(data["nodes"]["id"]) == 5 and data["top"]["by"] == "pagerank"
    assert data["periods"] is not None and len(data["periods"]["labels"]) >= 2
    assert all(len(codes) == 5 for codes in data["periods"]["c"])


def test_confidence_on_a_store_is_refused(run, twins, tmp_path):
    store, _ = twins
    result = run("html", "--data", store, "--confidence", "-o", tmp_path / "c.html", *QUICK)
    assert result.exit_code != 0
    assert "stay with the duckdb engine" in result.output
    assert not (tmp_path / "c.html").exists()


def test_export_of_a_store_is_the_aggregated_top_graph(run, twins, tmp_path):
    store, csv = twins
    result = run("export", "--data", store, "--format", "json", "-o", tmp_path / "s.json", *QUICK)
    assert result.exit_code == 0, result.output
    assert "edges summing 300 of 300 events" in result.output
    run("export", "--data", csv, "--format", "json", "--top", "300", "-o", tmp_path / "c.json", *QUICK)
    got, want = (json.loads((tmp_path / f).read_text(encoding="utf-8")) for f in ("s.json", "c.json"))
    assert got["nodes"] == want["nodes"]
    key = lambda link: (link["source"], link["target"], link["directed"], link["polarity"])  # noqa: E731
    a, b = sorted(got["links"], key=key), sorted(want["links"], key=key)
    assert [key(x) for x in a] == [key(x) for x in b]
    for x, y in zip(a, b):
        assert (x["events"], x["first"], x["last"]) == (y["events"], y["first"], y["last"])
        assert x["weight"] == pytest.approx(y["weight"], rel=1e-9, abs=1e-12)
    assert sum(link["events"] for link in a) == 300


def test_serve_refuses_a_store(run, twins):
    store, _ = twins
    result = run("serve", "--data", store, "--port", "0")
    assert result.exit_code != 0
    assert "is an event store" in result.output and "actorgraph html --data" in result.output
