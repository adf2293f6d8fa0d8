// wbgraph drawing for large pages. vis-network draws every relation and actor on its own (a style lookup,
// a path and a stroke each) and in one go: 0.1 to 1 s a frame for 30,000 relations and 10,000 actors on a
// busy machine. Above the size threshold the page draws them itself:
// - in batches (one path per colour and width of line, per shape and colour of actor, a few hundred
//   items each), skipping what is off screen;
// - off screen, a slice of about 6 ms per frame, then shown at once; until then the last finished
//   picture stays on screen;
// - while the view is dragged or zoomed, that last picture moved and scaled (one image copy a frame),
//   redrawn in full once the view is still.
// vis-network still owns the view, the events and the hit testing (which reads each actor's box, kept
// up to date here).
var wbFast = (function () {
  "use strict";
  var TAU = 2 * Math.PI, SQRT3 = Math.sqrt(3);
  // items per path: Skia fills and strokes a few short paths faster than one long one
  var NODE_CHUNK = 200, EDGE_CHUNK = 400, SORT_CHUNK = 2000;
  var BUDGET = 6;  // ms of drawing per frame

  // The outlines vis-network draws for each shape, at the same size.
  function outline(ctx, shape, x, y, r) {
    var i, a;
    switch (shape) {
      case "square": ctx.rect(x - r, y - r, 2 * r, 2 * r); return;
      case "diamond":
        ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); return;
      case "triangle": case "triangleDown":
        var s = 2 * r, inner = SQRT3 / 6 * s, h = Math.sqrt(s * s - r * r), d = shape === "triangle" ? 1 : -1;
        ctx.moveTo(x, y - d * (h - inner)); ctx.lineTo(x + r, y + d * inner); ctx.lineTo(x - r, y + d * inner);
        ctx.closePath(); return;
      case "hexagon":
        ctx.moveTo(x + r, y);
        for (i = 1; i < 6; i++) ctx.lineTo(x + r * Math.cos(TAU * i / 6), y + r * Math.sin(TAU * i / 6));
        ctx.closePath(); return;
      case "star":
        var k = 0.82 * r, cy = y + 0.1 * k;
        for (i = 0; i < 10; i++) {
          a = i % 2 === 0 ? 1.3 * k : 0.5 * k;
          ctx[i ? "lineTo" : "moveTo"](x + a * Math.sin(TAU * i / 10), cy - a * Math.cos(TAU * i / 10));
        }
        ctx.closePath(); return;
      default: ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, TAU);
    }
  }

  function viewBox(network, margin) {
    var frame = network.canvas.frame.canvas;
    var a = network.canvas.DOMtoCanvas({ x: -margin, y: -margin });
    var b = network.canvas.DOMtoCanvas({ x: frame.clientWidth + margin, y: frame.clientHeight + margin });
    return { left: a.x, top: a.y, right: b.x, bottom: b.y };
  }

  // Group items by a key cached on their options object (vis-network replaces it when options change).
  function batch(batches, order, item, key) {
    var b = batches[key];
    if (!b) { b = batches[key] = { first: item, items: [] }; order.push(b); }
    b.items.push(item);
  }

  // The drawing of one frame as steps appended to ``steps``: sorting what is on screen into batches,
  // a few thousand items a step, then drawing the batches, a few hundred items a step, then ``last``.
  function plan(network, steps, last) {
    var body = network.body, view = viewBox(network, 20), scale = body.view.scale;
    var edgeBatches = {}, edgeOrder = [], nodeBatches = {}, nodeOrder = [], selectedEdges = [], special = [];
    var edgeIds = body.edgeIndices, nodeIds = body.nodeIndices;
    function edges(from) {
      return function () {
        for (var i = from; i < Math.min(edgeIds.length, from + SORT_CHUNK); i++) {
          var e = body.edges[edgeIds[i]], f = e.from, t = e.to;
          if (!e.connected || e.options.hidden) continue;
          if (e.selected) { selectedEdges.push(e); continue; }
          if ((f.x < view.left && t.x < view.left) || (f.x > view.right && t.x > view.right) ||
              (f.y < view.top && t.y < view.top) || (f.y > view.bottom && t.y > view.bottom)) continue;
          if (e.wbOptions !== e.options) {
            var c = e.options.color;
            e.wbOptions = e.options;
            e.wbKey = c.color + "|" + c.opacity + "|" + e.options.width;
          }
          batch(edgeBatches, edgeOrder, e, e.wbKey);
        }
      };
    }
    function nodes(from) {
      return function (ctx) {
        for (var i = from; i < Math.min(nodeIds.length, from + SORT_CHUNK); i++) {
          var n = body.nodes[nodeIds[i]], o = n.options, r = o.size;
          if (o.hidden) continue;
          if (n.wbX !== n.x || n.wbY !== n.y) {  // moved (or new): the box vis-network hit-tests against,
            n.updateBoundingBox(ctx, n.selected);  // which its own drawing of the actor would have set
            if (!n.shape.width) n.resize(ctx);
            n.shape.left = n.x - n.shape.width / 2;
            n.shape.top = n.y - n.shape.height / 2;
            n.wbX = n.x; n.wbY = n.y;
          }
          if (n.x + 2 * r < view.left || n.x - 2 * r > view.right || n.y + 2 * r < view.top || n.y - 2 * r > view.bottom) continue;
          if (n.selected || n.hover || o.shape === "image" || o.shape === "circularImage") { special.push(n); continue; }
          if (n.wbOptions !== o) {
            n.wbOptions = o;
            n.wbKey = o.shape + "|" + o.color.background + "|" + o.color.border + "|" + o.borderWidth + "|" + o.opacity;
          }
          batch(nodeBatches, nodeOrder, n, n.wbKey);
        }
      };
    }
    var i;
    for (i = 0; i < edgeIds.length; i += SORT_CHUNK) steps.push(edges(i));
    for (i = 0; i < nodeIds.length; i += SORT_CHUNK) steps.push(nodes(i));
    steps.push(function () {
      edgeOrder.forEach(function (b) {
        for (var start = 0; start < b.items.length; start += EDGE_CHUNK) steps.push(edgeStep(b, start, scale));
      });
      nodeOrder.forEach(function (b) {
        for (var start = 0; start < b.items.length; start += NODE_CHUNK) steps.push(nodeStep(b, start));
      });
      steps.push(function (ctx) {
        selectedEdges.forEach(function (e) { e.draw(ctx); e.drawArrows(ctx); });
        special.forEach(function (n) { n.draw(ctx); });
      });
      steps.push(last);
    });
  }

  function edgeStep(b, start, scale) {
    return function (ctx) {
      var c = b.first.options.color;
      ctx.strokeStyle = c.color;
      ctx.globalAlpha = c.opacity === undefined ? 1 : c.opacity;
      ctx.lineWidth = Math.max(b.first.options.width, 0.3 / scale);
      ctx.beginPath();
      for (var i = start; i < Math.min(b.items.length, start + EDGE_CHUNK); i++) {
        var e = b.items[i];
        if (e.from === e.to) {
          var r = e.from.options.size;
          ctx.moveTo(e.from.x + 1.5 * r, e.from.y - 0.75 * r);
          ctx.arc(e.from.x + 0.75 * r, e.from.y - 0.75 * r, 0.75 * r, 0, TAU);
        } else {
          ctx.moveTo(e.from.x, e.from.y);
          ctx.lineTo(e.to.x, e.to.y);
        }
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
    };
  }

  function nodeStep(b, start) {
    return function (ctx) {
      var o = b.first.options;
      ctx.globalAlpha = o.opacity === undefined ? 1 : o.opacity;
      ctx.fillStyle = o.color.background;
      ctx.strokeStyle = o.color.border;
      ctx.lineWidth = o.borderWidth || 1;
      ctx.beginPath();
      for (var i = start; i < Math.min(b.items.length, start + NODE_CHUNK); i++) {
        var n = b.items[i];
        outline(ctx, o.shape, n.x, n.y, n.options.size);
      }
      ctx.fill();
      ctx.stroke();
      ctx.globalAlpha = 1;
    };
  }

  // Take over vis-network's redraw on this network; its hidden sizing pass keeps the original.
  // overlay(ctx, steps) draws over the network (in place of vis-network's afterDrawing event), or
  // appends steps that do.
  function install(network, overlay) {
    var renderer = network.renderer, body = network.body, original = renderer._redraw;
    var shown = null, job = null;  // shown: the finished picture {canvas, scale, x, y}
    var spare = [];  // canvases reused in turn
    var onScreen = null;  // the view the visible canvas shows

    function target() {
      var visible = network.canvas.frame.canvas, off = spare.pop() || document.createElement("canvas");
      if (off.width !== visible.width || off.height !== visible.height) {
        off.width = visible.width; off.height = visible.height;
      }
      return off;
    }
    function blit(picture) {  // the picture, moved and scaled to the current view
      var ctx = network.canvas.getContext(), visible = network.canvas.frame.canvas;
      var ratio = network.canvas.pixelRatio || 1, view = body.view, k = view.scale / picture.scale;
      var now = [picture.canvas, view.scale, view.translation.x, view.translation.y, visible.width, visible.height];
      if (onScreen && now.every(function (v, i) { return v === onScreen[i]; })) return;
      onScreen = now;
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, visible.width, visible.height);
      ctx.imageSmoothingEnabled = false;  // a picture in motion: copying pixels beats filtering them
      ctx.drawImage(picture.canvas, ratio * (view.translation.x - picture.x * k), ratio * (view.translation.y - picture.y * k),
                    picture.canvas.width * k, picture.canvas.height * k);
      ctx.restore();
    }
    // A new picture for the current view, drawn off screen in slices after this frame has painted.
    function start() {
      var canvas = target(), ctx = canvas.getContext("2d"), ratio = network.canvas.pixelRatio || 1, view = body.view;
      var current = { canvas: canvas, ctx: ctx, next: 0, scale: view.scale, x: view.translation.x, y: view.translation.y };
      current.steps = [function () {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.translate(current.x, current.y);
        ctx.scale(current.scale, current.scale);
        body.emitter.emit("beforeDrawing", ctx);
        plan(network, current.steps, function () { overlay(ctx, current.steps); });
      }];
      job = current;
      setTimeout(function () { work(current); }, 0);
    }
    function work(current) {
      if (job !== current) return;
      var t0 = performance.now();
      while (current.next < current.steps.length && performance.now() - t0 < BUDGET) {
        current.steps[current.next++](current.ctx);
        current.ctx.getImageData(0, 0, 1, 1);  // rasterise each step now: the budget counts it, the last frame does not
      }
      if (current.next < current.steps.length) { setTimeout(function () { work(current); }, 0); return; }
      job = null;
      if (shown) spare.push(shown.canvas);
      shown = current;
      blit(shown);
    }
    renderer._redraw = function (hidden) {
      // vis-network's own drawing for its sizing pass, and while its render loop runs (physics switched
      // on, an animated move): there a new picture is wanted on every frame, and a sliced one never ends.
      if (hidden || !renderer.allowRedraw || renderer.renderingActive) return original.apply(renderer, arguments);
      body.emitter.emit("initRedraw");
      renderer.redrawRequested = false;
      var visible = network.canvas.frame.canvas;
      if (!visible.width || !visible.height) network.canvas.setSize();
      if (!network.canvas.frame.clientWidth) return;
      var moved = shown && (shown.canvas.width !== visible.width || shown.canvas.height !== visible.height) ? null : shown;
      var draggingNodes = renderer.dragging && network.interactionHandler.drag.selection &&
        network.interactionHandler.drag.selection.length;
      if (moved) blit(moved);
      if (job) spare.push(job.canvas);
      job = null;
      if (moved && !draggingNodes && (renderer.dragging || renderer.zooming)) return;  // redrawn once still
      start();
    };
    network.on("dragEnd", function () { body.emitter.emit("_requestRedraw"); });
    network.on("afterDrawing", function (ctx) {  // only from vis-network's own drawing
      var steps = [];
      overlay(ctx, steps);
      steps.forEach(function (step) { step(ctx); });
    });
    // vis-network asks every actor and relation whether a click hit it (40,000 tests, each allocating);
    // the topmost actor under the pointer, else the nearest relation, is all a click needs.
    network.selectionHandler.getClickedItems = function (pointer) {
      var node = network.selectionHandler.getNodeAt(pointer, false);
      if (node !== undefined) return [{ nodeId: node }];
      var edge = network.selectionHandler.getEdgeAt(pointer, false);
      return edge !== undefined ? [{ edgeId: edge }] : [];
    };
    // Tooltips only for actors: a relation's tooltip means measuring the distance to all 30,000 of them
    // each time the pointer rests (and its panel is a click away).
    var interaction = network.interactionHandler, showPopup = interaction._checkShowPopup;
    interaction._checkShowPopup = function (pointer) {
      if (network.selectionHandler.getNodeAt(pointer, false) !== undefined) return showPopup.call(interaction, pointer);
      if (interaction.popup && !interaction.popup.hidden) { interaction.popup.hide(); body.emitter.emit("hidePopup"); }
      interaction.popupObj = undefined;
    };
  }
  return { install: install };
})();
