"""StoredPairs (a pair table kept as Parquet and answered by DuckDB SQL) against the in-memory Pairs.

The in-memory ``Pairs`` is the numpy reference; both are built here from the same random pair table
(self-loops, pairs with a directed and an undirected row, reversed directed pairs, neutral-only rows,
sums that cancel to float noise), so every accessor is compared on the cases that make the SQL and the
numpy differ if either is wrong.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graph.view.engines.duckdb_engine import connect
from graph.view.pairs import PAIR_COLUMNS, ROWS, Pairs
from graph.view.stored_pairs import StoredPairs


def random_table(rng: np.random.Generator, n: int, rows: int) -> pd.DataFrame:
    keys = set()
    while len(keys) < rows:
        s, d = (int(x) for x in rng.integers(0, n, 2))
        directed = bool(rng.random() < 0.6)
        if not directed:
            s, d = min(s, d), max(s, d)
        keys.add((s, d, directed))
    keys = sorted(keys)
    events = rng.integers(1, 50, len(keys))
    signed = np.minimum(events, rng.integers(0, 50, len(keys)))
    hostile = -np.round(rng.random(len(keys)) * 20, 1) * (signed > 0)
    cooperative = np.round(rng.random(len(keys)) * 20, 1) * (signed > 0)
    weight = hostile + cooperative
    weight[::7] = 0.1 + 0.2 - 0.3  # float noise, a tie that is no tie
    return pd.DataFrame({"source": [k[0] for k in keys], "target": [k[1] for k in keys],
                         "directed": [k[2] for k in keys], "events": events, "signed_events": signed,
                         "weight": weight, "hostile": hostile, "cooperative": cooperative})


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stored")
    rng = np.random.default_rng(11)
    nodes = pd.Index([f"z{i:03d}" if i % 3 else f"a{i:03d}" for i in range(40)])  # view order is not id order
    table = random_table(rng, len(nodes), 500)
    shuffled = table.sample(frac=1.0, random_state=3)  # the engine's file is in no particular order
    path = folder / "pairs.parquet"
    pq.write_table(pa.table({**{c: shuffled[c].to_numpy() for c in PAIR_COLUMNS},
                             "max_abs": np.full(len(shuffled), 10.0)}), path)
    con = connect("500MB", str(folder / "spill"))
    yield Pairs(nodes, table.copy(), 1e-8), StoredPairs(nodes, path, con, 1e-8)
    con.close()


def test_table_and_counts(both):
    memory, stored = both
    pd.testing.assert_frame_equal(memory.table, stored.table)
    assert len(stored) == len(memory) and stored.events_total() == memory.events_total()


def test_arcs_and_unordered_pairs(both):
    memory, stored = both
    for name in ("arcs", "undirected"):
        (a, wa), (b, wb) = getattr(memory, name)(), getattr(stored, name)()
        assert np.array_equal(a, b) and np.array_equal(wa, wb), name


def test_signed_ties(both):
    memory, stored = both
    for x, y in zip(memory.signed_arrays(), stored.signed_arrays()):
        assert np.array_equal(x, y)
    pd.testing.assert_frame_equal(memory.signed(), stored.signed())


@pytest.mark.parametrize("column", ["events", "signed_events", "weight", "hostile", "cooperative"])
def test_actor_totals_every_term(both, column):
    memory, stored = both
    for end, rows in itertools.product(("source", "target"), ROWS):
        for absolute in (False, True):
            got = stored.actor_totals(column, [(end, rows)], absolute)
            assert np.array_equal(memory.actor_totals(column, [(end, rows)], absolute), got), (end, rows)


def test_actor_totals_by_hand():
    """Degree on a hand-worked table: a -> b twice, b - c undirected once, a self-loop on c."""
    nodes = pd.Index(["a", "b", "c"])
    table = pd.DataFrame({"source": [0, 1, 2], "target": [1, 2, 2], "directed": [True, False, True],
                          "events": [2, 1, 1], "signed_events": [0, 0, 0], "weight": [0.0] * 3,
                          "hostile": [0.0] * 3, "cooperative": [0.0] * 3})
    degree = Pairs(nodes, table).actor_totals("events", [("source", "all"), ("target", "not_loop")])
    assert degree.tolist() == [2, 3, 2]


def test_among_a_few(both):
    memory, stored = both
    ids = list(memory.nodes[[5, 1, 30, 17, 2]])
    a, b = memory.among(ids), stored.among(ids)
    assert list(a.nodes) == list(b.nodes) == ids
    pd.testing.assert_frame_equal(a.table, b.table)
    with pytest.raises(ValueError):
        stored.among(["nobody"])
