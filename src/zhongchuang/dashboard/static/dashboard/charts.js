// Round statistics pictures. The tables on the page hold the same figures; the charts are decoration.
// Data comes from the json_script block "round-chart-data" (no inline script: strict CSP).
(function () {
  "use strict";
  var source = document.getElementById("round-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = { pass: "#116329", needs_review: "#bf8700", missing_data: "#6e40c9", fail: "#a40e26" };
  var charts = [];

  var statesBox = document.getElementById("chart-states");
  if (statesBox) {
    var states = echarts.init(statesBox, null, { renderer: "svg" });
    states.setOption({
      aria: { enabled: false },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.states.labels, inverse: true, axisLabel: { interval: 0 } },
      series: [{ type: "bar", data: data.states.values, itemStyle: { color: "#0b5cad" } }]
    });
    charts.push(states);
  }

  var criteriaBox = document.getElementById("chart-criteria");
  if (criteriaBox) {
    var criteria = echarts.init(criteriaBox, null, { renderer: "svg" });
    criteria.setOption({
      aria: { enabled: false },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.criteria.labels, inverse: true, axisLabel: { width: 260, overflow: "truncate" } },
      series: data.criteria.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "share", data: s.values, itemStyle: { color: colours[s.status] } };
      })
    });
    charts.push(criteria);
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
