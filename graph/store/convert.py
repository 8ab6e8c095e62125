"""Moving a data folder between its two forms: three CSV files, or an event store (``events/`` Parquet).

``convert(src, dst, to="parquet")`` validates a CSV folder and writes a new store; ``to="csv"`` validates
a store and writes a new CSV folder. ``nodes.csv`` and ``edge_types.csv`` are copied byte for byte. The
events keep every cell exactly as text, their order, the header's column order and the file's line
ending and byte-order mark, so CSV -> store -> CSV gives back the same bytes for an ``edges.csv`` written
the way the ``csv`` module writes (minimal quoting; blank lines and a spreadsheet's empty trailing
column, which hold no data, are not kept).

The new folder is written beside the destination under a temporary name and renamed into place at the
end: an error leaves nothing behind, and an existing non-empty destination is refused.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from graph.errors import ActorgraphError
from graph.progress import SILENT, Progress
from graph.store.dataset import BOM, EDGES_FILE, NODES_FILE, TYPES_FILE, read_raw, validate_tables
from graph.store.event_store import (EVENTS_DIR, event_files, is_store, load_store_events_dataset)
from graph.store.event_writer import EventWriter

FORMS = ("parquet", "csv")


@dataclass
class ConvertReport:
    """What ``convert`` wrote."""

    source: Path
    destination: Path
    to: str
    events: int
    event_files: int


def convert(src: Path | str, dst: Path | str, to: str = "parquet", progress: Progress = SILENT,
            batch_rows: int = 100_000) -> ConvertReport:
    """Write the data folder ``src`` in the other form to the new folder ``dst`` (see the module doc)."""
    src, dst = Path(src), Path(dst)
    if to not in FORMS:
        raise ActorgraphError(f"cannot convert to '{to}'; choose parquet or csv")
    if to == "parquet" and is_store(src):
        raise ActorgraphError(f"{src} is already an event store (it has {EVENTS_DIR}/); --to csv converts it back")
    if to == "csv" and not is_store(src):
        raise ActorgraphError(f"{src} is not an event store (no {EVENTS_DIR}/ folder); --to parquet makes one")
    refuse_non_empty(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{dst.name}.", suffix=".actorgraph-tmp", dir=dst.parent))
    try:
        events = _to_store(src, temp, progress, batch_rows) if to == "parquet" else _to_csv(src, temp, progress)
        move_into_place(temp, dst)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return ConvertReport(src, dst, to, events, len(event_files(dst)) if to == "parquet" else 0)


def refuse_non_empty(dst: Path) -> None:
    """Raise unless ``dst`` is absent or an empty folder."""
    if dst.exists() and (not dst.is_dir() or any(dst.iterdir())):
        raise ActorgraphError(f"{dst} is not empty; give a new or empty folder (nothing was written)")


def move_into_place(temp: Path, dst: Path) -> None:
    """Rename the finished folder ``temp`` to ``dst`` (an empty ``dst`` is replaced)."""
    if dst.is_dir():
        dst.rmdir()  # refuses, rightly, if something appeared in it meanwhile
    os.rename(temp, dst)


def csv_format_of(raw: bytes) -> dict:
    """How a CSV file was written: its line ending and whether it starts with a byte-order mark."""
    first = raw.find(b"\n")
    return {"lineterminator": "\r\n" if first > 0 and raw[first - 1:first] == b"\r" else "\n",
            "bom": raw.startswith(BOM)}


def csv_records(text: str):
    """The header (names stripped) and the data records of a validated CSV text, as the validator reads
    it: blank lines and rows of empty fields skipped, an empty unnamed trailing column dropped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = None
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header is None:
            header = [h.strip() for h in row]
            while header and header[-1] == "":
                header.pop()
            yield header
            continue
        if not any(row):
            continue
        yield (row + [""] * (len(header) - len(row)))[:len(header)]


def _to_store(src: Path, temp: Path, progress: Progress, batch_rows: int) -> int:
    raw = read_raw(src)
    with progress.stage("reading and validating the data"):
        validate_tables(raw, src)  # raises DataError listing every problem; nothing is written
    for name in (NODES_FILE, TYPES_FILE):
        (temp / name).write_bytes(raw[name])
    (temp / EVENTS_DIR).mkdir()
    data = raw[EDGES_FILE]
    text = (data[len(BOM):] if data.startswith(BOM) else data).decode("utf-8")
    records = csv_records(text)
    header = next(records)
    count = 0
    with progress.task("writing events", unit="rows") as bar, \
            EventWriter(temp, header, batch_rows=batch_rows, keep_order=True, csv_format=csv_format_of(data),
                        schema_only_when_empty=True) as out:
        batch: list[list[str]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_rows:
                out.append(pd.DataFrame(batch, columns=header, dtype=object))
                count += len(batch)
                bar.update(len(batch))
                batch = []
        if batch:
            out.append(pd.DataFrame(batch, columns=header, dtype=object))
            count += len(batch)
            bar.update(len(batch))
    return count


def _to_csv(src: Path, temp: Path, progress: Progress) -> int:
    with progress.stage("reading and validating the store"):
        _, events = load_store_events_dataset(src)
    for name in (NODES_FILE, TYPES_FILE):
        shutil.copyfile(src / name, temp / name)
    fmt = events.csv_format
    frame = events.frame
    with open(temp / EDGES_FILE, "w", encoding="utf-8-sig" if fmt.get("bom") else "utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator=fmt.get("lineterminator", "\n"))
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False, name=None))
    return len(frame)
