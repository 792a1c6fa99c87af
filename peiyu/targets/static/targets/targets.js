/* The trend chart of a target: month-end values of this year and the two before, with the floor and
   stretch as lines. Data comes from a JSON script element (no inline script: CSP). */
(function () {
  var el = document.getElementById("trend-chart");
  var data = document.getElementById("trend-data");
  if (!el || !data || !window.echarts) return;
  var d = JSON.parse(data.textContent);
  var series = d.series.map(function (s, i) {
    return { name: s.name, type: "line", data: s.data, connectNulls: true, smooth: false,
             lineStyle: { width: i === d.series.length - 1 ? 3 : 1.5 } };
  });
  var marks = [{ yAxis: d.floor, name: d.labels.floor }];
  if (d.stretch !== null) marks.push({ yAxis: d.stretch, name: d.labels.stretch });
  if (series.length) series[series.length - 1].markLine = { symbol: "none", label: { formatter: "{b} {c}" }, data: marks };
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 60, right: 80, top: 30, bottom: 30 },
    xAxis: { type: "category", data: d.months },
    yAxis: { type: "value", scale: true },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
