"""The DuckDB engine: an event store's Parquet files (or a CSV folder's events) queried out of core.

Every filter of a ``Selection`` runs inside DuckDB (``graph.view.engines.sql``): the window prunes
partitions (``graph.view.engines.partitions``) and then rows, types, roll-up and actor filters are
joins with small tables, decay is computed per row, and the pair table is one GROUP BY whose rows
(one per pair) are all that comes back to Python.

DuckDB runs on every core, holds at most ``memory_limit`` (default: half of this machine's RAM) and
spills what does not fit to a temporary folder removed by ``close``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path

import numpy as np
import pandas as pd

from graph.errors import ActorgraphError
from graph.store.dates import spans
from graph.store.event_store import order_runs
from graph.view.edges import edges_frame
from graph.view.engine import SPAN_COLUMNS, Selection
from graph.view.engines import sql
from graph.view.engines.partitions import files_for
from graph.view.stored_pairs import StoredPairs
from graph.view.select import span_sums

#: Share of the machine's RAM DuckDB may use when no --memory-limit is given.
DEFAULT_RAM_SHARE = 0.5
_NORMALIZED = "ag_events"  # the in-memory events of a CSV folder, registered as an Arrow table
_RUNS = "ag_runs"  # the store's order (``order_table``)


def default_memory_limit() -> str:
    """Half of this machine's physical memory, in DuckDB's notation (``"11.7GB"``)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "4GB"
    return f"{total * DEFAULT_RAM_SHARE / 1e9:.1f}GB"


def connect(memory_limit: str | None = None, temp_directory: str | None = None):
    """A DuckDB connection on every core, capped at ``memory_limit``, spilling to ``temp_directory``."""
    import duckdb

    limit = memory_limit or default_memory_limit()
    try:
        con = duckdb.connect(config={"threads": os.cpu_count() or 1})
        con.execute(f"SET memory_limit = {sql.DUCKDB.string(limit)}")
    except duckdb.Error as exc:
        raise ActorgraphError(f"--memory-limit '{limit}': {str(exc).splitlines()[0]}; use a size such as 4GB "
                              "or 500MB") from None
    if temp_directory:
        con.execute(f"SET temp_directory = {sql.DUCKDB.string(temp_directory)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")  # its bar would land in the command's output
    return con


def parquet_columns(files: list[Path]) -> list[str]:
    """Every column name of the files' schemas, in first-seen order (read from the footers only)."""
    import pyarrow.parquet as pq

    seen: dict[str, None] = {}
    for path in files:
        for name in pq.read_schema(path).names:
            seen.setdefault(name, None)
    return list(seen)


def order_table(files: list[Path]) -> pd.DataFrame:
    """``ag_runs``: for each run of rows of each file, ``path``, ``row_from``/``row_to`` (0-based, end
    excluded) and ``delta``, so that a row's store-wide sequence number is its row number + ``delta``.

    The runs come from each file's ``actorgraph.order`` metadata (``graph.store.event_store``); the
    rows of files without it follow every ordered row, in file order, as ``read_store_events`` has them.
    """
    import pyarrow.parquet as pq

    paths, starts, ends, deltas = [], [], [], []
    unordered = np.iinfo(np.int64).max // 2
    for path in files:
        meta = pq.read_metadata(path)
        runs = order_runs(meta.metadata)
        if runs is None or int(runs[:, 1].sum()) != meta.num_rows:
            runs = np.array([[unordered, meta.num_rows]], dtype=np.int64)
            unordered += meta.num_rows
        first = np.concatenate(([0], np.cumsum(runs[:, 1])[:-1])).astype(np.int64)
        paths += [str(path)] * len(runs)
        starts += first.tolist()
        ends += (first + runs[:, 1]).tolist()
        deltas += (runs[:, 0] - first).tolist()
    return pd.DataFrame({"path": pd.Series(paths, dtype=object), "row_from": np.array(starts, dtype=np.int64),
                         "row_to": np.array(ends, dtype=np.int64), "delta": np.array(deltas, dtype=np.int64)})


