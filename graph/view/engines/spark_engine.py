"""The Spark engine: the ``Engine`` queries as Spark SQL over an event store's Parquet files.

``open_spark(folder)`` validates the store's ``nodes.csv`` and ``edge_types.csv`` on the driver and
points Spark at its events: ``STORE/events/`` on a local or shared disk, or the location written in
``STORE/events.url`` (``hdfs://...``, ``s3a://...``: see ``graph.store.event_store``), or an ``events``
argument. Every ``Selection`` field is pushed into the SQL the executors run:

* the window prunes ``year=/month=`` partitions (an event's partition is the first day of its date; a
  month or year span ends at most at the end of that month or year) and then filters exact spans;
* ``types`` and the type defaults are a small table joined by broadcast;
* roll-up, ``actors`` and the actors' positions in the view are one broadcast mapping table
  ``id -> (root, position)`` joined to both ends (a semi-join: events with an end outside are dropped);
* decay is an expression on each event's weight.

Only aggregated rows come back to the driver (Arrow batches): the pair table, the span sums, two dates;
``events`` hands over the few events it is asked for. Values are read as the CSV path reads them:
identifiers, types, dates and weights stripped of surrounding whitespace (Python's definition),
partial dates as day spans, an empty weight meaning the type's default.
"""

from __future__ import annotations

import math
import shutil
import sys
import tempfile
import threading
import uuid
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from graph.errors import ActorgraphError, DataError, Problem
from graph.store.event_store import EVENTS_DIR, EVENTS_URL_FILE, event_files, events_url, load_store_tables
from graph.view.edges import LATEST_TIES, edges_frame
from graph.view.engine import SPAN_COLUMNS, EngineData, Selection
from graph.view.pairs import PAIR_COLUMNS, Pairs
from graph.view.engines.spark_session import spark_errors, spark_session

#: DuckDB's memory limit when it reads a pair table Spark wrote (it spills past it): the JVM has the rest.
_PAIR_READER_MEMORY = "1GB"

#: Columns every event file has; the others (note, citation, extras) are passed through by ``events``.
_STRIPPED = ("source", "target", "type", "date", "weight")
#: Every character Python's ``str.strip()`` removes, as a Spark SQL literal for ``trim(BOTH ... FROM)``.
_SPACES = "'" + "".join(f"\\u{c:04x}" for c in range(sys.maxunicode + 1)
                        if chr(c).isspace() and c <= 0xFFFF) + "'"
_EPOCH = pd.Timestamp("1970-01-01")
_BYTES_PER_SHUFFLE_PARTITION = 128 << 20
#: Temporary views are named per engine, but registering one and analysing the query that reads it
#: must not interleave with another thread's (the live map answers requests from threads).
_SQL_LOCK = threading.RLock()
_MAX_SHUFFLE_PARTITIONS = 200


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _day(ts: pd.Timestamp) -> str:
    return f"DATE'{pd.Timestamp(ts).strftime('%Y-%m-%d')}'"


def _double(value: float) -> str:
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def _partition_filter(sel: Selection) -> str:
    """Partitions (``year``, ``month``: the first day of each event's date; 0 when missing) that can
    hold an event of the window. Undated events (year 0) count in every window unless dated only."""
    dated = ["year > 0"]
    if sel.lo is not None:  # a month ends in its month, a year-only date (month 0) at its year's end
        lo = pd.Timestamp(sel.lo)
        dated.append(f"(year > {lo.year} OR (year = {lo.year} AND (month = 0 OR month >= {lo.month})))")
    if sel.hi is not None:
        hi = pd.Timestamp(sel.hi)
        dated.append(f"(year < {hi.year} OR (year = {hi.year} AND month <= {hi.month}))")
    dated_sql = " AND ".join(dated)
    return dated_sql if sel.dated_only else f"(year = 0 OR ({dated_sql}))"


def _start_date(col: str) -> str:
    y = f"int(substr({col}, 1, 4))"
    return (f"CASE length({col}) WHEN 4 THEN make_date({y}, 1, 1) "
            f"WHEN 7 THEN make_date({y}, int(substr({col}, 6, 2)), 1) "
            f"WHEN 10 THEN make_date({y}, int(substr({col}, 6, 2)), int(substr({col}, 9, 2))) END")


