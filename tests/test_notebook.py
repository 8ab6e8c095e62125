"""The notebook entry point (graph.notebook, re-exported lazily as graph.load) and docs/notebook.ipynb.

The committed notebook is executed here with nbclient on a real IPython kernel; its map is opened in
Debian's Chromium inside a host page to check that it draws offline in its sandboxed frame.
"""

from __future__ import annotations

import html.parser
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import graph
from graph.errors import ActorgraphError, DataError
from graph.view.select import Filters, select
from tests.conftest import BUNDLED, FIXTURES, ROOT
from tests.test_html_browser import Page, browser  # noqa: F401  (the fixture)

NOTEBOOK = ROOT / "docs" / "notebook.ipynb"


def test_importing_the_package_stays_light():
    """``import graph`` (what the CLI pays at start-up) must not import pandas or the analyses."""
    code = "import sys, graph; print(sorted(m for m in ('pandas', 'numpy', 'graph.notebook') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert graph.load is graph.notebook.load and "load" in dir(graph)
    with pytest.raises(AttributeError):
        graph.no_such_thing  # noqa: B018


@pytest.fixture(scope="module")
def crisis():
    return graph.load(BUNDLED)


def test_clusters_known_answers_at_state_level(crisis):
    """The README's bundled answer: Azerbaijan with Turkey and Ukraine, Russia in another cluster,
    Kazakhstan unaligned; the whole window fits with frustration 0."""
    table = crisis.filter(level="state").clusters()
    c = table["cluster"]
    assert c["azerbaijan"] == c["turkey"] == c["ukraine"] != c["russia"]
    assert table.loc["kazakhstan", "cluster"] is pd.NA and table.loc["kazakhstan", "bloc"] == ""
    assert table.attrs["frustration"] == 0 and table.attrs["method"] == "exact"
    assert table.loc["azerbaijan", "bloc"] == table.loc["turkey", "bloc"] != table.loc["russia", "bloc"]
    assert list(table.columns) == ["label", "kind", "cluster", "bloc", "apart"]


def test_realignment_window_parts_russia_and_azerbaijan(crisis):
    """README: Azerbaijan and Russia share a cluster up to November 2024 and part in June-July 2025."""
    before = crisis.filter(level="state", until="2024-11").clusters()
    after = crisis.filter(level="state", since="2025-06", until="2025-07").clusters()
    assert before.at["azerbaijan", "cluster"] == before.at["russia", "cluster"]
    # in June-July 2025 only hostility holds Russia: it stands apart, in no bloc
    assert after.at["azerbaijan", "bloc"] == "Azerbaijan's bloc" and after.at["russia", "apart"]


def test_tables_are_those_of_the_library(crisis):
    from graph.analysis.centrality import centrality_table

    states = crisis.filter(level="state", since="2025")
    view = select(crisis.dataset, Filters(level="state", since="2025"))
    pd.testing.assert_frame_equal(states.centrality(["all"]), centrality_table(view, ["all"]), rtol=1e-9)
    assert states.events.equals(view.events) and states.actors.equals(view.nodes)


def test_filter_returns_a_new_crisis_and_checks_its_arguments(crisis):
    narrow = crisis.filter(kinds=["state", "official"], types="accusation")
    assert crisis.filters == Filters() and narrow.filters.types == ("accusation",)
    assert set(narrow.events["type"]) == {"accusation"} and set(narrow.actors["kind"]) == {"state", "official"}
    assert narrow.filter(since="2025").filters.kinds == ("state", "official")  # earlier filters are kept
    with pytest.raises(ActorgraphError, match="arest"):
        crisis.filter(types=["arest"])
    with pytest.raises(DataError):
        graph.load(FIXTURES / "no-such-folder")


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_map_repr_is_one_sandboxed_iframe_holding_the_page_exactly(crisis):
    hostile = '"><script>parent.__pwned=1</script><iframe srcdoc="'
    m = crisis.filter(level="state").map(title=hostile)
    parser = _Tags()
    parser.feed(m._repr_html_())
    (tag, attrs), = parser.tags  # nothing escapes the attribute: one tag, no script
    assert tag == "iframe" and attrs["sandbox"].split()[0] == "allow-scripts"
    assert "allow-same-origin" not in attrs["sandbox"]
    assert attrs["srcdoc"] == m.html


