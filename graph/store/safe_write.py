"""Atomic writes and an exclusive lock for the data folder.

Each file is written to a temporary file in the same folder, flushed and fsynced, then renamed over
the original with ``os.replace`` and the folder fsynced: a reader, or a process killed at any moment,
sees the whole old file or the whole new one, never a torn file.

An edit that changes several files (``node rename`` changes nodes.csv and edges.csv) writes every
temporary file first, then a small journal naming them, then renames them one by one and deletes the
journal. A process killed between two renames leaves each file whole but the set half-changed; the
next edit (under the lock) finds the journal and finishes the renames (``recover``). Temporary files
without a journal belong to an edit killed before it committed and are deleted.

``locked(folder, timeout)`` holds ``fcntl.flock`` on ``.actorgraph.lock`` in the data folder for the
whole read-modify-write, waiting at most ``timeout`` seconds for another writer.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import random
import tempfile
import time
from pathlib import Path

from graph.errors import ActorgraphError

LOCK_FILE = ".actorgraph.lock"
JOURNAL_FILE = ".actorgraph-journal.json"
TEMP_SUFFIX = ".actorgraph-tmp"


class LockTimeout(ActorgraphError):
    """Another process held the data folder's lock for longer than the wait allowed."""


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_path(folder: Path, name: str) -> Path:
    return folder / f".{name}{TEMP_SUFFIX}"


def _write_synced(path: Path, data: bytes, mode: int | None) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644 if mode is None else mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    if mode is not None:
        os.chmod(path, mode)  # O_CREAT's mode is filtered by the umask; keep the original's exactly


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _mode_of(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` atomically (temp file, fsync, rename, fsync the folder).

    The temporary file has a name of its own (two writers of one path never share it) and is removed
    when anything fails before the rename.
    """
    path = Path(path)
    if path.is_dir():
        raise ActorgraphError(f"{path} is a folder; give a file name")
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    os.close(fd)
    tmp = Path(name)
    try:
        # mkstemp makes the file 0600; a new file gets the mode any new file would get here.
        _write_synced(tmp, data, _mode_of(path) or _new_file_mode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write several files of ``folder``, each atomically, in the order given, as one journaled change."""
    folder = Path(folder)
    if not files:
        return
    if len(files) == 1:
        (name, data), = files.items()
        atomic_write(folder / name, data)
        return
    for name, data in files.items():
        _write_synced(_temp_path(folder, name), data, _mode_of(folder / name))
    atomic_write(folder / JOURNAL_FILE, json.dumps(list(files)).encode())
    _finish(folder, list(files))


def _finish(folder: Path, names: list[str]) -> None:
    for name in names:
        tmp = _temp_path(folder, name)
        if tmp.exists():
            os.replace(tmp, folder / name)
    _fsync_dir(folder)
    (folder / JOURNAL_FILE).unlink()
    _fsync_dir(folder)


def recover(folder: Path, names) -> list[str]:
    """Finish an interrupted multi-file write, delete stale temporary files; return the files finished.

    Call only while holding the lock.
    """
    folder = Path(folder)
    journal = folder / JOURNAL_FILE
    finished: list[str] = []
    if journal.exists():
        try:
            pending = json.loads(journal.read_text())
        except ValueError:  # killed while the journal itself was written: the change never committed
            pending = []
        if not isinstance(pending, list):
            pending = []
        pending = [n for n in pending if n in names]  # never trust a path from the file
        finished = [n for n in pending if _temp_path(folder, n).exists()]
        _finish(folder, pending)
    for name in [*names, JOURNAL_FILE]:
        stale = [_temp_path(folder, name), *folder.glob(f".{name}.*{TEMP_SUFFIX}")]
        for path in stale:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return finished


@contextlib.contextmanager
def locked(folder: Path, timeout: float = 10.0, shared: bool = False):
    """Hold the data folder's exclusive lock; raise LockTimeout after ``timeout`` seconds of waiting.

    ``shared``: a reader's lock (``actorgraph serve``): any number of readers at once, none while a
    writer holds the exclusive lock, so a reader never sees half of a multi-file edit.
    """
    path = Path(folder) / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                raise LockTimeout(f"data folder is locked by another actorgraph process ({holder}waited "
                                  f"{timeout:g} s for {path}); try again")
            time.sleep(random.uniform(0.002, 0.02))
        if not shared:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def _holder(fd: int) -> str:
    """"pid N, " from the lock file (written by the holder), or "" when unknown."""
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f"pid {pid}, " if pid.isdigit() else ""
