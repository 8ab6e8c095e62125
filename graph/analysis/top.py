"""The top N actors of a view by a centrality metric, and the edges among them: a large map's content.

The ranking reads the view's whole pair table (``graph.view.pairs.pair_table``), so the top N are the
N highest actors of the whole selection, not of some sample; the edges among them are the view's events
summed per source, target, direction and polarity (``graph.view.edges.edge_table``). For an event store
both are answered by its engine: no event is brought into memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from graph.errors import ActorgraphError
from graph.progress import SILENT

#: Actors a map of an event store shows when no --top is given.
DEFAULT_TOP = 300
#: The metric the top N are chosen by when no --top-by is given: the events an actor takes part in.
DEFAULT_TOP_BY = "degree"


@dataclass
class TopGraph:
    """``ids``: the top actors, highest first; ``table``: the centrality of every actor of the view
    (``label``, ``kind``, the metrics), so ranks are ranks in the whole selection; ``edges``: the
    ``edge_table`` among ``ids`` (positions in ``ids``); ``pairs``: the view's whole pair table."""

    ids: pd.Index
    by: str
    table: pd.DataFrame
    edges: pd.DataFrame
    pairs: object

    @property
    def actors(self) -> int:
        """Actors in the whole selection."""
        return len(self.table)

    @property
    def events(self) -> int:
        """Events in the whole selection."""
        return self.pairs.events_total()


def top_ids(table: pd.DataFrame, n: int, by: str) -> pd.Index:
    """The ``n`` actors highest by ``by`` (ties by id) among those with at least one event (``degree``
    above 0): an actor with no event in the selection is no part of its picture."""
    from graph.analysis.centrality import ranked

    if n < 1:
        raise ActorgraphError("--top must be a positive number of actors")
    active = table[table["degree"] > 0]
    return pd.Index(ranked(active, by, n).index)


def top_graph(view, n: int, by: str = DEFAULT_TOP_BY, metrics=(), pairs=None, progress=SILENT) -> TopGraph:
    """The top ``n`` actors of ``view`` by metric ``by`` and the edges among them; ``metrics`` are
    computed besides (for every actor), ``pairs`` is the view's pair table when the caller has it."""
    from graph.analysis.centrality import centrality_table, check_metrics
    from graph.view.edges import edge_table
    from graph.view.pairs import pair_table

    check_metrics([by])
    if by == "all":
        raise ActorgraphError("--top-by takes one metric, not 'all'")
    pairs = pairs if pairs is not None else pair_table(view)
    table = centrality_table(view, list(dict.fromkeys(["degree", by, *metrics])), progress=progress, pairs=pairs)
    ids = top_ids(table, n, by)
    return TopGraph(ids, by, table, edge_table(view, ids), pairs)


def sub_pairs(pairs, ids):
    """The pair table restricted to the pairs with both actors in ``ids``, positions renumbered to
    ``ids`` (for a layout of the top N that reads the same ties as the whole selection)."""
    return pairs.among(ids)
