"""The engines agree: one synthetic crisis as a CSV folder and as a Parquet event store, read by pandas
(CSV folder + select), the MemoryEngine (the same Dataset behind the engine boundary), DuckDB (the
store's Parquet files) and Spark (``local[2]``, really started: Java and pyspark are installed by
scripts/setup-env --test).

Pair tables, every centrality metric, blocs, the events of an actor or pair, span sums and date ranges
are compared over filter combinations (window, types, kinds, level, ego, half-life). A hand-worked store
checks the shared semantics (partial-date windows, roll-up, decay) against numbers computed by hand.
One Spark session serves the whole test session (starting a JVM costs tens of seconds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view
from graph.analysis.centrality import METRICS, centrality_table
from graph.errors import ActorgraphError, DataError
from graph.store.dataset import load_dataset
from graph.view.engines import open_data
from graph.view.engines.memory import memory_engine_data
from graph.view.engines.spark_engine import open_spark
from graph.view.engines.spark_session import master_url, spark_memory
from graph.view.pairs import pair_table
from graph.view.select import Filters, select
from tests.conftest import write_dataset
from tests.engine_data import write_crisis

FILTERS = {  # between them: window (closed, open-ended), types, dated only, kinds, state level, ego, decay
    "all": Filters(),
    "window": Filters(since="2023-03-15", until="2024-07"),
    "types-dated": Filters(types=("arrest", "clash", "support", "talks", "statement"), dated_only=True,
                           until="2024-02-10"),
    "kinds": Filters(kinds=("state", "official", "media"), since="2023"),
    "state-window-decay": Filters(level="state", since="2024", half_life=90),
    "ego": Filters(ego="s01", depth=1, types=("arrest", "accuse", "support", "meet", "aid")),
    "ego-state-decay": Filters(level="state", ego="s02", depth=2, until="2024-12", half_life=30),
    "decay": Filters(half_life=200, kinds=("state", "official", "institution", "group", "person")),
}
ENGINES = ("memory", "duckdb", "spark")


@pytest.fixture(scope="module")
def crisis(tmp_path_factory, spark):
    """``{"pandas": Dataset, "memory"|"duckdb"|"spark": EngineData}`` over the same crisis."""
    csv, store = write_crisis(tmp_path_factory.mktemp("crisis"))
    ds = load_dataset(csv)
    data = {"pandas": ds, "memory": memory_engine_data(ds), "duckdb": open_data(store, "duckdb"),
            "spark": open_spark(store)}
    yield data
    data["duckdb"].engine.close()
    data["spark"].engine.close()


@pytest.fixture(scope="module")
def views(crisis):
    """Views per filter name and engine, made once (each view caches its pair table)."""
    cache: dict = {}

    def view(name: str, engine: str):
        if (name, engine) not in cache:
            cache[name, engine] = select(crisis[engine], FILTERS[name])
        return cache[name, engine]

    return view


def assert_pairs_equal(a, b):
    assert list(a.nodes) == list(b.nodes)
    ta, tb = a.table.reset_index(drop=True), b.table.reset_index(drop=True)
    assert list(ta.columns) == list(tb.columns)
    for column in ("source", "target", "directed", "events", "signed_events"):
        assert ta[column].tolist() == tb[column].tolist(), column
    for column in ("weight", "hostile", "cooperative"):
        np.testing.assert_allclose(tb[column], ta[column], rtol=1e-9, atol=1e-9 * a.noise / 1e-9, err_msg=column)
    assert b.noise == pytest.approx(a.noise, rel=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", FILTERS)
def test_pair_tables_agree(views, name, engine):
    reference, other = views(name, "pandas"), views(name, engine)
    assert list(other.nodes.index) == list(reference.nodes.index)
    assert len(reference.events) > 0
    assert_pairs_equal(pair_table(reference), pair_table(other))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", FILTERS)
def test_centrality_agrees(views, name, engine):
    reference = centrality_table(views(name, "pandas"), ["all"])
    got = centrality_table(views(name, engine), ["all"])
    assert list(got.columns) == list(reference.columns) == ["label", "kind", *METRICS]
    assert got.index.tolist() == reference.index.tolist()
    for metric in METRICS:
        np.testing.assert_allclose(got[metric], reference[metric], rtol=1e-7, atol=1e-10, err_msg=metric)


@pytest.fixture(scope="module")
def blocs(views):
    """Blocs per filter name and engine, solved once."""
    cache: dict = {}

    def solved(name: str, engine: str):
        if (name, engine) not in cache:
            cache[name, engine] = blocs_of_view(views(name, engine), BlocSettings(time_limit=20))
        return cache[name, engine]

    return solved


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["state-window-decay", "ego", "kinds"])
def test_clusters_agree(blocs, name, engine):
    reference, got = blocs(name, "pandas"), blocs(name, engine)
    assert reference.clusters
    assert got.clusters == reference.clusters
    assert got.names == reference.names
    assert got.unaligned == reference.unaligned
    assert got.frustration == pytest.approx(reference.frustration, rel=1e-9, abs=1e-9)


def _same_events(got: pd.DataFrame, reference: pd.DataFrame):
    """Events in the same order with the same values (a store's ``line`` counts rows within a file)."""
    columns = [c for c in reference.columns if c != "line"]
    assert len(got) == len(reference)
    for column in columns:
        if column in ("weight", "weight_override"):
            np.testing.assert_allclose(got[column].to_numpy(float), reference[column].to_numpy(float),
                                       rtol=1e-12, err_msg=column)
        elif column in ("start", "end"):
            assert (got[column].astype("datetime64[us]").tolist()
                    == reference[column].astype("datetime64[us]").tolist()), column
        else:
            assert got[column].astype(object).tolist() == reference[column].astype(object).tolist(), column


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["window", "ego-state-decay"])
def test_events_spans_and_dates_agree(views, name, engine):
    reference, other = views(name, "pandas"), views(name, engine)
    busiest = reference.events["source"].value_counts().index[:2].tolist()
    pairs = [tuple(p) for p in reference.events[["source", "target"]].head(40).to_numpy()[::7]]
    _same_events(other.events_touching(busiest), reference.events_touching(busiest))
    _same_events(other.events_between(pairs), reference.events_between(pairs))
    for pair in (None, pairs[0]):
        want, got = reference.spans(pair), other.spans(pair)
        assert len(want) > 0
        assert got[["start", "end", "polarity", "events"]].astype(object).values.tolist() == \
            want[["start", "end", "polarity", "events"]].astype(object).values.tolist()
        np.testing.assert_allclose(got["weight"], want["weight"], rtol=1e-9, atol=1e-12)
    assert other.date_range() == reference.date_range()


