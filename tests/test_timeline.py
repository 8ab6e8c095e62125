"""Timeline: hand-made data with known sums per month and week, partial dates, the PNG, the bundled spike."""

from __future__ import annotations

import calendar

import pytest

from graph.errors import ActorgraphError, NotFound
from graph.view.select import Filters, select
from graph.store.dataset import load_dataset
from graph.analysis.timeline import activity, plot
from tests.conftest import BUNDLED, write_dataset

NODES = """\
id,label,kind
a,A,state
b,B,state
c,C,state
"""
# arrest -5 (hostile), accusation -2 (hostile), support +3 and meeting +1 (cooperative), appointment neutral.
EDGES = """\
source,target,type,date,weight
a,b,arrest,2025-01-10,
b,a,accusation,2025-01-20,-3
a,b,support,2025-03-05,
a,c,meeting,2025-03,
c,b,appointment,2025-03-15,
a,b,accusation,2024,
b,c,meeting,,
"""


@pytest.fixture
def ds(tmp_path):
    return load_dataset(write_dataset(tmp_path / "d", NODES, EDGES))


def by_period(table):
    return table.set_index("period")


def test_monthly_sums(ds):
    t = by_period(activity(select(ds), "month"))
    # From the first month of the 2024 accusation to March 2025, quiet February included.
    assert list(t.index) == [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01", "2025-02", "2025-03"]
    # January 2025: the arrest (5) and the overridden accusation (3).
    assert t.loc["2025-01", "hostile"] == pytest.approx(8)
    assert t.loc["2025-01", "hostile_events"] == pytest.approx(2)
    assert t.loc["2025-02", "events"] == 0
    # March: support 3 + meeting 1 (dated 2025-03, inside March), and the neutral appointment.
    assert t.loc["2025-03", "cooperative"] == pytest.approx(4)
    assert t.loc["2025-03", "net"] == pytest.approx(4)
    assert t.loc["2025-03", "cooperative_events"] == pytest.approx(2)
    assert t.loc["2025-03", "neutral_events"] == pytest.approx(1)
    assert t.loc["2025-03", "events"] == pytest.approx(3)
    # The accusation dated only 2024 (a leap year, 366 days) is shared by days: weight 2 * days/366.
    for m in range(1, 13):
        days = calendar.monthrange(2024, m)[1]
        assert t.loc[f"2024-{m:02d}", "hostile"] == pytest.approx(2 * days / 366)
    assert t.loc[[f"2024-{m:02d}" for m in range(1, 13)], "hostile"].sum() == pytest.approx(2)
    assert t.loc["2024-06", "start"] == "2024-06-01" and t.loc["2024-06", "end"] == "2024-06-30"


def test_undated_events_are_counted_apart(ds):
    t = activity(select(ds), "month")
    assert t.attrs["undated"] == 1
    assert t["events"].sum() == pytest.approx(6)  # every dated event, whole


def test_weekly_split_of_a_month_dated_event(ds):
    t = by_period(activity(select(ds, Filters(since="2025-02")), "week"))
    # 2025-03-01 is a Saturday: the March meeting (31 days) falls 2 days in the week of Mon 24 Feb,
    # 7 days in each of the next four weeks and 1 day (31 March) in the week of Mon 31 March.
    assert list(t.index) == ["2025-02-24", "2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24", "2025-03-31"]
    expected = {"2025-02-24": 2 / 31, "2025-03-03": 3 + 7 / 31, "2025-03-10": 7 / 31, "2025-03-17": 7 / 31,
                "2025-03-24": 7 / 31, "2025-03-31": 1 / 31}
    for week, value in expected.items():
        assert t.loc[week, "cooperative"] == pytest.approx(value), week
    assert t.loc["2025-03-10", "neutral_events"] == 1  # the appointment on Saturday 15 March
    assert t.loc["2025-03-31", "end"] == "2025-04-06"


def test_window_keeps_each_period_figure(ds):
    # A window over the second half of 2024 shows those months' shares of the 2024 accusation,
    # the same figures as without the window, and nothing outside it.
    t = by_period(activity(select(ds, Filters(since="2024-07", until="2024-12")), "month"))
    assert list(t.index) == [f"2024-{m:02d}" for m in range(7, 13)]
    assert t.loc["2024-07", "hostile"] == pytest.approx(2 * 31 / 366)
    assert t["hostile"].sum() == pytest.approx(2 * 184 / 366)


def test_pair(ds):
    t = by_period(activity(select(ds), "month", ("b", "a")))
    assert t.loc["2025-01", "hostile"] == pytest.approx(8)
    assert t.loc["2025-03", "cooperative"] == pytest.approx(3)  # the a-c meeting is not theirs
    assert t.loc["2025-03", "neutral_events"] == 0
    assert t.attrs["undated"] == 0


def test_pair_errors(ds):
    with pytest.raises(NotFound, match="unknown actor 'bb'.*did you mean 'b'"):
        activity(select(ds), "month", ("a", "bb"))
    with pytest.raises(ActorgraphError, match="two different actors"):
        activity(select(ds), "month", ("a", "a"))
    with pytest.raises(ActorgraphError, match="unknown frequency"):
        activity(select(ds), "day")


def test_no_dated_events(ds):
    t = activity(select(ds, Filters(types=("meeting",), since="2026")), "month")
    assert len(t) == 0 and t.attrs["undated"] == 1
    with pytest.raises(ActorgraphError, match="nothing to plot"):
        plot(t, "unused.png")


def test_plot_writes_a_png(ds, tmp_path):
    out = plot(activity(select(ds), "month", ("a", "b")), tmp_path / "sub" / "t.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image  # installed with matplotlib

    with Image.open(out) as image:
        image.verify()
        assert image.size == (1000, 450)


def test_bundled_russia_azerbaijan_spike():
    # The Yekaterinburg raid (June 2025) and the arrests in Baku (July) make June–July 2025 by far the most
    # hostile two months between the two states: more than twice any two consecutive months not
    # overlapping them, between the two state actors themselves...
    t = activity(select(load_dataset(BUNDLED)), "month", ("russia", "azerbaijan"))
    two_months = t["hostile"] + t["hostile"].shift(-1, fill_value=0)
    spike = t.index[t["period"] == "2025-06"][0]
    others = two_months.drop([spike - 1, spike, spike + 1], errors="ignore")
    assert two_months[spike] > 2 * others.max()
    assert t.loc[spike, "hostile"] == t["hostile"].max()
    # ...and, with every official, agency and outlet rolled up to its state, each of June and July
    # alone is more than twice as hostile as any other month.
    t = by_period(activity(select(load_dataset(BUNDLED), Filters(level="state")), "month",
                           ("russia", "azerbaijan")))
    rest = t.drop(["2025-06", "2025-07"])["hostile"]
    assert min(t.loc["2025-06", "hostile"], t.loc["2025-07", "hostile"]) > 2 * rest.max()


def test_documented_july_example(tmp_path):
    # The module's example: 1 July 2025 is a Tuesday, so a 2025-07 event puts 6 days in the week of
    # Monday 30 June, 7 in each of the next three weeks and 4 (28-31 July) in the week of 28 July.
    folder = write_dataset(tmp_path / "j", NODES, "source,target,type,date\na,b,arrest,2025-07\n")
    t = by_period(activity(select(load_dataset(folder)), "week"))
    assert t["hostile"].to_dict() == pytest.approx(
        {"2025-06-30": 5 * 6 / 31, "2025-07-07": 5 * 7 / 31, "2025-07-14": 5 * 7 / 31, "2025-07-21": 5 * 7 / 31,
         "2025-07-28": 5 * 4 / 31})
    assert t["events"].sum() == pytest.approx(1)
