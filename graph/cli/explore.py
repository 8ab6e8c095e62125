"""``actorgraph html``: write the offline HTML explorer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from graph.cli import cli
from graph.cli.common import (bloc_options, data_option, filter_options, handle_errors, load, progress_option,
                              refuse_data_file)
from graph.explorer.page import COLOR_BY, LAYOUTS, HtmlOptions, explorer_html, write_page

DEFAULT_OUTPUT = Path("out") / "actorgraph.html"


@cli.command()
@data_option
@filter_options
@click.option("--ego", metavar="ID", help="Only this actor and those within --depth events of it.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="How many events away from --ego to go.")
@click.option("--color-by", type=click.Choice(COLOR_BY), default="cluster", show_default=True,
              help="Colour actors by alignment cluster or by kind.")
@click.option("--size-by", metavar="METRIC", default="degree", show_default=True,
              help="Size actors by this centrality metric (see `actorgraph centrality --help`).")
@click.option("--title", default="actorgraph", show_default=True, help="Page title and heading.")
@click.option("--layout", type=click.Choice(LAYOUTS), default="auto", show_default=True,
              help="precomputed: positions from python-igraph, drawn at once; physics: vis-network "
                   "physics in the browser (slow beyond a few hundred actors); auto: precomputed, "
                   "plus a brief physics settle for small maps.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
              show_default=True, help="Where to write the page.")
@bloc_options
@progress_option
@handle_errors
def html(data_dir, filters, ego, depth, color_by, size_by, title, layout, output, blocs, progress):
    """Write the interactive map as one self-contained HTML file.

    The page works offline (vis-network and everything else inlined, no network requests): actors
    shaped by kind, coloured by cluster or kind, sized by a centrality metric; events coloured by
    polarity, dashed when neutral, with arrows when directed. It has a legend, search by name or
    alias, filters for edge type, kind, cluster and date range, a side panel with an actor's events
    and sources, and neighbourhood highlight. The filter options shape what goes into the page.
    Invalid data writes nothing.

    \b
    Example:
      actorgraph html -o out/map.html
      actorgraph html --since 2025-06 --color-by kind --size-by pagerank
      actorgraph html --ego russia --depth 1 --title "Russia's neighbourhood" -o out/russia.html
    """
    refuse_data_file(output)
    ds = load(data_dir, progress)
    if ego is not None:
        filters = replace(filters, ego=ego, depth=depth)
    options = HtmlOptions(color_by=color_by, size_by=size_by, title=title, layout=layout, blocs=blocs)
    with progress.stage("building the map (clusters, centrality, layout)"):
        text = explorer_html(ds, filters, options)
    click.echo(str(write_page(text, output)))
