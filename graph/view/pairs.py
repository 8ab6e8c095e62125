"""The one aggregation step: a view's events summed per pair of actors.

Every analysis reads this table instead of the events: centrality (arcs and event counts), alignment
blocs (signed ties), paths (which pairs are joined), the map's layout and the exports. A command
aggregates once and hands the same ``Pairs`` to each analysis it runs; engines other than pandas
(a Parquet store read through DuckDB or Spark) only have to produce this table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Columns of ``Pairs.table``; ``source`` and ``target`` are positions in ``Pairs.nodes``.
PAIR_COLUMNS = ("source", "target", "directed", "events", "signed_events", "weight", "hostile", "cooperative")
#: Which rows a term of ``Pairs.actor_totals`` adds up: every row, directed or undirected rows, rows that
#: are no self-loop, undirected rows that are no self-loop.
ROWS = ("all", "directed", "undirected", "not_loop", "undirected_not_loop")


@dataclass(frozen=True)
class Pairs:
    """A view's events aggregated per pair.

    ``nodes`` are the view's actor ids, in view order. ``table`` has one row per (source, target,
    directed): directed events keep their direction; undirected events are stored once with
    ``source < target`` (by position). ``events`` counts all events, ``signed_events`` the hostile and
    cooperative ones; ``weight`` is their summed signed weight (neutral events carry structure, not
    sign), split into ``hostile`` (≤ 0) and ``cooperative`` (≥ 0). Self-loops are kept in the table
    and left out by every accessor below.
    """

    nodes: pd.Index
    table: pd.DataFrame
    noise: float = 1e-9

    def __post_init__(self):
        # Engines add the same weights in different orders (numpy, DuckDB, Spark), which moves sums in
        # their last bits; rounded to 12 significant digits they agree, so blocs and ranks that hinge on
        # exact ties come out the same whichever engine aggregated.
        for column in _SUM_COLUMNS:
            if column in self.table.columns and len(self.table):
                self.table[column] = significant(self.table[column].to_numpy(dtype=float))

    @property
    def n(self) -> int:
        return len(self.nodes)

    def _no_loops(self) -> pd.DataFrame:
        t = self.table
        return t[t["source"].to_numpy() != t["target"].to_numpy()]

    def arcs(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct arcs ``(m, 2)`` of the actor graph and the number of events behind each.

        Undirected events give both arcs.
        """
        t = self._no_loops()
        s, d, directed = t["source"].to_numpy(), t["target"].to_numpy(), t["directed"].to_numpy()
        u = np.concatenate([s, d[~directed]])
        v = np.concatenate([d, s[~directed]])
        count = np.concatenate([t["events"].to_numpy(), t["events"].to_numpy()[~directed]]).astype(float)
        return _summed(u, v, count, self.n)

    def undirected(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct unordered pairs ``(k, 2)`` with ``u < v`` and the number of events joining them."""
        t = self._no_loops()
        s, d = t["source"].to_numpy(), t["target"].to_numpy()
        return _summed(np.minimum(s, d), np.maximum(s, d), t["events"].to_numpy().astype(float), self.n)

    def signed(self) -> pd.DataFrame:
        """Signed ties: one row per unordered pair with signed events, ``u, v`` (actor ids, u < v by
        id), ``weight`` (summed signed weight, float noise snapped to 0) and ``events``."""
        ids, u, v, weight, events = self.signed_arrays()
        return pd.DataFrame({"u": ids[u], "v": ids[v], "weight": weight, "events": events})

    def signed_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``signed()`` as arrays: ``(ids, u, v, weight, events)`` with ``ids`` the actor ids sorted
        and ``u < v`` positions in ``ids``, one entry per pair, sorted by ``(u, v)``."""
        t = self._no_loops()
        t = t[t["signed_events"].to_numpy() > 0]
        n = max(self.n, 1)
        ids = np.asarray(self.nodes, dtype=object)
        order = np.argsort(ids, kind="stable")
        rank = np.empty(len(ids), dtype=np.int64)
        rank[order] = np.arange(len(ids))
        a, b = rank[t["source"].to_numpy()], rank[t["target"].to_numpy()]
        # summed per pair by pandas (compensated sums, in event order)
        sums = (pd.DataFrame({"pair": np.minimum(a, b) * n + np.maximum(a, b), "weight": t["weight"].to_numpy(),
                              "events": t["signed_events"].to_numpy()})
                .groupby("pair", sort=True)[["weight", "events"]].sum())
        pair = sums.index.to_numpy(dtype=np.int64)
        weight = finished_signed(sums["weight"].to_numpy(dtype=float), self.noise)
        return ids[order], pair // n, pair % n, weight, sums["events"].to_numpy().astype(int)

    def __len__(self) -> int:
        return len(self.table)

    def events_total(self) -> int:
        """Events in the view (self-loops included)."""
        return int(self.table["events"].sum())

    def actor_totals(self, column: str, terms, absolute: bool = False) -> np.ndarray:
        """Per actor (in ``nodes`` order), the sum of ``column`` (|column| when ``absolute``) over pair
        rows, each ``(end, rows)`` term adding every row of kind ``rows`` (one of ``ROWS``) to its
        ``end`` (``"source"`` or ``"target"``). Rounded as the pair sums are (``significant``)."""
        t = self.table
        src, dst = t["source"].to_numpy(np.int64), t["target"].to_numpy(np.int64)
        directed = t["directed"].to_numpy(bool)
        loop = src == dst
        masks = {"all": np.ones(len(t), dtype=bool), "directed": directed, "undirected": ~directed,
                 "not_loop": ~loop, "undirected_not_loop": ~directed & ~loop}
        values = t[column].to_numpy(float)
        if absolute:
            values = np.abs(values)
        out = np.zeros(self.n)
        for end, rows in terms:
            if end not in ("source", "target") or rows not in ROWS:
                raise ValueError(f"bad term {(end, rows)!r}")
            at = src if end == "source" else dst
            out += np.bincount(at[masks[rows]], weights=values[masks[rows]], minlength=self.n)
        return significant(out)

    def among(self, ids) -> "Pairs":
        """The pairs with both actors in ``ids``, positions renumbered to ``ids`` (for a layout of the
        top N that reads the same ties as the whole selection)."""
        position = pd.Index(self.nodes).get_indexer(pd.Index(ids))
        if len(position) and position.min() < 0:
            raise ValueError("ids that are not in the pair table")
        new = np.full(len(self.nodes), -1, dtype=np.int64)
        new[position] = np.arange(len(position))
        t = self.table
        s, d = new[t["source"].to_numpy(np.int64)], new[t["target"].to_numpy(np.int64)]
        keep = (s >= 0) & (d >= 0)
        return renumbered(pd.Index(ids), t[keep].assign(source=s[keep], target=d[keep]), self.noise)


def renumbered(ids: pd.Index, table: pd.DataFrame, noise: float) -> Pairs:
    """A ``Pairs`` over ``ids`` from rows whose positions are already positions in ``ids``: undirected
    rows put back to ``source < target``, rows sorted as ``Pairs.table`` has them."""
    table = table.reset_index(drop=True)
    s, d = table["source"].to_numpy(np.int64), table["target"].to_numpy(np.int64)
    swap = ~table["directed"].to_numpy(bool) & (s > d)
    table = table.assign(source=np.where(swap, d, s), target=np.where(swap, s, d))
    table = table.sort_values(["source", "target", "directed"], kind="stable").reset_index(drop=True)
    return Pairs(ids, table[list(PAIR_COLUMNS)], noise)


def finished_signed(weight: np.ndarray, noise: float) -> np.ndarray:
    """Summed signed ties as ``signed_arrays`` gives them: rounded (``significant``: engines add a pair's
    rows in different orders) and float noise below ``noise`` snapped to 0."""
    weight = significant(weight)
    weight[np.abs(weight) < noise] = 0.0
    return weight


_SUM_COLUMNS = ("weight", "hostile", "cooperative")
_DIGITS = 12


def significant(x: np.ndarray, digits: int = _DIGITS) -> np.ndarray:
    """``x`` rounded to ``digits`` significant digits (zeros, infinities and NaN unchanged).

    >>> significant(np.array([0.1 + 0.2, -1234.5678901234567, 0.0])).tolist()
    [0.3, -1234.56789012, 0.0]
    """
    x = np.asarray(x, dtype=float)
    out = x.copy()
    step = 1 << 22  # in slices, so that the temporaries stay small next to arrays of tens of millions
    for at in range(0, len(out), step):
        part = out[at:at + step]
        finite = np.isfinite(part) & (part != 0)
        if finite.any():
            values = part[finite]
            scale = 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(values))))
            part[finite] = np.round(values * scale) / scale
    return out


