"""Filters, the window rule for partial dates, roll-up to states, decay and signed ties (hand-worked)."""

from __future__ import annotations

import math

import pytest

from graph.errors import ActorgraphError, NotFound
from graph.view.select import Filters, event_graph, roots, select, signed_graph, signed_ties
from graph.store.dataset import load_dataset
from tests.conftest import write_dataset

NODES = """\
id,label,kind,affiliation
ru,Russia,state,
az,Azerbaijan,state,
putin,Putin,official,ru
police,Police,institution,ru
aliyev,Aliyev,official,az
tr,Turkey,state,
"""
EDGES = """\
source,target,type,date,weight,note
police,az,arrest,2025-06-27,,a
az,ru,accusation,2025-07,,b
putin,aliyev,support,2024,,c
ru,az,meeting,,,d
tr,az,support,2020,4,e
putin,police,meeting,2025-07-02,,f
ru,tr,appointment,2025-07-03,,g
"""


@pytest.fixture
def ds(tmp_path):
    return load_dataset(write_dataset(tmp_path / "d", NODES, EDGES))


def pairs(view):
    return sorted(zip(view.events["source"], view.events["target"], view.events["note"]))


def test_roots_follow_affiliation_chains(ds):
    assert roots(ds.nodes).to_dict() == {"ru": "ru", "az": "az", "putin": "ru", "police": "ru",
                                         "aliyev": "az", "tr": "tr"}


@pytest.mark.parametrize("since, until, notes", [
    (None, None, "abcdefg"),
    ("2025-07-01", None, "bdfg"),        # 2025-06-27 is out; month 2025-07 overlaps; undated d counts
    ("2025-07-15", None, "bd"),          # 2025-07 still overlaps the window's start
    (None, "2024-12", "cde"),            # year 2024 ends inside; 2020 too
    ("2024-06", "2024-06", "cd"),        # the year 2024 overlaps June 2024
    ("2025", "2025", "abdfg"),
    ("2021", "2023", "d"),
])
def test_window_counts_an_event_when_its_span_overlaps(ds, since, until, notes):
    view = select(ds, Filters(since=since, until=until))
    assert "".join(sorted(view.events["note"])) == notes


def test_window_bounds_are_checked(ds):
    with pytest.raises(ActorgraphError, match="malformed date '2025/07'"):
        select(ds, Filters(since="2025/07"))
    with pytest.raises(ActorgraphError, match="after --until"):
        select(ds, Filters(since="2025", until="2024"))


def test_unknown_type_kind_and_ego_name_a_suggestion(ds):
    with pytest.raises(NotFound, match="unknown type 'arest' \\(did you mean 'arrest'\\?\\)"):
        select(ds, Filters(types=("arest",)))
    with pytest.raises(NotFound, match="unknown kind 'stat'"):
        select(ds, Filters(kinds=("stat",)))
    with pytest.raises(NotFound, match="did you mean 'putin'"):
        select(ds, Filters(ego="putn"))


def test_state_level_rolls_actors_up_and_drops_events_inside_a_state(ds):
    view = select(ds, Filters(level="state"))
    assert sorted(view.nodes.index) == ["az", "ru", "tr"]
    # putin->police (f) is inside Russia and disappears; putin->aliyev (c) becomes ru->az.
    assert pairs(view) == [("az", "ru", "b"), ("ru", "az", "a"), ("ru", "az", "c"), ("ru", "az", "d"),
                           ("ru", "tr", "g"), ("tr", "az", "e")]


def test_kinds_keep_actors_of_those_kinds_and_events_between_them(ds):
    view = select(ds, Filters(kinds=("state",)))
    assert sorted(view.nodes.index) == ["az", "ru", "tr"]
    assert "".join(sorted(view.events["note"])) == "bdeg"


def test_types_filter(ds):
    assert "".join(sorted(select(ds, Filters(types=("support",))).events["note"])) == "ce"


def test_ego_network_to_a_depth(ds):
    view = select(ds, Filters(ego="aliyev", depth=1))
    assert sorted(view.nodes.index) == ["aliyev", "putin"]
    view = select(ds, Filters(ego="aliyev", depth=2))
    assert sorted(view.nodes.index) == ["aliyev", "police", "putin"]


def test_signed_ties_sum_weights_and_leave_out_neutral_events(ds):
    # state level: ru-az = arrest -5 + accusation -2 + support 3 + meeting 1 = -3 over 4 events;
    # az-tr = support override 4; ru-tr has only a neutral appointment: no signed tie.
    ties = signed_ties(select(ds, Filters(level="state")))
    assert ties.to_dict("records") == [
        {"u": "az", "v": "ru", "weight": -3.0, "events": 4},
        {"u": "az", "v": "tr", "weight": 4.0, "events": 1},
    ]
    g = signed_graph(select(ds, Filters(level="state")))
    assert sorted(g.nodes) == ["az", "ru", "tr"] and g.number_of_edges() == 2


def test_half_life_halves_a_weight_per_half_life_of_age(ds):
    # Reference day = --until end = 2025-07-31. The 2025-06-27 arrest (-5) is 34 days old.
    view = select(ds, Filters(until="2025-07", half_life=34, types=("arrest",)))
    assert view.events["weight"].tolist() == pytest.approx([-2.5])
    # A 2025-07 event's span runs 07-01..07-31 (midnights), so its middle is 07-16: 15 days before 07-31.
    view = select(ds, Filters(until="2025-07", half_life=10, types=("accusation",)))
    assert view.events["weight"].tolist() == pytest.approx([-2 * 0.5 ** (15 / 10)])
    # Undated standing relations are not discounted.
    view = select(ds, Filters(until="2025-07", half_life=1, types=("meeting",)))
    assert sorted(view.events["weight"].round(6)) == [0.0, 1.0]


def test_event_graph_keeps_every_event(ds):
    g = event_graph(select(ds))
    assert g.number_of_edges() == 7
    assert g.nodes["putin"]["label"] == "Putin"
    (attrs,) = [d for _, _, d in g.edges(("tr",), data=True)]
    assert attrs["weight"] == 4 and attrs["type"] == "support" and attrs["directed"] is False
    assert not math.isnan(attrs["line"])


def test_half_life_without_until_counts_age_to_the_latest_event_start_of_the_whole_data(ds):
    # Latest first day of any date: 2025-07-03 (the appointment g); the year-dated 2024 event does not
    # move it, and neither does a --types filter. The 2025-06-27 arrest is 6 days old.
    for types in ((), ("arrest",)):
        view = select(ds, Filters(half_life=6, types=types))
        arrest = view.events.loc[view.events["type"] == "arrest", "weight"]
        assert arrest.tolist() == pytest.approx([-2.5])


def test_half_life_must_be_finite_and_positive(ds):
    for bad in (0, -5, float("inf"), float("nan")):
        with pytest.raises(ActorgraphError, match="--half-life"):
            select(ds, Filters(half_life=bad))


def test_ties_summing_to_float_noise_are_zero(tmp_path):
    nodes = "id,label,kind\na,A,state\nb,B,state\n"
    edges = ("source,target,type,date,weight\na,b,support,,0.1\na,b,support,,0.2\n"
             "a,b,accusation,,-0.3\n")
    ties = signed_ties(select(load_dataset(write_dataset(tmp_path / "f", nodes, edges))))
    assert ties["weight"].tolist() == [0.0]
