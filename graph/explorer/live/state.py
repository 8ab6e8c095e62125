"""What a live page shows: the last valid payload, the data's current problems, and a version.

``LiveMap.update()`` re-reads the data folder and, when the files are valid, publishes a new payload
(the same ``payload`` that ``actorgraph html`` inlines). Invalid files never replace the payload: the
caller decides when their problems are shown (``show_problems``), so a file caught half-saved can be
given time to settle first. Subscribers (the update stream) wait on ``wait(seq)``.

Two figures come from the previous run rather than from scratch:

- Positions. Actors keep the place they had; a new actor is placed beside the actors it has events
  with (or on a ring around the drawing when it has none). A fresh layout would move every actor.
- When the last full analysis (centrality and clusters) took longer than ``QUICK_ABOVE`` seconds, an
  edit is first published with last run's centrality and clusters (new actors: zero, unaligned;
  marked ``pending``), then again once the analysis is done, so a large map shows the edit within a
  second or two instead of after the betweenness and cluster searches.
"""

from __future__ import annotations

import errno
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from graph.errors import ActorgraphError, DataError, Problem
from graph.explorer.page import (Analysis, HtmlOptions, analyse, bloc_codes, blocs_extras, centrality, check_options,
                                 page_blocs, payload)
from graph.view.pairs import pair_table
from graph.store.dataset import FILES, Dataset, read_raw, validate_tables
from graph.store.safe_write import JOURNAL_FILE, locked
from graph.view.select import Filters, select

#: Seconds a full analysis may take before edits are shown first with last run's figures.
QUICK_ABOVE = 0.5
#: Seconds a reader waits for a writer (``actorgraph edge add`` ...) to release the folder's lock.
LOCK_TIMEOUT = 30.0
_RING_GAP = 90.0  # pixels between the drawing's edge and the ring of new actors with no events


@dataclass(frozen=True)
class Snapshot:
    """One state of the live page. ``seq`` grows with every change (payload or problems);
    ``version`` names the payload and changes only with it."""

    seq: int
    version: str
    data: dict
    payload: str
    problems: tuple[str, ...]
    pending: bool


def read_files(folder: Path, lock_timeout: float = LOCK_TIMEOUT) -> dict[str, bytes | None]:
    """The bytes of the three data files as one consistent set.

    They are read under the folder's shared lock, so an ``actorgraph`` edit (which holds the exclusive
    lock from its read to its last rename) is never seen half done. A folder where the lock file cannot
    be created is read-only, so no edit can run there either. Raises DataError when an edit was
    interrupted between renames (its journal is still there), LockTimeout after ``lock_timeout``.
    """
    folder = Path(folder)
    try:
        lock = locked(folder, lock_timeout, shared=True)
        lock.__enter__()
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR):
            raise
        return _read_unlocked(folder)
    try:
        return _read_unlocked(folder)
    finally:
        lock.__exit__(None, None, None)


def _read_unlocked(folder: Path) -> dict[str, bytes | None]:
    if (folder / JOURNAL_FILE).exists():
        raise DataError([Problem(JOURNAL_FILE, 0, "an edit was interrupted before all of its files were "
                                 "renamed; the next `actorgraph node|edge|type` command finishes it")])
    return read_raw(folder)


def read_dataset(folder: Path, lock_timeout: float = LOCK_TIMEOUT) -> Dataset:
    """Read (under the shared lock) and validate the data folder; raise DataError as ``load_dataset``."""
    return validate_tables(read_files(folder, lock_timeout), folder)


def _import_analyses() -> None:
    import igraph  # noqa: F401
    import scipy.optimize  # noqa: F401

    import graph.analysis.alignment.of_view  # noqa: F401
    import graph.analysis.centrality  # noqa: F401
    import graph.explorer.layout  # noqa: F401


def _digest(raw: dict[str, bytes | None]) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for name in FILES:
        data = raw.get(name)
        h.update(b"-" if data is None else b"+%d:" % len(data))
        h.update(data or b"")
    return h.digest()


@dataclass
class _Figures:
    """Last full analysis, by actor id: carried into the next payload while the new one is computed."""

    table: pd.DataFrame  # metric columns, indexed by actor id
    cluster: dict[str, int]
    method: str
    xy: dict[str, tuple[float, float]] | None
    names: list[str]


