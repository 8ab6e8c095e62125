"""Partition pruning: which Parquet files of an event store can hold events inside a window.

A file under ``events/year=Y/month=M/`` holds events whose span starts in month M of year Y (``M = 0``:
dated by the year only, so starting on 1 January and ending on 31 December; ``Y = 0``: undated). An
engine reads only the files whose possible spans overlap the window, then applies the exact rule
(``graph.view.engines.sql.window_sql``) to the rows it read. Files outside the layout are always read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from graph.view.engine import Selection

_PARTITION = re.compile(r"(?:^|/)year=(\d+)/month=(\d+)(?:/|$)")


def partition_of(path: Path | str) -> tuple[int, int] | None:
    """``(year, month)`` of a file's partition folders, None when it is outside the layout."""
    found = _PARTITION.search(Path(path).as_posix())
    return (int(found.group(1)), int(found.group(2))) if found else None


def possible_span(year: int, month: int) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first day an event of partition ``(year, month)`` can start on and the last day it can
    end on; None for the undated partition (and for folder names that are no real month)."""
    if year == 0 or not 0 <= month <= 12:
        return None
    if month == 0:
        return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    first = pd.Timestamp(year, month, 1)
    return first, first + pd.offsets.MonthEnd(0)


def files_for(files: list[Path], sel: Selection | None) -> list[Path]:
    """The files of ``files`` that can hold an event ``sel`` keeps (by window and ``dated_only``)."""
    if sel is None or (sel.lo is None and sel.hi is None and not sel.dated_only):
        return list(files)
    kept = []
    for path in files:
        part = partition_of(path)
        if part is None or (part[0] != 0 and possible_span(*part) is None):
            kept.append(path)  # outside the layout: read it, the row filter decides
            continue
        if part[0] == 0:
            if not sel.dated_only:
                kept.append(path)
            continue
        first, last = possible_span(*part)
        if (sel.hi is None or first <= sel.hi) and (sel.lo is None or last >= sel.lo):
            kept.append(path)
    return kept
