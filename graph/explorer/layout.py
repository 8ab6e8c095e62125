"""Node positions for the HTML explorer, computed in Python so the page draws at once.

python-igraph's Fruchterman-Reingold layout places 5,000 actors in about 0.4 s (networkx's
``spring_layout`` takes ~40 s); the browser then only draws, with physics off or brief.
"""

from __future__ import annotations

import random

import igraph
import numpy as np
from scipy.spatial import cKDTree

#: Median distance in pixels from an actor to its nearest neighbour on the page.
SPACING = 70.0


def layout_positions(n: int, pairs: np.ndarray, seed: int = 7) -> np.ndarray:
    """Return an ``(n, 2)`` array of pixel positions for nodes ``0..n-1`` joined by ``pairs``.

    ``pairs`` is an ``(m, 2)`` integer array of node indices (duplicates and self-loops are ignored).
    The result is deterministic for a given input and ``seed``; it is centred on 0 and scaled so the
    median distance from a node to its nearest neighbour is ``SPACING`` pixels (room for the shape
    and its label).
    """
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    if len(pairs):
        pairs = np.unique(np.sort(pairs, axis=1), axis=0)
    g = igraph.Graph(n=n, edges=pairs.tolist())
    # python-igraph draws its random numbers from Python's ``random`` module: seed it for a
    # deterministic layout, and put the caller's random state back afterwards.
    state = random.getstate()
    try:
        random.seed(seed)
        coords = np.array(g.layout_fruchterman_reingold().coords, dtype=float)
    finally:
        random.setstate(state)
    coords = _pull_in(coords - np.median(coords, axis=0))
    nearest = cKDTree(coords).query(coords, k=2)[0][:, 1]
    typical = float(np.median(nearest))
    if not typical > 0:
        typical = float(np.abs(coords).max()) or 1.0
    return np.round(coords * (SPACING / typical), 1)


def _pull_in(coords: np.ndarray) -> np.ndarray:
    """Bring far outliers (isolated actors that the layout pushed away) back to the drawing's edge,
    so fitting the whole map in view does not shrink everything else to a dot."""
    radius = np.hypot(coords[:, 0], coords[:, 1])
    limit = 1.2 * float(np.percentile(radius, 98))
    far = radius > limit
    if limit > 0 and far.any():
        coords = coords.copy()
        coords[far] *= (limit / radius[far])[:, None]
    return coords
