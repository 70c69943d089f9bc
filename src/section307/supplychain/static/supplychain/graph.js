// Supply-chain graph (Cytoscape with the dagre layout): suppliers on the left, the importer on the right;
// nodes and links on a risky path in red. Loaded as a static file (strict CSP: no inline script).
(function () {
  "use strict";
  var box = document.getElementById("supply-graph");
  if (!box || typeof window.cytoscape !== "function") { return; }
  if (window.cytoscapeDagre) { window.cytoscape.use(window.cytoscapeDagre); }
  fetch(box.getAttribute("data-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (data) {
      var cy = window.cytoscape({
        container: box,
        elements: data.elements,
        wheelSensitivity: 0.3,
        style: [
          { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 140,
            "text-valign": "bottom", "background-color": "#2e6276", "width": 22, "height": 22 } },
          { selector: "node.level-review", style: { "background-color": "#c05600" } },
          { selector: "node.level-hit", style: { "background-color": "#b50909" } },
          { selector: "node.risky", style: { "border-width": 4, "border-color": "#b50909" } },
          { selector: "edge", style: { "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 2,
            "line-color": "#71767a", "target-arrow-color": "#71767a", "label": "data(label)", "font-size": 9,
            "text-rotation": "autorotate" } },
          { selector: "edge.risky", style: { "line-color": "#b50909", "target-arrow-color": "#b50909", "width": 4 } }
        ],
        layout: window.cytoscapeDagre ? { name: "dagre", rankDir: "LR", nodeSep: 30, rankSep: 120 } : { name: "breadthfirst" }
      });
      box.setAttribute("data-ready", "true");
      box.setAttribute("data-risky", String(cy.elements(".risky").length));
    })
    .catch(function () { box.textContent = box.getAttribute("aria-label"); });
})();
