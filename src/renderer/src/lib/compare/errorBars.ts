// chart.js has no error bars: this plugin draws a whisker (low..high with caps) over every bar
// after the bars are drawn. The intervals come from a callback so the chart always draws the
// current ones (the std/CI toggle changes them without rebuilding the chart). perBarPlugin is the
// shared part: it visits every visible bar with its centre, width and the y scale.
import type { Chart, Plugin, Scale } from 'chart.js';

export interface Interval {
  low: number;
  high: number;
}

/** A bar as an overlay draws over it: its centre x and width in pixels, and the y scale. */
export interface BarGeometry {
  x: number;
  width: number;
  scale: Scale;
}

/**
 * A plugin that, after the bars are drawn, reads the current marks (marks()[datasetIndex][index])
 * and calls draw for every bar of every visible dataset that has one, in the given colour, clipped
 * to the plot area.
 */
export function perBarPlugin<T>(
  id: string,
  marks: () => (T | null)[][],
  colour: () => string,
  draw: (ctx: CanvasRenderingContext2D, bar: BarGeometry, mark: T) => void,
): Plugin<'bar'> {
  return {
    id,
    afterDatasetsDraw(chart: Chart<'bar'>) {
      const scale = chart.scales['y'];
      if (!scale) return;
      const all = marks();
      const ctx = chart.ctx;
      ctx.save();
      // A mark past the axis range (mean + std above 100%) is cut at the plot's edge.
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
          const mark = all[di]?.[i];
          if (mark === null || mark === undefined) return;
          const { x, width } = bar.getProps(['x', 'width'], true) as { x: number; width: number };
          draw(ctx, { x, width, scale }, mark);
        });
      });
      ctx.restore();
    },
  };
}

/** intervals()[datasetIndex][index]: the whisker of that bar, or null for none. */
export function errorBarsPlugin(intervals: () => (Interval | null)[][], colour: () => string): Plugin<'bar'> {
  return perBarPlugin('errorBars', intervals, colour, (ctx, { x, width, scale }, iv) => {
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
}
