"""The aggregation step: a view's events summed per pair, checked against hand-worked sums."""

from __future__ import annotations

import numpy as np
import pytest

from graph.store.dataset import load_dataset
from graph.view.pairs import pair_table
from graph.view.select import select
from tests.conftest import write_dataset

NODES = """\
id,label,kind,affiliation
a,A,state,
b,B,state,
c,C,state,
"""
# arrest -5 directed, accusation -2 directed, support +3 undirected, meeting +1 undirected,
# appointment 0 neutral directed.
EDGES = """\
source,target,type,date,weight,note
a,b,arrest,2025-01-01,,1
a,b,accusation,2025-01-02,,2
b,a,accusation,2025-01-03,,3
b,a,support,2025-01-04,,4
a,b,meeting,2025-01-05,,5
c,a,appointment,2025-01-06,,6
c,c,support,2025-01-07,,7
a,c,support,2025-01-08,0.5,8
"""


@pytest.fixture
def pairs(tmp_path):
    return pair_table(select(load_dataset(write_dataset(tmp_path / "d", NODES, EDGES))))


def rows(pairs):
    ids = list(pairs.nodes)
    return {(ids[r.source], ids[r.target], bool(r.directed)): r for r in pairs.table.itertuples()}


def test_one_row_per_pair_and_direction(pairs):
    r = rows(pairs)
    assert r[("a", "b", True)].events == 2 and r[("a", "b", True)].weight == -7
    assert r[("a", "b", True)].hostile == -7 and r[("a", "b", True)].cooperative == 0
    assert r[("b", "a", True)].weight == -2
    # the two undirected events between a and b: support (b,a) and meeting (a,b), stored once
    assert r[("a", "b", False)].events == 2 and r[("a", "b", False)].weight == 4
    # neutral: counted, no sign
    assert r[("c", "a", True)].events == 1 and r[("c", "a", True)].signed_events == 0
    assert r[("c", "a", True)].weight == 0
    assert r[("a", "c", False)].weight == 0.5


def test_signed_ties_sum_both_directions_without_loops_or_neutral(pairs):
    ties = pairs.signed()
    got = {(u, v): (w, n) for u, v, w, n in ties.itertuples(index=False)}
    assert got == {("a", "b"): (-5.0, 5), ("a", "c"): (0.5, 1)}


def test_arcs_and_undirected_counts(pairs):
    arcs, count = pairs.arcs()
    ids = list(pairs.nodes)
    got = {(ids[u], ids[v]): c for (u, v), c in zip(arcs.tolist(), count)}
    # a->b: 2 directed + 2 undirected; b->a: 1 directed + 2 undirected; c->a neutral 1; a<->c 1 each
    assert got == {("a", "b"): 4, ("b", "a"): 3, ("c", "a"): 2, ("a", "c"): 1}
    und, count = pairs.undirected()
    got = {(ids[u], ids[v]): c for (u, v), c in zip(und.tolist(), count)}
    assert got == {("a", "b"): 5, ("a", "c"): 2}


def test_empty_view(tmp_path):
    p = pair_table(select(load_dataset(write_dataset(tmp_path / "d", NODES, "source,target,type\n"))))
    assert len(p.table) == 0 and len(p.signed()) == 0
    assert p.arcs()[0].shape == (0, 2)


def test_agrees_with_pandas_groupby_on_random_events(tmp_path):
    rng = np.random.default_rng(3)
    ids = [f"n{i}" for i in range(12)]
    nodes = "id,label,kind\n" + "".join(f"{i},{i},state\n" for i in ids)
    types = ["arrest", "accusation", "support", "meeting", "appointment"]
    lines = ["source,target,type"]
    for _ in range(400):
        lines.append(f"{rng.choice(ids)},{rng.choice(ids)},{rng.choice(types)}")
    view = select(load_dataset(write_dataset(tmp_path / "r", nodes, "\n".join(lines) + "\n")))
    ev = view.events
    ev = ev[(ev.polarity != "neutral") & (ev.source != ev.target)]
    lo = np.where(ev.source < ev.target, ev.source, ev.target)
    hi = np.where(ev.source < ev.target, ev.target, ev.source)
    expected = ev.assign(u=lo, v=hi).groupby(["u", "v"])["weight"].sum()
    got = pair_table(view).signed().set_index(["u", "v"])["weight"]
    assert got.sort_index().round(9).to_dict() == expected.sort_index().round(9).to_dict()
