"""Engines that answer for a data folder's events: pandas (in memory), DuckDB and Spark (event stores).

``open_data(folder, engine=...)`` is the one way commands open a data folder: a ``Dataset`` for the
pandas path, an ``EngineData`` otherwise (see ``graph.view.engine``).

| folder      | default  | pandas                          | duckdb                          | spark        |
| ----------- | -------- | ------------------------------- | ------------------------------- | ------------ |
| CSV folder  | pandas   | ``load_dataset``                | the validated events, in DuckDB | refused      |
| event store | duckdb   | the events read into memory     | the Parquet files               | Spark SQL    |
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import ActorgraphError

ENGINES = ("pandas", "duckdb", "spark")


def default_engine(folder: Path | str) -> str:
    """pandas for a CSV folder, duckdb for an event store."""
    from graph.store.event_store import is_store

    return "duckdb" if is_store(folder) else "pandas"


def open_data(folder: Path | str, engine: str | None = None, memory_limit: str | None = None,
              spark_master: str | None = None, progress=None):
    """Open a data folder for the analyses: a ``Dataset`` (pandas) or an ``EngineData``.

    ``engine`` is ``pandas``, ``duckdb`` or ``spark`` (None: pandas for a CSV folder, duckdb for an
    event store). ``memory_limit`` caps DuckDB (e.g. ``4GB``; default half the RAM); ``spark_master``
    is Spark's master URL. Raises ``DataError`` for invalid actors or types (and, for a CSV folder,
    events) and ``ActorgraphError`` for an unknown engine. Close an ``EngineData`` with
    ``close_data`` when done.
    """
    from graph.progress import SILENT
    from graph.store.event_store import event_files, is_store, load_store_tables

    folder = Path(folder)
    progress = progress or SILENT
    engine = engine or default_engine(folder)
    if engine not in ENGINES:
        raise ActorgraphError(f"unknown engine '{engine}'; use one of {', '.join(ENGINES)}")
    store = is_store(folder)
    if engine == "spark":
        if not store:
            raise ActorgraphError(f"--engine spark reads an event store (Parquet under events/); {folder} is a "
                                  "CSV folder: convert it with actorgraph convert --to parquet, or use "
                                  "--engine pandas or duckdb")
        from graph.view.engines.spark_engine import open_spark

        with progress.stage("starting Spark"):
            return open_spark(folder, master=spark_master)
    if engine == "pandas":
        with progress.stage("reading and validating the data"):
            if store:
                return _load_store_in_memory(folder)
            from graph.store.dataset import load_dataset

            return load_dataset(folder)
    from graph.view.engine import EngineData
    from graph.view.engines.duckdb_engine import DuckDBEngine

    with progress.stage("reading and validating the data"):
        if store:
            nodes, types, extra = load_store_tables(folder)
            engine_ = DuckDBEngine(types, files=event_files(folder), memory_limit=memory_limit)
            return EngineData(folder, nodes, types, engine_, {**extra, "edges.csv": list(engine_.extras)})
        from graph.store.dataset import EDGES_FILE, load_dataset

        ds = load_dataset(folder)
        extras = tuple(ds.extra_columns.get(EDGES_FILE, ()))
        engine_ = DuckDBEngine(ds.types, edges=ds.edges, memory_limit=memory_limit, extras=extras)
        return EngineData(folder, ds.nodes, ds.types, engine_, ds.extra_columns)


def _load_store_in_memory(folder: Path):
    try:
        from graph.store.event_store import load_store_dataset
    except ImportError:
        raise ActorgraphError("--engine pandas cannot read an event store in this version; use --engine duckdb "
                              "or convert the store to CSV (actorgraph convert --to csv)") from None
    return load_store_dataset(folder)


def close_data(data) -> None:
    """Release the engine of an ``EngineData`` (nothing to do for a ``Dataset``)."""
    engine = getattr(data, "engine", None)
    if engine is not None:
        engine.close()
