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
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from graph.analysis.alignment.of_view import BlocSettings
from graph.errors import ActorgraphError
from graph.store.dataset import KINDS, POLARITIES

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_VERSION = "9.1.2"
COLOR_BY = ("cluster", "kind")
LAYOUTS = ("auto", "physics", "precomputed")
#: Above this many events, parallel events are drawn as one edge per pair, polarity and direction.
AGGREGATE_ABOVE = 2000
#: Above this many drawn edges the page draws them itself in batched canvas strokes instead of as
#: vis-network edge objects (which take ~30 µs each to build); they are then picked by click, not hover.
LAYER_ABOVE = 10000
#: With ``--layout auto``, views up to this many actors get a brief physics settle after the layout.
SETTLE_UP_TO = 150
#: Metrics whose ranks the side panel shows (besides the one sizing the nodes).
RANK_METRICS = ("degree", "betweenness", "pagerank")
#: Seconds the cluster search may take on a large view before it settles for its best heuristic answer.
CLUSTER_TIME_LIMIT = 10.0
MIN_SIZE, MAX_SIZE = 8.0, 40.0

_EPOCH = np.datetime64("1970-01-01", "D")
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                               "\u2028": "\\u2028", "\u2029": "\\u2029"})
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


@dataclass(frozen=True)
class HtmlOptions:
    """How the page looks: colour, size, title and layout."""

    color_by: str = "cluster"
    size_by: str = "degree"
    title: str = "actorgraph"
    layout: str = "auto"
    blocs: BlocSettings = BlocSettings()


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


def clusters_of(view, settings=None) -> tuple[list[int], str]:
    """Each actor's alignment bloc (1-based; 0 for actors standing apart and the unaligned) and the
    method that found them, under ``settings`` (a ``BlocSettings``; the time limit is capped at
    ``CLUSTER_TIME_LIMIT``). ``blocs_of_view`` gives the whole ``Alignment`` (names, apart)."""
    from dataclasses import replace

    from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view

    settings = settings or BlocSettings()
    alignment = blocs_of_view(view, replace(settings, time_limit=min(settings.time_limit, CLUSTER_TIME_LIMIT)))
    return [int(alignment.cluster_of.get(i, 0)) for i in view.nodes.index], alignment.method


def centrality(view, size_by: str) -> pd.DataFrame:
    """The size metric and the ranked metrics for every actor of the view."""
    from graph.analysis.centrality import centrality_table

    metrics = list(dict.fromkeys([size_by, *RANK_METRICS]))
    return centrality_table(view, metrics)


def payload(ds, view, options: HtmlOptions) -> dict:
    """Everything the page draws, as compact column lists (nodes by index, events by index)."""
    from graph.analysis.centrality import METRICS

    nodes, events, types = view.nodes, view.events, view.types
    index = pd.Index(nodes.index)
    table = centrality(view, options.size_by)
    cluster, method = clusters_of(view, options.blocs)
    metrics = [m for m in table.columns if m not in ("label", "kind")]
    rank = table[metrics].rank(method="min", ascending=False)

    src = index.get_indexer(events["source"])
    dst = index.get_indexer(events["target"])
    if len(events) and (src.min() < 0 or dst.min() < 0):
        raise ActorgraphError("the view has events whose actors are not among its nodes")
    if options.layout == "physics":
        xy = None
    else:
        from graph.explorer.layout import layout_positions

        xy = layout_positions(len(nodes), np.column_stack([src, dst]))

    type_keys = list(types.index)
    type_code = pd.Index(type_keys).get_indexer(events["type"])
    all_labels = dict(zip(ds.nodes.index, ds.nodes["label"]))
    affiliation = [all_labels.get(a, a) if a else "" for a in nodes["affiliation"]]
    kinds = [k for k in KINDS if k in set(nodes["kind"])] or list(KINDS)
    kind_code = {k: i for i, k in enumerate(kinds)}
    scores = table[options.size_by].to_numpy(dtype=float)
    return {
        "title": options.title,
        "colorBy": options.color_by,
        "layout": options.layout,
        "settle": options.layout == "physics" or (options.layout == "auto" and len(nodes) <= SETTLE_UP_TO),
        "aggregate": len(events) > AGGREGATE_ABOVE,
        "aggregateAbove": AGGREGATE_ABOVE,
        "layerAbove": LAYER_ABOVE,
        "clusterMethod": method,
        "sizeBy": options.size_by,
        "metrics": [{"k": m, "t": METRICS.get(m, "")} for m in metrics],
        "kinds": kinds,
        "polarities": list(POLARITIES),
        "types": {
            "k": type_keys,
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
            "s": [_number(s) for s in np.nan_to_num(scores)],
            "z": _sizes(np.nan_to_num(scores)),
            "m": [[_number(v) for v in np.nan_to_num(table[m].to_numpy(dtype=float))] for m in metrics],
            "r": [[int(r) for r in rank[m]] for m in metrics],
            "x": [] if xy is None else [float(v) for v in xy[:, 0]],
            "y": [] if xy is None else [float(v) for v in xy[:, 1]],
        },
        "events": {
            "s": [int(i) for i in src],
            "t": [int(i) for i in dst],
            "y": [int(i) for i in type_code],
            "w": [_number(w) for w in events["weight"]],
            "d": [str(x) for x in events["date"]],
            "a": _days(events["start"]),
            "b": _days(events["end"]),
            "n": [str(x) for x in events["note"]],
            "c": [str(x) for x in events["citation"]],
        },
    }


def render(data: dict) -> str:
    """The page for a payload: our template with vis-network, our script and the data inlined."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
    vis_js, vis_css = vis_assets()
    app_js = _inline((TEMPLATES / "explorer.js").read_text(encoding="utf-8"), "explorer.js", "</script")
    app_css = _inline((TEMPLATES / "explorer.css").read_text(encoding="utf-8"), "explorer.css", "</style")
    csp = ("default-src 'none'; " f"script-src {_csp_hash(vis_js)} {_csp_hash(app_js)}; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    # Markup() marks text as already safe for its context: library code checked by _inline, and the
    # data JSON escaped by script_json. Nothing else bypasses autoescape.
    return env.get_template("explorer.html.j2").render(
        title=data["title"], csp=csp,
        vis_js=Markup(vis_js), vis_css=Markup(vis_css), app_js=Markup(app_js), app_css=Markup(app_css),
        data_json=Markup(script_json(data)),
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


def explorer_html(ds, filters, options: HtmlOptions = HtmlOptions()) -> str:
    """The explorer page for the view ``select(ds, filters)``."""
    from graph.view.select import select

    check_options(options)
    view = select(ds, filters)
    return render(payload(ds, view, options))


def write_page(text: str, path: Path) -> Path:
    """Write the page atomically (temporary file in the same folder, then rename); return the path."""
    from graph.store.safe_write import atomic_write

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))
    return path
