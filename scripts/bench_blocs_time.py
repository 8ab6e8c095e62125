"""Benchmark blocs over time and bootstrap confidence on planted drifting camps (material the rules were
not tuned on).

Usage:
  python scripts/bench_blocs_time.py                       # 150 actors, 3 camps, 12 months
  python scripts/bench_blocs_time.py --actors 1000 --months 12 --movers 10 --resamples 30

Each month every actor takes part in about ``--degree`` events with random others: cooperative (+3)
inside its camp, hostile (-2) across, each sign flipped with probability ``--noise``. At the start of each
month after the first, ``--movers`` random actors switch to another camp. Reported:
- moves found by ``blocs_over_time(..., "month")`` against the planted switches (an actor found moving
  from one bloc to another in the month it switched), precision and recall; how many bloc ids were used
  (3 when every camp kept its id throughout); how many solves were proven optimal;
- the time for the whole history, and as a ratio to one ``blocs_of_view`` of a single month (the
  reference, measured in the same run);
- bootstrap confidence over a two-month window straddling a switch: the mean score of the actors that
  switched in it (their ties pull both ways) and of the others, and the time per resample.
"""

if __name__ == "__main__":  # started as a script (its folder is on sys.path): use the project's .venv
    from _venv import use_project_venv

    use_project_venv()

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

TYPES = "type,label,polarity,weight,directed\nsupport,Support,cooperative,3,false\naccuse,Accuse,hostile,-2,true\n"


def generate(folder: Path, actors: int, camps: int, months: int, degree: float, movers: int, noise: float,
             seed: int) -> list[tuple[str, str]]:
    """Write the data set into ``folder``; return the planted switches as ``(actor, YYYY-MM)``."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, camps, actors)
    ids = np.array([f"a{i:05d}" for i in range(actors)], dtype=object)
    switches, rows = [], []
    for month in range(months):
        label = f"{2020 + month // 12}-{month % 12 + 1:02d}"
        if month:
            for i in rng.choice(actors, movers, replace=False):
                camp[i] = (camp[i] + rng.integers(1, camps)) % camps
                switches.append((ids[i], label))
        m = int(actors * degree / 2)
        u, v = rng.integers(0, actors, m), rng.integers(0, actors, m)
        keep = u != v
        u, v = u[keep], v[keep]
        friendly = (camp[u] == camp[v]) ^ (rng.random(len(u)) < noise)
        days = rng.integers(1, 29, len(u))
        rows += [f"{ids[a]},{ids[b]},{'support' if f else 'accuse'},{label}-{d:02d}"
                 for a, b, f, d in zip(u, v, friendly, days)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.csv").write_text("id,label,kind\n" + "".join(f"{i},{i},state\n" for i in ids))
    (folder / "edges.csv").write_text("source,target,type,date\n" + "\n".join(rows) + "\n")
    (folder / "edge_types.csv").write_text(TYPES)
    return switches


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--actors", type=int, default=150)
    parser.add_argument("--camps", type=int, default=3)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--degree", type=float, default=6.0)
    parser.add_argument("--movers", type=int, default=5)
    parser.add_argument("--noise", type=float, default=0.1)
    parser.add_argument("--resamples", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=2.0, help="exact solver's time per solve (s)")
    a = parser.parse_args(argv)

    from graph.analysis.alignment.confidence import bloc_confidence
    from graph.analysis.alignment.of_view import BlocSettings, blocs_of_view
    from graph.analysis.alignment.over_time import blocs_over_time
    from graph.store.dataset import load_dataset
    from graph.view.select import Filters, select

    with tempfile.TemporaryDirectory() as tmp:
        switches = generate(Path(tmp) / "d", a.actors, a.camps, a.months, a.degree, a.movers, a.noise, a.seed)
        ds = load_dataset(Path(tmp) / "d")
    print(f"{a.actors} actors, {a.camps} camps, {a.months} months, {len(ds.edges):,} events, "
          f"{len(switches)} planted switches, noise {a.noise}")

    settings = BlocSettings(time_limit=a.time_limit)
    first = select(ds, Filters(since="2020-01", until="2020-01"))
    reference = float("inf")
    for _ in range(2):  # the first call also loads the solver libraries: keep the faster run
        started = time.perf_counter()
        blocs_of_view(first, settings)
        reference = min(reference, time.perf_counter() - started)

    started = time.perf_counter()
    history = blocs_over_time(ds, Filters(), "month", settings=settings)
    seconds = time.perf_counter() - started
    found = {(m.actor, m.period) for m in history.moves if m.source is not None and m.to is not None}
    planted = set(switches)
    hits = len(found & planted)
    ids = {b.id for p in history.periods for b in p.blocs}
    print(f"blocs over time: {seconds:.2f} s for {len(history.periods)} months "
          f"({seconds / reference:.1f}x one month's blocs_of_view, {reference:.3f} s)")
    print(f"  moves between blocs: {len(found)} found, {hits} of {len(planted)} planted "
          f"(precision {hits / max(1, len(found)):.3f}, recall {hits / max(1, len(planted)):.3f}); "
          f"bloc ids used: {len(ids)}; exact in {sum(p.alignment.method == 'exact' for p in history.periods)} "
          f"of {len(history.periods)} months")

    month = history.periods[a.months // 2]
    before = history.periods[a.months // 2 - 1]
    view = select(ds, Filters(since=before.since, until=month.until))
    started = time.perf_counter()
    scores = bloc_confidence(view, settings, a.resamples, a.seed)
    spent = time.perf_counter() - started
    moved = {x for x, label in switches if label == month.label}
    inside = [scores[x] for x in moved if x in scores]
    others = [v for x, v in scores.items() if x not in moved]
    print(f"confidence over {before.label}..{month.label}: {spent:.2f} s for {a.resamples} resamples "
          f"({spent / a.resamples:.3f} s each); mean score of the {len(inside)} actors that switched in "
          f"{month.label}: {np.mean(inside):.3f}; of the other {len(others)}: {np.mean(others):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
