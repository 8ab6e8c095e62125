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
from graph.store.dataset import (DATE_FORMAT_HINT, EDGES_FILE, NODES_FILE, REQUIRED, RESERVED, TYPES_FILE,
                                 WEIGHT_MAX, WEIGHT_MIN, _validate_nodes, _validate_types, read_raw, read_table,
                                 suggest)
from graph.store.event_store import EVENTS_DIR, event_files
from graph.view.engine import Selection
from graph.view.engines import sql
from graph.view.engines.duckdb_engine import connect
from graph.view.engines.partitions import partition_of

LISTED_PER_RULE = 1000
_D = sql.DUCKDB


def _tables(folder: Path, problems: list[Problem]):
    """nodes.csv and edge_types.csv validated as the CSV path does (their problems appended)."""
    raw = read_raw(folder)
    found: list[Problem] = []
    tables = {name: read_table(name, raw.get(name), found) for name in (NODES_FILE, TYPES_FILE)}
    types = _validate_types(tables[TYPES_FILE], found) if tables[TYPES_FILE] else None
    nodes = _validate_nodes(tables[NODES_FILE], found) if tables[NODES_FILE] else None
    problems += [Problem(str(folder / p.file), p.line, p.message) for p in found]
    if (folder / EDGES_FILE).exists():
        problems.append(Problem(str(folder / EDGES_FILE), 0, f"this folder has both {EDGES_FILE} and "
                                f"{EVENTS_DIR}/; keep one (actorgraph convert moves a folder between the two forms)"))
    return nodes, types


