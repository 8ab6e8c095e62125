"""``actorgraph serve`` in a real browser: Debian's Chromium driven by Playwright.

The page is opened from a live server on a free loopback port; the data files are then edited the
ways people edit them (append a row, break and fix a line, save through a temporary file and a
rename) and the page must follow without navigating, keeping zoom, selection, search, filters and
the date range. Every request the page makes is recorded: all must go to the server's own origin.
Like the other browser tests, these never skip (they fail with a message when Chromium is missing).
"""

from __future__ import annotations

import os
import re
import time
from urllib.parse import urlsplit

import pytest

from graph.store.dataset import load_dataset
from tests.test_html_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.test_serve import ROW, running

WAIT_MS = 20000


class LivePage:
    """A page of a live server that records every request, navigation, console error and page error."""

    def __init__(self, browser, server):  # noqa: F811
        self.server = server
        self.origin = f"127.0.0.1:{server.port}"
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.navigations: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("framenavigated", lambda f: self.navigations.append(f.url) if f == self.page.main_frame else None)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Anything not for the server itself is recorded (above) and aborted: nothing leaves the machine.
        self.page.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == self.origin
                        else route.abort())
        self.page.goto(server.url)
        self.page.wait_for_function("() => window.actorgraph && actorgraph.ready === true && "
                                    "document.body.getAttribute('data-live') === 'connected'", timeout=WAIT_MS)
        self.js("() => { window.__samePage = true; }")

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def status(self) -> str:
        return self.page.text_content("#ag-status")

    def wait_status(self, pattern: str):
        self.page.wait_for_function("p => new RegExp(p).test(document.getElementById('ag-status').textContent)",
                                    arg=pattern, timeout=WAIT_MS)

    def node_point(self, actor: str) -> tuple[float, float]:
        return tuple(self.js("""id => { const n = actorgraph.network, i = actorgraph.data.nodes.id.indexOf(id);
            const d = n.canvasToDOM(n.getPositions([i])[i]), r = document.getElementById('ag-network').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y]; }""", actor))

    def view(self) -> dict:
        return self.js("""() => { const n = actorgraph.network;
            return { scale: n.getScale(), position: n.getViewPosition(),
                     selected: n.getSelectedNodes().map(i => actorgraph.data.nodes.id[i]),
                     panel: document.getElementById('ag-panel-body').getAttribute('data-actor') }; }""")

    def assert_same_page_and_origin(self):
        assert self.js("() => window.__samePage === true"), "the page was reloaded"
        assert self.navigations == [self.server.url], self.navigations
        outside = [u for u in self.requests if urlsplit(u).netloc != self.origin or urlsplit(u).scheme != "http"]
        assert not outside, outside
        assert not self.errors, self.errors

    def close(self):
        self.context.close()


@pytest.fixture
def live_page(browser, data_copy):  # noqa: F811
    pages = []
    with running(data_copy) as server:
        def open_page():
            pages.append(LivePage(browser, server))
            return pages[-1]
        yield server, open_page
        for p in pages:
            p.close()


def test_an_appended_event_appears_in_place(live_page, data_copy):
    server, open_page = live_page
    page = open_page()
    n_actors, n_events = len(load_dataset(data_copy).nodes), len(load_dataset(data_copy).edges)
    assert page.status() == f"showing {n_actors} of {n_actors} actors, {n_events} of {n_events} events"
    # The reader zooms in with the wheel and selects Russia with a click.
    fitted = page.view()["scale"]
    x, y = page.node_point("russia")
    page.page.mouse.move(x, y)
    for _ in range(3):
        page.page.mouse.wheel(0, -300)
        page.page.wait_for_timeout(150)
    x, y = page.node_point("russia")
    page.page.mouse.click(x, y)
    before = page.view()
    assert before["selected"] == ["russia"] and before["panel"] == "russia" and before["scale"] > 1.25 * fitted
    panel_events = page.page.text_content("#ag-panel-body h3")

    with open(data_copy / "edges.csv", "a", encoding="utf-8") as f:
        f.write(ROW)
    page.wait_status(f"^showing {n_actors} of {n_actors} actors, {n_events + 1} of {n_events + 1} events$")

    after = page.view()
    assert after["scale"] == pytest.approx(before["scale"], rel=1e-9)
    assert after["position"]["x"] == pytest.approx(before["position"]["x"], abs=1e-6)
    assert after["position"]["y"] == pytest.approx(before["position"]["y"], abs=1e-6)
    assert after["selected"] == ["russia"] and after["panel"] == "russia"
    count = int(re.search(r"\d+", panel_events).group())
    page.page.wait_for_function("t => document.querySelector('#ag-panel-body h3').textContent === t",
                                arg=f"Events ({count + 1})", timeout=WAIT_MS)
    # The new event is drawn as its own edge between Russia and Azerbaijan, visible, and glowing.
    edge = page.js("""note => { const A = actorgraph, E = A.data.events, e = E.n.indexOf(note);
        const g = A.groups.findIndex(gr => gr.ev.includes(e));
        return { e: e, g: g, drawn: A.edgesView.get(g) !== null, item: A.edges.get(g),
                 from: A.data.nodes.id[A.groups[g].s], to: A.data.nodes.id[A.groups[g].t],
                 lit: A.live.highlighted.events.includes(e) }; }""", "Moscow accuses Baku again (test row)")
    assert edge["e"] == n_events and edge["drawn"] and edge["lit"]
    assert (edge["from"], edge["to"]) == ("russia", "azerbaijan")
    assert edge["item"]["shadow"]["enabled"] is True
    page.assert_same_page_and_origin()


