"""A map of the top N actors (``actorgraph html --top N``, and every map of an event store).

What it shows:

* the N highest actors of the whole selection by a centrality metric (``--top-by``, default
  ``degree``), ranked from the view's whole pair table (``graph.analysis.top``); the side panel's ranks
  are ranks among every actor of the selection;
* the edges among them, each the sum of the events of one pair, direction and polarity (count,
  summed weight, first and last day), never the events one by one;
* the blocs of the whole selection, shown for these N actors (an actor keeps the bloc it has in the
  full picture, named after the bloc's most central member there);
* for the side panel, the latest ``EMBED_PER_EDGE`` events of each pair and polarity behind the
  ``EMBED_EDGES`` heaviest edges, within ``EMBED_BYTES`` of event text; any other edge says how many
  events it stands for.

Payload budget: about 60 bytes per edge plus 0.3 kB per actor plus at most ``EMBED_BYTES`` of
embedded events (``tests/test_top_map.py`` checks the bound on 20,000 actors and 1,000,000 events).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graph.explorer.page import (AGGREGATE_ABOVE, BIG_ABOVE, Analysis, HtmlOptions, _days, _number, bloc_codes,
                                 event_columns, label_lines, page_blocs, page_frame, positions)
from graph.store.dataset import POLARITIES

#: How many of the heaviest edges (most events) carry their latest events for the side panel.
EMBED_EDGES = 500
#: How many latest events of each pair and polarity are embedded.
EMBED_PER_EDGE = 10
#: Budget in bytes for the text of embedded events (dates, types, notes, citations).
EMBED_BYTES = 2_000_000
#: Metrics the side panel ranks on a top-N map (betweenness is left out: on a whole event store it is
#: the slowest metric by far; ask for it with --size-by or --top-by).
TOP_RANK_METRICS = ("degree", "pagerank")


def is_big_top(top) -> bool:
    """Big top maps get smaller labels and no hover, as big full maps do."""
    return len(top.ids) > BIG_ABOVE or len(top.edges) > AGGREGATE_ABOVE


def top_analysis(view, options: HtmlOptions, progress=None):
    """``(top, analysis)``: the ``TopGraph`` of the view (``options.top`` actors by ``options.top_by``),
    and the ``Analysis`` of those actors: their figures in the whole selection, their blocs in it, and
    a layout of the ties among them."""
    from graph.analysis.top import sub_pairs, top_graph
    from graph.progress import SILENT
    from graph.view.pairs import pair_table

    pairs = pair_table(view)
    metrics = list(dict.fromkeys([options.size_by, *TOP_RANK_METRICS]))
    top = top_graph(view, options.top, options.top_by, metrics, pairs, progress or SILENT)
    alignment = page_blocs(view, options.blocs, pairs)
    cluster, names = bloc_codes(top.ids, alignment)
    table = top.table.loc[top.ids]
    xy = None
    if options.layout != "physics":
        labels = view.nodes.loc[top.ids, "label"]
        scores = np.nan_to_num(table[options.size_by].to_numpy(dtype=float))
        xy = positions(sub_pairs(pairs, top.ids), cluster, scores, labels, is_big_top(top))
    return top, Analysis(table, cluster, alignment.method, xy, names)


def _edge_keys(edges: pd.DataFrame) -> dict:
    return {key: i for i, key in enumerate(zip(edges["source"], edges["target"], edges["directed"],
                                               edges["polarity"]))}


def embedded_events(view, top) -> tuple[pd.DataFrame, list[int]]:
    """The events the page carries for its side panel, and the edge (row of ``top.edges``) of each.

    The latest ``EMBED_PER_EDGE`` events of each pair and polarity behind the ``EMBED_EDGES`` heaviest
    edges, fetched with ``graph.view.edges.latest_events`` (one engine query per polarity), kept edge
    by edge, heaviest first, while their text fits in ``EMBED_BYTES``.
    """
    from graph.view.edges import latest_events

    edges, ids = top.edges, np.asarray(top.ids, dtype=object)
    if not len(edges):
        return latest_events(view, [], EMBED_PER_EDGE), []
    heavy = edges.assign(_row=np.arange(len(edges))).sort_values(["events", "_row"], ascending=[False, True],
                                                                   kind="stable").head(EMBED_EDGES)
    found = []
    for polarity in POLARITIES:
        chosen = heavy[heavy["polarity"] == polarity]
        pairs = {(ids[s], ids[t]) for s, t in zip(chosen["source"], chosen["target"])}
        if pairs:
            found.append(latest_events(view, pairs, EMBED_PER_EDGE, polarity))
    ev = pd.concat(found, ignore_index=True) if found else latest_events(view, [], EMBED_PER_EDGE)
    index = pd.Index(top.ids)
    src, dst = index.get_indexer(ev["source"]), index.get_indexer(ev["target"])
    directed = ev["directed"].to_numpy(dtype=bool)
    s = np.where(directed, src, np.minimum(src, dst))
    d = np.where(directed, dst, np.maximum(src, dst))
    keys = _edge_keys(edges)
    edge_of = np.array([keys[k] for k in zip(s, d, directed, ev["polarity"])], dtype=np.int64)
    # Keep whole edges, heaviest first, while the text fits the budget.
    heaviness = np.empty(len(edges), dtype=np.int64)
    heaviness[heavy["_row"].to_numpy()] = np.arange(len(heavy))
    order = np.argsort(heaviness[edge_of], kind="stable") if len(ev) else np.zeros(0, dtype=np.int64)
    cost = (ev["note"].astype(str).str.len() + ev["citation"].astype(str).str.len()
            + ev["date"].astype(str).str.len() + 40).to_numpy()[order]
    rank = heaviness[edge_of][order]
    spent = np.cumsum(cost)
    over = rank[spent > EMBED_BYTES]
    keep = order[rank < over.min()] if len(over) else order
    keep = np.sort(keep)
    return ev.iloc[keep].reset_index(drop=True), [int(g) for g in edge_of[keep]]


def top_payload(ds, view, options: HtmlOptions, top=None, analysis: Analysis | None = None,
                history: dict | None = None, confidence: dict | None = None) -> dict:
    """The page's payload for the top ``options.top`` actors of ``view`` (see the module docstring):
    ``nodes`` as a full map has them, ``edges`` the aggregated edges, ``events`` only the embedded
    ones (``g``: the edge of each), ``top`` what the map was cut from."""
    if top is None or analysis is None:
        top, analysis = top_analysis(view, options)
    nodes = view.nodes.loc[top.ids]
    metrics = [m for m in top.table.columns if m not in ("label", "kind")]
    rank = top.table[metrics].rank(method="min", ascending=False)
    big = is_big_top(top)
    data = page_frame(ds, nodes, view.types, options, analysis, rank, big, label_lines(nodes["label"], big),
                      history, confidence)
    events, edge_of = embedded_events(view, top)
    edges = top.edges
    data["aggregate"] = True
    data["events"] = {**event_columns(events, pd.Index(top.ids), view.types), "g": edge_of}
    data["edges"] = {
        "s": [int(i) for i in edges["source"]],
        "t": [int(i) for i in edges["target"]],
        "p": [POLARITIES.index(p) for p in edges["polarity"]],
        "d": [int(bool(d)) for d in edges["directed"]],
        "n": [int(n) for n in edges["events"]],
        "w": [_number(w) for w in edges["weight"]],
        "m": [_number(m) for m in edges["magnitude"]],
        "a": _days(edges["first"]),
        "b": _days(edges["last"]),
    }
    data["top"] = {"n": len(top.ids), "of": top.actors, "by": top.by, "events": top.events,
                   "edgeEvents": int(edges["events"].sum()), "embedEdges": EMBED_EDGES,
                   "perEdge": EMBED_PER_EDGE}
    return data
