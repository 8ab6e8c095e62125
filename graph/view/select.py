"""From a data set to the view an analysis works on: filters, roll-up to states, signed ties, graphs.

Window rule: an event's date is a span (``2025-07`` is July 1-31, ``2020`` the whole year; see
``graph.store.dates``). An event is inside ``--since/--until`` when its span overlaps the window, so an event
dated only ``2025-07`` counts in a window that ends on 2025-07-10 and in one that starts on 2025-07-20.
Undated rows are standing relations and count in every window.

Signed ties: a pair's tie is the sum of its events' weights (row override, else the type's default),
neutral events excluded (they carry structure, not sign). With ``half_life`` each weight is multiplied by
``0.5 ** (age / half_life)``, the age in days from the middle of the event's span to the reference day
(the window's end if given, else the latest first day of any event's date in the whole data set; ages
below zero count as zero); undated events are not discounted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import networkx as nx
import numpy as np
import pandas as pd

from graph.store.dates import parse_span
from graph.errors import ActorgraphError, NotFound
from graph.store.dataset import KINDS, Dataset, suggest
from graph.view.engine import SPAN_COLUMNS, EngineData, Selection

LEVELS = ("actor", "state")


@dataclass(frozen=True)
class Filters:
    """What part of the data an analysis looks at. Every field is optional."""

    since: str | None = None
    until: str | None = None
    types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    level: str = "actor"
    half_life: float | None = None
    ego: str | None = None
    depth: int = 1
    dated_only: bool = False

    def with_window(self, since: str | None, until: str | None) -> "Filters":
        """The same filters over another window."""
        return replace(self, since=since, until=until)


@dataclass
class View:
    """The actors and events an analysis sees after filtering.

    ``nodes`` is indexed by id (columns as in ``Dataset.nodes``); ``events`` has one row per event with
    ``source``, ``target``, ``type``, ``polarity``, ``directed``, ``weight`` (after any decay),
    ``start``/``end``, ``date``, ``note``, ``citation``, ``line`` and any extra columns.

    A view of an event store has ``events = None``: its ``engine`` answers for them under
    ``selection``. Analyses read the pair table (``graph.view.pairs.pair_table``) and the methods
    below, which work on both kinds of view; only code that needs every event reads ``events``.
    """

    nodes: pd.DataFrame
    events: pd.DataFrame | None
    types: pd.DataFrame
    filters: Filters
    engine: object | None = None
    selection: Selection | None = None

    @property
    def in_memory(self) -> bool:
        return self.events is not None

    def all_events(self) -> pd.DataFrame:
        """Every event of the view; for a store view, only when the engine can hand them over."""
        if self.events is not None:
            return self.events
        raise ActorgraphError(f"this needs every event in memory, but the events stay with the "
                              f"{self.engine.name} engine; narrow the selection or convert the store to "
                              "CSV (actorgraph convert --to csv)")

    def events_touching(self, actors) -> pd.DataFrame:
        """The view's events with an end among ``actors`` (ids), in data order."""
        if self.events is None:
            return self.engine.events(self.selection, touching=list(actors))
        ev = self.events
        wanted = set(actors)
        return ev[ev["source"].isin(wanted) | ev["target"].isin(wanted)]

    def events_between(self, pairs) -> pd.DataFrame:
        """The view's events joining one of ``pairs`` (unordered pairs of ids), in data order."""
        wanted = {tuple(sorted(p)) for p in pairs}
        if self.events is None:
            return self.engine.events(self.selection, between=sorted(wanted))
        ev = self.events
        lo = np.where(ev["source"] < ev["target"], ev["source"], ev["target"])
        hi = np.where(ev["source"] < ev["target"], ev["target"], ev["source"])
        return ev[pd.Series(list(zip(lo, hi)), index=ev.index, dtype=object).isin(wanted)]

    def spans(self, pair: tuple[str, str] | None = None) -> pd.DataFrame:
        """Events summed per date span and polarity (see ``graph.view.engine.Engine.spans``)."""
        if self.events is None:
            return self.engine.spans(self.selection, pair)
        ev = self.events
        if pair is not None:
            a, b = pair
            ev = ev[((ev["source"] == a) & (ev["target"] == b)) | ((ev["source"] == b) & (ev["target"] == a))]
        return span_sums(ev)

    def date_range(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """Earliest and latest start of a dated event in the view."""
        if self.events is None:
            return self.engine.date_range(self.selection)
        starts = self.events["start"].dropna()
        return (starts.min(), starts.max()) if len(starts) else (None, None)


def span_sums(events: pd.DataFrame) -> pd.DataFrame:
    """Events summed per (start, end, polarity): ``events`` and ``weight`` (|weight|); undated rows keep NaT."""
    if not len(events):
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            SPAN_COLUMNS, ("datetime64[ns]", "datetime64[ns]", object, "int64", "float64"))})
    frame = pd.DataFrame({"start": events["start"], "end": events["end"], "polarity": events["polarity"],
                          "weight": np.abs(events["weight"].to_numpy(dtype=float))})
    out = (frame.groupby(["start", "end", "polarity"], dropna=False, sort=True)
           .agg(events=("weight", "size"), weight=("weight", "sum")).reset_index())
    return out[list(SPAN_COLUMNS)]


