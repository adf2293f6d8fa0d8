// wbgraph: name suggestions for search and form fields. Names are shown with textContent, never as HTML.
(function () {
  "use strict";
  // "ExternalPower" reads "External power"
  function readable(kind) {
    var words = String(kind || "").match(/[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+/g) || [];
    return words.map(function (w, i) { return i && w !== w.toUpperCase() ? w.toLowerCase() : w; }).join(" ");
  }
  function attach(input) {
    var mode = input.getAttribute("data-suggest");
    var only = input.getAttribute("data-only") || "";
    var list = document.createElement("ul");
    list.className = "suggestions-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    var timer = null, asked = "";
    function show(hits) {
      list.textContent = "";
      hits.forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = hit.url;
        link.textContent = hit.label;
        link.className = "suggestion";
        if (mode === "fill") {
          link.addEventListener("click", function (event) {
            event.preventDefault();
            input.value = hit.label;
            list.hidden = true;
          });
        }
        item.appendChild(link);
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = readable(hit.kind) + (hit.matched ? " · " + hit.matched : "");
        item.appendChild(kind);
        list.appendChild(item);
      });
      list.hidden = hits.length === 0;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) { show([]); return; }
      timer = setTimeout(function () {
        asked = text;
        fetch("/api/search?limit=8&word_start=true&only=" + only + "&q=" + encodeURIComponent(text),
          { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (hits) { if (asked === text) show(hits); })
          .catch(function () { show([]); });
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Enter") { asked = ""; list.hidden = true; }
    });
    // Hide the list when the field loses focus, a moment later so that a click on a suggestion counts.
    input.addEventListener("blur", function () { setTimeout(function () { list.hidden = true; }, 250); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
