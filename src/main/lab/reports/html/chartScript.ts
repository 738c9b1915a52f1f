// The report page's own script, inlined after chart.js and allowed by its CSP hash. It is a string
// (not a function's toString) so that no bundler or test transform can change it between the hash
// and the page. It reads the JSON data island, draws every <canvas data-chart>, redraws on a change
// of colour scheme, error-bar mode or printing, and marks <html data-charts-ready> when done.
export const CHART_SCRIPT = String.raw`(function () {
  'use strict';
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById('report-data').textContent);
  // The app's series palette (src/shared/palette.ts), light for the page and print, dark for a dark page.
  var PALETTE = data.palette;
  var POINT_STYLES = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot'];
  var mode = data.errorMode === 'ci' ? 'ci' : 'std';
  var printing = false;
  var charts = [];

  function cssVar(name) { return getComputedStyle(root).getPropertyValue(name).trim(); }
  function theme() {
    if (printing) return { fg: '#1a1a1a', muted: '#555555', grid: '#dddddd', bg: '#ffffff' };
    return { fg: cssVar('--fg'), muted: cssVar('--muted'), grid: cssVar('--grid'), bg: cssVar('--bg') };
  }
  function rgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function dark() { return !printing && window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches; }
  // Series i in the palette: methods (rows) in every chart, conditions when bars are grouped by them.
  function rowColor(i) {
    var p = dark() ? PALETTE.dark : PALETTE.light;
    return p[((i % p.length) + p.length) % p.length];
  }
  function fmt(x, d) { return x === null || x === undefined ? 'n/a' : x.toFixed(d); }
  // Error bars are prepared per mode (chartData.ts); the t-interval is null below 3 seeds: no whisker then.
  function range(s) { return s ? s.bar[mode] : null; }
  function spreadText(s, d) {
    var ci = s.ciLow === null || s.ciHigh === null
      ? '95% t-interval: not enough seeds, n=' + s.n
      : '95% t-interval ' + fmt(s.ciLow, d) + '\u2013' + fmt(s.ciHigh, d) + ', n=' + s.n + ' seeds';
    return fmt(s.mean, d) + (s.std === null ? '' : ' \u00b1 ' + fmt(s.std, d)) + '  (' + ci + ')';
  }
  function showErrorText() {
    data.experiments.forEach(function (exp) {
      document.querySelectorAll('[data-error-text="' + exp.id + '"]').forEach(function (el) {
        el.textContent = (el.getAttribute('data-error-kind') === 'accuracy' ? exp.accuracyErrorText : exp.errorText)[mode];
      });
    });
  }

  // chart.js has no error bars: draw them over bars (and points) from dataset.errorBars[i] = [lo, hi].
  var errorBars = {
    id: 'errorBars',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.errorBars || !chart.isDatasetVisible(i)) return;
        var scale = chart.scales[ds.yAxisID || 'y'];
        ctx.save();
        ctx.strokeStyle = theme().fg;
        ctx.lineWidth = 1.2;
        chart.getDatasetMeta(i).data.forEach(function (el, j) {
          var r = ds.errorBars[j];
          if (!r) return;
          // An accuracy cannot leave 0-100 %: a whisker past the axis ends at it (cost axes cover every whisker).
          var top = scale.getPixelForValue(Math.min(r[1], scale.max)), bottom = scale.getPixelForValue(Math.max(r[0], scale.min));
          var cap = Math.max(2, Math.min(6, (el.width || 12) / 4));
          ctx.beginPath();
          ctx.moveTo(el.x, top); ctx.lineTo(el.x, bottom);
          ctx.moveTo(el.x - cap, top); ctx.lineTo(el.x + cap, top);
          ctx.moveTo(el.x - cap, bottom); ctx.lineTo(el.x + cap, bottom);
          ctx.stroke();
        });
        ctx.restore();
      });
    }
  };

  // Baselines over accuracy bars: a dashed mark at the majority-class accuracy of the bar's test
  // examples and a dotted one at chance, a little wider than the bar.
  var baselineMarks = {
    id: 'baselineMarks',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var scale = chart.scales.y;
      ctx.save();
      ctx.strokeStyle = theme().fg;
      ctx.lineWidth = 1.5;
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.baselines || !chart.isDatasetVisible(i)) return;
        chart.getDatasetMeta(i).data.forEach(function (el, j) {
          var b = ds.baselines[j];
          if (!b) return;
          var half = (el.width || 12) / 2 + 3;
          [[b.majority, [5, 3]], [b.chance, [1.5, 2.5]]].forEach(function (m) {
            if (m[0] === null || m[0] === undefined) return;
            var y = scale.getPixelForValue(m[0]);
            ctx.setLineDash(m[1]);
            ctx.beginPath(); ctx.moveTo(el.x - half, y); ctx.lineTo(el.x + half, y); ctx.stroke();
          });
        });
      });
      ctx.restore();
    }
  };

  function baseOptions(t, yTitle, xTitle) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      devicePixelRatio: Math.max(2, window.devicePixelRatio || 1),
      plugins: {
        legend: {
          position: 'bottom',
          labels: { color: t.fg, boxWidth: 12, boxHeight: 12, filter: function (item, d) { return !d.datasets[item.datasetIndex].band; } }
        },
        tooltip: { enabled: true }
      },
      scales: {
        x: { title: { display: !!xTitle, text: xTitle, color: t.muted }, ticks: { color: t.fg }, grid: { color: t.grid, display: false }, border: { color: t.muted } },
        y: { title: { display: !!yTitle, text: yTitle, color: t.muted }, ticks: { color: t.fg }, grid: { color: t.grid }, border: { color: t.muted } }
      }
    };
  }

  function groupedBars(canvas, bars, yTitle, digits) {
    var t = theme();
    var single = bars.series.length === 1;
    var datasets = bars.series.map(function (s, si) {
      var color = single ? bars.categories.map(function (_, i) { return rowColor(i); }) : rowColor(si);
      return {
        label: s.label,
        data: s.values.map(function (v) { return v ? v.mean : null; }),
        spreads: s.values,
        errorBars: s.values.map(range),
        baselines: s.baselines || null,
        backgroundColor: color,
        borderColor: color,
        borderWidth: 0,
        maxBarThickness: 48
      };
    });
    var o = baseOptions(t, yTitle, '');
    o.plugins.legend.display = !single;
    // The axis range is prepared per mode: 0-100 for percentages, else covering every whisker.
    o.scales.y.min = bars.axis[mode].min;
    o.scales.y.max = bars.axis[mode].max;
    o.plugins.tooltip.callbacks = {
      label: function (c) {
        var s = c.dataset.spreads[c.dataIndex];
        var b = c.dataset.baselines && c.dataset.baselines[c.dataIndex];
        var text = (single ? '' : c.dataset.label + ': ') + (s ? spreadText(s, digits) : 'no result');
        return b ? [text, 'majority ' + fmt(b.majority, 1) + ', chance ' + (b.chance === null ? 'n/a' : fmt(b.chance, 1))] : text;
      }
    };
    return new Chart(canvas, { type: 'bar', data: { labels: bars.categories, datasets: datasets }, options: o, plugins: [errorBars, baselineMarks] });
  }

  function bandDatasets(label, color, points, lo, hi) {
    return [
      { label: label + ' low', band: true, data: points.map(function (p, i) { return { x: p, y: lo[i] }; }), borderWidth: 0, pointRadius: 0, fill: false, backgroundColor: 'transparent', borderColor: 'transparent' },
      { label: label + ' high', band: true, data: points.map(function (p, i) { return { x: p, y: hi[i] }; }), borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: rgba(color, 0.18), borderColor: 'transparent' }
    ];
  }

  function robustness(canvas, exp) {
    var t = theme();
    var datasets = [];
    var rates = [];
    exp.robustness.forEach(function (s) {
      var color = rowColor(s.row);
      var xs = s.points.map(function (p) { return p.x; });
      xs.forEach(function (x) { if (rates.indexOf(x) < 0) rates.push(x); });
      var ranges = s.points.map(function (p) { return range(p.spread) || [p.spread.mean, p.spread.mean]; });
      datasets = datasets.concat(bandDatasets(s.label, color, xs, ranges.map(function (r) { return r[0]; }), ranges.map(function (r) { return r[1]; })));
      datasets.push({
        label: s.label,
        data: s.points.map(function (p) { return { x: p.x, y: p.spread.mean }; }),
        spreads: s.points.map(function (p) { return p.spread; }),
        borderColor: color, backgroundColor: color, pointRadius: 3.5, pointStyle: POINT_STYLES[s.row % POINT_STYLES.length], borderWidth: 2, fill: false
      });
    });
    var base = exp.robustnessBaselines || [];
    [['majority baseline', 'majority', [6, 4]], ['chance', 'chance', [2, 3]]].forEach(function (m) {
      var pts = base.filter(function (b) { return b[m[1]] !== null; }).map(function (b) { return { x: b.x, y: b[m[1]] }; });
      if (pts.length === 0) return;
      datasets.push({ label: m[0], data: pts, borderColor: t.muted, backgroundColor: t.muted, borderDash: m[2], borderWidth: 1.5, pointRadius: 0, fill: false });
    });
    rates.sort(function (a, b) { return a - b; });
    var o = baseOptions(t, 'Accuracy (%)', 'Injected hallucination rate');
    o.scales.x.type = 'linear';
    o.scales.x.afterBuildTicks = function (axis) { axis.ticks = rates.map(function (v) { return { value: v }; }); };
    o.scales.x.grid.display = true;
    // Accuracy lives in 0..100: a band of mean +- std must not stretch the axis past it.
    o.scales.y.min = 0;
    o.scales.y.max = 100;
    o.plugins.tooltip.filter = function (item) { return !item.dataset.band; };
    o.plugins.tooltip.callbacks = {
      label: function (c) {
        if (!c.dataset.spreads) return c.dataset.label + ': ' + fmt(c.parsed.y, 1);
        return c.dataset.label + ': ' + spreadText(c.dataset.spreads[c.dataIndex], 1);
      }
    };
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: o });
  }

  function curves(canvas, panel) {
    var t = theme();
    var datasets = [];
    panel.series.forEach(function (s) {
      var color = rowColor(s.row);
      datasets = datasets.concat(bandDatasets(s.label, color, s.steps, s.low, s.high));
      datasets.push({
        label: s.label,
        data: s.steps.map(function (x, i) { return { x: x, y: s.mean[i] }; }),
        borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 1.8, fill: false
      });
    });
    var o = baseOptions(t, 'Training loss', 'Step');
    o.scales.x.type = 'linear';
    o.scales.x.grid.display = true;
    o.plugins.tooltip.filter = function (item) { return !item.dataset.band; };
    o.interaction = { mode: 'nearest', intersect: false };
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: o });
  }

  function scatter(canvas, exp) {
    var t = theme();
    var datasets = exp.scatter.map(function (p) {
      var color = rowColor(p.row);
      return {
        label: p.label, data: [{ x: p.x, y: p.y }],
        pointStyle: POINT_STYLES[Math.max(0, p.condition) % POINT_STYLES.length],
        backgroundColor: rgba(color, 0.85), borderColor: color, pointRadius: 6, pointHoverRadius: 8
      };
    });
    var o = baseOptions(t, 'Accuracy (%)', 'Inference cost: ms to answer (mean over seeds)');
    o.scales.x.type = 'linear';
    o.scales.x.grid.display = true;
    o.scales.x.min = exp.scatterX.min;
    o.scales.x.max = exp.scatterX.max;
    // The round end of the axis need not fall on a tick step: no label crowding the last tick.
    o.scales.x.ticks.includeBounds = false;
    o.scales.y.min = 0;
    o.scales.y.max = 100;
    o.plugins.legend.labels.usePointStyle = true;
    o.plugins.tooltip.callbacks = {
      label: function (c) { return c.dataset.label + ': ' + fmt(c.parsed.y, 1) + '% at ' + fmt(c.parsed.x, 1) + ' ms'; }
    };
    return new Chart(canvas, { type: 'scatter', data: { datasets: datasets }, options: o });
  }

  function draw() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
    Chart.defaults.font.size = 12;
    Chart.defaults.color = theme().fg;
    data.experiments.forEach(function (exp) {
      function canvas(suffix) { return document.getElementById(exp.id + '-' + suffix); }
      var c;
      if ((c = canvas('accuracy'))) charts.push(groupedBars(c, exp.accuracy, 'Accuracy (%)', 1));
      if (exp.robustness && (c = canvas('robustness'))) charts.push(robustness(c, exp));
      exp.curves.forEach(function (panel, i) { var cv = canvas('curves-' + i); if (cv) charts.push(curves(cv, panel)); });
      if ((c = canvas('tokens'))) charts.push(groupedBars(c, exp.tokens, 'Tokens to answer', 1));
      if ((c = canvas('ms'))) charts.push(groupedBars(c, exp.ms, 'ms to answer', 1));
      if ((c = canvas('no-answer'))) charts.push(groupedBars(c, exp.noAnswer, 'No answer (%)', 1));
      if (exp.scatter.length > 0 && (c = canvas('scatter'))) charts.push(scatter(c, exp));
    });
    root.setAttribute('data-charts-ready', String(charts.length));
  }

  document.querySelectorAll('input[name="error-mode"]').forEach(function (input) {
    input.checked = input.value === mode;
    input.addEventListener('change', function () { if (input.checked) { mode = input.value; showErrorText(); draw(); } });
  });
  if (window.matchMedia) {
    var scheme = window.matchMedia('(prefers-color-scheme: dark)');
    if (scheme.addEventListener) scheme.addEventListener('change', draw);
  }
  // Print in light colours with the spec and run configs open (they belong in the PDF).
  window.addEventListener('beforeprint', function () {
    printing = true;
    document.querySelectorAll('details.print-open').forEach(function (d) { d.setAttribute('data-was-open', d.open ? '1' : '0'); d.open = true; });
    draw();
  });
  window.addEventListener('afterprint', function () {
    printing = false;
    document.querySelectorAll('details[data-was-open]').forEach(function (d) { d.open = d.getAttribute('data-was-open') === '1'; d.removeAttribute('data-was-open'); });
    draw();
  });
  showErrorText();
  draw();
})();
`;
