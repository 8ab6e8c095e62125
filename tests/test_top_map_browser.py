"""A top-N map of a store-like view (events behind the engine boundary) in Chromium: it draws the top
actors and their aggregated edges, and a click on an edge lists that pair's latest events (or says how
many events the edge sums when the page carries none of them)."""

from __future__ import annotations

import pytest

from graph.explorer import page as ghtml
from graph.explorer import top_map
from graph.store.dataset import load_dataset
from graph.view.engines.memory import memory_engine_data
from graph.view.select import Filters
from tests.test_html_browser import Page, browser  # noqa: F401  (the browser fixture)
from tests.test_top_map import QUICK, random_folder


@pytest.fixture(scope="module")
def top_page(tmp_path_factory, browser):  # noqa: F811
    folder = tmp_path_factory.mktemp("topmap")
    ds = load_dataset(random_folder(folder / "data"))
    patch = pytest.MonkeyPatch()
    patch.setattr(top_map, "EMBED_EDGES", 6)  # so that some edges carry events and others do not
    try:
        text = ghtml.explorer_html(memory_engine_data(ds), Filters(), ghtml.HtmlOptions(top=12, blocs=QUICK))
    finally:
        patch.undo()
    page = Page(browser, ghtml.write_page(text, folder / "top.html"))
    yield page
    page.close()


def test_top_map_draws_the_top_actors_and_their_edges(top_page):
    page = top_page
    data = page.js("actorgraph.data")
    assert len(data["nodes"]["id"]) == 12 and data["top"]["of"] == 40
    assert page.js("Object.keys(actorgraph.network.getPositions()).length") == 12
    assert page.js("actorgraph.groups.length") == len(data["edges"]["s"]) > 12
    assert page.js("actorgraph.edgesView.getIds().length") == len(data["edges"]["s"])
    status = page.js("document.getElementById('ag-status').textContent")
    assert status == (f"showing 12 of the top 12 of 40 actors (by degree), {data['top']['edgeEvents']} of "
                      f"{data['top']['events']} events")
    assert page.js("document.getElementById('ag-types').parentNode.hidden") is True
    assert page.errors == [] and page.requests == [page.url]


def _edge(page, carried: bool) -> int:
    """The heaviest edge (not a self-loop) that does or does not carry embedded events."""
    return page.js("""carried => { const G = actorgraph.groups; let best = -1;
        G.forEach((g, i) => { if (g.s !== g.t && (g.ev.length > 0) === carried && (best < 0 || g.n > G[best].n)) best = i; });
        return best; }""", carried)


def test_clicking_an_edge_lists_its_latest_events(top_page):
    page = top_page
    g = _edge(page, carried=True)
    assert g >= 0
    page.show_whole_map()
    page.page.mouse.click(*page.edge_point(g))
    page.wait_panel("edge", str(g))
    group = page.js("g => actorgraph.groups[g]", g)
    notes = page.js("g => actorgraph.groups[g].ev.map(e => actorgraph.data.events.n[e])", g)
    assert page.page.locator("#ag-panel-body li[data-event]").count() == len(group["ev"]) > 0
    assert page.page.locator("#ag-panel-body .ag-note").all_inner_texts() == notes
    text = page.panel_text()
    assert f"{group['n']} " in page.page.inner_text("#ag-panel-body .ag-edge-sum")
    assert "of them" in text
    # Newest first.
    days = page.js("g => actorgraph.groups[g].ev.map(e => actorgraph.data.events.a[e])", g)
    dated = [d for d in days if d is not None]
    assert dated == sorted(dated, reverse=True)


def test_an_edge_without_embedded_events_says_how_many_it_sums(top_page):
    page = top_page
    g = _edge(page, carried=False)
    assert g >= 0
    page.show_whole_map()
    page.page.mouse.click(*page.edge_point(g))
    page.wait_panel("edge", str(g))
    n = page.js("g => actorgraph.groups[g].n", g)
    assert f"This edge sums {n} event" in page.panel_text()
    assert page.page.locator("#ag-panel-body li[data-event]").count() == 0
    assert page.errors == []
