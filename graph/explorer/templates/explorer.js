/* actorgraph explorer: draws the JSON payload with vis-network.
 * Every text from the data is put into the page with textContent (or as a string tooltip, which
 * vis-network 9 shows with innerText); nothing from the data is ever parsed as HTML. */
(function () {
  "use strict";

  var marks = { start: performance.now() };  // stage timings, read by scripts/bench_html
  var D = JSON.parse(document.getElementById("ag-data").textContent);
  marks.parsed = performance.now();
  var N = D.nodes, E = D.events, T = D.types;
  var nN = N.id.length, nE = E.s.length;
  var DAY = 86400000;

  var POL_COLOR = ["#d62728", "#2ca02c", "#8c8c8c"]; // hostile, cooperative, neutral
  var SHAPES = { state: "square", official: "dot", institution: "diamond", media: "triangle",
                 group: "star", person: "triangleDown", region: "hexagon" };
  var KIND_COLOR = { state: "#4e79a7", official: "#f28e2b", institution: "#e15759", media: "#76b7b2",
                     group: "#59a14f", person: "#edc948", region: "#b07aa1" };
  var PALETTE = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                 "#393b79", "#ad494a", "#637939", "#7b4173", "#3182bd", "#e6550d", "#31a354"];
  var UNALIGNED = "#b0b0b0", APART = "#ffffff";  // neutral: grey fill, and white (with the dark border)
  var DIM_NODE = { background: "rgba(200,200,200,0.3)", border: "rgba(170,170,170,0.3)" };
  var DIM_EDGE = "#e8e8e8";
  var big = D.big;
  var settle = D.settle && nN > 1;  // physics never reports "stabilized" for an empty map

  // ---------- small DOM helpers (textContent only) ----------
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function webLink(text) {
    // Only absolute http(s) URLs become links; javascript:, data: and anything else stay text.
    var s = String(text).trim();
    if (!/^https?:\/\/\S+$/i.test(s)) return null;
    try {
      var u = new URL(s);
      if (u.protocol !== "http:" && u.protocol !== "https:") return null;
      return u.href;
    } catch (err) { return null; }
  }
  function citation(text) {
    var href = webLink(text);
    if (!href) return el("span", text, "ag-cite");
    var a = el("a", text, "ag-cite");
    a.href = href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }
  // ---------- blocs: of the whole view, or of the period the slider shows ----------
  // A bloc code is k > 0 for bloc k, -1 for an actor standing apart, 0 for the unaligned. D.periods (blocs
  // per period) is null unless the page was made with --every; period is the index shown, null for the
  // whole view. Everything is read from D on demand, so new data (actorgraph serve) needs no extra step.
  var period = null;
  function shown() {  // the period shown, null for the whole view (also while new data lacks that period)
    return period !== null && D.periods && period < D.periods.labels.length ? period : null;
  }
  function blocOf(i) { var p = shown(); return p === null ? N.c[i] : D.periods.c[p][i]; }
  function paletteColor(k) {
    if (k <= PALETTE.length) return PALETTE[k - 1];
    return "hsl(" + Math.round((k * 137.508) % 360) + ",55%,50%)";
  }
  function clusterColor(c) {
    if (c === 0) return UNALIGNED;
    if (c < 0) return APART;
    return paletteColor(shown() === null ? c : D.periods.colour[c - 1]);
  }
  function kindOf(i) { return D.kinds[N.k[i]]; }
  function nodeColor(i) { return D.colorBy === "kind" ? KIND_COLOR[kindOf(i)] : clusterColor(blocOf(i)); }
  function clusterName(c, when) {  // when: a period index, null for the whole view (default: what is shown)
    if (when === undefined) when = shown();
    if (c === 0) return "unaligned";
    if (c < 0) return "standing apart";
    if (when === null) return D.blocNames[c - 1] || "bloc " + c;
    var listed = D.periods.blocs[when].filter(function (b) { return b.s === c; })[0];
    return listed ? listed.n : "bloc " + c;
  }
  function dateText(e) { return E.d[e] || "undated"; }
  function typeLabel(e) { return T.l[E.y[e]]; }
  function polarity(e) { return T.p[E.y[e]]; }
  function directed(e) { return T.d[E.y[e]] === 1; }
  function dayOf(value) { return value ? Math.floor(Date.parse(value) / DAY) : null; }
  function isoDay(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
  function svgShape(shape, color) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "14"); svg.setAttribute("height", "14"); svg.setAttribute("viewBox", "0 0 14 14");
    var pts = { diamond: "7,1 13,7 7,13 1,7", triangle: "7,1 13,13 1,13", triangleDown: "1,1 13,1 7,13",
                star: "7,1 8.8,5.2 13,5.5 9.8,8.4 10.7,13 7,10.6 3.3,13 4.2,8.4 1,5.5 5.2,5.2",
                hexagon: "4,1 10,1 13,7 10,13 4,13 1,7" };
    var s;
    if (shape === "dot") { s = document.createElementNS(ns, "circle"); s.setAttribute("cx", "7"); s.setAttribute("cy", "7"); s.setAttribute("r", "6"); }
    else if (shape === "square") { s = document.createElementNS(ns, "rect"); s.setAttribute("x", "1"); s.setAttribute("y", "1"); s.setAttribute("width", "12"); s.setAttribute("height", "12"); }
    else { s = document.createElementNS(ns, "polygon"); s.setAttribute("points", pts[shape]); }
    s.setAttribute("fill", color);
    s.setAttribute("stroke", "#444");
    svg.appendChild(s);
    return svg;
  }
  function lineSwatch(color, dashed) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "26"); svg.setAttribute("height", "10");
    var l = document.createElementNS(ns, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "5"); l.setAttribute("x2", "25"); l.setAttribute("y2", "5");
    l.setAttribute("stroke", color); l.setAttribute("stroke-width", "3");
    if (dashed) l.setAttribute("stroke-dasharray", "5,3");
    svg.appendChild(l);
    return svg;
  }

  // ---------- events per actor, and the edges drawn ----------
  var byNode, i, e;
  function indexEvents() {
    byNode = [];
    for (var i = 0; i < nN; i++) byNode.push([]);
    for (var e = 0; e < nE; e++) {
      byNode[E.s[e]].push(e);
      if (E.t[e] !== E.s[e]) byNode[E.t[e]].push(e);
    }
  }
  indexEvents();
  function eventOrder(a, b) {
    var x = E.a[a], y = E.a[b];
    if (x === null && y !== null) return -1;   // standing relations (undated) first
    if (y === null && x !== null) return 1;
    if (x !== y) return x - y;
    if (E.b[a] !== E.b[b]) return E.b[a] - E.b[b];
    return a - b;
  }

  function latestFirst(a, b) { return eventOrder(b, a); }

  // groups[g] = { s, t, p (polarity), dir, ev: [event indices] }: one drawn edge each. A map of the top N
  // actors (D.top) gets its edges ready-made (D.edges: events summed per pair, direction and polarity);
  // there a group also has n (events it stands for), m (their summed |weight|), a and b (first and last
  // day), and ev holds only the latest events the page carries (E.g: the edge of each).
  var groups;
  function buildGroups() {
    groups = [];
    if (D.edges) {
      var A = D.edges;
      for (var a = 0; a < A.s.length; a++) {
        groups.push({ s: A.s[a], t: A.t[a], p: A.p[a], dir: A.d[a] === 1, ev: [], n: A.n[a], m: A.m[a], a: A.a[a], b: A.b[a] });
      }
      for (var x = 0; x < nE; x++) groups[E.g[x]].ev.push(x);
      for (a = 0; a < groups.length; a++) groups[a].ev.sort(latestFirst);
      return;
    }
    var key, g, seen = new Map(), fan = new Map();
    for (var e = 0; e < nE; e++) {
      var s = E.s[e], t = E.t[e], p = polarity(e), dir = directed(e);
      if (D.aggregate) {
        key = dir ? s + ">" + t + ":" + p : Math.min(s, t) + "-" + Math.max(s, t) + ":" + p;
        g = seen.get(key);
        if (g === undefined) { g = groups.length; seen.set(key, g); groups.push({ s: s, t: t, p: p, dir: dir, ev: [] }); }
        groups[g].ev.push(e);
      } else {
        groups.push({ s: s, t: t, p: p, dir: dir, ev: [e] });
        key = Math.min(s, t) + "-" + Math.max(s, t);
        var k = fan.get(key) || 0;
        fan.set(key, k + 1);
        groups[groups.length - 1].k = k; // k-th event between this pair: fanned out on its own curve
      }
    }
    for (var j = 0; j < groups.length; j++) groups[j].ev.sort(eventOrder);
  }
  buildGroups();

  function count(g) { return g.n !== undefined ? g.n : g.ev.length; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function weightSum(g) {
    if (g.m !== undefined) return g.m;
    var sum = 0;
    for (var j = 0; j < g.ev.length; j++) sum += Math.abs(E.w[g.ev[j]]);
    return sum;
  }
  function eventLine(e) {
    var line = dateText(e) + " \u00b7 " + typeLabel(e) + " (" + E.w[e] + ")";
    if (E.n[e]) line += ": " + E.n[e];
    return line;
  }
  function edgeTitle(g) {
    var s = N.l[g.s], t = N.l[g.t];
    if (g.n !== undefined) {  // an edge of a top-N map: a sum of events
      var sum = [s + (g.dir ? " \u2192 " : " \u2014 ") + t + ": " + plural(g.n, D.polarities[g.p] + " event") +
                 ", summed |weight| " + g.m];
      if (g.a !== null) sum.push(isoDay(g.a) + " to " + isoDay(g.b));
      for (var k = 0; k < Math.min(5, g.ev.length); k++) sum.push(eventLine(g.ev[k]));
      sum.push("click the edge for " + (g.ev.length ? "its latest events" : "details"));
      return sum.join("\n");
    }
    if (g.ev.length === 1) {
      var e = g.ev[0];
      var lines = [typeLabel(e) + " \u00b7 " + dateText(e) + " \u00b7 weight " + E.w[e],
                   s + (directed(e) ? " \u2192 " : " \u2014 ") + t];
      if (E.n[e]) lines.push(E.n[e]);
      if (E.c[e]) lines.push("Source: " + E.c[e]);
      return lines.join("\n");
    }
    var head = s + (g.dir ? " \u2192 " : " \u2014 ") + t + ": " + g.ev.length + " " + D.polarities[g.p] + " events";
    var out = [head];
    for (var j = 0; j < Math.min(5, g.ev.length); j++) out.push(eventLine(g.ev[j]));
    if (g.ev.length > 5) out.push("\u2026 click the edge for all " + g.ev.length);
    return out.join("\n");
  }
  function edgeItem(gi) {
    // Only what differs from the global edge options: option parsing per edge dominates start-up time.
    var g = groups[gi];
    var w = weightSum(g);
    var item = { id: gi, from: g.s, to: g.t, title: edgeTitle(g), color: POL_COLOR[g.p],
                 width: Math.round(10 * Math.min(8, 1 + (count(g) === 1 ? w * 0.5 : Math.sqrt(w)))) / 10 };
    if (g.p === 2) item.dashes = true;
    if (g.dir) item.arrows = "to";
    if (!D.aggregate && g.k > 0) {
      // Fan parallel events out on alternating sides; flip for edges drawn in the other direction.
      var side = (g.k % 2 === 1) !== (g.s > g.t);
      item.smooth = { enabled: true, type: side ? "curvedCW" : "curvedCCW", roundness: 0.15 * Math.ceil(g.k / 2) };
    }
    return item;
  }
  function metric(key, i) {  // actor i's value of a metric the page carries (null if it carries none)
    for (var m = 0; m < D.metrics.length; m++) if (D.metrics[m].k === key) return N.m[m][i];
    return null;
  }
  function nodeTitle(i) {
    var lines = [N.l[i], kindOf(i) + " \u00b7 " + clusterName(blocOf(i))];
    if (N.a[i]) lines.push("part of " + N.a[i]);
    if (N.d[i]) lines.push(N.d[i].length > 300 ? N.d[i].slice(0, 300) + "\u2026" : N.d[i]);
    lines.push(D.sizeBy + ": " + N.s[i] + " \u00b7 " + (D.top ? metric("degree", i) : byNode[i].length) + " events");
    return lines.join("\n");
  }
  function colorItem(c) {
    return { background: c, border: "#333", highlight: { background: c, border: "#000" }, hover: { background: c, border: "#000" } };
  }
  function nodeItem(i) {
    var c = nodeColor(i);
    var item = { id: i, label: N.wl[i] || N.l[i], title: nodeTitle(i), shape: SHAPES[kindOf(i)] || "dot", size: N.z[i],
                 color: colorItem(c), font: { color: "#222" } };
    if (N.x.length) { item.x = N.x[i]; item.y = N.y[i]; }
    return item;
  }

  marks.grouped = performance.now();
  var nodeItems = [], edgeItems = [];
  for (i = 0; i < nN; i++) nodeItems.push(nodeItem(i));
  for (var gi = 0; gi < groups.length; gi++) edgeItems.push(edgeItem(gi));
  marks.items = performance.now();
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);

  // ---------- filters ----------
  var off = { types: new Set(), kinds: new Set(), clusters: new Set() };
  var range = { lo: null, hi: null };
  var nodeOk = new Uint8Array(nN), eventOk = new Uint8Array(nE), edgeOk = new Uint8Array(groups.length);
  function computeVisible() {
    var i, e, g, shown = 0, events = 0;
    for (i = 0; i < nN; i++) nodeOk[i] = !off.kinds.has(N.k[i]) && !off.clusters.has(blocOf(i)) ? 1 : 0;
    for (e = 0; e < nE; e++) {
      var ok = nodeOk[E.s[e]] && nodeOk[E.t[e]] && !off.types.has(E.y[e]);
      if (ok && E.a[e] !== null) {  // same window rule as the CLI: the event's date span overlaps the range
        if (range.lo !== null && E.b[e] < range.lo) ok = false;
        if (range.hi !== null && E.a[e] > range.hi) ok = false;
      }
      eventOk[e] = ok ? 1 : 0;
      events += eventOk[e];
    }
    if (D.top) {
      events = 0;
      for (g = 0; g < groups.length; g++) {
        var q = groups[g], in_ = nodeOk[q.s] && nodeOk[q.t];
        if (in_ && q.a !== null) {  // an edge shows while any day from its first to its last event is in range
          if (range.lo !== null && q.b < range.lo) in_ = false;
          if (range.hi !== null && q.a > range.hi) in_ = false;
        }
        edgeOk[g] = in_ ? 1 : 0;
        if (in_) events += q.n;
      }
    } else {
      for (g = 0; g < groups.length; g++) {
        var any = 0, ev = groups[g].ev;
        for (var j = 0; j < ev.length && !any; j++) any = eventOk[ev[j]];
        edgeOk[g] = any;
      }
    }
    for (i = 0; i < nN; i++) shown += nodeOk[i];
    $("ag-status").textContent = D.top
      ? "showing " + shown + " of the top " + nN + " of " + D.top.of + " actors (by " + D.top.by + "), " +
        events + " of " + D.top.events + " events"
      : "showing " + shown + " of " + nN + " actors, " + events + " of " + nE + " events";
  }
  computeVisible();
  var nodesView = new vis.DataView(nodes, { filter: function (item) { return nodeOk[item.id] === 1; } });
  var edgesView = new vis.DataView(edges, { filter: function (item) { return edgeOk[item.id] === 1; } });

  // ---------- the network ----------
  var options = {
    autoResize: true,
    // The layout reserved room below each actor for its label at this size (graph/explorer/layout.py).
    // A pale box behind each label keeps it readable where edges cross it.
    nodes: { borderWidth: 1, font: { size: D.font, face: "system-ui, sans-serif", background: big ? undefined : "rgba(255,255,255,0.8)" } },
    edges: { smooth: false, selectionWidth: 2, hoverWidth: 0.5, color: { opacity: big ? 0.45 : 0.85 },
             arrows: { to: { enabled: false, scaleFactor: 0.5 } } },
    physics: settle ? { enabled: true, solver: "barnesHut",
                                barnesHut: { gravitationalConstant: -6000, centralGravity: 0.9, springLength: 130, avoidOverlap: 0.5 },
                                stabilization: { enabled: true, iterations: 200, fit: true } }
                      : { enabled: false },
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false }
  };
  marks.datasets = performance.now();
  var AG = window.actorgraph = { marks: marks, data: D, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
                                 groups: groups, ready: false, firstDrawMs: null, readyMs: null };
  function markReady() {
    if (AG.ready) return;
    AG.ready = true;
    AG.readyMs = performance.now();
    document.body.setAttribute("data-ready", "1");
  }
  function fit() { network.fit({ animation: false, maxZoomLevel: 1.5 }); }
  marks.beforeNetwork = performance.now();
  // Past D.layerAbove drawn edges, vis-network's per-edge objects take seconds to build: the edges are
  // then drawn by us on the network's canvas in a few batched strokes, and picked on click here.
  var layer = AG.layer = groups.length > D.layerAbove;
  var network = AG.network = new vis.Network($("ag-network"),
    { nodes: nodesView, edges: layer ? new vis.DataSet() : edgesView }, options);
  if (layer) network.on("beforeDrawing", drawLayer);
  marks.network = performance.now();
  network.once("afterDrawing", function () {
    AG.firstDrawMs = performance.now();
    if (!settle) markReady();
  });
  if (settle) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.storePositions();  // actors hidden by a filter come back where they settled
      fit();
      markReady();
    });
  } else {
    fit();
  }

  // ---------- neighbourhood highlight ----------
  var dimmed = false;
  function highlight(center) {
    // Dimming thousands of items through the DataSets takes seconds: on big maps the selection
    // (the actor and its edges drawn bold) is the highlight.
    if (big) return;
    var near = new Set([center]), nearEdges = new Set();
    for (var g = 0; g < groups.length; g++) {
      if (groups[g].s !== center && groups[g].t !== center) continue;
      nearEdges.add(g);
      if (edgeOk[g]) { near.add(groups[g].s); near.add(groups[g].t); }
    }
    var nu = [], eu = [];
    for (var i = 0; i < nN; i++) {
      if (near.has(i)) nu.push({ id: i, color: nodeItems[i].color, font: { color: "#222" } });
      else nu.push({ id: i, color: DIM_NODE, font: { color: "rgba(120,120,120,0.35)" } });
    }
    for (g = 0; g < groups.length; g++) eu.push({ id: g, color: nearEdges.has(g) ? edgeItems[g].color : DIM_EDGE });
    nodes.update(nu); edges.update(eu);
    dimmed = true;
  }
  function unhighlight() {
    if (!dimmed) return;
    var nu = [], eu = [];
    for (var i = 0; i < nN; i++) nu.push({ id: i, color: nodeItems[i].color, font: { color: "#222" } });
    for (var g = 0; g < groups.length; g++) eu.push({ id: g, color: edgeItems[g].color });
    nodes.update(nu); edges.update(eu);
    dimmed = false;
  }

  // ---------- side panel ----------
  var panel = $("ag-panel"), body = $("ag-panel-body");
  function actorButton(i) {
    var b = el("button", N.l[i], "ag-link");
    b.type = "button";
    b.addEventListener("click", function () { selectActor(i, true); });
    return b;
  }
  var PANEL_PAGE = 300;  // events rendered at once; the rest on request (a hub may have thousands)
  function eventList(list, from) { return fillEvents(el("ul", null, "ag-events"), list, from, 0); }
  function fillEvents(ul, list, from, start) {
    var stop = Math.min(list.length, start + PANEL_PAGE);
    for (var j = start; j < stop; j++) {
      var e = list[j], li = el("li");
      li.style.borderLeftColor = POL_COLOR[polarity(e)];
      li.setAttribute("data-event", String(e));
      li.appendChild(el("div", dateText(e) + " \u00b7 weight " + E.w[e], "ag-when"));
      var what = el("div");
      what.appendChild(el("span", typeLabel(e), "ag-type"));
      var s = E.s[e], t = E.t[e], arrow = directed(e) ? " \u2192 " : " \u2014 ";
      if (from === undefined) {
        what.appendChild(document.createTextNode(" "));
        what.appendChild(actorButton(s)); what.appendChild(document.createTextNode(arrow)); what.appendChild(actorButton(t));
      } else if (s === from && t === from) {
        what.appendChild(document.createTextNode(" (itself)"));
      } else if (s === from) {
        what.appendChild(document.createTextNode(arrow)); what.appendChild(actorButton(t));
      } else {
        what.appendChild(document.createTextNode(directed(e) ? " \u2190 " : " \u2014 ")); what.appendChild(actorButton(s));
      }
      li.appendChild(what);
      if (E.n[e]) li.appendChild(el("div", E.n[e], "ag-note"));
      if (E.c[e]) li.appendChild(citation(E.c[e]));
      ul.appendChild(li);
    }
    if (stop < list.length) {
      var more = el("button", "show " + Math.min(PANEL_PAGE, list.length - stop) + " more of " +
                    (list.length - stop) + " remaining", "ag-link ag-more");
      more.type = "button";
      var holder = el("li");
      more.addEventListener("click", function () {
        ul.removeChild(holder);
        fillEvents(ul, list, from, stop);
      });
      holder.appendChild(more);
      ul.appendChild(holder);
    }
    return ul;
  }
  function row(dl, term, value) {
    if (value === "" || value === null || value === undefined) return;
    dl.appendChild(el("dt", term));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function showActor(i) {
    clear(body);
    body.setAttribute("data-actor", N.id[i]);
    body.removeAttribute("data-edge");
    body.appendChild(el("h2", N.l[i]));
    var dl = el("dl");
    row(dl, "id", N.id[i]);
    row(dl, "kind", kindOf(i));
    row(dl, "affiliation", N.a[i]);
    row(dl, "aliases", N.al[i].split(";").map(function (s) { return s.trim(); }).filter(Boolean).join(", "));
    row(dl, "bloc", clusterName(N.c[i], null));
    if (N.cf.length && N.cf[i] !== null) {
      row(dl, "confidence", Math.round(100 * N.cf[i]) + "% (bootstrap, " + D.confidence.resamples + " resamples)");
    }
    if (period !== null) row(dl, "bloc in " + D.periods.labels[period], clusterName(blocOf(i)));
    for (var m = 0; m < D.metrics.length; m++) {
      row(dl, D.metrics[m].k, N.m[m][i] + " (rank " + N.r[m][i] + " of " + (D.top ? D.top.of : nN) + ")");
    }
    body.appendChild(dl);
    if (N.d[i]) body.appendChild(el("p", N.d[i], "ag-description"));
    if (D.periods) body.appendChild(moveList(i));
    var all = byNode[i].slice().sort(D.top ? latestFirst : eventOrder);
    var shown = all.filter(function (e) { return eventOk[e]; });
    if (D.top) {
      body.appendChild(el("h3", "Latest events on this map (" + shown.length + ")"));
      body.appendChild(el("p", "It takes part in " + plural(metric("degree", i), "event") + " of the selection. " +
        "This map carries only the latest events of its heaviest edges; click an edge for how many it sums. " +
        "actorgraph show " + N.id[i] + " lists them all.", "ag-hint"));
    } else {
      body.appendChild(el("h3", "Events (" + shown.length + ")"));
    }
    if (shown.length < all.length) body.appendChild(el("p", (all.length - shown.length) + " more outside the current filters", "ag-hint"));
    body.appendChild(eventList(shown, i));
    panel.hidden = false;
  }
  function moveList(i) {
    // The actor's moves between blocs from one period to the next; the shown period's move is marked.
    var P = D.periods, box = el("div", null, "ag-moves"), mv = P.moves, list = [];
    for (var j = 0; j < mv.a.length; j++) if (mv.a[j] === i) list.push(j);
    list.sort(function (x, y) { return mv.p[x] - mv.p[y]; });
    box.appendChild(el("h3", "Moves between blocs (" + list.length + ")"));
    if (!list.length) { box.appendChild(el("p", "Stays in the same bloc in every period.", "ag-hint")); return box; }
    var ul = el("ul", null, "ag-events");
    list.forEach(function (j) {
      var p = mv.p[j];
      var li = el("li", null, p === period ? "ag-current" : null);
      li.setAttribute("data-period", P.labels[p]);
      li.appendChild(el("div", P.labels[p], "ag-when"));
      var left = mv.f[j] ? clusterName(mv.f[j], p > 0 ? p - 1 : p) : "no bloc";
      var joined = mv.t[j] ? clusterName(mv.t[j], p) : "no bloc";
      li.appendChild(el("div", left + " \u2192 " + joined));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }
  function showEdge(gi) {
    var g = groups[gi];
    clear(body);
    body.setAttribute("data-edge", String(gi));
    body.removeAttribute("data-actor");
    var h = el("h2");
    h.appendChild(actorButton(g.s));
    h.appendChild(document.createTextNode(g.dir ? " \u2192 " : " \u2014 "));
    h.appendChild(actorButton(g.t));
    body.appendChild(h);
    if (g.n !== undefined) {
      body.appendChild(el("p", plural(g.n, D.polarities[g.p] + " event") + (g.a !== null ? ", " + isoDay(g.a) + " to " + isoDay(g.b) : "") +
                          "; summed weight " + D.edges.w[gi] + ".", "ag-hint ag-edge-sum"));
      if (g.ev.length) {
        body.appendChild(el("h3", (g.ev.length < g.n ? "The latest " + g.ev.length : "All " + g.ev.length) + " of them"));
        body.appendChild(eventList(g.ev));
      } else {
        body.appendChild(el("p", "This edge sums " + plural(g.n, "event") + "; the page carries the latest events of its " +
                            D.top.embedEdges + " heaviest edges only (within its size budget).", "ag-hint"));
      }
    } else {
      body.appendChild(el("p", g.ev.length + " " + D.polarities[g.p] + " event" + (g.ev.length === 1 ? "" : "s"), "ag-hint"));
      body.appendChild(eventList(g.ev));
    }
    panel.hidden = false;
  }
  function closePanel() { panel.hidden = true; clear(body); body.removeAttribute("data-actor"); body.removeAttribute("data-edge"); }
  $("ag-close").addEventListener("click", function () { closePanel(); unhighlight(); network.unselectAll(); });

  function selectActor(i, center) {
    if (!nodeOk[i]) {
      $("ag-status").textContent = N.l[i] + " is hidden by the current filters";
      showActor(i);
      return;
    }
    network.selectNodes([i]);
    focus.actor = i; focus.edge = null;
    if (center) network.focus(i, { scale: Math.max(network.getScale(), 1.0), animation: false });
    if (layer) network.redraw();
    highlight(i);
    showActor(i);
  }
  network.on("dragEnd", function (p) { if (p.nodes.length) network.storePositions(); });
  network.on("click", function (p) {
    focus.edge = null;
    focus.actor = p.nodes.length ? p.nodes[0] : null;
    var picked = layer && !p.nodes.length ? pickEdge(p.pointer.canvas) : null;
    if (p.nodes.length) selectActor(p.nodes[0], false);
    else if (picked !== null) { focus.edge = picked; showEdge(picked); }
    else if (p.edges.length) { unhighlight(); showEdge(p.edges[0]); }
    else { unhighlight(); closePanel(); }
    if (layer) network.redraw();
  });

  // ---------- the edge layer of big maps ----------
  var focus = { actor: null, edge: null };
  function place(i) { return network.body.nodes[i]; }
  function strokeGroups(ctx, list, widthOf, alpha) {
    // One path per polarity and width class: a handful of strokes for any number of edges.
    var paths = new Map(), j, g, a, b, key;
    var box = $("ag-network").getBoundingClientRect();
    var lo = network.DOMtoCanvas({ x: -50, y: -50 }), hi = network.DOMtoCanvas({ x: box.width + 50, y: box.height + 50 });
    for (j = 0; j < list.length; j++) {
      g = groups[list[j]];
      a = place(g.s); b = place(g.t);
      if (!a || !b) continue;
      // Clip each edge to the screen: rasterising (and dashing) long off-screen lines is what makes a
      // zoomed-in view slow.
      var seg = clip(a.x, a.y, b.x, b.y, lo, hi);
      if (!seg) continue;
      key = g.p * 100 + widthOf(list[j]);
      if (!paths.has(key)) paths.set(key, []);
      paths.get(key).push(seg[0], seg[1], seg[2], seg[3], g.dir && seg[4] ? 1 : 0, b.options.size || 10);
    }
    var scale = network.getScale(), arrows = scale > 0.35;
    ctx.save();
    ctx.globalAlpha = alpha;
    paths.forEach(function (c, key) {
      var pol = Math.floor(key / 100), width = key % 100;
      ctx.strokeStyle = ctx.fillStyle = POL_COLOR[pol];
      ctx.lineWidth = width;
      ctx.setLineDash(pol === 2 ? [6, 4] : []);
      ctx.beginPath();
      for (var k = 0; k < c.length; k += 6) { ctx.moveTo(c[k], c[k + 1]); ctx.lineTo(c[k + 2], c[k + 3]); }
      ctx.stroke();
      if (!arrows) return;
      ctx.setLineDash([]);
      ctx.beginPath();
      for (k = 0; k < c.length; k += 6) {
        if (!c[k + 4]) continue;
        var dx = c[k + 2] - c[k], dy = c[k + 3] - c[k + 1], len = Math.sqrt(dx * dx + dy * dy);
        if (len < 1) continue;
        var ux = dx / len, uy = dy / len, size = 6 + 2 * width;
        var tipX = c[k + 2] - ux * c[k + 5], tipY = c[k + 3] - uy * c[k + 5];
        if (tipX < lo.x || tipX > hi.x || tipY < lo.y || tipY > hi.y) continue;  // off screen
        // fill() closes each triangle itself; closePath() per triangle is very slow in a big path.
        ctx.moveTo(tipX, tipY);
        ctx.lineTo(tipX - ux * size - uy * size * 0.45, tipY - uy * size + ux * size * 0.45);
        ctx.lineTo(tipX - ux * size + uy * size * 0.45, tipY - uy * size - ux * size * 0.45);
      }
      ctx.fill();
    });
    ctx.restore();
  }
  function clip(x0, y0, x1, y1, lo, hi) {
    // Liang-Barsky: the part of the segment inside the box, plus whether its end point survived.
    var dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
    var p = [-dx, dx, -dy, dy], q = [x0 - lo.x, hi.x - x0, y0 - lo.y, hi.y - y0];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) { if (q[i] < 0) return null; continue; }
      var r = q[i] / p[i];
      if (p[i] < 0) { if (r > t1) return null; if (r > t0) t0 = r; }
      else { if (r < t0) return null; if (r < t1) t1 = r; }
    }
    return [x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy, t1 === 1];
  }
  function widthClass(gi) { return Math.max(1, Math.min(8, Math.round(edgeItems[gi].width))); }
  function drawLayer(ctx) {
    var shown = [], near = [], g;
    for (g = 0; g < groups.length; g++) {
      if (!edgeOk[g]) continue;
      shown.push(g);
      if (g === focus.edge || groups[g].s === focus.actor || groups[g].t === focus.actor) near.push(g);
    }
    strokeGroups(ctx, shown, widthClass, 0.45);
    if (near.length) strokeGroups(ctx, near, function (gi) { return widthClass(gi) + 2; }, 1.0);
  }
  function pickEdge(pt) {
    // The visible edge nearest the click, if within 6 screen pixels.
    var best = null, bestD = 6 / network.getScale(), g, a, b;
    for (g = 0; g < groups.length; g++) {
      if (!edgeOk[g]) continue;
      a = place(groups[g].s); b = place(groups[g].t);
      if (!a || !b) continue;
      var dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
      var t = l2 ? Math.max(0, Math.min(1, ((pt.x - a.x) * dx + (pt.y - a.y) * dy) / l2)) : 0;
      var ex = a.x + t * dx - pt.x, ey = a.y + t * dy - pt.y, d = Math.sqrt(ex * ex + ey * ey);
      if (d < bestD) { bestD = d; best = g; }
    }
    return best;
  }
  AG.pickEdge = pickEdge;

  // ---------- search ----------
  var names;  // [lowercase label or alias, node index], labels first
  function indexNames() {
    names = [];
    for (var i = 0; i < nN; i++) {
      names.push([N.l[i].toLowerCase(), i]);
      var al = N.al[i].split(";");
      for (var a = 0; a < al.length; a++) if (al[a].trim()) names.push([al[a].trim().toLowerCase(), i]);
    }
  }
  indexNames();
  function find(text) {
    var q = String(text).trim().toLowerCase();
    if (!q) return null;
    var j;
    for (j = 0; j < names.length; j++) if (names[j][0] === q) return names[j][1];
    for (j = 0; j < names.length; j++) if (names[j][0].indexOf(q) === 0) return names[j][1];
    for (j = 0; j < names.length; j++) if (names[j][0].indexOf(q) >= 0) return names[j][1];
    return null;
  }
  AG.find = find;
  function fillNames() {
    var list = $("ag-names"), seen = new Set();
    clear(list);
    for (var i = 0; i < nN; i++) {
      var texts = [N.l[i]].concat(N.al[i].split(";").map(function (s) { return s.trim(); }).filter(Boolean));
      for (var j = 0; j < texts.length; j++) {
        if (seen.has(texts[j])) continue;
        seen.add(texts[j]);
        var o = document.createElement("option");
        o.value = texts[j];
        list.appendChild(o);
      }
    }
  }
  fillNames();
  function search() {
    var i = find($("ag-search").value);
    if (i === null) { $("ag-status").textContent = "no actor matches"; return; }
    selectActor(i, true);
  }
  $("ag-search").addEventListener("change", search);
  $("ag-search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(); });

  // ---------- legend and filters ----------
  function refresh() {
    computeVisible();
    nodesView.refresh();
    edgesView.refresh();
    if (layer) network.redraw();
    var sel = network.getSelectedNodes();
    if (dimmed && sel.length) highlight(sel[0]);
    if (!panel.hidden && body.hasAttribute("data-actor")) showActor(N.id.indexOf(body.getAttribute("data-actor")));
  }
  AG.refresh = refresh;
  function checkRow(list, set, value, icon, text, count) {
    var li = el("li"), label = el("label"), box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !set.has(value);
    box.setAttribute("data-value", String(value));
    box.addEventListener("change", function () {
      if (box.checked) set.delete(value); else set.add(value);
      refresh();
    });
    label.appendChild(box);
    if (icon) label.appendChild(icon);
    // The count runs on inline after the name, so a long name wraps between words over the whole width.
    var name = el("span", text, "ag-name");
    name.appendChild(document.createTextNode(" "));
    name.appendChild(el("span", "(" + count + ")", "ag-count"));
    label.appendChild(name);
    li.appendChild(label);
    list.appendChild(li);
  }
  function legend() {
    // Built from D alone, so a page given new data rebuilds it (and the period slider) with one call.
    ["ag-polarities", "ag-types", "ag-kinds", "ag-clusters"].forEach(function (id) { clear($(id)); });
    var p, list = $("ag-polarities");
    for (p = 0; p < D.polarities.length; p++) {
      var li = el("li");
      li.appendChild(lineSwatch(POL_COLOR[p], p === 2));
      li.appendChild(el("span", D.polarities[p] + (p === 2 ? " (dashed)" : "")));
      list.appendChild(li);
    }
    $("ag-edge-hint").textContent = "Arrows show directed events; width grows with |weight|. " +
      (D.top ? "The map shows the top " + nN + " of " + D.top.of + " actors by " + D.top.by + "; each edge sums the " +
               "events of one pair, direction and polarity among them (click it for its count and latest events)."
      : D.aggregate ? "With more than " + D.aggregateAbove + " events, the events between two actors of one polarity and direction are drawn as one edge: click it to list them all."
                   : "Each event is its own edge; parallel events curve apart.");
    $("ag-types").parentNode.hidden = !!D.top;  // types are chosen with --types when a top-N map is made
    var typeCount = T.k.map(function () { return 0; });
    for (var e = 0; e < nE; e++) typeCount[E.y[e]]++;
    for (var t = 0; t < T.k.length; t++) {
      if (!typeCount[t]) continue;
      checkRow($("ag-types"), off.types, t, lineSwatch(POL_COLOR[T.p[t]], T.p[t] === 2), T.l[t], typeCount[t]);
    }
    var kindCount = D.kinds.map(function () { return 0; });
    for (var i = 0; i < nN; i++) kindCount[N.k[i]]++;
    for (var k = 0; k < D.kinds.length; k++) {
      if (!kindCount[k]) continue;
      var color = D.colorBy === "kind" ? KIND_COLOR[D.kinds[k]] : "#999999";
      checkRow($("ag-kinds"), off.kinds, k, svgShape(SHAPES[D.kinds[k]], color), D.kinds[k], kindCount[k]);
    }
    periodControls();
    buildBlocLegend();
    var metric = D.metrics.filter(function (m) { return m.k === D.sizeBy; })[0];
    $("ag-size-hint").textContent = "Node size: " + D.sizeBy + (metric && metric.t ? " \u2014 " + metric.t : "") + ".";
    var lo = null, hi = null, undated = 0, spans = D.top ? { a: D.edges.a, b: D.edges.b } : E;
    for (e = 0; e < spans.a.length; e++) {
      if (spans.a[e] === null) { undated++; continue; }
      if (lo === null || spans.a[e] < lo) lo = spans.a[e];
      if (hi === null || spans.b[e] > hi) hi = spans.b[e];
    }
    if (lo !== null && D.top) {
      ["ag-from", "ag-to"].forEach(function (id) { $(id).min = isoDay(lo); $(id).max = isoDay(hi); });
      $("ag-date-hint").textContent = "Events from " + isoDay(lo) + " to " + isoDay(hi) +
        ". An edge shows while any day from its first to its last event is in range (for exact sums over a " +
        "window, make the map with --since/--until)." +
        (undated ? " " + undated + " edges of undated events only (standing relations) are always shown." : "");
    } else if (lo !== null) {
      ["ag-from", "ag-to"].forEach(function (id) { $(id).min = isoDay(lo); $(id).max = isoDay(hi); });
      $("ag-date-hint").textContent = "Events from " + isoDay(lo) + " to " + isoDay(hi) +
        ". An event dated by month or year counts if any day of it is in range." +
        (undated ? " " + undated + " undated events (standing relations) are always shown." : "");
    } else {
      $("ag-date-hint").textContent = "No dated events.";
    }
  }
  function blocOrder(a, b) {  // real blocs by number, then standing apart, then unaligned
    var ra = a > 0 ? a : a < 0 ? 1e9 : 2e9, rb = b > 0 ? b : b < 0 ? 1e9 : 2e9;
    return ra - rb;
  }
  function buildBlocLegend() {
    // The blocs of what is shown (whole view or one period), each with its colour, name and count.
    clear($("ag-clusters"));
    off.clusters.clear();
    var count = new Map(), i;
    for (i = 0; i < nN; i++) count.set(blocOf(i), (count.get(blocOf(i)) || 0) + 1);
    var ids = Array.from(count.keys()).sort(blocOrder);
    for (var c = 0; c < ids.length; c++) {
      var icon = D.colorBy === "cluster" ? svgShape("dot", clusterColor(ids[c])) : null;
      checkRow($("ag-clusters"), off.clusters, ids[c], icon, clusterName(ids[c]), count.get(ids[c]));
    }
    var method = period === null ? D.clusterMethod : D.periods.method[period];
    $("ag-cluster-hint").textContent = "Alignment blocs (" + method + "): cooperation inside, hostility between; each is named " +
      "after its most central member. Standing apart: aligned, but in no bloc with others. Unaligned: no signed tie. " +
      (D.colorBy === "cluster" ? "Node colour shows the bloc." : "Node colour shows the kind.");
  }

  // ---------- the period slider (pages made with --every) ----------
  var PLAY_MS = 1200, timer = null;
  function recolour() {
    // Colours (when they show blocs) and tooltips (which name the bloc) for the period shown.
    var nu = [];
    for (var i = 0; i < nN; i++) {
      if (D.colorBy === "cluster") nodeItems[i].color = colorItem(nodeColor(i));
      nodeItems[i].title = nodeTitle(i);
      nu.push({ id: i, color: nodeItems[i].color, title: nodeItems[i].title });
    }
    nodes.update(nu);
  }
  function periodControls() {
    // The slider, its label and hint for the data and period shown. New data keeps the period shown
    // when its label is still there.
    var P = D.periods, section = $("ag-periods"), slider = $("ag-period");
    var label = period === null ? null : slider.getAttribute("data-label");
    period = P && label !== null && P.labels.indexOf(label) >= 0 ? P.labels.indexOf(label) : null;
    section.hidden = !P;
    if (!P) { stopPlay(); return; }
    slider.min = "0";
    slider.max = String(P.labels.length);  // the last position is the whole view
    slider.step = "1";
    slider.value = String(period === null ? P.labels.length : period);
    slider.setAttribute("data-label", period === null ? "" : P.labels[period]);
    $("ag-period-label").textContent = period === null ? "whole view" : P.labels[period];
    $("ag-period-hint").textContent = period === null ? "Blocs of the whole view; events of every date." :
      "Blocs of " + P.labels[period] + " (frustration " + P.frustration[period] + "); events " +
      (P.lo[period] === null ? "up to " : "from " + isoDay(P.lo[period]) + " to ") +
      (P.hi[period] === null ? "the end" : isoDay(P.hi[period])) + ".";
  }
  function setPeriod(k) {
    // k: a period index, or null for the whole view. Recolours actors by their bloc then, and shows the
    // events of that period (its since..until window: "up to" it when the window is open-ended).
    var P = D.periods;
    period = k;
    $("ag-period").setAttribute("data-label", k === null ? "" : P.labels[k]);
    periodControls();
    buildBlocLegend();
    recolour();
    $("ag-from").value = k === null || P.lo[k] === null ? "" : isoDay(P.lo[k]);
    $("ag-to").value = k === null || P.hi[k] === null ? "" : isoDay(P.hi[k]);
    range.lo = k === null ? null : P.lo[k];
    range.hi = k === null ? null : P.hi[k];
    refresh();
  }
  function stopPlay() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    $("ag-play").textContent = "Play";
    $("ag-play").setAttribute("aria-pressed", "false");
  }
  function play() {
    if (timer !== null) { stopPlay(); return; }
    var last = D.periods.labels.length - 1;
    setPeriod(period === null || period >= last ? 0 : period + 1);
    $("ag-play").textContent = "Pause";
    $("ag-play").setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (period === null || period >= last) { stopPlay(); return; }
      setPeriod(period + 1);
      if (period >= last) stopPlay();
    }, PLAY_MS);
  }
  $("ag-period").addEventListener("input", function () {
    stopPlay();
    var k = parseInt($("ag-period").value, 10);
    setPeriod(k >= D.periods.labels.length ? null : k);
  });
  $("ag-play").addEventListener("click", play);
  AG.setPeriod = function (k) { stopPlay(); setPeriod(k); };
  AG.periodOf = function () { return period; };
  function onDates() {
    range.lo = dayOf($("ag-from").value);
    range.hi = dayOf($("ag-to").value);
    refresh();
  }
  ["change", "input"].forEach(function (kind) {
    $("ag-from").addEventListener(kind, onDates);
    $("ag-to").addEventListener(kind, onDates);
  });
  AG.setRange = function (from, to) { $("ag-from").value = from || ""; $("ag-to").value = to || ""; onDates(); };

  $("ag-fit").addEventListener("click", function () { fit(); });
  $("ag-reset").addEventListener("click", function () {
    if (D.periods) { stopPlay(); if (period !== null) setPeriod(null); }
    off.types.clear(); off.kinds.clear(); off.clusters.clear();
    var boxes = document.querySelectorAll("#ag-controls input[type=checkbox]");
    for (var b = 0; b < boxes.length; b++) boxes[b].checked = true;
    $("ag-from").value = ""; $("ag-to").value = ""; range.lo = range.hi = null;
    $("ag-search").value = "";
    network.unselectAll();
    focus.actor = focus.edge = null;
    unhighlight();
    closePanel();
    refresh();
    fit();
  });

  // ---------- live data (actorgraph serve): swap in a new payload in place ----------
  // Actors keep their place (new ones appear beside their neighbours) and the reader's state stays:
  // zoom, pan, selection, open panel, search text, filters and date range, all carried over by id.
  function groupKey(g, ids) { return [ids[g.s], ids[g.t], g.p, g.dir, g.k || 0].join("\u0000"); }
  function findGroup(key) {
    if (key === null) return null;
    for (var g = 0; g < groups.length; g++) if (groupKey(groups[g], N.id) === key) return g;
    return null;
  }
  function nearby(i, placed) {
    var x = 0, y = 0, n = 0, ev = byNode[i];
    for (var j = 0; j < ev.length; j++) {
      var p = placed.get(N.id[E.s[ev[j]] === i ? E.t[ev[j]] : E.s[ev[j]]]);
      if (p) { x += p.x; y += p.y; n++; }
    }
    if (!n) return N.x.length ? { x: N.x[i], y: N.y[i] } : null;
    var turn = i * 2.39996;  // golden angle: several newcomers beside one actor do not overlap
    return { x: x / n + 60 * Math.cos(turn), y: y / n + 60 * Math.sin(turn) };
  }
  function sameNode(a, b) {  // what nodeItem sets; positions aside (actors keep theirs)
    return a.label === b.label && a.title === b.title && a.shape === b.shape && a.size === b.size &&
           a.color.background === b.color.background;
  }
  function sameEdge(a, b) {  // what edgeItem sets
    var sa = a.smooth || {}, sb = b.smooth || {};
    return a.from === b.from && a.to === b.to && a.title === b.title && a.color === b.color && a.width === b.width &&
           a.dashes === b.dashes && a.arrows === b.arrows && sa.type === sb.type && sa.roundness === sb.roundness;
  }
  function applyData(next) {
    var oldIds = N.id, oldTypes = T.k, oldKinds = D.kinds, oldGroups = groups;
    var shownAt = network.getPositions(), placed = new Map();
    for (var i = 0; i < oldIds.length; i++) {
      var p = shownAt[i] || nodes.get(i);  // hidden actors keep their last place in the DataSet
      if (p && typeof p.x === "number") placed.set(oldIds[i], { x: p.x, y: p.y });
    }
    var view = { position: network.getViewPosition(), scale: network.getScale(), animation: false };
    var picked = network.getSelection(), wasDimmed = dimmed;
    var selected = picked.nodes.map(function (n) { return oldIds[n]; });
    var selectedEdges = picked.edges.map(function (g) { return groupKey(oldGroups[g], oldIds); });
    var panelActor = panel.hidden ? null : body.getAttribute("data-actor");
    var panelEdge = panel.hidden || !body.hasAttribute("data-edge") ? null
                  : groupKey(oldGroups[+body.getAttribute("data-edge")], oldIds);
    var focusEdge = focus.edge === null ? null : groupKey(oldGroups[focus.edge], oldIds);
    function remap(set, oldKeys, newKeys) {
      return new Set(Array.from(set, function (x) { return newKeys.indexOf(oldKeys[x]); }).filter(function (x) { return x >= 0; }));
    }

    var oldNodeItems = nodeItems, oldEdgeItems = edgeItems;
    D = AG.data = next; N = D.nodes; E = D.events; T = D.types; nN = N.id.length; nE = E.s.length;
    off.types = remap(off.types, oldTypes, T.k);
    off.kinds = remap(off.kinds, oldKinds, D.kinds);
    indexEvents(); buildGroups(); indexNames(); AG.groups = groups;
    nodeItems = []; edgeItems = [];
    var nodeChanges = [], edgeChanges = [], g;
    for (i = 0; i < nN; i++) {
      var item = nodeItem(i), at = placed.get(N.id[i]) || nearby(i, placed);
      if (at) { item.x = at.x; item.y = at.y; }
      nodeItems.push(item);
      // vis-network rebuilds a node on every update (about 0.2 ms each): only changed ones are sent.
      if (wasDimmed || i >= oldIds.length || oldIds[i] !== N.id[i] || !sameNode(item, oldNodeItems[i])) nodeChanges.push(item);
    }
    for (g = 0; g < groups.length; g++) {
      edgeItems.push(edgeItem(g));
      var was = oldGroups[g], now = groups[g];
      if (wasDimmed || !was || oldIds[was.s] !== N.id[now.s] || oldIds[was.t] !== N.id[now.t] ||
          !sameEdge(edgeItems[g], oldEdgeItems[g])) edgeChanges.push(g);
    }
    nodeOk = new Uint8Array(nN); eventOk = new Uint8Array(nE); edgeOk = new Uint8Array(groups.length);
    computeVisible();  // before the items go in: the DataViews filter them as they arrive
    dimmed = false;
    nodes.remove(nodes.getIds({ filter: function (item) { return item.id >= nN; } }));
    nodes.update(nodeChanges);
    // Edges are replaced, not updated: an update would keep options the new item no longer has.
    edges.remove(edges.getIds({ filter: function (item) { return item.id >= groups.length; } }).concat(edgeChanges));
    edges.add(edgeChanges.map(function (g) { return edgeItems[g]; }));
    legend(); fillNames();

    var sel = selected.map(function (id) { return N.id.indexOf(id); }).filter(function (n) { return n >= 0 && nodeOk[n]; });
    var selEdges = selectedEdges.map(findGroup).filter(function (g) { return g !== null && edgeOk[g]; });
    if (!layer) network.setSelection({ nodes: sel, edges: selEdges });
    else network.selectNodes(sel);
    focus.actor = sel.length ? sel[0] : null;
    focus.edge = findGroup(focusEdge);
    if (wasDimmed && sel.length) highlight(sel[0]);
    var ai = panelActor === null ? -1 : N.id.indexOf(panelActor), ge = findGroup(panelEdge);
    if (ai >= 0) showActor(ai);
    else if (ge !== null) showEdge(ge);
    else if (!panel.hidden) closePanel();
    network.moveTo(view);
    if (layer) network.redraw();
  }
  AG.applyData = applyData;
  legend();
})();
