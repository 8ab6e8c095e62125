"""``actorgraph clusters``: alignment clusters (structural balance) and realignment between two windows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graph.cli import cli
from graph.cli.clusters_time import DEFAULT_RESAMPLES, check_options, history_report, with_confidence
from graph.cli.common import (_plain, bloc_options, data_option, emit, engine_options, filter_options, handle_errors,
                              load, output_options, progress_option, render_rows)
from graph.errors import ActorgraphError
from graph.view.select import select

_HELD_SHOWN = 3
#: At most this many frustrated ties are listed (text and JSON), the largest; a line (a field) says how
#: many more there are. And at most this many supporting ties per actor (``--why``, CSV, JSON).
FRUSTRATED_SHOWN = 1000
SUPPORT_SHOWN = 20

if TYPE_CHECKING:
    from graph.analysis.alignment.blocs import Alignment, Realignment


def _window(text: str) -> tuple[str | None, str | None]:
    if ":" not in text:
        raise ActorgraphError(f"--compare window '{text}' must be SINCE:UNTIL (either side may be empty)")
    since, until = (part.strip() or None for part in text.split(":", 1))
    return since, until


def _held(entry: tuple[list, int], labels: dict, limit: int | None) -> str:
    """An actor's supporting ties ``(shown, count)`` as text, at most ``limit`` (and SUPPORT_SHOWN)."""
    ties, count = entry
    shown = ties[:min(limit or SUPPORT_SHOWN, SUPPORT_SHOWN)]
    text = "; ".join(f"{'+' if w > 0 else '-'}{abs(w):g} {labels.get(o, o)}" for o, w in shown)
    if count > len(shown):
        text += f"; +{count - len(shown)} more"
    return text


def _bloc(al: Alignment, actor: str) -> str:
    """The display name of the actor's bloc, "(apart)" for an actor standing apart."""
    k = al.cluster_of.get(actor)
    return (al.names[k - 1] if k <= len(al.names) else str(k)) if k else "(apart)"


def _actor_rows(al: Alignment, labels: dict, limit: int | None) -> list[dict]:
    support = al.support_table(min(limit or SUPPORT_SHOWN, SUPPORT_SHOWN))
    rows = [{"cluster": al.cluster_of[a], "bloc": _bloc(al, a), "id": a, "label": labels.get(a, a),
             "held_by": _held(support[a], labels, limit)}
            for members in al.clusters for a in members]
    rows += [{"cluster": "", "bloc": "(apart)", "id": a, "label": labels.get(a, a),
              "held_by": _held(support[a], labels, limit)} for a in al.apart]
    rows += [{"cluster": "", "bloc": "", "id": a, "label": labels.get(a, a), "held_by": "(unaligned)"}
             for a in al.unaligned]
    return rows


def _tie_rows(al: Alignment, labels: dict) -> list[dict]:
    rows = []
    for u, v, w in al.frustrated(FRUSTRATED_SHOWN):
        why = f"hostile inside {_bloc(al, u)}" if w < 0 else f"cooperative across {_bloc(al, u)} / {_bloc(al, v)}"
        rows.append({"source": u, "target": v, "weight": w, "why": why,
                     "source_label": labels.get(u, u), "target_label": labels.get(v, v)})
    return rows


def _dumps(obj: dict, actors: int) -> str:
    # indented for people; compact (and C-fast) for big graphs
    return json.dumps(obj, indent=2 if actors <= 2000 else None, ensure_ascii=False) + "\n"


