// Baselines over accuracy bars: a dashed mark at the majority-class accuracy of the bar's test
// examples and a dotted one at chance, a little wider than the bar, so every accuracy is read
// against what a constant answer or a guess would score (docs/methods.md, "Statistics").
import type { Plugin } from 'chart.js';
import { perBarPlugin } from './errorBars';
import type { BaselineMark } from './layout';

/** marks()[datasetIndex][index]: the baselines of that bar, or null for none. */
export function baselineMarksPlugin(marks: () => (BaselineMark | null)[][], colour: () => string): Plugin<'bar'> {
  return perBarPlugin('baselineMarks', marks, colour, (ctx, { x, width, scale }, m) => {
    const half = width / 2 + 3;
    for (const [value, dash] of [
      [m.majority, [5, 3]],
      [m.chance, [1.5, 2.5]],
    ] as const) {
      if (value === null) continue;
      const y = scale.getPixelForValue(value);
      ctx.setLineDash(dash);
      ctx.beginPath();
      ctx.moveTo(x - half, y);
      ctx.lineTo(x + half, y);
      ctx.stroke();
    }
  });
}
