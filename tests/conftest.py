"""Shared fixtures: the bundled data, tiny hand-written data sets, and a CLI runner."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

DEFAULT_TYPES = """\
type,label,polarity,weight,directed
arrest,Arrest,hostile,-5,true
accusation,Accusation,hostile,-2,true
support,Support,cooperative,3,false
meeting,Meeting,cooperative,1,false
appointment,Appointment,neutral,0,true
"""


def write_dataset(folder: Path, nodes: str, edges: str, types: str = DEFAULT_TYPES) -> Path:
    """Write the three CSV files (dedented strings) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("nodes.csv", nodes), ("edges.csv", edges), ("edge_types.csv", types)):
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of the bundled data folder."""
    return Path(shutil.copytree(BUNDLED, tmp_path / "data"))


@pytest.fixture
def run():
    """Invoke the CLI in-process: ``run("validate", "--data", d)`` returns click's Result."""
    from graph.cli import cli

    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return invoke


@pytest.fixture(scope="session")
def spark():
    """One local Spark session (two cores) for every test that uses Spark (a JVM takes seconds to start);
    the engines and the Spark checker reuse a running session."""
    from graph.view.engines.spark_session import spark_session

    session, started = spark_session("local[2]")
    yield session
    if started:
        session.stop()
