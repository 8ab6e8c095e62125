"""A compact set of event ids, for deduplicating imports that do not fit in memory (``EventIds``).

Ids of the form ``prefix:digits`` (``gdelt:410412386``, ``icews:24560873``, GDELT's bare GLOBALEVENTID)
are kept exactly as 64-bit integers per prefix, in a few sorted numpy arrays merged like a log-structured
tree (8 bytes an id: 100 million ids take 0.8 GB); any other id is kept as a string in a Python set.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# No leading zero, at most 18 digits: the integer gives back exactly one text.
_NUMBERED = re.compile(r"^(?P<prefix>(?:[^:]*:)?)(?P<number>0|[1-9]\d{0,17})$")


class EventIds:
    """Event ids seen so far; ``add_new`` adds a batch and says which of its ids were new."""

    def __init__(self, ids=()):
        self._levels: dict[str, list[np.ndarray]] = {}
        self._other: set[str] = set()
        self.count = 0
        if len(ids):
            self.add_new(np.asarray(ids, dtype=object))

    def _split(self, ids: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
        parts = pd.Series(ids, dtype=object).astype(str).str.extract(_NUMBERED)
        numbered = parts["number"].notna().to_numpy()
        return parts[numbered], numbered

    def _contains(self, prefix: str, numbers: np.ndarray) -> np.ndarray:
        found = np.zeros(len(numbers), dtype=bool)
        for level in self._levels.get(prefix, ()):
            at = np.searchsorted(level, numbers)
            found |= (at < len(level)) & (level[np.minimum(at, len(level) - 1)] == numbers)
        return found

    def _insert(self, prefix: str, numbers: np.ndarray) -> None:
        if not len(numbers):
            return
        levels = self._levels.setdefault(prefix, [])
        levels.append(np.unique(numbers))
        while len(levels) > 1 and len(levels[-1]) * 2 >= len(levels[-2]):
            top = levels.pop()
            levels[-1] = np.union1d(levels[-1], top)

    def add_new(self, ids: np.ndarray) -> np.ndarray:
        """Add ``ids``; True for each one not seen before (an id repeated inside the batch is new only
        the first time). Empty ids are never duplicates and are not kept."""
        ids = np.asarray(ids, dtype=object)
        new = np.ones(len(ids), dtype=bool)
        if not len(ids):
            return new
        parts, numbered = self._split(ids)
        positions = np.flatnonzero(numbered)
        prefixes = parts["prefix"].to_numpy(dtype=object)
        numbers = parts["number"].astype(np.int64).to_numpy() if len(parts) else np.array([], dtype=np.int64)
        for prefix in pd.unique(prefixes):
            mine = prefixes == prefix
            nums, pos = numbers[mine], positions[mine]
            seen = self._contains(prefix, nums)
            first = ~pd.Series(nums).duplicated().to_numpy()
            new[pos] = ~seen & first
            self._insert(prefix, nums[~seen & first])
        for i in np.flatnonzero(~numbered):
            value = str(ids[i])
            if value == "":
                continue  # no id: never a duplicate
            new[i] = value not in self._other
            self._other.add(value)
        self.count += int(new.sum())
        return new

    def __len__(self) -> int:
        return self.count
