"""Progress bars: on stderr only when it is a terminal and --quiet is not given; library code silent."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from graph.progress import SILENT, Progress

GDELT = Path(__file__).parent / "fixtures" / "gdelt" / "part1.export.tsv"


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_disabled_progress_writes_nothing(capsys):
    with SILENT.task("work", total=10) as bar:
        bar.update(10)
    assert list(SILENT.iterate([1, 2, 3], "items")) == [1, 2, 3]
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_enabled_progress_draws_a_bar_on_its_stream():
    stream = FakeTerminal()
    p = Progress(enabled=True, delay=0, stream=stream)
    with p.task("reading", total=4, unit="file") as bar:
        for _ in range(4):
            bar.update(1)
    assert "reading:" in stream.getvalue() and "0/4" in stream.getvalue()


def test_delay_hides_quick_work():
    stream = FakeTerminal()
    with Progress(enabled=True, delay=5, stream=stream).task("quick", total=3) as bar:
        bar.update(3)
    assert stream.getvalue() == ""


def test_for_cli_needs_a_terminal_and_no_quiet(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not Progress.for_cli().enabled
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    assert Progress.for_cli().enabled
    assert not Progress.for_cli(quiet=True).enabled


def test_commands_are_silent_when_stderr_is_not_a_terminal(tmp_path, run):
    result = run("import", "gdelt", GDELT, "--out", tmp_path / "g")
    assert result.exit_code == 0
    assert "\r" not in result.stderr and "it/s" not in result.stderr
    result = run("export", "--data", tmp_path / "g", "--format", "json", "-o", tmp_path / "g.json", "--quiet")
    assert result.exit_code == 0
    assert result.stderr.strip().startswith("wrote ")


def test_stage_shows_the_elapsed_time_of_a_long_blocking_step_and_nothing_for_a_short_one():
    import io
    import time

    from graph.progress import Progress

    stream = io.StringIO()
    with Progress(enabled=True, delay=0.1, stream=stream).stage("computing betweenness"):
        time.sleep(0.8)
    assert "computing betweenness: 00:00" in stream.getvalue()

    stream = io.StringIO()
    with Progress(enabled=True, delay=5, stream=stream).stage("quick"):
        pass
    assert stream.getvalue() == ""

    stream = io.StringIO()
    with Progress(enabled=False, delay=0, stream=stream).stage("silent"):
        time.sleep(0.2)
    assert stream.getvalue() == ""
