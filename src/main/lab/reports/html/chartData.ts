// The data the report's inline script draws, prepared here so the browser side only maps numbers to
// chart.js datasets. Accuracies are converted to percent; costs stay in tokens and milliseconds.
import type { Aggregate, CellGroup } from '../../../../shared/types/experiments';
import { conditionLabel, rowKey } from '../factors';
import { MIN_SEEDS_FOR_INTERVAL } from '../../stats/seedLevel';
import { experimentLayout, seedCountText } from '../tables';
import type { ErrorMode, ReportExperiment } from '../types';

/** Mean, std and the seed-level t-interval of one bar or point, in display units (CI null: not computable). */
export interface Spread {
  n: number;
  mean: number;
  std: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/** Majority-class baseline and chance of one bar's test examples, in percent (chance null: open answers). */
export interface BaselineMarks {
  majority: number;
  chance: number | null;
}

/** Method variants on the x axis, one series per condition. */
export interface GroupedBars {
  categories: string[];
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
  noAnswer: GroupedBars;
  /** One panel per condition; each series belongs to a row (for its colour). */
  curves: {
    condition: string;
    series: { label: string; row: number; steps: number[]; mean: number[]; low: number[]; high: number[] }[];
  }[];
  tokens: GroupedBars;
  ms: GroupedBars;
  scatter: { label: string; row: number; condition: number; x: number; y: number }[];
}

export interface ReportChartData {
  errorMode: ErrorMode;
  experiments: ExperimentCharts[];
}

function spread(agg: Aggregate | null, scale = 1): Spread | null {
  if (!agg) return null;
  return {
    n: agg.n,
    mean: agg.mean * scale,
    std: agg.std === null ? null : agg.std * scale,
    ciLow: agg.ci.low === null ? null : agg.ci.low * scale,
    ciHigh: agg.ci.high === null ? null : agg.ci.high * scale,
  };
}

function marks(g: CellGroup): BaselineMarks | null {
  if (!g.baselines) return null;
  return {
    majority: g.baselines.majority.accuracy * 100,
    chance: g.baselines.chance === null ? null : g.baselines.chance * 100,
  };
}

/** The error-bar captions of both modes: kind, unit and n. */
export function errorBarText(exp: ReportExperiment): Record<ErrorMode, string> {
  const n = seedCountText(exp);
  return {
    std: `± 1 sample std over seeds (n = ${n} seeds per group)`,
    ci:
      `95% Student t-interval over seeds (n = ${n} seeds per group; ` +
      `no bar where it is not computable, below ${MIN_SEEDS_FOR_INTERVAL} seeds)`,
  };
}

export function experimentCharts(exp: ReportExperiment): ExperimentCharts {
  const layout = experimentLayout(exp);
  const { rows, conditions } = layout;
  const bars = (pick: (g: CellGroup) => Spread | null, withBaselines = false): GroupedBars => ({
    categories: rows.map((r) => r.label),
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
  });

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
    accuracy: bars((g) => spread(g.accuracy, 100), true),
    robustness,
    robustnessBaselines,
    errorText: errorBarText(exp),
    noAnswer: bars((g) => spread(g.noAnswer, 100)),
    curves: curves.filter((p) => p.series.length > 0),
    tokens: bars((g) => spread(g.meanTokensToAnswer)),
    ms: bars((g) => spread(g.meanMsToAnswer)),
    scatter,
  };
}

export function reportChartData(experiments: readonly ReportExperiment[], errorMode: ErrorMode): ReportChartData {
  return { errorMode, experiments: experiments.map(experimentCharts) };
}
