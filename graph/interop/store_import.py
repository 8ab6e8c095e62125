"""GDELT / ICEWS files streamed into an event store (``actorgraph import gdelt|icews ... --store parquet``).

Any number of input files, one chunk of rows at a time, so memory stays bounded however many files
there are. Two passes over the inputs: the first tallies the actors (ids and labels depend on all of
them: ICEWS ids are numbered in name order when slugs clash, a GDELT label on the most frequent name),
the second turns each chunk into edges and appends them to an ``EventWriter``. What stays in memory
across chunks is per actor (names seen, first appearance), per CAMEO code, and the event ids seen
(``EventIds``: 8 bytes an id), never the events.

The result is the same as the CSV import of the same files (``importers.read_gdelt`` / ``read_icews``
and ``write_import``): same actors, ids, labels, types and events. ``merge`` adds to an existing store
under its lock: actors merge by ``import_key``, events already in the store (same ``event_id``, read
from the ``event_id`` column of its files only) are skipped. A new store is written in a temporary
folder and renamed into place; a merge writes its new part files in a temporary folder inside the store,
then ``edge_types.csv`` and ``nodes.csv`` (atomically, types first), then moves the part files in, so an
interrupted merge leaves a valid store and repeating it adds only what is missing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from graph.errors import ActorgraphError
from graph.interop import importers as imp
from graph.progress import SILENT, Progress
from graph.store.convert import move_into_place
from graph.store.dataset import NODES_FILE, TYPES_FILE, read_raw
from graph.store.event_ids import EventIds
from graph.store.event_store import (EVENTS_DIR, event_files, is_store, load_store_tables, next_sequence,
                                     store_columns, validate_store_tables)
from graph.store.event_writer import EventWriter
from graph.store.safe_write import LOCK_FILE, locked, write_files

TEMP_SUFFIX = ".actorgraph-tmp"


@dataclass
class StoreImport:
    """What an import into a store read and changed."""

    source: str
    rows: int
    skipped: dict[str, int] = field(default_factory=dict)
    report: imp.MergeReport | None = None


_SOURCES = {
    "gdelt": ("GDELT", imp.gdelt_chunks, imp.gdelt_events, imp.GdeltActors),
    "icews": ("ICEWS", imp.icews_chunks, imp.icews_events, imp.IcewsActors),
}


def import_to_store(source: str, paths, out: Path | str, merge: bool = False, progress: Progress = SILENT,
                    batch_rows: int = 100_000, lock_timeout: float = 10.0) -> StoreImport:
    """Stream the ``source`` (``gdelt`` or ``icews``) files ``paths`` into the store ``out`` (see the
    module doc). Without ``merge`` the folder must be empty or absent; with it, an existing folder must
    be an event store (a CSV folder is refused: the CSV import merges into it)."""
    out = Path(out)
    if source not in _SOURCES:
        raise ActorgraphError(f"unknown source '{source}'; choose gdelt or icews")
    if out.exists() and not out.is_dir():
        raise ActorgraphError(f"--out {out} is a file; give a folder")
    existing = out.is_dir() and any(p.name != LOCK_FILE for p in out.iterdir())
    if existing and not merge:
        raise ActorgraphError(f"--out {out} is not empty; add --merge to add to its data or choose an empty folder")
    if existing and not is_store(out):
        raise ActorgraphError(f"{out} is a CSV data folder, not an event store: drop --store parquet to merge "
                              f"into its CSV files, or convert it first (actorgraph convert --data {out} "
                              "--to parquet --out NEWDIR)")
    if existing:
        with locked(out, lock_timeout):
            return _import(source, [Path(p) for p in paths], out, True, progress, batch_rows)
    return _import(source, [Path(p) for p in paths], out, False, progress, batch_rows)


def _tally(source: str, paths: list[Path], progress: Progress, batch_rows: int):
    """Pass 1: the actors of every event that will be imported."""
    _, chunks, events, actors_class = _SOURCES[source]
    actors, seen, rows = actors_class(), EventIds(), 0
    for path in paths:
        for chunk in chunks(path, progress, batch_rows):
            rows += len(chunk)
            actors.add(events(chunk, seen, {}))
    return actors, rows


def _edges(source: str, chunk: pd.DataFrame, seen: EventIds, ids: dict | None, skipped: dict):
    events = _SOURCES[source][2](chunk, seen, skipped)
    if source == "gdelt":
        return imp.gdelt_edges(events, skipped)
    return imp.icews_edges(events, ids, skipped)


def _existing_ids(out: Path) -> tuple[EventIds, int]:
    """The store's event ids (only the ``event_id`` column is read, a file at a time) and its event count."""
    known, count = EventIds(), 0
    for path in event_files(out):
        handle = pq.ParquetFile(path)
        count += handle.metadata.num_rows
        if "event_id" in handle.schema_arrow.names:
            known.add_new(handle.read(columns=["event_id"]).column(0).to_numpy(zero_copy_only=False))
    return known, count


