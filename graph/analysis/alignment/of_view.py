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
    (event ties plus affiliation ties at actor level), ``u < v`` positions, nonzero weights."""
    from graph.view.pairs import pair_table

    ties = (pairs if pairs is not None else pair_table(view)).signed()
    nodes = sorted(view.nodes.index, key=str)
    index = {a: i for i, a in enumerate(nodes)}
    a = [index[x] for x in ties["u"]]
    b = [index[x] for x in ties["v"]]
    weight = ties["weight"].to_numpy(dtype=float).tolist()
    if settings.affiliation_weight and view.filters.level == "actor":
        for actor, parent in zip(view.nodes.index, view.nodes["affiliation"]):
            if parent and parent in index and parent != actor:
                a.append(index[actor])
                b.append(index[parent])
                weight.append(float(settings.affiliation_weight))
    a, b, weight = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64), np.asarray(weight, dtype=float)
    u, v = np.minimum(a, b), np.maximum(a, b)
    if len(u):  # sum the ties of a pair (events and affiliation), drop what sums to nothing
        key, inverse = np.unique(u * len(nodes) + v, return_inverse=True)
        weight = np.bincount(inverse, weights=weight, minlength=len(key))
        u, v = key // len(nodes), key % len(nodes)
        scale = max(1.0, float(np.abs(weight).max()))
        keep = np.abs(weight) > 1e-9 * scale
        u, v, weight = u[keep], v[keep], weight[keep]
    return nodes, u, v, weight


def blocs_of_view(view, settings: BlocSettings = BlocSettings(), pairs=None) -> Alignment:
    """The alignment blocs of ``view`` under ``settings``; ``pairs`` is the view's ``pair_table``
    when the caller already has it (a command aggregates once)."""
    from graph.analysis.alignment.blocs import alignment_of_ties

    nodes, u, v, w = model_ties(view, settings, pairs)
    tolerance = None if settings.free or settings.max_clusters is not None else settings.tolerance
    al = alignment_of_ties(nodes, u, v, w, max_clusters=settings.max_clusters, time_limit=settings.time_limit,
                           seed=settings.seed, tolerance=tolerance)
    al.names = bloc_names(al, view.nodes["label"])
    return al


def bloc_names(al: Alignment, labels) -> list[str]:
    """Each bloc named after its most central member: the one with the largest total cooperative tie
    to fellow members (ties broken by its total |tie| to anyone, then by id). Names are unique: a
    label shared by two leaders gets its id added."""
    inside: dict[str, float] = {}
    overall: dict[str, float] = {}
    for u, v, w in al.ties:
        for x in (u, v):
            overall[x] = overall.get(x, 0.0) + abs(w)
        if w > 0 and al.cluster_of.get(u) is not None and al.cluster_of.get(u) == al.cluster_of.get(v):
            inside[u] = inside.get(u, 0.0) + w
            inside[v] = inside.get(v, 0.0) + w
    leaders = [min(members, key=lambda a: (-inside.get(a, 0.0), -overall.get(a, 0.0), str(a)))
               for members in al.clusters]
    names = [f"{labels.get(top, top)}'s bloc" for top in leaders]
    return [f"{name[:-len(' bloc')]} ({top}) bloc" if names.count(name) > 1 else name
            for name, top in zip(names, leaders)]
