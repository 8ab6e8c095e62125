"""Two writers at once lose nothing: the data folder's lock serialises read-modify-write."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from graph.store.dataset import load_dataset
from tests.conftest import ROOT, write_dataset

NODES = """\
id,label,kind
a,A,state
b,B,state
"""
EDGES = """\
source,target,type,date,note
a,b,meeting,2025-01,seed
"""

# Runs the real CLI code path (click parsing, lock, validation, atomic write) N times in one process,
# started together with the other writer once both have imported everything.
WRITER = textwrap.dedent("""
    import pathlib, sys, time
    from graph.cli import cli
    data, name, n, ready, go = sys.argv[1:]
    pathlib.Path(ready).touch()
    while not pathlib.Path(go).exists():
        time.sleep(0.001)
    for i in range(int(n)):
        cli.main(["edge", "add", "a", "b", "support", "--note", f"{name} {i}", "--data", data],
                 standalone_mode=False)
""")


def _start(args):
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_ready(paths, procs):
    deadline = time.monotonic() + 30
    while not all(p.exists() for p in paths):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "writers did not start"
        time.sleep(0.01)


def test_two_writers_each_adding_60_edges_leave_120_new_rows(tmp_path):
    data = write_dataset(tmp_path / "data", NODES, EDGES)
    go = tmp_path / "go"
    ready = [tmp_path / "ready-x", tmp_path / "ready-y"]
    procs = [_start([sys.executable, "-c", WRITER, str(data), name, "60", str(r), str(go)])
             for name, r in zip("xy", ready)]
    _wait_ready(ready, procs)
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert err.count("added edge a -> b (support)") == 60
    notes = list(load_dataset(data).edges["note"])
    assert len(notes) == 121
    assert sorted(notes) == sorted(["seed"] + [f"{w} {i}" for w in "xy" for i in range(60)])
    # each writer's own rows stay in the order it wrote them
    for w in "xy":
        mine = [n for n in notes if n.startswith(w + " ")]
        assert mine == [f"{w} {i}" for i in range(60)]
