"""Blocs over time: the alignment blocs of each month, quarter or year, matched so a bloc keeps its id.

Periods. ``every`` is ``month``, ``quarter`` or ``year``; the periods run from the one holding
``--since`` to the one holding ``--until``, an open end being set by the data: the earliest (latest)
first day of a dated event in the selection, so an event dated only ``2025`` does not stretch the range
to December. The first and last windows are cut to ``--since/--until``. Each period's window is the period itself, or with ``window`` the stretch of that length ending on the
period's last day (a sliding window longer than the step: ``--every quarter --window 1Y`` gives, for
2025-Q2, 2024-07-01 to 2025-06-30). Inside a window the usual rule holds: an event counts when its date
span overlaps the window. Undated rows are standing relations and count in every period, as they do in
every ``clusters --since/--until`` window (``standing=False`` leaves them out): a period's blocs are
exactly those of ``clusters`` over its window, and a standing relation is a baseline that the period's
events must outweigh to move an actor.

Matching. Only blocs of two or more actors take part (an actor standing apart is in no bloc). Each
period's blocs are matched to those of the previous period that had any aligned actor (periods without a
single signed tie carry no information and are skipped) by the largest total number of shared members
(Hungarian algorithm, ``blocs.compare``). A matched bloc keeps the earlier bloc's id while its
*core stays*: at least two of its earlier members are still together, and they are more than half of
its earlier members that are aligned in the new period (members with no signed tie in the new period
are not counted either way). Other blocs get a new id (the next unused integer).

Names. A bloc keeps its name while the actor it is named after is one of its members; a new bloc, or
one whose namesake has left, takes the name the model gives it in that period (after its most central
member), made unique over the whole history by adding the period's label when already used.

Moves. For each period after the first with aligned actors, every actor whose bloc id differs from its
bloc id in the reference period (the one the blocs were matched to): ``from``/``to`` are bloc ids, or
None when the actor was in no bloc (standing apart, unaligned, or not in the view).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd

from graph.analysis.alignment.blocs import Alignment, compare
from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view
from graph.errors import ActorgraphError
from graph.progress import SILENT
from graph.view.select import select, window_bounds

#: Length of one step in months.
STEPS = {"month": 1, "quarter": 3, "year": 12}
_UNIT_MONTHS = {"M": 1, "Q": 3, "Y": 12}


@dataclass
class Bloc:
    """One bloc of one period: its stable ``id``, its ``name`` and its members (ids, sorted)."""

    id: int
    name: str
    members: list[str]


@dataclass
class PeriodBlocs:
    """The blocs of one period. ``since``/``until`` are the window's first and last day (YYYY-MM-DD)."""

    label: str
    since: str
    until: str
    alignment: Alignment
    blocs: list[Bloc]
    apart: list[str]
    unaligned: list[str]

    def bloc_of(self) -> dict[str, int]:
        """Actor id -> stable bloc id, for the members of blocs of two or more."""
        return {a: b.id for b in self.blocs for a in b.members}

    @property
    def aligned(self) -> set[str]:
        """Actors with a signed tie in the period: bloc members and those standing apart."""
        return set(self.bloc_of()) | set(self.apart)


@dataclass(frozen=True)
class Move:
    """``actor`` is in bloc ``to`` in period ``period`` (a label) and was in bloc ``source`` before."""

    actor: str
    period: str
    source: int | None
    to: int | None


@dataclass
class BlocHistory:
    """The blocs of every period and every move between them."""

    every: str
    window: str | None
    periods: list[PeriodBlocs]
    moves: list[Move] = field(default_factory=list)

    def names(self) -> dict[int, list[str]]:
        """Stable bloc id -> its names, in the order it took them."""
        out: dict[int, list[str]] = {}
        for p in self.periods:
            for b in p.blocs:
                if b.name not in out.setdefault(b.id, []):
                    out[b.id].append(b.name)
        return out

    def to_dict(self) -> dict:
        """The JSON shape: ``{"periods": [...], "moves": [...]}`` (see the module docstring)."""
        return {
            "periods": [{
                "label": p.label, "since": p.since, "until": p.until, "method": p.alignment.method,
                "frustration": round(float(p.alignment.frustration), 10),
                "clusters": [{"id": b.id, "name": b.name, "members": list(b.members)} for b in p.blocs],
                "apart": list(p.apart), "unaligned": list(p.unaligned),
            } for p in self.periods],
            "moves": [{"id": m.actor, "period": m.period, "from": m.source, "to": m.to} for m in self.moves],
        }


