"""The DuckDB engine answers exactly as the pandas path does, over a Parquet store and over a CSV folder.

The reference is ``select`` on the same events loaded from CSV by ``load_dataset`` (pandas); a
hand-worked store checks the numbers themselves.
"""

from __future__ import annotations

import itertools
import textwrap

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view
from graph.analysis.centrality import METRICS, centrality_table
from graph.analysis.queries import paths, profile
from graph.analysis.timeline import activity
from graph.errors import ActorgraphError
from graph.store.dataset import load_dataset
from graph.view.engine import Selection
from graph.view.engines import open_data
from graph.view.engines.duckdb_engine import DuckDBEngine, default_memory_limit
from graph.view.engines.partitions import files_for, partition_of
from graph.view.pairs import pair_table
from graph.view.select import Filters, select
from tests.stores import random_rows, write_csv, write_store

FILTERS = [
    Filters(),
    Filters(since="2024"), Filters(until="2023-06"), Filters(since="2020-03-10", until="2024-02"),
    Filters(since="2024-06-15", until="2024-06-15"),
    Filters(types=("arrest", "support", "talks")), Filters(kinds=("state", "official")),
    Filters(level="state"), Filters(level="state", since="2023", half_life=120.0),
    Filters(half_life=30.0), Filters(half_life=365.0, until="2024-05"),
    Filters(ego="putin"), Filters(ego="aze", depth=2, since="2020"),
    Filters(dated_only=True), Filters(dated_only=True, since="2023-01", level="state"),
    Filters(kinds=("official",), types=("accusation", "meeting", "appointment"), half_life=90.0),
    Filters(level="state", ego="arm", kinds=("state",)),
]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The same 400 events as a store (several files per partition) and as a CSV folder."""
    base = tmp_path_factory.mktemp("engines")
    ordered = write_store(base / "store", random_rows(400, seed=3))
    write_csv(base / "csv", ordered)
    return base / "store", base / "csv"


@pytest.fixture(scope="module")
def opened(folders):
    store, csv = folders
    pandas_ds = load_dataset(csv)
    on_store = open_data(store)
    on_csv = open_data(csv, engine="duckdb")
    yield pandas_ds, on_store, on_csv
    on_store.engine.close()
    on_csv.engine.close()


def same_pairs(a, b):
    assert list(a.nodes) == list(b.nodes)
    pd.testing.assert_frame_equal(a.table.reset_index(drop=True), b.table.reset_index(drop=True),
                                  check_exact=False, rtol=1e-9, atol=1e-12)
    assert b.noise == pytest.approx(a.noise, rel=1e-9)


def events_key(ev: pd.DataFrame, line_shift: int = 0) -> pd.DataFrame:
    cols = ["source", "target", "type", "date", "polarity", "directed", "weight", "start", "end", "note",
            "citation", "line"]
    out = ev[cols].reset_index(drop=True).copy()
    out["line"] = out["line"] + line_shift
    return out


@pytest.mark.parametrize("f", FILTERS, ids=[str(i) for i in range(len(FILTERS))])
def test_engines_agree_with_pandas(opened, f):
    pandas_ds, on_store, on_csv = opened
    ref = select(pandas_ds, f)
    for data, shift in ((on_store, 1), (on_csv, 0)):  # a store's line is its event's number: CSV line - 1
        view = select(data, f)
        assert list(view.nodes.index) == list(ref.nodes.index)
        same_pairs(pair_table(ref), pair_table(view))
        assert view.date_range() == ref.date_range()
        pd.testing.assert_frame_equal(view.spans(), ref.spans(), check_exact=False, rtol=1e-9)
        some = list(ref.nodes.index[:3])
        pd.testing.assert_frame_equal(events_key(view.events_touching(some), shift),
                                      events_key(ref.events_touching(some)), check_exact=False, rtol=1e-9,
                                      check_dtype=False)  # pandas' own text dtypes vary (object / str)
        pairs = [tuple(p) for p in itertools.combinations(sorted(ref.nodes.index)[:5], 2)]
        pd.testing.assert_frame_equal(events_key(view.events_between(pairs), shift),
                                      events_key(ref.events_between(pairs)), check_exact=False, rtol=1e-9,
                                      check_dtype=False)


@pytest.mark.parametrize("f", FILTERS[:10], ids=[str(i) for i in range(10)])
def test_analyses_agree_with_pandas(opened, f):
    pandas_ds, on_store, _ = opened
    ref, view = select(pandas_ds, f), select(on_store, f)
    metrics = list(METRICS)
    pd.testing.assert_frame_equal(centrality_table(view, metrics), centrality_table(ref, metrics),
                                  check_exact=False, rtol=1e-9, atol=1e-12)
    a, b = blocs_of_view(ref, BlocSettings(time_limit=20)), blocs_of_view(view, BlocSettings(time_limit=20))
    assert (b.clusters, b.apart, b.unaligned, b.names) == (a.clusters, a.apart, a.unaligned, a.names)
    assert b.frustration == pytest.approx(a.frustration, rel=1e-9, abs=1e-12)
    if len(ref.spans()["start"].dropna()):
        for freq in ("month", "week"):
            pd.testing.assert_frame_equal(activity(view, freq), activity(ref, freq), check_exact=False, rtol=1e-9)
    actor = ref.nodes.index[0]
    mine, theirs = profile(view, actor), profile(ref, actor)
    for event in mine["events"]:
        event["line"] += 1
    for m, c in theirs.pop("centrality").items():  # sums in another order: equal up to float rounding
        assert mine["centrality"][m]["value"] == pytest.approx(c["value"], rel=1e-9, abs=1e-12)
    mine.pop("centrality")
    assert mine == theirs
    if len(ref.nodes) > 2:
        x, y = ref.nodes.index[1], ref.nodes.index[-1]
        assert paths(view, x, y) == paths(ref, x, y)


HAND_NODES = """\
id,label,kind,affiliation
a,A,state,
b,B,state,
a1,A's minister,official,a
"""


def test_hand_worked_pairs_and_decay(tmp_path):
    """Numbers worked out by hand: overrides, defaults, neutral, undirected, roll-up, decay."""
    rows = [
        {"source": "a", "target": "b", "type": "arrest", "date": "2024-01-01", "weight": "-2"},    # a->b -2
        {"source": "b", "target": "a", "type": "arrest", "date": "2024-01", "weight": ""},         # b->a -5
        {"source": "b", "target": "a", "type": "meeting", "date": "", "weight": ""},               # {a,b} +1
        {"source": "a", "target": "b", "type": "meeting", "date": "2024", "weight": "4"},          # {a,b} +4
        {"source": "a1", "target": "b", "type": "appointment", "date": "2024-01-11", "weight": ""},  # neutral
        {"source": "a1", "target": "a", "type": "support", "date": "2024-01-11", "weight": ""},    # loop at state
    ]
    for r in rows:
        r.update(note="", citation="")
    data = open_data_store(tmp_path, rows)
    nodes = pd.Index(["a", "b", "a1"])
    got = data.engine.pairs(nodes, Selection()).table
    # positions: a 0, b 1, a1 2; undirected rows as (lo, hi) by position
    expected = pd.DataFrame({
        "source": [0, 0, 0, 1, 2], "target": [1, 1, 2, 0, 1], "directed": [False, True, False, True, True],
        "events": [2, 1, 1, 1, 1], "signed_events": [2, 1, 1, 1, 0], "weight": [5.0, -2.0, 3.0, -5.0, 0.0],
        "hostile": [0.0, -2.0, 0.0, -5.0, 0.0], "cooperative": [5.0, 0.0, 3.0, 0.0, 0.0]})
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)

    state = data.engine.pairs(pd.Index(["a", "b"]), Selection(rollup={"a": "a", "b": "b", "a1": "a"}))
    assert state.table[["source", "target", "directed", "events", "weight"]].values.tolist() == [
        [0, 1, False, 2, 5.0], [0, 1, True, 2, -2.0], [1, 0, True, 1, -5.0]]  # a1's support to a dropped

    # Decay to 2024-01-31 with a 10-day half-life: ages 30, 15 (middle of January), 0 (2024 mid-year:
    # clipped), undated kept.
    sel = Selection(half_life=10.0, reference=pd.Timestamp("2024-01-31"))
    t = data.engine.pairs(nodes, sel).table.set_index(["source", "target", "directed"])
    assert t.loc[(0, 1, True), "weight"] == pytest.approx(-2 * 0.5 ** 3)
    assert t.loc[(1, 0, True), "weight"] == pytest.approx(-5 * 0.5 ** 1.5)
    assert t.loc[(0, 1, False), "weight"] == pytest.approx(1 + 4)
    assert t.loc[(0, 2, False), "weight"] == pytest.approx(3 * 0.5 ** 2)

    # Window: --until 2023-12-31 keeps the undated meeting only; 2024-01-05..06 overlaps the month
    # and the year.
    early = data.engine.pairs(nodes, Selection(hi=pd.Timestamp("2023-12-31"))).table
    assert early[["source", "target", "events"]].values.tolist() == [[0, 1, 1]]
    mid = data.engine.pairs(nodes, Selection(lo=pd.Timestamp("2024-01-05"), hi=pd.Timestamp("2024-01-06"),
                                             dated_only=True)).table
    assert mid[["source", "target", "directed", "events"]].values.tolist() == [[0, 1, False, 1], [1, 0, True, 1]]
    assert data.engine.date_range() == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-11"))
    spans = data.engine.spans(Selection(), ("b", "a"))
    day = lambda t: None if pd.isna(t) else f"{t:%Y-%m-%d}"  # noqa: E731
    assert [(day(r.start), day(r.end), r.polarity, r.events, r.weight) for r in spans.itertuples()] == [
        ("2024-01-01", "2024-01-01", "hostile", 1, 2.0), ("2024-01-01", "2024-01-31", "hostile", 1, 5.0),
        ("2024-01-01", "2024-12-31", "cooperative", 1, 4.0), (None, None, "cooperative", 1, 1.0)]
    data.engine.close()


def open_data_store(tmp_path, rows, **kwargs):
    write_store(tmp_path / "store", rows, nodes=HAND_NODES, **kwargs)
    return open_data(tmp_path / "store")


def test_partition_pruning_reads_only_the_window(folders):
    store, _ = folders
    from graph.store.event_store import event_files

    files = event_files(store)
    sel = Selection(lo=pd.Timestamp("2024-03-15"), hi=pd.Timestamp("2024-04-02"))
    kept = {partition_of(f) for f in files_for(files, sel)}
    assert kept == {(0, 0), (2024, 0), (2024, 3), (2024, 4)}
    assert {partition_of(f) for f in files_for(files, Selection(lo=sel.lo, hi=sel.hi, dated_only=True))} == \
        {(2024, 0), (2024, 3), (2024, 4)}
    assert files_for(files, Selection()) == files


def test_empty_store_and_empty_selection(tmp_path):
    write_store(tmp_path / "s", [], nodes=HAND_NODES)
    data = open_data(tmp_path / "s")
    view = select(data, Filters())
    assert pair_table(view).table.empty and view.date_range() == (None, None)
    assert view.spans().empty and view.events_touching(["a"]).empty
    assert centrality_table(view, ["degree"])["degree"].tolist() == [0, 0, 0]
    data.engine.close()


def test_memory_limit_and_threads():
    assert default_memory_limit().endswith("GB") and float(default_memory_limit()[:-2]) > 0
    types = load_types()
    engine = DuckDBEngine(types, edges=empty_edges(), memory_limit="300MB")
    limit = engine.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit.replace(" ", "") in ("286.1MiB", "300.0MB", "286.0MiB")
    temp = engine._temp
    import os

    assert os.path.isdir(temp)
    engine.close()
    assert not os.path.exists(temp)
    with pytest.raises(ActorgraphError, match="--memory-limit 'plenty'"):
        DuckDBEngine(types, edges=empty_edges(), memory_limit="plenty")


def load_types():
    from graph.store.dataset import validate_tables

    return validate_tables({"nodes.csv": b"id,label,kind\n", "edges.csv": b"source,target,type\n",
                            "edge_types.csv": textwrap.dedent(
                                "type,polarity,weight,directed\nx,hostile,-1,true\n").encode()}).types


def empty_edges():
    from graph.store.dataset import validate_tables

    return validate_tables({"nodes.csv": b"id,label,kind\n", "edges.csv": b"source,target,type\n",
                            "edge_types.csv": b"type,polarity,weight,directed\nx,hostile,-1,true\n"}).edges


def test_open_data_choices(folders, tmp_path):
    store, csv = folders
    assert type(open_data(csv)).__name__ == "Dataset"
    with pytest.raises(ActorgraphError, match="unknown engine 'sqlite'"):
        open_data(csv, engine="sqlite")
    with pytest.raises(ActorgraphError, match="--engine spark reads an event store"):
        open_data(csv, engine="spark")
    data = open_data(store, engine="duckdb")
    assert data.engine.name == "duckdb" and data.extra_columns["edges.csv"] == ["event_id"]
    data.engine.close()


# --- generated data sets: any events, any filters ---

_ids = st.sampled_from(["rus", "aze", "arm", "putin", "aliyev", "ngo"])
_dates = st.one_of(st.just(""), st.integers(2019, 2025).map(str),
                   st.tuples(st.integers(2019, 2025), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
                   st.tuples(st.integers(2019, 2025), st.integers(1, 12), st.integers(1, 28)).map(
                       lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"))
_rows = st.lists(st.fixed_dictionaries({
    "source": _ids, "target": _ids, "type": st.sampled_from(["arrest", "support", "talks", "aid", "sanction"]),
    "date": _dates, "weight": st.sampled_from(["", "0", "0.1", "0.2", "1.5"]),
}), min_size=0, max_size=40)
_filters = st.builds(
    Filters, since=st.sampled_from([None, "2020", "2023-06", "2024-02-29"]),
    until=st.sampled_from([None, "2025", "2024-06", "2025-03-01"]),
    types=st.sampled_from([(), ("arrest", "aid"), ("talks",)]), kinds=st.sampled_from([(), ("state",)]),
    level=st.sampled_from(["actor", "state"]), half_life=st.sampled_from([None, 7.0, 400.0]),
    dated_only=st.booleans())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_rows, f=_filters)
def test_generated_data_sets_agree(tmp_path_factory, rows, f):
    rows = [dict(r, weight=_signed(r), note="", citation="") for r in rows if r["source"] != r["target"]]
    if f.since and f.until and pd.Timestamp(f.since[:4]) > pd.Timestamp(f.until[:4]):
        return
    base = tmp_path_factory.mktemp("gen")
    ordered = write_store(base / "store", rows, files_per_partition=1)
    write_csv(base / "csv", ordered)
    ref = select(load_dataset(base / "csv"), f)
    data = open_data(base / "store")
    try:
        view = select(data, f)
        same_pairs(pair_table(ref), pair_table(view))
        pd.testing.assert_frame_equal(view.spans(), ref.spans(), check_exact=False, rtol=1e-9)
    finally:
        data.engine.close()


def _signed(row) -> str:
    w = row["weight"]
    return f"-{w}" if w not in ("", "0") and row["type"] in ("arrest", "sanction") else w


def test_generated_helper_is_not_vacuous(folders):
    """The fixture store exercises every feature the comparisons are about."""
    store, csv = folders
    ds = load_dataset(csv)
    e = ds.edges
    assert e["start"].isna().sum() > 20 and (e["date"].str.len() == 4).sum() > 20
    assert (e["date"].str.len() == 7).sum() > 20 and e["weight_override"].notna().sum() > 50
    assert (e["polarity"] == "neutral").sum() > 20 and (~e["directed"]).sum() > 50
    assert (ds.nodes["affiliation"] != "").sum() >= 5
    assert len(list((store / "events").rglob("*.parquet"))) > 40
    assert np.isfinite(e["weight"]).all()
