"""``validate`` on an event store: the edge rules of ``graph.store.dataset`` run as SQL over the Parquet files.

Each problem is reported as ``STORE/events/year=2025/month=07/part-0.parquet:ROW: message``, ROW being
the 1-based row within that file, with the CSV path's message wherever the rule is the same (required
values, unknown source / target / type with a did-you-mean, dates, weights and their sign). Two rules
are the store's own: every file must hold the columns as text, and a row must sit in the partition of
its date. At most ``LISTED_PER_RULE`` rows are listed per rule (then one line counts the rest), so a
store of a hundred million bad rows still gives a short report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graph.errors import DataError, Problem
from graph.store.event_store import event_files
from graph.view.engine import Selection
from graph.view.engines import sql
from graph.view.engines.duckdb_engine import connect
from graph.view.engines.partitions import partition_of
from graph.view.engines.store_rules import (LISTED_PER_RULE, NODE_IDS, RULE_COLUMNS, RULES, RuleReport, any_rule,
                                            checked_sql, file_problems, store_summary_info, store_tables)

_D = sql.DUCKDB


def _rows_query(files: list[Path], columns: set[str], check_nodes: bool, check_types: bool) -> str:
    """One pass over the files: every row breaking a rule, with a flag per rule (``store_rules``)."""
    q = _D.quote
    listed = ", ".join(_D.string(str(f)) for f in files)
    parts = [partition_of(f) or (-1, -1) for f in files]  # -1: outside the layout, not checked
    paths = ", ".join(f"({_D.string(str(f))}, {i}, {y}, {m})" for i, (f, (y, m)) in enumerate(zip(files, parts)))
    text = ", ".join((f"CAST(r.{q(c)} AS VARCHAR)" if c in columns else "CAST(NULL AS VARCHAR)") + f" AS {c}"
                     for c in RULE_COLUMNS)
    raw = (f"(SELECT o.idx AS file, r.file_row_number + 1 AS row, o.year, o.month, {text} "
           f"FROM read_parquet([{listed}], filename = true, file_row_number = true, union_by_name = true, "
           f"hive_partitioning = false) r JOIN (VALUES {paths}) o(path, idx, year, month) ON r.filename = o.path)")
    return f"SELECT * FROM ({checked_sql(raw, _D, check_nodes, check_types)}) c WHERE {any_rule('c.')}"


def check_events(folder: Path | str, nodes: pd.DataFrame | None, types: pd.DataFrame | None, con,
                 listed: int = LISTED_PER_RULE) -> list[Problem]:
    """Problems of the store's Parquet files (see the module docstring), at most ``listed`` per rule."""
    folder = Path(folder)
    problems: list[Problem] = []
    good, columns = [], set()
    for path in event_files(folder):
        found, text = file_problems(path)
        problems += found
        if not found:
            good.append(path)
            columns |= text
    if not good:
        return problems
    if nodes is not None:
        con.register(NODE_IDS, pd.DataFrame({"id": pd.Series(list(nodes.index), dtype=object)}))
    if types is not None:
        con.register(sql.TYPES, sql.selection_tables(types, Selection())[sql.TYPES])
    query = _rows_query(good, columns, nodes is not None, types is not None)
    con.execute(f"CREATE OR REPLACE TEMP TABLE ag_bad AS {query}")
    report = RuleReport(folder, good, nodes, types)
    for flag in RULES:
        total = con.execute(f"SELECT count(*) FROM ag_bad WHERE {flag}").fetchall()[0][0]
        if total:
            rows = con.execute(f"SELECT * FROM ag_bad WHERE {flag} ORDER BY file, row LIMIT {int(listed)}").df()
            problems += report.problems(flag, rows, total)
    con.execute("DROP TABLE ag_bad")
    return problems


def validate_store(folder: Path | str, memory_limit: str | None = None, listed: int = LISTED_PER_RULE):
    """Validate an event store with DuckDB: ``(nodes, types)`` when valid, else ``DataError`` listing
    every problem (nodes.csv and edge_types.csv as in a CSV folder, the Parquet files by file and row)."""
    import shutil
    import tempfile

    folder = Path(folder)
    problems: list[Problem] = []
    nodes, types = store_tables(folder, problems)
    temp = tempfile.mkdtemp(prefix="actorgraph-duckdb-")
    con = connect(memory_limit, temp)
    try:
        problems += check_events(folder, nodes, types, con, listed)
    finally:
        con.close()
        shutil.rmtree(temp, ignore_errors=True)
    if problems:
        raise DataError(problems)
    return nodes, types


def store_summary(nodes: pd.DataFrame, types: pd.DataFrame, engine) -> dict:
    """``graph.store.dataset.summary`` of a store, counted by a ``DuckDBEngine`` over its files."""
    events = engine.events_relation(None)
    con = engine.con
    con.register(sql.TYPES, sql.selection_tables(types, Selection())[sql.TYPES])
    total, undated, used = con.execute(
        f"SELECT count(*), count(*) - count(span_start), count(DISTINCT type) FROM {events} e").fetchall()[0]
    polarity = con.execute(f"SELECT t.polarity, count(*) FROM {events} e JOIN {sql.TYPES} t ON e.type = t.type "
                           "GROUP BY t.polarity ORDER BY count(*) DESC, t.polarity").fetchall()

    def first(order: str):
        got = con.execute(f"SELECT date FROM {engine.events_relation(None, ordered=True)} e "
                          f"WHERE span_start IS NOT NULL ORDER BY {order}, ag_ord LIMIT 1").fetchall()
        return got[0][0] if got else None

    return store_summary_info(nodes, types, total, polarity, used, undated, first("span_start"),
                              first("span_end DESC"))
