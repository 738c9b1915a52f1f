// The value axes of the report's charts: accuracies and no-answer shares always on 0-100 % (never
// 120 %, never -1.5..1.5 when every value is 0), cost axes covering every mean and whisker in both
// error-bar modes, and the app's palette in the chart data.
import { describe, expect, it } from 'vitest';
import {
  costAxis,
  experimentCharts,
  niceCeil,
  PERCENT_AXIS,
  reportChartData,
  type GroupedBars,
  type Spread,
} from '../../../src/main/lab/reports/html/chartData';
import { SERIES_DARK, SERIES_LIGHT } from '../../../src/shared/palette';
import type { ReportExperiment } from '../../../src/main/lab/reports';
import { robustnessFixture } from './fixtures';

/** Every mean and every error bar of a chart, in both modes, lies inside that mode's axis. */
function expectInside(bars: GroupedBars): void {
  for (const mode of ['std', 'ci'] as const) {
    const { min, max } = bars.axis[mode];
    expect(min).toBeLessThan(max);
    for (const s of bars.series)
      for (const v of s.values) {
        if (!v) continue;
        expect(v.mean).toBeGreaterThanOrEqual(min);
        expect(v.mean).toBeLessThanOrEqual(max);
        const bar = v.bar[mode];
        if (bar) {
          expect(bar[0], `${mode} low`).toBeGreaterThanOrEqual(min);
          expect(bar[1], `${mode} high`).toBeLessThanOrEqual(max);
        }
      }
  }
}

/** The fixture with every accuracy and no-answer share replaced by 0 and 3 seeds of slow, noisy ms. */
function zeroFixture(): ReportExperiment {
  const exp = robustnessFixture();
  const zero = {
    n: 3,
    mean: 0,
    std: 0,
    values: [0, 0, 0],
    ci: { ...exp.groups[0]!.accuracy!.ci, n: 3, low: 0, high: 0 },
  };
  return {
    ...exp,
    groups: exp.groups.map((g, i) => ({
      ...g,
      accuracy: zero,
      noAnswer: zero,
      // 3 seeds with a wide t-interval: its top is far above mean + std.
      meanMsToAnswer: {
        n: 3,
        mean: 100 + i,
        std: 30,
        values: [70 + i, 100 + i, 130 + i],
        ci: { ...zero.ci, low: 25.5 + i, high: 174.5 + i },
      },
    })),
  };
}

describe('report chart axes', () => {
  it('puts accuracy and no-answer shares on 0-100 % in both modes', () => {
    for (const exp of [robustnessFixture(), zeroFixture()]) {
      const c = experimentCharts(exp);
      for (const bars of [c.accuracy, c.noAnswer]) {
        expect(bars.axis).toEqual({ std: PERCENT_AXIS, ci: PERCENT_AXIS });
        expectInside(bars);
      }
    }
    expect(PERCENT_AXIS).toEqual({ min: 0, max: 100 });
  });

  it('ends cost axes on a round number above every mean and error bar, mode by mode', () => {
    const fixture = experimentCharts(robustnessFixture());
    expectInside(fixture.ms);
    expectInside(fixture.tokens);
    // pre-thinking: 120 ± 2.83 ms is the tallest bar: 122.8 x 1.05 = 129 -> 150.
    expect(fixture.ms.axis.std).toEqual({ min: 0, max: 150 });
    const wide = experimentCharts(zeroFixture()).ms;
    expectInside(wide);
    // The t-interval reaches 182.5 ms (the std bar only 138): the ci axis is taller.
    expect(wide.axis.ci).toEqual({ min: 0, max: 200 });
    expect(wide.axis.std).toEqual({ min: 0, max: 150 });
  });

  it('extends a cost axis below 0 rather than cutting a whisker', () => {
    const values: Spread[] = [{ n: 3, mean: 1, std: 2, ciLow: -4, ciHigh: 6, bar: { std: [-1, 3], ci: [-4, 6] } }];
    expect(costAxis(values, 'std')).toEqual({ min: -1.2, max: 4 });
    expect(costAxis(values, 'ci')).toEqual({ min: -5, max: 8 });
    expect(costAxis([null], 'std')).toEqual({ min: 0, max: 1 });
  });

  it('rounds up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten', () => {
    expect([0.7, 1, 1.01, 13, 129, 2100, 0.031].map(niceCeil)).toEqual([0.8, 1, 1.2, 15, 150, 2500, 0.04]);
    expect(niceCeil(0)).toBe(0);
  });

  it('hands the app palette to the page', () => {
    const data = reportChartData([robustnessFixture()], 'std');
    expect(data.palette).toEqual({ light: SERIES_LIGHT, dark: SERIES_DARK });
  });
});