class SparkEngine:
    """Answers for the events of a store with Spark SQL (see the module docstring)."""

    name = "spark"

    def __init__(self, session, location: str, types: pd.DataFrame, actors: pd.Index,
                 started: bool = False, data_bytes: int | None = None):
        self.session = session
        self.location = location
        self.started = started
        self.actors = pd.Index(actors)
        self._types = types
        self._token = uuid.uuid4().hex[:10]
        self._views: list[str] = []
        self._shuffle_partitions = self._partitions_for(data_bytes)
        events = self._read_events()
        self._columns = [c for c in events.columns if c not in ("year", "month")]
        self._partitioned = {"year", "month"} <= set(events.columns)
        self._events_view = self._register(events, "events")
        # The same files with each row's place: only ``events`` reads it (row indexes cost a little).
        if self._from_files:
            located = events.select("*", events["_metadata.file_path"].alias("file_path"),
                                    events["_metadata.row_index"].alias("row_index"))
        else:
            located = events.selectExpr("*", "CAST(NULL AS STRING) AS file_path", "CAST(NULL AS BIGINT) AS row_index")
        self._located_view = self._register(located, "located")
        self._file_offsets: str | None = None
        self._scratch: Path | None = None  # pair tables written by Spark (``_stored_pairs``)
        self._duck = None

    # -- setup ---------------------------------------------------------------------------------

    def _partitions_for(self, data_bytes: int | None) -> int | None:
        """Shuffle partitions for the GROUP BY: one per 128 MB of Parquet, at least one per core
        (adaptive execution merges small ones); None leaves Spark's setting (unknown size)."""
        if data_bytes is None:
            return None
        cores = self.session.sparkContext.defaultParallelism
        return max(cores, min(_MAX_SHUFFLE_PARTITIONS, math.ceil(data_bytes / _BYTES_PER_SHUFFLE_PARTITION)))

    def _read_events(self):
        self._from_files = False
        reader = (self.session.read.option("basePath", self.location).option("pathGlobFilter", "*.parquet")
                  .option("recursiveFileLookup", "false"))
        with self._errors():
            try:
                frame = reader.parquet(self.location)
            except Exception as exc:
                if "UNABLE_TO_INFER_SCHEMA" not in str(exc) and "PATH_NOT_FOUND" not in str(exc):
                    raise
                return self._no_events()
        self._from_files = True
        return frame

    def _no_events(self):
        """An empty events table (a store with no Parquet file yet)."""
        columns = {c: pa.array([], pa.string()) for c in ("source", "target", "type", "date", "weight", "note",
                                                           "citation")}
        return self.session.createDataFrame(pa.table({**columns, "year": pa.array([], pa.int32()),
                                                      "month": pa.array([], pa.int32())}))

    def _register(self, frame, role: str) -> str:
        """``frame`` as a temporary view named for this engine (several engines share one session)."""
        name = f"ag_{self._token}_{role}"
        frame.createOrReplaceTempView(name)
        if name not in self._views:
            self._views.append(name)
        return name

    def _table(self, columns: dict, role: str) -> str:
        """A small driver-side table registered as a temporary view (broadcast to every executor)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pyspark's notice about pandas versions
            return self._register(self.session.createDataFrame(pa.table(columns)), role)

    def _errors(self):
        """Spark failures as one line (the first of Spark's message)."""
        return spark_errors(f"Spark could not read the events at {self.location}",
                            " (run actorgraph validate on the store)")

    def _one_group_by(self) -> None:
        """One GROUP BY over a known number of partitions: adaptive execution would only add jobs."""
        conf = self.session.conf
        conf.set("spark.sql.adaptive.enabled", "false")
        if self._shuffle_partitions is not None:
            conf.set("spark.sql.shuffle.partitions", str(self._shuffle_partitions))

    def _collect(self, build) -> pd.DataFrame:
        """Run the SQL ``build()`` returns (it registers the small tables it reads) and bring the
        (aggregated) result to the driver through Arrow."""
        self._one_group_by()
        with self._errors(), warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pyspark's notice about pandas versions
            with _SQL_LOCK:
                frame = self.session.sql(build())
            table = frame.toArrow() if hasattr(frame, "toArrow") else pa.Table.from_pandas(frame.toPandas())
        return table.to_pandas()

    def _offsets(self) -> str:
        """A table ``file_path -> base``: how many rows the files before it hold, in data order (file
        locations sorted), so an event's ``line`` is its row number over the whole store, as DuckDB
        numbers it. Counted once (Parquet footers give the counts)."""
        if self._file_offsets is None:
            counts = self._collect(lambda: f"SELECT file_path, count(1) AS n FROM {self._located_view} "
                                           "GROUP BY file_path")
            counts = counts.sort_values("file_path", kind="mergesort")
            base = np.concatenate(([0], np.cumsum(counts["n"].to_numpy(dtype=np.int64))[:-1]))
            self._file_offsets = self._table({"file_path": pa.array(counts["file_path"].tolist(), pa.string()),
                                              "base": pa.array(base.astype(np.int64), pa.int64())}, "offsets")
        return self._file_offsets

    # -- the selection as SQL --------------------------------------------------------------------

    def _types_table(self, sel: Selection) -> str:
        types = self._types
        if sel.types:
            types = types[types.index.isin(sel.types)]
        return self._table({"type": pa.array(list(types.index), pa.string()),
                            "polarity": pa.array(types["polarity"].astype(str).tolist(), pa.string()),
                            "directed": pa.array(types["directed"].astype(bool).tolist(), pa.bool_()),
                            "weight": pa.array(types["weight"].astype(float).tolist(), pa.float64())},
                           "types")

    def _actor_table(self, sel: Selection, nodes: pd.Index | None) -> str | None:
        """``id -> root, pos``: each actor whose (rolled-up) id the selection keeps, with the position
        of that id in ``nodes``; None when nothing needs mapping (no roll-up, actors or positions)."""
        if sel.rollup is None and sel.actors is None and nodes is None:
            return None
        ids = pd.Index(sorted(set(self.actors) | set(sel.rollup or ())))
        root = ids.map(lambda a: sel.rollup.get(a, a)) if sel.rollup is not None else ids
        keep = np.ones(len(ids), dtype=bool)
        if sel.actors is not None:
            keep &= root.isin(sel.actors)
        pos = np.full(len(ids), -1, dtype=np.int64)
        if nodes is not None:
            pos = pd.Index(nodes).get_indexer(root).astype(np.int64)
            keep &= pos >= 0
        return self._table({"id": pa.array(list(ids[keep]), pa.string()),
                            "root": pa.array(list(root[keep]), pa.string()),
                            "pos": pa.array(pos[keep], pa.int64())}, "actors")

    def _selected(self, sel: Selection, nodes: pd.Index | None = None, passthrough: bool = False) -> str:
        """SQL of the selected events: ``source``, ``target`` (rolled up), ``type``, ``polarity``,
        ``directed``, ``weight`` (resolved, decayed), ``start_day``/``end_day`` (days since 1970,
        NULL when undated); ``ps``/``pt`` (positions in ``nodes``) when given; with ``passthrough``
        also ``date`` and every other column of the files and ``line`` (see ``_offsets``)."""
        others = [c for c in self._columns if c not in _STRIPPED]
        raw = [f"trim(BOTH {_SPACES} FROM {_ident(c)}) AS {_ident(c)}" for c in _STRIPPED]
        if passthrough:
            raw += [_ident(c) for c in others] + ["o.base + r.row_index + 1 AS line"]
        where = _partition_filter(sel) if self._partitioned else "TRUE"
        source = self._events_view
        if passthrough:
            source = f"{self._located_view} r JOIN {self._offsets()} o ON r.file_path = o.file_path"
            raw[0] = "/*+ BROADCAST(o) */ " + raw[0]
        parsed = (f"SELECT s.*, {_start_date('s.date')} AS start_date FROM "
                  f"(SELECT {', '.join(raw)} FROM {source} WHERE {where}) s")
        dated = (f"SELECT d.*, unix_date(d.start_date) AS start_day, unix_date(CASE length(d.date) "
                 f"WHEN 4 THEN make_date(year(d.start_date), 12, 31) WHEN 7 THEN last_day(d.start_date) "
                 f"ELSE d.start_date END) AS end_day FROM ({parsed}) d")
        conditions = []
        if sel.lo is not None:
            conditions.append(f"(e.start_day IS NULL OR e.end_day >= unix_date({_day(sel.lo)}))")
        if sel.hi is not None:
            conditions.append(f"(e.start_day IS NULL OR e.start_day <= unix_date({_day(sel.hi)}))")
        if sel.dated_only:
            conditions.append("e.start_day IS NOT NULL")
        weight = "coalesce(CAST(NULLIF(e.weight, '') AS DOUBLE), t.weight)"
        if sel.half_life is not None:
            reference = (pd.Timestamp(sel.reference) - _EPOCH) / pd.Timedelta(days=1)
            age = f"greatest({_double(reference)} - (e.start_day + e.end_day) / CAST(2 AS DOUBLE), CAST(0 AS DOUBLE))"
            weight = (f"CASE WHEN e.start_day IS NULL THEN {weight} ELSE {weight} * "
                      f"power(CAST(0.5 AS DOUBLE), {age} / {_double(sel.half_life)}) END")
        actors = self._actor_table(sel, nodes)
        joins = f"JOIN {self._types_table(sel)} t ON e.type = t.type"
        hint = "t"
        source, target = "e.source", "e.target"
        if actors is not None:
            joins += f" JOIN {actors} ms ON e.source = ms.id JOIN {actors} mt ON e.target = mt.id"
            hint = "t, ms, mt"
            source, target = "ms.root", "mt.root"
            if sel.rollup is not None:
                conditions.append("ms.root <> mt.root")
        columns = [f"{source} AS source", f"{target} AS target", "e.type", "t.polarity", "t.directed",
                   f"{weight} AS weight", "e.start_day", "e.end_day"]
        if nodes is not None:
            columns += ["ms.pos AS ps", "mt.pos AS pt"]
        if passthrough:
            columns += ["e.date", "CAST(NULLIF(e.weight, '') AS DOUBLE) AS weight_override"]
            columns += [f"e.{_ident(c)}" for c in others] + ["e.line"]
        return (f"SELECT /*+ BROADCAST({hint}) */ {', '.join(columns)} FROM ({dated}) e {joins} "
                f"WHERE {' AND '.join(conditions) or 'TRUE'}")

    # -- the Engine protocol ---------------------------------------------------------------------

    def pairs(self, nodes: pd.Index, selection: Selection) -> Pairs:
        nodes = pd.Index(nodes)
        signed = "polarity <> 'neutral'"
        zero = "CAST(0 AS DOUBLE)"

        def build() -> str:
            return (f"SELECT source, target, directed, count(1) AS events, "
                    f"sum(CASE WHEN {signed} THEN 1 ELSE 0 END) AS signed_events, "
                    f"sum(CASE WHEN {signed} THEN weight ELSE {zero} END) AS weight, "
                    f"sum(CASE WHEN {signed} AND weight < 0 THEN weight ELSE {zero} END) AS hostile, "
                    f"sum(CASE WHEN {signed} AND weight > 0 THEN weight ELSE {zero} END) AS cooperative, "
                    f"max(abs(weight)) AS top FROM ("
                    f"SELECT CASE WHEN directed THEN ps ELSE least(ps, pt) END AS source, "
                    f"CASE WHEN directed THEN pt ELSE greatest(ps, pt) END AS target, directed, polarity, weight "
                    f"FROM ({self._selected(selection, nodes)})) GROUP BY source, target, directed")

        if self.session.sparkContext.master.startswith("local"):
            stored = self._stored_pairs(nodes, build)
            if stored is not None:
                return stored
        got = self._collect(build)
        got = got.sort_values(["source", "target", "directed"], kind="mergesort").reset_index(drop=True)
        table = pd.DataFrame({
            "source": got["source"].to_numpy(dtype=np.int64), "target": got["target"].to_numpy(dtype=np.int64),
            "directed": got["directed"].to_numpy(dtype=bool),
            "events": got["events"].to_numpy(dtype=np.int64),
            "signed_events": got["signed_events"].to_numpy(dtype=np.int64),
            **{c: got[c].to_numpy(dtype=float) for c in ("weight", "hostile", "cooperative")}})
        top = float(got["top"].max()) if len(got) else 1.0
        return Pairs(nodes, table[list(PAIR_COLUMNS)], 1e-9 * max(1.0, top))

    def _stored_pairs(self, nodes: pd.Index, build):
        """In ``local[...]`` mode the executors write the pair table as Parquet into this engine's
        scratch folder and the driver answers from it with DuckDB (``graph.view.stored_pairs``), so
        tens of millions of pairs never sit in the driver's memory; None when there is no pair."""
        from graph.view.engines.duckdb_engine import connect
        from graph.view.stored_pairs import StoredPairs

        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="actorgraph-spark-"))
            self._duck = connect(_PAIR_READER_MEMORY, str(self._scratch / "spill"))
        folder = self._scratch / f"pairs-{len(list(self._scratch.glob('pairs-*')))}"
        self._one_group_by()
        with self._errors():
            with _SQL_LOCK:
                frame = self.session.sql(build())
            frame.withColumnRenamed("top", "max_abs").write.parquet(str(folder))
        if not any(folder.glob("*.parquet")):
            return None
        files = folder / "*.parquet"
        largest = self._duck.execute(f"SELECT max(max_abs) FROM read_parquet('{files}')").fetchall()[0][0]
        if largest is None:  # no pair: the in-memory answer is as cheap
            return None
        return StoredPairs(nodes, files, self._duck, 1e-9 * max(1.0, float(largest)), scratch=self._scratch)

    def events(self, selection: Selection, touching=None, between=None, limit: int | None = None) -> pd.DataFrame:
        def build() -> str:
            conditions = []
            if touching is not None:
                wanted = self._table({"id": pa.array(sorted(set(touching)), pa.string())}, "touching")
                conditions.append(f"(source IN (SELECT id FROM {wanted}) OR target IN (SELECT id FROM {wanted}))")
            if between is not None:
                pairs = sorted({tuple(sorted(p)) for p in between})
                wanted = self._table({"a": pa.array([p[0] for p in pairs], pa.string()),
                                      "b": pa.array([p[1] for p in pairs], pa.string())}, "between")
                conditions.append(f"(least(source, target), greatest(source, target)) IN (SELECT a, b FROM {wanted})")
            return (f"SELECT * FROM ({self._selected(selection, passthrough=True)}) "
                    f"WHERE {' AND '.join(conditions) or 'TRUE'} ORDER BY line"
                    + (f" LIMIT {int(limit)}" if limit is not None else ""))

        return self._event_frame(self._collect(build))

    def edges(self, nodes: pd.Index, selection: Selection) -> pd.DataFrame:
        nodes = pd.Index(nodes)

        def build() -> str:
            return (f"SELECT source, target, directed, polarity, count(1) AS events, sum(weight) AS weight, "
                    f"sum(abs(weight)) AS magnitude, min(start_day) AS first, max(end_day) AS last FROM ("
                    f"SELECT CASE WHEN directed THEN ps ELSE least(ps, pt) END AS source, "
                    f"CASE WHEN directed THEN pt ELSE greatest(ps, pt) END AS target, directed, polarity, "
                    f"weight, start_day, end_day FROM ({self._selected(selection, nodes)})) "
                    f"GROUP BY source, target, directed, polarity")

        got = self._collect(build)
        got = got.sort_values(["source", "target", "directed", "polarity"], kind="mergesort").reset_index(drop=True)
        return edges_frame(got, _dates)

    def latest(self, selection: Selection, between, per_pair: int) -> pd.DataFrame:
        pairs = sorted({tuple(sorted(p)) for p in between})
        lo, hi = "least(source, target)", "greatest(source, target)"

        def build() -> str:
            wanted = self._table({"a": pa.array([p[0] for p in pairs], pa.string()),
                                  "b": pa.array([p[1] for p in pairs], pa.string())}, "between")
            ties = ", ".join(_ident(c) for c in LATEST_TIES)
            inner = (f"SELECT * FROM ({self._selected(selection, passthrough=True)}) "
                     f"WHERE ({lo}, {hi}) IN (SELECT a, b FROM {wanted})")
            return (f"SELECT * FROM (SELECT r.*, {lo} AS ag_lo, {hi} AS ag_hi, row_number() OVER ("
                    f"PARTITION BY {lo}, {hi} ORDER BY start_day DESC NULLS LAST, end_day DESC NULLS LAST, "
                    f"{ties}) AS ag_rank FROM ({inner}) r) WHERE ag_rank <= {int(per_pair)}")

        got = self._collect(build)
        got = got.sort_values(["ag_lo", "ag_hi", "ag_rank"], kind="mergesort").reset_index(drop=True)
        return self._event_frame(got)

    def _event_frame(self, got: pd.DataFrame) -> pd.DataFrame:
        """Selected events as ``View.events`` has them (``line``: see ``_offsets``)."""
        out = pd.DataFrame({c: got[c].astype(object) for c in self._columns})
        out["weight"] = got["weight"].to_numpy(dtype=float)
        out["line"] = got["line"].to_numpy(dtype=np.int64)
        out["start"], out["end"] = _dates(got["start_day"]), _dates(got["end_day"])
        out["polarity"] = got["polarity"].astype(object)
        out["directed"] = got["directed"].to_numpy(dtype=bool)
        out["weight_override"] = got["weight_override"].to_numpy(dtype=float)
        return out.reset_index(drop=True)

    def spans(self, selection: Selection, pair: tuple[str, str] | None = None) -> pd.DataFrame:
        def build() -> str:
            where = "TRUE"
            if pair is not None:
                wanted = self._table({"a": pa.array([pair[0]], pa.string()), "b": pa.array([pair[1]], pa.string())},
                                     "pair")
                where = (f"EXISTS (SELECT 1 FROM {wanted} p WHERE (source = p.a AND target = p.b) "
                         f"OR (source = p.b AND target = p.a))")
            return (f"SELECT start_day, end_day, polarity, count(1) AS events, sum(abs(weight)) AS weight "
                    f"FROM ({self._selected(selection)}) WHERE {where} GROUP BY start_day, end_day, polarity")

        got = self._collect(build)
        out = pd.DataFrame({"start": _dates(got["start_day"]), "end": _dates(got["end_day"]),
                            "polarity": got["polarity"].astype(object),
                            "events": got["events"].to_numpy(dtype=np.int64),
                            "weight": got["weight"].to_numpy(dtype=float)})
        out = out.sort_values(["start", "end", "polarity"], na_position="last", kind="mergesort")
        return out[list(SPAN_COLUMNS)].reset_index(drop=True)

    def date_range(self, selection: Selection | None = None):
        got = self._collect(lambda: f"SELECT min(start_day) AS first, max(start_day) AS last "
                                    f"FROM ({self._selected(selection or Selection())})")
        first, last = _dates(got["first"]), _dates(got["last"])
        if pd.isna(first.iloc[0]):
            return None, None
        return pd.Timestamp(first.iloc[0]), pd.Timestamp(last.iloc[0])

    def close(self) -> None:
        """Drop this engine's temporary views; stop the Spark session if this engine started it."""
        try:
            for name in self._views:
                self.session.catalog.dropTempView(name)
        finally:
            self._views = []
            if self._duck is not None:
                self._duck.close()
                self._duck = None
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)
                self._scratch = None
            if self.started:
                self.session.stop()
                self.started = False


