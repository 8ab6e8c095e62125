"""``actorgraph convert``: a CSV folder to an event store and back, losslessly and atomically."""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import ActorgraphError, DataError
from graph.store.convert import convert
from graph.store.dataset import load_dataset
from graph.store.event_store import event_files, is_store, load_store_dataset
from tests.conftest import BUNDLED

FILES = ("nodes.csv", "edges.csv", "edge_types.csv")


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def test_bundled_data_round_trips_byte_for_byte(tmp_path, run):
    store, back = tmp_path / "store", tmp_path / "back"
    result = run("convert", "--data", BUNDLED, "--to", "parquet", "--out", store)
    assert result.exit_code == 0, result.output
    assert is_store(store) and not (store / "edges.csv").exists()
    result = run("convert", "--data", store, "--to", "csv", "--out", back)
    assert result.exit_code == 0, result.output
    assert folder_bytes(back) == folder_bytes(BUNDLED)
    assert sorted(p.name for p in back.iterdir()) == sorted(FILES)


def test_store_layout_partitions_by_the_first_day_of_the_date(tmp_path):
    convert(BUNDLED, tmp_path / "s", to="parquet")
    ds = load_dataset(BUNDLED)
    expected = {}
    for date in ds.edges["date"]:
        if not date:
            key = "year=0/month=0"
        elif len(date) == 4:
            key = f"year={date}/month=0"
        else:
            key = f"year={date[:4]}/month={date[5:7]}"
        expected[key] = expected.get(key, 0) + 1
    found = {}
    for path in event_files(tmp_path / "s"):
        key = "/".join(path.relative_to(tmp_path / "s" / "events").parts[:2])
        assert path.name.startswith("part-") and path.suffix == ".parquet"
        table = pq.read_table(path)
        assert table.schema.names == list(pd.read_csv(BUNDLED / "edges.csv", nrows=0).columns)
        assert all(str(f.type) == "string" for f in table.schema)
        found[key] = found.get(key, 0) + table.num_rows
    assert found == expected


def test_load_store_dataset_equals_the_csv_dataset(tmp_path):
    convert(BUNDLED, tmp_path / "s", to="parquet")
    store, folder = load_store_dataset(tmp_path / "s"), load_dataset(BUNDLED)
    pd.testing.assert_frame_equal(store.edges.drop(columns="line"), folder.edges.drop(columns="line"))
    pd.testing.assert_frame_equal(store.nodes, folder.nodes)
    pd.testing.assert_frame_equal(store.types, folder.types)
    assert store.extra_columns == folder.extra_columns


def test_refuses_a_non_empty_destination_and_leaves_it_alone(tmp_path, run):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("convert", "--data", BUNDLED, "--to", "parquet", "--out", out)
    assert result.exit_code == 1
    assert f"{out} is not empty" in result.stderr and "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_an_empty_destination_folder_is_used(tmp_path):
    (tmp_path / "out").mkdir()
    convert(BUNDLED, tmp_path / "out", to="parquet")
    assert is_store(tmp_path / "out")


