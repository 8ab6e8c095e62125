"""The SQL an engine runs over an event store, shared by DuckDB and Spark.

Each function returns the text of one query (or one sub-query to nest in ``WITH`` / ``FROM``); the
few spellings that differ between engines come from a :class:`Dialect`. The queries read these
relations, which the engine provides under these names:

* ``RAW`` (a sub-query the engine writes): the event rows with the store's string columns
  (``source, target, type, date, weight, note, citation`` and extras) plus ``ag_ord``, an integer giving
  the rows' data order, and ``line``, the row's number shown to users;
* small tables registered from pandas frames (``selection_tables``): ``ag_types`` (every edge type),
  and, when the selection needs them, ``ag_type_filter``, ``ag_rollup``, ``ag_actors``;
  ``ag_positions`` for ``pairs_sql``; ``ag_touching`` / ``ag_between`` for ``events_sql`` and
  ``spans_sql``.

The rules are those of ``graph.view.select.apply_selection`` and ``graph.view.pairs``; the engines'
answers are compared with the pandas ones in ``tests/test_duckdb_engine.py``.
"""

from __future__ import annotations

import pandas as pd

from graph.view.engine import Selection

TYPES, TYPE_FILTER, ROLLUP, ACTORS = "ag_types", "ag_type_filter", "ag_rollup", "ag_actors"
POSITIONS, TOUCHING, BETWEEN = "ag_positions", "ag_touching", "ag_between"

#: Characters Python's ``str.strip()`` removes (the CSV path strips ids, types, dates and weights).
WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
#: A well-formed partial date (``graph.store.dates.DATE_PATTERN``), anchored.
DATE_REGEX = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
#: Numbers as pandas' ``to_numeric`` reads them (lower-cased): no digit separators, no hex, ASCII digits.
NUMBER_REGEX = r"^[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?|inf|infinity|nan)$"
#: Columns every event has after ``normalized_sql`` (plus the extras, then ``ag_ord`` and ``line``).
BASE_COLUMNS = ("source", "target", "type", "date", "weight", "note", "citation")


class Dialect:
    """The spellings that differ between engines; the defaults are DuckDB's."""

    name = "duckdb"

    def quote(self, column: str) -> str:
        """A column name as an identifier."""
        return '"' + column.replace('"', '""') + '"'

    def string(self, text: str) -> str:
        """A string literal."""
        return "'" + text.replace("'", "''") + "'"

    def strip(self, expr: str) -> str:
        """``expr`` without leading and trailing whitespace (as Python's ``str.strip``)."""
        space = self.string(WHITESPACE)
        # trim() with a character set is slow (about 2.5 s per million texts on this machine); a text that
        # neither starts nor ends with whitespace (nearly every id, type and date) is returned as it is.
        return (f"CASE WHEN {expr} <> '' AND (strpos({space}, left({expr}, 1)) > 0 OR "
                f"strpos({space}, right({expr}, 1)) > 0) THEN trim({expr}, {space}) ELSE {expr} END")

    def try_date(self, expr: str) -> str:
        """``expr`` (text ``YYYY-MM-DD``) as a DATE, NULL when it is no real day."""
        return f"TRY_CAST({expr} AS DATE)"

    def try_double(self, expr: str) -> str:
        """``expr`` as a DOUBLE, NULL when it is not a number."""
        return f"TRY_CAST({expr} AS DOUBLE)"

    def full_match(self, expr: str, regex: str) -> str:
        """True when ``regex`` (anchored) matches ``expr``."""
        return f"regexp_matches({expr}, {self.string(regex)})"

    def days_between(self, first: str, last: str) -> str:
        """Whole days from DATE ``first`` to DATE ``last``."""
        return f"date_diff('day', {first}, {last})"

    def date(self, day: pd.Timestamp) -> str:
        """A DATE literal."""
        return f"DATE '{pd.Timestamp(day):%Y-%m-%d}'"


DUCKDB = Dialect()


