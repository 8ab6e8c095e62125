"""Engines that answer for a data folder's events: pandas (in memory), DuckDB and Spark (event stores).

``open_data(folder, engine=...)`` is the one way commands open a data folder: a ``Dataset`` for the
pandas path, an ``EngineData`` otherwise (see ``graph.view.engine``).
"""
