"""``load_store_dataset``: a store's events validated by the CSV rules, problems located in Parquet files."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graph.errors import DataError
from graph.store.convert import convert
from graph.store.event_store import event_files, load_store_dataset
from tests.conftest import BUNDLED


@pytest.fixture
def store(tmp_path):
    convert(BUNDLED, tmp_path / "s", to="parquet")
    return tmp_path / "s"


def rewrite(path, change):
    """Rewrite one Parquet file with ``change(rows)`` applied to its list of row dicts (order metadata kept)."""
    handle = pq.ParquetFile(path)
    table = handle.read()
    rows = table.to_pylist()
    change(rows)
    new = pa.Table.from_pylist(rows, schema=table.schema)
    with pq.ParquetWriter(path, table.schema) as writer:
        writer.write_table(new)
        writer.add_key_value_metadata({k.decode(): v.decode() for k, v in handle.metadata.metadata.items()
                                       if not k.startswith(b"ARROW:")})


def test_every_problem_names_the_parquet_file_and_its_row(store):
    july = next(p for p in event_files(store) if "month=07" in str(p))
    undated = next(p for p in event_files(store) if "year=0" in str(p))

    def break_july(rows):
        rows[1]["target"] = "azerbaijann"
        rows[2]["weight"] = "11"

    def break_undated(rows):
        rows[0]["type"] = "hug"

    rewrite(july, break_july)
    rewrite(undated, break_undated)
    with pytest.raises(DataError) as err:
        load_store_dataset(store)
    found = {(p.file, p.line): p.message for p in err.value.problems}
    assert found[(str(july), 2)].startswith("unknown target node 'azerbaijann' (did you mean 'azerbaijan'?)")
    assert found[(str(july), 3)] == "weight 11 is outside -10..10"
    assert found[(str(undated), 1)].startswith("unknown type 'hug'")
    assert len(found) == 3


def test_problems_in_nodes_are_reported_with_those_in_events(store):
    (store / "nodes.csv").write_bytes((store / "nodes.csv").read_bytes() + b"dup,Dup,martian,,,\n")
    undated = next(p for p in event_files(store) if "year=0" in str(p))
    rewrite(undated, lambda rows: rows[0].update(date="2025-13-01"))
    with pytest.raises(DataError) as err:
        load_store_dataset(store)
    messages = [str(p) for p in err.value.problems]
    assert any("nodes.csv:" in m and "kind 'martian'" in m for m in messages)
    # the date moved the row out of its partition's meaning, but validation still finds it
    assert any(f"{undated}:1: bad date '2025-13-01'" in m for m in messages)


def test_a_file_with_other_columns_or_types_is_refused(store):
    files = event_files(store)
    pq.write_table(pa.table({"source": ["russia"], "target": ["azerbaijan"]}), files[0])
    pq.write_table(pa.table({"source": ["a"], "target": ["b"], "type": ["x"], "date": [1], "weight": [""],
                             "note": [""], "citation": [""]}), files[1])
    with pytest.raises(DataError) as err:
        load_store_dataset(store)
    text = "\n".join(str(p) for p in err.value.problems)
    assert f"{files[1]}: columns source, target, type, date, weight, note, citation differ from source, " \
           f"target in {files[0].relative_to(store)}; every event file has the same columns" in text


def test_a_column_that_is_not_text_is_refused(store):
    files = event_files(store)
    pq.write_table(pa.table({"source": ["a"], "target": ["b"], "type": ["x"], "date": [1], "weight": [""],
                             "note": [""], "citation": [""]}), files[0])
    with pytest.raises(DataError) as err:
        load_store_dataset(store)
    assert [str(p) for p in err.value.problems] == [
        f"{files[0]}: column date is not text; every column of an event file holds strings"]


def test_a_store_with_edges_csv_too_is_refused(store):
    (store / "edges.csv").write_text("source,target,type\n")
    with pytest.raises(DataError, match="1 problem"):
        load_store_dataset(store)


def test_line_is_the_row_within_its_file(store):
    ds = load_store_dataset(store)
    for path in event_files(store):
        rows = pq.read_table(path).to_pandas()
        assert len(rows) and ds.edges["line"].max() >= len(rows)
    assert ds.edges["line"].min() == 1
