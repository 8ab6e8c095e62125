"""The map tells the bloc story, checked in Chromium: labels that never overlap on the bundled data,
a legend that wraps between words, and the period slider (recolouring, events shown, moves)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.explorer import page as ghtml
from graph.store.dataset import load_dataset
from graph.view.select import Filters
from tests.conftest import DEFAULT_TYPES, write_dataset
from tests.test_html import EDGES, HISTORY, NODES, dataset, fake_module, page_data
from tests.test_html_browser import Page, browser  # noqa: F401  (the browser fixture)

BUNDLED = Path(__file__).resolve().parent.parent / "data"
PALETTE = ["#1f77b4", "#ff7f0e", "#9467bd"]
UNALIGNED, APART = "#b0b0b0", "#ffffff"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, browser):  # noqa: F811
    folder = tmp_path_factory.mktemp("bundled")
    path = ghtml.write_page(ghtml.explorer_html(load_dataset(BUNDLED), Filters()), folder / "map.html")
    page = Page(browser, path)
    yield page
    page.close()


LABEL_BOXES = """() => {
  const n = actorgraph.network, ids = actorgraph.nodesView.getIds();
  const ctx = document.createElement('canvas').getContext('2d');
  const boxes = ids.map(i => {
    const node = n.body.nodes[i], s = node.labelModule.size, f = node.labelModule.fontOptions;
    ctx.font = f.size + 'px ' + f.face;
    const lines = String(node.options.label).split('\\n');
    return { id: actorgraph.data.nodes.id[i], left: s.left, top: s.top, width: s.width, height: s.height,
             measured: Math.max(...lines.map(t => ctx.measureText(t).width)), lines: lines.length,
             font: f.size, x: node.x, y: node.y, size: node.options.size, visible: node.labelModule.visible(),
             topLeft: n.canvasToDOM({ x: s.left, y: s.top }),
             bottomRight: n.canvasToDOM({ x: s.left + s.width, y: s.top + s.height }) };
  });
  const r = document.getElementById('ag-network').getBoundingClientRect();
  return { scale: n.getScale(), boxes: boxes, width: r.width, height: r.height,
           threshold: n.body.nodes[ids[0]].options.scaling.label.drawThreshold };
}"""


def intersect(a: dict, b: dict) -> bool:
    return (a["left"] < b["left"] + b["width"] and b["left"] < a["left"] + a["width"]
            and a["top"] < b["top"] + b["height"] and b["top"] < a["top"] + a["height"])


def test_no_two_labels_overlap_in_the_default_view_of_the_bundled_data(bundled):
    view = bundled.js(LABEL_BOXES)
    boxes = view["boxes"]
    assert len(boxes) == len(load_dataset(BUNDLED).nodes)  # every actor is in the default view
    for box in boxes:
        # The box is the drawn text: vis-network's label box is as wide as the canvas measures the text
        # (longest line) and one font size tall per line ...
        assert box["width"] == pytest.approx(box["measured"], abs=0.5), box["id"]
        assert box["height"] == pytest.approx(box["lines"] * box["font"], abs=0.5), box["id"]
        # ... it is drawn (vis-network skips labels below its threshold) at a readable size ...
        assert box["visible"] and box["font"] * view["scale"] >= max(view["threshold"], 8), box["id"]
        # ... and lies inside the map as first shown.
        assert box["topLeft"]["x"] >= 0 and box["topLeft"]["y"] >= 0, box["id"]
        assert box["bottomRight"]["x"] <= view["width"] and box["bottomRight"]["y"] <= view["height"], box["id"]
    overlapping = [(a["id"], b["id"]) for k, a in enumerate(boxes) for b in boxes[k + 1:] if intersect(a, b)]
    assert overlapping == []
    # No label covers another actor's shape either (each shape is 2 * size wide and tall).
    shapes = [{"id": b["id"], "left": b["x"] - b["size"], "top": b["y"] - b["size"], "width": 2 * b["size"],
               "height": 2 * b["size"]} for b in boxes]
    covered = [(a["id"], s["id"]) for a in boxes for s in shapes if a["id"] != s["id"] and intersect(a, s)]
    assert covered == []


WORD_LINES = """list => list.map(span => {
  const text = span.firstChild, words = [], rects = [];
  const re = /\\S+/g; let m;
  while ((m = re.exec(text.data))) {
    const range = document.createRange();
    range.setStart(text, m.index); range.setEnd(text, m.index + m[0].length);
    words.push(new Set([...range.getClientRects()].map(r => Math.round(r.top))).size);
  }
  const all = document.createRange(); all.selectNodeContents(span);
  return { text: text.data, wordLines: words,
           lines: new Set([...all.getClientRects()].map(r => Math.round(r.top))).size,
           overflow: span.scrollWidth > span.clientWidth + 1 };
})"""


LONG_TYPES = DEFAULT_TYPES + """\
extra,Extraterritorial prosecution of dissidents abroad,hostile,-3,true
intel,Counterintelligence surveillance operations,hostile,-2,true
"""


def test_legend_wraps_long_type_names_between_words(bundled, tmp_path, browser):  # noqa: F811
    edges = EDGES + "russia,azerbaijan,extra,2025-08,,x,\nrussia,usa,intel,2025-08,,y,\n"
    ds = load_dataset(write_dataset(tmp_path / "data", NODES, edges, LONG_TYPES))
    page = Page(browser, ghtml.write_page(ghtml.explorer_html(ds, Filters()), tmp_path / "long.html"))
    try:
        for shown in (bundled, page):
            rows = shown.page.locator("#ag-types .ag-name, #ag-clusters .ag-name").evaluate_all(WORD_LINES)
            assert len(rows) >= 7
            for row in rows:
                assert all(lines == 1 for lines in row["wordLines"]), row  # no word is split across lines
                assert not row["overflow"], row
            wrapped = {row["text"] for row in rows if row["lines"] > 1}
            if shown is bundled:  # too long for the column: they did wrap
                assert {"Close ties / diplomatic cooperation", "Cancellation of events or visits"} <= wrapped
            else:
                assert {"Extraterritorial prosecution of dissidents abroad",
                        "Counterintelligence surveillance operations"} <= wrapped
    finally:
        page.close()


@pytest.fixture()
def periods(tmp_path, browser, monkeypatch):  # noqa: F811
    fake_module(monkeypatch, "graph.analysis.alignment.over_time",
                blocs_over_time=lambda *args, **kwargs: type("H", (), {"to_dict": lambda self: HISTORY})())
    html = ghtml.explorer_html(dataset(tmp_path), Filters(), ghtml.HtmlOptions(every="year"))
    page = Page(browser, ghtml.write_page(html, tmp_path / "periods.html"))
    yield page, page_data(html)
    page.close()


def colours(page: Page) -> dict[str, str]:
    return dict(zip(page.js("actorgraph.data.nodes.id"),
                    page.js("actorgraph.nodes.get().map(n => n.color.background)")))


def status(page: Page) -> str:
    return page.js("document.getElementById('ag-status').textContent")


def test_period_slider_recolours_shows_the_period_and_lists_moves(periods):
    page, data = periods
    whole = colours(page)
    p = data["periods"]
    slot_colour = [PALETTE[k - 1] for k in p["colour"]]  # the colour each period bloc slot is drawn in
    assert page.js("document.getElementById('ag-periods').hidden") is False
    assert page.page.inner_text("#ag-period-label") == "whole view"
    # Step to the first period with the keyboard, as a user would.
    page.page.focus("#ag-period")
    page.page.keyboard.press("Home")
    assert page.page.inner_text("#ag-period-label") == "2024"
    c = colours(page)
    assert c["putin"] == c["aliyev"] == slot_colour[0]
    assert {c[a] for a in ("russia", "azerbaijan", "sputnik", "usa")} == {UNALIGNED}
    # 2024 shows the two meetings and the undated appointment (a standing relation).
    assert status(page) == "showing 6 of 6 actors, 3 of 7 events"
    assert page.visible_events() == sorted(["Met in Dushanbe", "Phone call", "Head of state"])
    page.page.keyboard.press("ArrowRight")
    assert page.page.inner_text("#ag-period-label") == "2025"
    c = colours(page)
    assert c["azerbaijan"] == c["usa"] == slot_colour[1]
    assert c["russia"] == c["sputnik"] == slot_colour[0]
    assert c["aliyev"] == APART and c["putin"] == UNALIGNED
    assert status(page) == "showing 6 of 6 actors, 5 of 7 events"
    assert "Russia's bloc" in page.js("i => actorgraph.nodes.get(i).title", page.index("russia"))  # tooltip
    legend = page.page.inner_text("#ag-clusters")
    assert "Azerbaijan's bloc" in legend and "Russia's bloc" in legend and "standing apart" in legend
    # The side panel lists the actor's moves, the one into the shown period marked.
    page.page.fill("#ag-search", "Kremlin")
    page.page.press("#ag-search", "Enter")
    page.wait_panel("actor", "russia")
    moves = page.page.locator("#ag-panel-body .ag-moves li")
    assert moves.all_inner_texts() == ["2025\nno bloc \u2192 Russia's bloc"]
    assert moves.first.get_attribute("class") == "ag-current"
    assert "bloc in 2025\nRussia's bloc" in page.panel_text()
    page.page.fill("#ag-search", "Vladimir Putin")
    page.page.press("#ag-search", "Enter")
    page.wait_panel("actor", "putin")
    # Putin left the bloc that was named after Aliyev in 2024.
    assert page.page.locator("#ag-panel-body .ag-moves li").all_inner_texts() == [
        "2025\nIlham Aliyev's bloc \u2192 no bloc"]
    # The last position is the whole view again: its colours, every event.
    page.page.click("#ag-close")  # ends the neighbourhood highlight, which dims the colours
    page.page.focus("#ag-period")
    page.page.keyboard.press("End")
    assert page.page.inner_text("#ag-period-label") == "whole view"
    assert colours(page) == whole
    assert status(page) == "showing 6 of 6 actors, 7 of 7 events"
    assert page.errors == [] and page.requests == [page.url]


def test_play_steps_through_every_period_and_stops(periods):
    page, _ = periods
    page.page.click("#ag-play")
    assert page.js("actorgraph.periodOf()") == 0
    assert page.page.get_attribute("#ag-play", "aria-pressed") == "true"
    page.page.wait_for_function("() => actorgraph.periodOf() === 1", timeout=5000)
    page.page.wait_for_function("() => document.getElementById('ag-play').getAttribute('aria-pressed') === 'false'",
                                timeout=5000)
    assert page.js("actorgraph.periodOf()") == 1  # stopped on the last period
    page.page.click("#ag-reset")
    assert page.page.inner_text("#ag-period-label") == "whole view"
    assert page.errors == []


def test_pages_without_periods_hide_the_slider(bundled):
    assert bundled.js("document.getElementById('ag-periods').hidden") is True
    assert "Moves" not in bundled.page.inner_text("#ag-panel-body")