def span_sql(date: str, d: Dialect) -> tuple[str, str]:
    """``(start, end)`` expressions of a stripped date text: the first and last day of the span it
    covers (``graph.store.dates.spans``), NULL when empty or bad."""
    n = f"length({date})"
    iso = (f"CASE WHEN {n} = 4 THEN {date} || '-01-01' WHEN {n} = 7 THEN {date} || '-01' "
           f"ELSE {date} END")
    start = f"CASE WHEN {d.full_match(date, DATE_REGEX)} THEN {d.try_date(iso)} END"
    end = (f"CASE WHEN {n} = 4 THEN {d.try_date(f'substr({date}, 1, 4) || ' + d.string('-12-31'))} "
           f"WHEN {n} = 7 THEN last_day({d.try_date(iso)}) ELSE {d.try_date(iso)} END")
    return start, end


def number_sql(text: str, d: Dialect) -> str:
    """A stripped weight text as a DOUBLE: NULL when empty or not a number (NaN when it says nan)."""
    return f"CASE WHEN {text} <> '' AND {d.full_match(f'lower({text})', NUMBER_REGEX)} THEN {d.try_double(text)} END"


def normalized_sql(raw: str, extras: tuple[str, ...], d: Dialect) -> str:
    """The events of ``raw`` as the CSV path reads them: ids, type, date and weight stripped; the
    date's span ``span_start``/``span_end``; ``w_override`` the row's weight as a number (NULL when
    empty). Extra columns pass through under their own names."""
    q = d.quote
    src, dst, typ, date = (d.strip(f"coalesce({q(c)}, '')") for c in ("source", "target", "type", "date"))
    start, end = span_sql("date", d)
    weight = d.strip(f"coalesce({q('weight')}, '')")
    extra = "".join(f", coalesce({q(c)}, '') AS {q(c)}" for c in extras)
    return (f"SELECT source, target, type, date, note, citation, w_override{extra}, ag_ord, line, "
            f"{start} AS span_start, CASE WHEN {start} IS NOT NULL THEN {end} END AS span_end "
            f"FROM (SELECT {src} AS source, {dst} AS target, {typ} AS type, {date} AS date, "
            f"coalesce({q('note')}, '') AS note, coalesce({q('citation')}, '') AS citation, "
            f"{number_sql(weight, d)} AS w_override{extra}, ag_ord, line "
            f"FROM {raw}) AS n")


def window_sql(sel: Selection, d: Dialect, start: str = "span_start", end: str = "span_end") -> str:
    """The window condition of ``sel`` (span overlap; undated rows kept unless ``dated_only``)."""
    dated = []
    if sel.lo is not None:
        dated.append(f"{end} >= {d.date(sel.lo)}")
    if sel.hi is not None:
        dated.append(f"{start} <= {d.date(sel.hi)}")
    if not dated and not sel.dated_only:
        return "TRUE"  # no date to compute: the engine can skip parsing them
    inside = " AND ".join(dated) or "TRUE"
    if sel.dated_only:
        return f"({start} IS NOT NULL AND {inside})"
    return f"({start} IS NULL OR ({inside}))"


def selected_sql(events: str, sel: Selection, extras: tuple[str, ...], d: Dialect) -> str:
    """The events of ``events`` (a ``normalized_sql`` relation) that ``sel`` keeps, with ``polarity``,
    ``directed`` and ``weight`` (override else the type's default, decayed) from ``ag_types``, and ids
    rolled up. Columns: those of ``View.events`` (``start``/``end`` named ``span_start``/``span_end``)
    plus ``ag_ord``."""
    q = d.quote
    where = [window_sql(sel, d, "e.span_start", "e.span_end")]
    if sel.types:
        where.append(f"e.type IN (SELECT type FROM {TYPE_FILTER})")
    src, dst, joins = "e.source", "e.target", ""
    if sel.rollup is not None:
        src, dst = "r1.root", "r2.root"
        joins = (f" JOIN {ROLLUP} r1 ON e.source = r1.id JOIN {ROLLUP} r2 ON e.target = r2.id")
        where.append("r1.root <> r2.root")
    if sel.actors is not None:
        where.append(f"{src} IN (SELECT id FROM {ACTORS}) AND {dst} IN (SELECT id FROM {ACTORS})")
    weight = "coalesce(e.w_override, t.weight)"
    if sel.half_life is not None and not pd.isna(sel.reference):  # no reference day: no dated event, no decay
        ref = d.date(sel.reference)
        age = (f"greatest({d.days_between('e.span_start', ref)} - "
               f"{d.days_between('e.span_start', 'e.span_end')} / 2.0, 0.0)")
        weight = (f"CASE WHEN e.span_start IS NULL THEN {weight} "
                  f"ELSE {weight} * pow(0.5, {age} / {float(sel.half_life)!r}) END")
    extra = "".join(f", e.{q(c)}" for c in extras)
    return (f"SELECT {src} AS source, {dst} AS target, e.type, t.polarity, t.directed, {weight} AS weight, "
            f"e.span_start, e.span_end, e.date, e.note, e.citation, e.line, e.w_override AS weight_override"
            f"{extra}, e.ag_ord FROM {events} e JOIN {TYPES} t ON e.type = t.type{joins} "
            f"WHERE {' AND '.join(where)}")


