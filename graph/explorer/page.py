"""The offline HTML explorer: one self-contained page drawing a view with vis-network.

pyvis supplies the vis-network library (its bundled ``vis-network.min.js`` and CSS, read from the
installed package); the page itself comes from our own Jinja2 template with autoescape on, because
pyvis's template loads Bootstrap from a CDN and inserts some values without escaping (see STYLE.md).

Safety: every text from the CSVs travels as JSON inside ``<script type="application/json">`` with
``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes, so no value can close the
element; the page's script reads it with ``JSON.parse`` and builds the DOM with ``textContent`` only.
A Content-Security-Policy allows only the page's own two scripts (by SHA-256 hash) and no network
access at all, as a second line of defence.

Edges: with at most ``AGGREGATE_ABOVE`` events every event is drawn as its own edge (parallel events
between a pair are fanned out on curves); above it, events are drawn as one edge per pair, polarity
and direction, whose tooltip and panel list every event behind it. Above ``LAYER_ABOVE`` drawn edges
the page strokes them on the canvas itself (a few batched paths) rather than building a vis-network
object per edge, which is what keeps 50,000 events drawable within seconds.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from graph.analysis.alignment.of_view import BlocSettings
from graph.errors import ActorgraphError
from graph.progress import SILENT
from graph.store.dataset import KINDS, POLARITIES

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_VERSION = "9.1.2"
COLOR_BY = ("cluster", "kind")
LAYOUTS = ("auto", "physics", "precomputed")
EVERY = ("month", "quarter", "year")
#: Above this many events, parallel events are drawn as one edge per pair, polarity and direction.
AGGREGATE_ABOVE = 2000
#: Above this many drawn edges the page draws them itself in batched canvas strokes instead of as
#: vis-network edge objects (which take ~30 µs each to build); they are then picked by click, not hover.
LAYER_ABOVE = 10000
#: Above this many actors (or AGGREGATE_ABOVE events) the page is "big": smaller labels, no hover.
BIG_ABOVE = 1000
#: Metrics whose ranks the side panel shows (besides the one sizing the nodes).
RANK_METRICS = ("degree", "betweenness", "pagerank")
#: Seconds the cluster search may take on a large view before it settles for its best heuristic answer.
CLUSTER_TIME_LIMIT = 10.0
MIN_SIZE, MAX_SIZE = 8.0, 40.0
#: Label font size in pixels on normal and big maps (the layout reserves room for labels at this size).
FONT_SIZE, BIG_FONT_SIZE = 14, 12

_EPOCH = np.datetime64("1970-01-01", "D")
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                               "\u2028": "\\u2028", "\u2029": "\\u2029"})
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


@dataclass(frozen=True)
class HtmlOptions:
    """How the page looks (colour, size, title, layout) and what it carries besides the view: blocs
    per period for the period slider (``every``, ``window``) and a bootstrap confidence per actor.
    ``top``: draw only the top N actors by metric ``top_by`` and the aggregated edges among them
    (``graph.explorer.top_map``); None draws every actor and event."""

    color_by: str = "cluster"
    size_by: str = "degree"
    title: str = "actorgraph"
    layout: str = "auto"
    blocs: BlocSettings = BlocSettings()
    every: str | None = None
    window: str | None = None
    confidence: bool = False
    resamples: int = 200
    top: int | None = None
    top_by: str = "degree"


def script_json(data) -> str:
    """JSON for a ``<script type="application/json">`` element: no ``<``, ``>`` or ``&`` appears
    literally, so a value such as ``</script>`` cannot end the element, and the text parses as JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_JSON_ESCAPES)


def _inline(text: str, what: str, closer: str) -> str:
    """Library code to inline inside ``<script>``/``<style>``; refuse text that would end the element."""
    text = _SOURCE_MAP.sub("", text)  # no source-map lookups, even with developer tools open
    if closer in text.lower() or "<!--" in text:
        raise ActorgraphError(f"{what} contains '{closer}' and cannot be inlined")
    return text