def _as_json(al: Alignment) -> dict:
    support = al.support_table(SUPPORT_SHOWN)
    out = {
        "method": al.method,
        "frustration": round(al.frustration, 10),
        "frustration_share": round(al.frustration_share, 10),
        "lower_bound": round(al.lower_bound, 10),
        "total_weight": round(al.total_weight, 10),
        "max_clusters": al.max_clusters,
        "tolerance": al.tolerance,
        "free_frustration": _plain(al.free_frustration),
        "clusters": [{"id": i, "name": name, "members": members}
                     for i, (name, members) in enumerate(zip(al.names, al.clusters), 1)],
        "apart": al.apart,
        "unaligned": al.unaligned,
        "frustrated_ties": [{"source": u, "target": v, "weight": w} for u, v, w in al.frustrated(FRUSTRATED_SHOWN)],
        "triangle_balance": _plain(al.triangle_balance),
        "triangles": al.triangles,
        "support": {a: [{"other": o, "weight": w} for o, w in ties] for a, (ties, _) in support.items()},
    }
    # Fields only big graphs have: what the capped lists leave out, and the estimate's margin.
    if al.frustrated_count > FRUSTRATED_SHOWN:
        out["frustrated_ties_not_listed"] = al.frustrated_count - FRUSTRATED_SHOWN
    more = {a: count - len(ties) for a, (ties, count) in support.items() if count > len(ties)}
    if more:
        out["support_not_listed"] = more
    if al.triangle_samples:
        out["triangle_balance_margin"] = round(al.triangle_margin, 6)
        out["triangle_sampled_ties"] = al.triangle_samples
    return out


def _summary(al: Alignment, title: str = "") -> list[str]:
    method = "exact (proven optimal)" if al.method == "exact" else \
        f"heuristic (best proven lower bound {al.lower_bound:g})"
    if al.triangle_balance is None:
        balance = "no triangle with three signed ties"
    elif al.triangle_samples:
        balance = (f"estimated {al.triangle_balance:.3f} ±{al.triangle_margin:.3f} (95%) from "
                   f"{al.triangle_samples:,} sampled ties (about {al.triangles:,} signed triangles)")
    else:
        balance = f"{al.triangle_balance:.3f} ({al.balanced_triangles} of {al.triangles} signed triangles balanced)"
    if al.max_clusters:
        rule = f"at most {al.max_clusters} clusters"
    elif al.tolerance is None:
        rule = "free optimum (any number of clusters)"
    else:
        free = "" if al.free_frustration is None else f" ({al.free_frustration:g})"
        rule = (f"the fewest whose frustration is within {100 * al.tolerance:g}% of the total |tie| "
                f"of the free optimum{free}")
    return ([title] if title else []) + [
        f"method: {method}",
        f"frustration: {al.frustration:g} of {al.total_weight:g} total |tie| ({100 * al.frustration_share:.1f}%)",
        f"triangle balance: {balance}",
        f"blocs: {len(al.clusters)} ({rule}); in blocs: {len(al.cluster_of)}; standing apart: {len(al.apart)}; "
        f"unaligned: {len(al.unaligned)}",
    ] + ([f"bloc {k}: {name}" for k, name in enumerate(al.names, 1)])


def _text(al: Alignment, labels: dict, fmt: str, why: bool, title: str = "", confidence: dict | None = None) -> str:
    lines = _summary(al, title)
    if fmt == "markdown":
        lines = [f"- {line}" for line in lines[1 if title else 0:]]
        if title:
            lines.insert(0, f"## {title}\n")
    out = "\n".join(lines) + "\n\n"
    rows, columns = with_confidence(_actor_rows(al, labels, None if why else _HELD_SHOWN),
                                    ["cluster", "bloc", "id", "label", "held_by"], confidence)
    out += render_rows(rows, fmt, columns)
    if al.apart:
        out += ("\nstanding apart: no cooperative tie holds them in any bloc (held_by lists their ties); "
                "they are no bloc of their own\n")
    ties = _tie_rows(al, labels)
    out += "\nfrustrated ties, largest first" + (":\n\n" if fmt == "markdown" else ":\n")
    out += render_rows(ties, fmt, ["source", "target", "weight", "why"]) if ties else "(none)\n"
    if al.frustrated_count > len(ties):
        out += (f"\n... and {al.frustrated_count - len(ties):,} more frustrated ties, none stronger than those "
                f"listed (the {len(ties):,} largest are shown)\n")
    return out


