// wbgraph legend swatches: small inline SVG drawings of node shapes and relation lines (colour, dash, arrow).
var wbLegend = (function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  function svg(w, h) {
    var s = document.createElementNS(NS, "svg");
    s.setAttribute("width", w); s.setAttribute("height", h); s.setAttribute("viewBox", "0 0 " + w + " " + h);
    s.setAttribute("aria-hidden", "true"); s.setAttribute("class", "swatch");
    return s;
  }
  function child(parent, tag, attrs) {
    var c = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { c.setAttribute(k, attrs[k]); });
    parent.appendChild(c);
    return c;
  }
  var POINTS = {
    diamond: "7,1 13,7 7,13 1,7", triangle: "7,1 13,12 1,12", triangleDown: "1,2 13,2 7,13",
    hexagon: "4,1.5 10,1.5 13,7 10,12.5 4,12.5 1,7", star: "7,1 8.8,5.2 13,5.5 9.8,8.4 10.8,13 7,10.6 3.2,13 4.2,8.4 1,5.5 5.2,5.2"
  };
  function shape(name, colour) {
    var s = svg(14, 14);
    var attrs = { fill: colour, stroke: "#333", "stroke-width": "0.6" };
    if (name === "square") child(s, "rect", Object.assign({ x: 2, y: 2, width: 10, height: 10 }, attrs));
    else if (POINTS[name]) child(s, "polygon", Object.assign({ points: POINTS[name] }, attrs));
    else child(s, "circle", Object.assign({ cx: 7, cy: 7, r: 5.5 }, attrs));
    return s;
  }
  function line(colour, dashes) {
    var s = svg(40, 12);
    var attrs = { x1: 1, y1: 6, x2: 31, y2: 6, stroke: colour, "stroke-width": 2.5 };
    if (dashes && dashes.length) attrs["stroke-dasharray"] = dashes.join(" ");
    child(s, "line", attrs);
    child(s, "polygon", { points: "31,1.5 39,6 31,10.5", fill: colour });
    return s;
  }
  return { shape: shape, line: line };
})();
