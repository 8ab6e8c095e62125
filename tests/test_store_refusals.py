"""Editing commands refuse an event store with one line naming the folder and what to do."""

from __future__ import annotations

import pytest

from graph.store.convert import convert
from tests.conftest import BUNDLED


@pytest.fixture
def store(tmp_path):
    convert(BUNDLED, tmp_path / "s", to="parquet")
    return tmp_path / "s"


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


EDITS = [
    ["node", "add", "lavrov", "--label", "Lavrov", "--kind", "official"],
    ["node", "set", "russia", "--label", "RF"],
    ["node", "rename", "russia", "rf"],
    ["node", "rm", "peskov", "--cascade"],
    ["edge", "add", "russia", "azerbaijan", "accusation", "--date", "2025-07"],
    ["edge", "rm", "russia", "azerbaijan", "accusation", "--all"],
    ["type", "add", "hug", "--polarity", "cooperative", "--weight", "2", "--directed", "false"],
    ["type", "set", "arrest", "--weight", "-6"],
    ["type", "rm", "arrest", "--dry-run"],
]


@pytest.mark.parametrize("args", EDITS, ids=[" ".join(a[:2]) for a in EDITS])
def test_edits_refuse_a_store(store, run, args):
    before = snapshot(store)
    result = run(*args, "--data", store)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {store} is an event store (its events are Parquet files) and cannot be edited in place; "
        f"convert it (actorgraph convert --data {store} --to csv --out NEWDIR), edit that folder, and "
        "convert it back\n")
    assert snapshot(store) == before


def test_extract_apply_refuses_a_store(store, run, tmp_path):
    sheet = tmp_path / "review.csv"
    sheet.write_text("accept,source,target,type,date\nyes,russia,azerbaijan,accusation,2025-07\n", encoding="utf-8")
    before = snapshot(store)
    result = run("extract", "apply", sheet, "--data", store)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {store} is an event store") and result.stderr.count("\n") == 1
    assert snapshot(store) == before