def _named(al: Alignment, k: int | None, apart: str = "") -> str:
    """Cluster k as "k (its name)"; ``apart`` for None."""
    return f"{k} ({al.names[k - 1]})" if k and k <= len(al.names) else str(k or apart)


def _compare_rows(r: Realignment, labels: dict) -> list[dict]:
    rows = []
    for before, after, shared in r.matches:
        left = r.before.clusters[before - 1] if before else []
        right = r.after.clusters[after - 1] if after else []
        rows.append({"before": _named(r.before, before), "after": _named(r.after, after), "shared": shared,
                     "members_before": ", ".join(left), "members_after": ", ".join(right)})
    return rows


def _moved_rows(r: Realignment, labels: dict) -> list[dict]:
    return [{"id": a, "label": labels.get(a, a), "before": _named(r.before, b, "(apart)"),
             "after": _named(r.after, c, "(apart)")} for a, b, c in r.moved]


@cli.command()
@data_option
@filter_options
@bloc_options
@click.option("--compare", nargs=2, metavar="SINCE1:UNTIL1 SINCE2:UNTIL2",
              help="Cluster two windows and show who moved (either side of ':' may be empty).")
@click.option("--why", is_flag=True, help="List every tie that holds each actor in its cluster (default: 3).")
# --- blocs over time and confidence (graph/cli/clusters_time.py) ---
@click.option("--every", type=click.Choice(["month", "quarter", "year"]),
              help="Blocs of each period, matched so a bloc keeps its id, with every move listed.")
@click.option("--window", metavar="LENGTH", help="With --every: each period's window is LENGTH long, ending "
              "with the period (6M, 2Q, 1Y, or a number of periods such as 4). Default: the period itself.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.png",
              help="With --every: also draw the blocs over time as an alluvial chart.")
@click.option("--dated-only", is_flag=True, help="With --every: leave undated rows (standing relations) out of "
              "every period (default: they count in every period, as in any window).")
@click.option("--confidence", is_flag=True, help="Bootstrap the events: for each aligned actor, the share of "
              "resamples in which it stays with the core of its cluster.")
@click.option("--resamples", type=click.IntRange(min=1), metavar="N",
              help=f"With --confidence: number of resamples (default {DEFAULT_RESAMPLES}; --seed seeds them).")
