"""The pandas engine behind the ``Engine`` protocol: a validated ``Dataset`` held in memory.

``select`` filters a ``Dataset`` directly; this wrapper answers the same questions through the engine
boundary, so code written for event stores can be run and tested on in-memory data, and so the other
engines have a reference to agree with (``tests/test_engines_agree.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graph.store.dataset import Dataset
from graph.view.edges import events_edge_table, latest_of
from graph.view.engine import EngineData, Selection
from graph.view.pairs import Pairs, events_pair_table
from graph.view.select import apply_selection, span_sums


class MemoryEngine:
    """Answers for the events of ``ds`` with pandas."""

    name = "pandas"

    def __init__(self, ds: Dataset):
        self.ds = ds

    def _selected(self, selection: Selection | None) -> pd.DataFrame:
        return apply_selection(self.ds.edges, selection or Selection())

    def pairs(self, nodes: pd.Index, selection: Selection) -> Pairs:
        return events_pair_table(pd.Index(nodes), self._selected(selection))

    def events(self, selection: Selection, touching=None, between=None, limit: int | None = None) -> pd.DataFrame:
        ev = self._selected(selection)
        keep = np.ones(len(ev), dtype=bool)
        if touching is not None:
            wanted = set(touching)
            keep &= (ev["source"].isin(wanted) | ev["target"].isin(wanted)).to_numpy()
        if between is not None:
            wanted_pairs = {tuple(sorted(p)) for p in between}
            lo = np.where(ev["source"] < ev["target"], ev["source"], ev["target"])
            hi = np.where(ev["source"] < ev["target"], ev["target"], ev["source"])
            keep &= np.array([(a, b) in wanted_pairs for a, b in zip(lo, hi)], dtype=bool)
        ev = ev[keep]
        return ev.head(limit) if limit is not None else ev

    def edges(self, nodes: pd.Index, selection: Selection) -> pd.DataFrame:
        return events_edge_table(pd.Index(nodes), self._selected(selection))

    def latest(self, selection: Selection, between, per_pair: int) -> pd.DataFrame:
        return latest_of(self.events(selection, between=between), per_pair)

    def spans(self, selection: Selection, pair: tuple[str, str] | None = None) -> pd.DataFrame:
        ev = self._selected(selection)
        if pair is not None:
            a, b = pair
            ev = ev[((ev["source"] == a) & (ev["target"] == b)) | ((ev["source"] == b) & (ev["target"] == a))]
        return span_sums(ev)

    def date_range(self, selection: Selection | None = None):
        starts = self._selected(selection)["start"].dropna()
        return (starts.min(), starts.max()) if len(starts) else (None, None)

    def close(self) -> None:
        pass


def memory_engine_data(ds: Dataset) -> EngineData:
    """``ds`` seen through the engine boundary (its events answered by a ``MemoryEngine``)."""
    return EngineData(ds.folder, ds.nodes, ds.types, MemoryEngine(ds), ds.extra_columns)
