// Draws a report's chart with ECharts from the JSON the page embeds
// (<script type="application/json">): the CSP allows no inline script.
// Without this file or ECharts the page still shows the table.
"use strict";

(function () {
  var PALETTE = ["#c0392b", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2",
                 "#db2777", "#65a30d", "#475569", "#ea580c"];

  function formatter(data) {
    var options = data.money ? {minimumFractionDigits: 2, maximumFractionDigits: 2}
                             : {maximumFractionDigits: 1};
    var locale = data.locale === "zh_CN" ? "zh-CN" : "en";
    var numbers = new Intl.NumberFormat(locale, options);
    return function (value) {
      var text = numbers.format(value);
      return data.money ? "¥" + text : (data.percent ? text + "%" : text);
    };
  }

  // Axis labels stay short: 15万 / 150K, ¥ before money.
  function shortFormatter(data) {
    var locale = data.locale === "zh_CN" ? "zh-CN" : "en";
    var compact = new Intl.NumberFormat(locale, {notation: "compact", maximumFractionDigits: 1});
    return function (value) {
      var text = compact.format(value);
      return data.money ? "¥" + text : (data.percent ? text + "%" : text);
    };
  }

  // One funnel per series (a cross table's column: one per sales mode, #14), side by
  // side, stacked on a phone; a funnel shows the rows its series has.
  function funnelOption(data, format, narrow) {
    var count = data.series.length;
    var share = 100 / count;
    var titles = count < 2 ? [] : data.series.map(function (series, index) {
      return narrow ? {text: series.name, left: "center", top: (index * share) + "%", textStyle: {fontSize: 13}}
                    : {text: series.name, left: (index * share + share / 2) + "%", textAlign: "center", top: 0, textStyle: {fontSize: 13}};
    });
    return {
      color: PALETTE,
      title: titles,
      tooltip: {trigger: "item", valueFormatter: format},
      legend: {show: !narrow && count === 1, bottom: 0, type: "scroll"},
      series: data.series.map(function (series, index) {
        var rows = [];
        data.categories.forEach(function (name, row) {
          if (count === 1 || series.data[row]) { rows.push({name: name, value: series.data[row]}); }
        });
        var place = narrow
          ? {left: "5%", width: "90%", top: (index * share + (count > 1 ? 6 : 0)) + "%", height: (share - (count > 1 ? 8 : 2)) + "%"}
          : {left: (index * share + share * 0.08) + "%", width: (share * 0.84) + "%", top: count > 1 ? 30 : 10, bottom: 40};
        return Object.assign({
          type: "funnel", name: series.name, sort: "none", gap: 2, minSize: "10%",
          label: {show: true, position: "inside",
                  formatter: function (item) { return item.name + "\n" + format(item.value); }},
          data: rows
        }, place);
      })
    };
  }

  function axisOption(data, format, narrow) {
    var line = data.kind === "line" && data.categories.length > 1;  // one point: a bar shows it
    var short = shortFormatter(data);
    return {
      color: PALETTE,
      tooltip: {trigger: "axis", valueFormatter: format},
      legend: {show: data.series.length > 1, type: "scroll", bottom: 0},
      grid: {left: 8, right: 28, top: 28, bottom: data.series.length > 1 ? 40 : 16, containLabel: true},
      xAxis: {type: "category", data: data.categories, boundaryGap: !line,
              axisLabel: {interval: narrow ? "auto" : 0, hideOverlap: true, rotate: narrow && data.categories.length > 4 ? 40 : 0}},
      yAxis: {type: "value", name: narrow ? "" : data.measure, axisLabel: {formatter: short}},
      series: data.series.map(function (series) {
        return {type: line ? "line" : "bar", name: series.name, data: series.data,
                smooth: false, symbolSize: 7, barMaxWidth: 48, emphasis: {focus: "series"}};
      })
    };
  }

  function draw(area) {
    var source = document.getElementById(area.getAttribute("data-report-chart"));
    if (!source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var figure = area.closest("figure");
    if (figure) { figure.hidden = false; }  // shown only when it can be drawn
    var narrow = area.clientWidth < 520;
    if (data.kind === "funnel") {
      // Every stage keeps room for its two-line label, however many stages there are.
      var needed = data.categories.length * (narrow ? 48 : 40) * (narrow ? data.series.length : 1) + 30;
      if (needed > area.clientHeight) { area.style.height = needed + "px"; }
    }
    var format = formatter(data);
    var chart = window.echarts.init(area, null, {renderer: "canvas"});
    chart.setOption(data.kind === "funnel" ? funnelOption(data, format, narrow)
                                           : axisOption(data, format, narrow));
    area.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    document.querySelectorAll("[data-report-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
