// Draws every Plotly figure rendered by {% plotly_figure %}: a div.chart whose figure JSON
// sits in <script type="application/json" id="{div id}-data">. Uses only the vendored
// plotly.js; makes no network request.
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    locale: "zh-CN",
    modeBarButtonsToRemove: ["lasso2d", "select2d"],
    // Both would link to Plotly's cloud; MathJax is not loaded on our pages.
    showSendToCloud: false,
    showEditInChartStudio: false,
    typesetMath: false,
  };

  function draw(div) {
    var data = document.getElementById(div.id + "-data");
    if (!data) {
      return;
    }
    var fig = JSON.parse(data.textContent);
    var config = Object.assign({}, CONFIG, {
      toImageButtonOptions: { filename: div.id },
    });
    Plotly.newPlot(div, fig.data, fig.layout, config);
  }

  function drawAll() {
    if (typeof Plotly === "undefined") {
      return;
    }
    document.querySelectorAll("div.chart").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