def test_map_draws_offline_in_its_sandboxed_frame(crisis, browser, tmp_path):  # noqa: F811
    m = crisis.filter(level="state").map(title='<b id="x">t</b>')
    host = tmp_path / "host.html"
    host.write_text("<!DOCTYPE html><html><body><h1 id='host'>notebook</h1>" + m._repr_html_() + "</body></html>",
                    encoding="utf-8")
    page = Page.__new__(Page)  # Page waits for a top-level map; here the map is in a frame
    page.context = browser.new_context(viewport={"width": 1200, "height": 900})
    page.page = page.context.new_page()
    page.requests, page.blocked, page.dialogs, page.errors = [], [], [], []
    page.page.on("request", lambda r: page.requests.append(r.url))
    page.page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    for pattern in ("http://**/*", "https://**/*", "ws://**/*", "wss://**/*"):
        page.page.route(pattern, page._block)
    try:
        page.page.goto(host.as_uri())
        frame = page.page.frames[1]
        frame.wait_for_function("() => window.actorgraph && window.actorgraph.ready === true", timeout=30000)
        assert frame.evaluate("document.querySelectorAll('canvas').length") >= 1
        assert frame.evaluate("document.getElementById('ag-title').textContent") == '<b id="x">t</b>'
        reach = frame.evaluate("() => { try { return parent.document.getElementById('host').textContent } "
                               "catch (e) { return 'blocked' } }")
        assert reach == "blocked", "the map's frame could read the notebook page"
        assert page.blocked == [] and page.errors == [] and page.dialogs == []
    finally:
        page.context.close()


def test_committed_notebook_has_no_outputs():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


def test_notebook_runs_and_shows_tables_and_the_map():
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = [o["data"] for o in outputs if o.output_type == "execute_result"]
    assert len(shown) == len([c for c in nb.cells if c.cell_type == "code"])  # every cell shows something
    assert shown[0]["text/plain"].startswith("<Crisis ../data: ")
    assert "Azerbaijan&#x27;s bloc" in shown[2]["text/html"] or "Azerbaijan's bloc" in shown[2]["text/html"]
    assert shown[-1]["text/html"].startswith('<iframe sandbox="allow-scripts')


def test_bloc_options_of_the_cli_reach_clusters_and_map(crisis, run):
    """The notebook takes the bloc options of `actorgraph clusters` / `html` and gives the same blocs."""
    import json

    from tests.test_html import page_data

    for kwargs, flags in (({"affiliation_weight": 0}, ["--affiliation-weight", "0"]),
                          ({"free": True}, ["--free"]),
                          ({"max_clusters": 3}, ["--clusters", "3"])):
        table = crisis.clusters(**kwargs)
        report = run("clusters", "--data", crisis.dataset.folder, "--format", "json", *flags)
        assert report.exit_code == 0, report.output
        expected = {a: c["id"] for c in json.loads(report.output)["clusters"] for a in c["members"]}
        assert {a: int(c) for a, c in table["cluster"].dropna().items()} == expected
    # without affiliation ties Putin leaves Russia's bloc (his one event is regret to Azerbaijan)
    loose = crisis.clusters(affiliation_weight=0)["cluster"]
    assert loose["putin"] != loose["russia"]
    with pytest.raises(ActorgraphError):
        crisis.alignment(max_clusters=2, free=True)
    page = crisis.filter(level="state").map(every="year", confidence=True, resamples=5, affiliation_weight=0)
    data = page_data(page.html)
    assert data["periods"]["labels"][0] == "2020" and data["confidence"] == {"resamples": 5}
