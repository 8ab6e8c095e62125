"""Every command has help with an example, takes --data, and is documented in the README."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from graph.cli import cli
from tests.conftest import ROOT


def all_commands(group=cli, prefix=()):
    for name, command in sorted(group.commands.items()):
        path = prefix + (name,)
        if isinstance(command, click.Group):
            yield from all_commands(command, path)
        else:
            yield path, command


COMMANDS = list(all_commands())


def test_there_are_commands():
    assert {p[0] for p, _ in COMMANDS} >= {"validate", "centrality", "clusters", "html"}


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_help_has_an_example_and_data_option(run, path, command):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout, f"'actorgraph {' '.join(path)} --help' has no example"
    assert "--data" in result.stdout


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_is_in_the_readme(path, command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"actorgraph {' '.join(path)}" in readme


def test_python_dash_m_runs_the_same_cli():
    out = subprocess.run([sys.executable, "-m", "graph", "--help"], capture_output=True, text=True, check=True)
    assert "Map who does what to whom" in out.stdout


def test_unknown_command_is_a_one_line_error(run):
    result = run("nonsense")
    assert result.exit_code == 2 and "No such command" in result.stderr
    assert "Traceback" not in result.output
