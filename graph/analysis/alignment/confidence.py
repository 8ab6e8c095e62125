"""Bootstrap confidence of each actor's place in the blocs: does it rest on one event?

The view's events are resampled with replacement (as many draws as there are events; seeded, numpy),
and the blocs of each resample are found again with the same settings through ``blocs_of_view``.

*Staying with the core of its bloc.* Let B be an actor's bloc in the blocs of the real data (two or
more members). In one resample, the *core* of B is the resample's bloc that holds more than half of
B's members, if there is one (at most one bloc can). The actor stays when it is in that core. So a
member of a bloc of two stays only when both are together again; a bloc that splits evenly, or whose
members scatter, has no core, and none of its members stays. Equivalently: the actor is in the same
bloc as at least half of B's other members. An actor with no signed tie in a resample (none of its
events was drawn) does not stay. An aligned actor standing apart (in no bloc) stays when it is in no
bloc of two or more in the resample.

The score is the share of resamples in which the actor stays. An actor held in place by many
independent events scores near 1; one held by a single event is missing from about a third of the
resamples (each event is left out of a resample with probability (1 - 1/n)^n ≈ 0.37), and one whose
one event only just outweighs a pull elsewhere scores about 0.5 or less.

Time: each resample is solved with ``settings.time_limit / resamples`` seconds (at least
``MIN_SECONDS``) for the exact solver, so the solver's time for the whole bootstrap stays near the
time limit of one solve; past it the heuristic answers for that resample.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np

from graph.analysis.alignment.blocs import Alignment
from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view
from graph.analysis.alignment.over_time import real_blocs, standing_apart
from graph.errors import ActorgraphError
from graph.progress import SILENT
from graph.view.select import View

#: Floor on the exact solver's time for one resample, in seconds.
MIN_SECONDS = 0.05


def stays_with_core(members: list[str], bloc_of: dict[str, int]) -> set[str]:
    """The members of one bloc that are in its core, given the blocs of a resample (``bloc_of``: actor
    -> bloc id, members of blocs of two or more only).

    >>> sorted(stays_with_core(["a", "b", "c"], {"a": 1, "b": 1, "c": 2}))
    ['a', 'b']
    >>> stays_with_core(["a", "b", "c", "d"], {"a": 1, "b": 1, "c": 2, "d": 2})
    set()
    """
    counts = Counter(bloc_of[m] for m in members if m in bloc_of)
    core = [k for k, c in counts.items() if 2 * c > len(members)]
    return {m for m in members if core and bloc_of.get(m) == core[0]}


def resample(view: View, rng: np.random.Generator) -> View:
    """The view with its events drawn with replacement (as many draws as events)."""
    n = len(view.events)
    picks = rng.integers(0, n, size=n) if n else np.zeros(0, dtype=np.int64)
    return View(view.nodes, view.events.iloc[picks].reset_index(drop=True), view.types, view.filters)


def bloc_confidence(view, settings: BlocSettings = BlocSettings(), resamples: int = 200, seed: int = 0,
                    progress=SILENT, base: Alignment | None = None) -> dict[str, float]:
    """Actor id -> share of ``resamples`` bootstrap resamples of the events in which the actor stays
    with the core of its bloc (see the module docstring), for every aligned actor.

    ``base`` is the view's blocs under ``settings`` when the caller already has them. The same
    ``seed`` gives the same answer.
    """
    if resamples < 1:
        raise ActorgraphError("--resamples must be at least 1")
    if base is None:
        base = blocs_of_view(view, settings)
    blocs = [members for _, members in real_blocs(base)]
    apart = standing_apart(base)
    each = replace(settings, time_limit=max(MIN_SECONDS, settings.time_limit / resamples))
    rng = np.random.default_rng(seed)
    stayed: Counter[str] = Counter()
    for _ in progress.iterate(range(resamples), "bootstrap resamples", unit="resample"):
        al = blocs_of_view(resample(view, rng), each)
        bloc_of = {a: k for k, members in real_blocs(al) for a in members}
        for members in blocs:
            stayed.update(stays_with_core(members, bloc_of))
        stayed.update(a for a in apart if a not in bloc_of)
    actors = sorted({a for m in blocs for a in m} | set(apart), key=str)
    return {a: stayed[a] / resamples for a in actors}
