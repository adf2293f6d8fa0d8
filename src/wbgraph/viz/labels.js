// wbgraph labels: drawn by the page over vis-network at a fixed size on screen, with a white halo, and
// placed greedily by importance so that no two labels overlap. More labels fit as one zooms in.
var wbLabels = (function () {
  "use strict";
  var PX = 13, PAD = 2, CELL = 96, MAX = 400;
  var FONT = PX + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var widths = {};

  function collides(grid, box) {
    var x0 = Math.floor(box.x / CELL), x1 = Math.floor((box.x + box.w) / CELL);
    var y0 = Math.floor(box.y / CELL), y1 = Math.floor((box.y + box.h) / CELL);
    for (var gx = x0; gx <= x1; gx++) {
      for (var gy = y0; gy <= y1; gy++) {
        var cell = grid[gx + "," + gy];
        if (!cell) continue;
        for (var i = 0; i < cell.length; i++) {
          var o = cell[i];
          if (box.x < o.x + o.w && o.x < box.x + box.w && box.y < o.y + o.h && o.y < box.y + box.h) return true;
        }
      }
    }
    return false;
  }
  function add(grid, box) {
    var x0 = Math.floor(box.x / CELL), x1 = Math.floor((box.x + box.w) / CELL);
    var y0 = Math.floor(box.y / CELL), y1 = Math.floor((box.y + box.h) / CELL);
    for (var gx = x0; gx <= x1; gx++) {
      for (var gy = y0; gy <= y1; gy++) (grid[gx + "," + gy] = grid[gx + "," + gy] || []).push(box);
    }
  }

  // order: node ids, most important first; shown(id): whether the node is drawn and not faded;
  // text(id): the label; strong(id): drawn in bold (focus, selection).
  function draw(network, ctx, order, shown, text, strong) {
    var view = network.body.view, scale = view.scale, tx = view.translation.x, ty = view.translation.y;
    var frame = network.canvas.frame.canvas;
    var ratio = network.canvas.pixelRatio || 1;
    var W = frame.clientWidth, H = frame.clientHeight;
    var nodes = network.body.nodes, grid = {}, placed = [];
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4;
    ctx.strokeStyle = "rgba(255,255,255,0.95)";
    ctx.fillStyle = "#111";
    var font = null;  // setting the font parses it: only when it changes
    for (var i = 0; i < order.length && placed.length < MAX; i++) {
      var id = order[i], node = nodes[id];
      if (!node || !shown(id)) continue;
      var x = node.x * scale + tx, y = node.y * scale + ty;
      if (x < -100 || x > W + 100 || y < -40 || y > H + 40) continue;
      var label = text(id), bold = !!strong(id);
      if (font !== bold) { ctx.font = (bold ? "bold " : "") + FONT; font = bold; }
      var key = (bold ? "b" : "") + label;
      var w = widths[key] || (widths[key] = ctx.measureText(label).width);
      var top = y + node.options.size * scale + PAD;
      var box = { id: id, x: x - w / 2 - PAD, y: top, w: w + 2 * PAD, h: PX + 2 * PAD, px: PX };
      if (box.x < 0 || box.x + box.w > W || box.y + box.h > H || collides(grid, box)) continue;
      add(grid, box);
      placed.push(box);
      ctx.strokeText(label, x, top + PAD);
      ctx.fillText(label, x, top + PAD);
    }
    ctx.restore();
    return placed;
  }
  return { draw: draw, PX: PX };
})();
