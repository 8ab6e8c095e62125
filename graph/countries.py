"""The shipped country table (``graph/data_files/countries.tsv``): ISO 3166-1 alpha-3 code, name, other
names, demonyms and capitals, one state per line.

Cross-cutting, so that every layer may read it: text extraction finds states in articles with it, and
the GDELT importer labels a bare country code (``BLR``) with its name (Belarus).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Country:
    """One state of the table; ``aliases``, ``demonyms`` and ``capitals`` are tuples of names."""

    code: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every string that names the state itself: name, other names, demonyms, capitals."""
        return (self.name, *self.aliases, *self.demonyms, *self.capitals)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def parse_countries(text: str) -> list[Country]:
    """Parse the tab-separated table (``#`` lines are comments; the first other line is the header)."""
    rows = [line.rstrip("\r\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header, body = rows[0].split("\t"), rows[1:]
    out = []
    for line in body:
        cells = dict(zip(header, line.split("\t")))
        out.append(Country(code=cells["code"].strip(), name=cells["name"].strip(),
                           aliases=_split(cells.get("aliases", "")), demonyms=_split(cells.get("demonyms", "")),
                           capitals=_split(cells.get("capitals", ""))))
    return out


@functools.lru_cache(maxsize=1)
def load_countries() -> tuple[Country, ...]:
    """The bundled table (``graph/data_files/countries.tsv``), read once."""
    text = resources.files("graph").joinpath("data_files/countries.tsv").read_text(encoding="utf-8")
    return tuple(parse_countries(text))


def by_code() -> dict[str, Country]:
    """The bundled table keyed by alpha-3 code."""
    return {c.code: c for c in load_countries()}
