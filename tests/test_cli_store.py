"""Commands on an event store (DuckDB by default) and the --engine options; validate on a store."""

from __future__ import annotations

import tempfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graph.errors import DataError
from graph.store.dataset import load_dataset
from graph.view.engines.duckdb_validate import validate_store
from tests.stores import random_rows, write_csv, write_store


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli-store")
    ordered = write_store(base / "store", random_rows(150, seed=11))
    write_csv(base / "csv", ordered)
    return base / "store", base / "csv"


def out(result):
    assert result.exit_code == 0, result.output
    return result.output


REPORTS = [
    ("centrality", "--metric", "all", "--format", "csv"),
    ("centrality", "--level", "state", "--half-life", "60", "--format", "json"),
    ("clusters", "--format", "json"),
    ("clusters", "--since", "2023", "--kinds", "state,official"),
    ("clusters", "--level", "state", "--every", "year", "--format", "csv"),
    ("clusters", "--every", "year", "--window", "2", "--dated-only"),
    ("timeline", "--format", "csv"),
    ("timeline", "--pair", "rus", "aze", "--freq", "week", "--since", "2024"),
    ("show", "putin", "--format", "table"),
    ("show", "aze", "--level", "state", "--until", "2024-06"),
    ("path", "putin", "erdogan", "--format", "json"),
    ("path", "tass", "ngo", "--types", "arrest,support,meeting"),
]


def same_report(a: str, b: str, fmt_json: bool) -> None:
    """Reports equal; JSON numbers up to float summation order (1e-9 relative), other formats exactly."""
    if not fmt_json:
        assert a == b
        return
    import json

    def close(x, y):
        if isinstance(x, float) or isinstance(y, float):
            assert x == pytest.approx(y, rel=1e-9, abs=1e-12)
        elif isinstance(x, dict):
            assert list(x) == list(y)
            for k in x:
                close(x[k], y[k])
        elif isinstance(x, list):
            assert len(x) == len(y)
            for u, v in zip(x, y):
                close(u, v)
        else:
            assert x == y

    close(json.loads(a), json.loads(b))


@pytest.mark.parametrize("args", REPORTS, ids=[" ".join(a[:3]) for a in REPORTS])
def test_reports_on_a_store_equal_the_csv_folder(run, folders, args):
    store, csv = folders
    expected = out(run(*args, "--data", csv))
    fmt_json = "json" in args
    same_report(out(run(*args, "--data", store)), expected, fmt_json)  # duckdb, the default for a store
    same_report(out(run(*args, "--data", csv, "--engine", "duckdb", "--memory-limit", "500MB")), expected, fmt_json)


def test_store_reports_equal_the_pandas_engine_on_the_store(run, folders):
    """--engine pandas reads the store into memory: the same reports, the same ``line`` (a store
    event's row in its Parquet file)."""
    store, _ = folders
    for args in (("show", "putin", "--format", "json"), ("path", "putin", "erdogan", "--format", "json"),
                 ("clusters", "--format", "csv"), ("validate", "--format", "json")):
        same_report(out(run(*args, "--data", store)), out(run(*args, "--data", store, "--engine", "pandas")),
                    "json" in args)


def test_valid_store_summary_equals_the_csv_summary(run, folders):
    store, csv = folders
    for fmt in ("json", "text"):
        a = out(run("validate", "--data", store, "--format", fmt))
        b = out(run("validate", "--data", csv, "--format", fmt))
        assert a.replace(str(store), "DATA") == b.replace(str(csv), "DATA")
    assert "valid" in out(run("validate", "--data", csv, "--engine", "duckdb"))


def test_engine_refusals(run, folders):
    store, csv = folders
    r = run("clusters", "--data", store, "--confidence")
    assert r.exit_code == 1 and "--confidence resamples the events" in r.output and "Traceback" not in r.output
    r = run("centrality", "--data", csv, "--engine", "spark")
    assert r.exit_code == 1 and "--engine spark reads an event store" in r.output
    r = run("centrality", "--data", store, "--memory-limit", "lots")
    assert r.exit_code == 1 and "--memory-limit 'lots'" in r.output
    r = run("centrality", "--data", store, "--engine", "sqlite")
    assert r.exit_code == 2 and "sqlite" in r.output


def test_engine_is_closed_when_the_command_ends(run, folders, tmp_path, monkeypatch):
    store, _ = folders
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out(run("centrality", "--data", store))
    run("show", "nobody", "--data", store)  # an error ends the command too
    assert not list(tmp_path.glob("actorgraph-duckdb-*"))


