"""The alluvial chart of blocs over time: periods left to right, each bloc a band, flows between them.

``alluvial_layout`` computes the geometry (plain numbers, tested on their own); ``plot_alluvial``
draws it with matplotlib (Agg backend) into a PNG.

Geometry, in units of actors: period ``c`` is the column at x = c. Each bloc of two or more members
is a band of height equal to its number of members, stacked top down in order of bloc id (older blocs
on top, so a bloc stays at about the same height), with a gap between bands. Between two neighbouring
columns, a flow joins a band on the left to a band on the right with a height equal to the number of
actors in both; flows leave a band from its top in the order of their target bands and enter a band
from its top in the order of their source bands. Members that leave every bloc (standing apart,
unaligned or absent next period) or arrive from none have no flow, so a band may be taller than its
flows. Periods in which no actor has a signed tie are left out of the chart.

Labels: the *largest movers* are the actors with the most moves from one bloc straight to another
(ties broken by the number of periods they spent in a bloc, then by id); up to ``movers`` of them are
written on the flows that carried their moves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from graph.analysis.alignment.over_time import BlocHistory
from graph.errors import ActorgraphError

#: Height of the gap between two bands, in actors (at least this; more for tall columns).
MIN_GAP = 1.0
#: Half the width of a band, in columns.
HALF_WIDTH = 0.12


@dataclass
class Band:
    """Bloc ``bloc`` in column ``column`` (period ``period``): from ``y0`` (bottom) to ``y1`` (top)."""

    column: int
    period: str
    bloc: int
    name: str
    members: list[str]
    y0: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Flow:
    """Actors in band ``source`` (index into ``AlluvialLayout.bands``) and then in band ``target``.

    ``source_y``/``target_y`` are the (bottom, top) of the flow where it leaves and enters."""

    source: int
    target: int
    actors: list[str]
    source_y: tuple[float, float]
    target_y: tuple[float, float]
    movers: list[str] = field(default_factory=list)

    @property
    def height(self) -> float:
        return float(len(self.actors))


@dataclass
class AlluvialLayout:
    """Columns (period labels, left to right), bands and flows; ``movers`` are the labelled actors."""

    columns: list[str]
    bands: list[Band]
    flows: list[Flow]
    movers: list[str]
    gap: float


def largest_movers(history: BlocHistory, limit: int) -> list[str]:
    """The actors with the most bloc-to-bloc moves (see the module docstring), at most ``limit``."""
    moves = Counter(m.actor for m in history.moves if m.source is not None and m.to is not None)
    time_in_bloc = Counter(a for p in history.periods for b in p.blocs for a in b.members)
    ranked = sorted(moves, key=lambda a: (-moves[a], -time_in_bloc[a], str(a)))
    return ranked[:limit]


def alluvial_layout(history: BlocHistory, movers: int = 8) -> AlluvialLayout:
    """Band and flow geometry of ``history`` (see the module docstring)."""
    periods = [p for p in history.periods if p.aligned]
    tallest = max((sum(len(b.members) for b in p.blocs) for p in periods), default=0)
    gap = max(MIN_GAP, 0.04 * tallest)
    bands: list[Band] = []
    index: dict[tuple[int, int], int] = {}
    for column, period in enumerate(periods):
        top = 0.0
        for bloc in sorted(period.blocs, key=lambda b: b.id):
            height = len(bloc.members)
            index[column, bloc.id] = len(bands)
            bands.append(Band(column, period.label, bloc.id, bloc.name, list(bloc.members), top - height, top))
            top -= height + gap

    labelled = largest_movers(history, movers)
    moved = {(m.period, m.actor) for m in history.moves if m.source is not None and m.to is not None}
    flows: list[Flow] = []
    for column in range(1, len(periods)):
        before, after = periods[column - 1], periods[column]
        left, right = before.bloc_of(), after.bloc_of()
        pairs: dict[tuple[int, int], list[str]] = {}
        for actor in sorted(set(left) & set(right), key=str):
            pairs.setdefault((left[actor], right[actor]), []).append(actor)
        order = sorted(pairs, key=lambda p: (p[0], p[1]))
        out_top = {i: bands[index[column - 1, i]].y1 for i, _ in order}
        in_top = {j: bands[index[column, j]].y1 for _, j in order}
        entering = sorted(order, key=lambda p: (p[1], p[0]))
        target_y = {}
        for i, j in entering:
            h = len(pairs[i, j])
            target_y[i, j] = (in_top[j] - h, in_top[j])
            in_top[j] -= h
        for i, j in order:
            actors = pairs[i, j]
            h = len(actors)
            flows.append(Flow(index[column - 1, i], index[column, j], actors, (out_top[i] - h, out_top[i]),
                              target_y[i, j],
                              [a for a in labelled if (after.label, a) in moved and a in actors]))
            out_top[i] -= h
    return AlluvialLayout([p.label for p in periods], bands, flows, labelled, gap)


def _color(bloc: int):
    import matplotlib

    return matplotlib.colormaps["tab20"]((2 * (bloc - 1)) % 20 + ((bloc - 1) // 10) % 2)


def plot_alluvial(history: BlocHistory, path: Path | str, labels: dict | None = None,
                  title: str | None = None, movers: int = 8) -> Path:
    """Draw the alluvial chart of ``history`` into a PNG at ``path``; ``labels`` maps actor ids to
    display names. Raises ``ActorgraphError`` when no period has a bloc."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch, Rectangle

    layout = alluvial_layout(history, movers)
    if not layout.bands:
        raise ActorgraphError("nothing to plot: no period has a bloc of two or more actors")
    labels = labels or {}
    path = Path(path)
    ncol = len(layout.columns)
    depth = -min(b.y0 for b in layout.bands)
    fig, ax = plt.subplots(figsize=(min(40.0, max(8.0, 0.75 * ncol + 4)), min(30.0, max(5.0, 0.25 * depth + 2.5))),
                           dpi=100)
    try:
        t = np.linspace(0, 1, 40)
        ease = t * t * (3 - 2 * t)
        for f in layout.flows:
            a, b = layout.bands[f.source], layout.bands[f.target]
            x0, x1 = a.column + HALF_WIDTH, b.column - HALF_WIDTH
            x = x0 + (x1 - x0) * t
            low = f.source_y[0] + (f.target_y[0] - f.source_y[0]) * ease
            high = f.source_y[1] + (f.target_y[1] - f.source_y[1]) * ease
            moved = a.bloc != b.bloc
            ax.fill_between(x, low, high, color=_color(a.bloc), alpha=0.55 if moved else 0.3, linewidth=0)
            if f.movers:
                names = [str(labels.get(m, m)) for m in f.movers]
                ax.text((x0 + x1) / 2, (f.source_y[1] + f.target_y[1] + f.source_y[0] + f.target_y[0]) / 4,
                        ", ".join(names), ha="center", va="center", fontsize=8,
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "linewidth": 0})
        for band in layout.bands:
            ax.add_patch(Rectangle((band.column - HALF_WIDTH, band.y0), 2 * HALF_WIDTH, band.height,
                                   facecolor=_color(band.bloc), edgecolor="#333333", linewidth=0.6))
            ax.text(band.column, (band.y0 + band.y1) / 2, str(len(band.members)), ha="center", va="center",
                    fontsize=8, color="white", fontweight="bold")
        ax.legend(handles=[Patch(facecolor=_color(k), label=f"{k}: {' / '.join(names)}")
                           for k, names in history.names().items()],
                  loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False,
                  title="blocs (band height = members)")
        ax.set_xticks(range(ncol), layout.columns, rotation=45 if ncol > 8 else 0, ha="right" if ncol > 8 else "center")
        ax.set_xlim(-0.5, ncol - 0.5)
        ax.set_ylim(-depth - layout.gap / 2, layout.gap / 2)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        skipped = len(history.periods) - ncol
        ax.set_title(title or f"Blocs by {history.every}" + (f" (window {history.window})" if history.window else "")
                     + (f"; {skipped} period(s) without signed ties left out" if skipped else ""))
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)
    return path
