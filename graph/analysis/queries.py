"""Questions about particular actors: one actor's profile, and the chains of events linking two actors."""

from __future__ import annotations

from itertools import islice

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import ActorgraphError, NotFound
from graph.view.pairs import pair_table
from graph.analysis.centrality import DEFAULT_METRICS, centrality_table, ranks
from graph.store.dataset import suggest

ACTOR_FIELDS = ("id", "label", "kind", "affiliation", "aliases", "description")
#: Metrics whose rank a profile shows.
PROFILE_METRICS = (*DEFAULT_METRICS, "eigenvector")


def require_actor(view, actor_id: str) -> None:
    """Raise ``NotFound`` (with a did-you-mean) unless ``actor_id`` is an actor of the view."""
    if actor_id not in view.nodes.index:
        raise NotFound(f"unknown actor '{actor_id}'{suggest(actor_id, list(view.nodes.index))}"
                       + (" at --level state" if view.filters.level == "state" else ""))


def _in_date_order(events: pd.DataFrame) -> pd.DataFrame:
    """Undated (standing) events first, then by first day of the date span, then data order (the
    order the view gives them in: edges.csv's lines, a store's order)."""
    return events.assign(_undated=events["start"].notna()).sort_values(
        ["_undated", "start", "end"], kind="stable").drop(columns="_undated")


def _direction(source: str, target: str, directed: bool, actor: str) -> str:
    if not directed:
        return "mutual"
    if source == target:
        return "self"
    return "out" if source == actor else "in"


def profile(view, actor_id: str, blocs=None) -> dict:
    """An actor's profile: its fields, its events in date order, its centrality ranks and its cluster.

    ``events`` are dicts with ``date, type, polarity, weight, direction`` (``out`` when the actor acts,
    ``in`` when acted upon, ``mutual`` for undirected events, ``self``), ``counterpart``, its label,
    ``note``, ``citation`` and ``line`` (in edges.csv). ``centrality`` maps each of ``PROFILE_METRICS``
    to ``{"value", "rank"}`` among ``actors`` actors (1 = highest, ties share the best rank).
    ``cluster`` is the actor's 1-based alignment bloc (``graph.analysis.alignment``, under ``blocs``, a
    ``BlocSettings``), ``None`` when in none; ``bloc`` its name ("Russia's bloc"), "(apart)" for an
    actor standing apart, ``None`` when unaligned.
    """
    from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view

    require_actor(view, actor_id)
    node = view.nodes.loc[actor_id]
    info = {f: str(node.get(f, "")) for f in ACTOR_FIELDS}
    info["id"] = actor_id
    mine = _in_date_order(view.events_touching([actor_id]))
    labels = view.nodes["label"]
    events = []
    for row in mine.itertuples(index=False):
        other = row.target if row.source == actor_id else row.source
        events.append({
            "date": row.date, "type": row.type, "polarity": row.polarity, "weight": float(row.weight),
            "direction": _direction(row.source, row.target, bool(row.directed), actor_id),
            "counterpart": other, "counterpart_label": str(labels.get(other, other)),
            "note": row.note, "citation": row.citation, "line": int(row.line),
        })
    pairs = pair_table(view)  # aggregated once, read by centrality and blocs alike
    table = centrality_table(view, list(PROFILE_METRICS), pairs=pairs)
    rank = ranks(table)
    centrality = {m: {"value": float(table.loc[actor_id, m]), "rank": int(rank.loc[actor_id, m])}
                  for m in PROFILE_METRICS}
    alignment = blocs_of_view(view, blocs or BlocSettings(), pairs=pairs)
    cluster = alignment.cluster_of.get(actor_id)
    bloc = alignment.names[cluster - 1] if cluster else ("(apart)" if actor_id in alignment.apart else None)
    return {**info, "actors": len(view.nodes), "events": events, "centrality": centrality,
            "cluster": cluster, "bloc": bloc, "cluster_members": alignment.clusters[cluster - 1] if cluster else [],
            "cluster_method": alignment.method}


def paths(view, a: str, b: str, limit: int = 10, pairs=None) -> list[dict]:
    """The shortest chains of events linking ``a`` to ``b`` (direction ignored), at most ``limit`` of them.

    Each chain is ``{"actors": [a, ..., b], "steps": [...]}``; each step is ``{"source", "target",
    "events": [...]}`` listing every event joining that pair (either direction, date order) with
    ``source, target, date, type, polarity, note, citation``. Chains come in a stable order (networkx's
    breadth-first order over actors sorted by id). No chain gives an empty list. ``pairs`` is the view's
    ``pair_table`` when the caller already has it.
    """
    require_actor(view, a)
    require_actor(view, b)
    if a == b:
        raise ActorgraphError(f"'{a}' is both ends of the path; give two different actors")
    if limit < 1:
        raise ActorgraphError("--limit must be a positive number of paths")
    if pairs is None:
        pairs = pair_table(view)
    joined, _ = pairs.undirected()
    ids = np.asarray(pairs.nodes, dtype=object)
    g = nx.Graph()
    g.add_nodes_from(sorted(view.nodes.index))
    g.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in zip(ids[joined[:, 0]], ids[joined[:, 1]])))
    try:
        found = list(islice(nx.all_shortest_paths(g, a, b), limit))
    except nx.NetworkXNoPath:
        return []
    wanted = {tuple(sorted(step)) for chain in found for step in zip(chain, chain[1:])}
    ev = view.events_between(wanted)
    lo = np.where(ev["source"] < ev["target"], ev["source"], ev["target"])
    hi = np.where(ev["source"] < ev["target"], ev["target"], ev["source"])
    chosen = _in_date_order(ev.assign(pair_key=list(zip(lo, hi))))
    by_pair: dict[tuple, list[dict]] = {}
    for row in chosen.itertuples(index=False):
        by_pair.setdefault(row.pair_key, []).append({
            "source": row.source, "target": row.target, "date": row.date, "type": row.type,
            "polarity": row.polarity, "note": row.note, "citation": row.citation})
    return [{"actors": chain,
             "steps": [{"source": u, "target": v, "events": by_pair[tuple(sorted((u, v)))]}
                       for u, v in zip(chain, chain[1:])]}
            for chain in found]
