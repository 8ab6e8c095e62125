"""The shipped country table: ISO 3166-1 alpha-3 code, name, other names, demonyms and capitals."""

from __future__ import annotations

# The table moved down to graph/countries.py (the GDELT importer labels states with it too).
from graph.countries import Country, _split, by_code, load_countries, parse_countries  # noqa: F401
