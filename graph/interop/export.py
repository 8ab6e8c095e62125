"""A view of the data as a graph file: GEXF (Gephi), GraphML (Gephi, Cytoscape, yEd), node-link JSON (D3).

Every actor is a node with ``label``, ``kind``, ``cluster`` (its alignment cluster from
``graph.analysis.alignment.blocs.alignment_clusters`` on the view's signed ties; 0 for unaligned actors), ``affiliation``,
``aliases``, ``description`` and any extra columns of nodes.csv. Every event is one edge (several
edges may join a pair) with ``type``, ``polarity``, ``weight`` (resolved: row override, else the type
default), ``directed``, ``date``, ``note``, ``citation`` and, when dated, ``start``/``end`` (the first and
last day the partial date covers).

Aggregated export (``--top N``; the default for an event store, whose events stay with its engine): the
top N actors of the whole selection by a metric (``graph.analysis.top``), each with its ``rank`` and
metric value besides the attributes above, and one edge per pair, direction and polarity among them
summing its events: ``polarity``, ``directed``, ``events`` (count), ``weight`` (summed signed weight),
``magnitude`` (summed |weight|), ``first`` and ``last`` (first and last day of its events, "" when
none is dated); in GEXF, ``first``..``last`` is the edge's spell.

GEXF is written in dynamic mode: each dated event carries the spell ``start``..``end`` so Gephi's
timeline shows events appearing over time (undated events, standing relations, are always present). In
GEXF the edge attribute ``type`` is the format's own direction flag (``directed``, or ``mutual`` for an
undirected event; networkx reads a mutual edge back as two arcs), so the event's type is written as
``event_type`` there. Files are written with networkx's writers, atomically.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

import networkx as nx

from graph.errors import ActorgraphError
from graph.view.select import View
from graph.progress import SILENT, Progress

FORMATS = ("gexf", "graphml", "json")
_NODE_SKIP = {"id", "line"}
_EDGE_COLUMNS = ("type", "polarity", "weight", "directed", "date", "note", "citation")


def clusters_of(view: View, settings=None) -> dict[str, int]:
    """Each bloc member's cluster number (1 = largest bloc) from the view's signed ties."""
    return blocs_of(view, settings)[0]


def blocs_of(view: View, settings=None) -> tuple[dict[str, int], dict[str, str]]:
    """Each bloc member's cluster number, and every aligned actor's bloc name ("Russia's bloc", or
    "(apart)" for an actor standing apart), under ``settings`` (a ``BlocSettings``; default if None)."""
    from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view

    al = blocs_of_view(view, settings or BlocSettings())
    names = {a: al.names[k - 1] for a, k in al.cluster_of.items()}
    names.update({a: "(apart)" for a in al.apart})
    return dict(al.cluster_of), names


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def export_graph(view: View, clusters: dict[str, int] | None = None, progress: Progress = SILENT,
                 bloc_names: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """The view as a MultiDiGraph: one node per actor, one edge per event, attributes as above.

    ``clusters`` maps actor ids to cluster numbers (missing → 0) and ``bloc_names`` to bloc names
    (missing → ""); pass ``blocs_of(view)`` for the alignment blocs or nothing to skip them.
    """
    clusters = clusters or {}
    bloc_names = bloc_names or {}
    g = nx.MultiDiGraph()
    columns = [c for c in view.nodes.columns if c not in _NODE_SKIP]
    for node_id, *values in view.nodes[columns].itertuples(name=None):
        attrs = {c: _text(v) for c, v in zip(columns, values)}
        attrs["cluster"] = int(clusters.get(node_id, 0))
        attrs["bloc"] = bloc_names.get(node_id, "")
        g.add_node(node_id, **attrs)
    ev = view.events
    extra = [c for c in ev.columns if c not in {"source", "target", "line", "start", "end", "weight_override",
                                                 *_EDGE_COLUMNS}]
    start = ev["start"].dt.strftime("%Y-%m-%d")
    end = ev["end"].dt.strftime("%Y-%m-%d")
    rows = zip(ev["source"], ev["target"], ev["type"], ev["polarity"], ev["weight"].astype(float),
               ev["directed"].astype(bool), ev["date"], ev["note"], ev["citation"], start, end,
               *(ev[c] for c in extra))
    with progress.task("building graph", total=len(ev), unit="events") as bar:
        for i, (s, t, typ, pol, w, directed, date, note, cite, st, en, *more) in enumerate(rows):
            attrs = {"type": typ, "polarity": pol, "weight": w, "directed": bool(directed), "date": _text(date),
                     "note": _text(note), "citation": _text(cite)}
            if isinstance(st, str):
                attrs["start"], attrs["end"] = st, en
            for c, v in zip(extra, more):
                attrs[c] = _text(v)
            g.add_edge(s, t, key=i, **attrs)
            if i % 10000 == 9999:
                bar.update(10000)
        bar.update(len(ev) % 10000)
    return g


def aggregated_graph(view: View, top, clusters: dict[str, int] | None = None,
                     bloc_names: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """The top actors and their aggregated edges (``top``: a ``graph.analysis.top.TopGraph`` of
    ``view``) as a MultiDiGraph, attributes as in the module docstring."""
    clusters = clusters or {}
    bloc_names = bloc_names or {}
    g = nx.MultiDiGraph()
    nodes = view.nodes.loc[top.ids]
    columns = [c for c in nodes.columns if c not in _NODE_SKIP]
    score = top.table[top.by]
    for rank, (node_id, *values) in enumerate(nodes[columns].itertuples(name=None), start=1):
        attrs = {c: _text(v) for c, v in zip(columns, values)}
        attrs.update(cluster=int(clusters.get(node_id, 0)), bloc=bloc_names.get(node_id, ""), rank=rank)
        attrs[top.by] = float(score[node_id])
        g.add_node(node_id, **attrs)
    e = top.edges
    ids = list(top.ids)
    first = e["first"].dt.strftime("%Y-%m-%d")
    last = e["last"].dt.strftime("%Y-%m-%d")
    rows = zip(e["source"], e["target"], e["directed"], e["polarity"], e["events"], e["weight"], e["magnitude"],
               first, last)
    for i, (s, t, directed, polarity, n, w, m, a, b) in enumerate(rows):
        attrs = {"polarity": polarity, "directed": bool(directed), "events": int(n), "weight": float(w),
                 "magnitude": float(m), "first": _text(a), "last": _text(b)}
        if isinstance(a, str):
            attrs["start"], attrs["end"] = a, b
        g.add_edge(ids[s], ids[t], key=i, **attrs)
    return g


def _gexf_ready(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Rename the event's ``type`` to ``event_type`` and set GEXF's own per-edge type: ``directed``, or
    ``mutual`` for undirected events (a plain ``undirected`` edge is not allowed in a directed graph)."""
    h = nx.MultiDiGraph(mode="dynamic")
    h.add_nodes_from(g.nodes(data=True))
    for u, v, k, d in g.edges(keys=True, data=True):
        d = dict(d)
        if "type" in d:  # an aggregated edge has no single event type
            d["event_type"] = d.pop("type")
        d["type"] = "directed" if d["directed"] else "mutual"  # GEXF's word for a two-way edge
        h.add_edge(u, v, key=k, **d)
    return h