def test_search_filters_and_date_range_survive_an_update(live_page, data_copy):
    server, open_page = live_page
    page = open_page()
    ds = load_dataset(data_copy)
    page.page.fill("#ag-search", "Kremlin")
    page.page.press("#ag-search", "Enter")
    page.page.fill("#ag-from", "2025-06-01")
    page.page.dispatch_event("#ag-from", "change")
    box = page.page.locator("#ag-kinds input[type=checkbox]").nth(1)
    kind = page.js("v => actorgraph.data.kinds[v]", int(box.get_attribute("data-value")))
    box.uncheck()
    page.page.wait_for_timeout(200)
    shown_before = page.status()

    with open(data_copy / "edges.csv", "a", encoding="utf-8") as f:
        f.write(ROW)
    page.page.wait_for_function("() => actorgraph.data.events.s.length === %d" % (len(ds.edges) + 1),
                                timeout=WAIT_MS)
    assert page.page.input_value("#ag-search") == "Kremlin"
    assert page.page.input_value("#ag-from") == "2025-06-01"
    box = page.page.locator(f"#ag-kinds input[data-value='{page.js('k => actorgraph.data.kinds.indexOf(k)', kind)}']")
    assert not box.is_checked()
    # Recount what the status line should say from the data, by the CLI's rules: actors of the kinds
    # left ticked, events between them dated (span) on or after 2025-06-01 or undated.
    ds = load_dataset(data_copy)
    keep = ds.nodes.index[ds.nodes["kind"] != kind]
    events = ds.edges[ds.edges["source"].isin(keep) & ds.edges["target"].isin(keep)]
    events = events[events["end"].isna() | (events["end"] >= "2025-06-01")]
    expected = f"showing {len(keep)} of {len(ds.nodes)} actors, {len(events)} of {len(ds.edges)} events"
    page.page.wait_for_function("t => document.getElementById('ag-status').textContent === t", arg=expected,
                                timeout=WAIT_MS)
    assert expected != shown_before  # the new event is inside the range and between kept actors
    kremlin = page.js("() => actorgraph.data.nodes.id[actorgraph.find('Kremlin')]")
    assert page.view()["selected"] == [kremlin]
    page.assert_same_page_and_origin()


def test_a_broken_line_shows_the_banner_and_a_fix_removes_it(live_page, data_copy):
    server, open_page = live_page
    page = open_page()
    path = data_copy / "edges.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    line_no = 7
    parts = lines[line_no - 1].split(",")
    parts[1] = "azerbaijann"
    lines[line_no - 1] = ",".join(parts)
    status = page.status()
    assert page.page.locator("#ag-error").is_hidden()
    path.write_text("".join(lines), encoding="utf-8")
    page.page.wait_for_selector("#ag-error[role=alert]:not([hidden])", timeout=WAIT_MS)
    banner = page.page.text_content("#ag-error")
    assert f"{path}:{line_no}: unknown target node 'azerbaijann' (did you mean 'azerbaijan'?)" in banner
    assert page.page.locator("#ag-error li").count() == 1
    assert page.status() == status  # the last valid map stays
    path.write_text(text, encoding="utf-8")
    page.page.wait_for_selector("#ag-error", state="hidden", timeout=WAIT_MS)
    assert page.status() == status
    page.assert_same_page_and_origin()