def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as shipped inside the installed pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    try:
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ActorgraphError(f"vis-network {VIS_VERSION} not found in the pyvis package at {lib}; "
                              "reinstall pyvis==0.3.2") from None
    return _inline(js, "vis-network.min.js", "</script"), _inline(css, "vis-network.css", "</style")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _days(series: pd.Series) -> list:
    """Dates as whole days since 1970-01-01 (None when undated)."""
    values = series.to_numpy(dtype="datetime64[D]")
    days = (values - _EPOCH).astype("timedelta64[D]").astype("int64")
    missing = np.isnat(values)
    return [None if m else int(d) for d, m in zip(days, missing)]


def _sizes(scores: np.ndarray) -> list[float]:
    top = float(np.nanmax(scores)) if len(scores) else 0.0
    if not top > 0:
        return [round((MIN_SIZE + MAX_SIZE) / 4, 1)] * len(scores)
    scaled = MIN_SIZE + (MAX_SIZE - MIN_SIZE) * np.sqrt(np.clip(scores, 0, None) / top)
    return [round(float(s), 1) for s in scaled]


def _number(x: float) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() else round(x, 6)


def page_settings(settings: BlocSettings) -> BlocSettings:
    """``settings`` with the time limit capped at ``CLUSTER_TIME_LIMIT``: a page is built in seconds."""
    return replace(settings, time_limit=min(settings.time_limit, CLUSTER_TIME_LIMIT))


def page_blocs(view, settings: BlocSettings = BlocSettings(), pairs=None):
    """The view's alignment blocs (``Alignment``), found by the model every command uses, under
    ``settings`` (time limit capped at ``CLUSTER_TIME_LIMIT``)."""
    from graph.analysis.alignment.of_view import blocs_of_view

    return blocs_of_view(view, page_settings(settings), pairs=pairs)


def clusters_of(view, settings: BlocSettings | None = None, pairs=None) -> tuple[list[int], str]:
    """Each actor's bloc code (see ``bloc_codes``) and the method that found the blocs."""
    alignment = page_blocs(view, settings or BlocSettings(), pairs)
    return bloc_codes(view.nodes.index, alignment)[0], alignment.method


def bloc_codes(ids, alignment) -> tuple[list[int], list[str]]:
    """Each actor's bloc code and the names of the blocs: ``k`` (1-based) for a member of real bloc
    ``k`` (two or more members), ``-1`` for an actor standing apart (aligned, in a bloc of its own),
    ``0`` for the unaligned (no signed tie)."""
    real = [k for k, members in enumerate(alignment.clusters, start=1) if len(members) > 1]
    renumber = {k: n for n, k in enumerate(real, start=1)}
    names = [alignment.names[k - 1] if k - 1 < len(alignment.names) else f"bloc {n}"
             for n, k in enumerate(real, start=1)]
    apart = set(alignment.apart)
    codes = []
    for actor in ids:
        k = alignment.cluster_of.get(actor)
        if k in renumber:
            codes.append(renumber[k])
        elif k is not None or actor in apart:
            codes.append(-1)
        else:
            codes.append(0)
    return codes, names


def centrality(view, size_by: str, pairs=None) -> pd.DataFrame:
    """The size metric and the ranked metrics for every actor of the view."""
    from graph.analysis.centrality import centrality_table

    metrics = list(dict.fromkeys([size_by, *RANK_METRICS]))
    return centrality_table(view, metrics, pairs=pairs)


def _share(value) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def _day(text: str | None, end: bool) -> int | None:
    """A partial date's first (or last) day, as days since 1970-01-01; None for no date."""
    from graph.store.dates import parse_span

    if not text:
        return None
    day = parse_span(str(text))[1 if end else 0]
    return int((np.datetime64(day, "D") - _EPOCH).astype(int))