def _file_problems(path: Path) -> list[Problem]:
    """What is wrong with a Parquet file as a whole: unreadable, columns missing, reserved or not text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = str(path)
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        return [Problem(name, 0, f"not a readable Parquet file ({str(exc).splitlines()[0]}); rewrite it "
                                 "(actorgraph convert) or remove it")]
    found, seen = [], set()
    for field in schema:
        if field.name in seen:
            found.append(Problem(name, 0, f"column '{field.name}' appears twice in the header; rename one"))
        elif field.name in RESERVED[EDGES_FILE]:
            found.append(Problem(name, 0, f"column name '{field.name}' is reserved for a computed value; "
                                          "rename that column"))
        elif not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
                  or pa.types.is_null(field.type)):
            found.append(Problem(name, 0, f"column '{field.name}' holds {field.type}, not text; an event store "
                                          "keeps every column as strings (empty cells as \"\")"))
        seen.add(field.name)
    for column in REQUIRED[EDGES_FILE]:
        if column not in seen:
            found.append(Problem(name, 0, f"missing required column '{column}'{suggest(column, list(seen))}; "
                                          f"the header needs {', '.join(REQUIRED[EDGES_FILE])}"))
    return found


def _rows_query(files: list[Path], columns: set[str], check_nodes: bool, check_types: bool) -> str:
    """One pass over the files: every row breaking a rule, with a flag per rule."""
    q = _D.quote

    def text(column):
        value = f"CAST({q(column)} AS VARCHAR)" if column in columns else "CAST(NULL AS VARCHAR)"
        return _D.strip(f"coalesce({value}, '')")

    listed = ", ".join(_D.string(str(f)) for f in files)
    paths = ", ".join(f"({_D.string(str(f))}, {i}, {(partition_of(f) or (-1, -1))[0]}, "
                      f"{(partition_of(f) or (-1, -1))[1]})" for i, f in enumerate(files))
    start, _ = sql.span_sql("date", _D)
    number = "(n.w IS NOT NULL AND NOT isnan(n.w))"
    inside = f"({number} AND n.w >= {WEIGHT_MIN!r} AND n.w <= {WEIGHT_MAX!r})"
    flags = {
        "no_source": "n.source = ''", "no_target": "n.target = ''", "no_type": "n.type = ''",
        "unknown_source": "n.source <> '' AND ns.id IS NULL" if check_nodes else "FALSE",
        "unknown_target": "n.target <> '' AND nt.id IS NULL" if check_nodes else "FALSE",
        "unknown_type": "n.type <> '' AND t.type IS NULL" if check_types else "FALSE",
        "bad_date": "n.date <> '' AND n.span_start IS NULL",
        "not_number": f"n.weight <> '' AND NOT {number}",
        "outside": f"n.weight <> '' AND {number} AND NOT {inside}",
        "wrong_sign": (f"n.weight <> '' AND {inside} AND ((t.polarity = 'hostile' AND n.w > 0) OR "
                       "(t.polarity = 'cooperative' AND n.w < 0))") if check_types else "FALSE",
        "misplaced": ("o.year >= 0 AND NOT (n.date <> '' AND n.span_start IS NULL) AND "
                      "(CASE WHEN n.span_start IS NULL THEN o.year <> 0 "
                      "WHEN length(n.date) = 4 THEN o.year <> year(n.span_start) OR o.month <> 0 "
                      "ELSE o.year <> year(n.span_start) OR o.month <> month(n.span_start) END)"),
    }
    joins = ""
    if check_nodes:
        joins += " LEFT JOIN ag_node_ids ns ON n.source = ns.id LEFT JOIN ag_node_ids nt ON n.target = nt.id"
    if check_types:
        joins += f" LEFT JOIN {sql.TYPES} t ON n.type = t.type"
    polarity = "t.polarity" if check_types else "CAST(NULL AS VARCHAR)"
    return (
        f"SELECT o.idx AS file, n.file_row_number + 1 AS row, n.source, n.target, n.type, n.date, n.weight, "
        f"n.w, {polarity} AS polarity, o.year, o.month, "
        + ", ".join(f"({cond}) AS {flag}" for flag, cond in flags.items())
        + f" FROM (SELECT *, {start} AS span_start, {sql.number_sql('weight', _D)} AS w FROM ("
        f"SELECT filename, file_row_number, {text('source')} AS source, {text('target')} AS target, "
        f"{text('type')} AS type, {text('date')} AS date, {text('weight')} AS weight "
        f"FROM read_parquet([{listed}], filename = true, file_row_number = true, union_by_name = true, "
        f"hive_partitioning = false)) AS r) AS n JOIN (VALUES {paths}) o(path, idx, year, month) "
        f"ON n.filename = o.path{joins} WHERE "
        + " OR ".join(f"({cond})" for cond in flags.values()))


def _message(flag: str, row) -> str:
    """The CSV path's message for a row breaking ``flag`` (``suggest`` is added by the caller)."""
    if flag.startswith("no_"):
        return f"missing value for required column '{flag[3:]}'"
    if flag == "bad_date":
        return f"bad date '{row.date}'; {DATE_FORMAT_HINT} with a real month and day"
    if flag == "not_number":
        return f"weight '{row.weight}' is not a number; use a number from {WEIGHT_MIN:g} to {WEIGHT_MAX:g}"
    if flag == "outside":
        return f"weight {row.weight} is outside {WEIGHT_MIN:g}..{WEIGHT_MAX:g}"
    if flag == "wrong_sign":
        sign = "zero or negative" if row.polarity == "hostile" else "zero or positive"
        return (f"weight {row.w:g} contradicts polarity '{row.polarity}'; "
                f"a {row.polarity} weight must be {sign}")
    if flag == "misplaced":
        date = row.date
        year, month = (int(date[:4]), int(date[5:7]) if len(date) >= 7 else 0) if date else (0, 0)
        want = f"year={year}/month={month:02d}" if month else f"year={year}/month=0"
        return (f"date '{date}' belongs under {EVENTS_DIR}/{want}/, not under {row.folder}; "
                "partition pruning would skip it (rewrite the store with actorgraph convert)")
    raise ValueError(flag)


def _unknown(flag: str, row, ids: list[str], types: list[str], caches: dict) -> str:
    if flag == "unknown_type":
        return (f"unknown type '{row.type}'{suggest(row.type, types, caches.setdefault('type', {}))}; add it to "
                f"{TYPES_FILE} or use a known type")
    column = flag.split("_")[1]
    value = getattr(row, column)
    return f"unknown {column} node '{value}'{suggest(value, ids, caches.setdefault('node', {}))}"


