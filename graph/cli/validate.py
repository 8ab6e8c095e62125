"""``actorgraph validate``: check the data folder and summarise it."""

from __future__ import annotations

import json

import click

from graph.cli import cli
from graph.cli.common import data_option, handle_errors, load, progress_option
from graph.store.dataset import summary


@cli.command()
@data_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Summary format.")
@progress_option
@handle_errors
def validate(data_dir, fmt, progress):
    """Check the three CSV files and print a summary.

    Reports every problem as FILE:LINE: what is wrong (with a suggestion where one exists) and exits
    with status 1; on valid data prints actors by kind, events by polarity and the date range.

    \b
    Example:
      actorgraph validate --data data
    """
    ds = load(data_dir, progress)
    info = summary(ds)
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
        return
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(info["actors_by_kind"].items()))
    polar = ", ".join(f"{n} {p}" for p, n in sorted(info["events_by_polarity"].items()))
    click.echo(f"{data_dir}: valid")
    click.echo(f"  actors: {info['actors']} ({kinds})")
    click.echo(f"  events: {info['events']} ({polar}); {info['types_used']} of {info['types']} types used")
    if info["first_date"]:
        click.echo(f"  dates:  {info['first_date']} to {info['last_date']}"
                   + (f"; {info['undated']} undated" if info["undated"] else ""))
