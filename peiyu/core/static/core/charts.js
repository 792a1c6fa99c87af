// Small wrappers around ECharts so pages describe charts in one line each.
window.Peiyu = (function () {
  const palette = ["#0b5e4f", "#3a9d87", "#7cc4b0", "#f0a23b", "#d9534f", "#5b7db1", "#8e6bbf", "#9aa5ad"];
  const charts = [];
  function init(id) {
    const el = document.getElementById(id); if (!el) return null;
    const chart = echarts.init(el); charts.push(chart); return chart;
  }
  window.addEventListener("resize", () => charts.forEach(c => c.resize()));
  const grid = {left: 8, right: 16, top: 24, bottom: 8, containLabel: true};
  return {
    pie(id, data) {
      const c = init(id); if (!c) return;
      c.setOption({color: palette, tooltip: {trigger: "item", formatter: "{b}: {c} ({d}%)"},
        series: [{type: "pie", radius: ["40%", "70%"], data: data, label: {formatter: "{b}\n{c}"}}]});
    },
    // opts.horizontal: bars along the value axis; opts.links: {label: url} opened on a click.
    bars(id, labels, values, opts) {
      const c = init(id); if (!c) return; const h = opts && opts.horizontal;
      // Long names wrap onto a second line instead of being cut off.
      const wrap = v => v.length > 10 ? v.slice(0, 8) + "\n" + v.slice(8) : v;
      const cat = {type: "category", data: labels, axisLabel: {interval: 0, formatter: wrap, lineHeight: 14}};
      c.setOption({color: palette, grid: Object.assign({}, grid, {left: 12}), tooltip: {trigger: "axis"},
        xAxis: h ? {type: "value"} : Object.assign(cat, {axisLabel: Object.assign(cat.axisLabel, {rotate: labels.length > 4 ? 30 : 0})}),
        yAxis: h ? Object.assign(cat, {inverse: true}) : {type: "value"},
        series: [{type: "bar", data: values, label: {show: true, position: h ? "right" : "top"}, barMaxWidth: 36,
          cursor: opts && opts.links ? "pointer" : "default"}]});
      if (opts && opts.links) c.on("click", p => { const url = opts.links[p.name]; if (url) window.location.href = url; });
    },
    // Years arrive continuous (a year without figures is null), so gaps in time stay visible.
    trend(id, years, series) {
      const c = init(id); if (!c) return;
      c.setOption({color: palette, grid: Object.assign({}, grid, {top: 40}), tooltip: {trigger: "axis"}, legend: {top: 0},
        xAxis: {type: "category", data: years},
        yAxis: [{type: "value"}, {type: "value", splitLine: {show: false}}],
        series: series.map(s => Object.assign({smooth: false, connectNulls: false, showSymbol: true}, s))});
    },
  };
})();
