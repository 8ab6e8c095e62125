"""``validate --engine spark``: the store rules of ``store_rules`` run as Spark SQL over the Parquet files.

The report is the DuckDB checker's (``duckdb_validate``), line for line: the same rules, messages and
per-rule cap, each problem as ``STORE/events/year=…/month=…/part-N.parquet:ROW``. A row's place comes
from Spark's hidden file metadata: ``_metadata.file_path`` names its file and, for Parquet,
``_metadata.row_index`` is its 0-based position within that file (Spark counts it from the row groups'
row counts, so it holds across row groups and when a file is split between tasks).

Two passes over the files:

1. every row is checked, and per file, polarity and type Spark counts the rows breaking each rule, plus
   what the summary needs (events, undated, types used, the first and last dates); only those
   counts come back (a few rows per file);
2. only when a rule was broken: the files holding each rule's first ``listed`` rows are read again
   and the rows to list come back (at most ``listed`` per rule, chosen by a window in Spark).

The files as a whole and ``nodes.csv`` / ``edge_types.csv`` are checked on the driver first; a file
with a problem is not read by Spark.
"""

from __future__ import annotations

import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pyarrow as pa

from graph.errors import ActorgraphError, DataError, Problem
from graph.store.event_store import EVENTS_DIR, EVENTS_URL_FILE, event_files, events_url
from graph.view.engine import Selection
from graph.view.engines import sql
from graph.view.engines.partitions import partition_of
from graph.view.engines.spark_engine import events_location
from graph.view.engines.spark_session import spark_errors, spark_session
from graph.view.engines.store_rules import (LISTED_PER_RULE, RULE_COLUMNS, RULES, RuleReport, any_rule, checked_sql,
                                            file_problems, store_summary_info, store_tables)


class SparkDialect(sql.Dialect):
    """Spark SQL's spellings of ``sql.Dialect``."""

    name = "spark"

    def quote(self, column: str) -> str:
        return "`" + column.replace("`", "``") + "`"

    def string(self, text: str) -> str:
        # Spark reads backslash escapes in literals; spaces and control characters go as \\uXXXX
        out = []
        for c in text:
            if c in "\\'":
                out.append("\\" + c)
            elif (c.isspace() or not c.isprintable()) and ord(c) <= 0xFFFF:
                out.append(f"\\u{ord(c):04x}")
            else:
                out.append(c)
        return "'" + "".join(out) + "'"

    def strip(self, expr: str) -> str:
        return f"trim(BOTH {self.string(sql.WHITESPACE)} FROM {expr})"

    def try_date(self, expr: str) -> str:
        return f"try_cast({expr} AS DATE)"

    def try_double(self, expr: str) -> str:
        return f"try_cast({expr} AS DOUBLE)"

    def full_match(self, expr: str, regex: str) -> str:
        # Java's $ also matches before a final line break; \z only at the very end, as RE2's $
        anchored = regex[:-1] + "\\z" if regex.endswith("$") else regex
        return f"regexp_like({expr}, {self.string(anchored)})"


SPARK = SparkDialect()
#: What the messages quote of a listed row (``checked_sql``'s columns).
_LISTED_COLUMNS = "c.file, c.row, c.source, c.target, c.type, c.date, c.weight, c.w, c.polarity"
#: A row's number within its file takes at most this many bits (a trillion rows), below the day's.
_ROW_BITS = 40
_NO_ROWS = pd.DataFrame({"file": pd.Series([], dtype="int64")})
_NO_COUNTS = pd.DataFrame({c: [] for c in ("file", "polarity", "known_type", "events", "dated", "first", "first_date",
                                           "last", "last_date")})