def test_help_documents_engines_and_store_rows(run):
    text = out(run("validate", "--help"))
    assert "1-based row within that file" in text and "--memory-limit" in text
    assert "$SPARK_MASTER" in out(run("centrality", "--help"))


# --- validate on a broken store: each rule, the file and row, the CSV path's message ---

GOOD = {"source": "rus", "target": "aze", "type": "arrest", "date": "2024-05-02", "weight": "", "note": "",
        "citation": ""}
BROKEN = [
    dict(GOOD),                                                  # row 1: fine
    dict(GOOD, source=""),                                       # 2: missing source
    dict(GOOD, target="azr"),                                    # 3: unknown target, did you mean aze
    dict(GOOD, type="arest"),                                    # 4: unknown type, did you mean arrest
    dict(GOOD, date="2024-05-32"),                               # 5: bad date
    dict(GOOD, weight="heavy"),                                  # 6: not a number
    dict(GOOD, weight="12"),                                     # 7: outside -10..10
    dict(GOOD, weight="3"),                                      # 8: hostile with a positive weight
    dict(GOOD, type="support", weight="-1"),                     # 9: cooperative with a negative weight
    dict(GOOD, source=" putin ", weight=" -4 "),                 # 10: fine (padding is stripped)
    dict(GOOD, weight="1_0"),                                    # 11: not a number (as pandas reads it)
    dict(GOOD, type=""),                                         # 12: missing type
]
CSV_MESSAGES = {
    2: "missing value for required column 'source'",
    3: "unknown target node 'azr' (did you mean 'aze'?)",
    4: "unknown type 'arest' (did you mean 'arrest'?); add it to edge_types.csv or use a known type",
    5: "bad date '2024-05-32'; use YYYY-MM-DD, YYYY-MM or YYYY with a real month and day",
    6: "weight 'heavy' is not a number; use a number from -10 to 10",
    7: "weight 12 is outside -10..10",
    8: "weight 3 contradicts polarity 'hostile'; a hostile weight must be zero or negative",
    9: "weight -1 contradicts polarity 'cooperative'; a cooperative weight must be zero or positive",
    11: "weight '1_0' is not a number; use a number from -10 to 10",
    12: "missing value for required column 'type'",
}


def broken_store(tmp_path):
    write_store(tmp_path / "store", BROKEN, files_per_partition=1, where=lambda row: (2024, 5))
    return tmp_path / "store", tmp_path / "store/events/year=2024/month=05/part-0.parquet"


def test_each_rule_fires_with_file_and_row(tmp_path):
    store, part = broken_store(tmp_path)
    with pytest.raises(DataError) as caught:
        validate_store(store)
    got = [(p.file, p.line, p.message) for p in caught.value.problems]
    assert got == [(str(part), row, text) for row, text in sorted(CSV_MESSAGES.items())]


def test_messages_are_the_csv_paths(tmp_path):
    """The same rows in edges.csv give the same messages, one line further down (the header)."""
    write_csv(tmp_path / "csv", BROKEN)
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path / "csv")
    from_csv = {(p.line - 1, p.message) for p in caught.value.problems}
    assert from_csv == set(CSV_MESSAGES.items())


def files_and_partitions_store(tmp_path):
    """Rows outside their partition, files that are not text, lack columns or are no Parquet at all,
    and a duplicate actor: ``(store, folder of the bad files)``."""
    rows = [dict(GOOD), dict(GOOD, date="2024-06-01"), dict(GOOD, date="2024"), dict(GOOD, date="")]
    store = tmp_path / "store"
    write_store(store, rows, files_per_partition=1, where=lambda row: (2024, 5))
    folder = store / "events" / "year=2025" / "month=01"
    folder.mkdir(parents=True)
    pq.write_table(pa.table({"source": ["rus"], "target": ["aze"], "weight": pa.array([1.5])}), folder / "a.parquet")
    pq.write_table(pa.table({"source": ["rus"], "target": ["aze"], "typ": ["arrest"], "line": ["1"]}),
                   folder / "b.parquet")
    (folder / "c.parquet").write_bytes(b"not parquet at all")
    (store / "nodes.csv").write_text((store / "nodes.csv").read_text() + "rus,Russia again,state,\n")
    return store, folder


