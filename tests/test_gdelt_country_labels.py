"""GDELT states are labelled from the shipped country table (graph/data_files/countries.tsv), not from
the name GDELT gives most often (which made BLR "Minsk", CZE "Prague", DNK "Dane", CUB "Cuban")."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from graph.countries import by_code, load_countries
from graph.interop.importers import read_gdelt

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
GDELT = SAMPLES / "gdelt_sample.tsv"


@pytest.fixture(scope="module")
def imported():
    return read_gdelt([GDELT])


def sample_bare_codes() -> dict[str, Counter]:
    """Bare country codes of the sample (Actor code == its CountryCode) and the names GDELT gives them."""
    names: dict[str, Counter] = {}
    with GDELT.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not (row[5].strip() and row[15].strip()):
                continue
            for code, name, country in ((row[5], row[6], row[7]), (row[15], row[16], row[17])):
                if code and code == country:
                    names.setdefault(code, Counter())[name] += 1
    return names


def test_the_issue_examples(imported):
    labels = dict(zip(imported.nodes["id"], imported.nodes["label"]))
    table = by_code()
    for code, name in (("BLR", "Belarus"), ("CZE", "Czechia"), ("DNK", "Denmark"), ("CUB", "Cuba")):
        assert table[code].name == name
        assert labels[code.lower()] == f"{name} ({code})"
    assert labels["czegov"] == "Czechia — government (CZEGOV)"
    assert labels["dnkmil"] == "Denmark — military (DNKMIL)"


def test_every_bare_code_in_the_table_takes_its_table_name(imported):
    labels = dict(zip(imported.nodes["id"], imported.nodes["label"]))
    table = by_code()
    seen = sample_bare_codes()
    in_table = [code for code in seen if code in table]
    assert len(in_table) >= 40  # the sample names many states
    for code in in_table:
        assert labels[code.lower()] == f"{table[code].name} ({code})"
    # the names GDELT gave most often were often a capital or a demonym, which the table corrects
    wrong = [c for c in in_table if seen[c].most_common(1)[0][0].title() != table[c].name]
    assert {"BLR", "CZE", "DNK", "CUB"} <= set(wrong)


def test_codes_the_table_lacks_keep_the_gdelt_name(imported):
    labels = dict(zip(imported.nodes["id"], imported.nodes["label"]))
    table = by_code()
    seen = sample_bare_codes()
    missing = [code for code in seen if code not in table]
    assert missing  # regional codes such as AFR, EUR
    for code in missing:
        counts = seen[code]
        best = max(counts.values())
        name = min(n for n, k in counts.items() if k == best and n)
        assert labels[code.lower()] == f"{name.title() if name.isupper() else name} ({code})"


def test_text_extraction_still_reads_the_same_table():
    from graph.text import countries as text_countries

    assert text_countries.load_countries() is load_countries()
    assert text_countries.by_code()["BLR"].capitals == ("Minsk",)