class _Checker:
    """The Spark side of one validation: temporary views named for it, the queries of both passes."""

    def __init__(self, session, folder: Path, files: list[Path], texts: list[set[str]],
                 nodes: pd.DataFrame | None, types: pd.DataFrame | None):
        self.session, self.folder, self.files, self.texts = session, folder, files, texts
        self.nodes, self.types = nodes, types
        self._token = uuid.uuid4().hex[:10]
        self._views: list[str] = []
        self._ids = self._view(pa.table({"id": pa.array(list(nodes.index), pa.string())}), "ids") \
            if nodes is not None else None
        self._types = self._view(pa.Table.from_pandas(sql.selection_tables(types, Selection())[sql.TYPES],
                                                      preserve_index=False), "types") if types is not None else None
        self._where = self._view(self._locations(), "files")

    def _view(self, data, role: str) -> str:
        name = f"ag_{self._token}_{role}"
        frame = data if not isinstance(data, pa.Table) else self.session.createDataFrame(data)
        frame.createOrReplaceTempView(name)
        self._views.append(name)
        return name

    def _locations(self) -> pa.Table:
        """``path -> (file, year, month)``: each file's index, its partition (-1 outside the layout), by
        its path as Spark's ``_metadata.file_path`` spells it (Hadoop's URI of it; the raw path part)."""
        jvm = self.session._jvm
        paths = [jvm.org.apache.hadoop.fs.Path(str(f.absolute())).toUri().getRawPath() for f in self.files]
        parts = [partition_of(f) or (-1, -1) for f in self.files]
        return pa.table({"path": pa.array(paths, pa.string()),
                         "file": pa.array(range(len(self.files)), pa.int64()),
                         "year": pa.array([y for y, _ in parts], pa.int64()),
                         "month": pa.array([m for _, m in parts], pa.int64())})

    def _events(self, chosen: list[int]) -> str:
        """A view of the rule columns of the files ``chosen`` (indexes), with each row's file and row."""
        from pyspark.sql.functions import lit

        groups: dict[tuple[str, ...], list[str]] = {}
        for i in chosen:  # files holding the same columns as text are read together
            present = tuple(c for c in RULE_COLUMNS if c in self.texts[i])
            groups.setdefault(present, []).append(str(self.files[i]))
        frames = []
        for present, paths in groups.items():
            # a file holding none of them as text is still read for its row count (a column it lacks)
            schema = ", ".join(f"{SPARK.quote(c)} STRING" for c in present) or "ag_none STRING"
            frame = self.session.read.schema(schema).parquet(*paths)
            columns = [frame[c] if c in present else lit(None).cast("string").alias(c) for c in RULE_COLUMNS]
            frames.append(frame.select(*columns, frame["_metadata.file_path"].alias("file_path"),
                                       frame["_metadata.row_index"].alias("row_index")))
        events = frames[0]
        for frame in frames[1:]:
            events = events.unionByName(frame)
        return self._view(events, f"events_{len(self._views)}")

    def _checked(self, chosen: list[int]) -> str:
        events = self._events(chosen)
        text = ", ".join(f"r.{c}" for c in RULE_COLUMNS)
        raw = (f"(SELECT /*+ BROADCAST(o) */ o.file, r.row_index + 1 AS row, o.year, o.month, {text} "
               f"FROM {events} r LEFT JOIN {self._where} o ON parse_url(r.file_path, 'PATH') = o.path)")
        return checked_sql(raw, SPARK, self._ids is not None, self._types is not None,
                           self._ids or "", self._types or "")

    def _collect(self, query: str) -> pd.DataFrame:
        """The (small) result of ``query``; integer columns with NULLs hold Python ints (exact past 2**53)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pyspark's notice about pandas versions
            frame = self.session.sql(query)
            table = frame.toArrow() if hasattr(frame, "toArrow") else pa.Table.from_pandas(frame.toPandas())
        return table.to_pandas(integer_object_nulls=True)

    def counts(self) -> pd.DataFrame:
        """Pass 1: per file, polarity and known type, the rows breaking each rule and the summary's
        counts: events, dated events, and the first and last days with the row and date text that
        give them (``first``/``last``: the day and row packed in one sortable number, see ``_ROW_BITS``)."""
        first = f"CASE WHEN span_start IS NOT NULL THEN unix_date(span_start) * {1 << _ROW_BITS} + row END"
        last = f"CASE WHEN span_end IS NOT NULL THEN unix_date(span_end) * {1 << _ROW_BITS} - row END"
        got = self._collect(
            f"SELECT file, polarity, known_type, count(1) AS events, count(span_start) AS dated, "
            f"min({first}) AS first, min_by(date, {first}) AS first_date, "
            f"max({last}) AS last, max_by(date, {last}) AS last_date, "
            + ", ".join(f"count_if({flag}) AS {flag}" for flag in RULES)
            + f" FROM (SELECT *, CASE WHEN polarity IS NOT NULL THEN type END AS known_type "
            f"FROM ({self._checked(list(range(len(self.files))))})) GROUP BY file, polarity, known_type")
        if got["file"].isna().any():
            raise ActorgraphError(f"Spark read rows from a file that {self.folder} does not list; "
                                  "validate the store with --engine duckdb")
        return got.astype({"file": "int64"})

    def listed(self, counts: pd.DataFrame, listed: int) -> dict[str, pd.DataFrame]:
        """Pass 2: the first ``listed`` rows (by file and row) of each rule some row breaks."""
        per_file = counts.groupby("file")[list(RULES)].sum().sort_index()
        if listed <= 0 or not per_file.to_numpy().any():
            return {}
        upto = {}  # each rule: the last file holding one of its first ``listed`` rows
        for flag in RULES:
            running = per_file[flag].cumsum()
            if running.iloc[-1] > 0:
                upto[flag] = int(running.index[(running >= min(listed, running.iloc[-1])).to_numpy()][0])
        chosen = sorted({int(f) for flag, last in upto.items()
                         for f in per_file.index[(per_file.index <= last) & (per_file[flag] > 0)]})
        hits = ", ".join(f"IF({flag} AND file <= {last}, '{flag}', NULL)" for flag, last in upto.items())
        got = self._collect(
            f"SELECT * FROM (SELECT h.*, row_number() OVER (PARTITION BY h.flag ORDER BY h.file, h.row) AS ag_rank "
            f"FROM (SELECT {_LISTED_COLUMNS}, explode(filter(array({hits}), x -> x IS NOT NULL)) AS flag "
            f"FROM ({self._checked(chosen)}) c WHERE {any_rule('c.')}) h) WHERE ag_rank <= {int(listed)}")
        got = got.sort_values(["file", "row"], kind="mergesort")
        return {flag: rows.reset_index(drop=True) for flag, rows in got.groupby("flag", sort=False)}

    def close(self) -> None:
        for name in self._views:
            self.session.catalog.dropTempView(name)
        self._views = []


def _summary(nodes: pd.DataFrame, types: pd.DataFrame, counts: pd.DataFrame) -> dict:
    """The store's summary from pass 1's counts (ties between dates go to the earlier file and row)."""
    by_polarity = counts.groupby("polarity")["events"].sum()
    ordered = sorted(((str(p), int(n)) for p, n in by_polarity.items()), key=lambda pn: (-pn[1], pn[0]))
    used = counts["known_type"].dropna().nunique()
    step = 1 << _ROW_BITS
    groups = counts.to_dict("records")
    # the earliest first day, then file, then row; the latest last day, then the earliest file and row
    firsts = [(g["first"] // step, g["file"], g["first"] % step, g["first_date"]) for g in groups
              if g["first"] is not None]
    lasts = [(-(-g["last"] // step), -g["file"], g["last"] - step * -(-g["last"] // step), g["last_date"])
             for g in groups if g["last"] is not None]
    first = min(firsts)[3] if firsts else None
    last = max(lasts)[3] if lasts else None
    events = int(counts["events"].sum())
    return store_summary_info(nodes, types, events, ordered, used, events - int(counts["dated"].sum()), first, last)


@contextmanager
def _settings(session):
    """Column names matched exactly (as pyarrow and DuckDB match them), adaptive execution on; the
    session's own values come back afterwards."""
    conf = session.conf
    wanted = {"spark.sql.caseSensitive": "true", "spark.sql.adaptive.enabled": "true"}
    before = {key: conf.get(key, None) for key in wanted}
    for key, value in wanted.items():
        conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                conf.unset(key)
            else:
                conf.set(key, value)