def period_payload(history: dict, ids: pd.Index, whole: list[int]) -> dict:
    """Blocs per period (``BlocHistory.to_dict()``) in the page's compact form.

    Bloc ids are stable across periods; each gets a slot, in order of first appearance. A slot takes the
    colour of the bloc of the whole view it shares most members with (each whole-view bloc lends its
    colour once, largest overlaps first), so a camp keeps its colour when the slider moves; the other
    slots get colours after the whole view's. ``c[p][i]`` is actor ``i``'s code in period ``p``: slot + 1
    for a bloc member, -1 standing apart, 0 unaligned (or absent). Moves list actor, period index and
    the slots + 1 it left and joined (0 for none).
    """
    position = {actor: i for i, actor in enumerate(ids)}
    periods = history.get("periods", [])
    slot: dict = {}
    codes, blocs = [], []
    for period in periods:
        row = [0] * len(ids)
        listed = []
        for bloc in period.get("clusters", []):
            s = slot.setdefault(bloc["id"], len(slot))
            listed.append({"s": s + 1, "n": str(bloc.get("name") or f"bloc {bloc['id']}")})
            for actor in bloc.get("members", []):
                if actor in position:
                    row[position[actor]] = s + 1
        for actor in period.get("apart", []):
            if actor in position:
                row[position[actor]] = -1
        codes.append(row)
        blocs.append(listed)
    # Colour matching: overlap of each slot with each whole-view bloc, over all periods.
    overlap: dict[tuple[int, int], int] = {}
    for row in codes:
        for i, code in enumerate(row):
            if code > 0 and whole[i] > 0:
                overlap[code - 1, whole[i]] = overlap.get((code - 1, whole[i]), 0) + 1
    colour = [0] * len(slot)
    taken_slots, taken_colours = set(), set()
    for (s, k), _ in sorted(overlap.items(), key=lambda item: (-item[1], item[0])):
        if s not in taken_slots and k not in taken_colours:
            colour[s] = k
            taken_slots.add(s)
            taken_colours.add(k)
    spare = max(whole, default=0) + 1
    for s in range(len(slot)):
        if s not in taken_slots:
            colour[s] = spare
            spare += 1
    labels = [str(p.get("label", "")) for p in periods]
    moves = {"a": [], "p": [], "f": [], "t": []}
    for move in history.get("moves", []):
        if move.get("id") not in position:
            continue
        when = move.get("period")
        p = when if isinstance(when, int) else labels.index(str(when)) if str(when) in labels else None
        if p is None:
            continue
        moves["a"].append(position[move["id"]])
        moves["p"].append(p)
        moves["f"].append(slot[move["from"]] + 1 if move.get("from") in slot else 0)
        moves["t"].append(slot[move["to"]] + 1 if move.get("to") in slot else 0)
    return {
        "labels": labels,
        "lo": [_day(p.get("since"), end=False) for p in periods],
        "hi": [_day(p.get("until"), end=True) for p in periods],
        "method": [str(p.get("method", "")) for p in periods],
        "frustration": [_number(p.get("frustration") or 0.0) for p in periods],
        "blocs": blocs,
        "colour": colour,
        "c": codes,
        "moves": moves,
    }


@dataclass
class Analysis:
    """The slow part of a payload: centrality ``table`` (one row per actor, in view order), each actor's
    bloc code ``cluster`` (see ``bloc_codes``), the ``method`` that found the blocs, positions ``xy``
    (None: physics places them) and the blocs' display ``names``."""

    table: pd.DataFrame
    cluster: list[int]
    method: str
    xy: np.ndarray | None
    names: list[str] = field(default_factory=list)


def is_big(view) -> bool:
    """Big maps get smaller labels, no hover, and a layout that makes room for shapes only."""
    return len(view.nodes) > BIG_ABOVE or len(view.events) > AGGREGATE_ABOVE


