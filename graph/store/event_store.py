"""An event store: a data folder whose events are Parquet files instead of ``edges.csv``.

Layout (``actorgraph import ... --store parquet`` and ``actorgraph convert`` write it)::

    STORE/nodes.csv, STORE/edge_types.csv      as in a CSV folder, validated by the same rules
    STORE/events/year=YYYY/month=MM/*.parquet  the events, hive-partitioned by the first day of their date

Every Parquet file has exactly the columns of ``edges.csv`` (``source, target, type, date, weight,
note, citation`` and any extra column such as ``event_id``), all strings, empty cells as ``""``, so a
folder converts to a store and back byte for byte. Undated events are under ``year=0/month=0``; an
event dated only by a year under ``month=0`` of that year. Part files are ``part-NNNNN.parquet``.

The order of the events is kept without a column of its own: each file's key-value metadata
``actorgraph.order`` holds the runs of store-wide sequence numbers of its rows (``EventWriter`` writes
it), so the store gives its rows back in the order they were written (a converted ``edges.csv``'s order).
Files without it (written by other tools) follow, in file order. ``actorgraph.csv`` records how the
converted ``edges.csv`` was written (line ending, byte-order mark).

``load_store_dataset(folder)`` reads the events into memory and validates them with the rules of a CSV
folder (the pandas engine on a store); a problem in an event names its Parquet file and 1-based row.

Events on cluster storage: a store may keep only ``nodes.csv`` and ``edge_types.csv`` locally, with a
one-line file ``STORE/events.url`` naming the ``events/`` directory elsewhere (``hdfs://nn/crisis/events``,
``s3a://bucket/crisis/events``; same layout under it). Only the Spark engine reads such a store: the
cluster's Spark configuration supplies the storage connector and credentials.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graph.errors import ActorgraphError, DataError, Problem
from graph.store.dataset import (EDGES_FILE, NODES_FILE, TYPES_FILE, Dataset, read_raw, read_table,
                                 table_of_columns, validate_parsed, validate_tables)

EVENTS_DIR = "events"
ORDER_KEY = "actorgraph.order"
CSV_FORMAT_KEY = "actorgraph.csv"
PART = "part-{:05d}.parquet"
_PART_RE = re.compile(r"part-(\d+)\.parquet$")
EVENTS_URL_FILE = "events.url"
#: Header given to the validator in place of edges.csv when only nodes and types are checked.
_NO_EDGES = b"source,target,type\n"


def is_store(folder: Path | str) -> bool:
    """True when ``folder`` keeps its events as Parquet files under ``events/`` or at ``events.url``."""
    return (Path(folder) / EVENTS_DIR).is_dir() or events_url(folder) is not None


def events_url(folder: Path | str) -> str | None:
    """The location ``STORE/events.url`` gives for the store's events (None without that file): its
    first line that is neither blank nor a ``#`` comment."""
    try:
        text = (Path(folder) / EVENTS_URL_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if not lines:
        raise DataError([Problem(str(Path(folder) / EVENTS_URL_FILE), 1, "no location in this file; write "
                                 "the URL of the events directory on one line (e.g. s3a://bucket/crisis/events)")])
    return lines[0]


def refuse_store_edit(folder: Path | str) -> None:
    """Raise a one-line ActorgraphError when ``folder`` is an event store: edits work on CSV files."""
    if is_store(folder):
        raise ActorgraphError(f"{folder} is an event store (its events are Parquet files) and cannot be "
                              f"edited in place; convert it (actorgraph convert --data {folder} --to csv "
                              "--out NEWDIR), edit that folder, and convert it back")


def event_files(folder: Path | str) -> list[Path]:
    """The store's Parquet files, in a stable order (partition, then file name)."""
    return sorted((Path(folder) / EVENTS_DIR).rglob("*.parquet"))


def load_store_tables(folder: Path | str):
    """Validate the store's ``nodes.csv`` and ``edge_types.csv``: returns ``(nodes, types, extra_columns)``
    as ``Dataset`` has them, or raises ``DataError``. Refuses a folder holding both ``edges.csv`` and
    ``events/`` (which would be the data is unclear)."""
    folder = Path(folder)
    if (folder / EDGES_FILE).exists():
        raise DataError([Problem(str(folder / EDGES_FILE), 0,
                                 f"this folder has both {EDGES_FILE} and {EVENTS_DIR}/; keep one "
                                 "(actorgraph convert moves a folder between the two forms)")])
    return validate_store_tables(read_raw(folder), folder)


def validate_store_tables(raw: dict[str, bytes | None], folder: Path | str = "."):
    """Validate the bytes of ``nodes.csv`` and ``edge_types.csv`` (keyed by file name) as a store's:
    ``(nodes, types, extra_columns)`` or DataError."""
    raw = {NODES_FILE: raw.get(NODES_FILE), TYPES_FILE: raw.get(TYPES_FILE), EDGES_FILE: _NO_EDGES}
    ds = validate_tables(raw, folder)
    extra = {k: v for k, v in ds.extra_columns.items() if k in (NODES_FILE, TYPES_FILE)}
    return ds.nodes, ds.types, extra


def store_columns(folder: Path | str) -> list[str]:
    """The columns of the store's event files (those of its first file; [] when it has none)."""
    import pyarrow.parquet as pq

    files = event_files(folder)
    return list(pq.read_schema(files[0]).names) if files else []


def partition_keys(dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Year and month of the first day of each date text (spaces ignored); 0 for what is not given."""
    text = dates.astype(str).str.strip()
    year = pd.to_numeric(text.str.slice(0, 4).where(text.str.match(r"\d{4}(?:-|$)"), "0"),
                         errors="coerce").fillna(0).astype(np.int64)
    month = pd.to_numeric(text.str.slice(5, 7).where(text.str.match(r"\d{4}-\d{2}(?:-|$)"), "0"),
                          errors="coerce").fillna(0).astype(np.int64)
    return year.to_numpy(), month.to_numpy()


def partition_dir(year: int, month: int) -> str:
    """``events/year=2025/month=07`` (``year=0/month=0`` undated, ``month=0`` for a year-only date)."""
    return f"{EVENTS_DIR}/year={year}/month={month:02d}" if month else f"{EVENTS_DIR}/year={year}/month=0"


def next_part_number(folder: Path) -> int:
    """The first free ``part-NNNNN`` number in a partition folder (0 when it has none)."""
    numbers = [int(m.group(1)) for p in folder.glob("part-*.parquet") if (m := _PART_RE.search(p.name))]
    return max(numbers) + 1 if numbers else 0


def order_runs(metadata: dict | None) -> np.ndarray | None:
    """The ``(start, length)`` runs of sequence numbers kept in a file's key-value metadata, or None."""
    if not metadata or ORDER_KEY.encode() not in metadata:
        return None
    return np.array(json.loads(metadata[ORDER_KEY.encode()]), dtype=np.int64).reshape(-1, 2)


def expand_runs(runs: np.ndarray) -> np.ndarray:
    """The sequence number of every row of a file, from its runs."""
    if not len(runs):
        return np.array([], dtype=np.int64)
    starts, lengths = runs[:, 0], runs[:, 1]
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return offsets + np.arange(int(lengths.sum()), dtype=np.int64)


def next_sequence(folder: Path | str) -> int:
    """The sequence number after the last one used in the store (read from the files' footers only)."""
    import pyarrow.parquet as pq

    last = -1
    for path in event_files(folder):
        runs = order_runs(pq.read_metadata(path).metadata)
        if runs is not None and len(runs):
            last = max(last, int((runs[:, 0] + runs[:, 1]).max()) - 1)
        else:
            last = max(last, 0) + pq.read_metadata(path).num_rows
    return last + 1


@dataclass
class StoreEvents:
    """A store's event rows in memory, in store order: ``frame`` (the files' string columns), and for
    each row its file (``files[file_index]``) and 1-based ``row`` within that file."""

    frame: pd.DataFrame
    files: list[Path]
    file_index: np.ndarray
    row: np.ndarray
    csv_format: dict = field(default_factory=dict)


def read_store_events(folder: Path | str, problems: list[Problem]) -> StoreEvents | None:
    """Read every event file; a file whose columns differ from the first one's, or that is not all
    text, is a problem (appended to ``problems``; None returned)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    files = event_files(folder)
    frames, seqs, rows, index = [], [], [], []
    columns: list[str] | None = None
    csv_format: dict = {}
    unordered = 0
    for i, path in enumerate(files):
        try:
            handle = pq.ParquetFile(path)
            table = handle.read()
        except (OSError, pa.ArrowException) as exc:
            problems.append(Problem(str(path.relative_to(folder)), 0, f"not a readable Parquet file ({exc})"))
            continue
        names = table.schema.names
        if columns is None:
            columns = names
        if names != columns:
            problems.append(Problem(str(path.relative_to(folder)), 0, f"columns {', '.join(names)} differ from "
                                                  f"{', '.join(columns)} in {files[0].relative_to(folder)}; every event file "
                                                  "has the same columns"))
            continue
        not_text = [f.name for f in table.schema if not pa.types.is_string(f.type)
                    and not pa.types.is_large_string(f.type)]
        if not_text:
            problems.append(Problem(str(path.relative_to(folder)), 0, f"column {not_text[0]} is not text; every column of an "
                                                  "event file holds strings"))
            continue
        meta = handle.metadata.metadata or {}  # the key-value metadata written at close
        if CSV_FORMAT_KEY.encode() in meta and not csv_format:
            csv_format = json.loads(meta[CSV_FORMAT_KEY.encode()])
        runs = order_runs(meta)
        seq = expand_runs(runs) if runs is not None and int(runs[:, 1].sum()) == table.num_rows else None
        if seq is None:  # no order recorded: after every ordered row, in file order
            seq = np.iinfo(np.int64).max // 2 + unordered + np.arange(table.num_rows, dtype=np.int64)
            unordered += table.num_rows
        frames.append(table.to_pandas().fillna(""))
        seqs.append(seq)
        rows.append(np.arange(1, table.num_rows + 1, dtype=np.int64))
        index.append(np.full(table.num_rows, i, dtype=np.int64))
    if problems:
        return None
    if columns is None:
        return StoreEvents(pd.DataFrame(columns=["source", "target", "type"], dtype=object), files,
                           np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    order = np.argsort(np.concatenate(seqs), kind="stable")
    frame = pd.concat(frames, ignore_index=True).iloc[order].reset_index(drop=True)
    return StoreEvents(frame.astype(object), files, np.concatenate(index)[order], np.concatenate(rows)[order],
                       csv_format)


def load_store_dataset(folder: Path | str) -> Dataset:
    """The store as a :class:`Dataset` in memory (the pandas engine on a store), validated by the
    rules of a CSV folder; raises DataError listing every problem, an event's as
    ``events/.../part-NNNNN.parquet:ROW: ...``. ``edges["line"]`` is the event's row in its file."""
    return load_store_events_dataset(folder)[0]


def load_store_events_dataset(folder: Path | str) -> tuple[Dataset, StoreEvents]:
    """``load_store_dataset`` and the raw event rows it validated (cells exactly as stored)."""
    folder = Path(folder)
    problems: list[Problem] = []
    if (folder / EDGES_FILE).exists():
        load_store_tables(folder)  # raises: both edges.csv and events/
    raw = read_raw(folder)
    tables = {name: read_table(name, raw[name], problems) for name in (NODES_FILE, TYPES_FILE)}
    events = read_store_events(folder, problems)
    if events is None:
        tables[EDGES_FILE] = None
        lines = None
    else:
        frame = events.frame
        # Physical "lines" 2.. stand for the rows in store order (1 would be the header).
        lines = np.arange(2, len(frame) + 2, dtype=np.int64)
        tables[EDGES_FILE] = table_of_columns(EDGES_FILE, list(frame.columns),
                                              [frame[c].to_numpy(dtype=object) for c in frame.columns],
                                              lines, False, problems)
    try:
        ds = validate_parsed(tables, problems, folder)
    except DataError as exc:
        raise DataError([_locate(p, folder, events) for p in exc.problems]) from None
    ds.edges["line"] = events.row
    return ds, events


def _locate(problem: Problem, folder: Path, events: StoreEvents | None) -> Problem:
    """Name an event problem's Parquet file and row instead of edges.csv and a store-order line."""
    if events is None or problem.file != str(folder / EDGES_FILE):
        return problem
    if problem.line < 2:  # the columns as a whole
        first = events.files[0] if events.files else folder / EVENTS_DIR
        return Problem(str(first), 0, problem.message)
    i = problem.line - 2
    return Problem(str(events.files[events.file_index[i]]), int(events.row[i]), problem.message)