def real_blocs(al: Alignment) -> list[tuple[int, list[str]]]:
    """``(cluster id, members)`` of the clusters of two or more actors.

    Correct whether or not the alignment still lists clusters of one among its clusters (those are
    actors standing apart, not blocs)."""
    return [(k, list(m)) for k, m in enumerate(al.clusters, 1) if len(m) >= 2]


def standing_apart(al: Alignment) -> list[str]:
    """Aligned actors in no bloc: ``al.apart`` and any cluster of one."""
    return sorted(set(al.apart) | {m[0] for m in al.clusters if len(m) == 1}, key=str)


def window_months(window: str | None, every: str) -> int:
    """The length of ``window`` in months: ``6M``, ``2Q``, ``1Y`` or a number of steps (``4``).

    Raises ``ActorgraphError`` on anything else or on a window shorter than one step."""
    if every not in STEPS:
        raise ActorgraphError(f"unknown period '{every}'; use one of {', '.join(STEPS)}")
    if window is None:
        return STEPS[every]
    found = re.fullmatch(r"\s*(\d+)\s*([MQY]?)\s*", str(window), flags=re.IGNORECASE)
    if not found or int(found.group(1)) < 1:
        raise ActorgraphError(f"--window '{window}': use a length such as 6M, 2Q or 1Y, or a number of "
                              f"{every}s such as 4")
    n, unit = int(found.group(1)), found.group(2).upper()
    months = n * (_UNIT_MONTHS[unit] if unit else STEPS[every])
    if months < STEPS[every]:
        raise ActorgraphError(f"--window {window} is shorter than one {every}; use at least 1 {every}")
    return months


def period_label(start: pd.Timestamp, every: str) -> str:
    """``2025-06`` (month), ``2025-Q2`` (quarter), ``2025`` (year)."""
    if every == "month":
        return f"{start.year}-{start.month:02d}"
    if every == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}"


