"""The ``actorgraph`` command line: a thin layer of click commands over the ``graph`` library.

Each submodule registers the commands of one concern on the ``cli`` group.
"""

from __future__ import annotations

import os
import sys

import click

from graph import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="actorgraph")
def cli():
    """Map who does what to whom in a political crisis.

    Actors are nodes and dated, typed, cited actions are edges, kept in data/nodes.csv,
    data/edges.csv and data/edge_types.csv. Every command reads --data DIR (default ./data or
    $ACTORGRAPH_DATA) and validates it first.

    \b
    Example:
      actorgraph validate
      actorgraph clusters --since 2025-06
      actorgraph html -o out/map.html
    """


def _register() -> None:
    # Imported for their side effect of adding commands to ``cli``.
    from graph.cli import validate  # noqa: F401
    from graph.cli import clusters  # noqa: F401
    from graph.cli import reports  # noqa: F401
    from graph.cli import explore  # noqa: F401
    from graph.cli import edit  # noqa: F401
    from graph.cli import interop  # noqa: F401
    from graph.cli import convert  # noqa: F401
    from graph.cli import extract  # noqa: F401
    from graph.cli import serve  # noqa: F401


def main() -> None:
    """Console entry point: run ``cli``; a closed pipe (``| head``) ends quietly."""
    try:
        cli.main(prog_name="actorgraph")
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


_register()