def _summed(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    key = u.astype(np.int64) * max(n, 1) + v.astype(np.int64)
    uniq, inverse = np.unique(key, return_inverse=True)
    sums = np.bincount(inverse, weights=w, minlength=len(uniq)) if len(uniq) else np.zeros(0)
    return np.column_stack([uniq // max(n, 1), uniq % max(n, 1)]).astype(np.int64), sums


def pair_table(view) -> Pairs:
    """Aggregate ``view.events`` per pair (see ``Pairs``); vectorised, no per-event Python step.

    A view of an event store asks its engine, once per view (the engine's answer is kept on the view:
    each call is a pass over every event).
    """
    nodes = pd.Index(view.nodes.index)
    if getattr(view, "events", None) is None and getattr(view, "engine", None) is not None:
        cached = getattr(view, "_engine_pairs", None)
        if cached is None:
            cached = view.engine.pairs(nodes, view.selection)
            view._engine_pairs = cached
        return cached
    return events_pair_table(nodes, view.events)


def events_pair_table(nodes: pd.Index, ev: pd.DataFrame) -> Pairs:
    """``pair_table`` of an in-memory event frame over actor ids ``nodes`` (engines reuse it on the
    events they hand back, and tests compare engines against it)."""
    n = len(nodes)
    src = nodes.get_indexer(ev["source"]).astype(np.int64)
    dst = nodes.get_indexer(ev["target"]).astype(np.int64)
    if len(ev) and (src.min() < 0 or dst.min() < 0):
        raise ValueError("the view has events whose actors are not among its nodes")
    directed = ev["directed"].to_numpy(dtype=bool)
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    s = np.where(directed, src, lo)
    d = np.where(directed, dst, hi)
    polarity = ev["polarity"].to_numpy()
    weight = ev["weight"].to_numpy(dtype=float)
    signed = polarity != "neutral"
    w = np.where(signed, weight, 0.0)
    key = (s * max(n, 1) + d) * 2 + directed
    uniq, inverse = np.unique(key, return_inverse=True)
    k = len(uniq)

    def total(values):
        return np.bincount(inverse, weights=values, minlength=k) if k else np.zeros(0)

    table = pd.DataFrame({
        "source": (uniq // 2) // max(n, 1), "target": (uniq // 2) % max(n, 1),
        "directed": (uniq % 2).astype(bool),
        "events": total(np.ones(len(ev))).astype(np.int64),
        "signed_events": total(signed.astype(float)).astype(np.int64),
        "weight": total(w),
        "hostile": total(np.where(w < 0, w, 0.0)),
        "cooperative": total(np.where(w > 0, w, 0.0)),
    })
    # Sums such as 0.1 + 0.2 - 0.3 leave float noise: a tie that small is no tie.
    noise = 1e-9 * max(1.0, float(np.abs(weight).max()) if len(weight) else 1.0)
    return Pairs(nodes, table, noise)
