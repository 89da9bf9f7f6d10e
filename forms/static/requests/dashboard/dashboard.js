/* « Tableau de bord »: draws each figure's chart from its data (a json_script element).
 * No inline script (Content-Security-Policy); the data tables under each chart hold the
 * same values for screen readers and for those who prefer figures. Chart.js is served from
 * forms/static/requests/dashboard/chart.umd.min.js (copied from node_modules: `make chartjs`). */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return; // the tables and CSV links still work
  }
  // Distinguishable in light and dark themes, and for the common colour-vision deficiencies.
  var PALETTE = ["#2f6fb3", "#e08a00", "#2b9e76", "#c2417d", "#7a5cc7", "#8c8c8c"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function textColour(element) {
    return window.getComputedStyle(element).color || "#333";
  }

  function withAlpha(colour, alpha) {
    var match = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(colour);
    return match ? "rgba(" + match[1] + "," + match[2] + "," + match[3] + "," + alpha + ")" : colour;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-figure"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var text = textColour(canvas.parentNode);
    var grid = withAlpha(text, 0.15);
    var horizontal = figure.type === "bar-horizontal";
    var baseType = figure.type === "line" ? "line" : "bar";
    var hasRightAxis = figure.datasets.some(function (set) { return set.axis === "y1"; });
    var datasets = figure.datasets.map(function (set, index) {
      var colour = PALETTE[index % PALETTE.length];
      var onRight = set.axis === "y1";
      return {
        label: set.label,
        data: set.data,
        type: onRight ? "line" : baseType,
        yAxisID: horizontal ? undefined : onRight ? "y1" : "y",
        backgroundColor: onRight || baseType === "line" ? colour : withAlpha(hexToRgb(colour), 0.75),
        borderColor: colour,
        borderWidth: 2,
        pointRadius: figure.labels.length > 60 ? 0 : 3,
        spanGaps: true,
        order: onRight ? 0 : 1
      };
    });
    var scales = {};
    var axis = { ticks: { color: text }, grid: { color: grid }, beginAtZero: true };
    if (horizontal) {
      scales.x = axis;
      scales.y = { ticks: { color: text, autoSkip: false }, grid: { display: false } };
    } else {
      scales.x = { ticks: { color: text, maxRotation: 60 }, grid: { display: false }, stacked: !!figure.stacked };
      scales.y = Object.assign({ stacked: !!figure.stacked }, axis);
      if (hasRightAxis) {
        scales.y1 = {
          position: "right",
          beginAtZero: true,
          ticks: { color: text },
          grid: { drawOnChartArea: false }
        };
      }
    }
    new window.Chart(canvas, {
      type: baseType,
      data: { labels: figure.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { labels: { color: text } },
          tooltip: { enabled: true }
        },
        scales: scales
      }
    });
  }

  function hexToRgb(hex) {
    var value = parseInt(hex.slice(1), 16);
    return "rgb(" + ((value >> 16) & 255) + "," + ((value >> 8) & 255) + "," + (value & 255) + ")";
  }

  function start() {
    var canvases = document.querySelectorAll("canvas[data-figure]");
    for (var index = 0; index < canvases.length; index += 1) {
      draw(canvases[index]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
