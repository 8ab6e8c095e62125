"""A pair table kept on disk: the aggregation step's answer for an event store, read through DuckDB.

At GDELT scale a view has tens of millions of pairs (a 100-million-event store of 20,000 actors has
about 55 million), more than a laptop holds as a pandas frame next to the analyses that read it. The
DuckDB engine therefore writes its GROUP BY into one Parquet file (``graph.view.engines.sql.pair_file_sql``:
positions as int32, sums as DuckDB added them) and hands back a
:class:`StoredPairs`, which answers every question ``graph.view.pairs.Pairs`` answers (arcs, unordered
pairs, signed ties, per-actor totals, the pairs among a few actors) with one SQL query over that file,
so only the answer (an array per column, or one number per actor) comes into Python. The answers equal
the in-memory ones: the same rules, written once as SQL here and once as numpy in ``pairs.py``, compared
by ``tests/test_engines_agree.py``; sums are rounded (``significant``) in the answers, where ``Pairs``
rounds its rows, so both agree to 12 significant digits whichever order the engine added in.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from graph.view.pairs import PAIR_COLUMNS, ROWS, finished_signed, renumbered, significant

_SUMS = ("weight", "hostile", "cooperative")
_RANKS = "ag_pair_ranks"
_KEEP = "ag_pair_keep"
#: SQL of each row condition of ``Pairs.actor_totals`` (``graph.view.pairs.ROWS``).
_ROW_SQL = {"all": "TRUE", "directed": "directed", "undirected": "NOT directed", "not_loop": "source <> target",
            "undirected_not_loop": "NOT directed AND source <> target"}


class StoredPairs:
    """``graph.view.pairs.Pairs`` over a Parquet pair file (``sql.pair_file_sql``; or a glob of the files
    Spark wrote), queried with the DuckDB connection ``con``; ``nodes`` are the view's actor ids
    (positions in the file index them). Answers pass through files in ``scratch`` (default: the pair
    file's folder)."""

    def __init__(self, nodes: pd.Index, path: Path, con, noise: float = 1e-9, scratch: Path | None = None):
        self.nodes = pd.Index(nodes)
        self.path = Path(path)
        self.con = con
        self.noise = noise
        self.scratch = Path(scratch) if scratch is not None else self.path.parent
        self._table = None

    @property
    def n(self) -> int:
        return len(self.nodes)

    def _file(self) -> str:
        return f"read_parquet('{_quoted(self.path)}')"

    def _arrays(self, query: str, stacked: bool = False) -> list[np.ndarray]:
        """Each column of ``query``'s answer as a NumPy array; with ``stacked`` the first two columns come
        as one ``(rows, 2)`` array. The answer goes through a Parquet file beside the pair file and is
        copied batch by batch into arrays of its final size, so memory holds the arrays and one batch
        (an Arrow table of the answer would double it)."""
        import pyarrow.parquet as pq

        answer = self.scratch / f"answer-{uuid.uuid4().hex}.parquet"
        try:
            self.con.execute(f"COPY ({query}) TO '{_quoted(answer)}' (FORMAT parquet, PRESERVE_ORDER true)")
            with pq.ParquetFile(answer) as f:
                rows, schema = f.metadata.num_rows, f.schema_arrow
                names = schema.names
                out = [np.empty(rows, dtype=schema.field(c).type.to_pandas_dtype()) for c in names]
                if stacked:
                    both = np.empty((rows, 2), dtype=np.result_type(out[0].dtype, out[1].dtype))
                    out[0], out[1] = both[:, 0], both[:, 1]
                at = 0
                for batch in f.iter_batches(batch_size=1 << 20):
                    for array, column in zip(out, batch.columns):
                        array[at:at + batch.num_rows] = column.to_numpy(zero_copy_only=False)
                    at += batch.num_rows
        finally:
            answer.unlink(missing_ok=True)
        return [both, *out[2:]] if stacked else out

    @property
    def table(self) -> pd.DataFrame:
        """The whole pair table as ``Pairs.table`` has it (sorted; int64 positions). For small views and
        tests: the analyses read it through the methods below."""
        if self._table is None:
            cols = self._arrays(f"SELECT {', '.join(PAIR_COLUMNS)} FROM {self._file()} "
                                "ORDER BY source, target, directed")
            self._table = pd.DataFrame({
                name: (values.astype(np.int64) if name in ("source", "target", "events", "signed_events")
                       else values.astype(bool) if name == "directed" else significant(values))
                for name, values in zip(PAIR_COLUMNS, cols)})
        return self._table

    def __len__(self) -> int:
        return int(self.con.execute(f"SELECT count(*) FROM {self._file()}").fetchall()[0][0])

    def events_total(self) -> int:
        """Events in the view (self-loops included)."""
        got = self.con.execute(f"SELECT sum(events) FROM {self._file()}").fetchall()[0][0]
        return int(got or 0)

    def arcs(self) -> tuple[np.ndarray, np.ndarray]:
        """As ``Pairs.arcs`` (positions as int32)."""
        arcs, w = self._arrays(
            "SELECT u, v, sum(events)::DOUBLE AS w FROM ("
            f"SELECT source AS u, target AS v, events FROM {self._file()} WHERE source <> target UNION ALL "
            f"SELECT target, source, events FROM {self._file()} WHERE NOT directed AND source <> target) "
            "GROUP BY u, v ORDER BY u, v", stacked=True)
        return arcs, w

    def undirected(self) -> tuple[np.ndarray, np.ndarray]:
        """As ``Pairs.undirected`` (positions as int32)."""
        uv, w = self._arrays(
            "SELECT least(source, target) AS u, greatest(source, target) AS v, sum(events)::DOUBLE AS w "
            f"FROM {self._file()} WHERE source <> target GROUP BY u, v ORDER BY u, v", stacked=True)
        return uv, w

    def signed_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """As ``Pairs.signed_arrays`` (positions as int32)."""
        ids = np.asarray(self.nodes, dtype=object)
        order = np.argsort(ids, kind="stable")
        rank = np.empty(len(ids), dtype=np.int32)
        rank[order] = np.arange(len(ids), dtype=np.int32)
        self.con.register(_RANKS, pd.DataFrame({"pos": np.arange(len(ids), dtype=np.int32), "rank": rank}))
        try:
            u, v, weight, events = self._arrays(
                "SELECT least(a.rank, b.rank) AS u, greatest(a.rank, b.rank) AS v, sum(p.weight) AS w, "
                f"sum(p.signed_events) AS e FROM {self._file()} p JOIN {_RANKS} a ON p.source = a.pos "
                f"JOIN {_RANKS} b ON p.target = b.pos WHERE p.source <> p.target AND p.signed_events > 0 "
                "GROUP BY u, v ORDER BY u, v")
        finally:
            self.con.unregister(_RANKS)
        return ids[order], u, v, finished_signed(weight, self.noise), events.astype(np.int64)

    def signed(self) -> pd.DataFrame:
        """As ``Pairs.signed``."""
        ids, u, v, weight, events = self.signed_arrays()
        return pd.DataFrame({"u": ids[u], "v": ids[v], "weight": weight, "events": events})

    def actor_totals(self, column: str, terms, absolute: bool = False) -> np.ndarray:
        """As ``Pairs.actor_totals``: one SQL pass summing ``column`` per actor."""
        if column not in PAIR_COLUMNS[3:]:
            raise ValueError(f"no pair column {column!r}")
        value = f"abs({column})" if absolute else column
        parts = []
        for end, rows in terms:
            if end not in ("source", "target") or rows not in ROWS:
                raise ValueError(f"bad term {(end, rows)!r}")
            parts.append(f"SELECT {end} AS pos, {value}::DOUBLE AS x FROM {self._file()} WHERE {_ROW_SQL[rows]}")
        pos, total = self._arrays(f"SELECT pos, sum(x) AS total FROM ({' UNION ALL '.join(parts)}) GROUP BY pos")
        out = np.zeros(self.n)
        out[pos.astype(np.int64)] = total
        return significant(out)

    def among(self, ids):
        """As ``Pairs.among``: the pairs with both actors in ``ids`` (a few), as an in-memory ``Pairs``."""
        position = self.nodes.get_indexer(pd.Index(ids))
        if len(position) and position.min() < 0:
            raise ValueError("ids that are not in the pair table")
        self.con.register(_KEEP, pd.DataFrame({"pos": position.astype(np.int32),
                                               "new": np.arange(len(position), dtype=np.int32)}))
        try:
            got = self.con.execute(
                "SELECT a.new AS source, b.new AS target, p.directed, p.events, p.signed_events, p.weight, "
                f"p.hostile, p.cooperative FROM {self._file()} p JOIN {_KEEP} a ON p.source = a.pos "
                f"JOIN {_KEEP} b ON p.target = b.pos").df()
        finally:
            self.con.unregister(_KEEP)
        return renumbered(pd.Index(ids), _pair_frame(got), self.noise)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _pair_frame(got: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "source": got["source"].to_numpy(np.int64), "target": got["target"].to_numpy(np.int64),
        "directed": got["directed"].to_numpy(bool), "events": got["events"].to_numpy(np.int64),
        "signed_events": got["signed_events"].to_numpy(np.int64),
        **{c: got[c].to_numpy(float) for c in _SUMS}})