def period_windows(first: pd.Timestamp, last: pd.Timestamp, every: str, months: int,
                   lo: pd.Timestamp | None = None, hi: pd.Timestamp | None = None) -> list[tuple[str, str, str]]:
    """``(label, since, until)`` of every period from the one holding ``first`` to the one holding
    ``last``; each window is ``months`` long, ends on its period's last day and is cut to ``lo``/``hi``.

    >>> period_windows(pd.Timestamp("2025-02-10"), pd.Timestamp("2025-07-01"), "quarter", 6)
    [('2025-Q1', '2024-10-01', '2025-03-31'), ('2025-Q2', '2025-01-01', '2025-06-30'), ('2025-Q3', '2025-04-01', '2025-09-30')]
    """
    step = STEPS[every]
    start = pd.Timestamp(year=first.year, month=(first.month - 1) // step * step + 1, day=1)
    out = []
    while start <= last:
        following = start + pd.DateOffset(months=step)
        until = following - pd.Timedelta(days=1)
        since = following - pd.DateOffset(months=months)
        if lo is not None:
            since = max(since, lo)
        if hi is not None:
            until = min(until, hi)
        out.append((period_label(start, every), since.strftime("%Y-%m-%d"), until.strftime("%Y-%m-%d")))
        start = following
    return out


def _match(before: PeriodBlocs, al: Alignment, blocs: list[tuple[int, list[str]]]) -> dict[int, int]:
    """Cluster id in ``al`` -> stable id of the bloc of ``before`` whose core it keeps."""
    aligned = {a for _, m in blocs for a in m} | set(standing_apart(al))
    earlier = [b.members for b in before.blocs]
    # only the blocs matter here; without ties ``compare`` skips its pair-by-pair report
    a = before.alignment.without_ties(clusters=earlier, cluster_of={x: i for i, m in enumerate(earlier, 1) for x in m})
    b = al.without_ties(clusters=[m for _, m in blocs], cluster_of={x: i for i, (_, m) in enumerate(blocs, 1) for x in m})
    kept = {}
    for i, j, shared in compare(a, b).matches:
        if i is None or j is None:
            continue
        still = sum(1 for x in earlier[i - 1] if x in aligned)
        if shared >= 2 and 2 * shared > still:
            kept[blocs[j - 1][0]] = before.blocs[i - 1].id
    return kept


class _Namer:
    """Bloc names over a history: a bloc keeps its name while the actor it is named after is a member;
    otherwise (a new bloc, or its namesake left) it takes the name the model gives it now, made unique
    over the history by adding the period's label."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels
        self.held: dict[int, tuple[str, str | None]] = {}  # bloc id -> (name, namesake id)
        self.used: set[str] = set()

    def _namesake(self, name: str, members) -> str | None:
        # "Azerbaijan's bloc": the member whose label starts the name (the longest such label)
        found = [m for m in members if name.startswith(self.labels.get(m, str(m)))]
        return max(found, key=lambda m: (len(self.labels.get(m, str(m))), str(m)), default=None)

    def name(self, bloc: int, members, proposed: str, period: str) -> str:
        if bloc in self.held:
            name, namesake = self.held[bloc]
            if namesake is None or namesake in members:
                return name
        name, n = proposed, 1
        while name in self.used:
            n += 1
            name = f"{proposed} ({period})" if n == 2 else f"{proposed} ({period}, {n - 1})"
        self.used.add(name)
        self.held[bloc] = (name, self._namesake(proposed, members))
        return name


def _moves(before: PeriodBlocs, after: PeriodBlocs) -> list[Move]:
    old, new = before.bloc_of(), after.bloc_of()
    return [Move(x, after.label, old.get(x), new.get(x))
            for x in sorted(set(old) | set(new), key=str) if old.get(x) != new.get(x)]


def blocs_over_time(ds, filters, every: str, window: str | None = None,
                    settings: BlocSettings = BlocSettings(), progress=SILENT, standing: bool = True) -> BlocHistory:
    """The blocs of each period (``every`` month, quarter or year) and every move between them.

    ``window`` (``6M``, ``2Q``, ``1Y`` or a number of steps) makes each period's window that long,
    ending on the period's last day; ``filters`` apply to every period (their ``since``/``until``
    bound the range). ``standing=False`` leaves undated rows out. See the module docstring for how
    blocs are matched and moves listed. Raises ``ActorgraphError`` when no dated event is selected.
    """
    months = window_months(window, every)
    if not standing:
        filters = replace(filters, dated_only=True)
    lo, hi = window_bounds(filters.since, filters.until)
    earliest, latest = select(ds, filters).date_range()
    if earliest is None:
        raise ActorgraphError("no dated events in this selection: blocs over time needs dates")
    first = lo if lo is not None else earliest
    last = hi if hi is not None else latest
    windows = period_windows(first, last, every, months, lo, hi)

    history = BlocHistory(every, window, [])
    namer = _Namer(dict(zip(ds.nodes.index, ds.nodes["label"].astype(str))))
    next_id = 1
    reference: PeriodBlocs | None = None
    for label, since, until in progress.iterate(windows, "finding the blocs of each period", unit="period"):
        al = blocs_of_view(select(ds, filters.with_window(since, until)), settings)
        found = real_blocs(al)
        kept = _match(reference, al, found) if reference is not None else {}
        blocs = []
        for k, members in found:
            if k in kept:
                bloc_id = kept[k]
            else:
                bloc_id, next_id = next_id, next_id + 1
            name = namer.name(bloc_id, members, al.names[k - 1] if len(al.names) >= k else f"bloc {bloc_id}", label)
            blocs.append(Bloc(bloc_id, name, sorted(members, key=str)))
        period = PeriodBlocs(label, since, until, al, blocs, standing_apart(al), list(al.unaligned))
        history.periods.append(period)
        if not period.aligned:
            continue  # no signed tie at all: nothing to match, no one moved
        if reference is not None:
            history.moves.extend(_moves(reference, period))
        reference = period
    return history