def pairs_sql(selected: str) -> str:
    """The pair table (``graph.view.pairs.PAIR_COLUMNS``, in no particular order) of the events of
    ``selected``, ids replaced by positions from ``ag_positions``; plus ``max_abs``, the largest
    |weight| of each row's events (for the noise level)."""
    signed = "polarity <> 'neutral'"
    return (
        "SELECT s AS source, d AS target, directed, count(*) AS events, "
        f"sum(CASE WHEN {signed} THEN 1 ELSE 0 END) AS signed_events, "
        f"sum(CASE WHEN {signed} THEN weight ELSE 0.0 END) AS weight, "
        f"sum(CASE WHEN {signed} AND weight < 0 THEN weight ELSE 0.0 END) AS hostile, "
        f"sum(CASE WHEN {signed} AND weight > 0 THEN weight ELSE 0.0 END) AS cooperative, "
        "max(abs(weight)) AS max_abs "
        "FROM (SELECT CASE WHEN e.directed THEN p1.pos ELSE least(p1.pos, p2.pos) END AS s, "
        "CASE WHEN e.directed THEN p2.pos ELSE greatest(p1.pos, p2.pos) END AS d, "
        f"e.directed, e.polarity, e.weight FROM {selected} e "
        f"JOIN {POSITIONS} p1 ON e.source = p1.id JOIN {POSITIONS} p2 ON e.target = p2.id) AS x "
        "GROUP BY s, d, directed")


def pair_file_sql(pairs: str) -> str:
    """The rows of ``pairs_sql`` as the pair file keeps them (``graph.view.stored_pairs``): positions as
    INTEGER, counts as BIGINT, sums as DuckDB added them, and ``max_abs``."""
    return ("SELECT source::INTEGER AS source, target::INTEGER AS target, directed, events::BIGINT AS events, "
            f"signed_events::BIGINT AS signed_events, weight, hostile, cooperative, max_abs FROM ({pairs}) AS p")


def edges_sql(selected: str) -> str:
    """The events of ``selected`` summed per edge (``graph.view.edges.EDGE_COLUMNS``, ordered as
    ``events_edge_table``), ids replaced by positions from ``ag_positions``."""
    return (
        "SELECT s AS source, d AS target, directed, polarity, count(*) AS events, sum(weight) AS weight, "
        "sum(abs(weight)) AS magnitude, min(span_start) AS first, max(span_end) AS last "
        "FROM (SELECT CASE WHEN e.directed THEN p1.pos ELSE least(p1.pos, p2.pos) END AS s, "
        "CASE WHEN e.directed THEN p2.pos ELSE greatest(p1.pos, p2.pos) END AS d, "
        f"e.directed, e.polarity, e.weight, e.span_start, e.span_end FROM {selected} e "
        f"JOIN {POSITIONS} p1 ON e.source = p1.id JOIN {POSITIONS} p2 ON e.target = p2.id) AS x "
        "GROUP BY s, d, directed, polarity ORDER BY s, d, directed, polarity")