def test_spark_events_limit_and_lines(crisis):
    """``limit`` keeps the first events in data order; a store event's ``line`` is its row number over
    the store's files in data order (from 1), as DuckDB numbers it."""
    from graph.store.event_store import event_files

    view = select(crisis["spark"], Filters(level="state"))
    events = view.engine.events(view.selection, touching=["s00"], limit=5)
    assert len(events) == 5
    want = select(crisis["pandas"], Filters(level="state")).events_touching(["s00"]).head(5)
    assert events["event_id"].tolist() == want["event_id"].tolist()
    every = [e for f in event_files(crisis["spark"].folder) for e in pq.read_table(f).column("event_id").to_pylist()]
    assert [every[line - 1] for line in events["line"]] == events["event_id"].tolist()
    duck = select(crisis["duckdb"], Filters(level="state")).events_touching(["s00"]).head(5)
    assert duck["line"].tolist() == events["line"].tolist()


# -- known answers, worked by hand ----------------------------------------------------------------

HAND_NODES = """\
id,label,kind,affiliation
A,State A,state,
B,State B,state,
a1,Official of A,official,A
"""
HAND_EVENTS = [  # source, target, type, date, weight
    ("A", "B", "arrest", "2025-07", ""),          # July 1-31: overlaps the window
    ("B", "A", "accusation", "2025", ""),         # the whole year: overlaps it
    ("a1", "B", "support", "2025-07-20", "2.5"),  # inside, undirected, weight overridden
    ("A", "B", "accusation", "", ""),             # undated: in every window
    ("a1", "A", "meeting", "2025-06-30", ""),     # before the window; within A once rolled up
    ("B", "a1", "appointment", " 2025-07-22", ""),  # neutral, padded date
]


