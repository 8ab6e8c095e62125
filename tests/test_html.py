"""The HTML explorer without a browser: safe embedding, offline page, payload contents, the command."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import sys
import types as pytypes

import numpy as np
import pandas as pd
import pytest

from graph.analysis.alignment.of_view import BlocSettings
from graph.explorer import layout
from graph.explorer import page as ghtml
from graph.explorer.layout import HOSTILE_GAP, SPACING, footprints, layout_positions, text_width, wrap_label
from graph.view.pairs import Pairs
from graph.view.select import Filters
from graph.store.dataset import load_dataset
from tests.conftest import FIXTURES, write_dataset

HOSTILE = FIXTURES / "hostile"

# A small crisis, worked by hand: a and b cooperate (two events), both are hostile to c, d is alone.
NODES = """\
id,label,kind,affiliation,aliases,description
russia,Russia,state,,Kremlin;Moscow,A state.
azerbaijan,Azerbaijan,state,,Baku,Another state.
putin,Vladimir Putin,official,russia,,President.
aliyev,Ilham Aliyev,official,azerbaijan,,President.
sputnik,Sputnik Azerbaijan,media,russia,,News agency.
usa,United States,state,,Washington,
"""
EDGES = """\
source,target,type,date,weight,note,citation
russia,azerbaijan,arrest,2025-06-30,,Raid in Yekaterinburg,https://example.org/raid
azerbaijan,russia,accusation,2025-07,,Accused of torture,"Reuters, 2 July 2025"
putin,aliyev,meeting,2024-10,,Met in Dushanbe,http://example.com/meeting
aliyev,putin,meeting,2024-12,,Phone call,
usa,azerbaijan,support,2025-07-15,,Backed Baku,javascript:alert(1)
azerbaijan,sputnik,arrest,2025-07-01,,Staff detained,https://example.org/sputnik
russia,putin,appointment,,,Head of state,
"""


def dataset(tmp_path: Path, nodes: str = NODES, edges: str = EDGES):
    return load_dataset(write_dataset(tmp_path / "data", nodes, edges))


def page_data(page: str) -> dict:
    """The JSON payload embedded in a rendered page."""
    match = re.search(r'<script type="application/json" id="ag-data">(.*?)</script>', page, re.S)
    assert match, "no data element"
    return json.loads(match.group(1))


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each script element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser


# ---------- embedding ----------

@pytest.mark.parametrize("value", [
    "</script><script>alert(1)</script>", "</SCRIPT >", "<!-- <script>", "a & b > c",
    "line\u2028sep\u2029para", "{{ 7*7 }} ${x}", '"quoted" \\ back',
])
def test_script_json_cannot_close_the_element_and_round_trips(value):
    text = ghtml.script_json({"v": value, "list": [value]})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"v": value, "list": [value]}


def test_script_json_refuses_nan():
    with pytest.raises(ValueError):
        ghtml.script_json({"x": float("nan")})


def test_inline_refuses_code_that_would_end_its_element():
    with pytest.raises(ghtml.ActorgraphError):
        ghtml._inline("var a = '</script>';", "x.js", "</script")
    assert "sourceMappingURL" not in ghtml._inline("a();\n//# sourceMappingURL=a.map\n", "x.js", "</script")


# ---------- the hostile data set ----------

@pytest.fixture(scope="module")
def hostile_page():
    ds = load_dataset(HOSTILE)
    return ds, ghtml.explorer_html(ds, Filters(), ghtml.HtmlOptions(title="<img src=x onerror=alert(9)> & co"))


def test_hostile_page_has_only_our_three_scripts_and_no_markup_from_data(hostile_page):
    _, page = hostile_page
    doc = parse(page)
    names = [t for t, _ in doc.tags]
    assert names.count("script") == 3
    assert [a.get("type") for a, _ in doc.scripts] == ["application/json", None, None]
    assert all("src" not in a for a, _ in doc.scripts)
    for tag in ("img", "svg", "iframe", "a", "link", "object", "embed", "b", "base", "form"):
        assert tag not in names, tag
    for tag, attrs in doc.tags:
        assert not [a for a in attrs if a.lower().startswith("on")], (tag, attrs)


def test_hostile_texts_reach_the_page_unchanged(hostile_page):
    ds, page = hostile_page
    data = page_data(page)
    assert data["nodes"]["l"] == list(ds.nodes["label"])
    assert data["nodes"]["d"] == list(ds.nodes["description"])
    assert data["nodes"]["al"] == list(ds.nodes["aliases"])
    assert data["events"]["n"] == list(ds.edges["note"])
    assert data["events"]["c"] == list(ds.edges["citation"])
    assert data["types"]["l"] == list(ds.types["label"])
    assert any("</script>" in label for label in data["nodes"]["l"])


def test_title_is_escaped(hostile_page):
    _, page = hostile_page
    assert "<title>&lt;img src=x onerror=alert(9)&gt; &amp; co</title>" in page
    assert '<h1 id="ag-title">&lt;img src=x onerror=alert(9)&gt; &amp; co</h1>' in page


def test_page_is_offline_and_locked_down_by_csp(hostile_page):
    _, page = hostile_page
    doc = parse(page)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", page, re.I)
    assert "sourceMappingURL" not in page
    csp = [a["content"] for t, a in doc.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1
    assert "default-src 'none'" in csp[0] and "unsafe-inline" not in csp[0].split("script-src")[1].split(";")[0]
    # Each executable script is allowed by its SHA-256 hash, computed here independently.
    for attrs, text in doc.scripts[1:]:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp[0]


def test_vis_network_comes_from_the_installed_pyvis():
    import pyvis

    js, css = ghtml.vis_assets()
    shipped = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    assert js.strip() == re.sub(r"//# sourceMappingURL=.*", "", shipped.read_text()).strip()
    assert "@version 9.1.2" in js and ".vis-network" in css


# ---------- payload: known answers ----------

def day(text: str) -> int:
    return (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days


#: Blocs from the events alone (no affiliation ties), so the hand-worked blocs below hold for any model setting.
EVENTS_ONLY = ghtml.HtmlOptions(blocs=BlocSettings(time_limit=10, affiliation_weight=0))


def test_payload_nodes_clusters_sizes_and_ranks(tmp_path):
    data = page_data(ghtml.explorer_html(dataset(tmp_path), Filters(), EVENTS_ONLY))
    n = data["nodes"]
    ids = n["id"]
    assert ids == ["russia", "azerbaijan", "putin", "aliyev", "sputnik", "usa"]
    # Degrees by hand: russia 3, azerbaijan 4, putin 3, aliyev 2, sputnik 1, usa 1.
    degree = dict(zip(ids, n["s"]))
    assert degree == {"russia": 3, "azerbaijan": 4, "putin": 3, "aliyev": 2, "sputnik": 1, "usa": 1}
    sizes = dict(zip(ids, n["z"]))
    assert sizes["azerbaijan"] == ghtml.MAX_SIZE
    assert sizes["usa"] == pytest.approx(ghtml.MIN_SIZE + (ghtml.MAX_SIZE - ghtml.MIN_SIZE) * 0.5)
    m = [x["k"] for x in data["metrics"]].index("degree")
    assert dict(zip(ids, n["r"][m])) == {"azerbaijan": 1, "russia": 2, "putin": 2, "aliyev": 4, "sputnik": 5,
                                         "usa": 5}
    # Signed ties: russia-azerbaijan hostile, azerbaijan-sputnik hostile, putin-aliyev and usa-azerbaijan
    # cooperative; russia-putin is neutral only. Blocs {azerbaijan, usa} and {putin, aliyev} (2 each);
    # russia and sputnik each stand apart (aligned: they have signed ties, but no partner).
    cluster = dict(zip(ids, n["c"]))
    assert cluster["azerbaijan"] == cluster["usa"] > 0
    assert cluster["putin"] == cluster["aliyev"] > 0
    assert cluster["azerbaijan"] != cluster["putin"]
    assert cluster["russia"] == cluster["sputnik"] == -1
    # Each bloc is named after its most central member: the largest total |tie| inside the bloc
    # (azerbaijan and usa both 3, putin and aliyev both 2: ties go to the smaller id).
    names = data["blocNames"]
    assert names[cluster["azerbaijan"] - 1] == "Azerbaijan's bloc"
    assert names[cluster["putin"] - 1] == "Ilham Aliyev's bloc"
    assert len(names) == 2
    assert n["a"] == ["", "", "Russia", "Azerbaijan", "Russia", ""]
    assert data["kinds"] == ["state", "official", "media"]
    assert [data["kinds"][k] for k in n["k"]] == ["state", "state", "official", "official", "media", "state"]


def test_payload_events_dates_and_types(tmp_path):
    data = page_data(ghtml.explorer_html(dataset(tmp_path), Filters()))
    e, t, ids = data["events"], data["types"], data["nodes"]["id"]
    assert [(ids[s], ids[d]) for s, d in zip(e["s"], e["t"])][:2] == [("russia", "azerbaijan"), ("azerbaijan", "russia")]
    assert [t["k"][y] for y in e["y"]] == ["arrest", "accusation", "meeting", "meeting", "support", "arrest",
                                           "appointment"]
    assert e["a"][1] == day("2025-07-01") and e["b"][1] == day("2025-07-31")
    assert e["a"][0] == e["b"][0] == day("2025-06-30")
    assert e["a"][6] is None and e["b"][6] is None
    assert e["w"] == [-5, -2, 1, 1, 3, -5, 0]
    arrest = t["k"].index("arrest")
    assert t["p"][arrest] == 0 and t["d"][arrest] == 1 and t["w"][arrest] == -5
    assert data["aggregate"] is False


def test_filters_shape_the_payload(tmp_path):
    ds = dataset(tmp_path)
    data = page_data(ghtml.explorer_html(ds, Filters(since="2025-07", kinds=("state", "media"))))
    assert data["nodes"]["id"] == ["russia", "azerbaijan", "sputnik", "usa"]
    assert len(data["events"]["s"]) == 3  # accusation, support, arrest of Sputnik staff (the 06-30 raid is out)
    ego = page_data(ghtml.explorer_html(ds, Filters(ego="sputnik", depth=1)))
    assert sorted(ego["nodes"]["id"]) == ["azerbaijan", "sputnik"]


def test_many_events_are_aggregated(tmp_path, monkeypatch):
    monkeypatch.setattr(ghtml, "AGGREGATE_ABOVE", 5)
    data = page_data(ghtml.explorer_html(dataset(tmp_path), Filters()))
    assert data["aggregate"] is True and data["aggregateAbove"] == 5
    assert len(data["events"]["s"]) == 7  # every event still travels to the page for the panels


def test_layout_option_and_color_by(tmp_path):
    ds = dataset(tmp_path)
    physics = page_data(ghtml.explorer_html(ds, Filters(), ghtml.HtmlOptions(layout="physics", color_by="kind")))
    assert physics["nodes"]["x"] == [] and physics["settle"] is True and physics["colorBy"] == "kind"
    for layout_name in ("precomputed", "auto"):  # auto: precomputed, never moved by physics afterwards
        pre = page_data(ghtml.explorer_html(ds, Filters(), ghtml.HtmlOptions(layout=layout_name)))
        assert len(pre["nodes"]["x"]) == 6 and pre["settle"] is False
    # Labels wider than the wrap width travel wrapped on word boundaries; short ones as "".
    assert pre["nodes"]["wl"] == ["", "", "", "", "", ""] and pre["font"] == ghtml.FONT_SIZE
    with pytest.raises(ghtml.ActorgraphError, match="unknown metric"):
        ghtml.explorer_html(ds, Filters(), ghtml.HtmlOptions(size_by="degre"))


# ---------- layout ----------

def pairs_of(n: int, ties, weights=None) -> Pairs:
    """A ``Pairs`` table for actors 0..n-1 joined by undirected ``ties``, one event each, with the
    given signed weights (default: neutral, weight 0)."""
    ties = np.asarray(ties, dtype=np.int64).reshape(-1, 2)
    weights = np.zeros(len(ties)) if weights is None else np.asarray(weights, dtype=float)
    lo, hi = ties.min(axis=1), ties.max(axis=1)
    table = pd.DataFrame({"source": lo, "target": hi, "directed": False, "events": 1,
                          "signed_events": (weights != 0).astype(np.int64), "weight": weights,
                          "hostile": np.minimum(weights, 0), "cooperative": np.maximum(weights, 0)})
    table = table.groupby(["source", "target", "directed"], as_index=False).sum()
    return Pairs(pd.Index([f"a{i}" for i in range(n)]), table)


def boxes_intersect(xy, boxes) -> list[tuple[int, int]]:
    """Brute force: every pair whose footprint rectangles intersect."""
    left, right = xy[:, 0] - boxes[:, 0], xy[:, 0] + boxes[:, 0]
    top, bottom = xy[:, 1] - boxes[:, 1], xy[:, 1] + boxes[:, 2]
    return [(i, j) for i in range(len(xy)) for j in range(i + 1, len(xy))
            if left[i] < right[j] and left[j] < right[i] and top[i] < bottom[j] and top[j] < bottom[i]]


def test_layout_is_deterministic_and_leaves_random_state_alone():
    rng = np.random.default_rng(3)
    ties = rng.integers(0, 300, size=(900, 2))
    ties = ties[ties[:, 0] != ties[:, 1]]
    random.seed(123)
    before = random.random()
    random.seed(123)
    a = layout_positions(pairs_of(300, ties))
    assert random.random() == before
    b = layout_positions(pairs_of(300, ties[::-1]))
    assert a.shape == (300, 2) and np.array_equal(a, b)
    assert np.allclose(np.median(a, axis=0), 0, atol=1.0)


def test_layout_keeps_isolated_actors_near_the_drawing():
    # A 200-actor ring plus 5 isolated actors: none may sit far outside the ring (or "fit" shrinks it).
    ties = [(i, (i + 1) % 200) for i in range(200)] + [(i, (i + 7) % 200) for i in range(200)]
    xy = layout_positions(pairs_of(205, ties))
    r = np.hypot(xy[:, 0], xy[:, 1])
    assert r.max() <= 1.5 * np.percentile(r[:200], 98)


def test_layout_puts_linked_actors_closer_than_unlinked_ones():
    # Two 10-cliques joined by one edge: the mean distance inside a clique is well below across.
    ties = [(i, j) for g in (0, 10) for i in range(g, g + 10) for j in range(i + 1, g + 10)] + [(0, 10)]
    xy = layout_positions(pairs_of(20, ties, [2.0] * (len(ties))))
    d = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    inside = np.mean([d[i, j] for i in range(10) for j in range(10) if i != j])
    across = np.mean([d[i, j] for i in range(10) for j in range(10, 20)])
    assert inside < across / 2


def camps(blocs=True):
    """Three camps of five: cooperation inside each; A (0-4) and B (5-9) hostile to each other (every
    pair), A and C (10-14) joined by two cooperative ties."""
    ties, weights = [], []
    for g in (0, 5, 10):
        for i in range(g, g + 5):
            for j in range(i + 1, g + 5):
                ties.append((i, j))
                weights.append(4.0)
    for i in range(5):
        for j in range(5, 10):
            ties.append((i, j))
            weights.append(-6.0)
    ties += [(0, 10), (1, 11)]
    weights += [3.0, 3.0]
    bloc = np.repeat([1, 2, 3], 5) if blocs else None
    return pairs_of(15, ties, weights), bloc


def test_layout_pushes_hostile_camps_apart_and_pulls_cooperating_ones_together():
    pairs, bloc = camps()
    xy = layout_positions(pairs, bloc)
    d = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    a, b, c = range(0, 5), range(5, 10), range(10, 15)
    # The hostile camps stand at least the hostile gap apart, actor to actor ...
    assert min(d[i, j] for i in a for j in b) > HOSTILE_GAP * SPACING
    # ... every camp is tighter than the distance to the hostile camp ...
    widest = max(d[i, j] for g in (a, b, c) for i in g for j in g)
    assert widest < min(d[i, j] for i in a for j in b)
    # ... and the cooperating camp C is nearer to A than the hostile camp B is.
    centre = [xy[list(g)].mean(axis=0) for g in (a, b, c)]
    assert np.linalg.norm(centre[0] - centre[2]) < np.linalg.norm(centre[0] - centre[1])


def test_layout_without_blocs_still_sets_hostile_camps_apart():
    # Hostile ties never pull: with no bloc given, the two hostile camps still separate.
    pairs, _ = camps(blocs=False)
    xy = layout_positions(pairs)
    d = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    inside = np.mean([d[i, j] for g in (range(5), range(5, 10)) for i in g for j in g if i != j])
    across = np.mean([d[i, j] for i in range(5) for j in range(5, 10)])
    assert inside < across / 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_two_footprints_overlap(seed):
    # Random graphs with random blocs, sizes and label lengths (some wrapped): checked by brute force.
    rng = np.random.default_rng(seed)
    n = 120
    ties = rng.integers(0, n, size=(400, 2))
    ties = ties[ties[:, 0] != ties[:, 1]]
    weights = rng.choice([-5.0, 0.0, 3.0], size=len(ties))
    words = ["Ministry", "of", "Foreign", "Affairs", "Azerbaijan", "police", "W", "iii", "Sputnik"]
    labels = [" ".join(rng.choice(words, size=rng.integers(1, 7))) for _ in range(n)]
    lines = [wrap_label(t, 14) for t in labels]
    boxes = footprints(lines, rng.uniform(8, 40, size=n), 14)
    xy = layout_positions(pairs_of(n, ties, weights), rng.integers(0, 6, size=n), boxes)
    assert boxes_intersect(xy, boxes) == []
    assert len(layout.overlaps(xy, boxes)) == 0


def test_remove_overlaps_parts_actors_at_the_same_spot():
    boxes = np.tile([40.0, 10.0, 30.0], (6, 1))
    xy = layout.remove_overlaps(np.zeros((6, 2)), boxes)
    assert boxes_intersect(xy, boxes) == []


def test_footprint_matches_vis_network_geometry():
    # Shape 2*size tall; label from size + font/2 + 4 below the centre, one font size per line.
    half, above, below = footprints([["Russia"], ["a", "b"]], [10.0, 30.0], 14)[0]
    assert above == 10 + layout.MARGIN / 2
    assert below == pytest.approx(10 + 7 + 4 + 14 + layout.MARGIN / 2)
    assert footprints([["a", "b"]], [30.0], 14)[0, 2] == pytest.approx(30 + 7 + 4 + 28 + layout.MARGIN / 2)
    assert half == pytest.approx(max(10, text_width("Russia", 14) / 2) + layout.MARGIN / 2)


def test_text_width_agrees_with_another_renderer():
    # Pillow lays the text out with FreeType (kerning included, as browsers do) from the same font
    # file: an independent measurement. Without kerning ours is an upper bound, and a close one.
    from PIL import ImageFont
    import matplotlib

    font = ImageFont.truetype(str(Path(matplotlib.__file__).parent / "mpl-data/fonts/ttf/DejaVuSans.ttf"), 1000)
    for text in ["Russia", "Azerbaijani community leaders in Russia", "Ministry of Internal Affairs", "WWW iii"]:
        measured = font.getlength(text) * 14 / 1000
        assert measured <= text_width(text, 14) <= measured * 1.03


def test_wrap_label_breaks_on_spaces_only():
    text = "Azerbaijani community leaders in Russia"
    lines = wrap_label(text, 14)
    assert len(lines) > 1 and " ".join(lines) == text
    assert all(text_width(line, 14) <= layout.WRAP_WIDTH for line in lines)
    assert wrap_label("Russia", 14) == ["Russia"]
    long_word = "Supercalifragilisticexpialidocious-Agency"
    assert wrap_label(long_word + " of X", 14) == [long_word, "of X"]


def test_layout_small_cases():
    assert layout_positions(pairs_of(0, [])).shape == (0, 2)
    assert layout_positions(pairs_of(1, [])).tolist() == [[0.0, 0.0]]
    assert layout_positions(pairs_of(3, [])).shape == (3, 2)


# ---------- blocs, periods, confidence ----------

def test_bloc_codes_keep_real_blocs_and_set_singletons_apart():
    al = pytypes.SimpleNamespace(clusters=[["a", "b", "c"], ["d", "e"], ["f"]],
                                 cluster_of={"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 3},
                                 names=["A's bloc", "D's bloc", "F's bloc"], apart=["g"], unaligned=["h"])
    codes, names = ghtml.bloc_codes(["a", "d", "f", "g", "h", "z"], al)
    assert codes == [1, 2, -1, -1, 0, 0]
    assert names == ["A's bloc", "D's bloc"]


HISTORY = {
    "periods": [
        {"label": "2024", "since": "2024-01-01", "until": "2024-12-31", "method": "exact", "frustration": 0.0,
         "clusters": [{"id": 7, "name": "Ilham Aliyev's bloc", "members": ["putin", "aliyev"]}],
         "apart": [], "unaligned": ["russia", "azerbaijan", "sputnik", "usa"]},
        {"label": "2025", "since": "2025", "until": "2025-12", "method": "heuristic", "frustration": 1.5,
         "clusters": [{"id": 3, "name": "Azerbaijan's bloc", "members": ["azerbaijan", "usa"]},
                      {"id": 7, "name": "Russia's bloc", "members": ["russia", "sputnik", "nobody"]}],
         "apart": ["aliyev"], "unaligned": ["putin"]},
    ],
    "moves": [{"id": "russia", "period": "2025", "from": None, "to": 7},
              {"id": "putin", "period": "2025", "from": 7, "to": None},
              {"id": "aliyev", "period": 1, "from": 7, "to": None},
              {"id": "nobody", "period": "2025", "from": None, "to": 3}],
}


def test_period_payload_by_hand():
    ids = pd.Index(["russia", "azerbaijan", "putin", "aliyev", "sputnik", "usa"])
    whole = [-1, 1, 2, 2, -1, 1]  # whole view: bloc 1 {azerbaijan, usa}, bloc 2 {putin, aliyev}
    p = ghtml.period_payload(HISTORY, ids, whole)
    assert p["labels"] == ["2024", "2025"]
    assert p["lo"] == [day("2024-01-01"), day("2025-01-01")]
    assert p["hi"] == [day("2024-12-31"), day("2025-12-31")]  # partial dates cover their whole span
    assert p["method"] == ["exact", "heuristic"] and p["frustration"] == [0, 1.5]
    # Slots in order of first appearance: id 7 -> slot 1, id 3 -> slot 2.
    assert p["c"] == [[0, 0, 1, 1, 0, 0], [1, 2, 0, -1, 1, 2]]
    assert p["blocs"] == [[{"s": 1, "n": "Ilham Aliyev's bloc"}],
                          [{"s": 2, "n": "Azerbaijan's bloc"}, {"s": 1, "n": "Russia's bloc"}]]
    # Colours: slot 2 overlaps whole bloc 1 twice (azerbaijan, usa) -> colour 1; slot 1 overlaps whole
    # bloc 2 twice (putin, aliyev in 2024) -> colour 2.
    assert p["colour"] == [2, 1]
    # Moves by actor position, period index (given as label or index), slots + 1 (0: no bloc); actors
    # outside the view are left out.
    assert p["moves"] == {"a": [0, 2, 3], "p": [1, 1, 1], "f": [0, 1, 1], "t": [1, 0, 0]}


def fake_module(monkeypatch, name: str, **functions):
    module = pytypes.ModuleType(name)
    module.__dict__.update(functions)
    monkeypatch.setitem(sys.modules, name, module)


def test_every_and_confidence_are_embedded(tmp_path, monkeypatch):
    calls = {}

    def blocs_over_time(ds, filters, every, window=None, settings=None, progress=None):
        calls["history"] = (filters, every, window, settings)
        return pytypes.SimpleNamespace(to_dict=lambda: HISTORY)

    def bloc_confidence(view, settings=None, resamples=200, seed=0, progress=None):
        calls["confidence"] = (list(view.nodes.index), settings, resamples)
        return {"azerbaijan": 0.9, "usa": 0.755, "putin": float("nan")}

    fake_module(monkeypatch, "graph.analysis.alignment.over_time", blocs_over_time=blocs_over_time)
    fake_module(monkeypatch, "graph.analysis.alignment.confidence", bloc_confidence=bloc_confidence)
    settings = BlocSettings(time_limit=5, affiliation_weight=2.5)
    options = ghtml.HtmlOptions(every="year", window="2Y", confidence=True, resamples=40, blocs=settings)
    filters = Filters(since="2024")
    data = page_data(ghtml.explorer_html(dataset(tmp_path), filters, options))
    assert calls["history"] == (filters, "year", "2Y", settings)
    assert calls["confidence"][1:] == (settings, 40)
    assert data["periods"]["labels"] == ["2024", "2025"]
    assert data["confidence"] == {"resamples": 40}
    assert data["nodes"]["cf"] == [None, 0.9, None, None, None, 0.755]
    plain = page_data(ghtml.explorer_html(dataset(tmp_path), Filters()))
    assert plain["periods"] is None and plain["confidence"] is None and plain["nodes"]["cf"] == []


@pytest.mark.parametrize("options, message", [
    (ghtml.HtmlOptions(every="week"), "unknown --every 'week'"),
    (ghtml.HtmlOptions(window="2"), "needs --every"),
    (ghtml.HtmlOptions(resamples=0), "--resamples"),
])
def test_bad_period_options(tmp_path, options, message):
    with pytest.raises(ghtml.ActorgraphError, match=message):
        ghtml.explorer_html(dataset(tmp_path), Filters(), options)


def test_the_view_is_aggregated_once(tmp_path, monkeypatch):
    import graph.view.pairs as pairs_module

    count = []
    real = pairs_module.pair_table
    monkeypatch.setattr(pairs_module, "pair_table", lambda view: count.append(1) or real(view))
    ghtml.explorer_html(dataset(tmp_path), Filters())
    assert len(count) == 1


def test_bloc_settings_reach_the_model(tmp_path, monkeypatch):
    import graph.analysis.alignment.of_view as of_view

    seen = []
    real = of_view.blocs_of_view
    monkeypatch.setattr(of_view, "blocs_of_view", lambda view, settings, pairs=None: seen.append(settings) or
                        real(view, settings, pairs=pairs))
    settings = BlocSettings(time_limit=3, affiliation_weight=1.5, seed=4)
    ghtml.explorer_html(dataset(tmp_path), Filters(), ghtml.HtmlOptions(blocs=settings))
    assert seen == [settings]
    # A page is built in seconds: longer time limits are capped.
    ghtml.explorer_html(dataset(tmp_path), Filters(), ghtml.HtmlOptions(blocs=BlocSettings(time_limit=60, seed=4)))
    assert seen[1] == BlocSettings(time_limit=ghtml.CLUSTER_TIME_LIMIT, seed=4)


# ---------- the command ----------

def test_html_command_writes_the_page_and_prints_its_path(tmp_path, run):
    folder = write_dataset(tmp_path / "data", NODES, EDGES)
    out = tmp_path / "out" / "map.html"
    result = run("html", "--data", folder, "-o", out, "--kinds", "state", "--title", "T")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["nodes"]["id"] == ["russia", "azerbaijan", "usa"] and data["title"] == "T"
    assert not list(out.parent.glob(".*"))  # no temporary file left behind


def test_html_command_ego_and_default_output(tmp_path, run, monkeypatch):
    folder = write_dataset(tmp_path / "data", NODES, EDGES)
    monkeypatch.chdir(tmp_path)
    result = run("html", "--data", folder, "--ego", "usa", "--depth", "1")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "actorgraph.html"
    assert result.stdout.strip() == str(Path("out") / "actorgraph.html")
    assert sorted(page_data(out.read_text())["nodes"]["id"]) == ["azerbaijan", "usa"]
    assert "out/actorgraph.html" in run("html", "--help").stdout


def test_html_command_invalid_data_writes_nothing(tmp_path, run):
    folder = write_dataset(tmp_path / "data", NODES, EDGES + "russia,nowhere,arrest,2025-13-01,,x,\n")
    out = tmp_path / "map.html"
    out.write_text("old page")
    result = run("html", "--data", folder, "-o", out)
    assert result.exit_code == 1
    assert "unknown target node 'nowhere'" in result.stderr and "Traceback" not in result.output
    assert out.read_text() == "old page"


@pytest.mark.parametrize("args, message", [
    (["--size-by", "pagerankk"], "unknown metric 'pagerankk'"),
    (["--ego", "rusia"], "did you mean 'russia'"),
    (["--since", "2025-13"], "impossible date"),
    (["--window", "2"], "needs --every"),
])
def test_html_command_bad_options_are_one_line_errors(tmp_path, run, args, message):
    folder = write_dataset(tmp_path / "data", NODES, EDGES)
    out = tmp_path / "map.html"
    result = run("html", "--data", folder, "-o", out, *args)
    assert result.exit_code == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_clusters_of_and_a_given_analysis(tmp_path):
    from graph.view.select import select

    ds = dataset(tmp_path)
    view = select(ds, Filters())
    codes, method = ghtml.clusters_of(view, EVENTS_ONLY.blocs)
    assert method in ("exact", "heuristic")
    assert codes == page_data(ghtml.explorer_html(ds, Filters(), EVENTS_ONLY))["nodes"]["c"]
    # A payload built from a given analysis (as actorgraph serve does) draws that analysis.
    analysis = ghtml.analyse(view, EVENTS_ONLY)
    analysis.names = ["First", "Second"]
    data = ghtml.payload(ds, view, EVENTS_ONLY, analysis)
    assert data["blocNames"] == ["First", "Second"] and data["nodes"]["c"] == codes
    assert data["nodes"]["x"] == [float(v) for v in analysis.xy[:, 0]]
