"""Progress bars on stderr, shown only when a person is watching.

Library functions never print. Those with long loops take an optional ``progress`` argument, a
:class:`Progress` (or anything with the same ``task`` method); the default, :data:`SILENT`, does nothing.
The CLI makes one with ``Progress.for_cli(quiet)``: enabled only when stderr is a terminal and
``--quiet`` was not given. Bars are drawn by tqdm on stderr and only appear once a task has run for
``delay`` seconds (1 s by default), so quick work never flickers.

Usage in a library function::

    def read_many(files, progress=SILENT):
        with progress.task("reading", total=len(files), unit="file") as bar:
            for f in files:
                ...
                bar.update(1)
"""

from __future__ import annotations

import contextlib
import sys
import threading
from typing import Iterator


class _NullBar:
    """Stands in for a tqdm bar when progress is off."""

    def update(self, n: float = 1) -> None:
        pass

    def set_postfix_str(self, text: str) -> None:
        pass


class Progress:
    """A factory of progress bars; ``enabled=False`` makes every bar a no-op."""

    def __init__(self, enabled: bool = False, delay: float = 1.0, stream=None):
        self.enabled = enabled
        self.delay = delay
        self.stream = stream

    @classmethod
    def for_cli(cls, quiet: bool = False) -> "Progress":
        """Bars on stderr when it is a terminal and ``quiet`` is false; silent otherwise."""
        return cls(enabled=not quiet and _stderr_is_terminal())

    @contextlib.contextmanager
    def task(self, description: str, total: float | None = None, unit: str = "it") -> Iterator:
        """A bar for one piece of work; call ``bar.update(n)`` as it advances."""
        if not self.enabled:
            yield _NullBar()
            return
        from tqdm import tqdm

        scale = total is None or total >= 1000  # 1.2M rows, but 3/7 steps
        bar = tqdm(total=total, desc=description, unit=f" {unit}" if scale else unit, delay=self.delay,
                   leave=False, file=self.stream or sys.stderr, dynamic_ncols=True, unit_scale=scale)
        try:
            yield bar
        finally:
            bar.close()

    @contextlib.contextmanager
    def stage(self, description: str) -> Iterator[None]:
        """One blocking step that cannot report its own advance (a betweenness run, a solver call).

        After ``delay`` seconds it shows the description and the time elapsed, refreshed twice a second
        from a background thread, until the step ends; quicker steps show nothing.
        """
        if not self.enabled:
            yield
            return
        from tqdm import tqdm

        bar = tqdm(total=None, desc=description, bar_format="{desc}: {elapsed}", leave=False,
                   file=self.stream or sys.stderr, dynamic_ncols=True, delay=float("inf"))
        done = threading.Event()

        def tick() -> None:
            if done.wait(self.delay):
                return
            while True:
                bar.refresh()
                if done.wait(0.5):
                    return

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            done.set()
            ticker.join()
            bar.close()

    def iterate(self, iterable, description: str, total: float | None = None, unit: str = "it"):
        """Yield from ``iterable`` while advancing a bar."""
        if total is None and hasattr(iterable, "__len__"):
            total = len(iterable)
        with self.task(description, total=total, unit=unit) as bar:
            for item in iterable:
                yield item
                bar.update(1)


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


#: The default for library functions: no output at all.
SILENT = Progress(enabled=False)
