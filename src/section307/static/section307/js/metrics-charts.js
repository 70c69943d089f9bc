// Bar charts for the metrics pages. Each <canvas data-chart="ID"> reads its figures from the JSON
// island <script id="ID" type="application/json"> (no inline script: the site's CSP forbids it).
// The table beside every chart holds the same figures; a bar links to the same list as its table row.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var island = document.getElementById(canvas.getAttribute("data-chart"));
    if (!island) { return; }
    var data = JSON.parse(island.textContent);
    var links = data.links || [];
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.values, backgroundColor: "#005ea2" }]
      },
      options: {
        animation: reduceMotion ? false : undefined,
        aspectRatio: data.labels.length > 12 ? 1.8 : 2.6,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true } },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length && links[elements[0].index] ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (elements.length && links[elements[0].index]) { window.location.href = links[elements[0].index]; }
        }
      }
    });
  });
})();