def _json_text(g: nx.MultiDiGraph) -> str:
    data = nx.node_link_data(g, edges="links")
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_export(g: nx.MultiDiGraph, fmt: str, path: Path | str, progress: Progress = SILENT) -> Path:
    """Write ``g`` (from :func:`export_graph`) as ``fmt`` to ``path`` atomically; return the path."""
    if fmt not in FORMATS:
        raise ActorgraphError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")
    path = Path(path)
    if path.is_dir():
        raise ActorgraphError(f"-o {path} is a folder; give a file name such as {path / ('graph.' + fmt)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with progress.task(f"writing {fmt.upper()}", total=1, unit="file") as bar:
            if fmt == "gexf":
                nx.write_gexf(_gexf_ready(g), tmp, version="1.2draft")
            elif fmt == "graphml":
                nx.write_graphml(g, tmp)
            else:
                Path(tmp).write_text(_json_text(g), encoding="utf-8")
            bar.update(1)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def summary_of(g: nx.MultiDiGraph) -> dict:
    """Counts for the CLI's closing message."""
    return {"actors": g.number_of_nodes(), "events": g.number_of_edges(),
            "clusters": len({c for _, c in g.nodes(data="cluster") if c})}


__all__ = ["FORMATS", "aggregated_graph", "blocs_of", "clusters_of", "export_graph", "write_export", "summary_of"]
