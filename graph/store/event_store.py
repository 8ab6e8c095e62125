"""An event store: a data folder whose events are Parquet files instead of ``edges.csv``.

Layout (``actorgraph import ... --store parquet`` and ``actorgraph convert`` write it)::

    STORE/nodes.csv, STORE/edge_types.csv      as in a CSV folder, validated by the same rules
    STORE/events/year=YYYY/month=MM/*.parquet  the events, hive-partitioned by the first day of their date

Every Parquet file has exactly the columns of ``edges.csv`` (``source, target, type, date, weight,
note, citation`` and any extra column such as ``event_id``), all strings, empty cells as ``""``, so a
folder converts to a store and back byte for byte. Undated events are under ``year=0/month=0``; an
event dated only by a year under ``month=0`` of that year.

Events on cluster storage: a store may keep only ``nodes.csv`` and ``edge_types.csv`` locally, with a
one-line file ``STORE/events.url`` naming the ``events/`` directory elsewhere (``hdfs://nn/crisis/events``,
``s3a://bucket/crisis/events``; same layout under it). Only the Spark engine reads such a store: the
cluster's Spark configuration supplies the storage connector and credentials.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import DataError, Problem
from graph.store.dataset import EDGES_FILE, NODES_FILE, TYPES_FILE, read_raw, validate_tables

EVENTS_DIR = "events"
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
