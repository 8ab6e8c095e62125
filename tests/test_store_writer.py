"""The event store's streaming writer: partitions, row order, and memory bounded by one batch."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from graph.store.event_store import event_files, next_sequence, read_store_events
from graph.store.event_writer import EventWriter

COLUMNS = ["source", "target", "type", "date", "weight", "note", "citation", "event_id"]


def batch(start: int, n: int, seed: int) -> pd.DataFrame:
    """n rows with dates spread over 30 months (and some undated or year-only), ids start..start+n-1."""
    rng = np.random.default_rng(seed)
    month = rng.integers(0, 30, n)
    kind = rng.integers(0, 10, n)
    dates = [("" if k == 0 else f"{2020 + m // 12}" if k == 1 else f"{2020 + m // 12}-{m % 12 + 1:02d}-{1 + k:02d}")
             for m, k in zip(month, kind)]
    ids = np.arange(start, start + n)
    return pd.DataFrame({"source": [f"a{i % 13}" for i in ids], "target": [f"a{i % 7}" for i in ids],
                         "type": "say", "date": dates, "weight": "", "note": [f"event {i}, noted" for i in ids],
                         "citation": "", "event_id": [f"x:{i}" for i in ids]}, columns=COLUMNS, dtype=object)


def expected_partition(date: str) -> str:
    if not date:
        return "year=0/month=0"
    if len(date) == 4:
        return f"year={date}/month=0"
    return f"year={date[:4]}/month={date[5:7]}"


def test_rows_land_in_their_partition_and_keep_their_order(tmp_path):
    rows = [batch(i * 500, 500, i) for i in range(12)]
    with EventWriter(tmp_path, COLUMNS, batch_rows=500, row_group_rows=200, file_rows=700, max_open=4,
                     keep_order=True) as writer:
        for frame in rows:
            writer.append(frame)
    everything = pd.concat(rows, ignore_index=True)
    for path in event_files(tmp_path):
        table = pq.read_table(path).to_pandas()
        assert len(table) <= 700  # files roll over at file_rows
        part = "/".join(path.relative_to(tmp_path / "events").parts[:2])
        assert {expected_partition(d) for d in table["date"]} == {part}
    events = read_store_events(tmp_path, [])
    pd.testing.assert_frame_equal(events.frame, everything)
    assert next_sequence(tmp_path) == len(everything)


def test_the_writer_never_holds_more_than_one_batch(tmp_path):
    frames = [batch(i * 1000, 1000, i) for i in range(4)]
    with EventWriter(tmp_path, COLUMNS, batch_rows=1000, row_group_rows=600) as writer:
        for i in range(60):
            writer.append(frames[i % 4])
            assert writer.buffered_rows <= 1000
    assert writer.max_buffered <= 1000 and writer.rows_written == 60_000
    assert writer.buffered_rows == 0


def _peak(tmp_path, batches: int) -> int:
    frames = [batch(i * 2000, 2000, i) for i in range(3)]
    gc.collect()
    tracemalloc.start()
    # Files roll over at 3000 rows: what an open file keeps (its footer) stays bounded too.
    with EventWriter(tmp_path, COLUMNS, batch_rows=2000, row_group_rows=2000, file_rows=3000) as writer:
        for i in range(batches):
            writer.append(frames[i % 3])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_does_not_grow_with_the_number_of_batches(tmp_path):
    few = _peak(tmp_path / "few", 5)
    many = _peak(tmp_path / "many", 40)  # 8x the rows
    assert many < 1.5 * few, (few, many)


def test_columns_must_match(tmp_path):
    with pytest.raises(ValueError, match="columns"):
        with EventWriter(tmp_path, COLUMNS) as writer:
            writer.append(batch(0, 3, 0).drop(columns="event_id"))


def test_new_parts_follow_the_existing_numbers(tmp_path):
    frame = batch(0, 50, 1).assign(date="2024-03-05")
    with EventWriter(tmp_path, COLUMNS) as writer:
        writer.append(frame)
    with EventWriter(tmp_path / "staging", COLUMNS, numbering=tmp_path, first_seq=50) as writer:
        writer.append(frame)
    assert [p.name for p in event_files(tmp_path)] == ["part-00000.parquet"]
    assert [p.name for p in event_files(tmp_path / "staging")] == ["part-00001.parquet"]
