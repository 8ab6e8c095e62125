"""Writing an event store's Parquet files a batch at a time (``EventWriter``).

Rows arrive as pandas frames of strings with the columns of ``edges.csv``. Each row goes to the
partition of its date (``events/year=YYYY/month=MM/``, see ``graph.store.event_store``) and is written
as part of a row group of that partition's open file ``part-NNNNN.parquet``. The writer holds at most
``batch_rows`` rows that are not yet written, however many batches come, and at most ``max_open`` files
open at once (the least recently used one is closed and a later row of its partition starts a new part).

The order of the rows is kept in each file's key-value metadata (``actorgraph.order``): the runs of
store-wide sequence numbers its rows carry, so ``convert --to csv`` and ``load_store_dataset`` give the
rows back in the order they were appended, without a column that is not in ``edges.csv``.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graph.store.event_store import CSV_FORMAT_KEY, ORDER_KEY, PART, next_part_number, partition_dir, partition_keys

COMPRESSION = "zstd"


class _OpenFile:
    def __init__(self, path: Path, schema: pa.Schema):
        self.path = path
        self.writer = pq.ParquetWriter(path, schema, compression=COMPRESSION)
        self.rows = 0
        self.runs: list[list[int]] = []

    def write(self, table: pa.Table, seqs: np.ndarray) -> None:
        self.writer.write_table(table, row_group_size=max(len(table), 1))
        self.rows += len(table)
        # Consecutive sequence numbers collapse into one run.
        breaks = np.flatnonzero(np.diff(seqs) != 1) + 1
        for chunk in np.split(seqs, breaks):
            if self.runs and self.runs[-1][0] + self.runs[-1][1] == chunk[0]:
                self.runs[-1][1] += len(chunk)
            else:
                self.runs.append([int(chunk[0]), len(chunk)])

    def close(self, extra: dict[str, str]) -> None:
        self.writer.add_key_value_metadata({ORDER_KEY: json.dumps(self.runs), **extra})
        self.writer.close()


class EventWriter:
    """Append batches of event rows (string columns ``columns``) to the store ``folder``.

    ``keep_order``: rows keep the order they are appended in (``convert``); otherwise each batch is
    grouped by partition first, which gives fewer runs to remember (imports, whose order is free).
    ``first_seq``: the sequence number of the first row (after the rows already in a store).
    ``numbering``: the store whose existing parts new part numbers must follow (default ``folder``).
    Use as a context manager; on an error the files written so far are left for the caller to remove.
    """

    def __init__(self, folder: Path | str, columns, batch_rows: int = 100_000, row_group_rows: int = 50_000,
                 file_rows: int = 2_000_000, max_open: int = 32, keep_order: bool = False,
                 first_seq: int = 0, numbering: Path | str | None = None, csv_format: dict | None = None,
                 schema_only_when_empty: bool = False):
        self.folder = Path(folder)
        self.columns = list(columns)
        self.schema = pa.schema([(c, pa.string()) for c in self.columns])
        self.batch_rows, self.row_group_rows, self.file_rows = batch_rows, row_group_rows, file_rows
        self.max_open, self.keep_order = max_open, keep_order
        self.schema_only_when_empty = schema_only_when_empty
        self.next_seq = first_seq
        self.numbering = Path(numbering) if numbering is not None else self.folder
        self.extra = {CSV_FORMAT_KEY: json.dumps(csv_format)} if csv_format else {}
        self._open: OrderedDict[tuple[int, int], _OpenFile] = OrderedDict()
        self._numbers: dict[tuple[int, int], int] = {}
        self._pending: dict[tuple[int, int], list[tuple[pd.DataFrame, np.ndarray]]] = {}
        self.buffered_rows = 0
        #: The most rows ever held unwritten after an ``append`` returned (a test checks the bound).
        self.max_buffered = 0
        self.rows_written = 0
        self.files: list[Path] = []

    def __enter__(self) -> "EventWriter":
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.close()
        else:
            for handle in self._open.values():
                handle.writer.close()
            self._open.clear()

    def append(self, frame: pd.DataFrame) -> None:
        """Add rows (a frame with exactly the writer's columns, every value a string)."""
        if list(frame.columns) != self.columns:
            raise ValueError(f"columns {list(frame.columns)} differ from the store's {self.columns}")
        if not len(frame):
            return
        dates = frame["date"] if "date" in frame.columns else pd.Series("", index=frame.index)
        year, month = partition_keys(dates)  # no date column: every event is undated
        if not self.keep_order:  # group by partition, keeping the order within each
            order = np.lexsort((np.arange(len(frame)), month, year))
            frame, year, month = frame.iloc[order], year[order], month[order]
        seqs = self.next_seq + np.arange(len(frame), dtype=np.int64)
        self.next_seq += len(frame)
        keys = year * 100 + month
        for key in pd.unique(keys):
            where = keys == key
            part = (int(key) // 100, int(key) % 100)
            self._pending.setdefault(part, []).append((frame[where], seqs[where]))
            self.buffered_rows += int(where.sum())
            if sum(len(f) for f, _ in self._pending[part]) >= self.row_group_rows:
                self._flush(part)
        if self.buffered_rows > self.batch_rows:
            for part in list(self._pending):
                self._flush(part)
        self.max_buffered = max(self.max_buffered, self.buffered_rows)

    def _flush(self, part: tuple[int, int]) -> None:
        pieces = self._pending.pop(part, [])
        if not pieces:
            return
        frame = pd.concat([f for f, _ in pieces]) if len(pieces) > 1 else pieces[0][0]
        seqs = np.concatenate([s for _, s in pieces])
        self.buffered_rows -= len(frame)
        start = 0
        while start < len(frame):
            handle = self._file(part)
            stop = min(len(frame), start + self.file_rows - handle.rows)
            piece = frame.iloc[start:stop]
            table = pa.Table.from_arrays([pa.array(piece[c].to_numpy(dtype=object), type=pa.string())
                                          for c in self.columns], schema=self.schema)
            handle.write(table, seqs[start:stop])
            self.rows_written += len(piece)
            if handle.rows >= self.file_rows:
                self._close(part)
            start = stop

    def _file(self, part: tuple[int, int]) -> _OpenFile:
        if part in self._open:
            self._open.move_to_end(part)
            return self._open[part]
        if len(self._open) >= self.max_open:
            self._close(next(iter(self._open)))
        folder = self.folder / partition_dir(*part)
        folder.mkdir(parents=True, exist_ok=True)
        if part not in self._numbers:
            self._numbers[part] = max(next_part_number(folder),
                                      next_part_number(self.numbering / partition_dir(*part)))
        path = folder / PART.format(self._numbers[part])
        self._numbers[part] += 1
        self._open[part] = _OpenFile(path, self.schema)
        self.files.append(path)
        return self._open[part]

    def _close(self, part: tuple[int, int]) -> None:
        self._open.pop(part).close(self.extra)

    def close(self) -> None:
        """Write what is buffered and close every file. With ``schema_only_when_empty`` and no row
        written, one file without rows keeps the columns (and the CSV format) for ``convert``."""
        for part in list(self._pending):
            self._flush(part)
        if self.schema_only_when_empty and not self.files:
            self._file((0, 0))
        for part in list(self._open):
            self._close(part)
