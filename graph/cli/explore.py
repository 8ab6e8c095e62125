"""``actorgraph html``: write the offline HTML explorer; ``page_options`` are shared with ``serve``."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import click

from graph.cli import cli
from graph.cli.clusters_time import DEFAULT_RESAMPLES
from graph.cli.common import (bloc_options, data_option, engine_options, filter_options, handle_errors, load,
                              progress_option, refuse_data_file)
from graph.explorer.page import COLOR_BY, EVERY, LAYOUTS, HtmlOptions, explorer_html, write_page

DEFAULT_OUTPUT = Path("out") / "actorgraph.html"


def top_options(command):
    """``--top N`` and ``--top-by METRIC`` (html and export): only the top N actors of the whole
    selection and the aggregated edges among them; the default for an event store."""
    from graph.analysis.top import DEFAULT_TOP, DEFAULT_TOP_BY

    command = click.option("--top-by", metavar="METRIC", default=DEFAULT_TOP_BY, show_default=True,
                           help="With --top: rank actors by this centrality metric, computed on the whole "
                                "selection (see `actorgraph centrality --help`).")(command)
    return click.option("--top", type=click.IntRange(min=1), metavar="N",
                        help="Only the N highest actors of the whole selection by --top-by (actors with no "
                             "event left out) and their edges, each summing the events of one pair, direction "
                             f"and polarity. Default: every actor for a CSV folder, {DEFAULT_TOP} for an event "
                             "store.")(command)


def page_options(command):
    """The options shared by ``html`` and ``serve``: the filters (``--ego``/``--depth`` included) become
    ``filters``, the look of the page ``options`` (an HtmlOptions)."""
    options = [
        click.option("--ego", metavar="ID", help="Only this actor and those within --depth events of it."),
        click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
                     help="How many events away from --ego to go."),
        click.option("--color-by", type=click.Choice(COLOR_BY), default="cluster", show_default=True,
                     help="Colour actors by alignment cluster or by kind."),
        click.option("--size-by", metavar="METRIC", default="degree", show_default=True,
                     help="Size actors by this centrality metric (see `actorgraph centrality --help`)."),
        click.option("--title", default="actorgraph", show_default=True, help="Page title and heading."),
        click.option("--layout", type=click.Choice(LAYOUTS), default="auto", show_default=True,
                     help="precomputed (and auto): positions computed in Python that set blocs apart and "
                          "leave room for every label, drawn at once; physics: vis-network physics in the "
                          "browser (slow beyond a few hundred actors; labels may overlap)."),
        click.option("--every", type=click.Choice(EVERY),
                     help="Add a period slider: blocs per month, quarter or year, with a play button."),
        click.option("--window", metavar="LENGTH",
                     help="With --every: each period's blocs come from the stretch of this length ending on "
                          "its last day (6M, 2Q, 1Y, or a number of periods); default: the period itself."),
        click.option("--confidence", is_flag=True,
                     help="Show a bootstrap confidence for each actor's bloc in its side panel."),
        click.option("--resamples", type=click.IntRange(min=1), metavar="N",
                     help=f"With --confidence: number of resamples (default {DEFAULT_RESAMPLES}; --seed seeds them)."),
    ]

    @functools.wraps(command)
    def wrapper(*args, filters, blocs, ego, depth, color_by, size_by, title, layout, every, window, confidence,
                resamples, **kwargs):
        if resamples is not None and not confidence:
            raise click.UsageError("--resamples needs --confidence")
        if ego is not None:
            filters = replace(filters, ego=ego, depth=depth)
        options = HtmlOptions(color_by=color_by, size_by=size_by, title=title, layout=layout, every=every,
                              window=window, confidence=confidence, resamples=resamples or DEFAULT_RESAMPLES,
                              blocs=blocs)
        return command(*args, filters=filters, options=options, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return filter_options(bloc_options(wrapper))


@cli.command()
@data_option
@page_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
              show_default=True, help="Where to write the page.")
@top_options
@engine_options
@progress_option
@handle_errors
def html(data_dir, filters, options, output, top, top_by, engine, progress):
    """Write the interactive map as one self-contained HTML file.

    The page works offline (vis-network and everything else inlined, no network requests): actors
    shaped by kind, coloured by bloc (named after its most central member) or kind, sized by a
    centrality metric; events coloured by polarity, dashed when neutral, with arrows when directed.
    The layout sets hostile blocs apart and keeps every label clear of the others. It has a legend,
    search by name or alias, filters for edge type, kind, bloc and date range, a side panel with an
    actor's events and sources, and neighbourhood highlight; with --every, a period slider that
    replays the blocs and lists each actor's moves. The filter options shape what goes into the
    page. Invalid data writes nothing.

    Large data: with --top N the map shows the N highest actors of the whole selection by --top-by
    (ranks, sizes and blocs are those of the whole selection: an actor keeps the bloc it has in the
    full picture) and one edge per pair, direction and polarity among them, summing its events.
    Clicking an edge gives its count, summed weight, first and last day and, for the heaviest
    edges, its latest events (the page carries at most 10 per pair and polarity for the 500
    heaviest edges, about 2 MB of text at most). An event store always gets such a map (300
    actors unless --top says otherwise); the period slider works there too, --confidence does not.

    \b
    Example:
      actorgraph html -o out/map.html
      actorgraph html --since 2025-06 --color-by kind --size-by pagerank
      actorgraph html --ego russia --depth 1 --title "Russia's neighbourhood" -o out/russia.html
      actorgraph html --every quarter --confidence -o out/blocs.html
      actorgraph html --data gdelt-store --top 200 --top-by pagerank -o out/gdelt.html
    """
    refuse_data_file(output)
    ds = load(data_dir, progress, engine)
    options = replace(options, top=top, top_by=top_by)
    with progress.stage("building the map (blocs, centrality, layout)"):
        text = explorer_html(ds, filters, options, progress)
    click.echo(str(write_page(text, output)))
