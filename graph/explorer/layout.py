"""Node positions for the HTML explorer, computed in Python so the page draws at once.

The layout reads the view's per-pair table (``graph.view.pairs.Pairs``) and the blocs, and makes the
camps read as camps:

1. python-igraph's Fruchterman–Reingold layout of the *attraction* graph: cooperative ties (net signed
   weight > 0) pull, more the stronger the tie; ties with no net sign (neutral events, or a pair whose
   events cancel out) pull weakly; hostile ties do not pull at all. Each bloc also gets an invisible
   hub joined to every member, so members that only share an enemy still stand together.
2. Each bloc (its members plus the actors outside any bloc that are tied mostly to it) becomes a disc
   just big enough for its actors' footprints (a bloc the first step spread wider is drawn in, keeping
   its inner arrangement). Discs joined by hostile ties are pushed apart until a wide gap separates
   them, discs joined by cooperative ties are pulled together, and no two discs overlap.
3. Every actor's footprint (its shape, and its label drawn below it by vis-network) is pushed apart
   from every other until no two overlap, so no label covers another label or another actor. Above
   ``BIG`` actors (labels show only once zoomed in) this is best effort, without spreading the
   drawing, so the overview stays compact; the page then makes room for shapes only.

Label widths come from DejaVu Sans metrics (``data_files/label_widths.json``, made by
``scripts/label_widths``): the face ``system-ui, sans-serif`` resolves to on Debian and one of the
widest sans-serif faces, so the room reserved is enough for most systems' fonts.

Everything is deterministic for a given input and seed. At 5,000 actors and 50,000 events most of the
time is igraph's layout; the discs and the pushing add about half a second (see the README).
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

#: Typical distance in pixels between neighbouring actors before labels are made room for.
SPACING = 70.0
#: Pixels kept free around every footprint (shape plus label).
MARGIN = 6.0
#: Extra distance (in multiples of SPACING) kept between two blocs joined by hostile ties.
HOSTILE_GAP = 2.0
#: Labels wider than this many pixels are wrapped on word boundaries onto several lines.
WRAP_WIDTH = 150.0
#: vis-network draws an external label this far below the shape: half a line plus 4 px (its
#: ``Label.calculateLabelSize`` with the "hanging" baseline), and each line is one font size tall.
LABEL_DROP = 4.0
#: Above this many actors overlap removal is best effort: BIG_ROUNDS rounds of pushing, no spreading.
BIG, BIG_ROUNDS = 1000, 30
WIDTHS = Path(__file__).resolve().parent / "data_files" / "label_widths.json"


@lru_cache(maxsize=1)
def _em_widths() -> tuple[dict[int, float], float]:
    data = json.loads(WIDTHS.read_text(encoding="utf-8"))
    table = {}
    for run in data["runs"]:
        for k, w in enumerate(run["widths"]):
            if w is not None:
                table[run["start"] + k] = float(w)
    return table, float(data["default"])


def text_width(text: str, font_size: float) -> float:
    """Width in pixels of one line of ``text`` at ``font_size`` in DejaVu Sans (no kerning: an upper
    bound of what the browser measures)."""
    table, default = _em_widths()
    return font_size * sum(table.get(ord(c), default) for c in text)


def wrap_label(text: str, font_size: float, width: float = WRAP_WIDTH) -> list[str]:
    """``text`` broken on spaces into lines no wider than ``width`` pixels (a single word wider than
    that keeps a line of its own); short texts stay one line."""
    words = text.split()
    if not words or text_width(text, font_size) <= width:
        return [text]
    lines, line = [], words[0]
    for word in words[1:]:
        candidate = line + " " + word
        if text_width(candidate, font_size) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def footprints(lines: list[list[str]], sizes, font_size: float) -> np.ndarray:
    """For each actor, ``(half width, extent above, extent below)`` of its shape and label around its
    position, in pixels, ``MARGIN`` included. vis-network draws every shape used here ``2 * size``
    wide and tall, and an external label centred below it, starting ``size + font/2 + 4`` below the
    centre, one font size per line."""
    sizes = np.asarray(sizes, dtype=float)
    widths = np.array([max((text_width(t, font_size) for t in ls), default=0.0) for ls in lines])
    heights = np.array([len(ls) for ls in lines], dtype=float) * font_size
    half = np.maximum(sizes, widths / 2) + MARGIN / 2
    above = sizes + MARGIN / 2
    below = sizes + font_size / 2 + LABEL_DROP + heights + MARGIN / 2
    return np.column_stack([half, above, below])


def layout_positions(pairs, blocs=None, boxes=None, seed: int = 7) -> np.ndarray:
    """Return an ``(n, 2)`` array of pixel positions for the actors of ``pairs`` (a ``Pairs``).

    ``blocs`` gives each actor's bloc (``k > 0`` for members of a real bloc, anything else for actors
    in none); ``boxes`` their footprints from ``footprints`` (default: a 10 px dot, no label). The
    result is deterministic for a given input and ``seed`` and centred on 0.
    """
    n = pairs.n
    if n == 0:
        return np.zeros((0, 2))
    blocs = np.zeros(n, dtype=np.int64) if blocs is None else np.asarray(blocs, dtype=np.int64)
    blocs = np.where(blocs > 0, blocs, 0)
    if boxes is None:
        boxes = np.tile([10.0 + MARGIN / 2, 10.0 + MARGIN / 2, 10.0 + MARGIN / 2], (n, 1))
    uv, pull, net = _ties(pairs)
    coords = _attraction_layout(n, uv, pull, blocs, seed) if n > 1 else np.zeros((1, 2))
    coords = _pull_in(coords - np.median(coords, axis=0))
    if n > 1:
        nearest = cKDTree(coords).query(coords, k=2)[0][:, 1]
        # A layout of tight clumps far apart (blocs around their hubs) has a tiny nearest-neighbour
        # distance; spread evenly over the same area, n actors would stand about
        # sqrt(area / n) / 2 apart. The larger of the two keeps such layouts from blowing up.
        area = np.pi * float(np.mean(np.sum(coords ** 2, axis=1)))
        typical = max(float(np.median(nearest)), 0.5 * np.sqrt(area / n))
        if not typical > 0:
            typical = float(np.abs(coords).max()) or 1.0
        coords = coords * (SPACING / typical)
    coords = _separate_blocs(coords, uv, pull, net, blocs, boxes)
    if n <= BIG:
        coords = remove_overlaps(_landscape(coords), boxes)
    else:  # best effort: labels show only once zoomed in, and spreading would shrink the overview
        coords = remove_overlaps(_landscape(coords), boxes, rounds=BIG_ROUNDS, spread=False)
    return np.round(coords - np.median(coords, axis=0), 1)


def _landscape(coords: np.ndarray) -> np.ndarray:
    """The drawing turned so its longest spread runs across (screens and labels are wider than tall)."""
    centred = coords - coords.mean(axis=0)
    if len(coords) < 2 or not np.any(centred):
        return coords
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    if np.linalg.det(axes) < 0:  # a rotation, never a mirror image
        axes[1] = -axes[1]
    return centred @ axes.T


def _ties(pairs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unordered pairs ``(k, 2)``, how strongly each pulls in the layout, and its net signed weight."""
    uv, _ = pairs.undirected()
    net = np.zeros(len(uv))
    signed = pairs.signed()
    if len(signed) and len(uv):
        a = pairs.nodes.get_indexer(signed["u"])
        b = pairs.nodes.get_indexer(signed["v"])
        keys = uv[:, 0] * pairs.n + uv[:, 1]
        at = np.searchsorted(keys, np.minimum(a, b) * pairs.n + np.maximum(a, b))
        net[at] = signed["weight"].to_numpy(dtype=float)
    # Cooperative ties pull with 1 + log(1 + weight); unsigned ties weakly; hostile ties not at all.
    pull = np.where(net > 0, 1.0 + np.log1p(np.maximum(net, 0.0)), np.where(net < 0, 0.0, 0.3))
    return uv, pull, net


