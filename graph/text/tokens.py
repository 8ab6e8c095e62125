"""Word tokens with character offsets, and a longest-match dictionary of token phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

# A word (with inner dots as in "U.S." and apostrophes as in "d'Ivoire"), a possessive "'s" on its
# own, or one punctuation mark. A hyphen is a token of its own, so that "US-Azerbaijan relations" and
# "Kremlin-funded" show their names; dictionary phrases are split the same way ("Nagorno - Karabakh").
_TOKEN = re.compile(r"\w+(?:(?:[.]|['’](?![sS]\b))\w+)*\.?(?<=\w\.\w\.)|\w+(?:(?:[.]|['’](?![sS]\b))\w+)*|['’][sS]\b|[^\w\s]")


class Token:
    """One token: its text, lower-cased key (curly apostrophes made straight) and offsets."""

    __slots__ = ("text", "key", "start", "end")

    def __init__(self, text: str, key: str, start: int, end: int):
        self.text, self.key, self.start, self.end = text, key, start, end

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def normal(text: str) -> str:
    """The matching key of a word: lower case, straight apostrophes."""
    return text.lower().replace("’", "'")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]``, offsets relative to ``text``."""
    out = []
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        word = m.group()
        out.append(Token(word, word.lower().replace("’", "'"), m.start(), m.end()))
    return out


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The token keys of a dictionary phrase (tokenised the same way as article text)."""
    return tuple(t.key for t in tokenize(phrase))


V = TypeVar("V")


@dataclass
class Match(Generic[V]):
    """A dictionary phrase found at tokens ``[first, last)``."""

    first: int
    last: int
    value: V


class PhraseIndex(Generic[V]):
    """Phrases (token-key tuples) to values; finds the longest non-overlapping matches left to right."""

    def __init__(self):
        self._entries: dict[tuple[str, ...], V] = {}
        self._firsts: dict[str, int] = {}  # first key -> longest phrase length starting with it

    def add(self, key: tuple[str, ...], value: V, replace: bool = False) -> None:
        """Add a phrase; an existing phrase keeps its value unless ``replace``."""
        if not key or (key in self._entries and not replace):
            return
        self._entries[key] = value
        self._firsts[key[0]] = max(self._firsts.get(key[0], 0), len(key))

    def get(self, key: tuple[str, ...]) -> V | None:
        return self._entries.get(key)

    def __contains__(self, key) -> bool:
        return key in self._entries

    def find(self, tokens: list[Token], accept=None) -> list[Match[V]]:
        """Longest matches, left to right, never overlapping; ``accept(first, last, value)`` may veto one."""
        keys = [t.key for t in tokens]
        firsts, entries = self._firsts, self._entries
        out = []
        i, n = 0, len(keys)
        while i < n:
            longest = firsts.get(keys[i], 0)
            step = 1
            for length in range(min(longest, n - i), 0, -1):
                value = entries.get(tuple(keys[i:i + length]))
                if value is not None and (accept is None or accept(i, i + length, value)):
                    out.append(Match(i, i + length, value))
                    step = length
                    break
            i += step
        return out
