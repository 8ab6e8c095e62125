"""The rules ``validate`` checks an event store's Parquet files by, shared by the DuckDB and Spark checkers.

An engine reads the files into a sub-query with one row per event: ``file`` (the file's index in
``event_files`` order), ``row`` (1-based within that file), ``year``/``month`` (the file's partition
folders, -1 outside the layout) and the text columns ``source, target, type, date, weight`` (NULL
where a file lacks one). ``checked_sql`` turns that into one flag per rule of ``RULES`` (in report
order), with the values the messages quote; ``rule_problems`` turns the first ``LISTED_PER_RULE``
rows of a rule and its count into ``Problem`` lines carrying the CSV path's messages. What is wrong
with a file as a whole (``file_problems``) and with ``nodes.csv`` / ``edge_types.csv``
(``store_tables``) is found on the driver, before any engine reads a row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graph.errors import Problem
from graph.store.dataset import (DATE_FORMAT_HINT, EDGES_FILE, NODES_FILE, REQUIRED, RESERVED, TYPES_FILE,
                                 WEIGHT_MAX, WEIGHT_MIN, _validate_nodes, _validate_types, read_raw, read_table,
                                 suggest)
from graph.store.event_store import EVENTS_DIR
from graph.view.engines import sql

LISTED_PER_RULE = 1000
#: The text columns every rule reads.
RULE_COLUMNS = ("source", "target", "type", "date", "weight")
#: Each rule's flag and the words that count its unlisted rows, in report order.
RULES = {
    "no_source": "missing source", "no_target": "missing target", "no_type": "missing type",
    "unknown_source": "unknown source node", "unknown_target": "unknown target node",
    "unknown_type": "unknown type", "bad_date": "bad date", "not_number": "weight that is not a number",
    "outside": f"weight outside {WEIGHT_MIN:g}..{WEIGHT_MAX:g}", "wrong_sign": "weight contradicting its polarity",
    "misplaced": "row outside the partition of its date",
}
#: The table of actor ids (column ``id``) ``checked_sql`` joins by default.
NODE_IDS = "ag_node_ids"
EMPTY = "''"


def store_tables(folder: Path, problems: list[Problem]):
    """nodes.csv and edge_types.csv validated as the CSV path does (their problems appended):
    ``(nodes, types)``, each None when invalid."""
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


def file_problems(path: Path) -> tuple[list[Problem], set[str]]:
    """What is wrong with a Parquet file as a whole (unreadable, columns missing, reserved or not
    text), and the columns of ``RULE_COLUMNS`` it holds as text (a column of nulls holds none)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = str(path)
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        return [Problem(name, 0, f"not a readable Parquet file ({str(exc).splitlines()[0]}); rewrite it "
                                 "(actorgraph convert) or remove it")], set()
    found, seen, text = [], set(), set()
    for field in schema:
        if field.name in seen:
            found.append(Problem(name, 0, f"column '{field.name}' appears twice in the header; rename one"))
        elif field.name in RESERVED[EDGES_FILE]:
            found.append(Problem(name, 0, f"column name '{field.name}' is reserved for a computed value; "
                                          "rename that column"))
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            text.add(field.name)
        elif not pa.types.is_null(field.type):
            found.append(Problem(name, 0, f"column '{field.name}' holds {field.type}, not text; an event store "
                                          "keeps every column as strings (empty cells as \"\")"))
        seen.add(field.name)
    for column in REQUIRED[EDGES_FILE]:
        if column not in seen:
            found.append(Problem(name, 0, f"missing required column '{column}'{suggest(column, list(seen))}; "
                                          f"the header needs {', '.join(REQUIRED[EDGES_FILE])}"))
    return found, text & set(RULE_COLUMNS)