def test_invalid_data_writes_nothing(tmp_path, data_copy, run):
    with (data_copy / "edges.csv").open("a", encoding="utf-8") as f:
        f.write("russia,nobody,accusation,2025-07-01,,,\n")
    result = run("convert", "--data", data_copy, "--to", "parquet", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "unknown target node 'nobody'" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no destination, no temporary folder


def test_an_error_while_writing_leaves_nothing(tmp_path, monkeypatch):
    from graph.store import event_writer

    def broken(self, part):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(event_writer.EventWriter, "_flush", broken)
    with pytest.raises(OSError):
        convert(BUNDLED, tmp_path / "out", to="parquet")
    assert list(tmp_path.iterdir()) == []


def test_wrong_direction_is_refused(tmp_path):
    with pytest.raises(ActorgraphError, match="not an event store"):
        convert(BUNDLED, tmp_path / "a", to="csv")
    convert(BUNDLED, tmp_path / "s", to="parquet")
    with pytest.raises(ActorgraphError, match="already an event store"):
        convert(tmp_path / "s", tmp_path / "b", to="parquet")


def test_store_to_csv_validates_the_events_first(tmp_path):
    convert(BUNDLED, tmp_path / "s", to="parquet")
    # drop an actor that events name: the store no longer validates
    nodes = (tmp_path / "s" / "nodes.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "s" / "nodes.csv").write_text("".join(l for l in nodes if not l.startswith("peskov,")),
                                              encoding="utf-8")
    with pytest.raises(DataError) as err:
        convert(tmp_path / "s", tmp_path / "c", to="csv")
    assert any("unknown source node 'peskov'" in p.message and ".parquet" in p.file for p in err.value.problems)
    assert not (tmp_path / "c").exists()


# ---------------------------------------------------------------- generated folders

IDS = ["russia", "azerbaijan", "putin", "x_1", "ü_state"]
EXTRA_NAMES = ["event_id", "comment, with comma", "quote\"d", "ünïcödé", "notes 2"]
# Text a note may hold: commas, quotes, newlines, unicode, spaces; not NUL (the csv module refuses it).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
DATES = st.one_of(st.just(""), st.integers(1990, 2030).map(str),
                  st.tuples(st.integers(1990, 2030), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
                  st.dates().map(lambda d: d.isoformat()).filter(lambda d: len(d) == 10 and d[0] != "0"))
WEIGHTS = st.one_of(st.just(""), st.integers(-10, 10).map(str), st.floats(-10, 10).map(lambda w: f"{w:.3f}"))


@st.composite
def csv_folders(draw):
    extras = draw(st.lists(st.sampled_from(EXTRA_NAMES), unique=True, max_size=3))
    optional = draw(st.permutations(["date", "weight", "note", "citation"]))
    optional = optional[:draw(st.integers(0, 4))]
    header = ["source", "target", "type", *optional, *extras]
    order = draw(st.permutations(range(len(header))))
    header = [header[i] for i in order]
    terminator = draw(st.sampled_from(["\r\n", "\n"]))
    text = TEXT if terminator == "\r\n" else TEXT.map(lambda t: t.replace("\r", ""))
    rows = []
    for _ in range(draw(st.integers(0, 25))):
        cells = {"source": draw(st.sampled_from(IDS)), "target": draw(st.sampled_from(IDS)),
                 "type": draw(st.sampled_from(["say", "meet"])), "date": draw(DATES), "weight": draw(WEIGHTS),
                 "note": draw(text), "citation": draw(st.sampled_from(["", "https://example.org/a?b=1,2"]))}
        rows.append([cells[c] if c in cells else draw(text) for c in header])
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8"), terminator


NODES = "id,label,kind\nrussia,Russia,state\nazerbaijan,Azerbaijan,state\nputin,Putin,official\n" \
        "x_1,\"X, one\",group\nü_state,Ü,state\n"
TYPES = "type,polarity,weight,directed\nsay,neutral,0,true\nmeet,neutral,0,false\n"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(csv_folders())
def test_generated_folders_round_trip_byte_for_byte(tmp_path_factory, folder):
    edges, terminator = folder
    root = tmp_path_factory.mktemp("gen")
    src = root / "src"
    src.mkdir()
    (src / "nodes.csv").write_text(NODES, encoding="utf-8", newline="")
    (src / "edge_types.csv").write_text(TYPES, encoding="utf-8", newline="")
    (src / "edges.csv").write_bytes(edges)
    original = load_dataset(src)  # the generated folder is valid data
    convert(src, root / "store", to="parquet", batch_rows=7)
    store = load_store_dataset(root / "store")
    pd.testing.assert_frame_equal(store.edges.drop(columns="line"), original.edges.drop(columns="line"))
    convert(root / "store", root / "back", to="csv")
    assert folder_bytes(root / "back") == folder_bytes(src)