def test_a_save_through_a_temporary_file_and_rename_is_picked_up(live_page, data_copy):
    server, open_page = live_page
    page = open_page()
    n_actors, n_events = len(load_dataset(data_copy).nodes), len(load_dataset(data_copy).edges)
    nodes = (data_copy / "nodes.csv").read_text(encoding="utf-8") + "baku_observer,Baku Observer,media,,,\n"
    edges = (data_copy / "edges.csv").read_text(encoding="utf-8") + \
        "baku_observer,russia,accusation,2025-07-20,,Observer accuses Moscow (test row),\n"
    for name, text in (("nodes.csv", nodes), ("edges.csv", edges)):  # as editors save: temp file, rename
        tmp = data_copy / f".{name}.tmp-save"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, data_copy / name)
    page.wait_status(f"^showing {n_actors + 1} of {n_actors + 1} actors, {n_events + 1} of {n_events + 1} events$")
    got = page.js("""() => { const A = actorgraph, i = A.data.nodes.id.indexOf('baku_observer');
        return { shown: A.nodesView.get(i) !== null, lit: A.live.highlighted.actors.includes('baku_observer'),
                 pos: A.network.getPositions([i])[i] }; }""")
    assert got["shown"] and got["lit"] and got["pos"] is not None
    page.assert_same_page_and_origin()


def test_the_page_reaches_its_own_origin_only(live_page, data_copy):
    server, open_page = live_page
    page = open_page()
    # The CSP lets the page connect to its own origin and nowhere else, not even another local port.
    own = page.js("() => fetch('/data').then(r => r.status)")
    assert own == 200
    for url in ("https://example.org/", f"http://127.0.0.1:{server.port + 1}/", "http://localhost:9/x"):
        blocked = page.js("u => fetch(u).then(() => 'fetched', e => 'blocked: ' + e.message)", url)
        assert blocked.startswith("blocked"), url
    page.errors.clear()  # the CSP's console reports of the fetches just refused
    with open(data_copy / "edges.csv", "a", encoding="utf-8") as f:
        f.write(ROW)
    page.page.wait_for_function("() => actorgraph.live.updates >= 1", timeout=WAIT_MS)
    hosts = {urlsplit(u).netloc for u in page.requests}
    assert hosts == {f"127.0.0.1:{server.port}"}, page.requests
    assert any(urlsplit(u).path == "/events" for u in page.requests)
    page.assert_same_page_and_origin()


def test_the_page_says_when_the_server_is_gone(live_page, data_copy):
    server, open_page = live_page
    page = open_page()
    server.close()
    page.page.wait_for_function("() => document.body.getAttribute('data-live') === 'disconnected'", timeout=WAIT_MS)
    assert "unreachable" in page.page.text_content("#ag-live")
    page.errors[:] = [e for e in page.errors if "ERR_CONNECTION_REFUSED" not in e and "EventSource" not in e]
    assert page.status().startswith("showing")


def test_what_counts_as_new_or_changed(live_page):
    """live.js's diff of two payloads, against hand-made edits of the current one."""
    server, open_page = live_page
    page = open_page()
    found = page.js("""() => {
        const before = actorgraph.data, after = JSON.parse(JSON.stringify(before)), E = after.events, N = after.nodes;
        const cols = ['s', 't', 'y', 'w', 'd', 'a', 'b', 'n', 'c'];
        const copy = (e) => cols.map(k => E[k][e]);
        const insert = (at, row) => cols.forEach((k, j) => E[k].splice(at, 0, row[j]));
        const remove = (at) => cols.forEach(k => E[k].splice(at, 1));
        const n = E.s.length;
        E.n[5] = 'an edited note';                                  // event 5 edited in place
        remove(10);                                                 // event 10 deleted
        insert(20, copy(3)); E.n[20] = 'inserted in the middle';    // a new event at 20
        insert(E.s.length, copy(0));                                // a duplicate of event 0, appended
        N.l[2] = N.l[2] + ' (renamed)';                             // actor 2 relabelled
        N.id.push('newcomer'); N.l.push('Newcomer'); N.k.push(0); N.a.push(''); N.al.push(''); N.d.push('');
        return actorgraph.live.changes(before, after);
    }""")
    assert found["actors"] == [2, page.js("() => actorgraph.data.nodes.id.length")]
    n = page.js("() => actorgraph.data.events.s.length")
    assert found["events"] == [5, 20, n]  # edited, inserted, the duplicate appended (deleted: none)
