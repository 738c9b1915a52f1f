// The data the report's inline script draws, prepared here so the browser side only maps numbers to
// chart.js datasets: values in display units (accuracies in percent; costs in tokens and
// milliseconds), the error bar of every value in both modes, every value axis's range and the
// app's series palette.
import type { Aggregate, CellGroup } from '../../../../shared/types/experiments';
import { SERIES_DARK, SERIES_LIGHT } from '../../../../shared/palette';
import { conditionLabel, rowKey } from '../factors';
import { experimentLayout, intervalKindText, intervalNote, seedCountText } from '../tables';
import type { ErrorMode, ReportExperiment } from '../types';

/** Lower and upper end of an error bar, in display units. */
export type ErrorBar = [number, number];

/**
 * Mean, std and the seed-level t-interval of one bar or point, in display units (CI null: not enough
 * seeds), and the error bar each mode draws (null: none).
 */
export interface Spread {
  n: number;
  mean: number;
  std: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  bar: Record<ErrorMode, ErrorBar | null>;
}

/** The range of a value axis in one error-bar mode. */
export interface AxisRange {
  min: number;
  max: number;
}

/** Accuracies and shares of outputs are percentages: their axis is always 0-100 %. */
export const PERCENT_AXIS: AxisRange = { min: 0, max: 100 };

/** Majority-class baseline and chance of one bar's test examples, in percent (chance null: open answers). */
export interface BaselineMarks {
  majority: number;
  chance: number | null;
}

/** Method variants on the x axis, one series per condition. */
export interface GroupedBars {
  categories: string[];
  /** The value axis in each error-bar mode: 0-100 for percentages, else covering every mean and error bar. */
  axis: Record<ErrorMode, AxisRange>;
  series: {
    label: string;
    condition: number | null;
    values: (Spread | null)[];
    /** Accuracy charts only: the baselines drawn as marks over each bar. */
    baselines?: (BaselineMarks | null)[];
  }[];
}

export interface ExperimentCharts {
  id: string;
  name: string;
  rows: string[];
  conditions: (number | null)[];
  accuracy: GroupedBars;
  robustness: { label: string; row: number; points: { x: number; spread: Spread }[] }[] | null;
  /** Baselines per hallucination rate for the robustness chart (null without rates). */
  robustnessBaselines: { x: number; majority: number; chance: number | null }[] | null;
  /** What the error bars are in each mode, with the unit and n (figure captions). */
  errorText: Record<ErrorMode, string>;
  /** The same for accuracy figures, which also state the interval kind in std mode. */
  accuracyErrorText: Record<ErrorMode, string>;
  noAnswer: GroupedBars;
  /** One panel per condition; each series belongs to a row (for its colour). */
  curves: {
    condition: string;
    series: { label: string; row: number; steps: number[]; mean: number[]; low: number[]; high: number[] }[];
  }[];
  tokens: GroupedBars;
  ms: GroupedBars;
  scatter: { label: string; row: number; condition: number; x: number; y: number }[];
  /** The scatter's x axis (ms to answer): from 0 past the slowest group. */
  scatterX: AxisRange;
}

export interface ReportChartData {
  errorMode: ErrorMode;
  /** The app's series palette (src/shared/palette.ts), for the light page and print, and for dark. */
  palette: { light: readonly string[]; dark: readonly string[] };
  experiments: ExperimentCharts[];
}

function spread(agg: Aggregate | null, scale = 1): Spread | null {
  if (!agg) return null;
  const mean = agg.mean * scale;
  const std = agg.std === null ? null : agg.std * scale;
  const ciLow = agg.ci.low === null ? null : agg.ci.low * scale;
  const ciHigh = agg.ci.high === null ? null : agg.ci.high * scale;
  return {
    n: agg.n,
    mean,
    std,
    ciLow,
    ciHigh,
    bar: {
      std: std === null ? null : [mean - std, mean + std],
      ci: ciLow === null || ciHigh === null ? null : [ciLow, ciHigh],
    },
  };
}

/** A round number at or above x (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten); 0 for x <= 0. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const v = Number((m * p).toPrecision(12));
    if (v >= x) return v;
  }
  return 10 * p;
}

/**
 * The value axis of a cost chart (tokens, ms) in one mode: it starts at 0 and ends on a round number
 * above every mean and every error bar, so no bar or whisker is ever clipped; a whisker below 0 (a
 * mean minus a std) extends the axis below 0 rather than being cut.
 */
export function costAxis(values: readonly (Spread | null)[], mode: ErrorMode): AxisRange {
  let hi = 0;
  let lo = 0;
  for (const s of values) {
    if (!s) continue;
    const bar = s.bar[mode];
    hi = Math.max(hi, s.mean, bar?.[1] ?? -Infinity);
    lo = Math.min(lo, s.mean, bar?.[0] ?? Infinity);
  }
  return { min: lo < 0 ? -niceCeil(-lo * 1.05) : 0, max: hi > 0 ? niceCeil(hi * 1.05) : 1 };
}

