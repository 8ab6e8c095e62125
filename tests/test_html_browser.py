"""The HTML explorer in a real browser: Debian's Chromium driven by Playwright.

These tests never skip: without /usr/bin/chromium or the playwright package they fail with a message
saying what to install (CI installs both). ``playwright install`` is never run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.explorer import page as ghtml
from graph.view.select import Filters
from graph.store.dataset import load_dataset
from tests.test_html import EDGES, HOSTILE, dataset

CHROMIUM = os.environ.get("ACTORGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PAYLOAD_FLAG = "window.__pwned"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                    "(apt-get install chromium) or set ACTORGRAPH_CHROMIUM", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright Python package is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Page:
    """A page opened from file:// that records every request, dialog, console error and page error."""

    def __init__(self, browser, path: Path, bypass_csp: bool = False):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp)
        self.page = self.context.new_page()
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        for pattern in ("http://**/*", "https://**/*", "ws://**/*", "wss://**/*"):
            self.page.route(pattern, self._block)
        self.page.goto(self.url)
        self.page.wait_for_function("() => window.actorgraph && window.actorgraph.ready === true",
                                    timeout=30000)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _block(self, route):
        self.blocked.append(route.request.url)
        route.abort()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def index(self, actor_id: str) -> int:
        return self.js("id => actorgraph.data.nodes.id.indexOf(id)", actor_id)

    def node_point(self, i: int) -> tuple[float, float]:
        return tuple(self.js("""i => { const n = actorgraph.network, p = n.getPositions([i])[i];
            const d = n.canvasToDOM(p), r = document.getElementById('ag-network').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y]; }""", i))

    def edge_point(self, g: int) -> tuple[float, float]:
        """A point on edge ``g`` where no node (or its label) covers it."""
        return tuple(self.js("""g => { const n = actorgraph.network, e = n.body.edges[g];
            const r = document.getElementById('ag-network').getBoundingClientRect();
            for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85]) {
              const d = n.canvasToDOM(e.edgeType.getPoint(t));
              if (n.getNodeAt(d) === undefined && n.getEdgeAt(d) === g) return [r.left + d.x, r.top + d.y];
            }
            throw new Error('edge ' + g + ' is covered by nodes everywhere'); }""", g))

    def visible_nodes(self) -> list[str]:
        return sorted(self.js("actorgraph.nodesView.getIds().map(i => actorgraph.data.nodes.id[i])"))

    def visible_events(self) -> list[str]:
        """Notes of the events behind the edges the network shows."""
        return sorted(self.js("""[].concat(...actorgraph.edgesView.getIds().map(g => actorgraph.groups[g].ev))
            .map(e => actorgraph.data.events.n[e])"""))

    def wait_panel(self, attribute: str, value: str) -> None:
        """Wait until the side panel shows the actor (``actor``) or edge (``edge``) given (vis-network
        handles a click a moment after the mouse event)."""
        self.page.wait_for_function("([a, v]) => document.getElementById('ag-panel-body').dataset[a] === v",
                                    arg=[attribute, value], timeout=5000)

    def panel_text(self) -> str:
        return self.page.inner_text("#ag-panel-body")

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def small(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("small")
    path = ghtml.write_page(ghtml.explorer_html(dataset(folder), Filters()), folder / "map.html")
    page = Page(browser, path)
    yield page
    page.close()


ALL_NOTES = sorted(["Raid in Yekaterinburg", "Accused of torture", "Met in Dushanbe", "Phone call", "Backed Baku",
                    "Staff detained", "Head of state"])


def test_page_draws_every_actor_and_event(small):
    assert small.js("document.querySelectorAll('#ag-network canvas').length") == 1
    assert small.js("Object.keys(actorgraph.network.getPositions()).length") == 6
    assert small.visible_nodes() == sorted(["russia", "azerbaijan", "putin", "aliyev", "sputnik", "usa"])
    assert small.visible_events() == ALL_NOTES
    assert small.js("document.getElementById('ag-status').textContent") == "showing 6 of 6 actors, 7 of 7 events"
    # The legend lists the kinds and the edge types in use, as text.
    assert small.page.inner_text("#ag-kinds").split() == ["state", "(3)", "official", "(2)", "media", "(1)"]
    assert "Arrest" in small.page.inner_text("#ag-types")


def test_no_request_leaves_the_page(small):
    small.page.mouse.move(700, 450)
    small.page.click("#ag-fit")
    assert small.blocked == []
    assert small.requests == [small.url]
    assert small.errors == []  # includes CSP violations ("Refused to ...")


def test_search_by_alias_focuses_the_actor(small):
    small.page.fill("#ag-search", "Kremlin")
    small.page.press("#ag-search", "Enter")
    assert small.js("actorgraph.network.getSelectedNodes()") == [small.index("russia")]
    assert small.js("document.getElementById('ag-panel-body').dataset.actor") == "russia"
    assert not small.js("document.getElementById('ag-panel').hidden")
    small.page.fill("#ag-search", "baku")
    small.page.press("#ag-search", "Enter")
    assert small.js("actorgraph.network.getSelectedNodes()") == [small.index("azerbaijan")]
    small.page.fill("#ag-search", "nobody at all")
    small.page.press("#ag-search", "Enter")
    assert small.js("document.getElementById('ag-status').textContent") == "no actor matches"
    small.page.click("#ag-reset")


def test_kind_and_type_filters_hide_actors_and_events(small):
    official = small.page.locator("#ag-kinds input[type=checkbox]").nth(1)
    official.uncheck()
    assert small.visible_nodes() == sorted(["russia", "azerbaijan", "sputnik", "usa"])
    assert small.visible_events() == sorted(["Raid in Yekaterinburg", "Accused of torture", "Backed Baku",
                                             "Staff detained"])
    official.check()
    arrest = small.js("actorgraph.data.types.k.indexOf('arrest')")
    small.page.locator(f"#ag-types input[data-value='{arrest}']").uncheck()
    assert small.visible_nodes() == sorted(["russia", "azerbaijan", "putin", "aliyev", "sputnik", "usa"])
    assert small.visible_events() == sorted(set(ALL_NOTES) - {"Raid in Yekaterinburg", "Staff detained"})
    small.page.click("#ag-reset")
    assert small.visible_events() == ALL_NOTES


def test_cluster_filter(small):
    usa = small.index("usa")
    cluster = small.js("i => actorgraph.data.nodes.c[i]", usa)
    small.page.locator(f"#ag-clusters input[data-value='{cluster}']").uncheck()
    # usa's bloc is {aliyev, azerbaijan, usa} (aliyev's affiliation ties him to azerbaijan): all three out
    assert small.visible_nodes() == sorted(["russia", "putin", "sputnik"])
    small.page.click("#ag-reset")


def test_date_range_uses_the_overlap_rule(small):
    small.page.fill("#ag-from", "2025-07-01")
    small.page.fill("#ag-to", "2025-07-31")
    # Dated 2025-07 (the whole month), 2025-07-15 and 2025-07-01 overlap July; the raid (06-30) and the
    # 2024 meetings do not; the undated appointment is a standing relation and always shows.
    assert small.visible_events() == sorted(["Accused of torture", "Backed Baku", "Staff detained", "Head of state"])
    small.page.fill("#ag-from", "2025-07-20")
    small.page.fill("#ag-to", "")
    assert small.visible_events() == sorted(["Accused of torture", "Head of state"])
    small.page.click("#ag-reset")
    assert small.visible_events() == ALL_NOTES


def test_clicking_an_actor_shows_its_events_in_date_order_with_citations(small):
    small.page.click("#ag-fit")
    x, y = small.node_point(small.index("azerbaijan"))
    small.page.mouse.click(x, y)
    small.wait_panel("actor", "azerbaijan")
    panel = small.page.locator("#ag-panel-body")
    assert panel.locator("h2").inner_text() == "Azerbaijan"
    text = small.panel_text()
    assert "Another state." in text and "cluster" in text and "rank" in text and "Baku" in text
    notes = panel.locator(".ag-note").all_inner_texts()
    assert notes == ["Raid in Yekaterinburg", "Staff detained", "Accused of torture", "Backed Baku"]
    links = panel.locator("a")
    assert links.count() == 2
    assert [links.nth(i).get_attribute("href") for i in range(2)] == ["https://example.org/raid",
                                                                     "https://example.org/sputnik"]
    assert {links.nth(i).get_attribute("rel") for i in range(2)} == {"noopener noreferrer"}
    # The plain-text and javascript: citations are shown as text, not links.
    assert "Reuters, 2 July 2025" in text and "javascript:alert(1)" in text
    # Neighbourhood highlight: actors not next to Azerbaijan are dimmed.
    dim = small.js("actorgraph.nodes.get().filter(n => n.color.background.startsWith('rgba')).map(n => n.id)")
    assert sorted(dim) == sorted([small.index("putin"), small.index("aliyev")])
    small.page.click("#ag-reset")
    assert small.js("actorgraph.nodes.get().filter(n => n.color.background.startsWith('rgba')).length") == 0
    assert small.js("document.getElementById('ag-panel').hidden")


def test_clicking_an_edge_lists_its_events(small):
    small.page.click("#ag-fit")
    g = small.js("actorgraph.groups.findIndex(g => actorgraph.data.events.n[g.ev[0]] === 'Backed Baku')")
    x, y = small.edge_point(g)
    small.page.mouse.click(x, y)
    small.wait_panel("edge", str(g))
    assert "Backed Baku" in small.panel_text()
    small.page.click("#ag-reset")


def test_aggregated_edges_keep_every_event(tmp_path, browser, monkeypatch):
    monkeypatch.setattr(ghtml, "AGGREGATE_ABOVE", 3)
    path = ghtml.write_page(ghtml.explorer_html(dataset(tmp_path), Filters()), tmp_path / "agg.html")
    page = Page(browser, path)
    try:
        # putin-aliyev's two meetings (cooperative, undirected) share one edge; all else stays single.
        assert page.js("actorgraph.edgesView.length") == 6
        assert page.visible_events() == ALL_NOTES
        g = page.js("actorgraph.groups.findIndex(g => g.ev.length === 2)")
        page.page.mouse.click(*page.edge_point(g))
        page.wait_panel("edge", str(g))
        assert page.page.locator("#ag-panel-body .ag-note").all_inner_texts() == ["Met in Dushanbe", "Phone call"]
    finally:
        page.close()


def exercise_everything(page: Page) -> None:
    """Hover and click every node and edge, search every label, open every panel."""
    n = page.js("actorgraph.data.nodes.id.length")
    groups = page.js("actorgraph.groups.length")
    for i in range(n):
        page.page.click("#ag-fit")
        x, y = page.node_point(i)
        page.page.mouse.move(x, y)
        page.page.wait_for_timeout(350)
        page.page.mouse.click(x, y)
    for g in range(groups):
        page.page.click("#ag-fit")
        x, y = page.edge_point(g)
        page.page.mouse.move(x, y)
        page.page.wait_for_timeout(350)
        page.page.mouse.click(x, y)
        buttons = page.page.locator("#ag-panel-body button.ag-link")
        if buttons.count():
            buttons.first.click()
    for label in page.js("actorgraph.data.nodes.l"):
        page.page.fill("#ag-search", label)
        page.page.press("#ag-search", "Enter")
    page.page.locator("#ag-panel-body a").evaluate_all("links => links.forEach(a => a.dispatchEvent(new MouseEvent('mouseover')))")


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping-alone", "with-csp"])
def test_hostile_data_runs_no_script(tmp_path, browser, bypass_csp):
    ds = load_dataset(HOSTILE)
    path = ghtml.write_page(ghtml.explorer_html(ds, Filters(), ghtml.HtmlOptions(title="<img src=x onerror=alert(7)>")),
                            tmp_path / "hostile.html")
    page = Page(browser, path, bypass_csp=bypass_csp)  # bypassing the CSP tests the escaping on its own
    try:
        exercise_everything(page)
        assert page.dialogs == []
        assert page.js(f"typeof {PAYLOAD_FLAG}") == "undefined"
        assert page.blocked == [] and page.requests == [page.url]
        assert page.errors == []
        # The texts are shown literally, in panels, tooltips, legend and title alike.
        labels = page.js("actorgraph.data.nodes.l")
        assert labels == list(ds.nodes["label"])
        for i, label in enumerate(labels):
            page.page.fill("#ag-search", "")
            page.js("i => { actorgraph.network.unselectAll(); }", i)
            x, y = page.node_point(i)
            page.page.mouse.click(x, y)
            page.wait_panel("actor", ds.nodes.index[i])
            assert page.js("document.querySelector('#ag-panel-body h2').textContent") == label
        page.page.mouse.move(*page.node_point(0))
        page.page.wait_for_function("() => document.querySelector('.vis-tooltip') && "
                                    "document.querySelector('.vis-tooltip').style.visibility === 'visible'")
        assert page.js("document.querySelector('.vis-tooltip').innerText").startswith(labels[0])
        # innerText turns newlines into <br>; nothing else may appear inside the tooltip.
        assert set(page.js("[...document.querySelector('.vis-tooltip').querySelectorAll('*')].map(e => e.tagName)")) <= {"BR"}
        legend = page.page.inner_text("#ag-types")
        assert "<img src=y onerror=window.__pwned=1> hostile type" in legend
        assert "</script><script>window.__pwned=1</script> coop" in legend
        assert page.page.title() == "<img src=x onerror=alert(7)>"
        # Citations: only http(s) URLs became links, each with rel noopener noreferrer.
        hrefs, texts = [], []
        for i in range(len(labels)):
            page.js("i => actorgraph.network.unselectAll()", i)
            page.page.mouse.click(*page.node_point(i))
            page.wait_panel("actor", ds.nodes.index[i])
            texts.append(page.panel_text())
            for a in page.page.locator("#ag-panel-body a").all():
                assert a.get_attribute("rel") == "noopener noreferrer"
                assert a.get_attribute("target") == "_blank"
                hrefs.append(a.get_attribute("href"))
        assert {h.split(":")[0] for h in hrefs} <= {"http", "https"}
        # Of the two http(s) citations, the one with spaces (markup in it) is not a URL: it stays text.
        assert set(hrefs) == {"http://example.com/%22onmouseover=%22window.__pwned=1"}
        for cite in ds.edges["citation"]:
            assert any(cite.strip() in t for t in texts), cite
        # No element anywhere carries an event-handler attribute or came from the data as markup.
        assert page.js("""[...document.querySelectorAll('*')].filter(e => [...e.attributes]
            .some(a => a.name.startsWith('on'))).length""") == 0
        assert page.js("document.querySelectorAll('img, iframe, script:not([type]) ~ script[src], b').length") == 0
    finally:
        page.close()


@pytest.mark.parametrize("case", ["empty", "self-loop", "physics", "color-by-kind"])
def test_edge_cases_draw(tmp_path, browser, case):
    edges = EDGES + "usa,usa,support,2025-08,,Self praise,\n" if case == "self-loop" else EDGES
    ds = dataset(tmp_path, edges=edges)
    filters = Filters(kinds=("region",)) if case == "empty" else Filters()
    options = ghtml.HtmlOptions(layout="physics" if case == "physics" else "auto",
                                color_by="kind" if case == "color-by-kind" else "cluster")
    path = ghtml.write_page(ghtml.explorer_html(ds, filters, options), tmp_path / "case.html")
    page = Page(browser, path)  # waits until the page reports it is drawn
    try:
        expected = 0 if case == "empty" else 6
        assert page.js("actorgraph.nodesView.length") == expected
        assert page.errors == [] and page.requests == [page.url]
        if case == "self-loop":
            page.page.fill("#ag-search", "United States")
            page.page.press("#ag-search", "Enter")
            assert page.page.locator("#ag-panel-body .ag-note").all_inner_texts() == ["Backed Baku", "Self praise"]
        if case == "color-by-kind":
            colors = page.js("actorgraph.nodes.get().map(n => n.color.background)")
            kinds = page.js("actorgraph.data.nodes.k")
            assert len({(k, c) for k, c in zip(kinds, colors)}) == len(set(kinds)) == 3
    finally:
        page.close()


def test_big_map_edge_layer_draws_picks_and_filters(tmp_path, browser, monkeypatch):
    # Force the canvas edge layer (used above LAYER_ABOVE drawn edges) on the small data set.
    monkeypatch.setattr(ghtml, "LAYER_ABOVE", 2)
    path = ghtml.write_page(ghtml.explorer_html(dataset(tmp_path), Filters()), tmp_path / "layer.html")
    page = Page(browser, path)
    try:
        assert page.js("actorgraph.layer") is True
        assert page.js("Object.keys(actorgraph.network.body.edges).length") == 0  # no vis-network edge objects
        assert page.visible_events() == ALL_NOTES
        g = page.js("actorgraph.groups.findIndex(g => actorgraph.data.events.n[g.ev[0]] === 'Backed Baku')")
        usa, az = page.node_point(page.index("usa")), page.node_point(page.index("azerbaijan"))
        x, y = (usa[0] + az[0]) / 2, (usa[1] + az[1]) / 2

        def greenest() -> int:
            """How much greener than red the most cooperative-looking pixel near (x, y) is."""
            return page.js("""([x, y]) => { const c = document.querySelector('#ag-network canvas');
                const r = c.getBoundingClientRect(), k = c.width / r.width;
                const d = c.getContext('2d').getImageData((x - r.left) * k - 3, (y - r.top) * k - 3, 7, 7).data;
                let best = -255; for (let i = 0; i < d.length; i += 4) if (d[i + 3]) best = Math.max(best, d[i + 1] - d[i]);
                return best; }""", [x, y])

        assert greenest() > 40  # the cooperative edge is drawn in green
        page.page.mouse.click(x, y)
        page.wait_panel("edge", str(g))
        assert "Backed Baku" in page.panel_text()
        support = page.js("actorgraph.data.types.k.indexOf('support')")
        page.page.locator(f"#ag-types input[data-value='{support}']").uncheck()
        assert "Backed Baku" not in page.visible_events()
        page.page.wait_for_timeout(100)
        assert greenest() <= 0  # and is gone once its type is filtered out
        assert page.errors == [] and page.requests == [page.url]
    finally:
        page.close()


def test_long_event_lists_are_paged_in_the_panel(tmp_path, browser):
    rows = "".join(f"usa,azerbaijan,meeting,2025-01-{1 + k % 28:02d},,Meeting {k},\n" for k in range(320))
    path = ghtml.write_page(ghtml.explorer_html(dataset(tmp_path, edges=EDGES + rows), Filters()),
                            tmp_path / "long.html")
    page = Page(browser, path)
    try:
        page.page.fill("#ag-search", "Washington")
        page.page.press("#ag-search", "Enter")
        page.wait_panel("actor", "usa")
        notes = page.page.locator("#ag-panel-body .ag-note")
        assert notes.count() == 300  # the first page of 321 events
        page.page.locator("#ag-panel-body button.ag-more").click()
        assert notes.count() == 321 and page.page.locator("#ag-panel-body button.ag-more").count() == 0
        texts = notes.all_inner_texts()
        assert len(set(texts)) == 321 and texts[-1] == "Backed Baku"  # 2025-07-15 comes after every January meeting
    finally:
        page.close()
