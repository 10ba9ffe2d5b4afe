// Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json"
// id="ID"> (Django's json_script): no inline script, as the Content Security Policy asks.
// Each chart's numbers are also in a table on the page.
(function () {
  "use strict";
  function format(unit, value) {
    if (value === null || value === undefined) return "no data";
    if (unit === "rate") return (value * 100).toFixed(1) + " %";
    if (unit === "dollars") return "$" + Math.round(value).toLocaleString();
    return value.toFixed(1);
  }
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return format(spec.unit, v); } } } },
        plugins: {
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + format(spec.unit, c.parsed.y); } } },
        },
      },
    });
  }
  function init() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