function marks(g: CellGroup): BaselineMarks | null {
  if (!g.baselines) return null;
  return {
    majority: g.baselines.majority.accuracy * 100,
    chance: g.baselines.chance === null ? null : g.baselines.chance * 100,
  };
}

/**
 * The error-bar captions of both modes: what the bars are, the unit and n (a std is a spread, not an
 * interval; the t-interval needs enough seeds). Accuracy figures state the interval kind in std mode too.
 */
export function errorBarText(exp: ReportExperiment): {
  errorText: Record<ErrorMode, string>;
  accuracyErrorText: Record<ErrorMode, string>;
} {
  const std = `± 1 sample std over seeds (n = ${seedCountText(exp)} seeds per group; a spread, not a confidence interval)`;
  const ci = intervalKindText(exp);
  return { errorText: { std, ci }, accuracyErrorText: { std: `${std}; ${intervalNote(exp)}`, ci } };
}

export function experimentCharts(exp: ReportExperiment): ExperimentCharts {
  const layout = experimentLayout(exp);
  const { rows, conditions } = layout;
  const bars = (pick: (g: CellGroup) => Spread | null, percent: boolean, withBaselines = false): GroupedBars => {
    const all = rows.flatMap((r) =>
      conditions.map((c) => {
        const g = layout.cell(r.key, c);
        return g ? pick(g) : null;
      }),
    );
    return {
      categories: rows.map((r) => r.label),
      axis: percent ? { std: PERCENT_AXIS, ci: PERCENT_AXIS } : { std: costAxis(all, 'std'), ci: costAxis(all, 'ci') },
      series: conditions.map((c) => ({
        label: conditionLabel(c),
        condition: c,
        values: rows.map((r) => {
          const g = layout.cell(r.key, c);
          return g ? pick(g) : null;
        }),
        ...(withBaselines
          ? {
              baselines: rows.map((r) => {
                const g = layout.cell(r.key, c);
                return g ? marks(g) : null;
              }),
            }
          : {}),
      })),
    };
  };

  const robustness = layout.varying.hallucinationRate
    ? rows.map((r, ri) => ({
        label: r.label,
        row: ri,
        points: conditions.flatMap((c) => {
          const s = spread(layout.cell(r.key, c)?.accuracy ?? null, 100);
          return c !== null && s ? [{ x: c, spread: s }] : [];
        }),
      }))
    : null;
  const robustnessBaselines = layout.varying.hallucinationRate
    ? conditions.flatMap((c) => {
        const m = rows.map((r) => layout.cell(r.key, c)).find((g) => g?.baselines);
        const b = m ? marks(m) : null;
        return c !== null && b ? [{ x: c, ...b }] : [];
      })
    : null;

  // Curves are keyed like groups; each goes to its condition's panel in its row's colour.
  const groupByKey = new Map(exp.groups.map((g) => [g.key, g]));
  const curves = conditions.map((c) => ({
    condition: conditionLabel(c),
    series: exp.curves.flatMap((curve) => {
      const g = groupByKey.get(curve.key);
      if (!g) return [];
      const rate = layout.varying.hallucinationRate ? g.factors.hallucinationRate : null;
      if (rate !== c) return [];
      const row = rows.findIndex((r) => r.key === rowKey(g.factors));
      return [
        {
          label: rows[row]?.label ?? curve.label,
          row,
          steps: curve.steps,
          mean: curve.mean,
          low: curve.low,
          high: curve.high,
        },
      ];
    }),
  }));

  const scatter = exp.groups.flatMap((g) => {
    if (!g.accuracy || !g.meanMsToAnswer) return [];
    const row = rows.findIndex((r) => r.key === rowKey(g.factors));
    const rate = layout.varying.hallucinationRate ? g.factors.hallucinationRate : null;
    const label = rate === null ? (rows[row]?.label ?? g.label) : `${rows[row]?.label ?? g.label} @ ${rate}`;
    return [{ label, row, condition: conditions.indexOf(rate), x: g.meanMsToAnswer.mean, y: g.accuracy.mean * 100 }];
  });

  return {
    id: `exp-${exp.experiment.id}`,
    name: exp.experiment.name,
    rows: rows.map((r) => r.label),
    conditions,
    accuracy: bars((g) => spread(g.accuracy, 100), true, true),
    robustness,
    robustnessBaselines,
    ...errorBarText(exp),
    noAnswer: bars((g) => spread(g.noAnswer, 100), true),
    curves: curves.filter((p) => p.series.length > 0),
    tokens: bars((g) => spread(g.meanTokensToAnswer), false),
    ms: bars((g) => spread(g.meanMsToAnswer), false),
    scatter,
    scatterX: { min: 0, max: niceCeil(Math.max(0, ...scatter.map((p) => p.x)) * 1.05) || 1 },
  };
}

export function reportChartData(experiments: readonly ReportExperiment[], errorMode: ErrorMode): ReportChartData {
  return {
    errorMode,
    palette: { light: SERIES_LIGHT, dark: SERIES_DARK },
    experiments: experiments.map(experimentCharts),
  };
}
