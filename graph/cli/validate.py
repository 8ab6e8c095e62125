"""``actorgraph validate``: check the data folder and summarise it."""

from __future__ import annotations

import json

import click

from graph.cli import cli
from graph.cli.common import EngineChoice, data_option, engine_options, handle_errors, load, progress_option
from graph.store.dataset import summary


@cli.command()
@data_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Summary format.")
@engine_options
@progress_option
@handle_errors
def validate(data_dir, fmt, engine, progress):
    """Check the data folder and print a summary.

    Reports every problem as FILE:LINE: what is wrong (with a suggestion where one exists) and exits
    with status 1; on valid data prints actors by kind, events by polarity and the date range.

    An event store (Parquet files under events/) is checked by the same rules, run as SQL by DuckDB
    (--engine spark: by Spark, with the same report; --engine pandas: in memory); a problem in a
    Parquet file is reported as FILE:ROW, ROW being the 1-based row within that file, e.g.
    STORE/events/year=2025/month=07/part-0.parquet:12. A store's files must also keep every column as
    text and each row in the year=/month= folder of its date. At most 1000 rows are listed per rule;
    one more line counts the rest.

    \b
    Example:
      actorgraph validate --data data
      actorgraph validate --data gdelt-store --memory-limit 4GB
      actorgraph validate --data gdelt-store --engine spark --spark-master 'local[*]'
    """
    checker = _store_checker(data_dir, engine)
    if checker == "spark":
        from graph.view.engines.spark_validate import validate_store

        with progress.stage("validating the event store with Spark"):
            info = validate_store(data_dir, engine.spark_master, engine.memory_limit)
    elif checker == "duckdb":
        info = _store_summary(data_dir, engine, progress)
    else:  # a CSV folder (pandas reads it whatever the engine) or a store read into memory
        info = summary(load(data_dir, progress, EngineChoice("pandas") if engine.engine == "duckdb" else engine))
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


def _store_checker(data_dir, engine) -> str | None:
    """``duckdb`` or ``spark`` when the folder is an event store checked by that engine (by default
    DuckDB, Spark for events named by events.url), None when the folder is opened as for the reports
    (pandas; ``open_data`` refuses what it cannot read)."""
    from graph.store.event_store import events_url, is_store
    from graph.view.engines import default_engine

    if not is_store(data_dir):
        return None
    chosen = engine.engine or default_engine(data_dir)
    if chosen == "duckdb" and events_url(data_dir) is not None:
        return None
    return chosen if chosen in ("duckdb", "spark") else None


def _store_summary(data_dir, engine, progress) -> dict:
    from graph.store.event_store import event_files
    from graph.view.engines.duckdb_engine import DuckDBEngine
    from graph.view.engines.duckdb_validate import store_summary, validate_store

    with progress.stage("validating the event store"):
        nodes, types = validate_store(data_dir, engine.memory_limit)
    with progress.stage("summarising the events"):
        counter = DuckDBEngine(types, files=event_files(data_dir), memory_limit=engine.memory_limit)
        try:
            return store_summary(nodes, types, counter)
        finally:
            counter.close()