class LiveMap:
    """The state behind one live page: call ``start()`` once, then ``update()`` after every change.

    ``report`` receives one line per published change (for the command line to print).
    """

    def __init__(self, folder: Path | str, filters: Filters = Filters(), options: HtmlOptions = HtmlOptions(),
                 *, quick_above: float = QUICK_ABOVE, lock_timeout: float = LOCK_TIMEOUT,
                 report: Callable[[str], None] | None = None):
        check_options(options)
        self.folder = Path(folder)
        self.filters, self.options = filters, options
        self.quick_above, self.lock_timeout = quick_above, lock_timeout
        self.report = report or (lambda line: None)
        self._cond = threading.Condition()
        self._build = threading.Lock()  # one update at a time
        self._token = secrets.token_hex(4)
        self._snapshot: Snapshot | None = None
        self._page: tuple[str, str] | None = None  # (version, rendered page)
        self._digest: bytes | None = None  # of the files behind the current payload
        self._figures: _Figures | None = None
        self._full_seconds = 0.0
        self.closed = False

    # ---- reading --------------------------------------------------------------------------------
    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            raise ActorgraphError("the live map has not been started")
        return self._snapshot

    def start(self) -> Snapshot:
        """Build the first payload; raise DataError or ActorgraphError when there is nothing valid to show."""
        with self._build:
            raw = read_files(self.folder, self.lock_timeout)
            ds = validate_tables(raw, self.folder)
            view = select(ds, self.filters)
            _import_analyses()  # so that the time measured below is the analysis alone
            started = time.perf_counter()
            analysis = analyse(view, self.options)
            history, confidence = blocs_extras(ds, view, self.filters, self.options)
            self._full_seconds = time.perf_counter() - started
            self._remember(view, analysis)
            return self._publish(payload(ds, view, self.options, analysis, history, confidence), _digest(raw),
                                 pending=False)

    def update(self, superseded: Callable[[], bool] = lambda: False) -> list[str]:
        """Re-read the folder. Valid: publish the new payload (if the files changed) and return [].
        Invalid: return the problems as ``FILE:LINE: what is wrong`` lines, publishing nothing.

        ``superseded()`` says whether newer changes are waiting; the slow analysis of a large map is
        then skipped (the next update does it).
        """
        with self._build:
            try:
                raw = read_files(self.folder, self.lock_timeout)
                digest = _digest(raw)
                if digest == self._digest and not self.snapshot.pending:
                    self._clear_problems()  # back to the files of the map shown (an edit undone)
                    return []
                ds = validate_tables(raw, self.folder)
                view = select(ds, self.filters)
            except DataError as exc:
                return [str(p) for p in exc.problems]
            except ActorgraphError as exc:  # e.g. the --ego actor or a --types type was removed
                return [str(exc)]
            if self._figures is not None and self._full_seconds > self.quick_above and digest != self._digest:
                self._publish(payload(ds, view, self.options, self._carried(view)), digest, pending=True)
                if superseded():
                    return []
            started = time.perf_counter()
            pairs = pair_table(view)
            table = centrality(view, self.options.size_by, pairs)
            alignment = page_blocs(view, self.options.blocs, pairs)
            cluster, names = bloc_codes(view.nodes.index, alignment)
            analysis = Analysis(table, cluster, alignment.method, self._positions(view), names)
            history, confidence = blocs_extras(ds, view, self.filters, self.options)
            self._full_seconds = time.perf_counter() - started
            if superseded() and self._digest == digest:
                return []  # the quick payload stays; newer files are waiting
            self._remember(view, analysis)
            self._publish(payload(ds, view, self.options, analysis, history, confidence), digest, pending=False)
            return []

    def show_problems(self, problems: list[str]) -> None:
        """Show ``problems`` on the page; the payload (the last valid map) stays."""
        with self._cond:
            current = self.snapshot
            if current.problems == tuple(problems):
                return
            self._snapshot = Snapshot(current.seq + 1, current.version, current.data, current.payload,
                                      tuple(problems), current.pending)
            self._cond.notify_all()
        n = len(problems)
        self.report(f"{n} problem{'s' if n != 1 else ''} in the data; the page keeps the last valid map:")
        for line in problems:
            self.report(f"  {line}")

    def wait(self, seq: int, timeout: float) -> Snapshot:
        """The snapshot, as soon as its ``seq`` is past ``seq`` (or after ``timeout`` s, or on close)."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or self.snapshot.seq > seq, timeout)
            return self.snapshot

    def page(self) -> str:
        """The explorer page for the current payload, in live mode (rendered once per version)."""
        from graph.explorer.page import render

        snap = self.snapshot
        cached = self._page
        if cached is None or cached[0] != snap.version:
            cached = (snap.version, render(snap.data, live=True))
            self._page = cached
        return cached[1]

    def close(self) -> None:
        """Wake every waiting subscriber for good (the server is stopping)."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    # ---- internals ------------------------------------------------------------------------------
    def _publish(self, data: dict, digest: bytes, pending: bool) -> Snapshot:
        with self._cond:
            seq = self._snapshot.seq + 1 if self._snapshot else 1
            version = f"{self._token}-{seq}"
            data = {**data, "live": {"version": version, "pending": pending}}
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            self._snapshot = Snapshot(seq, version, data, text, (), pending)
            self._digest = digest
            self._cond.notify_all()
        n, m = len(data["nodes"]["id"]), len(data["events"]["s"])
        self.report(f"map updated: {n} actors, {m} events" +
                    (" (clusters and ranks follow)" if pending else ""))
        return self._snapshot

    def _clear_problems(self) -> None:
        current = self.snapshot
        if current.problems:
            self.show_problems([])

    def _remember(self, view, analysis: Analysis) -> None:
        ids = [str(i) for i in view.nodes.index]
        table = analysis.table.drop(columns=[c for c in ("label", "kind") if c in analysis.table.columns])
        xy = None if analysis.xy is None else {i: (float(x), float(y)) for i, (x, y) in zip(ids, analysis.xy)}
        self._figures = _Figures(table, dict(zip(ids, analysis.cluster)), analysis.method, xy, analysis.names)

    def _carried(self, view) -> Analysis:
        """Last run's centrality and clusters for the actors of ``view`` (new actors: 0, unaligned)."""
        old = self._figures
        table = old.table.reindex(view.nodes.index).fillna(0)
        cluster = [int(old.cluster.get(str(i), 0)) for i in view.nodes.index]
        return Analysis(table, cluster, old.method, self._positions(view), old.names)

    def _positions(self, view) -> np.ndarray | None:
        """Last run's positions; a new actor goes beside the known actors it has events with, or on a
        ring just outside the drawing when it has none."""
        if self._figures is None or self._figures.xy is None:
            return None
        known = self._figures.xy
        ids = [str(i) for i in view.nodes.index]
        xy = np.array([known.get(i, (np.nan, np.nan)) for i in ids], dtype=float).reshape(-1, 2)
        new = np.flatnonzero(np.isnan(xy[:, 0]))
        if not len(new):
            return xy
        src, dst = view.events["source"].to_numpy(dtype=object), view.events["target"].to_numpy(dtype=object)
        ends = pd.DataFrame({"actor": np.concatenate([src, dst]), "other": np.concatenate([dst, src])})
        ends = ends[ends["actor"].isin([ids[k] for k in new]) & ends["other"].isin(list(known))]
        at = np.array([known[o] for o in ends["other"]], dtype=float).reshape(-1, 2)
        beside = pd.DataFrame({"actor": ends["actor"].to_numpy(), "x": at[:, 0], "y": at[:, 1]}).groupby("actor").mean()
        drawn = xy[~np.isnan(xy[:, 0])]
        radius = float(np.hypot(drawn[:, 0], drawn[:, 1]).max()) + _RING_GAP if len(drawn) else _RING_GAP
        for turn, k in enumerate(new):
            angle = turn * 2.39996  # golden angle: newcomers spread evenly
            if ids[k] in beside.index:
                x, y = beside.loc[ids[k]]
                xy[k] = (x + 60 * np.cos(angle), y + 60 * np.sin(angle))
            else:
                xy[k] = (radius * np.cos(angle), radius * np.sin(angle))
        return np.round(xy, 1)
