"""Turn saved data files into updates of a LiveMap, once the writes have settled.

watchfiles (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) reports changes to
the three data files of the folder, whichever way they were saved: written in place, or written to a
temporary file and renamed over the original, as most editors and ``actorgraph edge add`` do.
watchfiles already waits until ``QUIET_MS`` pass without a further change before it reports a batch.

Valid files are shown at once. Invalid files are shown only when they stay invalid for ``GRACE``
seconds with no further change, and after a second validation: an editor saving in two steps
(truncate, then write; or delete, then rename) is caught mid-save now and then, and that must not
flash an error on the page.
"""

from __future__ import annotations

import os
import queue
import threading

import watchfiles

from graph.errors import ActorgraphError
from graph.explorer.live.state import LiveMap
from graph.store.dataset import FILES

#: Milliseconds without a further change before watchfiles reports a batch of changes.
QUIET_MS = 50
#: Seconds invalid files must stay unchanged before their problems are shown.
GRACE = 1.0
#: Seconds after start when the folder is checked once, for a save made while the watch was being set up.
RECHECK_AFTER = 0.5
_STOP = object()


def is_data_file(change, path: str) -> bool:
    """watchfiles filter: only the three data files (not the lock, journal or temporary files)."""
    return os.path.basename(path) in FILES


class Watcher:
    """Watch ``live.folder`` in a background thread and update ``live`` after every settled change."""

    def __init__(self, live: LiveMap, quiet_ms: int = QUIET_MS, grace: float = GRACE):
        self.live, self.quiet_ms, self.grace = live, quiet_ms, grace
        self._changes: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._watch, name="actorgraph-watch", daemon=True),
                         threading.Thread(target=self._run, name="actorgraph-update", daemon=True)]
        self._recheck = threading.Timer(RECHECK_AFTER, self._changes.put, args=(set(),))
        self._recheck.daemon = True

    def start(self) -> "Watcher":
        for thread in self._threads:
            thread.start()
        self._recheck.start()  # unchanged files cost one read and a hash
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching; wait up to ``timeout`` s for an update in progress to finish."""
        self._stop.set()
        self._recheck.cancel()
        self._changes.put(_STOP)
        for thread in self._threads:
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join(timeout)

    def _watch(self) -> None:
        try:
            for changes in watchfiles.watch(self.live.folder, watch_filter=is_data_file, step=self.quiet_ms,
                                            stop_event=self._stop, raise_interrupt=False, recursive=False):
                self._changes.put(changes)
        except Exception as exc:  # noqa: BLE001 - e.g. the folder was removed; say so on the page
            if not self._stop.is_set():
                self._changes.put(exc)

    def _waiting(self) -> bool:
        return not self._changes.empty()

    def _next(self, timeout: float | None = None):
        """The next batch of changes (all that are waiting, merged), or _STOP; queue.Empty on timeout."""
        item = self._changes.get(timeout=timeout)
        while item is not _STOP and not self._changes.empty():
            more = self._changes.get_nowait()
            item = _STOP if more is _STOP else more
        return item

    def _run(self) -> None:
        while True:
            item = self._next()
            if item is _STOP:
                return
            if isinstance(item, Exception):  # the watch itself failed
                self.live.show_problems([f"{self.live.folder}: stopped watching the folder ({item}); "
                                         "restart actorgraph serve"])
                return
            problems = self._update()
            while problems:
                try:
                    item = self._next(timeout=self.grace)
                except queue.Empty:  # unchanged for GRACE s: not a save in progress; check once more
                    problems = self._update()
                    if problems:
                        self.live.show_problems(problems)
                    break
                if item is _STOP:
                    return
                problems = self._update()

    def _update(self) -> list[str]:
        try:
            return self.live.update(superseded=self._waiting)
        except ActorgraphError as exc:  # e.g. --every and the last dated event removed: say what, as validate would
            return [str(exc)]
        except Exception as exc:  # noqa: BLE001 - keep watching; the page says what went wrong
            return [f"could not rebuild the map: {type(exc).__name__}: {exc}"]
