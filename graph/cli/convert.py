"""``actorgraph convert``: a data folder to an event store (Parquet) and back."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli import cli
from graph.cli.common import data_option, handle_errors, progress_option


@cli.command(name="convert")
@data_option
@click.option("--to", "to", type=click.Choice(["parquet", "csv"]), required=True,
              help="parquet: write an event store (nodes.csv, edge_types.csv, events/ as Parquet files); "
                   "csv: write the three CSV files back.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The new folder to write (must not exist, or be empty).")
@progress_option
@handle_errors
def convert(data_dir, to, out, progress):
    """Move a data folder between its two forms: three CSV files, or an event store.

    An event store keeps nodes.csv and edge_types.csv as they are and the events as Parquet files
    under events/year=YYYY/month=MM/ (undated events under year=0/month=0), every column text,
    so DuckDB or Spark can read them without loading them into memory. The data is validated
    first; nothing is written when it has a problem. Conversion is lossless: every cell, the
    column order and the row order are kept, and converting back gives edges.csv byte for byte
    when it was written with standard CSV quoting (as Python's csv module, pandas or a
    spreadsheet's "CSV UTF-8" write it). The new folder appears whole or not at all.

    \b
    Example:
      actorgraph convert --data data --to parquet --out data-store
      actorgraph convert --data data-store --to csv --out data-again
    """
    from graph.store.convert import convert as convert_folder

    report = convert_folder(data_dir, out, to=to, progress=progress)
    where = f" in {report.event_files} Parquet files" if to == "parquet" else " in edges.csv"
    click.echo(f"wrote {out}: {report.events} events{where}", err=True)
