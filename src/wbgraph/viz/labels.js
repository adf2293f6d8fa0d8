// wbgraph labels: drawn by the page over vis-network at a fixed size on screen, with a white halo, and
// placed greedily by importance so that no two labels overlap. More labels fit as one zooms in.
var wbLabels = (function () {
  "use strict";
  var PX = 13, PAD = 2, CELL = 96, MAX = 400;
  var FONT = PX + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var widths = {}, chars = {};

  // A label's width as the sum of its characters' widths, each measured once: measuring every label
  // the first time a view of 10,000 actors is placed takes longer than a frame.
  function textWidth(ctx, label, bold) {
    var key = (bold ? "b" : "") + label, w = widths[key];
    if (w !== undefined) return w;
    w = 0;
    for (var i = 0; i < label.length; i++) {
      var c = (bold ? "b" : "") + label[i];
      w += chars[c] !== undefined ? chars[c] : (chars[c] = ctx.measureText(label[i]).width);
    }
    return (widths[key] = w);
  }

  // The placed boxes, bucketed in cells of the screen (a flat array: thousands of candidates a frame).
  function collides(grid, x, y, w, h) {
    var x0 = Math.floor(x / CELL), x1 = Math.floor((x + w) / CELL);
    var y0 = Math.floor(y / CELL), y1 = Math.floor((y + h) / CELL);
    for (var gy = y0; gy <= y1; gy++) {
      for (var gx = x0; gx <= x1; gx++) {
        var cell = grid.cells[gy * grid.cols + gx];
        if (!cell) continue;
        for (var i = 0; i < cell.length; i++) {
          var o = cell[i];
          if (x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h) return true;
        }
      }
    }
    return false;
  }
  function add(grid, box) {
    var x0 = Math.floor(box.x / CELL), x1 = Math.floor((box.x + box.w) / CELL);
    var y0 = Math.floor(box.y / CELL), y1 = Math.floor((box.y + box.h) / CELL);
    for (var gy = y0; gy <= y1; gy++) {
      for (var gx = x0; gx <= x1; gx++) (grid.cells[gy * grid.cols + gx] = grid.cells[gy * grid.cols + gx] || []).push(box);
    }
  }

  // order: node ids, most important first; shown(id): whether the node is drawn and not faded;
  // text(id): the label; strong(id): drawn in bold (focus, selection). Returns the boxes of the labels
  // that fit, most important first, without drawing them (ctx only measures).
  function place(network, ctx, order, shown, text, strong) {
    var view = network.body.view, scale = view.scale, tx = view.translation.x, ty = view.translation.y;
    var frame = network.canvas.frame.canvas;
    var W = frame.clientWidth, H = frame.clientHeight;
    var nodes = network.body.nodes, grid = { cols: Math.floor(W / CELL) + 1, cells: [] }, placed = [];
    var font = null;  // setting the font parses it: only when it changes
    ctx.save();
    for (var i = 0; i < order.length && placed.length < MAX; i++) {
      var id = order[i], node = nodes[id];
      if (!node || !shown(id)) continue;
      var x = node.x * scale + tx, y = node.y * scale + ty;
      if (x < -100 || x > W + 100 || y < -40 || y > H + 40) continue;
      var label = text(id), bold = !!strong(id);
      if (font !== bold) { ctx.font = (bold ? "bold " : "") + FONT; font = bold; }
      var w = textWidth(ctx, label, bold);
      var top = y + node.options.size * scale + PAD;
      var bx = x - w / 2 - PAD, bw = w + 2 * PAD, bh = PX + 2 * PAD;
      if (bx < 0 || bx + bw > W || top + bh > H || collides(grid, bx, top, bw, bh)) continue;
      var box = { id: id, x: bx, y: top, w: bw, h: bh, px: PX, text: label, bold: bold };
      add(grid, box);
      placed.push(box);
    }
    ctx.restore();
    return placed;
  }

  // Draw boxes[from, to) (all by default) with their halos.
  function paint(network, ctx, boxes, from, to) {
    var ratio = network.canvas.pixelRatio || 1, font = null;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4;
    ctx.strokeStyle = "rgba(255,255,255,0.95)";
    ctx.fillStyle = "#111";
    for (var i = from || 0; i < (to === undefined ? boxes.length : to); i++) {
      var b = boxes[i], x = b.x + b.w / 2;
      if (font !== b.bold) { ctx.font = (b.bold ? "bold " : "") + FONT; font = b.bold; }
      ctx.strokeText(b.text, x, b.y + PAD);
      ctx.fillText(b.text, x, b.y + PAD);
    }
    ctx.restore();
  }

  function draw(network, ctx, order, shown, text, strong) {
    var boxes = place(network, ctx, order, shown, text, strong);
    paint(network, ctx, boxes);
    return boxes;
  }
  return { draw: draw, place: place, paint: paint, PX: PX };
})();
