"""The DuckDB engine's edges and latest events equal the pandas reference (``graph.view.edges``) over the
same events, under every filter set of the engine tests, and a whole top-N map of a Parquet store equals
the one of the same events as a CSV folder."""

from __future__ import annotations

import pandas as pd
import pytest

from graph.analysis.top import top_graph
from graph.view.edges import edge_table, latest_events
from graph.view.select import select
from tests.test_duckdb_engine import FILTERS, folders, opened  # noqa: F401  (the shared store fixtures)


@pytest.mark.parametrize("filters", FILTERS, ids=[str(i) for i in range(len(FILTERS))])
def test_edges_and_latest_events_agree(opened, filters):  # noqa: F811
    pandas_ds, on_store, on_csv = opened[:3]
    reference = select(pandas_ds, filters)
    if not len(reference.nodes):
        return
    actors = list(top_graph(reference, 8, "degree").ids) if len(reference.events) else []
    expected = edge_table(reference, actors)
    pairs = [(actors[s], actors[t]) for s, t in zip(expected["source"], expected["target"]) if s != t][:12]
    for data in (on_store, on_csv):
        view = select(data, filters)
        assert view.events is None
        got = edge_table(view, actors)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, check_dtype=False)
        for polarity in (None, "hostile", "cooperative"):
            want = latest_events(reference, pairs, 3, polarity)
            have = latest_events(view, pairs, 3, polarity)
            cols = ["source", "target", "type", "date", "note", "citation", "start", "end"]
            pd.testing.assert_frame_equal(have[cols].reset_index(drop=True), want[cols].reset_index(drop=True),
                                          check_dtype=False)
            assert list(have["weight"]) == pytest.approx(list(want["weight"]), rel=1e-9)