class DuckDBEngine:
    """Answers ``graph.view.engine.Engine`` questions with DuckDB over Parquet files or a frame of events.

    Give ``files`` (an event store's Parquet files, in data order) or ``edges`` (a validated
    ``Dataset.edges``, whose extra columns are ``extras``). ``types`` is the validated types frame.
    """

    name = "duckdb"

    def __init__(self, types: pd.DataFrame, files: list[Path] | None = None, edges: pd.DataFrame | None = None,
                 memory_limit: str | None = None, extras: tuple[str, ...] = ()):
        if (files is None) == (edges is None):
            raise ValueError("give either files or edges")
        self.types = types
        self._pair_files = 0
        self._temp = tempfile.mkdtemp(prefix="actorgraph-duckdb-")
        try:
            self.con = connect(memory_limit, self._temp)
        except Exception:
            shutil.rmtree(self._temp, ignore_errors=True)
            raise
        # Closed by close(); also when the engine is dropped or the program ends without it.
        self._release = weakref.finalize(self, _release, self.con, self._temp)
        self.files = [Path(f) for f in files] if files is not None else None
        if self.files is not None:
            columns = parquet_columns(self.files)
            self.extras = tuple(c for c in columns if c not in sql.BASE_COLUMNS)
            self._present = set(columns)
            self.con.register(_RUNS, order_table(self.files))
        else:
            self.extras = tuple(extras)
            self.con.register(_NORMALIZED, _normalized_frame(edges, self.extras))

    # --- the relations every query builds on ---

    def events_relation(self, sel: Selection | None, ordered: bool = False) -> str:
        """A sub-query of the normalized events (``sql.normalized_sql``) that ``sel``'s window may keep.
        ``ordered``: with each row's place in the store's order (``ag_ord``) and its 1-based row in its
        file (``line``, as ``load_store_dataset`` has it); otherwise both are 0, which saves a join."""
        if self.files is None:
            return _NORMALIZED
        files = files_for(self.files, sel)
        q = sql.DUCKDB.quote
        cols = ", ".join(
            (f"CAST({q(c)} AS VARCHAR) AS {q(c)}" if c in self._present else f"CAST(NULL AS VARCHAR) AS {q(c)}")
            for c in (*sql.BASE_COLUMNS, *self.extras))
        if not files:
            nothing = ", ".join(f"CAST(NULL AS VARCHAR) AS {q(c)}" for c in (*sql.BASE_COLUMNS, *self.extras))
            raw = f"(SELECT {nothing}, 0::BIGINT AS ag_ord, 0::BIGINT AS line WHERE FALSE)"
        else:
            listed = ", ".join(sql.DUCKDB.string(str(f)) for f in files)
            read = (f"read_parquet([{listed}], filename = {str(ordered).lower()}, file_row_number = "
                    f"{str(ordered).lower()}, union_by_name = true, hive_partitioning = false) p")
            if ordered:
                raw = (f"(SELECT {cols}, p.file_row_number + o.delta AS ag_ord, p.file_row_number + 1 AS line "
                       f"FROM {read} JOIN {_RUNS} o ON p.filename = o.path AND p.file_row_number >= o.row_from "
                       "AND p.file_row_number < o.row_to)")
            else:
                raw = f"(SELECT {cols}, 0::BIGINT AS ag_ord, 0::BIGINT AS line FROM {read})"
        return f"({sql.normalized_sql(raw, self.extras, sql.DUCKDB)})"

    def _selected(self, sel: Selection | None, ordered: bool = False) -> str:
        sel = sel or Selection()
        for name, frame in sql.selection_tables(self.types, sel).items():
            self.con.register(name, frame)
        return f"({sql.selected_sql(self.events_relation(sel, ordered), sel, self.extras, sql.DUCKDB)})"

    # --- the Engine protocol ---

    def pairs(self, nodes: pd.Index, selection: Selection) -> StoredPairs:
        """The pair table streamed into a Parquet file in the engine's temporary folder (never whole in
        Python memory) and answered from there (``graph.view.stored_pairs``)."""
        nodes = pd.Index(nodes)
        selected = self._selected(selection)
        self.con.register(sql.POSITIONS, sql.positions_table(nodes))
        self._pair_files += 1
        path = Path(self._temp) / f"pairs-{self._pair_files}.parquet"
        where = sql.DUCKDB.string(str(path))
        self.con.execute(f"COPY ({sql.pair_file_sql(sql.pairs_sql(selected))}) TO {where} (FORMAT parquet)")
        largest = self.con.execute(f"SELECT max(max_abs) FROM read_parquet({where})").fetchall()[0][0]
        return StoredPairs(nodes, path, self.con, 1e-9 * max(1.0, float(largest or 0.0)))

    def events(self, selection: Selection, touching=None, between=None, limit: int | None = None) -> pd.DataFrame:
        selected = self._selected(selection, ordered=True)
        if touching is not None:
            self.con.register(sql.TOUCHING, pd.DataFrame({"id": pd.Series(list(touching), dtype=object)}))
        if between is not None:
            self.con.register(sql.BETWEEN, sql.between_table(between))
        got = self.con.execute(sql.events_sql(selected, touching is not None, between is not None, limit)).df()
        return _as_view_events(got)

    def edges(self, nodes: pd.Index, selection: Selection) -> pd.DataFrame:
        nodes = pd.Index(nodes)
        selected = self._selected(selection)
        self.con.register(sql.POSITIONS, sql.positions_table(nodes))
        got = self.con.execute(sql.edges_sql(selected)).df()
        return edges_frame(got, _days)

    def latest(self, selection: Selection, between, per_pair: int) -> pd.DataFrame:
        selected = self._selected(selection)
        self.con.register(sql.BETWEEN, sql.between_table(between))
        got = self.con.execute(sql.latest_sql(selected, per_pair)).df()
        return _as_view_events(got.drop(columns=["ag_rank"]))

    def spans(self, selection: Selection, pair: tuple[str, str] | None = None) -> pd.DataFrame:
        selected = self._selected(selection)
        if pair is not None:
            self.con.register(sql.BETWEEN, sql.between_table([pair]))
        got = self.con.execute(sql.spans_sql(selected, pair is not None)).df()
        if not len(got):
            return span_sums(pd.DataFrame(columns=["start", "end", "polarity", "weight"]))  # the pandas path's
        out = pd.DataFrame({"start": _days(got["span_start"]), "end": _days(got["span_end"]),
                            "polarity": got["polarity"].astype(str),
                            "events": got["events"].to_numpy(dtype=np.int64),
                            "weight": got["weight"].to_numpy(dtype=float)})
        return out.sort_values(["start", "end", "polarity"], na_position="last", kind="stable") \
            .reset_index(drop=True)[list(SPAN_COLUMNS)]

    def date_range(self, selection: Selection | None = None):
        first, last = self.con.execute(sql.date_range_sql(self._selected(selection))).fetchall()[0]
        return (pd.Timestamp(first), pd.Timestamp(last)) if first is not None else (None, None)

    def close(self) -> None:
        self._release()


