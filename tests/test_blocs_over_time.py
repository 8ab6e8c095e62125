"""Blocs over time (``clusters --every``): periods, matching of blocs, moves, JSON shape, CLI options."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view
from graph.analysis.alignment.over_time import blocs_over_time, period_windows, window_months
from graph.errors import ActorgraphError
from graph.store.dataset import load_dataset
from graph.view.select import Filters, select
from tests.conftest import BUNDLED, write_dataset

NODES = "id,label,kind\n" + "".join(f"{x},{x.upper()},state\n" for x in "abcdpqrx")


def dataset(tmp_path, periods: dict[str, list[tuple[str, str, str]]], undated=()):
    """A data set whose events are ``(source, target, type)`` dated by the keys of ``periods``."""
    rows = ["source,target,type,date"]
    rows += [f"{s},{t},{kind},{date}" for date, events in periods.items() for s, t, kind in events]
    rows += [f"{s},{t},{kind}," for s, t, kind in undated]
    return load_dataset(write_dataset(tmp_path / "d", NODES, "\n".join(rows) + "\n"))


def camp(*members: str) -> list[tuple[str, str, str]]:
    """Support between every pair of ``members``."""
    return [(u, v, "support") for i, u in enumerate(members) for v in members[i + 1:]]


def hostile(left: str, right: str) -> list[tuple[str, str, str]]:
    """An arrest between every actor of ``left`` and every actor of ``right``."""
    return [(u, v, "arrest") for u in left for v in right]


# Worked by hand (every partition below has frustration 0, and merging any two blocs costs arrests):
# 2021: {a,b,c,x} against {p,q,r}; d has no event.
# 2022: x turns: cooperates with p, is arrested by a; d joins a's camp. {a,b,c,d} keeps bloc 1 (3 of its
#       4 members of 2021, all aligned, still together), {p,q,r,x} keeps bloc 2. Moves: d none->1, x 1->2.
# 2023: bloc 1 splits 2/2 into {a,b} and {c,d}: no core, both new (3 and 4, largest first, then by
#       members). {p,q,r} keeps bloc 2 (x has no event: 3 of the 3 aligned members of 2022's bloc 2).
#       Moves: a,b 1->3, c,d 1->4, x 2->none.
THREE_YEARS = {
    "2021": camp("a", "b", "c") + [("x", "a", "support")] + camp("p", "q", "r") + hostile("abcx", "pqr"),
    "2022": camp("a", "b", "c", "d") + camp("p", "q", "r") + [("x", "p", "support"), ("x", "q", "support")]
    + hostile("abcd", "pqrx"),
    "2023": camp("a", "b") + camp("c", "d") + camp("p", "q", "r") + hostile("ab", "cdpqr") + hostile("cd", "pqr"),
}


@pytest.fixture
def three(tmp_path):
    return dataset(tmp_path, THREE_YEARS)


def test_blocs_keep_their_id_while_their_core_stays(three):
    h = blocs_over_time(three, Filters(), "year")
    assert [p.label for p in h.periods] == ["2021", "2022", "2023"]
    got = [{b.id: b.members for b in p.blocs} for p in h.periods]
    assert got == [
        {1: ["a", "b", "c", "x"], 2: ["p", "q", "r"]},
        {1: ["a", "b", "c", "d"], 2: ["p", "q", "r", "x"]},
        {2: ["p", "q", "r"], 3: ["a", "b"], 4: ["c", "d"]},
    ]
    # a kept bloc keeps its name; every id has one name and no two ids share one
    names = {}
    for p in h.periods:
        for b in p.blocs:
            assert names.setdefault(b.id, b.name) == b.name
    assert len(set(names.values())) == len(names)


def test_moves_are_listed_exactly(three):
    moves = blocs_over_time(three, Filters(), "year").to_dict()["moves"]
    assert moves == [
        {"id": "d", "period": "2022", "from": None, "to": 1},
        {"id": "x", "period": "2022", "from": 1, "to": 2},
        {"id": "a", "period": "2023", "from": 1, "to": 3},
        {"id": "b", "period": "2023", "from": 1, "to": 3},
        {"id": "c", "period": "2023", "from": 1, "to": 4},
        {"id": "d", "period": "2023", "from": 1, "to": 4},
        {"id": "x", "period": "2023", "from": 2, "to": None},
    ]


def test_members_without_ties_do_not_count_against_a_core(tmp_path):
    # {a,b,c,d} in 2021. In 2022 only a and b act (together): they are all the aligned members of bloc 1,
    # so it stays. In 2023 the reference is 2022's bloc 1 = {a,b}: it stays again; c, d join p.
    ds = dataset(tmp_path, {"2021": camp("a", "b", "c", "d") + camp("p", "q") + hostile("a", "p"),
                            "2022": camp("a", "b") + camp("p", "q") + hostile("a", "p"),
                            "2023": camp("a", "b") + camp("c", "d", "p") + hostile("ab", "cdp")})
    h = blocs_over_time(ds, Filters(), "year")
    assert [{b.id: b.members for b in p.blocs} for p in h.periods] == [
        {1: ["a", "b", "c", "d"], 2: ["p", "q"]},
        {1: ["a", "b"], 2: ["p", "q"]},
        {1: ["a", "b"], 3: ["c", "d", "p"]},
    ]
    assert [(m.actor, m.period, m.source, m.to) for m in h.moves] == [
        ("c", "2022", 1, None), ("d", "2022", 1, None),
        ("c", "2023", None, 3), ("d", "2023", None, 3), ("p", "2023", 2, 3), ("q", "2023", 2, None),
    ]


def test_members_that_leave_do_count_against_a_core(tmp_path):
    # Same start, but in 2022 c and d are aligned and side with p, q: a, b are 2 of the 4 aligned members
    # of bloc 1, not a core, so {a,b} is a new bloc; {c,d,p,q} keeps bloc 2 (both of its members).
    ds = dataset(tmp_path, {"2021": camp("a", "b", "c", "d") + camp("p", "q") + hostile("a", "p"),
                            "2022": camp("a", "b") + camp("c", "d", "p", "q") + hostile("ab", "cdpq")})
    h = blocs_over_time(ds, Filters(), "year")
    assert [{b.id: b.members for b in p.blocs} for p in h.periods] == [
        {1: ["a", "b", "c", "d"], 2: ["p", "q"]}, {2: ["c", "d", "p", "q"], 3: ["a", "b"]}]
    assert [(m.actor, m.source, m.to) for m in h.moves] == [("a", 1, 3), ("b", 1, 3), ("c", 1, 2), ("d", 1, 2)]


def test_periods_without_any_tie_are_skipped_for_matching(tmp_path):
    # Nothing at all happens in 2022: the blocs of 2021 are matched to 2023 and no one "moves" twice.
    ds = dataset(tmp_path, {"2021": camp("a", "b", "c") + camp("p", "q") + hostile("a", "p"),
                            "2023": camp("a", "b", "c") + camp("p", "q") + hostile("a", "p")})
    h = blocs_over_time(ds, Filters(), "year")
    assert [p.label for p in h.periods] == ["2021", "2022", "2023"]
    assert h.periods[1].blocs == [] and h.periods[1].apart == []
    assert [[b.id for b in p.blocs] for p in h.periods] == [[1, 2], [], [1, 2]]
    assert h.moves == []


def test_json_shape_is_exactly_the_contract(run, tmp_path):
    folder = tmp_path / "j"
    rows = ["source,target,type,date"] + [f"{s},{t},{k},{d}" for d, ev in THREE_YEARS.items() for s, t, k in ev]
    write_dataset(folder, NODES, "\n".join(rows) + "\n")
    result = run("clusters", "--data", folder, "--every", "year", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"periods", "moves"}
    for p in out["periods"]:
        assert list(p) == ["label", "since", "until", "method", "frustration", "clusters", "apart", "unaligned"]
        assert all(list(c) == ["id", "name", "members"] for c in p["clusters"])
        assert isinstance(p["frustration"], (int, float)) and p["method"] in ("exact", "heuristic")
    assert [(p["label"], p["since"], p["until"]) for p in out["periods"]] == [
        ("2021", "2021-01-01", "2021-12-31"), ("2022", "2022-01-01", "2022-12-31"),
        ("2023", "2023-01-01", "2023-12-31")]
    assert out["periods"][0]["unaligned"] == ["d"]
    assert all(list(m) == ["id", "period", "from", "to"] for m in out["moves"])
    assert out["moves"][1] == {"id": "x", "period": "2022", "from": 1, "to": 2}


def test_bundled_state_level_azerbaijan_and_russia_part():
    ds = load_dataset(BUNDLED)
    h = blocs_over_time(ds, Filters(level="state"), "year")
    first, last = h.periods[0], h.periods[-1]
    assert first.label == "2020" and last.label == "2025"
    assert first.bloc_of().get("azerbaijan") is not None
    assert first.bloc_of()["azerbaijan"] == first.bloc_of().get("russia")
    assert last.bloc_of().get("azerbaijan") != last.bloc_of().get("russia")
    # Russia's move out of Azerbaijan's bloc is listed in 2025
    assert any(m.actor == "russia" and m.period == "2025" and m.source == first.bloc_of()["russia"]
               for m in h.moves)


def test_each_period_is_the_blocs_of_its_window(tmp_path):
    # The same partition as ``clusters --since S --until U`` over each period's window (sliding here).
    ds = load_dataset(BUNDLED)
    f = Filters(level="state")
    h = blocs_over_time(ds, f, "quarter", "1Y")
    assert len(h.periods) > 20
    for p in h.periods:
        al = blocs_of_view(select(ds, f.with_window(p.since, p.until)), BlocSettings())
        assert sorted(b.members for b in p.blocs) == sorted(m for m in al.clusters if len(m) > 1)


def test_period_windows_by_hand():
    first, last = pd.Timestamp("2024-11-15"), pd.Timestamp("2025-02-01")
    assert period_windows(first, last, "month", 1) == [
        ("2024-11", "2024-11-01", "2024-11-30"), ("2024-12", "2024-12-01", "2024-12-31"),
        ("2025-01", "2025-01-01", "2025-01-31"), ("2025-02", "2025-02-01", "2025-02-28")]
    assert period_windows(first, last, "year", 24) == [("2024", "2023-01-01", "2024-12-31"),
                                                       ("2025", "2024-01-01", "2025-12-31")]
    assert period_windows(first, last, "quarter", 3, lo=pd.Timestamp("2024-11-10"), hi=pd.Timestamp("2025-01-20")) == [
        ("2024-Q4", "2024-11-10", "2024-12-31"), ("2025-Q1", "2025-01-01", "2025-01-20")]


@pytest.mark.parametrize("text, every, months", [
    (None, "quarter", 3), ("6M", "month", 6), ("2q", "month", 6), ("1Y", "quarter", 12), ("4", "quarter", 12),
    ("3", "year", 36)])
def test_window_lengths(text, every, months):
    assert window_months(text, every) == months


@pytest.mark.parametrize("text, every", [("2M", "quarter"), ("0", "month"), ("1W", "month"), ("six", "year")])
def test_bad_windows_are_refused(text, every):
    with pytest.raises(ActorgraphError):
        window_months(text, every)


def test_range_runs_from_first_to_last_start_day(tmp_path):
    # An event dated only "2025" starts on 1 January: it does not stretch the months to December,
    # but it counts in every month it overlaps.
    ds = dataset(tmp_path, {"2025-01": camp("a", "b"), "2025": camp("p", "q"), "2025-03-10": camp("c", "d")})
    h = blocs_over_time(ds, Filters(), "month")
    assert [p.label for p in h.periods] == ["2025-01", "2025-02", "2025-03"]
    assert [sorted(b.members for b in p.blocs) for p in h.periods] == [
        [["a", "b"], ["p", "q"]], [["p", "q"]], [["c", "d"], ["p", "q"]]]
    # --since/--until cut the first and last windows
    cut = blocs_over_time(ds, Filters(since="2025-01-20", until="2025-03-12"), "month")
    assert [(p.label, p.since, p.until) for p in cut.periods] == [
        ("2025-01", "2025-01-20", "2025-01-31"), ("2025-02", "2025-02-01", "2025-02-28"),
        ("2025-03", "2025-03-01", "2025-03-12")]
    later = blocs_over_time(ds, Filters(until="2025-05-05"), "month")
    assert [p.label for p in later.periods] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]


def test_standing_relations_count_in_every_period_unless_dated_only(tmp_path):
    ds = dataset(tmp_path, {"2021": camp("a", "b"), "2022": camp("p", "q")}, undated=[("c", "d", "support")])
    with_standing = blocs_over_time(ds, Filters(), "year")
    assert [sorted(b.members for b in p.blocs) for p in with_standing.periods] == [
        [["a", "b"], ["c", "d"]], [["c", "d"], ["p", "q"]]]
    dated = blocs_over_time(ds, Filters(), "year", standing=False)
    assert [[b.members for b in p.blocs] for p in dated.periods] == [[["a", "b"]], [["p", "q"]]]


def test_no_dated_event_is_a_clear_error(tmp_path):
    ds = dataset(tmp_path, {}, undated=[("a", "b", "support")])
    with pytest.raises(ActorgraphError, match="no dated events"):
        blocs_over_time(ds, Filters(), "month")


def test_table_lists_blocs_and_moves(run, tmp_path):
    folder = tmp_path / "t"
    rows = ["source,target,type,date"] + [f"{s},{t},{k},{d}" for d, ev in THREE_YEARS.items() for s, t, k in ev]
    write_dataset(folder, NODES, "\n".join(rows) + "\n")
    out = run("clusters", "--data", folder, "--every", "year").output
    assert "blocs by year, 2021 to 2023 (3 periods)" in out
    moves = [line.split() for line in out.split("moves (")[1].splitlines()]
    assert moves[4][:4] == ["2022", "x", "X", "1"] and moves[4][-3] == "2"  # period id label from ... to
    assert moves[-1][:4] == ["2023", "x", "X", "2"] and moves[-1][-1] == "(none)"
    csv = run("clusters", "--data", folder, "--every", "year", "--format", "csv").output.splitlines()
    assert csv[0] == "period,since,until,id,label,bloc,bloc_name,status,moved,from"
    assert any(line.startswith("2022,2022-01-01,2022-12-31,x,X,2,") and line.endswith(",bloc,yes,1") for line in csv)
    assert any(line.startswith("2023,2023-01-01,2023-12-31,x,X,,,") and line.endswith(",yes,2") for line in csv)
    md = run("clusters", "--data", folder, "--every", "year", "--format", "markdown").output
    assert "| period " in md
    assert any(line.startswith("| 2023 ") and "| x " in line and line.split("|")[-2].strip() == "(none)"
               for line in md.splitlines())


@pytest.mark.parametrize("args, message", [
    (["--every", "year", "--compare", ":2024", "2025:"], "--every and --compare"),
    (["--plot", "x.png"], "--plot needs --every"),
    (["--window", "6M"], "--window needs --every"),
    (["--every", "year", "--plot", "x.svg"], "--plot writes a PNG"),
    (["--every", "year", "--confidence"], "--confidence scores one window"),
    (["--every", "year", "--why"], "--why lists the ties of one window"),
    (["--resamples", "10"], "--resamples needs --confidence"),
    (["--every", "year", "--window", "2M"], "shorter than one year"),
])
def test_option_combinations_that_make_no_sense_are_refused(run, args, message, tmp_path):
    result = run("clusters", "--data", BUNDLED, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.png").exists()


def test_a_bloc_is_renamed_when_its_namesake_leaves(tmp_path):
    # 2021: a is the most central member of {a,b,c,d} (two extra supports with b). 2022: a joins p and q;
    # {b,c,d} keeps bloc 1 (3 of 4) but not the name taken from a; bloc 2 keeps its name (p stays).
    ds = dataset(tmp_path, {"2021": camp("a", "b", "c", "d") + [("a", "b", "support")] * 2 + camp("p", "q")
                            + hostile("a", "p"),
                            "2022": camp("b", "c", "d") + camp("a", "p", "q") + hostile("bcd", "apq")})
    h = blocs_over_time(ds, Filters(), "year")
    first, second = ({b.id: b for b in p.blocs} for p in h.periods)
    assert first[1].name.startswith("A") and second[1].members == ["b", "c", "d"]
    al = blocs_of_view(select(ds, Filters(since="2022", until="2022")))
    assert second[1].name == al.names[al.clusters.index(["b", "c", "d"])]
    assert second[2].members == ["a", "p", "q"] and second[2].name == first[2].name
    assert h.names() == {1: [first[1].name, second[1].name], 2: [first[2].name]}
    assert len({first[1].name, second[1].name, first[2].name}) == 3
