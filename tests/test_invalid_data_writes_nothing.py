"""Every command that reads data validates it first: on invalid data it exits 1 with the problems,
no traceback, and writes nothing."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES

COMMANDS = [
    ["html", "-o", "{out}/map.html"],
    ["export", "--format", "gexf", "-o", "{out}/x.gexf"],
    ["export", "--format", "json", "-o", "{out}/x.json"],
    ["centrality", "-o", "{out}/c.csv"],
    ["clusters", "-o", "{out}/k.json", "--format", "json"],
    ["timeline", "--plot", "{out}/t.png", "-o", "{out}/t.csv"],
    ["show", "putin", "-o", "{out}/s.txt"],
    ["path", "putin", "aliyev", "-o", "{out}/p.txt"],
    ["edge", "add", "putin", "aliyev", "call"],
    ["node", "add", "lavrov", "--label", "Lavrov", "--kind", "official"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_invalid_data_is_reported_and_nothing_is_written(tmp_path, run, args):
    data = shutil.copytree(FIXTURES / "valid", tmp_path / "data")
    shutil.copyfile(FIXTURES / "invalid" / "unknown_type__edges.csv", data / "edges.csv")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    out = tmp_path / "out"
    result = run(*[a.format(out=out) for a in args], "--data", data)
    assert result.exit_code == 1
    assert "edges.csv:2: unknown type 'arest' (did you mean 'arrest'?)" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.suffix == ".csv"} == before
