"""An event store: a data folder whose events are Parquet files instead of ``edges.csv``.

Layout (``actorgraph import ... --store parquet`` and ``actorgraph convert`` write it)::

    STORE/nodes.csv, STORE/edge_types.csv      as in a CSV folder, validated by the same rules
    STORE/events/year=YYYY/month=MM/*.parquet  the events, hive-partitioned by the first day of their date

Every Parquet file has exactly the columns of ``edges.csv`` (``source, target, type, date, weight,
note, citation`` and any extra column such as ``event_id``), all strings, empty cells as ``""``, so a
folder converts to a store and back byte for byte. Undated events are under ``year=0/month=0``; an
event dated only by a year under ``month=0`` of that year.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import DataError, Problem
from graph.store.dataset import EDGES_FILE, NODES_FILE, TYPES_FILE, read_raw, validate_tables

EVENTS_DIR = "events"
#: Header given to the validator in place of edges.csv when only nodes and types are checked.
_NO_EDGES = b"source,target,type\n"


def is_store(folder: Path | str) -> bool:
    """True when ``folder`` keeps its events as Parquet files under ``events/``."""
    return (Path(folder) / EVENTS_DIR).is_dir()


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
    raw = read_raw(folder)
    raw[EDGES_FILE] = _NO_EDGES
    ds = validate_tables(raw, folder)
    extra = {k: v for k, v in ds.extra_columns.items() if k in (NODES_FILE, TYPES_FILE)}
    return ds.nodes, ds.types, extra