def label_lines(labels, big: bool) -> list[list[str]]:
    """Each label as the page draws it: wrapped on spaces when wider than the layout allows."""
    from graph.explorer.layout import wrap_label

    font = BIG_FONT_SIZE if big else FONT_SIZE
    return [wrap_label(str(label), font) for label in labels]


def analyse(view, options: HtmlOptions) -> Analysis:
    """Centrality, blocs and layout of the view, from one aggregation of it (``pair_table``)."""
    from graph.view.pairs import pair_table

    pairs = pair_table(view)
    table = centrality(view, options.size_by, pairs)
    alignment = page_blocs(view, options.blocs, pairs)
    cluster, names = bloc_codes(view.nodes.index, alignment)
    xy = None
    if options.layout != "physics":
        scores = np.nan_to_num(table[options.size_by].to_numpy(dtype=float))
        xy = positions(pairs, cluster, scores, view.nodes["label"], is_big(view))
    return Analysis(table, cluster, alignment.method, xy, names)


def positions(pairs, cluster: list[int], scores: np.ndarray, labels, big: bool) -> np.ndarray:
    """Precomputed positions of the actors of ``pairs`` (see ``graph.explorer.layout``)."""
    from graph.explorer.layout import footprints, layout_positions

    # Big maps show labels only once zoomed in: making room for them would spread the overview
    # (and its fit) several times wider, so there the layout makes room for the shapes alone.
    room = [[] for _ in range(len(labels))] if big else label_lines(labels, big)
    boxes = footprints(room, _sizes(scores), BIG_FONT_SIZE if big else FONT_SIZE)
    return layout_positions(pairs, np.array(cluster, dtype=np.int64), boxes)


def payload(ds, view, options: HtmlOptions, analysis: Analysis | None = None, history: dict | None = None,
            confidence: dict[str, float] | None = None) -> dict:
    """Everything the page draws, as compact column lists (nodes by index, events by index).

    ``analysis`` (centrality, blocs, positions) is computed when not given. ``history`` is
    ``BlocHistory.to_dict()`` (blocs per period) for the period slider, ``confidence`` each actor's
    bootstrap confidence in its bloc; both optional.
    """
    events = view.all_events()
    analysis = analysis or analyse(view, options)
    metrics = [m for m in analysis.table.columns if m not in ("label", "kind")]
    rank = analysis.table[metrics].rank(method="min", ascending=False)
    big = is_big(view)
    data = page_frame(ds, view.nodes, view.types, options, analysis, rank, big,
                      label_lines(view.nodes["label"], big), history, confidence)
    data["aggregate"] = len(events) > AGGREGATE_ABOVE
    data["events"] = event_columns(events, pd.Index(view.nodes.index), view.types)
    return data