def _attraction_layout(n: int, uv, pull, blocs, seed: int) -> np.ndarray:
    import igraph

    keep = pull > 0
    edges = [uv[keep]]
    weights = [pull[keep]]
    ids = np.unique(blocs[blocs > 0])
    if len(ids):  # one invisible hub per bloc, joined to each member
        members = np.flatnonzero(blocs > 0)
        hub = n + np.searchsorted(ids, blocs[members])
        edges.append(np.column_stack([members, hub]))
        weights.append(np.full(len(members), 1.0))
    edges = np.concatenate(edges).astype(np.int64)
    g = igraph.Graph(n=n + len(ids), edges=list(zip(edges[:, 0].tolist(), edges[:, 1].tolist())))
    # python-igraph draws its random numbers from Python's ``random`` module: seed it for a
    # deterministic layout, and put the caller's random state back afterwards.
    state = random.getstate()
    try:
        random.seed(seed)
        coords = g.layout_fruchterman_reingold(weights=np.concatenate(weights).tolist() if len(edges) else None)
    finally:
        random.setstate(state)
    return np.array(coords.coords, dtype=float)[:n]


def _pull_in(coords: np.ndarray) -> np.ndarray:
    """Bring far outliers (isolated actors that the layout pushed away) back to the drawing's edge,
    so fitting the whole map in view does not shrink everything else to a dot."""
    radius = np.hypot(coords[:, 0], coords[:, 1])
    limit = 1.3 * float(np.percentile(radius, 90)) if len(coords) else 0.0
    far = radius > limit
    if limit > 0 and far.any():
        coords = coords.copy()
        coords[far] *= (limit / radius[far])[:, None]
    return coords


