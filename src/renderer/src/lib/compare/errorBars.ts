// chart.js has no error bars: this plugin draws a whisker (low..high with caps) over every bar
// after the bars are drawn. The intervals come from a callback so the chart always draws the
// current ones (the std/CI toggle changes them without rebuilding the chart).
import type { Chart, Plugin } from 'chart.js';

export interface Interval {
  low: number;
  high: number;
}

/** intervals()[datasetIndex][index]: the whisker of that bar, or null for none. */
export function errorBarsPlugin(intervals: () => (Interval | null)[][], colour: () => string): Plugin<'bar'> {
  return {
    id: 'errorBars',
    afterDatasetsDraw(chart: Chart<'bar'>) {
      const all = intervals();
      const scale = chart.scales['y'];
      if (!scale) return;
      const ctx = chart.ctx;
      ctx.save();
      // A whisker past the axis range (mean + std above 100%) is cut at the plot's edge.
      const area = chart.chartArea;
      ctx.beginPath();
      ctx.rect(area.left, area.top - 1, area.right - area.left, area.bottom - area.top + 2);
      ctx.clip();
      ctx.strokeStyle = colour();
      ctx.lineWidth = 1.5;
      chart.data.datasets.forEach((_ds, di) => {
        const meta = chart.getDatasetMeta(di);
        if (meta.hidden) return;
        meta.data.forEach((bar, i) => {
          const iv = all[di]?.[i];
          if (!iv) return;
          const { x, width } = bar.getProps(['x', 'width'], true) as { x: number; width: number };
          const top = scale.getPixelForValue(iv.high);
          const bottom = scale.getPixelForValue(iv.low);
          const cap = Math.max(3, Math.min(8, width / 4));
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, bottom);
          ctx.moveTo(x - cap, top);
          ctx.lineTo(x + cap, top);
          ctx.moveTo(x - cap, bottom);
          ctx.lineTo(x + cap, bottom);
          ctx.stroke();
        });
      });
      ctx.restore();
    },
  };
}
