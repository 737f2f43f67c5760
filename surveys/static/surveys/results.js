// Draw one Chart.js chart per question from the JSON the page carries (the tables hold the same numbers).
(function () {
  "use strict";
  var source = document.getElementById("survey-charts");
  if (!source || typeof Chart === "undefined") return;
  // Every colour stands at 3:1 or more against white (WCAG 1.4.11), and every other series is
  // striped, so two series are told apart by more than their colour.
  var colours = ["#1f5f8b", "#a65200", "#2f6b5e", "#a23b4f", "#5e4f75", "#2d6e4e"];

  function stripes(colour) {
    var tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    var pen = tile.getContext("2d");
    pen.fillStyle = "#ffffff";
    pen.fillRect(0, 0, 8, 8);
    pen.strokeStyle = colour;
    pen.lineWidth = 3;
    pen.beginPath();
    pen.moveTo(0, 8); pen.lineTo(8, 0);
    pen.moveTo(-2, 2); pen.lineTo(2, -2);
    pen.moveTo(6, 10); pen.lineTo(10, 6);
    pen.stroke();
    return pen.createPattern(tile, "repeat");
  }
  JSON.parse(source.textContent).forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) return;
    var horizontal = chart.kind !== "scale_10" && chart.kind !== "number";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (dataset, index) {
          var colour = colours[index % colours.length];
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: index % 2 ? stripes(colour) : colour,
            borderColor: colour,
            borderWidth: 2
          };
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
