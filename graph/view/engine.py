"""The boundary between what an analysis asks for and where the events live.

A CSV folder is read into memory (``Dataset``) and ``select`` filters its events with pandas. An event
store (Parquet files under ``events/``) keeps its events with an engine (DuckDB, Spark): ``select``
then resolves the filters into a :class:`Selection` (engine-neutral terms that an engine pushes down
into its queries) and the :class:`View` asks the engine for the few results the commands need:

* ``pairs``: the view's events aggregated per pair (``graph.view.pairs.Pairs``), which every analysis
  reads (centrality, blocs, paths, layout);
* ``events``: the events of a few actors or pairs (``show``, ``path``, a large map's panel);
* ``spans``: events summed per date span and polarity (``timeline``);
* ``edges`` and ``latest``: a few actors' events summed per edge, and a few pairs' latest events (a map
  of the top N actors, an aggregated export; pandas reference in ``graph.view.edges``);
* ``date_range``: the first and last day an event starts on (decay reference, periods of blocs over time).

Results must be identical across engines: ``tests/test_engines_agree.py`` compares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

#: Columns of an engine's ``spans`` result.
SPAN_COLUMNS = ("start", "end", "polarity", "events", "weight")


@dataclass(frozen=True, eq=False)
class Selection:
    """Filters resolved into terms an engine can push down (see ``graph.view.select.select``).

    Applied in this order, as the pandas path does:

    1. window: keep undated events (unless ``dated_only``) and events whose span ``[start, end]``
       overlaps ``[lo, hi]`` (either bound may be None);
    2. ``types``: keep only these types (empty: all);
    3. ``rollup`` (level ``state``): replace source and target by their root (a mapping id -> root
       covering every actor) and drop events whose two ends then coincide;
    4. ``actors``: keep only events whose (rolled-up) ends are both in this set (None: all);
    5. decay: with ``half_life``, multiply each weight by ``0.5 ** (age / half_life)``, age in days from
       the middle of the span to ``reference``, clipped at 0; undated events keep their weight.

    An event's weight is its row's ``weight`` when set, else its type's default; its polarity and
    direction come from its type.
    """

    lo: pd.Timestamp | None = None
    hi: pd.Timestamp | None = None
    types: tuple[str, ...] = ()
    dated_only: bool = False
    rollup: dict[str, str] | None = None
    actors: frozenset[str] | None = None
    half_life: float | None = None
    reference: pd.Timestamp | None = None


class Engine(Protocol):
    """What an engine answers about the events of a data folder. Every method takes the view's actor
    ids (``nodes``, an Index in view order) where positions matter, and a ``Selection``."""

    name: str

    def pairs(self, nodes: pd.Index, selection: Selection):
        """The selected events aggregated per pair: a ``graph.view.pairs.Pairs`` whose ``source`` and
        ``target`` are positions in ``nodes``, equal (up to float summation order) to
        ``pair_table`` of the same view made in memory."""

    def events(self, selection: Selection, touching=None, between=None, limit: int | None = None) -> pd.DataFrame:
        """Selected events (columns as ``View.events``) with an end in ``touching`` (actor ids) or
        joining a pair of ``between`` (unordered pairs of ids); None means no such restriction."""

    def spans(self, selection: Selection, pair: tuple[str, str] | None = None) -> pd.DataFrame:
        """Selected events (only those between ``pair``'s two actors, either way, when given) summed per
        ``start``, ``end`` (NaT for undated) and ``polarity``: ``events`` (count) and ``weight`` (summed
        |weight| after decay). Columns ``SPAN_COLUMNS``."""

    def edges(self, nodes: pd.Index, selection: Selection) -> pd.DataFrame:
        """The selected events summed per source, target, directed and polarity: columns
        ``graph.view.edges.EDGE_COLUMNS``, ``source``/``target`` positions in ``nodes`` (the caller
        restricts ``selection.actors`` to them), equal to ``graph.view.edges.events_edge_table`` of the
        same events: rows sorted by source, target, directed, polarity; ``first``/``last`` the earliest
        ``start`` and latest ``end`` (NaT when no event of the edge is dated)."""

    def latest(self, selection: Selection, between, per_pair: int) -> pd.DataFrame:
        """The latest ``per_pair`` selected events of each pair of ``between`` (unordered pairs of ids),
        columns as ``View.events``, in the order of ``graph.view.edges.latest_of``: pairs by id, newest
        first by ``start`` then ``end`` (undated last), ties broken by ``LATEST_TIES``."""

    def date_range(self, selection: Selection | None = None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The earliest and latest ``start`` of any dated event (of the selection, or of all events)."""

    def close(self) -> None:
        """Release connections and temporary files."""


@dataclass
class EngineData:
    """A data folder whose events stay with an engine: actors and types in memory, events queried.

    ``nodes`` and ``types`` are validated frames as in ``Dataset``; ``engine`` answers for the events.
    """

    folder: Path
    nodes: pd.DataFrame
    types: pd.DataFrame
    engine: Engine
    extra_columns: dict[str, list[str]] | None = None