def page_frame(ds, nodes, types, options: HtmlOptions, analysis: Analysis, rank: pd.DataFrame, big: bool,
               lines: list[list[str]], history: dict | None = None, confidence: dict | None = None) -> dict:
    """The payload without its events: settings, types, blocs, periods and the actors ``nodes`` with
    their figures from ``analysis`` (rows in ``nodes`` order) and ``rank`` (indexed by actor id)."""
    from graph.analysis.centrality import METRICS

    index = pd.Index(nodes.index)
    table, cluster, xy = analysis.table, analysis.cluster, analysis.xy
    metrics = [m for m in table.columns if m not in ("label", "kind")]
    rank = rank.reindex(index)
    scores = np.nan_to_num(table[options.size_by].to_numpy(dtype=float))
    all_labels = dict(zip(ds.nodes.index, ds.nodes["label"]))
    affiliation = [all_labels.get(a, a) if a else "" for a in nodes["affiliation"]]
    kinds = [k for k in KINDS if k in set(nodes["kind"])] or list(KINDS)
    kind_code = {k: i for i, k in enumerate(kinds)}
    return {
        "title": options.title,
        "colorBy": options.color_by,
        "layout": options.layout,
        "settle": options.layout == "physics",
        "big": big,
        "font": BIG_FONT_SIZE if big else FONT_SIZE,
        "aggregateAbove": AGGREGATE_ABOVE,
        "layerAbove": LAYER_ABOVE,
        "clusterMethod": analysis.method,
        "blocNames": analysis.names,
        "confidence": {"resamples": options.resamples} if confidence is not None else None,
        "periods": period_payload(history, index, cluster) if history is not None else None,
        "sizeBy": options.size_by,
        "metrics": [{"k": m, "t": METRICS.get(m, "")} for m in metrics],
        "kinds": kinds,
        "polarities": list(POLARITIES),
        "types": {
            "k": list(types.index),
            "l": [str(x) for x in types["label"]],
            "p": [POLARITIES.index(p) for p in types["polarity"]],
            "w": [_number(w) for w in types["weight"]],
            "d": [int(bool(d)) for d in types["directed"]],
        },
        "nodes": {
            "id": [str(i) for i in nodes.index],
            "l": [str(x) for x in nodes["label"]],
            "k": [kind_code[k] for k in nodes["kind"]],
            "a": affiliation,
            "al": [str(x) for x in nodes["aliases"]],
            "d": [str(x) for x in nodes["description"]],
            "c": cluster,
            "wl": ["\n".join(ls) if len(ls) > 1 else "" for ls in lines],
            "cf": [] if confidence is None else [_share(confidence.get(i)) for i in nodes.index],
            "s": [_number(s) for s in scores],
            "z": _sizes(scores),
            "m": [[_number(v) for v in np.nan_to_num(table[m].to_numpy(dtype=float))] for m in metrics],
            "r": [[int(r) for r in rank[m]] for m in metrics],
            "x": [] if xy is None else [float(v) for v in xy[:, 0]],
            "y": [] if xy is None else [float(v) for v in xy[:, 1]],
        },
        "top": None,
        "edges": None,
    }


def event_columns(events: pd.DataFrame, index: pd.Index, types: pd.DataFrame) -> dict:
    """Events as the page's column lists: ends as positions in ``index``, type as position in ``types``."""
    src = index.get_indexer(events["source"])
    dst = index.get_indexer(events["target"])
    if len(events) and (src.min() < 0 or dst.min() < 0):
        raise ActorgraphError("the view has events whose actors are not among its nodes")
    return {
        "s": [int(i) for i in src],
        "t": [int(i) for i in dst],
        "y": [int(i) for i in pd.Index(list(types.index)).get_indexer(events["type"])],
        "w": [_number(w) for w in events["weight"]],
        "d": [str(x) for x in events["date"]],
        "a": _days(events["start"]),
        "b": _days(events["end"]),
        "n": [str(x) for x in events["note"]],
        "c": [str(x) for x in events["citation"]],
    }


