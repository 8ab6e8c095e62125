"""``validate --engine spark`` prints exactly what ``validate --engine duckdb`` prints: the same lines in
the same order, on stores breaking every rule the DuckDB checker's tests use, on a store of several
files of many row groups each (read by Spark in pieces smaller than a file, so a row's number must
come from its own file), on a store whose events.url names its events, and on a clean store.

The Spark session is real (``local[2]``, shared through the ``spark`` fixture of conftest.py).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graph.errors import DataError
from graph.view.engines import duckdb_validate, spark_validate
from tests.stores import random_rows, write_store
from tests.test_cli_store import GOOD, TRICKY_DATES, TRICKY_WEIGHTS, broken_store, files_and_partitions_store

SPARK = ("--engine", "spark", "--spark-master", "local[2]")


def both(run, store, *args):
    """``validate`` on ``store`` with DuckDB and with Spark: ``(duckdb result, spark result)``."""
    duck = run("validate", "--data", store, "--engine", "duckdb", *args)
    return duck, run("validate", "--data", store, *SPARK, *args)


def assert_same_report(run, store) -> list[str]:
    """Both engines fail with the same lines; returns them."""
    duck, spark = both(run, store)
    assert duck.exit_code == 1 and "Traceback" not in duck.output, duck.output
    assert spark.exit_code == 1, spark.output
    assert spark.output.splitlines() == duck.output.splitlines()
    return spark.output.splitlines()


def test_each_rule_and_the_csv_messages(run, tmp_path, spark):
    store, part = broken_store(tmp_path)
    lines = assert_same_report(run, store)
    assert f"{part}:3: unknown target node 'azr' (did you mean 'aze'?)" in lines
    assert sum(line.startswith(f"{part}:") for line in lines) == 10


def test_file_and_partition_rules(run, tmp_path, spark):
    store, folder = files_and_partitions_store(tmp_path)
    lines = assert_same_report(run, store)
    assert any(line.startswith(f"{folder}/c.parquet: not a readable Parquet file") for line in lines)
    assert sum("belongs under" in line for line in lines) == 3


def test_tricky_numbers_and_dates(run, tmp_path, spark):
    rows = [dict(GOOD, weight=w) for w in TRICKY_WEIGHTS] + [dict(GOOD, date=d) for d in TRICKY_DATES]
    write_store(tmp_path / "store", rows, files_per_partition=1, where=lambda row: (2024, 5))
    lines = assert_same_report(run, tmp_path / "store")
    assert len(lines) > 15


def test_columns_missing_or_of_nulls(run, tmp_path, spark):
    """Files without the optional columns, or holding one as a column of nulls, read as empty cells."""
    store = tmp_path / "store"
    write_store(store, [dict(GOOD, weight="11")], files_per_partition=1, where=lambda row: (2024, 5))
    folder = store / "events" / "year=2024" / "month=05"
    pq.write_table(pa.table({"source": ["rus", ""], "target": ["aze", "azr"], "type": ["arrest", "arrest"]}),
                   folder / "part-1.parquet")
    pq.write_table(pa.table({"source": ["rus", "rus"], "target": ["aze", "aze"], "type": ["arest", "arrest"],
                             "date": ["2024-05-01", "2024-05-40"], "weight": pa.nulls(2)}), folder / "part-2.parquet")
    lines = assert_same_report(run, store)
    rows = {line.split(": ", 1)[0].rsplit("/", 1)[1] for line in lines if ".parquet:" in line}
    assert rows == {"part-0.parquet:1", "part-1.parquet:1", "part-1.parquet:2", "part-2.parquet:1",
                    "part-2.parquet:2"}


# --- several files, many row groups each, more bad rows than the listing shows ---

FILES = {("2023", "01", "part-0"): 1300, ("2023", "01", "part-1"): 900, ("2023", "02", "part-0"): 1300}


def big_row(i: int, month: str) -> dict:
    """Row ``i`` (0-based) of a file of month ``month``: a bad date every third row, an unknown source
    every 50th, a weight outside -10..10 every 97th."""
    row = dict(GOOD, date=f"2023-{month}-{1 + i % 28:02d}")
    if i % 3 == 1:
        row["date"] = "2023-02-30"
    if i % 50 == 7:
        row["source"] = "rusx"
    if i % 97 == 5:
        row["weight"] = "-11"
    return row


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("big") / "store"
    write_store(store, [], files_per_partition=1)
    for (year, month, name), n in FILES.items():
        folder = store / "events" / f"year={year}" / f"month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        rows = [big_row(i, month) for i in range(n)]
        pq.write_table(pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in GOOD}),
                       folder / f"{name}.parquet", row_group_size=128)
    return store


def test_rows_are_numbered_within_their_file(run, big_store, spark):
    """The listing caps each rule at 1000 rows and counts the rest; row numbers are per file, as
    written, even when Spark reads a file in several pieces."""
    files = sorted((big_store / "events").rglob("*.parquet"))
    assert all(pq.ParquetFile(f).metadata.num_row_groups >= 8 for f in files)
    conf = spark.conf
    conf.set("spark.sql.files.maxPartitionBytes", str(min(f.stat().st_size for f in files) // 4))
    try:
        lines = assert_same_report(run, big_store)
    finally:
        conf.unset("spark.sql.files.maxPartitionBytes")
    bad_dates = [f"{f}:{i + 1}: bad date '2023-02-30'; use YYYY-MM-DD, YYYY-MM or YYYY with a real month and day"
                 for f, n in zip(files, FILES.values()) for i in range(n) if i % 3 == 1]
    unknown = [f"{f}:{i + 1}: unknown source node 'rusx' (did you mean 'rus'?)"
               for f, n in zip(files, FILES.values()) for i in range(n) if i % 50 == 7]
    outside = [f"{f}:{i + 1}: weight -11 is outside -10..10"
               for f, n in zip(files, FILES.values()) for i in range(n) if i % 97 == 5]
    assert len(bad_dates) > 1000 and len(unknown) < 1000
    listed = [line for line in lines if ".parquet:" in line]
    assert sorted(listed) == sorted(bad_dates[:1000] + unknown + outside)
    assert f"{big_store / 'events'}: {len(bad_dates) - 1000} more rows like the 1000 listed: bad date" in lines


def test_listing_cap_is_the_duckdb_one(big_store, spark):
    """A smaller cap picks the same first rows of each rule (the files holding them are read again)."""
    found = []
    for check in (duckdb_validate.validate_store, spark_validate.validate_store):
        with pytest.raises(DataError) as caught:
            check(big_store, listed=5)
        found.append([str(p) for p in caught.value.problems])
    assert found[0] == found[1]
    assert len(found[1]) == 3 * 6


# --- valid stores, events named by events.url ---

def test_clean_store_summary(run, tmp_path, spark):
    write_store(tmp_path / "store", random_rows(150, seed=11))
    for fmt in ("text", "json"):
        duck, spark_ = both(run, tmp_path / "store", "--format", fmt)
        assert duck.exit_code == 0 and spark_.exit_code == 0, spark_.output
        assert spark_.output == duck.output
    assert '"events": 150' in spark_.output
    empty = tmp_path / "empty"
    write_store(empty, [])
    duck, spark_ = both(run, empty)
    assert spark_.exit_code == 0 and spark_.output == duck.output and "events: 0" in spark_.output


def test_first_and_last_dates_break_ties_by_file_then_row(run, tmp_path, spark):
    """Dates whose spans start (end) on the same day: the first of them in the store's order is shown.
    By hand: 2024-01 and 2024-01-01 both start on 1 January 2024, 2024-01 comes first in its file;
    2025, 2025-12 and 2025-12-31 all end on 31 December 2025, and year=2025/month=0 sorts first."""
    dates = {(2024, 1): ["2024-01-05", "2024-01", "2024-01-01"], (2025, 12): ["2025-12", "2025-12-31"],
             (2025, 0): ["2025"], (0, 0): [""]}
    rows = [dict(GOOD, date=d) for ds in dates.values() for d in ds]
    write_store(tmp_path / "store", rows, files_per_partition=1)
    duck, spark_ = both(run, tmp_path / "store", "--format", "json")
    assert spark_.exit_code == 0 and spark_.output == duck.output
    assert '"first_date": "2024-01"' in spark_.output and '"last_date": "2025"' in spark_.output


def test_events_named_by_url(run, tmp_path, spark):
    store, _ = broken_store(tmp_path)
    remote = tmp_path / "remote"
    remote.mkdir()
    for name in ("nodes.csv", "edge_types.csv"):
        (remote / name).write_bytes((store / name).read_bytes())
    (remote / "events.url").write_text((store / "events").as_uri() + "\n")
    duck = run("validate", "--data", store, "--engine", "duckdb")
    by_url = run("validate", "--data", remote)  # Spark is the default engine of such a store
    assert by_url.exit_code == 1 and by_url.output == duck.output
    (remote / "events.url").write_text("s3a://bucket/crisis/events\n")
    far = run("validate", "--data", remote, *SPARK)
    assert far.exit_code == 1 and "validate a local copy" in far.output and "Traceback" not in far.output
    refused = run("validate", "--data", remote, "--engine", "duckdb")
    assert refused.exit_code == 1 and "use --engine spark" in refused.output


def test_help_names_spark(run):
    text = run("validate", "--help").output
    assert "--engine spark" in text and "--spark-master" in text

