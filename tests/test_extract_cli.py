"""``actorgraph extract``, ``extract apply`` and ``init`` end to end: the review loop and bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from graph.store.dataset import load_dataset
from graph.text.vocabulary import bundled_vocabulary
from tests.conftest import BUNDLED, FIXTURES

THAI = FIXTURES / "text" / "thai-cambodia"
NEWCOMERS = ("BANGKOK, July 28, 2025 — Laotian Foreign Minister Thongsavanh Phomvihane met Thai officials on "
             "Monday. Phomvihane later condemned Cambodia.\n")


@pytest.fixture
def thai_data(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("nodes.csv", "edges.csv"):
        shutil.copy(THAI / name, folder / name)
    (folder / "edge_types.csv").write_bytes(bundled_vocabulary())
    return folder


def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_init_creates_an_empty_valid_folder_with_the_vocabulary(run, tmp_path):
    result = run("init", tmp_path / "crisis")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "crisis" / "nodes.csv").read_text() == "id,label,kind,affiliation,aliases,description\n"
    assert (tmp_path / "crisis" / "edges.csv").read_text() == "source,target,type,date,weight,note,citation\n"
    ds = load_dataset(tmp_path / "crisis")
    assert {"ceasefire", "apology", "border_closure", "threat", "summons"} <= set(ds.types.index)
    again = run("init", tmp_path / "crisis")
    assert again.exit_code != 0 and "already holds" in again.output


def test_json_has_candidates_with_spans_and_new_actors(run, thai_data):
    result = run("extract", THAI / "article.txt", "--data", thai_data, "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"candidates", "new_actors"}
    text = (THAI / "article.txt").read_text(encoding="utf-8")
    for c in out["candidates"]:
        assert text[c["start"]:c["end"]] == c["sentence"]
        assert text[slice(*c["source_span"])] == c["source_text"]
        assert text[slice(*c["target_span"])] == c["target_text"]
        assert text[slice(*c["trigger_span"])] == c["trigger"]
        assert c["rule"] and isinstance(c["flags"], list) and 0 < c["score"] <= 1
    accusation = [c for c in out["candidates"] if c["type"] == "accusation"]
    assert [(c["source"], c["target"], c["date"]) for c in accusation] == [("cambodia", "thailand", "2025-07-25")]
    recall = [c for c in out["candidates"] if c["type"] == "recall_of_ambassador"]
    assert recall and recall[0]["date"] == "2025-07-23" and recall[0]["date_text"] == "On Wednesday"

    new = json.loads(run("extract", "-", "--data", thai_data, "--format", "json", input=NEWCOMERS).output)
    actors = {a["id"]: a for a in new["new_actors"]}
    assert actors["thongsavanh_phomvihane"] == {"id": "thongsavanh_phomvihane", "label": "Thongsavanh Phomvihane",
                                                "kind": "official", "affiliation": "laos", "aliases": ["Phomvihane"],
                                                "mentions": 2}
    assert actors["laos"]["kind"] == "state"
    pairs = {(c["source"], c["target"], c["type"], c["date"]) for c in new["candidates"]}
    assert pairs == {("thongsavanh_phomvihane", "thailand", "meeting", "2025-07-28"),
                     ("thongsavanh_phomvihane", "cambodia", "condemnation", "2025-07-28")}


def test_review_loop_article_to_map(run, thai_data, tmp_path):
    sheet = tmp_path / "review.csv"
    result = run("extract", THAI / "article.txt", "--data", thai_data, "-o", sheet)
    assert result.exit_code == 0, result.output
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # opens in a spreadsheet with its accents
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and all(r["accept"] == "" for r in rows)
    # the analyst accepts the accusation and the recall, and saves with a spreadsheet (semicolons)
    chosen = [r for r in rows if r["type"] in ("accusation", "recall_of_ambassador")]
    for r in chosen:
        r["accept"] = "yes"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    edges_before = (thai_data / "edges.csv").read_bytes()

    result = run("extract", "apply", sheet, "--data", thai_data)
    assert result.exit_code == 0, result.output
    assert (thai_data / "edges.csv").read_bytes().startswith(edges_before)  # untouched bytes kept
    ds = load_dataset(thai_data)
    added = set(zip(ds.edges["source"], ds.edges["target"], ds.edges["type"]))
    assert ("cambodia", "thailand", "accusation") in added
    assert ("thailand", "cambodia", "recall_of_ambassador") in added
    assert len(ds.edges) == len(chosen)
    assert run("validate", "--data", thai_data).exit_code == 0

    clusters = run("clusters", "--data", thai_data, "--format", "json")
    assert clusters.exit_code == 0, clusters.output
    members = {m for c in json.loads(clusters.output)["clusters"] for m in c["members"]}
    assert {"thailand", "cambodia"} <= members
    page = tmp_path / "map.html"
    html = run("html", "--data", thai_data, "-o", page)
    assert html.exit_code == 0, html.output
    assert "recall_of_ambassador" in page.read_text(encoding="utf-8")

    # applying the same sheet again: the rows are now duplicates of the data -> flagged on extraction
    again = run("extract", THAI / "article.txt", "--data", thai_data, "--format", "json")
    flagged = [c for c in json.loads(again.output)["candidates"] if c["type"] == "accusation"]
    assert "duplicate" in flagged[0]["flags"]


def test_apply_all_skips_duplicates_and_adds_new_actors(run, thai_data, tmp_path):
    sheet = tmp_path / "review.csv"
    article = tmp_path / "a.txt"
    article.write_text((THAI / "article.txt").read_text(encoding="utf-8") + "\n" + NEWCOMERS, encoding="utf-8")
    run("extract", article, "--data", thai_data, "-o", sheet)
    rows = list(csv.DictReader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"))))
    rows[0]["flags"] = "duplicate"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_text(text.getvalue(), encoding="utf-8")  # saved without a BOM
    result = run("extract", "apply", sheet, "--all", "--data", thai_data)
    assert result.exit_code == 0, result.output
    ds = load_dataset(thai_data)
    assert len(ds.edges) == len(rows) - 1
    new_ids = {r["source"] for r in rows[1:] if r["source_label"]} | {r["target"] for r in rows[1:] if r["target_label"]}
    assert "thongsavanh_phomvihane" in new_ids and new_ids <= set(ds.nodes.index)
    assert ds.nodes.loc["thongsavanh_phomvihane", "affiliation"] == "laos"  # its new state came along
    assert ds.nodes.loc["laos", "kind"] == "state"


def test_apply_refuses_a_row_with_an_unknown_type_and_writes_nothing(run, thai_data, tmp_path):
    sheet = tmp_path / "review.csv"
    sheet.write_text("accept,source,target,type,date\nyes,thailand,cambodia,no_such_type,2025-07-01\n")
    before = _snapshot(thai_data)
    result = run("extract", "apply", sheet, "--data", thai_data)
    assert result.exit_code != 0
    assert "review.csv:2" in result.output and "no_such_type" in result.output
    assert _snapshot(thai_data) == before


def test_formula_cells_are_neutralised_and_restored(run, thai_data, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("=HYPERLINK(\"x\") Thailand condemned Cambodia on Monday.\n", encoding="utf-8")
    sheet = tmp_path / "review.csv"
    run("extract", article, "--data", thai_data, "--date", "2025-07-09", "-o", sheet)
    rows = list(csv.DictReader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"))))
    assert rows[0]["sentence"].startswith("'=")
    rows[0]["accept"] = "yes"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_text(text.getvalue(), encoding="utf-8")
    assert run("extract", "apply", sheet, "--data", thai_data).exit_code == 0
    ds = load_dataset(thai_data)
    assert ds.edges["note"].iloc[0].startswith("=HYPERLINK")
    assert ds.edges["date"].iloc[0] == "2025-07-07"


@pytest.mark.parametrize("content, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
    (b"Thailand condemned Cambodia \xff\xfe on Monday.", "not valid UTF-8"),
    (b"   \n\n", "empty"),
    (b"Thailand condemned Cambodia on Monday.\n", "no publication date"),
])
def test_bad_input_is_one_line_and_writes_nothing(run, thai_data, tmp_path, content, words):
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    out = tmp_path / "review.csv"
    before = _snapshot(thai_data)
    result = run("extract", article, "--data", thai_data, "-o", out)
    assert result.exit_code != 0
    assert words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists() and _snapshot(thai_data) == before


def test_a_50_mb_file_is_refused(run, thai_data, tmp_path):
    article = tmp_path / "huge.txt"
    article.write_bytes(b"Thailand condemned Cambodia. " * (50 * 1024 * 1024 // 29 + 1))
    result = run("extract", article, "--data", thai_data, "--date", "2025-07-09")
    assert result.exit_code != 0 and "too large for an article (52.4 MB" in result.output


def test_stdin_and_a_bad_date_option(run, thai_data):
    result = run("extract", "-", "--data", thai_data, "--date", "2025-07-09",
                 input="Thailand condemned Cambodia on Monday.\n")
    assert result.exit_code == 0 and "condemnation" in result.output
    bad = run("extract", "-", "--data", thai_data, "--date", "July 9", input="x")
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_bundled_article_with_the_bundled_data_finds_known_events_as_duplicates(run):
    article = BUNDLED.parent.parent / "shared" / "sources" / "russia-azerbaijan-2025-07.txt"
    result = run("extract", article, "--data", BUNDLED, "--date", "2025-07-05", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    raid = [c for c in out["candidates"] if c["type"] == "raid" and c["source"] == "ru_police"]
    assert raid and raid[0]["date"] == "2025-06-27" and "duplicate" in raid[0]["flags"]


def test_low_confidence_candidates_stay_in_the_review_sheet_only(run, thai_data, tmp_path):
    # the headline restates the body's clash and border closure: low_confidence repeats
    article = THAI / "article.txt"
    shown = json.loads(run("extract", article, "--data", thai_data, "--format", "json").output)["candidates"]
    every = json.loads(run("extract", article, "--data", thai_data, "--format", "json",
                           "--min-score", "0").output)["candidates"]
    low = [c for c in every if "low_confidence" in c["flags"]]
    assert any("repeat" in c["flags"] and "headline" in c["flags"] for c in low)
    assert len(shown) == len(every) - len(low) and not any("low_confidence" in c["flags"] for c in shown)
    sheet = tmp_path / "review.csv"
    assert run("extract", article, "--data", thai_data, "-o", sheet).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(every)
    assert sum("low_confidence" in r["flags"].split(";") for r in rows) == len(low)
    assert all(r["accept"] == "" for r in rows)
