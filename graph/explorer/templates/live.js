/* actorgraph serve: keeps the explorer in step with the data folder.
 * The server pushes each new payload over Server-Sent Events (/events, same origin); the page swaps
 * it in place with actorgraph.applyData, so zoom, pan, selection, search, filters and the date range
 * stay. Problems in the data arrive as "FILE:LINE: what is wrong" lines and are listed in the
 * #ag-error banner (textContent only: a message quoting the data is never parsed as HTML) while the
 * last valid map stays drawn. New and changed actors and events glow for HIGHLIGHT_MS. */
(function () {
  "use strict";

  var HIGHLIGHT_MS = 4000;
  var GLOW = { enabled: true, color: "rgba(255,150,0,0.95)", size: 22, x: 0, y: 0 };
  var AG = window.actorgraph;
  var live = AG.live = { version: (AG.data.live || {}).version || "", updates: 0, problems: [],
                         highlighted: { actors: [], events: [] }, connected: false, changes: null };
  var banner = document.getElementById("ag-error"), status = document.getElementById("ag-live");
  var lastChange = "";

  function say(text, stale) {
    status.textContent = text;
    status.className = stale ? "ag-stale" : "";
  }
  function clock() { return new Date().toTimeString().slice(0, 8); }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ---------- what changed between two payloads (by id and by content, not by position) ----------
  function actorKey(P, i) {
    var n = P.nodes;
    return [n.l[i], P.kinds[n.k[i]], n.a[i], n.al[i], n.d[i]].join("\u0000");
  }
  function eventKey(P, e) {
    var v = P.events, ids = P.nodes.id;
    return [ids[v.s[e]], ids[v.t[e]], P.types.k[v.y[e]], v.d[e], v.w[e], v.n[e], v.c[e]].join("\u0000");
  }
  function sameEvent(P, e, Q, f) {  // eventKey(P, e) === eventKey(Q, f), without building strings
    var a = P.events, b = Q.events;
    return P.nodes.id[a.s[e]] === Q.nodes.id[b.s[f]] && P.nodes.id[a.t[e]] === Q.nodes.id[b.t[f]] &&
           P.types.k[a.y[e]] === Q.types.k[b.y[f]] && a.d[e] === b.d[f] && a.w[e] === b.w[f] &&
           a.n[e] === b.n[f] && a.c[e] === b.c[f];
  }
  function changes(before, after) {
    var i, e, key, had = new Map(), count = new Map(), actors = [], events = [];
    for (i = 0; i < before.nodes.id.length; i++) had.set(before.nodes.id[i], actorKey(before, i));
    for (i = 0; i < after.nodes.id.length; i++) {
      if (had.get(after.nodes.id[i]) !== actorKey(after, i)) actors.push(i);
    }
    // Events have no id: an event is new or changed when no identical event was there before
    // (a multiset, so a duplicated row counts as new). Rows are mostly appended or edited in place,
    // so the equal head and tail of the two lists are skipped before any key is built.
    var nb = before.events.s.length, na = after.events.s.length, head = 0, tail = 0;
    while (head < Math.min(nb, na) && sameEvent(before, head, after, head)) head++;
    while (tail < Math.min(nb, na) - head && sameEvent(before, nb - 1 - tail, after, na - 1 - tail)) tail++;
    for (e = head; e < nb - tail; e++) {
      key = eventKey(before, e);
      count.set(key, (count.get(key) || 0) + 1);
    }
    for (e = head; e < na - tail; e++) {
      key = eventKey(after, e);
      var n = count.get(key) || 0;
      if (n) count.set(key, n - 1); else events.push(e);
    }
    return { actors: actors, events: events };
  }

  live.changes = changes;

  // ---------- glow ----------
  // What glows is kept by actor id and event content, each until its own expiry, so a follow-up
  // payload (the same data with recomputed clusters and ranks) keeps it. The glow is taken off
  // before each swap (while the item ids still mean what they meant) and put back after it.
  var glowing = [], lit = { nodes: [], edges: [], widths: [] }, timer = null;
  function unpaint() {
    AG.nodes.update(lit.nodes.map(function (n) { return { id: n, borderWidth: 1, shadow: { enabled: false } }; }));
    AG.edges.update(lit.edges.map(function (g, k) { return { id: g, width: lit.widths[k], shadow: { enabled: false } }; }));
    lit = { nodes: [], edges: [], widths: [] };
  }
  function paint() {
    var now = Date.now(), D = AG.data, i, e;
    glowing = glowing.filter(function (g) { return g.until > now; });
    var actors = new Set(), keys = new Set(), sources = new Set(), nodeIds = new Set(), events = [], edgeIds = [], widths = [];
    glowing.forEach(function (g) {
      if (g.actor !== undefined) actors.add(g.actor); else { keys.add(g.event); sources.add(g.source); }
    });
    for (i = 0; i < D.nodes.id.length; i++) if (actors.has(D.nodes.id[i])) nodeIds.add(i);
    if (keys.size) {  // keys are built only for events of the right source actors
      for (e = 0; e < D.events.s.length; e++) {
        if (sources.has(D.nodes.id[D.events.s[e]]) && keys.has(eventKey(D, e))) events.push(e);
      }
    }
    if (AG.layer) {  // edges drawn on the canvas have no item to glow: their actors glow instead
      events.forEach(function (e) { nodeIds.add(D.events.s[e]); nodeIds.add(D.events.t[e]); });
    } else if (events.length) {
      var fresh = new Set(events);
      for (var g = 0; g < AG.groups.length; g++) {
        if (AG.groups[g].ev.some(function (x) { return fresh.has(x); })) edgeIds.push(g);
      }
    }
    lit = { nodes: Array.from(nodeIds), edges: edgeIds, widths: widths };
    AG.nodes.update(lit.nodes.map(function (n) { return { id: n, borderWidth: 4, shadow: GLOW }; }));
    edgeIds.forEach(function (g) { var item = AG.edges.get(g); widths.push(item ? item.width : 1); });
    AG.edges.update(edgeIds.map(function (g, k) { return { id: g, width: widths[k] + 3, shadow: GLOW }; }));
    live.highlighted = { actors: lit.nodes.map(function (n) { return D.nodes.id[n]; }), events: events };
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (glowing.length) {
      var next = Math.min.apply(null, glowing.map(function (g) { return g.until; }));
      timer = setTimeout(function () { unpaint(); paint(); }, next - now + 20);
    }
  }

  // ---------- the banner ----------
  function showProblems(lines) {
    live.problems = lines;
    while (banner.firstChild) banner.removeChild(banner.firstChild);
    if (!lines.length) {
      banner.hidden = true;
      return;
    }
    var head = document.createElement("strong");
    head.textContent = plural(lines.length, "problem") + " in the data; the map shows the last valid version. " +
      "Fix the file" + (lines.length === 1 ? "" : "s") + " and save: the map updates by itself.";
    banner.appendChild(head);
    var list = document.createElement("ul");
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = String(line);
      list.appendChild(li);
    });
    banner.appendChild(list);
    banner.hidden = false;
  }

  // ---------- the stream ----------
  function onData(message) {
    var received = performance.now();
    var next = JSON.parse(message.data), before = AG.data, wasPending = (before.live || {}).pending;
    try {
      unpaint();
      AG.applyData(next);
    } catch (err) {
      say("live \u00b7 this update could not be drawn (" + err + "); reload the page", true);
      throw err;
    }
    var found = changes(before, next), until = Date.now() + HIGHLIGHT_MS, pending = (next.live || {}).pending;
    found.actors.forEach(function (i) { glowing.push({ actor: next.nodes.id[i], until: until }); });
    found.events.forEach(function (e) {
      glowing.push({ event: eventKey(next, e), source: next.nodes.id[next.events.s[e]], until: until });
    });
    paint();
    live.applyMs = performance.now() - received;  // parse, swap and glow (read by scripts/bench_serve)
    live.version = (next.live || {}).version || message.lastEventId;
    live.updates++;
    document.body.setAttribute("data-live-version", live.version);
    if (found.actors.length || found.events.length || !wasPending) {
      lastChange = "updated " + clock() + ": " + plural(found.events.length, "new or changed event") + ", " +
                   plural(found.actors.length, "new or changed actor");
    }
    say("live \u00b7 " + lastChange + (pending ? " \u00b7 recomputing clusters and ranks\u2026"
                                             : wasPending ? " \u00b7 clusters and ranks recomputed" : ""), false);
  }
  function connect() {
    var source = new EventSource("events?since=" + encodeURIComponent(live.version));
    source.addEventListener("data", onData);
    source.addEventListener("problems", function (message) { showProblems(JSON.parse(message.data)); });
    source.addEventListener("open", function () {
      live.connected = true;
      document.body.setAttribute("data-live", "connected");
      if (!live.updates) say("live \u00b7 watching the data folder", false);
    });
    source.addEventListener("error", function () {
      live.connected = false;
      document.body.setAttribute("data-live", "disconnected");
      say("live \u00b7 server unreachable (stopped?); retrying\u2026", true);
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);  // the browser gave up
    });
  }
  connect();
})();