def _dates(days: pd.Series) -> pd.Series:
    """Days since 1970-01-01 (NULL for undated) as datetime64, as ``Dataset.edges`` keeps dates."""
    values = pd.to_numeric(days, errors="coerce").to_numpy(dtype=float)
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    known = ~np.isnan(values)
    out[known] = np.datetime64("1970-01-01", "D") + values[known].astype(np.int64).astype("timedelta64[D]")
    return pd.Series(out)


def events_location(folder: Path | str, events: str | None = None) -> str:
    """Where a store's events are: ``events`` when given, else ``STORE/events/`` or the location in
    ``STORE/events.url`` (a store holding both is refused)."""
    folder = Path(folder)
    if events:
        return events
    url = events_url(folder)
    local = folder / EVENTS_DIR
    if url is not None and local.is_dir():
        raise DataError([Problem(str(folder / EVENTS_URL_FILE), 1, f"this store has both {EVENTS_DIR}/ and "
                                 f"{EVENTS_URL_FILE}; keep one")])
    if url is not None:
        return url
    if not local.is_dir():
        raise ActorgraphError(f"{folder} is not an event store: it has neither {EVENTS_DIR}/ nor {EVENTS_URL_FILE}")
    return str(local.resolve())


def open_spark(folder: Path | str, master: str | None = None, memory_limit: str | None = None,
               events: str | None = None) -> EngineData:
    """An event store (``folder``) opened with the Spark engine.

    ``nodes.csv`` and ``edge_types.csv`` are read and validated here (raises ``DataError``); the
    events stay where they are (see ``events_location``). ``master`` is a Spark master URL (default
    ``$SPARK_MASTER``, else ``local[*]``); ``memory_limit`` the driver's memory (``4GB``); a Spark
    session already running in this process is reused and left running by ``close``.
    """
    folder = Path(folder)
    nodes, types, extra = load_store_tables(folder)
    location = events_location(folder, events)
    local = location == str((folder / EVENTS_DIR).resolve())
    data_bytes = sum(f.stat().st_size for f in event_files(folder)) if local else None
    session, started = spark_session(master, memory_limit)
    try:
        engine = SparkEngine(session, location, types, pd.Index(nodes.index), started, data_bytes)
    except BaseException:
        if started:
            session.stop()
        raise
    return EngineData(folder, nodes, types, engine, extra)
