"""``actorgraph import gdelt|icews`` and ``actorgraph export``: event data in, graph files out."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli import cli
from graph.cli.common import bloc_options, data_option, filter_options, handle_errors, load, refuse_data_file

quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress bars (they only appear on a terminal).")


def _run_import(source, files, out, merge, quiet, store, batch_rows):
    from graph.interop import importers
    from graph.progress import Progress

    progress = Progress.for_cli(quiet)
    paths = [Path(f) for f in files]
    if store == "parquet":
        from graph.interop.store_import import import_to_store

        result = import_to_store(source, paths, out, merge=merge, progress=progress, batch_rows=batch_rows)
        name, rows, skipped, report = result.source, result.rows, result.skipped, result.report
    else:
        reader = importers.read_gdelt if source == "gdelt" else importers.read_icews
        imported = reader(paths, progress=progress)
        report = importers.write_import(imported, out, merge=merge, progress=progress)
        name, rows, skipped = imported.source, imported.rows, imported.skipped
    for what, n in skipped.items():
        click.echo(f"skipped {n} {what}" if not what.startswith("row weights") else f"{n} {what}", err=True)
    click.echo(f"{out}: {rows} {name} rows read; added {report.actors_added} actors, "
               f"{report.events_added} events, {report.types_added} types"
               + (f"; {report.duplicate_events} events already present" if report.duplicate_events else ""))
    click.echo(f"  now {report.actors_total} actors and {report.events_total} events"
               + ("; the folder validates" if store != "parquet" else
                  " in the event store; its actors and types validate"))


@cli.group(name="import")
def import_():
    """Import machine-coded event data (GDELT 2.0, ICEWS) into a data folder.

    Actors become nodes, each event an edge typed by its CAMEO code (types named cameo_<code>).
    Repeat an import with --merge to add newer files: no actor or event is ever added twice
    (events are identified by the source data set's event id, kept in the edge column event_id).

    --store parquet writes an event store instead of CSV files (see 'actorgraph convert').

    \b
    Example:
      actorgraph import gdelt 20250701.export.CSV --out gdelt-data
      actorgraph import icews events.2018.tab --out icews-data
      actorgraph import gdelt 2024*.export.CSV.zip --store parquet --out gdelt-2024
    """


def import_options(command):
    """FILES, --out, --data, --merge, --quiet and error handling: what every importer takes."""
    command = quiet_option(handle_errors(command))
    command = click.option("--merge", is_flag=True,
                           help="Add to the data already in --out (no duplicate actors or events).")(command)
    command = data_option(command)
    command = click.option("--batch-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
                           metavar="N", help="With --store parquet: rows read, converted and written at a time "
                                             "(memory stays bounded by it, however many files).")(command)
    command = click.option("--store", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True,
                           help="csv: the three CSV files; parquet: an event store (nodes.csv, "
                                "edge_types.csv and events/ as Parquet files, for data too large for "
                                "memory), streamed a file at a time.")(command)
    command = click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                           help="Data folder to write (must be empty unless --merge); "
                                "default: the --data folder.")(command)
    return click.argument("files", nargs=-1, required=True,
                          type=click.Path(exists=True, dir_okay=False, path_type=Path))(command)


@import_.command(name="gdelt")
@import_options
def import_gdelt(files, out, store, batch_rows, data_dir, merge, quiet):
    """Import GDELT 2.0 event exports (tab separated, 61 columns, no header; .zip works too).

    One edge per event naming both actors (the others are counted and reported). Actors are keyed
    by CAMEO actor code (RUSGOV becomes id rusgov, labelled "Russia — government (RUSGOV)"); a bare
    country code is a state, GOV/MIL/COP/JUD/LEG/SPY an institution affiliated to its country, MED
    media, other roles a group. Weight = the row's GoldsteinScale; date = SQLDATE; citation =
    SOURCEURL. A bare country code is labelled with its name from the shipped country table
    (BLR: "Belarus (BLR)"); codes the table lacks keep the name GDELT gives most often.

    With --store parquet any number of files (a year of daily zips) stream into an event store,
    one chunk at a time; --merge then skips events whose event_id the store already has.

    \b
    Example:
      actorgraph import gdelt 20150218230000.export.CSV --out gdelt
      actorgraph import gdelt 20150219*.export.CSV --out gdelt --merge
      actorgraph import gdelt 20250701.export.CSV --data data --merge
      actorgraph import gdelt 2024*.export.CSV.zip --store parquet --out gdelt-2024
      actorgraph import gdelt 2025*.export.CSV.zip --store parquet --out gdelt-2024 --merge
    """
    _run_import("gdelt", files, out or data_dir, merge, quiet, store, batch_rows)


@import_.command(name="icews")
@import_options
def import_icews(files, out, store, batch_rows, data_dir, merge, quiet):
    """Import ICEWS coded event files (tab separated, with a header row).

    Source Name and Target Name become actors (ids from the names, country and sectors in the
    description; the kind is guessed from name and sectors). Weight = Intensity, on the Parus CAMEO
    scale (it differs from GDELT's Goldstein values on codes 016, 022, 164, 165); date = Event Date;
    citation = story, sentence and publisher.

    \b
    Example:
      actorgraph import icews events.2018.sample.tab --out icews
      actorgraph import icews events.*.tab --store parquet --out icews-store
    """
    _run_import("icews", files, out or data_dir, merge, quiet, store, batch_rows)


@cli.command(name="export")
@data_option
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "json"]), required=True,
              help="gexf (Gephi, with a timeline), graphml (Gephi, Cytoscape) or json (node-link, for D3).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write.")
@filter_options
@click.option("--no-clusters", is_flag=True, help="Skip computing alignment clusters (every cluster is 0).")
@bloc_options
@quiet_option
@handle_errors
def export(data_dir, fmt, output, filters, no_clusters, blocs, quiet):
    """Write the actors and events as a graph file for Gephi, Cytoscape or the web.

    Nodes carry label, kind, cluster (alignment bloc, 0 = in none), bloc (its name, "(apart)" for
    an actor standing apart; blocs as in `actorgraph clusters`), affiliation, aliases,
    description; each event is one edge with type, polarity, weight, directed, date, note, citation.
    GEXF is dynamic: every dated event has a start..end spell (the days its date covers), so Gephi's
    timeline plays the crisis; there the event type is called event_type (GEXF's own "type" says
    directed or mutual). The filters select what goes in, as in the analyses.

    \b
    Example:
      actorgraph export --format gexf -o out/crisis.gexf
      actorgraph export --format json -o out/2025.json --since 2025-01 --level state
    """
    from graph.interop.export import blocs_of, export_graph, summary_of, write_export
    from graph.view.select import select
    from graph.progress import Progress

    refuse_data_file(output)

    progress = Progress.for_cli(quiet)
    view = select(load(data_dir), filters)
    clusters, names = ({}, {}) if no_clusters else blocs_of(view, blocs)
    graph = export_graph(view, clusters, progress=progress, bloc_names=names)
    write_export(graph, fmt, output, progress=progress)
    info = summary_of(graph)
    click.echo(f"wrote {output}: {info['actors']} actors, {info['events']} events, {info['clusters']} clusters",
               err=True)
