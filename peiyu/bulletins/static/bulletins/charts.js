// Charts of a bulletin page and of the leaders' cockpit, from the JSON the page embeds.
(function () {
  const el = document.getElementById("bulletin-charts");
  if (el) {
    JSON.parse(el.textContent).forEach(function (c) {
      if (c.chart === "pie") {
        Peiyu.pie(c.dom_id, c.labels.map(function (label, i) { return {name: label, value: c.values[i]}; }));
      } else {
        Peiyu.bars(c.dom_id, c.labels, c.values);
      }
    });
  }
  const trend = document.getElementById("cockpit-trend");
  if (trend) {
    const d = JSON.parse(trend.textContent);
    Peiyu.trend("chart-trend", d.years, [
      {name: d.labels.count, data: d.count, type: "bar"},
      {name: d.labels.revenue, data: d.revenue, type: "line", yAxisIndex: 1},
    ]);
    Peiyu.bars("chart-ranking", d.ranking.labels, d.ranking.values, {horizontal: true});
  }
})();