@pytest.fixture(scope="module")
def hand_store(tmp_path_factory, spark):
    root = tmp_path_factory.mktemp("hand")
    edges = "source,target,type,date,weight\n" + "".join(",".join(e) + "\n" for e in HAND_EVENTS)
    csv = write_dataset(root / "csv", HAND_NODES, edges)
    store = write_dataset(root / "store", HAND_NODES, "source,target,type\n")
    (store / "edges.csv").unlink()
    for i, (s, t, typ, date, w) in enumerate(HAND_EVENTS):
        d = date.strip()
        folder = store / "events" / f"year={d[:4] or 0}" / f"month={int(d[5:7]) if len(d) >= 7 else 0}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({c: [v] for c, v in zip(("source", "target", "type", "date", "weight", "note",
                                                          "citation"), (s, t, typ, date, w, "", ""))}),
                       folder / f"e{i}.parquet")
    data = {"pandas": load_dataset(csv), "spark": open_spark(store)}
    yield data
    data["spark"].engine.close()


def _pair_rows(view):
    p = pair_table(view)
    ids = list(p.nodes)
    return {(ids[s], ids[t], bool(d)): (int(n), round(w, 12))
            for s, t, d, n, w in p.table[["source", "target", "directed", "events", "weight"]].to_numpy()}


@pytest.mark.parametrize("engine", ["pandas", "spark"])
def test_hand_worked_window_and_rollup(hand_store, engine):
    window = Filters(since="2025-07-20", until="2025-07-25")
    assert _pair_rows(select(hand_store[engine], window)) == {
        ("A", "B", True): (2, -7.0), ("B", "A", True): (1, -2.0), ("B", "a1", False): (1, 2.5),
        ("B", "a1", True): (1, 0.0)}
    state = Filters(since="2025-07-20", until="2025-07-25", level="state")
    assert _pair_rows(select(hand_store[engine], state)) == {
        ("A", "B", True): (2, -7.0), ("B", "A", True): (2, -2.0), ("A", "B", False): (1, 2.5)}


@pytest.mark.parametrize("engine", ["pandas", "spark"])
def test_hand_worked_decay(hand_store, engine):
    view = select(hand_store[engine], Filters(since="2025-07-20", until="2025-07-25", level="state", half_life=9))
    # Ages from the middle of each span to 2025-07-25: July 2025 -> mid July 16 (9 days), 2025 -> mid
    # 2 July (23 days), 20 July (5 days); the undated accusation keeps its -2.
    rows = _pair_rows(view)
    assert rows[("A", "B", True)] == (2, round(-5 * 0.5 + -2.0, 12))
    # pair sums keep 12 significant digits (graph.view.pairs.significant)
    assert rows[("B", "A", True)][1] == pytest.approx(-2 * 0.5 ** (23 / 9), rel=1e-11)
    assert rows[("A", "B", False)][1] == pytest.approx(2.5 * 0.5 ** (5 / 9), rel=1e-11)


def test_hand_worked_date_range_and_spans(hand_store):
    view = select(hand_store["spark"], Filters(level="state"))
    assert view.date_range() == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-07-22"))
    spans = view.spans(("A", "B"))
    assert spans[["polarity", "events"]].values.tolist() == [
        ["hostile", 1], ["hostile", 1], ["cooperative", 1], ["neutral", 1], ["hostile", 1]]
    assert spans["start"].isna().tolist() == [False, False, False, False, True]


# -- where the events are, and the session -----------------------------------------------------------