def checked_sql(raw: str, d: sql.Dialect, check_nodes: bool, check_types: bool, node_ids: str = NODE_IDS,
                types: str = sql.TYPES) -> str:
    """The rows of ``raw`` (see the module docstring) with a boolean column per rule of ``RULES``, the
    stripped text columns, ``w`` (the weight as a number), ``span_start``/``span_end`` and ``polarity``
    (NULL for an unknown type). ``check_nodes`` / ``check_types``: the tables ``node_ids`` (column
    ``id``) and ``types`` (``sql.selection_tables``' types) are registered, so unknown values can be told."""
    start, end = sql.span_sql("date", d)
    stripped = ", ".join(f"{d.strip(f'coalesce({c}, {EMPTY})')} AS {c}" for c in RULE_COLUMNS)
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
        "misplaced": ("n.year >= 0 AND NOT (n.date <> '' AND n.span_start IS NULL) AND "
                      "(CASE WHEN n.span_start IS NULL THEN n.year <> 0 "
                      "WHEN length(n.date) = 4 THEN n.year <> year(n.span_start) OR n.month <> 0 "
                      "ELSE n.year <> year(n.span_start) OR n.month <> month(n.span_start) END)"),
    }
    assert list(flags) == list(RULES)
    joins = ""
    if check_nodes:
        joins += f" LEFT JOIN {node_ids} ns ON n.source = ns.id LEFT JOIN {node_ids} nt ON n.target = nt.id"
    if check_types:
        joins += f" LEFT JOIN {types} t ON n.type = t.type"
    polarity = "t.polarity" if check_types else "CAST(NULL AS STRING)"
    return (
        "SELECT n.file, n.row, n.year, n.month, n.source, n.target, n.type, n.date, n.weight, n.w, "
        f"n.span_start, n.span_end, {polarity} AS polarity, "
        + ", ".join(f"({cond}) AS {flag}" for flag, cond in flags.items())
        + f" FROM (SELECT *, {start} AS span_start, CASE WHEN {start} IS NOT NULL THEN {end} END AS span_end, "
        f"{sql.number_sql('weight', d)} AS w FROM (SELECT file, row, year, month, {stripped} FROM {raw}) r) n"
        + joins)


def any_rule(prefix: str = "") -> str:
    """True when a row of ``checked_sql`` breaks some rule."""
    return " OR ".join(f"{prefix}{flag}" for flag in RULES)


def rule_message(flag: str, row, ids: list[str], types: list[str], caches: dict) -> str:
    """The CSV path's message for a row of ``checked_sql`` breaking ``flag``; ``row.folder`` is its
    file's ``year=…/month=…`` folders; ``caches`` keeps the did-you-mean look-ups between rows."""
    if flag.startswith("no_"):
        return f"missing value for required column '{flag[3:]}'"
    if flag == "unknown_type":
        return (f"unknown type '{row.type}'{suggest(row.type, types, caches.setdefault('type', {}))}; add it to "
                f"{TYPES_FILE} or use a known type")
    if flag.startswith("unknown_"):
        column = flag.split("_")[1]
        value = getattr(row, column)
        return f"unknown {column} node '{value}'{suggest(value, ids, caches.setdefault('node', {}))}"
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


class RuleReport:
    """Turns the listed rows and the count of each rule into ``Problem`` lines for a store's files
    (``events``: the folder a count of unlisted rows names, by default ``STORE/events``)."""

    def __init__(self, folder: Path, files: list[Path], nodes: pd.DataFrame | None, types: pd.DataFrame | None,
                 events: Path | None = None):
        self.events, self.files = events or folder / EVENTS_DIR, files
        self.ids = list(nodes.index) if nodes is not None else []
        self.types = list(types.index) if types is not None else []
        self.caches: dict = {}

    def problems(self, flag: str, rows: pd.DataFrame, total: int) -> list[Problem]:
        """``rows`` (columns of ``checked_sql``, ordered by file and row) are the first rows breaking
        ``flag`` of ``total``; the rest are counted on one line."""
        rows = rows.assign(folder=[self.files[int(i)].parent.parent.name + "/" + self.files[int(i)].parent.name
                                   for i in rows["file"]])
        found = [Problem(str(self.files[int(row.file)]), int(row.row),
                         rule_message(flag, row, self.ids, self.types, self.caches))
                 for row in rows.itertuples(index=False)]
        if total > len(rows):
            found.append(Problem(str(self.events), 0, f"{total - len(rows)} more rows like the "
                                 f"{len(rows)} listed: {RULES[flag]}"))
        return found


def store_summary_info(nodes: pd.DataFrame, types: pd.DataFrame, events: int, by_polarity: list[tuple[str, int]],
                       types_used: int, undated: int, first_date: str | None, last_date: str | None) -> dict:
    """``graph.store.dataset.summary``'s dict for a store, from the counts an engine made
    (``by_polarity``: most events first, ties by name)."""
    return {
        "actors": len(nodes),
        "actors_by_kind": {k: int(n) for k, n in nodes["kind"].value_counts().items()},
        "events": int(events),
        "events_by_polarity": {p: int(n) for p, n in by_polarity},
        "types": len(types),
        "types_used": int(types_used),
        "undated": int(undated),
        "first_date": first_date,
        "last_date": last_date,
    }
