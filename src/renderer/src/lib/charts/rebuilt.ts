// Charts whose datasets change shape (Compare's bars, bands, scatter) are cheapest to keep right by
// rebuilding them whole: this holds the one live chart for a canvas, replaces it on demand and on
// every theme change (colours are read when the config is built), and destroys it on unmount.
import type { Chart } from 'chart.js';
import { onThemeChange } from '../runs/chartTheme';

export interface RebuiltChart {
  /** Destroys the current chart (if any) and builds a new one; a no-op while `build` returns null. */
  rebuild(): void;
  /** For onMount: rebuilds on theme changes until the returned clean-up runs, which also destroys the chart. */
  followTheme(): () => void;
}

/**
 * `build` returns the new chart (of any type: only its `destroy` is needed here), or null while
 * there is nothing to draw on (canvas not bound yet).
 */
export function rebuiltChart(build: () => Pick<Chart, 'destroy'> | null): RebuiltChart {
  let chart: Pick<Chart, 'destroy'> | null = null;
  function rebuild(): void {
    chart?.destroy();
    chart = build();
  }
  return {
    rebuild,
    followTheme() {
      const off = onThemeChange(rebuild);
      return () => {
        off();
        chart?.destroy();
        chart = null;
      };
    },
  };
}