def test_events_named_by_url(crisis, tmp_path):
    """A store whose events live elsewhere: nodes and types here, the events' URL in events.url."""
    store = crisis["spark"].folder
    remote = tmp_path / "remote"
    for name in ("nodes.csv", "edge_types.csv"):
        remote.mkdir(exist_ok=True)
        (remote / name).write_bytes((store / name).read_bytes())
    (remote / "events.url").write_text(f"# the events of the synthetic crisis\n{(store / 'events').as_uri()}\n")
    data = open_spark(remote)
    try:
        assert data.engine.location.startswith("file:")
        assert_pairs_equal(pair_table(select(crisis["pandas"], FILTERS["window"])),
                           pair_table(select(data, FILTERS["window"])))
    finally:
        data.engine.close()
    (remote / "events").mkdir()
    with pytest.raises(DataError) as info:
        open_spark(remote)
    assert "both events/ and events.url" in info.value.problems[0].message


def test_empty_store(tmp_path, spark):
    store = write_dataset(tmp_path / "s", HAND_NODES, "source,target,type\n")
    (store / "edges.csv").unlink()
    (store / "events").mkdir()
    data = open_spark(store)
    view = select(data, Filters())
    assert len(pair_table(view).table) == 0
    assert view.date_range() == (None, None)
    assert len(view.spans()) == 0
    data.engine.close()


def test_corrupt_event_file_is_one_line(tmp_path, spark):
    store = write_dataset(tmp_path / "s", HAND_NODES, "source,target,type\n")
    (store / "edges.csv").unlink()
    (store / "events" / "year=2025" / "month=1").mkdir(parents=True)
    (store / "events" / "year=2025" / "month=1" / "x.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(ActorgraphError) as info:
        data = open_spark(store)
        pair_table(select(data, Filters()))
    assert "\n" not in str(info.value) and "validate" in str(info.value)


def test_master_and_memory_settings(monkeypatch):
    monkeypatch.delenv("SPARK_MASTER", raising=False)
    assert master_url() == "local[*]"
    monkeypatch.setenv("SPARK_MASTER", "spark://head:7077")
    assert master_url() == "spark://head:7077"
    assert master_url("local[2]") == "local[2]"
    assert [spark_memory(t) for t in ("4GB", "512MB", "1.5g", "2048", "1TiB")] == \
        ["4096m", "512m", "1536m", "2048m", "1048576m"]
    with pytest.raises(ActorgraphError, match="not a size"):
        spark_memory("lots")


def test_cli_centrality_with_spark(crisis, run):
    """``actorgraph centrality --engine spark --data STORE`` prints what the CSV folder gives."""
    import json

    args = ("centrality", "--metric", "all", "--since", "2023-06", "--level", "state", "--format", "json")
    want = run(*args, "--data", crisis["pandas"].folder)
    got = run(*args, "--data", crisis["spark"].folder, "--engine", "spark", "--spark-master", "local[2]")
    assert want.exit_code == 0 and got.exit_code == 0, got.output
    a, b = json.loads(want.output), json.loads(got.output)
    assert [r["id"] for r in b] == [r["id"] for r in a]
    for ra, rb in zip(a, b):
        assert rb.keys() == ra.keys()
        for key, value in ra.items():
            assert rb[key] == (pytest.approx(value, rel=1e-7, abs=1e-10) if isinstance(value, float) else value)


@pytest.mark.parametrize("name", ["window", "ego-state-decay", "types-dated"])
def test_top_map_edges_and_latest_agree(views, name):
    """Spark's edges and latest events (a top-N map's queries) equal the pandas reference."""
    from graph.analysis.top import top_graph
    from graph.view.edges import edge_table, latest_events

    reference, other = views(name, "pandas"), views(name, "spark")
    actors = list(top_graph(reference, 8, "degree").ids)
    expected = edge_table(reference, actors)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(edge_table(other, actors), expected, check_exact=False, rtol=1e-9,
                                  check_dtype=False)
    pairs = [(actors[s], actors[t]) for s, t in zip(expected["source"], expected["target"]) if s != t][:12]
    for polarity in (None, "hostile"):
        want, have = latest_events(reference, pairs, 3, polarity), latest_events(other, pairs, 3, polarity)
        assert len(want) > 0
        cols = ["source", "target", "type", "date", "note", "citation", "start", "end"]
        pd.testing.assert_frame_equal(have[cols].reset_index(drop=True), want[cols].reset_index(drop=True),
                                      check_dtype=False)
        assert list(have["weight"]) == pytest.approx(list(want["weight"]), rel=1e-9)
