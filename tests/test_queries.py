"""Actor profiles and paths between actors, on a hand-made data set."""

from __future__ import annotations

import pytest

from graph.errors import ActorgraphError, NotFound
from graph.view.select import Filters, select
from graph.analysis.queries import paths, profile
from graph.store.dataset import load_dataset
from tests.conftest import write_dataset

NODES = """\
id,label,kind,affiliation,aliases,description
a,Alpha,state,,Al,First state
b,Beta,state,,,
c,Gamma,state,,,
d,Delta,official,a,,
e,Epsilon,media,,,
f,Phi,group,,,
"""
# support +3 and meeting +1 are undirected; arrest -5 and accusation -2 directed; appointment neutral.
EDGES = """\
source,target,type,date,weight,note,citation
a,b,support,2025-02-01,,a backs b,https://example.org/1
b,c,arrest,2025-01-01,,b arrests c,
a,d,meeting,2025-03,,a meets d,
d,c,accusation,2025-04-02,,d accuses c,
c,e,appointment,2025-05-01,,c appoints e,
a,b,accusation,,,standing grievance,
b,a,meeting,2025-02-01,,b meets a,
"""


@pytest.fixture
def view(tmp_path):
    return select(load_dataset(write_dataset(tmp_path / "d", NODES, EDGES)))


def test_profile_fields_and_events_in_date_order(view):
    p = profile(view, "a")
    assert (p["id"], p["label"], p["kind"], p["aliases"], p["description"]) == ("a", "Alpha", "state", "Al",
                                                                              "First state")
    # The undated standing relation first, then by date; the two events of 2025-02-01 in file order.
    assert [(e["date"], e["type"], e["direction"], e["counterpart"]) for e in p["events"]] == [
        ("", "accusation", "out", "b"),
        ("2025-02-01", "support", "mutual", "b"),
        ("2025-02-01", "meeting", "mutual", "b"),
        ("2025-03", "meeting", "mutual", "d"),
    ]
    first = p["events"][1]
    assert (first["note"], first["citation"], first["counterpart_label"], first["line"]) == (
        "a backs b", "https://example.org/1", "Beta", 2)
    assert [e["direction"] for e in profile(view, "c")["events"]] == ["in", "in", "out"]


def test_profile_ranks(view):
    # Degree: a 4, b 4, c 3, d 2, e 1, f 0; a and b share rank 1.
    ranks = {actor: profile(view, actor)["centrality"]["degree"] for actor in "abcdef"}
    assert {k: (v["value"], v["rank"]) for k, v in ranks.items()} == {
        "a": (4, 1), "b": (4, 1), "c": (3, 3), "d": (2, 4), "e": (1, 5), "f": (0, 6)}
    assert profile(view, "a")["actors"] == 6


def test_profile_cluster(view):
    # Signed ties: a-b +3 +1 -2 = +2, a-d +1, b-c -5, d-c -2; the c-e appointment is neutral. Zero
    # frustration puts {a, b, d} together (cluster 1, the largest; d's affiliation to a adds +10) and
    # c apart (held only by hostility); e and f are unaligned.
    assert profile(view, "a")["cluster"] == 1
    assert profile(view, "a")["cluster_members"] == ["a", "b", "d"]
    assert profile(view, "a")["bloc"] == "Alpha's bloc"  # a-b +2, a-d +11: a is the most central
    assert profile(view, "d")["cluster"] == 1
    assert profile(view, "c")["cluster"] is None and profile(view, "c")["bloc"] == "(apart)"
    assert profile(view, "e")["cluster"] is None
    assert profile(view, "f")["cluster"] is None and profile(view, "f")["events"] == []


def test_unknown_actor(view):
    with pytest.raises(NotFound, match="unknown actor 'alpha'"):
        profile(view, "alpha")
    with pytest.raises(NotFound, match="did you mean 'a'"):
        paths(view, "a", "a1")


def test_state_level_names_only_roots(tmp_path):
    v = select(load_dataset(write_dataset(tmp_path / "d", NODES, EDGES)), Filters(level="state"))
    with pytest.raises(NotFound, match="at --level state"):
        profile(v, "d")
    # d's meeting with a disappears into a; d's accusation of c becomes a's.
    assert [e["type"] for e in profile(v, "a")["events"]] == ["accusation", "support", "meeting", "accusation"]


def chains(found):
    return sorted(tuple(c["actors"]) for c in found)


def test_all_shortest_paths(view):
    # a reaches c in two steps through b or through d; e hangs off c.
    assert chains(paths(view, "a", "c")) == [("a", "b", "c"), ("a", "d", "c")]
    assert chains(paths(view, "e", "a")) == [("e", "c", "b", "a"), ("e", "c", "d", "a")]
    assert chains(paths(view, "a", "b")) == [("a", "b")]
    assert len(paths(view, "a", "c", limit=1)) == 1
    assert paths(view, "a", "f") == []


def test_path_steps_list_every_event_of_the_pair(view):
    chain = next(c for c in paths(view, "c", "a") if c["actors"] == ["c", "b", "a"])
    first, second = chain["steps"]
    assert (first["source"], first["target"]) == ("c", "b")
    assert [(e["source"], e["target"], e["type"]) for e in first["events"]] == [("b", "c", "arrest")]
    assert [(e["date"], e["type"], e["note"]) for e in second["events"]] == [
        ("", "accusation", "standing grievance"), ("2025-02-01", "support", "a backs b"),
        ("2025-02-01", "meeting", "b meets a")]


def test_path_respects_filters_and_bad_input(tmp_path, view):
    v = select(load_dataset(write_dataset(tmp_path / "d", NODES, EDGES)), Filters(since="2025-03"))
    # From March on the b-c arrest (January) is gone: only the chain through d is left, while the
    # undated grievance still links a and b.
    assert chains(paths(v, "a", "c")) == [("a", "d", "c")]
    assert chains(paths(v, "b", "d")) == [("b", "a", "d")]
    v = select(load_dataset(write_dataset(tmp_path / "e", NODES, EDGES)), Filters(types=("meeting", "accusation")))
    # Only meetings and accusations: a-b (meeting, grievance), a-d (meeting), d-c (accusation); no arrest.
    assert chains(paths(v, "a", "c")) == [("a", "d", "c")]
    with pytest.raises(ActorgraphError, match="both ends"):
        paths(view, "a", "a")


def test_profile_aggregates_the_view_once(view, monkeypatch):
    """``show`` reads one pair table for centrality and blocs alike (issue 9: aggregation once per command)."""
    import graph.analysis.queries as queries
    import graph.view.pairs as pairs_module

    count = []
    real = pairs_module.pair_table

    def counted(v):
        count.append(1)
        return real(v)

    monkeypatch.setattr(pairs_module, "pair_table", counted)
    monkeypatch.setattr(queries, "pair_table", counted)
    assert profile(view, "a")["id"] == "a"
    assert len(count) == 1