def _errors(folder: Path):
    """A Spark failure as one line (the first of Spark's message)."""
    return spark_errors(f"Spark could not check the events of {folder}")


def store_files(folder: Path) -> tuple[Path, list[Path]]:
    """The folder of the store's events and its Parquet files in ``event_files`` order: under
    ``STORE/events/``, or under the location ``events.url`` names when that is on this machine (a path or
    a ``file:`` URL); events on cluster storage are refused (their files are checked on the driver, with
    pyarrow)."""
    if events_url(folder) is None:
        return folder / EVENTS_DIR, event_files(folder)
    url = events_location(folder)  # a DataError when the store also has events/
    parts = urlsplit(url)
    if parts.scheme not in ("", "file"):
        raise ActorgraphError(f"validate checks Parquet files on this machine; the events of {folder} are at "
                              f"{url} ({EVENTS_URL_FILE}): validate a local copy of them (or the store they came from)")
    root = Path(unquote(parts.path) if parts.scheme else url)
    return root, sorted(root.rglob("*.parquet"))


def validate_store(folder: Path | str, master: str | None = None, memory_limit: str | None = None,
                   listed: int = LISTED_PER_RULE) -> dict:
    """Validate an event store with Spark: its summary (``graph.store.dataset.summary``'s dict) when
    valid, else ``DataError`` listing the problems exactly as ``duckdb_validate.validate_store`` does.

    ``master`` / ``memory_limit`` as for ``spark_session``; a session already running is reused and
    left running.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    nodes, types = store_tables(folder, problems)
    events, listing = store_files(folder)
    files, texts = [], []
    for path in listing:
        found, text = file_problems(path)
        problems += found
        if not found:
            files.append(path)
            texts.append(text)
    counts = _NO_COUNTS
    if files:
        session, started = spark_session(master, memory_limit)
        try:
            with _errors(folder), _settings(session):
                checker = _Checker(session, folder, files, texts, nodes, types)
                try:
                    counts = checker.counts()
                    rows = checker.listed(counts, listed)
                finally:
                    checker.close()
        finally:
            if started:
                session.stop()
        report = RuleReport(folder, files, nodes, types, events)
        for flag in RULES:
            total = int(counts[flag].sum())
            if total:
                problems += report.problems(flag, rows.get(flag, _NO_ROWS), total)
    if problems:
        raise DataError(problems)
    return _summary(nodes, types, counts)
