// wbgraph interactive page. Everything from the data is shown with textContent, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wb-data").textContent);
  var RANK = { implied: 1, alleged: 2, stated: 3 };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  $("wb-title").textContent = data.title;
  $("wb-subtitle").textContent = data.subtitle || "";
  document.title = data.title;

  var allNodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({}, n, { title: n.label + " (" + (n.group_name || n.kind) + ")" });
  }));
  var allEdges = new vis.DataSet(data.edges.map(function (e) {
    var mech = (e.mechanisms || []).join(", ");
    return Object.assign({}, e, { title: e.label + (mech ? " via " + mech : "") + " [" + e.confidence + "]" });
  }));

  // --- filters ---------------------------------------------------------------------------------
  var state = { confidence: 1, mechanism: "", threat: "", hiddenGroups: {}, focus: null };
  var nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });

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
    return true;
  }
  var visibleNodes = {};
  function recompute() {
    visibleNodes = {};
    data.edges.forEach(function (e) {
      if (edgePasses(e)) { visibleNodes[e.from] = true; visibleNodes[e.to] = true; }
    });
    var filtering = state.confidence > 1 || state.mechanism || state.threat;
    data.nodes.forEach(function (n) {
      if (state.hiddenGroups[n.group_name]) return;
      if (!filtering) visibleNodes[n.id] = true;
      if (state.threat && (n.threats || []).indexOf(state.threat) >= 0) visibleNodes[n.id] = true;
    });
  }
  recompute();
  var nodesView = new vis.DataView(allNodes, { filter: function (n) { return !!visibleNodes[n.id]; } });
  var edgesView = new vis.DataView(allEdges, { filter: function (e) { return edgePasses(e); } });

  var container = $("wb-network");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);
  var physicsOn = !data.static;
  window.wbgraph = { network: network, nodes: nodesView, edges: edgesView, drawn: false };
  network.once("afterDrawing", function () { window.wbgraph.drawn = true; document.body.dataset.drawn = "1"; });
  network.on("stabilizationIterationsDone", function () { network.setOptions({ physics: { enabled: physicsOn } }); });

  function refresh() {
    recompute();
    nodesView.refresh();
    edgesView.refresh();
    status();
  }
  function status() {
    $("wb-status").textContent = nodesView.length + " actors and " + edgesView.length + " relations shown (of " +
      data.nodes.length + " and " + data.edges.length + ")";
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
    var swatch = el("span", null, "swatch");
    swatch.style.background = data.colorBy === "class" ? c.colour : "#ccc";
    label.appendChild(box); label.appendChild(swatch); label.appendChild(document.createTextNode(c.name + " (" + present[c.name] + ")"));
    $("wb-classes").appendChild(label);
  });
  data.legend.edges.forEach(function (item) {
    var li = el("li");
    var line = el("span", null, "line" + (item[2] ? " dashed" : ""));
    line.style.borderTopColor = item[1];
    li.appendChild(line); li.appendChild(document.createTextNode(item[0]));
    $("wb-edge-legend").appendChild(li);
  });

  var names = $("wb-names");
  data.nodes.map(function (n) { return n.label; }).sort().forEach(function (label) {
    var o = el("option"); o.value = label; names.appendChild(o);
  });
  function findNode(text) {
    var q = text.trim().toLowerCase();
    if (!q) return null;
    var exact = null, partial = null;
    data.nodes.forEach(function (n) {
      var labels = [n.label].concat(n.alt_labels || []).map(function (s) { return String(s).toLowerCase(); });
      if (!exact && labels.indexOf(q) >= 0) exact = n;
      if (!partial && labels.some(function (s) { return s.indexOf(q) >= 0; })) partial = n;
    });
    return exact || partial;
  }
  $("wb-search").addEventListener("change", function (ev) {
    var n = findNode(ev.target.value);
    if (!n) { $("wb-status").textContent = "No actor matches \u201c" + ev.target.value + "\u201d"; return; }
    if (!visibleNodes[n.id]) { state.hiddenGroups = {}; state.confidence = 1; state.mechanism = ""; state.threat = ""; refresh(); }
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: 1.2, animation: false });
    showNode(n.id);
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
  $("wb-reset").addEventListener("click", function () {
    state = { confidence: 1, mechanism: "", threat: "", hiddenGroups: {}, focus: null };
    $("wb-confidence").value = "1"; $("wb-mechanism").value = ""; $("wb-threat").value = "";
    Array.prototype.forEach.call(document.querySelectorAll("#wb-classes input"), function (b) { b.checked = true; });
    unhighlight(); refresh(); network.fit();
  });

  // --- highlight and side panel --------------------------------------------------------------------
  var highlighted = false;
  function highlight(id) {
    var keep = {}; keep[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    allNodes.update(data.nodes.map(function (n) {
      return { id: n.id, opacity: keep[n.id] ? 1 : 0.15 };
    }));
    highlighted = true;
  }
  function unhighlight() {
    if (!highlighted) return;
    allNodes.update(data.nodes.map(function (n) { return { id: n.id, opacity: 1 }; }));
    highlighted = false;
  }
  function panel() { var p = $("wb-panel"); p.textContent = ""; return p; }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", name));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join(", ") : value));
  }
  function showNode(id) {
    var n = nodeById[id];
    if (!n) return;
    highlight(id);
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
    field(dl, "Relations", network.getConnectedEdges(id).length);
    p.appendChild(dl);
  }
  function showEdge(id) {
    var e = allEdges.get(id);
    if (!e) return;
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
      box.appendChild(el("div", (c.source_label || c.source || "unknown source") + (c.lines ? ", lines " + c.lines : "")));
      box.appendChild(el("div", (c.confidence || "") +
        (c.reliability && c.credibility ? ", graded " + c.reliability + c.credibility : "") +
        (c.valid_from ? ", from " + c.valid_from : "") +
        (c.valid_until ? ", until " + c.valid_until : "") + (c.reported_on ? ", reported " + c.reported_on : "")));
      if (c.comment) box.appendChild(el("div", c.comment));
      box.appendChild(el("div", c.claim, "iri"));
      p.appendChild(box);
    });
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); return; }
    unhighlight();
    if (params.edges.length) { showEdge(params.edges[0]); return; }
    panel().appendChild(el("p", "Click an actor or a relation to see where it comes from.", "hint"));
  });
  window.wbgraph.showEdge = showEdge;
  window.wbgraph.showNode = showNode;
  status();
})();