def render(data: dict, live: bool = False) -> str:
    """The page for a payload: our template with vis-network, our script and the data inlined.

    ``live`` (``actorgraph serve``) adds the update-stream client ``live.js`` and the error banner,
    and lets the page connect to its own origin (``connect-src 'self'``), nothing else.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
    vis_js, vis_css = vis_assets()
    app_js = _inline((TEMPLATES / "explorer.js").read_text(encoding="utf-8"), "explorer.js", "</script")
    app_css = _inline((TEMPLATES / "explorer.css").read_text(encoding="utf-8"), "explorer.css", "</style")
    live_js = _inline((TEMPLATES / "live.js").read_text(encoding="utf-8"), "live.js", "</script") if live else ""
    scripts = " ".join(_csp_hash(js) for js in (vis_js, app_js, live_js) if js)
    csp = ("default-src 'none'; " f"script-src {scripts}; " + ("connect-src 'self'; " if live else "") +
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    # Markup() marks text as already safe for its context: library code checked by _inline, and the
    # data JSON escaped by script_json. Nothing else bypasses autoescape.
    return env.get_template("explorer.html.j2").render(
        title=data["title"], csp=csp,
        vis_js=Markup(vis_js), vis_css=Markup(vis_css), app_js=Markup(app_js), app_css=Markup(app_css),
        live_js=Markup(live_js), data_json=Markup(script_json(data)),
    )


def check_options(options: HtmlOptions) -> None:
    """Raise ``ActorgraphError`` for an unknown colour scheme, layout or metric."""
    from graph.analysis.centrality import check_metrics

    if options.color_by not in COLOR_BY:
        raise ActorgraphError(f"unknown --color-by '{options.color_by}'; use one of {', '.join(COLOR_BY)}")
    if options.layout not in LAYOUTS:
        raise ActorgraphError(f"unknown --layout '{options.layout}'; use one of {', '.join(LAYOUTS)}")
    check_metrics([options.size_by])
    if options.size_by == "all":
        raise ActorgraphError("--size-by takes one metric, not 'all'")
    if options.every is not None and options.every not in EVERY:
        raise ActorgraphError(f"unknown --every '{options.every}'; use one of {', '.join(EVERY)}")
    if options.window is not None and options.every is None:
        raise ActorgraphError("--window needs --every (it sets how far back each period's blocs look)")
    if options.resamples < 1:
        raise ActorgraphError("--resamples must be 1 or more")
    if options.top is not None and options.top < 1:
        raise ActorgraphError("--top must be a positive number of actors")
    check_metrics([options.top_by])
    if options.top_by == "all":
        raise ActorgraphError("--top-by takes one metric, not 'all'")


def blocs_extras(ds, view, filters, options: HtmlOptions, progress=SILENT) -> tuple[dict | None, dict | None]:
    """``(history, confidence)`` for ``payload``: blocs per period when ``options.every`` is set, a
    bootstrap confidence per actor when ``options.confidence``; None for what is not asked."""
    history = confidence = None
    if options.every:
        from graph.analysis.alignment.over_time import blocs_over_time

        history = blocs_over_time(ds, filters, options.every, window=options.window,
                                  settings=page_settings(options.blocs), progress=progress).to_dict()
    if options.confidence:
        from graph.analysis.alignment.confidence import bloc_confidence

        view.all_events()  # resampling needs the events in memory: a store view says so here
        confidence = bloc_confidence(view, settings=page_settings(options.blocs), resamples=options.resamples,
                                     seed=options.blocs.seed, progress=progress)
    return history, confidence


def explorer_html(ds, filters, options: HtmlOptions = HtmlOptions(), progress=SILENT) -> str:
    """The explorer page for the view ``select(ds, filters)``, with blocs per period when
    ``options.every`` is set and a bootstrap confidence per actor when ``options.confidence``.

    With ``options.top`` (and always for an event store, whose events stay with its engine: then
    ``DEFAULT_TOP`` actors unless told) the page draws the top N actors and the aggregated edges among
    them (``graph.explorer.top_map``); otherwise every actor and every event."""
    from graph.view.select import select

    check_options(options)
    view = select(ds, filters)
    history, confidence = blocs_extras(ds, view, filters, options, progress)
    top = options.top if options.top is not None or view.in_memory else default_top()
    if top is None:
        return render(payload(ds, view, options, history=history, confidence=confidence))
    from graph.explorer.top_map import top_payload

    return render(top_payload(ds, view, replace(options, top=top), history=history, confidence=confidence))


def default_top() -> int:
    """Actors a map of an event store shows when no --top is given (``graph.analysis.top.DEFAULT_TOP``)."""
    from graph.analysis.top import DEFAULT_TOP

    return DEFAULT_TOP


def write_page(text: str, path: Path) -> Path:
    """Write the page atomically (temporary file in the same folder, then rename); return the path."""
    from graph.store.safe_write import atomic_write

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))
    return path
