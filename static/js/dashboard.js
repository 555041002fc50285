// The dashboards' behaviour: sortable tables, the map's details on hover or tap, the charts
// (Chart.js, vendored), a print button. Data comes from json_script blocks: the CSP forbids
// inline scripts. Every page works without this file; it only adds.
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // Tables: a button in each column heading sorts by the cells' data-sort values.
  function sortable(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, column) {
      var button = th.querySelector("button[data-sort-key]");
      if (!button) return;
      button.addEventListener("click", function () {
        var numeric = button.dataset.sortKey === "num";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column] ? a.cells[column].dataset.sort || a.cells[column].textContent : "";
          var y = b.cells[column] ? b.cells[column].dataset.sort || b.cells[column].textContent : "";
          var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // The map: pointing at, focusing or tapping a tile shows its figures under the map. On a
  // touch screen the first tap shows them and a second tap opens the district.
  function map(svg) {
    var detail = document.getElementById("map-detail");
    if (!detail) return;
    var chosen = null;
    svg.querySelectorAll("a.tile").forEach(function (tile) {
      function show() {
        detail.textContent = tile.dataset.detail;
        svg.querySelectorAll("a.tile.chosen").forEach(function (t) { t.classList.remove("chosen"); });
        tile.classList.add("chosen");
      }
      tile.addEventListener("mouseenter", show);
      tile.addEventListener("focus", show);
      tile.addEventListener("pointerup", function (event) {
        if (event.pointerType === "touch" && chosen !== tile) {
          chosen = tile;
          tile.dataset.held = "1";
          show();
        }
      });
      tile.addEventListener("click", function (event) {
        if (tile.dataset.held === "1") {
          delete tile.dataset.held;
          event.preventDefault();
        }
      });
    });
  }

  var COLOURS = ["#0b57d0", "#b3261e", "#146c2e", "#7d5260", "#8a4b00", "#00639b"];

  function trendCharts() {
    var data = readJSON("trend-data");
    if (!data || !window.Chart) return;
    document.querySelectorAll("canvas[data-trend]").forEach(function (canvas) {
      var task = data.tasks.find(function (t) { return t.code === canvas.dataset.trend; });
      if (!task) return;
      var datasets = [];
      task.metrics.forEach(function (metric, n) {
        var colour = COLOURS[n % COLOURS.length];
        datasets.push({ label: metric.label + " · " + data.labels.reported, data: metric.reported,
          borderColor: colour, backgroundColor: colour, pointRadius: 2, tension: 0.2 });
        datasets.push({ label: metric.label + " · " + data.labels.verified, data: metric.verified,
          borderColor: colour, backgroundColor: colour, borderDash: [6, 4], pointRadius: 0, tension: 0.2 });
      });
      new window.Chart(canvas, {
        type: "line",
        data: { labels: data.day_labels || data.days.map(function (d) { return d.slice(5); }), datasets: datasets },
        options: { animation: false, responsive: true, maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } } }
      });
      canvas.dataset.drawn = "true";
    });
  }

  function rateCharts() {
    var data = readJSON("rates-data");
    if (!data || !window.Chart) return;
    document.querySelectorAll("canvas[data-rates]").forEach(function (canvas) {
      var rows = data[canvas.dataset.rates];
      var datasets = data.labels.days.map(function (label, n) {
        return { label: label, data: rows.map(function (r) { return Math.round(r[n] * 100); }),
          backgroundColor: ["#9ecae1", "#2171b5", "#08519c"][n] };
      });
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: data.districts, datasets: datasets },
        options: { indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
          scales: { x: { min: 0, max: 100, title: { display: true, text: data.labels.share } },
                    y: { ticks: { autoSkip: false, font: { size: 10 } } } },
          plugins: { legend: { position: "bottom" } } }
      });
      canvas.dataset.drawn = "true";
    });
  }

  function start() {
    document.querySelectorAll("table[data-sortable]").forEach(sortable);
    document.querySelectorAll("svg[data-testid=map]").forEach(map);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    trendCharts();
    rateCharts();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