def latest_sql(selected: str, per_pair: int) -> str:
    """The latest ``per_pair`` events of ``selected`` joining each pair of ``ag_between``, in the order
    of ``graph.view.edges.latest_of`` (pairs by id, newest first, ties by ``LATEST_TIES``)."""
    from graph.view.edges import LATEST_TIES

    lo, hi = "least(source, target)", "greatest(source, target)"
    ties = ", ".join(LATEST_TIES)
    return (f"SELECT * FROM (SELECT r.*, row_number() OVER (PARTITION BY {lo}, {hi} ORDER BY "
            f"span_start DESC NULLS LAST, span_end DESC NULLS LAST, {ties}) AS ag_rank "
            f"FROM ({_restricted(selected, False, True)}) AS r) AS x WHERE ag_rank <= {int(per_pair)} "
            f"ORDER BY {lo}, {hi}, ag_rank")


def _restricted(selected: str, touching: bool, between: bool) -> str:
    where = []
    if touching:
        where.append(f"(source IN (SELECT id FROM {TOUCHING}) OR target IN (SELECT id FROM {TOUCHING}))")
    if between:
        where.append(f"EXISTS (SELECT 1 FROM {BETWEEN} b WHERE b.lo = least(e.source, e.target) "
                     "AND b.hi = greatest(e.source, e.target))")
    return f"SELECT * FROM {selected} e" + (f" WHERE {' AND '.join(where)}" if where else "")


def events_sql(selected: str, touching: bool = False, between: bool = False, limit: int | None = None) -> str:
    """The events of ``selected`` in data order, only those with an end in ``ag_touching`` (when
    ``touching``) or joining a pair of ``ag_between`` (``lo``, ``hi``; when ``between``)."""
    return (f"SELECT * FROM ({_restricted(selected, touching, between)}) AS r ORDER BY ag_ord"
            + (f" LIMIT {int(limit)}" if limit is not None else ""))


def spans_sql(selected: str, between: bool = False) -> str:
    """Events summed per ``span_start``, ``span_end`` and ``polarity``: ``events`` and ``weight``
    (summed |weight|); with ``between``, only those joining the pair in ``ag_between``."""
    return (f"SELECT span_start, span_end, polarity, count(*) AS events, sum(abs(weight)) AS weight "
            f"FROM ({_restricted(selected, False, between)}) AS r GROUP BY span_start, span_end, polarity")


def date_range_sql(selected: str) -> str:
    """The earliest and latest ``span_start`` of the events of ``selected``."""
    return f"SELECT min(span_start) AS first, max(span_start) AS last FROM {selected}"


def selection_tables(types: pd.DataFrame, sel: Selection) -> dict[str, pd.DataFrame]:
    """The small tables ``selected_sql`` reads for ``sel``, as pandas frames to register."""
    tables = {TYPES: pd.DataFrame({"type": types.index.astype(str), "polarity": types["polarity"].astype(str),
                                   "weight": types["weight"].astype(float),
                                   "directed": types["directed"].astype(bool)}).reset_index(drop=True)}
    if sel.types:
        tables[TYPE_FILTER] = pd.DataFrame({"type": list(sel.types)}, dtype=object)
    if sel.rollup is not None:
        tables[ROLLUP] = pd.DataFrame({"id": list(sel.rollup), "root": list(sel.rollup.values())}, dtype=object)
    if sel.actors is not None:
        tables[ACTORS] = pd.DataFrame({"id": sorted(sel.actors)}, dtype=object)
    return tables


def positions_table(nodes: pd.Index) -> pd.DataFrame:
    """``ag_positions``: each actor id with its position in ``nodes``."""
    return pd.DataFrame({"id": pd.Series(list(nodes), dtype=object), "pos": range(len(nodes))})


def between_table(pairs) -> pd.DataFrame:
    """``ag_between``: unordered pairs of ids as ``lo < hi`` rows."""
    rows = sorted({tuple(sorted(p)) for p in pairs})
    return pd.DataFrame({"lo": [a for a, _ in rows], "hi": [b for _, b in rows]}, dtype=object)
