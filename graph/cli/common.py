"""Options and helpers shared by every command: --data, filters, report output, error handling."""

from __future__ import annotations

import functools
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import click

from graph.errors import ActorgraphError, DataError
from graph.view.select import Filters

FORMATS = ("table", "csv", "json", "markdown")


def data_option(command):
    """``--data DIR``: the data folder (default ./data, or $ACTORGRAPH_DATA)."""
    return click.option(
        "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
        default=lambda: os.environ.get("ACTORGRAPH_DATA", "data"), show_default="./data or $ACTORGRAPH_DATA",
        help="Folder holding nodes.csv, edges.csv and edge_types.csv.")(command)


def _split(values) -> tuple[str, ...]:
    """Accept repeated options and comma-separated lists alike."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def filter_options(command):
    """``--since --until --types --kinds --level --half-life``, gathered into ``filters`` (a Filters)."""
    options = [
        click.option("--since", metavar="DATE", help="Only events from this date on (YYYY, YYYY-MM or YYYY-MM-DD; "
                     "an event dated 2025-07 counts if any of July is inside the window)."),
        click.option("--until", metavar="DATE", help="Only events up to this date (partial dates cover their "
                     "whole month or year: --until 2024-11 ends on 2024-11-30)."),
        click.option("--types", "types", multiple=True, metavar="T1,T2", help="Only these edge types."),
        click.option("--kinds", "kinds", multiple=True, metavar="K1,K2",
                     help="Only actors of these kinds (and events between them)."),
        click.option("--level", type=click.Choice(["actor", "state"]), default="actor", show_default=True,
                     help="'state' rolls every actor up through its affiliation to its root."),
        click.option("--half-life", type=float, metavar="DAYS",
                     help="Discount each event by 0.5^(age/DAYS), age counted to the window's end."),
    ]

    @functools.wraps(command)
    def wrapper(*args, since, until, types, kinds, level, half_life, **kwargs):
        kwargs["filters"] = Filters(since=since, until=until, types=_split(types), kinds=_split(kinds),
                                    level=level, half_life=half_life)
        return command(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def bloc_options(command):
    """How blocs are found, shared by every command that reports them (clusters, show, html, export):
    ``--clusters K``, ``--free``, ``--tolerance PCT``, ``--affiliation-weight W``, ``--time-limit``,
    ``--seed``, gathered into ``blocs`` (a ``BlocSettings``)."""
    from graph.analysis.alignment.of_view import TOLERANCE

    options = [
        click.option("--clusters", "max_clusters", type=click.IntRange(min=1), metavar="K",
                     help="At most K clusters (2 gives the frustration index). Default: the fewest within "
                          "--tolerance of the free optimum."),
        click.option("--free", is_flag=True,
                     help="The exact free optimum: as many clusters as minimise frustration (every actor "
                          "held only by hostility then stands apart)."),
        click.option("--tolerance", type=click.FloatRange(min=0, max=100, max_open=True), metavar="PCT",
                     default=100 * TOLERANCE, show_default=True,
                     help="The fewest blocs whose frustration is within PCT% of the total |tie| of the free "
                          "optimum's."),
        click.option("--affiliation-weight", type=click.FloatRange(min=0), metavar="W", default=10.0,
                     show_default=True,
                     help="At actor level, an affiliation counts as a cooperative tie of W between an actor "
                          "and what it belongs to (10, the top of the scale: it speaks for it); 0 turns it off."),
        click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
                     metavar="SECONDS", help="Time for the exact solver; past it the heuristic answers."),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of the heuristic's restarts."),
    ]

    @functools.wraps(command)
    def wrapper(*args, max_clusters, free, tolerance, affiliation_weight, time_limit, seed, **kwargs):
        from graph.analysis.alignment.of_view import BlocSettings

        if free and max_clusters is not None:
            raise click.UsageError("--free and --clusters exclude each other")
        kwargs["blocs"] = BlocSettings(max_clusters=max_clusters, time_limit=time_limit, seed=seed,
                                       affiliation_weight=affiliation_weight, tolerance=tolerance / 100, free=free)
        return command(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def output_options(command):
    """``--format table|csv|json|markdown`` and ``-o FILE`` for every report."""
    command = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                           help="Write the report to FILE instead of standard output.")(command)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Report format.")(command)


def progress_option(command):
    """``-q/--quiet``; the command receives ``progress``: bars on stderr on a terminal, unless quiet."""

    @functools.wraps(command)
    def wrapper(*args, quiet, **kwargs):
        from graph.progress import Progress

        return command(*args, progress=Progress.for_cli(quiet), **kwargs)

    return click.option("-q", "--quiet", is_flag=True,
                        help="No progress display (it only appears on a terminal, for steps over 1 s).")(wrapper)


@dataclass
class EngineChoice:
    """How a command opens its data folder (``--engine``, ``--memory-limit``, ``--spark-master``); the
    folders it opened, closed when the command ends."""

    engine: str | None = None
    memory_limit: str | None = None
    spark_master: str | None = None
    opened: list = field(default_factory=list)

    def close(self) -> None:
        from graph.view.engines import close_data

        while self.opened:
            close_data(self.opened.pop())


def engine_options(command):
    """``--engine pandas|duckdb|spark``, ``--memory-limit SIZE`` and ``--spark-master URL``, gathered into
    ``engine`` (an ``EngineChoice`` for ``load``); whatever ``load`` opened is closed when the command ends."""
    from graph.view.engines import ENGINES

    options = [
        click.option("--engine", type=click.Choice(ENGINES), metavar="pandas|duckdb|spark",
                     help="What reads the events. Default: pandas for a CSV folder (in memory), duckdb for an "
                          "event store (Parquet under events/, read out of core); spark runs the same queries "
                          "as Spark SQL."),
        click.option("--memory-limit", metavar="SIZE",
                     help="With duckdb: the most memory it may hold, e.g. 4GB or 500MB (default: half of this "
                          "machine's RAM); the rest spills to a temporary folder."),
        click.option("--spark-master", metavar="URL", default=lambda: os.environ.get("SPARK_MASTER") or "local[*]",
                     show_default="$SPARK_MASTER, else local[*]", help="With spark: the master to run on."),
    ]

    @functools.wraps(command)
    def wrapper(*args, engine, memory_limit, spark_master, **kwargs):
        choice = EngineChoice(engine, memory_limit, spark_master)
        try:
            return command(*args, engine=choice, **kwargs)
        finally:
            choice.close()

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def load(data_dir: Path, progress=None, engine: EngineChoice | None = None):
    """Open and validate the data folder through ``graph.view.engines.open_data``: a ``Dataset`` (pandas)
    or an ``EngineData`` (closed when the command ends, via ``engine_options``). Errors become
    one-line messages via ``handle_errors``."""
    from graph.view.engines import open_data

    choice = engine or EngineChoice()
    data = open_data(data_dir, choice.engine, choice.memory_limit, choice.spark_master, progress)
    choice.opened.append(data)
    return data


def handle_errors(command):
    """Turn library errors into messages on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DataError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(f"{exc}; nothing was written") from None
        except ActorgraphError as exc:
            raise click.ClickException(str(exc)) from None
        except UnicodeError as exc:
            raise click.ClickException(f"text that is not valid UTF-8 in an argument ({exc.reason}); "
                                       "retype it") from None
        except BrokenPipeError:
            raise  # ``main`` ends quietly when a reader such as ``head`` closes the pipe
        except OSError as exc:
            raise click.ClickException(f"{exc.filename or ''}: {exc.strerror or exc}") from None

    return wrapper


