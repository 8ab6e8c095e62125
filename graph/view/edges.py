"""A few actors' edges and latest events: what a map of the top N actors (or an aggregated export) draws.

``edge_table(view, actors)`` sums the view's events among ``actors`` per source, target, direction
and polarity (``EDGE_COLUMNS``): the edges of a large map, each standing for many events.
``latest_events(view, pairs, per_pair)`` fetches the latest few events of each of some pairs: what a
large map embeds for its side panel. A view of an event store asks its engine (``Engine.edges`` and
``Engine.latest``); an in-memory view is answered here, by the same pandas functions the in-memory
engine uses, so every engine has one reference to agree with.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

#: Columns of ``edge_table``; ``source`` and ``target`` are positions in the actors given.
EDGE_COLUMNS = ("source", "target", "directed", "polarity", "events", "weight", "magnitude", "first", "last")
#: Order of ``latest``: newest first by span, then these columns ascending so that ties are broken the
#: same way by every engine (data order differs between a CSV file and Parquet partitions).
LATEST_TIES = ("source", "target", "type", "note", "citation", "weight")


def events_edge_table(nodes: pd.Index, ev: pd.DataFrame) -> pd.DataFrame:
    """``ev`` (events whose two ends are in ``nodes``) summed per edge, sorted by ``source``, ``target``,
    ``directed``, ``polarity``.

    Directed events keep their direction; undirected events are stored once with ``source < target``
    (by position), as in ``graph.view.pairs.Pairs``. ``events`` counts the events, ``weight`` sums
    their weights (signed, after any decay), ``magnitude`` their absolute weights; ``first`` is the
    earliest first day and ``last`` the latest last day of their dates (NaT when none is dated).
    """
    src = nodes.get_indexer(ev["source"]).astype(np.int64)
    dst = nodes.get_indexer(ev["target"]).astype(np.int64)
    if len(ev) and (src.min() < 0 or dst.min() < 0):
        raise ValueError("events whose actors are not among the nodes given")
    directed = ev["directed"].to_numpy(dtype=bool)
    weight = ev["weight"].to_numpy(dtype=float)
    frame = pd.DataFrame({
        "source": np.where(directed, src, np.minimum(src, dst)),
        "target": np.where(directed, dst, np.maximum(src, dst)),
        "directed": directed,
        "polarity": ev["polarity"].to_numpy(dtype=object),
        "weight": weight,
        "magnitude": np.abs(weight),
        "first": ev["start"].to_numpy(),
        "last": ev["end"].to_numpy(),
    })
    out = (frame.groupby(["source", "target", "directed", "polarity"], sort=True)
           .agg(events=("weight", "size"), weight=("weight", "sum"), magnitude=("magnitude", "sum"),
                first=("first", "min"), last=("last", "max"))
           .reset_index())
    out["events"] = out["events"].astype(np.int64)
    return out[list(EDGE_COLUMNS)]


def edges_frame(got: pd.DataFrame, days) -> pd.DataFrame:
    """An engine's edge query result (``EDGE_COLUMNS``) in the dtypes of ``events_edge_table``;
    ``days(column)`` turns the engine's first/last dates into datetime64."""
    return pd.DataFrame({
        "source": got["source"].to_numpy(dtype=np.int64), "target": got["target"].to_numpy(dtype=np.int64),
        "directed": got["directed"].to_numpy(dtype=bool), "polarity": got["polarity"].astype(str).to_numpy(object),
        "events": got["events"].to_numpy(dtype=np.int64), "weight": got["weight"].to_numpy(dtype=float),
        "magnitude": got["magnitude"].to_numpy(dtype=float),
        "first": days(got["first"]).to_numpy(), "last": days(got["last"]).to_numpy()})[list(EDGE_COLUMNS)]


def latest_of(ev: pd.DataFrame, per_pair: int) -> pd.DataFrame:
    """The latest ``per_pair`` events of each unordered pair in ``ev``: newest first (by first day,
    then last day; undated events last), ties broken by ``LATEST_TIES``; pairs in id order."""
    if not len(ev):
        return ev
    src, dst = ev["source"].to_numpy(dtype=object), ev["target"].to_numpy(dtype=object)
    lo, hi = np.where(src < dst, src, dst), np.where(src < dst, dst, src)
    keys = ["_lo", "_hi", "start", "end", *LATEST_TIES]
    order = (ev.assign(_lo=lo, _hi=hi)
             .sort_values(keys, ascending=[True, True, False, False] + [True] * len(LATEST_TIES),
                          na_position="last", kind="stable"))
    return order.groupby(["_lo", "_hi"], sort=False).head(per_pair).drop(columns=["_lo", "_hi"])


def _narrowed(view, actors=None, polarity: str | None = None):
    """The view's selection restricted to ``actors`` and to the types of ``polarity``; None when no
    type of that polarity is selected (an empty ``types`` would mean every type)."""
    sel = view.selection
    if actors is not None:
        keep = frozenset(actors)
        sel = replace(sel, actors=keep if sel.actors is None else keep & sel.actors)
    if polarity is not None:
        types = [t for t, p in zip(view.types.index, view.types["polarity"]) if p == polarity]
        if sel.types:
            types = [t for t in types if t in set(sel.types)]
        if not types:
            return None
        sel = replace(sel, types=tuple(types))
    return sel


def edge_table(view, actors) -> pd.DataFrame:
    """The view's events whose two ends are among ``actors`` (ids), summed per edge (see
    ``events_edge_table``); ``source`` and ``target`` are positions in ``actors``."""
    ids = pd.Index(list(actors))
    if view.events is None:
        return view.engine.edges(ids, _narrowed(view, ids))
    ev = view.events
    return events_edge_table(ids, ev[ev["source"].isin(ids) & ev["target"].isin(ids)])


def _no_events() -> pd.DataFrame:
    return pd.DataFrame({"source": pd.Series(dtype=object), "target": pd.Series(dtype=object),
                         "type": pd.Series(dtype=object), "polarity": pd.Series(dtype=object),
                         "directed": pd.Series(dtype=bool), "weight": pd.Series(dtype=float),
                         "start": pd.Series(dtype="datetime64[ns]"), "end": pd.Series(dtype="datetime64[ns]"),
                         "date": pd.Series(dtype=object), "note": pd.Series(dtype=object),
                         "citation": pd.Series(dtype=object)})


def latest_events(view, pairs, per_pair: int, polarity: str | None = None) -> pd.DataFrame:
    """The latest ``per_pair`` events (of ``polarity`` only, when given) of each of ``pairs``
    (unordered pairs of ids), ordered as ``latest_of``; columns as ``View.events``."""
    wanted = sorted({tuple(sorted(p)) for p in pairs})
    if view.events is None:
        sel = _narrowed(view, polarity=polarity)
        if sel is None or not wanted:
            return _no_events()
        return view.engine.latest(sel, wanted, per_pair)
    ev = view.events_between(wanted)
    if polarity is not None:
        ev = ev[ev["polarity"] == polarity]
    return latest_of(ev, per_pair)
