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

import numpy as np
import pytest

from graph.explorer import page as ghtml
from graph.explorer.layout import SPACING, layout_positions
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


def test_payload_nodes_clusters_sizes_and_ranks(tmp_path):
    data = page_data(ghtml.explorer_html(dataset(tmp_path), Filters()))
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
    # Signed ties: russia-azerbaijan -7, azerbaijan-sputnik -5, putin-aliyev +2, usa-azerbaijan +3, and
    # the affiliations putin, sputnik -> russia and aliyev -> azerbaijan +10 each. Two camps, the
    # presidents' meetings (+2) crossing them: {aliyev, azerbaijan, usa} (1) and {putin, russia, sputnik} (2).
    cluster = dict(zip(ids, n["c"]))
    assert cluster == {"azerbaijan": 1, "usa": 1, "aliyev": 1, "russia": 2, "putin": 2, "sputnik": 2}
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
    pre = page_data(ghtml.explorer_html(ds, Filters(), ghtml.HtmlOptions(layout="precomputed")))
    assert len(pre["nodes"]["x"]) == 6 and pre["settle"] is False
    with pytest.raises(ghtml.ActorgraphError, match="unknown metric"):
        ghtml.explorer_html(ds, Filters(), ghtml.HtmlOptions(size_by="degre"))


# ---------- layout ----------

def test_layout_is_deterministic_scaled_and_leaves_random_state_alone():
    rng = np.random.default_rng(3)
    pairs = rng.integers(0, 300, size=(900, 2))
    random.seed(123)
    before = random.random()
    random.seed(123)
    a = layout_positions(300, pairs)
    assert random.random() == before
    b = layout_positions(300, pairs[::-1])
    assert a.shape == (300, 2) and np.array_equal(a, b)
    d = np.linalg.norm(a[:, None] - a[None], axis=2)
    np.fill_diagonal(d, np.inf)
    assert np.median(d.min(axis=1)) == pytest.approx(SPACING, rel=0.01)
    assert np.allclose(np.median(a, axis=0), 0, atol=1.0)


def test_layout_keeps_isolated_actors_near_the_drawing():
    # A 200-actor ring plus 5 isolated actors: none may sit far outside the ring (or "fit" shrinks it).
    pairs = np.array([(i, (i + 1) % 200) for i in range(200)] + [(i, (i + 7) % 200) for i in range(200)])
    xy = layout_positions(205, pairs)
    r = np.hypot(xy[:, 0], xy[:, 1])
    assert r.max() <= 1.25 * np.percentile(r[:200], 98)


def test_layout_puts_linked_actors_closer_than_unlinked_ones():
    # Two 10-cliques joined by one edge: the mean distance inside a clique is well below across.
    pairs = [(i, j) for g in (0, 10) for i in range(g, g + 10) for j in range(i + 1, g + 10)] + [(0, 10)]
    xy = layout_positions(20, np.array(pairs))
    d = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    inside = np.mean([d[i, j] for i in range(10) for j in range(10) if i != j])
    across = np.mean([d[i, j] for i in range(10) for j in range(10, 20)])
    assert inside < across / 2


def test_layout_small_cases():
    assert layout_positions(0, np.zeros((0, 2))).shape == (0, 2)
    assert layout_positions(1, np.zeros((0, 2))).tolist() == [[0.0, 0.0]]
    assert layout_positions(3, np.zeros((0, 2))).shape == (3, 2)


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
])
def test_html_command_bad_options_are_one_line_errors(tmp_path, run, args, message):
    folder = write_dataset(tmp_path / "data", NODES, EDGES)
    out = tmp_path / "map.html"
    result = run("html", "--data", folder, "-o", out, *args)
    assert result.exit_code == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()