def _release(con, temp: str) -> None:
    con.close()
    shutil.rmtree(temp, ignore_errors=True)


def _normalized_frame(edges: pd.DataFrame, extras: tuple[str, ...]):
    """A validated ``Dataset.edges`` as the Arrow table ``sql.normalized_sql`` would have made."""
    import pyarrow as pa

    def text(column):
        return pa.array(edges[column].astype(str).to_numpy(dtype=object), type=pa.string())

    def days(column):
        values = pd.to_datetime(edges[column]).dt.date
        return pa.array(values.where(edges[column].notna(), None).to_numpy(dtype=object), type=pa.date32())

    columns = {c: text(c) for c in ("source", "target", "type", "date", "note", "citation")}
    columns["w_override"] = pa.array(edges["weight_override"].to_numpy(dtype=float), type=pa.float64(),
                                     from_pandas=True)
    columns.update({c: text(c) for c in extras})
    columns["ag_ord"] = pa.array(np.arange(len(edges), dtype=np.int64))
    columns["line"] = pa.array(edges["line"].to_numpy(dtype=np.int64))
    columns["span_start"], columns["span_end"] = days("start"), days("end")
    return pa.table(columns)


#: The dtype of ``Dataset.edges`` start/end (``graph.store.dates.spans``), which results must match.
_DAY = spans(pd.Series(["2000"]))[0].dtype


def _days(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).astype(_DAY)


def _as_view_events(got: pd.DataFrame) -> pd.DataFrame:
    """A query's rows as ``View.events`` has them (``start``/``end`` as datetime64, no ``ag_ord``)."""
    out = got.drop(columns=["ag_ord"]).rename(columns={"span_start": "start", "span_end": "end"})
    out["start"], out["end"] = _days(out["start"]), _days(out["end"])
    for column in out.columns:  # text as Dataset.edges holds it: object columns, polarity as str
        if pd.api.types.is_string_dtype(out[column]) and column not in ("start", "end"):
            out[column] = out[column].astype(str if column == "polarity" else object)
    out["directed"] = out["directed"].astype(bool)
    out["weight"] = out["weight"].astype(float)
    out["weight_override"] = out["weight_override"].astype(float)
    out["line"] = out["line"].astype(np.int64)
    return out.reset_index(drop=True)
