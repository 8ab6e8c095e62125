"""Hostile and cooperative weight per week or month, for all events or one pair; a PNG of escalation.

Partial dates: an event's date is a span of days (``2025-07`` is July 1-31, ``2025`` the whole year;
see ``graph.store.dates``). An event whose span lies in one period counts there in full. An event whose span
covers several periods is shared among them in proportion to the days of its span in each, as if its
day were unknown but equally likely to be any of them: a ``2025-07`` event in weekly mode puts 6/31 of
its weight (and of its count) in the week of Monday 30 June, 7/31 in each of the next three weeks and
4/31 in the week of 28 July; a ``2025`` event in monthly mode puts 31/365 in January. With
``--since/--until``, the shares that fall outside the window are dropped (not moved inside it), so a
period shows the same figure whatever the window; periods cut by the window's edge show only the part
inside. Undated events (standing relations) have no place in time: they are left out and counted in
``table.attrs["undated"]``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from graph.errors import ActorgraphError, NotFound
from graph.view.select import window_bounds
from graph.store.dataset import suggest

FREQS = ("month", "week")
COLUMNS = ["period", "start", "end", "hostile", "cooperative", "net", "hostile_events", "cooperative_events",
           "neutral_events", "events"]


def _period_starts(days: pd.Series, freq: str) -> pd.Series:
    if freq == "month":
        return days.dt.to_period("M").dt.start_time
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")  # the Monday of the ISO week


def _next_start(starts: pd.Series | pd.DatetimeIndex, freq: str):
    return starts + (pd.offsets.MonthBegin(1) if freq == "month" else pd.Timedelta(days=7))


def check_pair(view, pair: tuple[str, str]) -> None:
    """Raise ``NotFound`` for an unknown id of ``pair`` and ``ActorgraphError`` for an actor twice."""
    known = view.nodes.index
    for actor in pair:
        if actor not in known:
            raise NotFound(f"unknown actor '{actor}'{suggest(actor, list(known))}")
    if pair[0] == pair[1]:
        raise ActorgraphError(f"--pair needs two different actors, got '{pair[0]}' twice")


def activity(view, freq: str = "month", pair: tuple[str, str] | None = None) -> pd.DataFrame:
    """Per period: ``hostile`` (summed |weight| of hostile events), ``cooperative`` (summed weight),
    ``net`` (cooperative - hostile) and event counts by polarity, from the first to the last period with
    events (quiet periods in between are rows of zeros).

    ``period`` is ``YYYY-MM`` for months and the Monday ``YYYY-MM-DD`` for weeks; ``start``/``end`` are
    the period's first and last day. See the module docstring for partial dates and undated events.
    Reads the view's events summed per date span (``View.spans``), so an event store's engine does the
    heavy part.
    """
    if freq not in FREQS:
        raise ActorgraphError(f"unknown frequency '{freq}'; use one of {', '.join(FREQS)}")
    if pair:
        check_pair(view, pair)
    spans = view.spans(tuple(pair) if pair else None)
    undated = spans["start"].isna()
    table = _spread(spans[~undated], freq, *window_bounds(view.filters.since, view.filters.until))
    table.attrs["undated"] = int(spans.loc[undated, "events"].sum())
    table.attrs["freq"] = freq
    table.attrs["pair"] = tuple(pair) if pair else None
    return table


def _spread(ev: pd.DataFrame, freq: str, lo, hi) -> pd.DataFrame:
    full = ((ev["end"] - ev["start"]) / pd.Timedelta(days=1)).to_numpy() + 1
    start, end = ev["start"], ev["end"]
    if lo is not None:
        start = start.clip(lower=lo)
    if hi is not None:
        end = end.clip(upper=hi)
    keep = (start <= end).to_numpy()
    start, end, full = start[keep].reset_index(drop=True), end[keep].reset_index(drop=True), full[keep]
    polarity = ev["polarity"].to_numpy()[keep]
    weight = np.abs(ev["weight"].to_numpy(dtype=float)[keep])
    count = ev["events"].to_numpy(dtype=float)[keep]  # events behind each span row
    if not len(start):
        return pd.DataFrame(columns=COLUMNS)

    first = _period_starts(start, freq)
    last = _period_starts(end, freq)
    all_starts = pd.date_range(first.min(), last.max(), freq="MS" if freq == "month" else "7D")
    position = pd.Series(np.arange(len(all_starts)), index=all_starts)
    i0 = position[first].to_numpy()
    i1 = position[last].to_numpy()
    # One row per (event, period it touches): most events touch one period, so this stays small.
    reps = i1 - i0 + 1
    row = np.repeat(np.arange(len(start)), reps)
    period = i0[row] + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps))
    p_start = all_starts[period]
    p_end = _next_start(p_start, freq) - pd.Timedelta(days=1)
    s = start.to_numpy()[row]
    e = end.to_numpy()[row]
    overlap = (np.minimum(e, p_end.to_numpy()) - np.maximum(s, p_start.to_numpy())) / np.timedelta64(1, "D") + 1
    share = overlap / full[row]  # of the whole span: a period's figure does not depend on the window

    parts = pd.DataFrame({"period": period, "share": share * count[row], "polarity": polarity[row],
                          "weight": weight[row] * share})
    n = len(all_starts)

    def total(column: str, wanted: str) -> np.ndarray:
        sel = parts[parts["polarity"] == wanted]
        return np.bincount(sel["period"], weights=sel[column], minlength=n)

    starts = pd.Series(all_starts)
    table = pd.DataFrame({
        "period": starts.dt.strftime("%Y-%m" if freq == "month" else "%Y-%m-%d"),
        "start": starts.dt.strftime("%Y-%m-%d"),
        "end": (_next_start(all_starts, freq) - pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
        "hostile": total("weight", "hostile"),
        "cooperative": total("weight", "cooperative"),
    })
    table["net"] = table["cooperative"] - table["hostile"]
    for name in ("hostile", "cooperative", "neutral"):
        table[f"{name}_events"] = total("share", name)
    table["events"] = np.bincount(parts["period"], weights=parts["share"], minlength=n)
    return table


def plot(table: pd.DataFrame, path: Path | str, title: str | None = None) -> Path:
    """Draw hostile (down, red) and cooperative (up, green) weight per period and the net line; write a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    if not len(table):
        raise ActorgraphError("nothing to plot: no dated events in this selection")
    x = pd.to_datetime(table["start"])
    width = 24 if table.attrs.get("freq", "month") == "month" else 5
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    try:
        ax.bar(x, table["cooperative"], width=width, align="edge", color="#2e8b57", label="cooperative weight")
        ax.bar(x, -table["hostile"], width=width, align="edge", color="#c0392b", label="hostile weight (|weight|)")
        ax.plot(x + pd.Timedelta(days=width / 2), table["net"], color="#222222", linewidth=1.2, marker=".", label="net (cooperative − hostile)")
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.set_ylabel("summed weight per " + table.attrs.get("freq", "period"))
        pair = table.attrs.get("pair")
        ax.set_title(title or ("Relations " + " – ".join(pair) if pair else "All relations") + " over time")
        ax.legend(loc="best", fontsize="small")
        fig.autofmt_xdate()
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)
    return path
