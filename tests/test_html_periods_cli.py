"""``actorgraph html --every / --window / --confidence / --affiliation-weight`` end to end.

These run the real analyses (``graph.analysis.alignment.over_time.blocs_over_time``,
``graph.analysis.alignment.confidence.bloc_confidence`` and the blocs model's ``--affiliation-weight``)
and check what reaches the page; the page's own behaviour with such data is tested in
tests/test_html_browser_story.py.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from tests.conftest import write_dataset
from tests.test_html import EDGES, NODES, day, page_data
from tests.test_html_browser import Page, browser  # noqa: F401  (the browser fixture)

IDS = ["russia", "azerbaijan", "putin", "aliyev", "sputnik", "usa"]


def quarter_span(label: str) -> tuple[int, int]:
    """First and last day (days since 1970-01-01) of a quarter labelled ``YYYY-Qn``, worked out here."""
    year, q = int(label[:4]), int(label[-1])
    first = dt.date(year, 3 * q - 2, 1)
    last = dt.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
    return day(first.isoformat()), day(last.isoformat())


@pytest.fixture
def folder(tmp_path):
    return write_dataset(tmp_path / "data", NODES, EDGES)


def html(run, folder, tmp_path, *args) -> dict:
    out = tmp_path / "map.html"
    result = run("html", "--data", folder, "-o", out, *args)
    assert result.exit_code == 0, result.output
    return page_data(out.read_text(encoding="utf-8"))


def test_every_quarter_embeds_blocs_per_period(run, folder, tmp_path):
    data = html(run, folder, tmp_path, "--every", "quarter")
    p = data["periods"]
    labels = p["labels"]
    # Events fall in 2024-Q4 (two meetings), 2025-Q2 (the raid) and 2025-Q3 (the rest).
    assert {"2024-Q4", "2025-Q2", "2025-Q3"} <= set(labels) and labels == sorted(labels)
    for k, label in enumerate(labels):  # without --window each period's window is the period itself
        assert (p["lo"][k], p["hi"][k]) == quarter_span(label)
    assert all(len(row) == len(IDS) for row in p["c"])
    code = {label: dict(zip(data["nodes"]["id"], p["c"][k])) for k, label in enumerate(labels)}
    # 2024-Q4: Putin and Aliyev met twice (cooperative): one bloc.
    assert code["2024-Q4"]["putin"] == code["2024-Q4"]["aliyev"] > 0
    # 2025-Q3: the US backs Azerbaijan, which is hostile to Russia and Sputnik.
    q3 = code["2025-Q3"]
    assert q3["azerbaijan"] == q3["usa"] > 0
    assert q3["russia"] != q3["azerbaijan"] and q3["sputnik"] != q3["azerbaijan"]
    # Bloc names are shown, and moves agree with the codes: an actor is in the bloc it moved to.
    assert all(b["n"] for blocs in p["blocs"] for b in blocs)
    m = p["moves"]
    assert m["a"], "the camps change between 2024 and 2025: someone moves"
    for a, k, before, after in zip(m["a"], m["p"], m["f"], m["t"]):
        assert k > 0 and before != after
        assert max(p["c"][k][a], 0) == after
        if before:
            assert before in [p["c"][q][a] for q in range(k)]


@pytest.mark.parametrize("window", ["2", "6M", "1Y"])
def test_window_widens_each_period(run, folder, tmp_path, window):
    p = html(run, folder, tmp_path, "--every", "quarter", "--window", window)["periods"]
    for k, label in enumerate(p["labels"]):
        first, last = quarter_span(label)
        assert p["hi"][k] == last
        if k:  # the window reaches back into the quarter before
            assert p["lo"][k] is None or p["lo"][k] < first


def test_bad_window_is_a_one_line_error(run, folder, tmp_path):
    out = tmp_path / "map.html"
    result = run("html", "--data", folder, "-o", out, "--every", "quarter", "--window", "sometimes")
    assert result.exit_code == 1 and "--window" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not out.exists()


def test_every_year_labels(run, folder, tmp_path):
    p = html(run, folder, tmp_path, "--every", "year")["periods"]
    assert p["labels"] == ["2024", "2025"]
    assert (p["lo"][1], p["hi"][1]) == (day("2025-01-01"), day("2025-12-31"))


def test_confidence_per_actor(run, folder, tmp_path):
    data = html(run, folder, tmp_path, "--confidence", "--resamples", "30")
    assert data["confidence"] == {"resamples": 30}
    cf = dict(zip(data["nodes"]["id"], data["nodes"]["cf"]))
    assert set(cf) == set(IDS)
    assert all(v is None or 0.0 <= v <= 1.0 for v in cf.values())
    aligned = [a for a, c in zip(data["nodes"]["id"], data["nodes"]["c"]) if c > 0]
    assert aligned and all(cf[a] is not None for a in aligned)
    again = html(run, folder, tmp_path, "--confidence", "--resamples", "30")
    assert again["nodes"]["cf"] == data["nodes"]["cf"]  # seeded: the same page twice


def test_affiliation_weight_colours_the_map(run, folder, tmp_path):
    strong = dict(zip(IDS, html(run, folder, tmp_path, "--affiliation-weight", "10")["nodes"]["c"]))
    none = dict(zip(IDS, html(run, folder, tmp_path, "--affiliation-weight", "0")["nodes"]["c"]))
    # Putin's affiliation ties him to Russia (and Sputnik too): one bloc when it weighs 10 ...
    assert strong["putin"] == strong["russia"] == strong["sputnik"] > 0
    # ... while from the events alone Russia has no cooperative partner and Putin sides with Aliyev.
    assert none["putin"] == none["aliyev"] > 0 and none["russia"] != none["putin"]


def test_cli_page_with_periods_plays_in_the_browser(run, folder, tmp_path, browser):  # noqa: F811
    out = tmp_path / "map.html"
    assert run("html", "--data", folder, "-o", out, "--every", "quarter", "--confidence",
               "--resamples", "20").exit_code == 0
    page = Page(browser, out)
    try:
        n = len(page_data(out.read_text())["periods"]["labels"])
        assert page.js("document.getElementById('ag-period').max") == str(n)
        page.page.focus("#ag-period")
        page.page.keyboard.press("Home")
        assert page.page.inner_text("#ag-period-label") == page_data(out.read_text())["periods"]["labels"][0]
        page.page.fill("#ag-search", "Azerbaijan")
        page.page.press("#ag-search", "Enter")
        page.wait_panel("actor", "azerbaijan")
        assert "confidence" in page.panel_text() and "Moves between blocs" in page.panel_text()
        assert page.errors == [] and page.requests == [page.url]
    finally:
        page.close()


def test_confidence_follows_seed_as_in_clusters(run, folder, tmp_path):
    """``--seed`` seeds the page's bootstrap as it seeds ``clusters --confidence``: the same scores."""
    import json

    for seed in ("0", "5"):
        page = html(run, folder, tmp_path, "--confidence", "--resamples", "30", "--seed", seed)["nodes"]
        report = run("clusters", "--data", folder, "--confidence", "--resamples", "30", "--seed", seed,
                     "--format", "json")
        assert report.exit_code == 0, report.output
        expected = json.loads(report.output)["confidence"]
        shown = {a: v for a, v in zip(page["id"], page["cf"]) if v is not None}
        assert shown == pytest.approx(expected, abs=1e-4)  # the page rounds to 4 decimals


@pytest.mark.parametrize("command", ["html", "serve"])
def test_resamples_needs_confidence_as_in_clusters(run, folder, tmp_path, command):
    out = ["-o", tmp_path / "m.html"] if command == "html" else []
    result = run(command, "--data", folder, "--resamples", "5", *out)
    assert result.exit_code == 2 and "--resamples needs --confidence" in result.output
    assert not (tmp_path / "m.html").exists()