def _import(source: str, paths: list[Path], out: Path, merge: bool, progress: Progress,
            batch_rows: int) -> StoreImport:
    name = _SOURCES[source][0]
    with progress.stage("tallying actors"):
        actors, rows = _tally(source, paths, progress, batch_rows)
    imported_nodes = actors.nodes()
    ids = actors.ids() if source == "icews" else None

    if merge:
        raw = read_raw(out)
        old_nodes, old_types, _ = load_store_tables(out)
        old_columns = store_columns(out)
        known, old_count = _existing_ids(out)
        first_seq = next_sequence(out)
    else:
        raw = {NODES_FILE: None, TYPES_FILE: None}
        old_nodes = pd.DataFrame(columns=imp.NODE_COLUMNS)
        old_types = pd.DataFrame(columns=imp.TYPE_COLUMNS)
        old_columns, known, old_count, first_seq = [], EventIds(), 0, 0
    new_nodes, rename = imp.merge_actors(imported_nodes, old_nodes)
    columns = (old_columns or []) + [c for c in imp.EDGE_COLUMNS if c not in (old_columns or [])]
    added_columns = bool(old_columns) and columns != old_columns

    if merge:
        staging = Path(tempfile.mkdtemp(prefix=".import.", suffix=TEMP_SUFFIX, dir=out))
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=TEMP_SUFFIX, dir=out.parent))
    try:
        skipped: dict[str, int] = {}
        types: dict[str, dict] = {}
        duplicates = 0
        seen = EventIds()
        (staging / EVENTS_DIR).mkdir()
        with EventWriter(staging, columns, batch_rows=batch_rows, first_seq=first_seq, numbering=out) as writer:
            for path in paths:
                for chunk in _SOURCES[source][1](path, progress, batch_rows):
                    edges, chunk_types = _edges(source, chunk, seen, ids, skipped)
                    for row in chunk_types.to_dict("records"):
                        types.setdefault(row["type"], row)
                    fresh = known.add_new(edges["event_id"].to_numpy(dtype=object))
                    duplicates += int((~fresh).sum())
                    edges = edges[fresh]
                    edges = edges.assign(source=edges["source"].map(rename), target=edges["target"].map(rename))
                    writer.append(edges.reindex(columns=columns, fill_value="").astype(object))
        if not merge and not writer.rows_written:
            raise ActorgraphError("no event in the input names both actors; nothing was written")
        type_frame = pd.DataFrame([types[k] for k in sorted(types)], columns=imp.TYPE_COLUMNS)
        new_types = type_frame[~type_frame["type"].isin(set(old_types["type"]))]
        data = {TYPES_FILE: imp.combine_csv(raw[TYPES_FILE], new_types),
                NODES_FILE: imp.combine_csv(raw[NODES_FILE], new_nodes)}
        validate_store_tables(data, out)  # raises DataError: nothing is written
        if added_columns:
            _add_columns(out, staging, columns)
        if merge:
            write_files(out, {k: v for k, v in data.items() if v != raw[k]})
            _move_parts(staging, out)
            shutil.rmtree(staging)
        else:
            for key, value in data.items():
                (staging / key).write_bytes(value)
            move_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report = imp.MergeReport(out, actors_added=len(new_nodes), events_added=writer.rows_written,
                             types_added=len(new_types), duplicate_events=duplicates,
                             actors_total=len(old_nodes) + len(new_nodes),
                             events_total=old_count + writer.rows_written)
    return StoreImport(name, rows, skipped, report)


def _add_columns(out: Path, staging: Path, columns: list[str]) -> None:
    """Rewrite the store's existing files with the new columns (empty) into ``staging``, one at a time,
    keeping their order metadata, so every file has the same columns."""
    import pyarrow as pa

    for path in event_files(out):
        handle = pq.ParquetFile(path)
        target = staging / path.relative_to(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        schema = pa.schema([(c, pa.string()) for c in columns])
        with pq.ParquetWriter(target, schema, compression="zstd") as writer:
            for group in range(handle.num_row_groups):
                table = handle.read_row_group(group)
                for column in columns:
                    if column not in table.schema.names:
                        table = table.append_column(column, pa.array([""] * table.num_rows, type=pa.string()))
                writer.write_table(table.select(columns))
            meta = {k.decode(): v.decode() for k, v in (handle.metadata.metadata or {}).items()
                    if not k.startswith(b"ARROW:")}
            writer.add_key_value_metadata(meta)


def _move_parts(staging: Path, out: Path) -> None:
    """Move every part file of ``staging/events`` to the same place under ``out`` (rewritten ones replace)."""
    for path in sorted((staging / EVENTS_DIR).rglob("*.parquet")):
        target = out / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
