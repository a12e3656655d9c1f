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

  // Below this width (px) a chart is laid out for a phone.
  var NARROW = 520;
  var NARROW_TOP_MARGIN = 120;

  function draw(div) {
    var data = document.getElementById(div.id + "-data");
    if (!data) {
      return;
    }
    var fig = JSON.parse(data.textContent);
    var config = Object.assign({}, CONFIG, {
      toImageButtonOptions: { filename: div.id },
    });
    fig.layout = fig.layout || {};
    if (div.clientWidth < NARROW) {
      // On a phone the tool bar would sit on the title, and a legend wraps onto more
      // lines than the top margin holds: no tool bar, and room for the legend.
      config.displayModeBar = false;
      if (fig.layout.showlegend !== false) {
        fig.layout.margin = Object.assign({}, fig.layout.margin, { t: NARROW_TOP_MARGIN });
      }
    }
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