def test_store_rules_files_and_partitions(tmp_path):
    store, folder = files_and_partitions_store(tmp_path)
    with pytest.raises(DataError) as caught:
        validate_store(store)
    text = [str(p) for p in caught.value.problems]
    part = store / "events/year=2024/month=05/part-0.parquet"
    assert text == [
        f"{part}:2: date '2024-06-01' belongs under events/year=2024/month=06/, not under year=2024/month=05; "
        "partition pruning would skip it (rewrite the store with actorgraph convert)",
        f"{part}:3: date '2024' belongs under events/year=2024/month=0/, not under year=2024/month=05; "
        "partition pruning would skip it (rewrite the store with actorgraph convert)",
        f"{part}:4: date '' belongs under events/year=0/month=0/, not under year=2024/month=05; "
        "partition pruning would skip it (rewrite the store with actorgraph convert)",
        f"{folder}/a.parquet: column 'weight' holds double, not text; an event store keeps every column as "
        "strings (empty cells as \"\")",
        f"{folder}/a.parquet: missing required column 'type'; the header needs source, target, type",
        f"{folder}/b.parquet: column name 'line' is reserved for a computed value; rename that column",
        f"{folder}/b.parquet: missing required column 'type' (did you mean 'typ'?); the header needs source, "
        "target, type",
        f"{folder}/c.parquet: not a readable Parquet file (" + text[7].split("(", 1)[1],
        f"{store}/nodes.csv:14: duplicate id 'rus' (first defined on line 2); use a different id",
    ]


def test_listing_is_capped_per_rule(tmp_path):
    rows = [dict(GOOD, date=f"2024-05-{40 + i}") for i in range(5)] + [dict(GOOD, source="")]
    write_store(tmp_path / "store", rows, files_per_partition=1, where=lambda row: (2024, 5))
    with pytest.raises(DataError) as caught:
        validate_store(tmp_path / "store", listed=2)
    lines = [str(p) for p in caught.value.problems]
    assert lines[0] == f"{tmp_path / 'store/events'}: 3 more rows like the 2 listed: bad date"
    assert [line.split(": ", 1)[1] for line in lines[1:]] == [
        "bad date '2024-05-40'; use YYYY-MM-DD, YYYY-MM or YYYY with a real month and day",
        "bad date '2024-05-41'; use YYYY-MM-DD, YYYY-MM or YYYY with a real month and day",
        "missing value for required column 'source'"]


def test_cli_validate_reports_file_rows(run, tmp_path):
    store, part = broken_store(tmp_path)
    r = run("validate", "--data", store)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"{part}:3: unknown target node 'azr' (did you mean 'aze'?)" in r.output
    assert "10 problems in the data; nothing was written" in r.output


TRICKY_WEIGHTS = ["1e1", "1_0", "0x10", "+.5", "Infinity", "1.", "-nan", "１", "١", "5e", "1,0", "inf", "-Inf",
                  "NaN", " -2 ", "1e400", "-0", "-1e-3", "\u00a0-3\u2003", "- 1", "1e+01", ".", "e1"]
TRICKY_DATES = ["2024-02-29", "2023-02-29", "0000-02-29", "2024-13", "2024-1", "20240", "２０２４", "2024-00",
                "2024-06-31", " 2024-06 ", "2024-06-01T00:00", "2024/06/01", "\u20032025\u2003", "0999"]


def test_tricky_cells_break_the_same_rules_as_in_memory(tmp_path):
    """Numbers and dates as the pandas path reads them: the same problems as ``load_store_dataset``."""
    from graph.store.event_store import load_store_dataset

    rows = [dict(GOOD, weight=w) for w in TRICKY_WEIGHTS] + [dict(GOOD, date=d) for d in TRICKY_DATES]
    write_store(tmp_path / "store", rows, files_per_partition=1, where=lambda row: (2024, 5))
    results = []
    for check in (validate_store, load_store_dataset):
        with pytest.raises(DataError) as caught:
            check(tmp_path / "store")
        results.append([str(p) for p in caught.value.problems if "belongs under" not in p.message])
    assert results[0] == results[1]
    assert len(results[0]) > 15


def test_broken_store_same_problems_as_in_memory(tmp_path):
    from graph.store.event_store import load_store_dataset

    store, _ = broken_store(tmp_path)
    found = []
    for check in (validate_store, load_store_dataset):
        with pytest.raises(DataError) as caught:
            check(store)
        found.append([str(p) for p in caught.value.problems])
    assert found[0] == found[1]
