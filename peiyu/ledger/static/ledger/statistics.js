// The statistics page's chart: per lead department, items closed on time and items overdue.
(function () {
  const el = document.getElementById("ledger-chart"); const data = document.getElementById("ledger-chart-data");
  if (!el || !data || typeof echarts === "undefined") return;
  const d = JSON.parse(data.textContent); const labels = JSON.parse(document.getElementById("ledger-chart-labels").textContent);
  el.style.height = Math.max(280, d.departments.length * 48 + 80) + "px";
  const chart = echarts.init(el);
  chart.setOption({
    color: ["#0b5e4f", "#d9534f", "#9aa5ad"], tooltip: {trigger: "axis"}, legend: {top: 0},
    grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
    xAxis: {type: "value", minInterval: 1}, yAxis: {type: "category", data: d.departments, inverse: true},
    series: [
      {name: labels.done_on_time, type: "bar", data: d.done_on_time, label: {show: true, position: "right"}},
      {name: labels.overdue, type: "bar", data: d.overdue, label: {show: true, position: "right"}},
      {name: labels.items, type: "bar", data: d.items, label: {show: true, position: "right"}},
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
