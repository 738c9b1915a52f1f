// The chart.js option pieces every chart in the lab shares, so the Runs and Compare charts look
// alike and follow the theme the same way: no animation (charts are rebuilt or updated often and
// must be readable at once), sized by their figure, and axes coloured from the theme.
import type { ChartColours } from '../runs/chartTheme';

/** Sizing and animation: the figure around the canvas sets the size. */
export const baseChartOptions = { animation: false, responsive: true, maintainAspectRatio: false } as const;

/** A 0..1 value shown as a whole percentage on an axis tick. */
export const percentTick = (v: number | string): string => `${Math.round(100 * Number(v))}%`;

/** An axis with a title, themed ticks and grid; `tick` formats the tick labels when given. */
export function themedAxis(
  title: string,
  c: Pick<ChartColours, 'muted' | 'grid'>,
  tick?: (v: number | string) => string,
): {
  title: { display: true; text: string; color: string };
  ticks: { color: string; callback?: (v: number | string) => string };
  grid: { color: string };
} {
  return {
    title: { display: true, text: title, color: c.muted },
    ticks: { color: c.muted, ...(tick ? { callback: tick } : {}) },
    grid: { color: c.grid },
  };
}
