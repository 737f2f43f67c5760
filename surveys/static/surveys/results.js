// Draw one Chart.js chart per question from the JSON the page carries (the tables hold the same numbers).
(function () {
  "use strict";
  var source = document.getElementById("survey-charts");
  if (!source || typeof Chart === "undefined") return;
  var colours = ["#1f5f8b", "#f0a202", "#6c9a8b", "#b5495b", "#7b6d8d", "#3d9970"];
  JSON.parse(source.textContent).forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) return;
    var horizontal = chart.kind !== "scale_10" && chart.kind !== "number";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (dataset, index) {
          return { label: dataset.label, data: dataset.data, backgroundColor: colours[index % colours.length] };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: chart.datasets.length > 1 } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  });
})();