def check_events(folder: Path | str, nodes: pd.DataFrame | None, types: pd.DataFrame | None, con,
                 listed: int = LISTED_PER_RULE) -> list[Problem]:
    """Problems of the store's Parquet files (see the module docstring), at most ``listed`` per rule."""
    folder = Path(folder)
    files = event_files(folder)
    problems: list[Problem] = []
    good = []
    for path in files:
        found = _file_problems(path)
        problems += found
        if not found:
            good.append(path)
    if not good:
        return problems
    from graph.view.engines.duckdb_engine import parquet_columns

    if nodes is not None:
        con.register("ag_node_ids", pd.DataFrame({"id": pd.Series(list(nodes.index), dtype=object)}))
    if types is not None:
        con.register(sql.TYPES, sql.selection_tables(types, Selection())[sql.TYPES])
    query = _rows_query(good, set(parquet_columns(good)), nodes is not None, types is not None)
    con.execute(f"CREATE OR REPLACE TEMP TABLE ag_bad AS {query}")
    ids = list(nodes.index) if nodes is not None else []
    type_keys = list(types.index) if types is not None else []
    caches: dict = {}
    flags = ("no_source", "no_target", "no_type", "unknown_source", "unknown_target", "unknown_type", "bad_date",
             "not_number", "outside", "wrong_sign", "misplaced")
    for flag in flags:
        total = con.execute(f"SELECT count(*) FROM ag_bad WHERE {flag}").fetchall()[0][0]
        if not total:
            continue
        rows = con.execute(f"SELECT * FROM ag_bad WHERE {flag} ORDER BY file, row LIMIT {int(listed)}").df()
        rows["folder"] = [good[int(i)].parent.parent.name + "/" + good[int(i)].parent.name for i in rows["file"]]
        for row in rows.itertuples(index=False):
            text = _unknown(flag, row, ids, type_keys, caches) if flag.startswith("unknown") else _message(flag, row)
            problems.append(Problem(str(good[int(row.file)]), int(row.row), text))
        if total > len(rows):
            problems.append(Problem(str(folder / EVENTS_DIR), 0, f"{total - len(rows)} more rows like the "
                                    f"{len(rows)} listed: {_RULES[flag]}"))
    con.execute("DROP TABLE ag_bad")
    return problems


_RULES = {
    "no_source": "missing source", "no_target": "missing target", "no_type": "missing type",
    "unknown_source": "unknown source node", "unknown_target": "unknown target node",
    "unknown_type": "unknown type", "bad_date": "bad date", "not_number": "weight that is not a number",
    "outside": f"weight outside {WEIGHT_MIN:g}..{WEIGHT_MAX:g}", "wrong_sign": "weight contradicting its polarity",
    "misplaced": "row outside the partition of its date",
}


def validate_store(folder: Path | str, memory_limit: str | None = None, listed: int = LISTED_PER_RULE):
    """Validate an event store with DuckDB: ``(nodes, types)`` when valid, else ``DataError`` listing
    every problem (nodes.csv and edge_types.csv as in a CSV folder, the Parquet files by file and row)."""
    import shutil
    import tempfile

    folder = Path(folder)
    problems: list[Problem] = []
    nodes, types = _tables(folder, problems)
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
        got = con.execute(f"SELECT date FROM {events} e WHERE span_start IS NOT NULL ORDER BY {order}, ag_ord "
                          "LIMIT 1").fetchall()
        return got[0][0] if got else None

    return {
        "actors": len(nodes),
        "actors_by_kind": {k: int(n) for k, n in nodes["kind"].value_counts().items()},
        "events": int(total),
        "events_by_polarity": {p: int(n) for p, n in polarity},
        "types": len(types),
        "types_used": int(used),
        "undated": int(undated),
        "first_date": first("span_start"),
        "last_date": first("span_end DESC"),
    }