def roots(nodes: pd.DataFrame) -> pd.Series:
    """Map every actor id to the root of its affiliation chain (itself when unaffiliated).

    Assumes validated data (no loops, every affiliation known).

    >>> n = pd.DataFrame({"affiliation": ["", "a", "b"]}, index=["a", "b", "c"])
    >>> roots(n).to_dict()
    {'a': 'a', 'b': 'a', 'c': 'a'}
    """
    parent = {i: a for i, a in zip(nodes.index, nodes["affiliation"]) if a}
    result = {}
    for node in nodes.index:
        chain = [node]
        while chain[-1] in parent and chain[-1] not in result:
            chain.append(parent[chain[-1]])
        top = result.get(chain[-1], chain[-1])
        for n in chain:
            result[n] = top
    return pd.Series(result, dtype=object).reindex(nodes.index)


def window_bounds(since: str | None, until: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last day of a ``--since``/``--until`` window (None for an open end)."""
    try:
        lo = pd.Timestamp(parse_span(since)[0]) if since else None
        hi = pd.Timestamp(parse_span(until)[1]) if until else None
    except ValueError as exc:
        raise ActorgraphError(f"--since/--until: {exc}") from None
    if lo is not None and hi is not None and lo > hi:
        raise ActorgraphError(f"--since {since} is after --until {until}; swap them")
    return lo, hi


def _check_known(values, known, what: str) -> None:
    for value in values:
        if value not in known:
            raise NotFound(f"unknown {what} '{value}'{suggest(value, list(known))}")


def ego_nodes(events: pd.DataFrame, center: str, depth: int) -> set[str]:
    """Actors within ``depth`` events of ``center``, ignoring direction."""
    g = nx.Graph()
    g.add_node(center)
    g.add_edges_from(zip(events["source"], events["target"]))
    return set(nx.single_source_shortest_path_length(g, center, cutoff=depth))


def decay_reference(ds) -> pd.Timestamp:
    """The day ages are counted to when no --until is given: the latest first day of any event's date.

    Taken from the whole data set, so filters do not move it, and from span starts, so an event dated
    only by year does not push it to 31 December.
    """
    if isinstance(ds, Dataset):
        return ds.edges["start"].max()
    return ds.engine.date_range(None)[1]


def apply_selection(edges: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    """The pandas engine: ``Dataset.edges`` filtered, rolled up and decayed as ``sel`` says."""
    events = edges
    keep = np.ones(len(events), dtype=bool)
    dated = events["start"].notna()
    if sel.lo is not None:
        keep &= ~dated | (events["end"] >= sel.lo)
    if sel.hi is not None:
        keep &= ~dated | (events["start"] <= sel.hi)
    if sel.dated_only:
        keep &= dated.to_numpy()
    if sel.types:
        keep &= events["type"].isin(sel.types)
    # A new frame (assigning its columns never touches the data set's) whose data is copied only
    # when written to (pandas copies on write): nothing to copy when every event is kept.
    events = events.copy(deep=False) if keep.all() else events[keep]
    if sel.rollup is not None:
        events["source"] = events["source"].map(sel.rollup)
        events["target"] = events["target"].map(sel.rollup)
        events = events[events["source"] != events["target"]]
    if sel.actors is not None:
        events = events[events["source"].isin(sel.actors) & events["target"].isin(sel.actors)]
    if sel.half_life is not None and len(events):
        middle = events["start"] + (events["end"] - events["start"]) / 2
        age = ((sel.reference - middle).dt.total_seconds() / 86400.0).clip(lower=0).fillna(0.0)
        events = events.assign(weight=events["weight"] * np.power(0.5, age / sel.half_life))
    return events.reset_index(drop=True)


def select(ds: Dataset | EngineData, filters: Filters = Filters()) -> View:
    """Apply ``filters`` to a data set: window, types, roll-up to states, kinds, ego, decay.

    ``ds`` is a ``Dataset`` (events filtered here with pandas) or an ``EngineData`` (an event store:
    the filters become a ``Selection`` its engine applies). Raises ``NotFound`` for unknown types,
    kinds or ego ids and ``ActorgraphError`` for bad dates or levels, each with a one-line reason.
    """
    f = filters
    if f.level not in LEVELS:
        raise ActorgraphError(f"unknown level '{f.level}'; use one of {', '.join(LEVELS)}")
    _check_known(f.types, set(ds.types.index), "type")
    _check_known(f.kinds, KINDS, "kind")
    if f.half_life is not None and not (f.half_life > 0 and np.isfinite(f.half_life)):
        raise ActorgraphError("--half-life must be a positive number of days")
    lo, hi = window_bounds(f.since, f.until)
    sel = Selection(lo=lo, hi=hi, types=tuple(f.types), dated_only=f.dated_only)
    nodes = ds.nodes
    if f.level == "state":
        up = roots(nodes)
        sel = replace(sel, rollup=up.to_dict())
        nodes = nodes[nodes.index.isin(set(up))]
    if f.kinds:
        nodes = nodes[nodes["kind"].isin(f.kinds)]
        sel = replace(sel, actors=frozenset(nodes.index))
    in_memory = isinstance(ds, Dataset)
    if f.ego is not None:
        if f.ego not in nodes.index:
            raise NotFound(f"unknown actor '{f.ego}'{suggest(f.ego, list(nodes.index))}")
        if in_memory:
            near = ego_nodes(apply_selection(ds.edges, sel), f.ego, f.depth)
        else:
            near = ego_of_pairs(ds.engine.pairs(pd.Index(nodes.index), sel), f.ego, f.depth)
        nodes = nodes[nodes.index.isin(near)]
        sel = replace(sel, actors=frozenset(near))
    if f.half_life is not None:
        sel = replace(sel, half_life=f.half_life, reference=hi if hi is not None else decay_reference(ds))
    if in_memory:
        return View(nodes, apply_selection(ds.edges, sel), ds.types, f, selection=sel)
    return View(nodes, None, ds.types, f, engine=ds.engine, selection=sel)


def ego_of_pairs(pairs, center: str, depth: int) -> set[str]:
    """Actors within ``depth`` steps of ``center`` in a pair table, ignoring direction."""
    joined, _ = pairs.undirected()
    ids = np.asarray(pairs.nodes, dtype=object)
    g = nx.Graph()
    g.add_node(center)
    g.add_edges_from(zip(ids[joined[:, 0]], ids[joined[:, 1]]))
    return set(nx.single_source_shortest_path_length(g, center, cutoff=depth))


def signed_ties(view: View, pairs=None) -> pd.DataFrame:
    """One row per unordered pair with signed events: ``u``, ``v`` (u < v), ``weight`` (the summed
    signed tie), ``events`` (how many signed events). Neutral events and self-loops are left out.
    ``pairs`` is the view's ``pair_table`` when the caller already has it."""
    from graph.view.pairs import pair_table

    return (pairs if pairs is not None else pair_table(view)).signed()


def signed_graph(view: View, pairs=None) -> nx.Graph:
    """Undirected graph of every actor in the view; edges carry the signed tie as ``weight``.

    Pairs whose events sum to exactly zero keep an edge with weight 0 (they are related but balanced).
    Actors with no signed tie are isolated nodes: the unaligned.
    """
    g = nx.Graph()
    for node_id, label, kind in zip(view.nodes.index, view.nodes["label"], view.nodes["kind"]):
        g.add_node(node_id, label=label, kind=kind)
    ties = signed_ties(view, pairs)
    g.add_weighted_edges_from(zip(ties["u"], ties["v"], ties["weight"].astype(float)))
    for u, v, n in zip(ties["u"], ties["v"], ties["events"]):
        g.edges[u, v]["events"] = int(n)
    return g


EVENT_ATTRIBUTES = ("type", "polarity", "directed", "weight", "date", "note", "citation", "line")


def event_graph(view: View) -> nx.MultiDiGraph:
    """Every event as an arc (source → target) with its attributes; node attributes from nodes.csv.

    Undirected events appear once, from source to target, with ``directed=False``; algorithms that
    need both directions add the reverse themselves.
    """
    g = nx.MultiDiGraph()
    for node_id, row in view.nodes.iterrows():
        g.add_node(node_id, **{k: v for k, v in row.items() if k not in ("id", "line")})
    cols = [c for c in EVENT_ATTRIBUTES if c in view.events.columns]
    for s, t, *values in view.events[["source", "target", *cols]].itertuples(index=False):
        g.add_edge(s, t, **dict(zip(cols, values)))
    return g
