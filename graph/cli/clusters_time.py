"""Reports of ``actorgraph clusters --every`` (blocs over time) and ``--confidence`` (bootstrap).

``clusters`` parses the options and calls ``check_options``, then ``history_report`` for ``--every`` or,
for one window with ``--confidence``, ``bloc_confidence`` and ``with_confidence`` to add the column.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph.cli.common import render_rows

DEFAULT_RESAMPLES = 200
_CSV_COLUMNS = ["period", "since", "until", "id", "label", "bloc", "bloc_name", "status", "moved", "from"]


def check_options(every, window, plot, confidence, resamples, dated_only, compare, why) -> None:
    """Refuse option combinations that make no sense, with one line saying what to do."""
    def refuse(text: str) -> None:
        raise click.UsageError(text)

    if every is None:
        for given, name in ((window, "--window"), (plot, "--plot"), (dated_only, "--dated-only")):
            if given:
                refuse(f"{name} needs --every month|quarter|year")
    else:
        if compare:
            refuse("--every and --compare are two ways to follow blocs in time; use one")
        if confidence:
            refuse("--confidence scores one window; drop --every (or give --since/--until)")
        if why:
            refuse("--why lists the ties of one window; drop --every")
    if resamples is not None and not confidence:
        refuse("--resamples needs --confidence")
    if confidence and compare:
        refuse("--confidence scores one window; drop --compare")
    if plot is not None and Path(plot).suffix.lower() != ".png":
        refuse(f"--plot writes a PNG; name the file {Path(plot).stem or 'blocs'}.png")


def with_confidence(rows: list[dict], columns: list[str], confidence: dict | None) -> tuple[list[dict], list[str]]:
    """Add a ``confidence`` column (share of resamples; empty for unaligned actors) when scores are given."""
    if confidence is None:
        return rows, columns
    return [{**r, "confidence": confidence.get(r["id"], "")} for r in rows], [*columns, "confidence"]


def _members(members, labels: dict) -> str:
    return ", ".join(str(labels.get(a, a)) for a in members)


def _bloc_text(bloc_id, names: dict) -> str:
    return "(none)" if bloc_id is None else f"{bloc_id} {names.get(bloc_id, '')}".strip()


def _move_rows(history, labels: dict) -> list[dict]:
    """Moves with each bloc's name at the time: ``from`` as it was before the move, ``to`` as it is after."""
    rows, current = [], {}
    for p in history.periods:
        before = dict(current)
        current.update({b.id: b.name for b in p.blocs})
        rows += [{"period": m.period, "id": m.actor, "label": labels.get(m.actor, m.actor),
                  "from": _bloc_text(m.source, before), "to": _bloc_text(m.to, current)}
                 for m in history.moves if m.period == p.label]
    return rows


def _text(history, labels: dict, fmt: str) -> str:
    names = history.names()
    first, last = history.periods[0], history.periods[-1]
    window = f"a sliding window of {history.window} ending with each {history.every}" if history.window else \
        f"each {history.every} on its own"
    heading = [f"blocs by {history.every}, {first.label} to {last.label} ({len(history.periods)} periods); "
               f"window: {window}",
               f"blocs: {len(names)}; moves: {len(history.moves)} (blocs of two or more; a bloc keeps its id "
               "while its core stays)"]
    periods = [{"period": p.label, "since": p.since, "until": p.until, "method": p.alignment.method,
                "frustration": p.alignment.frustration, "blocs": len(p.blocs), "apart": len(p.apart),
                "unaligned": len(p.unaligned)} for p in history.periods]
    blocs = []
    for p in history.periods:
        blocs += [{"period": p.label, "bloc": b.id, "name": b.name, "size": len(b.members),
                   "members": _members(b.members, labels)} for b in p.blocs]
        if p.apart:
            blocs.append({"period": p.label, "bloc": "", "name": "(apart)", "size": len(p.apart),
                          "members": _members(p.apart, labels)})
    moves = _move_rows(history, labels)
    sep = ":\n\n" if fmt == "markdown" else ":\n"
    out = "\n".join(f"- {h}" for h in heading) if fmt == "markdown" else "\n".join(heading)
    out += "\n\nperiods" + sep + render_rows(periods, fmt, list(periods[0]))
    out += "\nblocs" + sep + (render_rows(blocs, fmt, ["period", "bloc", "name", "size", "members"])
                              if blocs else "(none)\n")
    out += "\nmoves (from / to: bloc id and name, (none) = in no bloc)" + sep
    out += render_rows(moves, fmt, ["period", "id", "label", "from", "to"]) if moves else "(none)\n"
    return out


def _csv(history, labels: dict) -> str:
    rows = []
    for p in history.periods:
        moved = {m.actor: m for m in history.moves if m.period == p.label}
        names = {b.id: b.name for b in p.blocs}
        bloc_of = p.bloc_of()
        status = {a: "bloc" for a in bloc_of} | {a: "apart" for a in p.apart}
        unaligned = set(p.unaligned)
        for actor in sorted(set(status) | set(moved), key=str):
            bloc = bloc_of.get(actor)
            move = moved.get(actor)
            rows.append({"period": p.label, "since": p.since, "until": p.until, "id": actor,
                         "label": labels.get(actor, actor), "bloc": bloc if bloc is not None else "",
                         "bloc_name": names.get(bloc, ""),
                         "status": status.get(actor, "unaligned" if actor in unaligned else "absent"),
                         "moved": "yes" if move else "",
                         "from": move.source if move and move.source is not None else ""})
    return render_rows(rows, "csv", _CSV_COLUMNS)


def history_report(ds, filters, every: str, window: str | None, settings, fmt: str, labels: dict,
                   plot: Path | None = None, dated_only: bool = False, progress=None) -> str:
    """Blocs over time as a report in ``fmt``; with ``plot`` also the alluvial chart (a PNG)."""
    from graph.analysis.alignment.over_time import blocs_over_time
    from graph.progress import SILENT

    history = blocs_over_time(ds, filters, every, window, settings, progress or SILENT, standing=not dated_only)
    if plot is not None:
        from graph.analysis.alignment.alluvial import plot_alluvial

        plot_alluvial(history, plot, labels)
        click.echo(f"wrote {plot}", err=True)
    if fmt == "json":
        return json.dumps(history.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(history, labels)
    return _text(history, labels, fmt)
