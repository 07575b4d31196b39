// Draw the assessment trend charts: each figure's JSON is in a <script type="application/json">
// beside its chart (no inline script: the CSP allows only our own files). plotly.js is served locally.
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".trend-chart[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-figure"));
      if (!source || el.getAttribute("data-drawn")) { return; }
      var figure = JSON.parse(source.textContent);
      if (figure.layout && figure.layout.height) { el.style.height = figure.layout.height + "px"; }
      window.Plotly.newPlot(el, figure.data, figure.layout, { displayModeBar: false, responsive: true, displaylogo: false });
      el.setAttribute("data-drawn", "true");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
