"""The one entry point every command uses to find the alignment blocs of a view.

``blocs_of_view(view, settings)`` builds the signed ties the model uses (the view's per-pair table,
plus the affiliation ties at actor level) and solves them; ``clusters``, ``show``, ``html``, ``export``
and blocs over time all call it, so a setting means the same thing everywhere.

The model. A pair's tie is the summed signed weight of its events (``graph.view.pairs``). At actor
level, an actor's ``affiliation`` (Putin → Russia, Sputnik Azerbaijan → Russia) adds a cooperative tie
of ``affiliation_weight`` between the two: it speaks for what it belongs to. The default, 10, is the
top of the weight scale, as strong as the strongest single event, so an official or agency stands
with its state unless its own ties pull harder the other way; where they do not, its contrary ties show
among the frustrated ties. Like an undated event it is a standing relation and counts in every window.
At ``--level state`` every actor is rolled up into its root, so there are no affiliation ties.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # the solver stack (scipy, igraph) loads only when blocs are computed
    from graph.analysis.alignment.blocs import Alignment

#: Default tolerance of the fewest-blocs rule: 1% of the total |tie| over the free optimum.
TOLERANCE = 0.01


@dataclass(frozen=True)
class BlocSettings:
    """How blocs are found.

    ``max_clusters`` caps the number of clusters (at most K). Without a cap, ``free`` takes the free
    optimum (any number of clusters), else the fewest clusters whose frustration is within
    ``tolerance`` x total |tie| of it. ``affiliation_weight`` is the cooperative tie an affiliation
    adds at actor level (0: none).
    """

    max_clusters: int | None = None
    time_limit: float = 60.0
    seed: int = 0
    affiliation_weight: float = 10.0
    tolerance: float = TOLERANCE
    free: bool = False


def model_ties(view, settings: BlocSettings = BlocSettings(), pairs=None):
    """``(nodes, u, v, w)``: the view's actors (sorted ids) and its signed ties as the model sees them
    (event ties plus affiliation ties at actor level), ``u < v`` positions (int32 when they fit), sorted
    by (u, v), nonzero weights.

    The pair table's ties are already sorted and unique, so the few affiliation ties are merged into
    them by binary search: an affiliation of a pair with events adds to its weight, a new pair is
    inserted in its place; no tie-sized sort or hash."""
    from graph.view.pairs import pair_table

    arrays = (pairs if pairs is not None else pair_table(view)).signed_arrays()
    ids, u, v, weight = arrays[:4]
    del arrays  # the events column is not needed: let it go
    n = len(ids)
    index_type = np.int32 if n < 2 ** 31 else np.int64
    # Each array is replaced one at a time, so at most one tie-sized copy exists beside the ties.
    u, v, weight = u.astype(index_type, copy=False), v.astype(index_type, copy=False), weight.astype(float, copy=False)
    if settings.affiliation_weight and view.filters.level == "actor":
        index = pd.Index(ids, dtype=object)
        actor = index.get_indexer(view.nodes.index.to_numpy(dtype=object))
        parent = index.get_indexer(view.nodes["affiliation"].to_numpy(dtype=object))
        linked = (actor >= 0) & (parent >= 0) & (parent != actor)
        at, new_u, new_v, new_w, added = _placement(n, u, v, np.minimum(actor, parent)[linked],
                                                    np.maximum(actor, parent)[linked], float(settings.affiliation_weight))
        u = np.insert(u, at, new_u)
        v = np.insert(v, at, new_v)
        weight = np.insert(weight, at, new_w)
        np.add.at(weight, added, float(settings.affiliation_weight))  # one at a time, in order: a running sum
    if len(u):  # drop what sums to nothing
        scale = max(1.0, max(float(np.abs(weight[part]).max()) for part in _chunks(len(u))))
        keep = np.concatenate([np.abs(weight[part]) > 1e-9 * scale for part in _chunks(len(u))])
        if not keep.all():
            u = u[keep]
            v = v[keep]
            weight = weight[keep]
    return ids.tolist(), u, v, weight


def _chunks(m: int, size: int = 4_000_000):
    return [slice(i, min(i + size, m)) for i in range(0, m, size)]


def _placement(n: int, u: np.ndarray, v: np.ndarray, eu: np.ndarray, ev: np.ndarray, extra: float):
    """Where the ties ``(eu, ev)`` (eu < ev, each adding ``extra``; a repeated pair adds it again) go
    among the sorted unique ties ``(u, v)``: ``(at, new_u, new_v, new_w, added)``, the pairs not yet
    tied to insert before ``at`` (``np.insert``) with their weights, and the positions, in the
    array after insertion, of the tied pairs to add ``extra`` to (repeated for a repeated pair)."""
    key = eu.astype(np.int64) * n + ev
    pairs, times = np.unique(key, return_counts=True)
    pu, pv = (pairs // n).astype(u.dtype), (pairs % n).astype(v.dtype)  # u's type: no converted copy of u
    lo, hi = np.searchsorted(u, pu, side="left"), np.searchsorted(u, pu, side="right")
    # within row pu, the place of pv among the row's sorted v's
    at = lo + np.array([np.searchsorted(v[a:b], t) for a, b, t in zip(lo.tolist(), hi.tolist(), pv.tolist())],
                       dtype=np.int64)
    found = at < hi
    found[found] = v[at[found]] == pv[found]
    new = ~found
    shift = np.searchsorted(at[new], at[found], side="right")  # pairs inserted before each tied one
    return at[new], pu[new], pv[new], extra * times[new], np.repeat(at[found] + shift, times[found])


def blocs_of_view(view, settings: BlocSettings = BlocSettings(), pairs=None) -> Alignment:
    """The alignment blocs of ``view`` under ``settings``; ``pairs`` is the view's ``pair_table``
    when the caller already has it (a command aggregates once)."""
    from graph.analysis.alignment.blocs import alignment_of_ties

    nodes, u, v, w = model_ties(view, settings, pairs)
    tolerance = None if settings.free or settings.max_clusters is not None else settings.tolerance
    al = alignment_of_ties(nodes, u, v, w, max_clusters=settings.max_clusters, time_limit=settings.time_limit,
                           seed=settings.seed, tolerance=tolerance)
    al.names = bloc_names(al, view.nodes["label"], (nodes, u, v, w))
    return al


def bloc_names(al: Alignment, labels, ties=None) -> list[str]:
    """Each bloc named after its most central member: the one with the largest total cooperative tie
    to fellow members (ties broken by its total |tie| to anyone, then by id). Names are unique: a
    label shared by two leaders gets its id added. ``ties`` is ``(nodes, u, v, w)`` as ``model_ties``
    gives it (the ties ``al`` was solved on); without it they are read from ``al``'s tie arrays (or
    its ``ties`` list)."""
    if ties is None and len(getattr(al, "tie_u", ())):
        nodes, u, v, w = al.nodes.tolist(), al.tie_u, al.tie_v, al.tie_w
    elif ties is None:
        nodes = sorted({x for u, v, _ in al.ties for x in (u, v)}, key=str)
        index = {a: i for i, a in enumerate(nodes)}
        u = np.array([index[x] for x, _, _ in al.ties], dtype=np.int64)
        v = np.array([index[y] for _, y, _ in al.ties], dtype=np.int64)
        w = np.array([t for _, _, t in al.ties], dtype=float)
    else:
        nodes, u, v, w = ties
    n = len(nodes)
    cluster = np.array([al.cluster_of.get(a, 0) for a in nodes], dtype=np.int64)
    overall, inside = np.zeros(n), np.zeros(n)
    for part in _chunks(len(u)):  # a chunk at a time: no tie-sized temporaries on big graphs
        a, b, t = u[part], v[part], w[part]
        # Sums taken tie by tie, each tie adding to both ends in turn (bincount adds in array order).
        overall += np.bincount(np.column_stack([a, b]).ravel(), weights=np.repeat(np.abs(t), 2), minlength=n)
        held = (t > 0) & (cluster[a] > 0) & (cluster[a] == cluster[b])
        inside += np.bincount(np.column_stack([a[held], b[held]]).ravel(), weights=np.repeat(t[held], 2), minlength=n)
    position = {a: i for i, a in enumerate(nodes)}
    leaders = []
    for members in al.clusters:
        at = np.array([position[a] for a in members], dtype=np.int64)
        ids = np.array([str(a) for a in members], dtype=object)
        leaders.append(members[np.lexsort((ids, -overall[at], -inside[at]))[0]])
    names = [f"{labels.get(top, top)}'s bloc" for top in leaders]
    return [f"{name[:-len(' bloc')]} ({top}) bloc" if names.count(name) > 1 else name
            for name, top in zip(names, leaders)]