def _separate_blocs(coords, uv, pull, net, blocs, boxes) -> np.ndarray:
    """Move each bloc (with its followers) as a rigid disc: hostile discs apart, cooperative ones
    together, none overlapping."""
    ids = np.unique(blocs[blocs > 0])
    k = len(ids)
    if k < 2:
        return coords
    n = len(coords)
    group = np.full(n, -1)
    group[blocs > 0] = np.searchsorted(ids, blocs[blocs > 0])
    group = _followers(group, uv, pull, k)
    moving = group >= 0
    member = blocs > 0
    centre = np.zeros((k, 2))
    count = np.bincount(group[member], minlength=k).astype(float)
    for axis in (0, 1):
        centre[:, axis] = np.bincount(group[member], weights=coords[member, axis], minlength=k) / count
    # The room a bloc needs: its actors' footprints filling a fifth of the disc. A bloc whose members the
    # force layout spread wider (mixed in with others) is drawn in to that size, keeping its inner
    # arrangement, so it becomes a camp of its own.
    area = (2 * boxes[:, 0]) * (boxes[:, 1] + boxes[:, 2])
    radius = np.sqrt(np.bincount(group[moving], weights=area[moving], minlength=k) / (0.2 * np.pi))
    offset = coords[moving] - centre[group[moving]]
    dist = np.hypot(offset[:, 0], offset[:, 1])
    wide = np.zeros(k)
    np.maximum.at(wide, group[moving], dist)
    shrink = np.minimum(1.0, radius / np.maximum(wide, 1e-9))[group[moving]]
    offset *= shrink[:, None]
    # The disc is as big as its actors now reach (never more than the room computed above).
    reach = np.hypot(boxes[:, 0], np.maximum(boxes[:, 1], boxes[:, 2]))[moving]
    radius = np.zeros(k)
    np.maximum.at(radius, group[moving], np.hypot(offset[:, 0], offset[:, 1]) + reach)
    # Net signed weight between every two blocs joined by a tie.
    gu, gv = group[uv[:, 0]], group[uv[:, 1]]
    across = (gu >= 0) & (gv >= 0) & (gu != gv)
    a, b = np.minimum(gu[across], gv[across]), np.maximum(gu[across], gv[across])
    between = np.zeros((k, k))
    np.add.at(between, (a, b), net[across])
    i, j = np.triu_indices(k, 1)
    sign = np.sign(between[i, j])
    least = radius[i] + radius[j] + SPACING
    least = np.where(sign < 0, least + HOSTILE_GAP * SPACING, least)
    moved = centre.copy()
    rounds = 120 if k <= 100 else 40  # every round costs k^2: many blocs get fewer, coarser rounds
    for _ in range(rounds):
        d = moved[j] - moved[i]
        dist = np.hypot(d[:, 0], d[:, 1])
        same = dist < 1e-9  # coincident discs: part them along a fixed, index-dependent direction
        d[same] = np.column_stack([np.cos(i[same] + j[same]), np.sin(i[same] + j[same])])
        dist[same] = 1.0
        unit = d / dist[:, None]
        push = np.where(dist < least, least - dist, 0.0)
        push = push + np.where((sign > 0) & (dist > least), -(dist - least) * 0.3, 0.0)
        if not np.any(np.abs(push) > 0.5):
            break
        step = _summed_moves(i, j, unit * (push / 2)[:, None], k)
        # Average the pushes each disc receives, so a disc surrounded by many does not overshoot.
        crowd = np.bincount(np.concatenate([i[push != 0], j[push != 0]]), minlength=k)
        moved += step / np.maximum(crowd, 1)[:, None]
    coords = coords.copy()
    coords[moving] = moved[group[moving]] + offset
    return coords