# --- end blocs over time ---
@engine_options
@output_options
@progress_option
@handle_errors
def clusters(data_dir, filters, blocs, compare, why, every, window, plot, dated_only, confidence, resamples, engine,
             fmt, output, progress):
    """Alignment clusters: who stands with whom, by structural balance.

    Splits the actors with signed ties into clusters so that cooperation falls inside clusters and
    hostility between them, minimising the frustration: the total |tie| of hostile ties inside
    clusters plus cooperative ties across (a pair's tie is the sum of its events' weights in the
    window; at actor level an affiliation adds a cooperative tie of --affiliation-weight). By default
    it takes the fewest blocs whose frustration is within --tolerance of the free optimum; actors
    that no cooperative tie holds in a bloc stand apart, listed on their own. Blocs are named after
    their most central member. Solved exactly by integer programming when the solver proves optimality within
    --time-limit, otherwise by a seeded heuristic that reports the best proven lower bound; the
    report says which. Also shows the frustrated ties (tensions that do not fit the camps), the ties
    that hold each actor in its cluster, the unaligned actors (no signed tie) and the share of
    balanced triangles.

    \b
    Example:
      actorgraph clusters
      actorgraph clusters --free --affiliation-weight 0
      actorgraph clusters --clusters 2 --level state --format json
      actorgraph clusters --compare :2024-11 2025-06:2025-07
      actorgraph clusters --level state --every year --plot blocs.png
      actorgraph clusters --level state --confidence --resamples 500
    """
    # Imported here, not at the top: the solver stack (scipy, igraph) would slow every command's start.
    from graph.analysis.alignment.blocs import compare as compare_alignments
    from graph.analysis.alignment.of_view import blocs_of_view

    check_options(every, window, plot, confidence, resamples, dated_only, compare, why)
    ds = load(data_dir, progress, engine)
    if confidence and getattr(ds, "engine", None) is not None:
        raise ActorgraphError(f"--confidence resamples the events, which stay with the {ds.engine.name} engine; "
                              "use --engine pandas (the events then load into memory) or drop --confidence")
    labels = dict(zip(ds.nodes.index, ds.nodes["label"]))

    def run(f):
        with progress.stage("finding alignment clusters"):
            return blocs_of_view(select(ds, f), blocs)

    if every:
        emit(history_report(ds, filters, every, window, blocs, fmt, labels, plot, dated_only, progress), output)
        return
    if not compare:
        al = run(filters)
        scores = None
        if confidence:
            from graph.analysis.alignment.confidence import bloc_confidence

            scores = bloc_confidence(select(ds, filters), blocs, resamples or DEFAULT_RESAMPLES, blocs.seed,
                                     progress, base=al)
        if fmt == "json":
            text = _dumps(_as_json(al) | ({"confidence": scores} if confidence else {}),
                          len(al.cluster_of) + len(al.unaligned))
        elif fmt == "csv":
            rows, columns = with_confidence(_actor_rows(al, labels, None),
                                            ["id", "label", "cluster", "bloc", "held_by"], scores)
            text = render_rows(rows, "csv", columns)
        else:
            text = _text(al, labels, fmt, why, confidence=scores)
        emit(text, output)
        return

    if filters.since or filters.until:
        raise ActorgraphError("--compare sets both windows; drop --since/--until")
    windows = [_window(w) for w in compare]
    before, after = (run(filters.with_window(*w)) for w in windows)
    r = compare_alignments(before, after)
    names = [f"{w[0] or '...'} to {w[1] or '...'}" for w in windows]
    if fmt == "json":
        obj = {"windows": [{"since": s, "until": u} for s, u in windows],
               "before": _as_json(before), "after": _as_json(after),
               "matches": [{"before": b, "after": a, "shared": s} for b, a, s in r.matches],
               "moved": [{"id": a, "before": b, "after": c} for a, b, c in r.moved],
               "appeared": r.appeared, "disappeared": r.disappeared,
               "parted": [list(p) for p in r.parted], "joined": [list(p) for p in r.joined]}
        text = _dumps(obj, len(before.cluster_of) + len(after.cluster_of))
    elif fmt == "csv":
        def bloc(al: Alignment, a: str):
            return al.cluster_of.get(a, "apart" if a in set(al.apart) else "")

        rows = [{"id": a, "label": labels.get(a, a), "before": bloc(before, a), "after": bloc(after, a),
                 "moved": "yes" if a in {m[0] for m in r.moved} else ""}
                for a in sorted(set(before.cluster_of) | set(before.apart) | set(after.cluster_of) | set(after.apart))]
        text = render_rows(rows, "csv", ["id", "label", "before", "after", "moved"])
    else:
        text = _text(before, labels, fmt, why, f"before: {names[0]}") + "\n"
        text += _text(after, labels, fmt, why, f"after: {names[1]}") + "\n"
        text += "clusters matched by shared members:\n" + render_rows(
            _compare_rows(r, labels), fmt, ["before", "after", "shared", "members_before", "members_after"])
        moved = _moved_rows(r, labels)
        text += "\nmoved:\n" + (render_rows(moved, fmt, ["id", "label", "before", "after"]) if moved else "(none)\n")
        for title, pairs in (("parted (together before, apart after)", r.parted),
                             ("joined (apart before, together after)", r.joined)):
            if pairs:
                text += f"\n{title}:\n" + render_rows(
                    [{"actor": labels.get(x, x), "with": labels.get(y, y)} for x, y in pairs], fmt, ["actor", "with"])
        if r.appeared:
            text += "\naligned only after: " + ", ".join(r.appeared) + "\n"
        if r.disappeared:
            text += "aligned only before: " + ", ".join(r.disappeared) + "\n"
    emit(text, output)

