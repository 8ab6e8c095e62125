"""Commands ``centrality``, ``timeline``, ``show`` and ``path``: reports about actors and periods."""

from __future__ import annotations

import json

import click

from graph.cli import cli
from graph.cli.common import (bloc_options, data_option, emit, engine_options, filter_options, handle_errors, load,
                              output_options, progress_option, render_rows)
from graph.analysis.centrality import DEFAULT_METRICS, METRICS, centrality_table, check_metrics, ranked
from graph.view.select import select

_METRIC_HELP = "\n".join(f"  {name:<21} {text}" for name, text in METRICS.items())


def _names(values) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@cli.command(help=f"""Rank actors by centrality.

One row per actor of the selection (actors without events included), highest first by --sort
(default: the first metric). Undirected events (a call, a meeting) count both ways. Without
--metric the report shows {", ".join(DEFAULT_METRICS)}.

\b
Metrics:
{_METRIC_HELP}

\b
Example:
  actorgraph centrality --top 10
  actorgraph centrality --metric all --sort pagerank --since 2025-06 --format json
""")
@data_option
@click.option("--metric", "metrics", multiple=True, metavar="NAME",
              help="Metric to compute (repeat, or comma-separate; 'all' for every metric).")
@click.option("--top", type=click.IntRange(min=1), metavar="N", help="Only the N highest actors.")
@click.option("--sort", metavar="METRIC", help="Metric to rank by (default: the first metric shown).")
@filter_options
@engine_options
@output_options
@progress_option
@handle_errors
def centrality(data_dir, metrics, top, sort, filters, engine, fmt, output, progress):
    chosen = check_metrics(_names(metrics)) or list(DEFAULT_METRICS)
    if sort:
        chosen += [m for m in check_metrics([sort]) if m not in chosen]
    view = select(load(data_dir, progress, engine), filters)
    table = ranked(centrality_table(view, chosen, progress), sort or chosen[0], top)
    rows = [{"id": actor, **row} for actor, row in zip(table.index, table.to_dict("records"))]
    emit(render_rows(rows, fmt, ["id", "label", "kind", *chosen]), output)


@cli.command()
@data_option
@click.option("--pair", nargs=2, metavar="A B", help="Only the events between actors A and B (either way).")
@click.option("--freq", type=click.Choice(["month", "week"]), default="month", show_default=True,
              help="Period length.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False), metavar="FILE.png",
              help="Also draw hostile and cooperative weight per period into a PNG.")
@filter_options
@engine_options
@output_options
@handle_errors
def timeline(data_dir, pair, freq, plot_file, filters, engine, fmt, output):
    """Hostile and cooperative weight per month or week.

    hostile is the summed |weight| of hostile events in the period, cooperative the summed weight of
    cooperative ones, net = cooperative - hostile; *_events count the events. Quiet periods between
    the first and last event are listed with zeros. An event dated only by month or year (2025-07,
    2020) that covers several periods is shared among them in proportion to its days in each, so
    counts can be fractional. Undated events (standing relations) are left out, and counted in a note.

    \b
    Example:
      actorgraph timeline --pair russia azerbaijan --since 2024 --plot out/escalation.png
      actorgraph timeline --freq week --since 2025-06 --until 2025-07 --format csv
    """
    from graph.analysis.timeline import activity, plot

    view = select(load(data_dir, engine=engine), filters)
    table = activity(view, freq, tuple(pair) if pair else None)
    undated = table.attrs["undated"]
    if undated:
        click.echo(f"note: {undated} undated event{'s' if undated != 1 else ''} (standing relations) "
                   "not on the timeline", err=True)
    if not len(table):
        click.echo("note: no dated events in this selection" + ("; no plot written" if plot_file else ""), err=True)
    elif plot_file:
        click.echo(f"wrote {plot(table, plot_file)}", err=True)
    columns = [c for c in table.columns if fmt in ("json", "csv") or c not in ("start", "end")]
    emit(render_rows(table.to_dict("records"), fmt, columns), output)


def _profile_text(p: dict, fmt: str) -> str:
    fields = [("actor", f"{p['label']} ({p['id']}), {p['kind']}")]
    for name in ("affiliation", "aliases", "description"):
        if p[name]:
            fields.append((name, p[name]))
    if p["cluster"]:
        others = [m for m in p["cluster_members"] if m != p["id"]]
        fields.append(("cluster", f"{p['bloc']}, {p['cluster']} ({p['cluster_method']}) with {', '.join(others)}"))
    elif p.get("bloc") == "(apart)":
        fields.append(("cluster", "stands apart (no cooperative tie holds it in a bloc)"))
    else:
        fields.append(("cluster", "unaligned (no signed ties)"))
    fields.append(("events", str(len(p["events"]))))
    head = render_rows([{"field": k, "value": v} for k, v in fields], fmt)
    ranks = [{"metric": m, "value": c["value"], "rank": f"{c['rank']} of {p['actors']}"}
             for m, c in p["centrality"].items()]
    columns = ["date", "type", "direction", "counterpart", "weight", "note", "citation"]
    return "\n".join([head, render_rows(ranks, fmt), render_rows(p["events"], fmt, columns)])


@cli.command()
@click.argument("actor_id", metavar="ID")
@data_option
@filter_options
@bloc_options
@engine_options
@output_options
@handle_errors
def show(actor_id, data_dir, filters, blocs, engine, fmt, output):
    """An actor's profile: its events in date order, its cluster and its centrality ranks.

    Events list the date, type, direction (out: the actor acts; in: it is acted upon; mutual:
    undirected), the counterpart, the weight, the note and the citation; undated standing relations
    come first. Ranks are among all actors of the selection (1 = highest). The cluster is the actor's
    alignment bloc (named after its most central member) as `actorgraph clusters` computes it, with
    the same bloc options. --format csv writes the events only; json
    writes the whole profile as one object.

    \b
    Example:
      actorgraph show azerbaijan
      actorgraph show putin --since 2025-06 --format json
    """
    from graph.analysis.queries import profile

    p = profile(select(load(data_dir, engine=engine), filters), actor_id, blocs)
    if fmt == "json":
        text = json.dumps(p, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = render_rows(p["events"], "csv", list(p["events"][0]) if p["events"] else ["date", "type"])
    else:
        text = _profile_text(p, fmt)
    emit(text, output)


@cli.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@data_option
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="At most this many shortest chains.")
@filter_options
@engine_options
@output_options
@handle_errors
def path(a, b, data_dir, limit, filters, engine, fmt, output):
    """The shortest chains of events linking actor A to actor B.

    Direction is ignored: any event between two actors links them. Every chain of the shortest length
    is listed (up to --limit); each step shows all the events joining that pair, in date order.

    \b
    Example:
      actorgraph path usa russia
      actorgraph path putin zelenskyy --since 2025 --format json
    """
    from graph.analysis.queries import paths

    chains = paths(select(load(data_dir, engine=engine), filters), a, b, limit)
    if not chains:
        click.echo(f"note: no chain of events links {a} and {b} in this selection", err=True)
    if fmt == "json":
        emit(json.dumps(chains, indent=2, ensure_ascii=False) + "\n", output)
        return
    rows = [{"path": i, "step": j, "from": step["source"], "to": step["target"], **event}
            for i, chain in enumerate(chains, 1) for j, step in enumerate(chain["steps"], 1)
            for event in step["events"]]
    columns = ["path", "step", "from", "to", "date", "type", "source", "target", "note"]
    if fmt == "csv":
        columns += ["polarity", "citation"]
    emit(render_rows(rows, fmt, columns), output)