def _summed_moves(i, j, move, n: int) -> np.ndarray:
    """Per item, the sum of the moves of the pairs ``(i, j)`` it is in: ``-move`` for ``i``, ``move``
    for ``j`` (bincount: much faster than ``np.add.at``)."""
    ends = np.concatenate([i, j])
    return np.column_stack([np.bincount(ends, weights=np.concatenate([-move[:, a], move[:, a]]), minlength=n)
                            for a in (0, 1)])


def _followers(group: np.ndarray, uv, pull, k: int) -> np.ndarray:
    """Actors in no bloc join the bloc they are pulled to most (if any), to move with it."""
    if not len(uv):
        return group
    g = group.copy()
    loose = group < 0
    ends = np.concatenate([uv, uv[:, ::-1]])
    w = np.concatenate([pull, pull])
    ok = loose[ends[:, 0]] & (group[ends[:, 1]] >= 0) & (w > 0)
    if not ok.any():
        return g
    actor, bloc, w = ends[ok, 0], group[ends[ok, 1]], w[ok]
    key = actor * k + bloc
    uniq, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, weights=w)
    order = np.lexsort((-total, uniq // k))  # by actor, strongest bloc first
    first = np.unique(uniq[order] // k, return_index=True)[1]
    best = uniq[order][first]
    g[best // k] = best % k
    return g


def overlaps(coords: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Pairs ``(i, j)`` of actors whose footprints intersect (``boxes`` as from ``footprints``)."""
    n = len(coords)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    i, j = _candidates(coords, boxes)
    ox, oy = _overlap(coords, boxes, i, j)
    hit = (ox > 0) & (oy > 0)
    return np.column_stack([i[hit], j[hit]])


def _candidates(coords, boxes) -> tuple[np.ndarray, np.ndarray]:
    """Pairs close enough that their footprints could touch (a superset of the overlapping ones)."""
    reach = np.hypot(boxes[:, 0], np.maximum(boxes[:, 1], boxes[:, 2]))
    pairs = cKDTree(coords).query_pairs(r=2 * float(reach.max()), output_type="ndarray")
    if not len(pairs):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    i, j = pairs[:, 0], pairs[:, 1]
    close = np.hypot(*(coords[i] - coords[j]).T) <= reach[i] + reach[j]
    return i[close], j[close]


def _overlap(coords, boxes, i, j) -> tuple[np.ndarray, np.ndarray]:
    ox = boxes[i, 0] + boxes[j, 0] - np.abs(coords[i, 0] - coords[j, 0])
    top = np.maximum(coords[i, 1] - boxes[i, 1], coords[j, 1] - boxes[j, 1])
    bottom = np.minimum(coords[i, 1] + boxes[i, 2], coords[j, 1] + boxes[j, 2])
    return ox, bottom - top


def remove_overlaps(coords: np.ndarray, boxes: np.ndarray, rounds: int = 100, spread: bool = True) -> np.ndarray:
    """Move footprints apart until none intersect.

    First the whole drawing is spread uniformly, which keeps its shape (by the smallest factor, up to
    3, found by bisection, that leaves at most one overlapping pair per actor); then each overlapping
    pair is pushed apart along the axis where it overlaps less, half each way. If pushing has not
    converged after ``rounds`` rounds the drawing is spread by 10% and the pushing resumes; spreading
    alone ends every overlap, so this always terminates. With ``spread=False`` there is no spreading
    at all, only ``rounds`` rounds of pushing: fewer overlaps, not none.
    """
    coords = np.array(coords, dtype=float)
    n = len(coords)
    if n < 2:
        return coords
    centre = np.median(coords, axis=0)
    coords = coords - centre
    if spread:
        coords = coords * _spread_factor(coords, boxes, allowed=n)
    index = np.arange(n)
    while True:
        for _ in range(rounds):
            i, j, ox, oy = _hits(coords, boxes)
            if not len(i):
                return coords + centre
            dx = coords[j, 0] - coords[i, 0]
            # The vertical centre of each footprint, not the shape: labels hang below the shape.
            dy = (coords[j, 1] + (boxes[j, 2] - boxes[j, 1]) / 2) - (coords[i, 1] + (boxes[i, 2] - boxes[i, 1]) / 2)
            parity = np.where((index[i] + index[j]) % 2 == 0, 1.0, -1.0)
            sx = np.where(dx != 0, np.sign(dx), parity)
            sy = np.where(dy != 0, np.sign(dy), -parity)
            horizontal = ox <= oy
            move = np.zeros((len(i), 2))
            move[horizontal, 0] = sx[horizontal] * (ox[horizontal] / 2 + 0.5)
            move[~horizontal, 1] = sy[~horizontal] * (oy[~horizontal] / 2 + 0.5)
            step = _summed_moves(i, j, move, n)
            count = np.bincount(np.concatenate([i, j]), minlength=n)
            coords += step / np.sqrt(np.maximum(count, 1))[:, None]
        if not spread:
            return coords + centre
        coords = coords * 1.1


def _hits(coords, boxes):
    """Overlapping pairs and by how much, keeping half a pixel clear (positions are rounded to 0.1 px)."""
    i, j = _candidates(coords, boxes)
    ox, oy = _overlap(coords, boxes, i, j)
    hit = (ox > -0.5) & (oy > -0.5)
    return i[hit], j[hit], ox[hit], oy[hit]


def _spread_factor(coords, boxes, allowed: int) -> float:
    """The smallest factor in [1, 3] (to 5%) by which spreading the drawing leaves at most ``allowed``
    overlapping pairs (3 if none does: coincident actors never part by spreading)."""
    def bad(f):
        return len(_hits(coords * f, boxes)[0]) > allowed

    if not bad(1.0):
        return 1.0
    lo, hi = 1.0, 3.0
    if bad(hi):
        return hi
    while hi / lo > 1.05:
        mid = (lo * hi) ** 0.5
        lo, hi = (mid, hi) if bad(mid) else (lo, mid)
    return hi
