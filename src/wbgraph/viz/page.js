// wbgraph interactive page. Everything from the data is shown with textContent, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wb-data").textContent);
  var RANK = { implied: 1, alleged: 2, stated: 3 };
  var PANEL_FIRST = 40, PANEL_BATCH = 100;  // relations listed at once, then per batch, on a large page
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  var nodeById = {}, edgeById = {}, edgesOf = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; edgesOf[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    edgesOf[e.from].push(e);
    if (e.to !== e.from) edgesOf[e.to].push(e);
  });
  var focusNode = data.focus && nodeById[data.focus] ? nodeById[data.focus] : null;
  $("wb-title").textContent = data.title + (focusNode ? ": " + focusNode.label : "");
  $("wb-subtitle").textContent = data.subtitle || "";
  document.title = $("wb-title").textContent;

  var allNodes = new vis.DataSet(data.nodes.map(function (n) {
    var node = Object.assign({}, n, { title: n.label + " (" + (n.group_name || n.kind) + ")" });
    if (focusNode && n.id === focusNode.id) {
      node.borderWidth = 5;
      node.color = { background: n.color, border: "#000000" };
    }
    return node;
  }));
  var allEdges = new vis.DataSet(data.edges.map(function (e) {
    var mech = (e.mechanisms || []).join(", ");
    return Object.assign({}, e, { title: e.label + (mech ? " via " + mech : "") + " [" + e.confidence + "]" });
  }));

  // --- time: the years that claims are valid in ------------------------------------------------------
  // Two clocks: the years a relation is valid in (its claims' dates), and the year it was first
  // reported (the earliest publication date of its sources).
  function year(text) { var m = /^(\d{4})/.exec(text || ""); return m ? +m[1] : null; }
  data.edges.forEach(function (e) {
    var reported = (e.claims || []).map(function (c) { return year(c.reported); })
      .filter(function (y) { return y !== null; });
    e.reportedYear = reported.length ? Math.min.apply(null, reported) : null;
  });
  function yearsOf(mode) {
    var ys = [];
    data.edges.forEach(function (e) {
      var own = mode === "reported" ? [e.reportedYear] : [year(e.valid_from), year(e.valid_until)];
      own.forEach(function (y) { if (y !== null) ys.push(y); });
    });
    return ys;
  }
  var defaultMode = yearsOf("valid").length ? "valid" : "reported", timeMode = defaultMode;
  var firstYear = null, lastYear = null;
  function setRange() {
    var ys = yearsOf(timeMode);
    firstYear = ys.length ? Math.min.apply(null, ys) : null;
    lastYear = ys.length ? Math.max.apply(null, ys) : null;
  }
  setRange();

  // --- filters ---------------------------------------------------------------------------------
  function blankState() { return { confidence: 1, mechanism: "", threat: "", hiddenGroups: {}, year: null }; }
  var state = blankState();

  function edgePasses(e) {
    if ((RANK[e.confidence] || 0) < state.confidence) return false;
    if (state.mechanism && (e.mechanisms || []).indexOf(state.mechanism) < 0) return false;
    var a = nodeById[e.from], b = nodeById[e.to];
    if (!a || !b || state.hiddenGroups[a.group_name] || state.hiddenGroups[b.group_name]) return false;
    if (state.threat) {
      var onEdge = (e.threats || []).indexOf(state.threat) >= 0;
      var onBoth = (a.threats || []).indexOf(state.threat) >= 0 && (b.threats || []).indexOf(state.threat) >= 0;
      if (!onEdge && !onBoth) return false;
    }
    if (state.year !== null && timeMode === "reported") {
      var first = edgeById[e.id].reportedYear;  // the view's copies were made before it was computed
      if (first === null || first > state.year) return false;
    } else if (state.year !== null) {
      var from = year(e.valid_from), until = year(e.valid_until);
      if (from === null || from > state.year || (until !== null && until < state.year)) return false;
    }
    return true;
  }
  var visibleNodes = {};
  function filtering() { return state.confidence > 1 || state.mechanism || state.threat || state.year !== null; }
  function recompute() {
    visibleNodes = {};
    data.edges.forEach(function (e) {
      if (edgePasses(e)) { visibleNodes[e.from] = true; visibleNodes[e.to] = true; }
    });
    var narrowed = filtering();
    data.nodes.forEach(function (n) {
      if (state.hiddenGroups[n.group_name]) return;
      if (!narrowed) visibleNodes[n.id] = true;
      if (state.threat && (n.threats || []).indexOf(state.threat) >= 0) visibleNodes[n.id] = true;
    });
    if (focusNode && !state.hiddenGroups[focusNode.group_name]) visibleNodes[focusNode.id] = true;
  }
  recompute();
  var nodesView = new vis.DataView(allNodes, { filter: function (n) { return !!visibleNodes[n.id]; } });
  var edgesView = new vis.DataView(allEdges, { filter: function (e) { return edgePasses(e); } });

  var container = $("wb-network");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);
  var physicsOn = !data.static;
  window.wbgraph = { network: network, nodes: nodesView, edges: edgesView, drawn: false, labels: [] };

  // --- labels: importance order, focus and selection first ----------------------------------------
  var importance = data.nodes.slice().sort(function (a, b) {
    return (b.size || 0) - (a.size || 0) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  }).map(function (n) { return n.id; });
  if (data.large) {  // the overview names every community by its biggest actor before anything else
    var leaders = {}, isLeader = {}, firsts = [];
    importance.forEach(function (id) {
      var c = nodeById[id].community;
      if (c !== undefined && !leaders[c]) { leaders[c] = true; isLeader[id] = true; firsts.push(id); }
    });
    importance = firsts.concat(importance.filter(function (id) { return !isLeader[id]; }));
  }
  var kept = null, selected = null;
  function labelOrder() {
    var first = [];
    if (selected) first.push(selected);
    if (focusNode) first.push(focusNode.id);
    if (kept) importance.forEach(function (id) { if (kept[id] && first.indexOf(id) < 0) first.push(id); });
    return first.length ? first.concat(importance) : importance;
  }
  var veiled = null;  // on a large page: the relations kept clear of the white veil
  function drawVeil(ctx) {
    var ratio = network.canvas.pixelRatio || 1, frame = network.canvas.frame.canvas;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.fillRect(0, 0, frame.clientWidth, frame.clientHeight);
    ctx.restore();
    veiled.forEach(function (id) { var e = network.body.edges[id]; if (e) e.draw(ctx); });
    Object.keys(kept).forEach(function (id) { var n = network.body.nodes[id]; if (n) n.draw(ctx); });
  }
  // Over the network: the veil of a selection on a large page, then the labels, placed here.
  function overlay(ctx) {
    if (veiled && kept) drawVeil(ctx);
    window.wbgraph.labels = wbLabels.place(network, ctx, labelOrder(),
      function (id) { return !!visibleNodes[id] && (!kept || !!kept[id]); },
      function (id) { return nodeById[id].label; },
      function (id) { return id === selected || (focusNode && id === focusNode.id); });
    return window.wbgraph.labels;
  }
  function markDrawn() {
    if (!window.wbgraph.drawn) { window.wbgraph.drawn = true; document.body.dataset.drawn = "1"; }
  }
  if (data.large) {  // batched drawing in slices: every frame of a pan or zoom in under 50 ms
    wbFast.install(network, function (ctx, steps) {
      var boxes = overlay(ctx);
      for (var i = 0; i < boxes.length; i += 100) {
        steps.push(wbLabels.paint.bind(null, network, ctx, boxes, i, Math.min(boxes.length, i + 100)));
      }
      steps.push(markDrawn);
    });
  } else {
    network.on("afterDrawing", function (ctx) { wbLabels.paint(network, ctx, overlay(ctx)); markDrawn(); });
  }
  network.on("stabilizationIterationsDone", function () { network.setOptions({ physics: { enabled: physicsOn } }); });

  function fitVisible() {
    var ids = nodesView.getIds();
    if (ids.length) network.fit({ nodes: ids, animation: false });
  }
  function refresh(keepView) {
    recompute();
    nodesView.refresh();
    edgesView.refresh();
    if (!keepView) fitVisible();
    status();
    saveUrl();
  }
  function status() {
    $("wb-status").textContent = nodesView.length + " of " + data.nodes.length + " actors, " +
      edgesView.length + " of " + data.edges.length + " relations" +
      (state.year === null ? "" : timeMode === "reported" ? " reported by " + state.year : " valid in " + state.year);
  }

  // --- controls ----------------------------------------------------------------------------------
  function fillSelect(select, values) {
    values.forEach(function (v) { var o = el("option", v); o.value = v; select.appendChild(o); });
  }
  var mechanisms = {}, threats = {};
  data.edges.forEach(function (e) {
    (e.mechanisms || []).forEach(function (m) { mechanisms[m] = true; });
    (e.threats || []).forEach(function (t) { threats[t] = true; });
  });
  data.nodes.forEach(function (n) { (n.threats || []).forEach(function (t) { threats[t] = true; }); });
  fillSelect($("wb-mechanism"), Object.keys(mechanisms).sort());
  fillSelect($("wb-threat"), Object.keys(threats).sort());
  $("wb-confidence").addEventListener("change", function (ev) { state.confidence = +ev.target.value; refresh(); });
  $("wb-mechanism").addEventListener("change", function (ev) { state.mechanism = ev.target.value; refresh(); });
  $("wb-threat").addEventListener("change", function (ev) { state.threat = ev.target.value; refresh(); });

  var present = {};
  data.nodes.forEach(function (n) { present[n.group_name] = (present[n.group_name] || 0) + 1; });
  data.legend.classes.forEach(function (c) {
    if (!present[c.name]) return;
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.dataset.group = c.name;
    box.addEventListener("change", function () { state.hiddenGroups[c.name] = !box.checked; refresh(); });
    label.appendChild(box); label.appendChild(wbLegend.shape(c.shape, c.colour));
    label.appendChild(document.createTextNode(c.name + " (" + present[c.name] + ")"));
    $("wb-classes").appendChild(label);
  });
  var members = {};
  data.nodes.forEach(function (n) {
    if (n.community !== undefined) (members[n.community] = members[n.community] || []).push(n.id);
  });
  if (data.colorBy === "community" || data.large) {
    if (data.colorBy === "community") $("wb-classes").classList.add("shapes-only");
    var list = $("wb-community-legend");
    list.parentNode.hidden = false;
    if (data.colorBy !== "community") list.parentNode.querySelector("h2").textContent = "Communities (zoom to one)";
    data.legend.communities.forEach(function (c) {
      var li = el("li");
      var button = el("button", null, "community");
      button.type = "button"; button.dataset.community = c.id;
      if (data.colorBy === "community") button.appendChild(wbLegend.shape("dot", c.colour));
      button.appendChild(document.createTextNode(c.names.join(", ") + (c.count > c.names.length ? " and " +
        (c.count - c.names.length) + " more" : "")));
      button.addEventListener("click", function () {
        var ids = (members[c.id] || []).filter(function (id) { return visibleNodes[id]; });
        if (ids.length) network.fit({ nodes: ids, animation: false });
      });
      li.appendChild(button);
      list.appendChild(li);
    });
  }
  if (data.large) {
    $("wb-edge-legend").parentNode.appendChild(el("p", "On a page this large relations are drawn as plain lines " +
      "in these colours; patterns and arrows show in smaller views (wbgraph viz --focus).", "hint"));
  }
  data.legend.edges.forEach(function (item) {
    var li = el("li");
    li.appendChild(wbLegend.line(item[1], item[2]));
    li.appendChild(document.createTextNode(item[0]));
    $("wb-edge-legend").appendChild(li);
  });

  // --- time slider ----------------------------------------------------------------------------------
  var slider = $("wb-year"), playing = null;
  function prepareSlider() {
    if (firstYear === null) return;
    slider.min = String(firstYear - 1); slider.max = String(lastYear); slider.value = slider.min;
    $("wb-time-note").textContent = timeMode === "reported"
      ? "Relations first reported in or before the year: the earliest publication date of their sources."
      : "Relations whose claims are dated and valid in the year; undated ones are hidden once a year is chosen.";
  }
  if (!yearsOf("valid").length && !yearsOf("reported").length) {
    $("wb-time").hidden = true;
  } else {
    prepareSlider();
    ["valid", "reported"].forEach(function (mode) {
      if (!yearsOf(mode).length) $("wb-time-mode").querySelector('option[value="' + mode + '"]').disabled = true;
    });
    $("wb-time-mode").value = timeMode;
  }
  $("wb-time-mode").addEventListener("change", function (ev) {
    stop();
    timeMode = ev.target.value;
    setRange();
    prepareSlider();
    setYear(null);
  });
  function setYear(value, keepView) {
    state.year = value === null || value < firstYear ? null : value;
    slider.value = String(state.year === null ? firstYear - 1 : state.year);
    $("wb-year-value").textContent = state.year === null ? "any time" : String(state.year);
    refresh(keepView);
  }
  slider.addEventListener("input", function () { setYear(+slider.value); });
  function stop() { if (playing) { clearInterval(playing); playing = null; $("wb-play").textContent = "Play"; } }
  $("wb-play").addEventListener("click", function () {
    if (playing) { stop(); return; }
    $("wb-play").textContent = "Pause";
    if (state.year === null || state.year >= lastYear) setYear(firstYear, true);
    playing = setInterval(function () {
      if (state.year >= lastYear) { stop(); return; }
      setYear(state.year + 1, true);
    }, 900);
  });
  $("wb-year-value").textContent = "any time";

  // --- search --------------------------------------------------------------------------------------
  var names = $("wb-names");
  data.nodes.map(function (n) { return n.label; }).sort().forEach(function (label) {
    var o = el("option"); o.value = label; names.appendChild(o);
  });
  function findNode(text) {
    var q = text.trim().toLowerCase();
    if (!q) return null;
    var exact = null, start = null, partial = null;
    data.nodes.forEach(function (n) {
      var labels = [n.label].concat(n.alt_labels || []).map(function (s) { return String(s).toLowerCase(); });
      if (!exact && labels.indexOf(q) >= 0) exact = n;
      if (!start && labels.some(function (s) { return (" " + s).indexOf(" " + q) >= 0; })) start = n;
      if (!partial && labels.some(function (s) { return s.indexOf(q) >= 0; })) partial = n;
    });
    return exact || start || partial;
  }
  function selectNode(id, zoom) {
    if (!visibleNodes[id]) { state = blankState(); resetControls(); refresh(true); }
    network.selectNodes([id]);
    if (zoom) network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showNode(id);
  }
  $("wb-search").addEventListener("change", function (ev) {
    var n = findNode(ev.target.value);
    if (!n) { $("wb-status").textContent = "No actor matches \u201c" + ev.target.value + "\u201d"; return; }
    selectNode(n.id, true);
  });
  $("wb-search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") ev.target.dispatchEvent(new Event("change"));
  });

  var physicsButton = $("wb-physics");
  function physicsLabel() { physicsButton.textContent = physicsOn ? "Physics: on" : "Physics: off"; }
  physicsLabel();
  physicsButton.addEventListener("click", function () {
    physicsOn = !physicsOn;
    network.setOptions({ physics: { enabled: physicsOn } });
    physicsLabel();
  });
  function resetControls() {
    $("wb-confidence").value = "1"; $("wb-mechanism").value = ""; $("wb-threat").value = "";
    Array.prototype.forEach.call(document.querySelectorAll("#wb-classes input"), function (b) { b.checked = true; });
    stop();
    timeMode = defaultMode; $("wb-time-mode").value = timeMode; setRange(); prepareSlider();
    $("wb-year-value").textContent = "any time";
  }
  $("wb-reset").addEventListener("click", function () {
    state = blankState();
    resetControls();
    $("wb-search").value = "";
    network.unselectAll();
    unhighlight();
    hintPanel();
    refresh();
  });
  $("wb-png").addEventListener("click", function () {
    var canvas = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = canvas.width; out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    var link = document.createElement("a");
    link.href = out.toDataURL("image/png");
    link.download = (data.title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") || "network") + ".png";
    document.body.appendChild(link); link.click(); link.remove();
  });

  // --- highlight and side panel --------------------------------------------------------------------
  var faded = false;
  function highlight(nodeIds, edgeIds) {
    kept = {};
    nodeIds.forEach(function (id) { kept[id] = true; });
    if (data.large) {  // updating 40,000 items' opacity takes seconds: veil the picture instead
      veiled = edgeIds.slice();
      faded = true;
      network.body.emitter.emit("_requestRedraw");  // in the next frame, after the panel has painted
      return;
    }
    var keepEdge = {};
    edgeIds.forEach(function (id) { keepEdge[id] = true; });
    allNodes.update(data.nodes.map(function (n) { return { id: n.id, opacity: kept[n.id] ? 1 : 0.15 }; }));
    allEdges.update(data.edges.map(function (e) {
      return { id: e.id, color: { color: e.color, highlight: e.color, hover: e.color, opacity: keepEdge[e.id] ? 1 : 0.08 } };
    }));
    faded = true;
  }
  function unhighlight() {
    kept = null; selected = null;
    if (!faded) return;
    if (veiled) { veiled = null; faded = false; network.body.emitter.emit("_requestRedraw"); return; }
    allNodes.update(data.nodes.map(function (n) { return { id: n.id, opacity: 1 }; }));
    allEdges.update(data.edges.map(function (e) {
      return { id: e.id, color: { color: e.color, highlight: e.color, hover: e.color, opacity: 1 } };
    }));
    faded = false;
  }
  function panel() { var p = $("wb-panel"); p.textContent = ""; return p; }
  function hintPanel() { panel().appendChild(el("p", "Click an actor or a relation to see where it comes from.", "hint")); }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", name));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join(", ") : value));
  }
  function sourceLine(c) {
    return (c.source_label || c.source || "unknown source") + (c.lines ? ", lines " + c.lines : "");
  }
  function showNode(id) {
    var n = nodeById[id];
    if (!n) return;
    selected = id;
    var p = panel();
    p.appendChild(el("h2", n.label));
    p.appendChild(el("div", n.short, "iri"));
    var dl = el("dl");
    field(dl, "Class", n.classes);
    field(dl, "Description", n.description);
    field(dl, "Also called", n.alt_labels);
    field(dl, "Linked threats", n.threats);
    field(dl, "Community", n.community);
    Object.keys(n.measures || {}).sort().forEach(function (k) { field(dl, k.replace("_", " "), n.measures[k]); });
    p.appendChild(dl);
    var shown = edgesOf[id].filter(edgePasses);
    p.appendChild(el("h2", "Relations (" + shown.length + ")"));
    var list = el("ul", null, "relations");
    function relation(e) {
      var out = e.from === id, other = nodeById[out ? e.to : e.from];
      var item = el("li");
      var button = el("button", (out ? "\u2192 " + e.label + " \u2192 " : "\u2190 " + e.label + " \u2190 ") + other.label, "relation");
      button.type = "button"; button.dataset.edge = e.id;
      button.addEventListener("click", function () { network.selectEdges([e.id]); showEdge(e.id); });
      item.appendChild(button);
      item.appendChild(el("div", (e.claims || []).map(sourceLine).join("; "), "cites"));
      list.appendChild(item);
    }
    // On a large page a hub has hundreds of relations: the first screenful shows at once, the rest
    // follows in batches after the panel has painted, so the click answers within a frame or two.
    var now = data.large ? shown.slice(0, PANEL_FIRST) : shown, later = shown.slice(now.length);
    now.forEach(relation);
    p.appendChild(list);
    (function more() {  // one batch a frame, each after the frame before has painted
      if (later.length) requestAnimationFrame(function () {
        setTimeout(function () { if (list.isConnected) { later.splice(0, PANEL_BATCH).forEach(relation); more(); } }, 0);
      });
    })();
    var near = [id].concat(network.getConnectedNodes(id));
    // Fade the rest after the panel has painted: on a large page the fade costs a whole redraw.
    requestAnimationFrame(function () {
      setTimeout(function () { if (selected === id) highlight(near, network.getConnectedEdges(id)); }, 0);
    });
    saveUrl();
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) return;
    selected = null;
    var p = panel();
    p.appendChild(el("h2", nodeById[e.from].label + " \u2192 " + e.label + " \u2192 " + nodeById[e.to].label));
    var dl = el("dl");
    field(dl, "Relation", e.label);
    field(dl, "Mechanisms", e.mechanisms);
    field(dl, "Sectors", e.sectors);
    field(dl, "Threats", e.threats);
    field(dl, "DISARM techniques (DISARM Foundation, CC BY-SA 4.0)", e.disarm);
    field(dl, "Confidence", e.confidence);
    field(dl, "Valid from", e.valid_from);
    field(dl, "Valid until", e.valid_until);
    field(dl, "First reported", e.first_reported);
    p.appendChild(dl);
    var claims = e.claims || [];
    p.appendChild(el("h2", "Sources (" + claims.length + ")"));
    claims.forEach(function (c) {
      var box = el("div", null, "source");
      box.appendChild(el("div", sourceLine(c), "cite"));
      box.appendChild(el("div", (c.confidence || "") +
        (c.reliability && c.credibility ? ", graded " + c.reliability + c.credibility : "") +
        (c.valid_from ? ", from " + c.valid_from : "") +
        (c.valid_until ? ", until " + c.valid_until : "") + (c.reported_on ? ", reported " + c.reported_on : "")));
      if (c.comment) {
        box.appendChild(el("div", "Summary in our words", "caption"));
        box.appendChild(el("div", c.comment, "summary"));
      }
      if (c.excerpt && c.excerpt.length) {
        box.appendChild(el("div", "The source's words (lines " + c.lines + ")", "caption"));
        var quote = el("blockquote", null, "excerpt");
        c.excerpt.forEach(function (line) { quote.appendChild(el("div", line)); });
        box.appendChild(quote);
      }
      box.appendChild(el("div", c.claim, "iri"));
      p.appendChild(box);
    });
    requestAnimationFrame(function () { setTimeout(function () { highlight([e.from, e.to], [id]); }, 0); });
    saveUrl();
  }
  network.on("click", function (params) {
    // A large page turns vis-network's selection off: what is under the pointer is the clicked item
    // (wbFast finds the topmost actor, else the nearest relation).
    var hit = data.large ? (params.items || [])[0] || {} : {};
    var nodeId = params.nodes.length ? params.nodes[0] : hit.nodeId;
    if (nodeId !== undefined) { showNode(nodeId); return; }
    var edgeId = params.edges.length ? params.edges[0] : hit.edgeId;
    if (edgeId !== undefined) { showEdge(edgeId); return; }
    unhighlight();
    hintPanel();
    saveUrl();
  });

  // --- the view in the URL: #conf=2&mech=..&threat=..&hide=a|b&year=2008&select=IRI ------------------
  var restoring = false;
  function saveUrl() {
    if (restoring) return;
    var parts = [];
    if (state.confidence > 1) parts.push("conf=" + state.confidence);
    if (state.mechanism) parts.push("mech=" + encodeURIComponent(state.mechanism));
    if (state.threat) parts.push("threat=" + encodeURIComponent(state.threat));
    var hidden = Object.keys(state.hiddenGroups).filter(function (g) { return state.hiddenGroups[g]; });
    if (hidden.length) parts.push("hide=" + hidden.map(encodeURIComponent).join("|"));
    if (state.year !== null) parts.push("year=" + state.year + (timeMode === "reported" ? "&clock=reported" : ""));
    if (selected) parts.push("select=" + encodeURIComponent(selected));
    try { history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search); }
    catch (err) { /* a page opened from some viewers cannot change its URL: the view still works */ }
  }
  function restoreUrl() {
    var hash = location.hash.replace(/^#/, "");
    if (!hash) { fitVisible(); return; }
    var q = {};
    hash.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) q[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    });
    restoring = true;
    if (q.conf) { state.confidence = +q.conf || 1; $("wb-confidence").value = String(state.confidence); }
    if (q.mech && mechanisms[q.mech]) { state.mechanism = q.mech; $("wb-mechanism").value = q.mech; }
    if (q.threat && threats[q.threat]) { state.threat = q.threat; $("wb-threat").value = q.threat; }
    if (q.hide) q.hide.split("|").forEach(function (g) {
      var name = decodeURIComponent(g);
      state.hiddenGroups[name] = true;
      var box = document.querySelector('#wb-classes input[data-group="' + CSS.escape(name) + '"]');
      if (box) box.checked = false;
    });
    if (q.clock === "reported" && yearsOf("reported").length) {
      timeMode = "reported"; $("wb-time-mode").value = "reported"; setRange(); prepareSlider();
    }
    if (q.year && firstYear !== null) setYear(+q.year); else refresh();
    if (q.select && nodeById[q.select]) { network.selectNodes([q.select]); showNode(q.select); }
    restoring = false;
    saveUrl();
  }

  window.wbgraph.showEdge = showEdge;
  window.wbgraph.showNode = showNode;
  window.wbgraph.setYear = setYear;
  restoreUrl();
  status();
})();