def _plain(value):
    """JSON-safe scalar: numpy numbers to Python, NaN to None."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _cell(value, digits: int = 4) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}g}" if abs(value) < 1e6 else f"{value:.0f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def render_rows(rows: list[dict], fmt: str, columns: list[str] | None = None) -> str:
    """Render a list of flat records as a table, CSV, JSON (a list of objects) or Markdown."""
    columns = columns or (list(rows[0]) if rows else [])
    if fmt == "json":
        return json.dumps([{c: _plain(r.get(c)) for c in columns} for r in rows], indent=2,
                          ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":  # for spreadsheets: formula-like text neutralised (CSV injection), numbers bare
        from graph.store.formula_safe import spreadsheet_csv

        return spreadsheet_csv(columns, [[_cell(r.get(c), 10) for c in columns] for r in rows])
    from tabulate import tabulate

    table = [[_cell(r.get(c)) for c in columns] for r in rows]
    return tabulate(table, headers=columns, tablefmt="github" if fmt == "markdown" else "simple",
                    disable_numparse=True) + "\n"


def refuse_data_file(output: Path | None) -> None:
    """Refuse an output path that is one of the CSV files of a data folder (it would be overwritten)."""
    from graph.store.dataset import FILES

    if output is not None and output.name in FILES and all((output.parent / f).exists() for f in FILES):
        raise ActorgraphError(f"-o {output} would overwrite a data file; choose another name")


def emit(text: str, output: Path | None) -> None:
    """Write a rendered report to ``output`` (saying so on stderr) or to standard output."""
    if output is None:
        click.echo(text, nl=False)
        return
    from graph.store.safe_write import atomic_write

    refuse_data_file(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(output, text.encode("utf-8"))
    click.echo(f"wrote {output}", err=True)
